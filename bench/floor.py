"""How much of the stdlib parser's time is left for the analysis itself, measured.

Run from the checkout:

    uv run python bench/floor.py [--messages N] [--rounds R]

bench/inspect.py compares the full analysis with the stdlib's
BytesHeaderParser(compat32). This script adds a third contender: a skeleton
that does only what no analysis of these headers can skip. It reads the header
section as the app does, matches each Received value once against the
usual-order pattern, reads its date and builds a Hop, runs one findall per
Authentication-Results, and builds the Message. It works out no HELO or reverse
name, TLS, login, family, origin, country or SPAMCAUSE, and runs no finding.
The gap between the skeleton and the stdlib is what a 1.0x target leaves for all
of that work.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import sys
from email.parser import BytesHeaderParser
from email.policy import compat32
from time import perf_counter_ns

# The folder holds bench/inspect.py, named like the stdlib module: keep it last on sys.path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [entry for entry in sys.path if os.path.abspath(entry) != _HERE] + [_HERE]

from _corpus import load_samples, replicate  # noqa: E402

from tui.core.analysis import analyse  # noqa: E402
from tui.core.dates import parse_date  # noqa: E402
from tui.core.headers import parse_headers  # noqa: E402
from tui.core.model import Origin  # noqa: E402
from tui.core.results import Hop, Message
from tui.core.received import _USUAL_ORDER  # noqa: E402
from tui.core.text import decode_bytes  # noqa: E402

_RESULT = re.compile(r"([\w.-]+)=([\w.@+-]+)")


def full_analysis(data: bytes) -> Message:
    """What `unblock inspect` does with one message before printing (as in bench/inspect.py)."""
    text, problems = decode_bytes(data)
    headers = parse_headers(text, "bench", 0)
    headers.problems[:0] = problems
    return analyse(headers)


def skeleton(data: bytes) -> Message:
    """The least an analysis does: read the fields, then match, date and keep each hop."""
    text, problems = decode_bytes(data)
    headers = parse_headers(text, "bench", 0)
    named = headers.by_name()
    message = Message(source=headers.source, index=headers.index, headers=headers)
    for header in reversed(named.get("received", ())):
        raw = " ".join(header.value.split())
        head, _, date = raw.rpartition(";")
        _USUAL_ORDER.fullmatch(head)
        message.hops.append(Hop(raw=raw, date=parse_date(date)))
    for header in named.get("authentication-results", ()):
        _RESULT.findall(header.value)
    message.origin = Origin()
    return message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    messages = replicate(load_samples(), options.messages)
    runners = {
        "full analysis": full_analysis,
        "skeleton": skeleton,
        "stdlib BytesHeaderParser": BytesHeaderParser(policy=compat32).parsebytes,
    }
    for run in runners.values():
        for data in messages[:200]:
            run(data)
    times: dict[str, list[float]] = {name: [] for name in runners}
    gc.collect()
    gc.disable()
    try:
        for _ in range(options.rounds):
            # Interleaved, so that drift on a busy machine hits all three alike.
            for name, run in runners.items():
                start = perf_counter_ns()
                for data in messages:
                    run(data)
                times[name].append((perf_counter_ns() - start) / len(messages) / 1000)
                gc.collect()
    finally:
        gc.enable()
    stdlib = statistics.median(times["stdlib BytesHeaderParser"])
    print(f"{len(messages)} messages, {options.rounds} rounds\n")
    print(f"{'':26}median µs/msg   min µs/msg   median / stdlib")
    for name, values in times.items():
        print(f"{name:26}{statistics.median(values):13.1f}{min(values):13.1f}"
              f"{statistics.median(values) / stdlib:17.2f}x")
    left = 1 - statistics.median(times["skeleton"]) / stdlib
    print(f"\nA 1.0x target leaves {left:.0%} of the stdlib's time for everything the skeleton skips.")


if __name__ == "__main__":
    main()
