"""Every core at work: `unblock inspect` on a large mbox against the stdlib, the human report's
rate, and the app's two bulk paths (an evidence load, a case re-opened).

Run from the checkout:

    uv run python bench/parallel.py [--messages 20000] [--rounds 3] [--app-messages 10000]

Targets (issue "Engine round 2"):

- `inspect --json` on the mbox, whole process, with its default --jobs (one
  worker per CPU): at most 1.0x the wall time of the stdlib's single-process
  header parse of the same file (bench/_stdlib_mbox.py), the two run side by
  side, alternately, ``--rounds`` times; medians compared.
- the human report (`inspect` to /dev/null, default --jobs): at least 1,500
  messages a second, whole process.
- the app's evidence load (core.analysis.analyse_inputs on an mbox, with
  block_text for each message, as the ticket screen does): under 5 s for
  ``--app-messages``; re-opening a case (core.analysis.analyse_samples of
  that many samples): under 3 s. Both with jobs = the CPU count, in this
  process (the app calls the core in-process); --jobs 1 is shown beside them.

Every figure is also given for --jobs 1, so the gain of the workers shows.
Exits 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import os
import sys

# bench/ also holds inspect.py, which would shadow the stdlib module of that
# name for anything importing it; the folder goes last on sys.path so the
# stdlib wins while `_corpus` stays importable.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [entry for entry in sys.path if os.path.abspath(entry) != _HERE] + [_HERE]

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from time import perf_counter  # noqa: E402

from _corpus import load_samples  # noqa: E402
from mbox_rss import write_mbox  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
STDLIB = Path(__file__).resolve().parent / "_stdlib_mbox.py"
REPORT_TARGET = 1500
LOAD_TARGET_S = 5.0
REOPEN_TARGET_S = 3.0


def run(command: list[str]) -> float:
    """Wall seconds of one child process, its output thrown away."""
    start = perf_counter()
    done = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')[-2000:]}")
    return wall


@dataclass
class Contender:
    name: str
    command: list[str]
    walls: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def side_by_side(contenders: list[Contender], rounds: int) -> None:
    """Each contender once per round, in turn, so that the machine's load falls on all alike."""
    for contender in contenders:
        run(contender.command)  # warm-up: file cache, bytecode
    for _ in range(rounds):
        for contender in contenders:
            contender.walls.append(run(contender.command))


def app_paths(mbox: Path, count: int, jobs: int) -> tuple[float, float]:
    """Seconds for the evidence load and the case re-open of ``count`` messages, with ``jobs``."""
    from tui.core.analysis import analyse_inputs, analyse_samples
    from tui.core.headers import block_text
    from tui.core.model import Expectations

    @dataclass
    class Sample:
        text: str
        source: str
        index: int

    expectations = Expectations()
    start = perf_counter()
    texts, messages = [], []
    for item in analyse_inputs([str(mbox)], expectations, jobs=jobs):
        if hasattr(item, "headers"):
            texts.append(block_text(item.headers))
            messages.append(item)
    load = perf_counter() - start
    samples = [Sample(text, m.source, m.index) for text, m in zip(texts, messages)]
    del messages
    start = perf_counter()
    analyse_samples(samples, expectations, jobs=jobs)
    reopen = perf_counter() - start
    return load, reopen


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    from tui.core.parallel import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000, help="messages in the mbox (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--app-messages", type=int, default=10_000, help="messages for the app paths (default 10000)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    jobs = default_jobs()
    python = sys.executable
    samples = load_samples()
    with tempfile.TemporaryDirectory(prefix="unblock-bench-") as folder:
        mbox = Path(folder) / "big.mbox"
        size = write_mbox(mbox, samples, args.messages)
        print(f"mbox: {args.messages:,} messages, {size / 1e6:,.0f} MB; {jobs} CPUs; {args.rounds} rounds")
        json_default = Contender(f"inspect --json (--jobs {jobs})", [python, "-m", "tui", "inspect", "--json", str(mbox)], [])
        json_one = Contender("inspect --json --jobs 1", [python, "-m", "tui", "inspect", "--json", "--jobs", "1", str(mbox)], [])
        stdlib = Contender("stdlib header parse", [python, str(STDLIB), str(mbox)], [])
        report_default = Contender(f"inspect report (--jobs {jobs})", [python, "-m", "tui", "inspect", str(mbox)], [])
        report_one = Contender("inspect report --jobs 1", [python, "-m", "tui", "inspect", "--jobs", "1", str(mbox)], [])
        contenders = [json_default, stdlib, json_one, report_default, report_one]
        side_by_side(contenders, args.rounds)
        print()
        print(f"{'':32} {'median s':>9} {'min s':>7} {'msg/s':>8}")
        for contender in contenders:
            print(f"{contender.name:32} {contender.median:9.2f} {min(contender.walls):7.2f} "
                  f"{args.messages / contender.median:8,.0f}")
        ratio = json_default.median / stdlib.median
        rate = args.messages / report_default.median
        print()
        print(f"inspect --json / stdlib = {ratio:.2f}x (--jobs 1: {json_one.median / stdlib.median:.2f}x; "
              f"target <= 1.0x)  {verdict(ratio <= 1.0)}")
        print(f"human report = {rate:,.0f} msg/s (--jobs 1: {args.messages / report_one.median:,.0f}; "
              f"target >= {REPORT_TARGET:,})  {verdict(rate >= REPORT_TARGET)}")

        app_mbox = Path(folder) / "app.mbox"
        write_mbox(app_mbox, samples, args.app_messages)
        app_paths(app_mbox, args.app_messages, jobs)  # warm-up: the fork server, imports, caches
        load, reopen = app_paths(app_mbox, args.app_messages, jobs)
        load_one, reopen_one = app_paths(app_mbox, args.app_messages, 1)
        print(f"app evidence load, {args.app_messages:,} messages = {load:.2f} s (jobs 1: {load_one:.2f} s; "
              f"target < {LOAD_TARGET_S} s)  {verdict(load < LOAD_TARGET_S)}")
        print(f"app case re-open, {args.app_messages:,} samples = {reopen:.2f} s (jobs 1: {reopen_one:.2f} s; "
              f"target < {REOPEN_TARGET_S} s)  {verdict(reopen < REOPEN_TARGET_S)}")
    passed = ratio <= 1.0 and rate >= REPORT_TARGET and load < LOAD_TARGET_S and reopen < REOPEN_TARGET_S
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
