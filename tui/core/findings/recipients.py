"""Question 1, to whom: many recipients at once (as written, and as OVHcloud's filter counted
them) and hidden recipients.
"""

from __future__ import annotations

import re

from tui.core.addresses import ADDRESS
from tui.core.findings.facts import MAX_QUOTES, Facts, as_int, decoded_spamcause, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding

_UNDISCLOSED = re.compile(r"undisclosed|^\s*[^@:]{0,80}:\s*;\s*$", re.IGNORECASE)


def recipient_count(facts: Facts, found: list[Finding]) -> None:
    message = facts.message
    to_values = facts.by_name.get("to", ())
    cc_values = facts.by_name.get("cc", ())
    # The analysis has split To and Cc into one entry per recipient already.
    count = len(message.to) + len(message.cc)
    if not count:
        count = sum(len(ADDRESS.findall(h.value)) for h in (*to_values, *cc_values))
    if count >= 10:
        written = [*to_values, *cc_values][:MAX_QUOTES]
        evidence = [Evidence(h.name, h.value) for h in written if "@" in h.value]
        found.append(make_finding(
            FindingId.MANY_RECIPIENTS, "warning" if count >= 50 else "notice", f"Sent to {count} recipients at once",
            f"The To and Cc lines hold {count} addresses. Spam filters treat one message sent to many "
            "people at once as spam, even when it is a genuine announcement. If you did not send "
            "it, this is a spam run from your mailbox; if you did, use a newsletter service for "
            "mass mailings rather than your mailbox.",
            evidence, question=1,
        ))
    spamcause = message.spamcause
    counted = spamcause.params.get("nb_rcptto") if spamcause is not None else None
    envelope = as_int(counted) if counted is not None else None
    if envelope is not None and envelope >= 10 and envelope > count:
        found.append(make_finding(
            FindingId.MANY_RECIPIENTS_ENVELOPE, "warning" if envelope >= 50 else "notice",
            f"OVHcloud counted {envelope} recipients",
            f"OVHcloud's spam filter recorded that this message was addressed to {envelope} "
            "recipients, hidden copies (Bcc) included. Sending to that many people at once is what "
            "spam runs do; unless you sent a mailing yourself, someone else did.",
            [decoded_spamcause(f"nb_rcptto={envelope}")], question=1,
        ))
    hidden = []
    for header in to_values:
        if "@" not in header.value and _UNDISCLOSED.search(header.value[:200]):
            hidden.append(header)
    if hidden or (not to_values and not message.to and facts.value("from") and facts.values("bcc")):
        found.append(make_finding(
            FindingId.UNDISCLOSED_RECIPIENTS, "notice", "The recipients are hidden",
            "The To line does not name the real recipients: they were put in hidden copy (Bcc). "
            "Mass mailings and spam do this so that nobody sees the list. If you did not send such "
            "a mailing, someone else did.",
            [*(Evidence(h.name, h.value) for h in hidden), facts.quote("bcc")], question=1,
        ))
