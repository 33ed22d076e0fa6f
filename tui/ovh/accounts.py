"""Blocked accounts across the four products, and re-reading one account's status.

Routes and field names are the OVHcloud API schema's (eu.api.ovh.com/1.0, as
mirrored in UrielCh/api-ovh-node's generated models and ovh/ovhcloud-cli's
api-schemas; checked for this module):

- Exchange: GET /email/exchange -> organisations, .../{organizationName}/service ->
  services, .../service/{exchangeService}/account -> addresses, and
  .../account/{primaryEmailAddress} -> email.exchange.Account (``spamDetected``,
  ``spamTicketNumber``, ``state``); ``.../diagnostics`` -> ExchangeAccountDiagnosis
  (``isSpammer``, ``isLocked``, ``isSuspended``, ``canSendEmail``, ``canReceiveEmail``,
  ``lastCheck``).
- Email Pro: /email/pro, /email/pro/{service}/account/{email} -> email.pro.Account
  (same three fields), ``.../diagnostics`` -> email.pro.AccountDiagnosis.
- MX Plan, new version: /email/mxplan, /email/mxplan/{service}/account/{email} ->
  email.mxplan.Account (same fields), ``.../diagnostic`` (singular there) ->
  email.mxplan.AccountDiagnosis.
- MX Plan, legacy version: /email/domain, /email/domain/{domain}/account/{accountName}
  -> email.domain.Account (``isBlocked``, ``email``); no diagnosis, no ticket. The
  guide warns that "Blocked for SPAM" can read "No" while the account is blocked:
  such accounts carry a note saying so.

Listing is bounded: services first, then at most ``limit`` accounts a service, and
a diagnosis only for accounts not known to be unblocked. A failure on one service
or account becomes a ``Problem`` in the result; only a failure of the connection
itself (network down, refused key) is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

from tui.core.case import PRODUCT_IDS
from tui.ovh.client import Connection, route
from tui.ovh.errors import CONNECTION_KINDS, OvhError

PRODUCT_ORDER = ("exchange", "email_pro", "mxplan_new", "mxplan_legacy")
assert set(PRODUCT_ORDER) == set(PRODUCT_IDS)

_EXCHANGE = "/email/exchange/{}/service/{}/account/{}"
# Per product: the services list, a service's accounts, one account, its diagnosis (or None).
_ROUTES = {
    "exchange": ("/email/exchange", "/email/exchange/{}/service/{}/account", _EXCHANGE, _EXCHANGE + "/diagnostics"),
    "email_pro": ("/email/pro", "/email/pro/{}/account", "/email/pro/{}/account/{}",
                  "/email/pro/{}/account/{}/diagnostics"),
    "mxplan_new": ("/email/mxplan", "/email/mxplan/{}/account", "/email/mxplan/{}/account/{}",
                   "/email/mxplan/{}/account/{}/diagnostic"),
    "mxplan_legacy": ("/email/domain", "/email/domain/{}/account", "/email/domain/{}/account/{}", None),
}
# Follow-up tasks of a password change: legacy tasks hang off the domain, the others off the account.
_TASKS = {
    "exchange": _EXCHANGE + "/tasks/{}",
    "email_pro": "/email/pro/{}/account/{}/tasks/{}",
    "mxplan_new": "/email/mxplan/{}/account/{}/task/{}",
    "mxplan_legacy": "/email/domain/{}/task/account/{}",
}

LEGACY_MAY_HIDE = ("The legacy MX Plan can show an account as not blocked while it is (OVHcloud guide, step 2): "
                   "if sending still fails, change the password anyway; that is what unblocks it.")
LEGACY_NO_TICKET = "The legacy MX Plan has no ticket: changing the password is what unblocks the account."
NO_DIAGNOSIS = "OVHcloud has no diagnosis for this account yet."


@dataclass(frozen=True)
class Diagnostics:
    """An account's diagnosis (Exchange, Email Pro, new MX Plan), as the API gives it."""

    is_spammer: bool | None
    is_locked: bool | None
    is_suspended: bool | None
    can_send_email: bool | None
    can_receive_email: bool | None
    last_check: str | None

    @classmethod
    def from_api(cls, payload: dict) -> Diagnostics:
        def flag(name: str) -> bool | None:
            value = payload.get(name)
            return value if isinstance(value, bool) else None

        return cls(flag("isSpammer"), flag("isLocked"), flag("isSuspended"), flag("canSendEmail"),
                   flag("canReceiveEmail"), payload.get("lastCheck"))

    def to_json(self) -> dict:
        """The API's own field names."""
        return {"isSpammer": self.is_spammer, "isLocked": self.is_locked, "isSuspended": self.is_suspended,
                "canSendEmail": self.can_send_email, "canReceiveEmail": self.can_receive_email,
                "lastCheck": self.last_check}


@dataclass(frozen=True)
class Account:
    """One mailbox as the API shows it.

    ``product`` is one of tui.core.case.PRODUCT_IDS, known from the route it was
    read on; ``service`` the service name (the domain for MX Plan legacy, the
    Exchange service for Exchange, whose organisation is ``organization``);
    ``blocked`` None when the API does not say.
    """

    product: str
    service: str
    email: str
    blocked: bool | None
    ticket_number: int | None = None
    state: str | None = None
    organization: str | None = None
    diagnostics: Diagnostics | None = None
    notes: tuple[str, ...] = ()

    def path(self) -> str:
        """The account's route."""
        return route(_ROUTES[self.product][2], *self._params())

    def task_path(self, task_id: int | str) -> str:
        """The route of one of the account's tasks (a password change)."""
        if self.product == "mxplan_legacy":
            return route(_TASKS[self.product], self.service, task_id)
        return route(_TASKS[self.product], *self._params(), task_id)

    def _params(self) -> tuple[str, ...]:
        if self.product == "exchange":
            return (self.organization or self.service, self.service, self.email)
        if self.product == "mxplan_legacy":
            return (self.service, self.email.partition("@")[0])
        return (self.service, self.email)

    def to_json(self) -> dict:
        return {"product": self.product, "service": self.service, "organization": self.organization,
                "email": self.email, "blocked": self.blocked, "ticket_number": self.ticket_number,
                "state": self.state, "diagnostics": self.diagnostics.to_json() if self.diagnostics else None,
                "notes": list(self.notes)}


@dataclass(frozen=True)
class Problem:
    """A service or an account that could not be read, and why (``kind``: an OvhError kind, or "not-read")."""

    product: str
    service: str
    message: str
    kind: str

    def to_json(self) -> dict:
        return {"product": self.product, "service": self.service, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class AccountList:
    """Every account read, and what could not be read."""

    accounts: tuple[Account, ...] = ()
    problems: tuple[Problem, ...] = ()

    def blocked(self) -> tuple[Account, ...]:
        return tuple(account for account in self.accounts if account.blocked)

    def find(self, email: str) -> Account | None:
        wanted = email.strip().lower()
        return next((account for account in self.accounts if account.email.lower() == wanted), None)


@dataclass(frozen=True)
class StatusRead:
    """One reading of an account's status, and when it was made (ISO 8601, UTC)."""

    product: str
    service: str
    email: str
    blocked: bool | None
    state: str | None
    ticket_number: int | None
    read_at: str
    notes: tuple[str, ...] = ()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_account(product: str, service: str, payload: dict, organization: str | None = None,
                  account_id: str = "") -> Account:
    """An ``Account`` from the API's account object (``account_id``: the id it was listed under)."""
    if product == "mxplan_legacy":
        blocked = payload.get("isBlocked")
        blocked = blocked if isinstance(blocked, bool) else None
        email = payload.get("email") or f"{payload.get('accountName') or account_id}@{service}"
        notes = (LEGACY_NO_TICKET,) if blocked else (LEGACY_MAY_HIDE,)
        return Account(product, service, str(email).lower(), blocked, notes=notes)
    blocked = payload.get("spamDetected")
    ticket = payload.get("spamTicketNumber")
    return Account(product, service, str(payload.get("primaryEmailAddress") or account_id).lower(),
                   blocked if isinstance(blocked, bool) else None,
                   ticket_number=ticket if isinstance(ticket, int) and not isinstance(ticket, bool) else None,
                   state=payload.get("state"), organization=organization)


def _services(connection: Connection, product: str) -> list[tuple[str | None, str]]:
    """(organisation, service) pairs; the organisation is None except for Exchange."""
    listing = _ROUTES[product][0]
    names = connection.get(listing, f"{product} service list") or []
    if product != "exchange":
        return [(None, str(name)) for name in names]
    pairs = []
    for organization in names:
        services = connection.get(route("/email/exchange/{}/service", organization),
                                  f"Exchange organisation {organization}") or []
        pairs.extend((str(organization), str(service)) for service in services)
    return pairs


def _diagnostics(connection: Connection, account: Account) -> Account:
    template = _ROUTES[account.product][3]
    if template is None or account.blocked is False:
        return account
    try:
        payload = connection.get(route(template, *account._params()), f"diagnosis of {account.email}")
    except OvhError as error:
        if error.kind in CONNECTION_KINDS:
            raise
        note = NO_DIAGNOSIS if error.kind == "not-found" else error.message
        return replace(account, notes=account.notes + (note,))
    diagnostics = Diagnostics.from_api(payload if isinstance(payload, dict) else {})
    blocked = account.blocked if account.blocked is not None else diagnostics.is_spammer
    return replace(account, diagnostics=diagnostics, blocked=blocked)


def list_accounts(connection: Connection, *, limit: int = 200, diagnostics: bool = True,
                  products: tuple[str, ...] = PRODUCT_ORDER) -> AccountList:
    """Every account of every product's services (``limit`` a service), blocked or not."""
    accounts: list[Account] = []
    problems: list[Problem] = []

    def note(product: str, service: str, error: OvhError) -> None:
        if error.kind in CONNECTION_KINDS:
            raise error
        problems.append(Problem(product, service, error.message, error.kind))

    for product in products:
        try:
            services = _services(connection, product)
        except OvhError as error:
            note(product, "", error)
            continue
        for organization, service in services:
            label = service if organization in (None, service) else f"{organization}/{service}"
            params = (organization, service) if organization else (service,)
            try:
                ids = connection.get(route(_ROUTES[product][1], *params), f"account list of {label}") or []
            except OvhError as error:
                note(product, label, error)
                continue
            if len(ids) > limit:
                problems.append(Problem(product, label, f"{len(ids) - limit} more accounts were not read "
                                        f"(the first {limit} were).", "not-read"))
            for account_id in list(ids)[:limit]:
                try:
                    payload = connection.get(route(_ROUTES[product][2], *params, account_id), f"account {account_id}")
                    account = parse_account(product, service, payload or {}, organization, str(account_id))
                    accounts.append(_diagnostics(connection, account) if diagnostics else account)
                except OvhError as error:
                    note(product, label, error)
    return AccountList(tuple(accounts), tuple(problems))


def read_status(connection: Connection, account: Account) -> StatusRead:
    """Read ``account`` again (one GET) and say whether it is still blocked, with the time read."""
    payload = connection.get(account.path(), f"account {account.email}")
    fresh = parse_account(account.product, account.service, payload or {}, account.organization, account.email)
    return StatusRead(fresh.product, fresh.service, account.email, fresh.blocked, fresh.state, fresh.ticket_number,
                      _now(), fresh.notes)
