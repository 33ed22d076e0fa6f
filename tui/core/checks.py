"""Checking what the user gives a Case: text, names, lists, addresses and positions, refused in words.

Every refusal is a ValueError whose message says what was wrong, so that a
screen can show it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

WHITESPACE = re.compile(r"\s")


def text_value(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, not {type(value).__name__}.")
    return value


def name_value(value: object, what: str) -> str:
    """Stripped non-empty text."""
    name = text_value(value, what).strip()
    if not name:
        raise ValueError(f"{what} is empty.")
    return name


def identifier(value: object, what: str) -> str:
    ident = name_value(value, what)
    if WHITESPACE.search(ident):
        raise ValueError(f"{what} {ident!r} must not contain spaces.")
    return ident


def text_items(values: object, what: str) -> list[str]:
    # A bare string is iterable too, and would silently become one item per letter.
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{what} must be a list of text, not {type(values).__name__}.")
    items = []
    for value in values:
        item = text_value(value, what).strip()
        if item:
            items.append(item)
    return items


def deduplicated(items: Iterable[str], key: Callable[[str], str] = str) -> list[str]:
    seen: set[str] = set()
    kept = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            kept.append(item)
    return kept


def normalise_address(address: object) -> str:
    """The mailbox address stripped and lower-cased; ValueError if it is not one.

    Lower case because OVHcloud mailboxes are case-insensitive and one case
    per address must not be fooled by "Jane@" versus "jane@".
    """
    text = name_value(address, "The mailbox address")
    local, at, domain = text.rpartition("@")
    if (
        not at
        or not local
        or "@" in local
        or WHITESPACE.search(text)
        or "." not in domain
        or domain.startswith(".")
        or domain.endswith(".")
        or ".." in domain
    ):
        raise ValueError(f"{text!r} is not a mailbox address like name@example.com.")
    return text.lower()


def index_in(items: list, i: object, what: str) -> int:
    if isinstance(i, bool) or not isinstance(i, int):
        raise ValueError(f"{what} number must be an integer, not {type(i).__name__}.")
    if not 0 <= i < len(items):
        raise ValueError(f"There is no {what.lower()} number {i} (there are {len(items)}).")
    return i
