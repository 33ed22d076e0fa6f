"""Step 4: secure the account (before the reply, as the guide asks): scan every device, update every program, change the password.

The password change comes last: changing it while a device is still infected
hands the new password to the same attacker. The screen warns, and explains,
when the user marks it done before every scan is recorded.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tui.core import workflow
from tui.core.case import SOFTWARE_KINDS
from tui.core.clock import local_time
from tui.core.password import NCSC_ADVICE, user_inputs_for
from tui.core.sanitise import for_markup, terminal_safe
from tui.screens.base import StepScreen
from tui.widgets.password_meter import PasswordMeter

# The parts of the case this screen shows.
_SHOWN = frozenset({"devices", "software", "password", "answers", "product"})
# Which tab each tab-bound action belongs to ("remove" works on the two lists).
_TAB_OF = {
    "add_device": "devices", "record_scan": "devices", "add_software": "software", "software_updated": "software",
    "remove": "devices", "generate": "password", "password_changed": "password", "change_at_ovhcloud": "password",
}
_NO_DEVICE = ("No device yet. Press a to add each computer, phone and tablet that uses this address: each needs "
              "an anti-virus scan, because a new password typed on an infected device is stolen again.")
_NO_PROGRAM = ("No program yet. Press f to add each program or machine that sends mail with this address's "
               "password (mail programs, phones, scanners and fax machines, business software): each must "
               "be given the new password, or it keeps the old one, or a thief's copy, in use.")


class RemediationScreen(StepScreen):
    """Three tabs: devices and their scans, software holding the password, and the new password."""

    STEP = "remediation"
    HELP = ("Step 4. If someone else sent the spam, they have the password. First run an anti-virus scan on "
            "every device that uses the address (a adds a device, s records its scan). Then list every "
            "program that holds the password: fax machines and scanners, business software, mail programs, "
            "phones (f adds one, u marks it updated with the new password). Last, change the password in "
            "the Control Panel to a strong one: the meter checks it (nothing you type is saved), g suggests "
            "a passphrase, and m records that it is done (escape leaves the password field). 1, 2 and 3 switch "
            "tabs; each tab's keys are in the footer.")
    BINDINGS = [
        Binding("n", "next", "Next step", id="remediation.next", tooltip="Go on to the next step"),
        Binding("1", "tab('devices')", "Devices", id="remediation.devices", show=False,
                tooltip="Devices and their scans"),
        Binding("2", "tab('software')", "Software", id="remediation.software", show=False,
                tooltip="Programs holding the password"),
        Binding("3", "tab('password')", "Password", id="remediation.password", show=False,
                tooltip="Test and record the new password"),
        Binding("a", "add_device", "Add device", id="remediation.add_device", tooltip="Add a device that uses the address"),
        Binding("s", "record_scan", "Record scan", id="remediation.scan", tooltip="Record the anti-virus scan of the selected device"),
        Binding("f", "add_software", "Add program", id="remediation.add_software",
                tooltip="Add a program or machine that holds the password"),
        Binding("u", "software_updated", "Checked", id="remediation.updated",
                tooltip="Mark the selected program as checked; once the password is changed, as given the new one"),
        Binding("delete", "remove", "Remove", id="remediation.remove", tooltip="Remove the selected device or program"),
        # ctrl+g and ctrl+r work (and show) while typing in the password field, where g and m are letters.
        Binding("g,ctrl+g", "generate", "Passphrase", id="remediation.generate",
                tooltip="Suggest a passphrase of random words (ctrl+g while typing)"),
        Binding("o,ctrl+t", "change_at_ovhcloud", "Set at OVHcloud", id="remediation.ovhcloud",
                tooltip="Set the password typed here at OVHcloud now (asks first; checked for strength first)"),
        Binding("m,ctrl+r", "password_changed", "Password changed", id="remediation.changed",
                tooltip="Record that the password was changed in the Control Panel"),
    ]

    def compose_body(self) -> ComposeResult:
        language = self.case.ticket_language or "en"
        yield Static(id="remediation-status", classes="panel-text")
        with TabbedContent(initial="devices", id="remediation-tabs"):
            with TabPane("1 Devices", id="devices"):
                yield Static(_NO_DEVICE, id="devices-empty", classes="hint")
                yield DataTable(cursor_type="row", id="devices-table")
            with TabPane("2 Software", id="software"):
                yield Static(_NO_PROGRAM, id="software-empty", classes="hint")
                yield DataTable(cursor_type="row", id="software-table")
            with TabPane("3 Password", id="password"):
                yield Static(id="password-status", classes="hint")
                yield PasswordMeter(self.case.product, user_inputs_for(self.case.address),
                                    NCSC_ADVICE.get(language, NCSC_ADVICE["en"]), language, id="password-meter")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change_at_ovhcloud" and not (self.case.ovh_account and self.app.ovh_connection is not None):
            return False
        tab = _TAB_OF.get(action)
        if tab is not None and self.is_mounted:
            active = self.query_one(TabbedContent).active
            if action == "remove":
                return active in ("devices", "software")
            return active == tab
        return super().check_action(action, parameters)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Each tab has its own keys: the footer follows the tab.
        self.refresh_bindings()

    def on_mount(self) -> None:
        super().on_mount()
        devices = self.query_one("#devices-table", DataTable)
        devices.add_columns("Device", "Scanned", "Result")
        software = self.query_one("#software-table", DataTable)
        software.add_columns("Program or machine", "Kind", "Updated")
        self._show()
        devices.focus()

    def show_case(self, what: str) -> None:
        if what in _SHOWN:
            self._show()

    def _show(self) -> None:
        case = self.case
        status = Text()
        if not workflow.needs_remediation(case):
            if case.answers[1].choice == "yes":
                status.append("You said you sent these messages yourself: this step is optional, "
                              "but a scan and a new password never hurt.\n", style="italic")
            else:
                status.append("Question 1 (are you the sender?) is not answered yet. If someone else sent "
                              "these messages, every step here is needed before the reply.\n", style="italic")
        progress = case.progress()
        status.append(f"Devices scanned: {progress.devices_scanned}/{progress.devices}   ")
        if progress.password_changed_at:
            status.append(f"Programs given the new password: {progress.software_with_new_password}/"
                          f"{progress.software}   ")
        else:
            status.append(f"Programs checked: {progress.software_updated}/{progress.software}   ")
        status.append("Password: ")
        changed = progress.password_changed_at
        status.append(f"changed {local_time(changed)}" if changed else "not changed yet", style="bold")
        self.query_one("#remediation-status", Static).update(status)

        self.query_one("#devices-empty").display = not case.devices
        self.query_one("#software-empty").display = not case.software
        devices = self.query_one("#devices-table", DataTable)
        row = devices.cursor_row
        devices.clear()
        for device in case.devices:
            devices.add_row(Text(terminal_safe(device.name)), local_time(device.scanned_at) or "not yet",
                            Text(terminal_safe(device.result or "-")))
        if case.devices:
            devices.move_cursor(row=min(row, len(case.devices) - 1))
        software = self.query_one("#software-table", DataTable)
        row = software.cursor_row
        software.clear()
        for item in case.software:
            software.add_row(Text(terminal_safe(item.name)), item.kind, local_time(item.updated_at) or "not yet")
        if case.software:
            software.move_cursor(row=min(row, len(case.software) - 1))

        allowed, reason = case.can_change_password()
        password = Text()
        if case.password_changed_at:
            password.append(f"Password changed {local_time(case.password_changed_at)}. ", style="bold")
            if case.password_changed_early and not allowed:
                password.append(f"It was changed before every scan: {reason} Then change it once more.")
        elif allowed:
            password.append("Ready to change the password. ", style="bold")
            password.append(reason)
        else:
            password.append("Wait before changing the password: ", style="bold")
            password.append(reason)
        connected = bool(case.ovh_account) and self.app.ovh_connection is not None
        if case.password_changed_at:
            how = "\nChanged it again? Press m (ctrl+r while typing) to record it."
        elif connected:
            how = ("\nPress o (ctrl+t while typing) to set it at OVHcloud, or change it in the Control Panel "
                   "and press m (ctrl+r).")
        else:
            how = "\nChange it in the Control Panel, then press m (ctrl+r while typing)."
        password.append(how, style="dim")
        self.query_one("#password-status", Static).update(password)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {"devices": "#devices-table", "software": "#software-table", "password": "#password-input"}[tab]
        # At once, not after the keys already queued: the password typed right after "3" goes in its field.
        self.set_focus(self.query_one(target))

    def _selected(self, table_id: str) -> int | None:
        table = self.query_one(table_id, DataTable)
        return table.cursor_row if table.row_count else None

    def action_add_device(self) -> None:
        from tui.screens.dialogs import AskDialog

        def done(name: str | None) -> None:
            if name:
                self._apply(lambda: self.case.add_device(name))
                self.action_tab("devices")

        self.app.push_screen(AskDialog("Name of the device (computer, phone, tablet…):",
                                       placeholder="e.g. Office laptop",
                                       check=lambda v: None if v else "Type a name."), done)

    def action_record_scan(self) -> None:
        from tui.screens.dialogs import AskDialog

        index = self._selected("#devices-table")
        if index is None:
            self.notify("Add a device first (a).", severity="warning")
            return
        device = self.case.devices[index]

        def done(result: str | None) -> None:
            if result:
                self._apply(lambda: self.case.record_scan(index, result))

        self.app.push_screen(AskDialog(
            f"Result of the anti-virus scan of {terminal_safe(device.name)}:",
            "For example: clean, threats removed, or what the scanner said. Today's date is recorded.",
            value=device.result or "clean", check=lambda v: None if v else "Type the result."), done)

    def action_add_software(self) -> None:
        from tui.screens.dialogs import AskDialog, ChoiceDialog

        def check(value: str) -> str | None:
            return None if value.strip() else "Type a name."

        def got_name(name: str | None) -> None:
            if not name:
                return

            def got_kind(kind: str | None) -> None:
                if kind is None:
                    return
                self._apply(lambda: self.case.add_software(name, kind))
                self.action_tab("software")

            self.app.push_screen(ChoiceDialog(f"What kind is {terminal_safe(name)}?", list(SOFTWARE_KINDS),
                                              current="mail client"), got_kind)

        self.app.push_screen(AskDialog("Program or machine that holds the password:",
                                       placeholder="e.g. Outlook on the office PC, the scanner", check=check),
                             got_name)

    def action_software_updated(self) -> None:
        index = self._selected("#software-table")
        if index is None:
            self.notify("Add a program first (f).", severity="warning")
            return
        self._apply(lambda: self.case.mark_software_updated(index))

    def action_remove(self) -> None:
        active = self.query_one(TabbedContent).active
        if active == "devices" and (index := self._selected("#devices-table")) is not None:
            self._apply(lambda: self.case.remove_device(index))
        elif active == "software" and (index := self._selected("#software-table")) is not None:
            self._apply(lambda: self.case.remove_software(index))

    def action_generate(self) -> None:
        from tui.core.password import generate_passphrase
        from tui.screens.dialogs import TextViewer

        language = "fr" if self.case.ticket_language == "fr" else "en"
        phrase = generate_passphrase(language=language)
        self.app.push_screen(TextViewer(
            "A passphrase of random words (shown once; never saved)",
            f"{phrase}\n\nWrite it down somewhere safe or put it in a password manager, then use it as the new "
            "password in the Control Panel. Press escape to close: it is not kept."))

    def action_password_changed(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        allowed, reason = self.case.can_change_password()

        def done(yes: bool | None) -> None:
            if yes:
                self._apply(lambda: self.case.mark_password_changed())
                self.query_one(PasswordMeter).clear()
                self.notify("Recorded: the password was changed.")

        if allowed:
            done(True)
        else:
            self.app.push_screen(ConfirmDialog(
                "Record the password change anyway?",
                f"{reason} If a device is still infected, the new password can be stolen the same way. "
                "Scan every device, then change the password once more.",
                yes="Record it", no="Not yet"), done)

    def action_change_at_ovhcloud(self) -> None:
        from tui.core.password import assess
        from tui.screens.dialogs import ConfirmDialog

        field = self.query_one("#password-input")
        if not field.value:
            self.notify("Type the new password in the field first (3 shows it).", severity="warning")
            return
        allowed, reason = self.case.can_change_password()
        if not allowed:
            self.notify(reason, severity="warning", timeout=8)
            return
        verdict = assess(field.value, self.case.product, user_inputs_for(self.case.address),
                         self.case.ticket_language or "en")
        if not verdict.acceptable:
            self.notify("This password is not strong enough yet, or breaks the product's rules: see the meter.",
                        severity="warning", timeout=8)
            return
        address = self.case.address or "this address"
        unblocks = "" if workflow.has_ticket(self.case) else " For the legacy MX Plan this is what unblocks it."

        # Out of the field now (the screen empties it when a dialog covers it), held only until the answer.
        box = [field.value]
        field.value = ""

        def confirmed(yes: bool | None) -> None:
            if not yes:
                box.clear()
                return
            self.app.change_password(box.pop(), self._password_set)
            self.notify("Changing the password at OVHcloud…")

        self.app.push_screen(ConfirmDialog(
            f"Set the new password of {address} at OVHcloud now?",
            "Every program and phone that uses the address will need it afterwards (the Software tab)."
            + unblocks, yes="Set it", no="Not now"), confirmed)

    def _password_set(self, outcome: dict) -> None:
        done = outcome.get("outcome") == "done"
        if done:
            self._apply(lambda: self.case.mark_password_changed())
        self.notify(for_markup(str(outcome.get("message") or outcome.get("outcome"))), title="OVHcloud",
                    severity="information" if done else "warning", timeout=10)

    def _apply(self, change) -> None:
        try:
            change()
        except ValueError as exc:
            self.notify(for_markup(str(exc)), severity="error")

    def on_screen_suspend(self) -> None:
        # Nothing typed in the password field outlives the screen.
        self.query_one(PasswordMeter).clear()
