"""The case in words: the Markdown case report (F9), and the evidence and remediation lines of the reply.

The report is what the user keeps (or hands to their IT person): a timeline,
the evidence per message, the answers, the reply and the checklist, in the
report's language. It never contains a password. Everything in it that came
from a header or was typed by the user is escaped (``sanitise.for_markdown``
and ``for_markdown_code``): no control character, escape sequence or bidi
control reaches the file, and no header can make a link, an image, a heading
or HTML of its own, so ``cat`` and any Markdown viewer show it as written.
"""

from __future__ import annotations

import re
from datetime import datetime

from tui.core.case import Case
from tui.core.results import Message
from tui.core.phrases import finding_phrase
from tui.core.products import get_product
from tui.core.questions import choice_label, question
from tui.core.reply import Remediation
from tui.core.sanitise import for_markdown, for_markdown_code, terminal_safe_lines
from tui.core.summary import evidence_summary

# Letters, digits and the punctuation of an address that Markdown leaves alone.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.@+-]{1,254}")
# Evidence quoted per finding, and the length of each quoted value.
_QUOTES = 3
_QUOTE_LIMIT = 300

_WORDS = {
    "en": {
        "title": "# unblock case report: {title}",
        "new_case": "new case",
        "product": "- Product: {product}",
        "not_chosen": "not chosen",
        "confirmed": " (confirmed)",
        "service": "- Service: {service}",
        "unknown": "unknown",
        "count": "- Suspicious messages according to the ticket: {count}",
        "not_stated": "not stated",
        "dates": "- Case opened: {created}; last change: {updated}",
        "sends_from": "- Normally sends from: {where}",
        "timeline": "## Timeline",
        "message_event": "- {when}: message {n}{origin} — {subject}",
        "from": " from {where}",
        "scan_event": "- {when}: scanned {device}: {result}",
        "update_event": "- {when}: updated {program}",
        "password_event": "- {when}: password changed",
        "evidence": "## Evidence",
        "no_sample": "No header sample was analysed.",
        "message": "### Message {n}: {subject}",
        "no_subject": "(no subject)",
        "source": "- Source: {source} #{index}",
        "sender": "- From: {sender}",
        "date": "- Date: {date}",
        "date_unknown": "date unknown",
        "origin": "- Origin: {origin}",
        "read_from": ", read from {header}",
        "login": "- Authenticated as: {login}",
        "client": "- Client: {client}",
        "answers": "## Answers",
        "not_answered": "not answered",
        "reply": "## Reply",
        "not_drafted": "Not drafted yet.",
        "checklist": "## Checklist",
        "scan_item": "- [{mark}] Anti-virus scan: {device}",
        "scan_done": " ({result}, {when})",
        "program_item": "- [{mark}] Updated with the new password: {program} ({kind})",
        "password_item": "- [{mark}] Password changed",
        "severity": {"info": "info", "notice": "notice", "warning": "warning", "critical": "critical"},
    },
    "fr": {
        "title": "# Rapport de cas unblock : {title}",
        "new_case": "nouveau cas",
        "product": "- Produit : {product}",
        "not_chosen": "non choisi",
        "confirmed": " (confirmé)",
        "service": "- Service : {service}",
        "unknown": "inconnu",
        "count": "- Messages suspects selon le ticket : {count}",
        "not_stated": "non indiqué",
        "dates": "- Cas ouvert : {created} ; dernière modification : {updated}",
        "sends_from": "- Envoie habituellement depuis : {where}",
        "timeline": "## Chronologie",
        "message_event": "- {when} : message {n}{origin} — {subject}",
        "from": " depuis {where}",
        "scan_event": "- {when} : analyse de {device} : {result}",
        "update_event": "- {when} : mise à jour de {program}",
        "password_event": "- {when} : mot de passe changé",
        "evidence": "## Éléments",
        "no_sample": "Aucun échantillon d'en-têtes n'a été analysé.",
        "message": "### Message {n} : {subject}",
        "no_subject": "(sans objet)",
        "source": "- Source : {source} n° {index}",
        "sender": "- Expéditeur : {sender}",
        "date": "- Date : {date}",
        "date_unknown": "date inconnue",
        "origin": "- Origine : {origin}",
        "read_from": ", lue dans {header}",
        "login": "- Connexion en tant que : {login}",
        "client": "- Logiciel : {client}",
        "answers": "## Réponses",
        "not_answered": "sans réponse",
        "reply": "## Réponse au ticket",
        "not_drafted": "Pas encore rédigée.",
        "checklist": "## Liste de contrôle",
        "scan_item": "- [{mark}] Analyse antivirus : {device}",
        "scan_done": " ({result}, {when})",
        "program_item": "- [{mark}] Nouveau mot de passe saisi : {program} ({kind})",
        "password_item": "- [{mark}] Mot de passe changé",
        "severity": {"info": "info", "notice": "remarque", "warning": "avertissement", "critical": "critique"},
    },
}


def evidence_lines(messages: list[Message], account: str | None = None, language: str = "en") -> list[str]:
    """The reply's evidence section: a bounded summary of ``messages`` (see ``summary.evidence_summary``).

    ``account`` is not needed any more and is accepted for the callers that still pass it.
    """
    return evidence_summary(messages, language)


def remediation_lines(case: Case, language: str = "en") -> list[str]:
    """What the case records as done, in sentences for the reply."""
    return Remediation.of(case).lines(language)


def _when(value: datetime | None, words: dict) -> str:
    return value.strftime("%Y-%m-%d %H:%M %z") if value else words["date_unknown"]


def _stamp(value: str | None) -> str:
    """A time the case recorded, as a date and time; anything else it may hold, escaped."""
    try:
        return datetime.fromisoformat(value or "").strftime("%Y-%m-%d %H:%M %z").strip()
    except ValueError:
        return for_markdown(value or "?")


def _code(value: str | None) -> str:
    """A value from a header or typed by the user, as an inline code span: shown as written, never formatted."""
    text = for_markdown_code(value or "", _QUOTE_LIMIT)
    return f"`{text}`" if text else "-"


def _address(address: str) -> str:
    """The blocked address as written when it holds nothing Markdown or a terminal could act on, else a code span."""
    return address if _PLAIN_ADDRESS.fullmatch(address) else _code(address)


def _origin(message: Message) -> str:
    origin = message.origin
    if origin is None or not origin.ip:
        return ""
    return _code(origin.ip + (f" ({origin.country})" if origin.country else ""))


def case_report(case: Case, messages: list[Message], language: str | None = None) -> str:
    """The whole case as Markdown, in ``language`` (default: the reply's)."""
    language = language if language in _WORDS else case.reply_language if case.reply_language in _WORDS else "en"
    words = _WORDS[language]
    out: list[str] = [words["title"].format(title=_address(case.address) if case.address else words["new_case"]), ""]
    product = get_product(case.product, language).label if case.product else words["not_chosen"]
    out.append(words["product"].format(product=product + (words["confirmed"] if case.product_confirmed else "")))
    out.append(words["service"].format(service=_code(case.service) if case.service else words["unknown"]))
    count = case.suspicious_count if case.suspicious_count is not None else words["not_stated"]
    out.append(words["count"].format(count=count))
    out.append(words["dates"].format(created=_stamp(case.created_at), updated=_stamp(case.updated_at)))
    where = case.expected_countries + case.own_ips + case.own_clients
    out += [words["sends_from"].format(where=_code(", ".join(where)) if where else words["not_stated"]), ""]
    out += _timeline(case, messages, words) + _evidence(messages, language, words)
    out += _answers(case, language, words) + _reply(case, words) + _checklist(case, words)
    return "\n".join(out)


def _timeline(case: Case, messages: list[Message], words: dict) -> list[str]:
    out = [words["timeline"], ""]
    events = sorted((m.date, n) for n, m in enumerate(messages, start=1) if m.date)
    for date, number in events:
        message = messages[number - 1]
        origin = _origin(message)
        out.append(words["message_event"].format(
            when=_when(date, words), n=number, origin=words["from"].format(where=origin) if origin else "",
            subject=_code(message.subject) if message.subject else words["no_subject"]))
    for device in case.devices:
        if device.scanned_at:
            out.append(words["scan_event"].format(when=_stamp(device.scanned_at), device=_code(device.name),
                                                  result=_code(device.result or "?")))
    for item in case.software:
        if item.updated_at:
            out.append(words["update_event"].format(when=_stamp(item.updated_at), program=_code(item.name)))
    if case.password_changed_at:
        out.append(words["password_event"].format(when=_stamp(case.password_changed_at)))
    return out + [""]


def _evidence(messages: list[Message], language: str, words: dict) -> list[str]:
    out = [words["evidence"], ""]
    if not messages:
        out += [words["no_sample"], ""]
    for number, message in enumerate(messages, start=1):
        origin = message.origin
        where = _origin(message) or words["unknown"]
        if origin is not None and origin.ip and origin.source_header:
            where += words["read_from"].format(header=_code(origin.source_header))
        out += [
            words["message"].format(n=number, subject=_code(message.subject) if message.subject else words["no_subject"]),
            "",
            words["source"].format(source=_code(message.source), index=message.index),
            words["sender"].format(sender=_code(message.from_)),
            words["date"].format(date=_when(message.date, words)),
            words["origin"].format(origin=where),
            words["login"].format(login=_code(origin.authenticated_as if origin else None)),
            words["client"].format(client=_code(origin.client if origin else None)),
        ]
        if message.findings:
            out.append("")
            for finding in message.findings:
                severity = words["severity"].get(finding.severity, for_markdown(finding.severity))
                if language == "en":
                    said = f"{for_markdown(finding.title)}. {for_markdown(finding.detail)}"
                else:
                    # The findings' titles and details are English: the report says what the reply says.
                    said = for_markdown(finding_phrase(finding, message, language, "user"))
                out.append(f"- **{severity}**: {said}" if language == "en" else f"- **{severity}** : {said}")
                for evidence in finding.evidence[:_QUOTES]:
                    out.append(f"    - {_code(f'{evidence.header}: {evidence.value}')}")
        out.append("")
    return out


def _answers(case: Case, language: str, words: dict) -> list[str]:
    out = [words["answers"], ""]
    for number in (1, 2, 3):
        answer = case.answers.get(number)
        # Lower case, as the answer is said in a sentence ("**no**", "**je ne sais pas**").
        choice = choice_label(answer.choice, language).lower() if answer and answer.choice else words["not_answered"]
        comment = f" — {_code(answer.comment)}" if answer and answer.comment else ""
        out.append(f"{number}. {question(number, language)}  \n   **{choice}**{comment}")
    return out + [""]


def _reply(case: Case, words: dict) -> list[str]:
    if not case.reply_text:
        return [words["reply"], "", words["not_drafted"], ""]
    # Inside a fence nothing is Markdown; only a fence of its own could end it early.
    text = terminal_safe_lines(case.reply_text).replace("```", "'''")
    return [words["reply"], "", "```text", text, "```", ""]


def _checklist(case: Case, words: dict) -> list[str]:
    out = [words["checklist"], ""]
    for device in case.devices:
        line = words["scan_item"].format(mark="x" if device.scanned_at else " ", device=_code(device.name))
        if device.scanned_at:
            line += words["scan_done"].format(result=_code(device.result or "?"), when=_stamp(device.scanned_at))
        out.append(line)
    for item in case.software:
        out.append(words["program_item"].format(mark="x" if item.updated_at else " ", program=_code(item.name),
                                                kind=for_markdown(item.kind)))
    out.append(words["password_item"].format(mark="x" if case.password_changed_at else " "))
    return out + [""]
