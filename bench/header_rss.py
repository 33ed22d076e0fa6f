"""Peak memory of `unblock inspect` on one message whose header holds a million Received lines.

Run from the checkout:

    uv run python bench/header_rss.py [--lines N]

Writes two files of N Received lines (default 1,000,000, about 100 MB, past the
64 MB read cap): a raw message, and the same header after a line of prose as a
paste would have it (the path that splits pasted text into blocks). Runs
`python -m tui inspect --json FILE` on each in a child process and prints the
child's peak RSS against the target from issue 9: under 4x the read cap.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

REPO = Path(__file__).resolve().parents[1]
READ_CAP_MB = 64
TARGET_MB = 4 * READ_CAP_MB
LINE = b"Received: from h (h [198.51.100.7]) by mx.example.net with ESMTP id X; Mon, 4 Mar 2024 09:00:00 +0000\n"


def peak_of(path: Path) -> tuple[float, float]:
    """The child's peak RSS (MB) and wall time (s) for `inspect --json path`."""
    code = ("import resource, sys; from tui.cli import main; main(['inspect', '--json', sys.argv[1]]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    start = perf_counter()
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=REPO)
    wall = perf_counter() - start
    return int(run.stderr.strip().splitlines()[-1]) / 1024, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    passed = True
    with tempfile.TemporaryDirectory(prefix="unblock-header-rss-") as folder:
        for name, prefix in (("raw message", b""), ("pasted text", b"Hello, the headers:\n\n")):
            path = Path(folder) / "big.eml"
            with path.open("wb") as file:
                file.write(prefix + b"From: a@example.fr\nSubject: x\n")
                file.write(LINE * args.lines)
            peak, wall = peak_of(path)
            ok = peak < TARGET_MB
            passed &= ok
            print(f"  {name:12}  peak RSS {peak:6.0f} MB  (target < {TARGET_MB} MB)  {wall:5.2f} s  "
                  f"{'PASS' if ok else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
