"""Getting a consumer key with the narrowest rights unblock needs, and checking it works.

The flow of python-ovh's README ("Use the API on behalf of a user"): with the
application's key and secret, POST /auth/credential asks for a consumer key with
a list of rules (method + path pattern); OVHcloud answers with the key and a
validation URL where the user logs in and authorises it; until then the key is
refused (INVALID_CREDENTIAL). ``wait_for_validation`` polls GET /me until it
answers; GET /auth/currentCredential then shows the rights and the expiry.

``RIGHTS`` is every route unblock calls and nothing else: GET on the exact email
and support routes read, POST only on the ticket reply and the four
changePassword routes. A ``*`` stands only where the route has a parameter
(a domain, a service, an address, a ticket or task id).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from tui.ovh.client import DEFAULT_TIMEOUT, Connection, open_connection
from tui.ovh.credentials import Credentials, check_key
from tui.ovh.errors import OvhError


@dataclass(frozen=True)
class Right:
    """One access rule asked for, and why unblock needs it (``reason``: one of the purposes below)."""

    method: str
    path: str
    reason: str

    def rule(self) -> dict[str, str]:
        return {"method": self.method, "path": self.path}


# Why unblock needs each right, in the words shown before the user authorises the key.
CHECK = "check the connection: whose account, this key's rights and expiry"
ACCOUNTS = "find the accounts blocked for spam, their diagnosis and ticket number"
TICKET = "read the spam ticket and the support's later messages"
REDIRECTIONS = "look for redirections from the blocked address (question 2)"
REPLY = "post your reply to the ticket, only after you confirm it"
PASSWORD = "change a mailbox password, only after you confirm, and follow the change"

_EXCHANGE_ACCOUNT = "/email/exchange/*/service/*/account/*"
RIGHTS: tuple[Right, ...] = (
    Right("GET", "/me", CHECK),
    Right("GET", "/auth/currentCredential", CHECK),
    Right("GET", "/email/exchange", ACCOUNTS),
    Right("GET", "/email/exchange/*/service", ACCOUNTS),
    Right("GET", "/email/exchange/*/service/*/account", ACCOUNTS),
    Right("GET", _EXCHANGE_ACCOUNT, ACCOUNTS),
    Right("GET", _EXCHANGE_ACCOUNT + "/diagnostics", ACCOUNTS),
    Right("GET", "/email/pro", ACCOUNTS),
    Right("GET", "/email/pro/*/account", ACCOUNTS),
    Right("GET", "/email/pro/*/account/*", ACCOUNTS),
    Right("GET", "/email/pro/*/account/*/diagnostics", ACCOUNTS),
    Right("GET", "/email/mxplan", ACCOUNTS),
    Right("GET", "/email/mxplan/*/account", ACCOUNTS),
    Right("GET", "/email/mxplan/*/account/*", ACCOUNTS),
    Right("GET", "/email/mxplan/*/account/*/diagnostic", ACCOUNTS),
    Right("GET", "/email/domain", ACCOUNTS),
    Right("GET", "/email/domain/*/account", ACCOUNTS),
    Right("GET", "/email/domain/*/account/*", ACCOUNTS),
    Right("GET", "/support/tickets", TICKET),
    Right("GET", "/support/tickets/*", TICKET),
    Right("GET", "/support/tickets/*/messages", TICKET),
    Right("GET", "/email/domain/*/redirection", REDIRECTIONS),
    Right("GET", "/email/domain/*/redirection/*", REDIRECTIONS),
    Right("POST", "/support/tickets/*/reply", REPLY),
    Right("POST", _EXCHANGE_ACCOUNT + "/changePassword", PASSWORD),
    Right("GET", _EXCHANGE_ACCOUNT + "/tasks/*", PASSWORD),
    Right("POST", "/email/pro/*/account/*/changePassword", PASSWORD),
    Right("GET", "/email/pro/*/account/*/tasks/*", PASSWORD),
    Right("POST", "/email/mxplan/*/account/*/changePassword", PASSWORD),
    Right("GET", "/email/mxplan/*/account/*/task/*", PASSWORD),
    Right("POST", "/email/domain/*/account/*/changePassword", PASSWORD),
    Right("GET", "/email/domain/*/task/account/*", PASSWORD),
)


def access_rules() -> list[dict[str, str]]:
    """``RIGHTS`` as POST /auth/credential's accessRules."""
    return [right.rule() for right in RIGHTS]


@dataclass(frozen=True, repr=False)
class KeyRequest:
    """A consumer key waiting for the user to open ``validation_url`` and authorise it."""

    consumer_key: str
    validation_url: str
    state: str

    def __repr__(self) -> str:
        return f"KeyRequest(validation_url={self.validation_url!r}, state={self.state!r})"


@dataclass(frozen=True)
class KeyDetails:
    """GET /auth/currentCredential: the key's state, rights and dates (``expiration`` None: never)."""

    status: str
    rules: tuple[tuple[str, str], ...]
    creation: str | None
    expiration: str | None
    last_use: str | None


@dataclass(frozen=True)
class Connected:
    """The outcome of ``connect``: working credentials, whose account they open, and the key's details."""

    credentials: Credentials
    nichandle: str
    name: str
    key: KeyDetails


def request_key(connection: Connection) -> KeyRequest:
    """POST /auth/credential for ``RIGHTS``; the key is refused until the user validates it."""
    answer = connection.request_consumer_key(access_rules())
    return KeyRequest(str(answer["consumerKey"]), str(answer.get("validationUrl") or ""),
                      str(answer.get("state") or ""))


def wait_for_validation(connection: Connection, *, timeout: float = 600.0, interval: float = 3.0,
                        sleep: Callable[[float], None] | None = None, clock: Callable[[], float] | None = None,
                        on_wait: Callable[[], None] | None = None) -> dict:
    """GET /me until the key is validated (its answer is returned), for ``timeout`` seconds at most.

    A refused key means "not validated yet" here; any other error is raised. The
    user gives up with ctrl+c (KeyboardInterrupt goes through).
    """
    sleep = time.sleep if sleep is None else sleep
    clock = time.monotonic if clock is None else clock
    deadline = clock() + timeout
    while True:
        try:
            return connection.get("/me", "account details")
        except OvhError as error:
            if error.kind != "expired-key":
                raise
        if clock() + interval > deadline:
            minutes = max(1, round(timeout / 60))
            raise OvhError("not-validated", f"The consumer key was not authorised within {minutes} minute"
                           f"{'s' if minutes > 1 else ''}. Open the validation address, log in and authorise "
                           "it, then run `unblock connect` again.")
        if on_wait is not None:
            on_wait()
        sleep(interval)


def key_details(connection: Connection) -> KeyDetails:
    """GET /auth/currentCredential, as ``KeyDetails``."""
    answer = connection.get("/auth/currentCredential", "current credential")
    rules = tuple((str(rule.get("method")), str(rule.get("path"))) for rule in answer.get("rules") or ())
    return KeyDetails(str(answer.get("status") or ""), rules, answer.get("creation"), answer.get("expiration"),
                      answer.get("lastUse"))


def connect(endpoint: str, application_key: str, application_secret: str, *,
            show_request: Callable[[KeyRequest], None] = lambda request: None,
            timeout: float | tuple[float, float] = DEFAULT_TIMEOUT, wait: float = 600.0, interval: float = 3.0,
            sleep: Callable[[float], None] | None = None, on_wait: Callable[[], None] | None = None) -> Connected:
    """The whole flow: ask for a consumer key, ``show_request`` it, wait for validation, read its details.

    ``show_request`` is where the validation URL reaches the user (the local
    double validates the key there instead). Nothing is stored: see
    ``credentials.save_credentials``. Raises ``OvhError`` or, for a malformed key,
    ``ValueError``.
    """
    application_key = check_key(application_key, "application key")
    application_secret = check_key(application_secret, "application secret")
    # An empty consumer key keeps python-ovh from taking a stale one from OVH_CONSUMER_KEY or an ovh.conf.
    connection = open_connection(Credentials(endpoint, application_key, application_secret, ""), timeout=timeout)
    request = request_key(connection)
    show_request(request)
    me = wait_for_validation(connection, timeout=wait, interval=interval, sleep=sleep, on_wait=on_wait)
    details = key_details(connection)
    name = " ".join(part for part in (me.get("firstname"), me.get("name")) if part)
    credentials = Credentials(endpoint, application_key, application_secret, request.consumer_key,
                              source="unblock connect")
    return Connected(credentials, str(me.get("nichandle") or ""), name, details)
