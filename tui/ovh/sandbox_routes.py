"""The email and support routes the local OVHcloud API double serves, over a ``SandboxState``.

``dispatch(state, method, path, query, body)`` answers one request that has
already passed the signature and rights checks (see ``sandbox``): it returns
``(status, payload)``, the payload shaped as the API's schema shapes it, or the
API's error body for a missing object. Only the routes unblock uses are served;
any other answers 404 like an unknown URL does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from tui.ovh.sandbox_state import SandboxState, ServiceKey

Handler = Callable[[SandboxState, ServiceKey, dict[str, str], dict[str, str], dict], Any]


class Missing(Exception):
    """The object a route names does not exist: 404 with the API's wording."""

    def __init__(self, name: str, value: object) -> None:
        super().__init__(f"The requested object ({name} = {value}) does not exist")


# Per product: the service part of its routes, and the names of the diagnosis and task routes.
_SERVICES = {
    "exchange": "/email/exchange/{s0}/service/{s1}",
    "email_pro": "/email/pro/{s0}",
    "mxplan_new": "/email/mxplan/{s0}",
    "mxplan_legacy": "/email/domain/{s0}",
}
_DIAGNOSIS = {"exchange": "diagnostics", "email_pro": "diagnostics", "mxplan_new": "diagnostic"}
_TASKS = {"exchange": "/account/{account}/tasks/{task}", "email_pro": "/account/{account}/tasks/{task}",
          "mxplan_new": "/account/{account}/task/{task}", "mxplan_legacy": "/task/account/{task}"}

_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def _route(method: str, template: str) -> Callable[[Handler], Handler]:
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")

    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, pattern, handler))
        return handler

    return register


def dispatch(state: SandboxState, method: str, path: str, query: dict[str, str], body: dict) -> tuple[int, Any]:
    """The answer to ``method path`` (path without /1.0 and without its query string)."""
    for route_method, pattern, handler in _ROUTES:
        match = route_method == method and pattern.match(path)
        if not match:
            continue
        params = {name: unquote(value) for name, value in match.groupdict().items()}
        service = tuple(params.pop(name) for name in ("s0", "s1") if name in params)
        try:
            return 200, handler(state, service, params, query, body)
        except Missing as missing:
            return 404, {"class": "Client::NotFound", "message": str(missing)}
        except ValueError as invalid:
            return 400, {"class": "Client::BadRequest", "message": f"Invalid parameter: {invalid}"}
    return 404, {"class": "Client::NotFound", "message": "Got an invalid (or empty) URL"}


def _services(state: SandboxState, product: str) -> dict[ServiceKey, dict[str, dict]]:
    return state.accounts.get(product, {})


def _accounts(state: SandboxState, product: str, service: ServiceKey) -> dict[str, dict]:
    accounts = _services(state, product).get(service)
    if accounts is None:
        raise Missing("service", "/".join(service))
    return accounts


def _account(state: SandboxState, product: str, service: ServiceKey, account: str) -> dict:
    found = _accounts(state, product, service).get(account)
    if found is None:
        raise Missing("accountName" if product == "mxplan_legacy" else "primaryEmailAddress", account)
    return found


def _register_product(product: str) -> None:
    base = _SERVICES[product]
    if product == "exchange":
        _route("GET", "/email/exchange")(
            lambda state, *_: sorted({key[0] for key in _services(state, product)}))
        _route("GET", "/email/exchange/{s0}/service")(
            lambda state, service, *_: sorted(key[1] for key in _services(state, product) if key[0] == service[0]))
    else:
        _route("GET", base.split("/{s0}")[0])(lambda state, *_: sorted(key[0] for key in _services(state, product)))
    _route("GET", base + "/account")(lambda state, service, *_: sorted(_accounts(state, product, service)))
    _route("GET", base + "/account/{account}")(
        lambda state, service, params, *_: _account(state, product, service, params["account"]))
    if product in _DIAGNOSIS:
        def diagnosis(state, service, params, *_):
            _account(state, product, service, params["account"])
            found = state.diagnostics.get((product, service, params["account"]))
            if found is None:
                raise Missing("primaryEmailAddress", params["account"])
            return found

        _route("GET", base + "/account/{account}/" + _DIAGNOSIS[product])(diagnosis)

    def change_password(state, service, params, query, body):
        _account(state, product, service, params["account"])
        if not isinstance(body.get("password"), str) or not body["password"]:
            raise ValueError("password is required")
        return state.start_password_change(product, service, params["account"]).to_api()

    def task(state, service, params, *_):
        found = state.poll_task(int(params["task"])) if params["task"].isdigit() else None
        if found is None or found.product != product or found.service != service:
            raise Missing("id", params["task"])
        return found.to_api()

    _route("POST", base + "/account/{account}/changePassword")(change_password)
    _route("GET", base + _TASKS[product])(task)


for _product in _SERVICES:
    _register_product(_product)


@_route("GET", "/me")
def _me(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> dict:
    return state.me


@_route("GET", "/email/domain/{domain}/redirection")
def _redirections(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> list[str]:
    if (params["domain"],) not in _services(state, "mxplan_legacy") and params["domain"] not in state.redirections:
        raise Missing("domain", params["domain"])
    found = state.redirections.get(params["domain"], {}).values()
    wanted_from, wanted_to = query.get("from"), query.get("to")
    return [item["id"] for item in found
            if (not wanted_from or wanted_from.lower() in item["from"].lower())
            and (not wanted_to or wanted_to.lower() in item["to"].lower())]


@_route("GET", "/email/domain/{domain}/redirection/{id}")
def _redirection(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> dict:
    found = state.redirections.get(params["domain"], {}).get(params["id"])
    if found is None:
        raise Missing("id", params["id"])
    return found


@_route("GET", "/support/tickets")
def _ticket_ids(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> list[int]:
    archived = query.get("archived") == "true"
    number = query.get("ticketNumber")
    return sorted(ticket_id for ticket_id, ticket in state.tickets.items()
                  if (number is None or str(ticket["ticketNumber"]) == number)
                  and (ticket.get("archived", False) == archived))


def _ticket_id(state: SandboxState, value: str) -> int:
    if not value.isdigit() or int(value) not in state.tickets:
        raise Missing("ticketId", value)
    return int(value)


@_route("GET", "/support/tickets/{ticket}")
def _ticket(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> dict:
    return {key: value for key, value in state.tickets[_ticket_id(state, params["ticket"])].items()
            if key != "archived"}


@_route("GET", "/support/tickets/{ticket}/messages")
def _messages(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> list[dict]:
    # Newest first: the schema does not say which order the API uses, so the client must sort.
    return list(reversed(state.messages.get(_ticket_id(state, params["ticket"]), [])))


@_route("POST", "/support/tickets/{ticket}/reply")
def _reply(state: SandboxState, service: ServiceKey, params: dict, query: dict, body: dict) -> None:
    ticket_id = _ticket_id(state, params["ticket"])
    if not isinstance(body.get("body"), str):
        raise ValueError("body is required")
    state.add_reply(ticket_id, body["body"])
    return None
