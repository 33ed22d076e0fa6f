"""Connecting unblock to an OVHcloud account from the app: the same flow as `unblock connect`.

The user picks the API their account is on and gives an application key and
secret (created once on the API's createApp page, named here); unblock asks
OVHcloud for a consumer key with only the rights it needs, shows the
validation address to open, waits until the key is authorised, then stores
the three keys (0600) and lists the blocked accounts. The secret is never
shown, kept in the case or written anywhere but python-ovh's ovh.conf.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from tui.core.sanitise import for_markup, terminal_safe
from tui.ovh.client import CREATE_APP_PAGES, ENDPOINT_LABELS, KNOWN_ENDPOINTS
from tui.ovh.connect import RIGHTS


class Cancelled(Exception):
    """The user gave up waiting for the key's authorisation."""


class ConnectScreen(ModalScreen[None]):
    """The API, the application key and secret; then the validation address, and the wait."""

    BINDINGS = [
        Binding("f2", "start", "Connect", id="connect.start", tooltip="Ask OVHcloud for a key with these details"),
        Binding("escape", "cancel", "Cancel", id="connect.cancel", tooltip="Close; nothing is stored"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self._cancelled = False
        self._running = False

    def compose(self) -> ComposeResult:
        pages = "; ".join(f"{ENDPOINT_LABELS[name]}: {CREATE_APP_PAGES[name]}" for name in KNOWN_ENDPOINTS)
        purposes = "; ".join(dict.fromkeys(right.reason for right in RIGHTS))
        with Vertical(classes="dialog-box dialog-large"):
            yield Label("Connect to your OVHcloud account", classes="dialog-title")
            with VerticalScroll(id="connect-scroll"):
                yield Static(Text(
                    "Create an application once, on the API's createApp page (log in, give it a name and a "
                    f"description such as \"unblock\"): {pages}. The page shows the Application Key and the "
                    f"Application Secret. unblock then asks for a consumer key with these rights only: {purposes}."),
                    classes="dialog-detail")
                with RadioSet(id="connect-endpoint"):
                    for number, name in enumerate(KNOWN_ENDPOINTS):
                        yield RadioButton(f"{ENDPOINT_LABELS[name]} ({name})", value=number == 0)
                yield Input(placeholder="Application Key", id="connect-key")
                yield Input(placeholder="Application Secret (never shown or saved in a case)", password=True,
                            id="connect-secret")
                yield Static("", id="connect-status", classes="dialog-detail")
                url = TextArea("", read_only=True, id="connect-url")
                url.display = False
                yield url
            yield Static(Text("F2: connect   tab: next field   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#connect-key", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "connect-secret":
            self.action_start()
        else:
            self.focus_next()

    def _status(self, text: str) -> None:
        self.query_one("#connect-status", Static).update(Text(text))

    def action_start(self) -> None:
        if self._running:
            return
        index = self.query_one(RadioSet).pressed_index
        endpoint = KNOWN_ENDPOINTS[max(index, 0)]
        key = self.query_one("#connect-key", Input).value.strip()
        secret_field = self.query_one("#connect-secret", Input)
        if not key or not secret_field.value:
            self._status("Type the Application Key and the Application Secret first.")
            return
        # The secret leaves the field for the call only.
        box = [secret_field.value]
        secret_field.value = ""
        self._running = True
        self._status("Asking OVHcloud for a consumer key…")
        self.run_worker(lambda: self._connect(endpoint, key, box), thread=True, group="connect")

    def _connect(self, endpoint: str, key: str, box: list[str]) -> None:
        from tui.ovh.connect import connect
        from tui.ovh.credentials import save_credentials
        from tui.ovh.errors import OvhError

        def waiting() -> None:
            if self._cancelled:
                raise Cancelled

        try:
            connected = connect(endpoint, key, box.pop(),
                                show_request=lambda request: self.app.call_from_thread(self._show_url, request),
                                on_wait=waiting)
            path = save_credentials(connected.credentials)
        except Cancelled:
            return
        except (OvhError, ValueError, OSError) as error:
            message = getattr(error, "message", None) or str(error)
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._done, connected, str(path))

    def _show_url(self, request) -> None:
        self._status("Open this address in a browser, log in, choose how long the key lasts and authorise it. "
                     "unblock waits (escape gives up):")
        url = self.query_one("#connect-url", TextArea)
        url.load_text(terminal_safe(request.validation_url))
        url.display = True

    def _failed(self, message: str) -> None:
        self._running = False
        self._status(f"Not connected: {message}")

    def _done(self, connected, path: str) -> None:
        self._running = False
        who = " ".join(part for part in (connected.nichandle, connected.name and f"({connected.name})") if part)
        expiry = connected.key.expiration or "never"
        self.app.notify(for_markup(f"Connected to OVHcloud as {who}; the key expires {expiry}. Saved to {path} "
                                   "(0600)."), title="OVHcloud", timeout=10)
        self.app.ovh_credentials = connected.credentials
        self.app.ovh_connection = None
        self.app.start_ovhcloud()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self._cancelled = True
        self.dismiss(None)
