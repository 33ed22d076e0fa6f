"""The sending side of a Received line: the HELO name, the reverse DNS name, the address and the ident.

Servers disagree on what the word after "from" is. Postfix, Sendmail, Gmail and
Exchange write the client's HELO there and the verified name and address in
the comment ("from helo (rdns [ip])"); Exim, qmail and ZMailer write the
verified name there and the HELO inside the comment ("from rdns (helo=x)
([ip])", "from rdns (HELO x) (ip)"). ``from_parts`` reads the "from" word and
its comments the way the server family writes them.
"""

from __future__ import annotations

import re

from tui.core.ipaddr import normalise_ip

# "rdns [ip]", "user@rdns [ip]:port", "[ip]:port helo=x": what most servers put
# in the first "from" comment.
_HOST_AND_IP = re.compile(
    # qmail's "(HELO [1.2.3.4])" is a greeting, not "name [address]".
    # Exim's "(helo=[1.2.3.4])" is a greeting too: no name holds "=".
    r"(?:(?P<ident>[^\s@\[\]()]++)@)?(?:(?!(?:HE|EH|LH)LO\s)(?P<rdns>[^\s@\[\]()=]++)\s*+)?"
    r"\[(?P<ip>[^\]\s]++)\](?P<port>:\d++)?"
)
# "HELO name", "EHLO name", LMTP's "LHLO name" (qmail, GMX, ZMailer's quoted form) or Exim's "helo=name";
# an empty "(HELO )" is a client that greeted with nothing.
_HELO = re.compile(r"(?:\b(?:HE|EH|LH)LO\s++\"?|\bhelo=)(?P<helo>[^\s\")]*+)", re.IGNORECASE)
_IDENT = re.compile(r"\bident=(?P<ident>[^\s)]++)")

# What servers write in the reverse-name slot when there is none: Postfix
# "unknown", OpenSMTPD "<unknown>", Clearswift and Content Technologies "unverified".
_NO_NAME = ("unknown", "<unknown>", "unverified")


def _rdns(name: str | None) -> str | None:
    if not name or name.lower() in _NO_NAME:
        return None
    if name[-1].isdigit() and normalise_ip(name) is not None:
        # Zoho and others repeat the address when it has no name.
        return None
    return name.rstrip(".") or None


def _before_comma(text: str) -> str:
    """The first word of ``text`` when a comma ends it ("1.2.3.4, HELO name"), else ""."""
    word = text.partition(" ")[0]
    return word[:-1] if word.endswith(",") else ""


def is_literal(word: str) -> bool:
    return word.startswith("[") or normalise_ip(word) is not None


# Families that write the verified name after "from" even with no HELO comment.
_NAME_FIRST = ("exim", "zmailer")
# Families whose "from NAME (IP)" is the HELO and the address, with no reverse name.
_HELO_FIRST = ("exchange", "scalix")

FromClause = tuple[str | None, str | None, str | None, str | None, bool]


def from_parts(
    first: str | None, comments: list[str], extra_ip: str | None, family: str | None, local: bool
) -> FromClause:
    """HELO name, reverse DNS name, IP and ident from the "from" word, its comments (without
    parentheses) and a bare address after them; and whether the line looks like qmail's."""
    if family == "exim" and local:
        # Exim's local submissions write the login name where a host would be.
        return None, None, None, first, False

    helo = rdns = ip = ident = None
    rdns_slot = port = bare_ip = helo_word = False
    for comment in comments:
        if family == "communigate" and comment.startswith("account "):
            # CommuniGate: the login, then the address or the HELO.
            comment = comment[8:].partition(" ")[2]
        if comment.startswith("[unknown] "):
            # Sun Java System Messaging Server: "([unknown] [1.2.3.4])", no reverse name.
            comment = comment[10:]
            rdns_slot = True
        if ip is None:
            found = _HOST_AND_IP.match(comment)
            if found:
                found_ident, found_rdns, found_ip, found_port = found.groups()
                ip = normalise_ip(found_ip)
                if ip is not None:
                    ident = found_ident
                    rdns_slot = found_rdns is not None
                    rdns = found_rdns
                    port = found_port is not None
                    if (
                        family == "communigate" and not rdns_slot and comment.endswith("] verified")
                        and first and not is_literal(first)
                    ):
                        # CommuniGate checked that the "from" word resolves to this address.
                        rdns_slot, rdns = True, first
            elif " " not in (bare := comment.lstrip()):
                # Exchange "(1.2.3.4)", qmail "(1.2.3.4)" or "(user@1.2.3.4)", Sendmail "(localhost)",
                # Scalix "( 1.2.3.4)".
                who, _, tail = bare.rpartition("@")
                ip = normalise_ip(tail)
                if ip is not None:
                    bare_ip = True
                    ident = who or None
                elif not who and not rdns_slot and "=" not in tail:
                    if family not in _NAME_FIRST:
                        rdns_slot, rdns = True, tail
                    elif helo is None:
                        # Exim 3: "from rdns (helo) [ip]:port (ident)".
                        helo = tail
                    elif ident is None:
                        ident = tail
            elif (word := _before_comma(bare)) and (found_ip := normalise_ip(word)):
                # smap: "(1.2.3.4, HELO name)".
                ip, bare_ip = found_ip, True
        if helo is None and ("LO" in comment or "elo" in comment):
            found = _HELO.search(comment)
            if found:
                helo = found.group("helo")
                helo_word = found.group(0)[:5] == "HELO "
        if ident is None and "ident=" in comment:
            found = _IDENT.search(comment)
            if found:
                ident = found.group("ident")

    if helo is not None or (not rdns_slot and (port or bare_ip and family not in _HELO_FIRST or family in _NAME_FIRST)):
        # The "from" word is the verified host name (or the bare address);
        # the HELO, when it differed, is in the comment. qmail and its kin
        # write "from NAME (IP)" or "from NAME (ident@IP)" when the HELO was
        # the same name; Exchange's and Scalix's "from NAME (IP)" is the HELO.
        if not rdns_slot and first is not None and not is_literal(first):
            rdns = first
        from_helo = helo if helo is not None else first
    else:
        from_helo = first
    if from_helo is not None and (not from_helo or from_helo.lower() == "unknown"):
        from_helo = None
    if ip is None and first is not None and is_literal(first):
        ip = normalise_ip(first)
    return from_helo, _rdns(rdns), ip or extra_ip, ident, helo_word and bare_ip


