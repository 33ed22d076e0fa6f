"""A local double of the OVHcloud API, for the tests and for `unblock connect --sandbox`.

An ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (any free port) that python-ovh
reaches through a registered endpoint name (``unblock-sandbox``), so the code that
talks to it is the code that talks to OVHcloud. It checks what the real API
checks before answering:

- ``X-Ovh-Application`` names an application it created (else 403 INVALID_KEY);
- ``X-Ovh-Consumer`` names a consumer key of that application (403 NOT_CREDENTIAL);
- ``X-Ovh-Signature`` is "$1$" + SHA1 of application secret, consumer key, method,
  full URL, body and ``X-Ovh-Timestamp`` joined by "+", python-ovh's recipe, and
  the timestamp is within five minutes (400 INVALID_SIGNATURE);
- the key is validated (403 INVALID_CREDENTIAL while pending, or once expired);
- one of the key's rules allows the method and path, ``*`` matching anything
  (403 NOT_GRANTED_CALL).

Consumer keys made by POST /auth/credential start pending; ``validate`` (or a GET
on the validation address it gave) validates them. ``fail`` makes a route answer
403, 404, 429 (with Retry-After), 500, or slowly; ``expire`` expires a key.
``calls`` records every request that passed the checks, failed ones included.

What it does not emulate: OAuth2, API v2, allowedIPs, key validity periods, the
rights of a sub-account or a contact, paging, the query filters other than
``ticketNumber``/``archived`` and ``from``/``to``, and the real API's own delays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tui.ovh.client import SANDBOX_ENDPOINT, register_endpoint, unregister_endpoint
from tui.ovh.connect import Connected, connect
from tui.ovh.credentials import Credentials
from tui.ovh.sandbox_routes import dispatch
from tui.ovh.sandbox_state import SandboxState, demo_state, now

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _token(length: int) -> str:
    """Random letters and digits, the shape of OVHcloud's keys (never a leading "-" an argument parser would take for an option)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))

_ERRORS = {
    "INVALID_KEY": (403, "Invalid application key"),
    "NOT_CREDENTIAL": (403, "This credential does not exist"),
    "INVALID_CREDENTIAL": (403, "This credential is not valid"),
    "NOT_GRANTED_CALL": (403, "This call has not been granted"),
    "INVALID_SIGNATURE": (400, "Invalid signature"),
}
_PLAIN_ERRORS = {404: "The requested object does not exist", 429: "Too many requests",
                 500: "Internal server error", 503: "Service unavailable"}
_CLOCK_SKEW = 300


@dataclass
class ConsumerKey:
    """A consumer key the double handed out; ``status`` as auth.CredentialStateEnum."""

    key: str
    application_key: str
    rules: list[dict]
    token: str
    credential_id: int
    status: str = "pendingValidation"
    creation: str = field(default_factory=now)
    expiration: str | None = None
    last_use: str | None = None

    def allows(self, method: str, path: str) -> bool:
        return any(rule.get("method") == method and _pattern(str(rule.get("path"))).fullmatch(path)
                   for rule in self.rules)


@dataclass
class Failure:
    """How a route is told to fail: ``times`` more answers with ``status`` after ``delay`` seconds."""

    method: str
    path: re.Pattern[str]
    status: int | None
    times: int
    retry_after: int | None = None
    delay: float = 0.0
    error_code: str | None = None


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in path.split("*")))


class Sandbox:
    """The double: ``start()`` it (or use it as a context manager), point python-ovh at ``endpoint_name``."""

    def __init__(self, state: SandboxState | None = None, *, endpoint_name: str = SANDBOX_ENDPOINT,
                 auto_validate: bool = False) -> None:
        self.state = state if state is not None else demo_state()
        self.endpoint_name = endpoint_name
        # True: every new consumer key is authorised at once, as by a user who is quick on the validation page.
        self.auto_validate = auto_validate
        self.lock = threading.Lock()
        self.applications: dict[str, tuple[str, int]] = {}
        self.keys: dict[str, ConsumerKey] = {}
        self.failures: list[Failure] = []
        self.calls: list[tuple[str, str]] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # Running ---------------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        """The API's base URL, as python-ovh's ENDPOINTS hold it."""
        return self.origin + "/1.0"

    def start(self) -> Sandbox:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sandbox = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="ovh-sandbox", daemon=True)
        self._thread.start()
        register_endpoint(self.endpoint_name, self.url)
        return self

    def stop(self) -> None:
        """Stop answering: the port closes and open connections are cut, as if the network went down."""
        if self._server is None or self._stopping.is_set():
            return
        unregister_endpoint(self.endpoint_name, self.url)
        self._stopping.set()
        self._server.shutdown()
        self._server.cut_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Telling it what to do -------------------------------------------------------------------

    def new_application(self) -> tuple[str, str]:
        """A new application's key and secret, as the createApp page would give them."""
        key, secret = _token(16), _token(32)
        with self.lock:
            self.applications[key] = (secret, len(self.applications) + 1)
        return key, secret

    def validate(self, consumer_key: str, expiration: str | None = None) -> None:
        """Validate a pending key, as the user does on the validation page."""
        with self.lock:
            key = self.keys[consumer_key]
            key.status, key.expiration = "validated", expiration

    def expire(self, consumer_key: str) -> None:
        with self.lock:
            self.keys[consumer_key].status = "expired"

    def fail(self, path: str, *, method: str = "GET", status: int | None = 500, times: int = 1,
             retry_after: int | None = None, delay: float = 0.0, error_code: str | None = None) -> None:
        """Make ``method path`` (``*`` matches anything) answer ``status`` (None: normally) after ``delay`` s."""
        with self.lock:
            self.failures.append(Failure(method, _pattern(path), status, times, retry_after, delay, error_code))

    def count(self, method: str, path: str) -> int:
        """How many ``method path`` requests passed the checks (``*`` matches anything)."""
        pattern = _pattern(path)
        return sum(1 for done, seen in self.calls if done == method and pattern.fullmatch(seen))

    # Answering -------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """The answer to one request: status, extra headers, JSON (or HTML) body."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "GET" and parts.path.rstrip("/") == "/auth":
            return self._validation_page(query.get("credentialToken", ""))
        if not parts.path.startswith("/1.0/"):
            return _json(404, {"message": "Got an invalid (or empty) URL"})
        path = parts.path[len("/1.0"):]
        if method == "GET" and path == "/auth/time":
            return _json(200, int(time.time()))
        text = body.decode("utf-8", "replace")
        with self.lock:
            refusal, key = self._check(method, target, path, headers, text)
            if refusal is not None:
                return refusal
            self.calls.append((method, path))
            failure = self._failure(method, path)
        if failure is not None:
            answer = self._fail(failure)
            if answer is not None:
                return answer
        try:
            payload = json.loads(text) if text else {}
        except ValueError:
            return _json(400, {"message": "Invalid JSON body"})
        with self.lock:
            if key is None:
                return _json(200, self._new_key(headers.get("X-Ovh-Application"), payload))
            if path == "/auth/currentCredential":
                return _json(200, self._credential(key))
            status, answer = dispatch(self.state, method, path, query, payload if isinstance(payload, dict) else {})
        return _json(status, answer)

    def _check(self, method, target, path, headers, text) -> tuple[tuple | None, ConsumerKey | None]:
        application = headers.get("X-Ovh-Application")
        if application not in self.applications:
            return _error("INVALID_KEY"), None
        if method == "POST" and path == "/auth/credential":
            return None, None
        key = self.keys.get(headers.get("X-Ovh-Consumer") or "")
        if key is None:
            return _error("NOT_CREDENTIAL"), None
        if key.application_key != application:
            return _error("INVALID_CREDENTIAL"), None
        stamp = headers.get("X-Ovh-Timestamp") or ""
        secret = self.applications[application][0]
        signed = "+".join([secret, key.key, method, self.origin + target, text, stamp])
        expected = "$1$" + hashlib.sha1(signed.encode("utf-8")).hexdigest()
        if not stamp.isdigit() or abs(int(stamp) - time.time()) > _CLOCK_SKEW \
                or not hmac.compare_digest(expected, headers.get("X-Ovh-Signature") or ""):
            return _error("INVALID_SIGNATURE"), None
        if key.status != "validated":
            return _error("INVALID_CREDENTIAL"), None
        if not key.allows(method, path):
            return _error("NOT_GRANTED_CALL"), None
        key.last_use = now()
        return None, key

    def _failure(self, method: str, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and failure.method == method and failure.path.fullmatch(path):
                failure.times -= 1
                return failure
        return None

    def _fail(self, failure: Failure) -> tuple[int, dict[str, str], bytes] | None:
        if failure.delay:
            self._stopping.wait(failure.delay)
        if failure.status is None:
            return None
        if failure.error_code:
            return _error(failure.error_code, failure.status)
        status, extra, body = _json(failure.status, {"message": _PLAIN_ERRORS.get(failure.status, "Error")})
        if failure.retry_after is not None:
            extra["Retry-After"] = str(failure.retry_after)
        return status, extra, body

    def _new_key(self, application: str, payload: dict) -> dict:
        rules = [dict(rule) for rule in payload.get("accessRules") or [] if isinstance(rule, dict)]
        key = ConsumerKey(_token(32), application, rules, _token(32),
                          credential_id=len(self.keys) + 1)
        self.keys[key.key] = key
        answer = {"consumerKey": key.key, "state": key.status,
                  "validationUrl": f"{self.origin}/auth/?credentialToken={key.token}"}
        if self.auto_validate:
            key.status = "validated"
        return answer

    def _credential(self, key: ConsumerKey) -> dict:
        return {"credentialId": key.credential_id, "applicationId": self.applications[key.application_key][1],
                "creation": key.creation, "expiration": key.expiration, "lastUse": key.last_use,
                "ovhSupport": False, "rules": key.rules, "status": key.status, "allowedIPs": None}

    def _validation_page(self, token: str) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            key = next((key for key in self.keys.values() if token and key.token == token), None)
            if key is not None and key.status == "pendingValidation":
                key.status = "validated"
        text = ("<!doctype html><title>OVHcloud API double</title><p>"
                + ("Access granted: you can close this page." if key else "Unknown or expired request.") + "</p>")
        return (200 if key else 404), {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8")


def _json(status: int, payload: object) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(payload).encode("utf-8")


def _error(code: str, status: int | None = None) -> tuple[int, dict[str, str], bytes]:
    default_status, message = _ERRORS.get(code, (status or 403, "Error"))
    status = status or default_status
    return _json(status, {"errorCode": code, "httpCode": f"{status} Forbidden" if status == 403 else str(status),
                          "message": message})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: Sandbox

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def cut_connections(self) -> None:
        with self.connections_lock:
            for connection in list(self.connections):
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms a call.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.server.sandbox.handle(method, self.path, self.headers, body)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client gave up (a time-out): nothing to answer to

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the double must not write over the terminal or the test output."""


def connect_sandbox(sandbox: Sandbox, *, timeout: float | tuple[float, float] = (2.0, 5.0)) -> Connected:
    """Run the real connect flow against ``sandbox``, validating the key as the user would."""
    application_key, application_secret = sandbox.new_application()
    connected = connect(sandbox.endpoint_name, application_key, application_secret,
                        show_request=lambda request: sandbox.validate(request.consumer_key),
                        timeout=timeout, wait=10.0, interval=0.05)
    return replace(connected, credentials=replace(connected.credentials, source="the local OVHcloud API double"))


def start_sandbox(state: SandboxState | None = None, *,
                  timeout: float | tuple[float, float] = (2.0, 5.0)) -> tuple[Sandbox, Credentials]:
    """Start the double (``demo_state()`` by default) and connect to it; stop it with ``sandbox.stop()``."""
    sandbox = Sandbox(state).start()
    try:
        connected = connect_sandbox(sandbox, timeout=timeout)
    except BaseException:
        sandbox.stop()
        raise
    return sandbox, connected.credentials
