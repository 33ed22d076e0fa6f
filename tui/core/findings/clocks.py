"""Clocks: hops dated before the hop they follow, and a Date far from when the servers saw the
message.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from tui.core.dates import zone_assumed
from tui.core.findings.facts import Facts, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import Finding

# A handful of per-hop clock findings tell the story; a forged or looping
# chain could otherwise produce thousands.
_MAX_HOP_FINDINGS = 5
_AN_HOUR = timedelta(seconds=3600)
_FIVE_MINUTES = timedelta(seconds=300)


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            amount = round(seconds / size)
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    amount = round(seconds)
    return f"{amount} second{'s' if amount != 1 else ''}"


def clock_checks(facts: Facts, found: list[Finding]) -> None:
    hops = facts.message.hops
    if not hops:
        return
    skewed = 0
    for hop in hops:
        delay = hop.delay_s
        # Nearly every hop has a float of zero or more, or no delay (the first):
        # those are passed over before the full test.
        if delay.__class__ is float and delay >= 0 or delay is None:
            continue
        if skewed >= _MAX_HOP_FINDINGS:
            break
        if isinstance(delay, (int, float)) and math.isfinite(delay) and delay < 0:
            skewed += 1
            gap = _duration(delay)
            found.append(make_finding(
                FindingId.HOP_CLOCK_SKEW, "notice",
                f"Hop {hop.index} is dated {gap} before the previous hop",
                f"Server {hop.by or hop.index} dated its Received line {gap} "
                "earlier than the server before it, as if the message arrived before it left. Servers' "
                "clocks often disagree by a few seconds; a large gap means a clock is wrong or this "
                "Received line was made up to mislead.",
                [facts.quote_hop(hop)], hop_index=hop.index,
            ))
    written = facts.message.date
    if not isinstance(written, datetime):
        return
    for first_hop in hops:
        if isinstance(first_hop.date, datetime):
            break
    else:
        return
    for last_hop in reversed(hops):
        if isinstance(last_hop.date, datetime):
            break
    if first_hop.date_utc_assumed or last_hop.date_utc_assumed or zone_assumed(written):
        # A date read as UTC for want of a zone may be hours off: nothing to compare.
        return
    # A date without a zone is taken as UTC (inline: this runs for every message).
    first, last = first_hop.date, last_hop.date
    if written.tzinfo is None:
        written = written.replace(tzinfo=timezone.utc)
    if first.tzinfo is None:
        first = first.replace(tzinfo=timezone.utc)
    if last.tzinfo is None:
        last = last.replace(tzinfo=timezone.utc)
    # Durations compare exactly as their seconds do; most messages are on time.
    early = first - written
    late = written - last
    if early <= _AN_HOUR and late <= _FIVE_MINUTES:
        return
    early, late = early.total_seconds(), late.total_seconds()
    date_evidence = facts.quote("date")
    if early > 3600:
        found.append(make_finding(
            FindingId.DATE_BEFORE_FIRST_HOP, "notice", f"Dated {_duration(early)} before it was sent",
            f"The Date header is {_duration(early)} earlier than the moment the first server "
            "received the message. That happens when a message waits in an outbox while the "
            "computer is offline, and when spam software writes a made-up date.",
            [date_evidence, facts.quote_hop(first_hop)],
        ))
    if late > 300:
        found.append(make_finding(
            FindingId.DATE_IN_FUTURE, "warning" if late > 86400 else "notice",
            f"Dated {_duration(late)} in the future",
            f"The Date header is {_duration(late)} later than the moment the last server received "
            "the message. Either the sending computer's clock is wrong or the date was made up, "
            "as spam software does to stay at the top of inboxes.",
            [date_evidence, facts.quote_hop(last_hop)],
        ))
