"""The messages the App sends its screens: the case changed, the analysis moved on or is ready, accounts read.

Screens react to these instead of refreshing by hand after each action: a
change made anywhere (a key, a dialog, a worker, another window) reaches
every screen that shows it. Written out by hand, as Textual writes its own
messages: they are built before the first frame, where a dataclass's
generated methods cost more than they save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.results import Message as AnalysedMessage
    from tui.ovh.accounts import AccountList


class CaseChanged(Message):
    """A part of the case changed (``what``: "product", "samples", "answers"... see Case.subscribe)."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what


class AnalysisProgress(Message):
    """The analysis (or the reading of evidence) has got ``done`` messages of ``total`` through.

    ``batch`` holds the messages analysed since the last report when they can
    be shown before the end (evidence being read); ``total`` is None when not
    known yet.
    """

    def __init__(self, done: int, total: int | None, label: str, batch: list[AnalysedMessage] | None = None) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.label = label
        self.batch = [] if batch is None else batch


class AnalysisReady(Message):
    """The analysed samples of the current case, in the case's order."""

    def __init__(self, messages: list[AnalysedMessage]) -> None:
        super().__init__()
        self.messages = messages


class AccountsRead(Message):
    """The accounts at OVHcloud were read (blocked ones and what could not be read)."""

    def __init__(self, accounts: AccountList) -> None:
        super().__init__()
        self.accounts = accounts
