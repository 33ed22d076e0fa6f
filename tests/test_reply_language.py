"""One language throughout: the reply (and the suggestions' reasons) that taking every suggestion gives, for
the demo ticket and every fixture, holds no common word of the other language outside quoted header values."""

from __future__ import annotations

from pathlib import Path

import pytest

from languages import stray_words
from tui.core.analysis import analyse
from tui.core.answers import suggest_answers
from tui.core.demo import DEMO_TICKET
from tui.core.model import Expectations
from tui.core.reply import ReplyOptions, write_reply
from tui.core.sources import read_inputs, read_ticket_file

FIXTURES = Path(__file__).parent / "fixtures"
EVERY_FIXTURE = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
TICKETS = [DEMO_TICKET, *(p for p in EVERY_FIXTURE if read_ticket_file(str(p)) is not None)]


def drafted(path: Path, language: str, countries: list[str]) -> tuple[str, list[str]]:
    ticket = read_ticket_file(str(path))
    account = ticket.address if ticket else None
    expectations = Expectations(account=account, countries=countries)
    messages = [analyse(h, expectations) for h in read_inputs([str(path)]) if hasattr(h, "fields")]
    suggestions = suggest_answers(messages, account, language)
    reply = write_reply(account, messages, {s.question: (s.answer, "") for s in suggestions}, ReplyOptions(language))
    return reply, [s.reason for s in suggestions]


def test_the_tickets_are_found():
    names = {p.name for p in TICKETS}
    assert {"demo-ticket.txt", "list-reply-en.txt", "list-reply-fr.txt", "ticket-fr-notification.eml"} <= names
    assert len(TICKETS) >= 8


@pytest.mark.parametrize("countries", [[], ["FR"]], ids=["no-countries", "sends-from-FR"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", TICKETS, ids=lambda p: p.name)
def test_a_tickets_reply_is_in_one_language(path, language, countries):
    reply, reasons = drafted(path, language, countries)
    assert not stray_words(reply, language), reply
    for reason in reasons:
        assert not stray_words(reason, language), reason


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", [p for p in EVERY_FIXTURE if p not in TICKETS], ids=lambda p: p.name)
def test_any_fixtures_reply_is_in_one_language(path, language):
    if not any(hasattr(h, "fields") for h in read_inputs([str(path)])):
        pytest.skip("no header to analyse")
    reply, reasons = drafted(path, language, ["FR"])
    assert not stray_words(reply, language), reply
    for reason in reasons:
        assert not stray_words(reason, language), reason


def test_the_check_catches_a_forgotten_translation():
    assert stray_words("Nous avons vérifié. The messages were sent from RU.", "fr") == ["the", "were", "sent", "from"]
    assert stray_words("We checked « les messages du lundi » and sent them.", "en") == []
    assert stray_words("We checked the messages avec soin.", "en") == ["avec"]
