"""Question 1, from what kind of network: a hosting company's rented server, or a home, office or
mobile line, told by the origin's reverse DNS and greeting names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.core.findings.facts import HOST_LIMIT, Facts, ip_listed, make_finding
from tui.core.findings.ids import FindingId
from tui.core.results import Finding

# Hosting companies by the tail of their machines' names.
_HOSTING_SUFFIXES = tuple("." + suffix for suffix in (
    "vps.ovh.net", "vps.ovh.ca", "vps.ovh.us", "kimsufi.com", "your-server.de", "hetzner.com",
    "hetzner.de", "hetzner.cloud", "linode.com", "linodeusercontent.com", "digitalocean.com",
    "amazonaws.com", "contaboserver.net", "contabo.net", "contabo.host", "vultr.com",
    "vultrusercontent.com", "choopa.net", "googleusercontent.com", "cloudapp.net",
    "cloudapp.azure.com", "scw.cloud", "scaleway.com", "leaseweb.net", "hostinger.com",
    "hostwindsdns.com", "ionos.com",
))
# Host names are judged by their letter runs ("vps-3f9a21c7" -> vps, f, a, c):
# set look-ups instead of one long alternation tried at every position.
_LETTERS = re.compile(r"[a-z]+")
_HOSTING_WORDS = frozenset("vps vds server srv cloud dedi dedicated hosted hosting".split())
_HOSTING_MARKS = ("linode", "digitalocean", "hetzner", "contabo", "vultr", "amazonaws")
_OVH_DEDICATED = re.compile(r"(?:^|\.)(?:ns\d{1,9}\.)?ip-\d{1,3}-\d{1,3}-\d{1,3}\.(?:eu|net|us)$")

# Home, office and mobile lines: access providers name them after the line type.
_RESIDENTIAL_SUFFIXES = tuple("." + suffix for suffix in (
    "proxad.net", "wanadoo.fr", "sfr.net", "numericable.fr", "bbox.fr", "t-ipconnect.de",
    "comcast.net", "rr.com", "verizon.net", "btcentralplus.com", "virginm.net", "telenet.be",
    "skynet.be", "ziggo.nl", "mchsi.com", "sbcglobal.net", "att.net", "cox.net", "charter.com",
))
_RESIDENTIAL_WORDS = frozenset(
    "dsl adsl vdsl sdsl xdsl dyn dynamic dynip dial dialup pool pools dhcp cable kabel ppp pppoe "
    "fibre fiber ftth fttx customer customers cust broadband bredband cpe abo subs res hsd dip fbx "
    "mobile user users".split()
)
_RESIDENTIAL_MARKS = ("static-ip", ".rev.")
_EMBEDDED_IP = re.compile(r"\d{1,3}[.\-_]\d{1,3}[.\-_]\d{1,3}[.\-_]\d{1,3}")


def _matches_suffix(host: str, suffixes: tuple[str, ...]) -> bool:
    """Whether ``host`` is one of ``suffixes`` (written with a leading dot) or under one."""
    return ("." + host).endswith(suffixes)


def _embeds_ip(host: str, ip: str | None) -> bool:
    if not ip or ip.count(".") != 3:
        return False
    octets = ip.split(".")
    forms = ("-".join(octets), ".".join(octets), "-".join(reversed(octets)), ".".join(reversed(octets)))
    try:
        numbers = [int(o) for o in octets]
    except ValueError:
        return False
    # Also written as hex (p5B0C1234) or zero-padded (086071012004).
    forms += ("".join(f"{n:02x}" for n in numbers), "".join(f"{n:03d}" for n in numbers))
    return any(form in host for form in forms)


@lru_cache(maxsize=4096)
def _is_hosting(host: str, reverse: bool) -> bool:
    """Whether ``host`` names a hosting company's machine.

    Words like "server" only count in a ``reverse`` DNS name, which the network
    gives: an office PC may well call itself "SERVER" in its greeting.
    """
    return bool(
        _matches_suffix(host, _HOSTING_SUFFIXES) or any(mark in host for mark in _HOSTING_MARKS)
        or _OVH_DEDICATED.search(host)
        or (reverse and not _HOSTING_WORDS.isdisjoint(_LETTERS.findall(host)))
    )


@lru_cache(maxsize=4096)
def _is_residential(host: str, ip: str) -> bool:
    words = _LETTERS.findall(host)
    return bool(words) and bool(
        _matches_suffix(host, _RESIDENTIAL_SUFFIXES) or not _RESIDENTIAL_WORDS.isdisjoint(words)
        or any(mark in host for mark in _RESIDENTIAL_MARKS) or _EMBEDDED_IP.search(host)
        or _embeds_ip(host, ip)
    )


def origin_network(facts: Facts, found: list[Finding]) -> None:
    origin = facts.message.origin
    if origin is None or not origin.ip:
        return
    hop = facts.hop(origin.hop_index)
    rdns = origin.rdns or (hop.from_rdns if hop else None)
    rdns = rdns[:HOST_LIMIT].strip().lower().rstrip(".") if rdns else ""
    helo = origin.helo or (hop.from_helo if hop else None)
    helo = helo[:HOST_LIMIT].strip().lower().rstrip(".") if helo else ""
    if rdns and not rdns.startswith("[") and _is_hosting(rdns, True):
        hosting = rdns
    elif helo and not helo.startswith("[") and _is_hosting(helo, False):
        hosting = helo
    else:
        hosting = None
    if not hosting and not (rdns and _is_residential(rdns, origin.ip)):
        return
    expected_ip = bool(facts.ips) and ip_listed(origin.ip, facts.ips)
    if hosting:
        evidence = facts.quote_hop(hop) or facts.quote("received", hosting)
        found.append(make_finding(
            FindingId.ORIGIN_HOSTING, "info" if expected_ip else "warning",
            "Sent from a rented server, not from a home or office",
            f"The message came from {hosting} ({origin.ip}), a machine at a hosting company (a "
            "rented or cloud server). People do not write email on such machines; spammers use "
            "them with stolen passwords. Unless your website or one of your applications sends "
            "mail through this mailbox, someone else sent it.",
            [evidence], question=1, hop_index=origin.hop_index,
        ))
        return
    at_home = (origin.country or "").strip().upper() in facts.countries
    evidence = facts.quote_hop(hop) or facts.quote("received", rdns)
    found.append(make_finding(
        FindingId.ORIGIN_RESIDENTIAL, "info" if (expected_ip or at_home) else "warning",
        "Sent from a home or mobile internet connection",
        f"The sending computer's network name, {rdns}, belongs to a home, office or mobile "
        "internet line (broadband, DSL, fibre or cable). That is normal when you send from "
        "home or the office; it is also where virus-infected computers send spam from. If it "
        "was sent from your country and your provider, it is probably you; if not, treat it "
        "as someone else.",
        [evidence], question=1, hop_index=origin.hop_index,
    ))
