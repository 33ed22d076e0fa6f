"""The step bar: where the user is in the workflow, which steps are done, and the case's address.

Shown at the top of every workflow screen. The current step is marked with
brackets as well as colour, so it reads the same without colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.core.sanitise import terminal_safe


class StepBar(Static):
    """One line: the case, then each step with its F-key; the current one in [brackets]."""

    def __init__(self, steps: tuple[tuple[str, str], ...], current: str, title: str,
                 done: set[str] | None = None, skipped: set[str] | None = None) -> None:
        super().__init__(classes="stepbar")
        self.steps = steps
        self.current = current
        self.case_title = title
        self.done = done or set()
        self.skipped = skipped or set()

    def on_mount(self) -> None:
        self.update(self.render_bar())

    def render_bar(self) -> Text:
        steps = Text()
        for number, (step, label) in enumerate(self.steps, start=2):
            if step == self.current:
                steps.append(f"[F{number} {label}]", style="reverse bold")
            elif step in self.skipped:
                steps.append(f" F{number} {label} ", style="dim strike")
            elif step in self.done:
                steps.append(f" F{number} {label}✓", style="")
            else:
                steps.append(f" F{number} {label} ", style="dim")
        room = max(self.size.width - steps.cell_len - 3, 8) if self.size.width else 24
        title = terminal_safe(self.case_title)
        if len(title) > room:
            title = title[: room - 1] + "…"
        text = Text(title, style="bold")
        text.append("  ")
        text.append_text(steps)
        return text

    def on_resize(self) -> None:
        self.update(self.render_bar())
