"""The report's blocks laid out as plain text, exactly as Rich lays them out for a file or a pipe.

Rich measures, wraps and pads every cell of every table through several layers
of renderables: about 10 ms a message, too slow for a report of thousands. To a
file or a pipe Rich writes no colours, so the report is plain text, and this
module computes that text directly, following Rich's own rules step by step:
word wrapping by ``rich._wrap.divide_line`` and cell widths by ``rich.cells``
(the same functions Rich calls), trailing blanks kept within the width and
dropped beyond it, table cells padded to their column, a grid's wrapping column
shrunk to what the label column leaves, long words folded in lines and cut with
"…" in grid cells. A block this module cannot lay out with certainty (text with
a line break or a tab) returns None, and Rich lays out that message instead.
Tests compare the two on the shared corpus, the fixtures and generated text.
"""

from __future__ import annotations

import io
import re

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

_TRAILING_BLANKS = re.compile(r"\s+$")
# Characters that break a Text into lines (str.splitlines) or that Rich expands (tab).
_UNSURE = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_RULE = "─"


def _cells(text: str) -> int:
    """Rich's cell width of ``text``; printable ASCII is one cell a character."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _rstrip_end(line: str, size: int) -> str:
    """Rich's Text.rstrip_end: blanks beyond ``size`` characters at the end are dropped."""
    if len(line) > size:
        blanks = _TRAILING_BLANKS.search(line)
        if blanks is not None:
            return line[: len(line) - min(len(blanks.group(0)), len(line) - size)]
    return line


_NOT_BLANK = re.compile(r"[^ ]")


def _divide_ascii(text: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line for printable ASCII, where every character is one cell.

    Rich places word after word ("blanks, characters, blanks"), breaking before a
    word whose characters would end past the width; this jumps from line to line
    with str.find instead. The first word owns the blanks before it.
    """
    breaks: list[int] = []
    end_of_text = len(text.rstrip(" "))
    lead = len(text) - len(text.lstrip(" "))
    line = 0
    while end_of_text - line > width:
        limit = line + width
        if text[limit] != " ":
            start = text.rfind(" ", max(line, lead), limit) + 1
        elif limit >= lead:
            start = _NOT_BLANK.search(text, limit).start()
        else:
            start = 0
        word = start if start > line else line
        core_end = text.find(" ", max(word, lead))
        if core_end < 0:
            core_end = len(text)
        if word > line and core_end - word <= width:
            breaks.append(word)
            line = word
            continue
        # A word longer than the width, on a line of its own.
        following = _NOT_BLANK.search(text, core_end)
        word_end = following.start() if following else len(text)
        if fold:
            for piece in range(word, word_end, width):
                if piece and (piece > line or word > line):
                    breaks.append(piece)
            line = piece
            continue
        if word > line:
            breaks.append(word)
        if following is None:
            break
        breaks.append(word_end)
        line = word_end
    return breaks


def _wrapped(text: str, width: int, fold: bool) -> list[str]:
    """Rich's Text.wrap of one line of text, before justification."""
    simple = text.isascii() and text.isprintable()
    if (len(text) if simple else cell_len(text)) <= width:
        # It fits; only characters of no width can make it longer than the width.
        return [text] if len(text) <= width else [_rstrip_end(text, width)]
    offsets = _divide_ascii(text, width, fold) if simple else divide_line(text, width, fold=fold)
    starts = [0, *offsets]
    return [_rstrip_end(text[start:end], width) for start, end in zip(starts, [*offsets, len(text)])]


def _fit(line: str, width: int, ellipsis: bool, pad: bool) -> str:
    """Rich's Text.truncate: cut to ``width`` cells (with "…" for ellipsis), then pad with spaces."""
    length = len(line) if line.isascii() and line.isprintable() else cell_len(line)
    if length > width:
        line = set_cell_size(line, width - 1) + "…" if ellipsis else set_cell_size(line, width)
    elif pad and length < width:
        line += " " * (width - length)
    return line


def text_lines(text: str, width: int) -> list[str]:
    """A Text printed at ``width``: wrapped at blanks, long words folded, no padding."""
    lines = _wrapped(text, width, True)
    if len(lines) == 1 and len(text) <= width and text.isascii():
        return lines
    return [_fit(line, width, False, False) for line in lines]


def _padded(lines: list[str], width: int) -> list[str]:
    """Console.render_lines: each line cropped or padded to exactly ``width`` cells."""
    return [_fit(line, width, False, True) for line in lines]


def _rule(title: str, width: int) -> str:
    title = title.replace("\n", " ")
    title = _fit(title, width - 2, True, False)
    line = title + " "
    line += _RULE * (width - _cells(line))
    return set_cell_size(line, width)


def _grid(gap: int, first: str, rows: list[tuple[str, str]], width: int) -> list[str] | None:
    """A Table.grid(padding=(0, gap)) of two columns, the first never wrapping, laid out at ``width``."""
    if not rows:
        return []
    left_width = min(max(min(_cells(left), width) + gap for left, _ in rows), width)
    right_width = max(max(min(_cells(right), width) for _, right in rows), 1)
    if left_width + right_width > width:
        # Rich shrinks the wrapping column by what is missing.
        right_width = width - left_width
        if right_width < 1:
            return None
    inner = left_width - gap
    under_left = " " * left_width
    out: list[str] = []
    for left, right in rows:
        if first == "number":
            cell = left.rstrip()
            cell = " " * (inner - _cells(cell)) + cell
        else:
            cell = _fit(left, inner, True, True)
        # The first column never wraps: one line, then blanks under it.
        lines = _wrapped(right, right_width, False)
        out.append(cell + " " * gap + _fit(lines[0], right_width, True, True))
        out += [under_left + _fit(line, right_width, True, True) for line in lines[1:]]
    return out


def _plain(pieces) -> str:
    return "".join([text for text, _ in pieces])


def render_blocks(blocks: list[tuple], width: int) -> str | None:
    """The blocks as the text Rich prints to a file at ``width`` columns, or None when unsure."""
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        texts = [_plain(block[1])] if kind in ("line", "rule") else (
            [_plain(block[2])] if kind == "indented" else [_plain(part) for row in block[3] for part in row]
        )
        if any(map(_UNSURE.search, texts)):
            return None
        if kind == "line":
            out += text_lines(texts[0], width)
        elif kind == "indented":
            indent = " " * block[1]
            out += [indent + line for line in _padded(text_lines(texts[0], width - block[1]), width - block[1])]
        elif kind == "rule":
            if width <= 2:
                return None
            out.append(_rule(texts[0], width))
        else:
            _, gap, first, rows, indent = block
            lines = _grid(gap, first, list(zip(texts[::2], texts[1::2])), width - indent)
            if lines is None:
                return None
            if indent:
                lines = [" " * indent + line for line in _padded(lines, width - indent)]
            out += lines
    out.append("")
    return "\n".join(out)


class PlainWriter:
    """Writes report blocks to a file as plain text, in large writes."""

    _FLUSH_AT = 64 * 1024

    def __init__(self, file, width: int) -> None:
        self.file = file
        self.width = width
        self._pending: list[str] = []
        self._size = 0

    @classmethod
    def for_console(cls, console) -> PlainWriter | None:
        """A writer for ``console``'s file when Rich would write it no colours or styles, else None."""
        if console.color_system is not None or console.is_terminal or console.record or console.width < 3:
            return None
        return cls(console.file, console.width)

    def write_blocks(self, blocks: list[tuple]) -> None:
        text = render_blocks(blocks, self.width)
        self.write_text(text if text is not None else rich_text(blocks, self.width))

    def write_text(self, text: str) -> None:
        """Text already laid out for this width."""
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self._FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.file.write("".join(self._pending))
            self._pending, self._size = [], 0
        self.file.flush()


def rich_text(blocks: list[tuple], width: int) -> str:
    """The blocks as Rich itself prints them to a file: the reference, and the fallback."""
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False,
                      highlight=False, emoji=False, legacy_windows=False)
    console.print(Group(*map(rich_renderable, blocks)))
    return console.file.getvalue()


def _text(pieces: list[tuple[str, str]]) -> Text:
    return Text.assemble(*pieces)


def rich_renderable(block: tuple):
    """A report block as a Rich renderable, for a terminal with colours."""
    kind = block[0]
    if kind == "line":
        return _text(block[1])
    if kind == "indented":
        return Padding(_text(block[2]), (0, 0, 0, block[1]))
    if kind == "rule":
        # A rule, not a Panel, heads each message: a Panel renders its whole content
        # several times over, which made the report of a big mbox crawl.
        return Rule(_text(block[1]), align="left")
    _, gap, first, rows, indent = block
    table = Table.grid(padding=(0, gap))
    if first == "number":
        table.add_column(justify="right", no_wrap=True)
    else:
        table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for left, right in rows:
        table.add_row(_text(left), _text(right))
    return Padding(table, (0, 0, 0, indent)) if indent else table
