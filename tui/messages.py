"""The messages the App sends its screens: the case changed, the analysis moved on or is ready, accounts read.

Screens react to these instead of refreshing by hand after each action: a
change made anywhere (a key, a dialog, a worker, another window) reaches
every screen that shows it. Textual's Message initialises itself in
``__post_init__``, so plain dataclasses are enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.results import Message as AnalysedMessage
    from tui.ovh.accounts import AccountList


@dataclass
class CaseChanged(Message):
    """A part of the case changed (``what``: "product", "samples", "answers"... see Case.subscribe)."""

    what: str


@dataclass
class AnalysisProgress(Message):
    """The analysis (or the reading of evidence) has got ``done`` messages of ``total`` through.

    ``batch`` holds the messages analysed since the last report when they can
    be shown before the end (evidence being read); ``total`` is None when not
    known yet.
    """

    done: int
    total: int | None
    label: str
    batch: list[AnalysedMessage] = field(default_factory=list)


@dataclass
class AnalysisReady(Message):
    """The analysed samples of the current case, in the case's order."""

    messages: list[AnalysedMessage]


@dataclass
class AccountsRead(Message):
    """The accounts at OVHcloud were read (blocked ones and what could not be read)."""

    accounts: AccountList
