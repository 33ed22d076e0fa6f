"""``Connection``: python-ovh's ``Client`` with every call bounded in time and retried only where safe.

python-ovh does the signing ("$1$" + SHA1 of secret, consumer key, method, URL,
body and timestamp); this module adds what an interactive app needs around it:

- a time-out on every call (python-ovh's own default is 180 seconds);
- retries for GET only (reading twice is harmless), on network errors, 5xx and
  429, with a small backoff that honours Retry-After when it is short; a POST is
  never retried, since posting a reply twice is exactly what must not happen;
- one exception, ``OvhError`` (see ``errors``), whatever went wrong.

Endpoints are python-ovh's names (``ovh.client.ENDPOINTS``); ``register_endpoint``
adds one at run time, which is how the local double is reached.
"""

from __future__ import annotations

import configparser
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import ovh
from ovh import client as ovh_client
from ovh import exceptions as ovh_exceptions

from tui.ovh.errors import OvhError, from_python_ovh

if TYPE_CHECKING:
    from tui.ovh.credentials import Credentials

KNOWN_ENDPOINTS = ("ovh-eu", "ovh-ca", "ovh-us")
SANDBOX_ENDPOINT = "unblock-sandbox"

# Where an application (key and secret) is created for each API: python-ovh's README ("Supported
# APIs") and the OVHcloud guide "How to manage a customer's account via OVHcloud API" ("Application
# registration": log in, give the application a name and a description, get its key and secret).
ENDPOINT_LABELS = {"ovh-eu": "OVHcloud Europe", "ovh-ca": "OVHcloud North-America", "ovh-us": "OVHcloud US"}
CREATE_APP_PAGES = {
    "ovh-eu": "https://eu.api.ovh.com/createApp/",
    "ovh-ca": "https://ca.api.ovh.com/createApp/",
    "ovh-us": "https://api.us.ovhcloud.com/createApp/",
}

# (connect, read) seconds. Reads get longer: OVHcloud's email routes can be slow to answer.
DEFAULT_TIMEOUT = (5.0, 20.0)
GET_ATTEMPTS = 3
BACKOFF = 0.5
# A Retry-After longer than this is not waited for: the user is told to come back later instead.
LONGEST_WAIT = 5.0

_RETRIED_KINDS = frozenset({"network", "server", "rate-limited"})


def register_endpoint(name: str, url: str) -> None:
    """Make ``name`` an endpoint python-ovh knows, pointing at ``url`` (".../1.0")."""
    ovh_client.ENDPOINTS[name] = url


def unregister_endpoint(name: str, url: str) -> None:
    """Forget ``name``, if it still points at ``url`` (a later registration is left alone)."""
    if ovh_client.ENDPOINTS.get(name) == url:
        del ovh_client.ENDPOINTS[name]


def route(template: str, *params: object) -> str:
    """``template`` with each ``{}`` replaced by a parameter, quoted as one path segment."""
    return template.format(*(quote(str(param), safe="@") for param in params))


class Connection:
    """A signed-in python-ovh client for one endpoint; ``get`` and ``post`` raise only ``OvhError``."""

    def __init__(self, client: ovh.Client, endpoint: str, *, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
                 attempts: int = GET_ATTEMPTS, backoff: float = BACKOFF, longest_wait: float = LONGEST_WAIT,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self.endpoint = endpoint
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.longest_wait = longest_wait
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"Connection(endpoint={self.endpoint!r})"

    def get(self, path: str, what: str = "", **query: Any) -> Any:
        """GET ``path`` (query parameters as keywords), retried on network errors, 5xx and 429."""
        for attempt in range(self.attempts):
            try:
                return self._client.get(path, **query)
            except (ovh_exceptions.APIError, OSError) as exc:
                error = self._error(exc, "GET", path, what)
            wait = self._retry_wait(error, attempt)
            if wait is None:
                raise error
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt raises")

    def post(self, path: str, what: str = "", **body: Any) -> Any:
        """POST ``path`` with ``body`` as its JSON object, once: a POST is never retried."""
        try:
            return self._client.post(path, **body)
        except (ovh_exceptions.APIError, OSError) as exc:
            raise self._error(exc, "POST", path, what) from None

    def request_consumer_key(self, rules: list[dict[str, str]]) -> dict:
        """POST /auth/credential with ``rules``; python-ovh then signs with the new key."""
        try:
            return self._client.request_consumerkey(rules)
        except (ovh_exceptions.APIError, OSError) as exc:
            raise self._error(exc, "POST", "/auth/credential", "application") from None

    def _error(self, exc: Exception, method: str, path: str, what: str) -> OvhError:
        # OSError: python-ovh lets requests' exceptions through from its /auth/time look-up.
        return from_python_ovh(exc, method, path, what, self.timeout)

    def _retry_wait(self, error: OvhError, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None when this error is final."""
        if error.kind not in _RETRIED_KINDS or attempt + 1 >= self.attempts:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.longest_wait else None
        return self.backoff * (2 ** attempt)


def open_connection(credentials: Credentials, *, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
                    **options: Any) -> Connection:
    """A ``Connection`` signing with ``credentials``; nothing is sent until the first call."""
    try:
        client = ovh.Client(endpoint=credentials.endpoint, application_key=credentials.application_key,
                            application_secret=credentials.application_secret,
                            consumer_key=credentials.consumer_key, timeout=timeout)
    except ovh_exceptions.APIError as exc:
        raise from_python_ovh(exc, "", "", timeout=timeout) from None
    except configparser.Error as exc:  # python-ovh reads its ovh.conf files here too
        raise OvhError("config", f"An ovh.conf file python-ovh reads (./ovh.conf, ~/.ovh.conf or /etc/ovh.conf) "
                       f"is not valid ({type(exc).__name__}): fix or remove it.") from None
    return Connection(client, credentials.endpoint, timeout=timeout, **options)
