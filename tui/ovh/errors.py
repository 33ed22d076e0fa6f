"""``OvhError``: every way a call to OVHcloud can fail, as one exception that says what to do.

python-ovh raises one exception class per API error code (``InvalidKey``,
``InvalidCredential``, ``NotGrantedCall``, ``ResourceNotFoundError``...) and
``HTTPError`` around the ``requests`` failure for network trouble. ``from_python_ovh``
turns each into an ``OvhError`` whose ``message`` a screen or the command line can
show as it is, and whose ``kind`` (one of ``KINDS``) callers branch on. Messages
never hold a secret: they are written here, from the method, the route and the
API's own message, never from a request's headers or body.
"""

from __future__ import annotations

import email.utils
import time

import requests
from ovh import exceptions as ovh_exceptions

KINDS = (
    "config",           # the local settings cannot make a client (unknown endpoint, mixed key kinds)
    "bad-credentials",  # unknown application key, wrong application secret, unknown consumer key
    "expired-key",      # the consumer key expired, was revoked, or is not validated yet
    "not-validated",    # unblock connect gave up waiting for the key to be validated
    "not-granted",      # the key does not allow this method on this route
    "not-found",        # 404: what was looked for does not exist (in this account)
    "rate-limited",     # 429: too many requests
    "network",          # OVHcloud could not be reached at all
    "timeout",          # OVHcloud did not answer in time
    "server",           # 5xx or an answer that is not JSON
    "refused",          # any other 4xx: the API said no, and why
)

# Kinds that concern the connection as a whole, not one service: listing goes no further.
CONNECTION_KINDS = frozenset({"config", "bad-credentials", "expired-key", "network"})

_RECONNECT = "Run `unblock connect` again to get a new one."


class OvhError(Exception):
    """A failed call to OVHcloud, in plain words.

    ``message`` says what happened and what to do; ``kind`` is one of ``KINDS``;
    ``method`` and ``path`` name the call when there was one; ``retry_after`` is
    the wait in seconds OVHcloud asked for (429), when it gave one.
    """

    def __init__(self, kind: str, message: str, *, method: str | None = None, path: str | None = None,
                 status: int | None = None, retry_after: float | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"OvhError({self.kind!r}, {self.message!r})"


def _api_payload(exc: ovh_exceptions.APIError) -> dict:
    response = getattr(exc, "response", None)
    if response is None:
        return {}
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _status(exc: ovh_exceptions.APIError) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def retry_after(exc: ovh_exceptions.APIError) -> float | None:
    """The Retry-After header of the answer behind ``exc``, in seconds (a number or an HTTP date)."""
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _said(exc: ovh_exceptions.APIError) -> str:
    """What the API said, as one short quoted sentence, or nothing."""
    text = _api_payload(exc).get("message") or (exc.args[0] if exc.args and isinstance(exc.args[0], str) else "")
    text = " ".join(str(text).split())[:300]
    return f' OVHcloud said: "{text}".' if text else ""


def _seconds(timeout: float | tuple[float, float], connecting: bool) -> str:
    """The time-out that ran out, in words: the (connect, read) pair's first or second."""
    value = (timeout[0] if connecting else timeout[1]) if isinstance(timeout, tuple) else timeout
    return f"{value:g} second" + ("" if value == 1 else "s")


def from_python_ovh(exc: Exception, method: str, path: str, what: str = "",
                    timeout: float | tuple[float, float] = 0.0) -> OvhError:
    """The ``OvhError`` for a python-ovh (or requests) exception raised by ``method path``.

    ``what`` names what was looked for, in words ("support ticket 8452107"), for
    the 404 message; ``timeout`` is the client's, for the time-out message.
    """
    call = f"{method} {path}"
    named = dict(method=method, path=path)
    if isinstance(exc, ovh_exceptions.HTTPError):
        cause = exc.args[1] if len(exc.args) > 1 else None
        return _transport(cause, call, method, timeout, named)
    if isinstance(exc, OSError):  # requests' exceptions are OSErrors too
        return _transport(exc, call, method, timeout, named)
    if isinstance(exc, (ovh_exceptions.InvalidRegion, ovh_exceptions.InvalidConfiguration)):
        return OvhError("config", "The OVHcloud settings cannot be used: an unknown endpoint, or both an "
                        "application key and an OAuth2 client id (OVH_CLIENT_ID or client_id in an ovh.conf). "
                        "unblock uses an application key: remove the other settings, or run `unblock connect`.",
                        **named)
    if isinstance(exc, ovh_exceptions.InvalidResponse):
        return OvhError("server", f"OVHcloud answered {call} with something that is not JSON: a problem on "
                        "their side, or a proxy in the way. Try again in a few minutes.", **named)
    if not isinstance(exc, ovh_exceptions.APIError):
        raise TypeError(f"not a python-ovh error: {type(exc).__name__}")
    return _api_error(exc, call, what, named)


def _transport(cause: object, call: str, method: str, timeout, named: dict) -> OvhError:
    unsure = (" The request may still have been carried out: check before trying again."
              if method != "GET" else "")
    if isinstance(cause, requests.Timeout):
        waited = _seconds(timeout, isinstance(cause, requests.ConnectTimeout))
        return OvhError("timeout", f"OVHcloud did not answer {call} within {waited}. "
                        f"Check your connection and try again later.{unsure}", **named)
    return OvhError("network", f"OVHcloud's API could not be reached ({call}): the network seems to be down, or "
                    "something blocks the connection. unblock keeps working offline; try again once you are "
                    f"online.{unsure}", **named)


def _api_error(exc: ovh_exceptions.APIError, call: str, what: str, named: dict) -> OvhError:
    status = _status(exc)
    code = _api_payload(exc).get("errorCode")
    named = dict(named, status=status)
    if isinstance(exc, ovh_exceptions.InvalidKey):
        return OvhError("bad-credentials", "OVHcloud does not know this application key: it was mistyped, or the "
                        "application was deleted. Check it (or create a new application) and run "
                        "`unblock connect` again.", **named)
    if isinstance(exc, ovh_exceptions.InvalidCredential):
        return OvhError("expired-key", "OVHcloud refused the consumer key: it has expired, was revoked, or was "
                        f"never validated. {_RECONNECT}", **named)
    if isinstance(exc, ovh_exceptions.NotCredential):
        return OvhError("bad-credentials", f"OVHcloud does not know this consumer key. {_RECONNECT}", **named)
    if isinstance(exc, ovh_exceptions.NotGrantedCall):
        return OvhError("not-granted", f"The consumer key does not allow {call}. It was created with other rights "
                        "than unblock asks for: run `unblock connect` again to ask for the rights listed in its "
                        "README.", **named)
    if isinstance(exc, ovh_exceptions.Forbidden):
        return OvhError("not-granted", f"OVHcloud does not let this account call {call}: the service may belong to "
                        f"another OVHcloud account, or need its administrator.{_said(exc)}", **named)
    if isinstance(exc, ovh_exceptions.ResourceNotFoundError):
        looked_for = what or "such thing"
        return OvhError("not-found", f"OVHcloud has no {looked_for} in this account ({call} answered 404). Check "
                        "it is spelled right and belongs to the OVHcloud account you connected.", **named)
    if code == "INVALID_SIGNATURE":
        return OvhError("bad-credentials", "OVHcloud refused the request's signature: the application secret does "
                        "not go with the application key. Run `unblock connect` again with the right secret.",
                        **named)
    if status == 429:
        wait = retry_after(exc)
        when = f"in {wait:.0f} seconds" if wait is not None else "in a minute"
        return OvhError("rate-limited", f"OVHcloud asks to slow down (429 Too Many Requests on {call}). Try again "
                        f"{when}.", retry_after=wait, **named)
    if status is not None and status >= 500:
        return OvhError("server", f"OVHcloud's API had a problem answering {call} ({status}); nothing is wrong on "
                        "your side. Try again in a few minutes; unblock keeps working offline meanwhile.", **named)
    return OvhError("refused", f"OVHcloud refused {call}" + (f" ({status})" if status else "") + f".{_said(exc)}",
                    **named)

