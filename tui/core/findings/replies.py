"""Question 3, replies: threading headers and reply prefixes in the subject."""

from __future__ import annotations

import re

from tui.core.findings.facts import Facts, make_finding, shorten
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding

# "Ref:" alone is often a reference number, so the French forms need their accent.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|sv|antw|odp|rif|vs)\s?(?:\[\d{1,4}\])?\s?:|^\s*ré[fp]\b", re.IGNORECASE
)


def reply_marks(facts: Facts, found: list[Finding]) -> None:
    by_name = facts.by_name
    if "in-reply-to" in by_name or "references" in by_name:
        threading = []
        for name in ("in-reply-to", "references"):
            for header in by_name.get(name, ()):
                if header.value.strip():
                    threading.append(Evidence(header.name, header.value))
        if threading:
            earlier = shorten(threading[0].value.split(None, 1)[0], 60)
            found.append(make_finding(
                FindingId.REPLY_HEADERS, "notice", "This message is a reply",
                f"The {threading[0].header} header shows this message answers an earlier one "
                f"({earlier}). Question 3 asks whether you replied to spam: replying to spam, even to "
                "say \"stop\", tells spammers your address works and can get your mailbox flagged. If "
                "the message answered here was spam, the honest answer is yes. Spam software sometimes "
                "fakes these headers, so check your Sent folder.",
                threading, question=3,
            ))
    # Every reply prefix but the French "réf" and "rép" ends with a colon.
    head = facts.subject[:40]
    if (":" in head or "é" in head or "É" in head) and (reply := _REPLY_PREFIX.match(head)):
        prefix = reply.group(0).strip()
        found.append(make_finding(
            FindingId.REPLY_SUBJECT, "info", f"The subject starts with \"{prefix}\"",
            f"The \"{prefix}\" prefix marks this message as a reply. Spammers often add it to look "
            "familiar, so on its own it proves little: check in your Sent folder whether you "
            "wrote it, and what it answered.",
            [facts.quote("subject")], question=3,
        ))
