"""The header inspector: the analysed messages, and for the selected one where it came from and what looks wrong.

Made for 80x24 over SSH with no colour: a flagged hop or finding carries a
text marker next to its colour, and every header value is data, made
terminal-safe and never read as markup. The messages and origins tables draw
only the rows on screen, so an mbox of 10,000 messages loads and filters
without a widget, or a measurement, per message.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar, Iterable, Literal

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.message import Message as TextualMessage
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from tui.core.results import Finding, Message
from tui.core.sanitise import terminal_safe
from tui.widgets.inspector.content import (
    RANK,
    HopFlag,
    finding_detail,
    finding_line,
    header_lines,
    hop_detail,
    hop_line,
    hop_notes,
    message_detail,
    origin_words,
    severity_of,
    spamcause_content,
    summary_content,
)
from tui.widgets.inspector.rows import finding_rows, hop_row, message_row, origin_row
from tui.widgets.inspector.table import MessageTable, OriginsTable, PaneTable, TableRow, VirtualTable
from tui.widgets.origins import OriginGroup, OriginKey, OriginTally, origin_key

# From this width of its own (a 120-column terminal leaves it a little less) the list and the detail sit side by side.
WIDE_AT = 110


class HeaderInspector(Widget):
    """Analysed messages, and the header evidence of the selected one.

    ``set_messages`` replaces what is shown, ``append_messages`` adds a batch
    (an mbox loading in a worker); ``MessageSelected`` is posted when the
    selected message changes, ``DetailRequested`` when enter asks for the
    whole of a message, hop or finding.
    """

    # Structure only: the list on top at 80 columns (at most eight rows, the rest to the detail), side by
    # side from WIDE_AT. The look (borders, colours) is the app's, in styles/inspector.tcss.
    DEFAULT_CSS = """
    HeaderInspector {
        layout: vertical;
        height: 1fr;
    }
    HeaderInspector.-wide {
        layout: horizontal;
    }
    #inspector-list-pane {
        height: auto;
    }
    HeaderInspector.-wide #inspector-list-pane {
        height: 1fr;
        width: 45%;
    }
    #inspector-filter {
        dock: top;
        height: 1;
    }
    #inspector-status {
        height: 1;
    }
    #inspector-switcher {
        height: auto;
    }
    HeaderInspector.-wide #inspector-switcher {
        height: 1fr;
    }
    HeaderInspector.-wide VirtualTable {
        height: 1fr;
        max-height: 100%;
    }
    #inspector-detail {
        height: 1fr;
    }
    #inspector-summary, #inspector-raw, #inspector-spamcause, .inspector-row-text {
        height: auto;
    }
    #inspector-hops, #inspector-findings, #inspector-raw-pane, #inspector-spamcause-pane {
        height: auto;
        max-height: 12;
    }
    """
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

    class DetailRequested(TextualMessage):
        """Enter on a message, hop or finding: its whole detail, for the screen to show in a dialog."""

        def __init__(self, inspector: HeaderInspector, title: Content, body: Content) -> None:
            super().__init__()
            self.inspector = inspector
            self.title = title
            self.body = body

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
        self._hop_flags: dict[int, list[HopFlag]] = {}
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
            if self._origins_visible:
                self._show_origins()
            self._show_filtered()

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
            # Under each table, while it has the focus, its highlighted row in full: cells may be clipped.
            yield PaneTable(("#", "Flag", "IP", "CC", "rDNS (HELO)", "With", "Auth", "Delay"), id="inspector-hops")
            yield Static(id="inspector-hop-text", classes="inspector-row-text")
            yield PaneTable(("Sev", "Finding", "Hop"), fit_column=1, id="inspector-findings")
            yield Static(id="inspector-finding-text", classes="inspector-row-text")
            with VerticalScroll(id="inspector-raw-pane"):
                yield Static(id="inspector-raw")
            with VerticalScroll(id="inspector-spamcause-pane"):
                yield Static(id="inspector-spamcause")

    def on_mount(self) -> None:
        self.query_one("#inspector-spamcause-pane").border_title = "OVH spam verdict"
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self._show_filtered()

    def _add(self, messages: Iterable[Message]) -> None:
        messages = list(messages)
        start = len(self._messages)
        self._messages.extend(messages)
        for position, message in enumerate(messages, start):
            row, haystack = message_row(position, message)
            self._rows.append(row)
            self._haystacks.append(haystack)
            self._origin_keys.append(origin_key(message))
        self._tally.add(messages)
        self._origins_stale = True

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

    def _show_filtered(self) -> None:
        """Show the messages the filters let through, the status line, and the keys that now apply.

        The one place that follows a change of the messages or of a filter.
        """
        self._refilter()
        self._show_status()
        self.refresh_bindings()

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
        # At once, not after the keys already waiting: typed ahead (or pasted), they belong to the filter.
        self.screen.set_focus(self._filter_input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Without a filter, escape stays free for the screen (going back, closing).
            return bool(self._query) or self._origin_filter is not None or self._filter_input.display
        return True

    def action_clear_filter(self) -> None:
        self._origins_stale = self._origins_stale or bool(self._query)
        self._query = ""
        self._origin_filter = None
        self._filter_input.value = ""
        self._filter_input.display = False
        self._show_messages_view()
        self._message_table.focus()
        self._show_filtered()

    @on(Input.Changed, "#inspector-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        query = event.value.strip().lower()
        if query != self._query:
            self._query = query
            self._origins_stale = True
            self._show_filtered()

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
        self._groups = self._origin_groups()
        cursor = next((row for row, group in enumerate(self._groups) if group.key == keep), 0)
        table.set_rows([origin_row(group) for group in self._groups], cursor)
        self._origins_stale = False

    def _origin_groups(self) -> list[OriginGroup]:
        """The origins of the messages the text filter lets through (the origin filter is what they choose)."""
        if not self._query:
            return self._tally.groups()
        tally = OriginTally()
        query, haystacks = self._query, self._haystacks
        tally.add(message for message, haystack in zip(self._messages, haystacks, strict=True) if query in haystack)
        return tally.groups()

    @on(VirtualTable.Chosen, "#inspector-origins")
    def _origin_chosen(self, event: VirtualTable.Chosen) -> None:
        event.stop()
        row = self._origins_table.cursor_row
        if row is None:
            return
        self._origin_filter = self._groups[row].key
        self._show_messages_view()
        self._show_filtered()

    # ----- status -----------------------------------------------------

    def _show_status(self) -> None:
        total = len(self._messages)
        if self._origins_visible:
            count = len(self._groups)
            parts: list[str | tuple[str, str]] = [f"{count:,} origin{'' if count == 1 else 's'} for "]
            if self._query:
                counted = sum(group.count for group in self._groups)
                parts.extend((f"{counted:,} of {total:,} messages, text ", (f'"{terminal_safe(self._query)}"', "bold"),
                              " · escape: all"))  # fmt: skip
            else:
                parts.append(f"{total:,} messages, biggest first; enter lists a group")
        elif not total:
            parts = ["No messages yet."]
        else:
            parts = [f"{len(self._shown):,} of {total:,} messages"]
            if self._query:
                parts.extend((" · text ", (f'"{terminal_safe(self._query)}"', "bold")))
            if self._origin_filter is not None:
                parts.extend((" · origin ", (origin_words(self._origin_filter), "bold")))
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
        self.post_message(self.DetailRequested(self, *message_detail(position, self._messages[position])))

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
        pane_title = "Hops, oldest first"
        self._hop_flags = hop_notes(message) if message else {}
        if message is None or not message.hops:
            table.border_title = pane_title + ": no Received headers" if message else pane_title
            table.show_rows([])
            return
        table.border_title = f"{pane_title} ({len(message.hops)})"
        style_of = table.severity_style
        rows = [hop_row(hop, self._hop_flags.get(hop.index, []), style_of) for hop in message.hops]
        table.show_rows(rows)

    def _fill_findings(self, message: Message | None) -> None:
        table = self._finding_table
        self._findings = sorted(message.findings, key=lambda f: -RANK[severity_of(f.severity)]) if message else []
        table.border_title = f"Findings ({len(self._findings)})" if self._findings else "Findings: none"
        table.show_rows(finding_rows(self._findings, table.severity_style))

    # ----- raw header pane --------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget is self._hop_table:
            self._raw_from = "hops"
        elif event.widget is self._finding_table:
            self._raw_from = "findings"
        self._show_raw()
        if event.widget in (self._hop_table, self._finding_table):
            # The table at the top of the detail, so that its row in full, under it, shows too at 24 lines;
            # once the other table's row has gone, which moves this one.
            detail = self.query_one("#inspector-detail")
            self.call_after_refresh(detail.scroll_to_widget, event.widget, top=True, animate=False)

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
        """Show the raw Received header of the hop under the cursor, or the finding's evidence; and the row in full."""
        pane = self.query_one("#inspector-raw-pane")
        raw = self.query_one("#inspector-raw", Static)
        message = self.selected_message
        self._show_row_text(message)
        if message is None:
            pane.border_title = "Raw header"
            raw.update("")
        elif self._raw_from == "findings" and self._findings:
            finding = self._findings[min(self._finding_table.cursor_row, len(self._findings) - 1)]
            pane.border_title = "Evidence of the finding"
            if finding.evidence:
                raw.update(header_lines((evidence.header, evidence.value) for evidence in finding.evidence))
            else:
                raw.update("This finding quotes no header.")
        elif not message.hops:
            pane.border_title = "Raw header"
            raw.update("No Received header in this message.")
        else:
            hop = message.hops[min(self._hop_table.cursor_row, len(message.hops) - 1)]
            pane.border_title = f"Raw header of hop {hop.index}"
            raw.update(header_lines([("Received", hop.raw)]))

    def _show_row_text(self, message: Message | None) -> None:
        """Under the focused table, its highlighted hop's flags or finding's title in full."""
        hop_text = self.query_one("#inspector-hop-text", Static)
        finding_text = self.query_one("#inspector-finding-text", Static)
        flags = None
        if message is not None and message.hops and self._hop_table.has_focus:
            hop = message.hops[min(self._hop_table.cursor_row, len(message.hops) - 1)]
            flags = self._hop_flags.get(hop.index)
        hop_text.display = bool(flags)
        hop_text.update(hop_line(flags, message.origin) if flags and message else "")
        finding = None
        if self._findings and self._finding_table.has_focus:
            finding = self._findings[min(self._finding_table.cursor_row, len(self._findings) - 1)]
        finding_text.display = finding is not None
        finding_text.update(finding_line(finding) if finding else "")

    # ----- details ----------------------------------------------------

    @on(DataTable.RowSelected, "#inspector-hops")
    def _hop_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        message = self.selected_message
        if message is None or not message.hops:
            return
        hop = message.hops[self._hop_table.cursor_row]
        flags = self._hop_flags.get(hop.index, [])
        self.post_message(self.DetailRequested(self, *hop_detail(hop, len(message.hops), flags, message.origin)))

    @on(DataTable.RowSelected, "#inspector-findings")
    def _finding_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._findings:
            self.post_message(self.DetailRequested(self, *finding_detail(self._findings[self._finding_table.cursor_row])))
