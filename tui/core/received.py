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

from tui.core.dates import parse_date, zone_assumed
from tui.core.ipaddr import country_of, normalise_ip
from tui.core.results import Hop
from tui.core.received_sender import from_parts, is_literal
from tui.core.received_traits import auth_of, family, protocol_flags, tls

MAX_PARSED = 4096
_MAX_DATE = 300

# Families that fetch mail from a mailbox rather than receive it.
_RETRIEVERS = ("fetchmail", "getmail")
_LATE_FROM = re.compile(r" from <(?P<who>[^\s<>()]*+)>")
_LATE_ID = re.compile(r" id <?(?P<id>[^\s;<>()]++)")
_CLAIMED = re.compile(r"claiming to be \"?(?P<helo>[^\s\"(),;]*+)")
_ENVELOPE_FROM = re.compile(r"\(envelope-(?:from|sender)\s++<?(?P<who>[^\s<>()]*+)", re.IGNORECASE)

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
# The value is read after " ".join(value.split()) (see parse_received): its only
# blank is a single space, so " " stands for \s here, which the regex engine tests
# several times faster (one character instead of a Unicode category).
_WORD = r"(?!(?:" + _KEYWORD + r")(?![^ ()]))[^ ()]++"
_ITEMS = r"(?: ?+(?:" + _COMMENT + "|" + _WORD + r"))*+"
_WORDS = _WORD + r"(?: " + _WORD + r")*+"
# The text inside a comment, for the one comment that usually follows "from", "by" and "with".
_NOTE = r"\((?P<{}>(?:[^()]++|" + _COMMENT_2 + r")*+)\)"
_USUAL_ORDER = re.compile(
    # ZMailer's list expansion starts with a comment: "(majordomo@list.example) by ...".
    r"(?P<leading>(?:" + _COMMENT + r" ?+)*+)"
    r"(?:from (?P<from>" + _WORD + r")(?: ?+" + _NOTE.format("from_note") + r")?+"
    r"(?P<from_more>(?: ?+" + _COMMENT + r")*+) ?+)?+"
    r"by (?P<by>" + _WORD + r")(?: ?+" + _NOTE.format("by_note") + r")?+(?P<by_more>" + _ITEMS + r")"
    r"(?: ?+via (?P<via>" + _WORDS + r")" + _ITEMS + r")?+"
    r"(?: ?+with (?P<with>" + _WORDS + r")(?: ?+" + _NOTE.format("with_note") + r")?+"
    r"(?P<with_more>" + _ITEMS + r"))?+"
    r"(?: ?+id (?P<id>" + _WORD + r")" + _ITEMS + r")?+"
    # Exchange: "... id 15.20.6723.11 via Frontend Transport".
    r"(?: ?+via (?P<late_via>" + _WORDS + r")" + _ITEMS + r")?+"
    r"(?: ?+for (?P<for>" + _WORD + r")" + _ITEMS + r")?+"
    r" ?+"
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


def _one_spaced(value: str) -> str:
    """``" ".join(value.split())``: every run of blanks made one space, none at either end.

    Most unfolded values are so already, and a few scans in C tell it for half
    the cost of splitting the value and joining it. The ASCII blanks str.split()
    cuts at besides the space are all control characters, which isprintable()
    refuses (a value with any other control character takes the long way).
    """
    if value.isascii() and value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(value.split())


def parse_received(value: str) -> Hop:
    """Read one (unfolded) Received value into a Hop; index, delay_s and country stay unset."""
    raw = _one_spaced(value)
    head, date_text, date = _split_date(raw)
    head = head[:MAX_PARSED]
    if head.startswith("(from "):
        close = head.find(")")
        if close > 0 and "[" in head[:close]:
            # "(from NAME [IP]) by ...": the sending host written as a comment.
            head = head[1:close] + head[close + 1 :]
    low = head.lower()
    (
        first, from_notes, extra_ip, has_from, invoked_from_network,
        by, by_notes, with_, protocol, with_notes, via, queue_id, for_,
    ) = _usual_clauses(head) or _clauses(head)  # fmt: skip

    envelope_from = None
    if "envelope-" in low or "envelope-" in date_text:
        found = _ENVELOPE_FROM.search(head) or _ENVELOPE_FROM.search(date_text)
        envelope_from = (found.group("who") or None) if found else None
    elif for_ is not None and " from <" in head:
        # XMail names the envelope sender last: "... for <rcpt> from <sender>".
        found = _LATE_FROM.search(head)
        envelope_from = (found.group("who") or None) if found else None
    if queue_id is None and " id " in date_text:
        # A few servers write the id after the date: "; Tue, 6 Dec 2022 12:49:12 +0100 id 4ABC".
        found = _LATE_ID.search(date_text)
        queue_id = found.group("id") if found else None

    protocol_tls, protocol_auth, local, not_transfer, web = protocol_flags(protocol)
    mta = family(by, (with_ or "").lower(), via, queue_id, by_notes, with_notes, low)
    if mta == "exim" and not from_notes and extra_ip is None and first and "." not in first and not is_literal(first):
        # Exim names no host, only the login, when a local process re-injects
        # ("from amavis by host with scanned-ok", "from list by host with mailman").
        local = True

    if mta == "exchange" and low.startswith("from mail pickup service "):
        # IIS/Exchange's pickup directory: a file dropped on the server, no client.
        has_from = False

    from_helo = from_rdns = from_ip = ident = None
    if has_from:
        from_helo, from_rdns, from_ip, ident, looks_like_qmail = from_parts(first, from_notes, extra_ip, mta, local)
        if mta is None and looks_like_qmail:
            mta = "qmail"
        # A webmail submission: a login over HTTP, and no greeting, so the word after
        # "from" is the client's address or name. (Exchange Online's "with HTTPS" is
        # its own internal transport.)
        web = mta != "exchange" and (
            web or (via or "").upper() == "HTTP" or "via HTTP" in by_notes or "WebUser" in by_notes
        )
        if web:
            if from_helo == first:
                from_helo = None
                if from_rdns is None and first and not is_literal(first):
                    from_rdns = first
        if via is not None and "claiming to be" in low:
            # TIS/Obtuse smtpd: "from NAME(IP), claiming to be "HELO" via SMTP by ...".
            found = _CLAIMED.search(head)
            if found:
                from_helo = found.group("helo") or None
        # Not a relay: a local submission, a retrieval by fetchmail or getmail, a content
        # scanner (amavis, qmail-scanner, SpamAssassin) or anything from the machine itself.
        relay = not (
            local or not_transfer or mta in _RETRIEVERS or "amavis" in by_notes
            or from_ip is not None and (from_ip.startswith("127.") or from_ip == "::1")
        )
    else:
        # No sender at all: a local pickup ("from userid 33"), a list expansion,
        # qmail's "invoked by uid", an API injection ("by host with HTTP": no login seen).
        relay = invoked_from_network
        web = False

    # In Hop's field order (index, raw, relay, from_*, ident, by, via, with_, id, for_,
    # envelope_from, tls, auth, date, delay_s, mta, country, may_be_forged, date_utc_assumed):
    # naming twenty arguments costs more than all of the rest of this tail.
    return Hop(
        0, raw, relay,
        from_helo, from_rdns, from_ip, ident,
        by, via, with_, queue_id, for_,
        envelope_from, tls(head, low, protocol_tls, protocol, with_notes),
        auth_of(head, low, protocol_auth or web, protocol or "HTTP", mta),
        date, None, mta, None, "may be forged" in low, zone_assumed(date),
    )


def order_hops(values: list[str]) -> list[Hop]:
    """Hops oldest first from Received values as written (newest first).

    Sets index (from 1), delay_s since the previous hop (negative when the
    clocks disagree, None when either date had no zone) and the country of
    each public sending address.
    """
    hops = []
    previous = None
    for index, value in enumerate(reversed(values), start=1):
        hop = parse_received(value)
        hop.index = index
        if (
            hop.date is not None and previous is not None and previous.date is not None
            and not (hop.date_utc_assumed or previous.date_utc_assumed)
        ):
            # A date read as UTC for want of a zone may be hours off: no delay from it.
            hop.delay_s = (hop.date - previous.date).total_seconds()
        if hop.from_ip is not None:
            hop.country = country_of(hop.from_ip)
        hops.append(hop)
        previous = hop
    return hops
