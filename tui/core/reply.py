"""The reply to OVHcloud's "Account locked for spam" ticket, drafted from the user's answers.

The three questions are quoted word for word from the guide (see
``questions.py``), each followed by the answer in full sentences; what the
headers showed and what was done to secure the account come after, then the
request to re-enable sending. Support re-enables the address only once all
three questions are answered, so a draft with a missing answer is refused.

The customer speaks in the first person and OVHcloud is "you"; the whole reply
is in one language. "Not sure" says what is being checked. Only what the case
records as done is said to be done. Every value from a header or typed by the
user goes through the sanitiser, and however many messages were analysed the
reply stays under REPLY_LIMIT characters (the user's own comments aside: they
are kept whole).

``write_reply`` is the one way to draft from analysed messages, for the app
and for ``unblock reply`` alike; ``case_reply`` reads its arguments from a Case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.answers import redirection_check
from tui.core.results import Message
from tui.core.phrases import plain
from tui.core.questions import CHOICES, QUESTIONS, question
from tui.core.reasons import number
from tui.core.sanitise import terminal_safe
from tui.core.summary import evidence_summary

if TYPE_CHECKING:
    from tui.core.case import Case

REPLY_LIMIT = 4000
# Room kept free under REPLY_LIMIT for what is counted only once the evidence is in (its heading, breaks).
_MARGIN = 80
# Devices and programs named one by one in what was done; the rest are counted.
_NAMED = 5
# Addresses are at most 254 characters; a longer "address" is not one worth repeating whole.
_ADDRESS_LIMIT = 254

# The opening sentence of each answer, by language, question and choice.
_ANSWERS: dict[str, dict[int, dict[str, str]]] = {
    "en": {
        1: {
            "yes": "Yes, we sent this email ourselves.",
            "no": "No, we did not send this email.",
            "not sure": "We cannot tell yet whether we sent this email: we are checking with everyone who "
            "uses this address and will let you know what we find.",
        },
        2: {
            "yes": "Yes, there is a redirection rule to another email address.",
            "no": "No, there is no redirection rule to another email address.",
            "not sure": "We are not sure yet whether there is a redirection rule to another email address: we "
            "are checking the redirections of the address in the Control Panel and the rules of our mail "
            "programs and webmail, and will remove any that we did not create.",
        },
        3: {
            "yes": "Yes, we have responded to a spam email.",
            "no": "No, we have not responded to spam.",
            "not sure": "We are not sure yet whether anyone using this address has responded to spam: we are "
            "checking the sent messages and will let you know.",
        },
    },
    "fr": {
        1: {
            "yes": "Oui, nous avons bien envoyé cet e-mail.",
            "no": "Non, nous n'avons pas envoyé cet e-mail.",
            "not sure": "Nous ne savons pas encore si nous avons envoyé cet e-mail : nous vérifions auprès de "
            "toutes les personnes qui utilisent cette adresse et vous tiendrons informés.",
        },
        2: {
            "yes": "Oui, il existe une règle de redirection vers une autre adresse e-mail.",
            "no": "Non, il n'existe aucune règle de redirection vers une autre adresse e-mail.",
            "not sure": "Nous ne savons pas encore avec certitude s'il existe une règle de redirection vers "
            "une autre adresse e-mail : nous vérifions les redirections de l'adresse dans l'espace client "
            "et les règles de nos logiciels de messagerie et du webmail, et supprimerons celles que nous "
            "n'avons pas créées.",
        },
        3: {
            "yes": "Oui, nous avons répondu à un spam.",
            "no": "Non, nous n'avons répondu à aucun spam.",
            "not sure": "Nous ne savons pas encore avec certitude si une personne utilisant cette adresse a "
            "répondu à un spam : nous vérifions les messages envoyés et vous tiendrons informés.",
        },
    },
}

# Question 2 not sure, when the OVHcloud API was asked and showed no redirection of the address:
# the reply says what was checked, and what is still being checked (rules the API cannot see).
_REDIRECTION_NONE_SEEN = {
    "en": "We are not sure yet whether there is a redirection rule to another email address: the Control Panel "
    "shows no redirection of this address, and we are checking the rules of our mail programs and webmail "
    "and will remove any that we did not create.",
    "fr": "Nous ne savons pas encore avec certitude s'il existe une règle de redirection vers une autre adresse "
    "e-mail : l'espace client n'indique aucune redirection de cette adresse, et nous vérifions les règles de "
    "nos logiciels de messagerie et du webmail, et supprimerons celles que nous n'avons pas créées.",
}

_TEXT = {
    "en": {
        "greeting": "Hello,",
        "intro_address": "Here are our answers to your questions about the address {address}, which "
        "was blocked for spam.",
        "intro": "Here are our answers to your questions about our address that was blocked for spam.",
        "evidence": "What we found in the headers:",
        "remediation": "What we have done:",
        "request_address": "Could you please re-enable sending for the address {address}?",
        "request": "Could you please re-enable sending for this address?",
        "thanks": "Thank you for your help.",
        "sign_off": "Kind regards,",
        "missing": "The ticket needs all three questions answered; still unanswered: {questions}",
        "quoted": '{n}. "{question}"',
        "scanned": "We scanned {count} with an anti-virus ({devices}).",
        "device": "{count} device",
        "devices": "{count} devices",
        "checked": "We checked the programs that use the address ({programs}).",
        "updated": "We set the new password in the programs that use the address ({programs}).",
        "password": "We changed the password of the address.",
        "others": "{items} and {count} others",
    },
    "fr": {
        "greeting": "Bonjour,",
        "intro_address": "Voici nos réponses à vos questions concernant l'adresse {address}, bloquée pour spam.",
        "intro": "Voici nos réponses à vos questions concernant notre adresse bloquée pour spam.",
        "evidence": "Ce que nous avons relevé dans les en-têtes :",
        "remediation": "Ce que nous avons fait :",
        "request_address": "Pourriez-vous réactiver l'envoi d'e-mails pour l'adresse {address} ?",
        "request": "Pourriez-vous réactiver l'envoi d'e-mails pour cette adresse ?",
        "thanks": "Merci pour votre aide.",
        "sign_off": "Cordialement,",
        "missing": "Le ticket exige une réponse aux trois questions ; sans réponse : {questions}",
        "quoted": "{n}. « {question} »",
        "scanned": "Nous avons analysé {count} avec un antivirus ({devices}).",
        "device": "{count} appareil",
        "devices": "{count} appareils",
        "checked": "Nous avons vérifié les logiciels qui utilisent l'adresse ({programs}).",
        "updated": "Nous avons saisi le nouveau mot de passe dans les logiciels qui utilisent l'adresse "
        "({programs}).",
        "password": "Nous avons changé le mot de passe de l'adresse.",
        "others": "{items} et {count} autres",
    },
}

_BLANKS = re.compile(r"[ \t\r\n\v\f]+")
_SENTENCE_END = (".", "!", "?", "…", ":", ")", '"', "»")


def _one_line(text: str) -> str:
    """``text`` on one line, its runs of blanks made one space (no-break spaces, as in "10 000", kept)."""
    return _BLANKS.sub(" ", text).strip()


def _as_sentence(comment: str) -> str:
    """The user's comment, trimmed and terminal-safe, with a full stop if it ends without one."""
    comment = terminal_safe(_one_line(comment))
    if comment and not comment.endswith(_SENTENCE_END):
        comment += "."
    return comment[:1].upper() + comment[1:]


def _bullets(lines: list[str]) -> list[str]:
    """Non-empty lines as a dash list, whether or not they came with their own dash."""
    items = (terminal_safe(_one_line(line)).removeprefix("- ").removeprefix("* ").strip() for line in lines)
    return [f"- {item}" for item in items if item]


def draft_reply(
    address: str | None,
    answers: dict[int, tuple[str | None, str]],
    language: str = "en",
    evidence: list[str] | None = None,
    remediation: list[str] | None = None,
    no_redirection_seen: bool = False,
) -> str:
    """The text of the reply to the ticket, in ``language`` ("fr" for French, English otherwise).

    ``answers`` maps question 1 to 3 to (choice, comment), choice being
    "yes", "no" or "not sure". ``evidence`` and ``remediation`` lines, when
    given, make the "What we found in the headers" and "What we have done"
    sections. ``no_redirection_seen``: the OVHcloud API showed no redirection
    of the address, and a "not sure" to question 2 says so. Raises ValueError
    naming every unanswered question.
    """
    language = language if language in _TEXT else "en"
    text = _TEXT[language]
    choices = {n: ((answers.get(n) or (None, ""))[0] or "").strip().lower() for n in (1, 2, 3)}
    missing = [n for n, choice in choices.items() if not choice]
    if missing:
        named = " ".join(text["quoted"].format(n=n, question=question(n, language)) for n in missing)
        raise ValueError(text["missing"].format(questions=named))
    bad = {n: choice for n, choice in choices.items() if choice not in CHOICES}
    if bad:
        raise ValueError(f"answers must be one of {', '.join(CHOICES)}; got {bad}")

    address = plain(address or "", _ADDRESS_LIMIT)
    parts = [
        text["greeting"],
        text["intro_address"].format(address=address) if address else text["intro"],
    ]
    for n, asked in enumerate(QUESTIONS[language], start=1):
        comment = answers[n][1] or ""
        opening = _ANSWERS[language][n][choices[n]]
        if n == 2 and choices[n] == "not sure" and no_redirection_seen:
            opening = _REDIRECTION_NONE_SEEN[language]
        answer = " ".join(filter(None, (opening, _as_sentence(comment))))
        parts.append(f"> {asked}\n{answer}")
    for heading, lines in ((text["evidence"], evidence), (text["remediation"], remediation)):
        items = _bullets(lines or [])
        if items:
            parts.append("\n".join([heading, *items]))
    request = text["request_address"].format(address=address) if address else text["request"]
    parts.append(f"{request} {text['thanks']}")
    parts.append(text["sign_off"])
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True, slots=True)
class ReplyOptions:
    """How the reply is written: its language ("en" or "fr") and which sections it has."""

    language: str = "en"
    include_evidence: bool = True
    include_remediation: bool = True


@dataclass(frozen=True, slots=True)
class Remediation:
    """What the case records as done to secure the account, and nothing else.

    ``scanned`` holds (device, result) for each device scanned; ``updated``
    the programs set up with the new password (marked after it was changed),
    ``checked`` those marked before: checked, but not yet given a new password.
    """

    scanned: tuple[tuple[str, str], ...] = ()
    updated: tuple[str, ...] = ()
    password_changed: bool = False
    checked: tuple[str, ...] = ()

    @classmethod
    def of(cls, case: Case) -> Remediation:
        """What ``case`` records: scans with a date, programs marked updated, a password change."""
        changed = case.password_changed_at
        marked = [s for s in case.software if s.updated_at]
        return cls(
            scanned=tuple((d.name, d.result or "") for d in case.devices if d.scanned_at),
            updated=tuple(s.name for s in marked if _not_before(s.updated_at, changed)),
            password_changed=bool(changed),
            checked=tuple(s.name for s in marked if not _not_before(s.updated_at, changed)),
        )

    def lines(self, language: str = "en") -> list[str]:
        """One sentence for each kind of thing done, in ``language``, first person."""
        text = _TEXT.get(language, _TEXT["en"])
        lines = []
        if self.scanned:
            devices = [f"{plain(name, 40)}{' : ' if language == 'fr' else ': '}{plain(result, 40)}" if result
                       else plain(name, 40) for name, result in self.scanned]
            count = text["device" if len(devices) == 1 else "devices"].format(count=number(len(devices), language))
            lines.append(text["scanned"].format(count=count, devices=_some(devices, text, language)))
        for key, names in (("checked", self.checked), ("updated", self.updated)):
            if names:
                programs = [plain(name, 40) for name in names]
                lines.append(text[key].format(programs=_some(programs, text, language)))
        if self.password_changed:
            lines.append(text["password"])
        return lines


def _not_before(when: str | None, then: str | None) -> bool:
    """Whether the time ``when`` is at or after ``then`` (both ISO 8601; False if either is missing)."""
    if not when or not then:
        return False
    try:
        return datetime.fromisoformat(when) >= datetime.fromisoformat(then)
    except (TypeError, ValueError):
        return when >= then


def _some(items: list[str], text: dict[str, str], language: str) -> str:
    separator = " ; " if language == "fr" else "; "
    if len(items) <= _NAMED:
        return separator.join(items)
    return text["others"].format(items=separator.join(items[:_NAMED]), count=number(len(items) - _NAMED, language))


def write_reply(
    address: str | None,
    messages: list[Message],
    answers: dict[int, tuple[str | None, str]],
    options: ReplyOptions = ReplyOptions(),
    done: Remediation | None = None,
    no_redirection_seen: bool = False,
) -> str:
    """The reply drafted from the analysed ``messages`` and the ``answers`` (as for ``draft_reply``).

    The evidence section (with ``options.include_evidence``) summarises the
    messages in whatever room is left under REPLY_LIMIT; what was done (with
    ``options.include_remediation``) is what ``done`` records. Raises
    ValueError naming every unanswered question.
    """
    language = options.language if options.language in _TEXT else "en"
    remediation = done.lines(language) if options.include_remediation and done is not None else None
    reply = draft_reply(address, answers, language, None, remediation, no_redirection_seen)
    if not options.include_evidence or not messages:
        return reply
    room = REPLY_LIMIT - len(reply) - len(_TEXT[language]["evidence"]) - _MARGIN
    evidence = evidence_summary(messages, language, room)
    return draft_reply(address, answers, language, evidence, remediation, no_redirection_seen) if evidence else reply


def case_reply(case: Case, messages: list[Message]) -> str:
    """``write_reply`` for ``case``: its address, answers, reply options and what it records as done."""
    answers = {n: (a.choice, a.comment) for n, a in case.answers.items()}
    options = ReplyOptions(case.reply_language, case.reply_include_evidence, case.reply_include_remediation)
    check = redirection_check(case.redirection_check)
    none_seen = check is not None and check.checked and not check.found
    return write_reply(case.address, messages, answers, options, Remediation.of(case), none_seen)
