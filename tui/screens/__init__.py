"""One module per screen; ``step_screen`` builds the screen of a workflow step."""

from __future__ import annotations


def step_screen(step: str):
    """A fresh screen for workflow step ``step`` (it reads the Case when mounted)."""
    if step == "product":
        from tui.screens.product import ProductScreen

        return ProductScreen()
    if step == "ticket":
        from tui.screens.ticket import TicketScreen

        return TicketScreen()
    if step == "questions":
        from tui.screens.questions import QuestionsScreen

        return QuestionsScreen()
    if step == "reply":
        from tui.screens.reply import ReplyScreen

        return ReplyScreen()
    if step == "remediation":
        from tui.screens.remediation import RemediationScreen

        return RemediationScreen()
    raise ValueError(f"no such step: {step}")
