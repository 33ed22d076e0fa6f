"""The ticket's three questions, verbatim from the OVHcloud guides, the guide's help for each, and
the words the Questions screen shows around them, in English and French.

Question numbers are 1 (are you the sender), 2 (redirection rule), 3 (responded to spam).
"""

# The answers the user can give to each question, as the Case stores them.
CHOICES = ("yes", "no", "not sure")
# How sure a suggested answer is, strongest first.
CONFIDENCES = ("high", "medium", "low")

QUESTIONS: dict[str, tuple[str, str, str]] = {
    "en": (
        "Are you the sender of the email in question (see the header below)?",
        "Do you have a redirection rule to another email address?",
        "Have you responded to spam?",
    ),
    "fr": (
        "Êtes-vous l'émetteur de l'e-mail en question (voir l'entête ci-dessous) ?",
        "Avez-vous une règle de redirection vers une autre adresse e-mail ?",
        "Avez-vous répondu à un Spam ?",
    ),
}

# The 2020 guide's step 3 explains each question; the French guide has no such
# text, so the French help is a faithful translation of the English.
HELP: dict[str, tuple[str, str, str]] = {
    "en": (
        "Using the headers provided, check the sender, the recipient, and the email "
        "subject to check if it is one of your emails.",
        "Check the inbox rules for your email address, and ensure that incoming spam "
        "emails were not redirected to another address.",
        "Even just replying to spam emails plays a part in degrading the reputation of "
        "email sending servers, as well as your domain name.",
    ),
    "fr": (
        "À l'aide des en-têtes fournis, vérifiez l'expéditeur, le destinataire et "
        "l'objet de l'e-mail pour savoir s'il s'agit de l'un de vos e-mails.",
        "Vérifiez les règles de boîte de réception de votre adresse e-mail et assurez-vous "
        "que des spams reçus n'ont pas été redirigés vers une autre adresse.",
        "Le simple fait de répondre à des spams contribue à dégrader la réputation des "
        "serveurs d'envoi d'e-mails, ainsi que celle de votre nom de domaine.",
    ),
}


def question(number: int, language: str = "en") -> str:
    """Question ``number`` (1 to 3) in ``language`` ("en" or "fr"; anything else is English)."""
    return QUESTIONS.get(language, QUESTIONS["en"])[number - 1]


def help_text(number: int, language: str = "en") -> str:
    """The guide's help for question ``number`` in ``language``."""
    return HELP.get(language, HELP["en"])[number - 1]


# The choices as the screen labels them.
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "en": {"yes": "Yes", "no": "No", "not sure": "Not sure"},
    "fr": {"yes": "Oui", "no": "Non", "not sure": "Je ne sais pas"},
}
CONFIDENCE_LABELS: dict[str, dict[str, str]] = {
    "en": {"high": "high confidence", "medium": "medium confidence", "low": "low confidence"},
    "fr": {"high": "confiance élevée", "medium": "confiance moyenne", "low": "confiance faible"},
}
# The rest of what the Questions screen says around the questions.
SCREEN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "suggested": "Suggested",
        "confidence": "Confidence",
        "evidence": "Evidence",
        "no_evidence": "No evidence in the headers for this question.",
        "reading": "Reading the evidence…",
        "comment": "Comment for the reply (optional)",
    },
    "fr": {
        "suggested": "Réponse suggérée",
        "confidence": "Confiance",
        "evidence": "Éléments",
        "no_evidence": "Aucun élément dans les en-têtes pour cette question.",
        "reading": "Lecture des éléments…",
        "comment": "Commentaire pour la réponse (facultatif)",
    },
}


def choice_label(choice: str, language: str = "en") -> str:
    """How the screen labels ``choice`` ("yes", "no" or "not sure") in ``language``."""
    return CHOICE_LABELS.get(language, CHOICE_LABELS["en"]).get(choice, choice)


def confidence_label(confidence: str, language: str = "en") -> str:
    """ "high confidence" / "confiance élevée" for ``confidence`` ("high", "medium" or "low")."""
    return CONFIDENCE_LABELS.get(language, CONFIDENCE_LABELS["en"]).get(confidence, confidence)


def screen_word(key: str, language: str = "en") -> str:
    """One of SCREEN_WORDS ("suggested", "confidence", "evidence", "no_evidence", "reading", "comment")."""
    return SCREEN_WORDS.get(language, SCREEN_WORDS["en"])[key]
