"""What every message carries and hand-built spam forgets: a Message-ID (made by the sender's
own domain or provider) and a readable Date.
"""

from __future__ import annotations

from tui.core.addresses import domain_of, organisation_of
from tui.core.findings.facts import Facts, make_finding, shorten
from tui.core.findings.ids import FindingId
from tui.core.results import Finding

# Message-ID domains that big providers put on their users' mail: a mismatch
# with the From domain is their normal behaviour, not a sign of forgery.
_PROVIDER_ID_DOMAINS = tuple("." + domain for domain in (
    "outlook.com", "office365.com", "exchangelabs.com", "microsoft.com", "hotmail.com",
    "gmail.com", "google.com", "googlemail.com", "mail.ovh.net", "ovh.net", "ovh.com",
    "ovhcloud.com", "yahoo.com", "yahoo.fr", "apple.com", "icloud.com",
))


def identity_headers(facts: Facts, found: list[Finding]) -> None:
    message = facts.message
    if not message.from_ and not facts.value("from"):
        return  # a partial paste (a few X- lines) is not a message missing its headers
    message_id = (message.message_id or facts.value("message-id") or "").strip()
    if not message_id:
        found.append(make_finding(
            FindingId.MESSAGE_ID_MISSING, "notice", "No Message-ID",
            "Every message normally carries a unique identifier (Message-ID), added by the program "
            "that writes it or by the first server. This one has none, which is typical of spam "
            "software that builds messages by hand.",
            [facts.quote("message-id")],
        ))
    elif foreign := _foreign_message_id(facts, message_id):
        found.append(foreign)
    if message.date is None:
        date_value = facts.value("date")
        if date_value and date_value.strip():
            found.append(make_finding(
                FindingId.DATE_UNREADABLE, "notice", "The Date header cannot be read",
                f"The Date header reads \"{shorten(date_value)}\", which is not a valid date. Mail "
                "programs write dates correctly; spam software often gets them wrong.",
                [facts.quote("date")],
            ))
        else:
            found.append(make_finding(
                FindingId.DATE_MISSING, "notice", "No Date header",
                "Every message normally says when it was written (the Date header). This one does "
                "not, which is typical of spam software that builds messages by hand.",
                [facts.quote("date")],
            ))


def _foreign_message_id(facts: Facts, message_id: str) -> Finding | None:
    sender = facts.from_address
    if not sender or "@" not in message_id:
        return None
    # The domain after the last "@", as domain_of reads it.
    id_domain = message_id.strip("<>").rpartition("@")[2].strip(" .<>[]").lower()
    if not id_domain:
        return None
    organisation = organisation_of(id_domain)
    if organisation is not None and organisation == facts.from_organisation:
        return None
    if ("." + id_domain).endswith(_PROVIDER_ID_DOMAINS) or id_domain.endswith(".local"):
        return None
    sender_domain = domain_of(sender)
    return make_finding(
        FindingId.MESSAGE_ID_FOREIGN, "notice", f"Message-ID made by {id_domain}, not {sender_domain}",
        f"The message's identifier (Message-ID) was made by a machine calling itself {id_domain}, "
        f"while the sender's address is at {sender_domain}. Mail programs normally use the "
        "sender's domain or their mail provider's name, so the message was probably produced by "
        "other software than the sender's usual mail program, as spam tools do.",
        [facts.quote("message-id")],
    )
