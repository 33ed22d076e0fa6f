"""The password meter: a masked field, zxcvbn's verdict, the product's rules and the NCSC advice.

The password lives only in the Input while the screen is open: it is never
saved, logged, exported, or put in the Case. The assessment runs in a worker
because zxcvbn loads its dictionaries on first use.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

SCORE_WORDS = ("very weak", "weak", "fair", "strong", "very strong")


class PasswordMeter(Vertical):
    """Type a candidate password; see how strong it is and whether the product accepts it."""

    DEFAULT_CSS = """
    PasswordMeter {
        height: auto;
    }
    #password-verdict {
        height: auto;
        margin: 1 0;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Leave field", id="password.leave",
                tooltip="Stop typing, to use the keys of the Password tab"),
    ]

    def __init__(self, product_id: str | None, user_inputs: list[str], advice: str, language: str = "en",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.product_id = product_id
        self.user_inputs = user_inputs
        self.advice = advice
        self.language = language

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return self.query_one(Input).has_focus
        return True

    def action_leave(self) -> None:
        self.screen.set_focus(None)

    def compose(self) -> ComposeResult:
        yield Input(password=True, placeholder="Type the new password to test it (never saved)",
                    id="password-input")
        yield Static(Text("Type a password to see how strong it is.", style="italic"), id="password-verdict")
        yield Static(Text(self.advice, style="dim"), id="password-advice")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value:
            self.query_one("#password-verdict", Static).update(
                Text("Type a password to see how strong it is.", style="italic"))
            return
        self._assess(event.value)

    @work(thread=True, exclusive=True, group="password")
    def _assess(self, password: str) -> None:
        from tui.core.password import assess

        result = assess(password, self.product_id, self.user_inputs, self.language)
        self.app.call_from_thread(self._show, result)

    def _show(self, result) -> None:
        self.query_one("#password-verdict", Static).update(render_assessment(result))

    def clear(self) -> None:
        """Forget what was typed."""
        self.query_one(Input).value = ""


def render_assessment(result) -> Text:
    """The verdict as text: a bar, words, crack time, rules and zxcvbn's feedback."""
    text = Text()
    filled = result.score + 1
    style = "red" if result.score < 2 else "yellow" if result.score < 3 else "green"
    text.append("[" + "■" * filled + "·" * (5 - filled) + "] ", style=style)
    text.append(f"{SCORE_WORDS[result.score]} ({result.score}/4)", style=f"bold {style}")
    text.append(f"   time to crack offline: {result.crack_time}\n")
    verdict = "Acceptable." if result.acceptable else "Not acceptable yet."
    text.append(verdict, style="bold")
    for problem in result.rule_problems:
        text.append(f"\n✗ {problem}", style="red")
    if result.warning:
        text.append(f"\n! {result.warning}", style="yellow")
    for suggestion in result.suggestions[:2]:
        text.append(f"\n- {suggestion}")
    return text
