"""Radio buttons that read without colour: a chosen answer "▐●▌", an unchosen one "▐ ▌".

Textual's RadioButton draws "▐●▌" either way, which NO_COLOR and TERM=linux
cannot tell apart. And a radio set's cursor starts on the chosen answer here
(Textual's starts on the first, so enter on a screen shown again changed the
answer).
"""

from __future__ import annotations

from textual.widgets import RadioButton, RadioSet


class Choice(RadioButton):
    """A radio button whose dot is there only when it is chosen."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual reads the class attribute's name)
        return "●" if self.value else " "


class Choices(RadioSet):
    """A radio set whose cursor starts on the chosen answer, so that enter keeps it instead of taking the first."""

    def on_focus(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index
