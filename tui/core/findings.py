"""What one message's headers reveal, told as Findings a mailbox owner can act on.

``find_all`` reads an analysed Message (hops, origin, authentication verdicts,
OVHcloud's spam verdict) against what the user told us about their own sending
(Expectations) and returns Findings, most serious first. Each finding quotes
the header it rests on, and findings that bear on one of the ticket's three
questions (1 sender, 2 redirection rule, 3 replied to spam) say which.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from tui.core.model import SEVERITIES, AuthResult, Evidence, Expectations, Finding, Header, Hop, Message

_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# Read only: find_all without expectations compares against nothing.
_NO_EXPECTATIONS = Expectations()

# The look-behind lets a local part start only where a run of its characters
# starts, and the repeats are bounded: a long run without "@" is then scanned
# once instead of once from every position in it.
_LOCAL = r"\w.!#$%&'*+/=?^`{|}~-"
_ADDR_SPEC = rf"[{_LOCAL}]{{1,64}}@[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{0,12}}"
_ADDRESS = re.compile(rf"(?<![{_LOCAL}]){_ADDR_SPEC}")
_BARE_ADDRESS = re.compile(_ADDR_SPEC)
# Host names are at most 253 characters and mail program names are short;
# anything longer is cut before it reaches a pattern.
_HOST_LIMIT = 253
_NAME_LIMIT = 300
_HOP_KEY = 200
# Enough quotes to show a verdict; thousands of identical headers add nothing.
_MAX_QUOTES = 6
# Host names, mail program names, display names and addresses recur from one
# message to the next, so what is read from them is remembered, for texts up
# to this length.
_CACHED_TEXT = 1000

# Second-level labels under which a country registry hands out names
# (example.co.uk, example.com.br): the organisation is one label further left.
_SECOND_LEVEL = frozenset(
    "co com net org gov gouv edu ac ltd plc me ne or go asso nom gv mil sch nic info biz".split()
)

# Message-ID domains that big providers put on their users' mail: a mismatch
# with the From domain is their normal behaviour, not a sign of forgery.
_PROVIDER_ID_DOMAINS = tuple("." + domain for domain in (
    "outlook.com", "office365.com", "exchangelabs.com", "microsoft.com", "hotmail.com",
    "gmail.com", "google.com", "googlemail.com", "mail.ovh.net", "ovh.net", "ovh.com",
    "ovhcloud.com", "yahoo.com", "yahoo.fr", "apple.com", "icloud.com",
))

_SEVERE_AUTH_RESULTS = frozenset({"fail", "softfail", "hardfail", "permfail", "permerror", "temperror"})

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

# "Ref:" alone is often a reference number, so the French forms need their accent.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|sv|antw|odp|rif|vs)\s?(?:\[\d{1,4}\])?\s?:|^\s*ré[fp]\b", re.IGNORECASE
)
_FORWARD_PREFIX = re.compile(r"^\s*(fwd?|tr|wg|rv)\s?:", re.IGNORECASE)
_UNDISCLOSED = re.compile(r"undisclosed|^\s*[^@:]{0,80}:\s*;\s*$", re.IGNORECASE)
_FORWARDING_HEADERS = ("x-forwarded-to", "x-forwarded-for", "x-forwarded-message-id")
_FORWARDING_SERVICE = "x-forwarding-service"
_RESENT_HEADERS = (
    "resent-from", "resent-to", "resent-cc", "resent-date", "resent-sender", "resent-message-id",
)
_LIST_HEADERS = ("list-id", "x-mailing-list", "mailing-list")
_DELIVERY_HEADERS = ("delivered-to", "x-original-to")
# Resent and X-Forwarded headers, rare enough to be looked for together first.
_REDIRECTION_MARKS = _RESENT_HEADERS + _FORWARDING_HEADERS
# Headers only a redirection adds (X-Forwarded-For is also a web proxy's).
_REDIRECTION_HEADERS = _RESENT_HEADERS + ("x-forwarded-to", "x-forwarded-message-id")
_RELAYING_HEADERS = _LIST_HEADERS + _FORWARDING_HEADERS + _RESENT_HEADERS + (_FORWARDING_SERVICE,)

# A handful of per-hop clock findings tell the story; a forged or looping
# chain could otherwise produce thousands.
_MAX_HOP_FINDINGS = 5
_AN_HOUR = timedelta(seconds=3600)
_FIVE_MINUTES = timedelta(seconds=300)
_SPAM_SCORE = 300
_HIGH_RULE_SCORE = 100


def find_all(message: Message, expectations: Expectations | None = None) -> list[Finding]:
    """Every finding about ``message``, critical first, in rule order otherwise."""
    facts = _Facts(message, expectations or _NO_EXPECTATIONS)
    found: list[Finding] = []
    for rule in _RULES:
        rule(facts, found)
    if len(found) > 1:
        found.sort(key=_most_serious_first)
    return found


def _most_serious_first(finding: Finding) -> int:
    return -_RANK.get(finding.severity, 0)


def address_of(text: str | None) -> str | None:
    """The mail address in ``text`` ("Name <a@b>" or "a@b"), lower-cased, or None."""
    if not text:
        return None
    # The same addresses come back message after message (the account, its
    # correspondents, the servers' bounce addresses); long texts are not kept.
    return _address_in(text) if len(text) <= _CACHED_TEXT else _address_in.__wrapped__(text)


@lru_cache(maxsize=4096)
def _address_in(text: str) -> str | None:
    # Parsers mostly hand over bare addresses already: check that first.
    if len(text) <= 320 and (bare := _BARE_ADDRESS.fullmatch(text.strip(" \t<>"))):
        return bare.group(0).lower().strip(".")
    bracket = text.rfind("<")
    match = _ADDRESS.search(text, bracket + 1) if bracket >= 0 else None
    match = match or _ADDRESS.search(text)
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
    left = _organisation_of(a)
    return left is not None and left == _organisation_of(b)


def _organisation_of(text: str | None) -> str | None:
    """The registrable domain of an address or domain, remembered for the short texts that recur."""
    if not text:
        return None
    return _organisation_in(text) if len(text) <= _CACHED_TEXT else _organisation_in.__wrapped__(text)


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


class _Facts:
    """One message with the lookups every rule needs, computed once.

    ``login`` is the name that logged in to send it, as recorded; ``mailbox``
    the address that login stands for (a bare user name is taken to be the
    account's own when it matches its local part); ``account`` the blocked
    address as the user gave it, else that mailbox.
    """

    # A plain class with slots: it is built for every message, and a dataclass
    # with default factories and a __post_init__ costs several times as much.
    __slots__ = (
        "message", "expectations", "by_name", "login", "mailbox", "account", "countries", "ips",
        "from_address", "from_organisation", "from_display", "subject", "_srs", "_lower",
    )

    def __init__(self, message: Message, expectations: Expectations) -> None:
        self.message = message
        self.expectations = expectations
        headers = message.headers
        self.by_name: dict[str, list[Header]] = headers.by_name() if headers is not None else {}
        given = address_of(expectations.account) if expectations.account else None
        login = self.login = _login(message)
        mailbox = None
        if login and "@" in login:
            mailbox = address_of(login)
        elif login and given and login == given.partition("@")[0]:
            mailbox = given
        self.mailbox = mailbox
        self.account = given or mailbox
        countries, ips = expectations.countries, expectations.ips
        self.countries = [c.strip().upper() for c in countries if c and c.strip()] if countries else []
        self.ips = [ip.strip() for ip in ips if ip and ip.strip()] if ips else []
        raw_from = message.from_ or self.value("from") or ""
        self.from_address = address_of(raw_from)
        self.from_organisation = _organisation_of(self.from_address)
        bracket = raw_from.rfind("<")
        self.from_display = raw_from[:bracket].strip().strip("\"' ") if bracket > 0 else ""
        self.subject = message.subject or self.value("subject") or ""
        self._srs: list[tuple[str, Hop | Evidence]] | None = None
        self._lower: dict[int, str] = {}

    def values(self, name: str) -> Sequence[Header]:
        return self.by_name.get(name, ())

    def value(self, name: str) -> str | None:
        headers = self.by_name.get(name)
        return headers[0].value if headers else None

    def has_any(self, names: tuple[str, ...]) -> bool:
        return not self.by_name.keys().isdisjoint(names)

    def quote(self, name: str | None, needle: str | None = None) -> Evidence | None:
        """The first ``name`` header (containing ``needle``, when given), quoted exactly."""
        # Names are mostly given in lower case already, as the groups are keyed.
        headers = self.by_name.get(name or "")
        if headers is None and name:
            headers = self.by_name.get(name.lower())
        if not headers:
            return None
        if not needle:
            return Evidence(headers[0].name, headers[0].value)
        wanted = needle.lower()
        # Several findings search the same long headers (Authentication-Results,
        # Received) for different words: each is lower-cased once per message.
        lowered_values = self._lower
        for header in headers:
            value = header.value
            if needle in value:
                return Evidence(header.name, value)
            lowered = lowered_values.get(id(header))
            if lowered is None:
                lowered = lowered_values[id(header)] = value.lower()
            if wanted in lowered:
                return Evidence(header.name, value)
        return None

    def quote_hop(self, hop: Hop | None) -> Evidence | None:
        """The Received header that ``hop`` was read from, else the hop's own text."""
        if hop is None or not hop.raw:
            return None
        written = self.values("received")
        # Hops count from the oldest, the bottom Received header; comparing the
        # start of the text allows for a parser that cut a long value.
        if isinstance(hop.index, int) and 0 < hop.index <= len(written):
            header = written[len(written) - hop.index]
            if header.value == hop.raw or _opening(header.value) == _opening(hop.raw):
                return Evidence(header.name, header.value)
        return Evidence("Received", hop.raw)

    def hop(self, index: int | None) -> Hop | None:
        if index is not None:
            for hop in self.message.hops:
                if hop.index == index:
                    return hop
        return None

    def submitted_senders(self) -> Iterator[tuple[str, Hop | Evidence]]:
        """The envelope senders the sender used, each with the Hop or header it comes from.

        Hops after the authenticated one, and the Return-Path of a message that
        went through a list or forwarder, carry a later envelope: they are left out.
        When no hop records the login but an Authentication-Results header
        does (OVHcloud's Exchange and MX Plan), that header sits just below
        the submission's Received line: the hops written above that came later.
        """
        found = False
        last = self._submission_hop()
        for hop in self.message.hops:
            if hop.index > last:
                break
            if hop.envelope_from and (sender := address_of(hop.envelope_from)):
                found = True
                yield sender, hop
            if hop.auth:
                break
        spamcause = self.message.spamcause
        if spamcause is not None and (sender := address_of(spamcause.params.get("mailfrom"))):
            found = True
            yield sender, _decoded_spamcause(f"mailfrom={sender}")
        if not found and self.by_name.keys().isdisjoint(_RELAYING_HEADERS):
            for header in self.by_name.get("return-path", ()):
                if sender := address_of(header.value):
                    yield sender, Evidence(header.name, header.value)

    def _submission_hop(self) -> int:
        """The index of the newest hop that can belong to the submission (any hop when unknown)."""
        hops = self.message.hops
        everything = len(hops)
        results = self.by_name.get("authentication-results")
        if not results or not hops or any(hop.auth for hop in hops):
            return everything
        login = next((h for h in results if "smtp.auth=" in h.value), None)
        if login is None:
            return everything
        # Hops are numbered from the bottom Received header up; the submission
        # is the first one above the login's header.
        fields = self.message.headers.fields
        below = next((i for i, header in enumerate(fields) if header is login), len(fields))
        return 1 + sum(1 for header in fields[below + 1:] if header.name.lower() == "received")

    def evidence(self, source: Hop | Evidence | None) -> Evidence | None:
        return self.quote_hop(source) if isinstance(source, Hop) else source

    def srs_senders(self) -> list[tuple[str, Hop | Evidence]]:
        """The first few envelope senders, on any hop, rewritten by a forwarder (SRS)."""
        if self._srs is None:
            # Nearly every message has none. An SRS address holds "=" signs, so
            # a text without one is passed over before its address is read.
            rewritten: list[tuple[str, Hop | Evidence]] = []
            for hop in self.message.hops:
                envelope = hop.envelope_from
                if envelope and "=" in envelope and (sender := address_of(envelope)) and unwrap_srs(sender):
                    rewritten.append((sender, hop))
            spamcause = self.message.spamcause
            if (
                spamcause is not None and (mailfrom := spamcause.params.get("mailfrom")) and "=" in mailfrom
                and (sender := address_of(mailfrom)) and unwrap_srs(sender)
            ):
                rewritten.append((sender, _decoded_spamcause(f"mailfrom={sender}")))
            for header in self.by_name.get("return-path", ()):
                if "=" in header.value and (sender := address_of(header.value)) and unwrap_srs(sender):
                    rewritten.append((sender, Evidence(header.name, header.value)))
            self._srs = rewritten[:_MAX_QUOTES]
        return self._srs


def _login(message: Message) -> str | None:
    origin = message.origin
    if origin is not None and origin.authenticated_as:
        return origin.authenticated_as.strip().lower()
    for result in message.auth:
        mailbox = result.properties.get("smtp.auth")
        if mailbox:
            return mailbox.strip().lower()
    for hop in message.hops:
        if hop.auth and "@" in hop.auth:
            return hop.auth.strip().lower()
    return None


def _opening(text: str) -> str:
    return " ".join(text[: _HOP_KEY * 2].split())[:_HOP_KEY]


def _decoded_spamcause(part: str) -> Evidence:
    # The raw value is scrambled text nobody can read, so the decoded part is
    # quoted under a name that says it was decoded.
    return Evidence("X-VR-SPAMCAUSE (decoded)", part)


def _finding(id_: str, severity: str, title: str, detail: str, evidence: list[Evidence | None],
             question: int | None = None, hop_index: int | None = None) -> Finding:
    # Most findings quote one header that was found: that list is kept as it is.
    if len(evidence) != 1 or evidence[0] is None:
        # Evidence objects are always true: filter(None) drops only the missing quotes.
        evidence = list(filter(None, evidence))[:_MAX_QUOTES]
    return Finding(id_, severity, title, detail, evidence, question, hop_index)


def _login_evidence(facts: _Facts) -> Evidence | None:
    login = facts.login or ""
    origin = facts.message.origin
    return (
        facts.quote("authentication-results", f"smtp.auth={login}")
        or facts.quote("received", login)
        or facts.quote(origin.source_header if origin is not None else None, login)
    )


def _sender_identity(facts: _Facts, found: list[Finding]) -> None:
    login, mailbox, account = facts.login, facts.mailbox, facts.account
    if not login or not mailbox:
        return
    login_evidence = _login_evidence(facts)
    if account and mailbox != account:
        if not same_organisation(mailbox, account):
            found.append(_finding(
                "auth-not-account", "warning", f"Sent from another mailbox ({mailbox}), not {account}",
                f"Whoever sent this message logged in to {mailbox}, which is not your address "
                f"{account}. It did not go out through your mailbox, so it is not something you sent "
                "from it. Check that these are the headers quoted in your ticket: OVHcloud quotes a "
                "message that left your own address.",
                [login_evidence], question=1,
            ))
            return
        found.append(_finding(
            "auth-other-mailbox", "notice", f"Sent by logging in to {mailbox}, not {account}",
            f"This message was sent with the password of {mailbox}, another mailbox of your domain, "
            f"not with that of {account}. Check that mailbox as well: if nobody uses it to send this "
            "kind of mail, its password is known to someone else and should be changed.",
            [login_evidence], question=1,
        ))
    from_evidence = facts.quote("from")
    own = _organisation_of(mailbox)
    foreign: dict[str, Hop | Evidence | None] = {}
    if facts.from_address and not _within(facts.from_address, own):
        foreign[facts.from_address] = from_evidence
    for sender, source in facts.submitted_senders():
        original = unwrap_srs(sender) or sender
        if not _within(original, own):
            foreign.setdefault(original, source)
            if len(foreign) >= _MAX_QUOTES:
                break
    if foreign:
        shown = ", ".join(sorted({_organisation_of(s) or s for s in foreign}))
        detail = (
            f"Whoever sent this message logged in as {mailbox}, with that mailbox's password, but "
            f"the message claims to come from {shown}, which is not your domain. Your own mail "
            "programs do not do that: someone else knows this password and is using your mailbox "
            "to send their mail. Check your computers and phones for viruses first, then change "
            f"the password of {mailbox}."
        )
        severity = "critical"
        if _forwarded(facts):
            severity = "warning"
            detail += (
                " This message also shows signs of automatic forwarding (see question 2): a "
                "redirection rule passing on mail you received would explain it too."
            )
        found.append(_finding(
            "auth-other-domain", severity,
            f"Sent with the password of {mailbox}, claiming to come from {shown}", detail,
            [login_evidence, *map(facts.evidence, foreign.values())], question=1,
        ))
    elif facts.from_address == mailbox:
        found.append(_finding(
            "auth-as-account", "notice", f"Sent with the password of {mailbox}",
            f"This message was sent through your mailbox after logging in with the password of "
            f"{mailbox}, and it shows that same address as the sender. If you or a colleague wrote "
            "it, this is normal. If nobody did, someone else has the password: check your devices "
            "for viruses, then change it.",
            [login_evidence, from_evidence], question=1,
        ))
    elif facts.from_address:
        found.append(_finding(
            "from-other-address", "notice", f"Logged in as {mailbox} but sent as {facts.from_address}",
            f"The sender logged in with the password of {mailbox}, but the message shows "
            f"{facts.from_address} as the sender. That is normal if {facts.from_address} is an "
            "alias or shared address you send from that mailbox; if you do not know it, someone "
            f"may be misusing the password of {mailbox}.",
            [login_evidence, from_evidence], question=1,
        ))


@lru_cache(maxsize=4096)
def _within(address: str, organisation: str | None) -> bool:
    """Whether ``address`` is at ``organisation`` or one of its sub-domains."""
    # Remembered: the account's own addresses and its correspondents recur.
    domain = domain_of(address)
    return bool(domain and organisation) and (domain == organisation or domain.endswith("." + organisation))


def _forwarded(facts: _Facts) -> bool:
    """Whether the message carries the marks a redirection leaves, not just hints."""
    return bool(
        facts.has_any(_REDIRECTION_HEADERS)
        or facts.srs_senders()
    )


def _origin_evidence(facts: _Facts) -> Evidence | None:
    origin = facts.message.origin
    if origin is None or not origin.ip:
        return None
    if origin.source_header and origin.source_header.lower() != "received":
        found = facts.quote(origin.source_header, origin.ip)
        if found:
            return found
    return facts.quote_hop(facts.hop(origin.hop_index)) or facts.quote("received", origin.ip)


def _ip_listed(ip: str, listed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip in listed
    for item in listed:
        try:
            if address in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def _origin_expectations(facts: _Facts, found: list[Finding]) -> None:
    origin = facts.message.origin
    if origin is None or not origin.ip or not (facts.countries or facts.ips):
        return
    evidence = _origin_evidence(facts)
    countries = facts.countries
    country = (origin.country or "").strip().upper()
    if countries and country:
        if country in countries:
            found.append(_finding(
                "origin-country-expected", "info", f"Sent from {country}, a country you send from",
                f"The computer that handed this message to the mail server was in {country} "
                f"(IP address {origin.ip}), one of the countries you said you send mail from.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
        else:
            found.append(_finding(
                "origin-country-unexpected", "warning", f"Sent from {country}, not a country you send from",
                f"The computer that handed this message to the mail server was in {country} "
                f"(IP address {origin.ip}). You said you send mail from {', '.join(countries)}. "
                "Unless you or a colleague was travelling or using a VPN at the time, someone "
                f"else sent it{' with your password' if facts.login else ''}.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
    ips = facts.ips
    if ips:
        if _ip_listed(origin.ip, ips):
            found.append(_finding(
                "origin-ip-expected", "info", f"Sent from your own IP address {origin.ip}",
                f"The message came from {origin.ip}, one of the addresses you said are yours.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))
        else:
            found.append(_finding(
                "origin-ip-unexpected", "notice", f"Sent from {origin.ip}, an address you did not list",
                f"The message came from {origin.ip}, which is not among the IP addresses you gave "
                f"({', '.join(ips)}). Home and mobile connections change address now and then, so "
                "this alone proves little: compare it with the country it was sent from.",
                [evidence], question=1, hop_index=origin.hop_index,
            ))


def _client(facts: _Facts) -> tuple[str, Evidence] | None:
    for name in ("x-mailer", "user-agent"):
        header = facts.by_name.get(name)
        if header and header[0].value.strip():
            return header[0].value.strip(), Evidence(header[0].name, header[0].value)
    origin = facts.message.origin
    # A HELO name ("DESKTOP-4KQ2") says which machine, not which program.
    if origin is not None and origin.client and origin.client != origin.helo:
        source = facts.quote(origin.source_header or "received", origin.client)
        return origin.client, source or Evidence(origin.source_header or "Received", origin.client)
    return None


def _client_expectations(facts: _Facts, found: list[Finding]) -> None:
    if not facts.expectations.clients:
        return
    clients = [c.strip() for c in facts.expectations.clients if c and c.strip()]
    client = _client(facts) if clients else None
    if client is None:
        return
    name, evidence = client
    lowered = name.lower()
    if any(c.lower() in lowered or lowered in c.lower() for c in clients):
        found.append(_finding(
            "client-expected", "info", "Written with a mail program you use",
            f"The message says it was written with \"{name}\", which matches a program you said you use.",
            [evidence], question=1,
        ))
        return
    found.append(_finding(
        "client-unexpected", "notice", "Written with a mail program you did not list",
        f"The message says it was written with \"{name}\". You said you use {', '.join(clients)}. "
        "If nobody in your company uses that program, someone else sent this message.",
        [evidence], question=1,
    ))


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


def _origin_network(facts: _Facts, found: list[Finding]) -> None:
    origin = facts.message.origin
    if origin is None or not origin.ip:
        return
    hop = facts.hop(origin.hop_index)
    rdns = origin.rdns or (hop.from_rdns if hop else None)
    rdns = rdns[:_HOST_LIMIT].strip().lower().rstrip(".") if rdns else ""
    helo = origin.helo or (hop.from_helo if hop else None)
    helo = helo[:_HOST_LIMIT].strip().lower().rstrip(".") if helo else ""
    if rdns and not rdns.startswith("[") and _is_hosting(rdns, True):
        hosting = rdns
    elif helo and not helo.startswith("[") and _is_hosting(helo, False):
        hosting = helo
    else:
        hosting = None
    if not hosting and not (rdns and _is_residential(rdns, origin.ip)):
        return
    expected_ip = bool(facts.ips) and _ip_listed(origin.ip, facts.ips)
    if hosting:
        evidence = facts.quote_hop(hop) or facts.quote("received", hosting)
        found.append(_finding(
            "origin-hosting", "info" if expected_ip else "warning",
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
    found.append(_finding(
        "origin-residential", "info" if (expected_ip or at_home) else "warning",
        "Sent from a home or mobile internet connection",
        f"The sending computer's network name, {rdns}, belongs to a home, office or mobile "
        "internet line (broadband, DSL, fibre or cable). That is normal when you send from "
        "home or the office; it is also where virus-infected computers send spam from. If it "
        "was sent from your country and your provider, it is probably you; if not, treat it "
        "as someone else.",
        [evidence], question=1, hop_index=origin.hop_index,
    ))


@lru_cache(maxsize=1024)
def _mailer_kind(value: str) -> str | None:
    compact = value.lower().translate(_SEPARATORS)
    if any(mark in compact for mark in _SCRIPT_MARKS) or (
        compact.startswith("php") and compact[3:4] in tuple("/0123456789")
    ):
        return "mailer-script"
    if any(mark in compact for mark in _BULK_MARKS):
        return "mailer-bulk"
    if any(mark in compact for mark in _OLD_MARKS):
        return "mailer-old"
    if any(mark in compact for mark in _LIBRARY_MARKS):
        return "mailer-library"
    return None


def _mailers(facts: _Facts, found: list[Finding]) -> None:
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
            value = header.value[:_NAME_LIMIT].strip()
            kind = _mailer_kind(value)
            if kind == "mailer-script":
                script_hits.append(header)
                named = named or "mailer" in value.lower()
            kinds.append((header, value, kind))
    if script_hits and not named and _webmail(by_name):
        script_hits = [h for h in script_hits if h.name.lower() not in _SCRIPT_HEADERS]
    if script_hits:
        what = "PHPMailer" if named else "a PHP script"
        found.append(_finding(
            "mailer-script", "warning", f"Sent by a website script ({what})",
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
                found.append(_finding(
                    "mailer-odd", "notice", "Unusual mail program name",
                    f"The {header.name} header, which names the program that wrote the message, {odd}. "
                    "Real mail programs write their name and version there; spam software often leaves "
                    "it empty or fills it with random text.",
                    [Evidence(header.name, header.value)], question=1,
                ))
            continue
        if kind == "mailer-script":
            continue  # told above, with the script headers
        name = _short(value, 60)
        evidence = [Evidence(header.name, header.value)]
        if kind == "mailer-bulk":
            found.append(_finding(
                kind, "warning", f"Sent with mass-mailing software ({name})",
                f"\"{name}\" is a program for sending the same message to a great many people at "
                "once. Spammers use such programs with stolen passwords. Unless you use it yourself "
                "for newsletters, someone else sent this message.",
                evidence, question=1,
            ))
        elif kind == "mailer-old":
            found.append(_finding(
                kind, "warning", f"Claims an old mail program ({name})",
                f"The message says it was written with \"{name}\", a program that has not been sold "
                "or updated for many years. Spam software often pretends to be it. If nobody in your "
                "company still uses it, this message was not written by you.",
                evidence, question=1,
            ))
        elif kind == "mailer-library":
            found.append(_finding(
                kind, "notice", f"Sent by an application, not a mail program ({name})",
                f"\"{name}\" is a programming tool that applications use to send mail. That is "
                "normal if an application of yours (website, invoicing or booking software) sends "
                "mail through this mailbox; if nothing of yours does, find out what does.",
                evidence, question=1,
            ))
    written = by_name.get("x-mailer", ())
    if len(written) > 1 and len({h.value.strip().lower() for h in written}) > 1:
        found.append(_finding(
            "mailer-odd", "notice", "Two different mail programs named",
            "The message names more than one program in its X-Mailer headers. A message is written "
            "by one program; two names suggest that the headers were assembled by spam software.",
            [Evidence(h.name, h.value) for h in written], question=1,
        ))


def _webmail(by_name: dict[str, list[Header]]) -> bool:
    """Whether the mail program or the PHP script named is a webmail's."""
    for name in _MAILER_HEADERS:
        for header in by_name.get(name, ()):
            value = header.value[:_NAME_LIMIT].lower()
            if any(mark in value for mark in _WEBMAIL_MARKS):
                return True
    return False


@lru_cache(maxsize=1024)
def _odd_mailer(value: str) -> str | None:
    if not value:
        return "is empty"
    if not any(ch.isalpha() for ch in value):
        return f"holds only \"{_short(value)}\""
    if " " not in value and "/" not in value and "." not in value and _RANDOM_TOKEN.fullmatch(value):
        lower, upper, digit = (any(f(ch) for ch in value) for f in (str.islower, str.isupper, str.isdigit))
        if lower and upper and digit:
            return f"holds a random-looking string (\"{_short(value)}\")"
    return None


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list_address(facts: _Facts, address: str) -> bool:
    """Whether ``address`` belongs to the mailing list that delivered the message."""
    # Lists that set Reply-To to themselves are the usual case, not a scam.
    for name in ("list-post", "list-id"):
        for header in facts.values(name):
            value = header.value[:_NAME_LIMIT]
            listed = value[value.rfind("<") + 1:].partition(">")[0].removeprefix("mailto:")
            if same_organisation(address, listed):
                return True
    return False


def _reply_to_and_names(facts: _Facts, found: list[Finding]) -> None:
    sender = facts.from_address
    if not sender:
        return
    reply_to = facts.message.reply_to
    if not reply_to and (written := facts.by_name.get("reply-to")):
        reply_to = written[0].value
    reply_to = address_of(reply_to) if reply_to else None
    if reply_to and not same_organisation(sender, reply_to) and not _list_address(facts, reply_to):
        found.append(_finding(
            "reply-to-other-domain", "warning",
            f"Replies would go to {domain_of(reply_to)}, not {domain_of(sender)}",
            f"The Reply-To header sends answers to {reply_to}, on a different domain from the "
            f"sender's address {sender}. Scammers do this so that their victims' replies reach "
            "them. If you did not set this reply address yourself, the message was not written by you.",
            [facts.quote("reply-to"), facts.quote("from")], question=1,
        ))
    display = facts.from_display
    if display and (from_domain := facts.from_organisation):
        trick = (_display_trick if len(display) <= _CACHED_TEXT else _display_trick.__wrapped__)(
            display, sender, from_domain
        )
        if trick:
            found.append(_finding(
                "display-name-deceptive", "warning", f"Sender name shows {trick}",
                f"The sender's name reads \"{_short(display)}\" but the real address is {sender}. "
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


def _recipients(facts: _Facts, found: list[Finding]) -> None:
    message = facts.message
    to_values = facts.by_name.get("to", ())
    cc_values = facts.by_name.get("cc", ())
    # The analysis has split To and Cc into one entry per recipient already.
    count = len(message.to) + len(message.cc)
    if not count:
        count = sum(len(_ADDRESS.findall(h.value)) for h in (*to_values, *cc_values))
    if count >= 10:
        written = [*to_values, *cc_values][:_MAX_QUOTES]
        evidence = [Evidence(h.name, h.value) for h in written if "@" in h.value]
        found.append(_finding(
            "many-recipients", "warning" if count >= 50 else "notice", f"Sent to {count} recipients at once",
            f"The To and Cc lines hold {count} addresses. Spam filters treat one message sent to many "
            "people at once as spam, even when it is a genuine announcement. If you did not send "
            "it, this is a spam run from your mailbox; if you did, use a newsletter service for "
            "mass mailings rather than your mailbox.",
            evidence, question=1,
        ))
    spamcause = message.spamcause
    counted = spamcause.params.get("nb_rcptto") if spamcause is not None else None
    envelope = _int(counted) if counted is not None else None
    if envelope is not None and envelope >= 10 and envelope > count:
        found.append(_finding(
            "many-recipients-envelope", "warning" if envelope >= 50 else "notice",
            f"OVHcloud counted {envelope} recipients",
            f"OVHcloud's spam filter recorded that this message was addressed to {envelope} "
            "recipients, hidden copies (Bcc) included. Sending to that many people at once is what "
            "spam runs do; unless you sent a mailing yourself, someone else did.",
            [_decoded_spamcause(f"nb_rcptto={envelope}")], question=1,
        ))
    hidden = []
    for header in to_values:
        if "@" not in header.value and _UNDISCLOSED.search(header.value[:200]):
            hidden.append(header)
    if hidden or (not to_values and not message.to and facts.value("from") and facts.values("bcc")):
        found.append(_finding(
            "undisclosed-recipients", "notice", "The recipients are hidden",
            "The To line does not name the real recipients: they were put in hidden copy (Bcc). "
            "Mass mailings and spam do this so that nobody sees the list. If you did not send such "
            "a mailing, someone else did.",
            [*(Evidence(h.name, h.value) for h in hidden), facts.quote("bcc")], question=1,
        ))


def _int(text: object) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


# Where each method names the domain it checked, most telling first.
_DOMAIN_KEYS = {
    "spf": ("smtp.mailfrom", "envelope-from", "smtp.helo", "helo", "header.from"),
    "dkim": ("header.d", "header.i", "header.from"),
    "dmarc": ("header.from", "header.d", "smtp.mailfrom"),
}


def _auth_domain(method: str, properties: dict[str, str]) -> str | None:
    for key in _DOMAIN_KEYS[method]:
        value = properties.get(key)
        if value and value.strip().strip("<>").lower() != "none":
            return domain_of(value.strip().strip("<>"))
    return None


def _method_text(method: str, domain: str, result: str) -> str:
    """What the failure of an SPF, DKIM or DMARC check means, in words.

    f-strings rather than templates: str.format reads its template character by
    character on every call, which costs more than the rest of the rule.
    """
    if method == "spf":
        return (
            "SPF lets a domain list the servers allowed to send its mail. The receiving server found "
            f"that the server that sent this message is not on the list of {domain} ({result})."
        )
    if method == "dkim":
        return (
            f"DKIM is a digital signature a domain adds to its messages. The signature for {domain} "
            f"did not check out ({result}): the message was changed on the way, or the signature was forged."
        )
    return (
        "DMARC is the rule a domain's owner publishes for mail whose SPF and DKIM checks do not "
        f"match the sender's address. This message broke the rule of {domain} ({result})."
    )


def _authentication(facts: _Facts, found: list[Finding]) -> None:
    auth = facts.message.auth
    own = _organisation_of(facts.account) if facts.account else None
    # Most verdicts pass: unless one failed, or is "none" with an account to
    # compare its domain against, no method can make a finding.
    for result in auth:
        verdict = result.result
        if verdict == "pass":
            continue
        verdict = (verdict or "").lower()
        if verdict in _SEVERE_AUTH_RESULTS or (verdict == "none" and own is not None):
            break
    else:
        return
    # Each method's failed and "none" verdicts, methods in the order they first appear.
    by_method: dict[str, tuple[list[AuthResult], list[AuthResult]]] = {}
    for result in auth:
        method = result.method
        if method not in _DOMAIN_KEYS:  # parsers mostly give them lower-cased already
            method = (method or "").lower()
            if method not in _DOMAIN_KEYS:
                continue
        verdicts = by_method.get(method)
        if verdicts is None:
            verdicts = by_method[method] = ([], [])
        verdict = result.result
        if verdict == "pass":
            continue
        verdict = (verdict or "").lower()
        if verdict in _SEVERE_AUTH_RESULTS:
            verdicts[0].append(result)
        elif verdict == "none":
            verdicts[1].append(result)
    for method, (bad, none) in by_method.items():
        chosen = bad or none
        if not chosen or (not bad and own is None):
            continue
        result = (chosen[0].result or "").lower()
        for r in chosen:
            if domain := _auth_domain(method, r.properties):
                break
        if not bad and (own is None or domain is None or organisation_domain(domain) != own):
            continue
        theirs = domain is not None and own is not None and organisation_domain(domain) != own
        # Verdicts often share a header: each header and verdict is looked
        # for once, and each header quoted once.
        evidence: list[Evidence] = []
        asked: set[tuple[str, str | None]] = set()
        quoted_texts: set[tuple[str, str]] = set()
        for r in chosen[:_MAX_QUOTES]:
            if (r.header, r.result) in asked:
                continue
            asked.add((r.header, r.result))
            quoted = facts.quote(r.header, f"{method}={r.result}") or facts.quote(r.header, r.result)
            if quoted and (quoted.header, quoted.value) not in quoted_texts:
                quoted_texts.add((quoted.header, quoted.value))
                evidence.append(quoted)
        named = domain or "the sender's domain"
        if not bad:
            name = method.upper()
            found.append(_finding(
                f"{method}-none", "info", f"No {name} protection for your domain {domain}",
                f"The receiving server could not check {name} for {domain}: your domain does not "
                f"use it, or this message was not signed. SPF, DKIM and DMARC make it harder for "
                "others to send mail in your domain's name; whoever manages your domain's DNS can "
                "set them up (OVHcloud's guides explain how).",
                evidence,
            ))
            continue
        detail = _method_text(method, named, result)
        if result == "temperror":
            detail += (
                " A temporary error means the check could not be completed, so it proves little "
                "on its own."
            )
        elif theirs:
            detail += (
                f" The message claims to come from {named}, which did not authorise it: it was "
                "probably forged."
            )
        elif domain is not None and own is not None:
            detail += (
                " This is your own domain: if you did send this message, ask whoever manages your "
                "domain's DNS to fix the record (for OVHcloud mail, SPF should include mx.ovh.com)."
            )
        found.append(_finding(
            f"{method}-fail", "warning", f"{method.upper()} check failed for {named} ({result})",
            detail, evidence, question=1 if theirs else None,
        ))


def _identity_headers(facts: _Facts, found: list[Finding]) -> None:
    message = facts.message
    if not message.from_ and not facts.value("from"):
        return  # a partial paste (a few X- lines) is not a message missing its headers
    message_id = (message.message_id or facts.value("message-id") or "").strip()
    if not message_id:
        found.append(_finding(
            "message-id-missing", "notice", "No Message-ID",
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
            found.append(_finding(
                "date-unreadable", "notice", "The Date header cannot be read",
                f"The Date header reads \"{_short(date_value)}\", which is not a valid date. Mail "
                "programs write dates correctly; spam software often gets them wrong.",
                [facts.quote("date")],
            ))
        else:
            found.append(_finding(
                "date-missing", "notice", "No Date header",
                "Every message normally says when it was written (the Date header). This one does "
                "not, which is typical of spam software that builds messages by hand.",
                [facts.quote("date")],
            ))


def _foreign_message_id(facts: _Facts, message_id: str) -> Finding | None:
    sender = facts.from_address
    if not sender or "@" not in message_id:
        return None
    # The domain after the last "@", as domain_of reads it.
    id_domain = message_id.strip("<>").rpartition("@")[2].strip(" .<>[]").lower()
    if not id_domain:
        return None
    organisation = _organisation_of(id_domain)
    if organisation is not None and organisation == facts.from_organisation:
        return None
    if ("." + id_domain).endswith(_PROVIDER_ID_DOMAINS) or id_domain.endswith(".local"):
        return None
    sender_domain = domain_of(sender)
    return _finding(
        "message-id-foreign", "notice", f"Message-ID made by {id_domain}, not {sender_domain}",
        f"The message's identifier (Message-ID) was made by a machine calling itself {id_domain}, "
        f"while the sender's address is at {sender_domain}. Mail programs normally use the "
        "sender's domain or their mail provider's name, so the message was probably produced by "
        "other software than the sender's usual mail program, as spam tools do.",
        [facts.quote("message-id")],
    )


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            amount = round(seconds / size)
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    amount = round(seconds)
    return f"{amount} second{'s' if amount != 1 else ''}"


def _clocks(facts: _Facts, found: list[Finding]) -> None:
    hops = facts.message.hops
    if not hops:
        return
    skewed = 0
    for hop in hops:
        delay = hop.delay_s
        # Nearly every hop has a float of zero or more, or no delay (the first):
        # those are passed over before the full test.
        if delay.__class__ is float and delay >= 0 or delay is None:
            continue
        if skewed >= _MAX_HOP_FINDINGS:
            break
        if isinstance(delay, (int, float)) and math.isfinite(delay) and delay < 0:
            skewed += 1
            gap = _duration(delay)
            found.append(_finding(
                "hop-clock-skew", "notice",
                f"Hop {hop.index} is dated {gap} before the previous hop",
                f"Server {hop.by or hop.index} dated its Received line {gap} "
                "earlier than the server before it, as if the message arrived before it left. Servers' "
                "clocks often disagree by a few seconds; a large gap means a clock is wrong or this "
                "Received line was made up to mislead.",
                [facts.quote_hop(hop)], hop_index=hop.index,
            ))
    written = facts.message.date
    if not isinstance(written, datetime):
        return
    for first_hop in hops:
        if isinstance(first_hop.date, datetime):
            break
    else:
        return
    for last_hop in reversed(hops):
        if isinstance(last_hop.date, datetime):
            break
    # A date without a zone is taken as UTC (inline: this runs for every message).
    first, last = first_hop.date, last_hop.date
    if written.tzinfo is None:
        written = written.replace(tzinfo=timezone.utc)
    if first.tzinfo is None:
        first = first.replace(tzinfo=timezone.utc)
    if last.tzinfo is None:
        last = last.replace(tzinfo=timezone.utc)
    # Durations compare exactly as their seconds do; most messages are on time.
    early = first - written
    late = written - last
    if early <= _AN_HOUR and late <= _FIVE_MINUTES:
        return
    early, late = early.total_seconds(), late.total_seconds()
    date_evidence = facts.quote("date")
    if early > 3600:
        found.append(_finding(
            "date-before-first-hop", "notice", f"Dated {_duration(early)} before it was sent",
            f"The Date header is {_duration(early)} earlier than the moment the first server "
            "received the message. That happens when a message waits in an outbox while the "
            "computer is offline, and when spam software writes a made-up date.",
            [date_evidence, facts.quote_hop(first_hop)],
        ))
    if late > 300:
        found.append(_finding(
            "date-in-future", "warning" if late > 86400 else "notice",
            f"Dated {_duration(late)} in the future",
            f"The Date header is {_duration(late)} later than the moment the last server received "
            "the message. Either the sending computer's clock is wrong or the date was made up, "
            "as spam software does to stay at the top of inboxes.",
            [date_evidence, facts.quote_hop(last_hop)],
        ))


_CHECK_RULES = (
    "Check the rules (filters) of your mailbox in webmail and in Outlook or your other mail "
    "programs, and the redirections of the address in the OVHcloud Control Panel; remove any "
    "you did not create."
)


def _forwarding(facts: _Facts, found: list[Finding]) -> None:
    names = facts.by_name.keys()
    redirected = not names.isdisjoint(_REDIRECTION_MARKS)
    if redirected and not names.isdisjoint(_RESENT_HEADERS):
        found.append(_finding(
            "resent-headers", "notice", "Redirected on to another address (Resent headers)",
            "Resent- headers are added when a message is redirected to another address while "
            f"keeping its original sender. That suggests a redirection rule. {_CHECK_RULES}",
            [Evidence(h.name, h.value) for name in _RESENT_HEADERS for h in facts.values(name)[:_MAX_QUOTES]],
            question=2,
        ))
    forwarded = [
        Evidence(h.name, h.value) for name in _FORWARDING_HEADERS for h in facts.values(name)[:_MAX_QUOTES]
        # X-Forwarded-For holding an IP address is a web proxy's note, not mail forwarding.
        if name != "x-forwarded-for" or "@" in h.value
    ] if redirected and not names.isdisjoint(_FORWARDING_HEADERS) else None
    if forwarded:
        found.append(_finding(
            "forwarded-headers", "notice", "Forwarded automatically (X-Forwarded headers)",
            "Forwarding services and mail servers add X-Forwarded headers when they pass a message "
            f"on to another address. That suggests a redirection or forwarding rule. {_CHECK_RULES}",
            forwarded, question=2,
        ))
    services = facts.by_name.get(_FORWARDING_SERVICE)
    if services:
        name = _short(services[0].value, 60)
        found.append(_finding(
            "forwarding-service", "info", f"Passed on by a forwarding service ({name})",
            f"The forwarding service {name} passed this message on to another address. If that "
            "service forwards mail to you, it is the recipient's setting, not a rule of yours; if "
            "you set it up to forward your own mail elsewhere, check where it sends it.",
            [Evidence(h.name, h.value) for h in services[:_MAX_QUOTES]], question=2,
        ))
    srs = facts.srs_senders()
    if srs:
        sender, _ = srs[0]
        found.append(_finding(
            "srs-envelope", "notice", "Return address rewritten for forwarding (SRS)",
            f"The return address {sender} was rewritten with SRS, which servers do when they "
            f"forward a message automatically to another address. The original sender was "
            f"{unwrap_srs(sender)}. That is the mark of a redirection. {_CHECK_RULES}",
            [facts.evidence(source) for _, source in srs], question=2,
        ))
    if not names.isdisjoint(_DELIVERY_HEADERS):
        _delivery_addresses(facts, found)
    # Every forward prefix ends with a colon.
    head = facts.subject[:40]
    if ":" in head and (prefix := _FORWARD_PREFIX.match(head)):
        found.append(_finding(
            "subject-forward", "info", f"The subject starts with \"{prefix.group(1)}:\"",
            f"The \"{prefix.group(1)}:\" prefix means someone forwarded this message. Forwarding by "
            "hand is not a redirection rule, but some automatic rules forward this way too. If you "
            f"did not forward it yourself, check your mailbox rules. {_CHECK_RULES}",
            [facts.quote("subject")], question=2,
        ))


def _delivery_addresses(facts: _Facts, found: list[Finding]) -> None:
    by_name = facts.by_name
    delivered = by_name.get("delivered-to", ())
    # One line names one mailbox at most: the addresses are read only when there are several.
    distinct = []
    if len(delivered) > 1:
        distinct = [a for a in dict.fromkeys(address_of(h.value) for h in delivered) if a]
    if len(distinct) > 1:
        found.append(_finding(
            "delivered-to-several", "notice", f"Delivered to {len(distinct)} mailboxes in turn",
            f"The message carries {len(distinct)} Delivered-To lines ({', '.join(distinct[:4])}): it "
            "was delivered to one mailbox and then passed on to another, which is what a "
            f"redirection rule does. {_CHECK_RULES}",
            [Evidence(h.name, h.value) for h in delivered[:_MAX_QUOTES]], question=2,
        ))
    if not by_name.keys().isdisjoint(_LIST_HEADERS):
        return
    visible = set(map(address_of, facts.message.to))
    visible.update(map(address_of, facts.message.cc))
    visible.discard(None)
    if not visible:
        written = [*facts.values("to"), *facts.values("cc")]
        visible = {a.lower() for h in written for a in _ADDRESS.findall(h.value)}
        if not visible:
            return
    for name in _DELIVERY_HEADERS:
        if name == "delivered-to" and len(distinct) > 1:
            continue
        # The first line whose address is not visible, even if it holds no address.
        for header in by_name.get(name, ()):
            target = address_of(header.value)
            if target not in visible:
                break
        else:
            continue
        if target is None:
            continue
        yours = target == facts.account and facts.from_address != facts.account
        detail = (
            f"The message was delivered to {target}, which is not among its visible recipients. "
            "Hidden copies (Bcc) and mailing lists do that, and so do redirections: if "
            f"{target} passed it on, a rule there may be forwarding mail."
        )
        if yours:
            detail = (
                f"This message was first delivered to your mailbox {target} and then left it again, "
                "though it is not addressed to you: that is what a redirection rule does."
            )
        found.append(_finding(
            "delivered-to-differs" if name == "delivered-to" else "original-to-differs",
            "notice" if yours else "info", f"Delivered to {target}, who is not in To or Cc",
            f"{detail} {_CHECK_RULES}", [Evidence(header.name, header.value)], question=2,
        ))
        break


def _replies(facts: _Facts, found: list[Finding]) -> None:
    by_name = facts.by_name
    if "in-reply-to" in by_name or "references" in by_name:
        threading = []
        for name in ("in-reply-to", "references"):
            for header in by_name.get(name, ()):
                if header.value.strip():
                    threading.append(Evidence(header.name, header.value))
        if threading:
            earlier = _short(threading[0].value.split(None, 1)[0], 60)
            found.append(_finding(
                "reply-headers", "notice", "This message is a reply",
                f"The {threading[0].header} header shows this message answers an earlier one "
                f"({earlier}). Question 3 asks whether you replied to spam: replying to spam, even to "
                "say \"stop\", tells spammers your address works and can get your mailbox flagged. If "
                "the message answered here was spam, the honest answer is yes. Spam software sometimes "
                "fakes these headers, so check your Sent folder.",
                threading, question=3,
            ))
    # Every reply prefix but the French "réf" and "rép" ends with a colon.
    head = facts.subject[:40]
    if (":" in head or "é" in head or "É" in head) and (reply := _REPLY_PREFIX.match(head)):
        prefix = reply.group(0).strip()
        found.append(_finding(
            "reply-subject", "info", f"The subject starts with \"{prefix}\"",
            f"The \"{prefix}\" prefix marks this message as a reply. Spammers often add it to look "
            "familiar, so on its own it proves little: check in your Sent folder whether you "
            "wrote it, and what it answered.",
            [facts.quote("subject")], question=3,
        ))


def _ovh_verdict(facts: _Facts, found: list[Finding]) -> None:
    message = facts.message
    # A message filtered twice (sent, then received) carries two X-VR blocks.
    states = facts.by_name.get("x-vr-spamstate", ())
    scores = facts.by_name.get("x-vr-spamscore", ())
    if not (states or scores or message.spamstate or message.spamscore or message.spamcause):
        return
    if len(states) == 1:  # the usual case, without building a list to join
        state = states[0].value.strip() or message.spamstate or ""
    else:
        state = ", ".join([h.value.strip() for h in states]) or message.spamstate or ""
    state = state.strip()
    if len(scores) == 1:
        raw_scores = scores[0].value or message.spamscore
    else:
        raw_scores = ",".join([h.value for h in scores]) or message.spamscore
    score = None
    if raw_scores is not None:
        for part in str(raw_scores).split(","):
            number = _int(part)
            if number is not None and (score is None or number > score):
                score = number
    verdict = state.upper()
    flagged = "SPAM" in verdict or "PHISHING" in verdict or "VIRUS" in verdict or "SCAM" in verdict
    if flagged or (score is not None and score >= _SPAM_SCORE):
        found.append(_finding(
            "ovh-spam-verdict", "warning", f"OVHcloud's filter rated this message {state or 'spam'}",
            f"OVHcloud's spam filter gave this message the verdict {state or 'unknown'} with a score "
            f"of {score if score is not None else 'unknown'} (300 or more counts as spam). Messages "
            "like this one leaving your address are why the account was locked.",
            [Evidence(h.name, h.value) for h in (*states[:2], *scores[:2])],
        ))
    spamcause = message.spamcause
    if spamcause is None:
        return
    if spamcause.encrypted:
        found.append(_finding(
            "ovh-spamcause-encrypted", "info", "OVHcloud's spam explanation is encrypted",
            "The X-VR-SPAMCAUSE header uses OVHcloud's newer, encrypted form, so the reasons for "
            "the filter's verdict cannot be read. The rest of the analysis does not depend on it.",
            [facts.quote("x-vr-spamcause")],
        ))
    high = [(name.lstrip("^@!~ "), s) for name, s in spamcause.rules
            if isinstance(s, int) and s >= _HIGH_RULE_SCORE and name]
    if high:
        scored = [f"{name} ({s})" for name, s in high]
        found.append(_finding(
            "ovh-spam-rules", "warning", f"Spam rules matched: {', '.join([name for name, _ in high])}",
            "OVHcloud's filter explained its verdict in the X-VR-SPAMCAUSE header, decoded here. "
            f"The rules that counted against the message were: {', '.join(scored)}. A total of 300 or "
            "more makes a message spam.",
            [_decoded_spamcause("; ".join(scored))],
        ))


_RULES = (
    _sender_identity,
    _origin_expectations,
    _client_expectations,
    _origin_network,
    _mailers,
    _reply_to_and_names,
    _recipients,
    _authentication,
    _identity_headers,
    _clocks,
    _forwarding,
    _replies,
    _ovh_verdict,
)
