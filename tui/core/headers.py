"""Reading the header section of one message into Headers: fields in order, folded lines unfolded.

This is the hot path of every analysis, so the whole section is cut into
fields by one precompiled regex rather than line by line in Python. It never
raises: lines that are not header fields are skipped and reported, and
oversized values are cut so that a hostile header cannot exhaust memory.
"""

from __future__ import annotations

import itertools
import re

from tui.core.model import Header, Headers

MAX_VALUE = 64 * 1024
# Enough for 100,000 Received lines and the rest; past it a header is an attack, not a message.
MAX_FIELDS = 200_000
_SMALL_SECTION = 1024 * 1024


# A field line and its continuation lines, or else a run of stray lines up to
# the next field. Names are printable ASCII except ":" and space; the
# possessive quantifiers keep the match linear on any input.
_FIELD = re.compile(
    r"^(?:([!-9;-~]++)[ \t]*+:([^\n]*+(?:\n[ \t][^\n]*+)*+)"
    r"|((?:(?![!-9;-~]++[ \t]*+:)[^\n]*+(?:\n|\Z))++))",
    re.MULTILINE,
)


def parse_headers(text: str, source: str = "-", index: int = 0) -> Headers:
    """The header fields at the top of ``text``, up to the first empty line.

    Folded values are unfolded (continuations joined with one space, trimmed);
    an mbox "From " line at the top is not a field. Anything else that is not
    a field is skipped and summarised once in ``Headers.problems``; values
    over 64 KB are cut, with a note.
    """
    headers = Headers(source=source, index=index)
    stripped = text.lstrip("\r\n")
    lines_before = text.count("\n", 0, len(text) - len(stripped))
    # The section ends at the first empty line (LF or CRLF); a text without CR
    # needs one scan for it, not a regex trying every line break.
    end = stripped.find("\n\n")
    if "\r" in stripped:
        end_crlf = stripped.find("\n\r\n", 0, len(stripped) if end < 0 else end + 2)
        if end_crlf >= 0:
            end = end_crlf
    section = stripped[: end + 1] if end >= 0 else stripped
    if section.startswith("From "):
        section = section.partition("\n")[2]
        lines_before += 1

    fields = headers.fields
    first_stray: str | None = None
    strays = 0
    cut: list[str] = []
    for name, value, stray in _pieces(section, headers.problems):
        if not name:
            if stray:
                strays += stray.count("\n") + (not stray.endswith("\n"))
                first_stray = first_stray or stray
            continue
        if len(value) > MAX_VALUE:
            # Unfolding only ever shortens a value, so twice the cap is plenty to fill it.
            value = _unfold(value[: 2 * MAX_VALUE])[:MAX_VALUE]
            cut.append(name)
        elif "\n" in value:
            value = _unfold(value)
        else:
            value = value.strip(" \t\r")
        fields.append(Header(name, value))

    if first_stray:
        headers.problems.append(_stray_note(section, first_stray, strays, lines_before))
    if cut:
        headers.problems.append(
            f"{len(cut)} value{'s' if len(cut) > 1 else ''} longer than {MAX_VALUE // 1024} KB "
            f"cut short (first: {cut[0]})"
        )
    return headers


def _pieces(section: str, problems: list[str]) -> list[tuple[str, str, str]]:
    """(name, value, "") for each field and ("", "", lines) for each run of stray lines."""
    if len(section) <= _SMALL_SECTION:
        # findall's plain tuples are several times cheaper than Match objects.
        pieces = _FIELD.findall(section)
    else:
        matches = itertools.islice(_FIELD.finditer(section), MAX_FIELDS + 1)
        pieces = [match.groups(default="") for match in matches]
    if len(pieces) > MAX_FIELDS:
        problems.append(f"the header section is too long: only its first {MAX_FIELDS:,} fields were read")
        del pieces[MAX_FIELDS:]
    return pieces


def _unfold(value: str) -> str:
    # str.split beats re.sub several times over here, and this runs for most fields.
    return " ".join([line.strip(" \t\r") for line in value.split("\n")]).strip(" ")


def _stray_note(section: str, first: str, count: int, lines_before: int) -> str:
    line_number = lines_before + section.count("\n", 0, section.find(first)) + 1
    line = first[:200].partition("\n")[0].strip()
    if len(line) > 60:
        line = line[:57] + "..."
    what = "a line that is not a header field was" if count == 1 else f"{count} lines that are not header fields were"
    return f"{what} skipped (line {line_number}: {line!r})"
