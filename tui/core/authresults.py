"""Read the receiving servers' verdicts: Authentication-Results and Received-SPF.

These headers say whether SPF, DKIM and DMARC passed and, on OVH's submission
servers (``garm.ovh; auth=pass ... smtp.auth=...``), which mailbox logged in to
send the message: the strongest evidence of who sent mail from a locked account.

The grammar is RFC 8601's, read leniently, because real servers bend it:
Microsoft leaves out the authserv-id, comments sit anywhere and nest, values
may be quoted, and some servers forget the ";" between results.
"""

from __future__ import annotations

import re
from itertools import repeat

from tui.core.results import AuthResult

# Possessive: nothing after a quoted string in any pattern here makes the engine
# give characters back, and runs of plain characters go in one step.
_QUOTED = r'"(?:[^"\\]++|\\.)*+"?'

# Outside comments only a quoted string, "(" or ";" changes how text is read.
_OUTSIDE = re.compile(rf"{_QUOTED}|[(;]", re.S)
# A comment holding no other, the usual kind: blanking all of them with one
# substitution is exact when no quote or backslash can change where they end.
_FLAT_COMMENT = re.compile(r"\([^()]*+\)")
_INSIDE_COMMENT = re.compile(r"\\.|[()]", re.S)

# RFC 8601 allows whitespace (and comments, already blanked) around "=", "/"
# and the dot of ptype.property; gluing them back lets one item pattern read
# "dkim / 1 = fail policy . expired = 1" like "dkim/1=fail policy.expired=1".
# (?<!\s) lets a run of spaces be tried once, from its start, not from each space.
# The dot is only glued before "word=" so that a value ending in a root dot
# ("smtp.helo=mail.example.org. header.d=x") keeps its neighbour apart.
_GLUE = re.compile(
    rf"({_QUOTED})|(?<!\s)(?:\s+([=/])\s*|([=/])\s+)"
    r"|(?<=[\w-])(?:\s+\.\s*|\.\s+)(?=[\w-]+\s*=)",
    re.S,
)
_LOOSE = re.compile(r"\s[=/.]|[=/.]\s")
_ITEM = re.compile(rf'([^\s=";]+)=({_QUOTED}|[^\s";]*)|({_QUOTED})|([^\s";]+)', re.S)
_QUOTED_INNER = re.compile(r'"((?:[^"\\]|\\.)*)"?', re.S)
_ESCAPED = re.compile(r"\\(.)", re.S)
_KEYWORD = re.compile(r"[A-Za-z0-9][\w-]*")
_HEADER_NAME = re.compile(r"\s*(?:ARC-)?Authentication-Results\s*:", re.I)

# Real values stay under a few KB; reading only this much of a longer one
# keeps a hostile header from stalling the whole report.
MAX_VALUE = 20_000

# A non-dotted key that names one of these starts a new result even without a
# ";" before it; any other non-dotted key (Microsoft's action=) is a property.
_METHODS = frozenset({
    "arc", "auth", "bimi", "compauth", "dkim", "dkim-adsp", "dkim-atps", "dmarc",
    "domainkeys", "iprev", "rrvs", "sender-id", "smime", "spf", "vbr",
})
_SPF_RESULTS = frozenset({
    "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
    "error", "unknown",
})

# An item as str.partition("=") gives it: (key, "=", value) for key=value and
# (word, "", "") for a bare word. A word starting with "=" comes out as
# ("", "=", rest) and a quoted one as ("", "", word): bare words too, their
# parts joined. _END stands for a ";", which ends a result.
Item = tuple[str, str, str]
_END = (";", "", "")


def parse_authentication_results(
    value: str, header: str = "Authentication-Results"
) -> list[AuthResult]:
    """Every method=result verdict in one Authentication-Results style value.

    Works for ARC-Authentication-Results too (pass its name as ``header``):
    the leading ``i=N`` instance is skipped. Keys of ``properties`` are lower
    case ("smtp.mailfrom", "header.from", "smtp.auth"); other key=value words
    after a result (Microsoft's ``action=none``) are kept there as well.
    Garbage gives an empty list, never an exception.
    """
    if not value:
        return []
    value = value[:MAX_VALUE]
    # A value can only start with the header's name (after blanks) when its
    # first character is a blank or an "a": most values need no regex here.
    if value[:1] in "aA" or value[:1].isspace():
        name = _HEADER_NAME.match(value)
        if name:
            value = value[name.end():]
    items = _items(value)
    first = _first_item(items, 0)
    if first < len(items) and items[first][1] and items[first][0].lower() == "i":
        items = items[first + 1:]
        first = _first_item(items, 0)
    # Microsoft starts straight with "spf=...": no authserv-id then.
    authserv_id = None
    if first < len(items) and not (items[first][0] and items[first][1]):
        authserv_id = "".join(items[first])

    results: list[AuthResult] = []
    current: AuthResult | None = None
    for key, equals, item_value in items:
        if not (key and equals):
            if key == ";":
                current = None
            continue
        key = key.lower()
        if key == "reason":
            if current is not None:
                current.reason = item_value
        elif "." in key:
            target = current if current is not None else (results[-1] if results else None)
            if target is not None:
                target.properties.setdefault(key, item_value)
        elif current is None or key in _METHODS:
            method = key.partition("/")[0]
            current = AuthResult(method, item_value.lower(), authserv_id, {}, header)
            # A result that is not a keyword (an empty "spf=") still
            # collects its properties, so they do not land on a neighbour.
            if _is_keyword(method) and _is_keyword(item_value):
                results.append(current)
        else:
            current.properties.setdefault(key, item_value)
    return results


def _is_keyword(word: str) -> bool:
    """Whether ``word`` can be a method or a result: a letter or digit, then word characters or "-"."""
    # Nearly all are plain ASCII words ("spf", "pass", "dkim", "fail").
    return word.isascii() and word.isalnum() or _KEYWORD.fullmatch(word) is not None


def parse_received_spf(value: str) -> AuthResult | None:
    """The SPF verdict of one Received-SPF value (RFC 7208 section 9.1), or None.

    ``properties`` holds its key=value words with lower-case keys
    ("client-ip", "helo", "envelope-from", "receiver", "identity").
    """
    if not value:
        return None
    items = _items(value[:MAX_VALUE])
    first = _first_item(items, 0)
    if first == len(items) or (items[first][0] and items[first][1]):
        return None
    result = "".join(items[first]).lower()
    if result not in _SPF_RESULTS:
        return None
    properties: dict[str, str] = {}
    for key, equals, item_value in items[first + 1:]:
        if key and equals:
            properties.setdefault(key.lower(), item_value)
    return AuthResult("spf", result, properties=properties, header="Received-SPF")


def authenticated_mailbox(results: list[AuthResult]) -> str | None:
    """The mailbox that logged in to send, as recorded by ``smtp.auth=``.

    Only a passing result counts (a failed login proves nothing about the
    sender); ``auth=pass`` is preferred over any other method carrying it.
    Outgoing filters that relay for a whole server write the domain alone
    (``smtp.auth=@example.org``) or the relay's address in the local part
    (``smtp.auth=203.0.113.5@example.org``): neither names a mailbox, so
    they are passed over and the other witnesses can speak.
    """
    found = None
    for result in results:
        mailbox = result.properties.get("smtp.auth", "").strip()
        if not mailbox or result.result != "pass" or not _names_a_mailbox(mailbox):
            continue
        if result.method == "auth":
            return mailbox
        found = found or mailbox
    return found


def _names_a_mailbox(login: str) -> bool:
    """Whether an smtp.auth value can be someone's login: a bare user name, or an address with a user part."""
    local, at, _ = login.rpartition("@")
    if not at:
        return True
    if not local:
        return False
    # An IPv4 address (dots and digits only) or an IPv6 one (a ":") is a relay, not a person.
    return not (":" in local or (local.count(".") == 3 and local.replace(".", "").isdigit()))


def _items(text: str) -> list[Item]:
    """The key=value pairs and bare words of ``text`` in order, with _END for each ";", comments left out."""
    if '"' not in text:
        plain = _blank_comments(text) if "(" in text and "\\" not in text else text
        if "(" not in plain and not _is_loose(plain):
            # Each blank-separated word is then one item: str methods read
            # them faster than any regex.
            return list(map(str.partition, plain.replace(";", " ; ").split(), repeat("=")))
    first, *others = _segments(text)
    items = _segment_items(first)
    for segment in others:
        items.append(_END)
        items += _segment_items(segment)
    return items


def _first_item(items: list[Item], start: int) -> int:
    """Where the first item at or after ``start`` that is not _END is (the length if none)."""
    for index in range(start, len(items)):
        if items[index] != _END:
            return index
    return len(items)


def _is_loose(text: str) -> bool:
    """Whether a blank stands next to an "=", "/" or "." (RFC 8601 allows it, _GLUE undoes it)."""
    if text.isprintable():
        # The only blank is then the space, and six substring tests are much
        # cheaper than running _LOOSE.
        return (
            " =" in text or "= " in text or " /" in text or "/ " in text or " ." in text or ". " in text
        )
    return _LOOSE.search(text) is not None


def _segments(text: str) -> list[str]:
    """The text between the ";" that are outside quotes and comments, comments blanked."""
    if '"' not in text and "(" not in text:
        return text.split(";")
    if '"' not in text and "\\" not in text:
        blanked = _blank_comments(text)
        if "(" not in blanked:
            return blanked.split(";")
    segments: list[str] = []
    parts: list[str] = []
    pos = 0
    while True:
        found = _OUTSIDE.search(text, pos)
        if found is None:
            parts.append(text[pos:])
            break
        token = found.group()
        if token == ";":
            parts.append(text[pos:found.start()])
            segments.append("".join(parts))
            parts = []
            pos = found.end()
        elif token == "(":
            parts.append(text[pos:found.start()])
            parts.append(" ")
            pos = _comment_end(text, found.end())
        else:
            parts.append(text[pos:found.end()])
            pos = found.end()
    segments.append("".join(parts))
    return segments


def _blank_comments(text: str) -> str:
    """``text`` (with no quote or backslash) with each comment made one blank, as _segments does.

    One substitution blanks the innermost comments, so nested ones ("(body hash
    mismatch (got x))") take one more per level. An unclosed "(" stays: the
    caller then reads the text with _segments' general loop.
    """
    while True:
        blanked = _FLAT_COMMENT.sub(" ", text)
        if blanked == text or "(" not in blanked:
            return blanked
        text = blanked


def _comment_end(text: str, pos: int) -> int:
    """Where the comment opened just before ``pos`` closes (comments nest)."""
    depth = 1
    while depth:
        found = _INSIDE_COMMENT.search(text, pos)
        if found is None:
            return len(text)
        pos = found.end()
        token = found.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
    return pos


def _segment_items(segment: str) -> list[Item]:
    """The key=value pairs and bare words of one segment, quotes and loose blanks allowed."""
    glued = _GLUE.sub(_glue, segment) if _is_loose(segment) else segment
    items: list[Item] = []
    for key, value, quoted, word in _ITEM.findall(glued):
        if key:
            items.append((key, "=", _unquote(value) if value[:1] == '"' else value))
        elif word:
            items.append((word, "", ""))
        else:
            items.append(("", "", _unquote(quoted)))
    return items


def _glue(found: re.Match[str]) -> str:
    return found.group(1) or found.group(2) or found.group(3) or "."


def _unquote(quoted: str) -> str:
    inner = _QUOTED_INNER.match(quoted)
    return _ESCAPED.sub(r"\1", inner.group(1)) if inner else quoted
