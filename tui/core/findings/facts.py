"""What every finding rule reads: one message with its look-ups computed once (``Facts``), the
header names that mark forwarding and lists, and the helpers that quote evidence and build a
Finding.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence

from tui.core.addresses import address_of, organisation_of, unwrap_srs
from tui.core.findings.ids import FindingId
from tui.core.model import Expectations, Header
from tui.core.results import Evidence, Finding, Hop, Message

# Host names are at most 253 characters and mail program names are short;
# anything longer is cut before it reaches a pattern.
HOST_LIMIT = 253
NAME_LIMIT = 300
_HOP_KEY = 200
# Enough quotes to show a verdict; thousands of identical headers add nothing.
MAX_QUOTES = 6

FORWARDING_HEADERS = ("x-forwarded-to", "x-forwarded-for", "x-forwarded-message-id")
FORWARDING_SERVICE = "x-forwarding-service"
RESENT_HEADERS = (
    "resent-from", "resent-to", "resent-cc", "resent-date", "resent-sender", "resent-message-id",
)
LIST_HEADERS = ("list-id", "x-mailing-list", "mailing-list")
DELIVERY_HEADERS = ("delivered-to", "x-original-to")
# Resent and X-Forwarded headers, rare enough to be looked for together first.
REDIRECTION_MARKS = RESENT_HEADERS + FORWARDING_HEADERS
# Headers only a redirection adds (X-Forwarded-For is also a web proxy's).
REDIRECTION_HEADERS = RESENT_HEADERS + ("x-forwarded-to", "x-forwarded-message-id")
RELAYING_HEADERS = LIST_HEADERS + FORWARDING_HEADERS + RESENT_HEADERS + (FORWARDING_SERVICE,)


class Facts:
    """One message with the lookups every rule needs, computed once.

    ``login`` is the name that logged in to send it, as recorded; ``mailbox``
    the address that login stands for (a bare user name is taken to be the
    account's own when it matches its local part); ``account`` the blocked
    address as the user gave it, else that mailbox.
    """

    # A plain class with slots: it is built for every message, and a dataclass
    # with default factories and a __post_init__ costs several times as much.
    __slots__ = (
        "message", "expectations", "by_name", "login", "mailbox", "account", "countries", "ips",
        "from_address", "from_organisation", "from_display", "subject", "_srs", "_lower",
    )

    def __init__(self, message: Message, expectations: Expectations) -> None:
        self.message = message
        self.expectations = expectations
        headers = message.headers
        self.by_name: dict[str, list[Header]] = headers.by_name() if headers is not None else {}
        given = address_of(expectations.account) if expectations.account else None
        login = self.login = _login(message)
        mailbox = None
        if login and "@" in login:
            mailbox = address_of(login)
        elif login and given and login == given.partition("@")[0]:
            mailbox = given
        self.mailbox = mailbox
        self.account = given or mailbox
        countries, ips = expectations.countries, expectations.ips
        self.countries = [c.strip().upper() for c in countries if c and c.strip()] if countries else []
        self.ips = [ip.strip() for ip in ips if ip and ip.strip()] if ips else []
        raw_from = message.from_ or self.value("from") or ""
        self.from_address = address_of(raw_from)
        self.from_organisation = organisation_of(self.from_address)
        bracket = raw_from.rfind("<")
        self.from_display = raw_from[:bracket].strip().strip("\"' ") if bracket > 0 else ""
        self.subject = message.subject or self.value("subject") or ""
        self._srs: list[tuple[str, Hop | Evidence]] | None = None
        self._lower: dict[int, str] = {}

    def values(self, name: str) -> Sequence[Header]:
        return self.by_name.get(name, ())

    def value(self, name: str) -> str | None:
        headers = self.by_name.get(name)
        return headers[0].value if headers else None

    def has_any(self, names: tuple[str, ...]) -> bool:
        return not self.by_name.keys().isdisjoint(names)

    def quote(self, name: str | None, needle: str | None = None) -> Evidence | None:
        """The first ``name`` header (containing ``needle``, when given), quoted exactly."""
        # Names are mostly given in lower case already, as the groups are keyed.
        headers = self.by_name.get(name or "")
        if headers is None and name:
            headers = self.by_name.get(name.lower())
        if not headers:
            return None
        if not needle:
            return Evidence(headers[0].name, headers[0].value)
        wanted = needle.lower()
        # Several findings search the same long headers (Authentication-Results,
        # Received) for different words: each is lower-cased once per message.
        lowered_values = self._lower
        for header in headers:
            value = header.value
            if needle in value:
                return Evidence(header.name, value)
            lowered = lowered_values.get(id(header))
            if lowered is None:
                lowered = lowered_values[id(header)] = value.lower()
            if wanted in lowered:
                return Evidence(header.name, value)
        return None

    def quote_hop(self, hop: Hop | None) -> Evidence | None:
        """The Received header that ``hop`` was read from, else the hop's own text."""
        if hop is None or not hop.raw:
            return None
        written = self.values("received")
        # Hops count from the oldest, the bottom Received header; comparing the
        # start of the text allows for a parser that cut a long value.
        if isinstance(hop.index, int) and 0 < hop.index <= len(written):
            header = written[len(written) - hop.index]
            if header.value == hop.raw or _opening(header.value) == _opening(hop.raw):
                return Evidence(header.name, header.value)
        return Evidence("Received", hop.raw)

    def hop(self, index: int | None) -> Hop | None:
        if index is not None:
            for hop in self.message.hops:
                if hop.index == index:
                    return hop
        return None

    def submitted_senders(self) -> Iterator[tuple[str, Hop | Evidence]]:
        """The envelope senders the sender used, each with the Hop or header it comes from.

        Hops after the authenticated one, and the Return-Path of a message that
        went through a list or forwarder, carry a later envelope: they are left out.
        When no hop records the login but an Authentication-Results header
        does (OVHcloud's Exchange and MX Plan), that header sits just below
        the submission's Received line: the hops written above that came later.
        """
        found = False
        last = self._submission_hop()
        for hop in self.message.hops:
            if hop.index > last:
                break
            if hop.envelope_from and (sender := address_of(hop.envelope_from)):
                found = True
                yield sender, hop
            if hop.auth:
                break
        spamcause = self.message.spamcause
        if spamcause is not None and (sender := address_of(spamcause.params.get("mailfrom"))):
            found = True
            yield sender, decoded_spamcause(f"mailfrom={sender}")
        if not found and self.by_name.keys().isdisjoint(RELAYING_HEADERS):
            for header in self.by_name.get("return-path", ()):
                if sender := address_of(header.value):
                    yield sender, Evidence(header.name, header.value)

    def _submission_hop(self) -> int:
        """The index of the newest hop that can belong to the submission (any hop when unknown)."""
        hops = self.message.hops
        everything = len(hops)
        results = self.by_name.get("authentication-results")
        if not results or not hops or any(hop.auth for hop in hops):
            return everything
        login = next((h for h in results if "smtp.auth=" in h.value), None)
        if login is None:
            return everything
        # Hops are numbered from the bottom Received header up; the submission
        # is the first one above the login's header.
        fields = self.message.headers.fields
        below = next((i for i, header in enumerate(fields) if header is login), len(fields))
        return 1 + sum(1 for header in fields[below + 1:] if header.name.lower() == "received")

    def evidence(self, source: Hop | Evidence | None) -> Evidence | None:
        return self.quote_hop(source) if isinstance(source, Hop) else source

    def srs_senders(self) -> list[tuple[str, Hop | Evidence]]:
        """The first few envelope senders, on any hop, rewritten by a forwarder (SRS)."""
        if self._srs is None:
            # Nearly every message has none. An SRS address holds "=" signs, so
            # a text without one is passed over before its address is read.
            rewritten: list[tuple[str, Hop | Evidence]] = []
            for hop in self.message.hops:
                envelope = hop.envelope_from
                if envelope and "=" in envelope and (sender := address_of(envelope)) and unwrap_srs(sender):
                    rewritten.append((sender, hop))
            spamcause = self.message.spamcause
            if (
                spamcause is not None and (mailfrom := spamcause.params.get("mailfrom")) and "=" in mailfrom
                and (sender := address_of(mailfrom)) and unwrap_srs(sender)
            ):
                rewritten.append((sender, decoded_spamcause(f"mailfrom={sender}")))
            for header in self.by_name.get("return-path", ()):
                if "=" in header.value and (sender := address_of(header.value)) and unwrap_srs(sender):
                    rewritten.append((sender, Evidence(header.name, header.value)))
            self._srs = rewritten[:MAX_QUOTES]
        return self._srs


def _login(message: Message) -> str | None:
    origin = message.origin
    if origin is not None and origin.authenticated_as:
        return origin.authenticated_as.strip().lower()
    for result in message.auth:
        mailbox = result.properties.get("smtp.auth")
        if mailbox:
            return mailbox.strip().lower()
    for hop in message.hops:
        if hop.auth and "@" in hop.auth:
            return hop.auth.strip().lower()
    return None


def _opening(text: str) -> str:
    return " ".join(text[: _HOP_KEY * 2].split())[:_HOP_KEY]


def decoded_spamcause(part: str) -> Evidence:
    # The raw value is scrambled text nobody can read, so the decoded part is
    # quoted under a name that says it was decoded.
    return Evidence("X-VR-SPAMCAUSE (decoded)", part)


def make_finding(id_: FindingId, severity: str, title: str, detail: str, evidence: list[Evidence | None],
                 question: int | None = None, hop_index: int | None = None) -> Finding:
    # Most findings quote one header that was found: that list is kept as it is.
    if len(evidence) != 1 or evidence[0] is None:
        # Evidence objects are always true: filter(None) drops only the missing quotes.
        evidence = list(filter(None, evidence))[:MAX_QUOTES]
    return Finding(id_, severity, title, detail, evidence, question, hop_index)


def ip_listed(ip: str, listed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip in listed
    for item in listed:
        try:
            if address in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_int(text: object) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None
