"""A checklist that reads without colour, whose long lines wrap.

Textual's SelectionList draws every option on one line (a long Control Panel
step is cut mid-sentence at 80 columns) and its ticked and unticked boxes
differ only in colour: "▐X▌" either way, which NO_COLOR and TERM=linux cannot
tell apart. Here a ticked box is "▐X▌" and an empty one "▐ ▌", and a step's
text wraps under itself.

It is one OptionList, not a widget per step: the list keeps its own cursor
(keys that arrive together each move it one step) and draws only the lines
shown, which keeps the first screen, where it appears, quick to draw.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TICKED = "▐X▌"
EMPTY = "▐ ▌"
_INDENT = len(TICKED) + 1


class _Step:
    """A step as the list draws it: its box, then its text wrapped under itself (a hanging indent)."""

    def __init__(self, text: str, ticked: bool) -> None:
        self.text = text
        self.ticked = ticked

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - _INDENT)
        lines = Text(self.text).wrap(console, width) if self.text else [Text()]
        shown = Text(TICKED if self.ticked else EMPTY, style="bold" if self.ticked else "", no_wrap=True,
                     overflow="crop")
        for number, line in enumerate(lines):
            line.rstrip()  # in place: the spaces a wrap leaves at the end of a line
            shown.append("\n" + " " * _INDENT if number else " ")
            shown.append_text(line)
        yield shown

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(_INDENT + 1, _INDENT + len(self.text))


class Checklist(OptionList):
    """Steps to tick, one under the other: ↑↓ (or j/k) move, space or enter ticks."""

    # The cursor shows only while the list has the focus: a screen shows one cursor at a time.
    DEFAULT_CSS = """
    Checklist {
        background: transparent;
        & > .option-list--option-highlighted {
            color: $foreground;
            background: transparent;
            text-style: none;
        }
        &:focus > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Tick", tooltip="Tick or untick this step"),
        Binding("j", "cursor_down", "Next step", show=False),
        Binding("k", "cursor_up", "Previous step", show=False),
    ]

    class Toggled(Message):
        """A step was ticked or unticked by the user."""

        def __init__(self, checklist: Checklist, value: str, ticked: bool) -> None:
            super().__init__()
            self.checklist = checklist
            self.value = value
            self.ticked = ticked

        @property
        def control(self) -> Checklist:
            return self.checklist

    def __init__(self, items: list[tuple[str, str, bool]] = (), *, id: str | None = None) -> None:
        self._items = [list(item) for item in items]
        super().__init__(*self._step_options(), id=id)

    def _step_options(self) -> list[Option]:
        return [Option(_Step(text, ticked), id=value) for text, value, ticked in self._items]

    @property
    def items(self) -> list[tuple[str, str, bool]]:
        """``(text, value, ticked)`` for each step, top to bottom."""
        return [tuple(item) for item in self._items]

    def set_items(self, items: list[tuple[str, str, bool]]) -> None:
        """Show ``(text, value, ticked)`` items in place of what was there; the same steps keep the cursor."""
        same = [value for _text, value, _ticked in items] == [item[1] for item in self._items]
        highlighted = self.highlighted
        self._items = [list(item) for item in items]
        self.clear_options()
        self.add_options(self._step_options())
        # Other steps start at the first: with no step highlighted, space would tick nothing.
        if same and highlighted is not None:
            self.highlighted = highlighted
        elif self._items:
            self.highlighted = 0

    def focus_first(self) -> None:
        if self._items:
            self.highlighted = 0
            self.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # the screen's own lists must not take a step for one of theirs

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._items[event.option_index]
        item[2] = not item[2]
        self.replace_option_prompt_at_index(event.option_index, _Step(item[0], item[2]))
        self.post_message(self.Toggled(self, item[1], item[2]))
