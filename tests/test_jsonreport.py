"""`inspect --json` writes each entry as text (message_json) for speed: it must be, byte for byte, what
json.dumps makes of the contract's dict (message_to_dict), whatever the headers hold."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.analysis import analyse
from tui.core.headers import parse_headers
from tui.core.jsonreport import _iso, message_json, message_to_dict
from tui.core.model import Headers
from tui.core.sources import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def _files() -> list[Path]:
    files = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file())
    if SHARED.is_dir():
        files += sorted(p for p in SHARED.rglob("*") if p.is_file() and p.suffix in (".eml", ".txt"))
    return files


def _same(message) -> None:
    assert message_json(message) == json.dumps(message_to_dict(message))
    assert message_json(message, "other/source") == json.dumps({**message_to_dict(message), "source": "other/source"})


def test_every_fixture_and_corpus_message_is_written_as_json_dumps_writes_it():
    checked = 0
    for path in _files():
        for headers in read_inputs([str(path)]):
            if isinstance(headers, Headers):
                _same(analyse(headers))
                checked += 1
    assert checked > 30  # the fixtures alone hold 44 messages; the shared corpus adds more where it is


ODD = st.lists(st.sampled_from([*'ab "\\/\t<>[]:;@é中\u202e\x1b', '"hops": []']), max_size=20).map("".join)


@settings(max_examples=150, deadline=None)
@given(helo=ODD, by=ODD, subject=ODD, stamp=st.sampled_from([
    "Tue, 6 Dec 2022 11:01:08 +0100", "6 Dec 2022 23:59:59 -0930", "Tue, 6 Dec 2022 11:01:08.123456 +0000",
    "Tue, 6 Dec 2022 11:01:08 PM -0400", "2022-12-06T11:01:08Z", "Tue, 6 Dec 2022 11:01:08", "no date at all",
]))
def test_odd_values_are_written_as_json_dumps_writes_them(helo, by, subject, stamp):
    block = (f"Received: from {helo} ([203.0.113.9]) by {by} with ESMTPSA; {stamp}\n"
             f"Received: from x (y [198.51.100.7]) by mx.example.org; {stamp}\n"
             f"Subject: {subject}\nDate: {stamp}\nFrom: a@example.org\n")
    _same(analyse(parse_headers(block)))


@pytest.mark.parametrize("moment", [
    datetime(2022, 12, 6, 11, 1, 8, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2022, 12, 6, 11, 1, 8, 250000, tzinfo=timezone.utc),
    datetime(999, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    datetime(2022, 12, 6, 11, 1, 8, tzinfo=timezone(timedelta(hours=-3, seconds=-30))),
    datetime(2022, 12, 6, 11, 1, 8),
])
def test_dates_are_written_as_isoformat_writes_them(moment):
    assert _iso(moment) == moment.isoformat()
