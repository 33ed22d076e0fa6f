"""How fast one message's headers are analysed, next to the stdlib parser and mail-parser.

Run from the checkout:

    uv run --group bench python bench/inspect.py [--messages N] [--rounds R] [--profile]

The shared corpus is replicated to N messages held in memory as bytes, then
each contender reads all of them once per round: (1) the full analysis the
CLI does before printing (decode_bytes -> parse_headers -> analyse), (2) the
stdlib floor, BytesHeaderParser with compat32, (3) mail-parser when installed.
The targets, per core: (1) at most 2.0x (2) (issue "Engine round 2": no regression
per core; the whole-process target on many messages, using every core, is
bench/parallel.py's), and mail-parser at least 8x slower than (1).
--profile adds where the time of (1) goes.
"""

from __future__ import annotations

import os
import sys

# This file is named like the stdlib module `inspect`, and Python puts the
# script's folder first on sys.path: anything importing `inspect` (dataclasses
# does) would load this script again. Moving the folder last keeps the stdlib
# module first while `_corpus` stays importable.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [entry for entry in sys.path if os.path.abspath(entry) != _HERE] + [_HERE]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
from email.parser import BytesHeaderParser  # noqa: E402
from email.policy import compat32  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from time import perf_counter_ns  # noqa: E402
from typing import Callable  # noqa: E402

from _corpus import corpus_dir, load_samples, replicate  # noqa: E402

FULL_VS_STDLIB_MAX = 2.0
MAILPARSER_VS_FULL_MIN = 8.0
IMPORT_ROOTS = [Path(entry).resolve() for entry in sys.path if entry]


def _import_analysis():
    """The analysis entry points, or an exit explaining which one is missing."""
    try:
        from tui.core.analysis import analyse
        from tui.core.headers import parse_headers
        from tui.core.text import decode_bytes
    except ImportError as exc:
        sys.exit(f"The analysis core does not import yet ({exc}); run this again once it does.")
    return decode_bytes, parse_headers, analyse


decode_bytes, parse_headers, analyse = _import_analysis()


def full_analysis(data: bytes):
    """What `unblock inspect` does with one message of an mbox before it prints anything."""
    text, problems = decode_bytes(data)
    headers = parse_headers(text, "bench", 0)
    headers.problems[:0] = problems
    return analyse(headers)


def contenders() -> tuple[list[tuple[str, Callable[[bytes], object]]], str | None]:
    """The functions to time, and why mail-parser is missing when it is."""
    stdlib = BytesHeaderParser(policy=compat32)
    found: list[tuple[str, Callable[[bytes], object]]] = [
        ("(1) full analysis (unblock)", full_analysis),
        ("(2) stdlib BytesHeaderParser", stdlib.parsebytes),
    ]
    try:
        import mailparser
    except ImportError:
        return found, (
            "mail-parser is not installed: run `uv run --group bench python bench/inspect.py` "
            "(or `uv sync --group bench` once)."
        )
    # mail-parser logs every defect it meets; the log calls are part of its cost, their output is not.
    logging.getLogger("mailparser").setLevel(logging.CRITICAL)
    found.append((f"(3) mail-parser {metadata.version('mail-parser')}", mailparser.parse_from_bytes))
    return found, None


def warm_up(runners, messages: list[bytes], names: list[str]) -> None:
    """One untimed pass of everything, which also stops on a message a contender cannot read."""
    for label, run in runners:
        for i, data in enumerate(messages):
            try:
                run(data)
            except Exception as exc:
                sys.exit(f"{label} failed on {names[i % len(names)]}: {type(exc).__name__}: {exc}")


def timed_pass(run: Callable[[bytes], object], messages: list[bytes]) -> float:
    """Nanoseconds per message for one pass over all of them."""
    start = perf_counter_ns()
    for data in messages:
        run(data)
    return (perf_counter_ns() - start) / len(messages)


def measure(runners, messages: list[bytes], rounds: int) -> dict[str, list[float]]:
    """Per-message nanoseconds of every round, contenders interleaved so drift hits them alike."""
    times: dict[str, list[float]] = {label: [] for label, _ in runners}
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for label, run in runners:
                times[label].append(timed_pass(run, messages))
                # Garbage from one contender must not be collected on another's clock.
                gc.collect()
    finally:
        gc.enable()
    return times


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_times(times: dict[str, list[float]]) -> dict[str, float]:
    """The table of per-message times; returns the medians by label."""
    medians = {label: statistics.median(values) for label, values in times.items()}
    width = max(len(label) for label in times)
    print(f"{'':{width}}   median µs/msg   mean µs/msg   min µs/msg")
    for label, values in times.items():
        print(
            f"{label:{width}}   {medians[label] / 1000:13.1f}   {statistics.fmean(values) / 1000:11.1f}"
            f"   {min(values) / 1000:10.1f}"
        )
    return medians


def print_ratios(medians: dict[str, float], missing: str | None) -> bool:
    """The two target ratios with their verdicts; True when every measured one passes."""
    labels = list(medians)
    full, stdlib = medians[labels[0]], medians[labels[1]]
    full_ratio = full / stdlib
    passed = full_ratio <= FULL_VS_STDLIB_MAX
    print()
    print(f"full / stdlib       = {full_ratio:5.2f}x  (target <= {FULL_VS_STDLIB_MAX:.1f}x)  {verdict(passed)}")
    if missing:
        print(f"mail-parser / full  =   n/a   (target >= {MAILPARSER_VS_FULL_MIN:.0f}x)  SKIPPED: {missing}")
        return passed
    mail_ratio = medians[labels[2]] / full
    mail_ok = mail_ratio >= MAILPARSER_VS_FULL_MIN
    print(f"mail-parser / full  = {mail_ratio:5.1f}x  (target >= {MAILPARSER_VS_FULL_MIN:.0f}x)  {verdict(mail_ok)}")
    return passed and mail_ok


# --- where the time of the full analysis goes -------------------------------------------------


def stage_times(messages: list[bytes], rounds: int) -> list[tuple[str, float]]:
    """Median ns/message of each public stage, timed without a profiler so the figures are real."""
    texts = [decode_bytes(data) for data in messages]
    blocks = [parse_headers(text, "bench", 0) for text, _ in texts]
    stages = (
        ("decode_bytes", decode_bytes, messages),
        ("parse_headers", lambda text_problems: parse_headers(text_problems[0], "bench", 0), texts),
        ("analyse", analyse, blocks),
    )
    results = []
    gc.collect()
    gc.disable()
    try:
        for name, run, inputs in stages:
            samples = []
            for _ in range(rounds):
                samples.append(timed_pass(run, inputs))
                gc.collect()
            results.append((name, statistics.median(samples)))
    finally:
        gc.enable()
    return results


def slowest_samples(samples: list[tuple[str, bytes]], repeats: int) -> list[tuple[str, float, int]]:
    """Each sample's median ns for the full analysis and its size, slowest first."""
    results = []
    gc.disable()
    try:
        for name, data in samples:
            times = [timed_pass(full_analysis, [data]) for _ in range(repeats)]
            results.append((name, statistics.median(times), len(data)))
    finally:
        gc.enable()
    return sorted(results, key=lambda item: -item[1])


def label(key: tuple[str, int, str]) -> str:
    """A short readable name for a profiler entry: module.function, or the builtin's own name."""
    filename, _, name = key
    if filename == "~":
        return name
    path = Path(filename).resolve()
    roots = [root for root in IMPORT_ROOTS if root in path.parents]
    if not roots:
        return f"{path.stem}.{name}"
    parts = path.relative_to(max(roots, key=lambda root: len(root.parts))).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((*parts, name))


def profiled(messages: list[bytes]) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    for data in messages:
        full_analysis(data)
    profiler.disable()
    return pstats.Stats(profiler)


def print_tree(stats: pstats.Stats, root: tuple[str, int, str], total: float, threshold: float, depth: int) -> None:
    """Time of each callee under ``root`` (as called from its parent), down to ``depth`` levels."""
    children: dict[tuple, list[tuple[tuple, float]]] = {}
    for key, (_, _, _, _, callers) in stats.stats.items():
        for caller, (_, _, _, cumulative) in callers.items():
            children.setdefault(caller, []).append((key, cumulative))

    def walk(parent: tuple, level: int, seen: frozenset) -> None:
        for key, cumulative in sorted(children.get(parent, ()), key=lambda item: -item[1]):
            share = cumulative / total
            if share < threshold or key in seen:
                continue
            print(f"  {'  ' * level}{share:6.1%}  {label(key)}")
            if level + 1 < depth:
                walk(key, level + 1, seen | {key})

    walk(root, 0, frozenset({root}))


def print_profile(samples: list[tuple[str, bytes]], messages: list[bytes], rounds: int, top: int) -> None:
    print()
    print("Where the full analysis spends its time")
    print("Stages timed without a profiler (median µs/msg):")
    stages = stage_times(messages, rounds)
    whole = sum(ns for _, ns in stages)
    for name, ns in stages:
        print(f"  {name:14} {ns / 1000:8.1f}  {ns / whole:6.1%}")

    print()
    print("Slowest samples (median µs for the full analysis):")
    for name, ns, size in slowest_samples(samples, repeats=25)[:5]:
        print(f"  {ns / 1000:8.1f}  {name} ({size / 1024:.1f} KiB)")

    stats = profiled(messages)
    code = full_analysis.__code__
    root = (code.co_filename, code.co_firstlineno, code.co_name)
    total = stats.stats[root][3]
    print()
    print("Call tree under cProfile (share of the full analysis; the profiler inflates call-heavy code):")
    print_tree(stats, root, total, threshold=0.02, depth=4)
    print()
    print(f"Top {top} functions by own time under cProfile:")
    by_own_time = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    for key, (_, calls, own, cumulative, _) in by_own_time:
        print(f"  {own / total:6.1%} own  {cumulative / total:6.1%} cum  {calls:9d} calls  {label(key)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, metavar="N", help="messages to replicate (default 5000)")
    parser.add_argument("--rounds", type=int, default=5, metavar="R", help="timed rounds (default 5)")
    parser.add_argument("--profile", action="store_true", help="also show where the full analysis spends its time")
    parser.add_argument("--top", type=int, default=15, metavar="K", help="hot spots listed by --profile (default 15)")
    args = parser.parse_args(argv)
    if args.messages < 1 or args.rounds < 1:
        parser.error("--messages and --rounds must be at least 1")

    samples = load_samples()
    names = [name for name, _ in samples]
    messages = replicate(samples, args.messages)
    runners, missing = contenders()
    size = sum(map(len, messages))
    print(
        f"{len(messages)} messages ({len(samples)} samples from {corpus_dir()}, "
        f"{size / len(messages) / 1024:.1f} KiB average), {args.rounds} rounds, "
        f"Python {platform.python_version()} on {platform.machine()}"
    )
    if missing:
        print(missing)
    print()

    warm_up(runners, messages, names)
    medians = print_times(measure(runners, messages, args.rounds))
    passed = print_ratios(medians, missing)
    if args.profile:
        print_profile(samples, messages, args.rounds, args.top)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
