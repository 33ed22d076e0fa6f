"""The reply to OVHcloud's "Account locked for spam" ticket, drafted from the user's answers.

The three questions are quoted word for word from the guide (see
``questions.py``), each followed by the answer in full sentences; what the
headers showed and what was done to secure the account come after, then the
request to re-enable sending. Support re-enables the address only once all
three questions are answered, so a draft with a missing answer is refused.
"""

from __future__ import annotations

from tui.core.questions import CHOICES, QUESTIONS, question

# The opening sentence of each answer, by language, question and choice.
_ANSWERS: dict[str, dict[int, dict[str, str]]] = {
    "en": {
        1: {
            "yes": "Yes, we sent this email ourselves.",
            "no": "No, we did not send this email.",
            "not sure": "We are not sure whether we sent this email.",
        },
        2: {
            "yes": "Yes, there is a redirection rule to another email address.",
            "no": "No, there is no redirection rule to another email address.",
            "not sure": "We are not sure whether there is a redirection rule to another email address.",
        },
        3: {
            "yes": "Yes, we have responded to a spam email.",
            "no": "No, we have not responded to spam.",
            "not sure": "We are not sure whether anyone using this address has responded to spam.",
        },
    },
    "fr": {
        1: {
            "yes": "Oui, nous avons bien envoyé cet e-mail.",
            "no": "Non, nous n'avons pas envoyé cet e-mail.",
            "not sure": "Nous ne savons pas avec certitude si nous avons envoyé cet e-mail.",
        },
        2: {
            "yes": "Oui, il existe une règle de redirection vers une autre adresse e-mail.",
            "no": "Non, il n'existe aucune règle de redirection vers une autre adresse e-mail.",
            "not sure": "Nous ne savons pas avec certitude s'il existe une règle de redirection vers "
            "une autre adresse e-mail.",
        },
        3: {
            "yes": "Oui, nous avons répondu à un spam.",
            "no": "Non, nous n'avons répondu à aucun spam.",
            "not sure": "Nous ne savons pas avec certitude si une personne utilisant cette adresse a "
            "répondu à un spam.",
        },
    },
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
    },
}

_SENTENCE_END = (".", "!", "?", "…", ":", ")", '"', "»")


def _as_sentence(comment: str) -> str:
    """The user's comment, trimmed, with a full stop if it ends without one."""
    comment = comment.strip()
    if comment and not comment.endswith(_SENTENCE_END):
        comment += "."
    return comment[:1].upper() + comment[1:]


def _bullets(lines: list[str]) -> list[str]:
    """Non-empty lines as a dash list, whether or not they came with their own dash."""
    items = (line.strip().removeprefix("- ").removeprefix("* ").strip() for line in lines)
    return [f"- {item}" for item in items if item]


def draft_reply(
    address: str | None,
    answers: dict[int, tuple[str | None, str]],
    language: str = "en",
    evidence: list[str] | None = None,
    remediation: list[str] | None = None,
) -> str:
    """The text of the reply to the ticket, in ``language`` ("fr" for French, English otherwise).

    ``answers`` maps question 1 to 3 to (choice, comment), choice being
    "yes", "no" or "not sure". ``evidence`` and ``remediation`` lines, when
    given, make the "What we found in the headers" and "What we have done"
    sections. Raises ValueError naming every unanswered question.
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

    address = (address or "").strip()
    parts = [
        text["greeting"],
        text["intro_address"].format(address=address) if address else text["intro"],
    ]
    for n, asked in enumerate(QUESTIONS[language], start=1):
        comment = answers[n][1] or ""
        answer = " ".join(filter(None, (_ANSWERS[language][n][choices[n]], _as_sentence(comment))))
        parts.append(f"> {asked}\n{answer}")
    for heading, lines in ((text["evidence"], evidence), (text["remediation"], remediation)):
        items = _bullets(lines or [])
        if items:
            parts.append("\n".join([heading, *items]))
    request = text["request_address"].format(address=address) if address else text["request"]
    parts.append(f"{request} {text['thanks']}")
    parts.append(text["sign_off"])
    return "\n\n".join(parts) + "\n"
