"""Small modal dialogs shared by the screens: confirm, ask for a line, paste text, view text, help, detail.

Each is a ``ModalScreen[T]`` that returns its value through ``dismiss()``;
escape always cancels (returns None, or False for a confirmation).
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from tui.core.sanitise import pasted_text, terminal_safe_lines


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; y or enter confirms, n or escape cancels."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.detail = detail
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.question), classes="dialog-title")
            if self.detail:
                yield Static(Text(self.detail), classes="dialog-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class AskDialog(ModalScreen[str | None]):
    """Ask for one line of text (a path, a device name...). Enter accepts, escape cancels.

    ``check`` may return an error message for a value that cannot be used;
    the dialog then stays open with the message and the text kept.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, title: str, hint: str = "", value: str = "", placeholder: str = "",
                 check=None) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            if self.hint:
                yield Static(Text(self.hint), classes="dialog-detail")
            yield Input(value=self.value, placeholder=self.placeholder, id="ask-input")
            yield Static("", id="ask-error", classes="error-text")
            yield Static(Text("enter: OK   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = self.app.cursor_blink if hasattr(self.app, "cursor_blink") else True
        # At once (field.focus() would wait for the keys already queued, which then reach no field).
        self.set_focus(field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.check is not None:
            problem = self.check(value)
            if problem:
                self.query_one("#ask-error", Static).update(Text(problem))
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few choices with the arrows and enter; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, choices: list[str], current: str | None = None, hint: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.choices = choices
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            if self.hint:
                yield Static(Text(self.hint), classes="dialog-detail")
            yield OptionList(*self.choices, id="choice-list")
            yield Static(Text("↑↓ choose   enter: OK   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        else:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class PasteArea(TextArea):
    """A text box whose every edit (a paste, typing, ``insert``) is made terminal-safe as it comes in.

    Pasted headers are a spammer's text: an ESC, a C1 control or a bidi
    override drawn as it is would drive the terminal. Each is kept as its
    visible symbol instead ("␛", "\\x9b"), so the box shows, and the dialog
    returns, the same inert text.
    """

    inert = staticmethod(pasted_text)

    def edit(self, edit: Edit) -> EditResult:
        edit.text = pasted_text(edit.text)
        return super().edit(edit)


class PasteDialog(ModalScreen[str | None]):
    """A large text box to paste a ticket or headers into (bracketed paste of many KB works).

    F2 or the button accepts; escape cancels without losing what is already saved.
    What is pasted is shown, and returned, with its control characters made visible.
    """

    BINDINGS = [
        Binding("f2", "accept", "Use this text", id="paste.accept"),
        Binding("escape", "cancel", "Cancel", id="paste.cancel"),
    ]

    def __init__(self, title: str, hint: str = "", text: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.hint = hint
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box dialog-large"):
            yield Label(Text(self.title_text), classes="dialog-title")
            if self.hint:
                yield Static(Text(self.hint), classes="dialog-detail")
            yield PasteArea(PasteArea.inert(self.text), id="paste-area", soft_wrap=False, show_line_numbers=False)
            yield Static(Text("Paste with your terminal (right-click or shift+insert). "
                              "F2: use this text   escape: cancel", style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.focus()

    def action_accept(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextViewer(ModalScreen[None]):
    """Show text in a read-only, selectable box (for copying by hand when no clipboard works)."""

    BINDINGS = [Binding("escape,q", "close", "Close", id="viewer.close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box dialog-large"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield TextArea(terminal_safe_lines(self.text), read_only=True, soft_wrap=True, id="viewer-area")
            yield Static(Text("Select with shift+arrows or the mouse; escape closes.", style="dim"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.focus()

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key that works on the screen below, with what it does, plus the global ones.

    The keys are a Rich table in a scrolling box rather than a DataTable: its
    descriptions wrap at 80 columns instead of running off the right edge.
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close", id="help.close")]

    def __init__(self, intro: str, bindings: list[tuple[str, str, str]],
                 editing: list[tuple[str, str, str]] | None = None) -> None:
        """``bindings`` are the app's own keys, most particular first; ``editing`` the text box's keys."""
        super().__init__(classes="dialog")
        self.intro = intro
        self.editing = editing or []
        self.rows = [*bindings, *self.editing]
        self.own = bindings

    def compose(self) -> ComposeResult:
        keys = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, expand=True)
        keys.add_column("Key", no_wrap=True, style="bold")
        keys.add_column("What it does", ratio=1)
        for heading, rows in ((None, self.own), ("In the text box", self.editing)):
            if heading and rows:
                keys.add_row(Text(""), Text(heading, style="bold"))
            for key, description, tooltip in rows:
                what = Text(description)
                if tooltip:
                    what.append(f": {tooltip}", style="dim")
                keys.add_row(Text(key), what)
        with Vertical(classes="dialog-box dialog-large"):
            yield Label("Help", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Text(self.intro), classes="dialog-detail")
                yield Static(keys, id="help-keys")
            yield Static(Text("↑↓ pgup pgdn: scroll   escape: close", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class DetailScreen(ModalScreen[None]):
    """Everything about one message, hop or finding, scrollable; escape closes it."""

    DEFAULT_CSS = """
    DetailScreen {
        align: center middle;
    }
    #detail-dialog {
        width: 90%;
        max-width: 120;
        height: 90%;
        border: round $accent;
        background: $panel;
        padding: 0 1;
    }
    #detail-title {
        height: auto;
        padding-bottom: 1;
    }
    #detail-scroll {
        height: 1fr;
    }
    #detail-body {
        height: auto;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back to the inspector"),
    ]

    def __init__(self, title: Content, body: Content) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-dialog"):
            yield Static(self._title, id="detail-title")
            with VerticalScroll(id="detail-scroll"):
                yield Static(self._body, id="detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmTextDialog(ModalScreen[bool]):
    """Ask before sending a text away, showing exactly what will be sent; y sends, n or escape does not."""

    BINDINGS = [
        Binding("y", "answer(True)", "Send it", id="send.yes"),
        Binding("n,escape", "answer(False)", "Do not send", id="send.no"),
    ]

    def __init__(self, question: str, detail: str, text: str, yes: str = "Send") -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.detail = detail
        self.text = text
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box dialog-large"):
            yield Label(Text(self.question), classes="dialog-title")
            yield Static(Text(self.detail), classes="dialog-detail")
            yield TextArea(terminal_safe_lines(self.text), read_only=True, soft_wrap=True, id="send-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button("Do not send (n)", id="no")

    def on_mount(self) -> None:
        # The safe answer has the focus; the text can still be scrolled and read with the mouse.
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
