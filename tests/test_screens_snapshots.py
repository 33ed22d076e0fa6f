"""How every screen looks on the demo case: accepted SVG snapshots at 80x24 dark, 80x24 without colour
(NO_COLOR) and 120x40 light.

Time is frozen and the cursor does not blink, so a snapshot changes only when the screen does.
Regenerate after a deliberate change with `uv run pytest tests/test_screens_snapshots.py --snapshot-update`,
and look at the SVGs before committing them.
"""

from __future__ import annotations

import os
import time

import pytest

from tui.app import UnblockApp
from tui.core.store import CaseStore

FROZEN = "2026-11-24T09:30:00+00:00"
VARIANTS = {
    "80x24": ((80, 24), "textual-dark", False),
    "80x24_no_color": ((80, 24), "textual-dark", True),
    "120x40_light": ((120, 40), "textual-light", False),
}


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    monkeypatch.setattr("tui.core.case.now", lambda: FROZEN)
    monkeypatch.setattr("tui.core.clock.now", lambda: FROZEN)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    store = CaseStore(tmp_path / "data")

    def make(theme: str = "textual-dark", no_color: bool = False) -> UnblockApp:
        if no_color:
            # Textual reads (and takes away) NO_COLOR when the app is made.
            os.environ["NO_COLOR"] = "1"
        app = UnblockApp(store, demo=True, cursor_blink=False)
        app.system_clipboard = lambda text: False
        app.theme = theme
        # Focus changes scroll with an animation; a snapshot must not catch one half-way.
        app.animation_level = "none"
        return app

    yield make
    store.close()
    os.environ.pop("NO_COLOR", None)
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
    # Shown again, as a user coming back to it: it opens at the top of question 1.
    pilot.app.screen.set_focus(None)
    await pilot.press("f3", "f4")
    await pilot.pause()


async def to_reply(pilot) -> None:
    await to_questions(pilot)
    pilot.app.screen.set_focus(None)
    await pilot.press("f6")
    await pilot.pause()


async def to_remediation(pilot) -> None:
    await to_questions(pilot)
    pilot.app.screen.set_focus(None)
    await pilot.press("n")
    await pilot.press("a", *"Office laptop", "enter")
    await pilot.press("s", "enter")
    await pilot.press("a", *"Phone", "enter")
    await pilot.pause()


async def to_password(pilot) -> None:
    await to_remediation(pilot)
    await pilot.press("3")


async def to_cases(pilot) -> None:
    await pilot.pause()
    pilot.app.close_case()
    await pilot.pause()


SCREENS = {
    "product": settled(),
    "ticket_and_inspector": settled("enter", "n"),
    "ticket_text": settled("enter", "n", "t"),
    "origins": settled("enter", "n", "o"),
    "questions": settled(then=to_questions),
    "remediation": settled(then=to_remediation),
    "password_tab": settled(then=to_password),
    "reply": settled(then=to_reply),
    "help": settled("question_mark"),
    "case_list": settled(then=to_cases),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, demo_app, screen, variant):
    size, theme, no_color = VARIANTS[variant]
    assert snap_compare(demo_app(theme, no_color), run_before=SCREENS[screen], terminal_size=size)
