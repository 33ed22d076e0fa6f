"""The header inspector: the analysed messages, and for the selected one where it came from and what looks wrong.

Made for 80x24 over SSH with no colour: a flagged hop or finding carries a
text marker next to its colour, and every header value is data, made
terminal-safe and never read as markup. The messages and origins tables draw
only the rows on screen, so an mbox of 10,000 messages loads and filters
without a widget, or a measurement, per message.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timezone
from typing import ClassVar, Iterable, Literal, NamedTuple, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click, DescendantFocus, Resize
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Static

from tui.core.model import SEVERITIES, Finding, Hop, Message
from tui.core.sanitise import terminal_safe
from tui.widgets.origins import OriginGroup, OriginKey, OriginTally, origin_key

SEVERITY_WORDS = {"critical": "CRIT", "warning": "WARN", "notice": "NOTE", "info": "INFO"}
# Markers that say "look here" without colour; the findings list spells the severity out.
SEVERITY_MARKS = {"critical": "!!", "warning": "!", "notice": "*", "info": "i"}
ORIGIN_MARK = "◀"
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
SEVERITY_COMPONENTS = frozenset({*(f"inspector--{name}" for name in SEVERITIES), "inspector--origin"})

# At this width the message list and the detail sit side by side.
WIDE_AT = 120
# A header date in full, in the sender's own offset: the offset itself is evidence.
DATE_FORMAT = "%a %d %b %Y %H:%M:%S %z"


def _severity(name: str) -> str:
    """A finding's severity as one of SEVERITIES; an unknown word counts as info."""
    return name if name in _RANK else "info"


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((_severity(f.severity) for f in findings), key=_RANK.__getitem__, default=None)


def _safe(value: str | None) -> str:
    return terminal_safe(value) if value else ""


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_delay(seconds: float | None) -> str:
    """A hop delay in a few characters: "4s", "2m05s", "3h10m", "2d04h", negative kept."""
    if seconds is None:
        return ""
    whole = round(abs(seconds))
    if whole < 60:
        body = f"{whole}s"
    elif whole < 3600:
        body = f"{whole // 60}m{whole % 60:02d}s"
    elif whole < 86400:
        body = f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    else:
        body = f"{whole // 86400}d{whole % 86400 // 3600:02d}h"
    return "-" + body if seconds < 0 and whole else body


def _utc_minute(when: datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    # Formatted by hand: strftime is the slowest part of listing thousands of origins.
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"


def _message_date(message: Message) -> str:
    if message.date is not None:
        return message.date.strftime(DATE_FORMAT).strip()
    written = message.headers.get("Date")
    return f"{_safe(written)} (could not be read)" if written else "not given"


def hop_notes(message: Message) -> dict[int, list[tuple[str | None, str]]]:
    """What to flag on each hop, by hop index: (severity, reason); severity None marks the origin."""
    notes: dict[int, list[tuple[str | None, str]]] = {}
    origin = message.origin
    if origin.hop_index is not None:
        hop_ip = next((hop.from_ip for hop in message.hops if hop.index == origin.hop_index), None)
        # The origin hop may be where a webmail or proxy handed the client's mail on:
        # then say whose mail it was, since the row's own IP is not the origin.
        reason = "origin" if origin.ip is None or origin.ip == hop_ip else f"origin {_safe(origin.ip)}"
        notes.setdefault(origin.hop_index, []).append((None, reason))
    for finding in message.findings:
        if finding.hop_index is not None:
            notes.setdefault(finding.hop_index, []).append((_severity(finding.severity), _safe(finding.title)))
    for hop in message.hops:
        if hop.delay_s is not None and hop.delay_s < 0:
            reason = f"dated {format_delay(-hop.delay_s)} before the previous hop"
            notes.setdefault(hop.index, []).append(("warning", reason))
        if hop.may_be_forged:
            notes.setdefault(hop.index, []).append(("notice", "may be forged"))
    return notes


def _note_text(notes: list[tuple[str | None, str]]) -> str:
    """The flags of one hop, the most serious first, so that a clipped cell still shows it."""
    ordered = sorted(notes, key=lambda note: _RANK.get(note[0], -1), reverse=True)
    return "; ".join(
        f"{ORIGIN_MARK if severity is None else SEVERITY_MARKS[severity]} {reason}" for severity, reason in ordered
    )


def _origin_words(key: OriginKey) -> str:
    ip, country, client = key
    words = [_safe(ip) or "unknown IP"]
    if country:
        words.append(f"({_safe(country)})")
    if client:
        words.append(_clip(_safe(client), 30))
    return " ".join(words)


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
    """

    DEFAULT_CSS = ""
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
        self.virtual_size = Size(sum(widths) + 2 * len(widths), len(self._rows) + 1)

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
        for column, (cell, width) in enumerate(zip(cells, self._widths, strict=True)):
            cell_style = style + severity_style if column == marked and severity_style is not None else style
            segments.append(Segment(f" {set_cell_size(cell, width)} ", cell_style))
        return Strip(segments, sum(self._widths) + 2 * len(self._widths))


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
    """A small table of the detail (hops, findings): a row cursor, j/k, enter for the detail."""

    DEFAULT_CSS = ""
    COMPONENT_CLASSES: ClassVar[set[str]] = set(SEVERITY_COMPONENTS)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Move", key_display="↑↓ j/k", tooltip="Next row (j) or previous row (k)"),
        Binding("up", "cursor_up", "Move", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("enter", "select_cursor", "Detail", tooltip="Show everything about this row"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)

    def severity_style(self, severity: str | None) -> Style:
        """The style for a severity (None: the origin), read from the current theme."""
        name = "origin" if severity is None else severity
        return self.get_component_rich_style(f"inspector--{name}", partial=True)


class DetailScreen(ModalScreen[None]):
    """Everything about one message, hop or finding, scrollable; escape closes it."""

    DEFAULT_CSS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back to the inspector"),
    ]

    def __init__(self, title: Content, body: Content) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-dialog"):
            yield Static(self._title, id="detail-title")
            with VerticalScroll(id="detail-scroll"):
                yield Static(self._body, id="detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _lines(pairs: Iterable[tuple[str, str]], label_width: int) -> Content:
    """``label  value`` lines with bold labels; values are shown exactly as given."""
    parts: list[str | tuple[str, str]] = []
    for label, value in pairs:
        if parts:
            parts.append("\n")
        parts.extend(((label.ljust(label_width), "bold"), " ", value))
    return Content.assemble(*parts)


def _header_lines(fields: Iterable[tuple[str, str]]) -> Content:
    """Header fields as "Name: value", the value kept whole (newlines included)."""
    parts: list[str | tuple[str, str]] = []
    for name, value in fields:
        if parts:
            parts.append("\n")
        parts.extend(((f"{terminal_safe(name)}:", "bold"), " ", terminal_safe(value, multiline=True)))
    return Content.assemble(*parts)


def summary_content(message: Message) -> Content:
    """From, To, Subject, Date, who logged in, where it came from and with what."""
    origin = message.origin
    where = _safe(origin.ip) or "unknown"
    if origin.country:
        where += f" ({_safe(origin.country)})"
    if origin.source_header:
        where += f", read from {_safe(origin.source_header)}"
    return _lines(
        (
            ("From", _safe(message.from_) or "not given"),
            ("To", ", ".join(map(_safe, message.to)) or "not given"),
            ("Subject", _safe(message.subject) or "not given"),
            ("Date", _message_date(message)),
            ("Auth as", _safe(origin.authenticated_as) or "not recorded in these headers"),
            ("Origin", where),
            ("Client", _safe(origin.client) or "not recorded"),
        ),
        label_width=8,
    )


def spamcause_content(message: Message) -> Content:
    """OVH's spam verdict: SPAMSTATE, SCORE, tracer, and the decoded SPAMCAUSE or why it cannot be."""
    pairs = [
        (label, _safe(value))
        for label, value in (
            ("SPAMSTATE", message.spamstate),
            ("SPAMSCORE", message.spamscore),
            ("Tracer", message.tracer_id),
        )
        if value
    ]
    cause = message.spamcause
    if cause is None:
        pairs.append(("SPAMCAUSE", "no X-VR-SPAMCAUSE header"))
    elif cause.encrypted:
        reason = f": {_safe(cause.problem)}" if cause.problem else ""
        pairs.append(("SPAMCAUSE", f"encrypted (the newer format), it cannot be decoded{reason}"))
    elif cause.decoded is None:
        pairs.append(("SPAMCAUSE", f"cannot be decoded: {_safe(cause.problem) or 'unknown format'}"))
    else:
        if cause.problem:
            pairs.append(("Problem", _safe(cause.problem)))
        rules = ", ".join(
            _safe(name) if score is None else f"{_safe(name)} ({score})" for name, score in cause.rules
        )
        pairs.append(("Rules hit", rules or "none"))
        for name in ("From", "Ip"):
            if name in cause.fields:
                pairs.append((name, _safe(cause.fields[name])))
        for number, (name, value) in enumerate(cause.params.items()):
            pairs.append(("" if number else "Param", f"{_safe(name)}={_safe(value)}"))
    return _lines(pairs, label_width=9)


def message_detail(position: int, message: Message) -> tuple[Content, Content]:
    """The title and body of the modal showing a message's whole header."""
    title = Content.assemble((f"Message {position + 1}", "bold"), f", {len(message.headers)} header fields")
    body = _header_lines((field.name, field.value) for field in message.headers)
    if message.problems:
        problems = "\n".join(f"- {terminal_safe(problem)}" for problem in message.problems)
        body = Content.assemble(body, "\n\n", ("Problems reading it", "bold"), "\n", problems)
    return title, body


def hop_detail(hop: Hop, count: int, notes: list[tuple[str | None, str]]) -> tuple[Content, Content]:
    """The title and body of the modal showing one hop, parsed and raw."""
    pairs = [
        (label, _safe(value))
        for label, value in (
            ("From IP", hop.from_ip),
            ("rDNS", hop.from_rdns),
            ("HELO", hop.from_helo),
            ("Ident", hop.ident),
            ("By", hop.by),
            ("Via", hop.via),
            ("With", hop.with_),
            ("Id", hop.id),
            ("For", hop.for_),
            ("Env from", hop.envelope_from),
            ("TLS", hop.tls),
            ("Auth", hop.auth),
            ("Software", hop.mta),
            ("Country", hop.country),
        )
        if value
    ]
    if hop.date is not None:
        pairs.append(("Date", hop.date.strftime(DATE_FORMAT).strip()))
    if hop.delay_s is not None:
        pairs.append(("Delay", format_delay(hop.delay_s)))
    if not hop.relay:
        pairs.append(("Relay", "no: not a transfer between servers"))
    if notes:
        pairs.append(("Flags", _note_text(notes)))
    body = _lines(pairs, label_width=9) if pairs else Content("Nothing could be read from this line.")
    raw = _header_lines([("Received", hop.raw)])
    return (
        Content.assemble((f"Hop {hop.index} of {count}", "bold"), ", counted from the oldest"),
        Content.assemble(body, "\n\n", raw),
    )


def finding_detail(finding: Finding) -> tuple[Content, Content]:
    """The title and body of the modal showing a finding with its evidence."""
    severity = _severity(finding.severity)
    title = Content.assemble((SEVERITY_WORDS[severity], "bold"), " ", _safe(finding.title))
    parts: list[str | tuple[str, str] | Content] = [terminal_safe(finding.detail, multiline=True)]
    if finding.question is not None:
        parts.append(f"\n\nEvidence for the ticket's question {finding.question}.")
    if finding.hop_index is not None:
        parts.append(f"\nAbout hop {finding.hop_index}.")
    parts.extend(("\n\n", ("Evidence", "bold"), "\n"))
    if finding.evidence:
        parts.append(_header_lines((evidence.header, evidence.value) for evidence in finding.evidence))
    else:
        parts.append("no header quoted")
    return title, Content.assemble(*parts)


class HeaderInspector(Widget):
    """Analysed messages, and the header evidence of the selected one.

    ``set_messages`` replaces what is shown, ``append_messages`` adds a batch
    (an mbox loading in a worker); ``MessageSelected`` is posted when the
    selected message changes.
    """

    DEFAULT_CSS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="inspector.filter",
                tooltip="Show only the messages whose row contains some text"),
        Binding("o", "toggle_origins", "Origins", id="inspector.origins",
                tooltip="Group the messages by origin IP, country and client"),
        Binding("escape", "clear_filter", "Clear filter", id="inspector.clear_filter",
                tooltip="Show every message again"),
        Binding("tab", "app.focus_next", "Pane", id="inspector.next_pane",
                tooltip="Move to the next pane (shift+tab: previous)"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    ]  # fmt: skip

    class MessageSelected(TextualMessage):
        """Another message is selected (None when there is none left to select)."""

        def __init__(self, inspector: HeaderInspector, message: Message | None) -> None:
            super().__init__()
            self.inspector = inspector
            self.message = message

        @property
        def control(self) -> HeaderInspector:
            return self.inspector

    def __init__(self, messages: Iterable[Message] = (), *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._messages: list[Message] = []
        self._rows: list[TableRow] = []
        self._haystacks: list[str] = []
        self._origin_keys: list[OriginKey] = []
        self._tally = OriginTally()
        self._groups: list[OriginGroup] = []
        self._origins_stale = True
        self._shown: list[int] = []
        self._query = ""
        self._origin_filter: OriginKey | None = None
        # The selected message, and where it is in _messages (None once that list is replaced).
        self._selected: Message | None = None
        self._selected_position: int | None = None
        self._findings: list[Finding] = []
        self._raw_from: Literal["hops", "findings"] = "hops"
        self._add(messages)

    # ----- public API -------------------------------------------------

    @property
    def selected_message(self) -> Message | None:
        return self._selected

    def set_messages(self, messages: list[Message]) -> None:
        """Show ``messages`` instead of what was there; a text filter stays, an origin filter goes."""
        self._messages = []
        self._rows = []
        self._haystacks = []
        self._origin_keys = []
        self._tally.clear()
        self._origin_filter = None
        self._selected_position = None
        self._add(messages)
        if self.is_mounted:
            self._refilter()
            if self._origins_visible:
                self._show_origins()
            self._show_status()

    def append_messages(self, batch: list[Message]) -> None:
        """Add a batch of messages at the end, keeping the selection and the filters."""
        start = len(self._messages)
        self._add(batch)
        if not self.is_mounted:
            return
        new = [position for position in range(start, len(self._messages)) if self._matches(position)]
        self._shown.extend(new)
        self._message_table.add_rows([self._rows[position] for position in new])
        if self._origins_visible:
            self._show_origins()
        self._show_status()

    # ----- building ---------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="inspector-list-pane"):
            yield Static(id="inspector-status")
            with ContentSwitcher(initial="inspector-messages", id="inspector-switcher"):
                yield MessageTable(("#", "Worst", "Origin IP", "CC", "Auth as / From"), severity_column=1,
                                   id="inspector-messages")  # fmt: skip
                yield OriginsTable(("Count", "Origin IP", "CC", "First (UTC)", "Last (UTC)", "Client"),
                                   id="inspector-origins")  # fmt: skip
            # After the tables, so that a screen's auto-focus picks the messages, not
            # the hidden filter (docked on top by the TCSS).
            filter_input = Input(placeholder="text in any column; escape clears", id="inspector-filter")
            filter_input.cursor_blink = False
            filter_input.display = False
            yield filter_input
        with VerticalScroll(id="inspector-detail", can_focus=False):
            yield Static(id="inspector-summary")
            yield PaneTable(id="inspector-hops")
            yield PaneTable(id="inspector-findings")
            with VerticalScroll(id="inspector-raw-pane"):
                yield Static(id="inspector-raw")
            with VerticalScroll(id="inspector-spamcause-pane"):
                yield Static(id="inspector-spamcause")

    def on_mount(self) -> None:
        self.query_one("#inspector-spamcause-pane").border_title = "OVH spam verdict"
        hops = self._hop_table
        hops.add_columns("#", "Flag", "IP", "CC", "rDNS (HELO)", "With", "Auth", "Delay")
        findings = self._finding_table
        findings.add_columns("Sev", "Finding", "Hop")
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self._refilter()
        self._show_status()

    def _add(self, messages: Iterable[Message]) -> None:
        messages = list(messages)
        start = len(self._messages)
        self._messages.extend(messages)
        for position, message in enumerate(messages, start):
            row, haystack = self._message_row(position, message)
            self._rows.append(row)
            self._haystacks.append(haystack)
            self._origin_keys.append(origin_key(message))
        self._tally.add(messages)
        self._origins_stale = True

    @staticmethod
    def _message_row(position: int, message: Message) -> tuple[TableRow, str]:
        origin = message.origin
        worst = worst_severity(message.findings)
        if origin.authenticated_as:
            sender = _safe(origin.authenticated_as)
        elif message.from_:
            sender = f"From {_safe(message.from_)}"
        else:
            sender = "-"
        cells = (
            str(position + 1),
            SEVERITY_WORDS[worst] if worst else "-",
            _safe(origin.ip) or "?",
            _safe(origin.country) or "--",
            sender,
        )
        haystack = "\n".join(cells).lower()
        return TableRow.of((*cells[:4], _clip(sender, 48)), worst), haystack

    # ----- widgets ----------------------------------------------------

    _filter_input = getters.query_one("#inspector-filter", Input)
    _message_table = getters.query_one("#inspector-messages", MessageTable)
    _origins_table = getters.query_one("#inspector-origins", OriginsTable)
    _hop_table = getters.query_one("#inspector-hops", PaneTable)
    _finding_table = getters.query_one("#inspector-findings", PaneTable)
    _switcher = getters.query_one("#inspector-switcher", ContentSwitcher)

    @property
    def _origins_visible(self) -> bool:
        return self._switcher.current == "inspector-origins"

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE_AT, "-wide")

    # ----- filtering --------------------------------------------------

    def _matches(self, position: int) -> bool:
        if self._origin_filter is not None and self._origin_keys[position] != self._origin_filter:
            return False
        return not self._query or self._query in self._haystacks[position]

    def _refilter(self) -> None:
        self._shown = [position for position in range(len(self._messages)) if self._matches(position)]
        cursor = 0
        if self._selected_position is not None:
            at = bisect_left(self._shown, self._selected_position)
            cursor = at if at < len(self._shown) and self._shown[at] == self._selected_position else 0
        self._message_table.set_rows([self._rows[position] for position in self._shown], cursor)

    def action_filter(self) -> None:
        if self._origins_visible:
            self._show_messages_view()
        self._filter_input.display = True
        self._filter_input.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Without a filter, escape stays free for the screen (going back, closing).
            return bool(self._query) or self._origin_filter is not None or self._filter_input.display
        return True

    def action_clear_filter(self) -> None:
        self._query = ""
        self._origin_filter = None
        self._filter_input.value = ""
        self._filter_input.display = False
        self._show_messages_view()
        self._message_table.focus()
        self._refilter()
        self._show_status()
        self.refresh_bindings()

    @on(Input.Changed, "#inspector-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        query = event.value.strip().lower()
        if query != self._query:
            self._query = query
            self._refilter()
            self._show_status()
            self.refresh_bindings()

    @on(Input.Submitted, "#inspector-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._filter_input.display = False
        self._message_table.focus()

    # ----- origins ----------------------------------------------------

    def action_toggle_origins(self) -> None:
        if self._origins_visible:
            self._show_messages_view()
        else:
            self._switcher.current = "inspector-origins"
            self._show_origins()
            self._origins_table.focus()
        self._show_status()

    def _show_messages_view(self) -> None:
        if self._origins_visible:
            self._switcher.current = "inspector-messages"
            self._message_table.focus()

    def _show_origins(self) -> None:
        if not self._origins_stale:
            return
        table = self._origins_table
        current = table.cursor_row
        keep = self._groups[current].key if current is not None and current < len(self._groups) else None
        self._groups = self._tally.groups()
        cursor = next((row for row, group in enumerate(self._groups) if group.key == keep), 0)
        table.set_rows(
            [
                TableRow.of((
                    str(group.count),
                    _safe(group.ip) or "?",
                    _safe(group.country) or "--",
                    _utc_minute(group.first) or "-",
                    _utc_minute(group.last) or "-",
                    _clip(_safe(group.client), 30) or "-",
                ))
                for group in self._groups
            ],
            cursor,
        )  # fmt: skip
        self._origins_stale = False

    @on(VirtualTable.Chosen, "#inspector-origins")
    def _origin_chosen(self, event: VirtualTable.Chosen) -> None:
        event.stop()
        row = self._origins_table.cursor_row
        if row is None:
            return
        self._origin_filter = self._groups[row].key
        self._show_messages_view()
        self._refilter()
        self._show_status()
        self.refresh_bindings()

    # ----- status -----------------------------------------------------

    def _show_status(self) -> None:
        total = len(self._messages)
        if self._origins_visible:
            parts: list[str | tuple[str, str]] = [
                f"{len(self._groups):,} origins for {total:,} messages, biggest first; enter lists a group"
            ]
        elif not total:
            parts = ["No messages yet."]
        else:
            parts = [f"{len(self._shown):,} of {total:,} messages"]
            if self._query:
                parts.extend((" · text ", (f'"{terminal_safe(self._query)}"', "bold")))
            if self._origin_filter is not None:
                parts.extend((" · origin ", (_origin_words(self._origin_filter), "bold")))
            if self._query or self._origin_filter is not None:
                parts.append(" · escape: all")
        self.query_one("#inspector-status", Static).update(Content.assemble(*parts))

    # ----- the selected message ---------------------------------------

    @on(VirtualTable.Highlighted, "#inspector-messages")
    def _message_highlighted(self, event: VirtualTable.Highlighted) -> None:
        event.stop()
        # The event may be older than the latest refilter: trust the table, not the event.
        row = self._message_table.cursor_row
        self._selected_position = None if row is None else self._shown[row]
        selected = None if row is None else self._messages[self._selected_position]
        if selected is self._selected:
            self._title_summary()
            return
        self._selected = selected
        self._show_message()
        self.post_message(self.MessageSelected(self, self.selected_message))

    @on(VirtualTable.Chosen, "#inspector-messages")
    def _message_chosen(self, event: VirtualTable.Chosen) -> None:
        event.stop()
        position = self._selected_position
        if position is None:
            return
        self.app.push_screen(DetailScreen(*message_detail(position, self._messages[position])))

    def _on_theme_changed(self, theme: Theme) -> None:
        # Hop and finding cells hold styles resolved from the theme when they were built.
        hop_row, finding_row = self._hop_table.cursor_row, self._finding_table.cursor_row
        self._show_message()
        self._hop_table.move_cursor(row=hop_row)
        self._finding_table.move_cursor(row=finding_row)

    def _show_message(self) -> None:
        message = self.selected_message
        self._title_summary()
        summary = summary_content(message) if message else "No message selected."
        self.query_one("#inspector-summary", Static).update(summary)
        self.query_one("#inspector-spamcause", Static).update(spamcause_content(message) if message else "")
        self._fill_hops(message)
        self._fill_findings(message)
        self._show_raw()

    def _title_summary(self) -> None:
        position = self._selected_position
        title = "Message" if position is None else f"Message {position + 1} of {len(self._messages)}"
        self.query_one("#inspector-summary", Static).border_title = title

    def _fill_hops(self, message: Message | None) -> None:
        table = self._hop_table
        table.clear()
        pane_title = "Hops, oldest first"
        if message is None or not message.hops:
            table.border_title = pane_title + ": no Received headers" if message else pane_title
            return
        table.border_title = f"{pane_title} ({len(message.hops)})"
        notes = hop_notes(message)
        for hop in message.hops:
            flags = notes.get(hop.index, [])
            severities = [severity for severity, _ in flags if severity is not None]
            if severities:
                row_style = table.severity_style(max(severities, key=_RANK.__getitem__))
            elif flags:
                row_style = table.severity_style(None)
            else:
                row_style = Style()
            delay = format_delay(hop.delay_s)
            delay_style = row_style
            if hop.delay_s is not None and hop.delay_s < 0:
                delay += " !"
                delay_style = row_style + table.severity_style("warning")
            ip = _safe(hop.from_ip) or ("local" if not hop.relay else "?")
            table.add_row(
                Text(str(hop.index), style=row_style),
                Text(_clip(_note_text(flags), 32), style=row_style),
                Text(ip, style=row_style),
                Text(_safe(hop.country) or "--", style=row_style),
                Text(_clip(self._hop_name(hop), 32), style=row_style),
                Text(_safe(hop.with_), style=row_style),
                Text(_clip(_safe(hop.auth), 24), style=row_style),
                Text(delay, style=delay_style),
            )

    @staticmethod
    def _hop_name(hop: Hop) -> str:
        rdns, helo = _safe(hop.from_rdns), _safe(hop.from_helo)
        if rdns and helo and rdns.lower() != helo.lower():
            return f"{rdns} ({helo})"
        return rdns or (f"({helo})" if helo else "")

    def _fill_findings(self, message: Message | None) -> None:
        table = self._finding_table
        table.clear()
        self._findings = sorted(message.findings, key=lambda f: -_RANK[_severity(f.severity)]) if message else []
        table.border_title = f"Findings ({len(self._findings)})" if self._findings else "Findings: none"
        for finding in self._findings:
            severity = _severity(finding.severity)
            table.add_row(
                Text(SEVERITY_WORDS[severity], style=table.severity_style(severity)),
                Text(_safe(finding.title)),
                Text("" if finding.hop_index is None else str(finding.hop_index)),
            )

    # ----- raw header pane --------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget is self._hop_table:
            self._raw_from = "hops"
            self._show_raw()
        elif event.widget is self._finding_table:
            self._raw_from = "findings"
            self._show_raw()

    @on(DataTable.RowHighlighted, "#inspector-hops")
    def _hop_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self._raw_from == "hops":
            self._show_raw()

    @on(DataTable.RowHighlighted, "#inspector-findings")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self._raw_from == "findings":
            self._show_raw()

    def _show_raw(self) -> None:
        """Show the raw Received header of the hop under the cursor, or the evidence of the finding."""
        pane = self.query_one("#inspector-raw-pane")
        raw = self.query_one("#inspector-raw", Static)
        message = self.selected_message
        if message is None:
            pane.border_title = "Raw header"
            raw.update("")
            return
        if self._raw_from == "findings" and self._findings:
            finding = self._findings[min(self._finding_table.cursor_row, len(self._findings) - 1)]
            pane.border_title = "Evidence of the finding"
            if finding.evidence:
                raw.update(_header_lines((evidence.header, evidence.value) for evidence in finding.evidence))
            else:
                raw.update("This finding quotes no header.")
            return
        if not message.hops:
            pane.border_title = "Raw header"
            raw.update("No Received header in this message.")
            return
        hop = message.hops[min(self._hop_table.cursor_row, len(message.hops) - 1)]
        pane.border_title = f"Raw header of hop {hop.index}"
        raw.update(_header_lines([("Received", hop.raw)]))

    # ----- details ----------------------------------------------------

    @on(DataTable.RowSelected, "#inspector-hops")
    def _hop_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        message = self.selected_message
        if message is None or not message.hops:
            return
        hop = message.hops[self._hop_table.cursor_row]
        notes = hop_notes(message).get(hop.index, [])
        self.app.push_screen(DetailScreen(*hop_detail(hop, len(message.hops), notes)))

    @on(DataTable.RowSelected, "#inspector-findings")
    def _finding_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._findings:
            self.app.push_screen(DetailScreen(*finding_detail(self._findings[self._finding_table.cursor_row])))
