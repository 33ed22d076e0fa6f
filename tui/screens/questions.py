"""Step 3: the ticket's three questions, with the guide's help, the evidence and a suggested answer.

The user's own answer (yes / no / not sure, plus a comment) is what goes into
the reply; the suggestion only says what the headers point to, and why.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, RadioButton, RadioSet, Static

from tui.core import workflow
from tui.core.answers import suggest_answers
from tui.core.questions import CHOICES, help_text, question
from tui.core.sanitise import terminal_safe
from tui.messages import AnalysisReady
from tui.screens.base import StepScreen

CHOICE_LABELS = {"yes": "Yes", "no": "No", "not sure": "Not sure"}


class QuestionsScreen(StepScreen):
    """Three blocks, one per question; tab moves between answers and comments."""

    STEP = "questions"
    HELP = ("Step 3. OVHcloud unblocks the address only when the reply answers all three questions. "
            "For each question you see the guide's help, what the headers show, and a suggested answer "
            "with its reason. Choose your answer with the arrow keys and enter (or press u to take the "
            "suggestion), and add a comment if you like: it goes into the reply.")
    BINDINGS = [
        Binding("u", "use_suggestion", "Use suggestion", id="questions.suggest",
                tooltip="Answer the focused question with the suggested answer"),
        Binding("n", "next", "Next: reply", id="questions.next", tooltip="Go to step 4: the reply"),
    ]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "use_suggestion" and not workflow.has_ticket(self.case):
            return False
        return True

    def compose_body(self) -> ComposeResult:
        language = self.case.ticket_language or "en"
        if not workflow.has_ticket(self.case):
            yield Static(Text("MX Plan (legacy) has no ticket, so there are no questions to answer: "
                              "changing the password unblocks the address. Press n to go to that step.",
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
                    with RadioSet(id=f"q{number}-choice", classes="choices"):
                        for choice in CHOICES:
                            yield RadioButton(CHOICE_LABELS[choice],
                                              value=bool(answer and answer.choice == choice),
                                              id=f"q{number}-{choice.replace(' ', '-')}")
                    yield Input(value=answer.comment if answer else "", id=f"q{number}-comment",
                                placeholder="Comment for the reply (optional)")

    def on_mount(self) -> None:
        super().on_mount()
        self.suggestions = {}
        if not workflow.has_ticket(self.case):
            return
        for number in (1, 2, 3):
            self.query_one(f"#q{number}-evidence", Static).update(Text("Reading the evidence…", style="italic"))
        self.query_one("#q1-choice", RadioSet).focus()
        messages = self.app.analysed_messages()
        if messages is not None:
            self._show_suggestions(messages)

    def on_analysis_ready(self, event: AnalysisReady) -> None:
        if workflow.has_ticket(self.case):
            self._show_suggestions(event.messages)

    def _show_suggestions(self, messages) -> None:
        self.suggestions = {s.question: s for s in suggest_answers(messages, self.case.address)}
        for number in (1, 2, 3):
            self.query_one(f"#q{number}-evidence", Static).update(self._evidence(number))

    def _evidence(self, number: int) -> Text:
        suggestion = self.suggestions.get(number)
        text = Text()
        if suggestion is None:
            text.append("No evidence in the headers for this question.", style="italic")
            return text
        for item in suggestion.evidence[:3]:
            text.append("  • ", style="dim")
            text.append(f"{item.header}: ", style="dim")
            text.append(terminal_safe(item.value)[:160])
            text.append("\n")
        text.append("Suggested: ", style="bold")
        text.append(CHOICE_LABELS.get(suggestion.answer, suggestion.answer), style="bold reverse")
        text.append("  ")
        text.append(terminal_safe(suggestion.reason))
        return text

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

    def _focused_question(self) -> int | None:
        node = self.focused
        while node is not None:
            if node.id in ("q1", "q2", "q3"):
                return int(node.id[1])
            node = node.parent
        return None

    def action_use_suggestion(self) -> None:
        number = self._focused_question()
        if number is None:
            self.notify("Move to a question first (tab).", severity="warning")
            return
        suggestion = self.suggestions.get(number)
        if suggestion is None:
            self.notify("There is no suggestion for this question.", severity="warning")
            return
        index = CHOICES.index(suggestion.answer) if suggestion.answer in CHOICES else 2
        button = self.query_one(f"#q{number}-choice", RadioSet).query(RadioButton)[index]
        button.value = True
