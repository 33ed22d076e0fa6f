"""How the header inspector looks at 80x24 (and side by side from 120 columns): accepted SVG snapshots.

Regenerate with `uv run pytest tests/test_inspector_snapshots.py --snapshot-update` after a deliberate
change, and look at the SVGs before committing them.
"""

from inspector_app import ORIGIN_FINDINGS, InspectorApp, relayed


def pressed(*keys: str):
    """A run_before that presses ``keys`` and lets the screen settle: focusing a pane scrolls the detail after
    the next refresh, and a snapshot taken before that refresh would catch it half-way."""

    async def run(pilot) -> None:
        await pilot.press(*keys)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.3)

    return run


def test_messages_and_detail_at_80x24(snap_compare):
    assert snap_compare(InspectorApp(), terminal_size=(80, 24))


def test_hops_pane_focused_shows_flags_at_80x24(snap_compare):
    assert snap_compare(InspectorApp(), run_before=pressed("tab"), terminal_size=(80, 24))


def test_filter_typed_at_80x24(snap_compare):
    assert snap_compare(InspectorApp(), run_before=pressed("slash", "1", "9", "8"), terminal_size=(80, 24))


def test_origins_view_at_80x24(snap_compare):
    assert snap_compare(InspectorApp(), run_before=pressed("o"), terminal_size=(80, 24))


def test_finding_detail_dialog_at_80x24(snap_compare):
    async def open_finding(pilot) -> None:
        await pilot.press("tab", "tab")
        # Focusing the findings scrolls the detail after the next refresh: let it, before the dialog covers it.
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(InspectorApp(), run_before=open_finding, terminal_size=(80, 24))


def test_side_by_side_at_140x36(snap_compare):
    assert snap_compare(InspectorApp(), run_before=pressed("j"), terminal_size=(140, 36))


def test_side_by_side_at_120x40_light(snap_compare):
    app = InspectorApp()
    app.theme = "textual-light"
    assert snap_compare(app, run_before=pressed("tab"), terminal_size=(120, 40))


def test_without_colour_at_80x24(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(InspectorApp(), run_before=pressed("tab", "tab"), terminal_size=(80, 24))


def test_an_origin_read_from_a_header_at_80x24(snap_compare):
    assert snap_compare(InspectorApp([relayed(ORIGIN_FINDINGS)]), run_before=pressed("tab"), terminal_size=(80, 24))
