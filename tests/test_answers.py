"""Tests for the suggested answers to the ticket's three questions, on the findings fixtures."""

from __future__ import annotations

import pytest

from test_findings import USER, compromised, message_of, old_mailer, own_reply, plain, redirected, vps_bulk
from tui.core.answers import Suggestion, suggest_answers
from tui.core.findings import find_all
from tui.core.model import Evidence, Expectations, Finding, Message
from tui.core.questions import help_text

AT_HOME = Expectations(account=USER, countries=["FR"], clients=["Thunderbird"])


def judged(message: Message, expectations: Expectations = AT_HOME) -> Message:
    message.findings = find_all(message, expectations)
    return message


def answers(*messages: Message, account: str | None = USER) -> dict[int, Suggestion]:
    suggestions = suggest_answers(list(messages), account)
    assert [s.question for s in suggestions] == [1, 2, 3]
    assert all(s.answer in ("yes", "no", "not sure") for s in suggestions)
    return {s.question: s for s in suggestions}


def test_own_reply_from_home():
    found = answers(judged(own_reply()))
    assert found[1].answer == "yes"
    assert "logging in as contact@atelier-lemoine.fr" in found[1].reason
    assert help_text(1) in found[1].reason
    assert found[2].answer == "no"
    assert "check" in found[2].reason.lower() and found[2].evidence == []
    assert found[3].answer == "yes"
    assert "In-Reply-To" in [e.header for e in found[3].evidence]


def test_own_sending_without_expectations_is_not_sure():
    message = own_reply()
    message.origin.rdns = message.hops[0].from_rdns = None
    found = answers(judged(message, Expectations(account=USER)))
    assert found[1].answer == "not sure"
    assert "countries" in found[1].reason
    assert "message 1 was sent with your password" in found[1].reason


def test_compromised_mailbox():
    found = answers(judged(compromised()))
    first = found[1]
    assert first.answer == "no"
    assert first.reason.startswith(
        "Message 1 was sent after logging in as contact@atelier-lemoine.fr from 91.240.118.23 (RU): "
    )
    assert "amzn-account-review.com" in first.reason
    assert "change it" in first.reason
    assert first.evidence and all(isinstance(e, Evidence) for e in first.evidence)
    assert len(first.evidence) <= 8
    assert found[2].answer == "no"
    assert found[3].answer == "no"


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


def test_redirection_marks_answer_question_2():
    found = answers(judged(redirected()))
    assert found[2].answer == "yes"
    assert "Redirected on to another address (Resent headers) (message 1)" in found[2].reason
    assert help_text(2) in found[2].reason
    headers = {e.header for e in found[2].evidence}
    assert {"Resent-From", "Return-Path"} <= headers
    # The forwarded spam failed SPF for its own domain: not written by the user.
    assert found[1].answer == "no"


def test_forward_subject_alone_is_not_sure():
    message = judged(message_of(plain(From=USER, To="x@example.net", Subject="TR: facture")))
    found = answers(message)
    assert found[2].answer == "not sure"
    assert 'The subject starts with "TR:" (message 1)' in found[2].reason


def test_reply_subject_alone_is_not_sure():
    found = answers(judged(message_of(plain(From=USER, Subject="RE: votre colis"))))
    assert found[3].answer == "not sure"
    assert "Sent folder" in found[3].reason


def test_a_reply_sent_by_someone_else_is_not_the_users_reply():
    message = compromised()
    message.headers.fields.append(type(message.headers.fields[0])("In-Reply-To", "<x@spam.example>"))
    found = answers(judged(message))
    assert found[3].answer == "not sure"


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
    assert "message 1: Sent from a home or mobile internet connection" in found[1].reason


def test_no_messages():
    found = answers(account=None)
    assert found[1].answer == "not sure"
    assert found[2].answer == "no" and found[3].answer == "no"


@pytest.mark.parametrize("severity", ["critical", "warning"])
def test_findings_from_elsewhere_are_read_by_question(severity):
    message = message_of(plain(From=USER))
    message.findings = [
        Finding("made-up", severity, "Something odd", "Details.", [Evidence("From", USER)], question=1),
        Finding("unrelated", "critical", "Not about a question", "Details."),
    ]
    found = answers(message)
    assert found[1].answer == "no"
    assert "Something odd" in found[1].reason
    assert found[2].answer == "no" and found[3].answer == "no"


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
    assert "This message is a reply (messages 1, 2 and 3)" in found[3].reason
    found = answers(*(judged(own_reply()) for _ in range(7)))
    assert "This message is a reply (messages 1, 2, 3, 4 and 3 others)" in found[3].reason


def test_delivered_to_the_account_and_sent_on_is_a_redirection():
    text = plain(From="promo@deals.example", To="someone@else.example", Delivered_To=USER)
    found = answers(judged(message_of(text), Expectations(account=USER)))
    assert found[2].answer == "yes"
    assert "Delivered to contact@atelier-lemoine.fr, who is not in To or Cc (message 1)" in found[2].reason


def test_no_password_claim_without_a_login():
    found = answers(judged(old_mailer(), Expectations(account=USER)))
    assert found[1].answer == "no"
    assert "logging in" not in found[1].reason and "password" not in found[1].reason
    assert "not the marks of your own sending" in found[1].reason
