"""The case file itself: where it lives, how it is laid out, and what is checked before it is opened.

The data folder is made private (0700) when it is ours; a database that is
damaged, written by a newer unblock, or another program's is refused before
a byte of it is written; a failed write is told in words.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import platformdirs

DB_NAME = "cases.db"
DB_VERSION = 2
# "unbl": marks the file as ours, so that another program's cases.db is never touched.
APPLICATION_ID = 0x756E626C

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    address TEXT,
    title TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS cases_address ON cases(address);
CREATE INDEX IF NOT EXISTS cases_updated ON cases(updated_at);
CREATE TABLE IF NOT EXISTS case_rows (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, part, key)
);
CREATE TABLE IF NOT EXISTS samples (
    id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    source TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (case_id, id)
);
CREATE INDEX IF NOT EXISTS samples_order ON samples(case_id, position);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""


def default_data_dir() -> Path:
    """``$UNBLOCK_DATA_DIR`` when set, else the platform's per-user data directory."""
    chosen = os.environ.get("UNBLOCK_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path("unblock")


class StoreError(Exception):
    """The case store cannot do what was asked; the message says why and what to do, in words."""


class StoreUnavailable(StoreError):
    """The case store cannot be opened (damaged, newer, not ours, not allowed); nothing was written."""


class SaveFailed(StoreError):
    """A change could not be saved; it is kept in memory and retried (``CaseStore.retry_pending``)."""


def prepare_data_dir(data_dir: Path) -> list[str]:
    """Create the data folder private (0700), or make an existing one of ours private; warnings in words.

    A folder that holds other files than unblock's is not ours to change: it is
    left as it is, with a warning when others can read it.
    """
    if not data_dir.exists():
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        data_dir.chmod(0o700)
        return []
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if not mode & 0o077:
        return []
    ours = all(entry.name.startswith((DB_NAME, "unblock")) for entry in data_dir.iterdir())
    if ours:
        try:
            data_dir.chmod(0o700)
            return []
        except OSError as exc:
            return [f"{data_dir} can be read by others and could not be made private: {exc.strerror or exc}."]
    return [f"{data_dir} can be read by other users (mode {mode:o}) and holds other files than unblock's, so "
            f"it was left as it is: your cases hold mail headers, so choose a private folder "
            f"(--data-dir or UNBLOCK_DATA_DIR)."]


def make_private_file(path: Path) -> None:
    """Create ``path`` if missing and make it owner-only before SQLite writes a byte to it.

    SQLite gives the -wal and -shm files the database file's mode, so fixing
    this one file's mode is what keeps the journal private too.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def check_existing(path: Path) -> None:
    """Refuse, before writing anything, a database that is damaged, newer than ours or not ours."""
    try:
        if path.stat().st_size == 0:
            return
    except FileNotFoundError:
        return
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if application_id not in (0, APPLICATION_ID) or (tables and "cases" not in tables):
                raise StoreUnavailable(
                    f"{path} is not an unblock case file (another program's?). It was left untouched: "
                    "choose another folder with --data-dir or UNBLOCK_DATA_DIR.")
            if version > DB_VERSION:
                raise StoreUnavailable(
                    f"{path} was written by a newer unblock (case file version {version}; this one reads up "
                    f"to {DB_VERSION}). It was left untouched: update unblock to open it.")
            verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(_damaged(path, str(exc))) from None
    if verdict != "ok":
        raise StoreUnavailable(_damaged(path, verdict))


def _damaged(path: Path, detail: str) -> str:
    return (f"{path} is damaged ({detail}). It was left untouched: keep a copy of it, then move it away "
            "to start afresh, or open your cases from a backup.")


def save_problem(exc: BaseException) -> str:
    """What a failed write means, in words for the user."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or getattr(exc, "errno", None) == 28:
        return "the disk is full: free some space"
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return "the case file is damaged: quit, keep a copy of it, and start afresh or from a backup"
    if name.startswith("SQLITE_READONLY") or isinstance(exc, PermissionError):
        return "the case file cannot be written (read-only or not yours)"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another program holds the case file locked"
    if name.startswith("SQLITE_IOERR") or isinstance(exc, OSError):
        return "the disk could not be written to"
    return f"the case file could not be written ({name or type(exc).__name__})"
