"""An mbox cut into its messages' headers, a megabyte at a time, bodies skipped unread.

A message starts at a "From " line (one that looks like mbox's envelope line:
"From sender date") that follows a blank line, or that comes while a header is
still being read; its header runs to the first blank line. Bodies are skipped:
their escaped ">From " lines, and "From " lines not after a blank line, never
start a message.

Reading line by line in Python cost the process that feeds the analysis
workers more than the workers could save on a large mbox; here the lines that
matter are found with ``bytes.find`` in large chunks. A header longer than
``limit`` bytes keeps its first whole lines up to the limit, is flagged as cut,
and the rest is looked through without being kept, so memory stays bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# An mbox message's first line. "\S.*", not "\S+.*": the same lines, but a long first line
# cannot make the match quadratic. One pattern, for text (pasted blocks) and for bytes.
MBOX_FROM = r"From \S.*\d:\d\d"
MBOX_FROM_BYTES = re.compile(MBOX_FROM.encode())
CHUNK = 1024 * 1024
# Kept when more must be read: "\nFrom " cut across two chunks.
_OVERLAP = 8
# What ends a header: a blank line, or a line that may be the next message's "From " line.
_HEADER_END = re.compile(rb"\n(?:(\r?\n)|From )")


class _Reader:
    """The part of the file still needed, addressed by positions that do not move as it is read.

    Two line ends stand before the file's first byte (which is at position 2),
    so that a "From " line there counts as one that follows a blank line.
    """

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self._read = read
        self.data = b"\n\n"
        self.base = 0
        self.eof = False
        # The first position still needed: what comes before it is dropped when more is read.
        self.keep = 0

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the file."""
        if not self.eof:
            chunk = self._read(CHUNK)
            if chunk:
                cut = self.keep - self.base
                if cut > 0:
                    self.data = self.data[cut:] + chunk
                    self.base = self.keep
                else:
                    self.data += chunk
                return True
            self.eof = True
        return False

    def find(self, what: bytes, position: int, end: int | None = None) -> int:
        found = self.data.find(what, position - self.base, None if end is None else end - self.base)
        return found + self.base if found >= 0 else -1

    def at(self, position: int) -> int:
        return self.data[position - self.base]

    def slice(self, start: int, end: int) -> bytes:
        return self.data[start - self.base : end - self.base]

    def end(self) -> int:
        return self.base + len(self.data)


def mbox_headers(read: Callable[[int], bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Each message's header bytes and whether it was cut at ``limit``, reading with ``read(size)``."""
    reader = _Reader(read)
    position: int | None = 2
    while position is not None:
        start = _next_message(reader, position)
        if start is None:
            return
        while start is not None:
            header, cut, position, start = _header(reader, start, limit)
            yield header, cut


def _line_end(reader: _Reader, line: int) -> int:
    """Where the line starting at ``line`` ends: its "\\n", or the end of the file."""
    while True:
        end = reader.find(b"\n", line)
        if end >= 0:
            return end
        if not reader.fill():
            return reader.end()


def _after_from_line(reader: _Reader, line: int) -> int | None:
    """The position after the line at ``line`` when it is an mbox "From " line, else None."""
    end = _line_end(reader, line)
    if MBOX_FROM_BYTES.match(reader.data, line - reader.base, end - reader.base):
        return end + 1
    return None


def _next_message(reader: _Reader, line: int) -> int | None:
    """Where the header starts of the next message whose "From " line is at or after ``line`` and
    follows a blank line; None at the end of the file."""
    search = line - 1  # the line end just above
    while True:
        # Two bytes before a line end tell whether the line above it was blank.
        reader.keep = search - 2
        hit = reader.find(b"\nFrom ", search)
        if hit < 0:
            if reader.eof:
                return None
            search = max(search, reader.end() - _OVERLAP)
            reader.keep = search - 2
            reader.fill()
            continue
        above = reader.at(hit - 1)
        if above == 0x0A or (above == 0x0D and reader.at(hit - 2) == 0x0A):
            start = _after_from_line(reader, hit + 1)
            if start is not None:
                return start
        search = hit + 1


def _first_lines(data: bytes) -> bytes:
    """The lines of ``data`` that end in it: a long header's first lines up to the limit."""
    return data[: data.rfind(b"\n") + 1]


def _header(reader: _Reader, start: int, limit: int) -> tuple[bytes, bool, int | None, int | None]:
    """The header that starts at ``start``: its bytes, whether it was cut, then either where the
    body starts (to look for the next message from) or, when another message's "From " line
    ended it, where that message's header starts. None for both at the end of the file."""
    search = start - 1
    kept: bytes | None = None  # a header over the limit: its first lines, the rest not kept
    while True:
        reader.keep = start - 1 if kept is None else search - 2
        found = _HEADER_END.search(reader.data, search - reader.base)
        if found is not None:
            line = found.start() + 1 + reader.base
            if found.group(1) is not None:
                body = line + len(found.group(1))
                return _kept(reader, start, line, limit, kept), line - start > limit, body, None
            following = _after_from_line(reader, line)
            if following is None:
                search = line
                continue
            return _kept(reader, start, line, limit, kept), line - start > limit, None, following
        if reader.eof:
            end = reader.end()
            return _kept(reader, start, end, limit, kept), end - start > limit, None, None
        search = max(search, reader.end() - _OVERLAP)
        if kept is None and reader.end() - start > limit:
            kept = _first_lines(reader.slice(start, start + limit))
        if kept is not None:
            reader.keep = search - 2
        reader.fill()


def _kept(reader: _Reader, start: int, end: int, limit: int, kept: bytes | None) -> bytes:
    if kept is not None:
        return kept
    if end - start <= limit:
        return reader.slice(start, end)
    return _first_lines(reader.slice(start, start + limit))
