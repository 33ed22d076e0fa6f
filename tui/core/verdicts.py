"""Whether a message was judged spam by a filter, and which message a reply answers.

Question 3 ("Have you responded to spam?") needs more than a reply: it needs
the answered message to have been spam. What says so is a filter's verdict on
that message (OVHcloud's X-VR-SPAMSTATE, SpamAssassin's X-Spam-Flag and
X-Spam-Status, rspamd's X-Rspamd-Action and X-Spamd-Result, Microsoft's
antispam report), or a spam tag that the filter put in the answered message's
subject and that the reply's subject still carries ("Re: [SPAM] ...").
"""

from __future__ import annotations

import re

from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Message

# The filters' own words for "this is spam", by lower-cased header name.
_YES = re.compile(r"\s*(?:yes|true|spam)\b", re.IGNORECASE)
_RSPAMD_SPAM = re.compile(r"\s*(?:reject|add header|rewrite subject|soft reject)\b", re.IGNORECASE)
_RSPAMD_RESULT = re.compile(r"\bdefault:\s*true\b", re.IGNORECASE)
_MICROSOFT_SPAM = re.compile(r"\bSFV:\s*(?:SPM|BLK)\b", re.IGNORECASE)
# Spam confidence levels 5 to 9 are Microsoft's "spam" and "high confidence spam".
_MICROSOFT_SCL = re.compile(r"\s*[5-9]\s*$")
_INBOUND_VERDICTS = (
    ("x-spam-flag", _YES.match),
    ("x-spam-status", _YES.match),
    ("x-spam", _YES.match),
    ("x-rspamd-action", _RSPAMD_SPAM.match),
    ("x-spamd-result", _RSPAMD_RESULT.search),
    ("x-forefront-antispam-report", _MICROSOFT_SPAM.search),
    ("x-ms-exchange-organization-scl", _MICROSOFT_SCL.match),
)
# A spam tag a filter writes at the start of a subject, kept after the reply prefixes of an answer.
_TAGGED_REPLY = re.compile(
    r"^\s*(?:(?:re|aw|sv|antw|odp|rif|vs|r[ée]p?|fwd?|tr|wg)\s?(?:\[\d{1,4}\])?\s?:\s*)+"
    r"(?P<tag>\[\s*(?:suspected\s+|possible\s+)?spam\??\s*\]|\*{1,6}\s*spam\s*\*{1,6}|\{\s*spam\??\s*\}"
    r"|\(\s*spam\??\s*\)|spam\s*:)",
    re.IGNORECASE,
)
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,998})>")
# References can list a whole thread; a hostile one lists thousands of ids.
MAX_ANSWERED = 50


def filter_verdicts(message: Message, include_ovh: bool = True) -> list[Evidence]:
    """The headers in which a spam filter rated ``message`` spam (OVHcloud's too, with ``include_ovh``)."""
    found: list[Evidence] = []
    if include_ovh:
        for finding in message.findings:
            if finding.id == FindingId.OVH_SPAM_VERDICT:
                found += finding.evidence
    headers = message.headers
    if headers is None:
        return found
    named = headers.by_name()
    for name, says_spam in _INBOUND_VERDICTS:
        for header in named.get(name, ()):
            if says_spam(header.value[:2000]):
                found.append(Evidence(header.name, header.value))
                break
    return found


def spam_tag(subject: str | None) -> str | None:
    """The spam tag ("[SPAM]", "***SPAM***") kept after the reply prefix of ``subject``, if any."""
    if not subject:
        return None
    tagged = _TAGGED_REPLY.match(subject[:200])
    return tagged["tag"] if tagged else None


def message_key(message_id: str | None) -> str | None:
    """A Message-ID as replies name it: without angle brackets, lower-cased."""
    if not message_id:
        return None
    found = _MESSAGE_ID.search(message_id[:2000])
    key = found.group(1) if found else message_id.strip().strip("<>")
    return key.lower() or None


def answered_ids(message: Message) -> list[str]:
    """The Message-IDs ``message`` answers: In-Reply-To first, then References from the newest."""
    headers = message.headers
    if headers is None:
        return []
    named = headers.by_name()
    keys: list[str] = []
    for header in named.get("in-reply-to", ()):
        keys += _MESSAGE_ID.findall(header.value[:20000])
    for header in named.get("references", ()):
        keys += reversed(_MESSAGE_ID.findall(header.value[:100000]))
    return list(dict.fromkeys(key.lower() for key in keys))[:MAX_ANSWERED]
