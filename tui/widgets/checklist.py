"""A checklist that reads without colour, whose long lines wrap.

Textual's SelectionList draws every option on one line (a long Control Panel
step is cut mid-sentence at 80 columns) and its ticked and unticked boxes
differ only in colour: "▐X▌" either way, which NO_COLOR and TERM=linux cannot
tell apart. Here a ticked box is "▐X▌" and an empty one "▐ ▌", and a step's
text wraps under itself.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

TICKED = "▐X▌"
EMPTY = "▐ ▌"


class CheckItem(Widget, can_focus=True):
    """One line of a checklist: a box, ticked or empty, and its text wrapped under itself."""

    DEFAULT_CSS = """
    CheckItem {
        height: auto;
        padding: 0 1;
    }
    CheckItem:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "toggle", "Tick", tooltip="Tick or untick this step"),
    ]
    ticked: reactive[bool] = reactive(False)

    class Toggled(Message):
        """The box was ticked or unticked by the user."""

        def __init__(self, item: CheckItem) -> None:
            super().__init__()
            self.item = item

        @property
        def control(self) -> CheckItem:
            return self.item

    def __init__(self, text: str, value: str, ticked: bool = False) -> None:
        super().__init__()
        self.text = text
        self.value = value
        self.set_reactive(CheckItem.ticked, ticked)

    def render(self) -> RenderableType:
        return self._wrapped(self.content_region.width or self.size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._wrapped(width).plain.split("\n"))

    def _wrapped(self, width: int) -> Text:
        """The box, then the text wrapped under itself (a hanging indent) at ``width`` cells.

        Built by hand rather than as a two-column table: measuring a table for every layout
        pass cost more than the rest of the first screen's rendering."""
        box = TICKED if self.ticked else EMPTY
        lines = Text(self.text).wrap(self.app.console, max(1, width - len(box) - 1)) if self.text else [Text()]
        shown = Text(box, style="bold" if self.ticked else "")
        for number, line in enumerate(lines):
            shown.append("\n" + " " * (len(box) + 1) if number else " ")
            line.rstrip()  # in place: the spaces a wrap leaves at the end of a line
            shown.append_text(line)
        return shown

    def action_toggle(self) -> None:
        self.ticked = not self.ticked
        self.post_message(self.Toggled(self))


class Checklist(VerticalScroll, can_focus=False):
    """Items to tick, one under the other; ↑↓ move between them, space ticks."""

    DEFAULT_CSS = """
    Checklist {
        height: auto;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next step", show=False),
        Binding("up,k", "move(-1)", "Previous step", show=False),
    ]

    def set_items(self, items: list[tuple[str, str, bool]]) -> None:
        """Show ``(text, value, ticked)`` items in place of what was there.

        The same items again (the same product shown once more) only have their
        ticks set: no widget is mounted for nothing.
        """
        current = self.items
        if [item.value for item in current] == [value for _text, value, _ticked in items]:
            for item, (_text, _value, ticked) in zip(current, items):
                item.ticked = ticked
            return
        self.remove_children()
        self.mount_all(CheckItem(text, value, ticked) for text, value, ticked in items)

    @property
    def items(self) -> list[CheckItem]:
        return list(self.query_children(CheckItem))

    def focus_first(self) -> None:
        items = self.items
        if items:
            self._focus(items[0])

    def action_move(self, step: int) -> None:
        items = self.items
        # The screen's focused widget, not the items' has_focus: that one follows a Focus event still queued.
        focused = self.screen.focused
        current = next((n for n, item in enumerate(items) if item is focused), None)
        if current is None:
            self.focus_first()
            return
        self._focus(items[max(0, min(len(items) - 1, current + step))])

    def _focus(self, item: CheckItem) -> None:
        """Focus ``item`` now, not after the keys already queued: widget.focus() waits its turn, so in a
        burst of keys (a held arrow key, keys typed ahead over SSH) every ↓ would start from the same
        item and the space after them would tick the first one."""
        self.screen.set_focus(item)
        item.scroll_visible(animate=False)
