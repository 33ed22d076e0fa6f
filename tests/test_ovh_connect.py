"""`unblock connect` and `unblock disconnect`: the narrowest rights, the validation wait, no secret shown."""

from __future__ import annotations

import io
import logging
import re
import stat
import sys

import pytest
import requests
from ovh_fixtures import TIMEOUT
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.cli import main
from tui.ovh import cli
from tui.ovh.client import open_connection, register_endpoint
from tui.ovh.connect import RIGHTS, access_rules, connect, request_key, wait_for_validation
from tui.ovh.credentials import Credentials, credentials_file, find_credentials
from tui.ovh.errors import OvhError
from tui.ovh.sandbox import Sandbox

# Every route the tui.ovh modules call, as the API schema names its parameters.
ROUTES_USED = {
    ("GET", "/me"), ("GET", "/auth/currentCredential"),
    ("GET", "/email/exchange"), ("GET", "/email/exchange/{organizationName}/service"),
    ("GET", "/email/exchange/{organizationName}/service/{exchangeService}/account"),
    ("GET", "/email/exchange/{organizationName}/service/{exchangeService}/account/{primaryEmailAddress}"),
    ("GET", "/email/exchange/{organizationName}/service/{exchangeService}/account/{primaryEmailAddress}/diagnostics"),
    ("GET", "/email/exchange/{organizationName}/service/{exchangeService}/account/{primaryEmailAddress}/tasks/{id}"),
    ("GET", "/email/pro"), ("GET", "/email/pro/{service}/account"), ("GET", "/email/pro/{service}/account/{email}"),
    ("GET", "/email/pro/{service}/account/{email}/diagnostics"),
    ("GET", "/email/pro/{service}/account/{email}/tasks/{id}"),
    ("GET", "/email/mxplan"), ("GET", "/email/mxplan/{service}/account"),
    ("GET", "/email/mxplan/{service}/account/{email}"), ("GET", "/email/mxplan/{service}/account/{email}/diagnostic"),
    ("GET", "/email/mxplan/{service}/account/{email}/task/{id}"),
    ("GET", "/email/domain"), ("GET", "/email/domain/{domain}/account"),
    ("GET", "/email/domain/{domain}/account/{accountName}"), ("GET", "/email/domain/{domain}/redirection"),
    ("GET", "/email/domain/{domain}/redirection/{id}"), ("GET", "/email/domain/{domain}/task/account/{id}"),
    ("GET", "/support/tickets"), ("GET", "/support/tickets/{ticketId}"),
    ("GET", "/support/tickets/{ticketId}/messages"), ("POST", "/support/tickets/{ticketId}/reply"),
    ("POST", "/email/exchange/{organizationName}/service/{exchangeService}/account/{primaryEmailAddress}"
             "/changePassword"),
    ("POST", "/email/pro/{service}/account/{email}/changePassword"),
    ("POST", "/email/mxplan/{service}/account/{email}/changePassword"),
    ("POST", "/email/domain/{domain}/account/{accountName}/changePassword"),
}


def test_the_rights_asked_are_exactly_the_routes_used_with_a_star_per_parameter():
    asked = {(rule["method"], rule["path"]) for rule in access_rules()}
    assert asked == {(method, re.sub(r"\{\w+\}", "*", path)) for method, path in ROUTES_USED}
    assert all(right.reason for right in RIGHTS)


def test_post_is_asked_only_for_the_reply_and_the_password_changes():
    posts = [rule["path"] for rule in access_rules() if rule["method"] == "POST"]
    assert all(path.endswith(("/reply", "/changePassword")) for path in posts)
    assert {rule["method"] for rule in access_rules()} == {"GET", "POST"}


def test_the_double_received_exactly_these_rules(sandbox):
    key, secret = sandbox.new_application()
    connected = connect(sandbox.endpoint_name, key, secret, timeout=TIMEOUT,
                        show_request=lambda request: sandbox.validate(request.consumer_key))
    assert sandbox.keys[connected.credentials.consumer_key].rules == access_rules()
    assert connected.key.status == "validated" and connected.key.expiration is None
    assert set(connected.key.rules) == {(rule["method"], rule["path"]) for rule in access_rules()}
    assert (connected.nichandle, connected.name) == ("ab12345-ovh", "Claire Lambert")


def test_waiting_polls_me_until_the_key_is_validated(sandbox):
    key, secret = sandbox.new_application()
    connection = open_connection(Credentials(sandbox.endpoint_name, key, secret, ""), timeout=TIMEOUT)
    request = request_key(connection)
    polls = []

    def user_validates_on_the_third_wait(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 3:
            requests.get(request.validation_url, timeout=2)  # the validation page, as the user opens it

    me = wait_for_validation(connection, interval=3.0, sleep=user_validates_on_the_third_wait)
    assert me["nichandle"] == "ab12345-ovh" and polls == [3.0, 3.0, 3.0]
    assert sandbox.count("GET", "/me") == 1  # refused calls are not recorded: they never passed the checks


def test_waiting_is_bounded(sandbox):
    key, secret = sandbox.new_application()
    connection = open_connection(Credentials(sandbox.endpoint_name, key, secret, ""), timeout=TIMEOUT)
    request_key(connection)
    clock = iter(range(0, 1000, 3))
    with pytest.raises(OvhError) as caught:
        wait_for_validation(connection, timeout=10.0, interval=3.0, sleep=lambda s: None, clock=lambda: next(clock))
    assert caught.value.kind == "not-validated" and "unblock connect" in caught.value.message


@pytest.fixture
def ovh_eu(monkeypatch):
    """The double answers for "ovh-eu", authorising keys at once; the secret comes from the environment."""
    with Sandbox(auto_validate=True) as double:
        register_endpoint("ovh-eu", double.url)
        key, secret = double.new_application()
        monkeypatch.setenv("UNBLOCK_OVH_APPLICATION_SECRET", secret)
        yield double, key, secret


def test_connect_non_interactive_stores_private_credentials(ovh_eu, capsys, caplog):
    double, key, secret = ovh_eu
    caplog.set_level(logging.DEBUG)
    assert main(["connect", "--endpoint", "ovh-eu", "--application-key", key, "--timeout", "2"]) == 0
    out, err = capsys.readouterr()
    path = credentials_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = find_credentials()
    assert stored.application_key == key and stored.application_secret == secret
    assert "/auth/?credentialToken=" in out and "POST  /support/tickets/*/reply" in out
    assert "Connected to OVHcloud Europe (ovh-eu)\nas ab12345-ovh" in out and "expires: never" in out
    assert f"Saved to {path}" in out
    shown = out + err + caplog.text + "".join(str(record.args) for record in caplog.records)
    for secret_value in (secret, stored.consumer_key):
        assert secret_value not in shown


def test_connect_reads_the_secret_from_standard_input(ovh_eu, monkeypatch, capsys):
    double, key, secret = ovh_eu
    monkeypatch.delenv("UNBLOCK_OVH_APPLICATION_SECRET")
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    assert main(["connect", "--endpoint", "ovh-eu", "--application-key", key]) == 0
    assert find_credentials().application_secret == secret
    assert secret not in "".join(capsys.readouterr())


def test_connect_asks_on_the_terminal_and_names_the_page_to_create_the_application(ovh_eu, monkeypatch, capsys):
    double, key, secret = ovh_eu
    answers = iter(["ovh-ca", key])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    register_endpoint("ovh-ca", double.url)
    assert main(["connect"]) == 0
    out = capsys.readouterr().out
    assert "https://ca.api.ovh.com/createApp/" in out and "Application Secret" in out
    assert find_credentials().endpoint == "ovh-ca"


def test_a_refused_application_key_is_said_and_nothing_is_stored(ovh_eu, capsys):
    assert main(["connect", "--endpoint", "ovh-eu", "--application-key", "UnknownKey"]) == 1
    assert "application key" in capsys.readouterr().err
    assert not credentials_file().exists()


def test_giving_up_with_ctrl_c_stores_nothing(ovh_eu, monkeypatch, capsys):
    double, key, secret = ovh_eu
    double.auto_validate = False

    def interrupted() -> None:  # the user presses ctrl+c while unblock waits
        raise KeyboardInterrupt

    real_connect = cli.connect
    monkeypatch.setattr(cli, "connect", lambda *args, **kwargs: real_connect(*args, on_wait=interrupted, **kwargs))
    assert main(["connect", "--endpoint", "ovh-eu", "--application-key", key]) == 130
    assert "nothing was stored" in capsys.readouterr().err
    assert not credentials_file().exists()


def test_connect_sandbox_shows_the_summary_and_the_blocked_accounts(capsys):
    assert main(["connect", "--sandbox", "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "local OVHcloud API double" in out and "as ab12345-ovh (Claire Lambert)" in out
    assert "POST  /email/domain/*/account/*/changePassword" in out
    for email in ("compta@atelier-dupont.fr", "accueil@cabinet-leroy.fr", "contact@boulangerie-martin.fr",
                  "boutique@fleurs-lambert.fr"):
        assert email in out
    assert "Nothing was stored" in out and not credentials_file().exists()


def test_disconnect_removes_the_file_and_says_what_remains(monkeypatch, capsys):
    credentials_file().parent.mkdir(parents=True)
    credentials_file().write_text("[default]\nendpoint=ovh-eu\n")
    assert main(["disconnect"]) == 0
    out = capsys.readouterr().out
    assert f"Removed {credentials_file()}" in out and "not connected to OVHcloud any more" in out
    for name, value in (("ENDPOINT", "ovh-eu"), ("APPLICATION_KEY", "a"), ("APPLICATION_SECRET", "b")):
        monkeypatch.setenv("OVH_" + name, value)
    assert main(["disconnect"]) == 0
    out = capsys.readouterr().out
    assert "There were no stored credentials" in out and "OVH_* environment variables" in out
