"""Recognising the "Account locked for spam" ticket in English and French, however it was pasted."""

import re
import textwrap
from pathlib import Path

from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st

from tui.core.questions import QUESTIONS
from tui.core.ticket import parse_ticket, split_ticket

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
EN = (FIXTURES / "ticket-en-3-blocks.txt").read_text()
FR_QUOTED_CRLF = (FIXTURES / "ticket-fr-quoted-crlf.txt").read_bytes().decode()


def rewrap(text: str, width: int) -> str:
    """Each long line broken at spaces the way a mail client does, continuations at column 0."""
    out = []
    for line in text.split("\n"):
        out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line])
    return "\n".join(out)


def assert_english(ticket):
    assert ticket is not None
    assert ticket.language == "en"
    assert ticket.address == "contact@boulangerie-martin.fr"
    assert ticket.service == "boulangerie-martin.fr"
    assert ticket.suspicious_count == 37
    assert ticket.questions == list(QUESTIONS["en"])


def assert_french(ticket):
    assert ticket is not None
    assert ticket.language == "fr"
    assert ticket.address == "compta@menuiserie-lefort.fr"
    assert ticket.service == "emailpro-lf48213"
    assert ticket.suspicious_count == 12
    assert ticket.questions == list(QUESTIONS["fr"])


def test_english_ticket():
    assert_english(parse_ticket(EN))


def test_french_ticket_quoted_with_crlf_and_bold_markers():
    assert "\r\n> " in FR_QUOTED_CRLF and "**" in FR_QUOTED_CRLF
    assert_french(parse_ticket(FR_QUOTED_CRLF))


def test_rewrapped_at_72_and_quoted():
    assert_english(parse_ticket((FIXTURES / "ticket-en-wrapped-72.txt").read_text()))


def test_rewrapped_at_any_column():
    for width in (20, 35, 50, 100):
        assert_english(parse_ticket(rewrap(EN, width)))
        assert_french(parse_ticket(rewrap(FR_QUOTED_CRLF.replace("\r\n", "\n"), width)))


def test_deep_quoting_leading_spaces_and_extra_blank_lines():
    noisy = "\n".join(f"   > >  > {line}\n>" for line in EN.split("\n"))
    assert_english(parse_ticket(noisy))


def test_ticket_text_and_what_follows_it():
    ticket, rest = split_ticket(EN)
    assert ticket.text.startswith("Dear Customer,\n\nOur system has detected")
    assert ticket.text.endswith("These answers will help us re-enable your account quickly.")
    assert "Dear Customer" not in rest and "Are you the sender" not in rest
    assert rest.lstrip().startswith("<br>")
    assert "Return-Path: <contact@boulangerie-martin.fr>" in rest


def test_remainder_of_a_crlf_ticket_is_the_sample():
    ticket, rest = split_ticket(FR_QUOTED_CRLF)
    assert ticket.text.startswith("Cher Client,")
    assert ticket.text.endswith("rapidement.")
    assert "> > Received: from mail.example-relay.ru" in rest
    assert "Avez-vous" not in rest


def test_questions_are_taken_as_the_ticket_words_them():
    reworded = EN.replace("Have you responded to spam?", "Have you replied to any spam message?")
    assert parse_ticket(reworded).questions[2] == "Have you replied to any spam message?"


def test_questions_without_their_introduction_are_found_by_their_opening_words():
    partial = EN.replace("please reply to this email by answering the following questions:", "")
    assert parse_ticket(partial).questions == list(QUESTIONS["en"])


def test_a_ticket_pasted_without_its_first_paragraph():
    start = EN.index("To help us")
    ticket = parse_ticket(EN[start:])
    assert ticket.address == "contact@boulangerie-martin.fr"
    assert ticket.service is None and ticket.suspicious_count is None
    assert ticket.questions == list(QUESTIONS["en"])


def test_typographic_apostrophes_and_non_breaking_spaces():
    french = FR_QUOTED_CRLF.replace("l'adresse", "l’adresse").replace(" :", "\u00a0:").replace(" ?", "\u00a0?")
    ticket = parse_ticket(french)
    assert ticket.address == "compta@menuiserie-lefort.fr"
    assert ticket.questions == list(QUESTIONS["fr"])


def test_guides_examples_are_tickets():
    for name, language in (("guide-2024.en-gb.md", "en"), ("guide-2024.fr-fr.md", "fr")):
        guide = shared_path("reference", name).read_text()
        start = re.search(r"^> (Dear Customer|Cher Client),", guide, re.MULTILINE).start()
        ticket = parse_ticket(guide[start:])
        assert ticket.language == language
        assert ticket.address in ("address@example.com", "youraddress@example.com")
        assert ticket.suspicious_count is None  # the guides show "X"
        assert ticket.questions == list(QUESTIONS[language])


def test_not_a_ticket():
    assert parse_ticket("") is None
    assert parse_ticket((FIXTURES / "blocks-a.txt").read_text()) is None
    assert parse_ticket("My account is a source of spam, says OVH. I have no redirection rule.") is None
    assert split_ticket("Subject: hi\n") == (None, "Subject: hi\n")


@given(st.text())
def test_any_text(text):
    ticket, rest = split_ticket(text)
    assert ticket is None or isinstance(ticket.questions, list)
    assert isinstance(rest, str)


@given(st.text(alphabet=" \n>*-?:", max_size=40))
def test_ticket_with_noise_around_it_is_still_found(noise):
    assert_english(parse_ticket(noise + "\n" + EN + "\n" + noise))


def test_ticket_in_the_body_of_a_message_whose_header_has_the_same_words():
    header = "Received: from hosted.example.net ([192.0.2.1])\nX-Filter: suspect redirection suspicious hébergée\n"
    ticket, rest = split_ticket(header + "Subject: Account locked for spam\n\n" + EN)
    assert_english(ticket)
    assert "Return-Path: <contact@boulangerie-martin.fr>" in rest
