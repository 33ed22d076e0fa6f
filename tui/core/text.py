"""Turning what we are given into text: bytes to str and RFC 2047 encoded words.

Headers arrive as bytes in any state: 8-bit Latin-1 subjects, NUL bytes, encoded
words that were cut in half. Nothing here raises on bad input; what could not
be read cleanly is reported in words so the user knows how far to trust it.
"""

from __future__ import annotations

import binascii
import codecs
import functools
import re

_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# One encoded word: =?charset[*lang]?B|Q?text?=. RFC 2047 forbids "?" and
# spaces inside the text, which also keeps this regex linear.
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]*")
_BLANK = re.compile(r"[ \t\r\n]*")

def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """``data`` as text, and what was wrong with it in words.

    UTF-8 first; a line that is not valid UTF-8 is read as Windows-1252 (the
    usual 8-bit header charset, a superset of Latin-1's printable range), or
    as Latin-1 when it holds bytes Windows-1252 leaves undefined. A UTF-8 BOM
    is dropped, UTF-16 with a BOM is decoded as such, NUL bytes are removed.
    """
    problems: list[str] = []
    data = data.removeprefix(codecs.BOM_UTF8)
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            problems.append(f"the text was UTF-16 ({encoding[-2:].upper()}), read as such")
            return _without_nul(text, problems), problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_by_line(data, problems)
    return _without_nul(text, problems), problems


def _decode_by_line(data: bytes, problems: list[str]) -> str:
    lines = data.split(b"\n")
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        try:
            lines[number] = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                lines[number] = line.decode("cp1252")
                bad.append((number + 1, "Windows-1252"))
            except UnicodeDecodeError:
                lines[number] = line.decode("latin-1")
                bad.append((number + 1, "Latin-1"))
    first_line, charset = bad[0]
    if len(bad) == 1:
        problems.append(f"invalid UTF-8 at line {first_line}, read as {charset}")
    else:
        problems.append(
            f"invalid UTF-8 on {len(bad)} lines (first at line {first_line}), read as 8-bit "
            f"{'/'.join(sorted({name for _, name in bad}))}"
        )
    return "\n".join(lines)


def _without_nul(text: str, problems: list[str]) -> str:
    # "in" finds a character with memchr; counting walks the whole text.
    count = text.count("\0") if "\0" in text else 0
    if count:
        problems.append(f"{count} NUL byte{'s' if count > 1 else ''} removed")
        text = text.replace("\0", "")
    return text


def decode_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded words decoded.

    Whitespace between two adjacent encoded words is dropped, as the RFC says;
    adjacent words in the same charset are decoded together, so a character
    split across two words still comes out whole. Charsets are read as their
    supersets, as mail clients do (gb2312 as GB18030). A word that cannot be
    decoded (bad base64, unknown charset, bytes invalid in its charset) is
    left exactly as written, with the whitespace around it.
    """
    if "=?" not in value:
        return value
    out: list[str] = []
    run = _Run(value, out)
    position = 0
    previous_decoded = False
    for match in _ENCODED_WORD.finditer(value):
        gap = value[position : match.start()]
        charset, encoding, encoded = match.groups()
        codec = _codec(charset)
        raw = _word_bytes(encoding, encoded) if _is_text_charset(codec) else None
        joined = previous_decoded and raw is not None and _BLANK.fullmatch(gap) is not None
        if not joined or codec != run.charset:
            run.flush()
            if not joined:
                out.append(gap)
        if raw is None:
            out.append(match.group())
        else:
            run.add(codec, raw, match.start(), match.end())
        previous_decoded = raw is not None
        position = match.end()
    run.flush()
    out.append(value[position:])
    return "".join(out)


# Mail clients decode a declared charset as its superset, as the WHATWG Encoding
# Standard maps labels: senders write "gb2312" for GBK text, "ks_c_5601-1987" for
# Windows' Korean code page, "iso-8859-1" for Windows-1252, and "iso-8859-8-i"
# (logical order) is plain ISO-8859-8 for decoding.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949", "korean": "cp949",
    "iso-8859-8-i": "iso-8859-8", "iso-8859-8-e": "iso-8859-8", "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6", "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "iso-8859-9": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "windows-874": "cp874", "big5": "big5hkscs", "shift_jis": "cp932", "shift-jis": "cp932",
    "sjis": "cp932", "x-sjis": "cp932", "iso-2022-jp": "iso2022_jp_ext",
}  # fmt: skip


def _codec(charset: str) -> str:
    """The codec that decodes text labelled ``charset`` as mail clients do."""
    label = charset.lower()
    return _SUPERSETS.get(label, label)


class _Run:
    """Adjacent encoded words in one charset, decoded together when the run ends."""

    def __init__(self, value: str, out: list[str]) -> None:
        self.value = value
        self.out = out
        self.charset: str | None = None
        self.raw = bytearray()
        self.start = self.end = 0

    def add(self, charset: str, raw: bytes, start: int, end: int) -> None:
        if self.charset is None:
            self.charset, self.start = charset, start
        self.raw += raw
        self.end = end

    def flush(self) -> None:
        if self.charset is None:
            return
        try:
            self.out.append(bytes(self.raw).decode(self.charset))
        except (LookupError, ValueError, TypeError):
            self.out.append(self.value[self.start : self.end])
        self.charset = None
        self.raw.clear()


@functools.lru_cache(maxsize=64)
def _is_text_charset(charset: str) -> bool:
    """Whether Python knows ``charset`` as a text encoding (not "hex", "rot13", "zlib"...)."""
    try:
        b"a".decode(charset)
    except LookupError:
        return False
    except ValueError:  # a text codec that cannot decode one lone byte, such as UTF-16
        pass
    return True


def _word_bytes(encoding: str, encoded: str) -> bytes | None:
    """The bytes an encoded word's text stands for, or None when the text is not valid."""
    if not encoded.isascii():
        return None
    if encoding in "qQ":
        return binascii.a2b_qp(encoded, header=True)
    padded = encoded.rstrip("=")
    if not _BASE64_TEXT.fullmatch(padded) or len(padded) % 4 == 1:
        return None
    # Many senders drop the padding; restore it rather than reject the word.
    return binascii.a2b_base64(padded + "=" * (-len(padded) % 4))
