"""Where cases live between runs: one private SQLite file, saved change by change.

``cases.db`` sits in the user's data directory (or ``UNBLOCK_DATA_DIR``),
readable by its owner only, since it holds mail headers and ticket text.

A save writes the change, not the whole case: the one step ticked, answer
given, device added or sample removed, or the keys of the one part that
changed, inside a transaction that also moves the case's revision on. So two
unblock windows on the same data change different things without erasing each
other, and for the same thing the last change wins. When a save finds that
another window moved the revision on since this one last looked, the case is
read again (``Case.replace_with``): the screens say so.

A save that fails (disk full, a damaged file) never ends the app: the change
stays in memory, ``on_save_error`` is told in words, and ``retry_pending``
writes it later. A database that is damaged, newer than this unblock, or not
an unblock database at all is refused before a byte of it is written.

One case per blocked address: ``create`` (and a save that gives a case the
address of another) raises ``CaseExists`` naming the case to resume instead.

The file itself (where it lives, its layout, the checks before opening it)
is ``casefile``'s; its names are offered here too, for the store's users.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple
from pathlib import Path

from tui.core.case import Case, Change, Sample, normalise_address
from tui.core.casefile import (
    APPLICATION_ID,
    DB_NAME,
    DB_VERSION,
    SCHEMA,
    SaveFailed,
    StoreError,
    StoreUnavailable,
    check_existing,
    default_data_dir,
    make_private_file,
    prepare_data_dir,
    save_problem,
)
from tui.core.caseformat import ROW_PARTS, STATE_KEYS, case_from_dict, join_case, row_value, split_case

__all__ = [
    "APPLICATION_ID", "DB_NAME", "DB_VERSION", "CaseExists", "CaseStore", "CaseSummary", "SaveFailed", "StoreError",
    "StoreUnavailable", "default_data_dir",
]

_LAST_OPENED = "last_opened"
# After a write of this many samples the write-ahead log is folded back into the database,
# so it does not stay the size of the database.
_CHECKPOINT_AFTER = 1000


class CaseExists(ValueError):
    """The blocked address already has a case: resume ``case_id`` instead of starting another."""

    def __init__(self, address: str, case_id: str) -> None:
        super().__init__(f"There is already a case for {address}; open it to carry on where you left off.")
        self.address = address
        self.case_id = case_id


class CaseSummary(NamedTuple):
    """One line of the list of cases."""

    id: str
    title: str
    address: str | None
    product: str | None
    screen: str | None
    updated_at: str
    sample_count: int


class CaseStore:
    """The cases kept in ``data_dir/cases.db``.

    Safe to share between threads (one lock around the connection); a
    second store, even in another process, may use the same directory.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.warnings = prepare_data_dir(self.data_dir)
        self.path = self.data_dir / DB_NAME
        check_existing(self.path)
        make_private_file(self.path)
        for suffix in ("-wal", "-shm"):
            try:
                self.path.with_name(DB_NAME + suffix).chmod(0o600)
            except FileNotFoundError:
                pass
        # Told when a change could not be saved; the change is kept for retry_pending.
        self.on_save_error: Callable[[Case, SaveFailed], None] | None = None
        self._pending: dict[str, tuple[Case, list[Change]]] = {}
        self._lock = threading.RLock()
        # The revision of each case as this store last wrote or read it.
        self._seen: dict[str, int] = {}
        self._known_samples: dict[str, set[str]] = {}
        self._data_version: int | None = None
        self._attached: dict[int, tuple[Case, Callable[[], None]]] = {}
        try:
            # Transactions are explicit (BEGIN IMMEDIATE), hence isolation_level=None.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL survives any process crash; only a power cut may drop the last commits.
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._transaction():
                self._create_or_upgrade()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self.path} cannot be opened: {save_problem(exc)}.") from None

    def _create_or_upgrade(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == 1:
            self._db.execute("ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
        # Not executescript: it would commit first and run outside this transaction.
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self._db.execute(statement)
        if version == 1:
            for case_id, state in self._db.execute("SELECT id, state FROM cases").fetchall():
                self._write_rows_and_state(case_id, _state(state))
        if version != DB_VERSION:
            self._db.execute(f"PRAGMA user_version = {DB_VERSION}")
        self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _write_rows_and_state(self, case_id: str, d: dict) -> None:
        """Version 1 kept the lists inside the state document: move them to rows (upgrade)."""
        case = case_from_dict(d)
        state, rows = split_case(case)
        self._db.execute("UPDATE cases SET state = ? WHERE id = ?", (_json(state), case_id))
        self._db.executemany(
            "INSERT OR REPLACE INTO case_rows (case_id, part, key, position, value) VALUES (?, ?, ?, ?, ?)",
            [(case_id, part, str(key), n, _json(value)) for n, (part, key, value) in enumerate(rows)])

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

    # -- reading -----------------------------------------------------------------

    def list_cases(self) -> list[CaseSummary]:
        """Every case, most recently changed first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, c.title, c.address, c.updated_at,"
                " CASE WHEN json_valid(c.state) THEN json_extract(c.state, '$.product') END,"
                " CASE WHEN json_valid(c.state) THEN json_extract(c.state, '$.screen') END,"
                " (SELECT count(*) FROM samples s WHERE s.case_id = c.id)"
                " FROM cases c ORDER BY c.updated_at DESC, c.rowid DESC"
            ).fetchall()
        return [
            CaseSummary(case_id, title, address, product if isinstance(product, str) else None,
                        screen if isinstance(screen, str) else None, updated_at, count)
            for case_id, title, address, updated_at, product, screen, count in rows
        ]

    def _read(self, case_id: str) -> tuple[Case, int] | None:
        """The case as saved and its revision (call under the lock), or None."""
        row = self._db.execute("SELECT state, revision FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            return None
        rows = self._db.execute(
            "SELECT part, key, value FROM case_rows WHERE case_id = ? ORDER BY position", (case_id,)).fetchall()
        samples = self._db.execute(
            "SELECT id, source, idx, text FROM samples WHERE case_id = ? ORDER BY position", (case_id,)).fetchall()
        case = case_from_dict(join_case(_state(row[0]), [(p, k, _loads(v)) for p, k, v in rows]))
        case.id = case_id
        case.samples = [Sample(*sample) for sample in samples]
        self._known_samples[case_id] = {sample.id for sample in case.samples}
        return case, row[1]

    def load(self, case_id: str) -> Case:
        """The saved case ``case_id`` (KeyError if there is none); it becomes the last opened."""
        with self._lock, self._transaction():
            self._note_data_version()
            found = self._read(case_id)
            if found is None:
                raise KeyError(f"There is no saved case {case_id!r}.")
            self._remember_opened(case_id)
        case, self._seen[case_id] = found
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

    def _note_data_version(self) -> bool:
        """Whether another connection committed since the last call (PRAGMA data_version moves only then)."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        moved = version != self._data_version
        self._data_version = version
        if moved:
            self._known_samples.clear()
        return moved

    def check_for_changes(self, case: Case) -> bool:
        """Read ``case`` again if another window changed it since this store last looked; True if it did."""
        with self._lock:
            if not self._note_data_version():
                return False
            found = self._read(case.id)
        if found is None or found[1] == self._seen.get(case.id):
            return False
        self._seen[case.id] = found[1]
        case.replace_with(found[0])
        return True

    # -- writing -----------------------------------------------------------------

    def create(self, address: str | None = None) -> Case:
        """A new, saved case that becomes the last opened; CaseExists if ``address`` already has one."""
        case = Case(address=None if address is None else normalise_address(address))
        self.save(case)
        with self._transaction():
            self._remember_opened(case.id)
        return case

    def save(self, case: Case) -> None:
        """Write the whole case as it is in memory; samples already saved are not written again.

        Raises CaseExists when the case's address belongs to another case.
        """
        self._write(case, None)

    def _write(self, case: Case, changes: list[Change] | None) -> None:
        """Write ``changes`` of ``case`` (None: all of it) in one transaction, then read it again if stale."""
        with self._lock:
            with self._transaction():
                self._note_data_version()
                row = self._db.execute("SELECT revision FROM cases WHERE id = ?", (case.id,)).fetchone()
                if row is None or changes is None:
                    added = self._write_whole(case, row is not None)
                else:
                    added = sum(self._write_change(case, change) for change in changes)
                    self._touch(case, any(change == "ticket" for change in changes))
                revision = self._db.execute("SELECT revision FROM cases WHERE id = ?", (case.id,)).fetchone()[0]
            # Nobody else has written since our last look when the revision is just one on from it.
            stale = row is not None and row[0] != self._seen.get(case.id, row[0])
            self._seen[case.id] = revision
            self._note_data_version()
            if added >= _CHECKPOINT_AFTER:
                self._checkpoint()
            found = self._read(case.id) if stale else None
        if found is not None:
            case.replace_with(found[0])

    def _touch(self, case: Case, address_changed: bool) -> None:
        if address_changed:
            self._set_address(case, "UPDATE cases SET address = ?, title = ? WHERE id = ?",
                              (case.address, case.title(), case.id))
        self._db.execute(
            "UPDATE cases SET revision = revision + 1, updated_at = ?,"
            " state = json_set(CASE WHEN json_valid(state) THEN state ELSE '{}' END, '$.updated_at', ?)"
            " WHERE id = ?", (case.updated_at, case.updated_at, case.id))

    def _set_address(self, case: Case, statement: str, parameters: tuple) -> None:
        try:
            self._db.execute(statement, parameters)
        except sqlite3.IntegrityError:
            row = self._db.execute("SELECT id FROM cases WHERE address = ?", (case.address,)).fetchone()
            if case.address is None or row is None:
                raise
            raise CaseExists(case.address, row[0]) from None

    def _write_whole(self, case: Case, exists: bool) -> int:
        state, rows = split_case(case)
        self._set_address(
            case,
            "INSERT INTO cases (id, address, title, updated_at, state, revision) VALUES (?, ?, ?, ?, ?, 0)"
            " ON CONFLICT (id) DO UPDATE SET address = excluded.address, title = excluded.title,"
            " updated_at = excluded.updated_at, state = excluded.state, revision = revision + 1",
            (case.id, case.address, case.title(), case.updated_at, _json(state)))
        if exists:
            self._db.execute("DELETE FROM case_rows WHERE case_id = ?", (case.id,))
        self._db.executemany(
            "INSERT INTO case_rows (case_id, part, key, position, value) VALUES (?, ?, ?, ?, ?)",
            [(case.id, part, str(key), n, _json(value)) for n, (part, key, value) in enumerate(rows)])
        return self._add_samples(case, [sample.id for sample in case.samples])

    def _write_change(self, case: Case, change: Change) -> int:
        """Write one change (call in a transaction); returns how many samples it added."""
        part = str(change)
        if part == "samples":
            if change.removed:
                self._db.execute("DELETE FROM samples WHERE case_id = ? AND id = ?", (case.id, change.key))
                self._known_samples.get(case.id, set()).discard(change.key)
                return 0
            return self._add_samples(case, list(change.key or ()))
        if part in ROW_PARTS:
            value = None if change.removed else row_value(case, part, change.key)
            if value is None:
                self._db.execute("DELETE FROM case_rows WHERE case_id = ? AND part = ? AND key = ?",
                                 (case.id, part, str(change.key)))
            else:
                self._db.execute(
                    "INSERT INTO case_rows (case_id, part, key, position, value) VALUES (?, ?, ?,"
                    " (SELECT coalesce(max(position) + 1, 0) FROM case_rows WHERE case_id = ?), ?)"
                    " ON CONFLICT (case_id, part, key) DO UPDATE SET value = excluded.value",
                    (case.id, part, str(change.key), case.id, _json(value)))
            return 0
        keys = STATE_KEYS.get(part) or tuple(key for keys in STATE_KEYS.values() for key in keys)
        state, _rows = split_case(case)
        paths = ", ".join("?, json(?)" for _ in keys)
        self._db.execute(
            f"UPDATE cases SET state = json_set(CASE WHEN json_valid(state) THEN state ELSE '{{}}' END, {paths})"
            " WHERE id = ?",
            [item for key in keys for item in (f"$.{key}", _json(state.get(key)))] + [case.id])
        return 0

    def _add_samples(self, case: Case, ids: list[str]) -> int:
        """Insert the samples named that are not saved yet, after the saved ones; returns how many."""
        known = self._known_samples.get(case.id)
        if known is None:
            known = self._known_samples[case.id] = {
                row[0] for row in self._db.execute("SELECT id FROM samples WHERE case_id = ?", (case.id,))}
        wanted = set(ids) - known
        if not wanted:
            return 0
        start = self._db.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM samples WHERE case_id = ?", (case.id,)).fetchone()[0]
        new = [sample for sample in case.samples if sample.id in wanted]
        self._db.executemany(
            "INSERT OR IGNORE INTO samples (id, case_id, position, source, idx, text) VALUES (?, ?, ?, ?, ?, ?)",
            [(s.id, case.id, start + n, s.source, s.index, s.text) for n, s in enumerate(new)])
        known.update(wanted)
        return len(new)

    def _checkpoint(self) -> None:
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # another connection is reading: the next big write tries again

    def delete(self, case_id: str) -> None:
        """Forget a case and its samples; an attached copy stops autosaving so it cannot come back."""
        with self._lock:
            for key, (case, unsubscribe) in list(self._attached.items()):
                if case.id == case_id:
                    unsubscribe()
                    del self._attached[key]
            self._pending.pop(case_id, None)
            with self._transaction():
                self._db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
                self._db.execute("DELETE FROM settings WHERE key = ? AND value = ?", (_LAST_OPENED, case_id))
            self._known_samples.pop(case_id, None)

    # -- autosave ----------------------------------------------------------------

    def attach(self, case: Case) -> Callable[[], None]:
        """Save each change of ``case`` as it happens; returns the function that stops it.

        Attaching a case that is already attached changes nothing, so it is never saved twice per change.
        """
        with self._lock:
            if id(case) not in self._attached:
                self._seen.setdefault(case.id, self._revision(case.id))
                unsubscribe = case.subscribe(self._changed)
                # The entry keeps the case alive, so its id() cannot be reused meanwhile.
                self._attached[id(case)] = (case, unsubscribe)

        def detach() -> None:
            with self._lock:
                entry = self._attached.get(id(case))
                if entry is not None and entry[0] is case:
                    entry[1]()
                    del self._attached[id(case)]

        return detach

    def _revision(self, case_id: str) -> int | None:
        row = self._db.execute("SELECT revision FROM cases WHERE id = ?", (case_id,)).fetchone()
        return row[0] if row else None

    def _changed(self, case: Case, change: Change) -> None:
        if change == "reloaded":
            return
        pending = self._pending.get(case.id)
        changes = [*pending[1], change] if pending else [change]
        try:
            self._write(case, changes)
        except (sqlite3.Error, OSError) as exc:
            self._pending[case.id] = (case, changes)
            problem = SaveFailed(f"Your last change could not be saved: {save_problem(exc)}. It is kept, and "
                                 "unblock saves it as soon as it can.")
            if self.on_save_error is None:
                raise problem from None
            self.on_save_error(case, problem)
        else:
            self._pending.pop(case.id, None)

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def retry_pending(self) -> list[SaveFailed]:
        """Try again to save the changes that failed; what still fails, in words."""
        failures = []
        for case_id, (case, changes) in list(self._pending.items()):
            try:
                self._write(case, changes)
            except (sqlite3.Error, OSError) as exc:
                failures.append(SaveFailed(f"Still not saved: {save_problem(exc)}."))
            else:
                self._pending.pop(case_id, None)
        return failures

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


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _state(text: str) -> dict:
    """A case's stored JSON; a damaged document reads as empty so the case still opens."""
    d = _loads(text)
    return d if isinstance(d, dict) else {}

