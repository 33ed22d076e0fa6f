"""The work of `unblock inspect`: every message read, analysed and written out, on one core or all of them.

``inspect_unit`` is what happens to one message: its header parsed, analysed
and turned into what the output needs (a JSON entry, or its section of the
human report as plain text, or the Message itself for Rich to draw). The same
function runs in this process (``--jobs 1``, and inputs of a few messages) or
in worker processes, a batch at a time, for an mbox or a Maildir of many
(see core/parallel); ``inspected`` yields the results in input order either way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import chain, islice
from typing import BinaryIO

from tui.core import analysis
from tui.core.jsonreport import message_json
from tui.core.model import Expectations
from tui.core.sources import InputError, headers_of, read_units

# Worker processes start only for an input of more messages than this: below it,
# starting them costs more than they save.
PARALLEL_FROM = 200
# Messages per trip to a worker.
BATCH = 48

# What each process is asked to produce: "json", "plain" (the report as text, at WIDTH)
# or "message" (the Message, for Rich to draw in colour).
_setup: dict = {"expectations": Expectations(), "mode": "json", "width": 80}


def setup(expectations: Expectations, mode: str, width: int) -> None:
    """Set what ``inspect_unit`` produces, in this process (a worker's initializer, or the caller's)."""
    _setup.update(expectations=expectations, mode=mode, width=width)


def json_path(path: str) -> str:
    """A path as text strict JSON readers accept: undecodable file-name bytes become U+FFFD."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "replace")
    return path


def json_entry(message) -> str:
    """A message's entry of the JSON document."""
    return message_json(message, json_path(message.source))


def _error(source: str, index: int | None, text: str) -> dict:
    return {"source": source, "index": index, "message": text}


def inspect_unit(unit) -> tuple:
    """One input unit (Headers, InputError or a raw mbox/Maildir header) as ("error", error) or
    ("message", what the output needs, the message's problems as errors)."""
    if isinstance(unit, tuple):
        unit = headers_of(unit)
    if isinstance(unit, InputError):
        return "error", _error(unit.source, unit.index, unit.message)
    try:
        message = analysis.analyse(unit, _setup["expectations"])
    except Exception as exc:  # one bad message must not cost the others their report
        return "error", _error(unit.source, unit.index, f"could not be analysed: {type(exc).__name__}: {exc}")
    problems = [_error(message.source, message.index, problem) for problem in message.problems]
    mode = _setup["mode"]
    if mode == "json":
        return "message", json_entry(message), problems
    if mode == "plain":
        from tui.report import plain_section

        return "message", plain_section(message, _setup["width"]), problems
    return "message", message, problems


def inspect_batch(units: list) -> list[tuple]:
    """``inspect_unit`` for a batch, in a worker: Messages travel as tuples (see core/wire)."""
    results = list(map(inspect_unit, units))
    if _setup["mode"] == "message":
        from tui.core.wire import message_out

        results = [(r[0], message_out(r[1]), r[2]) if r[0] == "message" else r for r in results]
    return results


def inspected(
    files: list[str], stdin: BinaryIO | None, expectations: Expectations, mode: str, width: int, jobs: int,
    errors: list[dict],
) -> Iterator:
    """What the output needs for every message of every input, in input order; errors (the inputs'
    and the messages' problems) are appended to ``errors`` as they come."""
    units = read_units(files, stdin)
    head = list(islice(units, PARALLEL_FROM))
    if jobs > 1 and len(head) == PARALLEL_FROM:
        yield from _in_workers(chain(head, units), expectations, mode, width, jobs, errors)
        return
    setup(expectations, mode, width)
    for unit in chain(head, units):
        result = inspect_unit(unit)
        if result[0] == "error":
            errors.append(result[1])
        else:
            errors += result[2]
            yield result[1]


def _in_workers(units, expectations: Expectations, mode: str, width: int, jobs: int, errors: list[dict]) -> Iterator:
    from tui.core.parallel import WorkerPool, batches

    message_in = None
    if mode == "message":
        from tui.core.wire import message_in
    with WorkerPool(jobs, setup, (expectations, mode, width)) as pool:
        for results in pool.map(inspect_batch, batches(units, BATCH)):
            for result in results:
                if result[0] == "error":
                    errors.append(result[1])
                    continue
                errors += result[2]
                yield message_in(result[1]) if message_in is not None else result[1]

