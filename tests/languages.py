"""Telling an untranslated string in a reply: common words of the other language, outside quoted header values.

Header values are quoted in the reply (“...” in English, « ... » in French) and
may be in any language; header names (In-Reply-To, Message-ID), addresses,
domains and numbers are the same in both. Everything else must be in the
reply's language, and a common English word in a French reply (or a common
French word in an English one) is a string someone forgot to translate.
"""

from __future__ import annotations

import re

# Words common in English and never French ("on", "or", "as" and "but" are French words too).
ENGLISH = frozenset(
    "the and with from was were this that have has had not our we you your sent which been would could "
    "please there yes what found headers they them their of to by is are it for in at be "
    "who when where why how than then these those some none other others any every each between "
    "analysed signs someone else country countries address addresses password mailbox reply replies "
    "answered checking will let know rule rules another forwarding "
    "seen often named logged sender subject full available request unknown".split()
)
# Words common in French and never English.
FRENCH = frozenset(
    "le la les des du et avec depuis nous vous est une pas été envoyé envoyés envoyée adresse boîte pour "
    "dans sur aucun aucune réponse réponses mot passe pays qui que ne au aux où sont avons êtes leur "
    "leurs entre autres autre chaque ce cette ces ont il ils elle elles signe signes expéditeur objet "
    "règle règles vérifions messagerie logiciel logiciels déjà selon".split()
)
# Quoted values, and the blanks of a template ("{where}").
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|\{[a-z_]*\}")
# Header names (In-Reply-To, X-Forwarded, Message-ID) and anything with "@", a dot inside or a digit.
_TECHNICAL = re.compile(r"\b[A-Z][\w]*(?:-[A-Za-z][\w]*)+\b|\S*[@\d]\S*|\S+\.\S+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words_outside_quotes(text: str) -> list[str]:
    """The lower-cased words of ``text``, quoted values and technical tokens left out."""
    text = _TECHNICAL.sub(" ", _QUOTED.sub(" ", text))
    return [w.lower() for w in _WORD.findall(text)]


def stray_words(text: str, language: str) -> list[str]:
    """The words of the other language in ``text`` (written in ``language``), in order."""
    other = ENGLISH if language == "fr" else FRENCH
    return [w for w in words_outside_quotes(text) if w in other]
