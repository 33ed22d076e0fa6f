"""The things unblock talks about: header blocks, hops, origins, findings.

Plain dataclasses shared by every part of the analysis. Nothing here parses or
decides; the parsers fill these in and the findings read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

SEVERITIES = ("info", "notice", "warning", "critical")


@dataclass(slots=True)
class Header:
    """One header field as it appeared: name as written, value unfolded."""

    name: str
    value: str


@dataclass(slots=True)
class Headers:
    """The header section of one message, in the order it was written.

    ``source`` is the path as given (or ``-``), ``index`` the position of the
    message inside that source (0 for a single file). ``problems`` collects
    what went wrong while reading it, in words for the user.
    """

    fields: list[Header] = field(default_factory=list)
    source: str = "-"
    index: int = 0
    problems: list[str] = field(default_factory=list)
    # The fields by lower-cased name, and a copy of ``fields`` as it was when
    # they were grouped: every look-up is a dict access instead of a scan that
    # lower-cases every name, and comparing the copy (identity first, so a few
    # nanoseconds a field) notices a field added, removed or replaced since.
    # The groups hold the Header objects, so a value changed in place shows.
    _grouped: dict[str, list[Header]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _grouped_from: list[Header] | None = field(default=None, init=False, repr=False, compare=False)

    def by_name(self) -> dict[str, list[Header]]:
        """The fields grouped by lower-cased name, each group top to bottom.

        Shared with every other caller and rebuilt whenever ``fields`` has
        changed: read it, do not modify it.
        """
        fields = self.fields
        if self._grouped_from is None or fields != self._grouped_from:
            grouped: dict[str, list[Header]] = {}
            for header in fields:
                name = header.name.lower()
                if name in grouped:
                    grouped[name].append(header)
                else:
                    grouped[name] = [header]
            self._grouped = grouped
            self._grouped_from = list(fields)
        return self._grouped

    def get(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        found = self.by_name().get(name.lower())
        return found[0].value if found else None

    def get_all(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), top to bottom."""
        found = self.by_name().get(name.lower())
        return [h.value for h in found] if found else []

    def __iter__(self) -> Iterator[Header]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


@dataclass(slots=True)
class Hop:
    """One Received header: a server handing the message to the next.

    ``index`` counts from 1, oldest hop first. ``relay`` is False for lines
    that are not a network transfer (qmail "invoked by", local pickup,
    list expansion, retrieval by fetchmail, content scanners, loopback).
    ``delay_s`` is the time since the previous hop's date; a negative value
    means the clocks disagree and is kept as such. ``date_utc_assumed`` says
    the date was written without a (known) zone and read as UTC.
    """

    index: int = 0
    raw: str = ""
    relay: bool = True
    from_helo: str | None = None
    from_rdns: str | None = None
    from_ip: str | None = None
    ident: str | None = None
    by: str | None = None
    via: str | None = None
    with_: str | None = None
    id: str | None = None
    for_: str | None = None
    envelope_from: str | None = None
    tls: str | None = None
    auth: str | None = None
    date: datetime | None = None
    delay_s: float | None = None
    mta: str | None = None
    country: str | None = None
    may_be_forged: bool = False
    date_utc_assumed: bool = False


@dataclass(slots=True)
class AuthResult:
    """One verdict of an Authentication-Results style header.

    ``header`` says where it came from (Authentication-Results,
    ARC-Authentication-Results, Received-SPF).
    """

    method: str
    result: str
    authserv_id: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    header: str = "Authentication-Results"
    reason: str | None = None


@dataclass(slots=True)
class Spamcause:
    """OVH's X-VR-SPAMCAUSE, decoded when it is the legacy form.

    ``fields`` holds the key=value parts (From, Ip, Param...), ``params`` the
    parts of Param= (mailfrom, rcptto, nb_rcptto, helo, mode...), ``rules`` the
    rule hits as (name, score).
    """

    raw: str
    decoded: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    rules: list[tuple[str, int | None]] = field(default_factory=list)
    encrypted: bool = False
    problem: str | None = None


@dataclass(slots=True)
class Origin:
    """Where the message really came from.

    ``ip`` is the first external client (never a private, loopback or
    reserved address); ``authenticated_as`` the mailbox that logged in to
    send it, when the headers record one; ``client`` the sending software
    or HELO name; ``source_header`` the header the IP was read from.
    """

    ip: str | None = None
    country: str | None = None
    authenticated_as: str | None = None
    client: str | None = None
    source_header: str | None = None
    hop_index: int | None = None
    rdns: str | None = None
    helo: str | None = None


@dataclass(slots=True)
class Evidence:
    """A header and its exact value, quoted to back a finding."""

    header: str
    value: str


@dataclass(slots=True)
class Finding:
    """Something worth telling the user, with the evidence for it.

    ``question`` is the ticket question (1 sender, 2 redirection, 3 replied
    to spam) this finding is evidence for, if any; ``hop_index`` the hop it
    is about, so the inspector can mark that row.
    """

    id: str
    severity: str
    title: str
    detail: str
    evidence: list[Evidence] = field(default_factory=list)
    question: int | None = None
    hop_index: int | None = None


@dataclass(slots=True)
class Message:
    """One analysed message: what the headers say and what it means."""

    source: str
    index: int
    headers: Headers
    subject: str | None = None
    from_: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: str | None = None
    date: datetime | None = None
    message_id: str | None = None
    hops: list[Hop] = field(default_factory=list)
    origin: Origin = field(default_factory=Origin)
    auth: list[AuthResult] = field(default_factory=list)
    spamcause: Spamcause | None = None
    spamstate: str | None = None
    spamscore: str | None = None
    tracer_id: str | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Ticket:
    """What the provider's "Account locked for spam" message told us."""

    text: str = ""
    address: str | None = None
    service: str | None = None
    suspicious_count: int | None = None
    language: str | None = None
    questions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Expectations:
    """What the user told us about how they normally send mail.

    ``account`` is the blocked address; ``countries`` ISO codes (upper case)
    they send from; ``ips`` and ``clients`` their own addresses and mail
    programs. Findings compare the evidence against these.
    """

    account: str | None = None
    countries: list[str] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
