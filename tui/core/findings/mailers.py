"""Question 1, with what program: website scripts, mass-mailing software, long-dead mail
programs, programming libraries and made-up program names in X-Mailer and User-Agent.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tui.core.findings.facts import NAME_LIMIT, Facts, make_finding, shorten
from tui.core.findings.ids import FindingId
from tui.core.model import Header
from tui.core.results import Evidence, Finding

# Mail program names are compared lower-cased with spaces, "-" and "_" removed.
_SCRIPT_HEADERS = ("x-php-originating-script", "x-php-script")
_MAILER_NAMES = ("x-mailer", "user-agent", "mailer")
_MAILER_HEADERS = _SCRIPT_HEADERS + _MAILER_NAMES
_SCRIPT_MARKS = ("phpmailer", "sendmailviaphp")
# Webmail programs are PHP applications too: their own script header
# (Roundcube's "rcube.php" or "main.inc") marks a person typing in a browser.
_WEBMAIL_MARKS = ("roundcube", "rcube.php", "horde", "squirrelmail", "rainloop", "snappymail", "afterlogic")
_BULK_MARKS = (
    "atomicmailsender", "sendblaster", "massmailer", "gammadyne", "turbomailer", "maxbulk",
    "bulkmailer", "groupmail", "supermailer", "advancedmasssender", "mailking",
    "emailmarketingsoftware", "newslettersoftware",
)
_LIBRARY_MARKS = (
    "swiftmailer", "symfonymailer", "nodemailer", "mime::lite", "javamail", "python", "perl",
    "microsoftcdo", "aspemail", "jmail", "zendmail", "laminas", "chilkat",
)
_OLD_MARKS = (
    "outlookexpress", "microsoftoutlook,build10.", "microsoftoutlook,build11.",
    "microsoftofficeoutlook11", "microsoftofficeoutlook,build11.",
)
_SEPARATORS = str.maketrans("", "", " \t-_")
_RANDOM_TOKEN = re.compile(r"[A-Za-z0-9]{12,}")


@lru_cache(maxsize=1024)
def _mailer_kind(value: str) -> FindingId | None:
    compact = value.lower().translate(_SEPARATORS)
    if any(mark in compact for mark in _SCRIPT_MARKS) or (
        compact.startswith("php") and compact[3:4] in tuple("/0123456789")
    ):
        return FindingId.MAILER_SCRIPT
    if any(mark in compact for mark in _BULK_MARKS):
        return FindingId.MAILER_BULK
    if any(mark in compact for mark in _OLD_MARKS):
        return FindingId.MAILER_OLD
    if any(mark in compact for mark in _LIBRARY_MARKS):
        return FindingId.MAILER_LIBRARY
    return None


def mailer_names(facts: Facts, found: list[Finding]) -> None:
    by_name = facts.by_name
    if by_name.keys().isdisjoint(_MAILER_HEADERS):
        return
    script_hits: list[Header] = []
    for name in _SCRIPT_HEADERS:
        script_hits += by_name.get(name, ())
    kinds: list[tuple[Header, str, str | None]] = []
    named = False
    for name in _MAILER_NAMES:
        for header in by_name.get(name, ()):
            value = header.value[:NAME_LIMIT].strip()
            kind = _mailer_kind(value)
            if kind == FindingId.MAILER_SCRIPT:
                script_hits.append(header)
                named = named or "mailer" in value.lower()
            kinds.append((header, value, kind))
    if script_hits and not named and _webmail(by_name):
        script_hits = [h for h in script_hits if h.name.lower() not in _SCRIPT_HEADERS]
    if script_hits:
        what = "PHPMailer" if named else "a PHP script"
        found.append(make_finding(
            FindingId.MAILER_SCRIPT, "warning", f"Sent by a website script ({what})",
            f"The message was produced by {what}, which websites use to send mail "
            "automatically, not by a mail program a person uses. If your website has a contact "
            "form, shop or newsletter that sends mail through this mailbox, it may be that; "
            "otherwise someone is running a script with your password, or a website you host "
            "has been hacked.",
            [Evidence(h.name, h.value) for h in script_hits], question=1,
        ))
    for header, value, kind in kinds:
        if kind is None:
            odd = _odd_mailer(value)
            if odd:
                found.append(make_finding(
                    FindingId.MAILER_ODD, "notice", "Unusual mail program name",
                    f"The {header.name} header, which names the program that wrote the message, {odd}. "
                    "Real mail programs write their name and version there; spam software often leaves "
                    "it empty or fills it with random text.",
                    [Evidence(header.name, header.value)], question=1,
                ))
            continue
        if kind == FindingId.MAILER_SCRIPT:
            continue  # told above, with the script headers
        name = shorten(value, 60)
        evidence = [Evidence(header.name, header.value)]
        if kind == FindingId.MAILER_BULK:
            found.append(make_finding(
                kind, "warning", f"Sent with mass-mailing software ({name})",
                f"\"{name}\" is a program for sending the same message to a great many people at "
                "once. Spammers use such programs with stolen passwords. Unless you use it yourself "
                "for newsletters, someone else sent this message.",
                evidence, question=1,
            ))
        elif kind == FindingId.MAILER_OLD:
            found.append(make_finding(
                kind, "warning", f"Claims an old mail program ({name})",
                f"The message says it was written with \"{name}\", a program that has not been sold "
                "or updated for many years. Spam software often pretends to be it. If nobody in your "
                "company still uses it, this message was not written by you.",
                evidence, question=1,
            ))
        elif kind == FindingId.MAILER_LIBRARY:
            found.append(make_finding(
                kind, "notice", f"Sent by an application, not a mail program ({name})",
                f"\"{name}\" is a programming tool that applications use to send mail. That is "
                "normal if an application of yours (website, invoicing or booking software) sends "
                "mail through this mailbox; if nothing of yours does, find out what does.",
                evidence, question=1,
            ))
    written = by_name.get("x-mailer", ())
    if len(written) > 1 and len({h.value.strip().lower() for h in written}) > 1:
        found.append(make_finding(
            FindingId.MAILER_ODD, "notice", "Two different mail programs named",
            "The message names more than one program in its X-Mailer headers. A message is written "
            "by one program; two names suggest that the headers were assembled by spam software.",
            [Evidence(h.name, h.value) for h in written], question=1,
        ))


def _webmail(by_name: dict[str, list[Header]]) -> bool:
    """Whether the mail program or the PHP script named is a webmail's."""
    for name in _MAILER_HEADERS:
        for header in by_name.get(name, ()):
            value = header.value[:NAME_LIMIT].lower()
            if any(mark in value for mark in _WEBMAIL_MARKS):
                return True
    return False


@lru_cache(maxsize=1024)
def _odd_mailer(value: str) -> str | None:
    if not value:
        return "is empty"
    if not any(ch.isalpha() for ch in value):
        return f"holds only \"{shorten(value)}\""
    if " " not in value and "/" not in value and "." not in value and _RANDOM_TOKEN.fullmatch(value):
        lower, upper, digit = (any(f(ch) for ch in value) for f in (str.islower, str.isupper, str.isdigit))
        if lower and upper and digit:
            return f"holds a random-looking string (\"{shorten(value)}\")"
    return None
