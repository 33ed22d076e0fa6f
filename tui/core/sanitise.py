"""The one sanitiser: header text made inert wherever it leaves the core, for a terminal, Rich markup or Markdown.

Header text is written by whoever sent the message, spammers included. Every
byte of it is data: a control character must not drive the terminal (ESC
sequences that retitle the window, write the clipboard with OSC 52 or clear
the screen), a bidi control must not make one address look like another, a
"[bold]" must not become markup, and a "[link](http://...)" must not become
a link in a Markdown report. Widgets, the reply, the reports, the written
files and the CLI all go through the functions here.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the invisible characters that reorder or break
# text: bidi embeddings, overrides, isolates and marks, and the Unicode line and
# paragraph separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(char: str) -> str:
    code = ord(char)
    if char == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": NUL -> ␀, ESC -> ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


_SPECIAL = (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029,
            *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_VISIBLE = {code: _visible(chr(code)) for code in _SPECIAL}
_VISIBLE_KEEP_NEWLINES = {**_VISIBLE, ord("\n"): "\n"}


def terminal_safe(value: str, *, multiline: bool = False) -> str:
    """``value`` with every control character made visible, so a header cannot drive the terminal.

    ESC becomes "␛" (so "\\x1b[2J" shows as "␛[2J" instead of clearing the
    screen), other C0 controls their control pictures, C1 controls and bidi
    controls "\\x9b" / "\\u202e"; a tab becomes a space. With ``multiline``
    newlines are kept (a carriage return is still shown), for a whole block.
    """
    if not _UNSAFE.search(value):
        return value
    return value.translate(_VISIBLE_KEEP_NEWLINES if multiline else _VISIBLE)


def terminal_safe_lines(text: str) -> str:
    """``terminal_safe`` for a text of several lines: the line breaks stay, "\\r\\n" included."""
    return terminal_safe(text.replace("\r\n", "\n"), multiline=True)


def pasted_text(text: str) -> str:
    """Text pasted into the app, made terminal-safe as it comes in: line breaks as terminals paste them
    ("\r" from many) stay breaks, and tabs stay tabs (a text box draws them as spaces; headers fold with them)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\t".join(terminal_safe(part, multiline=True) for part in lines.split("\t"))


def for_markup(value: str) -> str:
    """``value`` made terminal-safe and escaped for Rich / Textual markup (notifications, markup labels)."""
    # A backslash before "[" would escape the escape; double it first.
    return terminal_safe(value).replace("\\", "\\\\").replace("[", "\\[")


# Everything that can start or end Markdown formatting, a link, an image, HTML or a table cell.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def for_markdown(value: str) -> str:
    """``value`` made terminal-safe and escaped as Markdown text: shown as written, never formatted.

    Line breaks are kept out (a header value in a report is one line), so a
    value cannot start a heading, a list or a code block of its own.
    """
    return _MARKDOWN.sub(r"\\\1", terminal_safe(" ".join(value.split("\n"))))


def for_markdown_code(value: str, limit: int | None = None) -> str:
    """``value`` for an inline code span: terminal-safe, one line, backticks replaced (they would end the span)."""
    text = " ".join(terminal_safe(value).replace("`", "'").split())
    return text if limit is None else text[:limit]
