"""The drafted reply to the "Account locked for spam" ticket, in English and French: its wording, what it
may claim, its size whatever the evidence, and the header text in it made inert."""

import re
from pathlib import Path

import pytest

from mailbox_corpus import HOSTILE, write_sent_folder
from tui.core.analysis import analyse, analyse_samples
from tui.core.answers import suggest_answers
from tui.core.case import Case
from tui.core.demo import demo_ticket_text
from tui.core.headers import block_text
from tui.core.model import Expectations
from tui.core.questions import QUESTIONS
from tui.core.reply import REPLY_LIMIT, Remediation, ReplyOptions, case_reply, draft_reply, write_reply
from tui.core.sources import read_inputs, read_text
from tui.core.summary import evidence_summary

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
We are not sure yet whether there is a redirection rule to another email address: we are checking the \
redirections of the address in the Control Panel and the rules of our mail programs and webmail, and will remove \
any that we did not create. We are checking the rules in Outlook and in the webmail.

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
        (1, "not sure", "We cannot tell yet whether we sent this email: we are checking with everyone who uses this "
                        "address and will let you know what we find."),
        (2, "yes", "Yes, there is a redirection rule to another email address."),
        (2, "no", "No, there is no redirection rule to another email address."),
        (3, "yes", "Yes, we have responded to a spam email."),
        (3, "not sure", "We are not sure yet whether anyone using this address has responded to spam: we are "
                        "checking the sent messages and will let you know."),
    ],
)
def test_every_choice_becomes_a_sentence(number, choice, sentence):
    answers = {**{n: ("no", "") for n in (1, 2, 3)}, number: (choice, "")}
    lines = draft_reply(None, answers).splitlines()
    assert lines[lines.index(f"> {QUESTIONS['en'][number - 1]}") + 1] == sentence


def test_choice_spelling_is_forgiven():
    answers = {1: ("No", ""), 2: (" NOT SURE ", ""), 3: ("no", "")}
    assert "We are not sure yet whether there is a redirection rule" in draft_reply(None, answers)


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


# -- the reply drafted from analysed messages (write_reply, case_reply) -----------------------------

ADVICE = Path(__file__).parent / "fixtures" / "advice"
BAKERY = "contact@boulangerie-martin.fr"
# Every control character, DEL, the C1 controls and the invisible bidi and line controls.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def demo_case(language: str = "en") -> tuple[Case, list]:
    text = demo_ticket_text()
    ticket, blocks, _ = read_text(text, "demo ticket")
    case = Case()
    case.set_ticket(text, ticket.address, ticket.service, ticket.suspicious_count, ticket.language)
    case.add_samples("demo ticket", [block_text(b) for b in blocks])
    case.set_reply_options(language=language)
    return case, analyse_samples(case.samples, case.expectations())


def taking_suggestions(messages, account, language="en") -> dict:
    return {s.question: (s.answer, "") for s in suggest_answers(messages, account, language)}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_demo_reply_taking_every_suggestion(language):
    case, messages = demo_case(language)
    for number, (choice, comment) in taking_suggestions(messages, case.address, language).items():
        case.set_answer(number, choice, comment)
    text = case_reply(case, messages)
    assert len(text) < 2500
    assert text == write_reply(case.address, messages, taking_suggestions(messages, case.address, language),
                               ReplyOptions(language), Remediation())
    on_request = {"en": "The full headers of every message analysed are available on request.",
                  "fr": "Les en-têtes complets de chaque message analysé sont disponibles sur demande."}[language]
    assert f"- {on_request}" in text
    assert {"en": "2 of the 3 messages analysed", "fr": "2 des 3 messages analysés"}[language] in text


def test_the_reply_speaks_for_the_customer_and_of_ovhcloud_in_the_third_person():
    case, messages = demo_case("en")
    case.set_expectations(countries=["FR"])
    messages = analyse_samples(case.samples, case.expectations())
    text = write_reply(case.address, messages, taking_suggestions(messages, case.address), ReplyOptions("en"))
    assert "RU, not a country we send from" in text
    assert not re.search(r"\byou (send|sent|use|did not list)\b", text)
    french = write_reply(case.address, messages, taking_suggestions(messages, case.address, "fr"), ReplyOptions("fr"))
    assert "RU, un pays d'où nous n'envoyons pas" in french and "vous envoyez" not in french


def test_not_sure_is_phrased_as_what_we_are_checking():
    case, messages = demo_case("en")
    text = write_reply(case.address, messages, {1: ("not sure", ""), 2: ("not sure", ""), 3: ("not sure", "")})
    assert text.count("we are checking") == 3 and text.count("will ") == 3


def test_only_what_the_case_records_as_done_is_said_to_be_done():
    case, messages = demo_case("en")
    for number in (1, 2, 3):
        case.set_answer(number, "no")
    text = case_reply(case, messages)
    assert "What we have done" not in text and "scanned" not in text and "changed the password" not in text
    case.add_device("Office laptop")
    case.add_device("Phone")
    case.record_scan(0, "clean")
    case.add_software("Outlook on the office laptop", "mail client")
    text = case_reply(case, messages)
    assert "- We scanned 1 device with an anti-virus (Office laptop: clean)." in text
    assert "Phone" not in text and "Outlook" not in text and "password" not in text.split("What we have done")[1]
    case.mark_software_updated(0, "2026-11-24T10:00:00+00:00")
    text = case_reply(case, messages)
    # Checked before any new password: the reply says checked, not "set the new password".
    assert "- We checked the programs that use the address (Outlook on the office laptop)." in text
    assert "new password" not in text
    case.mark_password_changed("2026-11-24T11:00:00+00:00")
    case.mark_software_updated(0, "2026-11-24T12:00:00+00:00")
    text = case_reply(case, messages)
    assert ("- We set the new password in the programs that use the address (Outlook on the office laptop)."
            in text)
    assert "- We changed the password of the address." in text
    case.set_reply_options(language="fr", include_remediation=False)
    text = case_reply(case, messages)
    assert "Ce que nous avons fait" not in text and "Bonjour" in text


def test_remediation_names_a_few_and_counts_the_rest():
    done = Remediation(scanned=tuple((f"PC {n}", "clean") for n in range(40)), updated=("Fax\x1b[2J",))
    lines = done.lines("fr")
    assert lines[0].startswith("Nous avons analysé 40 appareils avec un antivirus (PC 0 : clean ; PC 1 : clean")
    assert lines[0].endswith("et 35 autres).")
    assert "\x1b" not in lines[1] and "Fax␛[2J" in lines[1]


def test_evidence_can_be_left_out():
    case, messages = demo_case("en")
    text = write_reply(case.address, messages, taking_suggestions(messages, case.address),
                       ReplyOptions("en", include_evidence=False))
    assert "What we found" not in text and "available on request" not in text


@pytest.fixture(scope="module")
def big_evidence(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("reply")
    paths = [write_sent_folder(folder / "sent.mbox", 10_000), write_sent_folder(folder / "hostile.mbox", 300, True)]
    ticket = ADVICE / "list-reply-en.txt"
    expectations = Expectations(account=BAKERY)
    return [analyse(h, expectations) for h in read_inputs([str(ticket), *map(str, paths)]) if hasattr(h, "fields")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_ten_thousand_messages_are_summarised_in_under_4000_characters(big_evidence, language):
    messages = big_evidence[:10_001]
    text = write_reply(BAKERY, messages, taking_suggestions(messages, BAKERY, language), ReplyOptions(language))
    assert len(text) < REPLY_LIMIT
    counted = {"en": "3,920 of the 10,001 messages analysed show signs", "fr": "3\u00a0920 des 10\u00a0001 messages"}
    assert counted[language] in text
    assert {"en": "Countries they were sent from: RU (1,960)", "fr": "Pays d'envoi : RU (1\u00a0960)"}[language] in text
    assert "available on request" in text or "disponibles sur demande" in text
    # A few samples, never one line per message.
    assert text.count("\n- ") <= 12
    assert {"en": "We are not sure yet whether anyone using this address has responded to spam",
            "fr": "Nous ne savons pas encore avec certitude si une personne utilisant cette adresse a répondu"}[
        language] in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_hostile_header_values_stay_inert_and_bounded(big_evidence, language):
    hostile = big_evidence[10_001:]
    assert len(hostile) == 300
    for messages in (hostile, big_evidence):
        text = write_reply(BAKERY, messages, taking_suggestions(messages, BAKERY, language), ReplyOptions(language))
        assert len(text) < REPLY_LIMIT
        assert not RAW_CONTROL.search(text)
        assert "␛]52;c;" in text or len(messages) > 300


def test_hostile_address_comment_and_device_names_are_made_safe():
    address = "x@" + "a" * 5000 + ".example"
    text = draft_reply(address + "\x1b]0;t\x07", {1: ("no", "\x1b[2J" + HOSTILE), 2: ("no", ""), 3: ("no", "")},
                       remediation=["\x9b31mred"])
    assert not RAW_CONTROL.search(text)
    assert text.count("a" * 300) == 0 and len(text) < REPLY_LIMIT + len(HOSTILE)


def test_the_evidence_fits_whatever_room_is_left():
    case, messages = demo_case("en")
    for room in (0, 60, 120, 400, 5000):
        lines = evidence_summary(messages * 50, "en", room)
        assert sum(len(line) + 3 for line in lines) <= max(room, 0)
        if lines:
            assert lines[-1].endswith("available on request.")


@pytest.mark.parametrize("language, said", [
    ("en", "the Control Panel shows no redirection of this address"),
    ("fr", "l'espace client n'indique aucune redirection de cette adresse"),
])
def test_not_sure_of_a_redirection_says_what_the_api_showed(language, said):
    answers = {1: ("no", ""), 2: ("not sure", ""), 3: ("no", "")}
    assert said not in draft_reply("contact@example.fr", answers, language)
    assert said in draft_reply("contact@example.fr", answers, language, no_redirection_seen=True)
    # Only a "not sure" is reworded: a "yes" or a "no" is the user's own answer.
    answers[2] = ("yes", "")
    assert said not in draft_reply("contact@example.fr", answers, language, no_redirection_seen=True)


def test_a_case_whose_redirections_the_api_read_says_so_only_when_none_was_found():
    case = Case()
    case.address = "contact@example.fr"
    for n, choice in ((1, "no"), (2, "not sure"), (3, "no")):
        case.set_answer(n, choice)
    assert "shows no redirection" not in case_reply(case, [])
    case.set_redirection_check({"checked": True, "found": [], "read_at": "2026-12-07T10:00:00+00:00"})
    assert "shows no redirection" in case_reply(case, [])
    case.set_redirection_check({"checked": True, "found": [{"from": "contact@example.fr", "to": "x@example.net"}],
                                "read_at": "2026-12-07T10:00:00+00:00"})
    assert "shows no redirection" not in case_reply(case, [])
    case.set_redirection_check({"checked": False, "found": [], "read_at": "2026-12-07T10:00:00+00:00"})
    assert "shows no redirection" not in case_reply(case, [])
