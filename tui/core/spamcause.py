"""Decode OVH's X-VR-SPAMCAUSE: Vade Retro's scrambled account of why it scored a mail.

The legacy form is a letter substitution anyone can undo; decoded it names the
filter version, the rules that fired with their scores, the sender (From, Ip)
and the SMTP envelope (Param=mailfrom, rcptto, helo...). The newer form,
base64 starting "dmFkZTF" ("vade1"), is encrypted and cannot be read.
"""

from __future__ import annotations

import re

from tui.core.results import Spamcause

ENCRYPTED = "encrypted (newer Vade form), cannot be decoded"

_ENCRYPTED_PREFIX = "dmFkZTF"
# Below this share of printable characters the value was not the legacy form
# (upper case, digits and punctuation decode to control codes or nothing).
_MIN_PRINTABLE = 0.9
# The Latin-1 characters str.isprintable() accepts, for counting them in bytes.
_PRINTABLE_LATIN1 = bytes(code for code in range(256) if chr(code).isprintable())
# Every byte raised by 44 before the pairs are combined (see _unscramble).
_RAISE = bytes.maketrans(bytes(range(128)), bytes(range(44, 172)))

_VADE_PREFIX = re.compile(r"Vade Retro\s+(\S+)\s*(.*)", re.S)
_RULE_ONE = re.compile(r"([\^@!~#*+-]*[A-Za-z][\w.-]*)(?:\s*\(\s*(-?\d+)\s*\))?")
# One ";"-separated part, the blanks around it skipped: (key, value, "", "")
# for Key=value or Key: value, ("", "", hits, "") for a list of rule hits and
# ("", "", "", text) for anything else, the value and text still to be
# right-trimmed. Rules are told apart by whitespace so that no run of letters
# can be split two ways, and every quantifier is possessive: the pattern
# stays linear on hostile input.
_RULE = r"[\^@!~#*+-]*+[A-Za-z][\w.-]*+(?:\s*+\(\s*+-?\d++\s*+\))?+"
_PART = re.compile(
    rf"\s*+(?:([A-Za-z][\w-]*+)\s*+[=:]\s*+([^;]*+)|({_RULE}(?:\s++{_RULE})*+)\s*+(?=;|\Z)|([^;]*+))(?:;|\Z)"
)
_PARAM_SPLIT = re.compile(r",(?=[A-Za-z][\w-]*=)")
_WORD = re.compile(r"[A-Za-z][\w-]*")
_KNOWN_PARAMS = frozenset({"mode", "helo", "inet", "mailfrom", "nb_rcptto", "rcptto", "MTAHost"})


def decode_spamcause(value: str) -> Spamcause:
    """Decode one X-VR-SPAMCAUSE value; ``problem`` says why when it cannot be read.

    ``fields`` gets Version, Modules, Profile and Bailout from the prefix, then
    every Key=value part (From, Ip, Domain, Param...); ``rules`` the rule hits
    as written ("^SpamIp", 300); ``params`` the parts of Param=, where
    rcptto keeps all its comma-separated addresses. Never raises.
    """
    cause = Spamcause(raw=value)
    text = "".join((value or "").split())
    if text.startswith(_ENCRYPTED_PREFIX):
        cause.encrypted = True
        cause.problem = ENCRYPTED
        return cause
    cut = text.find("[")
    if cut >= 0:
        # Whoever copied the headers replaced (part of) the value with a note
        # such as "[TOO LONG, REMOVED]"; what stands before it still decodes.
        text = text[:cut]
    if not text:
        cause.problem = (
            "removed from the copy of the headers, nothing to decode"
            if cut >= 0
            else "empty, nothing to decode"
        )
        return cause
    decoded = _unscramble(text)
    if decoded is None or not _readable(decoded):
        cause.problem = "does not decode to readable text: not the legacy Vade form"
        return cause
    cause.decoded = decoded
    if cut >= 0:
        cause.problem = "cut short in the copy of the headers; only the start was decoded"
    _read_parts(decoded, cause)
    return cause


def _unscramble(text: str) -> str | None:
    """The legacy decoding, or None when the characters cannot be legacy output.

    Every even-numbered pair is swapped, then each pair (a, b) stands for
    ord(a) + ord(b) - ord("x") - 16 * (ord("g") - ord(a)), i.e. 17a + b - 1768.
    """
    if not text.isascii():
        return None
    data = text[: len(text) // 2 * 2].encode("ascii").translate(_RAISE)
    pairs = len(data) // 2
    if not pairs:
        return None
    swapped = bytearray(data)
    swapped[0::4] = data[1::4]
    swapped[1::4] = data[0::4]
    # All pairs at once, with integer arithmetic on 2-byte lanes instead of a
    # Python loop. Read as one number, lane i of the pairs holds 256a + b, and
    # of ``firsts`` a: the first minus 239 times the second holds 17a + b.
    # Every byte having been raised by 44, that is the code + 0x0A00, never
    # below 0 nor above 0xFFFF (a, b < 128), so lanes never spill into one
    # another; its high byte is 0x0A for a Latin-1 code, less for a negative one.
    firsts = bytearray(2 * pairs)
    firsts[1::2] = swapped[0::2]
    lanes = (int.from_bytes(swapped, "big") - 239 * int.from_bytes(firsts, "big")).to_bytes(2 * pairs, "big")
    highs = lanes[0::2]
    if highs == b"\x0a" * pairs:
        return lanes[1::2].decode("latin-1")
    if min(highs) < 0x0A:
        return None  # a negative code
    return "".join(map(chr, ((high - 0x0A) << 8 | low for high, low in zip(highs, lanes[1::2]))))


def _readable(decoded: str) -> bool:
    try:
        # Counting in bytes is much cheaper than calling isprintable on each character.
        printable = len(decoded) - len(decoded.encode("latin-1").translate(None, _PRINTABLE_LATIN1))
    except UnicodeEncodeError:
        printable = sum(map(str.isprintable, decoded))
    return printable >= _MIN_PRINTABLE * len(decoded)


def _read_parts(decoded: str, cause: Spamcause) -> None:
    """Sort the ";"-separated parts into prefix fields, key=value fields and rule hits."""
    fields = cause.fields
    start = 0
    first, semicolon, _ = decoded.partition(";")
    prefix = _VADE_PREFIX.fullmatch(first.strip())
    if prefix:
        version, rest = prefix.groups()
        modules, profile_label, profile = rest.partition("Profile:")
        fields["Version"] = version
        if modules.strip():
            fields["Modules"] = modules.strip()
        if profile_label:
            fields["Profile"] = profile.strip()
        start = len(first) + len(semicolon)
    # Pieces are gathered in lists and joined once: a hostile value with
    # thousands of continuations must not be copied again for each one.
    pieces: dict[str, list[str]] = {}
    current: list[str] | None = None
    for key, value, hits, text in _PART.findall(decoded, start):
        if key:
            current = None if key in pieces or key in fields else pieces.setdefault(key, [value.rstrip()])
        elif hits:
            for name, score in _RULE_ONE.findall(hits):
                cause.rules.append((name, int(score) if score else None))
            current = None
        elif text and current is not None:
            # A ";" inside a value (a display name in From=) split it; rejoin.
            current.append(text.rstrip())
    for key, values in pieces.items():
        fields[key] = "; ".join(values)
    param = fields.get("Param")
    if param is not None:
        cause.params = _read_params(param)


def _read_params(param: str) -> dict[str, str]:
    """Param=mode=smtp-out,helo=...,rcptto=a,b,c,MTAHost=... as a dict.

    A comma starts a new key only before "word="; anything else continues the
    previous value, which is how rcptto holds several addresses. An unknown
    word whose value has an "@" is an address (SRS0=...@host), not a key. A
    key written twice collects both values.
    """
    pieces: dict[str, list[str]] = {}
    current: list[str] | None = None
    for piece in _PARAM_SPLIT.split(param):
        key, equals, piece_value = piece.partition("=")
        # A known key is a word: the regex is only for the others.
        if equals and (key in _KNOWN_PARAMS or _WORD.fullmatch(key) and "@" not in piece_value):
            current = pieces.setdefault(key, [])
            current.append(piece_value)
        elif current is not None:
            current.append(piece)
    return {key: ",".join(values) for key, values in pieces.items()}
