"""The inspector's tables: a virtual table that draws only the rows on screen (the messages, the origins),
and the small pane table of a message's hops and findings. Both give a row's severity its theme style.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable

from tui.core.results import SEVERITIES
from tui.widgets.inspector.content import clip


SEVERITY_COMPONENTS = frozenset({*(f"inspector--{name}" for name in SEVERITIES), "inspector--origin"})


class TableRow(NamedTuple):
    """One row of a VirtualTable: terminal-safe cells, their widths, and the severity of its marked column."""

    cells: tuple[str, ...]
    widths: tuple[int, ...]
    severity: str | None = None

    @classmethod
    def of(cls, cells: tuple[str, ...], severity: str | None = None) -> TableRow:
        # Measured once here, so that refiltering thousands of rows only compares numbers.
        return cls(cells, tuple(map(cell_len, cells)), severity)


class VirtualTable(ScrollView, can_focus=True):
    """A read-only table that draws only the rows on screen.

    DataTable measures every cell of every row on each change, seconds for an
    mbox of 10,000 messages; this table measures a row once, when it is
    added. One column (``severity_column``) takes the row's severity style.
    The last column takes the width the others leave: a longer cell there is
    clipped after a whole word, and the table scrolls sideways only when the
    other columns do not fit.
    """

    # Structure only; the look (colours, the cursor, severities) is the app's, in styles/inspector.tcss.
    DEFAULT_CSS = """
    VirtualTable {
        height: auto;
        max-height: 9;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-table--header", "virtual-table--cursor", *SEVERITY_COMPONENTS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Move", key_display="↑↓ j/k", tooltip="Next row (j) or previous row (k)"),
        Binding("up", "cursor_up", "Move", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last row", show=False),
        Binding("enter", "choose", "Detail", tooltip="Show everything about this row"),
    ]

    class Highlighted(TextualMessage):
        """The cursor is on another row (``row`` is None when the table became empty)."""

        def __init__(self, table: VirtualTable, row: int | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Chosen(TextualMessage):
        """Enter was pressed on ``row``."""

        def __init__(self, table: VirtualTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Sequence[str], *, severity_column: int | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._labels = tuple(columns)
        self._severity_column = severity_column
        self._rows: list[TableRow] = []
        self._widths = [cell_len(label) for label in self._labels]
        self._cursor = 0

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int | None:
        """The row under the cursor, None when the table is empty."""
        return self._cursor if self._rows else None

    def get_row_at(self, index: int) -> tuple[str, ...]:
        """The cells of row ``index``, as shown."""
        return self._rows[index].cells

    def set_rows(self, rows: list[TableRow], cursor: int = 0) -> None:
        """Replace every row, put the cursor on ``cursor`` and announce it."""
        self._rows = rows
        self._widths = [cell_len(label) for label in self._labels]
        self._measure(rows)
        self._cursor = max(0, min(cursor, len(rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_row))

    def add_rows(self, rows: list[TableRow]) -> None:
        """Add rows at the bottom; the cursor stays where it is."""
        if not rows:
            return
        was_empty = not self._rows
        self._rows.extend(rows)
        self._measure(rows)
        self.refresh()
        if was_empty:
            self.post_message(self.Highlighted(self, 0))

    def move_cursor(self, row: int) -> None:
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        self._scroll_to_cursor(row)
        if row != self._cursor:
            self._cursor = row
            self.refresh()
            self.post_message(self.Highlighted(self, row))

    def _measure(self, rows: list[TableRow]) -> None:
        widths = self._widths
        if rows:
            widths[:] = map(max, widths, *(row.widths for row in rows))
        least = sum(widths[:-1]) + 2 * len(widths) + cell_len(self._labels[-1])
        self.virtual_size = Size(least, len(self._rows) + 1)

    def _last_width(self) -> int:
        """The last column's width: what the other columns leave, at least its label, at most its widest cell."""
        widths = self._widths
        left = self.scrollable_content_region.width - sum(widths[:-1]) - 2 * len(widths)
        return max(cell_len(self._labels[-1]), min(widths[-1], left))

    def _scroll_to_cursor(self, row: int | None = None) -> None:
        row = self._cursor if row is None else row
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def on_resize(self, event: Resize) -> None:
        self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self.scrollable_content_region.height - 2))

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_choose(self) -> None:
        if self._rows:
            self.post_message(self.Chosen(self, self._cursor))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= 1:
            self.move_cursor(self.scroll_offset.y + offset.y - 1)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header")
            strip = self._strip(self._labels, style, None)
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, base)
            row = self._rows[index]
            style = base
            if index == self._cursor:
                style += self.get_component_rich_style("virtual-table--cursor")
            severity_style = None
            if row.severity is not None:
                severity_style = self.get_component_rich_style(f"inspector--{row.severity}", partial=True)
                if index == self._cursor:
                    severity_style += self.get_component_rich_style("virtual-table--cursor", partial=True)
            strip = self._strip(row.cells, style, severity_style)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _strip(self, cells: Sequence[str], style: Style, severity_style: Style | None) -> Strip:
        segments = []
        marked = self._severity_column
        widths = [*self._widths[:-1], self._last_width()]
        last = cells[-1]
        if cell_len(last) > widths[-1]:
            cells = (*cells[:-1], clip(last, widths[-1]))
        for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            cell_style = style + severity_style if column == marked and severity_style is not None else style
            segments.append(Segment(f" {set_cell_size(cell, width)} ", cell_style))
        return Strip(segments, sum(widths) + 2 * len(widths))


class MessageTable(VirtualTable):
    """The messages, one row per sample; enter shows the message's whole header."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Headers", tooltip="Show every header field of this message"),
    ]


class OriginsTable(VirtualTable):
    """Origin groups; enter narrows the message table to the group under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Its messages", tooltip="Show only the messages from this origin"),
    ]


class PaneTable(DataTable):
    """A small table of the detail (hops, findings): a row cursor, j/k, enter for the detail.

    Its ``fit_column`` (the findings' titles) takes the width the other columns leave, each cell
    clipped after a whole word; the table refits when its width changes.
    """

    DEFAULT_CSS = ""
    COMPONENT_CLASSES: ClassVar[set[str]] = set(SEVERITY_COMPONENTS)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Move", key_display="↑↓ j/k", tooltip="Next row (j) or previous row (k)"),
        Binding("up", "cursor_up", "Move", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("enter", "select_cursor", "Detail", tooltip="Show everything about this row"),
    ]

    def __init__(self, columns: Sequence[str], *, fit_column: int | None = None, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._labels = tuple(columns)
        self._fit_column = fit_column
        self._full_rows: list[tuple[Text, ...]] = []
        self._fitted_to = 0

    def on_mount(self) -> None:
        self.add_columns(*self._labels)

    def severity_style(self, severity: str | None) -> Style:
        """The style for a severity (None: the origin), read from the current theme."""
        name = "origin" if severity is None else severity
        return self.get_component_rich_style(f"inspector--{name}", partial=True)

    def show_rows(self, rows: list[tuple[Text, ...]]) -> None:
        """Show ``rows`` (cells of one style each) instead of what was there, the cursor on the first."""
        self._full_rows = rows
        self._fill(0)

    def _fill(self, cursor: int) -> None:
        # Columns too are cleared, so that their widths are those of these rows only.
        self.clear(columns=True)
        self.add_columns(*self._labels)
        fit, room = self._fit_column, self._room()
        for row in self._full_rows:
            if fit is not None and room is not None:
                cell = row[fit]
                row = (*row[:fit], Text(clip(cell.plain, room), style=cell.style), *row[fit + 1 :])
            self.add_row(*row)
        self.move_cursor(row=cursor)
        if fit is not None:
            self.call_after_refresh(self._refit)

    def _room(self) -> int | None:
        """The cells left to the fit column, None before the table has a width."""
        width = self.scrollable_content_region.width
        self._fitted_to = width
        if not width or self._fit_column is None:
            return None
        padding = 2 * self.cell_padding
        others = sum(
            max([cell_len(label), *(row[column].cell_len for row in self._full_rows)]) + padding
            for column, label in enumerate(self._labels)
            if column != self._fit_column
        )
        return max(cell_len(self._labels[self._fit_column]), width - others - padding)

    def _refit(self) -> None:
        # A width change, or a scrollbar that came or went, leaves another room to the fit column.
        if self._full_rows and self.scrollable_content_region.width != self._fitted_to:
            self._fill(self.cursor_row)

    def on_resize(self, event: Resize) -> None:
        if self._fit_column is not None:
            self._refit()
