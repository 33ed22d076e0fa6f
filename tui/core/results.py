"""What the analysis finds in a message: its hops, its origin, its authentication results, its findings.

Plain dataclasses, filled in by the parsers and the rules (tui.core.analysis)
and read by the reports, the answers and the screens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.model import Headers

SEVERITIES = ("info", "notice", "warning", "critical")


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
