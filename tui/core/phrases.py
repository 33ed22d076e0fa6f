"""What each finding is called in the suggestions and in the reply, in English and French.

The findings' own titles are English and speak to the user ("a country you
send from"). The reply speaks to OVHcloud support for the customer, in the
first person ("a country we send from"), and in one language throughout; the
suggestions speak to the user in either language. So every FindingId has a
short phrase here in both languages, with a second wording only where the
person matters (``voice`` "reply" or "user").

Every value taken from a header goes through ``plain`` or ``quoted``:
terminal-safe, on one line, cut to a length, and (``quoted``) inside the
language's quotation marks, so a header can neither drive a terminal nor pass
for the reply's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.addresses import address_of, domain_of
from tui.core.findings.ids import FindingId
from tui.core.results import Finding, Message
from tui.core.sanitise import terminal_safe

LANGUAGES = ("en", "fr")
VOICES = ("reply", "user")
# Long enough to recognise a program, a subject or a sender; short enough that
# a hostile header cannot swell a sentence.
VALUE_LIMIT = 60
_QUOTES = {"en": ("\u201c", "\u201d"), "fr": ("\u00ab\u00a0", "\u00a0\u00bb")}
# Marks that would end or start a quotation inside a quoted value.
_QUOTE_MARKS = str.maketrans({'"': "'", "\u201c": "'", "\u201d": "'", "\u00ab": "'", "\u00bb": "'"})


def plain(value: object, limit: int = VALUE_LIMIT) -> str:
    """``value`` as text that is safe to show: terminal-safe, one line, at most ``limit`` characters."""
    text = " ".join(str(value)[: limit * 4].split())
    text = terminal_safe(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quoted(value: object, language: str = "en", limit: int = VALUE_LIMIT) -> str:
    """``plain(value)`` inside the quotation marks of ``language``, its own quotation marks neutralised."""
    opening, closing = _QUOTES.get(language, _QUOTES["en"])
    return f"{opening}{plain(value, limit).translate(_QUOTE_MARKS)}{closing}"


@dataclass(frozen=True, slots=True)
class Words:
    """A finding's phrase in each language; ``user_en``/``user_fr`` where speaking to the user differs."""

    en: str
    fr: str
    user_en: str | None = None
    user_fr: str | None = None

    def text(self, language: str, voice: str) -> str:
        if voice == "user":
            chosen = self.user_fr if language == "fr" else self.user_en
            if chosen is not None:
                return chosen
        return self.fr if language == "fr" else self.en


# {login}, {country}, {ip}, {sender_domain}, {sender}, {program}, {recipients},
# {counted}, {verdict}, {rules}, {reply_domain}, {id_domain} and {target} come
# from the message (see _details); a phrase names only what it is about.
PHRASES: dict[FindingId, Words] = {
    FindingId.AUTH_AS_ACCOUNT: Words(
        "sent with the password of {login}", "envoyé avec le mot de passe de {login}"),
    FindingId.AUTH_NOT_ACCOUNT: Words(
        "sent from another mailbox ({login})", "envoyé depuis une autre boîte ({login})"),
    FindingId.AUTH_OTHER_DOMAIN: Words(
        "sent with the password of {login} but claiming to come from {sender_domain}",
        "envoyé avec le mot de passe de {login} mais au nom de {sender_domain}"),
    FindingId.AUTH_OTHER_MAILBOX: Words(
        "sent by logging in to another mailbox of the domain ({login})",
        "envoyé en se connectant à une autre boîte du domaine ({login})"),
    FindingId.CLIENT_EXPECTED: Words(
        "written with a mail program we use", "écrit avec un logiciel de messagerie que nous utilisons",
        "written with a mail program you use", "écrit avec un logiciel de messagerie que vous utilisez"),
    FindingId.CLIENT_UNEXPECTED: Words(
        "written with a mail program we do not use ({program})",
        "écrit avec un logiciel de messagerie que nous n'utilisons pas ({program})",
        "written with a mail program you did not list ({program})",
        "écrit avec un logiciel de messagerie que vous n'avez pas indiqué ({program})"),
    FindingId.DATE_BEFORE_FIRST_HOP: Words("dated well before it was sent", "daté bien avant son envoi"),
    FindingId.DATE_IN_FUTURE: Words("dated in the future", "daté dans le futur"),
    FindingId.DATE_MISSING: Words("no Date header", "aucun en-tête Date"),
    FindingId.DATE_UNREADABLE: Words("an unreadable Date header", "un en-tête Date illisible"),
    FindingId.DELIVERED_TO_DIFFERS: Words(
        "delivered to {target}, who is not among its recipients",
        "remis à {target}, qui ne fait pas partie de ses destinataires"),
    FindingId.DELIVERED_TO_SEVERAL: Words(
        "delivered to several mailboxes in turn", "remis à plusieurs boîtes l'une après l'autre"),
    FindingId.ORIGINAL_TO_DIFFERS: Words(
        "first addressed to {target}, who is not among its recipients",
        "adressé d'abord à {target}, qui ne fait pas partie de ses destinataires"),
    FindingId.DISPLAY_NAME_DECEPTIVE: Words(
        "a sender name that passes for someone else", "un nom d'expéditeur qui se fait passer pour un autre"),
    FindingId.DKIM_FAIL: Words("the DKIM signature check failed", "la vérification de la signature DKIM a échoué"),
    FindingId.DKIM_NONE: Words(
        "no DKIM signature for our domain", "aucune signature DKIM pour notre domaine",
        "no DKIM signature for your domain", "aucune signature DKIM pour votre domaine"),
    FindingId.DMARC_FAIL: Words("the DMARC check failed", "la vérification DMARC a échoué"),
    FindingId.DMARC_NONE: Words(
        "no DMARC policy for our domain", "aucune politique DMARC pour notre domaine",
        "no DMARC policy for your domain", "aucune politique DMARC pour votre domaine"),
    FindingId.FORWARDED_HEADERS: Words(
        "forwarded automatically (X-Forwarded headers)", "transféré automatiquement (en-têtes X-Forwarded)"),
    FindingId.FORWARDING_SERVICE: Words(
        "passed on by a forwarding service", "relayé par un service de transfert"),
    FindingId.FROM_OTHER_ADDRESS: Words(
        "sent as {sender} after logging in as {login}",
        "envoyé sous l'adresse {sender} après connexion en tant que {login}"),
    FindingId.HOP_CLOCK_SKEW: Words(
        "a server's clock out of step in the Received lines",
        "une horloge de serveur décalée dans les lignes Received"),
    FindingId.MAILER_BULK: Words(
        "sent with mass-mailing software ({program})", "envoyé avec un logiciel d'envoi en masse ({program})"),
    FindingId.MAILER_LIBRARY: Words(
        "sent by an application, not a mail program ({program})",
        "envoyé par une application, pas par un logiciel de messagerie ({program})"),
    FindingId.MAILER_ODD: Words("an unusual mail program name", "un nom de logiciel de messagerie inhabituel"),
    FindingId.MAILER_OLD: Words(
        "claims a long-outdated mail program ({program})",
        "se réclame d'un logiciel de messagerie obsolète ({program})"),
    FindingId.MAILER_SCRIPT: Words("sent by a website script", "envoyé par un script de site web"),
    FindingId.MANY_RECIPIENTS: Words(
        "sent to {recipients} recipients at once", "envoyé à {recipients} destinataires à la fois"),
    FindingId.MANY_RECIPIENTS_ENVELOPE: Words(
        "addressed to {counted} recipients, as counted by OVHcloud",
        "adressé à {counted} destinataires selon le décompte d'OVHcloud"),
    FindingId.MESSAGE_ID_FOREIGN: Words(
        "a Message-ID made by {id_domain}, not by the sender's domain",
        "un Message-ID créé par {id_domain} et non par le domaine de l'expéditeur"),
    FindingId.MESSAGE_ID_MISSING: Words("no Message-ID", "aucun Message-ID"),
    FindingId.ORIGIN_COUNTRY_EXPECTED: Words(
        "sent from {country}, a country we send from", "envoyé depuis {country}, un pays d'où nous envoyons",
        "sent from {country}, a country you send from", "envoyé depuis {country}, un pays d'où vous envoyez"),
    FindingId.ORIGIN_COUNTRY_UNEXPECTED: Words(
        "sent from {country}, not a country we send from",
        "envoyé depuis {country}, un pays d'où nous n'envoyons pas",
        "sent from {country}, not a country you send from",
        "envoyé depuis {country}, un pays d'où vous n'envoyez pas"),
    FindingId.ORIGIN_HOSTING: Words(
        "sent from a rented server ({ip}), not from a home or an office",
        "envoyé depuis un serveur loué ({ip}), et non depuis un domicile ou un bureau"),
    FindingId.ORIGIN_IP_EXPECTED: Words(
        "sent from our own IP address {ip}", "envoyé depuis notre propre adresse IP {ip}",
        "sent from your own IP address {ip}", "envoyé depuis votre propre adresse IP {ip}"),
    FindingId.ORIGIN_IP_UNEXPECTED: Words(
        "sent from {ip}, not one of our IP addresses", "envoyé depuis {ip}, qui n'est pas une de nos adresses IP",
        "sent from {ip}, an address you did not list", "envoyé depuis {ip}, une adresse que vous n'avez pas indiquée"),
    FindingId.ORIGIN_RESIDENTIAL: Words(
        "sent from a home or mobile internet connection", "envoyé depuis une connexion internet domestique ou mobile"),
    FindingId.OVH_SPAM_RULES: Words(
        "OVHcloud's spam rules matched ({rules})", "règles anti-spam d'OVHcloud déclenchées ({rules})"),
    FindingId.OVH_SPAM_VERDICT: Words(
        "rated {verdict} by OVHcloud's filter", "classé {verdict} par le filtre d'OVHcloud"),
    FindingId.OVH_SPAMCAUSE_ENCRYPTED: Words(
        "OVHcloud's spam explanation is encrypted", "l'explication du filtre d'OVHcloud est chiffrée"),
    FindingId.REPLY_HEADERS: Words("a reply to an earlier message", "une réponse à un message antérieur"),
    FindingId.REPLY_SUBJECT: Words(
        "a subject that starts like a reply", "un objet qui commence comme une réponse"),
    FindingId.REPLY_TO_OTHER_DOMAIN: Words(
        "replies would go to another domain ({reply_domain})",
        "les réponses partiraient vers un autre domaine ({reply_domain})"),
    FindingId.RESENT_HEADERS: Words(
        "redirected on to another address (Resent headers)", "redirigé vers une autre adresse (en-têtes Resent)"),
    FindingId.SPF_FAIL: Words("the SPF check failed", "la vérification SPF a échoué"),
    FindingId.SPF_NONE: Words(
        "no SPF record for our domain", "aucun enregistrement SPF pour notre domaine",
        "no SPF record for your domain", "aucun enregistrement SPF pour votre domaine"),
    FindingId.SRS_ENVELOPE: Words(
        "return address rewritten for forwarding (SRS)", "adresse de retour réécrite pour un transfert (SRS)"),
    FindingId.SUBJECT_FORWARD: Words(
        "a subject that starts like a forward", "un objet qui commence comme un transfert"),
    FindingId.UNDISCLOSED_RECIPIENTS: Words("recipients hidden", "destinataires masqués"),
}

# The same findings over many messages, where the phrase would name one message's details.
GENERAL: dict[FindingId, Words] = {
    FindingId.AUTH_AS_ACCOUNT: Words("sent with the mailbox's password", "envoyé avec le mot de passe de la boîte"),
    FindingId.AUTH_OTHER_DOMAIN: Words(
        "sent with the mailbox's password but claiming to come from another domain",
        "envoyé avec le mot de passe de la boîte mais au nom d'un autre domaine"),
    FindingId.FROM_OTHER_ADDRESS: Words(
        "sent under another address than the one logged in", "envoyé sous une autre adresse que celle connectée"),
    FindingId.DELIVERED_TO_DIFFERS: Words(
        "delivered to an address that is not among its recipients",
        "remis à une adresse qui ne fait pas partie de ses destinataires"),
    FindingId.ORIGINAL_TO_DIFFERS: Words(
        "first addressed to an address that is not among its recipients",
        "adressé d'abord à une adresse qui ne fait pas partie de ses destinataires"),
    FindingId.MANY_RECIPIENTS: Words("sent to many recipients at once", "envoyé à de nombreux destinataires à la fois"),
    FindingId.MANY_RECIPIENTS_ENVELOPE: Words(
        "addressed to many recipients, as counted by OVHcloud",
        "adressé à de nombreux destinataires selon le décompte d'OVHcloud"),
    FindingId.ORIGIN_COUNTRY_EXPECTED: Words(
        "sent from a country we send from", "envoyé depuis un pays d'où nous envoyons",
        "sent from a country you send from", "envoyé depuis un pays d'où vous envoyez"),
    FindingId.ORIGIN_COUNTRY_UNEXPECTED: Words(
        "sent from a country we do not send from", "envoyé depuis un pays d'où nous n'envoyons pas",
        "sent from a country you do not send from", "envoyé depuis un pays d'où vous n'envoyez pas"),
    FindingId.ORIGIN_IP_EXPECTED: Words(
        "sent from our own IP addresses", "envoyé depuis nos propres adresses IP",
        "sent from your own IP addresses", "envoyé depuis vos propres adresses IP"),
    FindingId.ORIGIN_IP_UNEXPECTED: Words(
        "sent from IP addresses that are not ours", "envoyé depuis des adresses IP qui ne sont pas les nôtres",
        "sent from IP addresses you did not list", "envoyé depuis des adresses IP que vous n'avez pas indiquées"),
    FindingId.OVH_SPAM_VERDICT: Words("rated spam by OVHcloud's filter", "classé spam par le filtre d'OVHcloud"),
    FindingId.MESSAGE_ID_FOREIGN: Words(
        "a Message-ID not made by the sender's domain", "un Message-ID qui n'a pas été créé par le domaine de l'expéditeur"),
}
# A detail in brackets at the end of a phrase, left out where it would name one message among many.
_DETAIL = re.compile(r" \(\{[a-z_]+\}\)")

# A finding whose id is not registered (a rule added elsewhere) is named by the question it bears on.
_BY_QUESTION = {
    1: Words("a sign that someone else sent it", "un signe que quelqu'un d'autre l'a envoyé"),
    2: Words("a sign of forwarding", "un signe de transfert"),
    3: Words("a sign of a reply", "un signe de réponse"),
    None: Words("an unusual sign in the headers", "un signe inhabituel dans les en-têtes"),
}
# What a detail is called when the message does not say it.
_UNKNOWN = {"en": "unknown", "fr": "inconnu"}
_MANY = {"en": "many", "fr": "de nombreux"}


def finding_phrase(finding: Finding, message: Message, language: str = "en", voice: str = "reply") -> str:
    """What ``finding`` (about ``message``) is called in ``language``, speaking for the customer or to the user."""
    words = PHRASES.get(finding.id) if isinstance(finding.id, FindingId) else None
    if words is None:
        words = _BY_QUESTION.get(finding.question, _BY_QUESTION[None])
    template = words.text(language, voice)
    if "{" not in template:
        return template
    return template.format_map(_details(finding, message, language))


def general_phrase(finding: Finding, language: str = "en", voice: str = "reply") -> str:
    """What ``finding`` is called when it is counted over many messages: without one message's details."""
    words = GENERAL.get(finding.id) if isinstance(finding.id, FindingId) else None
    if words is None:
        words = PHRASES.get(finding.id) if isinstance(finding.id, FindingId) else None
    if words is None:
        words = _BY_QUESTION.get(finding.question, _BY_QUESTION[None])
    return _DETAIL.sub("", words.text(language, voice))


def _details(finding: Finding, message: Message, language: str) -> dict[str, str]:
    """The message's details a phrase may name, each made safe to show."""
    unknown = _UNKNOWN.get(language, _UNKNOWN["en"])
    origin = message.origin
    sender = address_of(message.from_)
    login = origin.authenticated_as if origin is not None else None
    recipients = len(message.to) + len(message.cc)
    spamcause = message.spamcause
    counted = spamcause.params.get("nb_rcptto") if spamcause is not None else None
    rules = [name.lstrip("^@!~ ") for name, score in spamcause.rules
             if isinstance(score, int) and score >= 100] if spamcause is not None else []
    target = next((address_of(e.value) for e in finding.evidence if address_of(e.value)), None)
    message_id = (message.message_id or "").strip("<> ")
    return {
        "login": plain(login or unknown),
        "country": plain((origin.country if origin is not None else None) or unknown, 8),
        "ip": plain((origin.ip if origin is not None else None) or unknown, 45),
        "sender": plain(sender or unknown),
        "sender_domain": plain(domain_of(sender) or unknown),
        "program": quoted(program_of(message) or unknown, language, 40),
        "recipients": str(recipients) if recipients >= 10 else _MANY.get(language, _MANY["en"]),
        "counted": plain(counted, 8) if counted else _MANY.get(language, _MANY["en"]),
        "verdict": plain(message.spamstate or "SPAM", 20),
        "rules": plain(", ".join(rules[:3]) or unknown),
        "reply_domain": plain(domain_of(address_of(message.reply_to)) or unknown),
        "id_domain": plain(message_id.rpartition("@")[2] or unknown),
        "target": plain(target or unknown),
    }


def program_of(message: Message) -> str | None:
    """The mail program the message names (X-Mailer, User-Agent), else the one the origin shows."""
    headers = message.headers
    for name in ("x-mailer", "user-agent"):
        value = headers.get(name) if headers is not None else None
        if value and value.strip():
            return value
    origin = message.origin
    return origin.client if origin is not None else None
