"""Instructions per message of each stage of the analysis, counted by valgrind: repeatable on a busy host.

Run from the checkout (valgrind installed):

    uv run --no-sync python bench/instructions.py [--messages N]

Wall-clock figures on a shared machine move by several percent from one run
to the next; instruction counts do not. For each stage this runs a child
process under ``valgrind --tool=callgrind`` twice, with PYTHONHASHSEED fixed:
once with only the imports and a warm-up pass over every corpus sample, once
with N more messages (the corpus replicated, default 300) through the stages
up to that one, with the garbage collector off as bench/inspect.py has it.
The difference divided by N is the instructions per message; each stage's
own share is its figure minus the previous stage's. Stages: "parse"
(decode_bytes and parse_headers), "analyse" (adds analysis.analyse) and
"json" (adds the message's entry of the JSON document, tui/inspect_run.py's
``json_entry``). A first child run, not counted, compiles any changed module.
The count still moves by a percent or so with the memory layout (hash order,
allocator pools) that any change to the imported code shifts, so each figure
is the mean over a few hash seeds (--seeds).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile

# The folder holds bench/inspect.py, named like the stdlib module: keep it last on sys.path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [entry for entry in sys.path if os.path.abspath(entry) != _HERE] + [_HERE]

STAGES = ("parse", "analyse", "json")


def child(stage: str, count: int) -> None:
    """What runs under valgrind: imports, a warm-up over the samples, then ``count`` messages."""
    from _corpus import load_samples, replicate

    from tui.core.analysis import analyse
    from tui.core.headers import parse_headers
    from tui.core.text import decode_bytes
    from tui.inspect_run import json_entry

    depth = STAGES.index(stage)

    def run(data: bytes) -> None:
        text, problems = decode_bytes(data)
        headers = parse_headers(text, "bench", 0)
        headers.problems[:0] = problems
        if depth >= 1:
            message = analyse(headers)
            if depth == 2:
                json_entry(message)

    samples = load_samples()
    for _, data in samples:
        run(data)
    messages = replicate(samples, count)
    # As bench/inspect.py times them: collections would fall at different places in the two runs.
    gc.collect()
    gc.disable()
    for data in messages:
        run(data)


def instructions(stage: str, count: int, seed: int) -> int:
    """Total instructions of one child run under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             sys.executable, __file__, "--child", stage, "--messages", str(count)],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with open(out) as f:
            summary = re.search(r"^summary:\s+(\d+)", f.read(), re.MULTILINE)
        return int(summary.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300, metavar="N", help="messages counted (default 300)")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages (default all)")
    parser.add_argument("--seeds", type=int, default=3, metavar="K", help="hash seeds averaged over (default 3)")
    parser.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.messages)
        return 0
    previous = None
    print(f"instructions per message ({args.messages} messages, mean over PYTHONHASHSEED=0..{args.seeds - 1})")
    print(f"{'stage':10} {'cumulative':>12} {'own':>12}")
    for stage in args.stages.split(","):
        if previous is None:
            instructions(stage, 0, 0)  # compiles and caches any changed module, which must not count
        per_message = sum(
            instructions(stage, args.messages, seed) - instructions(stage, 0, seed) for seed in range(args.seeds)
        ) / (args.seeds * args.messages)
        own = per_message - previous if previous is not None else per_message
        print(f"{stage:10} {per_message:12,.0f} {own:12,.0f}", flush=True)
        previous = per_message
    return 0


if __name__ == "__main__":
    sys.exit(main())
