"""What a Received line says besides who sent it: the server family, the TLS used and the login.

Each server writes these in its own comments ("(Postfix)", "(Exim 4.96)",
"(using TLSv1.3 with cipher ...)", "(Authenticated sender: x)"); the family is
also told by habits such as the shape of the queue id. Literal markers are
looked for with ``str.find`` before any regex runs: most lines hold none.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    ("getmail", "getmail"),
    ("kerio", "kerio"),
    ("icewarp", "icewarp"),
    ("haraka", "haraka"),
    ("scalix", "scalix"),
)


# "with" words of lines that record no network transfer: retrieval from a
# mailbox (fetchmail, getmail: "POP3", "IMAP4-SSL"), a list spooler (LISTSERV
# "spool") and content scanners re-injecting the message on the same machine.
_NOT_TRANSFERS = ("pop", "imap", "spool", "qmail-scanner", "spamassassin", "amavis")


# Webmail submissions: "with HTTP", "HTTPS", CommuniGate's "HTTPU" and "HTTPSU".
_WEB_PROTOCOLS = ("http", "https", "httpu", "httpsu", "httpa", "httpsa")


@lru_cache(maxsize=256)
def protocol_flags(protocol: str) -> tuple[bool, bool, bool, bool, bool]:
    """Whether the "with" word says TLS, says a login, says a local submission, says no
    network transfer at all, and says a web submission (a handful of words recur)."""
    flags = _PROTOCOL.fullmatch(protocol)
    low = protocol.lower()
    return (
        bool(flags and flags.group("tls")),
        bool(flags and (flags.group("auth") or flags.group("pre"))),
        low in ("stdio", "local") or low.startswith("local-"),
        low.startswith(_NOT_TRANSFERS),
        low in _WEB_PROTOCOLS,
    )


def family(
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


def tls(head: str, low: str, protocol_tls: bool, protocol: str, with_notes: str) -> str | None:
    """A short description of the TLS this hop used, or None without evidence of any.

    ``low`` is ``head`` lower-cased.
    """
    # Every shape names TLS or SSL: most lines name neither and skip the four look-ups.
    # (Caseless, the shapes also take a long s "ſ" for "s", which lower() keeps: a line
    # with anything but ASCII is searched.)
    if "tls" in low or "ssl" in low or not head.isascii():
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


def auth_of(head: str, low: str, protocol_auth: bool, protocol: str, family: str | None) -> str | None:
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
    at = low.find(" as user ") if protocol_auth else -1
    if at >= 0:
        # Webmail: "from 192.0.2.8 ( [192.0.2.8]) as user jason@localhost by ... with HTTP".
        who = head[at + 9 :].partition(" ")[0].strip("<>,;")
        if who:
            return who
    if protocol_auth:
        return protocol.upper()
    return "authenticated" if found else None


