"""The step bar: where the user is in the workflow, which steps are done, and the case's address.

Shown at the top of every workflow screen. The current step is marked with
brackets as well as colour, so it reads the same without colour. It reads
the Case itself, so a change anywhere ticks or unticks a step.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.core import workflow
from tui.core.case import Case
from tui.core.sanitise import terminal_safe


class StepBar(Widget):
    """One line: the case, then each step with its F-key; the current one in [brackets]."""

    DEFAULT_CSS = """
    StepBar {
        height: 1;
    }
    """

    def __init__(self, case: Case, current: str) -> None:
        super().__init__(classes="stepbar")
        self.case = case
        self.current = current
        # The bar as last drawn, and the width it was drawn for: layout passes ask again and again.
        self._drawn: tuple[int, Text] | None = None

    def show_case(self) -> None:
        """Draw the bar again from the case (after it changed). Its size never changes: no new layout."""
        self._drawn = None
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self.render_bar())
        return self._drawn[1]

    def render_bar(self) -> Text:
        done = workflow.done_steps(self.case)
        skipped = workflow.skipped_steps(self.case)
        steps = Text()
        for step in workflow.STEPS:
            key = step.key.upper()
            if step.id == self.current:
                steps.append(f"[{key} {step.label}]", style="reverse bold")
            elif step.id in skipped:
                steps.append(f" {key} {step.label} ", style="dim strike")
            elif step.id in done:
                steps.append(f" {key} {step.label}✓", style="")
            else:
                steps.append(f" {key} {step.label} ", style="dim")
        room = max(self.size.width - steps.cell_len - 3, 8) if self.size.width else 24
        title = terminal_safe(self.case.title())
        if len(title) > room:
            title = title[: room - 1] + "…"
        text = Text(title, style="bold")
        text.append("  ")
        text.append_text(steps)
        return text
