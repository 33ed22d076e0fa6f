"""Blocked accounts across the four products, status re-reads, and `unblock accounts`."""

from __future__ import annotations

import json

from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.cli import main
from tui.core.case import PRODUCT_IDS
from tui.ovh.accounts import LEGACY_MAY_HIDE, NO_DIAGNOSIS, list_accounts, read_status
from tui.ovh.client import register_endpoint
from tui.ovh.credentials import Credentials, save_credentials


def by_email(listing):
    return {account.email: account for account in listing.accounts}


def test_one_blocked_account_per_product_with_its_route_and_ticket(connection):
    listing = list_accounts(connection)
    blocked = {account.product: account for account in listing.blocked()}
    assert set(blocked) == set(PRODUCT_IDS) and listing.problems == ()
    assert (blocked["exchange"].email, blocked["exchange"].organization, blocked["exchange"].ticket_number) == \
        ("compta@atelier-dupont.fr", "hosted-ab12345-1", 8452231)
    assert (blocked["email_pro"].service, blocked["email_pro"].ticket_number) == ("emailpro-ab12345-1", 8452319)
    assert (blocked["mxplan_new"].email, blocked["mxplan_new"].ticket_number) == \
        ("contact@boulangerie-martin.fr", 8452107)
    assert (blocked["mxplan_legacy"].service, blocked["mxplan_legacy"].ticket_number) == ("fleurs-lambert.fr", None)
    assert all(account.state == "ok" for product, account in blocked.items() if product != "mxplan_legacy")


def test_diagnostics_are_read_where_the_product_has_them(connection, sandbox):
    accounts = by_email(list_accounts(connection))
    for email in ("compta@atelier-dupont.fr", "accueil@cabinet-leroy.fr", "contact@boulangerie-martin.fr"):
        diagnosis = accounts[email].diagnostics
        assert diagnosis.is_spammer is True and diagnosis.can_send_email is False
        assert accounts[email].to_json()["diagnostics"]["isSpammer"] is True
    assert accounts["boutique@fleurs-lambert.fr"].diagnostics is None
    assert accounts["direction@atelier-dupont.fr"].diagnostics is None  # not blocked: no diagnosis asked
    assert sandbox.count("GET", "/email/mxplan/*/account/*/diagnostic") == 1


def test_a_missing_diagnosis_is_a_note_not_a_failure(connection, sandbox):
    del sandbox.state.diagnostics[("email_pro", ("emailpro-ab12345-1",), "accueil@cabinet-leroy.fr")]
    account = by_email(list_accounts(connection))["accueil@cabinet-leroy.fr"]
    assert account.blocked is True and account.diagnostics is None and NO_DIAGNOSIS in account.notes


def test_legacy_accounts_read_as_not_blocked_carry_the_guide_warning(connection):
    accounts = by_email(list_accounts(connection))
    assert accounts["livraisons@fleurs-lambert.fr"].blocked is False
    assert LEGACY_MAY_HIDE in accounts["livraisons@fleurs-lambert.fr"].notes


def test_a_service_that_fails_is_reported_and_the_others_still_listed(connection, sandbox):
    sandbox.fail("/email/pro/*/account", status=500, times=3)
    listing = list_accounts(connection)
    assert [(problem.product, problem.service, problem.kind) for problem in listing.problems] == \
        [("email_pro", "emailpro-ab12345-1", "server")]
    assert {account.product for account in listing.blocked()} == {"exchange", "mxplan_new", "mxplan_legacy"}


def test_a_product_the_key_may_not_read_is_reported(connection, sandbox):
    sandbox.fail("/email/exchange", status=403, error_code="NOT_GRANTED_CALL")
    listing = list_accounts(connection)
    assert listing.problems[0].kind == "not-granted" and "GET /email/exchange" in listing.problems[0].message
    assert len(listing.blocked()) == 3


def test_listing_is_bounded_per_service(connection, sandbox):
    accounts = sandbox.state.accounts["email_pro"][("emailpro-ab12345-1",)]
    for n in range(5):
        accounts[f"user{n}@cabinet-leroy.fr"] = dict(accounts["secretariat@cabinet-leroy.fr"],
                                                     primaryEmailAddress=f"user{n}@cabinet-leroy.fr")
    listing = list_accounts(connection, limit=3, products=("email_pro",))
    assert len(listing.accounts) == 3
    assert listing.problems[0].kind == "not-read" and "4 more accounts" in listing.problems[0].message


def test_status_is_re_read_with_one_get_and_its_time(connection, sandbox):
    account = list_accounts(connection).find("Contact@Boulangerie-Martin.fr")
    before = len(sandbox.calls)
    status = read_status(connection, account)
    assert status.blocked is True and status.ticket_number == 8452107 and status.read_at.endswith("+00:00")
    assert sandbox.calls[before:] == [
        ("GET", "/email/mxplan/boulangerie-martin.fr/account/contact@boulangerie-martin.fr")]
    sandbox.state.accounts["mxplan_new"][("boulangerie-martin.fr",)]["contact@boulangerie-martin.fr"][
        "spamDetected"] = False
    assert read_status(connection, account).blocked is False


def test_accounts_json_with_the_sandbox(capsys):
    assert main(["accounts", "--sandbox", "--json", "--timeout", "2"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1 and document["errors"] == []
    assert {account["product"] for account in document["accounts"]} == set(PRODUCT_IDS)
    for account in document["accounts"]:
        assert {"product", "service", "email", "blocked", "ticket_number", "state", "diagnostics"} <= set(account)
        assert account["blocked"] is True
    demo = next(account for account in document["accounts"] if account["email"] == "contact@boulangerie-martin.fr")
    assert demo["ticket_number"] == 8452107 and demo["product"] == "mxplan_new"


def test_accounts_with_stored_credentials_lists_all_on_request(sandbox, credentials, capsys):
    register_endpoint("ovh-eu", sandbox.url)
    save_credentials(Credentials("ovh-eu", credentials.application_key, credentials.application_secret,
                                           credentials.consumer_key))
    assert main(["accounts", "--all", "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "direction@atelier-dupont.fr" in out and "not blocked" in out
    assert "Accounts (ovh-eu):" in out and "Credentials from unblock's" in out


def test_accounts_when_not_connected_says_what_to_do(capsys):
    assert main(["accounts"]) == 1
    assert "unblock connect" in capsys.readouterr().err


def test_accounts_when_offline_gives_the_message_not_a_traceback(sandbox, credentials, capsys):
    register_endpoint("ovh-eu", sandbox.url)
    save_credentials(Credentials("ovh-eu", credentials.application_key, credentials.application_secret,
                                           credentials.consumer_key))
    sandbox.stop()
    assert main(["accounts", "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert "could not be reached" in err and "Traceback" not in err
