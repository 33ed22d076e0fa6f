"""The case in words: evidence lines and remediation lines for the reply, and the Markdown case report.

The report is what the user keeps (or hands to their IT person): a timeline,
the evidence per message, the answers, the reply and the checklist. It never
contains a password.
"""

from __future__ import annotations

from datetime import datetime

from tui.core.case import Case
from tui.core.model import Message
from tui.core.products import get_product
from tui.core.questions import question

_SERIOUS = ("critical", "warning")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M %z") if value else "date unknown"


def _origin_words(message: Message, language: str) -> str:
    origin = message.origin
    if not origin.ip:
        return ""
    where = origin.ip + (f" ({origin.country})" if origin.country else "")
    return f"depuis {where}" if language == "fr" else f"from {where}"


def evidence_lines(messages: list[Message], account: str | None, language: str = "en") -> list[str]:
    """One line per message with serious findings: when, from where, as whom, and why it is suspicious."""
    lines = []
    for number, message in enumerate(messages, start=1):
        serious = [f for f in message.findings if f.severity in _SERIOUS]
        if not serious:
            continue
        parts = [f"Message {number} ({_when(message.date)})"]
        if message.origin.authenticated_as:
            parts.append(("connecté en tant que " if language == "fr" else "authenticated as ")
                         + message.origin.authenticated_as)
        origin = _origin_words(message, language)
        if origin:
            parts.append(origin)
        if message.from_:
            parts.append(f"From: {message.from_}")
        titles = "; ".join(f.title for f in serious[:3])
        lines.append(", ".join(parts) + f": {titles}")
    return lines


def remediation_lines(case: Case, language: str = "en") -> list[str]:
    """What the user has done so far, in sentences for the reply."""
    fr = language == "fr"
    lines = []
    scanned = [d for d in case.devices if d.scanned_at]
    if scanned:
        details = ", ".join(f"{d.name}: {d.result or '?'}" for d in scanned)
        lines.append((f"Analyse antivirus de {len(scanned)} appareil(s) ({details})." if fr
                      else f"Scanned {len(scanned)} device(s) with an anti-virus ({details})."))
    updated = [s for s in case.software if s.updated_at]
    if updated:
        names = ", ".join(s.name for s in updated)
        lines.append((f"Mise à jour des logiciels utilisant l'adresse : {names}." if fr
                      else f"Updated the software that uses the address: {names}."))
    if case.password_changed_at:
        lines.append("Mot de passe changé pour un mot de passe fort." if fr
                     else "Changed the password to a strong one.")
    return lines


def case_report(case: Case, messages: list[Message]) -> str:
    """The whole case as Markdown."""
    out: list[str] = []
    title = case.address or "new case"
    out.append(f"# unblock case report: {title}\n")
    out.append(f"- Product: {get_product(case.product).label if case.product else 'not chosen'}"
               + (" (confirmed)" if case.product_confirmed else ""))
    out.append(f"- Service: {case.service or 'unknown'}")
    out.append(f"- Suspicious messages according to the ticket: "
               f"{case.suspicious_count if case.suspicious_count is not None else 'not stated'}")
    out.append(f"- Case opened: {case.created_at}; last change: {case.updated_at}")
    where = case.expected_countries + case.own_ips + case.own_clients
    out.append(f"- Normally sends from: {', '.join(where) if where else 'not stated'}\n")

    out.append("## Timeline\n")
    events = [(m.date, n) for n, m in enumerate(messages, start=1) if m.date]
    for date, number in sorted(events):
        message = messages[number - 1]
        origin = _origin_words(message, "en")
        out.append(f"- {_when(date)}: message {number} {origin} — {message.subject or '(no subject)'}")
    for device in case.devices:
        if device.scanned_at:
            out.append(f"- {device.scanned_at}: scanned {device.name}: {device.result or '?'}")
    for item in case.software:
        if item.updated_at:
            out.append(f"- {item.updated_at}: updated {item.name}")
    if case.password_changed_at:
        out.append(f"- {case.password_changed_at}: password changed")
    out.append("")

    out.append("## Evidence\n")
    if not messages:
        out.append("No header sample was analysed.\n")
    for number, message in enumerate(messages, start=1):
        out.append(f"### Message {number}: {message.subject or '(no subject)'}\n")
        out.append(f"- Source: {message.source} #{message.index}")
        out.append(f"- From: {message.from_ or '-'}")
        out.append(f"- Date: {_when(message.date)}")
        origin = message.origin
        out.append(f"- Origin: {origin.ip or 'unknown'}"
                   + (f" ({origin.country})" if origin.country else "")
                   + (f", read from {origin.source_header}" if origin.source_header else ""))
        out.append(f"- Authenticated as: {origin.authenticated_as or '-'}")
        out.append(f"- Client: {origin.client or '-'}")
        if message.findings:
            out.append("")
            for finding in message.findings:
                out.append(f"- **{finding.severity}**: {finding.title}. {finding.detail}")
                for evidence in finding.evidence[:3]:
                    out.append(f"    - `{evidence.header}: {_code(evidence.value)}`")
        out.append("")

    out.append("## Answers\n")
    language = case.ticket_language or "en"
    for number in (1, 2, 3):
        answer = case.answers.get(number)
        choice = answer.choice if answer and answer.choice else "not answered"
        comment = f" — {answer.comment}" if answer and answer.comment else ""
        out.append(f"{number}. {question(number, language)}  \n   **{choice}**{comment}")
    out.append("")

    out.append("## Reply\n")
    if case.reply_text:
        out.append("```text")
        out.append(case.reply_text.replace("```", "'''"))
        out.append("```\n")
    else:
        out.append("Not drafted yet.\n")

    out.append("## Checklist\n")
    for device in case.devices:
        mark = "x" if device.scanned_at else " "
        out.append(f"- [{mark}] Anti-virus scan: {device.name}"
                   + (f" ({device.result}, {device.scanned_at})" if device.scanned_at else ""))
    for item in case.software:
        mark = "x" if item.updated_at else " "
        out.append(f"- [{mark}] Updated with the new password: {item.name} ({item.kind})")
    out.append(f"- [{'x' if case.password_changed_at else ' '}] Password changed to a strong one")
    out.append("")
    return "\n".join(out)


def _code(value: str) -> str:
    return " ".join(value.replace("`", "'").split())[:300]
