"""How every screen looks on the demo case: accepted SVG snapshots at 80x24 (dark) and a few at 120x40 (light).

Time is frozen and the cursor does not blink, so a snapshot changes only when the screen does.
Regenerate after a deliberate change with `uv run pytest tests/test_screens_snapshots.py --snapshot-update`,
and look at the SVGs before committing them.
"""

from __future__ import annotations

import time

import pytest

from tui.app import UnblockApp
from tui.core.store import CaseStore

FROZEN = "2026-11-24T09:30:00+00:00"


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    monkeypatch.setattr("tui.core.case.now", lambda: FROZEN)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    store = CaseStore(tmp_path / "data")

    def make(theme: str = "textual-dark") -> UnblockApp:
        app = UnblockApp(store, demo=True, cursor_blink=False)
        app.system_clipboard = lambda text: False
        app.theme = theme
        # Focus changes scroll with an animation; a snapshot must not catch one half-way.
        app.animation_level = "none"
        return app

    yield make
    store.close()
    monkeypatch.delenv("TZ")
    time.tzset()


def settled(*keys: str, then=None):
    """A run_before that presses ``keys``, runs ``then``, and clears the toasts (they time out at random)."""

    async def run(pilot) -> None:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        if then is not None:
            await then(pilot)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


async def to_questions(pilot) -> None:
    await pilot.press("enter", "n", "n")
    await pilot.pause()
    screen = pilot.app.screen
    for number in (1, 2, 3):
        screen.query_one(f"#q{number}-choice").focus()
        await pilot.pause()
        await pilot.press("right", "enter")
    screen.query_one("#q1-choice").focus()
    screen.query_one("#questions-scroll").scroll_home(animate=False)
    await pilot.pause()


async def to_reply(pilot) -> None:
    await to_questions(pilot)
    pilot.app.screen.set_focus(None)
    await pilot.press("n")
    await pilot.pause()


async def to_remediation(pilot) -> None:
    await to_reply(pilot)
    await pilot.press("n")
    await pilot.press("a", *"Office laptop", "enter")
    await pilot.press("s", "enter")
    await pilot.press("a", *"Phone", "enter")
    await pilot.pause()


def test_product_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled(), terminal_size=(80, 24))


def test_ticket_and_inspector_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled("enter", "n"), terminal_size=(80, 24))


def test_ticket_text_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled("enter", "n", "t"), terminal_size=(80, 24))


def test_origins_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled("enter", "n", "o"), terminal_size=(80, 24))


def test_questions_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled(then=to_questions), terminal_size=(80, 24))


def test_reply_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled(then=to_reply), terminal_size=(80, 24))


def test_remediation_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled(then=to_remediation), terminal_size=(80, 24))


def test_password_tab_80x24(snap_compare, demo_app):
    async def to_password(pilot):
        await to_remediation(pilot)
        await pilot.press("3")

    assert snap_compare(demo_app(), run_before=settled(then=to_password), terminal_size=(80, 24))


def test_help_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), run_before=settled("question_mark"), terminal_size=(80, 24))


def test_case_list_80x24(snap_compare, demo_app):
    async def to_cases(pilot):
        await pilot.pause()
        pilot.app.close_case()
        await pilot.pause()

    assert snap_compare(demo_app(), run_before=settled(then=to_cases), terminal_size=(80, 24))


def test_ticket_120x40_light(snap_compare, demo_app):
    assert snap_compare(demo_app("textual-light"), run_before=settled("enter", "n"), terminal_size=(120, 40))


def test_questions_120x40_light(snap_compare, demo_app):
    assert snap_compare(demo_app("textual-light"), run_before=settled(then=to_questions), terminal_size=(120, 40))


def test_reply_120x40_light(snap_compare, demo_app):
    assert snap_compare(demo_app("textual-light"), run_before=settled(then=to_reply), terminal_size=(120, 40))
