"""Two unblock windows on one data folder never erase each other, and a stale window says it read the case again.

First two apps in this process, each with its own store, their key presses
interleaved: the window opened first is stale when the other one saves. Then
a second, real process running the app headless with Pilot key presses, both
changing the same case at the same time; and that process killed with
SIGKILL in the middle of its changes, which loses at most the one in flight.
Every wait on the child process is bounded, so a hung child fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from test_app_flow import make_app
from test_hostile import Terminal

from tui.core.demo import demo_ticket_text
from tui.core.store import CaseStore

ROOT = Path(__file__).resolve().parents[1]
RELOADED = "Another unblock window changed this case"
# The longest any step of the child may take before the test gives up on it (seconds).
CHILD_WAIT = 60


@pytest.fixture(autouse=True)
def no_periodic_check(monkeypatch):
    """The App looks for other windows' changes every WATCH_EVERY seconds: here the test says when."""
    monkeypatch.setattr("tui.app.WATCH_EVERY", 3600)


def demo_case(data_dir: Path) -> str:
    """A saved case made from the demo ticket, as `unblock ticket.txt` makes it; its id."""
    from tui.core import workflow
    from tui.core.case import Case

    with CaseStore(data_dir) as store:
        case = Case()
        workflow.load_ticket(case, demo_ticket_text(), "demo ticket")
        store.save(case)
        return case.id


def integrity(data_dir: Path) -> str:
    with closing(sqlite3.connect(data_dir / "cases.db")) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


async def add_device(pilot, name: str) -> None:
    """On the Secure step: a, the name, enter."""
    await pilot.press("a")
    await pilot.pause()
    await pilot.press(*name, "enter")
    await pilot.pause()


async def add_program(pilot, name: str) -> None:
    """On the Secure step: its tab 2, f, the name, enter, and enter again for the kind offered."""
    await pilot.press("2", "f")
    await pilot.pause()
    await pilot.press(*name, "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def told_reloaded(terminal: Terminal) -> bool:
    return any(RELOADED in message for message, _title, _markup in terminal.notes)


async def test_two_windows_in_one_process_keep_each_others_changes(tmp_path):
    from test_app_flow import answer_questions

    data = tmp_path / "data"
    case_id = demo_case(data)
    evidence = tmp_path / "sent.eml"
    evidence.write_text(demo_ticket_text().split("\n\n")[-1], encoding="utf-8")
    with CaseStore(data) as store_a, CaseStore(data) as store_b:
        window_b = make_app(store_b, case_id=case_id)  # opened first: stale once A saves
        window_a = make_app(store_a, case_id=case_id)
        told_a, told_b = Terminal(window_a), Terminal(window_b)
        async with window_b.run_test(size=(80, 24)) as pilot_b, window_a.run_test(size=(80, 24)) as pilot_a:
            await pilot_b.pause()
            await pilot_a.pause()
            await pilot_a.press("f5")
            await add_device(pilot_a, "Office laptop")
            await pilot_a.press("f4")
            await pilot_a.pause()
            await answer_questions(pilot_a, {1: 1})
            assert [d.name for d in window_a.case.devices] == ["Office laptop"]
            assert window_a.case.answers[1].choice == "no"

            # B has not looked since: its first save finds the case moved on, reads it again and says so.
            assert window_b.case.devices == [] and not told_reloaded(told_b)
            await pilot_b.press("enter")
            await pilot_b.pause()
            assert told_reloaded(told_b)
            # The step was drawn again from the case read in; B goes on from there.
            window_b.screen.query_one("#product-steps").focus_first()
            await pilot_b.press("space")
            await pilot_b.pause()
            assert [d.name for d in window_b.case.devices] == ["Office laptop"]
            assert window_b.case.answers[1].choice == "no"
            step = next(iter(window_b.case.steps_done))
            await pilot_b.press("n", "a")
            await pilot_b.pause()
            window_b.screen.query_one("#ask-input").value = str(evidence)
            await pilot_b.press("enter")
            await window_b.workers.wait_for_complete()
            await pilot_b.pause()
            assert len(window_b.case.samples) == 4

            # A sees B's changes at its periodic check, and says so too.
            assert not told_reloaded(told_a)
            window_a._watch_store()
            await pilot_a.pause()
            assert told_reloaded(told_a)
            assert step in window_a.case.steps_done and len(window_a.case.samples) == 4
            # Each window shows what the other did.
            await pilot_a.press("f3")
            await pilot_a.pause()
            assert "Samples: 4" in told_a.look("A's ticket step")
            await pilot_b.press("f5")
            await pilot_b.pause()
            assert "Office laptop" in told_b.look("B's secure step")

    with CaseStore(data) as fresh:
        case = fresh.load(case_id)
    assert [d.name for d in case.devices] == ["Office laptop"]
    assert case.answers[1].choice == "no"
    assert step in case.steps_done and case.product_confirmed
    assert len(case.samples) == 4
    assert integrity(data) == "ok"


# The app in a real process, headless, driven by Pilot key presses; it talks on stdout, one line a step.
CHILD_APP = """
import asyncio
import json
import sys
from pathlib import Path

import tui.app
from tui.app import UnblockApp
from tui.core.store import CaseStore

tui.app.WATCH_EVERY = 3600
data_dir, case_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])


async def main():
    store = CaseStore(Path(data_dir))
    app = UnblockApp(store, case_id=case_id, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        print("ready", flush=True)
        sys.stdin.readline()
        for n in range(count):
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*f"child {n}", "enter")
            await pilot.pause()
            print(sum(d.name.startswith("child") for d in app.case.devices), flush=True)
        print(json.dumps(sorted(d.name for d in app.case.devices)), flush=True)
    store.close()


asyncio.run(main())
"""


def start_child(data_dir: Path, case_id: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD_APP), str(data_dir), case_id, str(count)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def child_says(child: subprocess.Popen) -> str:
    """The child's next line, waiting at most CHILD_WAIT seconds."""
    ready, _, _ = select.select([child.stdout], [], [], CHILD_WAIT)
    assert ready, "the child app stopped talking"
    line = child.stdout.readline()
    assert line, f"the child app ended: {child.stderr.read()[-2000:]}"
    return line.strip()


def go(child: subprocess.Popen) -> None:
    assert child_says(child) == "ready"
    child.stdin.write("go\n")
    child.stdin.flush()


async def test_an_app_in_another_process_changes_the_case_at_the_same_time(tmp_path):
    data = tmp_path / "data"
    case_id = demo_case(data)
    count = 6
    with CaseStore(data) as store:
        window = make_app(store, case_id=case_id)
        child = start_child(data, case_id, count)
        try:
            async with window.run_test(size=(80, 24)) as pilot:
                await pilot.press("f5")
                await pilot.pause()
                go(child)
                # Programs here while the child adds devices there.
                for n in range(count):
                    await add_program(pilot, f"parent {n}")
                for _ in range(count):
                    child_says(child)
                theirs = json.loads(child_says(child))
                assert child.wait(timeout=CHILD_WAIT) == 0, child.stderr.read()[-2000:]
                assert [s.name for s in window.case.software] == [f"parent {n}" for n in range(count)]
                window._watch_store()
                await pilot.pause()
                assert {d.name for d in window.case.devices} == {f"child {n}" for n in range(count)}
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert theirs == sorted(f"child {n}" for n in range(count))
    with CaseStore(data) as fresh:
        case = fresh.load(case_id)
    assert sorted(d.name for d in case.devices) == theirs
    assert [s.name for s in case.software] == [f"parent {n}" for n in range(count)]
    assert integrity(data) == "ok"


async def test_an_app_killed_mid_way_loses_at_most_the_change_in_flight(tmp_path):
    data = tmp_path / "data"
    case_id = demo_case(data)
    child = start_child(data, case_id, 1000)
    try:
        go(child)
        for _ in range(3):
            acknowledged = int(child_says(child))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=CHILD_WAIT)
    assert child.returncode == -signal.SIGKILL
    assert integrity(data) == "ok"
    with CaseStore(data) as fresh:
        names = [d.name for d in fresh.load(case_id).devices]
        # Every device the app had added is there, in order; at most the one being typed is not.
        assert len(names) >= acknowledged
        assert names == [f"child {n}" for n in range(len(names))]
        # The next start resumes where the killed window was: the Secure step.
        again = make_app(fresh, case_id=fresh.last_opened())
        async with again.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert again.screen.STEP == "remediation"
