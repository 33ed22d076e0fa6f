"""Header blocks in pasted text: quoted with "> ", indented, re-wrapped by a mail client, stacked.

Pasted text is the hard case of reading headers: blocks quoted with "> ",
indented, re-wrapped so that a continuation no longer starts with a space,
with prose in between, several samples one after the other, and a header run
together on one line by a web form. ``split_blocks`` finds every block and
``split_run_together`` puts the line breaks back.
"""

from __future__ import annotations

import re

from tui.core.headers import MAX_FIELDS, MAX_SECTION, SECTION_CUT, parse_headers
from tui.core.mbox import MBOX_FROM
from tui.core.model import Headers

_QUOTING = re.compile(r"^(?:[ \t]*>[ \t]?)+")
_LINE_END = re.compile(r"\r\n|\r|\n")
FIELD_START = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)[ \t]*:")
_SEPARATOR = re.compile(r"-{3,}|={3,}|_{3,}|\*{3,}|~{3,}")
# An mbox message's first line. "\S.*", not "\S+.*": the same lines, but a long first line
# cannot make the match quadratic. One pattern, for text and for bytes.
MBOX_FROM_LINE = re.compile(MBOX_FROM)

# Fields that only a message header has (a MIME part's Content-* lines or prose "Note:" do not count).
_MESSAGE_FIELDS = frozenset(
    (
        "received return-path from to cc subject date message-id reply-to sender delivered-to "
        "dkim-signature domainkey-signature authentication-results received-spf user-agent "
        "in-reply-to references mime-version organization importance precedence"
    ).split()
)
_MESSAGE_FIELD_PREFIXES = ("x-", "arc-", "list-", "resent-", "thread-")
# Envelope fields written just above the Received lines of the next message.
_ENVELOPE_FIELDS = frozenset(("return-path", "delivered-to", "x-original-to", "envelope-to", "x-envelope-from"))
_SUMMARY_FIELDS = frozenset(("subject", "from", "date"))
# Fields a message has once: one of them twice in a block is two messages.
SINGLE_FIELDS = frozenset(("subject", "from", "date", "message-id", "to"))
_SINGLE_WORD_FIELDS = frozenset(("bcc", "xref"))
_SIGNATURE_FIELDS = frozenset(
    ("dkim-signature", "arc-message-signature", "domainkey-signature", "x-google-dkim-signature")
)
_HEADER_LIST = re.compile(r"(?:^|[;\s])h=([^;]*;?)")
# Words a mail client's wrapping can leave at the start of a line, followed by ":", inside a value
# ("(Authenticated sender: x)"): never a new field when they start a line unindented.
_VALUE_WORDS = frozenset(("sender", "helo", "envelope-from", "client-ip", "receiver", "identity", "mechanism"))


# A header run together on one line, as some web forms and chat tools paste it:
# "Received: from a ... +0100 From: x To: y Subject: z". A field name spelled
# as mail programs write it, after a blank and before ": ", where a line break
# was. Three different names on one long line are needed before it is split:
# a real value hardly ever holds even one (a DKIM "h=" list has no blanks).
_RUN_TOGETHER_NAME = re.compile(
    r"(?<=\s)(?=(Received|Return-Path|From|To|Cc|Subject|Date|Message-ID|Message-Id|Reply-To|"
    r"Authentication-Results|Received-SPF|DKIM-Signature|MIME-Version|Content-Type|User-Agent|"
    r"X-Mailer|X-Originating-IP|X-Ovh-ClientIp|X-VR-SPAMCAUSE|X-VR-SPAMSTATE|X-VR-SPAMSCORE|"
    r"X-Ovh-Tracer-Id|Delivered-To|In-Reply-To|References): )"
)
_RUN_TOGETHER_MIN_NAMES = 3
_LONG_LINE = re.compile(r"^[^\n]{200,}", re.MULTILINE)
_RUN_TOGETHER_SCAN = 256 * 1024
RUN_TOGETHER_NOTE = "The header lines had been run together on one line; they were split again at each field name."


def split_run_together(text: str) -> str | None:
    """``text`` with a line break put back before each field name of a run-together header, or None."""
    # Only the start is looked at: a header sample is near the top, and a big
    # file's body need not be scanned line by line.
    if not any(
        FIELD_START.match(line.group().lstrip("> \t"))
        and len({found.group(1).lower() for found in _RUN_TOGETHER_NAME.finditer(line.group())})
        >= _RUN_TOGETHER_MIN_NAMES
        for line in _LONG_LINE.finditer(text, 0, _RUN_TOGETHER_SCAN)
    ):
        return None
    # Once one line shows the paste lost its line breaks, every header line is split,
    # short ones included ("Date: ... Message-ID: <...>").
    head = "\n".join(
        _RUN_TOGETHER_NAME.sub("\n", line) if FIELD_START.match(line.lstrip("> \t")) else line
        for line in text[:_RUN_TOGETHER_SCAN].split("\n")
    )
    return head + text[_RUN_TOGETHER_SCAN:]


def is_message_field(name: str) -> bool:
    return name in _MESSAGE_FIELDS or name.startswith(_MESSAGE_FIELD_PREFIXES)


def _is_known_field(name: str) -> bool:
    """A message field or a MIME one: either plainly opens a field wherever it stands."""
    return is_message_field(name) or name.startswith("content-")


class _Block:
    """The lines of one header block being gathered: each field as its first line plus continuations."""

    def __init__(self, indent: int) -> None:
        self.indent = indent
        self.fields: list[tuple[str, list[str]]] = []
        self.seen: set[str] = set()
        # Inside a DKIM/ARC signature's "h=" list, "Subject: Date:" are names in a value, not fields.
        self.in_header_list = False
        # Started by a Received run below another block's Subject/From/Date, with no gap.
        self.stacked = False
        self.full = False
        self.size = 0

    def add_field(self, name: str, line: str) -> None:
        if self.full or len(self.fields) >= MAX_FIELDS or self.size > MAX_SECTION:
            # No message has this many fields or bytes: the rest is dropped, and a note says the
            # header was cut (parse_headers has the same caps).
            self.full = True
            return
        self.size += len(line)
        self.fields.append((name, [line]))
        self.seen.add(name)
        self.in_header_list = False
        self._follow_header_list(line)

    def continue_field(self, line: str) -> None:
        if self.full:
            return
        self.size += len(line)
        self.fields[-1][1].append(line)
        self._follow_header_list(line)

    def _follow_header_list(self, line: str) -> None:
        if self.fields[-1][0] not in _SIGNATURE_FIELDS:
            return
        tags = _HEADER_LIST.findall(line)
        if tags:
            self.in_header_list = ";" not in tags[-1]
        elif ";" in line:
            self.in_header_list = False

    def starts_new_message(self, name: str) -> bool:
        """Whether a Received line here begins the next message of a stack pasted without a gap."""
        if name != "received" or not self.seen & _SUMMARY_FIELDS:
            return False
        above = next((field for field, _ in reversed(self.fields) if field not in _ENVELOPE_FIELDS), None)
        return above != "received"

    def split_off_envelope(self) -> _Block:
        """A new block, taking along the envelope fields that end this one (they belong to the next)."""
        tail = len(self.fields)
        while tail > 0 and self.fields[tail - 1][0] in _ENVELOPE_FIELDS:
            tail -= 1
        following = _Block(self.indent)
        for name, lines in self.fields[tail:]:
            following.fields.append((name, lines))
            following.seen.add(name)
        del self.fields[tail:]
        return following

    def is_message(self) -> bool:
        return any(is_message_field(name) for name, _ in self.fields)

    def text(self) -> str:
        return "\n".join(line for _, lines in self.fields for line in lines)


def split_blocks(text: str, source: str) -> list[Headers]:
    """Every header block in pasted ``text``, in order, as Headers with index 0..n-1.

    Blocks are separated by blank lines, "-----" lines, or a new Received run
    after a block that already had its Subject/From/Date when the run repeats
    one of them (otherwise a gateway reordered one message). "> " quoting is
    removed and indentation is measured from the block's first field; a line
    that does not look like "Name: value" is joined to the field above (a mail
    client wrapped it). Prose between blocks, and blocks with no message field
    (a MIME part's headers), are ignored.
    """
    blocks: list[_Block] = []
    block: _Block | None = None
    # Line by line as the text is read, quoting taken off each: a text of megabytes is never copied whole.
    for line in _lines(text):
        stripped = line.strip()
        start = FIELD_START.match(stripped)
        if not stripped or _SEPARATOR.match(stripped) or not start and MBOX_FROM_LINE.match(stripped):
            block = None
            continue
        indent = len(line) - len(line.lstrip())
        if start and _opens_field(block, indent, start.group(1), stripped[start.end() :]):
            name = start.group(1).lower()
            if block is None:
                block = _Block(indent)
                blocks.append(block)
            elif block.starts_new_message(name):
                block = block.split_off_envelope()
                block.stacked = True
                blocks.append(block)
            block.add_field(name, f"{start.group(1)}:{stripped[start.end():]}")
        elif block is not None:
            block.continue_field(" " + stripped)
    found = [block for block in _rejoin_reordered(blocks) if block.is_message()]
    parsed = [parse_headers(block.text(), source, index) for index, block in enumerate(found)]
    for headers, block in zip(parsed, found):
        if block.full:
            headers.problems.append(f"{SECTION_CUT} {MAX_SECTION // (1024 * 1024)} MB or "
                                    f"{MAX_FIELDS:,} fields: the rest of this block was left out")
    return parsed


def _lines(text: str):
    """The lines of ``text`` (any line end), each without its "> " quoting, one at a time."""
    start = 0
    for end in _LINE_END.finditer(text):
        line = text[start : end.start()]
        yield _QUOTING.sub("", line, count=1) if ">" in line else line
        start = end.end()
    line = text[start:]
    yield _QUOTING.sub("", line, count=1) if ">" in line else line


def _rejoin_reordered(blocks: list[_Block]) -> list[_Block]:
    """The blocks, each stacked one joined back to the one above when both are one message.

    A gateway (IronPort, Exchange) can write its own Received line above the
    Subject, From and X- fields of the message it received: a new Received run
    after them is then no new message. A real sample boundary repeats a field
    that a message has once (its own Subject, From, Date, Message-ID or To).
    """
    joined: list[_Block] = []
    for block in blocks:
        if block.stacked and joined and not (joined[-1].seen & block.seen & SINGLE_FIELDS):
            joined[-1].fields += block.fields
            joined[-1].seen |= block.seen
        else:
            joined.append(block)
    return joined


def _opens_field(block: _Block | None, indent: int, name: str, after: str) -> bool:
    """Whether a line that starts like "Name:" opens a field rather than continuing the one above."""
    spaced = not after or after[0] in " \t"
    if block is None:
        return spaced or _is_known_field(name.lower())
    lower = name.lower()
    if name in _VALUE_WORDS or block.in_header_list:
        return False
    if indent > block.indent:
        # Deeper than the block's fields: a folded line ("CIP:1.2.3.4;CTRY:;" in a Microsoft
        # report), unless it is plainly a header that lost the block's indentation on paste.
        return name[0].isupper() and spaced and _is_known_field(lower)
    if _is_known_field(lower):
        return True
    # A wrapped Subject can leave "KVM: fix..." at the start of a line: an unknown name only
    # opens a field when it is spelled like one ("X-Spam", "msip_labels", "Openpgp", "Status").
    spelled_like_field = (
        "-" in name or "_" in name or lower in _SINGLE_WORD_FIELDS or name[0].isupper() and name[1:].islower()
    )
    return spaced and spelled_like_field
