"""Where a message really came from: the client IP, its country, and who logged in to send it.

The headers offer several witnesses. In order of trust for an outgoing message:
OVH's own record of the submitting client (X-Ovh-ClientIp), the hop that
recorded an authenticated submission, the webmail/Exchange client address
(X-Originating-IP, when it was written at the submission and not later by a
forwarder or a list), the oldest public address in the Received chain, and last
the addresses a receiving filter noted (Forefront's CIP, Received-SPF's
client-ip, OVH's X-OVH-Remote). Private, loopback and reserved addresses are
never the origin.

The login has witnesses of its own (``login_witnesses``): Authentication-Results'
smtp.auth, the Received hop that records it, and the headers hosting servers
add (X-Authenticated-Sender, cPanel's X-AuthUser, X-Authenticated-User,
X-Authed-Username in base64, MailChannels' X-MailChannels-SenderId and
X-Sender-Id, qmail's "user@domain@ip" remote info). A mailbox is preferred over
a bare login or a hosting account's id.
"""

from __future__ import annotations

import binascii
import re

from tui.core.authresults import authenticated_mailbox
from tui.core.ipaddr import country_of, is_public, normalise_ip
from tui.core.model import Header, Headers
from tui.core.results import AuthResult, Hop, Origin

_ADDRESS = re.compile(r"[^\s<>()\"',;:\[\]]+@[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}")
_CIP = re.compile(r"\bCIP:\s*([0-9A-Fa-f:.]{3,45})")
_FIRST_TOKEN = re.compile(r"\[?([0-9A-Fa-f:.]{3,45})\]?")

# Headers a sending server adds to name who logged in (lower case, as
# Headers.by_name groups them), most trusted first.
_LOGIN_HEADERS = ("x-authenticated-sender", "x-authuser", "x-auth-user", "x-authenticated-user")
_BASE64_LOGIN_HEADERS = ("x-authed-username",)
# MailChannels: "account|x-authuser|login" (or "account|x-authsender|login").
_SENDER_ID_HEADERS = ("x-mailchannels-senderid", "x-sender-id")
# What a hop's auth holds when it names no login: the protocol word or Sendmail's "authenticated".
_WITNESS_HEADERS = frozenset(_LOGIN_HEADERS + _BASE64_LOGIN_HEADERS + _SENDER_ID_HEADERS)
_NO_LOGIN = re.compile(r"(?:e|a|utf8)?(?:smtp|lmtp)s?a?|https?u?a?|authenticated", re.IGNORECASE)
_LOGIN_WORD = re.compile(r"[^\s<>()\[\]\"',;]{1,200}")


def mailbox_in(text: str | None) -> str | None:
    """The first e-mail address written in ``text``, lower-cased, or None."""
    if not text:
        return None
    match = _ADDRESS.search(text[:2000])
    return match.group(0).lower() if match else None


def _header_ip(named: dict[str, list[Header]], name: str) -> str | None:
    for header in named.get(name, ()):
        match = _FIRST_TOKEN.search(header.value[:200])
        if match:
            ip = normalise_ip(match.group(1))
            if ip and is_public(ip):
                return ip
    return None


def _forefront_ip(named: dict[str, list[Header]]) -> str | None:
    for header in named.get("x-forefront-antispam-report", ()):
        match = _CIP.search(header.value[:4000])
        if match:
            ip = normalise_ip(match.group(1))
            if ip and is_public(ip):
                return ip
    return None


def _spf_client_ip(auth: list[AuthResult]) -> str | None:
    for result in auth:
        if result.header == "Received-SPF":
            ip = normalise_ip(result.properties.get("client-ip", ""))
            if ip and is_public(ip):
                return ip
    return None


def _hop_for_ip(hops: list[Hop], ip: str) -> Hop | None:
    for hop in hops:
        if hop.from_ip == ip:
            return hop
    return None


def find_origin(headers: Headers, hops: list[Hop], auth: list[AuthResult]) -> Origin:
    """Work out the Origin of one message from its headers, hops (oldest first) and auth results."""
    origin = Origin()
    named = headers.by_name()
    authenticated_hop = next((h for h in hops if h.auth), None)

    ip, source, hop = _header_ip(named, "x-ovh-clientip"), "X-Ovh-ClientIp", None
    if ip is None and authenticated_hop and authenticated_hop.from_ip and is_public(authenticated_hop.from_ip):
        ip, source, hop = authenticated_hop.from_ip, "Received", authenticated_hop
    if ip is None and "x-originating-ip" in named and _submission_written(headers, named, hops):
        ip, source = _header_ip(named, "x-originating-ip"), "X-Originating-IP"
    if ip is None:
        hop = next((h for h in hops if h.relay and h.from_ip and is_public(h.from_ip)), None)
        if hop is not None:
            ip, source = hop.from_ip, "Received"
    if ip is None:
        for name, found in (
            ("X-Forefront-Antispam-Report", _forefront_ip(named)),
            ("Received-SPF", _spf_client_ip(auth)),
            ("X-OVH-Remote", _header_ip(named, "x-ovh-remote")),
        ):
            if found:
                ip, source = found, name
                break

    if ip is not None:
        origin.ip = ip
        origin.source_header = source
        origin.country = country_of(ip)
        hop = hop or _hop_for_ip(hops, ip)
    if hop is None and authenticated_hop is not None:
        hop = authenticated_hop
    if hop is not None:
        origin.hop_index = hop.index
        origin.rdns = hop.from_rdns
        origin.helo = hop.from_helo

    origin.authenticated_as = _authenticated_as(login_witnesses(named, hops, auth))
    origin.client = _client(named, origin)
    return origin


def _submission_written(headers: Headers, named: dict[str, list[Header]], hops: list[Hop]) -> bool:
    """Whether X-Originating-IP was written at the submission, not later by a forwarder or a list.

    The Received lines below the header were written before it: when one of them
    is a public relay, the message had already travelled when the header was added.
    """
    written = named["x-originating-ip"][0]
    fields = headers.fields
    at = next((i for i, header in enumerate(fields) if header is written), len(fields))
    older = sum(1 for header in fields[at + 1 :] if header.name.lower() == "received")
    return not any(h.relay and h.from_ip and is_public(h.from_ip) for h in hops[:older])


Witness = tuple[str, str, str | None]


def login_witnesses(named: dict[str, list[Header]], hops: list[Hop], auth: list[AuthResult]) -> list[Witness]:
    """Every header that names who logged in to send: (login, header name, text to find it by), most
    trusted first. The text is None where the header writes the login encoded."""
    found: list[Witness] = []
    mailbox = authenticated_mailbox(auth) if auth else None
    if mailbox:
        found.append((mailbox, "authentication-results", f"smtp.auth={mailbox}"))
    for hop in hops:
        if hop.auth and not _NO_LOGIN.fullmatch(hop.auth) and _is_login(hop.auth):
            found.append((hop.auth, "received", hop.auth))
    if named.keys().isdisjoint(_WITNESS_HEADERS):
        # Most messages have none of these headers: one set test instead of six look-ups.
        names: tuple[str, ...] = ()
    else:
        names = _LOGIN_HEADERS
    for name in names:
        for header in named.get(name, ()):
            login = mailbox_in(header.value) or _bare_login(header.value)
            if login:
                found.append((login, name, None if login not in header.value.lower() else login))
    for name in names and _BASE64_LOGIN_HEADERS:
        for header in named.get(name, ()):
            login = _base64_login(header.value)
            if login:
                found.append((login, name, None))
    for name in names and _SENDER_ID_HEADERS:
        for header in named.get(name, ()):
            login = _sender_id_login(header.value)
            if login:
                found.append((login, name, login))
    first_relay = next((h for h in hops if h.relay), None)
    if first_relay is not None and first_relay.ident and "@" in first_relay.ident:
        # qmail's remote info on the submission: "(user@domain@1.2.3.4)".
        login = mailbox_in(first_relay.ident)
        if login:
            found.append((login, "received", first_relay.ident))
    return found


def _authenticated_as(witnesses: list[Witness]) -> str | None:
    """The first mailbox the witnesses name, else the first bare login."""
    for login, _, _ in witnesses:
        mailbox = mailbox_in(login)
        if mailbox:
            return mailbox
    for login, _, _ in witnesses:
        if "@" not in login:
            # Some servers record a bare login name rather than an address.
            return login.strip()
    return None


def _is_login(text: str) -> bool:
    return "@" in text or (" " not in text.strip() and bool(text.strip()))


def _bare_login(value: str) -> str | None:
    found = _LOGIN_WORD.fullmatch(value.strip())
    return found.group(0) if found else None


def _base64_login(value: str) -> str | None:
    try:
        text = binascii.a2b_base64(value.strip()[:400]).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return mailbox_in(text) or _bare_login(text)


def _sender_id_login(value: str) -> str | None:
    """The login in MailChannels' "account|x-authuser|login", else the hosting account's id."""
    parts = [part.strip() for part in value[:400].split("|")]
    for part in parts:
        found = mailbox_in(part)
        if found:
            return found
    if len(parts) >= 3 and parts[1].lower().startswith("x-auth") and parts[2]:
        return _bare_login(parts[2])
    return _bare_login(parts[0]) if parts[0] else None


def _client(named: dict[str, list[Header]], origin: Origin) -> str | None:
    for name in ("x-mailer", "user-agent"):
        written = named.get(name)
        value = written[0].value if written else None
        if value and value.strip():
            return " ".join(value.split())[:200]
    return origin.helo
