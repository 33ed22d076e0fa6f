"""Step 3: the ticket's three questions, with the guide's help, the evidence and a suggested answer.

The user's own answer (yes / no / not sure, plus a comment) is what goes into
the reply; the suggestion only says what the headers point to, how sure it
is, and why. Everything on this screen is in the ticket's language.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, RadioSet, Static

from tui.core import workflow
from tui.core.answers import Suggestion, redirection_check, suggest_answers
from tui.core.questions import CHOICES, choice_label, confidence_label, help_text, question, screen_word
from tui.core.sanitise import terminal_safe
from tui.messages import AnalysisReady
from tui.screens.base import StepScreen
from tui.widgets.choices import Choice, Choices

# Evidence lines shown under a question; the detail is in the inspector.
_SHOWN_EVIDENCE = 3


class QuestionsScreen(StepScreen):
    """Three blocks, one per question; tab moves between answers and comments."""

    STEP = "questions"
    HELP = ("Step 3. OVHcloud unblocks the address only when the reply answers all three questions. "
            "For each question you see the guide's help, what the headers show, and a suggested answer "
            "with how sure it is and why. Choose your answer with the arrow keys and enter, or press u to "
            "take every suggestion at once (then check each one), and add a comment if you like: it goes "
            "into the reply.")
    BINDINGS = [
        Binding("u", "use_suggestions", "Take suggestions", id="questions.suggest",
                tooltip="Answer every question with its suggested answer (check them: they go into the reply)"),
        Binding("n", "next", "Next step", id="questions.next", tooltip="Go on to the next step"),
    ]

    @property
    def language(self) -> str:
        return self.case.ticket_language or "en"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_suggestions" and not workflow.has_ticket(self.case):
            return False
        return super().check_action(action, parameters)

    def compose_body(self) -> ComposeResult:
        language = self.language
        if not workflow.has_ticket(self.case):
            yield Static(Text("MX Plan (legacy) has no ticket, so there are no questions to answer: "
                              "changing the password unblocks the address, in the Secure step.",
                              style="bold"), classes="panel-text")
            return
        with VerticalScroll(id="questions-scroll"):
            for number in (1, 2, 3):
                answer = self.case.answers.get(number)
                with Vertical(classes="question", id=f"q{number}"):
                    yield Static(Text(f"{number}. {question(number, language)}", style="bold"),
                                 classes="question-text")
                    yield Static(Text(help_text(number, language)), classes="hint")
                    yield Static(id=f"q{number}-evidence", classes="evidence")
                    with Choices(id=f"q{number}-choice", classes="choices"):
                        for choice in CHOICES:
                            yield Choice(choice_label(choice, language), value=bool(answer and answer.choice == choice),
                                         id=f"q{number}-{choice.replace(' ', '-')}")
                    yield Input(value=answer.comment if answer else "", id=f"q{number}-comment",
                                placeholder=screen_word("comment", language))

    def on_mount(self) -> None:
        super().on_mount()
        self.suggestions: dict[int, Suggestion] = {}
        if not workflow.has_ticket(self.case):
            return
        for number in (1, 2, 3):
            self.query_one(f"#q{number}-evidence", Static).update(
                Text(screen_word("reading", self.language), style="italic"))
        self.query_one("#q1-choice", RadioSet).focus(scroll_visible=False)
        messages = self.app.analysed_messages()
        if messages is not None:
            self._show_suggestions(messages)

    def on_analysis_ready(self, event: AnalysisReady) -> None:
        if workflow.has_ticket(self.case):
            self._show_suggestions(event.messages)

    def _show_suggestions(self, messages) -> None:
        self._messages = messages
        check = redirection_check(self.case.redirection_check)
        found = suggest_answers(messages, self.case.address, self.language, check)
        self.suggestions = {suggestion.question: suggestion for suggestion in found}
        for number in (1, 2, 3):
            self.query_one(f"#q{number}-evidence", Static).update(self._evidence(number))
        # The screen opens at the top of question 1, its evidence included, whatever the focus scrolled to.
        scroll = self.query_one("#questions-scroll", VerticalScroll)
        self.call_after_refresh(scroll.scroll_home, animate=False)

    def _evidence(self, number: int) -> Text:
        language = self.language
        suggestion = self.suggestions.get(number)
        text = Text()
        if suggestion is None:
            text.append(screen_word("no_evidence", language), style="italic")
            return text
        for item in suggestion.evidence[:_SHOWN_EVIDENCE]:
            text.append("  • ", style="dim")
            text.append(f"{terminal_safe(item.header)}: ", style="dim")
            text.append(terminal_safe(item.value)[:160])
            text.append("\n")
        text.append(f"{screen_word('suggested', language)}: ", style="bold")
        text.append(f" {choice_label(suggestion.answer, language)} ", style="bold reverse")
        text.append(f" ({confidence_label(suggestion.confidence, language)})  ", style="italic")
        text.append(terminal_safe(suggestion.reason))
        return text

    def show_case(self, what: str) -> None:
        # The OVHcloud API's reading of the redirections arrived: question 2 rests on it now.
        if what == "redirections" and getattr(self, "_messages", None) is not None:
            self._show_suggestions(self._messages)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        number = int(event.radio_set.id[1])
        choice = CHOICES[event.index]
        comment = self.query_one(f"#q{number}-comment", Input).value
        self.case.set_answer(number, choice, comment)

    def on_input_changed(self, event: Input.Changed) -> None:
        number = int(event.input.id[1])
        answer = self.case.answers.get(number)
        # A comment typed before the choice is saved with the choice.
        if answer is not None and answer.choice is not None and answer.comment != event.value:
            self.case.set_answer(number, answer.choice, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_use_suggestions(self) -> None:
        if not self.suggestions:
            self.notify("The evidence is still being read: try again in a moment.", severity="warning")
            return
        taken = []
        for number, suggestion in sorted(self.suggestions.items()):
            index = CHOICES.index(suggestion.answer)
            self.query_one(f"#q{number}-choice", RadioSet).query(Choice)[index].value = True
            taken.append(f"{number} {choice_label(suggestion.answer, self.language)}")
        self.notify(f"Took the suggested answers ({', '.join(taken)}). Check each one: your answers go into "
                    "the reply.", timeout=6)

