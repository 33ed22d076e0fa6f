"""Reading the header section of one message into Headers: fields in order, folded lines unfolded.

This is the hot path of every analysis, so a usual section is read in two
passes of precompiled regexes over the whole text (one substitution unfolds
every continuation line, one findall pairs names and values) rather than
field by field in Python. Anything unusual (lines that are not fields,
blanks ending a folded line, stray CRs or a mix of line ends, sections over
64 KB) takes the general path, which reads one field at a time. It never
raises: lines that are not header fields are skipped and reported, and
oversized values are cut so that a hostile header cannot exhaust memory.
"""

from __future__ import annotations

import itertools
import re
from operator import itemgetter

from tui.core.model import Header, Headers

MAX_VALUE = 64 * 1024
# Enough for 100,000 Received lines and the rest; past it a header is an attack, not a message.
MAX_FIELDS = 200_000
# A header section longer than this is cut (see parse_headers).
MAX_SECTION = 8 * 1024 * 1024
SECTION_CUT = "the header section is longer than"
_SMALL_SECTION = 1024 * 1024

# For the usual section. A continuation line joins its field with one space,
# provided the line it continues does not end in blanks (else it stays, for
# _PLAIN_FIELD to refuse); the empty line ending the section and everything
# after it become one space as well. Every pattern starts with the line
# break, so the regex engine only stops there.
_UNFOLD = re.compile(r"\n(?:[ \t](?<![ \t]\n[ \t])[ \t]*+|(?<=\n\n).*+)", re.S)
_UNFOLD_CRLF = re.compile(r"\r\n(?:[ \t](?<![ \t]\r\n[ \t])[ \t]*+|(?<=\n\r\n).*+)", re.S)
# Then every line is "Name: value", the value without blanks at either end,
# read as (name, value) pairs. Any other line ends the reading with a
# ("", "") pair that swallows the rest; the space standing for the end of the
# section is left unread. Without blanks before the colon, a stray line
# joined with its continuation cannot pass for a field.
_PLAIN_FIELD = re.compile(r"([!-9;-~]++):[ \t]*+(?:([^\n]++)(?<![ \t])\n?+|\n|\Z)|(?!(?<=\n) \Z).++", re.S)
# The same with CRLF line ends. A value runs to the next CR (one character
# class is much faster to scan than two): a bare LF it holds shows a mix of
# line ends, left to the general path.
_PLAIN_FIELD_CRLF = re.compile(
    r"([!-9;-~]++):[ \t]*+(?:([^\r]++)(?<![ \t])(?:\r\n|\Z)|\r\n|\Z)|(?!(?<=\n) \Z).++", re.S
)

# Any section: a field line and its continuation lines, or else a run of
# stray lines up to the next field. Names are printable ASCII except ":" and
# space; the possessive quantifiers keep the match linear on any input.
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
    # A section no longer than the value cap has no value to cut (nor too
    # many fields); a longer text is cut to its section first so that the
    # fast path never reads a body.
    small = len(stripped) <= MAX_VALUE
    section = stripped if small else _section(stripped)
    if len(section) > MAX_SECTION:
        section = _ends_of(section)
        headers.problems.append(f"{SECTION_CUT} {MAX_SECTION // (1024 * 1024)} MB: its middle was left out")
        small = False
    fields = _plain_fields(section) if len(section) <= MAX_VALUE else None
    if fields is not None:
        headers.fields = fields
    else:
        lines_before = text.count("\n", 0, len(text) - len(stripped))
        _read_fields(_section(stripped) if small else section, lines_before, headers)
    return headers


def _ends_of(section: str) -> str:
    """The first and the last MAX_SECTION / 2 of an over-long ``section``, each cut at a field's start.

    Real header sections are kilobytes; past MAX_SECTION a hostile or broken
    input would cost memory many times its size in fields. The top holds the
    message's own fields and the newest hops, the bottom the oldest hops, where
    the message came from: the middle goes.
    """
    half = MAX_SECTION // 2
    head = section[: section.rfind("\n", 0, half) + 1 or half]
    start = section.find("\n", len(section) - half) + 1
    # Not in the middle of a folded field: from the next line that starts one.
    while 0 < start < len(section) and section[start] in " \t":
        start = section.find("\n", start) + 1
    return head + (section[start:] if start else "")


def _read_fields(section: str, lines_before: int, headers: Headers) -> None:
    """The general path: every field of ``section`` into ``headers``, whatever the section holds.

    ``lines_before`` counts the lines above the section, for the line number
    of the first stray line.
    """
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


def _section(stripped: str) -> str:
    """``stripped`` up to its first empty line (LF or CRLF), that line excluded."""
    # With CRs the CRLF end is looked for first: a search for "\n\n" alone
    # would run through the whole body of a CRLF message.
    end_crlf = stripped.find("\n\r\n") if "\r" in stripped else -1
    end = stripped.find("\n\n", 0, len(stripped) if end_crlf < 0 else end_crlf + 1)
    if end < 0:
        end = end_crlf
    return stripped[: end + 1] if end >= 0 else stripped


def _plain_fields(text: str) -> list[Header] | None:
    """The fields of the section at the top of ``text`` when it is a usual one, else None."""
    if text.startswith("From "):
        text = text.partition("\n")[2]
    # The first line end tells which kind the text uses; a mix is for the general path.
    end = text.find("\n")
    if end > 0 and text[end - 1] == "\r":
        pieces = _PLAIN_FIELD_CRLF.findall(_UNFOLD_CRLF.sub(" ", text))
        if "\n" in "".join(map(itemgetter(1), pieces)):
            return None
    else:
        unfolded = _UNFOLD.sub(" ", text)
        if "\r" in unfolded:
            return None
        pieces = _PLAIN_FIELD.findall(unfolded)
    if pieces and not pieces[-1][0]:
        return None
    return list(itertools.starmap(Header, pieces))


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


def block_text(headers: Headers) -> str:
    """A parsed header block written back as text, one unfolded field per line (how a case keeps a sample)."""
    return "\n".join(f"{h.name}: {h.value}" for h in headers.fields)
