"""Question 2, redirection rules: Resent and X-Forwarded headers, forwarding services, SRS return
addresses, Delivered-To chains and forwarded subjects.
"""

from __future__ import annotations

import re

from tui.core.addresses import ADDRESS, address_of, unwrap_srs
from tui.core.findings.facts import (
    DELIVERY_HEADERS, FORWARDING_HEADERS, FORWARDING_SERVICE, LIST_HEADERS, MAX_QUOTES,
    REDIRECTION_MARKS, RESENT_HEADERS, Facts, make_finding, shorten,
)
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding

_FORWARD_PREFIX = re.compile(r"^\s*(fwd?|tr|wg|rv)\s?:", re.IGNORECASE)


_CHECK_RULES = (
    "Check the rules (filters) of your mailbox in webmail and in Outlook or your other mail "
    "programs, and the redirections of the address in the OVHcloud Control Panel; remove any "
    "you did not create."
)


def forwarding_marks(facts: Facts, found: list[Finding]) -> None:
    names = facts.by_name.keys()
    redirected = not names.isdisjoint(REDIRECTION_MARKS)
    if redirected and not names.isdisjoint(RESENT_HEADERS):
        found.append(make_finding(
            FindingId.RESENT_HEADERS, "notice", "Redirected on to another address (Resent headers)",
            "Resent- headers are added when a message is redirected to another address while "
            f"keeping its original sender. That suggests a redirection rule. {_CHECK_RULES}",
            [Evidence(h.name, h.value) for name in RESENT_HEADERS for h in facts.values(name)[:MAX_QUOTES]],
            question=2,
        ))
    forwarded = [
        Evidence(h.name, h.value) for name in FORWARDING_HEADERS for h in facts.values(name)[:MAX_QUOTES]
        # X-Forwarded-For holding an IP address is a web proxy's note, not mail forwarding.
        if name != "x-forwarded-for" or "@" in h.value
    ] if redirected and not names.isdisjoint(FORWARDING_HEADERS) else None
    if forwarded:
        found.append(make_finding(
            FindingId.FORWARDED_HEADERS, "notice", "Forwarded automatically (X-Forwarded headers)",
            "Forwarding services and mail servers add X-Forwarded headers when they pass a message "
            f"on to another address. That suggests a redirection or forwarding rule. {_CHECK_RULES}",
            forwarded, question=2,
        ))
    services = facts.by_name.get(FORWARDING_SERVICE)
    if services:
        name = shorten(services[0].value, 60)
        found.append(make_finding(
            FindingId.FORWARDING_SERVICE, "info", f"Passed on by a forwarding service ({name})",
            f"The forwarding service {name} passed this message on to another address. If that "
            "service forwards mail to you, it is the recipient's setting, not a rule of yours; if "
            "you set it up to forward your own mail elsewhere, check where it sends it.",
            [Evidence(h.name, h.value) for h in services[:MAX_QUOTES]], question=2,
        ))
    srs = facts.srs_senders()
    if srs:
        sender, _ = srs[0]
        found.append(make_finding(
            FindingId.SRS_ENVELOPE, "notice", "Return address rewritten for forwarding (SRS)",
            f"The return address {sender} was rewritten with SRS, which servers do when they "
            f"forward a message automatically to another address. The original sender was "
            f"{unwrap_srs(sender)}. That is the mark of a redirection. {_CHECK_RULES}",
            [facts.evidence(source) for _, source in srs], question=2,
        ))
    if not names.isdisjoint(DELIVERY_HEADERS):
        _delivery_addresses(facts, found)
    # Every forward prefix ends with a colon.
    head = facts.subject[:40]
    if ":" in head and (prefix := _FORWARD_PREFIX.match(head)):
        found.append(make_finding(
            FindingId.SUBJECT_FORWARD, "info", f"The subject starts with \"{prefix.group(1)}:\"",
            f"The \"{prefix.group(1)}:\" prefix means someone forwarded this message. Forwarding by "
            "hand is not a redirection rule, but some automatic rules forward this way too. If you "
            f"did not forward it yourself, check your mailbox rules. {_CHECK_RULES}",
            [facts.quote("subject")], question=2,
        ))


def _delivery_addresses(facts: Facts, found: list[Finding]) -> None:
    by_name = facts.by_name
    delivered = by_name.get("delivered-to", ())
    # One line names one mailbox at most: the addresses are read only when there are several.
    distinct = []
    if len(delivered) > 1:
        distinct = [a for a in dict.fromkeys(address_of(h.value) for h in delivered) if a]
    if len(distinct) > 1:
        found.append(make_finding(
            FindingId.DELIVERED_TO_SEVERAL, "notice", f"Delivered to {len(distinct)} mailboxes in turn",
            f"The message carries {len(distinct)} Delivered-To lines ({', '.join(distinct[:4])}): it "
            "was delivered to one mailbox and then passed on to another, which is what a "
            f"redirection rule does. {_CHECK_RULES}",
            [Evidence(h.name, h.value) for h in delivered[:MAX_QUOTES]], question=2,
        ))
    if not by_name.keys().isdisjoint(LIST_HEADERS):
        return
    visible = set(map(address_of, facts.message.to))
    visible.update(map(address_of, facts.message.cc))
    visible.discard(None)
    if not visible:
        written = [*facts.values("to"), *facts.values("cc")]
        visible = {a.lower() for h in written for a in ADDRESS.findall(h.value)}
        if not visible:
            return
    for name in DELIVERY_HEADERS:
        if name == "delivered-to" and len(distinct) > 1:
            continue
        # The first line whose address is not visible, even if it holds no address.
        for header in by_name.get(name, ()):
            target = address_of(header.value)
            if target not in visible:
                break
        else:
            continue
        if target is None:
            continue
        yours = target == facts.account and facts.from_address != facts.account
        detail = (
            f"The message was delivered to {target}, which is not among its visible recipients. "
            "Hidden copies (Bcc) and mailing lists do that, and so do redirections: if "
            f"{target} passed it on, a rule there may be forwarding mail."
        )
        if yours:
            detail = (
                f"This message was first delivered to your mailbox {target} and then left it again, "
                "though it is not addressed to you: that is what a redirection rule does."
            )
        found.append(make_finding(
            FindingId.DELIVERED_TO_DIFFERS if name == "delivered-to" else FindingId.ORIGINAL_TO_DIFFERS,
            "notice" if yours else "info", f"Delivered to {target}, who is not in To or Cc",
            f"{detail} {_CHECK_RULES}", [Evidence(header.name, header.value)], question=2,
        ))
        break
