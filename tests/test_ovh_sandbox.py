"""The local OVHcloud API double checks what the real API checks, and tui.ovh stays outside tui.core."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import requests
from ovh_fixtures import TIMEOUT
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.core.case import PRODUCT_IDS
from tui.core.demo import demo_ticket_text
from tui.ovh.accounts import list_accounts
from tui.ovh.client import SANDBOX_ENDPOINT, open_connection
from tui.ovh.sandbox import start_sandbox
from tui.ovh.sandbox_state import DEMO_EMAIL, DEMO_TICKET_NUMBER, demo_state

ROOT = Path(__file__).resolve().parents[1]


def signed_get(sandbox, credentials, path: str, *, secret: str | None = None, stamp: int | None = None):
    """A GET signed by hand, the python-ovh recipe, to tamper with one part at a time."""
    url = sandbox.url + path
    stamp = str(int(time.time()) if stamp is None else stamp)
    text = "+".join([secret or credentials.application_secret, credentials.consumer_key, "GET", url, "", stamp])
    headers = {"X-Ovh-Application": credentials.application_key, "X-Ovh-Consumer": credentials.consumer_key,
               "X-Ovh-Timestamp": stamp, "X-Ovh-Signature": "$1$" + hashlib.sha1(text.encode()).hexdigest()}
    return requests.get(url, headers=headers, timeout=2)


def test_a_correct_signature_is_accepted_and_a_wrong_one_refused(sandbox, credentials):
    assert signed_get(sandbox, credentials, "/me").json()["nichandle"] == "ab12345-ovh"
    wrong = signed_get(sandbox, credentials, "/me", secret="NotTheSecret")
    assert wrong.status_code == 400 and wrong.json()["errorCode"] == "INVALID_SIGNATURE"
    stale = signed_get(sandbox, credentials, "/me", stamp=int(time.time()) - 3600)
    assert stale.status_code == 400


def test_unsigned_or_unknown_requests_are_refused(sandbox, credentials):
    assert requests.get(sandbox.url + "/me", timeout=2).json()["errorCode"] == "INVALID_KEY"
    answer = requests.get(sandbox.url + "/me", headers={"X-Ovh-Application": credentials.application_key},
                          timeout=2)
    assert answer.status_code == 403 and answer.json()["errorCode"] == "NOT_CREDENTIAL"
    assert requests.get(sandbox.url + "/auth/time", timeout=2).json() > 1_700_000_000


def test_keys_start_pending_and_the_validation_page_validates_them(sandbox):
    key, _ = sandbox.new_application()
    answer = requests.post(sandbox.url + "/auth/credential", headers={"X-Ovh-Application": key},
                           json={"accessRules": [{"method": "GET", "path": "/me"}]}, timeout=2).json()
    assert answer["state"] == "pendingValidation" and sandbox.keys[answer["consumerKey"]].status == answer["state"]
    assert requests.get(answer["validationUrl"], timeout=2).status_code == 200
    assert sandbox.keys[answer["consumerKey"]].status == "validated"
    assert requests.get(sandbox.origin + "/auth/?credentialToken=unknown", timeout=2).status_code == 404


def test_the_double_listens_on_the_loopback_only(sandbox):
    assert sandbox.url.startswith("http://127.0.0.1:") and sandbox.url.endswith("/1.0")


def test_start_sandbox_gives_a_running_double_and_working_credentials():
    double, credentials = start_sandbox(timeout=TIMEOUT)
    try:
        assert credentials.endpoint == SANDBOX_ENDPOINT and credentials.consumer_key
        listing = list_accounts(open_connection(credentials, timeout=TIMEOUT))
        assert {account.product for account in listing.blocked()} == set(PRODUCT_IDS)
    finally:
        double.stop()


def test_demo_state_holds_the_demo_case_and_its_exact_ticket():
    state = demo_state()
    account = state.account("mxplan_new", ("boulangerie-martin.fr",), DEMO_EMAIL)
    assert account["spamDetected"] is True and account["spamTicketNumber"] == DEMO_TICKET_NUMBER
    ticket_id = next(i for i, ticket in state.tickets.items() if ticket["ticketNumber"] == DEMO_TICKET_NUMBER)
    assert state.messages[ticket_id][0]["body"] == demo_ticket_text()


def test_tui_ovh_never_imports_textual_and_tui_core_never_imports_tui_ovh():
    probe = r"""
import importlib, pkgutil, sys

sys.modules["textual"] = None  # from here on, importing textual (or a part of it) fails
import tui.core
for m in pkgutil.walk_packages(tui.core.__path__, "tui.core."):
    importlib.import_module(m.name)
assert not any(k.startswith("tui.ovh") for k in sys.modules), "tui.core imported tui.ovh"
import tui.ovh
names = [m.name for m in pkgutil.walk_packages(tui.ovh.__path__, "tui.ovh.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10
