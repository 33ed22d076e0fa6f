"""The case list: start a new case, resume one, or delete one. One case per blocked address.

Connected to OVHcloud, it also lists the accounts blocked for spam there:
enter on one opens its case with the ticket pulled in and the product known.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.core.clock import local_time
from tui.core.products import PRODUCT_IDS, get_product
from tui.core.sanitise import for_markup, terminal_safe
from tui.messages import AccountsRead
from tui.widgets.keyfooter import KeyFooter

class CasesScreen(Screen):
    """Every saved case, newest first."""

    HELP = ("Each case is one blocked address. Start a new case by pasting the ticket or loading "
            "it from a file; resume a case to pick up where you left off. Everything is saved as you go.")
    BINDINGS = [
        Binding("enter", "resume", "Resume", id="cases.resume", tooltip="Open the selected case where you left it"),
        Binding("n", "new_case", "New (paste)", id="cases.new", tooltip="Start a new case: paste the ticket text"),
        Binding("l", "load_ticket", "New (file)", id="cases.load", tooltip="Start a new case from a ticket file"),
        Binding("m", "demo", "Demo", id="cases.demo", tooltip="Open the demo case"),
        Binding("d", "delete", "Delete", id="cases.delete", tooltip="Delete the selected case (asks first)"),
        Binding("c", "connect", "Connect", id="cases.connect",
                tooltip="Connect unblock to your OVHcloud account, to list the blocked accounts and act on them"),
        Binding("r", "refresh_accounts", "Re-read accounts", id="cases.accounts",
                tooltip="Read the accounts blocked for spam at OVHcloud again"),
        Binding("q", "app.quit", "Quit", id="cases.quit", tooltip="Quit; everything is already saved"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="step-body"):
            yield Static(Text.assemble(("unblock", "bold"), "  your cases (one per blocked address)"),
                         classes="screen-title")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="cases-table")
            yield Static("", id="cases-empty", classes="hint")
            yield Static("", id="accounts-title", classes="hint")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="accounts-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        table.add_columns("Address", "Product", "Step", "Samples", "Last change")
        accounts = self.query_one("#accounts-table", DataTable)
        # The ticket number before the service: at 80 columns it is the last column shown whole.
        accounts.add_columns("Blocked at OVHcloud", "Product", "Ticket", "Service")
        accounts.display = False
        self.refresh_cases()
        if self.app.ovh_accounts is not None:
            self._show_accounts(self.app.ovh_accounts)
        self._focus_a_list()

    def _focus_a_list(self) -> None:
        """The cases when there are some, else the blocked accounts: ↑↓ and enter work at once."""
        cases = self.query_one("#cases-table", DataTable)
        accounts = self.query_one("#accounts-table", DataTable)
        if cases.display:
            cases.focus()
        elif accounts.display:
            accounts.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "connect":
            return self.app.ovh_connection is None
        if action == "refresh_accounts":
            return self.app.ovh_connection is not None
        return True

    def on_accounts_read(self, event: AccountsRead) -> None:
        self._show_accounts(event.accounts)
        self.refresh_bindings()

    def _show_accounts(self, accounts) -> None:
        table = self.query_one("#accounts-table", DataTable)
        table.clear()
        self._accounts = list(accounts.blocked())
        for number, account in enumerate(self._accounts):
            table.add_row(Text(terminal_safe(account.email)), get_product(account.product).short_label,
                          str(account.ticket_number or "none"), Text(terminal_safe(account.service)), key=str(number))
        title = self.query_one("#accounts-title", Static)
        state = terminal_safe(self.app.ovh_state)
        if self._accounts:
            title.update(f"Accounts blocked for spam at OVHcloud, {state}. Enter opens one's case.")
        else:
            title.update(f"No account is blocked for spam at OVHcloud, {state}.")
        table.display = bool(self._accounts)
        if self.focused is None or not self.focused.display:
            self._focus_a_list()

    def on_screen_resume(self) -> None:
        self.refresh_cases()

    def refresh_cases(self) -> None:
        table = self.query_one("#cases-table", DataTable)
        table.clear()
        cases = self.app.store.list_cases()
        for summary in cases:
            table.add_row(
                Text(terminal_safe(summary.title)),
                get_product(summary.product).short_label if summary.product in PRODUCT_IDS else "-",
                summary.screen or "-",
                str(summary.sample_count),
                local_time(summary.updated_at) or "-",
                key=summary.id,
            )
        # An empty table would only show its column names, and take the keys meant for the accounts.
        table.display = bool(cases)
        empty = self.query_one("#cases-empty", Static)
        empty.update(
            "" if cases else
            "No case yet. Press n and paste the text of the ticket \"Account locked for spam\", "
            "l to load it from a file, or m to try the demo."
        )
        if self.focused is None or not self.focused.display:
            self._focus_a_list()

    def _selected_id(self) -> str | None:
        table = self.query_one("#cases-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "accounts-table":
            self.app.open_account(self._accounts[int(event.row_key.value)])
        else:
            self.action_resume()

    def action_connect(self) -> None:
        from tui.screens.connect import ConnectScreen

        self.app.push_screen(ConnectScreen())

    def action_refresh_accounts(self) -> None:
        self.app.refresh_accounts()

    def action_resume(self) -> None:
        case_id = self._selected_id()
        if case_id is None:
            self.notify("No case to resume: press n to start one.", severity="warning")
            return
        self.app.open_case(self.app.store.load(case_id))

    def action_new_case(self) -> None:
        from tui.screens.dialogs import PasteDialog

        def done(text: str | None) -> None:
            if text and text.strip():
                self.app.open_ticket(text, "pasted ticket")
            elif text is not None:
                self.notify("Nothing was pasted.", severity="warning")

        self.app.push_screen(PasteDialog(
            "Paste the ticket \"Account locked for spam\" with its headers",
            "Copy the whole ticket from the OVHcloud Control Panel (My support tickets), "
            "headers included, and paste it here."), done)

    def action_load_ticket(self) -> None:
        from tui.core.files import check_readable_file
        from tui.screens.dialogs import AskDialog
        from tui.screens.files import read_then

        def done(path: str | None) -> None:
            if path:
                read_then(self, path, lambda text: self.app.open_ticket(text, path))

        self.app.push_screen(AskDialog("Ticket file to open:", "A saved ticket, .eml or .txt",
                                       check=check_readable_file), done)

    def action_demo(self) -> None:
        self.app.open_demo()

    def action_delete(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        case_id = self._selected_id()
        if case_id is None:
            return
        summary = next((s for s in self.app.store.list_cases() if s.id == case_id), None)
        title = summary.title if summary else case_id

        def done(yes: bool | None) -> None:
            if yes:
                self.app.store.delete(case_id)
                self.refresh_cases()
                self.notify(f"Deleted the case of {for_markup(title)}.")

        self.app.push_screen(ConfirmDialog(f"Delete the case of {terminal_safe(title)}?",
                                           "Its answers, reply and checklist will be gone."), done)
