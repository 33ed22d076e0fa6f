"""Mail addresses and domains as the analysis compares them: the address in a header, its domain,
the organisation (registrable domain) behind it, and the sender hidden in an SRS address.

The same few addresses recur message after message, so what is read from a short text is
remembered.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The look-behind lets a local part start only where a run of its characters
# starts, and the repeats are bounded: a long run without "@" is then scanned
# once instead of once from every position in it.
_LOCAL = r"\w.!#$%&'*+/=?^`{|}~-"
_ADDR_SPEC = rf"[{_LOCAL}]{{1,64}}@[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{0,12}}"
ADDRESS = re.compile(rf"(?<![{_LOCAL}]){_ADDR_SPEC}")
_BARE_ADDRESS = re.compile(_ADDR_SPEC)
# Host names, mail program names, display names and addresses recur from one
# message to the next, so what is read from them is remembered, for texts up
# to this length.
CACHED_TEXT = 1000

# Second-level labels under which a country registry hands out names
# (example.co.uk, example.com.br): the organisation is one label further left.
_SECOND_LEVEL = frozenset(
    "co com net org gov gouv edu ac ltd plc me ne or go asso nom gv mil sch nic info biz".split()
)


def address_of(text: str | None) -> str | None:
    """The mail address in ``text`` ("Name <a@b>" or "a@b"), lower-cased, or None."""
    if not text:
        return None
    # The same addresses come back message after message (the account, its
    # correspondents, the servers' bounce addresses); long texts are not kept.
    return _address_in(text) if len(text) <= CACHED_TEXT else _address_in.__wrapped__(text)


@lru_cache(maxsize=4096)
def _address_in(text: str) -> str | None:
    # Parsers mostly hand over bare addresses already: check that first.
    if len(text) <= 320 and (bare := _BARE_ADDRESS.fullmatch(text.strip(" \t<>"))):
        return bare.group(0).lower().strip(".")
    bracket = text.rfind("<")
    match = ADDRESS.search(text, bracket + 1) if bracket >= 0 else None
    match = match or ADDRESS.search(text)
    return match.group(0).lower().strip(".") if match else None


def domain_of(address: str | None) -> str | None:
    """The domain part of an address (or of a bare domain), lower-cased."""
    if not address:
        return None
    domain = address.rpartition("@")[2].strip(" .<>[]").lower()
    return domain or None


@lru_cache(maxsize=4096)
def organisation_domain(domain: str | None) -> str | None:
    """The registrable part of ``domain``, roughly: mail.shop.example.co.uk -> example.co.uk."""
    if not domain:
        return None
    labels = [label for label in domain.lower().strip(".").rsplit(".", 3) if label]
    if len(labels) < 2:
        return ".".join(labels) or None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def same_organisation(a: str | None, b: str | None) -> bool:
    """Whether two domains (or addresses) belong to the same registrable domain."""
    left = organisation_of(a)
    return left is not None and left == organisation_of(b)


def organisation_of(text: str | None) -> str | None:
    """The registrable domain of an address or domain, remembered for the short texts that recur."""
    if not text:
        return None
    return _organisation_in(text) if len(text) <= CACHED_TEXT else _organisation_in.__wrapped__(text)


@lru_cache(maxsize=4096)
def _organisation_in(text: str) -> str | None:
    return organisation_domain(domain_of(text))


def unwrap_srs(address: str) -> str | None:
    """The original sender hidden in an SRS address (SRS0=h=tt=domain=local@fwd), or None."""
    if address[:3].upper() != "SRS":
        return None
    local, _, _ = address.partition("@")
    upper = local[:5].upper()
    if upper.startswith("SRS1") and "==" in local:
        parts = local.split("==", 1)[1].split("=", 3)
        parts = ["SRS0", *parts]
    elif upper.startswith("SRS0"):
        parts = local.split("=", 4)
    else:
        return None
    if len(parts) < 5 or not parts[3] or not parts[4]:
        return None
    return f"{parts[4]}@{parts[3]}".lower()


@lru_cache(maxsize=4096)
def within(address: str, organisation: str | None) -> bool:
    """Whether ``address`` is at ``organisation`` or one of its sub-domains."""
    # Remembered: the account's own addresses and its correspondents recur.
    domain = domain_of(address)
    return bool(domain and organisation) and (domain == organisation or domain.endswith("." + organisation))
