"""The app connected to OVHcloud, against the local API double: list, open, answer, post once, change the
password, read the status again; each failure told in words with nothing lost. Loopback only."""

from __future__ import annotations

import pytest
from ovh_fixtures import *  # noqa: F403 (the double, its credentials, the loopback guard)

from tui.app import UnblockApp
from tui.core.store import CaseStore

DEMO = "contact@boulangerie-martin.fr"
PASSWORD = "Violet-Harbour-Quartz-Pencil-42"


@pytest.fixture
def store(tmp_path):
    with CaseStore(tmp_path / "data") as s:
        yield s


async def settle(pilot) -> None:
    """Let the workers (API calls) finish and their results reach the screens."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_demo_account(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    table = app.screen.query_one("#accounts-table")
    row = next(n for n, account in enumerate(app.screen._accounts) if account.email == DEMO)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)


async def reach_the_reply(pilot) -> None:
    """Open the demo account's case, take every suggested answer and go to the reply."""
    await open_demo_account(pilot)
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("u", "f6")
    await settle(pilot)


async def test_the_case_list_shows_the_blocked_accounts_and_opens_one(store, credentials, sandbox):
    app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        emails = [account.email for account in app.screen._accounts]
        assert DEMO in emails and len(emails) == 4
        await open_demo_account(pilot)
        case = app.case
        assert case.address == DEMO and len(case.samples) == 3
        assert (case.product, case.product_confirmed) == ("mxplan_new", True)
        assert case.ovh_account["ticket_number"] == 8452107 and case.ovh_account["ticket_id"] == 5101
        assert [m["sender"] for m in case.ticket_messages] == ["support"]  # the reminder, after the ticket
        assert case.redirection_check is not None and "read_at" in case.redirection_check


async def test_the_reply_is_posted_once_after_showing_it_and_a_second_post_asks_twice(store, credentials, sandbox):
    app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_the_reply(pilot)
        text = app.case.reply_text
        before = len(sandbox.state.messages[5101])
        await pilot.press("p")
        await pilot.pause()
        shown = app.screen.query_one("#send-text").text
        assert shown == text and "8452107" in str(app.screen.query_one(".dialog-title").render())
        # Not secured yet (no device scanned): the confirmation says what OVHcloud asks first.
        assert "not secured yet" in str(app.screen.query_one(".dialog-detail").render())
        await pilot.press("n")  # not sent
        await settle(pilot)
        assert len(sandbox.state.messages[5101]) == before and app.case.posted_replies == []
        await pilot.press("p", "y")
        await settle(pilot)
        assert sandbox.state.messages[5101][-1]["body"] == text
        posted = app.case.posted_replies
        assert len(posted) == 1 and posted[0]["text"] == text and posted[0]["ticket_number"] == 8452107
        # A second post: first "a reply was already posted", then the text again.
        await pilot.press("p")
        await pilot.pause()
        assert "already posted" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("n")
        await settle(pilot)
        assert len(sandbox.state.messages[5101]) == before + 1
    # Restarted, the case remembers what was posted and when.
    again = UnblockApp(store, case_id=store.last_opened(), cursor_blink=False, connect=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.case.posted_replies[0]["posted_at"] == posted[0]["posted_at"]


async def test_the_password_is_set_at_ovhcloud_after_the_scans_and_never_kept(store, credentials, sandbox):
    app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_demo_account(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        app.screen.query_one("#password-input").value = PASSWORD
        await pilot.press("ctrl+t")  # no device scanned yet: refused with the reason
        await pilot.pause()
        assert app.case.password_changed_at is None
        assert any("scan" in n.message.lower() for n in app._notifications)
        await pilot.press("escape", "1", "a", *"Office PC", "enter")
        await pilot.pause()
        await pilot.press("s", "enter", "3")
        await pilot.pause()
        assert "Press o (ctrl+t while typing) to set it at OVHcloud" in str(
            app.screen.query_one("#password-status").render())
        app.screen.query_one("#password-input").value = PASSWORD
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Set the new password" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("y")
        await settle(pilot)
        for _ in range(10):  # the double's task ends after a few reads
            if app.case.password_changed_at:
                break
            await settle(pilot)
        assert app.case.password_changed_at is not None
        assert [change[2] for change in sandbox.state.password_changes] == [DEMO]
        told = str(app.screen.query_one("#password-status").render())
        assert "Password changed" in told and "Change it in the Control Panel" not in told
        await pilot.press("f7")
        await settle(pilot)
        assert app.case.status_reads[-1]["blocked"] is False
    # The password is in no file of the data folder.
    data = store.path.parent
    assert all(PASSWORD.encode() not in path.read_bytes() for path in data.iterdir() if path.is_file())


async def test_a_refused_post_says_why_and_loses_nothing(store, credentials, sandbox):
    app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_the_reply(pilot)
        sandbox.fail("/support/tickets/5101/reply", method="POST", status=403)
        await pilot.press("p", "y")
        await settle(pilot)
        told = [n.message for n in app._notifications]
        assert any("Posting the reply" in m and "nothing was lost" in m for m in told)
        assert app.case.posted_replies == [] and app.case.reply_text
        assert app.screen.STEP == "reply"


async def test_without_a_connection_nothing_changes(store):
    app = UnblockApp(store, demo=True, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.ovh_connection is None
        await pilot.press("f7")
        await pilot.pause()
        assert app.case.status_reads == []


async def test_with_no_case_yet_the_keys_go_to_the_blocked_accounts(store, credentials, sandbox):
    app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#accounts-table")
        rows = [account.email for account in app.screen._accounts]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.case is not None and app.case.address == rows[2]
