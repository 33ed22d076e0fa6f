"""Recognising OVHcloud's "Account locked for spam" ticket, in English or French, wherever it was pasted.

The ticket names the blocked mailbox, the service, how many suspicious
messages were seen, and asks three questions; the header sample follows it.
Customers paste it quoted ("> "), re-wrapped by their mail client, with CRLF,
with the web page's bold markers: all of that is undone before matching, and
every pattern allows a line break wherever the ticket has a space.
"""

from __future__ import annotations

import functools
import re

from tui.core.model import Ticket
from tui.core.questions import QUESTIONS

# Where to look: words every ticket has (in the questions or the count) and that a mail
# client cannot split. str.find is many times faster than a regex (or lowering the text) here.
_KEYWORDS = ("redirection", "suspicious", "suspect", "hébergée", "hosted")
# A raw message (it starts with one of these) can only hold a ticket in its body, after the first
# blank line: its header, often most of the text, need not be searched.
_MESSAGE_START = re.compile(
    r"(?:From [^\n]*\n)?(?:Received|Return-Path|Delivered-To|X-[!-9;-~]*|ARC-[!-9;-~]*|DKIM-Signature"
    r"|Authentication-Results|Message-ID|MIME-Version|Date|From|To):",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n\r?\n")
# The ticket is a few hundred words: this much text around a keyword holds all of it.
_REACH = 3000
# A keyword can also turn up in a header ("hostedemail.com"): try the next one, a few times at most.
_TRIES = 5

_QUOTING = re.compile(r"^(?:[ \t]*>[ \t]?)*")
_SPACE = re.compile(r"\s+")

_W = r"\s+"
_ADDRESS = r"(?:mailto:)?(?P<address>[^\s<>()\[\]\",;:*]+@[^\s<>()\[\]\",;:*]+)"
_SERVICE = r"(?P<service>\S.{0,200}?)"
_COUNT = r"(?P<count>\d+|X)"


def _patterns(*texts: str) -> tuple[str, ...]:
    return texts


@functools.cache
def _compiled(language: str) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """A language's sentence and question patterns, compiled the first time a ticket may be in it.

    Compiling them all costs milliseconds at every start; a ticket is in one language.
    """
    return tuple(re.compile(text, re.IGNORECASE | re.DOTALL) for text in _SENTENCES[language]), tuple(
        re.compile(text, re.IGNORECASE | re.DOTALL) for text in _QUESTION_OPENINGS[language])


# Words of each language's ticket that a mail client cannot split: a language is tried only when
# one of them is in the text.
_LANGUAGE_WORDS = {"en": ("hosted", "suspicious", "sender", "have you"),
                   "fr": ("héberg", "suspect", "émetteur", "avez-vous", "heberg", "emetteur")}

# Per language: the sentence naming address and service, the count, the line
# that introduces the questions, the fallback address line, and the sign-off.
_SENTENCES = {
    "en": _patterns(
        rf"the{_W}address{_W}{_ADDRESS}{_W}hosted{_W}on{_W}our{_W}systems{_W}under{_W}the{_W}{_SERVICE}{_W}service\b",
        rf"detected{_W}{_COUNT}{_W}suspicious{_W}message",
        rf"answering{_W}the{_W}following{_W}questions\s*:",
        rf"for{_W}the{_W}address\s*:?{_W}{_ADDRESS}",
        rf"These{_W}answers{_W}will{_W}help\b[^.]{{0,120}}\.",
    ),
    "fr": _patterns(
        rf"l['’]adresse{_W}{_ADDRESS}{_W}h[ée]berg[ée]e{_W}sur{_W}nos{_W}syst[èe]mes{_W}sous{_W}le{_W}service{_W}"
        rf"{_SERVICE}{_W}est{_W}source",
        rf"d[ée]tect[ée]{_W}{_COUNT}{_W}message",
        rf"compl[ée]tant{_W}les{_W}questions{_W}suivantes\s*:",
        rf"pour{_W}l['’]adresse\s*:?{_W}{_ADDRESS}",
        rf"Ces{_W}r[ée]ponses{_W}nous{_W}aideront\b[^.]{{0,120}}\.",
    ),
}

# Each question by its opening words, for when the list after the intro is not three clean items.
_QUESTION_OPENINGS = {
    "en": _patterns(
        rf"Are{_W}you{_W}the{_W}sender\b[^?]{{0,200}}\?",
        rf"Do{_W}you{_W}have{_W}a{_W}redirection{_W}rule\b[^?]{{0,200}}\?",
        rf"Have{_W}you{_W}(?:responded|replied){_W}to\b[^?]{{0,200}}\?",
    ),
    "fr": _patterns(
        rf"[ÊE]tes-vous{_W}l['’][ée]metteur\b[^?]{{0,200}}\?",
        rf"Avez-vous{_W}une{_W}r[èe]gle{_W}de{_W}redirection\b[^?]{{0,200}}\?",
        rf"Avez-vous{_W}r[ée]pondu\b[^?]{{0,200}}\?",
    ),
}
# One item of the question list: an optional bullet, then text up to "?" without a paragraph break.
_LIST_ITEM = re.compile(r"\s*(?:[-*•–·]\s*)?(?P<question>(?:(?!\n\s*\n)[^?]){3,300}\?)")
_GREETING = re.compile(r"^(?:Dear|Hello|Hi|Bonjour|Cher|Ch[èe]re|Madame|Monsieur)\b", re.IGNORECASE)


def parse_ticket(text: str) -> Ticket | None:
    """The ticket in ``text``, or None when ``text`` holds no such ticket."""
    return split_ticket(text)[0]


def split_ticket(text: str) -> tuple[Ticket | None, str]:
    """The ticket in ``text`` and the text after it, which holds the header sample(s).

    When there is no ticket, the whole text is returned as the remainder.
    """
    if all(text.find(word, _body_start(text)) < 0 for word in _KEYWORDS):
        return None, text
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    body = _body_start(normalised)
    hits = sorted(hit for hit in (normalised.find(word, body) for word in _KEYWORDS) if hit >= 0)
    tried_up_to = -1
    for hit in hits[:_TRIES]:
        if hit <= tried_up_to:
            continue
        window_start = normalised.rfind("\n", 0, max(0, hit - _REACH)) + 1
        window_end = normalised.find("\n", hit + _REACH)
        window_end = window_end if window_end >= 0 else len(normalised)
        tried_up_to = window_end - _REACH
        raw_lines = normalised[window_start:window_end].split("\n")
        window = [_clean(line) for line in raw_lines]
        found = _read(window)
        if found is not None:
            ticket, start, end = found
            ticket.text = "\n".join(window[start:end]).strip("\n")
            after = window_start + sum(len(line) + 1 for line in raw_lines[:end])
            return ticket, normalised[after:]
    return None, text


def _body_start(text: str) -> int:
    """Where a ticket could start: after the header when ``text`` is a raw message, else anywhere."""
    if not _MESSAGE_START.match(text):
        return 0
    end = _BLANK_LINE.search(text)
    return end.end() if end else len(text)


def _clean(line: str) -> str:
    line = _QUOTING.sub("", line, count=1).replace("**", "").replace("<br>", "")
    return line.replace("\u00a0", " ").strip()


def _read(window: list[str]) -> tuple[Ticket, int, int] | None:
    """The ticket in the cleaned ``window`` lines and its [start, end) line span, if it is one."""
    text = "\n".join(window)
    best: tuple[int, str, list[re.Match[str] | None]] | None = None
    lowered = text.lower()
    for language, words in _LANGUAGE_WORDS.items():
        if not any(word in lowered for word in words):
            continue
        patterns, openings = _compiled(language)
        matches = [pattern.search(text) for pattern in patterns]
        questions = [pattern.search(text) for pattern in openings]
        detection, count, intro = matches[:3]
        score = 2 * (detection is not None) + (count is not None) + (intro is not None)
        score += 2 * (sum(q is not None for q in questions) >= 2)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, language, matches + questions)
    if best is None:
        return None
    _, language, (detection, count, intro, address_line, sign_off, *openings) = best

    ticket = Ticket(language=language)
    if detection:
        ticket.address = detection["address"].rstrip(".")
        ticket.service = _SPACE.sub(" ", detection["service"]).strip(" \"'«»“”")
    if ticket.address is None and address_line:
        ticket.address = address_line["address"].rstrip(".")
    if count and count["count"].isdigit():
        ticket.suspicious_count = int(count["count"])
    ticket.questions = _questions(text, language, intro, openings)

    found = [m for m in (detection, count, intro, address_line, *openings) if m is not None]
    start_line = text.count("\n", 0, min(m.start() for m in found))
    for line in range(start_line - 1, max(-1, start_line - 6), -1):
        if _GREETING.match(window[line]):
            start_line = line
            break
    ends = [m.end() for m in found]
    if sign_off and sign_off.start() >= max(ends):
        ends.append(sign_off.end())
    end_line = text.count("\n", 0, max(ends)) + 1
    return ticket, start_line, end_line


def _questions(
    text: str, language: str, intro: re.Match[str] | None, openings: list[re.Match[str] | None]
) -> list[str]:
    """The three questions as the ticket words them; the guide's wording for any that cannot be found."""
    if intro is not None:
        listed: list[str] = []
        position = intro.end()
        while len(listed) < 3 and (item := _LIST_ITEM.match(text, position)):
            listed.append(_SPACE.sub(" ", item["question"]).strip())
            position = item.end()
        if len(listed) == 3:
            return listed
    return [
        _SPACE.sub(" ", opening.group()) if opening else QUESTIONS[language][number]
        for number, opening in enumerate(openings)
    ]
