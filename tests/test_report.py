"""The report's plain layout against Rich's: the same text, character for character.

``report_text`` lays the report out without Rich's renderables when the output
has no colours; these tests hold it to what Rich prints for the same blocks on
real headers, fixtures and generated text of every width and script.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui.core.analysis import analyse
from tui.core.model import Headers
from tui.core.results import Evidence, Finding, Hop, Message, Origin, Spamcause
from tui.core.sources import read_inputs
from tui.report import print_report, section
from tui.report_text import PlainWriter, render_blocks, rich_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def _messages() -> list[Message]:
    paths = sorted((ROOT / "tests" / "fixtures").rglob("*"))
    if SHARED.exists():
        paths = sorted(SHARED.glob("*/*.*")) + paths
    found = []
    for path in paths:
        if path.is_file() and path.suffix in (".eml", ".txt", ".mbox"):
            found += [analyse(item) for item in read_inputs([str(path)]) if isinstance(item, Headers)]
    return found


MESSAGES = _messages()


@pytest.mark.parametrize("width", [80, 40, 100, 200, 27])
def test_corpus_and_fixtures_lay_out_as_rich_does(width):
    assert len(MESSAGES) > 30
    for number, message in enumerate(MESSAGES, start=1):
        blocks = section(message, number)
        plain = render_blocks(blocks, width)
        if plain is not None:
            assert plain == rich_text(blocks, width), (message.source, width)


# Text of every kind a header can hold once made safe: wide and combining characters, emoji,
# long unbreakable words, runs of blanks, non-breaking and ideographic spaces.
ALPHABET = st.sampled_from(
    list("abc xyz  -.,:;@[]()") + ["é", "ß", "ı", "漢", "字", "한", "ｱ", "😀", "👩\u200d💻", "\u0301", "\u200b",
                                   "\xa0", "\u3000", "…", "─", "␛", "W" * 30, "x" * 90]
)
TEXT = st.lists(ALPHABET, max_size=40).map("".join)


@st.composite
def messages(draw) -> Message:
    message = Message(draw(TEXT), draw(st.integers(0, 3)), Headers())
    message.subject = draw(st.none() | TEXT)
    message.from_ = draw(st.none() | TEXT)
    message.to = draw(st.lists(TEXT, max_size=7))
    message.reply_to = draw(st.none() | TEXT)
    message.date = draw(st.none() | st.just(datetime(2024, 5, 1, 12, tzinfo=timezone.utc)))
    message.origin = Origin(ip=draw(st.none() | st.just("203.0.113.9")), country="FR", source_header="Received",
                            authenticated_as=draw(st.none() | TEXT), client=draw(st.none() | TEXT))
    message.hops = [
        Hop(index=i, raw=draw(TEXT), relay=draw(st.booleans()), from_helo=draw(st.none() | TEXT),
            from_rdns=draw(st.none() | TEXT), from_ip="198.51.100.7", by=draw(TEXT), with_=draw(st.none() | TEXT),
            auth=draw(st.none() | TEXT), delay_s=draw(st.none() | st.floats(-9000, 9000)),
            date_utc_assumed=draw(st.booleans()))
        for i in range(1, draw(st.integers(0, 12)))
    ]
    message.findings = [
        Finding("x", draw(st.sampled_from(["info", "notice", "warning", "critical"])), draw(TEXT), draw(TEXT),
                [Evidence(draw(TEXT), draw(TEXT))], question=draw(st.none() | st.integers(1, 3)),
                hop_index=draw(st.none() | st.integers(1, 3)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages(), st.integers(10, 160))
def test_generated_messages_lay_out_as_rich_does(message, width):
    blocks = section(message, 7)
    plain = render_blocks(blocks, width)
    if plain is not None:
        assert plain == rich_text(blocks, width)


def test_text_with_a_line_break_is_left_to_rich():
    # Header text never has one (terminal_safe shows it as "␊"); only the report's own words could.
    message = Message("x", 0, Headers())
    message.spamcause = Spamcause(raw="x", problem="two\nlines")
    blocks = section(message, 1)
    assert render_blocks(blocks, 80) is None
    console = Console(file=_Pipe(), width=80, highlight=False, emoji=False)
    print_report([message], [], console=console)
    assert console.file.getvalue() == rich_text(blocks, 80)


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_print_report_writes_plain_text_to_a_pipe_and_rich_text_to_a_terminal():
    console = Console(file=_Pipe(), width=80, highlight=False, emoji=False)
    assert PlainWriter.for_console(console) is not None
    errors = [{"source": "a.eml", "index": 2, "message": "something odd"}]
    print_report(MESSAGES[:5], errors, account="lea@exemple.fr", console=console)
    reference = Console(file=_Pipe(), width=80, highlight=False, emoji=False, record=True)
    assert PlainWriter.for_console(reference) is None
    print_report(MESSAGES[:5], errors, account="lea@exemple.fr", console=reference)
    assert console.file.getvalue() == reference.file.getvalue()
    coloured = Console(file=_Pipe(), width=80, force_terminal=True, color_system="standard")
    assert PlainWriter.for_console(coloured) is None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", " ", "  ", "x" * 17, "-", "longword" * 5]), max_size=30).map("".join),
       st.integers(1, 40), st.booleans())
def test_ascii_line_division_is_richs(text, width, fold):
    from rich._wrap import divide_line

    from tui.report_text import _divide_ascii

    assert _divide_ascii(text, width, fold) == divide_line(text, width, fold=fold)
