"""The case store: round trips, autosave, privacy, crashes and concurrent writers."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from contextlib import closing
from pathlib import Path

import platformdirs
import pytest

from tui.core.case import Case
from tui.core.caseformat import case_to_dict
from tui.core.store import (
    APPLICATION_ID, DB_NAME, DB_VERSION, CaseExists, CaseStore, CaseSummary, SaveFailed, StoreUnavailable, default_data_dir,
)

ROOT = Path(__file__).resolve().parents[1]

HEADER_BLOCK = """Received: from mail-relay.example-isp.net (mail-relay.example-isp.net [192.0.2.45])
 by mx3.mail.ovh.net (Postfix) with ESMTPS id 4Zb1Kp6Qx8z1Vq
 for <compta@atelier-exemple.fr>; Wed, 12 Feb 2025 14:03:11 +0000 (UTC)
From: "Atelier Exemple" <compta@atelier-exemple.fr>
Subject: Payment {n}
"""


def block(n: int) -> str:
    return HEADER_BLOCK.format(n=n)


@pytest.fixture
def store(tmp_path):
    with CaseStore(tmp_path / "data") as s:
        yield s


def raw(store: CaseStore) -> closing[sqlite3.Connection]:
    """A separate connection to look at (or damage) what is really on disk."""
    return closing(sqlite3.connect(store.path, isolation_level=None))


def one_case_in_two_windows(a: CaseStore, b: CaseStore):
    """A new case in store ``a`` and the same case read by store ``b``, each saving its changes."""
    case_a = a.create()
    a.attach(case_a)
    case_b = b.load(case_a.id)
    b.attach(case_b)
    return case_a, case_b


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def read_line(proc: subprocess.Popen) -> str:
    # The limit only keeps a hung child from hanging the test run; nothing is timed.
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    assert ready, "the child process stopped talking"
    line = proc.stdout.readline()
    assert line, f"the child process ended: {proc.stderr.read()}"
    return line.strip()


# -- where the data lives --------------------------------------------------------


def test_default_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("UNBLOCK_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("UNBLOCK_DATA_DIR")
    assert default_data_dir() == platformdirs.user_data_path("unblock")


def test_the_store_is_private_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        with CaseStore(tmp_path / "new" / "data") as s:
            case = s.create("marie@example.fr")
            s.attach(case)
            case.add_samples("pasted", [block(1)])
            files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in s.data_dir.iterdir()}
            assert stat.S_IMODE(s.data_dir.stat().st_mode) == 0o700
    finally:
        os.umask(old)
    assert files == {DB_NAME: 0o600, DB_NAME + "-wal": 0o600, DB_NAME + "-shm": 0o600}


def test_an_existing_database_is_made_private(tmp_path):
    data = tmp_path / "data"
    with CaseStore(data):
        pass
    (data / DB_NAME).chmod(0o644)
    with CaseStore(data) as s:
        assert stat.S_IMODE(s.path.stat().st_mode) == 0o600


def test_the_database_uses_wal_and_foreign_keys(store):
    with raw(store) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == DB_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


# -- round trips -----------------------------------------------------------------


def test_a_case_comes_back_exactly_as_saved(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create()
        case.set_product("exchange")
        case.confirm_product()
        case.toggle_step("exchange.login")
        case.set_ticket("Your account compta@atelier-exemple.fr ...", "compta@atelier-exemple.fr",
                        "hosted-ab12345-1", 40, "en")
        case.add_samples("ticket", [block(0)])
        case.add_samples("sent.mbox", [block(1), block(2), block(3)])
        case.remove_sample(case.samples[2].id)
        case.set_expectations(countries=["FR"], ips=["192.0.2.7"], clients=["Outlook"])
        case.set_answer(1, "no", "Not sent by us.")
        case.set_reply("Hello,\nthese are our answers — merci.")
        case.add_device("Laptop")
        case.record_scan(0, "clean")
        case.add_software("Scan-to-mail copier", "fax/scanner")
        case.mark_password_changed()
        case.go_to("remediation")
        s.save(case)
    with CaseStore(tmp_path) as s:
        again = s.load(case.id)
    assert case_to_dict(again) == case_to_dict(case)
    assert [x.text for x in again.samples] == [block(0), block(1), block(3)]


def test_list_cases_newest_first_with_a_summary(store):
    old = store.create("old@example.fr")
    new = store.create()
    store.attach(new)
    new.set_product("mxplan_new")
    new.add_samples("pasted", [block(1), block(2)])
    new.go_to("ticket")
    store.attach(old)
    assert [c.id for c in store.list_cases()] == [new.id, old.id]
    old.go_to("questions")
    summaries = store.list_cases()
    assert summaries[0] == CaseSummary(old.id, "old@example.fr", "old@example.fr", None, "questions",
                                       old.updated_at, 0)
    assert summaries[1] == CaseSummary(new.id, "New case", None, "mxplan_new", "ticket", new.updated_at, 2)


def test_load_of_an_unknown_case_raises(store):
    with pytest.raises(KeyError, match="no saved case"):
        store.load("0" * 32)


def test_a_damaged_state_still_opens(store):
    case = store.create("marie@example.fr")
    with raw(store) as db:
        db.execute("UPDATE cases SET state = '[not json' WHERE id = ?", (case.id,))
    again = store.load(case.id)
    assert again.id == case.id and again.screen == "product"
    assert store.list_cases()[0].product is None


# -- one case per address --------------------------------------------------------


def test_one_case_per_address(store):
    first = store.create("Marie@Example.fr")
    with pytest.raises(CaseExists) as caught:
        store.create(" marie@example.FR")
    assert caught.value.case_id == first.id
    assert "already a case for marie@example.fr" in str(caught.value)
    assert store.find_by_address("MARIE@example.fr").id == first.id
    assert store.find_by_address("nobody@example.fr") is None
    assert len(store.list_cases()) == 1
    with pytest.raises(ValueError):
        store.create("not an address")


def test_a_ticket_naming_another_case_s_address_is_refused_then_recovers(store):
    marie = store.create("marie@example.fr")
    other = store.create()
    store.attach(other)
    other.add_samples("pasted", [block(1)])
    with pytest.raises(CaseExists) as caught:
        other.set_ticket("...", "marie@example.fr")
    assert caught.value.case_id == marie.id
    assert store.load(other.id).address is None
    other.add_samples("pasted", [block(2)])  # saved: a sample does not touch the address
    other.set_ticket("...", "paul@example.fr")
    again = store.load(other.id)
    assert again.address == "paul@example.fr"
    assert [s.text for s in again.samples] == [block(1), block(2)]


# -- autosave, delete, resume ----------------------------------------------------


def test_attach_saves_every_change(tmp_path):
    with CaseStore(tmp_path) as writer, CaseStore(tmp_path) as reader:
        case = writer.create()
        writer.attach(case)
        case.set_answer(2, "no", "No redirection rules.")
        assert reader.load(case.id).answers[2].comment == "No redirection rules."
        case.toggle_step("exchange.login")
        assert reader.load(case.id).steps_done == {"exchange.login"}


def test_attaching_twice_saves_once_and_detach_stops_saving(store):
    case = store.create()
    detach = store.attach(case)
    store.attach(case)
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    case.go_to("ticket")
    assert sum(s.startswith("BEGIN") for s in statements) == 1
    detach()
    case.go_to("reply")
    assert store.load(case.id).screen == "ticket"


def test_delete_removes_samples_and_stops_autosave(store):
    case = store.create("marie@example.fr")
    store.attach(case)
    case.add_samples("pasted", [block(1), block(2)])
    store.delete(case.id)
    case.go_to("ticket")  # must not bring the case back
    with raw(store) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM samples").fetchone()[0] == 0
    assert store.last_opened() is None
    assert store.create("marie@example.fr").address == "marie@example.fr"
    store.delete("no-such-case")


def test_last_opened_is_remembered_across_runs(tmp_path):
    with CaseStore(tmp_path) as s:
        assert s.last_opened() is None
        a = s.create()
        b = s.create()
        assert s.last_opened() == b.id
        s.load(a.id)
        assert s.last_opened() == a.id
        s.remember(b.id)
    with CaseStore(tmp_path) as s:
        assert s.last_opened() == b.id
        s.delete(b.id)
        assert s.last_opened() is None


def test_close_stops_autosave(tmp_path):
    s = CaseStore(tmp_path)
    case = s.create()
    s.attach(case)
    s.close()
    case.go_to("ticket")  # no error: the closed store is no longer listening
    with CaseStore(tmp_path) as again:
        assert again.load(case.id).screen == "product"


# -- big cases -------------------------------------------------------------------


def test_ticking_a_box_on_a_case_with_10000_samples_writes_one_row(store):
    case = store.create("marie@example.fr")
    store.attach(case)
    case.add_samples("sent.mbox", [block(n) for n in range(10_000)])
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    before = store._db.total_changes
    case.toggle_step("exchange.login")
    assert store._db.total_changes - before == 2  # the step's row, and the case's revision
    assert not [s for s in statements if "samples" in s]
    assert len(statements) <= 8
    assert store.load(case.id).steps_done == {"exchange.login"}


def test_removing_one_of_10000_samples_deletes_one_row(store):
    case = store.create()
    store.attach(case)
    case.add_samples("sent.mbox", [block(n) for n in range(10_000)])
    before = store._db.total_changes
    case.remove_sample(case.samples[5000].id)
    assert store._db.total_changes - before == 2  # the case row and the one sample
    again = store.load(case.id)
    assert len(again.samples) == 9_999
    assert [s.index for s in again.samples[4999:5001]] == [4999, 5001]


def test_a_loaded_big_case_saves_incrementally_too(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create()
        case.add_samples("sent.mbox", [block(n) for n in range(10_000)])
        s.save(case)
    with CaseStore(tmp_path) as s:
        case = s.load(case.id)
        s.attach(case)
        before = s._db.total_changes
        case.set_answer(1, "yes")
        case.add_samples("pasted", [block(1)])
        assert s._db.total_changes - before == 4  # the answer's row, one new sample, the case twice
        assert s.load(case.id).samples[-1].source == "pasted"


# -- crashes and concurrent writers ---------------------------------------------

KILLED_WRITER = """
import sys
from pathlib import Path
from tui.core.store import CaseStore

store = CaseStore(Path(sys.argv[1]))
case = store.load(sys.argv[2])
n = 0
while True:
    n += 1
    case.add_samples("sent.mbox", [f"Received: from h{n}-{i}.example.net\\nSubject: {n}\\n" for i in range(50)])
    case.set_reply(f"draft {n}")
    store.save(case)
    print(n, flush=True)
"""


def test_a_writer_killed_mid_way_leaves_the_last_commit_intact(tmp_path):
    with CaseStore(tmp_path) as s:
        case_id = s.create("marie@example.fr").id
    with run_python(KILLED_WRITER, str(tmp_path), case_id) as proc:
        try:
            for _ in range(40):
                acknowledged = int(read_line(proc))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with CaseStore(tmp_path) as s, raw(s) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        case = s.load(case_id)
    saved = int(case.reply_text.split()[1])
    assert saved >= acknowledged
    # The state row and the samples come from the same transaction.
    assert len(case.samples) == 50 * saved
    assert case.samples[-1].text.startswith(f"Received: from h{saved}-49.")


def test_two_stores_in_threads_write_without_corruption(tmp_path):
    with CaseStore(tmp_path) as s:
        shared_id = s.create("shared@example.fr").id
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    finals: dict[str, tuple[set[str], list[str]]] = {}

    def writer(name: str) -> None:
        try:
            with CaseStore(tmp_path) as s:
                shared = s.load(shared_id)
                own = s.create(f"{name}@example.fr")
                s.attach(shared)
                s.attach(own)
                start.wait()
                for n in range(100):
                    shared.toggle_step(f"{name}.{n}")
                    own.toggle_step(f"{name}.{n}")
                    if n % 10 == 0:
                        shared.add_samples(name, [block(n)])
                finals[name] = (set(shared.steps_done), [x.id for x in shared.samples])
        except BaseException as exc:  # collected so the main thread can fail with it
            errors.append(exc)
            start.abort()  # so the other writer does not wait for this one forever

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with CaseStore(tmp_path) as s:
        shared = s.load(shared_id)
        # Each writer changed its own steps and samples: both writers' changes are all there.
        assert shared.steps_done == {f"{name}.{n}" for name in ("alice", "bob") for n in range(100)}
        assert len(shared.samples) == 20
        assert {x.id for x in shared.samples} == set(finals["alice"][1]) | set(finals["bob"][1])
        assert len(s.list_cases()) == 3
        for name in ("alice", "bob"):
            assert len(s.find_by_address(f"{name}@example.fr").steps_done) == 100
        with raw(s) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_one_store_shared_by_threads(store):
    cases = [store.create(f"user{i}@example.fr") for i in range(4)]
    for case in cases:
        store.attach(case)
    errors: list[BaseException] = []

    def work(case: Case) -> None:
        try:
            for n in range(50):
                case.toggle_step(f"step.{n}")
                case.add_samples("pasted", [block(n)])
        except BaseException as exc:  # collected so the main thread can fail with it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for case in cases:
        again = store.load(case.id)
        assert len(again.steps_done) == 50
        assert [x.text for x in again.samples] == [block(n) for n in range(50)]


OTHER_PROCESS = """
import json, sys
from pathlib import Path
from tui.core.store import CaseStore

store = CaseStore(Path(sys.argv[1]))
case = store.load(sys.argv[2])
store.attach(case)
own = store.create("process@example.fr")
store.attach(own)
print("ready", flush=True)
sys.stdin.readline()
for n in range(200):
    case.toggle_step(f"process.{n}")
    own.toggle_step(f"process.{n}")
    if n % 20 == 0:
        case.add_samples("process", [f"Received: from p{n}.example.net\\n"])
print(json.dumps({"steps": sorted(case.steps_done), "samples": [s.id for s in case.samples]}), flush=True)
store.close()
"""


def test_a_store_in_another_process_writes_at_the_same_time(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create("shared@example.fr")
        s.attach(case)
        with run_python(OTHER_PROCESS, str(tmp_path), case.id, stdin=subprocess.PIPE) as proc:
            assert read_line(proc) == "ready"
            proc.stdin.write("go\n")
            proc.stdin.flush()
            for n in range(200):
                case.toggle_step(f"main.{n}")
                if n % 20 == 0:
                    case.add_samples("main", [block(n)])
            theirs = json.loads(read_line(proc))
            assert proc.wait() == 0, proc.stderr.read()
        ours = {"steps": sorted(case.steps_done), "samples": [x.id for x in case.samples]}
    with CaseStore(tmp_path) as s:
        final = s.load(case.id)
        # Each side ticked its own steps and added its own samples: nothing of either is lost.
        assert final.steps_done == {f"{who}.{n}" for who in ("main", "process") for n in range(200)}
        assert {x.id for x in final.samples} == set(ours["samples"]) | set(theirs["samples"])
        assert len(final.samples) == 20
        assert len(s.find_by_address("process@example.fr").steps_done) == 200
        with raw(s) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_stale_window_never_erases_what_another_window_saved(tmp_path):
    with CaseStore(tmp_path) as a, CaseStore(tmp_path) as b:
        case_a = a.create()
        a.attach(case_a)
        case_a.add_samples("pasted", [block(1)])
        case_b = b.load(case_a.id)
        told: list[str] = []
        case_b.subscribe(lambda case, what: told.append(what))
        b.attach(case_b)
        case_a.add_samples("pasted", [block(2)])
        case_a.add_device("Laptop")
        case_a.set_answer(1, "no")
        case_b.set_answer(2, "not sure")  # b's copy never saw block 2, the laptop or answer 1
        final = a.load(case_a.id)
        assert [x.text for x in final.samples] == [block(1), block(2)]
        assert [d.name for d in final.devices] == ["Laptop"]
        assert (final.answers[1].choice, final.answers[2].choice) == ("no", "not sure")
        # b noticed it was stale and read the case again: it shows everything now.
        assert told == ["answers", "reloaded"]
        assert [x.text for x in case_b.samples] == [block(1), block(2)]
        assert case_b.answers[1].choice == "no"


def test_the_last_change_to_the_same_field_wins(tmp_path):
    with CaseStore(tmp_path) as a, CaseStore(tmp_path) as b:
        case_a, case_b = one_case_in_two_windows(a, b)
        case_a.set_answer(1, "yes")
        case_b.set_answer(1, "no")
        assert a.load(case_a.id).answers[1].choice == "no"
        case_a.add_device("Phone")
        case_b.add_device("phone")  # the same device for the store: the later name stays
        assert [d.name for d in a.load(case_a.id).devices] == ["phone"]


def test_check_for_changes_reads_what_another_window_saved(tmp_path):
    with CaseStore(tmp_path) as a, CaseStore(tmp_path) as b:
        case_a, case_b = one_case_in_two_windows(a, b)
        assert not b.check_for_changes(case_b)
        case_a.toggle_step("exchange.login")
        assert b.check_for_changes(case_b)
        assert case_b.steps_done == {"exchange.login"}
        assert not b.check_for_changes(case_b)


# -- refusing what is not ours, failing without losing -----------------------------


def test_another_programs_cases_db_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / DB_NAME
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO invoices (total) VALUES (12.5)")
        db.commit()
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match="not an unblock case file"):
        CaseStore(tmp_path)
    assert path.read_bytes() == before
    assert not (tmp_path / (DB_NAME + "-wal")).exists()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_database_from_a_newer_unblock_is_refused_and_left_untouched(tmp_path):
    with CaseStore(tmp_path) as s:
        s.create("marie@example.fr")
    with closing(sqlite3.connect(tmp_path / DB_NAME)) as db:
        db.execute(f"PRAGMA user_version = {DB_VERSION + 1}")
    before = (tmp_path / DB_NAME).read_bytes()
    with pytest.raises(StoreUnavailable, match="newer unblock"):
        CaseStore(tmp_path)
    assert (tmp_path / DB_NAME).read_bytes() == before


def test_a_damaged_database_is_refused_with_what_to_do(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create("marie@example.fr")
        s.attach(case)
        case.add_samples("sent.mbox", [block(n) for n in range(300)])
    path = tmp_path / DB_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page: 3 * page + 200] = b"\xff" * 200  # a damaged page in the middle of the file
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable) as caught:
        CaseStore(tmp_path)
    assert "damaged" in str(caught.value) and "keep a copy" in str(caught.value)
    assert path.read_bytes() == before


def test_a_version_1_database_is_upgraded_with_every_case_intact(tmp_path):
    state = {"schema": 1, "id": "c1", "product": "exchange", "address": "marie@example.fr", "screen": "remediation",
             "steps_done": ["exchange.login"], "answers": {"1": {"choice": "no", "comment": "not us"}},
             "devices": [{"name": "Laptop", "scanned_at": "2025-03-05T10:00:00+00:00", "result": "clean"}],
             "software": [{"name": "Fax", "kind": "fax/scanner", "updated_at": None}]}
    with closing(sqlite3.connect(tmp_path / DB_NAME)) as db:
        db.executescript(
            "CREATE TABLE cases (id TEXT PRIMARY KEY, address TEXT, title TEXT NOT NULL, updated_at TEXT NOT NULL,"
            " state TEXT NOT NULL);"
            "CREATE TABLE samples (id TEXT NOT NULL, case_id TEXT NOT NULL, position INTEGER NOT NULL,"
            " source TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (case_id, id));"
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 1;")
        db.execute("INSERT INTO cases VALUES ('c1', 'marie@example.fr', 'marie@example.fr', '2025-03-05', ?)",
                   (json.dumps(state),))
        db.execute("INSERT INTO samples VALUES ('s1', 'c1', 0, 'ticket', 0, ?)", (block(1),))
        db.commit()
    with CaseStore(tmp_path) as s:
        case = s.load("c1")
    assert (case.product, case.screen, case.steps_done) == ("exchange", "remediation", {"exchange.login"})
    assert (case.answers[1].choice, case.answers[1].comment) == ("no", "not us")
    assert [(d.name, d.result) for d in case.devices] == [("Laptop", "clean")]
    assert [x.name for x in case.software] == ["Fax"] and [x.text for x in case.samples] == [block(1)]


def test_an_existing_open_data_folder_of_ours_is_made_private(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with CaseStore(folder) as s:
        assert s.warnings == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_open_folder_holding_other_files_is_left_alone_with_a_warning(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    (folder / "notes.txt").write_text("mine")
    with CaseStore(folder) as s:
        assert s.warnings and "can be read by other users" in s.warnings[0]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_a_full_disk_keeps_the_change_and_saves_it_when_there_is_room(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create("marie@example.fr")
        s.attach(case)
        told: list[SaveFailed] = []
        s.on_save_error = lambda c, problem: told.append(problem)
        pages = s._db.execute("PRAGMA page_count").fetchone()[0]
        s._db.execute(f"PRAGMA max_page_count = {pages}")  # as good as a full disk
        case.add_samples("sent.mbox", [block(n) * 40 for n in range(50)])
        assert told and "the disk is full" in str(told[0])
        assert s.has_pending and len(case.samples) == 50
        case.set_answer(1, "no")  # later changes wait with it
        assert s.retry_pending()  # still full
        s._db.execute("PRAGMA max_page_count = 1073741823")
        assert s.retry_pending() == []
        assert not s.has_pending
    with CaseStore(tmp_path) as s:
        again = s.load(case.id)
    assert len(again.samples) == 50 and again.answers[1].choice == "no"


def test_without_a_listener_a_failed_save_raises_save_failed(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create()
        s.attach(case)
        pages = s._db.execute("PRAGMA page_count").fetchone()[0]
        s._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(SaveFailed, match="disk is full"):
            case.add_samples("sent.mbox", [block(n) * 40 for n in range(50)])


def test_the_write_ahead_log_is_folded_back_after_a_big_write(tmp_path):
    with CaseStore(tmp_path) as s:
        case = s.create()
        s.attach(case)
        case.add_samples("sent.mbox", [block(n) for n in range(3000)])
        wal = tmp_path / (DB_NAME + "-wal")
        assert wal.stat().st_size < (tmp_path / DB_NAME).stat().st_size / 4
