"""Turn one message's Headers into an analysed Message: hops, origin, auth, SPAMCAUSE, findings.

This is the single entry point the CLI and the app use; the parsers it calls
each read one kind of header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from email.utils import getaddresses
from itertools import chain, compress, islice
from typing import Protocol

from tui.core.authresults import parse_authentication_results, parse_received_spf
from tui.core.dates import parse_date
from tui.core.findings import find_all
from tui.core.headers import SECTION_CUT, parse_headers
from tui.core.model import Expectations, Header, Headers
from tui.core.results import AuthResult, Message
from tui.core.origin import find_origin
from tui.core.received import order_hops
from tui.core.sources import InputError, headers_of, read_units
from tui.core.spamcause import decode_spamcause
from tui.core.text import decode_words

# Beyond this many Received lines a message is not a real chain; the rest are
# kept out of the analysis so one hostile input cannot stall the report.
MAX_HOPS = 500


def analyse(headers: Headers, expectations: Expectations | None = None) -> Message:
    """Analyse one header block against what the user expects."""
    expectations = expectations or Expectations()
    message = Message(source=headers.source, index=headers.index, headers=headers)
    message.problems.extend(headers.problems)

    named = headers.by_name()
    message.subject = _decoded(_first(named, "subject"))
    message.from_ = _decoded(_first(named, "from"))
    message.reply_to = _decoded(_first(named, "reply-to"))
    for name, value in (("Subject", message.subject), ("From", message.from_), ("Reply-To", message.reply_to)):
        if value is not None and "=?" in value:
            message.problems.append(f"{name} has an encoded word that could not be decoded; it is shown as written.")
    message.to = _recipients(named.get("to"))
    message.cc = _recipients(named.get("cc"))
    date_value = _first(named, "date")
    if date_value is not None:
        # An unreadable Date is a finding (date-unreadable), not an input error.
        message.date = parse_date(date_value)
    message_id = _first(named, "message-id")
    message.message_id = message_id.strip() or None if message_id is not None else None

    received = [h.value for h in named.get("received", ())]
    if len(received) > MAX_HOPS:
        cut = any(problem.startswith(SECTION_CUT) for problem in headers.problems)
        counted = f"more than {len(received)}" if cut else str(len(received))
        message.problems.append(f"{counted} Received headers: only the {MAX_HOPS} oldest were analysed.")
        received = received[-MAX_HOPS:]
    message.hops = order_hops(received)

    message.auth = _auth_results(headers, named)
    message.origin = find_origin(headers, message.hops, message.auth)

    spamcause = _first(named, "x-vr-spamcause")
    if spamcause is not None:
        message.spamcause = decode_spamcause(spamcause)
    message.spamstate = _stripped(_first(named, "x-vr-spamstate"))
    message.spamscore = _stripped(_first(named, "x-vr-spamscore"))
    message.tracer_id = _stripped(_first(named, "x-ovh-tracer-id"))

    message.findings = find_all(message, expectations)
    return message


class AnalysisCancelled(Exception):
    """``analyse_samples`` stopped because its caller asked it to."""


class Sample(Protocol):
    """What ``analyse_samples`` reads of a case's header sample."""

    text: str
    source: str
    index: int


# How many messages are analysed between two progress reports and cancel checks.
PROGRESS_EVERY = 250


def analyse_samples(
    samples: Sequence[Sample],
    expectations: Expectations | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    jobs: int | None = None,
) -> list[Message]:
    """Parse and analyse every sample, in order: the one analysis path of the app.

    ``progress(done, total)`` is called every PROGRESS_EVERY messages and at the
    end; ``cancelled()`` is asked as often, and AnalysisCancelled is raised as
    soon as it answers True, so a worker can stop a long analysis. With ``jobs``
    above 1 and more than PARALLEL_FROM samples, the analysis runs in that many
    worker processes (see core/parallel), safe to start from a thread.
    """
    total = len(samples)
    if jobs is not None and jobs > 1 and total > PARALLEL_FROM:
        analysed: Iterator[Message] = _in_workers(samples, expectations, jobs)
    else:
        analysed = (analyse(parse_headers(s.text, s.source, s.index), expectations) for s in samples)
    messages: list[Message] = []
    try:
        for done, message in enumerate(analysed, start=1):
            messages.append(message)
            if done % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise AnalysisCancelled
                if progress is not None:
                    progress(done, total)
    finally:
        close = getattr(analysed, "close", None)
        if close is not None:
            # Stops the workers at once when cancelled (or when anything went wrong).
            close()
    if cancelled is not None and cancelled():
        raise AnalysisCancelled
    if progress is not None:
        progress(total, total)
    return messages


# Below this many samples, starting worker processes costs more than it saves.
PARALLEL_FROM = 300
_SAMPLES_PER_BATCH = 64


def _in_workers(samples: Sequence[Sample], expectations: Expectations | None, jobs: int) -> Iterator[Message]:
    from tui.core.parallel import WorkerPool, batches
    from tui.core.wire import message_in

    work = batches(((s.text, s.source, s.index) for s in samples), _SAMPLES_PER_BATCH)
    with WorkerPool(jobs) as pool:
        for batch in pool.map(partial(analyse_batch, expectations=expectations), work):
            yield from map(message_in, batch)


def analyse_inputs(
    paths: list[str], expectations: Expectations | None = None, stdin=None, jobs: int | None = None
) -> Iterator[Message | InputError]:
    """Every message of ``paths`` read and analysed, or an InputError for what could not be read,
    in input order (``read_inputs`` then ``analyse``). With ``jobs`` above 1, an input of many
    messages (an mbox, a Maildir) is parsed and analysed in that many worker processes. Closing
    the iterator early (a cancelled load) stops the workers."""
    units = read_units(paths, stdin)
    head = list(islice(units, PARALLEL_FROM))
    if jobs is None or jobs <= 1 or len(head) < PARALLEL_FROM:
        for unit in chain(head, units):
            headers = headers_of(unit) if type(unit) is tuple else unit
            yield headers if isinstance(headers, InputError) else analyse(headers, expectations)
        return
    from tui.core.parallel import WorkerPool, batches
    from tui.core.wire import message_in

    with WorkerPool(jobs) as pool:
        for batch in pool.map(partial(analyse_units, expectations=expectations),
                              batches(chain(head, units), _SAMPLES_PER_BATCH)):
            for item in batch:
                yield message_in(item) if type(item) is tuple else item


def analyse_units(units: list, expectations: Expectations | None = None) -> list:
    """A worker's job for analyse_inputs: read units analysed, Messages as tuples."""
    from tui.core.wire import message_out

    out = []
    for unit in units:
        headers = headers_of(unit) if type(unit) is tuple else unit
        out.append(headers if isinstance(headers, InputError) else message_out(analyse(headers, expectations)))
    return out


def analyse_batch(samples: list[tuple[str, str, int]], expectations: Expectations | None = None) -> list[tuple]:
    """A worker's job for analyse_samples: (text, source, index) triples analysed, Messages as tuples."""
    from tui.core.wire import message_out

    return [message_out(analyse(parse_headers(text, source, index), expectations)) for text, source, index in samples]


# Each kind's results keep their place among the others', as written.
_AUTH_HEADERS = ("authentication-results", "arc-authentication-results", "received-spf")


def _auth_results(headers: Headers, named: dict[str, list[Header]]) -> list[AuthResult]:
    groups = [group for group in map(named.get, _AUTH_HEADERS) if group]
    if not groups:
        return []
    if len(groups) == 1:
        written = groups[0]
    else:
        # The fields in order, kept when they are one of these; the scan
        # stops at the last of them (receiving servers write them near the top).
        wanted = {id(header) for group in groups for header in group}
        kept = compress(headers.fields, map(wanted.__contains__, map(id, headers.fields)))
        written = list(islice(kept, len(wanted)))
    results: list[AuthResult] = []
    for header in written:
        name = header.name.lower()
        if name == "authentication-results":
            results += parse_authentication_results(header.value)
        elif name == "arc-authentication-results":
            results += parse_authentication_results(header.value, "ARC-Authentication-Results")
        else:
            spf = parse_received_spf(header.value)
            if spf is not None:
                results.append(spf)
    return results


def _first(named: dict[str, list[Header]], name: str) -> str | None:
    found = named.get(name)
    return found[0].value if found else None


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _decoded(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(decode_words(value).split()) or None


def _recipients(written: list[Header] | None) -> list[str]:
    """Each recipient as "Name <address>" or "address", display names decoded.

    Most To/Cc values are simple lists; those go through a plain split, and
    only values with quotes or comments pay for the stdlib's full parser.
    """
    people: list[str] = []
    for header in written or ():
        value = header.value[:20000]
        if '"' in value or "(" in value or ";" in value:
            try:
                pairs = getaddresses([value])
            except RecursionError:
                # The stdlib recurses once per nested comment: a hostile To gets the plain split.
                pairs = [_simple_address(part) for part in value.split(",")]
        elif "<" not in value:
            # Bare addresses only: each part is its own address, blanks trimmed.
            people.extend(filter(None, map(str.strip, value.split(","))))
            continue
        else:
            pairs = [_simple_address(part) for part in value.split(",")]
        for name, address in pairs:
            if "=?" in name:
                name = " ".join(decode_words(name).split())
            if address and name and name != address:
                people.append(f"{name} <{address}>")
            elif address:
                people.append(address)
            elif name:
                people.append(name)
    return people


def _simple_address(part: str) -> tuple[str, str]:
    part = part.strip()
    if part.endswith(">") and "<" in part:
        name, _, address = part[:-1].rpartition("<")
        return " ".join(name.split()), address.strip()
    return "", part
