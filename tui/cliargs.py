"""Argument types the command lines share (`unblock inspect`, `unblock reply`)."""

from __future__ import annotations

import argparse


def country_code(value: str) -> str:
    """An ISO country code as --expect-country takes it: two letters, any case, made upper-case."""
    code = value.strip().upper()
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise argparse.ArgumentTypeError(f"{value!r} is not a two-letter country code (for example FR)")
    return code
