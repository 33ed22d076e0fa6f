"""Hostile headers never reach the terminal: every screen, every written file, every command's output.

The fixture (tests/fixtures/hostile/ticket.txt) is an "Account locked for
spam" ticket whose header sample is full of what a spammer can write: ESC
sequences (OSC 0 retitles the window, OSC 52 writes the clipboard, CSI 2J
clears the screen), C1 controls (U+009B CSI, U+009D OSC), BEL, NUL, DEL, bidi
overrides and isolates, Rich/Textual markup (a link, a click action), Markdown
(links, images, a heading, HTML, backticks), an RFC 2047 encoded word that
decodes to an escape, and an X-VR-SPAMCAUSE whose decoding holds them too.
The file itself is plain ASCII: escapes are written as Python escapes
(``\\x1b``, ``\\u202e``) and decoded when it is read, so `cat` of the fixture
is harmless.

What the terminal would be sent is taken from the compositor (every segment
of every line drawn) and from every notification; what a file or a command
holds is read as bytes. Any C0 control but the newline, any C1 control, ESC,
DEL or bidi control fails, and so does a link or a click action that came
from header text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_app_flow import make_app
from test_casereport import RAW_CONTROL, live_markdown
from textual.content import Content

from tui.core.store import CaseStore
from tui.screens.dialogs import DetailScreen, PasteDialog, TextViewer

FIXTURE = Path(__file__).parent / "fixtures" / "hostile" / "ticket.txt"
ROOT = Path(__file__).resolve().parents[1]
# What every live thing in the fixture points at: a link to it or a click running it came from a header.
HOSTILE_TARGETS = ("evil.example", "app.quit")
# Seen on screen when the header's ESC is shown as a symbol instead of being obeyed.
SHOWN_ESCAPE = "␛]"
# The one SGR sequence a styled report may hold (colour, bold): anything else from ESC on is a leak.
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_ticket() -> str:
    """The fixture with its escapes decoded: the ticket as an attacker's headers make it."""
    return FIXTURE.read_text(encoding="ascii").encode("ascii").decode("unicode_escape")


def hostile_headers() -> str:
    """The fixture's header sample alone, as an .eml of evidence would hold it."""
    text = hostile_ticket()
    return text[text.index("Return-Path:"):]


def raw_controls(text: str) -> set[str]:
    """The raw control and bidi characters in ``text`` (newlines allowed)."""
    return set(RAW_CONTROL.findall(text))


def assert_inert_bytes(data: bytes, what: str, *, sgr_allowed: bool = False) -> str:
    """``data`` decoded, after checking it holds no raw control byte (bytes 0x00-0x1f but \\n, 0x7f, C1, bidi)."""
    text = data.decode("utf-8")
    if sgr_allowed:
        text = SGR.sub("", text)
    found = raw_controls(text)
    assert not found, f"{what} holds raw control characters {sorted(map(repr, found))}"
    return text


def test_the_fixture_is_hostile():
    """The fixture holds every kind of character the checks look for: each check fails on it as it is."""
    text = hostile_ticket()
    found = raw_controls(text)
    assert {"\x1b", "\x07", "\x00", "\x7f", "\x9b", "\x9d", "\u202e", "\u2066"} <= found
    assert all(target in text for target in HOSTILE_TARGETS)
    assert {kind.split()[0] for kind in live_markdown(text)} >= {"link_open", "image", "html_inline"}


# The app ------------------------------------------------------------------------------------------


class Terminal:
    """What the app sends to the terminal, checked at each stop: the drawn lines and the notifications."""

    def __init__(self, app) -> None:
        self.app = app
        self.leaks: list[str] = []
        self.seen: dict[str, str] = {}
        self.notes: list[tuple[str, str, bool]] = []
        notify = app.notify

        def recording_notify(message, *, title="", markup=True, **kwargs):
            self.notes.append((str(message), str(title), markup))
            return notify(message, title=title, markup=markup, **kwargs)

        app.notify = recording_notify

    def look(self, where: str) -> str:
        """Check every segment on screen now; return the screen's text (kept under ``where``)."""
        lines = []
        for y, strip in enumerate(self.app.screen._compositor.render_strips()):
            line = []
            for segment in strip:
                line.append(segment.text)
                if found := raw_controls(segment.text):
                    self.leaks.append(f"{where}, line {y}: {sorted(map(repr, found))} in {segment.text!r}")
                style = segment.style
                if style is not None:
                    live = f"{style.link or ''} {(style.meta or {}).get('@click', '')}"
                    if any(target in live for target in HOSTILE_TARGETS):
                        self.leaks.append(f"{where}, line {y}: live {live.strip()!r} on {segment.text!r}")
            lines.append("".join(line))
        text = "\n".join(lines)
        self.seen[where] = self.seen.get(where, "") + text
        return text

    async def sweep(self, pilot, where: str, scrollable: str | None = None) -> str:
        """``look`` at the screen, and at every page of ``scrollable`` (a selector) from top to bottom."""
        if scrollable is None:
            return self.look(where)
        widget = self.app.screen.query_one(scrollable)
        widget.scroll_to(y=0, animate=False)
        await pilot.pause()
        text = self.look(where)
        for _ in range(50):
            if widget.scroll_y >= widget.max_scroll_y:
                break
            widget.scroll_to(y=widget.scroll_y + max(1, widget.scrollable_content_region.height), animate=False)
            await pilot.pause()
            text += self.look(where)
        return text

    async def visit(self, pilot, *keys: str, where: str = "", scrollable: str | None = None) -> str:
        """Press ``keys`` (none: stay), let the app draw, then ``sweep`` what it shows as ``where``."""
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        return await self.sweep(pilot, where, scrollable) if where else ""

    def check_notes(self) -> None:
        for message, title, markup in self.notes:
            for part in (message, title):
                if found := raw_controls(part):
                    self.leaks.append(f"notification {part[:60]!r}: {sorted(map(repr, found))}")
            if markup:
                for span in Content.from_markup(message).spans:
                    if any(target in str(span.style) for target in HOSTILE_TARGETS):
                        self.leaks.append(f"notification {message[:60]!r}: live {span.style}")


@pytest.fixture
def store(tmp_path):
    store = CaseStore(tmp_path / "data")
    yield store
    store.close()


async def open_details(pilot, terminal: Terminal, pane: str, count: int, where: str) -> None:
    """Enter on each of the first ``count`` rows of an inspector pane: every detail dialog it opens."""
    app = pilot.app
    app.screen.query_one(pane).focus()
    await pilot.press("home")
    for row in range(count):
        await terminal.visit(pilot, "enter", where=f"{where} detail", scrollable="#detail-scroll")
        assert isinstance(app.screen, DetailScreen), f"{where} {row}: no detail dialog"
        await terminal.visit(pilot, "escape", "down")


async def walk_the_ticket_step(pilot, terminal: Terminal, evidence: Path) -> None:
    """The inspector and each of its detail dialogs, the origins view, the ticket text, evidence and a paste."""
    from textual import events

    app = pilot.app
    await terminal.visit(pilot, "enter", "n", where="ticket")
    assert app.screen.STEP == "ticket"
    message = app.analysed_messages()[0]
    await open_details(pilot, terminal, "#inspector-messages", 1, "message")
    await open_details(pilot, terminal, "#inspector-hops", len(message.hops), "hop")
    await open_details(pilot, terminal, "#inspector-findings", len(message.findings), "finding")
    for pane in ("#inspector-detail", "#inspector-raw-pane", "#inspector-spamcause-pane"):
        app.screen.query_one(pane).scroll_visible(animate=False)
        await terminal.visit(pilot, where="inspector", scrollable=pane)
    app.screen.query_one("#inspector-messages").focus()
    await terminal.visit(pilot, "o", where="origins")
    await terminal.visit(pilot, "o", "t", where="ticket text", scrollable="#ticket-text")
    await terminal.visit(pilot, "t", "a", where="evidence")
    app.screen.query_one("#ask-input").value = str(evidence)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await terminal.visit(pilot, where="evidence added")
    assert len(app.case.samples) == 2
    await terminal.visit(pilot, "v")
    assert isinstance(app.screen, PasteDialog)
    app.post_message(events.Paste(hostile_ticket()))
    await terminal.visit(pilot, where="paste", scrollable="#paste-area")
    await terminal.visit(pilot, "f2", where="pasted")


async def test_every_screen_shows_hostile_headers_as_inert_text(store, tmp_path):
    # A file name is the attacker's too (a saved attachment): it is quoted in a notification.
    evidence = tmp_path / "evidence [link='mailto:x@evil.example']f [@click=app.quit]q.eml"
    evidence.write_text(hostile_headers(), encoding="utf-8")
    app = make_app(store, ticket_text=hostile_ticket(), ticket_source="hostile ticket")
    terminal = Terminal(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await terminal.visit(pilot, where="product")
        await walk_the_ticket_step(pilot, terminal, evidence)
        await terminal.visit(pilot, "question_mark", where="help")
        await terminal.visit(pilot, "escape", "f4", where="questions", scrollable="#questions-scroll")
        app.screen.set_focus(None)
        await terminal.visit(pilot, "u", where="questions", scrollable="#questions-scroll")
        assert app.case.all_answered()
        app.screen.set_focus(None)
        await terminal.visit(pilot, "f6", where="reply", scrollable="#reply-text")
        assert app.screen.STEP == "reply" and app.case.reply_text
        await terminal.visit(pilot, "v", where="reply view", scrollable="#viewer-area")
        assert isinstance(app.screen, TextViewer)
        await terminal.visit(pilot, "escape", "c", where="reply copied")
        await save_from_the_app(pilot, terminal, tmp_path)
        for tab in "123":
            await terminal.visit(pilot, "f5", tab, where=f"secure tab {tab}")
        app.screen.set_focus(None)
        await terminal.visit(pilot, "f2", "escape", where="case list")
        assert app.case is None

    terminal.check_notes()
    assert terminal.leaks == []
    # The header text was on screen, shown as written: a check that saw none of it would prove nothing.
    for where in ("ticket", "message detail", "hop detail", "finding detail", "inspector", "ticket text",
                  "paste", "questions", "reply", "reply view"):
        assert SHOWN_ESCAPE in terminal.seen[where] or "␛[2J" in terminal.seen[where], where
    assert "[link=https://evil.example]click[/link]" in terminal.seen["message detail"]
    assert "[@click=app.quit]q[/]" in terminal.seen["message detail"]


async def save_from_the_app(pilot, terminal: Terminal, folder: Path) -> None:
    """Save the reply (w) and the case report (F9), then check both files byte by byte."""
    app = pilot.app
    for key, name in (("w", "reply.txt"), ("f9", "report.md")):
        await terminal.visit(pilot, key, where=f"save {name}")
        app.screen.query_one("#ask-input").value = str(folder / name)
        await terminal.visit(pilot, "enter", where=f"saved {name}")
    reply = assert_inert_bytes((folder / "reply.txt").read_bytes(), "the saved reply")
    assert SHOWN_ESCAPE in reply
    report = assert_inert_bytes((folder / "report.md").read_bytes(), "the case report")
    assert SHOWN_ESCAPE in report
    # The title, the five sections and one heading per message are the report's own; nothing else is live.
    live = live_markdown(report)
    assert [item for item in live if not item.startswith("heading_open")] == []
    assert len(live) == 1 + 5 + len(app.analysed_messages())


async def test_text_pasted_into_the_paste_box_is_shown_inert_and_kept_as_shown(store):
    from textual import events

    app = make_app(store)
    terminal = Terminal(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        # Many terminals paste line breaks as carriage returns.
        app.post_message(events.Paste(hostile_ticket().replace("\n", "\r")))
        await pilot.pause()
        area = app.screen.query_one("#paste-area")
        shown = area.text
        assert shown.count("\n") == hostile_ticket().count("\n")
        await terminal.sweep(pilot, "paste", "#paste-area")
        await pilot.press("f2")
        await pilot.pause()
        # What is used is what was shown: the case starts from the text in the box.
        assert app.case is not None and app.case.address == "contact@boulangerie-martin.fr"
        assert app.case.ticket_text == shown
    assert terminal.leaks == []
    # Tabs stay, for the folded headers: the box draws them as spaces (the screen check above).
    assert raw_controls(shown) == {"\t"} and SHOWN_ESCAPE in shown


async def test_text_pasted_into_any_box_is_made_inert_on_the_way_in(store):
    """The inspector's filter, a dialog's field, a comment: a paste is cleaned before any box sees it."""
    from textual import events

    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "n")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        app.post_message(events.Paste("\x1b]0;pwned\x07 \u202eDHL\x9b2J"))
        await pilot.pause()
        typed = app.screen.query_one("#inspector-filter").value
        assert raw_controls(typed) == set() and SHOWN_ESCAPE in typed


# Commands ----------------------------------------------------------------------------------------


def run_unblock(*args: str, env: dict | None = None, code: str = "from tui.cli import main; "
                "raise SystemExit(main())") -> subprocess.CompletedProcess:
    """``unblock ARGS`` as a real process: its exit status and the bytes on stdout and stderr."""
    # NO_COLOR would keep the styled report from being styled.
    environment = {name: value for name, value in os.environ.items() if name != "NO_COLOR"} | (env or {})
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, timeout=60,
                          env=environment)


@pytest.fixture(scope="module")
def ticket_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "ticket.txt"
    path.write_text(hostile_ticket(), encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [("inspect",), ("inspect", "--json"), ("reply",), ("reply", "--json"),
                                  ("reply", "--lang", "fr")], ids=" ".join)
def test_command_output_is_inert(args, ticket_file):
    done = run_unblock(*args, str(ticket_file))
    assert done.returncode == 0, done.stderr
    out = assert_inert_bytes(done.stdout, f"stdout of unblock {' '.join(args)}")
    assert_inert_bytes(done.stderr, f"stderr of unblock {' '.join(args)}")
    if "--json" not in args:
        assert SHOWN_ESCAPE in out
        return
    document = json.loads(out)
    if args[0] == "reply":
        # The reply is text to paste into the ticket: inert once decoded, not only in its JSON escapes.
        assert not raw_controls(document["reply"]) and SHOWN_ESCAPE in document["reply"]
        for question in document["questions"]:
            assert not raw_controls(json.dumps(question, ensure_ascii=False))


def test_the_styled_report_on_a_terminal_holds_only_colour_sequences(ticket_file):
    done = run_unblock("inspect", str(ticket_file), env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1",
                                                          "COLUMNS": "100"})
    assert done.returncode == 0
    assert SGR.search(done.stdout.decode())  # styled indeed
    assert "\x1b]8;" not in done.stdout.decode()  # no hyperlink (OSC 8) either
    assert SHOWN_ESCAPE in assert_inert_bytes(done.stdout, "styled inspect report", sgr_allowed=True)


# The API double, seeded with what a hostile or broken API could answer.
_SEEDED_SANDBOX = """
import tui.ovh.sandbox as sandbox
from tui.ovh.sandbox_state import demo_state

P = "\\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07\\x9b2J\\u202e[link=https://evil.example]x[/link]"


def hostile_state():
    state = demo_state()
    address = "evil" + P + "@example.fr"
    state.accounts["email_pro"][("emailpro" + P,)] = {
        address: {"primaryEmailAddress": address, "spamDetected": True, "spamTicketNumber": 1, "state": "ok" + P},
        "missing" + P: None,
    }
    state.me["name"] = P
    return state


start = sandbox.Sandbox.__init__
sandbox.Sandbox.__init__ = lambda self, state=None, **kw: start(self, state or hostile_state(), **kw)
from tui.cli import main
raise SystemExit(main())
"""


@pytest.mark.parametrize("args", [("accounts", "--sandbox", "--all"), ("accounts", "--sandbox", "--json"),
                                  ("connect", "--sandbox")], ids=" ".join)
def test_api_values_are_inert_in_command_output(args):
    done = run_unblock(*args, "--timeout", "5", code=_SEEDED_SANDBOX)
    assert done.returncode == 0, done.stderr
    out = assert_inert_bytes(done.stdout, f"stdout of unblock {' '.join(args)}")
    assert_inert_bytes(done.stderr, f"stderr of unblock {' '.join(args)}")
    assert "pwned" in out  # the seeded values were there to be shown


async def test_an_app_that_stops_on_an_error_logs_no_header_text(store, monkeypatch, capfd):
    from tui.screens.ticket import TicketScreen

    def fail(screen) -> None:
        header = hostile_headers()  # in a local, and in the message: neither may reach the log
        raise RuntimeError(header)

    monkeypatch.setattr(TicketScreen, "action_toggle_ticket", fail)
    app = make_app(store, ticket_text=hostile_ticket())
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter", "n", "t")
            await pilot.pause()
    assert app.return_code == 1
    log = assert_inert_bytes((store.data_dir / "unblock-crash.log").read_bytes(), "the crash log")
    printed = capfd.readouterr()
    said = assert_inert_bytes((printed.out + printed.err).encode(), "what the app said as it stopped")
    assert "RuntimeError" in log and "unexpected error" in said
    for text in (log, said):
        assert "pwned" not in text and "evil" not in text
