"""The private crash log: where an unexpected error is written down instead of being shown with its locals.

A traceback printed on the terminal would show the local variables of every
frame, that is the case with its ticket and headers. The log keeps what a
bug report needs, where the error happened (file, line, function) and what
kind of error it was, and leaves out every message and value, since those may
quote header text. It lives in the data folder, readable by its owner only.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path

LOG_NAME = "unblock-crash.log"
# Past this size the log starts again: it holds the latest errors, not a history.
_MAX_BYTES = 256 * 1024


def crash_report(error: BaseException) -> str:
    """Where ``error`` (and what caused it) happened, frame by frame, with no message and no value."""
    lines = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by, or while handling:")
    return "\n".join(lines)


def _short_path(filename: str) -> str:
    """A file name without the user's folders: from the package or library folder on."""
    parts = Path(filename).parts
    for anchor in ("tui", "site-packages", "lib"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):])
    return Path(filename).name


def write_crash_report(data_dir: Path, error: BaseException) -> Path | None:
    """Add ``error``'s report to the private log in ``data_dir``; its path, or None if it cannot be written."""
    path = Path(data_dir) / LOG_NAME
    entry = f"--- {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n{crash_report(error)}\n"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        if path.exists() and path.stat().st_size > _MAX_BYTES:
            flags |= os.O_TRUNC
            flags &= ~os.O_APPEND
        fd = os.open(path, flags, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, entry.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        return None
    return path
