"""The drafted reply to the "Account locked for spam" ticket, in English and French."""

import pytest

from tui.core.questions import QUESTIONS
from tui.core.reply import draft_reply

ANSWERS = {
    1: ("no", "the messages went to people we do not know, from an address in Brazil"),
    2: ("not sure", "we are checking the rules in Outlook and in the webmail"),
    3: ("no", ""),
}
EVIDENCE = [
    "Message 1 was sent after logging in as contact@atelier-moreau.fr from 203.0.113.45 (BR).",
    "Message 2 has From: a domain that is not ours (promo-deals.example).",
]
REMEDIATION = ["Scanned 3 devices (laptop: clean, phone: clean, office PC: threats removed)", "Changed the password"]

EXPECTED_EN = """\
Hello,

Here are our answers to your questions about the address contact@atelier-moreau.fr, which was blocked for spam.

> Are you the sender of the email in question (see the header below)?
No, we did not send this email. The messages went to people we do not know, from an address in Brazil.

> Do you have a redirection rule to another email address?
We are not sure whether there is a redirection rule to another email address. We are checking the rules in \
Outlook and in the webmail.

> Have you responded to spam?
No, we have not responded to spam.

What we found in the headers:
- Message 1 was sent after logging in as contact@atelier-moreau.fr from 203.0.113.45 (BR).
- Message 2 has From: a domain that is not ours (promo-deals.example).

What we have done:
- Scanned 3 devices (laptop: clean, phone: clean, office PC: threats removed)
- Changed the password

Could you please re-enable sending for the address contact@atelier-moreau.fr? Thank you for your help.

Kind regards,
"""

EXPECTED_FR = """\
Bonjour,

Voici nos réponses à vos questions concernant l'adresse contact@atelier-moreau.fr, bloquée pour spam.

> Êtes-vous l'émetteur de l'e-mail en question (voir l'entête ci-dessous) ?
Non, nous n'avons pas envoyé cet e-mail. Les messages sont partis vers des inconnus.

> Avez-vous une règle de redirection vers une autre adresse e-mail ?
Non, il n'existe aucune règle de redirection vers une autre adresse e-mail.

> Avez-vous répondu à un Spam ?
Oui, nous avons répondu à un spam. Un collègue a répondu à un faux message de livraison.

Ce que nous avons fait :
- Analyse antivirus de 2 postes : aucune menace
- Mot de passe changé

Pourriez-vous réactiver l'envoi d'e-mails pour l'adresse contact@atelier-moreau.fr ? Merci pour votre aide.

Cordialement,
"""


def test_english_reply_in_full():
    text = draft_reply("contact@atelier-moreau.fr", ANSWERS, "en", EVIDENCE, REMEDIATION)
    assert text == EXPECTED_EN


def test_french_reply_in_full():
    answers = {
        1: ("no", "les messages sont partis vers des inconnus"),
        2: ("no", ""),
        3: ("yes", "Un collègue a répondu à un faux message de livraison."),
    }
    remediation = ["Analyse antivirus de 2 postes : aucune menace", "- Mot de passe changé"]
    text = draft_reply("contact@atelier-moreau.fr", answers, "fr", evidence=[], remediation=remediation)
    assert text == EXPECTED_FR


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_question_is_quoted_verbatim_then_answered(language):
    lines = draft_reply("a@example.com", ANSWERS, language).splitlines()
    for number, asked in enumerate(QUESTIONS[language], start=1):
        at = lines.index(f"> {asked}")
        assert lines[at + 1].strip() and not lines[at + 1].startswith(">")
    positions = [lines.index(f"> {asked}") for asked in QUESTIONS[language]]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("number", "choice", "sentence"),
    [
        (1, "yes", "Yes, we sent this email ourselves."),
        (1, "not sure", "We are not sure whether we sent this email."),
        (2, "yes", "Yes, there is a redirection rule to another email address."),
        (2, "no", "No, there is no redirection rule to another email address."),
        (3, "yes", "Yes, we have responded to a spam email."),
        (3, "not sure", "We are not sure whether anyone using this address has responded to spam."),
    ],
)
def test_every_choice_becomes_a_sentence(number, choice, sentence):
    answers = {**{n: ("no", "") for n in (1, 2, 3)}, number: (choice, "")}
    lines = draft_reply(None, answers).splitlines()
    assert lines[lines.index(f"> {QUESTIONS['en'][number - 1]}") + 1] == sentence


def test_choice_spelling_is_forgiven():
    answers = {1: ("No", ""), 2: (" NOT SURE ", ""), 3: ("no", "")}
    assert "We are not sure whether there is a redirection rule" in draft_reply(None, answers)


def test_without_an_address_the_reply_still_reads_well():
    text = draft_reply(None, ANSWERS)
    assert "None" not in text
    assert "about our address that was blocked for spam." in text
    assert "Could you please re-enable sending for this address?" in text


def test_sections_are_left_out_when_there_is_nothing_to_say():
    text = draft_reply("a@example.com", ANSWERS, "en", evidence=[], remediation=["  ", ""])
    assert "What we found in the headers" not in text
    assert "What we have done" not in text


def test_unknown_language_falls_back_to_english():
    assert draft_reply("a@example.com", ANSWERS, "de").startswith("Hello,")


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, [1, 2, 3]),
        ({1: ("yes", "")}, [2, 3]),
        ({1: ("yes", ""), 2: (None, "we have not checked yet"), 3: ("no", "")}, [2]),
        ({1: ("yes", ""), 2: ("no", ""), 3: ("", "")}, [3]),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_missing_answers_are_refused_with_the_questions_named(answers, missing, language):
    with pytest.raises(ValueError) as raised:
        draft_reply("a@example.com", answers, language)
    message = str(raised.value)
    for number in (1, 2, 3):
        assert (QUESTIONS[language][number - 1] in message) == (number in missing)


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValueError, match="maybe"):
        draft_reply(None, {1: ("maybe", ""), 2: ("no", ""), 3: ("no", "")})
