"""Received headers read into Hops: who handed the message to whom, when, and how.

A Received value is a run of clauses ("from", "by", "via", "with", "id", "for")
carrying words and parenthesised comments, then ";" and a date. Every mail
server fills the clauses in its own way: the "from" word is the HELO name for
Postfix, Sendmail, Gmail and Exchange but the verified reverse DNS name for
Exim, qmail and ZMailer, which write the HELO inside the comment. The parser
cuts the value into words and whole comments with one regex, groups them by
clause, recognises the server family from the "by" and "with" comments, the
protocol and the id, then reads the "from" clause the way that family writes it.

Only the first 4 KB before the date are parsed (and the 300 characters after
the last ";" for the date): a real header is far shorter, and the cap keeps a
crafted 100 KB value as cheap as a normal one. ``Hop.raw`` keeps the whole
value. Addresses are only ever taken from the "from" clause, so queue ids and
Exchange version numbers ("id 15.1.2507.16") are never mistaken for IPs.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from tui.core.dates import parse_date
from tui.core.ipaddr import country_of, normalise_ip
from tui.core.model import Hop

MAX_PARSED = 4096
_MAX_DATE = 300

# A comment nests up to three levels, as in Postfix's
# "(using TLSv1.3 with cipher X (256/256 bits) ...)" or Sendmail's
# "(host [ip] (may be forged))". Possessive runs keep every pattern here linear.
_COMMENT_1 = r"\([^()]*+\)"
_COMMENT_2 = r"\((?:[^()]++|" + _COMMENT_1 + r")*+\)"
_COMMENT = r"\((?:[^()]++|" + _COMMENT_2 + r")*+\)"
# A value is a run of words and whole comments; a stray "(" is skipped. The
# text between comments is matched in one piece and split into words by
# str.split (the same blanks as \s): one match per stretch, not per word.
_CHUNK = re.compile(_COMMENT + r"|[^()]++")
_KEYWORDS = {
    spelling: word
    for word in ("from", "by", "via", "with", "id", "for")
    for spelling in (word, word.upper(), word.capitalize())
}

# "rdns [ip]", "user@rdns [ip]:port", "[ip]:port helo=x": what most servers put
# in the first "from" comment.
_HOST_AND_IP = re.compile(
    # qmail's "(HELO [1.2.3.4])" is a greeting, not "name [address]".
    r"(?:(?P<ident>[^\s@\[\]()]++)@)?(?:(?!(?:HE|EH)LO\s)(?P<rdns>[^\s@\[\]()]++)\s*+)?"
    r"\[(?P<ip>[^\]\s]++)\](?P<port>:\d++)?"
)
# "HELO name", "EHLO name" (qmail, GMX, ZMailer's quoted form) or Exim's "helo=name";
# an empty "(HELO )" is a client that greeted with nothing.
_HELO = re.compile(r"(?:\b(?:HE|EH)LO\s++\"?|\bhelo=)(?P<helo>[^\s\")]*+)", re.IGNORECASE)
_IDENT = re.compile(r"\bident=(?P<ident>[^\s)]++)")

# Where each server family writes its TLS details, found by a literal marker
# first: a plain find is many times cheaper than searching with a regex.
_TLS_SHAPES = (
    ("using ", re.compile(r"using\s++(?P<v>(?:TLS|SSL)[^\s()]*+)\s++with\s++cipher\s++(?P<c>[^\s()]++)", re.I)),
    ("version=", re.compile(r"version=(?P<v>(?:TLS|SSL)[^\s,;)]*+)[,\s]\s*+cipher=(?P<c>[^\s,;)]++)", re.I)),
    # Exim "(TLS1.3) tls CIPHER", older Exim and OpenSMTPD "(TLSv1.2:CIPHER:256)".
    (
        "(TLS",
        re.compile(r"\((?P<v>TLSv?[\d._]*+)(?::(?P<c>[^\s:()]++)[^\s()]*+)?\)(?:\s*+tls\s++(?P<c2>[^\s()]++))?", re.I),
    ),
    ("TLS: ", re.compile(r"TLS:\s*+(?P<v>[^\s,()]++),[^,()]*+,(?P<c>[^\s,()]++)")),
)
# Inside a comment: Postfix "(Authenticated sender: x)", Courier "(AUTH: LOGIN x, ...)",
# SquirrelMail "(SquirrelMail authenticated user x)", Sendmail "(authenticated bits=0)",
# qpsmtpd "(smtp-auth username x, mechanism cram-md5)".
# Opening with a literal "(" lets the search skip ahead to it.
_AUTH = re.compile(
    r"\([^()]*?\b(?:authenticated[\s_-](?:sender|user|as|id)|auth:\s*+[\w-]++|smtp-auth\s++username)"
    r"[:\s]\s*+<?(?P<who>[^\s()<>,]++)"
    r"|\([^()]*?\b(?P<bare>authenticated)\b",
    re.IGNORECASE,
)
_OPENSMTPD_USER = re.compile(r"auth=yes\s++user=(?P<who>[^\s()]++)")
# CommuniGate Pro names the logged-in account first in the "from" comment:
# "(account user@example.com HELO pc)", "(account user@example.com [ip] verified)".
_ACCOUNT = re.compile(r"\(account\s++(?P<who>[^\s()\[\]]++)")
_ENVELOPE_FROM = re.compile(r"\(envelope-(?:from|sender)\s++<?(?P<who>[^\s<>()]*+)", re.IGNORECASE)
# RFC 3848 protocol names ("ESMTPSA"), Gmail's "SMTPSA", Exim's lower case;
# a leading "A" is authenticated SMTP (IceWarp, VisNetic, old Exim "asmtp").
_PROTOCOL = re.compile(r"(?:(?P<pre>a)|e|utf8)?(?:smtp|lmtp)(?P<tls>s?)(?P<auth>a?)", re.IGNORECASE)

_SENDMAIL_VERSION = re.compile(r"\d+\.\d+[\w.+-]*/")
_EXIM_ID = re.compile(r"[0-9A-Za-z]{4,6}-[0-9A-Za-z]{4,11}-[0-9A-Za-z]{2,4}")
_DOVECOT_ID = re.compile(r"[A-Za-z0-9+/]{22}")
# Gmail ids end with the time of receipt: "...sm1459628a91.11.2025.02.12.05.30.32".
_GMAIL_ID = re.compile(r"\.\d{4}(?:\.\d\d){5}$")
_GOOGLE_HOSTS = ("google.com", "gmail.com", "googlemail.com")

# Families named by the software itself in a "by" or "with" comment, first match wins.
_NAMED_FAMILIES = (
    ("postfix", "postfix"),
    ("exim", "exim"),
    ("communigate", "communigate"),
    ("domino", "domino"),
    ("sendmail", "sendmail"),
    ("opensmtpd", "opensmtpd"),
    ("mdaemon", "mdaemon"),
    ("courier", "courier"),
    ("microsoft", "exchange"),
    ("fetchmail", "fetchmail"),
    ("kerio", "kerio"),
    ("icewarp", "icewarp"),
    ("haraka", "haraka"),
)


def _words_and_notes(items: list[str]) -> tuple[list[str], str]:
    """A clause's words up to the first comment after them ("Microsoft SMTP Server"), and its comments joined.

    qmail's TLS patch and qpsmtpd put a comment first: "with (AES256-SHA encrypted) SMTP".
    """
    words: list[str] = []
    notes: list[str] = []
    for item in items:
        if item[0] == "(":
            notes.append(item[1:-1])
        elif not notes or (not words and len(notes) == 1):
            words.append(item)
    return words, " ".join(notes)


def _first_word_and_notes(items: list[str] | None) -> tuple[str | None, str]:
    """What _first_word reads from a clause, and the clause's comments joined."""
    first = None
    seen_word = False
    notes: list[str] = []
    for item in items or ():
        if item[0] == "(":
            notes.append(item[1:-1])
        elif not seen_word:
            seen_word = True
            first = item.strip("<>,;") or None
    return first, " ".join(notes)


def _first_word(items: list[str] | None, strip: bool = True) -> str | None:
    if items:
        for item in items:
            if item[0] != "(":
                return (item.strip("<>,;") if strip else item) or None
    return None


def _recipient(word: str | None) -> str | None:
    """The "for" word without its brackets; None for a phrase such as "<multiple recipients>"."""
    if word is None or ("<" in word and ">" not in word):
        return None
    return word.strip("<>,;") or None


@lru_cache(maxsize=256)
def _protocol_flags(protocol: str) -> tuple[bool, bool, bool]:
    """Whether the "with" word says TLS, says a login, and says a local pickup (a handful of words recur)."""
    flags = _PROTOCOL.fullmatch(protocol)
    low = protocol.lower()
    return (
        bool(flags and flags.group("tls")),
        bool(flags and (flags.group("auth") or flags.group("pre"))),
        low in ("stdio", "local") or low.startswith("local-"),
    )


def _family(
    by: str | None, with_low: str, via: str | None, queue_id: str | None, by_notes: str, with_notes: str, low: str
) -> str | None:
    """The server family that wrote this line, when it says so or its habits give it away.

    ``with_low`` is the "with" clause's words, lower-cased ("esmtps", "microsoft smtp server").
    """
    family = _named_family(by_notes + " " + with_notes)
    if family is not None:
        return family
    if "microsoft" in with_low or with_low == "mapi" or (via or "").lower().endswith(" transport"):
        return "exchange"
    # "(qmail 123 invoked ...)", "(qmail-ldap-1.03)", "with qmail-scanner": never a
    # host name such as "drhqmail201.example.com".
    if "(qmail" in low or "qmail" in with_low:
        return "qmail"
    if _SENDMAIL_VERSION.match(by_notes):
        return "sendmail"
    by_low = (by or "").lower().rstrip(".")
    if by_low.endswith(_GOOGLE_HOSTS) or by_low.startswith("2002:a") or (queue_id and _GMAIL_ID.search(queue_id)):
        return "gmail"
    if with_low == "https" and by_low.endswith(("outlook.com", "exchangelabs.com")):
        return "exchange"
    if "rhost-flags" in low or "listexpand" in low:
        return "zmailer"
    if queue_id and _EXIM_ID.fullmatch(queue_id):
        return "exim"
    if queue_id and _DOVECOT_ID.fullmatch(queue_id) and ("(envelope-" in low or with_low.startswith("lmtp")):
        return "dovecot"
    return None


@lru_cache(maxsize=1024)
def _named_family(notes: str) -> str | None:
    """The family the "by" and "with" comments name, if any; the same few comments recur from hop to hop."""
    notes = notes.lower()
    for word, family in _NAMED_FAMILIES:
        if word in notes:
            return family
    return None


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


def _is_literal(word: str) -> bool:
    return word.startswith("[") or normalise_ip(word) is not None


_FromClause = tuple[str | None, str | None, str | None, str | None, bool]


def _from_parts(
    first: str | None, comments: list[str], extra_ip: str | None, family: str | None, local: bool
) -> _FromClause:
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
                        and first and not _is_literal(first)
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
                    rdns_slot, rdns = True, tail
        if helo is None and ("LO" in comment or "elo" in comment):
            found = _HELO.search(comment)
            if found:
                helo = found.group("helo")
                helo_word = found.group(0)[:5] == "HELO "
        if ident is None and "ident=" in comment:
            found = _IDENT.search(comment)
            if found:
                ident = found.group("ident")

    if helo is not None or (not rdns_slot and (port or family in ("exim", "zmailer"))):
        # The "from" word is the verified host name (or the bare address);
        # the HELO, when it differed, is in the comment.
        if not rdns_slot and first is not None and not _is_literal(first):
            rdns = first
        from_helo = helo if helo is not None else first
    else:
        from_helo = first
    if from_helo is not None and (not from_helo or from_helo.lower() == "unknown"):
        from_helo = None
    if ip is None and first is not None and _is_literal(first):
        ip = normalise_ip(first)
    return from_helo, _rdns(rdns), ip or extra_ip, ident, helo_word and bare_ip


def _tls(head: str, protocol_tls: bool, protocol: str, with_notes: str) -> str | None:
    """A short description of the TLS this hop used, or None without evidence of any."""
    for marker, shape in _TLS_SHAPES:
        at = head.find(marker)
        found = shape.match(head, at) if at >= 0 else None
        if found:
            version = found["v"].replace("_", ".")
            if version[:3].upper() == "TLS" and version[3:4] not in ("v", "V", ""):
                version = "TLSv" + version[3:]
            cipher = found["c"] or (found["c2"] if "c2" in shape.groupindex else None)
            return f"{version} {cipher}" if cipher else version
    at = with_notes.find(" encrypted")
    if at > 0:
        # qmail's TLS patch and qpsmtpd: "with (DHE-RSA-AES256-SHA encrypted) SMTP".
        return with_notes[:at].rpartition(" ")[2].lstrip("(")
    if protocol_tls or protocol.upper() == "HTTPS":
        return f"TLS ({protocol.upper()})"
    return None


def _auth(head: str, low: str, protocol_auth: bool, protocol: str, family: str | None) -> str | None:
    """Who logged in to submit, else the protocol word that says someone did, else None."""
    found = None
    if "auth" in low:
        found = _AUTH.search(head)
        if found and found.group("who"):
            return found.group("who")
        # OpenSMTPD records the login after the protocol: "auth=yes user=paul".
        at = head.find("auth=yes")
        opensmtpd = _OPENSMTPD_USER.match(head, at) if at >= 0 else None
        if opensmtpd:
            return opensmtpd.group("who")
    if family == "communigate":
        account = _ACCOUNT.search(head)
        if account:
            return account.group("who")
    if protocol_auth:
        return protocol.upper()
    return "authenticated" if found else None


def _split_date(raw: str) -> tuple[str, str, datetime | None]:
    """The value before its date, the date text and the date, trying the last few ";"."""
    end = len(raw)
    for _ in range(3):
        semicolon = raw.rfind(";", 0, end)
        if semicolon < 0:
            break
        tail = raw[semicolon + 1 : semicolon + 1 + _MAX_DATE]
        date = parse_date(tail)
        if date is not None:
            return raw[:semicolon], tail, date
        end = semicolon
    # No ";": SendGrid and a few others write the date straight after the id.
    tail = raw[-_MAX_DATE:]
    return raw, tail, parse_date(tail)


# What both readers of the clauses hand over: the "from" word, its comments and
# a bare address after them, whether there was a "from" clause, whether the
# words before the first clause say qmail took it from the network, then "by",
# its comments, "with" (words before its first comment), its comments, "via",
# "id" and "for".
_Clauses = tuple[
    str | None, list[str], str | None, bool, bool,
    str | None, str, str | None, str, str | None, str | None, str | None,
]


def _clauses(head: str) -> _Clauses:
    """The clauses of any Received value, in whatever order and spelling, cut into items in Python."""
    # The items of each clause (its first occurrence wins) and those before the first one.
    leading: list[str] = []
    clauses: dict[str, list[str]] = {}
    current = leading
    for chunk in _CHUNK.findall(head):
        if chunk[0] == "(":
            current.append(chunk)
            continue
        for item in chunk.split():
            keyword = _KEYWORDS.get(item)
            if keyword is not None and keyword not in clauses:
                current = clauses[keyword] = []
            else:
                current.append(item)

    get = clauses.get
    by, by_notes = _first_word_and_notes(get("by"))
    with_words, with_notes = _words_and_notes(clauses["with"]) if "with" in clauses else ((), "")
    via = " ".join(_words_and_notes(clauses["via"])[0]) or None if "via" in clauses else None

    first = extra_ip = None
    comments = []
    for item in clauses.get("from", ()):
        if item[0] == "(":
            comments.append(item[1:-1])
        elif first is None and not comments:
            first = item
        elif extra_ip is None:
            # fetchmail and some old servers write "from host [ip]" without a comment.
            extra_ip = normalise_ip(item)
    return (
        first, comments, extra_ip, "from" in clauses,
        # qmail's "invoked from network" stands for a real SMTP client it did not name.
        any("invoked from network" in item for item in leading),
        by, by_notes, " ".join(with_words) or None, with_words[0] if with_words else "", with_notes,
        via, _first_word(get("id")), _recipient(_first_word(get("for"), strip=False)),
    )  # fmt: skip


# Most servers write the clauses in the order RFC 5321 gives them, each keyword
# once and in lower case: "from A (B [ip]) by C (D) with E id F for G". One
# match reads such a value in C; anything else (another order, a keyword
# repeated or capitalised, words before the first clause, a word after the "from"
# comments, a stray parenthesis) does not match and goes through _clauses,
# which gives the same result for these values (tests compare the two).
# The keywords as a tree on their first letter ("f(?:or|rom)|..."): a word that is
# not one is rejected on its first letter instead of by every spelling in turn.
_KEYWORD = "|".join(
    first + "(?:" + "|".join(sorted({word[1:] for word in _KEYWORDS if word[0] == first})) + ")"
    for first in sorted({word[0] for word in _KEYWORDS})
)
_WORD = r"(?!(?:" + _KEYWORD + r")(?![^\s()]))[^\s()]++"
_ITEMS = r"(?:\s*+(?:" + _COMMENT + "|" + _WORD + r"))*+"
_WORDS = _WORD + r"(?:\s++" + _WORD + r")*+"
# The text inside a comment, for the one comment that usually follows "from", "by" and "with".
_NOTE = r"\((?P<{}>(?:[^()]++|" + _COMMENT_2 + r")*+)\)"
_USUAL_ORDER = re.compile(
    # ZMailer's list expansion starts with a comment: "(majordomo@list.example) by ...".
    r"(?P<leading>(?:" + _COMMENT + r"\s*+)*+)"
    r"(?:from\s++(?P<from>" + _WORD + r")(?:\s*+" + _NOTE.format("from_note") + r")?+"
    r"(?P<from_more>(?:\s*+" + _COMMENT + r")*+)\s*+)?+"
    r"by\s++(?P<by>" + _WORD + r")(?:\s*+" + _NOTE.format("by_note") + r")?+(?P<by_more>" + _ITEMS + r")"
    r"(?:\s*+via\s++(?P<via>" + _WORDS + r")" + _ITEMS + r")?+"
    r"(?:\s*+with\s++(?P<with>" + _WORDS + r")(?:\s*+" + _NOTE.format("with_note") + r")?+"
    r"(?P<with_more>" + _ITEMS + r"))?+"
    r"(?:\s*+id\s++(?P<id>" + _WORD + r")" + _ITEMS + r")?+"
    # Exchange: "... id 15.20.6723.11 via Frontend Transport".
    r"(?:\s*+via\s++(?P<late_via>" + _WORDS + r")" + _ITEMS + r")?+"
    r"(?:\s*+for\s++(?P<for>" + _WORD + r")" + _ITEMS + r")?+"
    r"\s*+"
)
# The text inside each top-level comment of a run of items.
_COMMENT_TEXT = re.compile(r"\(((?:[^()]++|" + _COMMENT_2 + r")*+)\)")


def _notes(first: str | None, more: str | None) -> list[str]:
    """The texts of a clause's comments: the one captured on its own, then any others."""
    notes = [first] if first is not None else []
    if more and "(" in more:
        notes += _COMMENT_TEXT.findall(more)
    return notes


def _usual_clauses(head: str) -> _Clauses | None:
    """The clauses of a value written in the usual order, read by one regex; None for any other."""
    found = _USUAL_ORDER.fullmatch(head)
    if found is None:
        return None
    (
        leading, first, from_note, from_more, by, by_note, by_more,
        via, with_, with_note, with_more, queue_id, late_via, for_,
    ) = found.groups()  # fmt: skip
    if late_via is not None:
        if via is not None:
            return None
        via = late_via
    if by_more:
        by_notes = " ".join(_notes(by_note, by_more))
    else:
        by_notes = by_note or ""
    if with_more:
        with_notes = " ".join(_notes(with_note, with_more))
    else:
        with_notes = with_note or ""
    return (
        first, _notes(from_note, from_more), None, first is not None, "invoked from network" in leading,
        by.strip("<>,;") or None, by_notes, with_, with_.partition(" ")[0] if with_ else "", with_notes,
        via, queue_id.strip("<>,;") or None if queue_id else None, _recipient(for_),
    )  # fmt: skip


def parse_received(value: str) -> Hop:
    """Read one (unfolded) Received value into a Hop; index, delay_s and country stay unset."""
    raw = " ".join(value.split())
    head, date_text, date = _split_date(raw)
    head = head[:MAX_PARSED]
    low = head.lower()
    (
        first, from_notes, extra_ip, has_from, invoked_from_network,
        by, by_notes, with_, protocol, with_notes, via, queue_id, for_,
    ) = _usual_clauses(head) or _clauses(head)  # fmt: skip

    envelope_from = None
    if "envelope-" in low or "envelope-" in date_text:
        found = _ENVELOPE_FROM.search(head) or _ENVELOPE_FROM.search(date_text)
        envelope_from = (found.group("who") or None) if found else None

    protocol_tls, protocol_auth, local = _protocol_flags(protocol)
    mta = _family(by, (with_ or "").lower(), via, queue_id, by_notes, with_notes, low)
    if mta == "exim" and not from_notes and extra_ip is None and first and "." not in first and not _is_literal(first):
        # Exim names no host, only the login, when a local process re-injects
        # ("from amavis by host with scanned-ok", "from list by host with mailman").
        local = True

    if mta == "exchange" and low.startswith("from mail pickup service "):
        # IIS/Exchange's pickup directory: a file dropped on the server, no client.
        has_from = False

    from_helo = from_rdns = from_ip = ident = None
    if has_from:
        from_helo, from_rdns, from_ip, ident, looks_like_qmail = _from_parts(first, from_notes, extra_ip, mta, local)
        if mta is None and looks_like_qmail:
            mta = "qmail"
        relay = not local
    else:
        # No sender at all: a local pickup ("from userid 33"), a list expansion,
        # qmail's "invoked by uid", an API injection.
        relay = invoked_from_network

    # In Hop's field order (index, raw, relay, from_*, ident, by, via, with_, id,
    # for_, envelope_from, tls, auth, date, delay_s, mta, country, may_be_forged):
    # naming twenty arguments costs more than all of the rest of this tail.
    return Hop(
        0, raw, relay,
        from_helo, from_rdns, from_ip, ident,
        by, via, with_, queue_id, for_,
        envelope_from, _tls(head, protocol_tls, protocol, with_notes),
        _auth(head, low, protocol_auth, protocol, mta),
        date, None, mta, None, "may be forged" in low,
    )


def order_hops(values: list[str]) -> list[Hop]:
    """Hops oldest first from Received values as written (newest first).

    Sets index (from 1), delay_s since the previous hop (negative when the
    clocks disagree) and the country of each public sending address.
    """
    hops = []
    previous = None
    for index, value in enumerate(reversed(values), start=1):
        hop = parse_received(value)
        hop.index = index
        if hop.date is not None and previous is not None and previous.date is not None:
            hop.delay_s = (hop.date - previous.date).total_seconds()
        if hop.from_ip is not None:
            hop.country = country_of(hop.from_ip)
        hops.append(hop)
        previous = hop
    return hops
