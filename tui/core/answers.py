"""Suggested answers to the ticket's three questions, drawn from the findings, and never more sure than they show.

``suggest_answers`` reads the findings of every analysed message and proposes
"yes", "no" or "not sure" for each question, with a confidence ("high",
"medium", "low"), a reason in the user's language that says how to check, and
the headers it rests on. It suggests; the user decides.

- Question 1 (the sender): a message the user's own sending cannot explain
  makes it "no"; "yes" needs every message to match where and how the user
  said they send.
- Question 2 (a redirection rule): marks of forwarding in the headers, or a
  redirection the OVHcloud API found (``RedirectionCheck``), make it "yes".
  Without either it is "not sure": a rule leaves no mark on messages it did
  not redirect. It becomes "no" (medium at most) only when the API looked,
  found none and the headers agree, since inbox rules made in a mail program
  or the webmail stay invisible to the API.
- Question 3 (replied to spam): a reply proves a reply, not that the answered
  message was spam. "yes" needs the answered message among the analysed ones
  and judged spam (a filter's verdict, or the signs that would make question 1
  "no"), or the reply still carrying a filter's tag or verdict. A reply
  without that is "not sure". With no reply marks at all it is "no" with low
  confidence: a reply leaves marks (In-Reply-To, References, "Re:") on the
  very messages analysed, unlike a redirection rule, so their absence is
  evidence, if weak; the reason says to check the Sent folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.addresses import address_of
from tui.core.findings.ids import FindingId
from tui.core.results import Evidence, Finding, Message
from tui.core.phrases import finding_phrase, plain, quoted
from tui.core.questions import help_text
from tui.core.reasons import MAX_NAMED, message_numbers, number, say
from tui.core.verdicts import answered_ids, filter_verdicts, message_key, spam_tag

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
# On a message the user received and answered, these say only that someone
# else wrote it (which an answered message always is) or that a list or a
# forwarder passed it on: not that it was spam.
_NOT_SPAM_BY_ITSELF = frozenset({
    FindingId.AUTH_NOT_ACCOUNT, FindingId.AUTH_OTHER_MAILBOX, FindingId.FROM_OTHER_ADDRESS,
    FindingId.ORIGIN_COUNTRY_UNEXPECTED, FindingId.ORIGIN_IP_UNEXPECTED, FindingId.CLIENT_UNEXPECTED,
    FindingId.ORIGIN_RESIDENTIAL, FindingId.SPF_FAIL, FindingId.DKIM_FAIL, FindingId.DMARC_FAIL,
})
# Marks only a redirection leaves, strong enough for "high" on their own.
_REDIRECTED = frozenset({FindingId.RESENT_HEADERS, FindingId.DELIVERED_TO_SEVERAL})
# Forwarding and reply findings above "info" are marks a message only gets by
# being redirected or by answering another one; "info" ones (a "Fwd:" or "Re:"
# subject, a Bcc-like Delivered-To) only hint at it.
_HINT = "info"
_MAX_EVIDENCE = 8


@dataclass(slots=True)
class Suggestion:
    """A proposed answer to one ticket question: the answer, how sure, why, and what shows it.

    ``answer`` is one of questions.CHOICES, ``confidence`` one of
    questions.CONFIDENCES; ``reason`` is in the language asked for and safe to
    show; ``evidence`` quotes headers as written (sanitise them where shown).
    """

    question: int
    answer: str
    confidence: str
    reason: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RedirectionCheck:
    """What the OVHcloud API said about the blocked address's redirections.

    ``checked`` is False when the API could not be asked; ``found`` lists each
    redirection as (from, to); ``not_visible`` is an optional note, shown as
    given, on what this check could not see. Inbox rules made in a mail
    program or the webmail are never visible to it, and the reason says so.
    """

    checked: bool
    found: list[tuple[str, str]] = field(default_factory=list)
    not_visible: str = ""


def redirection_check(record: dict | None) -> RedirectionCheck | None:
    """A case's record of what the OVHcloud API showed of its redirections (None when it was not asked)."""
    if not record:
        return None
    found = [(str(item.get("from")), str(item.get("to"))) for item in record.get("found") or ()
             if isinstance(item, dict)]
    return RedirectionCheck(bool(record.get("checked")), found, str(record.get("not_visible") or ""))


def suggest_answers(
    messages: list[Message],
    account: str | None,
    language: str = "en",
    redirection: RedirectionCheck | None = None,
) -> list[Suggestion]:
    """One Suggestion for each ticket question, 1 to 3, over all ``messages``, worded in ``language``."""
    numbered = list(enumerate(messages, start=1))
    account = address_of(account)
    return [
        _sender(numbered, account, language),
        _redirection(numbered, language, redirection),
        _reply(numbered, language),
    ]


def sender_verdict(message: Message) -> tuple[str, list[Finding]]:
    """Whether ``message`` looks sent by the user ("yes", "no", "not sure"), and the findings that say so."""
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


def _signs(findings: list[Finding], message: Message, language: str, most: int = 3) -> str:
    """The first ``most`` findings' phrases, to the user, one after the other."""
    phrases = dict.fromkeys(finding_phrase(f, message, language, "user") for f in findings)
    return say(language, "then").join(list(phrases)[:most])


def _listing(found: list[tuple[int, Message, Finding]], language: str) -> str:
    """ "a reply to an earlier message (messages 1 and 3); ..." for findings of numbered messages."""
    numbers: dict[str, list[int]] = {}
    for index, message, finding in found:
        where = numbers.setdefault(finding_phrase(finding, message, language, "user"), [])
        if not where or where[-1] != index:
            where.append(index)
    return say(language, "then").join(
        f"{phrase} ({message_numbers(where, language)})" for phrase, where in list(numbers.items())[:4])


def _finish(question: int, reason: str, language: str) -> str:
    return f"{reason} {help_text(question, language)}"


# -- question 1: the sender -------------------------------------------------------------------


def _sender(numbered: list[tuple[int, Message]], account: str | None, language: str) -> Suggestion:
    if not numbered:
        return Suggestion(1, "not sure", "low", _finish(1, say(language, "no_message"), language))
    verdicts = [(n, m, *sender_verdict(m)) for n, m in numbered]
    refused = [(n, m, f) for n, m, answer, f in verdicts if answer == "no"]
    if refused:
        reasons = " ".join(_refusal(n, m, f, language) for n, m, f in refused[:MAX_NAMED])
        if len(refused) > MAX_NAMED:
            more = len(refused) - MAX_NAMED
            reasons += " " + say(language, "other_same" if more == 1 else "others_same", count=number(more, language))
        if all(f.id == FindingId.AUTH_NOT_ACCOUNT for *_, fs in refused for f in fs):
            advice = say(language, "advice_other_mailbox")
        elif any(_login(m) for _, m, _ in refused):
            advice = say(language, "advice_password")
        else:
            advice = say(language, "advice_marks")
        strong = any(f.severity == "critical" for *_, fs in refused for f in fs) or any(
            len(fs) > 1 for *_, fs in refused)
        return Suggestion(1, "no", "high" if strong else "medium", _finish(1, f"{reasons} {advice}", language),
                          _collect([f for *_, fs in refused for f in fs]))
    if all(answer == "yes" for *_, answer, _ in verdicts):
        key = "yes_every" if len(verdicts) > 1 else "yes_one"
        reason = say(language, key, account=plain(account) if account else say(language, "your_address"))
        own_ip = all(any(f.id == FindingId.ORIGIN_IP_EXPECTED for f in fs) for *_, fs in verdicts)
        return Suggestion(1, "yes", "high" if own_ip else "medium", _finish(1, reason, language),
                          _collect([f for *_, fs in verdicts for f in fs]))
    unsure = [(n, m, fs) for n, m, answer, fs in verdicts if answer == "not sure"]
    parts = []
    for n, message, findings in unsure[:4]:
        doubts = [f for f in findings if f.id not in _CONSISTENT and f.severity != "info"]
        if doubts:
            parts.append(say(language, "part_doubts", n=n, signs=_signs(doubts, message, language)))
        elif any(f.id == FindingId.AUTH_AS_ACCOUNT for f in findings):
            parts.append(say(language, "part_password", n=n))
        else:
            parts.append(say(language, "part_no_login", n=n))
    reason = say(language, "unsure_many" if len(numbered) > 1 else "unsure_one", parts=say(language, "then").join(parts))
    if not any(f.id in _MATCHES_USER for *_, fs in unsure for f in fs):
        reason += " " + say(language, "tell_where")
    evidence = _collect([f for *_, fs in unsure for f in fs])
    return Suggestion(1, "not sure", "low", _finish(1, reason, language), evidence)


def _login(message: Message) -> str | None:
    return message.origin.authenticated_as if message.origin is not None else None


def _refusal(number: int, message: Message, findings: list[Finding], language: str) -> str:
    login = _login(message)
    origin = message.origin
    where = ""
    if origin is not None and origin.ip:
        if origin.country:
            where = say(language, "where_country", ip=plain(origin.ip, 45), country=plain(origin.country, 8))
        else:
            where = say(language, "where", ip=plain(origin.ip, 45))
    signs = _signs(findings, message, language)
    if not login and not where:
        return say(language, "refused_bare", n=number, signs=signs)
    return say(language, "refused", n=number, where=where, signs=signs,
               login=say(language, "refused_login", login=plain(login)) if login else "")


# -- question 2: a redirection rule -----------------------------------------------------------


def _redirection(numbered: list[tuple[int, Message]], language: str,
                 check: RedirectionCheck | None) -> Suggestion:
    found = [(n, m, f) for n, m in numbered for f in _about(m, 2)]
    strong = [(n, m, f) for n, m, f in found if f.severity != _HINT]
    checked = check is not None and check.checked
    notes = []
    if check is not None and check.not_visible.strip():
        notes.append(say(language, "api_note", note=plain(check.not_visible, 300)))
    if checked and check.found:
        source, target = check.found[0]
        key = "api_found_more" if len(check.found) > 1 else "api_found"
        reason = say(language, key, source=plain(source), target=plain(target), count=len(check.found) - 1)
        if strong:
            reason += " " + say(language, "forwarding_marks", listing=_listing(strong, language))
        return Suggestion(2, "yes", "high", _finish(2, " ".join([reason, *notes]), language),
                          _collect([f for *_, f in strong]))
    if strong:
        ids = {f.id for *_, f in strong}
        yours = any(f.id == FindingId.DELIVERED_TO_DIFFERS for *_, f in strong)
        confidence = "high" if ids & _REDIRECTED or yours or len(ids) > 1 else "medium"
        reason = say(language, "forwarding_marks", listing=_listing(strong, language))
        if checked:
            reason += " " + say(language, "api_none_but_marks")
        return Suggestion(2, "yes", confidence, _finish(2, " ".join([reason, *notes]), language),
                          _collect([f for *_, f in strong]))
    if checked and numbered and not found:
        # The API sees the Control Panel's redirections only: "no" would claim more than it saw.
        reason = " ".join([say(language, "api_none"), say(language, "api_blind"),
                           say(language, "how_to_check_rules"), *notes])
        return Suggestion(2, "not sure", "medium", _finish(2, reason, language), [])
    how = say(language, "how_to_check_rules")
    if found:
        reason = say(language, "forwarding_hints", listing=_listing(found, language))
    else:
        reason = say(language, "no_forwarding_marks")
    if checked:
        reason += " " + say(language, "api_blind")
    return Suggestion(2, "not sure", "low", _finish(2, " ".join([reason, how, *notes]), language),
                      _collect([f for *_, f in found]))


# -- question 3: replied to spam --------------------------------------------------------------


def _spam_signs(message: Message) -> list[Finding]:
    """What makes an answered message spam: the signs that would make question 1 "no", bar those
    that only say someone else wrote it or a list passed it on."""
    verdict, findings = sender_verdict(message)
    return [f for f in findings if f.id not in _NOT_SPAM_BY_ITSELF] if verdict == "no" else []


def _reply(numbered: list[tuple[int, Message]], language: str) -> Suggestion:
    if not numbered:
        return Suggestion(3, "not sure", "low", _finish(3, say(language, "no_message"), language))
    found = [(n, m, f) for n, m in numbered for f in _about(m, 3)]
    if not found:
        # No reply among these messages says nothing of the others: what to check, not a "no".
        key = "no_replies" if len(numbered) > 1 else "no_replies_one"
        return Suggestion(3, "not sure", "low", _finish(3, say(language, key, count=len(numbered)), language))
    # A reply only counts as the user's when the same message is not judged
    # someone else's: a spammer using the password fakes "Re:" to look familiar.
    replying = {n: m for n, m, _ in found if sender_verdict(m)[0] != "no"}
    if replying:
        proof = _answered_spam(numbered, replying, language)
        if proof is not None:
            return proof
    threads = [(n, m, f) for n, m, f in found if n in replying] if replying else found
    evidence = _collect([f for *_, f in threads])
    if not replying:
        reason = say(language, "replies_by_others", listing=_listing(found, language))
        return Suggestion(3, "not sure", "low", _finish(3, f"{reason} {say(language, 'check_sent')}", language),
                          evidence)
    known = {message_key(m.message_id) for _, m in numbered} - {None}
    answered = {key for m in replying.values() for key in answered_ids(m)}
    if answered and answered <= known:
        where = say(language, "answered_clean")
    else:
        where = say(language, "answered_some" if answered & known else "answered_elsewhere")
    reason = " ".join([say(language, "reply_is_not_spam", listing=_capitalised(_listing(threads, language))),
                       where, say(language, "check_sent")])
    return Suggestion(3, "not sure", "low", _finish(3, reason, language), evidence)


def _answered_spam(numbered: list[tuple[int, Message]], replying: dict[int, Message],
                   language: str) -> Suggestion | None:
    """A "yes" when a reply of the user's answers a message shown to be spam, else None.

    The strongest proof wins: a filter's verdict on the answered message
    (high), then the signs of spam on it, a spam tag kept in the reply's
    subject, or a filter's verdict the reply still carries (medium).
    """
    by_key: dict[str, tuple[int, Message]] = {}
    for n, m in numbered:
        key = message_key(m.message_id)
        if key is not None:
            by_key.setdefault(key, (n, m))
    medium: Suggestion | None = None
    for n, reply in replying.items():
        threading = [e for f in _about(reply, 3) for e in f.evidence]
        for key in answered_ids(reply):
            target = by_key.get(key)
            if target is None or target[1] is reply:
                continue
            m, answered = target
            verdicts = filter_verdicts(answered)
            if verdicts:
                reason = say(language, "reply_to_rated", n=n, m=m, verdict=_verdict_words(verdicts, language))
                return _yes3("high", reason, language, [*threading, *verdicts])
            signs = _spam_signs(answered) if medium is None else []
            if signs:
                reason = say(language, "reply_to_signs", n=n, m=m, signs=_signs(signs, answered, language))
                medium = _yes3("medium", reason, language, [*threading, *_collect(signs)])
        if medium is not None:
            continue
        if tag := spam_tag(reply.subject):
            reason = say(language, "reply_tagged", n=n, tag=quoted(tag, language))
            medium = _yes3("medium", reason, language, [Evidence("Subject", reply.subject or ""), *threading])
        elif carried := filter_verdicts(reply, include_ovh=False):
            reason = say(language, "reply_carries_verdict", n=n, verdict=_verdict_words(carried, language))
            medium = _yes3("medium", reason, language, [*threading, *carried])
    return medium


def _yes3(confidence: str, reason: str, language: str, evidence: list[Evidence]) -> Suggestion:
    return Suggestion(3, "yes", confidence, _finish(3, reason, language), _unique(evidence)[:_MAX_EVIDENCE])


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    kept: list[Evidence] = []
    for item in evidence:
        if item not in kept:
            kept.append(item)
    return kept


def _verdict_words(verdicts: list[Evidence], language: str) -> str:
    return say(language, "then").join(f"{plain(e.header, 40)}: {quoted(e.value, language)}" for e in verdicts[:2])


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
