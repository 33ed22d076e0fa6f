"""Question 1, who it pretends to be: a Reply-To on another domain, and a sender name that shows
another address, another domain or a well-known brand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.core.addresses import CACHED_TEXT, address_of, domain_of, organisation_domain, same_organisation
from tui.core.findings.facts import NAME_LIMIT, Facts, make_finding, shorten
from tui.core.findings.ids import FindingId
from tui.core.results import Finding

# Names phishing borrows, as the words they are written with. Ordinary words
# that are also brands (orange, booking, bank) would flag honest senders.
_BRANDS = tuple(tuple(brand.split()) for brand in (
    "paypal", "apple", "icloud", "microsoft", "outlook", "office 365", "amazon", "netflix", "dhl",
    "fedex", "la poste", "colissimo", "chronopost", "ovh", "ovhcloud", "google", "gmail",
    "facebook", "instagram", "whatsapp", "linkedin", "docusign", "dropbox", "wetransfer", "binance",
    "coinbase", "kraken", "kucoin", "metamask", "opensea", "ameli", "impots", "crédit agricole",
    "credit agricole", "société générale", "societe generale", "bnp", "adobe", "norton", "mcafee",
    "spotify", "airbnb", "ebay", "mastercard", "american express", "wells fargo", "hsbc",
    "santander", "revolut",
))
_WORDS = re.compile(r"[^\W_]+")
# A domain written into a display name ("Opensea.IO", "support@bank.com").
_NAME_DOMAIN = re.compile(
    r"\b[a-z0-9-]{1,63}\.(com|net|org|io|co|fr|de|uk|info|biz|es|it|nl|be|ch|eu|us|app|"
    r"online|shop|xyz|ru|cn|br|ca|au|me)\b",
    re.IGNORECASE,
)


def _list_address(facts: Facts, address: str) -> bool:
    """Whether ``address`` belongs to the mailing list that delivered the message."""
    # Lists that set Reply-To to themselves are the usual case, not a scam.
    for name in ("list-post", "list-id"):
        for header in facts.values(name):
            value = header.value[:NAME_LIMIT]
            listed = value[value.rfind("<") + 1:].partition(">")[0].removeprefix("mailto:")
            if same_organisation(address, listed):
                return True
    return False


def reply_to_and_names(facts: Facts, found: list[Finding]) -> None:
    sender = facts.from_address
    if not sender:
        return
    reply_to = facts.message.reply_to
    if not reply_to and (written := facts.by_name.get("reply-to")):
        reply_to = written[0].value
    reply_to = address_of(reply_to) if reply_to else None
    if reply_to and not same_organisation(sender, reply_to) and not _list_address(facts, reply_to):
        found.append(make_finding(
            FindingId.REPLY_TO_OTHER_DOMAIN, "warning",
            f"Replies would go to {domain_of(reply_to)}, not {domain_of(sender)}",
            f"The Reply-To header sends answers to {reply_to}, on a different domain from the "
            f"sender's address {sender}. Scammers do this so that their victims' replies reach "
            "them. If you did not set this reply address yourself, the message was not written by you.",
            [facts.quote("reply-to"), facts.quote("from")], question=1,
        ))
    display = facts.from_display
    if display and (from_domain := facts.from_organisation):
        trick = (_display_trick if len(display) <= CACHED_TEXT else _display_trick.__wrapped__)(
            display, sender, from_domain
        )
        if trick:
            found.append(make_finding(
                FindingId.DISPLAY_NAME_DECEPTIVE, "warning", f"Sender name shows {trick}",
                f"The sender's name reads \"{shorten(display)}\" but the real address is {sender}. "
                "Showing a well-known brand or another address as the name while sending from an "
                "unrelated domain is a classic phishing trick. If you did not write this message, "
                "it was not you.",
                [facts.quote("from")], question=1,
            ))


@lru_cache(maxsize=1024)
def _display_trick(display: str, sender: str, from_domain: str) -> str | None:
    """What a sender name shows to pass for someone else (another address, domain or a brand), if anything."""
    shown = address_of(display)
    if shown and shown != sender:
        return f"another address ({shown})"
    for match in _NAME_DOMAIN.finditer(display[:500]):
        if organisation_domain(match.group(0)) != from_domain:
            return f"another domain ({match.group(0)})"
    words = set(_WORDS.findall(display[:500].lower()))
    brand = next((b for b in _BRANDS if words.issuperset(b)), None)
    if brand:
        word = "".join(brand)
        label = from_domain.split(".")[0]
        # "OVHcloud <x@ovh.com>" is the brand's own domain, not a disguise.
        if word not in (domain_of(sender) or "").replace(".", "").replace("-", "") and label not in word:
            lowered = display.lower()
            start = max(lowered.find(brand[0]), 0)
            end = lowered.find(brand[-1], start) + len(brand[-1])
            return f"the name {display[start:end]}"
    return None
