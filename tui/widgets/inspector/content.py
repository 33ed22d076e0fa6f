"""What the inspector says about a message, a hop and a finding: severity words and marks, delays, and the
detail texts, every header value made terminal-safe and never read as markup.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from textual.content import Content

from tui.core.model import SEVERITIES, Finding, Hop, Message
from tui.core.sanitise import terminal_safe
from tui.widgets.origins import OriginKey

SEVERITY_WORDS = {"critical": "CRIT", "warning": "WARN", "notice": "NOTE", "info": "INFO"}
# Markers that say "look here" without colour; the findings list spells the severity out.
SEVERITY_MARKS = {"critical": "!!", "warning": "!", "notice": "*", "info": "i"}
ORIGIN_MARK = "◀"
RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# A header date in full, in the sender's own offset: the offset itself is evidence.
DATE_FORMAT = "%a %d %b %Y %H:%M:%S %z"


def severity_of(name: str) -> str:
    """A finding's severity as one of SEVERITIES; an unknown word counts as info."""
    return name if name in RANK else "info"


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((severity_of(f.severity) for f in findings), key=RANK.__getitem__, default=None)


def safe(value: str | None) -> str:
    return terminal_safe(value) if value else ""


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_delay(seconds: float | None) -> str:
    """A hop delay in a few characters: "4s", "2m05s", "3h10m", "2d04h", negative kept."""
    if seconds is None:
        return ""
    whole = round(abs(seconds))
    if whole < 60:
        body = f"{whole}s"
    elif whole < 3600:
        body = f"{whole // 60}m{whole % 60:02d}s"
    elif whole < 86400:
        body = f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    else:
        body = f"{whole // 86400}d{whole % 86400 // 3600:02d}h"
    return "-" + body if seconds < 0 and whole else body


def utc_minute(when: datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    # Formatted by hand: strftime is the slowest part of listing thousands of origins.
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"


def message_date(message: Message) -> str:
    if message.date is not None:
        return message.date.strftime(DATE_FORMAT).strip()
    written = message.headers.get("Date")
    return f"{safe(written)} (could not be read)" if written else "not given"


def hop_notes(message: Message) -> dict[int, list[tuple[str | None, str]]]:
    """What to flag on each hop, by hop index: (severity, reason); severity None marks the origin."""
    notes: dict[int, list[tuple[str | None, str]]] = {}
    origin = message.origin
    if origin.hop_index is not None:
        hop_ip = next((hop.from_ip for hop in message.hops if hop.index == origin.hop_index), None)
        # The origin hop may be where a webmail or proxy handed the client's mail on:
        # then say whose mail it was, since the row's own IP is not the origin.
        reason = "origin" if origin.ip is None or origin.ip == hop_ip else f"origin {safe(origin.ip)}"
        notes.setdefault(origin.hop_index, []).append((None, reason))
    for finding in message.findings:
        if finding.hop_index is not None:
            notes.setdefault(finding.hop_index, []).append((severity_of(finding.severity), safe(finding.title)))
    for hop in message.hops:
        if hop.delay_s is not None and hop.delay_s < 0:
            reason = f"dated {format_delay(-hop.delay_s)} before the previous hop"
            notes.setdefault(hop.index, []).append(("warning", reason))
        if hop.may_be_forged:
            notes.setdefault(hop.index, []).append(("notice", "may be forged"))
    return notes


def note_text(notes: list[tuple[str | None, str]]) -> str:
    """The flags of one hop, the most serious first, so that a clipped cell still shows it."""
    ordered = sorted(notes, key=lambda note: RANK.get(note[0], -1), reverse=True)
    return "; ".join(
        f"{ORIGIN_MARK if severity is None else SEVERITY_MARKS[severity]} {reason}" for severity, reason in ordered
    )


def origin_words(key: OriginKey) -> str:
    ip, country, client = key
    words = [safe(ip) or "unknown IP"]
    if country:
        words.append(f"({safe(country)})")
    if client:
        words.append(clip(safe(client), 30))
    return " ".join(words)


def hop_name(hop: Hop) -> str:
    """A hop's sender as "rDNS (HELO)", each shown once."""
    rdns, helo = safe(hop.from_rdns), safe(hop.from_helo)
    if rdns and helo and rdns.lower() != helo.lower():
        return f"{rdns} ({helo})"
    return rdns or (f"({helo})" if helo else "")


def label_lines(pairs: Iterable[tuple[str, str]], label_width: int) -> Content:
    """``label  value`` lines with bold labels; values are shown exactly as given."""
    parts: list[str | tuple[str, str]] = []
    for label, value in pairs:
        if parts:
            parts.append("\n")
        parts.extend(((label.ljust(label_width), "bold"), " ", value))
    return Content.assemble(*parts)


def header_lines(fields: Iterable[tuple[str, str]]) -> Content:
    """Header fields as "Name: value", the value kept whole (newlines included)."""
    parts: list[str | tuple[str, str]] = []
    for name, value in fields:
        if parts:
            parts.append("\n")
        parts.extend(((f"{terminal_safe(name)}:", "bold"), " ", terminal_safe(value, multiline=True)))
    return Content.assemble(*parts)


def summary_content(message: Message) -> Content:
    """From, To, Subject, Date, who logged in, where it came from and with what."""
    origin = message.origin
    where = safe(origin.ip) or "unknown"
    if origin.country:
        where += f" ({safe(origin.country)})"
    if origin.source_header:
        where += f", read from {safe(origin.source_header)}"
    return label_lines(
        (
            ("From", safe(message.from_) or "not given"),
            ("To", ", ".join(map(safe, message.to)) or "not given"),
            ("Subject", safe(message.subject) or "not given"),
            ("Date", message_date(message)),
            ("Auth as", safe(origin.authenticated_as) or "not recorded in these headers"),
            ("Origin", where),
            ("Client", safe(origin.client) or "not recorded"),
        ),
        label_width=8,
    )


def spamcause_content(message: Message) -> Content:
    """OVH's spam verdict: SPAMSTATE, SCORE, tracer, and the decoded SPAMCAUSE or why it cannot be."""
    pairs = [
        (label, safe(value))
        for label, value in (
            ("SPAMSTATE", message.spamstate),
            ("SPAMSCORE", message.spamscore),
            ("Tracer", message.tracer_id),
        )
        if value
    ]
    cause = message.spamcause
    if cause is None:
        pairs.append(("SPAMCAUSE", "no X-VR-SPAMCAUSE header"))
    elif cause.encrypted:
        reason = f": {safe(cause.problem)}" if cause.problem else ""
        pairs.append(("SPAMCAUSE", f"encrypted (the newer format), it cannot be decoded{reason}"))
    elif cause.decoded is None:
        pairs.append(("SPAMCAUSE", f"cannot be decoded: {safe(cause.problem) or 'unknown format'}"))
    else:
        if cause.problem:
            pairs.append(("Problem", safe(cause.problem)))
        rules = ", ".join(
            safe(name) if score is None else f"{safe(name)} ({score})" for name, score in cause.rules
        )
        pairs.append(("Rules hit", rules or "none"))
        for name in ("From", "Ip"):
            if name in cause.fields:
                pairs.append((name, safe(cause.fields[name])))
        for number, (name, value) in enumerate(cause.params.items()):
            pairs.append(("" if number else "Param", f"{safe(name)}={safe(value)}"))
    return label_lines(pairs, label_width=9)


def message_detail(position: int, message: Message) -> tuple[Content, Content]:
    """The title and body of the modal showing a message's whole header."""
    title = Content.assemble((f"Message {position + 1}", "bold"), f", {len(message.headers)} header fields")
    body = header_lines((field.name, field.value) for field in message.headers)
    if message.problems:
        problems = "\n".join(f"- {terminal_safe(problem)}" for problem in message.problems)
        body = Content.assemble(body, "\n\n", ("Problems reading it", "bold"), "\n", problems)
    return title, body


def hop_detail(hop: Hop, count: int, notes: list[tuple[str | None, str]]) -> tuple[Content, Content]:
    """The title and body of the modal showing one hop, parsed and raw."""
    pairs = [
        (label, safe(value))
        for label, value in (
            ("From IP", hop.from_ip),
            ("rDNS", hop.from_rdns),
            ("HELO", hop.from_helo),
            ("Ident", hop.ident),
            ("By", hop.by),
            ("Via", hop.via),
            ("With", hop.with_),
            ("Id", hop.id),
            ("For", hop.for_),
            ("Env from", hop.envelope_from),
            ("TLS", hop.tls),
            ("Auth", hop.auth),
            ("Software", hop.mta),
            ("Country", hop.country),
        )
        if value
    ]
    if hop.date is not None:
        pairs.append(("Date", hop.date.strftime(DATE_FORMAT).strip()))
    if hop.delay_s is not None:
        pairs.append(("Delay", format_delay(hop.delay_s)))
    if not hop.relay:
        pairs.append(("Relay", "no: not a transfer between servers"))
    if notes:
        pairs.append(("Flags", note_text(notes)))
    body = label_lines(pairs, label_width=9) if pairs else Content("Nothing could be read from this line.")
    raw = header_lines([("Received", hop.raw)])
    return (
        Content.assemble((f"Hop {hop.index} of {count}", "bold"), ", counted from the oldest"),
        Content.assemble(body, "\n\n", raw),
    )


def finding_detail(finding: Finding) -> tuple[Content, Content]:
    """The title and body of the modal showing a finding with its evidence."""
    severity = severity_of(finding.severity)
    title = Content.assemble((SEVERITY_WORDS[severity], "bold"), " ", safe(finding.title))
    parts: list[str | tuple[str, str] | Content] = [terminal_safe(finding.detail, multiline=True)]
    if finding.question is not None:
        parts.append(f"\n\nEvidence for the ticket's question {finding.question}.")
    if finding.hop_index is not None:
        parts.append(f"\nAbout hop {finding.hop_index}.")
    parts.extend(("\n\n", ("Evidence", "bold"), "\n"))
    if finding.evidence:
        parts.append(header_lines((evidence.header, evidence.value) for evidence in finding.evidence))
    else:
        parts.append("no header quoted")
    return title, Content.assemble(*parts)
