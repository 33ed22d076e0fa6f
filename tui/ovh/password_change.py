"""Changing a mailbox's password through the API, and following OVHcloud's task to its end.

POST .../changePassword with ``{"password": ...}`` exists for each product's
account route (schema: email.exchange, email.pro, email.mxplan, email.domain). It
answers with a task:

- Exchange, Email Pro, new MX Plan: an email.*.Task whose ``status`` goes
  todo -> doing -> done, error or cancelled, read on the account's task route
  (``.../tasks/{id}``; ``.../task/{id}`` for MX Plan);
- legacy MX Plan: an email.domain.TaskPop, which has no status: it is listed at
  /email/domain/{domain}/task/account/{id} while pending and gone (404) once done.
  For the legacy MX Plan the password change is the unblocking itself.

The password is passed straight to python-ovh's request body and kept nowhere:
not in the result, not in a message, not in an attribute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from tui.ovh.accounts import Account
from tui.ovh.client import Connection
from tui.ovh.errors import OvhError

OUTCOMES = ("done", "error", "cancelled", "pending", "unknown")

_UPDATE_EVERYWHERE = "Now put the new password in every program and phone that sends with this address."
_MESSAGES = {
    "done": "The password was changed.",
    "error": "OVHcloud could not change the password (its task ended in error); the old one still works. Try "
             "again, or change it in the OVHcloud Control Panel.",
    "cancelled": "OVHcloud cancelled the password change; the old password still works. Try again, or change it "
                 "in the OVHcloud Control Panel.",
    "pending": "OVHcloud accepted the new password and is still applying it after {wait:g} seconds. Re-read the "
               "account's status in a few minutes.",
}


@dataclass(frozen=True)
class PasswordChange:
    """How a password change ended: ``outcome`` is one of ``OUTCOMES``, ``message`` says it in words."""

    product: str
    service: str
    email: str
    task_id: int | None
    outcome: str
    started_at: str
    finished_at: str | None
    message: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _done_message(account: Account) -> str:
    if account.product == "mxplan_legacy":
        return (f"{_MESSAGES['done']} On the legacy MX Plan this is what unblocks the account: re-read its status "
                f"to check. {_UPDATE_EVERYWHERE}")
    return f"{_MESSAGES['done']} {_UPDATE_EVERYWHERE}"


def _task_state(connection: Connection, account: Account, task_id: int) -> str:
    """"done", "error", "cancelled" or "pending", from one GET of the task."""
    try:
        task = connection.get(account.task_path(task_id), f"password change task {task_id}") or {}
    except OvhError as error:
        if error.kind == "not-found" and account.product == "mxplan_legacy":
            return "done"  # a legacy task is listed only while it is pending
        raise
    if account.product == "mxplan_legacy":
        return "pending"
    status = task.get("status")
    return status if status in ("done", "error", "cancelled") else "pending"


def change_password(connection: Connection, account: Account, password: str, *, wait: float = 120.0,
                    interval: float = 3.0, sleep: Callable[[float], None] | None = None,
                    clock: Callable[[], float] | None = None) -> PasswordChange:
    """Set ``account``'s password, then follow the task for ``wait`` seconds at most.

    The caller has checked the password (strength, the product's rules) and had
    it confirmed. Raises ``OvhError`` when OVHcloud refuses the change (the old
    password still works); once it is accepted, nothing is raised: a task that
    cannot be followed gives the outcome "unknown", one still running "pending".
    """
    if not isinstance(password, str) or not password:
        raise ValueError("The new password is empty: nothing was changed.")
    started = _now()
    task = connection.post(account.path() + "/changePassword", f"account {account.email}", password=password)
    del password  # not kept while the task is followed
    task_id = task.get("id") if isinstance(task, dict) else None

    def result(outcome: str, message: str) -> PasswordChange:
        finished = _now() if outcome in ("done", "error", "cancelled") else None
        return PasswordChange(account.product, account.service, account.email, task_id, outcome, started, finished,
                              message)

    if not isinstance(task_id, int):
        return result("unknown", "OVHcloud accepted the new password but gave no task to follow. Re-read the "
                                 "account's status in a few minutes.")
    sleep = time.sleep if sleep is None else sleep
    clock = time.monotonic if clock is None else clock
    deadline = clock() + wait
    while True:
        try:
            state = _task_state(connection, account, task_id)
        except OvhError as error:
            return result("unknown", f"OVHcloud accepted the new password, but its progress could not be read: "
                                     f"{error.message}")
        if state != "pending":
            return result(state, _done_message(account) if state == "done" else _MESSAGES[state])
        if clock() + interval > deadline:
            return result("pending", _MESSAGES["pending"].format(wait=wait))
        sleep(interval)
