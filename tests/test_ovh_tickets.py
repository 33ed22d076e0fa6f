"""The spam ticket pulled as the customer would paste it, the reply posted once, and question 2's evidence."""

from __future__ import annotations

import pytest
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.core.demo import demo_ticket_text
from tui.core.ticket import parse_ticket
from tui.ovh.accounts import list_accounts
from tui.ovh.errors import OvhError
from tui.ovh.redirections import NOT_VISIBLE, find_redirections
from tui.ovh.tickets import post_reply, pull_ticket, reply_landed, text_sha256


def test_the_demo_ticket_text_comes_back_exactly(connection):
    ticket = pull_ticket(connection, 8452107)
    assert ticket.text == demo_ticket_text()
    assert (ticket.ticket_id, ticket.ticket_number, ticket.subject, ticket.state) == \
        (5101, 8452107, "Account locked for spam", "open")
    assert parse_ticket(ticket.text).address == "contact@boulangerie-martin.fr"


def test_later_messages_come_newest_last(connection, sandbox):
    post_reply(connection, 5101, "Here are my answers.", 8452107)
    ticket = pull_ticket(connection, "8452107")
    assert [message.sender for message in ticket.messages] == ["support", "customer"]
    assert ticket.messages[-1].body == "Here are my answers."


def test_every_products_ticket_is_found_from_the_account(connection):
    for account in list_accounts(connection).blocked():
        if account.ticket_number is not None:
            ticket = pull_ticket(connection, account.ticket_number)
            assert account.email in ticket.text and "redirection rule" in ticket.text


def test_an_archived_ticket_is_found_too(connection, sandbox):
    sandbox.state.tickets[5103]["archived"] = True
    assert pull_ticket(connection, 8452319).ticket_id == 5103
    assert sandbox.count("GET", "/support/tickets") == 2


def test_an_unknown_ticket_number_says_what_to_check(connection):
    with pytest.raises(OvhError) as caught:
        pull_ticket(connection, 1234)
    assert caught.value.kind == "not-found" and "support ticket number 1234" in caught.value.message


def test_the_reply_is_posted_once_with_the_exact_text(connection, sandbox):
    text = "1. No, I did not send these messages.\n2. No redirection.\n3. No.\n\nÉric — Boulangerie Martin"
    posted = post_reply(connection, 5101, text, 8452107)
    assert sandbox.count("POST", "/support/tickets/5101/reply") == 1
    last = sandbox.state.messages[5101][-1]
    assert (last["from"], last["body"]) == ("customer", text)
    assert (posted.ticket_id, posted.ticket_number, posted.text, posted.sha256) == (5101, 8452107, text,
                                                                                   text_sha256(text))
    assert posted.posted_at.endswith("+00:00")
    assert reply_landed(connection, 5101, text) and not reply_landed(connection, 5101, "something else")


def test_an_empty_reply_is_refused_before_any_call(connection, sandbox):
    for text in ("", "  \n "):
        with pytest.raises(ValueError):
            post_reply(connection, 5101, text)
    assert sandbox.count("POST", "/support/tickets/*/reply") == 0


def test_a_failed_post_is_not_retried(connection, sandbox):
    sandbox.fail("/support/tickets/*/reply", method="POST", status=500)
    with pytest.raises(OvhError) as caught:
        post_reply(connection, 5101, "My answers.")
    assert caught.value.kind == "server" and sandbox.count("POST", "/support/tickets/*/reply") == 1


def accounts_by_email(connection):
    return {account.email: account for account in list_accounts(connection).accounts}


def test_an_mx_plan_redirection_is_named(connection):
    check = find_redirections(connection, accounts_by_email(connection)["boutique@fleurs-lambert.fr"])
    assert [(r.source, r.target) for r in check.found] == [("boutique@fleurs-lambert.fr", "fleurs.lambert@orange.fr")]
    assert "redirection from boutique@fleurs-lambert.fr to fleurs.lambert@orange.fr" in check.summary()
    assert check.summary().endswith(NOT_VISIBLE)


def test_a_redirection_of_another_address_on_the_domain_is_not_counted(connection):
    check = find_redirections(connection, accounts_by_email(connection)["contact@boulangerie-martin.fr"])
    assert check.found == () and check.checked == ("/email/domain/boulangerie-martin.fr/redirection",)
    assert "have no redirection from contact@boulangerie-martin.fr" in check.summary()
    assert "webmail" in check.summary() and "not visible" in check.summary()


def test_a_new_mx_plan_domain_without_redirection_settings_says_so(connection, sandbox):
    del sandbox.state.redirections["boulangerie-martin.fr"]
    check = find_redirections(connection, accounts_by_email(connection)["contact@boulangerie-martin.fr"])
    assert check.found == () and "no MX Plan redirection settings" in check.summary()


def test_exchange_forwarding_is_read_when_the_account_has_it(connection, sandbox):
    account = accounts_by_email(connection)["compta@atelier-dupont.fr"]
    assert "no forwarding setting for this Exchange account" in find_redirections(connection, account).summary()
    sandbox.state.accounts["exchange"][("hosted-ab12345-1", "hosted-ab12345-1")]["compta@atelier-dupont.fr"][
        "forwardingEmail"] = "compta.dupont@gmail.com"
    check = find_redirections(connection, account)
    assert check.found[0].target == "compta.dupont@gmail.com" and check.found[0].kind == "Exchange forwarding"


def test_email_pro_has_nothing_to_read_but_says_where_to_look(connection, sandbox):
    account = accounts_by_email(connection)["accueil@cabinet-leroy.fr"]
    before = len(sandbox.calls)
    check = find_redirections(connection, account)
    assert check.found == () and "no forwarding setting for Email Pro" in check.summary()
    assert check.not_visible in check.summary() and check.to_json()["not_visible"] == NOT_VISIBLE
    assert len(sandbox.calls) == before  # nothing to read for Email Pro
