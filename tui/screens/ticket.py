"""Step 2: the ticket and its header samples, read by the header inspector.

The user pastes or loads the ticket, adds more evidence (an .eml, an mbox or a
Maildir such as an export of the Sent folder) and says where they normally
send from; the findings use all of it. Big evidence is read in a worker with a
progress bar and can be cancelled.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ContentSwitcher, ProgressBar, Static

from tui.core.case import EVIDENCE_PARTS
from tui.core.clock import local_time
from tui.core.sanitise import for_markup, terminal_safe, terminal_safe_lines
from tui.messages import AnalysisProgress, AnalysisReady
from tui.screens.base import StepScreen
from tui.widgets.inspector import HeaderInspector


class TicketScreen(StepScreen):
    """The ticket's facts, the inspector, and the ways to add evidence."""

    STEP = "ticket"
    HELP = ("Step 2. Paste the ticket (v) or load it from a file (l). unblock reads the blocked address, "
            "the service and the number of suspicious messages, and the header inspector shows where each "
            "sample really came from. Add more evidence with a (an .eml, an mbox or a Maildir, for example "
            "an export of your Sent folder) and tell unblock where you normally send from with w: the "
            "findings then point out what did not come from you.")
    BINDINGS = [
        Binding("v", "paste", "Paste", id="ticket.paste", tooltip="Paste the ticket or more headers"),
        Binding("l", "load", "Load file", id="ticket.load", tooltip="Load the ticket from a file"),
        Binding("a", "add_evidence", "Add evidence", id="ticket.evidence",
                tooltip="Add an .eml, an mbox or a Maildir (e.g. your Sent folder)"),
        Binding("w", "where", "Where I send from", id="ticket.where",
                tooltip="Countries, IP addresses and mail programs you normally use"),
        Binding("t", "toggle_ticket", "Ticket text", id="ticket.text", tooltip="Show the ticket text / the inspector"),
        Binding("x", "cancel_load", "Cancel load", id="ticket.cancel", show=False,
                tooltip="Stop reading the evidence being loaded"),
        Binding("n", "next", "Next step", id="ticket.next", tooltip="Go on to the next step"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="ticket-facts", classes="panel-text")
        with Horizontal(id="ticket-progress-row", classes="hidden"):
            yield Static("Reading evidence…", id="ticket-progress-label")
            yield ProgressBar(id="ticket-progress", show_eta=False)
        with ContentSwitcher(initial="ticket-inspector", id="ticket-switcher"):
            yield HeaderInspector(id="ticket-inspector")
            with VerticalScroll(id="ticket-text"):
                yield Static(id="ticket-text-body")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#ticket-facts", Static).update(self._facts())
        self.query_one("#ticket-text-body", Static).update(self._ticket_text())
        if self.app.reading_evidence:
            self._loading_started()
        self._show_analysis()

    def show_case(self, what: str) -> None:
        if what in ("ticket", "samples", "expectations"):
            self.query_one("#ticket-facts", Static).update(self._facts())
        if what in ("ticket", "ticket_messages", "status"):
            self.query_one("#ticket-text-body", Static).update(self._ticket_text())
            self.query_one("#ticket-facts", Static).update(self._facts())
        if what in EVIDENCE_PARTS:
            self._show_analysis()

    def _show_analysis(self) -> None:
        """Show the analysed samples, or the progress of the analysis until AnalysisReady comes."""
        messages = self.app.analysed_messages()
        if messages is None:
            self._loading_started("Analysing the samples…")
        else:
            self._show_messages(messages)

    def on_analysis_progress(self, event: AnalysisProgress) -> None:
        self._progress(event.done, event.total, event.label)
        if event.batch:
            # Evidence being read: its messages can be looked at before the end.
            self.query_one(HeaderInspector).append_messages(event.batch)

    def on_header_inspector_detail_requested(self, event: HeaderInspector.DetailRequested) -> None:
        from tui.screens.dialogs import DetailScreen

        self.app.push_screen(DetailScreen(event.title, event.body))

    def on_analysis_ready(self, event: AnalysisReady) -> None:
        self._show_messages(event.messages)

    def _show_messages(self, messages) -> None:
        if not self.app.reading_evidence:
            self._loading_done()
        self.query_one(HeaderInspector).set_messages(messages)

    def _facts(self) -> Text:
        case = self.case
        text = Text()
        if not case.ticket_text:
            text.append("No ticket yet. ", style="bold")
            text.append("Press v to paste it, or l to load it from a file.")
            return text

        def fact(label: str, value, missing: str) -> None:
            text.append(f"{label}: ")
            if value:
                text.append(terminal_safe(str(value)), style="bold reverse")
            else:
                text.append(f"not found ({missing})", style="italic")
            text.append("  ")

        fact("Address", case.address, "the ticket does not name it")
        fact("Service", case.service, "check the Control Panel")
        fact("Suspicious messages", case.suspicious_count, "not stated")
        text.append(f"\nSamples: {len(case.samples)}")
        where = case.expected_countries + case.own_ips + case.own_clients
        text.append("   You send from: ")
        text.append(", ".join(where) if where else "not said yet (press w)", style="" if where else "italic")
        if case.status_reads:
            last = case.status_reads[-1]
            blocked = last.get("blocked")
            words = "still blocked" if blocked else "not blocked" if blocked is False else "status unknown"
            text.append(f"\nOVHcloud: {words} ({terminal_safe(str(last.get('state') or '-'))}), read "
                        f"{local_time(last.get('read_at'))}; F7 reads it again")
        return text

    def _ticket_text(self) -> Text:
        case = self.case
        if not case.ticket_text:
            return Text("No ticket text yet.", style="italic")
        body = Text(terminal_safe_lines(case.ticket_text))
        for value in (case.address, case.service, str(case.suspicious_count) if case.suspicious_count else None):
            if value:
                body.highlight_regex(re.escape(value), style="bold reverse")
        # The support's later messages (pulled from OVHcloud), newest last.
        for message in case.ticket_messages:
            sender = "OVHcloud support" if message.get("sender") == "support" else "You"
            body.append(f"\n\n── {sender}, {local_time(message.get('created')) or 'date unknown'} ──\n", style="bold")
            body.append(terminal_safe_lines(str(message.get("body") or "")))
        return body

    # Actions -----------------------------------------------------------------------------

    def action_toggle_ticket(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "ticket-text" if switcher.current == "ticket-inspector" else "ticket-inspector"
        if switcher.current == "ticket-text":
            self.query_one("#ticket-text").focus()
        else:
            self.query_one("#inspector-messages").focus()

    def action_back(self) -> None:
        # Escape on the ticket's text goes back to the inspector, not to the step before.
        if self.query_one(ContentSwitcher).current == "ticket-text":
            self.action_toggle_ticket()
            return
        super().action_back()

    def action_paste(self) -> None:
        from tui.screens.dialogs import PasteDialog

        def done(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self.notify("Nothing was pasted.", severity="warning")
                return
            self._take_text(text, "pasted")

        self.app.push_screen(PasteDialog(
            "Paste the ticket, or more message headers",
            "Ticket text with its headers, or header blocks copied from your mail program."), done)

    def action_load(self) -> None:
        from tui.core.files import check_readable_file
        from tui.screens.dialogs import AskDialog
        from tui.screens.files import read_then

        def done(path: str | None) -> None:
            if path:
                read_then(self, path, lambda text: self._take_text(text, path))

        self.app.push_screen(AskDialog("Ticket or headers file to load:", check=check_readable_file), done)

    def _take_text(self, text: str, source: str) -> None:
        from tui.core.sources import read_text
        from tui.core.workflow import load_ticket

        reading = read_text(text, source)
        ticket = reading[0]
        if ticket and ticket.address and self.case.address and ticket.address.lower() != self.case.address.lower():
            self.notify(f"This ticket is for {for_markup(ticket.address)}, not {for_markup(self.case.address)}: "
                        "open it as a new case from the case list.", severity="error", timeout=8)
            return
        self.notify(for_markup(load_ticket(self.case, text, source, reading)))

    def action_where(self) -> None:
        from tui.screens.dialogs import AskDialog

        case = self.case
        current = " ".join(case.expected_countries + case.own_ips + case.own_clients)

        def check(value: str) -> str | None:
            try:
                split_where(value)
            except ValueError as exc:
                return str(exc)
            return None

        def done(value: str | None) -> None:
            if value is None:
                return
            countries, ips, clients = split_where(value)
            case.set_expectations(countries=countries, ips=ips, clients=clients)
            self.notify("Saved. The findings now compare each message with this.")

        self.app.push_screen(AskDialog(
            "Where do you normally send from?",
            "Country codes (FR BE), your own IP addresses, and mail programs (Thunderbird, \"Outlook\"), "
            "separated by spaces or commas.", value=current, check=check), done)

    def action_add_evidence(self) -> None:
        from tui.core.files import check_evidence_path
        from tui.screens.dialogs import AskDialog

        if self.app.reading_evidence:
            self.notify("Evidence is already being read; press x to cancel it.", severity="warning")
            return

        def done(path: str | None) -> None:
            if path:
                self.load_evidence(path)

        self.app.push_screen(AskDialog(
            "Evidence to add (.eml, mbox, or Maildir folder):",
            "For example an export of your Sent folder: unblock shows which messages did not come from you.",
            check=check_evidence_path), done)

    def action_cancel_load(self) -> None:
        if self.app.cancel_evidence():
            self._loading_done()
            self.query_one(HeaderInspector).set_messages(self.app.analysed_messages() or [])
            self.notify("Stopped reading the evidence; nothing from it was added.", severity="warning")

    def _loading_started(self, label: str = "Reading evidence… (x cancels)") -> None:
        self.query_one("#ticket-progress-label", Static).update(label)
        self.query_one("#ticket-progress-row").remove_class("hidden")
        self.query_one(ProgressBar).update(total=None, progress=0)

    def _loading_done(self) -> None:
        self.query_one("#ticket-progress-row").add_class("hidden")

    def _progress(self, count: int, total: int | None = None, label: str = "Reading evidence…") -> None:
        suffix = "" if label.startswith("Analysing") else " (x cancels)"
        self.query_one("#ticket-progress-label", Static).update(f"{label} {count:,} messages{suffix}")
        self.query_one(ProgressBar).update(progress=count, total=total)

    def load_evidence(self, path: str) -> None:
        """Read ``path`` as evidence (the App reads it in a worker; progress and batches come as messages)."""
        self._loading_started()
        self.app.read_evidence(path)


_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def split_where(value: str) -> tuple[list[str], list[str], list[str]]:
    """Split the user's "where I send from" line into countries, IPs and mail programs."""
    import ipaddress
    import shlex

    try:
        words = shlex.split(value.replace(",", " "))
    except ValueError:
        raise ValueError("An opening quote has no closing quote.") from None
    countries, ips, clients = [], [], []
    for word in words:
        if _COUNTRY.match(word):
            countries.append(word.upper())
            continue
        try:
            ips.append(str(ipaddress.ip_address(word)))
            continue
        except ValueError:
            pass
        if any(ch.isdigit() for ch in word) and all(ch.isdigit() or ch in ".:" for ch in word):
            raise ValueError(f"{word} looks like an IP address but is not a valid one.")
        clients.append(word)
    return countries, ips, clients
