"""The connection to OVHcloud: each failure gives its plain-words message, GETs are retried, POSTs never."""

from __future__ import annotations

import socket

import ovh
import pytest
from ovh_fixtures import TIMEOUT
from ovh_fixtures import *  # noqa: F403 (the shared fixtures; tests/conftest.py stays as it is)

from tui.ovh.accounts import list_accounts
from tui.ovh.client import open_connection, register_endpoint
from tui.ovh.credentials import Credentials
from tui.ovh.errors import KINDS, OvhError
from tui.ovh.tickets import post_reply


def fail(call, *args, **kwargs) -> OvhError:
    with pytest.raises(OvhError) as caught:
        call(*args, **kwargs)
    assert caught.value.kind in KINDS
    return caught.value


def narrow_connection(sandbox, rules) -> object:
    """A connection whose consumer key has only ``rules``."""
    key, secret = sandbox.new_application()
    client = ovh.Client(endpoint=sandbox.endpoint_name, application_key=key, application_secret=secret,
                        consumer_key="", timeout=TIMEOUT)
    consumer = client.request_consumerkey(rules)["consumerKey"]
    sandbox.validate(consumer)
    return open_connection(Credentials(sandbox.endpoint_name, key, secret, consumer), timeout=TIMEOUT)


def test_a_call_outside_the_key_rights_names_the_method_and_route(sandbox):
    narrow = narrow_connection(sandbox, [{"method": "GET", "path": "/me"}])
    assert narrow.get("/me")["nichandle"] == "ab12345-ovh"
    error = fail(narrow.get, "/email/pro")
    assert error.kind == "not-granted"
    assert "GET /email/pro" in error.message and "unblock connect" in error.message


def test_a_404_names_what_was_looked_for(connection):
    error = fail(connection.get, "/email/pro/emailpro-ab12345-1/account/nobody@cabinet-leroy.fr",
                 "account nobody@cabinet-leroy.fr")
    assert error.kind == "not-found" and error.status == 404
    assert "account nobody@cabinet-leroy.fr" in error.message


def test_a_429_on_get_is_retried_after_the_wait_it_asks_for(connection, sandbox, sleeps):
    sandbox.fail("/email/pro", status=429, retry_after=2)
    assert connection.get("/email/pro") == ["emailpro-ab12345-1"]
    assert sleeps == [2.0]
    assert sandbox.count("GET", "/email/pro") == 2


def test_a_429_asking_for_a_long_wait_is_not_waited_for(connection, sandbox, sleeps):
    sandbox.fail("/email/pro", status=429, retry_after=120)
    error = fail(connection.get, "/email/pro")
    assert error.kind == "rate-limited" and error.retry_after == 120
    assert "in 120 seconds" in error.message
    assert sleeps == [] and sandbox.count("GET", "/email/pro") == 1


def test_a_429_on_post_is_never_retried(connection, sandbox, sleeps):
    sandbox.fail("/support/tickets/*/reply", method="POST", status=429, retry_after=1)
    error = fail(post_reply, connection, 5101, "My answers.")
    assert error.kind == "rate-limited"
    assert sandbox.count("POST", "/support/tickets/5101/reply") == 1 and sleeps == []
    assert sandbox.state.messages[5101][-1]["body"] != "My answers."


def test_a_500_on_get_is_retried_with_a_growing_backoff_then_reported(connection, sandbox, sleeps):
    sandbox.fail("/email/mxplan", status=500, times=5)
    error = fail(connection.get, "/email/mxplan")
    assert error.kind == "server" and "500" in error.message and "offline" in error.message
    assert sandbox.count("GET", "/email/mxplan") == 3
    assert sleeps == [0.5, 1.0]


def test_a_single_500_is_absorbed_by_the_retry(connection, sandbox):
    sandbox.fail("/email/mxplan", status=500, times=1)
    assert connection.get("/email/mxplan") == ["boulangerie-martin.fr"]


def test_a_slow_answer_is_a_time_out_and_is_not_retried(credentials, sandbox, sleeps):
    quick = open_connection(credentials, timeout=(1.0, 0.3), sleep=sleeps)
    quick.get("/me")  # python-ovh's /auth/time look-up happens on the first call: keep it out of the slow one
    sandbox.fail("/email/exchange", status=None, delay=1.0)
    error = fail(quick.get, "/email/exchange")
    assert error.kind == "timeout" and "within 0.3 seconds" in error.message
    assert sandbox.count("GET", "/email/exchange") == 1 and sleeps == []


def test_a_post_that_times_out_says_it_may_have_been_carried_out(credentials, sandbox):
    quick = open_connection(credentials, timeout=(1.0, 0.3))
    quick.get("/me")
    sandbox.fail("/support/tickets/*/reply", method="POST", status=None, delay=1.0)
    error = fail(post_reply, quick, 5101, "My answers.")
    assert error.kind == "timeout" and "may still have been carried out" in error.message


def test_an_expired_consumer_key_says_to_connect_again(connection, sandbox, credentials):
    sandbox.expire(credentials.consumer_key)
    error = fail(connection.get, "/me")
    assert error.kind == "expired-key"
    assert "expired" in error.message and "unblock connect" in error.message


def test_network_down_is_said_as_such_and_listing_stops(connection, sandbox):
    connection.get("/me")
    sandbox.stop()
    error = fail(list_accounts, connection)
    assert error.kind == "network"
    assert "could not be reached" in error.message and "offline" in error.message


def test_nothing_listening_is_network_down(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    register_endpoint("ovh-eu", f"http://127.0.0.1:{port}/1.0")
    lost = open_connection(Credentials("ovh-eu", "AppKey", "AppSecret", "ConsumerKey"), timeout=TIMEOUT, sleep=sleeps)
    assert fail(lost.get, "/me").kind == "network"
    assert len(sleeps) == 2  # GETs are retried on network errors too


def test_an_unknown_application_key_is_bad_credentials(sandbox, credentials):
    wrong = Credentials(sandbox.endpoint_name, "NotAnAppKey", credentials.application_secret,
                        credentials.consumer_key)
    error = fail(open_connection(wrong, timeout=TIMEOUT).get, "/me")
    assert error.kind == "bad-credentials" and "application key" in error.message


def test_a_wrong_application_secret_fails_the_signature_check(sandbox, credentials):
    wrong = Credentials(sandbox.endpoint_name, credentials.application_key, "NotTheSecret", credentials.consumer_key)
    error = fail(open_connection(wrong, timeout=TIMEOUT).get, "/me")
    assert error.kind == "bad-credentials" and "secret" in error.message


def test_an_unknown_endpoint_is_a_config_error():
    error = fail(open_connection, Credentials("ovh-nowhere", "AppKey", "AppSecret", "ConsumerKey"))
    assert error.kind == "config"


def test_the_test_guard_refuses_anything_but_the_loopback():
    with socket.socket() as sock, pytest.raises(OSError, match="loopback only"):
        sock.connect(("192.0.2.1", 443))
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("eu.api.ovh.com", 443)
