"""The password meter: how strong a new mailbox password is, and a passphrase to offer.

``assess`` scores a candidate with zxcvbn and checks it against the product's
own rules (legacy MX Plan is the strict one); ``generate_passphrase`` draws
random words that every product accepts. The password only passes through:
nothing here keeps, logs or returns it.

The mailbox's own words (``user_inputs_for``: "contact", "boulangerie" and
"martin" for contact@boulangerie-martin.fr) are the first thing an attacker who
targets that mailbox tries, so inside a password they count for nothing: the
rest of the password is what gets scored, and a password holding them is never
rated "very strong".
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from random import Random

from tui.core.products import get_product


@dataclass(slots=True)
class PasswordAssessment:
    """What the meter shows: zxcvbn's verdict, the product's rules, and whether to accept it.

    ``score`` is zxcvbn's 0 (too guessable) to 4 (very unguessable);
    ``crack_time`` how long an offline attack on a slow hash would take;
    ``rule_problems`` plain sentences, one per broken product rule.
    """

    score: int
    crack_time: str
    warning: str
    suggestions: list[str]
    rule_problems: list[str]
    acceptable: bool


@dataclass(frozen=True, slots=True)
class PasswordRules:
    """What a product accepts as a password."""

    min_length: int
    max_length: int | None = None
    accented_letters: bool = True


DEFAULT_RULES = PasswordRules(min_length=8)
RULES: dict[str, PasswordRules] = {
    "mxplan_legacy": PasswordRules(min_length=9, max_length=30, accented_letters=False),
}
# A passphrase has to suit whichever product the user turns out to have.
_PASSPHRASE_MIN = max(r.min_length for r in (DEFAULT_RULES, *RULES.values()))
_PASSPHRASE_MAX = min(r.max_length for r in RULES.values() if r.max_length)

# zxcvbn refuses longer input; the characters beyond only add strength.
_ZXCVBN_MAX = 72
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_SPLIT = re.compile(r"[\s@._+\-]+")
_ADDRESS_SPLIT = re.compile(r"[._+\-]+")
# A two-letter word ("fr", "jp") sits inside too many honest words to count against them.
_SHORTEST_OWN_WORD = 3
# The best zxcvbn score a password holding the mailbox's own words can get: "strong", not "very strong".
_OWN_WORDS_BEST = 3
_CRACK_TIME = re.compile(r"(\d+) (second|minute|hour|day|month|year)s?")

NCSC_ADVICE: dict[str, str] = {
    "en": (
        "Use three random words. Pick three or more ordinary words that have nothing to do with "
        "each other or with you (no names, dates or pets) and put them together, for example "
        '"tulip-harbour-pencil". Long is strong, and words are easier to remember and to type '
        "than a jumble of symbols. Use this password for this mailbox only, never for another "
        "account. (Advice from the UK's National Cyber Security Centre, NCSC.)"
    ),
    "fr": (
        "Utilisez trois mots choisis au hasard : trois mots courants ou plus, sans lien entre eux "
        "ni avec vous (ni prénoms, ni dates, ni animaux de compagnie), mis bout à bout, par exemple "
        "« tulipe-port-crayon ». Plus un mot de passe est long, plus il est solide, et des mots se "
        "retiennent et se saisissent plus facilement qu'une suite de symboles. N'utilisez ce mot "
        "de passe que pour cette adresse, jamais pour un autre compte. (Conseil du NCSC, l'agence "
        "britannique de cybersécurité ; la CNIL propose aussi un outil : "
        "https://www.cnil.fr/fr/generer-un-mot-de-passe-solide)"
    ),
}

_RULE_TEXT = {
    "en": {
        "length_range": "{who} passwords must be {low} to {high} characters long; this one has {n}.",
        "length_min": "{who} passwords must be at least {low} characters long; this one has {n}.",
        "accents": "{who} passwords cannot contain accented letters; this one has {letters}.",
        "space": "{who} passwords cannot start or end with a space; this one does.",
        "generic": "Email",
        "own_words": "It contains words of the mailbox's own address ({words}): an attacker tries "
        "those first, so they add no strength.",
    },
    "fr": {
        "length_range": "Les mots de passe {who} doivent compter de {low} à {high} caractères ; "
        "celui-ci en compte {n}.",
        "length_min": "Les mots de passe {who} doivent compter au moins {low} caractères ; celui-ci en compte {n}.",
        "accents": "Les mots de passe {who} ne peuvent pas contenir de lettres accentuées ; "
        "celui-ci contient : {letters}.",
        "space": "Les mots de passe {who} ne peuvent pas commencer ni finir par un espace ; celui-ci le fait.",
        "generic": "e-mail",
        "own_words": "Il contient des mots de l'adresse elle-même ({words}) : un attaquant les essaie "
        "en premier, ils n'apportent aucune solidité.",
    },
}

# zxcvbn's feedback is English only; these are its messages, word for word.
_FEEDBACK_FR = {
    "Use a few words, avoid common phrases.": "Utilisez quelques mots, évitez les expressions courantes.",
    "No need for symbols, digits, or uppercase letters.": "Pas besoin de symboles, de chiffres ni de majuscules.",
    "Add another word or two. Uncommon words are better.": "Ajoutez un mot ou deux. Les mots peu courants "
    "sont préférables.",
    "Straight rows of keys are easy to guess.": "Les rangées de touches du clavier sont faciles à deviner.",
    "Short keyboard patterns are easy to guess.": "Les motifs de clavier courts sont faciles à deviner.",
    "Use a longer keyboard pattern with more turns.": "Utilisez un motif de clavier plus long, avec plus "
    "de changements de direction.",
    'Repeats like "aaa" are easy to guess.': "Les répétitions comme « aaa » sont faciles à deviner.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "Les répétitions comme "
    "« abcabcabc » sont à peine plus difficiles à deviner que « abc ».",
    "Avoid repeated words and characters.": "Évitez les mots et les caractères répétés.",
    'Sequences like "abc" or "6543" are easy to guess.': "Les suites comme « abc » ou « 6543 » sont faciles à deviner.",
    "Avoid sequences.": "Évitez les suites.",
    "Recent years are easy to guess.": "Les années récentes sont faciles à deviner.",
    "Avoid recent years.": "Évitez les années récentes.",
    "Avoid years that are associated with you.": "Évitez les années qui vous sont liées.",
    "Dates are often easy to guess.": "Les dates sont souvent faciles à deviner.",
    "Avoid dates and years that are associated with you.": "Évitez les dates et les années qui vous sont liées.",
    "This is a top-10 common password.": "C'est l'un des 10 mots de passe les plus courants.",
    "This is a top-100 common password.": "C'est l'un des 100 mots de passe les plus courants.",
    "This is a very common password.": "C'est un mot de passe très courant.",
    "This is similar to a commonly used password.": "Il ressemble à un mot de passe très utilisé.",
    "A word by itself is easy to guess.": "Un mot seul est facile à deviner.",
    "Names and surnames by themselves are easy to guess.": "Les prénoms et les noms seuls sont faciles à deviner.",
    "Common names and surnames are easy to guess.": "Les prénoms et les noms courants sont faciles à deviner.",
    "Capitalization doesn't help very much.": "Les majuscules n'aident pas beaucoup.",
    "All-uppercase is almost as easy to guess as all-lowercase.": "Tout en majuscules est presque aussi "
    "facile à deviner que tout en minuscules.",
    "Reversed words aren't much harder to guess.": "Les mots écrits à l'envers ne sont guère plus "
    "difficiles à deviner.",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": "Les substitutions "
    "prévisibles, comme « @ » à la place de « a », n'aident pas beaucoup.",
}
_EMPTY_FEEDBACK = ["Use a few words, avoid common phrases.", "No need for symbols, digits, or uppercase letters."]
_UNITS_FR = {
    "second": ("seconde", "secondes"),
    "minute": ("minute", "minutes"),
    "hour": ("heure", "heures"),
    "day": ("jour", "jours"),
    "month": ("mois", "mois"),
    "year": ("an", "ans"),
}


def rules_for(product_id: str | None) -> PasswordRules:
    """The password rules of ``product_id`` (None: the rules every product shares)."""
    return RULES.get(product_id or "", DEFAULT_RULES)


def rule_problems(password: str, product_id: str | None, language: str = "en") -> list[str]:
    """Each rule of the product that ``password`` breaks, as a sentence that states the rule."""
    text = _RULE_TEXT.get(language, _RULE_TEXT["en"])
    who = get_product(product_id, language).label if product_id else text["generic"]
    rules = rules_for(product_id)
    problems = []
    n = len(password)
    if rules.max_length is not None and not rules.min_length <= n <= rules.max_length:
        problems.append(text["length_range"].format(who=who, low=rules.min_length, high=rules.max_length, n=n))
    elif n < rules.min_length:
        problems.append(text["length_min"].format(who=who, low=rules.min_length, n=n))
    if not rules.accented_letters:
        # NFC first, so that an "e" typed with a combining accent shows as "é".
        composed = unicodedata.normalize("NFC", password)
        accented = [c for c in dict.fromkeys(_NON_ASCII.findall(composed)) if c.isalpha() or unicodedata.combining(c)]
        if accented:
            problems.append(text["accents"].format(who=who, letters=", ".join(accented)))
    if password[:1].isspace() or password[-1:].isspace():
        problems.append(text["space"].format(who=who))
    return problems


def user_inputs_for(address: str | None) -> list[str]:
    """The words of a mailbox address that a password must not lean on, lower-cased, each once.

    The local part and the domain are cut on ".", "-", "_" and "+":
    "contact@boulangerie-martin.fr" gives ["contact", "boulangerie", "martin"].
    The top-level domain ("fr") says nothing about the user, and words under
    three letters would match inside too many honest words: both are left out.
    """
    if not address or "@" not in address:
        return []
    local, _, domain = address.strip().lower().rpartition("@")
    labels = domain.split(".")[:-1]
    words = _ADDRESS_SPLIT.split(".".join([local, *labels]))
    return [w for w in dict.fromkeys(words) if len(w) >= _SHORTEST_OWN_WORD]


def _own_words(user_inputs: list[str]) -> list[str]:
    """Every word of the user's details (addresses cut as ``user_inputs_for`` does), longest first."""
    words: list[str] = []
    for item in user_inputs:
        item = item.strip().lower()
        if "@" in item:
            words += user_inputs_for(item)
        else:
            words += [w for w in _WORD_SPLIT.split(item) if len(w) >= _SHORTEST_OWN_WORD]
    return sorted(dict.fromkeys(words), key=len, reverse=True)


def _guessable_words(user_inputs: list[str]) -> list[str]:
    """The user's details as zxcvbn should know them: whole, and cut into words.

    An address gives its local part, its domain and the domain's labels (but
    not the top-level domain, which says nothing about the user).
    """
    words: list[str] = []
    for item in user_inputs:
        item = item.strip().lower()
        if not item:
            continue
        words.append(item)
        if "@" in item:
            local, _, domain = item.rpartition("@")
            labels = domain.split(".")[:-1]
            words += [local, domain, *labels]
            item = " ".join([local, *labels])
        words += _WORD_SPLIT.split(item)
    return [w for w in dict.fromkeys(words) if len(w) >= 3]


def _crack_time_fr(display: str) -> str:
    if display == "less than a second":
        return "moins d'une seconde"
    if display == "centuries":
        return "des siècles"
    match = _CRACK_TIME.fullmatch(display)
    if not match:
        return display
    count = int(match[1])
    singular, plural = _UNITS_FR[match[2]]
    return f"{count} {singular if count == 1 else plural}"


def assess(password: str, product_id: str | None, user_inputs: list[str], language: str = "en") -> PasswordAssessment:
    """Score ``password`` and check it against ``product_id``'s rules.

    ``user_inputs`` are the user's details an attacker would try first (the
    address, the user's name); addresses are also cut into their parts.
    The user's own words found in the password are taken out and what is left
    is scored (the crack time is that of the rest); the score is also never
    above what zxcvbn gives the whole password, nor above 3 ("strong") when
    any own word was there. Acceptable means a score of 3 or more and no
    broken rule.
    """
    guessable = _guessable_words(user_inputs)
    result = _zxcvbn(password, guessable)
    score = int(result["score"])
    lowered = password.lower()
    found = [word for word in _own_words(user_inputs) if word in lowered]
    if found:
        rest = lowered
        for word in found:
            rest = rest.replace(word, "")
        result = _zxcvbn(rest, guessable)
        score = min(score, int(result["score"]), _OWN_WORDS_BEST)
    crack_time = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    warning = result["feedback"]["warning"]
    suggestions = list(result["feedback"]["suggestions"])
    if language == "fr":
        crack_time = _crack_time_fr(crack_time)
        warning = _FEEDBACK_FR.get(warning, warning)
        suggestions = [_FEEDBACK_FR.get(s, s) for s in suggestions]
    if found:
        text = _RULE_TEXT.get(language, _RULE_TEXT["en"])
        warning = text["own_words"].format(words=", ".join(sorted(found, key=lowered.find)))
    problems = rule_problems(password, product_id, language)
    return PasswordAssessment(
        score=score,
        crack_time=crack_time,
        warning=warning,
        suggestions=suggestions,
        rule_problems=problems,
        acceptable=score >= 3 and not problems,
    )


def _zxcvbn(password: str, guessable: list[str]) -> dict:
    if not password:
        # zxcvbn fails on an empty string; this is what it says for no match at all.
        return {
            "score": 0,
            "crack_times_display": {"offline_slow_hashing_1e4_per_second": "less than a second"},
            "feedback": {"warning": "", "suggestions": _EMPTY_FEEDBACK},
        }
    from zxcvbn import zxcvbn  # start-up time: the dictionaries load on first use

    return zxcvbn(password[:_ZXCVBN_MAX], user_inputs=guessable)


@cache
def passphrase_words(language: str = "en") -> tuple[str, ...]:
    """The word list passphrases are drawn from (French for "fr", English otherwise)."""
    name = "words.fr.txt" if language == "fr" else "words.en.txt"
    text = (resources.files("tui.core") / "data" / name).read_text(encoding="ascii")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def _words_up_to(language: str, length: int) -> tuple[str, ...]:
    return tuple(w for w in passphrase_words(language) if len(w) <= length)


def generate_passphrase(words: int = 4, separator: str = "-", rng: Random | None = None, language: str = "en") -> str:
    """Random words joined by ``separator``, acceptable to every product.

    Words come from ``secrets.choice`` (``rng`` only for reproducible tests).
    The count adapts to the length rules: fewer words when even the shortest
    ones would pass 30 characters, more when the phrase would be under 9.
    Later words are drawn among those that still fit, so it never retries.
    """
    if words < 1:
        raise ValueError(f"a passphrase needs at least one word, not {words}")
    if len(separator) > 3 or not separator.isascii() or not separator.isprintable() or separator.isspace():
        raise ValueError(f"the separator must be up to 3 visible ASCII characters, not {separator!r}")
    choice = rng.choice if rng is not None else secrets.choice
    pool = passphrase_words(language)
    shortest = min(map(len, pool))
    gap = len(separator)
    count = min(words, (_PASSPHRASE_MAX + gap) // (shortest + gap))
    chosen: list[str] = []
    used = 0
    for position in range(count):
        still_to_come = count - position - 1
        room = _PASSPHRASE_MAX - used - (gap if chosen else 0) - still_to_come * (gap + shortest)
        word = choice(_words_up_to(language, room))
        used += len(word) + (gap if chosen else 0)
        chosen.append(word)
    while used < _PASSPHRASE_MIN:
        word = choice(pool)
        used += gap + len(word)
        chosen.append(word)
    return separator.join(chosen)
