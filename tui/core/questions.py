"""The ticket's three questions, verbatim from the OVHcloud guides, and the guide's help for each.

Question numbers are 1 (are you the sender), 2 (redirection rule), 3 (responded to spam).
"""

# The answers the user can give to each question, as the Case stores them.
CHOICES = ("yes", "no", "not sure")

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
