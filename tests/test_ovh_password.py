"""Changing a password through the API: the task followed to its end, and the password kept nowhere."""

from __future__ import annotations

import logging

import pytest
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.ovh.accounts import list_accounts, read_status
from tui.ovh.errors import OvhError
from tui.ovh.password_change import change_password

PASSWORD = "Correct-Horse-Battery-Staple-42"


@pytest.fixture
def blocked(connection):
    return {account.product: account for account in list_accounts(connection).blocked()}


@pytest.mark.parametrize("product", ["exchange", "email_pro", "mxplan_new", "mxplan_legacy"])
def test_the_task_is_followed_to_done_and_the_account_unblocked(connection, sandbox, blocked, sleeps, product):
    account = blocked[product]
    change = change_password(connection, account, PASSWORD, interval=0.5, sleep=sleeps)
    assert change.outcome == "done" and change.finished_at is not None and isinstance(change.task_id, int)
    assert "every program and phone" in change.message
    assert ("unblocks the account" in change.message) == (product == "mxplan_legacy")
    assert sleeps == [0.5, 0.5]  # the double's task ends on its third read
    assert sandbox.count("POST", "*/changePassword") == 1
    assert read_status(connection, account).blocked is False


def test_a_task_ending_in_error_is_said_and_the_account_stays_blocked(connection, sandbox, blocked, sleeps):
    sandbox.state.task_outcome = "error"
    change = change_password(connection, blocked["email_pro"], PASSWORD, interval=0.5, sleep=sleeps)
    assert change.outcome == "error" and "old one still works" in change.message
    assert read_status(connection, blocked["email_pro"]).blocked is True


def test_a_task_still_running_at_the_deadline_is_pending(connection, sandbox, blocked):
    sandbox.state.task_polls = 100
    ticks = iter(range(0, 1000, 5))
    change = change_password(connection, blocked["exchange"], PASSWORD, wait=20, interval=5, sleep=lambda s: None,
                             clock=lambda: next(ticks))
    assert change.outcome == "pending" and change.finished_at is None and "Re-read" in change.message


def test_a_task_that_cannot_be_followed_is_unknown_not_an_error(connection, sandbox, blocked, sleeps):
    sandbox.fail("/email/mxplan/*/account/*/task/*", status=403, error_code="NOT_GRANTED_CALL")
    change = change_password(connection, blocked["mxplan_new"], PASSWORD, sleep=sleeps)
    assert change.outcome == "unknown" and "accepted the new password" in change.message


def test_a_refused_change_raises_and_nothing_is_followed(connection, sandbox, blocked):
    sandbox.fail("*/changePassword", method="POST", status=400)
    with pytest.raises(OvhError) as caught:
        change_password(connection, blocked["exchange"], PASSWORD)
    assert caught.value.kind == "refused"
    assert sandbox.count("GET", "*/tasks/*") == 0


def test_an_empty_password_is_refused_before_any_call(connection, sandbox, blocked):
    with pytest.raises(ValueError):
        change_password(connection, blocked["exchange"], "")
    assert sandbox.count("POST", "*/changePassword") == 0


def test_the_password_is_kept_nowhere(connection, sandbox, blocked, sleeps, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    change = change_password(connection, blocked["mxplan_new"], PASSWORD, sleep=sleeps)
    kept = repr(change) + repr(vars(connection)) + repr(sandbox.state) + capsys.readouterr().out + caplog.text
    assert PASSWORD not in kept
    assert sandbox.state.password_changes == [
        ("mxplan_new", ("boulangerie-martin.fr",), "contact@boulangerie-martin.fr")]
