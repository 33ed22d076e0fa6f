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
    """One access rule asked for, and why unblock needs it."""

    method: str
    path: str
    reason: str

    def rule(self) -> dict[str, str]:
        return {"method": self.method, "path": self.path}


_EXCHANGE_ACCOUNT = "/email/exchange/*/service/*/account/*"
RIGHTS: tuple[Right, ...] = (
    Right("GET", "/me", "check the connection and say whose account it is"),
    Right("GET", "/auth/currentCredential", "show this key's rights and expiry"),
    Right("GET", "/email/exchange", "list your Exchange organisations"),
    Right("GET", "/email/exchange/*/service", "list the services of an Exchange organisation"),
    Right("GET", "/email/exchange/*/service/*/account", "list an Exchange service's accounts"),
    Right("GET", _EXCHANGE_ACCOUNT, "read an Exchange account: blocked for spam, its ticket, its forwarding"),
    Right("GET", _EXCHANGE_ACCOUNT + "/diagnostics", "read an Exchange account's diagnosis (isSpammer...)"),
    Right("GET", _EXCHANGE_ACCOUNT + "/tasks/*", "follow an Exchange password change"),
    Right("GET", "/email/pro", "list your Email Pro services"),
    Right("GET", "/email/pro/*/account", "list an Email Pro service's accounts"),
    Right("GET", "/email/pro/*/account/*", "read an Email Pro account: blocked for spam, its ticket"),
    Right("GET", "/email/pro/*/account/*/diagnostics", "read an Email Pro account's diagnosis"),
    Right("GET", "/email/pro/*/account/*/tasks/*", "follow an Email Pro password change"),
    Right("GET", "/email/mxplan", "list your MX Plan services (new version)"),
    Right("GET", "/email/mxplan/*/account", "list an MX Plan service's accounts"),
    Right("GET", "/email/mxplan/*/account/*", "read an MX Plan account: blocked for spam, its ticket"),
    Right("GET", "/email/mxplan/*/account/*/diagnostic", "read an MX Plan account's diagnosis"),
    Right("GET", "/email/mxplan/*/account/*/task/*", "follow an MX Plan password change"),
    Right("GET", "/email/domain", "list your MX Plan domains (legacy version)"),
    Right("GET", "/email/domain/*/account", "list a domain's email accounts"),
    Right("GET", "/email/domain/*/account/*", "read a legacy MX Plan account: blocked for spam"),
    Right("GET", "/email/domain/*/redirection", "find the redirections from the blocked address (question 2)"),
    Right("GET", "/email/domain/*/redirection/*", "read where a redirection sends the mail"),
    Right("GET", "/email/domain/*/task/account/*", "follow a legacy MX Plan password change"),
    Right("GET", "/support/tickets", "find the spam ticket by its number"),
    Right("GET", "/support/tickets/*", "read the spam ticket"),
    Right("GET", "/support/tickets/*/messages", "read the ticket's text and the support's later messages"),
    Right("POST", "/support/tickets/*/reply", "post your reply, only after you confirm it"),
    Right("POST", _EXCHANGE_ACCOUNT + "/changePassword", "change an Exchange password, after you confirm"),
    Right("POST", "/email/pro/*/account/*/changePassword", "change an Email Pro password, after you confirm"),
    Right("POST", "/email/mxplan/*/account/*/changePassword", "change an MX Plan password, after you confirm"),
    Right("POST", "/email/domain/*/account/*/changePassword",
          "change a legacy MX Plan password (this is what unblocks it), after you confirm"),
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
