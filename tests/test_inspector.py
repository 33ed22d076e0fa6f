"""Pilot tests of the header inspector: moving, filtering, origins, flagged hops, literal header values."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from inspector_app import (
    ORIGIN_FINDINGS,
    PARIS,
    InspectorApp,
    messages_table,
    pilot_test,
    relayed,
    sample,
    sample_messages,
    screen_text,
    table_lines,
)
from textual.widgets import Input, Static

from tui.core.results import Finding
from tui.screens.dialogs import DetailScreen
from tui.widgets.inspector import HeaderInspector, PaneTable, VirtualTable, format_delay, hop_notes, worst_severity
from tui.widgets.inspector.content import HopFlag, clip
from tui.widgets.origins import OriginTally

# ----- pure helpers -------------------------------------------------------


def test_worst_severity_ranks_and_tolerates_unknown_words():
    findings = [Finding("a", "notice", "t", "d"), Finding("b", "warning", "t", "d"), Finding("c", "bogus", "t", "d")]
    assert worst_severity(findings) == "warning"
    assert worst_severity([Finding("c", "bogus", "t", "d")]) == "info"
    assert worst_severity([]) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, ""), (0, "0s"), (4.4, "4s"), (59.6, "1m00s"), (125, "2m05s"), (-40, "-40s"),
     (3 * 3600 + 600, "3h10m"), (2 * 86400 + 4 * 3600, "2d04h")],
)  # fmt: skip
def test_format_delay(seconds, text):
    assert format_delay(seconds) == text


def test_origin_tally_counts_and_first_last_with_naive_and_aware_dates():
    tally = OriginTally()
    tally.add([
        sample(0, date=datetime(2024, 3, 4, 9, 0, tzinfo=PARIS)),
        sample(1, date=datetime(2024, 3, 4, 7, 30)),  # naive: read as UTC, i.e. 08:30 Paris
        sample(2, ip="198.51.100.23", country="FR"),
        sample(3, date=datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)),
    ])  # fmt: skip
    first, second = tally.groups()
    assert (first.ip, first.country, first.count) == ("203.0.113.45", "BR", 3)
    assert first.first == datetime(2024, 3, 4, 7, 30, tzinfo=timezone.utc)
    assert first.last == datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)
    assert (second.ip, second.count) == ("198.51.100.23", 1)


# ----- moving and selecting -----------------------------------------------


@pilot_test
async def test_j_and_k_move_the_selection_and_announce_it():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        await pilot.pause()
        assert inspector.selected_message is app.messages[0]
        assert app.selected == [app.messages[0]]
        await pilot.press("j", "j")
        assert inspector.selected_message is app.messages[2]
        await pilot.press("k")
        assert inspector.selected_message is app.messages[1]
        await pilot.press("down", "down", "down")  # past the end stays on the last row
        assert inspector.selected_message is app.messages[3]
        await pilot.pause()
        assert app.selected == [app.messages[i] for i in (0, 1, 2, 1, 2, 3)]
        assert "Message 4 of 4" in screen_text(app)


@pilot_test
async def test_tab_moves_between_panes_and_the_raw_pane_follows():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is messages_table(app)
        await pilot.press("tab")
        assert app.focused.id == "inspector-hops"
        await pilot.press("j")
        await pilot.pause()
        raw = str(app.query_one("#inspector-raw", Static).render())
        assert raw.startswith("Received: from ssl0.mail.example.net (unknown [10.108.4.20])")
        await pilot.press("tab")
        assert app.focused.id == "inspector-findings"
        await pilot.pause()
        raw = str(app.query_one("#inspector-raw", Static).render())
        assert raw.startswith("Received: from [203.0.113.45] (helo=DESKTOP-4KQ2L1)")
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is messages_table(app)


@pilot_test
async def test_a_click_selects_the_row_under_the_mouse():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#inspector-messages", offset=(4, 3))  # line 0 is the column header
        assert app.query_one(HeaderInspector).selected_message is app.messages[2]


@pilot_test
async def test_without_colour_the_cursor_row_is_reversed(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = messages_table(app)
        cursor_line, other_line = table.render_line(1), table.render_line(2)
        assert all(segment.style.reverse for segment in cursor_line if segment.text.strip())
        assert not any(segment.style.reverse for segment in other_line)


# ----- filtering ----------------------------------------------------------


@pilot_test
async def test_slash_filters_on_visible_text_and_escape_shows_everything_again():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        await pilot.pause()
        await pilot.press("slash")
        filter_input = app.query_one("#inspector-filter", Input)
        assert filter_input.display and app.focused is filter_input
        await pilot.press(*"198.51")
        await pilot.pause()
        assert messages_table(app).row_count == 1
        assert inspector.selected_message is app.messages[3]
        assert "1 of 4 messages" in screen_text(app)
        await pilot.press("enter")
        assert app.focused is messages_table(app)
        await pilot.press("escape")
        await pilot.pause()
        assert messages_table(app).row_count == 4
        assert not filter_input.display
        assert app.app_escapes == 0


@pilot_test
async def test_filter_matches_the_severity_word_case_insensitively():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"Crit")
        await pilot.pause()
        assert messages_table(app).row_count == 3
        assert all("CRIT" in line for line in table_lines(messages_table(app)))


@pilot_test
async def test_escape_without_a_filter_is_left_to_the_screen():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert app.app_escapes == 1


@pilot_test
async def test_new_messages_keep_the_text_filter():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        await pilot.press("slash", *"198.51", "enter")
        inspector.set_messages([sample(7, ip="198.51.100.99", country="FR", findings=[]), sample(8)])
        await pilot.pause()
        assert messages_table(app).row_count == 1
        assert inspector.selected_message.origin.ip == "198.51.100.99"


# ----- origins ------------------------------------------------------------


@pilot_test
async def test_origins_view_groups_by_origin_and_enter_lists_a_group():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        origins = app.query_one("#inspector-origins", VirtualTable)
        assert app.focused is origins
        lines = table_lines(origins)
        assert len(lines) == 2
        # Three from Brazil: first on 2 March 22:05 Paris (21:05 UTC), last on 6 March 07:30 (06:30 UTC).
        assert lines[0].split() == ["3", "203.0.113.45", "BR", "2024-03-02", "21:05", "2024-03-06", "06:30",
                                    "Microsoft", "Outlook", "16.0"]  # fmt: skip
        assert lines[1].split()[:3] == ["1", "198.51.100.23", "FR"]
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.focused is messages_table(app)
        assert messages_table(app).row_count == 1
        assert inspector.selected_message is app.messages[3]
        assert "origin 198.51.100.23 (FR) Thunderbird 115.8" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert messages_table(app).row_count == 4


@pilot_test
async def test_origins_view_follows_appended_messages():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        await pilot.press("o")
        inspector.append_messages([sample(10 + n, ip="192.0.2.10", country="VN") for n in range(5)])
        await pilot.pause()
        first = table_lines(app.query_one("#inspector-origins", VirtualTable))[0].split()
        assert first[:3] == ["5", "192.0.2.10", "VN"]


# ----- what is shown ------------------------------------------------------


@pilot_test
async def test_markup_and_escape_sequences_in_headers_are_shown_literally():
    hostile = sample(
        0,
        subject="[bold]x[/bold] \x1b[31mred\x1b[0m [link=https://evil.example]click[/link]",
        account="[i]boss[/i]@example.org",
    )
    app = InspectorApp([hostile])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/bold] ␛[31mred␛[0m [link=https://evil.example]click[/link]" in text
        assert "[i]boss[/i]@example.org" in text
        assert "\x1b" not in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        detail = screen_text(app)
        assert "Subject: [bold]x[/bold] ␛[31mred␛[0m" in detail
        assert "\x1b" not in detail


@pilot_test
async def test_flagged_hops_carry_a_text_marker_and_the_severity_style():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hops = app.query_one("#inspector-hops", PaneTable)
        origin_row = hops.get_row_at(0)
        assert origin_row[1].plain == "!! foreign origin (BR); ◀ origin"
        assert origin_row[2].style == hops.severity_style("critical")
        second = hops.get_row_at(1)
        assert second[1].plain.startswith("! dated 40s before the previous")
        assert second[-1].plain == "-40s !"
        assert second[-1].style == hops.severity_style("notice") + hops.severity_style("warning")
        assert "!! foreign origin (BR); ◀ origin" in screen_text(app)


@pilot_test
async def test_hop_styles_follow_the_theme():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hops = app.query_one("#inspector-hops", PaneTable)
        dark = hops.get_row_at(0)[0].style
        app.theme = "nord"
        await pilot.pause()
        nord = hops.get_row_at(0)[0].style
        assert nord == hops.severity_style("critical")
        assert nord != dark


@pilot_test
async def test_enter_on_a_finding_opens_its_evidence_and_escape_closes_it():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "tab")
        assert app.focused.id == "inspector-findings"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "CRIT foreign origin (BR)" in text
        assert "Evidence for the ticket's question 1." in text
        assert "Received: from [203.0.113.45]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)
        assert app.focused.id == "inspector-findings"
        assert app.app_escapes == 0


@pilot_test
async def test_spamcause_pane_shows_rules_and_fields_or_why_it_cannot_be_decoded():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one("#inspector-spamcause", Static)
        text = str(pane.render())
        assert "SPAMSTATE SPAM" in text
        assert "Rules hit SPAM_BULK (300), NO_RDNS" in text
        assert "Ip        203.0.113.45" in text
        assert "Param     mailfrom=contact@bakery-example.fr\n          nb_rcptto=120" in text
        await pilot.press("end")
        await pilot.pause()
        assert "encrypted (the newer format), it cannot be decoded" in str(pane.render())


@pilot_test
async def test_empty_inspector_says_so():
    app = InspectorApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        inspector = app.query_one(HeaderInspector)
        assert inspector.selected_message is None
        assert "No messages yet." in screen_text(app)
        messages = sample_messages()
        inspector.set_messages(messages)
        await pilot.pause()
        assert inspector.selected_message is messages[0]
        inspector.set_messages([])
        await pilot.pause()
        assert inspector.selected_message is None
        assert app.selected[-1] is None


@pilot_test
async def test_wide_terminals_get_side_by_side_panes():
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query_one(HeaderInspector).has_class("-wide")
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        inspector = app.query_one(HeaderInspector)
        assert inspector.has_class("-wide")
        assert app.query_one("#inspector-detail").region.x > 0


@pilot_test
async def test_ten_thousand_messages_appended_in_batches():
    app = InspectorApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        countries = ("BR", "FR", "VN", "NG")
        for start in range(0, 10_000, 500):
            inspector.append_messages([
                sample(n, ip=f"203.0.{n % 200}.{n % 7}", country=countries[n % 4]) for n in range(start, start + 500)
            ])  # fmt: skip
            await pilot.pause()
        assert messages_table(app).row_count == 10_000
        assert inspector.selected_message.index == 0
        assert "10,000 of 10,000 messages" in screen_text(app)
        await pilot.press("end")
        assert inspector.selected_message.index == 9_999
        await pilot.press("slash", *"203.0.19.", "enter")
        await pilot.pause()
        assert messages_table(app).row_count == 50
        await pilot.press("escape", "o")
        await pilot.pause()
        assert app.query_one("#inspector-origins", VirtualTable).row_count == 1400


@pilot_test
async def test_real_analysed_headers_when_the_analysis_is_available():
    analysis = pytest.importorskip("tui.core.analysis", reason="the analysis is not there yet")
    from tui.core.headers import parse_headers

    text = (
        "Received: from mo512.mail-out.example.net (mo512.mail-out.example.net [198.51.100.117])\n"
        "\tby mx.client-example.com (Postfix) with ESMTPS id 4F1A\n"
        "\tfor <claire@client-example.com>; Mon, 4 Mar 2024 09:02:10 +0000\n"
        "Received: from [203.0.113.45] (helo=DESKTOP-4KQ2L1)\n"
        "\tby mo512.mail-out.example.net with ESMTPSA id 7F2C; Mon, 4 Mar 2024 10:02:05 +0100\n"
        "From: Boulangerie <contact@bakery-example.fr>\n"
        "To: claire@client-example.com\n"
        "Subject: [bold]Facture[/bold]\n"
        "Date: Mon, 4 Mar 2024 10:02:01 +0100\n"
        "X-VR-SPAMSTATE: SPAM\n"
    )
    message = analysis.analyse(parse_headers(text, source="fixture"))
    app = InspectorApp([message])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Subject  [bold]Facture[/bold]" in shown
        assert app.query_one("#inspector-hops", PaneTable).row_count == len(message.hops) == 2


@pilot_test
async def test_the_shared_corpus_shows_without_a_control_character_reaching_the_terminal():
    from conftest import shared_path

    analysis = pytest.importorskip("tui.core.analysis", reason="the analysis is not there yet")
    from tui.core.headers import parse_headers
    from tui.core.text import decode_bytes

    corpus = shared_path("corpus")
    files = sorted([*corpus.glob("ovh/*.txt"), *corpus.glob("real/*.eml")])
    messages = [analysis.analyse(parse_headers(decode_bytes(path.read_bytes())[0], path.name)) for path in files]
    app = InspectorApp(messages)
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        for number in range(len(messages)):
            await pilot.pause()
            assert inspector.selected_message is messages[number]
            text = screen_text(app)
            assert "\x1b" not in text and "\x9b" not in text
            await pilot.press("j")


# ----- at 80 columns: one IP a cell, flags true to their row, clipped text readable whole ----------


IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def hop_cells(app: InspectorApp) -> list[list[str]]:
    hops = app.query_one("#inspector-hops", PaneTable)
    return [[cell.plain for cell in hops.get_row_at(row)] for row in range(hops.row_count)]


def test_the_hop_an_origin_came_in_by_is_marked_without_the_origins_address():
    assert hop_notes(relayed())[1] == [HopFlag(None, "origin came in here", origin=True)]
    assert hop_notes(sample(0, findings=[]))[1] == [HopFlag(None, "origin", origin=True)]


@pilot_test
async def test_one_ip_per_cell_and_the_summary_names_the_origin():
    app = InspectorApp([relayed()])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = hop_cells(app)
        assert rows[0][1:4] == ["◀ origin came in here", "37.59.142.104", "FR"]
        assert all(len(IPV4.findall(cell)) <= 1 for row in rows for cell in row)
        assert not any("176.59.41.17" in cell for row in rows for cell in row)
        text = screen_text(app)
        assert re.search(r"◀ origin came in here +37\.59\.142\.104  FR", text)
        assert "Origin   176.59.41.17 (RU), read from X-Ovh-ClientIp" in text


@pilot_test
async def test_a_flag_never_names_another_country_than_its_row():
    app = InspectorApp([relayed(ORIGIN_FINDINGS)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hops = app.query_one("#inspector-hops", PaneTable)
        for row in hop_cells(app):
            assert set(re.findall(r"\b[A-Z]{2}\b", row[1])) <= {row[3]}
        flag = hops.get_row_at(0)[1]
        # The origin's finding raises the row; the hop's own finding keeps its words.
        assert flag.plain == "! ◀ origin came in here; * Hop…"
        assert flag.style == hops.severity_style("warning")
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is hops
        text = screen_text(app)
        assert "! ◀ origin came in here: the origin is 176.59.41.17 (RU), read from" in text
        assert "! WARN Sent from RU, not a country you send from (about the origin)" in text
        assert "* NOTE Hop 1 is dated late" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Flags     ! ◀ origin came in here: the origin is 176.59.41.17 (RU)" in screen_text(app)


@pilot_test
async def test_origins_count_only_what_the_text_filter_lets_through():
    messages = [*sample_messages(), sample(4, ip="203.0.113.99", country="VN")]
    app = InspectorApp(messages)
    async with app.run_test(size=(80, 24)) as pilot:
        inspector = app.query_one(HeaderInspector)
        origins = app.query_one("#inspector-origins", VirtualTable)
        await pilot.press("slash", *"203.0.113", "enter", "o")
        await pilot.pause()
        assert [line.split()[:3] for line in table_lines(origins)] == [
            ["3", "203.0.113.45", "BR"], ["1", "203.0.113.99", "VN"]]  # fmt: skip
        assert '2 origins for 4 of 5 messages, text "203.0.113" · escape: all' in screen_text(app)
        inspector.append_messages([sample(5, ip="198.51.100.23", country="FR"), sample(6, ip="203.0.113.99", country="VN")])
        await pilot.pause()
        assert [line.split()[0] for line in table_lines(origins)] == ["3", "2"]
        await pilot.press("j", "enter")
        await pilot.pause()
        assert messages_table(app).row_count == 2
        await pilot.press("escape", "o")
        await pilot.pause()
        assert len(table_lines(origins)) == 4
        assert "4 origins for 7 messages, biggest first" in screen_text(app)


@pytest.mark.parametrize(
    ("text", "width", "clipped"),
    [("short", 5, "short"), ("one two three", 8, "one two…"), ("ghost-submission-7d8b9c6f4-x2k9q", 10, "ghost-sub…"),
     ("Sent with the password of a@b.fr, claiming to come from x.com", 40, "Sent with the password of a@b.fr…"),
     ("日本語のテキスト", 7, "日本語…")],
)  # fmt: skip
def test_clip_ends_after_a_whole_word_when_it_can(text, width, clipped):
    assert clip(text, width) == clipped


LONG_TITLE = "Sent with the password of contact@bakery-example.fr, claiming to come from parcel-notice.example.com"


@pilot_test
async def test_a_long_finding_title_is_clipped_after_a_word_and_shown_whole_under_the_table():
    finding = Finding("auth-other-domain", "critical", LONG_TITLE, "Someone used the password.", [], hop_index=1)
    app = InspectorApp([sample(0, findings=[finding])])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "tab")
        await pilot.pause()
        findings = app.query_one("#inspector-findings", PaneTable)
        assert app.focused is findings
        severity, title, hop = (cell.plain for cell in findings.get_row_at(0))
        assert (severity, hop) == ("CRIT", "1")
        assert title.endswith("…") and LONG_TITLE[len(title) - 1] in " ,"
        assert LONG_TITLE.startswith(title[:-1])
        assert findings.virtual_size.width <= findings.scrollable_content_region.width
        text = screen_text(app)
        assert re.search(rf"CRIT  {re.escape(title)} +1 ", text)
        assert "CRIT Sent with the password of contact@bakery-example.fr, claiming to come" in text
        assert "parcel-notice.example.com (hop 1)" in text
        await pilot.press("enter")
        await pilot.pause()
        dialog = screen_text(app)
        assert "CRIT Sent with the password of contact@bakery-example.fr, claiming" in dialog
        assert "to come from parcel-notice.example.com" in dialog


@pilot_test
async def test_the_last_column_of_the_list_is_clipped_after_a_word_and_the_summary_shows_it_whole():
    message = sample(0, account=None)
    message.from_ = "Service Client de la Boulangerie Martin et Fils <service.client@boulangerie-example.fr>"
    app = InspectorApp([message])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if line.startswith(" 1  CRIT"))
        shown = row.rstrip().split("  ")[-1]
        assert shown.endswith("…") and f"From {message.from_}".startswith(shown[:-1])
        assert f"From {message.from_}"[len(shown) - 1] == " "
        assert "From     Service Client de la Boulangerie Martin et Fils" in screen_text(app)


@pilot_test
async def test_without_colour_flags_severities_and_the_pane_cursor_still_read(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = InspectorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hops = app.query_one("#inspector-hops", PaneTable)
        assert [hops.get_row_at(row)[1].plain[:2] for row in range(2)] == ["!!", "! "]
        assert all(segment.style.reverse for segment in hops.render_line(1) if segment.text.strip())
        assert not any(segment.style and segment.style.reverse for segment in hops.render_line(2))
        findings = app.query_one("#inspector-findings", PaneTable)
        assert [findings.get_row_at(row)[0].plain for row in range(2)] == ["CRIT", "NOTE"]
