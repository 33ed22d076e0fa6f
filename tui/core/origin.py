"""Where a message really came from: the client IP, its country, and who logged in to send it.

The headers offer several witnesses. In order of trust for an outgoing message:
OVH's own record of the submitting client (X-Ovh-ClientIp), the hop that
recorded an authenticated submission, the webmail/Exchange client address
(X-Originating-IP), the oldest public address in the Received chain, and last
the addresses a receiving filter noted (Forefront's CIP, Received-SPF's
client-ip, OVH's X-OVH-Remote). Private, loopback and reserved addresses are
never the origin.
"""

from __future__ import annotations

import re

from tui.core.authresults import authenticated_mailbox
from tui.core.ipaddr import country_of, is_public, normalise_ip
from tui.core.model import AuthResult, Header, Headers, Hop, Origin

_ADDRESS = re.compile(r"[^\s<>()\"',;:\[\]]+@[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}")
_CIP = re.compile(r"\bCIP:\s*([0-9A-Fa-f:.]{3,45})")
_FIRST_TOKEN = re.compile(r"\[?([0-9A-Fa-f:.]{3,45})\]?")

# Headers a sending server adds to name the mailbox that logged in (lower case,
# as Headers.by_name groups them).
_AUTH_HEADERS = ("x-authenticated-sender", "x-authuser", "x-auth-user", "x-authenticated-user")


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
    if ip is None:
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

    origin.authenticated_as = _authenticated_as(named, authenticated_hop, auth)
    origin.client = _client(named, origin)
    return origin


def _authenticated_as(named: dict[str, list[Header]], hop: Hop | None, auth: list[AuthResult]) -> str | None:
    from_results = authenticated_mailbox(auth)
    if from_results:
        return from_results.lower()
    if hop is not None:
        found = mailbox_in(hop.auth)
        if found:
            return found
    for name in _AUTH_HEADERS:
        written = named.get(name)
        found = mailbox_in(written[0].value) if written else None
        if found:
            return found
    if hop is not None and hop.auth and "@" not in hop.auth and " " not in hop.auth.strip():
        # Some servers record a bare login name rather than an address.
        if not hop.auth.upper().startswith(("ESMTP", "SMTP", "LMTP", "ASMTP", "HTTP")):
            return hop.auth.strip()
    return None


def _client(named: dict[str, list[Header]], origin: Origin) -> str | None:
    for name in ("x-mailer", "user-agent"):
        written = named.get(name)
        value = written[0].value if written else None
        if value and value.strip():
            return " ".join(value.split())[:200]
    return origin.helo
