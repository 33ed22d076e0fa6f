"""Suggested answers to the ticket's three questions, drawn from the findings.

``suggest_answers`` reads the findings of every analysed message and proposes
"yes", "no" or "not sure" for each question (the wording of the questions
themselves is in ``questions``), with a plain reason that names the messages
and headers it rests on. It suggests; the user decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.addresses import address_of
from tui.core.findings.ids import FindingId
from tui.core.model import Evidence, Finding, Message
from tui.core.questions import help_text

# Findings that show the message is the user's own normal sending, as opposed
# to findings that cast doubt on it.
_CONSISTENT = frozenset({
    FindingId.AUTH_AS_ACCOUNT, FindingId.ORIGIN_COUNTRY_EXPECTED, FindingId.ORIGIN_IP_EXPECTED,
    FindingId.CLIENT_EXPECTED,
})
_MATCHES_USER = frozenset({FindingId.ORIGIN_COUNTRY_EXPECTED, FindingId.ORIGIN_IP_EXPECTED})
# Unusual but common for genuine senders (a home line, a mobile); never enough
# to say "no" on its own.
_NOT_DECISIVE = frozenset({FindingId.ORIGIN_RESIDENTIAL})
# Forwarding and reply findings above "info" are marks a message only gets by
# being redirected or by answering another one; "info" ones (a "Fwd:" or "Re:"
# subject, a Bcc-like Delivered-To) only hint at it.
_HINT = "info"
_MAX_EVIDENCE = 8
# Past a few messages, naming each one makes the reason unreadable.
_MAX_NAMED = 5


@dataclass(slots=True)
class Suggestion:
    """A proposed answer to one ticket question, with why and what shows it."""

    question: int
    answer: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)


def suggest_answers(messages: list[Message], account: str | None) -> list[Suggestion]:
    """One Suggestion for each ticket question, 1 to 3, over all ``messages``."""
    numbered = list(enumerate(messages, start=1))
    account = address_of(account)
    return [_sender(numbered, account), _redirection(numbered), _reply(numbered, account)]


def _about(message: Message, question: int) -> list[Finding]:
    return [f for f in message.findings if f.question == question]


def _collect(findings: list[Finding]) -> list[Evidence]:
    gathered: list[Evidence] = []
    for finding in findings:
        for evidence in finding.evidence:
            if evidence not in gathered:
                gathered.append(evidence)
                if len(gathered) == _MAX_EVIDENCE:
                    return gathered
    return gathered


def _listing(found: list[tuple[int, Finding]]) -> str:
    """ "This message is a reply (messages 1 and 3); ..." for the findings of numbered messages."""
    numbers: dict[str, list[int]] = {}
    for number, finding in found:
        where = numbers.setdefault(finding.title, [])
        if not where or where[-1] != number:
            where.append(number)
    return "; ".join(f"{title} ({_messages(where)})" for title, where in list(numbers.items())[:4])


def _messages(numbers: list[int]) -> str:
    """ "message 2", "messages 1 and 3", "messages 1, 2, 3, 4 and 6 others"."""
    if len(numbers) == 1:
        return f"message {numbers[0]}"
    if len(numbers) > _MAX_NAMED:
        shown = ", ".join(map(str, numbers[: _MAX_NAMED - 1]))
        return f"messages {shown} and {len(numbers) - _MAX_NAMED + 1} others"
    return "messages " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _where(message: Message) -> str:
    """ "from 176.117.72.186 (RU)", or nothing when the origin is unknown."""
    origin = message.origin
    if origin is None or not origin.ip:
        return ""
    return f" from {origin.ip}" + (f" ({origin.country})" if origin.country else "")


def _sender_verdict(message: Message) -> tuple[str, list[Finding]]:
    findings = _about(message, 1)
    against = [f for f in findings if f.id not in _CONSISTENT]
    decisive = [
        f for f in against
        if f.severity == "critical" or (f.severity == "warning" and f.id not in _NOT_DECISIVE)
    ]
    if decisive:
        return "no", decisive
    ids = {f.id for f in findings}
    doubts = [f for f in against if f.severity != "info"]
    if FindingId.AUTH_AS_ACCOUNT in ids and ids & _MATCHES_USER and not doubts:
        return "yes", [f for f in findings if f.id in _CONSISTENT]
    return "not sure", doubts or findings


def _sender(numbered: list[tuple[int, Message]], account: str | None) -> Suggestion:
    if not numbered:
        return Suggestion(1, "not sure", "There is no message to judge from. " + help_text(1), [])
    verdicts = [(n, m, *_sender_verdict(m)) for n, m in numbered]
    refused = [(n, m, f) for n, m, answer, f in verdicts if answer == "no"]
    if refused:
        reasons = " ".join(_refusal(n, m, f) for n, m, f in refused[:_MAX_NAMED])
        if len(refused) > _MAX_NAMED:
            reasons += f" {len(refused) - _MAX_NAMED} other messages show the same kind of signs."
        if all(f.id == FindingId.AUTH_NOT_ACCOUNT for *_, fs in refused for f in fs):
            advice = "They went out through another mailbox than yours."
        elif any(_login(m) for _, m, _ in refused):
            advice = (
                "Your own mail programs do not send like that: someone else has your password. "
                "Scan your devices, then change it."
            )
        else:
            advice = "These are not the marks of your own sending."
        return Suggestion(1, "no", f"{reasons} {advice}", _collect([f for *_, fs in refused for f in fs]))
    if all(answer == "yes" for *_, answer, _ in verdicts):
        which = "Every message" if len(verdicts) > 1 else "The message"
        return Suggestion(1, "yes", (
            f"{which} was sent after logging in as {account or 'your address'}, from a place you "
            "said you send from, and nothing else in the headers looks unusual. " + help_text(1)
        ), _collect([f for *_, fs in verdicts for f in fs]))
    unsure = [(n, fs) for n, _, answer, fs in verdicts if answer == "not sure"]
    parts = []
    for n, findings in unsure:
        doubts = [f.title for f in findings if f.id not in _CONSISTENT and f.severity != "info"]
        if doubts:
            parts.append(f"message {n}: " + "; ".join(doubts[:3]))
        elif any(f.id == FindingId.AUTH_AS_ACCOUNT for f in findings):
            parts.append(f"message {n} was sent with your password, which fits your own sending")
        else:
            parts.append(f"message {n} does not show who logged in to send it")
    these = "these messages" if len(numbered) > 1 else "this message"
    reason = (
        f"Nothing in the headers proves that someone else sent {these}, but nothing confirms it "
        f"was you either ({'; '.join(parts[:4])})."
    )
    if not any(f.id in _MATCHES_USER for _, fs in unsure for f in fs):
        reason += " Tell unblock which countries and IP addresses you send from so it can compare."
    evidence = _collect([f for _, fs in unsure for f in fs])
    return Suggestion(1, "not sure", f"{reason} {help_text(1)}", evidence)


def _login(message: Message) -> str | None:
    return message.origin.authenticated_as if message.origin is not None else None


def _refusal(number: int, message: Message, findings: list[Finding]) -> str:
    login = _login(message)
    opening = f"Message {number} was sent"
    if login:
        opening += f" after logging in as {login}"
    opening += _where(message)
    titles = "; ".join(f.title for f in findings[:3])
    return f"{opening}: {titles}."


def _redirection(numbered: list[tuple[int, Message]]) -> Suggestion:
    found = [(n, f) for n, m in numbered for f in _about(m, 2)]
    check = help_text(2)
    if not found:
        return Suggestion(2, "no", (
            "The headers show no sign of a redirection: no Resent or X-Forwarded headers, no "
            f"rewritten return address. Headers cannot show every rule, though. {check}"
        ), [])
    strong = [(n, f) for n, f in found if f.severity != _HINT]
    shown = strong or found
    evidence = _collect([f for _, f in shown])
    if strong:
        return Suggestion(2, "yes", (
            f"The headers carry the marks of automatic forwarding: {_listing(shown)}. Find the "
            f"rule that does it and remove it if you did not create it. {check}"
        ), evidence)
    return Suggestion(2, "not sure", (
        f"Some headers hint at forwarding ({_listing(shown)}), but nothing proves a redirection "
        f"rule. {check}"
    ), evidence)


def _reply(numbered: list[tuple[int, Message]], account: str | None) -> Suggestion:
    found = [(n, m, f) for n, m in numbered for f in _about(m, 3)]
    check = help_text(3)
    if not found:
        return Suggestion(3, "no", (
            "None of the messages is marked as a reply (no In-Reply-To or References header, no "
            f"\"Re:\" subject). Check your Sent folder to be sure. {check}"
        ), [])
    # A reply only counts as yours when the same message shows your own
    # sending; a spammer using your password fakes "Re:" to look familiar.
    yours = [(n, f) for n, m, f in found if f.severity != _HINT and _sender_verdict(m)[0] != "no"]
    shown = yours or [(n, f) for n, _, f in found]
    evidence = _collect([f for _, f in shown])
    if yours:
        who = f" from {account}" if account else ""
        return Suggestion(3, "yes", (
            f"A reply was sent{who}: {_listing(shown)}. If the message it answered was spam, the "
            f"answer is yes. {check}"
        ), evidence)
    return Suggestion(3, "not sure", (
        f"Some messages look like replies ({_listing(shown)}), but spammers fake that too. Check "
        f"in your Sent folder whether you answered any spam. {check}"
    ), evidence)
