"""Tests for the suggested answers to the ticket's three questions, on the findings fixtures and the advice fixtures.

A suggestion never claims more than the evidence shows: question 2 is "not
sure" without forwarding marks or an API result, question 3 is "yes" only when
the answered message is shown to be spam, and every suggestion says how sure it
is, in the language asked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from languages import stray_words
from mailbox_corpus import write_sent_folder
from test_findings import USER, compromised, message_of, old_mailer, own_reply, plain, redirected, vps_bulk
from tui.core.analysis import analyse
from tui.core.answers import RedirectionCheck, Suggestion, suggest_answers
from tui.core.findings import find_all
from tui.core.headers import parse_headers
from tui.core.model import Expectations
from tui.core.results import Evidence, Finding, Message
from tui.core.questions import CHOICES, CONFIDENCES, help_text
from tui.core.sources import read_inputs, read_ticket_file
from tui.core.verdicts import answered_ids, filter_verdicts, message_key, spam_tag

AT_HOME = Expectations(account=USER, countries=["FR"], clients=["Thunderbird"])
ADVICE = Path(__file__).parent / "fixtures" / "advice"
BAKERY = "contact@boulangerie-martin.fr"


def judged(message: Message, expectations: Expectations = AT_HOME) -> Message:
    message.findings = find_all(message, expectations)
    return message


def answers(*messages: Message, account: str | None = USER, language: str = "en",
            redirection: RedirectionCheck | None = None) -> dict[int, Suggestion]:
    suggestions = suggest_answers(list(messages), account, language, redirection)
    assert [s.question for s in suggestions] == [1, 2, 3]
    for s in suggestions:
        assert s.answer in CHOICES and s.confidence in CONFIDENCES
        assert help_text(s.question, language) in s.reason
        assert not stray_words(s.reason, language), (s.question, s.reason)
    return {s.question: s for s in suggestions}


def analysed(text: str, expectations: Expectations | None = None) -> Message:
    return analyse(parse_headers(text), expectations or Expectations(account=BAKERY))


# -- question 1 ---------------------------------------------------------------------------------


def test_own_reply_from_home():
    found = answers(judged(own_reply()))
    assert (found[1].answer, found[1].confidence) == ("yes", "medium")
    assert "logging in as contact@atelier-lemoine.fr" in found[1].reason
    assert (found[2].answer, found[2].confidence) == ("not sure", "low")
    assert "Control Panel" in found[2].reason and found[2].evidence == []
    # A reply to a message that is not among those analysed proves nothing about spam.
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert "not that it was spam" in found[3].reason and "Sent folder" in found[3].reason
    assert "In-Reply-To" in [e.header for e in found[3].evidence]


def test_sending_from_an_own_ip_address_is_high_confidence():
    expectations = Expectations(account=USER, countries=["FR"], ips=["86.200.57.12"])
    assert answers(judged(own_reply(), expectations))[1].confidence == "high"


def test_own_sending_without_expectations_is_not_sure():
    message = own_reply()
    message.origin.rdns = message.hops[0].from_rdns = None
    found = answers(judged(message, Expectations(account=USER)))
    assert (found[1].answer, found[1].confidence) == ("not sure", "low")
    assert "countries" in found[1].reason
    assert "message 1 was sent with your password" in found[1].reason


def test_compromised_mailbox():
    found = answers(judged(compromised()))
    first = found[1]
    assert (first.answer, first.confidence) == ("no", "high")
    assert first.reason.startswith(
        "Message 1 was sent after logging in as contact@atelier-lemoine.fr from 91.240.118.23 (RU): "
    )
    assert "claiming to come from amzn-account-review.com" in first.reason
    assert "not a country you send from" in first.reason
    assert "change it" in first.reason
    assert first.evidence and all(isinstance(e, Evidence) for e in first.evidence)
    assert len(first.evidence) <= 8
    assert found[2].answer == "not sure"
    # No reply among the messages proves nothing about the others: not sure, and what to check.
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert "Sent folder" in found[3].reason


def test_compromised_mailbox_in_french():
    found = answers(judged(compromised()), language="fr")
    assert found[1].reason.startswith(
        "Le message 1 a été envoyé après connexion en tant que contact@atelier-lemoine.fr depuis 91.240.118.23 (RU) : "
    )
    assert "un pays d'où vous n'envoyez pas" in found[1].reason
    assert "espace client OVHcloud" in found[2].reason
    assert "éléments envoyés" in found[3].reason


def test_bulk_mailing_from_a_server_is_not_the_user():
    found = answers(judged(vps_bulk()))
    assert found[1].answer == "no"
    assert "rented server" in found[1].reason or "mass-mailing" in found[1].reason


def test_one_bad_message_among_good_ones_decides():
    found = answers(judged(own_reply()), judged(compromised()))
    assert found[1].answer == "no"
    assert found[1].reason.startswith("Message 2 was sent")
    assert "Message 1" not in found[1].reason


def test_every_message_must_look_like_the_user_for_yes():
    found = answers(judged(own_reply()), judged(own_reply()))
    assert found[1].answer == "yes"
    assert found[1].reason.startswith("Every message was sent")


def test_another_mailbox_entirely():
    message = judged(message_of(plain(From="x@elsewhere.example")), Expectations(account=USER))
    message.origin.authenticated_as = "default42@shop-example.fr"
    message.findings = find_all(message, Expectations(account=USER))
    found = answers(message)
    assert found[1].answer == "no"
    assert "another mailbox than yours" in found[1].reason


def test_old_mailer_without_login():
    found = answers(judged(old_mailer(), Expectations()), account=None)
    assert found[1].answer == "no"
    assert found[1].reason.startswith("Message 1 was sent from 86.71.12.4 (FR): ")


def test_residential_origin_alone_does_not_decide():
    found = answers(judged(own_reply(), Expectations(account=USER)))
    assert found[1].answer == "not sure"
    assert "message 1: sent from a home or mobile internet connection" in found[1].reason


def test_no_messages_is_not_sure_everywhere():
    found = answers(account=None)
    assert [found[n].answer for n in (1, 2, 3)] == ["not sure"] * 3
    assert {found[n].confidence for n in (1, 2, 3)} == {"low"}


@pytest.mark.parametrize("severity", ["critical", "warning"])
def test_findings_from_elsewhere_are_read_by_question(severity):
    message = message_of(plain(From=USER))
    message.findings = [
        Finding("made-up", severity, "Something odd", "Details.", [Evidence("From", USER)], question=1),
        Finding("unrelated", "critical", "Not about a question", "Details."),
    ]
    found = answers(message)
    assert found[1].answer == "no"
    assert "a sign that someone else sent it" in found[1].reason
    assert found[2].answer == "not sure" and found[3].answer == "not sure"


def test_many_messages_keep_the_reason_short():
    bad = [judged(compromised()) for _ in range(40)]
    found = answers(*bad, judged(message_of(plain(From=USER, Subject="Re: devis"))))
    assert found[1].answer == "no"
    assert found[1].reason.count("Message ") == 5
    assert "35 other messages show the same kind of signs." in found[1].reason
    assert "(message 41)" in found[3].reason
    assert len(found[1].evidence) <= 8


def test_listing_names_several_messages():
    found = answers(*(judged(own_reply()) for _ in range(3)))
    assert "A reply to an earlier message (messages 1, 2 and 3)" in found[3].reason
    found = answers(*(judged(own_reply()) for _ in range(7)), language="fr")
    assert "Une réponse à un message antérieur (messages 1, 2, 3, 4 et 3 autres)" in found[3].reason


# -- question 2 ---------------------------------------------------------------------------------


def test_redirection_marks_answer_question_2():
    found = answers(judged(redirected()))
    assert (found[2].answer, found[2].confidence) == ("yes", "high")
    assert "redirected on to another address (Resent headers) (message 1)" in found[2].reason
    headers = {e.header for e in found[2].evidence}
    assert {"Resent-From", "Return-Path"} <= headers
    # The forwarded spam failed SPF for its own domain: not written by the user.
    assert found[1].answer == "no"


def test_an_srs_return_address_alone_is_medium():
    text = plain(From="promo@deals.example", To=USER, Return_Path="<SRS0=ab12=CD=deals.example=promo@relay.example>")
    found = answers(analysed(text, Expectations(account=USER)))
    assert (found[2].answer, found[2].confidence) == ("yes", "medium")
    assert "return address rewritten for forwarding (SRS)" in found[2].reason


def test_forward_subject_alone_is_not_sure():
    message = judged(message_of(plain(From=USER, To="x@example.net", Subject="TR: facture")))
    found = answers(message)
    assert (found[2].answer, found[2].confidence) == ("not sure", "low")
    assert "a subject that starts like a forward (message 1)" in found[2].reason
    assert "webmail" in found[2].reason


def test_delivered_to_the_account_and_sent_on_is_a_redirection():
    text = plain(From="promo@deals.example", To="someone@else.example", Delivered_To=USER)
    found = answers(judged(message_of(text), Expectations(account=USER)))
    assert (found[2].answer, found[2].confidence) == ("yes", "high")
    assert "delivered to contact@atelier-lemoine.fr, who is not among its recipients (message 1)" in found[2].reason


def test_a_redirection_the_api_found_is_named():
    check = RedirectionCheck(True, [(USER, "atelier.lemoine@example-mail.net"), (USER, "b@example.net")])
    found = answers(judged(own_reply()), redirection=check)
    assert (found[2].answer, found[2].confidence) == ("yes", "high")
    assert f"a redirection from {USER} to atelier.lemoine@example-mail.net, and 1 more" in found[2].reason
    french = answers(judged(own_reply()), language="fr", redirection=check)
    assert f"une redirection de {USER} vers atelier.lemoine@example-mail.net" in french[2].reason


def test_no_redirection_in_the_api_nor_in_the_headers_is_still_not_sure():
    # The API sees the Control Panel's redirections, never a mail program's rules: no "no" from it.
    found = answers(judged(own_reply()), redirection=RedirectionCheck(True, [], "the API could not list Outlook rules"))
    assert (found[2].answer, found[2].confidence) == ("not sure", "medium")
    assert "webmail" in found[2].reason
    assert "not visible to the Control Panel" in found[2].reason
    assert "the API could not list Outlook rules" in found[2].reason


def test_no_redirection_in_the_api_but_marks_in_the_headers_is_an_inbox_rule():
    found = answers(judged(redirected()), redirection=RedirectionCheck(True, []))
    assert found[2].answer == "yes"
    assert "probably an inbox rule" in found[2].reason


def test_an_api_that_could_not_check_changes_nothing():
    found = answers(judged(own_reply()), redirection=RedirectionCheck(False, [], "no API key"))
    assert (found[2].answer, found[2].confidence) == ("not sure", "low")
    assert "no API key" in found[2].reason


# -- question 3 ---------------------------------------------------------------------------------

SPAM = """\
Received: from mail.parcel-refund.example (unknown [203.0.113.9])
\tby mx3.mail.ovh.net (Postfix) with ESMTP id 5A2B3C; Tue, 24 Nov 2026 09:00:00 +0000
From: {sender}
To: contact@boulangerie-martin.fr
Subject: {subject}
Date: Tue, 24 Nov 2026 09:59:58 +0100
Message-ID: <parcel-42@parcel-refund.example>
{verdict}
"""
ANSWER = """\
Received: from boulangerie-martin.fr ([86.246.12.9])
\tby ghost-submission-5b5ff79f4f-7kq2p with ESMTPSA id a1; Tue, 24 Nov 2026 10:15:00 +0000
Authentication-Results: garm.ovh; auth=pass smtp.auth=contact@boulangerie-martin.fr
X-OVh-ClientIp: 86.246.12.9
From: Boulangerie Martin <contact@boulangerie-martin.fr>
To: DHL Express <noreply@parcel-refund.example>
Subject: Re: {subject}
Date: Tue, 24 Nov 2026 11:14:58 +0100
Message-ID: <answer-1@boulangerie-martin.fr>
In-Reply-To: <parcel-42@parcel-refund.example>
User-Agent: Mozilla Thunderbird
{extra}
"""


def reply_and_answered(verdict: str = "", subject: str = "Your parcel is on hold", extra: str = "",
                       sender: str = "DHL Express <noreply@parcel-refund.example>") -> list[Message]:
    at_home = Expectations(account=BAKERY, countries=["FR"])
    return [analysed(ANSWER.format(subject=subject, extra=extra), at_home),
            analysed(SPAM.format(subject=subject, verdict=verdict, sender=sender), at_home)]


@pytest.mark.parametrize(
    "verdict",
    ["X-VR-SPAMSTATE: SPAM\nX-VR-SPAMSCORE: 500", "X-Spam-Flag: YES", "X-Spam-Status: Yes, score=9.1 required=5.0",
     "X-Rspamd-Action: add header", "X-Spamd-Result: default: True [12.10 / 15.00]"],
    ids=["ovh", "spamassassin-flag", "spamassassin-status", "rspamd-action", "rspamd-result"],
)
def test_a_reply_to_a_message_a_filter_rated_spam_is_yes(verdict):
    found = answers(*reply_and_answered(verdict), account=BAKERY)
    assert (found[3].answer, found[3].confidence) == ("yes", "high")
    assert "Message 1 is a reply to message 2, which a spam filter rated as spam" in found[3].reason
    assert {"In-Reply-To", verdict.partition(":")[0]} <= {e.header for e in found[3].evidence}
    assert found[1].answer == "no"  # the answered message, not the user's reply, is what looks foreign


def test_a_reply_to_a_message_with_the_signs_of_spam_is_yes_with_medium_confidence():
    found = answers(*reply_and_answered(), account=BAKERY)
    assert (found[3].answer, found[3].confidence) == ("yes", "medium")
    assert "which shows the signs of spam: a sender name that passes for someone else" in found[3].reason


def test_a_reply_to_a_clean_message_among_those_analysed_is_not_sure():
    messages = reply_and_answered(subject="Commande de pain", sender="Epicerie Durand <commandes@epicerie.example>")
    found = answers(*messages, account=BAKERY)
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert "are among those analysed and show no sign of spam" in found[3].reason


@pytest.mark.parametrize("subject", ["[SPAM] Gagnez un iPhone", "***SPAM*** Gagnez un iPhone", "{Spam?} Gagnez"])
def test_a_reply_whose_subject_keeps_the_filters_spam_tag_is_yes(subject):
    message = analysed(ANSWER.format(subject=subject, extra="").replace("In-Reply-To: <parcel-42@parcel-refund.example>\n",
                                                                         "In-Reply-To: <elsewhere@example.net>\n"),
                       Expectations(account=BAKERY, countries=["FR"]))
    found = answers(message, account=BAKERY)
    assert (found[3].answer, found[3].confidence) == ("yes", "medium")
    assert "its subject still carries" in found[3].reason
    assert found[3].evidence[0].header == "Subject"


def test_a_reply_that_carries_a_filters_verdict_is_yes():
    text = ANSWER.format(subject="Lot", extra="X-Spam-Flag: YES").replace("parcel-42@", "gone@")
    found = answers(analysed(text, Expectations(account=BAKERY, countries=["FR"])), account=BAKERY)
    assert (found[3].answer, found[3].confidence) == ("yes", "medium")
    assert "still carries a spam filter's verdict" in found[3].reason


def test_reply_subject_alone_is_not_sure():
    found = answers(judged(message_of(plain(From=USER, Subject="RE: votre colis"))))
    assert found[3].answer == "not sure"
    assert "Sent folder" in found[3].reason


def test_a_reply_sent_by_someone_else_is_not_the_users_reply():
    message = compromised()
    message.headers.fields.append(type(message.headers.fields[0])("In-Reply-To", "<x@spam.example>"))
    found = answers(judged(message))
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert "spam software fakes replies" in found[3].reason


def test_verdict_helpers():
    assert spam_tag("Re: [SPAM] hello") == "[SPAM]"
    assert spam_tag("RE: TR: ***SPAM*** hello") == "***SPAM***"
    assert spam_tag("Re: spam in the kitchen") is None and spam_tag("[SPAM] not a reply") is None
    assert message_key(" <Ab@Example.COM> ") == "ab@example.com"
    reply = analysed("In-Reply-To: <a@x>\nReferences: <r1@x> <r2@x>\n <a@x>\nFrom: a@b.example\n")
    assert answered_ids(reply) == ["a@x", "r2@x", "r1@x"]
    assert filter_verdicts(analysed("X-Spam-Status: No, score=1.0\nX-Spam-Flag: NO\nFrom: a@b.example\n")) == []


# -- the case that must come out right ------------------------------------------------------------


def ticket_messages(path: Path, *evidence: Path) -> tuple[list[Message], str | None]:
    ticket = read_ticket_file(str(path))
    expectations = Expectations(account=ticket.address)
    messages = [analyse(h, expectations) for h in read_inputs([str(path), *map(str, evidence)]) if hasattr(h, "fields")]
    return messages, ticket.address


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_customers_own_reply_to_a_mailing_list_is_not_sure(language):
    messages, account = ticket_messages(ADVICE / f"list-reply-{language}.txt")
    assert len(messages) == 1
    found = answers(*messages, account=account, language=language)
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert found[2].answer == "not sure"
    assert found[1].answer == "not sure"


@pytest.fixture(scope="module")
def sent_folder_10000(tmp_path_factory) -> Path:
    return write_sent_folder(tmp_path_factory.mktemp("advice") / "sent.mbox", 10_000)


def test_the_list_reply_with_a_10000_message_evidence_mbox_is_not_sure_with_the_reason(sent_folder_10000):
    messages, account = ticket_messages(ADVICE / "list-reply-en.txt", sent_folder_10000)
    assert len(messages) == 10_001
    found = answers(*messages, account=account)
    assert (found[3].answer, found[3].confidence) == ("not sure", "low")
    assert "A reply proves that a message was answered, not that it was spam." in found[3].reason
    assert "show no sign of spam" in found[3].reason and "Sent folder" in found[3].reason
    assert "and 3,919 others" in found[3].reason
    # The spam runs in the evidence are someone else's: question 1 says so.
    assert (found[1].answer, found[1].confidence) == ("no", "high")
    assert "3,915 other messages show the same kind of signs." in found[1].reason
    assert all(len(s.reason) < 2500 for s in found.values())
