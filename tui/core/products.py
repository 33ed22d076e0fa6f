"""The four OVHcloud email products and how the guide unblocks each one.

Each ``Product`` carries what the Control Panel shows for a blocked account,
the action that starts the unblocking, and the steps the user ticks, worded
after the OVHcloud guide "What to do if your account is blocked for spam"
(2024, English and French). ``suggest_product`` guesses the product from the
service name the ticket gives, and says why.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LANGUAGES = ("en", "fr")


class Step(NamedTuple):
    """One thing to do in the Control Panel; ``id`` stays the same in every language."""

    id: str
    text: str


class Product(NamedTuple):
    """An email product as the guide describes it, in one language.

    ``status_blocked`` is what the account list shows for a blocked account,
    ``action`` the button that starts the unblocking, ``notes`` the guide's
    warnings to show beside the steps, ``short_label`` the label where room
    is short.
    """

    id: str
    label: str
    has_ticket: bool
    status_blocked: str
    action: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()
    short_label: str = ""


# One row per step: (id suffix, English, French). Keeping both languages on one
# row is what keeps the step ids and their order identical across languages.
_LOGIN = ("login", "Log in to the OVHcloud Control Panel", "Connectez-vous à votre espace client OVHcloud")
_WEB_CLOUD = (
    "web_cloud",
    "Select Web Cloud in the top navigation bar",
    "Dirigez-vous dans la section Web Cloud",
)
_ACCOUNTS = (
    "accounts",
    "Open the Email accounts section",
    "Dirigez-vous vers l'onglet Comptes e-mail de votre plateforme",
)
_STATUS_SPAM = (
    "status",
    'Check the Status column to the right of the account shows "Spam"',
    "Vérifiez que la colonne « statut » à droite de l'adresse e-mail mentionne « Spam »",
)
_CLICK_SPAM = (
    "spam",
    'Click "Spam", then Reply to the ticket',
    "Cliquez sur « Spam » puis sur Répondre au ticket",
)
_OPEN_TICKET = (
    "ticket",
    (
        'In My support tickets, click ... to the right of the ticket "Account locked for spam", '
        "then See more information"
    ),
    (
        "Dans « Mes demandes d'assistance », cliquez sur ... à droite du ticket "
        "« Account locked for spam » puis sur Voir le détail"
    ),
)
_REPLY = (
    "reply",
    'Reply to the support ticket "Account locked for spam" by answering the 3 questions',
    "Répondez au ticket d'assistance « Account locked for spam » en répondant aux 3 questions posées",
)

_STEPS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "exchange": (
        _LOGIN,
        _WEB_CLOUD,
        (
            "service",
            "Click Microsoft, then Exchange, and select the Exchange service concerned",
            "Cliquez sur Microsoft puis sur Exchange et sélectionnez la plateforme Exchange concernée",
        ),
        _ACCOUNTS,
        (
            "status",
            'Check the Status column shows "Blocked"',
            "Vérifiez que la colonne « statut » de l'adresse e-mail mentionne « bloqué »",
        ),
        (
            "unblock",
            "Click ... to the right of the account, then Unblock",
            "Cliquez sur ... à droite du compte puis sur Débloquer",
        ),
        _OPEN_TICKET,
        _REPLY,
    ),
    "email_pro": (
        _LOGIN,
        _WEB_CLOUD,
        (
            "service",
            "Click Email Pro and select the Email Pro platform concerned",
            "Cliquez sur E-mail Pro puis sélectionnez la plateforme E-mail Pro concernée",
        ),
        _ACCOUNTS,
        _STATUS_SPAM,
        _CLICK_SPAM,
        _OPEN_TICKET,
        _REPLY,
    ),
    "mxplan_new": (
        _LOGIN,
        _WEB_CLOUD,
        (
            "service",
            "Click Emails, then choose the domain name concerned",
            "Cliquez sur Emails, puis sélectionnez le nom de domaine concerné",
        ),
        _ACCOUNTS,
        _STATUS_SPAM,
        _CLICK_SPAM,
        _OPEN_TICKET,
        _REPLY,
    ),
    "mxplan_legacy": (
        _LOGIN,
        ("web_cloud", "Go to the Web Cloud section", "Dirigez-vous dans la section Web Cloud"),
        (
            "service",
            "Click Emails and select the domain name concerned",
            "Cliquez sur Emails, puis sélectionnez le nom de domaine concerné",
        ),
        ("accounts", "Open the Emails tab", "Dirigez-vous vers l'onglet Emails de votre plateforme"),
        (
            "status",
            (
                'Check the "Blocked for SPAM" column shows "Yes" (in rare cases it shows "No" '
                "although the account is blocked: the next step is the same)"
            ),
            (
                "Vérifiez que la colonne « Bloqué pour SPAM » mentionne « Oui » (dans de rares cas, "
                "elle indique « Non » alors que l'adresse est bloquée : l'étape suivante est la même)"
            ),
        ),
        (
            "password",
            'Click "Yes", then Change password: this unblocks the account, there is no ticket to answer',
            (
                "Cliquez sur « Oui » puis sur Changer le mot de passe : l'adresse est débloquée, "
                "il n'y a pas de ticket à traiter"
            ),
        ),
    ),
}

_NOT_AUTOMATIC = (
    (
        "Email accounts are not unblocked automatically: you must reply to the support ticket "
        "and answer all 3 questions."
    ),
    (
        "Le déblocage de l'adresse e-mail ne se fait pas automatiquement : il est nécessaire de "
        "contacter le support, sur le ticket d'assistance, en répondant aux 3 questions posées."
    ),
)

# (label, has_ticket, status_blocked, action, notes), each text as (English, French).
_PRODUCTS: dict[str, tuple[tuple[str, str], bool, tuple[str, str], tuple[str, str], tuple[tuple[str, str], ...]]] = {
    "exchange": (("Exchange", "Exchange"), True, ("Blocked", "bloqué"), ("Unblock", "Débloquer"), (_NOT_AUTOMATIC,)),
    "email_pro": (
        ("Email Pro", "E-mail Pro"),
        True,
        ("Spam", "Spam"),
        ("Reply to the ticket", "Répondre au ticket"),
        (_NOT_AUTOMATIC,),
    ),
    "mxplan_new": (
        ("MX Plan (new version)", "MX Plan (nouvelle version)"),
        True,
        ("Spam", "Spam"),
        ("Reply to the ticket", "Répondre au ticket"),
        (_NOT_AUTOMATIC,),
    ),
    "mxplan_legacy": (
        ("MX Plan (legacy)", "MX Plan (version historique)"),
        False,
        ("Blocked for SPAM: Yes", "Bloqué pour SPAM : Oui"),
        ("Change password", "Changer le mot de passe"),
        (
            (
                "There is no support ticket for MX Plan (legacy): changing the password unblocks the account.",
                (
                    "Il n'y a pas de ticket d'assistance pour MX Plan (version historique) : changer le "
                    "mot de passe débloque l'adresse e-mail."
                ),
            ),
            (
                (
                    "Secure the account before changing the password: scan every device that uses "
                    "this address and check every program that uses its credentials (fax, business "
                    "software, email software)."
                ),
                (
                    "Sécurisez l'adresse avant de changer le mot de passe : analysez avec un antivirus "
                    "chacun des postes qui l'utilisent et vérifiez tous les logiciels qui utilisent ses "
                    "identifiants (télécopieur, logiciel métier, logiciel de messagerie)."
                ),
            ),
            (
                (
                    'In rare cases, the "Blocked for SPAM" column may show "No" even though the email '
                    "account is blocked. If you have taken the necessary measures to secure the "
                    "account, the solution remains the same."
                ),
                (
                    "Dans de rares cas, la colonne « Bloqué pour SPAM » peut indiquer « Non » malgré le "
                    "fait que l'adresse e-mail soit bloquée. Si vous avez fait le nécessaire pour "
                    "sécuriser l'adresse e-mail, la solution reste la même."
                ),
            ),
        ),
    ),
}


# Where a list has little room (the case list), the MX Plans go by their version alone.
_SHORT_LABELS = {
    "mxplan_new": ("MX Plan (new)", "MX Plan (nouveau)"),
    "mxplan_legacy": ("MX Plan (legacy)", "MX Plan (historique)"),
}


def _build(language: str) -> tuple[Product, ...]:
    which = LANGUAGES.index(language)
    return tuple(
        Product(
            id=product_id,
            label=label[which],
            has_ticket=has_ticket,
            status_blocked=status[which],
            action=action[which],
            steps=tuple(Step(f"{product_id}.{suffix}", texts[which]) for suffix, *texts in _STEPS[product_id]),
            notes=tuple(note[which] for note in notes),
            short_label=_SHORT_LABELS.get(product_id, label)[which],
        )
        for product_id, (label, has_ticket, status, action, notes) in _PRODUCTS.items()
    )


CATALOGUE: dict[str, tuple[Product, ...]] = {language: _build(language) for language in LANGUAGES}
PRODUCTS: tuple[Product, ...] = CATALOGUE["en"]
PRODUCT_IDS: tuple[str, ...] = tuple(p.id for p in PRODUCTS)

HOW_TO_TELL_MXPLAN: dict[str, dict[str, str]] = {
    "en": {
        "mxplan_legacy": "MX Plan legacy version: the solution is shown in the Subscription box on the right.",
        "mxplan_new": "MX Plan new version: a Server model is shown in the Summary box on the left.",
    },
    "fr": {
        "mxplan_legacy": "Version historique de l'offre MX Plan : l'offre apparaît dans le cadre "
        "« Abonnement », à droite.",
        "mxplan_new": "Nouvelle version de l'offre MX Plan : une « Référence serveur » apparaît dans "
        "le cadre « Résumé », à gauche.",
    },
}


def mxplan_hint(product_id: str, language: str = "en") -> str | None:
    """How to tell the two MX Plans apart (both signs), for an MX Plan product; None for the others."""
    if product_id not in ("mxplan_new", "mxplan_legacy"):
        return None
    how = HOW_TO_TELL_MXPLAN.get(language, HOW_TO_TELL_MXPLAN["en"])
    return how["mxplan_new"] + " " + how["mxplan_legacy"]


def products(language: str = "en") -> tuple[Product, ...]:
    """Every product, in the order to offer them, in ``language`` (anything but "fr" is English)."""
    return CATALOGUE.get(language, PRODUCTS)


def get_product(product_id: str, language: str = "en") -> Product:
    """The product with this id; KeyError naming the known ids otherwise."""
    for product in products(language):
        if product.id == product_id:
            return product
    raise KeyError(f"unknown product {product_id!r}; known: {', '.join(PRODUCT_IDS)}")


# Exchange services are named after their offer (hosted-, private-, provider-),
# Email Pro platforms "emailpro-"; neither ever contains a dot, while an MX Plan
# service is its domain name.
_EXCHANGE = re.compile(r"(?:hosted|private|provider)-[a-z0-9]+(?:-\d+)?")
_EMAIL_PRO = re.compile(r"emailpro-[a-z0-9]+(?:-\d+)?")
_DOMAIN = re.compile(r"(?=.{4,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")
_QUOTES = "\"'`*«» \t\r\n"
_SHOWN = 60

_REASONS = {
    "en": {
        "exchange": 'The service name "{service}" is how Exchange services are named (hosted-, private- '
        "or provider- followed by an id).",
        "email_pro": 'The service name "{service}" is how Email Pro platforms are named (emailpro- followed by an id).',
        "mxplan_new": 'The service "{service}" is a domain name, as MX Plan services are, and there is a '
        "ticket: the legacy MX Plan has none, so this is the new version. To confirm: {how}",
        "mxplan_legacy": 'The service "{service}" is a domain name, as MX Plan services are, and there is '
        "no ticket: only the legacy MX Plan has none. To confirm: {how}",
        "no_ticket": ' The guide says this product has a ticket "Account locked for spam": look for it '
        "in My support tickets.",
        "other_domain": " The address is on {domain}, not {service}: check that this is the right service.",
        "unknown": 'The service name "{service}" does not look like an Exchange service (hosted-...), an '
        "Email Pro platform (emailpro-...) or an MX Plan service (a domain name). Copy it again from the "
        "ticket, or look in the Web Cloud section of the Control Panel: Microsoft > Exchange, Email Pro "
        "or Emails.",
        "none_ticket": 'The ticket names the service in its first sentence ("... hosted on our systems under '
        'the ... service"): enter it to tell the product. Or look in the Web Cloud section of the Control '
        "Panel: Microsoft > Exchange, Email Pro or Emails{where}.",
        "none_no_ticket": "Without a service name this cannot be told. Look in the Web Cloud section of "
        "the Control Panel: Microsoft > Exchange, Email Pro or Emails{where}. If the address is on MX "
        "Plan, which has no ticket in its legacy version: {legacy} {new}",
        "where": " (for MX Plan, the service is the domain name {domain})",
    },
    "fr": {
        "exchange": "Le nom de service « {service} » est celui d'une plateforme Exchange (hosted-, "
        "private- ou provider- suivi d'un identifiant).",
        "email_pro": "Le nom de service « {service} » est celui d'une plateforme E-mail Pro (emailpro- "
        "suivi d'un identifiant).",
        "mxplan_new": "Le service « {service} » est un nom de domaine, comme pour MX Plan, et il y a un "
        "ticket : la version historique de MX Plan n'en a pas, il s'agit donc de la nouvelle version. "
        "Pour le vérifier : {how}",
        "mxplan_legacy": "Le service « {service} » est un nom de domaine, comme pour MX Plan, et il n'y a "
        "pas de ticket : seule la version historique de MX Plan n'en a pas. Pour le vérifier : {how}",
        "no_ticket": " Le guide indique que cette offre a un ticket « Account locked for spam » : "
        "cherchez-le dans « Mes demandes d'assistance ».",
        "other_domain": " L'adresse est sur {domain}, et non sur {service} : vérifiez qu'il s'agit du bon service.",
        "unknown": "Le nom de service « {service} » ne ressemble ni à une plateforme Exchange "
        "(hosted-...), ni à une plateforme E-mail Pro (emailpro-...), ni à un service MX Plan (un nom "
        "de domaine). Recopiez-le depuis le ticket, ou regardez dans la section Web Cloud de l'espace "
        "client : Microsoft > Exchange, E-mail Pro ou Emails.",
        "none_ticket": "Le ticket nomme le service dans sa première phrase (« ... hébergée sur nos "
        "systèmes sous le service ... ») : saisissez-le pour reconnaître l'offre. Ou regardez dans la section "
        "Web Cloud de l'espace client : Microsoft > Exchange, E-mail Pro ou Emails{where}.",
        "none_no_ticket": "Sans nom de service, impossible de le savoir. Regardez dans la section Web "
        "Cloud de l'espace client : Microsoft > Exchange, E-mail Pro ou Emails{where}. Si l'adresse est "
        "sur MX Plan, dont la version historique n'a pas de ticket : {legacy} {new}",
        "where": " (pour MX Plan, le service est le nom de domaine {domain})",
    },
}


def _domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rpartition("@")[2].strip(_QUOTES + "<>").lower() or None


def _ascii_domain(name: str) -> str:
    # Internationalised domains are matched in their punycode form. The codec
    # is slow on long input, and nothing over 253 characters is a domain.
    if len(name) > 253 or name.isascii():
        # ASCII is its own punycode form (and the codec's import costs milliseconds at start-up).
        return name
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def suggest_product(
    service: str | None, address: str | None, has_ticket: bool, language: str = "en"
) -> tuple[str | None, str]:
    """Guess the product from the service name; returns (product id or None, the reason in words).

    ``has_ticket`` is whether an "Account locked for spam" ticket exists; only
    the legacy MX Plan comes without one.
    """
    text = _REASONS.get(language, _REASONS["en"])
    how = HOW_TO_TELL_MXPLAN.get(language, HOW_TO_TELL_MXPLAN["en"])
    domain = _domain_of(address)
    name = (service or "").strip(_QUOTES).lower()
    if "@" in name:
        name = _domain_of(name) or ""
    if not name:
        where = text["where"].format(domain=domain) if domain else ""
        if has_ticket:
            return None, text["none_ticket"].format(where=where)
        return None, text["none_no_ticket"].format(where=where, legacy=how["mxplan_legacy"], new=how["mxplan_new"])
    name = name.rstrip(".")
    if _EXCHANGE.fullmatch(name) or _EMAIL_PRO.fullmatch(name):
        product = "exchange" if _EXCHANGE.fullmatch(name) else "email_pro"
        reason = text[product].format(service=name)
        return product, reason if has_ticket else reason + text["no_ticket"]
    if _DOMAIN.fullmatch(_ascii_domain(name)):
        product = "mxplan_new" if has_ticket else "mxplan_legacy"
        reason = text[product].format(service=name, how=mxplan_hint(product, language))
        if domain and domain != name:
            reason += text["other_domain"].format(domain=domain, service=name)
        return product, reason
    # Only a glimpse of a long paste: the reason is read on one screen line or two.
    shown = name if len(name) <= _SHOWN else name[: _SHOWN - 1] + "…"
    return None, text["unknown"].format(service=shown)
