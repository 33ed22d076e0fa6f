"""The App's side of the OVHcloud connection: what it reads and does at OVHcloud, in workers, for the screens.

Mixed into the App (as LeanStart is). With no connection everything else works
as before. Each call runs in a thread worker, bounded in time by tui.ovh; an
OvhError ends in a notification that says what to do, never in a traceback,
and the case keeps everything. What comes back goes into the Case (the account,
the ticket and its later messages, the redirection check, each reply posted,
each status read), so a restart remembers it. A password goes from the
Secure step's field to the call and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from tui.core.sanitise import for_markup
from tui.messages import AccountsRead

if TYPE_CHECKING:
    # python-ovh and requests are imported when the connection is made, in a worker, never at start-up.
    from tui.ovh.accounts import Account, AccountList
    from tui.ovh.credentials import Credentials
    from tui.ovh.errors import OvhError


def account_record(account: Account, ticket_id: int | None = None) -> dict[str, Any]:
    """What a case keeps of its OVHcloud account (no secret in it)."""
    return {"product": account.product, "service": account.service, "organization": account.organization,
            "email": account.email, "ticket_number": account.ticket_number, "ticket_id": ticket_id}


def account_of(record: dict[str, Any]) -> Account:
    """The Account a case's record stands for, to call the API with."""
    from tui.ovh.accounts import Account

    number = record.get("ticket_number")
    return Account(str(record["product"]), str(record["service"]), str(record["email"]), None,
                   number if isinstance(number, int) else None, None, record.get("organization"))


class OvhcloudLink:
    """Mixed into the App: the connection, the blocked accounts, and the calls the screens ask for."""

    def __init__(self, credentials: Credentials | None = None) -> None:
        self.ovh_credentials = credentials
        self.ovh_connection = None
        self.ovh_accounts: AccountList | None = None
        self.ovh_state = "not connected"

    # Connecting and listing ------------------------------------------------------

    def start_ovhcloud(self) -> None:
        """Find the credentials (given, or python-ovh's own sources), connect and list the blocked accounts."""

        def work() -> None:
            from tui.ovh.accounts import list_accounts
            from tui.ovh.client import open_connection
            from tui.ovh.credentials import find_credentials

            credentials = self.ovh_credentials or find_credentials()
            if credentials is None:
                return
            connection = open_connection(credentials)
            self.call_from_thread(self._connected, connection, credentials)
            self.call_from_thread(self._accounts_read, list_accounts(connection))

        self._ovh_call(work, "Reading your OVHcloud accounts")

    def refresh_accounts(self) -> None:
        if self.ovh_connection is None:
            self.start_ovhcloud()
            return

        def work() -> None:
            from tui.ovh.accounts import list_accounts

            self.call_from_thread(self._accounts_read, list_accounts(self.ovh_connection))

        self._ovh_call(work, "Reading your OVHcloud accounts")

    def _connected(self, connection, credentials: Credentials) -> None:
        self.ovh_connection = connection
        self.ovh_credentials = credentials
        self.ovh_state = f"connected to {credentials.endpoint} ({credentials.source or 'unblock connect'})"

    def _accounts_read(self, accounts: AccountList) -> None:
        self.ovh_accounts = accounts
        self.tell(lambda: AccountsRead(accounts))
        for problem in accounts.problems[:2]:
            self.notify(for_markup(f"{problem.service or problem.product}: {problem.message}"), severity="warning",
                        timeout=8)

    def _ovh_call(self, work: Callable[[], None], what: str) -> None:
        """Run ``work`` in a worker; an OvhError is told in words and leaves the app as it was."""

        def guarded() -> None:
            from tui.ovh.errors import OvhError

            try:
                work()
            except OvhError as error:
                self.call_from_thread(self._ovh_failed, what, error)
            except ValueError as error:  # a malformed key or an empty text, refused before any call
                self.call_from_thread(self._ovh_failed, what, error)

        self.run_worker(guarded, thread=True, group="ovhcloud")

    def _ovh_failed(self, what: str, error: Exception) -> None:
        message = getattr(error, "message", None) or str(error)
        self.notify(for_markup(f"{what}: {message} Everything else works offline; nothing was lost."),
                    title="OVHcloud", severity="error", timeout=10)

    # A case from an account ---------------------------------------------------------

    def open_account(self, account: Account) -> None:
        """Open (or resume) the case of ``account``: its ticket pulled in, its product known, its redirections read."""
        if self.ovh_connection is None:
            return

        def work() -> None:
            from tui.ovh.tickets import pull_ticket

            ticket = pull_ticket(self.ovh_connection, account.ticket_number) if account.ticket_number else None
            self.call_from_thread(self._account_opened, account, ticket)

        self._ovh_call(work, f"Opening the case of {account.email}")

    def _account_opened(self, account: Account, ticket) -> None:
        if ticket is not None and ticket.text.strip():
            self.open_ticket(ticket.text, f"ticket {ticket.ticket_number}")
        else:
            case = self.store.find_by_address(account.email) or self.store.create(account.email)
            self.open_case(case)
        case = self.case
        if case is None:
            return
        case.link_account(account_record(account, ticket.ticket_id if ticket is not None else None))
        if case.product != account.product or not case.product_confirmed:
            case.set_product(account.product)
            case.confirm_product()
        if ticket is not None:
            case.set_ticket_messages([{"sender": m.sender, "created": m.created, "body": m.body}
                                      for m in ticket.messages])
        from tui.core.products import get_product

        self.notify(for_markup(f"Opened from your OVHcloud account: {account.email} is on "
                               f"{get_product(account.product).label}, as the API says"
                               f"{f', with ticket {ticket.ticket_number}' if ticket is not None else ''}."))
        self.check_redirections()

    def refresh_ticket_messages(self) -> None:
        """Read the ticket's messages again (after a reply, support's answer), for the ticket view."""
        case = self.case
        account = case.ovh_account if case is not None else None
        if self.ovh_connection is None or not account or not account.get("ticket_number"):
            return

        def work() -> None:
            from tui.ovh.tickets import pull_ticket

            ticket = pull_ticket(self.ovh_connection, account["ticket_number"])
            messages = [{"sender": m.sender, "created": m.created, "body": m.body} for m in ticket.messages]
            self.call_from_thread(self._ticket_messages_read, case.id, messages)

        self._ovh_call(work, "Reading the ticket's messages")

    def _ticket_messages_read(self, case_id: str, messages: list[dict[str, Any]]) -> None:
        if self.case is not None and self.case.id == case_id:
            self.case.set_ticket_messages(messages)

    def check_redirections(self) -> None:
        """Read what OVHcloud shows of the address's redirections, for question 2."""
        case = self.case
        if self.ovh_connection is None or case is None or not case.ovh_account:
            return
        account = account_of(case.ovh_account)

        def work() -> None:
            from tui.core.clock import now
            from tui.ovh.redirections import find_redirections

            found = find_redirections(self.ovh_connection, account)
            record = {**found.to_json(), "read_at": now()}
            self.call_from_thread(self._redirections_read, case.id, record)

        self._ovh_call(work, "Reading the redirections")

    def _redirections_read(self, case_id: str, record: dict[str, Any]) -> None:
        if self.case is not None and self.case.id == case_id:
            self.case.set_redirection_check(record)

    # Posting, changing, reading again ----------------------------------------------------

    def post_reply(self, text: str) -> None:
        """POST ``text`` as the reply to the case's ticket (the screen has had it confirmed); record it."""
        case = self.case
        account = case.ovh_account if case is not None else None
        if self.ovh_connection is None or not account or not account.get("ticket_id"):
            return

        def work() -> None:
            from tui.ovh.errors import OvhError
            from tui.ovh.tickets import post_reply

            try:
                posted = post_reply(self.ovh_connection, int(account["ticket_id"]), text, account.get("ticket_number"))
            except OvhError as error:
                if error.kind in ("timeout", "network"):
                    self.call_from_thread(self._post_unsure, case.id, text, error)
                    return
                raise
            self.call_from_thread(self._posted, case.id, asdict(posted))

        self._ovh_call(work, "Posting the reply")

    def _posted(self, case_id: str, posted: dict[str, Any]) -> None:
        if self.case is not None and self.case.id == case_id:
            self.case.record_posted_reply(posted)
            self.refresh_ticket_messages()
        self.notify(f"The reply was posted to ticket {posted.get('ticket_number') or posted['ticket_id']}.",
                    title="OVHcloud", timeout=8)

    def _post_unsure(self, case_id: str, text: str, error: OvhError) -> None:
        """A post that timed out may have landed: look before anything is posted again."""
        account = self.case.ovh_account if self.case is not None else None

        def work() -> None:
            from tui.core.clock import now
            from tui.ovh.tickets import reply_landed, text_sha256

            if reply_landed(self.ovh_connection, int(account["ticket_id"]), text):
                posted = {"posted_at": now(), "ticket_id": account["ticket_id"],
                          "ticket_number": account.get("ticket_number"), "sha256": text_sha256(text), "text": text}
                self.call_from_thread(self._posted, case_id, posted)
            else:
                self.call_from_thread(self._ovh_failed, "Posting the reply", error)

        self._ovh_call(work, "Checking whether the reply arrived")

    def change_password(self, password: str, done: Callable[[dict[str, Any]], None]) -> None:
        """Set the account's new password at OVHcloud and follow the task; ``done(outcome)`` is told how it ended.

        The password lives in this call only: it is not kept in the case, the
        App, a log or a message.
        """
        case = self.case
        if self.ovh_connection is None or case is None or not case.ovh_account:
            return
        account = account_of(case.ovh_account)

        # Handed to the worker in a box it empties: once the call is made, nothing here holds the password.
        box = [password]
        del password

        def work() -> None:
            from tui.ovh.password_change import change_password

            outcome = change_password(self.ovh_connection, account, box.pop())
            self.call_from_thread(done, asdict(outcome))

        self._ovh_call(work, "Changing the password")

    def read_account_status(self) -> None:
        """Read the account's status at OVHcloud again, say whether it is still blocked, and record it."""
        case = self.case
        if self.ovh_connection is None or case is None or not case.ovh_account:
            self.notify("This case is not linked to an OVHcloud account: open it from the blocked accounts "
                        "(case list) once connected.", severity="warning")
            return
        account = account_of(case.ovh_account)

        def work() -> None:
            from tui.ovh.accounts import read_status

            status = read_status(self.ovh_connection, account)
            record = {"read_at": status.read_at, "blocked": status.blocked, "state": status.state,
                      "notes": list(status.notes)}
            self.call_from_thread(self._status_read, case.id, record)

        self._ovh_call(work, "Reading the account's status")

    def _status_read(self, case_id: str, record: dict[str, Any]) -> None:
        if self.case is not None and self.case.id == case_id:
            self.case.record_status(record)
        blocked = record.get("blocked")
        words = ("still blocked" if blocked else "no longer blocked" if blocked is False
                 else "of unknown status (the API does not say)")
        notes = " ".join(record.get("notes") or ())
        self.notify(for_markup(f"The account is {words} ({record.get('state') or 'no state'}). {notes}"),
                    title="OVHcloud", severity="warning" if blocked else "information", timeout=10)
