"""Peak memory and wall time of `unblock inspect` on a large mbox.

Run from the checkout:

    uv run python bench/mbox_rss.py [--messages N]

Writes an mbox of N messages (default 100,000: the shared corpus samples in
turn, each with a short body whose "From " lines are escaped as ">From ") to a
temporary file, then runs `python -m tui inspect --json FILE` and the human
report `python -m tui inspect FILE` with output to /dev/null, and prints each
child's peak RSS and wall time against the target: peak RSS < 150 MB.
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
import json  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from time import perf_counter  # noqa: E402

from _corpus import header_section, load_samples  # noqa: E402

RSS_TARGET_MB = 150
REPO = Path(__file__).resolve().parents[1]
ENVELOPE = b"From MAILER-DAEMON Mon Jan  6 09:15:00 2025\n"
# One body line starts with "From " and one with ">From ": both get escaped, and
# the reader must undo exactly one level and never split a message on them.
BODY = (
    "Hello,\n"
    "\n"
    "From the accounts desk: invoice {index} is attached.\n"
    ">From an earlier reply, quoted once.\n"
    "Regards\n"
)
FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
SANITY_MESSAGES = 10


def escaped(body: bytes) -> bytes:
    """The body as an mboxrd writer stores it: one more ">" before every (>)*"From " line."""
    return FROM_LINE.sub(rb">\1", body)


def write_mbox(path: Path, samples: list[tuple[str, bytes]], count: int) -> int:
    """Write ``count`` messages to ``path``; returns the file size in bytes."""
    headers = [header_section(data) for _, data in samples]
    with open(path, "wb", buffering=1 << 20) as out:
        for index in range(count):
            out.write(ENVELOPE)
            out.write(headers[index % len(headers)])
            out.write(b"\n\n")
            out.write(escaped(BODY.format(index=index).encode()))
            out.write(b"\n")
    return path.stat().st_size


@dataclass
class Run:
    """One finished `unblock inspect` child."""

    peak_rss_mb: float
    wall_s: float
    exit_code: int
    stderr_tail: str


def run_inspect(path: Path, flags: list[str], stdout=subprocess.DEVNULL) -> Run:
    """Run `python -m tui inspect FLAGS PATH` and read the child's own peak RSS from wait4."""
    with tempfile.TemporaryFile() as stderr:
        start = perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "tui", "inspect", *flags, str(path)],
            cwd=REPO, stdout=stdout, stderr=stderr,
        )
        # wait4 gives this child's rusage alone; RUSAGE_CHILDREN would keep the
        # largest of every run so far.
        _, status, usage = os.wait4(child.pid, 0)
        wall = perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        tail = stderr.read()[-2000:].decode("utf-8", "replace")
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    peak = usage.ru_maxrss / (1 << 20) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Run(peak, wall, child.returncode, tail)


def check_mbox_is_read(path: Path, expected: int) -> None:
    """Stop early unless the CLI reads the small mbox as ``expected`` messages."""
    with tempfile.TemporaryFile() as out:
        run = run_inspect(path, ["--json"], stdout=out)
        out.seek(0)
        raw = out.read()
    try:
        found = len(json.loads(raw)["messages"])
    except (ValueError, KeyError, TypeError):
        sys.exit(f"`unblock inspect --json` did not print a JSON report (exit {run.exit_code}):\n{run.stderr_tail}")
    if found != expected:
        sys.exit(f"`unblock inspect` read {found} messages from an mbox of {expected}; the figures would mean nothing.")


def report(name: str, run: Run, messages: int) -> bool:
    """One result line; True when the run worked and stayed under the target."""
    ok = run.exit_code == 0 and run.peak_rss_mb < RSS_TARGET_MB
    word = "PASS" if ok else "FAIL"
    print(
        f"{name:26} peak RSS {run.peak_rss_mb:7.1f} MB  (target < {RSS_TARGET_MB} MB)  {word}   "
        f"wall {run.wall_s:7.1f} s  ({messages / run.wall_s:,.0f} msg/s)"
    )
    if run.exit_code != 0:
        print(f"  exit code {run.exit_code}; end of stderr:\n{run.stderr_tail}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000, metavar="N",
                        help="messages in the generated mbox (default 100000)")
    args = parser.parse_args(argv)
    if args.messages < 2:
        parser.error("--messages must be at least 2 (one message is not an mbox)")

    # Each child runs for minutes: show every line as soon as it is known, even through a pipe.
    sys.stdout.reconfigure(line_buffering=True)
    samples = load_samples()
    with tempfile.TemporaryDirectory(prefix="unblock-bench-") as folder:
        small = Path(folder) / "small.mbox"
        write_mbox(small, samples, SANITY_MESSAGES)
        check_mbox_is_read(small, SANITY_MESSAGES)

        big = Path(folder) / "big.mbox"
        start = perf_counter()
        size = write_mbox(big, samples, args.messages)
        print(
            f"mbox: {args.messages:,} messages, {size / 1e6:,.0f} MB, written in {perf_counter() - start:.1f} s "
            f"({len(samples)} samples cycled)"
        )
        print()
        start_up = run_inspect(small, ["--json"])
        print(f"{'start-up (' + str(SANITY_MESSAGES) + ' messages)':26} peak RSS {start_up.peak_rss_mb:7.1f} MB")
        passed = report("inspect --json", run_inspect(big, ["--json"]), args.messages)
        passed &= report("inspect (human report)", run_inspect(big, []), args.messages)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
