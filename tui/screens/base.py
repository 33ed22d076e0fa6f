"""The base of every workflow screen: the step bar, step keys, back and next.

A step screen reads the app's Case in ``refresh_view`` and changes it only
through the Case's methods (which the store saves).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.case import Case
from tui.widgets.stepbar import StepBar

STEP_KEYS = [
    Binding("f2", "step('product')", "Product step", show=False, id="step.product",
            tooltip="Go to step 1: choose your product and follow the Control Panel steps"),
    Binding("f3", "step('ticket')", "Ticket step", show=False, id="step.ticket",
            tooltip="Go to step 2: the ticket and the header inspector"),
    Binding("f4", "step('questions')", "Questions step", show=False, id="step.questions",
            tooltip="Go to step 3: answer the ticket's three questions"),
    Binding("f5", "step('reply')", "Reply step", show=False, id="step.reply",
            tooltip="Go to step 4: the reply to the ticket"),
    Binding("f6", "step('remediation')", "Secure step", show=False, id="step.remediation",
            tooltip="Go to step 5: scan devices, update software, change the password"),
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

    @property
    def case(self) -> Case:
        return self.app.case

    def compose(self) -> ComposeResult:
        from tui.app import STEPS

        yield StepBar(STEPS, self.STEP, self.case.title(), done=self.steps_done(), skipped=self.steps_skipped())
        with Vertical(classes="step-body"):
            yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.freeze_cursors()

    def freeze_cursors(self) -> None:
        """Stop cursors blinking when the app asks (snapshot tests)."""
        if not getattr(self.app, "cursor_blink", True):
            for widget in self.query("Input, TextArea"):
                widget.cursor_blink = False

    def steps_done(self) -> set[str]:
        case = self.case
        done = set()
        if case.product_confirmed:
            done.add("product")
        if case.samples:
            done.add("ticket")
        if case.all_answered():
            done.add("questions")
        if case.reply_text:
            done.add("reply")
        if case.password_changed_at:
            done.add("remediation")
        return done

    def steps_skipped(self) -> set[str]:
        if self.case.product == "mxplan_legacy":
            return {"questions", "reply"}
        return set()

    def action_back(self) -> None:
        self.app.previous_step(self.STEP)

    def action_step(self, step: str) -> None:
        if step != self.STEP:
            self.app.go(step)

    def action_next(self) -> None:
        self.app.next_step(self.STEP)
