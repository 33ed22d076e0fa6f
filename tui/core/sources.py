"""Finding the header blocks in what the user gives us: files, Maildirs, mboxes, stdin, pasted text.

A path can be a single .eml, an mbox (streamed: only each message's header is
kept), a Maildir, or text holding the support ticket followed by its header
sample(s), which ``blocks`` finds. Whatever goes wrong becomes an InputError in
words, never a traceback.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tui.core.blocks import (
    FIELD_START, MBOX_FROM_LINE, RUN_TOGETHER_NOTE, SINGLE_FIELDS, is_message_field, split_blocks,
    split_run_together,
)
from tui.core.headers import SECTION_CUT, parse_headers
from tui.core.mbox import MBOX_FROM_BYTES, mbox_headers
from tui.core.model import Headers, Ticket
from tui.core.text import decode_bytes
from tui.core.ticket import split_ticket

# More than any real message or ticket needs; keeps a hostile file from filling memory.
READ_LIMIT = 64 * 1024 * 1024
MBOX_HEADER_LIMIT = 4 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(slots=True)
class InputError:
    """Why an input (or one message inside it, when ``index`` is set) gave no headers."""

    source: str
    index: int | None
    message: str

    def __str__(self) -> str:
        where = self.source if self.index is None else f"{self.source} (message {self.index + 1})"
        return f"{where}: {self.message}"


# --- files, mboxes, Maildirs -----------------------------------------------

# Bytes that never appear in text (all C0 controls but tab, LF, FF, CR, ESC, and DEL).
_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F))
_HIGH_BYTES = bytes(range(0x80, 0x100))
_RAW_START = re.compile(r"(?:From [^\n]*\n)?[!-9;-~]+[ \t]*:")
_END_OF_SECTION = re.compile(r"\n\r?\n")
_END_OF_HEADER = re.compile(rb"\n\r?\n")
# Each starts with a literal newline, which the regex engine scans for quickly.
_ENCODED_BODY = re.compile(
    r"\n(?i:content-transfer-encoding:[ \t]*(?:quoted-printable|base64)|content-type:[ \t]*multipart/)"
)
_FROM_PROVIDER = re.compile(r"\n(?i:(?:from|sender|return-path|subject):[^\n]*(?:ovh|spam))")
_TAG = re.compile(r"<[^<>]{0,2000}>")
_LINE_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li)\b[^<>]{0,200}>", re.IGNORECASE)


def read_inputs(
    paths: list[str], stdin: BinaryIO | None = None, jobs: int | None = None
) -> Iterator[Headers | InputError]:
    """Headers for every message in ``paths`` in order ("-" reads ``stdin``), or an InputError for each failure.

    Each Headers has ``source`` = the path as given and ``index`` its position
    in that source. Bytes that are not valid UTF-8 are read best-effort, with
    a problem noted on the Headers. With ``jobs`` above 1, the messages of an
    mbox or a Maildir are decoded and parsed in that many worker processes
    (see core/parallel), still yielded in order.
    """
    units = read_units(paths, stdin)
    if jobs is None or jobs <= 1:
        for unit in units:
            yield headers_of(unit) if type(unit) is tuple else unit
        return
    from tui.core.parallel import WorkerPool, batches
    from tui.core.wire import headers_in

    with WorkerPool(jobs) as pool:
        for batch in pool.map(headers_batch, batches(units, UNITS_PER_BATCH)):
            for item in batch:
                yield headers_in(item) if type(item) is tuple else item


# Raw headers go to workers this many at a time: enough to make each trip worth it.
UNITS_PER_BATCH = 64


def headers_batch(units: list) -> list:
    """``headers_of`` for a batch, Headers as tuples (see core/wire): a worker's job for read_inputs."""
    from tui.core.wire import headers_out

    out = []
    for unit in units:
        item = headers_of(unit) if type(unit) is tuple else unit
        out.append(headers_out(item) if isinstance(item, Headers) else item)
    return out


def read_units(paths: list[str], stdin: BinaryIO | None = None) -> Iterator[Headers | InputError | RawHeader]:
    """What ``read_inputs`` yields, except that an mbox's or a Maildir's messages come as RawHeader,
    to be made Headers by ``headers_of`` (in another process, if need be). Only the reading is done here."""
    for path in paths:
        try:
            if path == "-":
                stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
                if stream is None:
                    yield InputError("-", None, "cannot be read: there is no standard input")
                else:
                    yield from _read_stream(stream, "-")
            else:
                yield from _read_path(Path(path), path)
        except OSError as error:
            yield InputError(path, None, f"cannot be read ({error.strerror or error})")


# One message of an mbox or a Maildir as read from the file: (source, index, header bytes,
# what it was read from: "" for an mbox, else the Maildir file's name, and whether it was cut).
RawHeader = tuple[str, int, bytes, str, bool]


def headers_of(unit: RawHeader) -> Headers | InputError:
    """The Headers of a message read by ``read_units``, or why it has none."""
    source, index, data, name, cut = unit
    if name:
        if not data.strip():
            return InputError(source, index, f"{name} is empty")
        if _looks_binary(data):
            return InputError(source, index, f"{name} is not text (mostly binary bytes)")
    elif _looks_binary(data):
        return InputError(source, index, "the header is not text (mostly binary bytes)")
    text, problems = decode_bytes(data)
    headers = parse_headers(text, source, index)
    if cut:
        problems.append(f"the header is longer than {_size(MBOX_HEADER_LIMIT)}; the rest was skipped")
    headers.problems[:0] = problems
    if not headers.fields:
        return InputError(source, index, f"{name} has no header fields" if name else "has no header fields")
    return headers


def read_text(text: str, source: str = "pasted") -> tuple[Ticket | None, list[Headers], list[InputError]]:
    """The ticket (if any), the header blocks and what went wrong, for text the user pasted or loaded.

    Text holding a ticket gives the blocks after it; a raw message gives its
    own header; an mbox gives one Headers per message; anything else is
    searched for pasted blocks.
    """
    if not text.strip():
        return None, [], [InputError(source, None, "is empty")]
    if MBOX_FROM_LINE.match(text) and "\nFrom " in text:
        stream = io.BytesIO(text.encode("utf-8", "surrogatepass"))
        found = [headers_of(unit) if type(unit) is tuple else unit for unit in _read_mbox(stream.read, source)]
        return None, [h for h in found if isinstance(h, Headers)], [e for e in found if isinstance(e, InputError)]
    split_again = split_run_together(text)
    if split_again is not None:
        ticket, blocks, errors = read_text(split_again, source)
        for block in blocks:
            block.problems.append(RUN_TOGETHER_NOTE)
        return ticket, blocks, errors
    ticket, rest, headers = _find_ticket(text, source)
    if ticket is None and headers is not None and _is_single_message(text, headers):
        return None, [headers], []
    blocks = split_blocks(rest if ticket else text, source)
    if not blocks and ticket:
        # The sample is usually after the ticket, but a reply or a forward can put
        # it between the ticket's paragraphs or above them: the ticket's own
        # prose has no header fields, so the whole text gives the same blocks.
        blocks = split_blocks(text, source)
    if blocks:
        return ticket, blocks, []
    if ticket:
        return ticket, [], [InputError(source, None, "holds the ticket but no header sample")]
    return None, [], [_no_header(source)]


TICKET_LIMIT = 1024 * 1024


def read_ticket_file(path: str) -> Ticket | None:
    """The ticket in the file at ``path``, or None when it holds none or cannot be read."""
    try:
        with open(path, "rb") as file:
            data = file.read(TICKET_LIMIT)
    except OSError:
        return None
    # An mbox is read as a stream of messages and never as a ticket (see read_inputs);
    # a ticket with its sample is a few KB, so the first MB is plenty to find one.
    if data.startswith(b"From ") or _looks_binary(data):
        return None
    return _find_ticket(decode_bytes(data)[0], path)[0]


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def _no_header(source: str) -> InputError:
    return InputError(source, None, "holds no mail header (no line such as \"Received: ...\" or \"From: ...\")")


def _read_path(path: Path, given: str) -> Iterator[Headers | InputError | RawHeader]:
    if path.is_dir():
        if _is_maildir(path):
            yield from _read_maildir(path, given)
        else:
            yield InputError(given, None, "is a folder but not a Maildir (it has no cur/ and new/ inside)")
        return
    if not path.exists():
        yield InputError(given, None, "does not exist")
        return
    with path.open("rb") as file:
        if not file.seekable():  # a pipe, as with `unblock <(cat sent.mbox)`
            yield from _read_stream(file, given)
            return
        is_mbox = MBOX_FROM_BYTES.match(file.readline(READ_LIMIT)) is not None and _has_more_messages(file)
        file.seek(0)
        yield from _read_mbox(file.read, given) if is_mbox else _read_data(file.read(READ_LIMIT + 1), given)


def _read_stream(stream: BinaryIO, source: str) -> Iterator[Headers | InputError | RawHeader]:
    first = stream.readline(READ_LIMIT)
    if MBOX_FROM_BYTES.match(first):
        # A stream cannot be rewound to look ahead: read it as an mbox, which also fits a single message.
        yield from _read_mbox(_put_back(first, stream), source)
    else:
        yield from _read_data(first + stream.read(READ_LIMIT + 1 - len(first)), source)


def _put_back(first: bytes, stream: BinaryIO) -> Callable[[int], bytes]:
    """``stream.read`` with ``first`` (already read from it) put back in front."""
    pending = [first]

    def read(size: int) -> bytes:
        return pending.pop() if pending else stream.read(size)

    return read


def _has_more_messages(file: BinaryIO) -> bool:
    previous = b""
    while chunk := file.read(_CHUNK):
        if b"\nFrom " in previous[-5:] + chunk:
            return True
        previous = chunk
    return False


def _read_data(data: bytes, source: str) -> Iterator[Headers | InputError]:
    """What ``data`` (read with one byte over READ_LIMIT, to tell whether there was more) holds."""
    cut = len(data) > READ_LIMIT
    data = data[:READ_LIMIT]
    if not data.strip():
        yield InputError(source, None, "is empty")
        return
    if _looks_binary(data):
        message = "is not text (mostly binary bytes): save the message as .eml or paste its headers"
        yield InputError(source, None, message)
        return
    text, problems = decode_bytes(data)
    del data
    if cut:
        problems.append(f"only the first {_size(READ_LIMIT)} were read")
    _, found, errors = read_text(text, source)
    for headers in found:
        headers.problems[:0] = problems
        yield headers
    yield from errors


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) // 20:
        return True
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high * 10 > len(sample) * 3:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the sample's end is still text.
            return error.start < len(sample) - 4
    return False


def _read_mbox(read: Callable[[int], bytes], source: str) -> Iterator[RawHeader | InputError]:
    index = -1
    for index, (header, cut) in enumerate(mbox_headers(read, MBOX_HEADER_LIMIT)):
        yield source, index, header, "", cut
    if index < 0:
        yield InputError(source, None, "holds no message")


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and ((path / "new").is_dir() or (path / "tmp").is_dir())


def _read_maildir(path: Path, given: str) -> Iterator[RawHeader | InputError]:
    # tmp/ holds messages still being delivered: they are not mail yet.
    entries = sorted(
        (entry for folder in ("cur", "new") if (path / folder).is_dir() for entry in (path / folder).iterdir()),
        key=lambda entry: entry.name,
    )
    index = 0
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        try:
            with entry.open("rb") as file:
                data = _header_bytes(file)
        except OSError as error:
            yield InputError(given, index, f"{entry.name} cannot be read ({error.strerror or error})")
        else:
            yield given, index, data, entry.name, False
        index += 1


def _header_bytes(file: BinaryIO) -> bytes:
    """The start of a message file up to the end of its header, without reading the body."""
    data = bytearray()
    while len(data) < READ_LIMIT and (chunk := file.read(_CHUNK)):
        data += chunk
        # Look again only where the new chunk could complete an end of header.
        end = _END_OF_HEADER.search(data, max(0, len(data) - len(chunk) - 2))
        if end:
            return bytes(data[: end.start() + 1])
    return bytes(data)


def _find_ticket(text: str, source: str) -> tuple[Ticket | None, str, Headers | None]:
    """The ticket, the text after it, and the header when ``text`` starts as a raw message.

    An OVHcloud notification saved as .eml may hide the ticket in a
    quoted-printable or base64 body: that body is decoded and searched too.
    """
    ticket, rest = split_ticket(text)
    if ticket is not None or not _RAW_START.match(text):
        return ticket, rest, None
    headers = parse_headers(text, source, 0)
    end = _END_OF_SECTION.search(text)
    if end and _ENCODED_BODY.search(text, 0, end.end()) and _FROM_PROVIDER.search(text, 0, end.end()):
        ticket, rest = split_ticket(_body_text(text))
    return ticket, rest, headers


def _is_single_message(text: str, headers: Headers) -> bool:
    """Whether ``text``, which starts as a raw message, is just that one message (with or without a body).

    The fast path for files: pasted stacks of blocks, wrapped lines and prose
    are left to split_blocks.
    """
    end = _END_OF_SECTION.search(text)
    after = text[end.end() : end.end() + 4096].lstrip() if end else ""
    if after:
        start = FIELD_START.match(after)
        return bool(headers.fields) and not (start and is_message_field(start.group(1).lower()))
    if headers.fields and any(problem.startswith(SECTION_CUT) for problem in headers.problems):
        # Megabytes of header fields are one broken message, not a stack of pasted samples: reading
        # them line by line as blocks would cost many times their size in memory.
        return True
    if not headers.fields or headers.problems:
        return False
    # A stack of samples repeats a field a message has once; a gateway that wrote
    # its Received lines among the Subject, From and X- fields did not.
    seen: set[str] = set()
    for header in headers.fields:
        name = header.name.lower()
        if name in SINGLE_FIELDS:
            if name in seen:
                return False
            seen.add(name)
    return True


def _body_text(text: str) -> str:
    """The readable text of a message's body parts, for a ticket hidden by quoted-printable or base64."""
    # Only a provider's notification needs a MIME parse: keep email.* off the start-up path.
    import email
    import html
    from email.policy import compat32

    message = email.message_from_string(text, policy=compat32)
    parts: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        try:
            body = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        except LookupError:
            body = payload.decode("utf-8", errors="replace")
        if part.get_content_subtype() == "html":
            body = html.unescape(_TAG.sub("", _LINE_TAG.sub("\n", body)))
        parts.append(body)
    return "\n\n".join(parts)
