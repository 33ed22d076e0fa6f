"""The evidence section of the reply: what the analysed headers show, summarised for OVHcloud support.

Written for the customer in the first person ("not a country we send from"),
about OVHcloud in the third, in one language. However many messages were
analysed it stays a few lines: how many look sent by someone else, when they
were first and last seen, the countries, addresses, logins and mail programs
they came from with their counts, the signs seen most often, and a few of the
most telling messages. The full headers are offered on request, never listed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tui.core.answers import sender_verdict
from tui.core.findings.ids import FindingId
from tui.core.results import Finding, Message
from tui.core.phrases import finding_phrase, general_phrase, plain, program_of, quoted
from tui.core.reasons import joined, number, say

# What the evidence section may take when nobody says: the rest of a reply
# (answers, what was done, greetings) fits in the other half of 4,000.
EVIDENCE_ROOM = 2000
# The most telling messages shown one by one, and the entries of each count.
_EXAMPLES = 3
_TOP = 3
_SIGNS = 4
_SEVERITY_RANK = {"critical": 0, "warning": 1, "notice": 2, "info": 3}

_LINES = {
    "en": {
        "one": "The message analysed shows signs that someone else sent it.",
        "some": "{bad} of the {total} messages analysed show signs that someone else sent them.",
        "some_one": "1 of the {total} messages analysed shows signs that someone else sent it.",
        "all": "All {total} messages analysed show signs that someone else sent them.",
        "none_one": "The message analysed shows no clear sign that someone else sent it.",
        "none": "None of the {total} messages analysed shows a clear sign that someone else sent it.",
        "ours": "{ours} match our own sending.",
        "ours_single": "One matches our own sending.",
        "ours_one": "It matches our own sending.",
        "between": "They were sent between {first} and {last}.",
        "on": "It was sent on {first}.",
        "countries": "Countries they were sent from: {items}.",
        "addresses": "Sending IP addresses: {items}.",
        "logins": "Logged in as: {items}.",
        "programs": "Mail programs named: {items}.",
        "signs": "Signs seen most often: {items}.",
        "others": "{items} and {count} others",
        "other": "{items} and 1 other",
        "example": "{when}{where}{login}, sender {sender}, subject {subject}: {signs}.",
        "example_where": ", from {ip}",
        "example_where_country": ", from {ip} ({country})",
        "example_login": ", logged in as {login}",
        "no_date": "Date unknown",
        "no_value": "none",
        "on_request": "The full headers of every message analysed are available on request.",
    },
    "fr": {
        "one": "Le message analysé montre des signes d'envoi par quelqu'un d'autre.",
        "some": "{bad} des {total} messages analysés montrent des signes d'envoi par quelqu'un d'autre.",
        "some_one": "1 des {total} messages analysés montre des signes d'envoi par quelqu'un d'autre.",
        "all": "Les {total} messages analysés montrent tous des signes d'envoi par quelqu'un d'autre.",
        "none_one": "Le message analysé ne montre aucun signe clair d'envoi par quelqu'un d'autre.",
        "none": "Aucun des {total} messages analysés ne montre de signe clair d'envoi par quelqu'un d'autre.",
        "ours": "{ours} correspondent à nos propres envois.",
        "ours_single": "L'un d'eux correspond à nos propres envois.",
        "ours_one": "Il correspond à nos propres envois.",
        "between": "Ils ont été envoyés entre le {first} et le {last}.",
        "on": "Il a été envoyé le {first}.",
        "countries": "Pays d'envoi : {items}.",
        "addresses": "Adresses IP d'envoi : {items}.",
        "logins": "Connexions en tant que : {items}.",
        "programs": "Logiciels de messagerie indiqués : {items}.",
        "signs": "Signes les plus fréquents : {items}.",
        "others": "{items} et {count} autres",
        "other": "{items} et 1 autre",
        "example": "{when}{where}{login}, expéditeur {sender}, objet {subject} : {signs}.",
        "example_where": ", depuis {ip}",
        "example_where_country": ", depuis {ip} ({country})",
        "example_login": ", connexion en tant que {login}",
        "no_date": "Date inconnue",
        "no_value": "aucun",
        "on_request": "Les en-têtes complets de chaque message analysé sont disponibles sur demande.",
    },
}


def _words(language: str) -> dict[str, str]:
    return _LINES.get(language, _LINES["en"])


def when_sent(message: Message) -> datetime | None:
    """When the first server recorded ``message`` (the sender's own Date can lie), in UTC."""
    for hop in message.hops:
        if isinstance(hop.date, datetime):
            moment = hop.date
            break
    else:
        moment = message.date
    if not isinstance(moment, datetime):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def evidence_summary(messages: list[Message], language: str = "en", room: int = EVIDENCE_ROOM) -> list[str]:
    """The evidence section's lines, in ``language``, together (with their "- " and line breaks) at
    most ``room`` characters; empty when nothing was analysed."""
    if not messages:
        return []
    words = _words(language)
    judged = [(m, *sender_verdict(m)) for m in messages]
    suspicious = [(m, findings) for m, answer, findings in judged if answer == "no"]
    ours = sum(1 for _, answer, _ in judged if answer == "yes")
    # (priority, line): the lowest priorities are dropped first when room is short.
    lines: list[tuple[int, str]] = [(0, _counts(len(messages), len(suspicious), ours, language))]
    if suspicious:
        dates = sorted(d for m, _ in suspicious if (d := when_sent(m)) is not None)
        if dates:
            period = (words["on"].format(first=_moment(dates[0])) if dates[0] == dates[-1]
                      else words["between"].format(first=_moment(dates[0]), last=_moment(dates[-1])))
            lines.append((1, period))
    many = len(suspicious) > _EXAMPLES
    if many:
        bad = [m for m, _ in suspicious]
        origins = [m.origin for m in bad if m.origin is not None]
        countries = Counter(plain(o.country, 8) for o in origins if o.country)
        addresses = Counter(plain(o.ip, 45) for o in origins if o.ip)
        logins = Counter(plain(o.authenticated_as) for o in origins if o.authenticated_as)
        programs = Counter(quoted(p, language, 40) for m in bad if (p := program_of(m)))
        # Each sign counted once per message, in the order of the most serious.
        signs = Counter(phrase for _, fs in suspicious for phrase in dict.fromkeys(
            general_phrase(f, language) for f in _telling(fs)))
        lines += [
            (2, _counted("countries", countries, language)),
            (3, _counted("addresses", addresses, language, labels=_countries_of(bad))),
            (5, _counted("signs", signs, language, _SIGNS)),
            (6, _counted("logins", logins, language)),
            (7, _counted("programs", programs, language)),
        ]
    examples = sorted(suspicious, key=_most_telling)[:_EXAMPLES]
    lines += [(4 if rank == 0 else 8, _example(m, fs, language)) for rank, (m, fs) in enumerate(examples)]
    lines = [(priority, line) for priority, line in lines if line]
    closing = words["on_request"]
    budget = room - _size(closing)
    while lines and sum(_size(line) for _, line in lines) > budget:
        lines.remove(max(lines, key=lambda item: item[0]))
    return [line for _, line in lines] + [closing] if budget >= 0 else []


def _size(line: str) -> int:
    return len(line) + 3  # "- " before it, a line break after


def _counts(total: int, bad: int, ours: int, language: str) -> str:
    words = _words(language)
    if total == 1:
        line = words["one"] if bad else words["none_one"]
        return line + (" " + words["ours_one"] if ours else "")
    if bad == 0:
        line = words["none"].format(total=number(total, language))
    elif bad == total:
        line = words["all"].format(total=number(total, language))
    else:
        line = words["some_one" if bad == 1 else "some"].format(bad=number(bad, language), total=number(total, language))
    if ours:
        line += " " + (words["ours_single"] if ours == 1 else words["ours"].format(ours=number(ours, language)))
    return line


def _counted(key: str, counts: Counter, language: str, most: int = _TOP, labels: dict[str, str] | None = None) -> str:
    """ "Countries they were sent from: RU (1,960), NG (980) and 3 others." ``labels`` go before each count."""
    if not counts:
        return ""
    words = _words(language)
    labels = labels or {}
    items = [f"{name} ({labels[name] + ', ' if name in labels else ''}{number(count, language)})"
             for name, count in counts.most_common(most)]
    rest = len(counts) - most
    if rest > 0:
        listed = words["other" if rest == 1 else "others"].format(items=", ".join(items), count=number(rest, language))
    else:
        listed = joined(items, language)
    return words[key].format(items=listed)


def _countries_of(messages: list[Message]) -> dict[str, str]:
    """Each sending address with the country it was seen in first."""
    country: dict[str, str] = {}
    for m in messages:
        if m.origin is not None and m.origin.ip and m.origin.country:
            country.setdefault(plain(m.origin.ip, 45), plain(m.origin.country, 8))
    return country


def _telling(findings: list[Finding]) -> list[Finding]:
    """The findings worth naming for a message judged not the user's, most serious first."""
    return sorted(findings, key=lambda f: _SEVERITY_RANK.get(f.severity, 9))


def _most_telling(item: tuple[Message, list[Finding]]) -> tuple[int, int]:
    """Messages with a critical finding first, then those with the most signs."""
    message, findings = item
    worst = min((_SEVERITY_RANK.get(f.severity, 9) for f in findings), default=9)
    return worst, -len(findings)


def _example(message: Message, findings: list[Finding], language: str) -> str:
    words = _words(language)
    moment = when_sent(message)
    origin = message.origin
    where = ""
    if origin is not None and origin.ip:
        key = "example_where_country" if origin.country else "example_where"
        where = words[key].format(ip=plain(origin.ip, 45), country=plain(origin.country or "", 8))
    login = origin.authenticated_as if origin is not None else None
    # The login is already named by the finding that says whose password sent it.
    named = any(f.id in (FindingId.AUTH_OTHER_DOMAIN, FindingId.AUTH_AS_ACCOUNT) for f in findings)
    signs = dict.fromkeys(finding_phrase(f, message, language) for f in _telling(findings))
    return words["example"].format(
        when=_moment(moment) if moment else words["no_date"],
        where=where,
        login=words["example_login"].format(login=plain(login)) if login and not named else "",
        sender=quoted(message.from_ or words["no_value"], language),
        subject=quoted(message.subject or words["no_value"], language),
        signs=say(language, "then").join(list(signs)[:3]),
    )
