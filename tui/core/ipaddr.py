"""IP addresses as mail headers write them: normalised, judged public or not, placed in a country.

Headers dress addresses up ("[1.2.3.4]", "[IPv6:2001:db8::1]", "[1.2.3.4]:45968",
"::ffff:1.2.3.4", "fe80::1%eth0"); everything else in unblock compares the bare
canonical form that the stdlib ``ipaddress`` module prints. Countries come from
the offline ``iptocc`` database, so looking one up never touches the network.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

import iptocc

# Cheap shape check before ipaddress does the real validation: most strings
# handed in are host names, queue ids or version numbers, and rejecting them
# here is several times faster than letting ipaddress raise.
_LOOKS_LIKE_IP = re.compile(r"[0-9A-Fa-f:.]{2,45}")
# A dotted quad without leading zeros is already in canonical form, so the
# common case needs no ipaddress object at all.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# The port may follow a colon or, as old Exim writes it, a fifth dot ("1.2.3.4.5678").
_IPV4 = re.compile(rf"((?:{_OCTET}\.){{3}}{_OCTET})(?:[:.]\d{{1,5}})?")


@lru_cache(maxsize=8192)
def normalise_ip(text: str) -> str | None:
    """The canonical form of the address written in ``text``, or None when it is not one.

    Brackets, an "IPv6:" tag, a ":port" after a bracket (or after a bare IPv4, or
    written as a fifth number),
    a "%zone" suffix and the IPv4-mapped "::ffff:" prefix are dropped. IPv4 with
    leading zeros ("000.11.222.33") and dotted version numbers ("15.1.2507.16")
    are refused.
    """
    text = text.strip()
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            return None
        rest = text[close + 1 :]
        if rest and not (rest[0] == ":" and rest[1:].isdigit()):
            return None
        text = text[1:close].strip()
    if text[:5].lower() == "ipv6:":
        text = text[5:]
    zone = text.find("%")
    if zone >= 0:
        text = text[:zone]
    ipv4 = _IPV4.fullmatch(text)
    if ipv4:
        return ipv4.group(1)
    if ":" not in text or not _LOOKS_LIKE_IP.fullmatch(text):
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


@lru_cache(maxsize=8192)
def is_public(ip: str) -> bool:
    """True when ``ip`` is a globally routable unicast address.

    Private, loopback, link-local, reserved, multicast, unspecified, shared
    (100.64/10) and documentation ranges are not public.
    """
    canonical = normalise_ip(ip)
    if canonical is None:
        return False
    address = ipaddress.ip_address(canonical)
    # ipaddress counts multicast (224/4, ff00::/8) as global; a mail client never sends from one.
    return address.is_global and not address.is_multicast


@lru_cache(maxsize=8192)
def country_of(ip: str) -> str | None:
    """The ISO 3166 country code of a public ``ip``, or None when private or unknown."""
    canonical = normalise_ip(ip)
    if canonical is None or not is_public(canonical):
        return None
    code = iptocc.country_code(canonical)
    return code.upper() if code else None
