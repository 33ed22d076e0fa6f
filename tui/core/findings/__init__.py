"""What one message's headers reveal, told as Findings a mailbox owner can act on.

``find_all`` reads an analysed Message (hops, origin, authentication verdicts,
OVHcloud's spam verdict) against what the user told us about their own sending
(Expectations) and returns Findings, most serious first. Each finding quotes
the header it rests on, and findings that bear on one of the ticket's three
questions (1 sender, 2 redirection rule, 3 replied to spam) say which.

One module per family of rules; ``facts`` is what they all read, ``ids`` the
one registry of finding ids. A new rule is a function ``(facts, found)`` in
its family's module, added to RULES below in the order its findings should
come among equally serious ones.
"""

from __future__ import annotations

from tui.core.findings import (
    authentication, clocks, forwarding, identity, mailers, names, network, ovh, recipients, replies, sender,
)
from tui.core.findings.facts import Facts
from tui.core.findings.ids import FindingId
from tui.core.model import Expectations
from tui.core.results import SEVERITIES, Finding, Message

__all__ = ["RULES", "FindingId", "find_all"]

_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# Read only: find_all without expectations compares against nothing.
_NO_EXPECTATIONS = Expectations()

RULES = (
    sender.sender_identity,
    sender.origin_expectations,
    sender.client_expectations,
    network.origin_network,
    mailers.mailer_names,
    names.reply_to_and_names,
    recipients.recipient_count,
    authentication.spf_dkim_dmarc,
    identity.identity_headers,
    clocks.clock_checks,
    forwarding.forwarding_marks,
    replies.reply_marks,
    ovh.ovh_verdict,
)


def find_all(message: Message, expectations: Expectations | None = None) -> list[Finding]:
    """Every finding about ``message``, critical first, in rule order otherwise."""
    facts = Facts(message, expectations or _NO_EXPECTATIONS)
    found: list[Finding] = []
    for rule in RULES:
        rule(facts, found)
    if len(found) > 1:
        found.sort(key=_most_serious_first)
    return found


def _most_serious_first(finding: Finding) -> int:
    return -_RANK.get(finding.severity, 0)
