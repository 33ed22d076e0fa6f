"""Every word the suggestions, the reply and the Questions screen use exists in English and French, in one language each."""

from __future__ import annotations

import string

import pytest

from languages import stray_words
from test_findings import compromised, message_of, plain as plain_headers
from tui.core import reasons, summary
from tui.core.casereport import _WORDS as REPORT_WORDS
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding
from tui.core.phrases import GENERAL, PHRASES, finding_phrase, general_phrase, plain, quoted
from tui.core.questions import (
    CHOICE_LABELS, CHOICES, CONFIDENCE_LABELS, CONFIDENCES, SCREEN_WORDS, choice_label, confidence_label, screen_word,
)
from tui.core.reply import _ANSWERS, _TEXT

VOICES = ("reply", "user")


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_finding_id_has_a_phrase_in_english_and_french():
    assert set(PHRASES) == set(FindingId)
    for finding_id, words in PHRASES.items():
        assert words.en and words.fr, finding_id
        for voice in VOICES:
            english, french = words.text("en", voice), words.text("fr", voice)
            assert english != french, finding_id
            assert blanks(english) == blanks(french), finding_id


@pytest.mark.parametrize("table", [PHRASES, GENERAL], ids=["phrases", "general"])
def test_phrases_are_each_in_their_own_language(table):
    for finding_id, words in table.items():
        for voice in VOICES:
            assert not stray_words(words.text("fr", voice), "fr"), (finding_id, words.text("fr", voice))
            assert not stray_words(words.text("en", voice), "en"), (finding_id, words.text("en", voice))


def test_the_reply_voice_is_the_customers_and_the_user_voice_the_users():
    for words in PHRASES.values():
        for text in (words.en, words.fr):
            assert not {"you", "your", "vous", "votre", "vos"} & set(text.lower().replace("'", " ").split()), text


@pytest.mark.parametrize(
    "tables",
    [
        reasons._SENTENCES, summary._LINES, _TEXT, _ANSWERS, REPORT_WORDS,
        CHOICE_LABELS, CONFIDENCE_LABELS, SCREEN_WORDS,
    ],
    ids=["reasons", "summary", "reply", "answers", "report", "choices", "confidences", "screen"],
)
def test_every_sentence_exists_in_both_languages_with_the_same_blanks(tables):
    assert set(tables) == {"en", "fr"}
    english, french = tables["en"], tables["fr"]
    assert set(english) == set(french)
    for key, text in english.items():
        if isinstance(text, str):
            assert blanks(text) == blanks(french[key]), key
            assert not stray_words(french[key], "fr"), (key, french[key])
            assert not stray_words(text, "en"), (key, text)


def test_questions_screen_vocabulary():
    assert [choice_label(c, "en") for c in CHOICES] == ["Yes", "No", "Not sure"]
    assert [choice_label(c, "fr") for c in CHOICES] == ["Oui", "Non", "Je ne sais pas"]
    assert [confidence_label(c, "fr") for c in CONFIDENCES] == ["confiance élevée", "confiance moyenne",
                                                               "confiance faible"]
    assert confidence_label("high") == "high confidence"
    assert screen_word("suggested") == "Suggested" and screen_word("suggested", "fr") == "Réponse suggérée"
    assert choice_label("yes", "de") == "Yes"


def test_a_phrase_names_the_messages_details_made_safe():
    message = compromised()
    message.origin.country = "R\x1bU"
    text = finding_phrase(Finding(FindingId.AUTH_OTHER_DOMAIN, "critical", "t", "d", [], 1), message, "fr")
    assert "contact@atelier-lemoine.fr" in text and "amzn-account-review.com" in text
    country = finding_phrase(Finding(FindingId.ORIGIN_COUNTRY_UNEXPECTED, "warning", "t", "d"), message, "en")
    assert country == "sent from R␛U, not a country we send from"
    assert finding_phrase(Finding(FindingId.ORIGIN_COUNTRY_UNEXPECTED, "warning", "t", "d"), message, "en",
                          "user") == "sent from R␛U, not a country you send from"


def test_an_unregistered_finding_is_named_by_its_question():
    message = message_of(plain_headers())
    assert finding_phrase(Finding("made-up", "warning", "t", "d", question=2), message, "fr") == "un signe de transfert"
    assert general_phrase(Finding("made-up", "warning", "t", "d"), "en") == "an unusual sign in the headers"


def test_general_phrases_name_no_single_message():
    for finding_id in FindingId:
        for language in ("en", "fr"):
            text = general_phrase(Finding(finding_id, "warning", "t", "d"), language)
            assert "{" not in text, (finding_id, text)


def test_plain_and_quoted_values_cannot_drive_a_terminal_or_end_their_quotes():
    hostile = "\x1b]0;pwned\x07 «fin» “end” \"x\"\u202e" + "A" * 500
    shown = plain(hostile, 40)
    assert len(shown) == 40 and shown.endswith("…")
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    french = quoted(hostile, "fr", 200)
    assert french.startswith("«\u00a0") and french.endswith("\u00a0»") and french.count("»") == 1
    english = quoted(hostile, "en", 200)
    assert english.count("”") == 1 and '"' not in english
    assert plain(Evidence("X", "y").value) == "y"
