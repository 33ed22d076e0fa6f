"""Analysis on every core: worker processes give exactly what one process gives, in the same order.

Covers `unblock inspect --jobs`, ``read_inputs(jobs=)`` and ``analyse_samples(jobs=)`` (the app's
paths, started from a thread as the app does), their progress and cancelling, the tuples that
carry messages between processes, and a reader that closes the pipe.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.cli import main
from tui.core import model, results, wire
from tui.core.analysis import AnalysisCancelled, analyse, analyse_samples
from tui.core.headers import block_text, parse_headers
from tui.core.model import Headers
from tui.core.sources import read_inputs
from tui.inspect_run import PARALLEL_FROM

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def big_mbox(tmp_path_factory) -> Path:
    """An mbox of a few hundred messages: the fixtures' mboxes and headers in turn."""
    one = (FIXTURES / "cli" / "sent-three.mbox").read_bytes()
    extra = b"".join(
        b"From MAILER-DAEMON Mon Jan  6 09:15:00 2025\n" + path.read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n")
        + b"\n\nbody\n\n"
        for path in sorted((FIXTURES / "received").glob("*.txt")) + sorted((FIXTURES / "origin").glob("*.txt"))
    )
    path = tmp_path_factory.mktemp("mbox") / "big.mbox"
    path.write_bytes((one + extra) * (PARALLEL_FROM // 10 + 10))
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["inspect", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("mode", [["--json"], []], ids=["json", "report"])
def test_inspect_jobs_gives_what_one_process_gives(capsys, monkeypatch, big_mbox, mode):
    monkeypatch.setenv("COLUMNS", "80")
    one = run(capsys, "--jobs", "1", *mode, big_mbox, FIXTURES / "cli" / "hop-shapes.eml")
    two = run(capsys, "--jobs", "2", *mode, big_mbox, FIXTURES / "cli" / "hop-shapes.eml")
    assert one == two
    assert one[0] == 0 and one[1].count("Received") > PARALLEL_FROM


def test_jobs_must_be_a_positive_number(capsys):
    for bad in ("0", "-2", "many"):
        with pytest.raises(SystemExit) as exit:
            main(["inspect", "--jobs", bad, "x.eml"])
        assert exit.value.code == 2
    assert "number of processes" in capsys.readouterr().err


def test_read_inputs_in_workers_gives_the_same_headers(big_mbox):
    assert list(read_inputs([str(big_mbox)], jobs=2)) == list(read_inputs([str(big_mbox)]))


@dataclasses.dataclass
class Sample:
    text: str
    source: str
    index: int


@pytest.fixture(scope="module")
def samples(big_mbox) -> list[Sample]:
    return [Sample(block_text(h), h.source, h.index) for h in read_inputs([str(big_mbox)]) if isinstance(h, Headers)]


def test_analyse_samples_in_workers_from_a_thread_gives_the_same_messages(samples):
    serial = analyse_samples(samples)
    progress: list[tuple[int, int]] = []
    found: dict = {}
    # The app calls this from a worker thread while Textual's own threads run.
    thread = threading.Thread(target=lambda: found.update(messages=analyse_samples(
        samples, progress=lambda done, total: progress.append((done, total)), jobs=2)))
    thread.start()
    thread.join(timeout=300)
    assert found["messages"] == serial
    assert progress[-1] == (len(samples), len(samples))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_cancelling_stops_the_workers(samples):
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(AnalysisCancelled):
        analyse_samples(samples, cancelled=cancelled, jobs=2)
    assert len(asked) == 2


def test_wire_round_trip_keeps_every_field(samples):
    for sample in samples[:80]:
        message = analyse(parse_headers(sample.text, sample.source, sample.index))
        assert wire.message_in(wire.message_out(message)) == message


def test_wire_carries_every_model_field():
    # A field added to a model class must be carried too: these are the counts wire.py knows.
    known = {
        results.Message: 19, results.Hop: 21, results.Origin: 8, results.AuthResult: 6, results.Spamcause: 7,
        results.Finding: 7, results.Evidence: 2, model.Header: 2, model.Headers: 4,
    }
    for cls, count in known.items():
        assert len([f for f in dataclasses.fields(cls) if f.init]) == count, cls.__name__


def test_a_closed_pipe_stops_the_workers_quietly(big_mbox):
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "inspect", "--jobs", "2", str(big_mbox)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0
    assert b"Traceback" not in err and err == b""


def test_stdin_mbox_in_workers(capsys, monkeypatch, big_mbox):
    data = big_mbox.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    two = run(capsys, "--jobs", "2", "--json", "-")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    one = run(capsys, "--jobs", "1", "--json", "-")
    assert one == two


def test_analyse_inputs_in_workers_gives_what_one_process_gives(big_mbox):
    from tui.core.analysis import analyse_inputs
    from tui.core.sources import InputError

    paths = [str(big_mbox), str(FIXTURES / "inputs" / "junk.bin"), str(FIXTURES / "cli" / "hop-shapes.eml")]
    one = list(analyse_inputs(paths))
    two = list(analyse_inputs(paths, jobs=2))
    assert one == two
    assert isinstance(one[-2], InputError) and one[-1].subject
    # Closing early (a cancelled load) stops the workers without waiting for the rest.
    started = analyse_inputs(paths, jobs=2)
    next(started)
    started.close()


def test_workers_are_forked_only_by_a_process_with_one_thread():
    from tui.core.parallel import start_method

    # The command line, a process with one thread: a forked worker has everything imported already.
    alone = subprocess.run([sys.executable, "-c", "from tui.core.parallel import start_method; print(start_method())"],
                           capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        # The app: a thread may hold a lock that a forked child could never release.
        assert start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        other.join()
