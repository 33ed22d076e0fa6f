"""Reading and writing the files the user names: bounded reads, clear words, safe and private writes."""

from __future__ import annotations

import errno
import io
import os
import re
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from tui import cli
from tui.core import files
from tui.core.files import (
    MAX_TEXT_BYTES,
    SaveOutcome,
    check_evidence_path,
    check_readable_file,
    default_file_name,
    read_text_file,
    read_text_stream,
    save_text_file,
    write_text_file,
)

ROOT = Path(__file__).resolve().parents[1]
TICKET = "Subject: Account locked for spam\n\nReceived: from x by y; Mon, 1 Jan 2024 10:00:00 +0000\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Raw control bytes and invisible characters a written file must never hold ("\n" is allowed).
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def in_a_thread(call, *args, seconds: float = 5.0):
    """``call(*args)``'s result, or a failure if it has not returned within ``seconds`` (it would block)."""
    result = []
    worker = threading.Thread(target=lambda: result.append(call(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{call.__name__} blocked"
    return result[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    yield path
    # Should the code under test have opened it to read, a writer releases it.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


@pytest.fixture
def unix_socket(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a socket's path is limited to about 100 bytes: keep it short
    server = socket.socket(socket.AF_UNIX)
    server.bind("sock")
    yield "sock"
    server.close()


@pytest.fixture
def loop(tmp_path):
    path = tmp_path / "loop"
    os.symlink(path, path)
    return path


# --- reading -----------------------------------------------------------------


def test_a_regular_file_is_read(tmp_path):
    path = tmp_path / "ticket.txt"
    path.write_bytes(TICKET.encode())
    assert check_readable_file(str(path)) is None
    assert read_text_file(str(path)) == (TICKET, None)


@pytest.mark.parametrize("reader", [check_readable_file, lambda p: read_text_file(p)[1]])
def test_every_bad_path_is_named_in_words(reader, tmp_path, loop, fifo):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    expected = {
        "": "Type a file name.",
        str(tmp_path / "missing"): f"There is no file at {tmp_path / 'missing'}.",
        str(loop): f"{loop} is a symbolic link loop.",
        str(loop / "x"): f"{loop / 'x'} goes through a symbolic link loop.",
        str(tmp_path / "dangling"): f"{tmp_path / 'dangling'} is a symbolic link to {tmp_path / 'nowhere'}, "
                                    "which does not exist.",
        str(tmp_path / "folder"): f"{tmp_path / 'folder'} is a folder, not a file.",
        str(tmp_path / "file" / "x"): f"There is no file at {tmp_path / 'file' / 'x'}: "
                                      "a part of that path is a file, not a folder.",
        "/dev/zero": "/dev/zero is a device: unblock reads regular files only.",
        str(fifo): f"{fifo} is a named pipe: unblock reads regular files only.",
        "a\0b": "a\u2400b is not a valid file name.",
    }
    for path, problem in expected.items():
        assert in_a_thread(reader, path) == problem


def test_a_socket_is_refused(unix_socket):
    assert check_readable_file(unix_socket) == "sock is a socket: unblock reads regular files only."
    assert read_text_file(unix_socket) == ("", "sock is a socket: unblock reads regular files only.")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(fifo):
    said = f"{fifo} is a named pipe: unblock reads regular files only."
    assert in_a_thread(check_readable_file, str(fifo)) == said
    assert in_a_thread(check_evidence_path, str(fifo)) == said
    assert in_a_thread(read_text_file, str(fifo)) == ("", said)


def test_a_file_that_becomes_a_pipe_after_the_check_is_still_refused(fifo, monkeypatch):
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(ROOT / "README.md"))
    assert in_a_thread(read_text_file, str(fifo)) == ("", f"{fifo} is a named pipe: unblock reads regular files only.")


def test_a_file_that_cannot_be_opened_is_not_allowed(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(TICKET)
    real_open = os.open

    def refusing(name, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    assert check_readable_file(str(path)) == f"You are not allowed to read {path}."
    assert read_text_file(str(path)) == ("", f"You are not allowed to read {path}.")


@pytest.mark.skipif(IS_ROOT, reason="root reads every file")
def test_a_file_without_read_permission_is_not_allowed(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(TICKET)
    path.chmod(0)
    assert check_readable_file(str(path)) == f"You are not allowed to read {path}."


def test_an_empty_file_is_said_empty(tmp_path):
    (tmp_path / "blank.txt").write_text(" \n\n")
    assert read_text_file(str(tmp_path / "blank.txt")) == ("", f"{tmp_path / 'blank.txt'} is empty.")


def test_a_file_of_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    (tmp_path / "fits.txt").write_bytes(b"a" * 1000)
    (tmp_path / "over.txt").write_bytes(b"a" * 1001)
    assert read_text_file(str(tmp_path / "fits.txt"), limit=1000) == ("a" * 1000, None)
    assert read_text_file(str(tmp_path / "over.txt"), limit=1000) == ("", (
        f"{tmp_path / 'over.txt'} is larger than 1,000 bytes: that is not a ticket; "
        "add it as evidence (a on the Ticket step) or read it with unblock inspect."))


def test_a_ticket_over_20_mb_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        out.truncate(MAX_TEXT_BYTES + 1)  # sparse: no 20 MB written
    assert read_text_file(str(path)) == ("", (
        f"{path} is larger than 20 MB: that is not a ticket; "
        "add it as evidence (a on the Ticket step) or read it with unblock inspect."))


class EndlessStream(io.RawIOBase):
    """Standard input that never ends, counting what was taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "an endless stream read whole"
        self.taken += size
        return b"x" * size


def test_a_stream_is_read_no_further_than_one_byte_over_the_limit():
    stream = EndlessStream()
    text, problem = read_text_stream(stream, limit=3 * 1024 * 1024)
    assert text == "" and problem.startswith("standard input is larger than 3 MB: that is not a ticket;")
    assert stream.taken == 3 * 1024 * 1024 + 1


def test_a_stream_is_read_whole_and_an_empty_one_is_said_empty():
    assert read_text_stream(io.BytesIO(TICKET.encode())) == (TICKET, None)
    assert read_text_stream(io.BytesIO(b"")) == ("", "standard input is empty.")
    closed = io.BytesIO(b"x")
    closed.close()
    assert read_text_stream(closed)[1].startswith("Cannot read standard input:")


def test_evidence_is_a_file_or_a_maildir(tmp_path, loop):
    maildir = tmp_path / "Sent"
    (maildir / "cur").mkdir(parents=True)
    (tmp_path / "photos").mkdir()
    (tmp_path / "sent.mbox").write_text("From a@b Mon Jan  1 00:00:00 2024\n")
    assert check_evidence_path(str(maildir)) is None
    assert check_evidence_path(str(tmp_path / "sent.mbox")) is None
    assert check_evidence_path("") == "Type a file or folder name."
    assert check_evidence_path(str(tmp_path / "photos")) == (
        f"{tmp_path / 'photos'} is a folder but not a Maildir (it has no cur/ or new/).")
    assert check_evidence_path(str(loop)) == f"{loop} is a symbolic link loop."
    assert check_evidence_path("/dev/zero") == "/dev/zero is a device: unblock reads regular files only."


def test_a_file_name_with_escapes_is_shown_inert(tmp_path):
    assert check_readable_file(str(tmp_path / "x\x1b]0;owned\x07")) == f"There is no file at {tmp_path}/x\u241b]0;owned\u2407."


# --- the command line --------------------------------------------------------


def run_unblock(*args: str, stdin=subprocess.DEVNULL, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m tui ARGS` as a real process; it must end quickly and without a traceback."""
    result = subprocess.run([sys.executable, "-m", "tui", *args], stdin=stdin, capture_output=True,
                            cwd=cwd, timeout=60, check=False)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    return result


def test_bad_tickets_end_with_one_line_and_status_2(tmp_path, loop, fifo, monkeypatch):
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    server.bind("sock")
    expected = {
        "/dev/zero": "/dev/zero is a device: unblock reads regular files only.",
        "fifo": "fifo is a named pipe: unblock reads regular files only.",
        "sock": "sock is a socket: unblock reads regular files only.",
        "folder": "folder is a folder, not a file.",
        "loop": "loop is a symbolic link loop.",
        "missing.txt": "There is no file at missing.txt.",
        "empty.txt": "empty.txt is empty.",
    }
    try:
        for ticket, problem in expected.items():
            result = run_unblock(ticket, cwd=tmp_path)
            assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", f"unblock: {problem}\n")
    finally:
        server.close()


@pytest.mark.parametrize(("stdin", "problem"), [
    ("/dev/zero", ("standard input is larger than 20 MB: that is not a ticket; "
                   "add it as evidence (a on the Ticket step) or read it with unblock inspect.")),
    ("/dev/null", "standard input is empty."),
])
def test_a_bad_ticket_on_stdin_ends_with_one_line_and_status_2(stdin, problem):
    with open(stdin, "rb") as source:
        result = run_unblock("-", stdin=source)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", f"unblock: {problem}\n")


class RecordedApp:
    """Stands in for the App: records what it was started on."""

    started: ClassVar[dict] = {}
    return_code = 0

    def __init__(self, store, **kwargs) -> None:
        RecordedApp.started = kwargs

    def run(self) -> None:
        pass


def test_a_ticket_on_stdin_opens_the_app_and_keys_come_from_the_terminal(monkeypatch):
    reattached = []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TICKET.encode())))
    monkeypatch.setattr(cli, "_reattach_terminal", lambda: reattached.append(True))
    monkeypatch.setattr("tui.app.UnblockApp", RecordedApp)
    assert cli.main(["-"]) == 0
    assert RecordedApp.started["ticket_text"] == TICKET and RecordedApp.started["ticket_source"] == "stdin"
    assert reattached == [True]


def test_too_much_on_stdin_is_refused_before_the_terminal_is_reattached(monkeypatch, capsys):
    reattached = []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * (MAX_TEXT_BYTES + 1))))
    monkeypatch.setattr(cli, "_reattach_terminal", lambda: reattached.append(True))
    assert cli.main(["-"]) == 2
    assert capsys.readouterr().err.startswith("unblock: standard input is larger than 20 MB")
    assert reattached == []


# --- writing -----------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_is_saved_private_and_whole(tmp_path):
    target = tmp_path / "reply.txt"
    saved = save_text_file(str(target), "Hello\nWorld\n")
    assert (saved.outcome, saved.path, saved.message, saved.ok) == (
        SaveOutcome.SAVED, target, f"Saved to {target}.", True)
    assert target.read_text() == "Hello\nWorld\n" and mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_a_relative_name_is_saved_in_the_current_folder_and_said_in_full(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    saved = save_text_file("reply.txt", "x")
    assert saved.ok and saved.path == tmp_path / "reply.txt"


def test_an_existing_file_is_left_alone_unless_replace_is_asked(tmp_path):
    target = tmp_path / "reply.txt"
    target.write_text("the user's own file")
    target.chmod(0o644)
    saved = save_text_file(str(target), "new")
    assert (saved.outcome, saved.message) == ("exists", f"{target} already exists.")
    assert target.read_text() == "the user's own file" and leftovers(tmp_path) == []
    assert save_text_file(str(target), "new", replace=True).ok
    assert target.read_text() == "new" and mode(target) == 0o600


def test_a_file_that_appears_during_the_save_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "reply.txt"
    real = files._write_temporary

    def racing(where, data):
        target.write_text("written meanwhile")
        return real(where, data)

    monkeypatch.setattr(files, "_write_temporary", racing)
    assert save_text_file(str(target), "new").outcome == SaveOutcome.EXISTS
    assert target.read_text() == "written meanwhile" and leftovers(tmp_path) == []


def test_a_symbolic_link_target_is_replaced_never_written_through(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "reply.txt"
    target.symlink_to(victim)
    assert save_text_file(str(target), "new").outcome == SaveOutcome.EXISTS
    assert save_text_file(str(target), "new", replace=True).ok
    assert not target.is_symlink() and target.read_text() == "new"
    assert victim.read_text() == "precious"


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "reply.txt"
    (tmp_path / "reply.txt.tmp").symlink_to(victim)
    assert save_text_file(str(target), "new").ok
    assert victim.read_text() == "precious" and target.read_text() == "new"
    assert (tmp_path / "reply.txt.tmp").is_symlink()


def test_a_link_planted_at_the_random_name_is_not_followed(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / ".reply.txt.planted.tmp").symlink_to(victim)
    names = iter(["planted", "fresh"])
    monkeypatch.setattr(files, "token_hex", lambda size: next(names))
    assert save_text_file(str(tmp_path / "reply.txt"), "new").ok
    assert victim.read_text() == "precious" and (tmp_path / ".reply.txt.planted.tmp").is_symlink()
    assert (tmp_path / "reply.txt").read_text() == "new"


def test_when_every_temporary_name_is_taken_nothing_is_written(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / ".reply.txt.planted.tmp").symlink_to(victim)
    monkeypatch.setattr(files, "token_hex", lambda size: "planted")
    saved = save_text_file(str(tmp_path / "reply.txt"), "new")
    assert saved.outcome == SaveOutcome.FAILED and saved.message.startswith(f"Could not save to {tmp_path}/reply.txt")
    assert victim.read_text() == "precious" and not (tmp_path / "reply.txt").exists()


def test_a_missing_folder_is_said_and_made_only_when_asked(tmp_path):
    target = tmp_path / "out" / "reply.txt"
    saved = save_text_file(str(target), "x")
    assert (saved.outcome, saved.message) == (SaveOutcome.NO_FOLDER, f"There is no folder {tmp_path / 'out'}.")
    assert not (tmp_path / "out").exists()
    assert save_text_file(str(target), "x", create_folder=True).ok
    assert target.read_text() == "x" and mode(tmp_path / "out") == 0o700


@pytest.mark.parametrize(("name", "problem"), [
    ("", "Type a file name."),
    (".", "{dir} is a folder: give a file name."),
    ("/dev/null", "/dev/null is a device: unblock saves to regular files only."),
    ("file/reply.txt", "Cannot save to {dir}/file/reply.txt: a part of that path is a file, not a folder."),
    ("a\0b", "{dir}/a\u2400b is not a valid file name."),
    ("x" * 300, "The name {dir}/" + "x" * 300 + " is too long."),
])
def test_a_save_that_cannot_be_done_says_why(tmp_path, monkeypatch, name, problem):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("x")
    saved = save_text_file(name, "text", replace=True)
    expected = problem.format(dir=tmp_path if name != "." else Path(tmp_path, "."))
    assert (saved.outcome, saved.message) == (SaveOutcome.FAILED, expected)
    assert leftovers(tmp_path) == []


def test_a_full_disk_is_said_and_the_old_file_kept(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old report")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    saved = save_text_file(str(target), "new report", replace=True)
    assert (saved.outcome, saved.message) == (SaveOutcome.FAILED, (
        f"The disk is full: {target} was not saved. Free some space, or save somewhere else."))
    assert target.read_text() == "old report" and leftovers(tmp_path) == []


def test_a_folder_the_user_may_not_write_in_is_said(tmp_path, monkeypatch):
    real_open = os.open

    def refusing(name, flags, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    saved = save_text_file(str(tmp_path / "reply.txt"), "x")
    assert (saved.outcome, saved.message) == (SaveOutcome.FAILED, (
        f"You are not allowed to write in {tmp_path}: {tmp_path / 'reply.txt'} was not saved."))


def test_a_saved_file_is_private_whatever_the_umask(tmp_path):
    previous = os.umask(0o277)
    try:
        assert save_text_file(str(tmp_path / "reply.txt"), "x").ok
    finally:
        os.umask(previous)
    assert mode(tmp_path / "reply.txt") == 0o600


def test_no_control_byte_escape_or_bidi_control_reaches_a_written_file(tmp_path):
    hostile = ("From: \x1b]52;c;ZXZpbA==\x07 \x1b]0;owned\x1b\\ \x1b[2J\x1b[H \x9b31m red \x07 bell\r\n"
               "Subject: \u202egnp.exe\u202c \u2066isolate\u2069 \u200fmark\x00nul\x7fdel\tend\n")
    target = tmp_path / "report.md"
    assert save_text_file(str(target), hostile).ok
    data = target.read_bytes()
    # The C1 CSI as UTF-8 is c2 9b; a lone 9b byte would fail the strict decoding below.
    for raw in (b"\x1b", b"\x07", b"\xc2\x9b", b"\x00", b"\x7f", b"\r", b"\t"):
        assert raw not in data
    text = data.decode("utf-8")
    assert UNSAFE.search(text) is None
    assert "\u241b]52;c;ZXZpbA==\u2407" in text and "\\x9b31m" in text and "\\u202egnp.exe" in text
    assert text.count("\n") == 2


def test_the_old_writer_replaces_and_makes_folders_as_before(tmp_path):
    target = tmp_path / "out" / "reply.txt"
    assert write_text_file(str(target), "one") == (True, f"Saved to {target}.")
    assert write_text_file(str(target), "two") == (True, f"Saved to {target}.")
    assert target.read_text() == "two" and mode(target) == 0o600


# --- default names -----------------------------------------------------------


def test_default_names_are_built_from_the_address():
    assert default_file_name("reply", "contact@boulangerie-martin.fr") == "reply-contact-at-boulangerie-martin.fr.txt"
    assert default_file_name("report", "contact@boulangerie-martin.fr") == (
        "unblock-report-contact-at-boulangerie-martin.fr.md")
    assert default_file_name("report", "3f2a1b9c") == "unblock-report-3f2a1b9c.md"
    assert default_file_name("reply", None) == "reply.txt"
    assert default_file_name("reply", "élodie@café.fr") == "reply-élodie-at-café.fr.txt"


@pytest.mark.parametrize(("address", "name"), [
    ("../../etc/passwd@x", "reply-etc-passwd-at-x.txt"),
    ("a/b@c", "reply-a-b-at-c.txt"),
    ("a\\b@c", "reply-a-b-at-c.txt"),
    ("\x1b]0;x\x07@y.fr", "reply-0-x-at-y.fr.txt"),
    ("..@..", "reply-at.txt"),
    ("...", "reply.txt"),
    ("-rf@.hidden", "reply-rf-at-hidden.txt"),
    ("a\u202eb\u2066@c\x00d.fr", "reply-a-b-at-c-d.fr.txt"),
    ("x..y@z", "reply-x.y-at-z.txt"),
])
def test_hostile_addresses_give_plain_names(address, name):
    assert default_file_name("reply", address) == name


@pytest.mark.parametrize("address", ["a" * 5000 + "@" + "b" * 5000, "é" * 3000 + "@x.fr", "/" * 5000])
def test_every_default_name_is_one_short_plain_file_name(address):
    name = default_file_name("report", address)
    assert len(name.encode()) <= 130 and "/" not in name and "\\" not in name
    assert not name.startswith((".", "-")) and UNSAFE.search(name) is None
    assert name.startswith("unblock-report") and name.endswith(".md")
