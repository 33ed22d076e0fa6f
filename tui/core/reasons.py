"""The sentences that explain each suggested answer to the user, in English and French.

``answers`` decides; this module only words the decision. Templates name their
blanks; the values put in them are already safe to show (see ``phrases``).
"""

from __future__ import annotations

# Past a few messages, naming each one makes a sentence unreadable.
MAX_NAMED = 5

_SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "no_message": "There is no message to judge from.",
        "refused": "Message {n} was sent{login}{where}: {signs}.",
        "refused_bare": "Message {n}: {signs}.",
        "refused_login": " after logging in as {login}",
        "where": " from {ip}",
        "where_country": " from {ip} ({country})",
        "others_same": "{count} other messages show the same kind of signs.",
        "other_same": "1 other message shows the same kind of signs.",
        "advice_other_mailbox": "They went out through another mailbox than yours.",
        "advice_password": "Your own mail programs do not send like that: someone else has your password. "
        "Scan your devices, then change it.",
        "advice_marks": "These are not the marks of your own sending.",
        "yes_every": "Every message was sent after logging in as {account}, from a place you said you send "
        "from, and nothing else in the headers looks unusual.",
        "yes_one": "The message was sent after logging in as {account}, from a place you said you send from, "
        "and nothing else in the headers looks unusual.",
        "your_address": "your address",
        "unsure_many": "Nothing in the headers proves that someone else sent these messages, but nothing "
        "confirms it was you either ({parts}).",
        "unsure_one": "Nothing in the headers proves that someone else sent this message, but nothing "
        "confirms it was you either ({parts}).",
        "part_doubts": "message {n}: {signs}",
        "part_password": "message {n} was sent with your password, which fits your own sending",
        "part_no_login": "message {n} does not show who logged in to send it",
        "tell_where": "Tell unblock which countries and IP addresses you send from so it can compare.",
        "how_to_check_rules": "Check the redirections of the address in the OVHcloud Control Panel, the "
        "rules (filters) of every mail program that uses it (Outlook, Thunderbird, a phone) and the rules "
        "of the webmail; remove any you did not create.",
        "no_forwarding_marks": "The headers show no sign of a redirection (no Resent or X-Forwarded "
        "headers, no return address rewritten for forwarding, no chain of Delivered-To lines), but a rule "
        "only leaves marks on the messages it redirected, so the headers cannot rule one out.",
        "forwarding_marks": "The headers carry the marks of automatic forwarding: {listing}. Find the rule "
        "that does it and remove it if you did not create it.",
        "forwarding_hints": "Some headers hint at forwarding ({listing}), but nothing proves a redirection rule.",
        "api_found": "The OVHcloud Control Panel has a redirection from {source} to {target}.",
        "api_found_more": "The OVHcloud Control Panel has a redirection from {source} to {target}, and "
        "{count} more.",
        "api_none": "The OVHcloud Control Panel shows no redirection for this address, and the headers of "
        "the analysed messages carry no mark of one.",
        "api_none_but_marks": "The OVHcloud Control Panel shows no redirection for this address, so the "
        "rule is probably an inbox rule in a mail program or the webmail.",
        "api_blind": "Inbox rules made in a mail program or in the webmail are not visible to the Control "
        "Panel: check them there.",
        "api_note": "(Check: {note})",
        "reply_to_rated": "Message {n} is a reply to message {m}, which a spam filter rated as spam: {verdict}.",
        "reply_to_signs": "Message {n} is a reply to message {m}, which shows the signs of spam: {signs}.",
        "reply_tagged": "Message {n} answers a message that a spam filter had tagged: its subject still "
        "carries {tag}.",
        "reply_carries_verdict": "Message {n} is a reply that still carries a spam filter's verdict: {verdict}.",
        "reply_is_not_spam": "{listing}. A reply proves that a message was answered, not that it was spam.",
        "answered_elsewhere": "The messages answered are not among those analysed, so nothing here shows "
        "what they were.",
        "answered_clean": "The messages answered are among those analysed and show no sign of spam.",
        "answered_some": "Those of the messages answered that are among the analysed ones show no sign of "
        "spam; the others are not among them, so nothing here shows what they were.",
        "replies_by_others": "The messages that look like replies ({listing}) show signs that someone else "
        "sent them (see question 1): spam software fakes replies to look familiar. They say nothing about "
        "what you answered.",
        "check_sent": "Check in your Sent folder what was answered, and whether it was spam.",
        "no_replies": "None of the {count} messages analysed is a reply (no In-Reply-To or References "
        "header, no \"Re:\" subject). Check your Sent folder to be sure.",
        "no_replies_one": "The message analysed is not a reply (no In-Reply-To or References header, no "
        "\"Re:\" subject). Check your Sent folder to be sure.",
        "message": "message {n}",
        "messages": "messages {numbers}",
        "others": "{numbers} and {count} others",
        "and": " and ",
        "then": "; ",
    },
    "fr": {
        "no_message": "Il n'y a aucun message sur lequel se fonder.",
        "refused": "Le message {n} a été envoyé{login}{where} : {signs}.",
        "refused_bare": "Message {n} : {signs}.",
        "refused_login": " après connexion en tant que {login}",
        "where": " depuis {ip}",
        "where_country": " depuis {ip} ({country})",
        "others_same": "{count} autres messages présentent des signes du même genre.",
        "other_same": "1 autre message présente des signes du même genre.",
        "advice_other_mailbox": "Ils sont partis d'une autre boîte que la vôtre.",
        "advice_password": "Vos propres logiciels de messagerie n'envoient pas ainsi : quelqu'un d'autre "
        "connaît votre mot de passe. Analysez vos appareils, puis changez-le.",
        "advice_marks": "Ce ne sont pas les marques de vos propres envois.",
        "yes_every": "Chaque message a été envoyé après connexion en tant que {account}, depuis un lieu d'où "
        "vous avez dit envoyer, et rien d'autre dans les en-têtes ne semble inhabituel.",
        "yes_one": "Le message a été envoyé après connexion en tant que {account}, depuis un lieu d'où vous "
        "avez dit envoyer, et rien d'autre dans les en-têtes ne semble inhabituel.",
        "your_address": "votre adresse",
        "unsure_many": "Rien dans les en-têtes ne prouve que quelqu'un d'autre a envoyé ces messages, mais "
        "rien ne confirme non plus que c'était vous ({parts}).",
        "unsure_one": "Rien dans les en-têtes ne prouve que quelqu'un d'autre a envoyé ce message, mais "
        "rien ne confirme non plus que c'était vous ({parts}).",
        "part_doubts": "message {n} : {signs}",
        "part_password": "le message {n} a été envoyé avec votre mot de passe, ce qui correspond à vos "
        "propres envois",
        "part_no_login": "le message {n} ne montre pas qui s'est connecté pour l'envoyer",
        "tell_where": "Indiquez à unblock les pays et les adresses IP d'où vous envoyez, pour qu'il puisse "
        "comparer.",
        "how_to_check_rules": "Vérifiez les redirections de l'adresse dans l'espace client OVHcloud, les "
        "règles (filtres) de chaque logiciel de messagerie qui l'utilise (Outlook, Thunderbird, un "
        "téléphone) et celles du webmail ; supprimez celles que vous n'avez pas créées.",
        "no_forwarding_marks": "Les en-têtes ne montrent aucun signe de redirection (ni en-têtes Resent ou "
        "X-Forwarded, ni adresse de retour réécrite pour un transfert, ni suite de lignes Delivered-To), "
        "mais une règle ne laisse de traces que sur les messages qu'elle a redirigés : les en-têtes ne "
        "permettent donc pas de l'exclure.",
        "forwarding_marks": "Les en-têtes portent les marques d'un transfert automatique : {listing}. "
        "Trouvez la règle qui le fait et supprimez-la si vous ne l'avez pas créée.",
        "forwarding_hints": "Certains en-têtes font penser à un transfert ({listing}), mais rien ne prouve "
        "une règle de redirection.",
        "api_found": "L'espace client OVHcloud contient une redirection de {source} vers {target}.",
        "api_found_more": "L'espace client OVHcloud contient une redirection de {source} vers {target}, et "
        "{count} autres.",
        "api_none": "L'espace client OVHcloud ne montre aucune redirection pour cette adresse, et les "
        "en-têtes des messages analysés n'en portent aucune trace.",
        "api_none_but_marks": "L'espace client OVHcloud ne montre aucune redirection pour cette adresse : la "
        "règle est donc probablement une règle de boîte de réception, dans un logiciel de messagerie ou "
        "le webmail.",
        "api_blind": "Les règles de boîte de réception créées dans un logiciel de messagerie ou dans le "
        "webmail ne sont pas visibles depuis l'espace client : vérifiez-les là où elles ont été créées.",
        "api_note": "(À vérifier : {note})",
        "reply_to_rated": "Le message {n} répond au message {m}, qu'un filtre anti-spam a classé comme "
        "spam : {verdict}.",
        "reply_to_signs": "Le message {n} répond au message {m}, qui présente les signes d'un spam : {signs}.",
        "reply_tagged": "Le message {n} répond à un message qu'un filtre anti-spam avait marqué : son objet "
        "porte encore {tag}.",
        "reply_carries_verdict": "Le message {n} est une réponse qui porte encore le verdict d'un filtre "
        "anti-spam : {verdict}.",
        "reply_is_not_spam": "{listing}. Une réponse prouve qu'un message a reçu une réponse, pas que ce "
        "message était un spam.",
        "answered_elsewhere": "Les messages auxquels il a été répondu ne font pas partie des messages "
        "analysés : rien ici ne dit ce qu'ils étaient.",
        "answered_clean": "Les messages auxquels il a été répondu font partie des messages analysés et ne "
        "montrent aucun signe de spam.",
        "answered_some": "Parmi les messages auxquels il a été répondu, ceux qui font partie des messages "
        "analysés ne montrent aucun signe de spam ; les autres n'en font pas partie : rien ici ne dit ce "
        "qu'ils étaient.",
        "replies_by_others": "Les messages qui ressemblent à des réponses ({listing}) montrent des signes "
        "d'envoi par quelqu'un d'autre (voir la question 1) : les logiciels de spam imitent des réponses "
        "pour paraître familiers. Ils ne disent rien de ce à quoi vous avez répondu.",
        "check_sent": "Vérifiez dans vos éléments envoyés à quoi il a été répondu, et s'il s'agissait d'un spam.",
        "no_replies": "Aucun des {count} messages analysés n'est une réponse (ni en-tête In-Reply-To ou "
        "References, ni objet commençant par « Re: »). Vérifiez vos éléments envoyés pour en être sûr.",
        "no_replies_one": "Le message analysé n'est pas une réponse (ni en-tête In-Reply-To ou References, "
        "ni objet commençant par « Re: »). Vérifiez vos éléments envoyés pour en être sûr.",
        "message": "message {n}",
        "messages": "messages {numbers}",
        "others": "{numbers} et {count} autres",
        "and": " et ",
        "then": " ; ",
    },
}


def number(count: int, language: str = "en") -> str:
    """``count`` with thousands grouped the language's way: 10,000 / 10 000."""
    return f"{count:,}".replace(",", "\u00a0") if language == "fr" else f"{count:,}"


def say(language: str, key: str, **blanks: object) -> str:
    """Sentence ``key`` in ``language`` (English for any other), its blanks filled."""
    text = _SENTENCES.get(language, _SENTENCES["en"])[key]
    return text.format(**blanks) if blanks else text


def message_numbers(numbers: list[int], language: str = "en") -> str:
    """ "message 2", "messages 1 and 3", "messages 1, 2, 3, 4 and 6 others" (in French likewise)."""
    if len(numbers) == 1:
        return say(language, "message", n=numbers[0])
    if len(numbers) > MAX_NAMED:
        shown = ", ".join(map(str, numbers[: MAX_NAMED - 1]))
        return say(language, "messages", numbers=say(language, "others", numbers=shown,
                                                    count=number(len(numbers) - MAX_NAMED + 1, language)))
    return say(language, "messages", numbers=joined([str(n) for n in numbers], language))


def joined(items: list[str], language: str = "en") -> str:
    """ "a, b and c" / "a, b et c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + say(language, "and") + items[-1]
