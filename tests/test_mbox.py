"""The mbox reader against the line-by-line reading it replaces: the same headers, cut alike."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.mbox import mbox_headers

FROM_LINE = re.compile(rb"From \S.*\d:\d\d")


def by_line(data: bytes, limit: int) -> list[tuple[bytes, bool]]:
    """The reference: every line looked at in turn, as the reader first did it."""
    found = []
    header: list[bytes] | None = None
    size = 0
    previous_blank = True
    for line in io.BytesIO(data):
        if line.startswith(b"From ") and (previous_blank or header is not None) and FROM_LINE.match(line):
            if header is not None:
                found.append((b"".join(header), size > limit))
            header, size, previous_blank = [], 0, False
            continue
        previous_blank = line in (b"\n", b"\r\n")
        if header is None:
            continue
        if previous_blank:
            found.append((b"".join(header), size > limit))
            header = None
            continue
        size += len(line)
        if size <= limit:
            header.append(line)
    if header is not None:
        found.append((b"".join(header), size > limit))
    return found


LINES = [
    b"From MAILER-DAEMON Mon Jan  6 09:15:00 2025\n", b"From a@b.example Tue Dec  6 12:00:00 2022\r\n",
    b"From nobody\n", b">From a@b Mon Jan  6 09:15:00 2025\n", b"\n", b"\r\n", b"\r\r\n", b"Subject: hello\n",
    b"Received: from a by b; Tue, 6 Dec 2022 12:00:00 +0000\r\n", b" folded\n", b"body text\n", b"From",
    b"From x 1:23", b"X" * 40 + b"\n",
]


class _Chunks:
    """A stream that hands out at most ``size`` bytes a read, as a pipe may."""

    def __init__(self, data: bytes, size: int) -> None:
        self.stream, self.size = io.BytesIO(data), size

    def read(self, _: int) -> bytes:
        return self.stream.read(self.size)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=40).map(b"".join), st.integers(1, 120), st.integers(1, 50))
def test_same_headers_as_line_by_line(data, limit, chunk):
    assert list(mbox_headers(_Chunks(data, chunk).read, limit)) == by_line(data, limit)


def test_a_header_far_over_the_limit_is_not_kept_whole():
    data = b"From a@b Mon Jan  6 09:15:00 2025\nSubject: x\n" + b"X-Long: " + b"y" * 100_000 + b"\n\nbody\n"
    reader = _Chunks(data, 1000)
    [(header, cut)] = list(mbox_headers(reader.read, 50))
    assert (header, cut) == (b"Subject: x\n", True)
