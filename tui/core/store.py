"""Where cases live between runs: one private SQLite file, saved on every change.

``cases.db`` sits in the user's data directory (or ``UNBLOCK_DATA_DIR``),
readable by its owner only, since it holds mail headers and ticket text.
Each save is one transaction, so a crash loses at most the change in
flight, and several stores (threads or processes) may share the file: SQLite
locks it and the last writer wins, case by case.

A case's header samples have their own table and are written incrementally;
the rest of the case is one small JSON document, so ticking a checkbox on a
case with thousands of samples rewrites one row.

One case per blocked address: ``create`` (and ``save``, when a ticket gives
an existing case's address to another case) raises ``CaseExists`` naming the
case to resume instead.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import platformdirs

from tui.core.case import Case, Sample, normalise_address
from tui.core.caseformat import case_from_dict, case_to_dict

DB_NAME = "cases.db"
DB_VERSION = 1
_LAST_OPENED = "last_opened"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    address TEXT,
    title TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS cases_address ON cases(address);
CREATE INDEX IF NOT EXISTS cases_updated ON cases(updated_at);
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


class CaseExists(ValueError):
    """The blocked address already has a case: resume ``case_id`` instead of starting another."""

    def __init__(self, address: str, case_id: str) -> None:
        super().__init__(f"There is already a case for {address}; open it to carry on where you left off.")
        self.address = address
        self.case_id = case_id


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of the list of cases."""

    id: str
    title: str
    address: str | None
    product: str | None
    screen: str | None
    updated_at: str
    sample_count: int


@dataclass(slots=True)
class _SamplesOnDisk:
    """Which samples of a case are on disk, so a save only writes the difference."""

    ids: set[str]
    next_position: int


def _private_file(path: Path) -> None:
    """Create ``path`` if missing and make it owner-only before SQLite writes a byte to it.

    SQLite gives the -wal and -shm files the database file's mode, so fixing
    this one file's mode is what keeps the journal private too.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


class CaseStore:
    """The cases kept in ``data_dir/cases.db``.

    Safe to share between threads (one lock around the connection); a
    second store, even in another process, may use the same directory.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.data_dir.chmod(0o700)
        self.path = self.data_dir / DB_NAME
        _private_file(self.path)
        for suffix in ("-wal", "-shm"):
            try:
                self.path.with_name(DB_NAME + suffix).chmod(0o600)
            except FileNotFoundError:
                pass
        # Transactions are explicit (BEGIN IMMEDIATE), hence isolation_level=None.
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        self._on_disk: dict[str, _SamplesOnDisk] = {}
        self._data_version: int | None = None
        self._attached: dict[int, tuple[Case, Callable[[], None]]] = {}
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL survives any process crash; only a power cut may drop the last commits.
        self._db.execute("PRAGMA synchronous = NORMAL")
        with self._transaction():
            # Not executescript: it would commit first and run outside this transaction.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            if self._db.execute("PRAGMA user_version").fetchone()[0] == 0:
                self._db.execute(f"PRAGMA user_version = {DB_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error.

        IMMEDIATE takes the write lock up front, so a busy database makes us
        wait (busy_timeout) instead of failing halfway when a read turns
        into a write.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _forget_if_others_wrote(self) -> None:
        """Drop what we remember of the samples on disk if another connection has committed.

        Call inside a transaction. PRAGMA data_version moves only on other
        connections' commits, so while it stays put our memory is exact.
        """
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._on_disk.clear()
            self._data_version = version

    def _samples_on_disk(self, case_id: str) -> _SamplesOnDisk:
        self._forget_if_others_wrote()
        known = self._on_disk.get(case_id)
        if known is not None:
            return known
        rows = self._db.execute("SELECT id, position FROM samples WHERE case_id = ?", (case_id,)).fetchall()
        return _SamplesOnDisk({r[0] for r in rows}, 1 + max((r[1] for r in rows), default=-1))

    # -- cases -------------------------------------------------------------------

    def list_cases(self) -> list[CaseSummary]:
        """Every case, most recently changed first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, c.title, c.address, c.updated_at, c.state,"
                " (SELECT count(*) FROM samples s WHERE s.case_id = c.id)"
                " FROM cases c ORDER BY c.updated_at DESC, c.rowid DESC"
            ).fetchall()
        summaries = []
        for case_id, title, address, updated_at, state, sample_count in rows:
            d = _state(state)
            product, screen = d.get("product"), d.get("screen")
            summaries.append(
                CaseSummary(
                    case_id,
                    title,
                    address,
                    product if isinstance(product, str) else None,
                    screen if isinstance(screen, str) else None,
                    updated_at,
                    sample_count,
                )
            )
        return summaries

    def create(self, address: str | None = None) -> Case:
        """A new, saved case that becomes the last opened; CaseExists if ``address`` already has one."""
        case = Case(address=None if address is None else normalise_address(address))
        with self._lock:
            with self._transaction():
                on_disk = self._write_case(case)
                self._remember_opened(case.id)
            self._on_disk[case.id] = on_disk
        return case

    def load(self, case_id: str) -> Case:
        """The saved case ``case_id`` (KeyError if there is none); it becomes the last opened."""
        with self._lock:
            with self._transaction():
                self._forget_if_others_wrote()
                row = self._db.execute("SELECT state FROM cases WHERE id = ?", (case_id,)).fetchone()
                if row is None:
                    raise KeyError(f"There is no saved case {case_id!r}.")
                rows = self._db.execute(
                    "SELECT id, source, idx, text, position FROM samples WHERE case_id = ? ORDER BY position",
                    (case_id,),
                ).fetchall()
                self._remember_opened(case_id)
            case = case_from_dict(_state(row[0]))
            case.id = case_id
            case.samples = [Sample(r[0], r[1], r[2], r[3]) for r in rows]
            self._on_disk[case_id] = _SamplesOnDisk({r[0] for r in rows}, 1 + (rows[-1][4] if rows else -1))
        return case

    def find_by_address(self, address: str) -> Case | None:
        """The case for this blocked address (loaded, so it becomes the last opened), or None."""
        wanted = normalise_address(address)
        with self._lock:
            row = self._db.execute("SELECT id FROM cases WHERE address = ?", (wanted,)).fetchone()
            if row is None:
                return None
            try:
                return self.load(row[0])
            except KeyError:
                # Another process deleted it between the two statements.
                return None

    def delete(self, case_id: str) -> None:
        """Forget a case and its samples; an attached copy stops autosaving so it cannot come back."""
        with self._lock:
            for key, (case, unsubscribe) in list(self._attached.items()):
                if case.id == case_id:
                    unsubscribe()
                    del self._attached[key]
            with self._transaction():
                self._db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
                self._db.execute("DELETE FROM settings WHERE key = ? AND value = ?", (_LAST_OPENED, case_id))
            self._on_disk.pop(case_id, None)

    def save(self, case: Case) -> None:
        """Write the case in one transaction: its state row plus only the samples added or removed.

        Raises CaseExists when the case's address belongs to another case.
        """
        with self._lock:
            with self._transaction():
                on_disk = self._write_case(case)
            # Remembered only once committed: a rolled-back save wrote nothing.
            self._on_disk[case.id] = on_disk

    def _write_case(self, case: Case) -> _SamplesOnDisk:
        try:
            self._db.execute(
                "INSERT INTO cases (id, address, title, updated_at, state) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET address = excluded.address, title = excluded.title,"
                " updated_at = excluded.updated_at, state = excluded.state",
                (
                    case.id,
                    case.address,
                    case.title(),
                    case.updated_at,
                    json.dumps(case_to_dict(case, include_samples=False), ensure_ascii=False),
                ),
            )
        except sqlite3.IntegrityError:
            row = self._db.execute("SELECT id FROM cases WHERE address = ?", (case.address,)).fetchone()
            if case.address is None or row is None:
                raise
            raise CaseExists(case.address, row[0]) from None
        on_disk = self._samples_on_disk(case.id)
        current = {s.id for s in case.samples}
        removed = on_disk.ids - current
        added = [s for s in case.samples if s.id not in on_disk.ids]
        if removed:
            self._db.executemany("DELETE FROM samples WHERE case_id = ? AND id = ?", [(case.id, i) for i in removed])
        if added:
            self._db.executemany(
                "INSERT INTO samples (id, case_id, position, source, idx, text) VALUES (?, ?, ?, ?, ?, ?)",
                [(s.id, case.id, on_disk.next_position + n, s.source, s.index, s.text) for n, s in enumerate(added)],
            )
        return _SamplesOnDisk(current, on_disk.next_position + len(added))

    def attach(self, case: Case) -> Callable[[], None]:
        """Save ``case`` after each of its changes; returns the function that stops it.

        Attaching a case that is already attached changes nothing, so it is never saved twice per change.
        """
        with self._lock:
            if id(case) not in self._attached:
                unsubscribe = case.subscribe(lambda changed, what: self.save(changed))
                # The entry keeps the case alive, so its id() cannot be reused meanwhile.
                self._attached[id(case)] = (case, unsubscribe)

        def detach() -> None:
            with self._lock:
                entry = self._attached.get(id(case))
                if entry is not None and entry[0] is case:
                    entry[1]()
                    del self._attached[id(case)]

        return detach

    # -- resuming ----------------------------------------------------------------

    def _remember_opened(self, case_id: str) -> None:
        self._db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_LAST_OPENED, case_id),
        )

    def remember(self, case_id: str) -> None:
        """Make ``case_id`` the case to resume next time (create and load already do)."""
        with self._transaction():
            self._remember_opened(case_id)

    def last_opened(self) -> str | None:
        """The id of the case most recently created, opened or remembered, if it still exists."""
        with self._lock:
            row = self._db.execute(
                "SELECT s.value FROM settings s JOIN cases c ON c.id = s.value WHERE s.key = ?",
                (_LAST_OPENED,),
            ).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Stop autosaving every attached case and close the database."""
        with self._lock:
            for _case, unsubscribe in self._attached.values():
                unsubscribe()
            self._attached.clear()
            self._db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _state(text: str) -> dict:
    """A case's stored JSON; a damaged document reads as empty so the case still opens."""
    try:
        d = json.loads(text)
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}
