"""The base of every workflow screen: the step bar, step keys, back and next.

A step screen shows the App's Case and changes it only through the Case's
methods (which the store saves). It never decides what comes next: the
workflow (tui.core.workflow) does, and the App routes. When the case changes,
anywhere, the App sends ``CaseChanged`` and the screen shows it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen

from tui.core import workflow
from tui.core.case import Case
from tui.messages import CaseChanged
from tui.widgets.keyfooter import KeyFooter
from tui.widgets.stepbar import StepBar

if TYPE_CHECKING:
    from tui.app import UnblockApp

STEP_KEYS = [
    Binding(step.key, f"step('{step.id}')", f"{step.label} step", show=False, id=f"step.{step.id}",
            tooltip=step.tooltip)
    for step in workflow.STEPS
]


class StepScreen(Screen):
    """A workflow step. Subclasses set STEP and compose their body in ``compose_body``."""

    STEP = ""
    HELP = ""
    # True when the app's FIRST_STYLES style all of this screen, so that it can be drawn first
    # while the other style sheets wait.
    FIRST_STYLES_ENOUGH = False
    BINDINGS = [
        Binding("escape", "back", "Back", id="step.back", tooltip="The previous step (the case list from step 1)"),
        *STEP_KEYS,
    ]

    app: UnblockApp

    @property
    def case(self) -> Case:
        return self.app.case

    def compose(self) -> ComposeResult:
        yield StepBar(self.case, self.STEP)
        with Vertical(classes="step-body"):
            yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.freeze_cursors()

    def freeze_cursors(self) -> None:
        """Stop cursors blinking when the app asks (snapshot tests)."""
        if not getattr(self.app, "cursor_blink", True):
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False

    def on_case_changed(self, event: CaseChanged) -> None:
        if self.case is None or not self.is_mounted:
            return
        if event.what == "reloaded":
            # Another window's changes were read in: draw the step afresh from the case.
            self._stale = True
            if self.is_current:
                self._redraw()
            return
        self.query_one(StepBar).show_case()
        self.show_case(event.what)
        # What the case now is may change where "next" leads, and so the footer's words.
        self.refresh_bindings()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self.app.all_styles_read:
            # The first screen, resumed right after its widgets mounted: they were styled as they
            # mounted, and every node is styled again once the first frame is drawn and the other
            # style sheets are read (LeanStart). Styling them all a second time in between would
            # only put the first frame off. (This handler runs before Screen's own.)
            event.refresh_styles = False
        if getattr(self, "_stale", False):
            self._redraw()

    def _redraw(self) -> None:
        self._stale = False
        self.app.show_step(self.STEP)

    def show_case(self, what: str) -> None:
        """Show the part ``what`` of the case again after it changed; each screen knows its parts."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            # No "next" at the end of the way: the footer promises no step the case does not have.
            return self.case is not None and workflow.next_step(self.case, self.STEP) is not None
        return True

    def describe_key(self, binding: Binding) -> str | None:
        """The footer's words for ``binding`` on this case (None: the binding's own)."""
        if binding.action == "next" and self.case is not None:
            return workflow.next_label(self.case, self.STEP)
        return None

    def action_back(self) -> None:
        self.app.previous_step(self.STEP)

    def action_step(self, step: str) -> None:
        if step != self.STEP:
            self.app.go(step)

    def action_next(self) -> None:
        self.app.next_step(self.STEP)
