"""Reading and writing the files the user names: tickets, evidence, saved replies and reports.

Every way it can fail ends in clear words for the user, never an exception.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.text import decode_bytes

# A ticket or a header sample is a few KB; anything far bigger is not one.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def check_readable_file(path: str) -> str | None:
    """None when ``path`` names a readable file, else what is wrong with it."""
    if not path:
        return "Type a file name."
    target = Path(path).expanduser()
    if not target.exists():
        return f"There is no file at {target}."
    if target.is_dir():
        return f"{target} is a folder, not a file."
    try:
        with target.open("rb"):
            pass
    except OSError as exc:
        return f"Cannot open {target}: {exc.strerror or exc}."
    return None


def check_evidence_path(path: str) -> str | None:
    """None when ``path`` is a readable file or a Maildir folder."""
    if not path:
        return "Type a file or folder name."
    target = Path(path).expanduser()
    if target.is_dir():
        if any((target / sub).is_dir() for sub in ("cur", "new")):
            return None
        return f"{target} is a folder but not a Maildir (it has no cur/ or new/)."
    return check_readable_file(path)


def read_text_file(path: str) -> tuple[str, str | None]:
    """The text of ``path`` (invalid UTF-8 read as Latin-1) or a problem in words."""
    problem = check_readable_file(path)
    if problem:
        return "", problem
    target = Path(path).expanduser()
    try:
        if target.stat().st_size > MAX_TEXT_BYTES:
            return "", f"{target} is larger than 20 MB: that is not a ticket. Add it as evidence instead."
        data = target.read_bytes()
    except OSError as exc:
        return "", f"Cannot read {target}: {exc.strerror or exc}."
    text, _problems = decode_bytes(data)
    if not text.strip():
        return "", f"{target} is empty."
    return text, None


def write_text_file(path: str, text: str) -> tuple[bool, str]:
    """Write ``text`` to ``path``; whether it worked, and what happened in words."""
    target = Path(path).expanduser()
    try:
        if target.is_dir():
            return False, f"{target} is a folder: give a file name."
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        return False, f"Could not save to {target}: {exc.strerror or exc}"
    return True, f"Saved to {target}"
