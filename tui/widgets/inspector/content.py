"""What the inspector says about a message, a hop and a finding: severity words and marks, delays, and the
detail texts, every header value made terminal-safe and never read as markup.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content

from tui.core.findings.ids import FindingId
from tui.core.results import SEVERITIES, Finding, Hop, Message, Origin
from tui.core.sanitise import terminal_safe
from tui.widgets.origins import OriginKey

SEVERITY_WORDS = {"critical": "CRIT", "warning": "WARN", "notice": "NOTE", "info": "INFO"}
# Markers that say "look here" without colour; the findings list spells the severity out.
SEVERITY_MARKS = {"critical": "!!", "warning": "!", "notice": "*", "info": "i"}
ORIGIN_MARK = "◀"
RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# A header date in full, in the sender's own offset: the offset itself is evidence.
DATE_FORMAT = "%a %d %b %Y %H:%M:%S %z"
# Findings pinned to the origin's hop that speak of that hop itself; the others there speak of the origin.
HOP_FINDINGS = frozenset({FindingId.HOP_CLOCK_SKEW})
# What a clipped text does not end on before its "…": spaces and the punctuation after a word.
CLIP_TRAILING = " ,;:-"


def severity_of(name: str) -> str:
    """A finding's severity as one of SEVERITIES; an unknown word counts as info."""
    return name if name in RANK else "info"


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((severity_of(f.severity) for f in findings), key=RANK.__getitem__, default=None)


def safe(value: str | None) -> str:
    return terminal_safe(value) if value else ""


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: a longer one ends in "…" after a whole word when it can."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = width - 1
    cut = _prefix(text, room)
    # Back to the last space, unless that throws away more than half of the room (a long host name).
    if text[len(cut)] != " ":
        space = cut.rfind(" ")
        if space >= room // 2:
            cut = cut[:space]
    return cut.rstrip(CLIP_TRAILING) + "…"


def _prefix(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells`` cells."""
    if text.isascii():
        return text[:cells]
    used = 0
    for end, character in enumerate(text):
        used += get_character_cell_size(character)
        if used > cells:
            return text[:end]
    return text


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


class HopFlag(NamedTuple):
    """One thing said about a hop.

    ``severity`` is None for the origin's mark alone; ``origin`` marks the hop the origin came in by;
    ``about_origin`` is a finding about an origin whose address is not the hop's own: the hop's cell
    does not show it (it would name another address or country than the row's), its origin flag
    carries its severity, and the hop's full flags tell it under the origin.
    """

    severity: str | None
    reason: str
    origin: bool = False
    about_origin: bool = False


def origin_is_hop(origin: Origin, hop: Hop | None) -> bool:
    """Whether the origin is the hop's own sender: same address, and no other country."""
    if hop is None or origin.ip is None:
        return True
    if origin.ip != hop.from_ip:
        return False
    return not (origin.country and hop.country and origin.country.upper() != hop.country.upper())


def hop_notes(message: Message) -> dict[int, list[HopFlag]]:
    """What to flag on each hop, by hop index."""
    notes: dict[int, list[HopFlag]] = {}
    origin = message.origin
    entry = origin.hop_index
    own = origin_is_hop(origin, next((hop for hop in message.hops if hop.index == entry), None))
    about_origin = [] if own or entry is None else [
        finding for finding in message.findings if finding.hop_index == entry and finding.id not in HOP_FINDINGS
    ]  # fmt: skip
    if entry is not None:
        # When the origin was read from a header (X-Ovh-ClientIp...), the hop it came in by has another
        # address: the row says so without naming the origin, which the summary and the full flags do.
        notes[entry] = [HopFlag(worst_severity(about_origin), "origin" if own else "origin came in here", origin=True)]
        notes[entry].extend(HopFlag(severity_of(f.severity), safe(f.title), about_origin=True) for f in about_origin)
    told = {id(finding) for finding in about_origin}
    for finding in message.findings:
        if finding.hop_index is not None and id(finding) not in told:
            notes.setdefault(finding.hop_index, []).append(HopFlag(severity_of(finding.severity), safe(finding.title)))
    for hop in message.hops:
        if hop.delay_s is not None and hop.delay_s < 0:
            reason = f"dated {format_delay(-hop.delay_s)} before the previous hop"
            notes.setdefault(hop.index, []).append(HopFlag("warning", reason))
        if hop.may_be_forged:
            notes.setdefault(hop.index, []).append(HopFlag("notice", "may be forged"))
    return notes


def flag_severity(flags: list[HopFlag]) -> str | None:
    """The most serious severity of a hop's flags, None when none has one."""
    return max((flag.severity for flag in flags if flag.severity), key=RANK.__getitem__, default=None)


def flag_marks(flag: HopFlag) -> str:
    marks = [SEVERITY_MARKS[flag.severity]] if flag.severity else []
    return " ".join(marks + [ORIGIN_MARK] if flag.origin else marks)


def note_text(flags: list[HopFlag]) -> str:
    """A hop's flags in its cell, the most serious first so that a clipped cell still shows it."""
    shown = sorted((flag for flag in flags if not flag.about_origin), key=lambda flag: RANK.get(flag.severity, -1),
                   reverse=True)  # fmt: skip
    return "; ".join(f"{flag_marks(flag)} {flag.reason}" for flag in shown)


def flag_lines(flags: list[HopFlag], origin: Origin) -> list[str]:
    """A hop's flags in full, one a line, each severity spelled out: the origin's flag names the origin."""
    lines = []
    for flag in sorted(flags, key=lambda flag: (not flag.origin, -RANK.get(flag.severity, -1))):
        word = f"{SEVERITY_WORDS[flag.severity]} " if flag.severity and not flag.origin else ""
        if flag.about_origin:
            lines.append(f"  {flag_marks(flag)} {word}{flag.reason} (about the origin)")
        elif flag.origin and flag.reason == "origin":
            lines.append(f"{flag_marks(flag)} origin: {origin_place(origin)}")
        elif flag.origin:
            lines.append(f"{flag_marks(flag)} {flag.reason}: the origin is {origin_place(origin)}")
        else:
            lines.append(f"{flag_marks(flag)} {word}{flag.reason}")
    return lines


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


def origin_place(origin: Origin) -> str:
    """The origin's address, its country and the header it was read from."""
    where = safe(origin.ip) or "unknown"
    if origin.country:
        where += f" ({safe(origin.country)})"
    if origin.source_header:
        where += f", read from {safe(origin.source_header)}"
    return where


def summary_content(message: Message) -> Content:
    """From, To, Subject, Date, who logged in, where it came from and with what."""
    origin = message.origin
    where = origin_place(origin)
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


def hop_detail(hop: Hop, count: int, flags: list[HopFlag], origin: Origin) -> tuple[Content, Content]:
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
    pairs.extend(("" if number else "Flags", line) for number, line in enumerate(flag_lines(flags, origin)))
    body = label_lines(pairs, label_width=9) if pairs else Content("Nothing could be read from this line.")
    raw = header_lines([("Received", hop.raw)])
    return (
        Content.assemble((f"Hop {hop.index} of {count}", "bold"), ", counted from the oldest"),
        Content.assemble(body, "\n\n", raw),
    )


def finding_line(finding: Finding) -> Content:
    """A finding's severity and whole title, and the hop it is about."""
    hop = "" if finding.hop_index is None else f" (hop {finding.hop_index})"
    return Content.assemble((SEVERITY_WORDS[severity_of(finding.severity)], "bold"), " ", safe(finding.title), hop)


def hop_line(flags: list[HopFlag], origin: Origin) -> Content:
    """A hop's flags in full, one a line: shown above its raw Received header."""
    return Content("\n".join(flag_lines(flags, origin)))


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
