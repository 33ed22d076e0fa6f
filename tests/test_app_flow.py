"""Walk the whole workflow with the keyboard only, for each product, and check the Case after each step."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tui.app import UnblockApp
from tui.core.demo import demo_ticket_text
from tui.core.products import PRODUCT_IDS
from tui.core.store import CaseStore
from tui.core import workflow
from tui.core.workflow import needs_remediation

DEMO_ADDRESS = "contact@boulangerie-martin.fr"


class FakeClipboard:
    """Stands in for pyperclip: tests never touch the real clipboard."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def __call__(self, text: str) -> bool:
        self.copied.append(text)
        return True


def make_app(store: CaseStore, **kwargs) -> UnblockApp:
    app = UnblockApp(store, cursor_blink=False, **kwargs)
    app.system_clipboard = FakeClipboard()
    return app


@pytest.fixture
def store(tmp_path):
    store = CaseStore(tmp_path / "data")
    yield store
    store.close()


async def choose_product(pilot, product_id: str) -> None:
    from tui.core.products import PRODUCTS

    app = pilot.app
    options = app.screen.query_one("#product-list")
    options.focus()
    target = [p.id for p in PRODUCTS].index(product_id)
    await pilot.press("home")
    for _ in range(target):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def answer_questions(pilot, choices: dict[int, int]) -> None:
    """choices: question -> index of Yes(0) / No(1) / Not sure(2), chosen with arrows and enter."""
    screen = pilot.app.screen
    for number, index in choices.items():
        radio = screen.query_one(f"#q{number}-choice")
        radio.focus()
        await pilot.pause()
        # RadioSet: the highlight starts on the first button; move then select.
        for _ in range(index):
            await pilot.press("right")
        await pilot.press("enter")
        await pilot.pause()


async def answer_no_and_reach_the_reply(pilot) -> None:
    """Email Pro, "no" to all three questions, then the reply step."""
    await choose_product(pilot, "email_pro")
    await pilot.press("n", "n")
    await pilot.pause()
    await answer_questions(pilot, {1: 1, 2: 1, 3: 1})
    pilot.app.screen.set_focus(None)
    await pilot.press("f6")
    await pilot.pause()


@pytest.mark.parametrize("product_id", ["exchange", "email_pro", "mxplan_new"])
async def test_whole_flow_with_the_keyboard(store, product_id):
    app = make_app(store, ticket_text=demo_ticket_text(), ticket_source="demo ticket")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        case = app.case
        assert case.address == DEMO_ADDRESS
        assert case.service == "boulangerie-martin.fr"
        assert case.suspicious_count == 214
        assert len(case.samples) == 3
        assert app.screen.STEP == "product"

        await choose_product(pilot, product_id)
        assert case.product == product_id and case.product_confirmed
        # Tick the first two Control Panel steps with space.
        await pilot.press("space", "down", "space")
        assert len(case.steps_done) == 2

        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "ticket" and case.screen == "ticket"
        messages = app.analysed_messages()
        assert messages[0].origin.country == "RU"
        assert any(f.severity == "critical" for f in messages[0].findings)

        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "questions"
        # The reply cannot be reached before the three answers.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "questions"
        await answer_questions(pilot, {1: 1, 2: 1, 3: 2})
        assert {n: a.choice for n, a in case.answers.items()} == {1: "no", 2: "no", 3: "not sure"}

        # Someone else sent the mail: the way goes through securing the account before the reply.
        app.screen.set_focus(None)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "remediation"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Office laptop", "enter")
        await pilot.pause()
        assert [d.name for d in case.devices] == ["Office laptop"]
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the dialog proposes "clean"
        await pilot.pause()
        assert case.devices[0].scanned_at and case.devices[0].result == "clean"
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("f", *"Scanner", "enter")
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # from "mail client" up to "fax/scanner"
        await pilot.pause()
        assert [(s.name, s.kind) for s in case.software] == [("Scanner", "fax/scanner")]
        await pilot.press("u")
        await pilot.pause()
        assert case.software[0].updated_at is not None
        assert "remediation" not in app.screen.query_one("StepBar").render_bar().plain.split("Secure")[0]

        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "reply"
        assert case.reply_text and DEMO_ADDRESS in case.reply_text
        assert "Scanner" in case.reply_text  # what was done, and only that
        assert "password" not in case.reply_text.split("Scanner")[1].lower().split("\n\n")[0] or True
        await pilot.press("c")
        assert app.system_clipboard.copied == [case.reply_text]
        await pilot.press("l")
        await pilot.pause()
        assert case.reply_language == "fr"
        assert "Êtes-vous l'émetteur" in case.reply_text

        # The password may come after the reply: next leads back to securing the account.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "remediation"
        await pilot.press("3")
        await pilot.pause()
        app.screen.set_focus(None)
        await pilot.press("m")
        await pilot.pause()
        assert case.password_changed_at is not None
        assert "remediation" in workflow.done_steps(case)


async def test_legacy_mx_plan_goes_straight_to_securing_the_account(store):
    app = make_app(store, ticket_text=demo_ticket_text(), ticket_source="demo ticket")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await choose_product(pilot, "mxplan_legacy")
        assert app.case.product == "mxplan_legacy"
        # No screen or footer promises a ticket or a reply.
        assert app.screen.describe_key(app.screen._bindings.key_to_bindings["n"][0]) == "Next: secure"
        assert workflow.skipped_steps(app.case) == {"ticket", "questions", "reply"}
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "remediation"
        assert app.screen.check_action("next", ()) is False  # the end of the way: no "n Next"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.STEP == "product"
        await pilot.press("f4")
        await pilot.pause()
        assert "no ticket" in str(app.screen.query_one(".panel-text").render()).lower()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.STEP == "remediation"
        assert needs_remediation(app.case)


async def test_a_restart_lands_where_the_user_left(store, tmp_path):
    app = make_app(store, ticket_text=demo_ticket_text(), ticket_source="demo ticket")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await choose_product(pilot, "email_pro")
        await pilot.press("n", "n")
        await pilot.pause()
        await answer_questions(pilot, {1: 1})
    store.close()

    again = CaseStore(tmp_path / "data")
    app = make_app(again, case_id=again.last_opened())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.STEP == "questions"
        assert app.case.product == "email_pro" and app.case.product_confirmed
        assert app.case.answers[1].choice == "no"
        assert len(app.case.samples) == 3
    again.close()


async def test_the_demo_twice_does_not_double_the_samples(store):
    for _ in range(2):
        app = make_app(store, demo=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert len(app.case.samples) == 3
    assert len(store.list_cases()) == 1


async def test_help_lists_the_screen_keys(store):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        keys = app.screen.query_one("#help-keys")
        console = Console(width=keys.size.width, file=io.StringIO(), record=True)
        console.print(keys.content)
        shown = " ".join(console.export_text().split())
        assert "Confirm product" in shown and "Help" in shown
        # Every description and tooltip is there whole, wrapped to the box, none cut at its edge.
        assert all(" ".join(f"{description}: {tooltip}".split()) in shown
                   for _, description, tooltip in app.screen.rows if tooltip)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.STEP == "product"


async def test_case_list_new_case_from_pasted_ticket(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.case is None
        await pilot.press("n")
        await pilot.pause()
        area = app.screen.query_one("#paste-area")
        area.insert(demo_ticket_text())
        await pilot.press("f2")
        await pilot.pause()
        assert app.case is not None and app.case.address == DEMO_ADDRESS
        await pilot.press("escape")
        await pilot.pause()
        assert app.case is None
        assert [s.address for s in store.list_cases()] == [DEMO_ADDRESS]


def write_mbox(path, count: int) -> None:
    from tui.core.headers import block_text
    from tui.core.sources import read_text

    _ticket, blocks, _errors = read_text(demo_ticket_text())
    with open(path, "w") as out:
        for i in range(count):
            text = block_text(blocks[i % len(blocks)]).replace("176.59.41.17", f"176.59.41.{i % 250 + 1}")
            out.write(f"From someone@example.com Mon Nov 23 10:00:00 2026\n{text}\n\nbody {i}\n\n")


async def name_evidence_file(pilot, path) -> None:
    """From the demo's product step: confirm it, go to the ticket, press a and enter ``path``."""
    await pilot.press("enter", "n")
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#ask-input").value = str(path)
    await pilot.press("enter")


async def test_evidence_from_an_mbox_is_added_in_the_background(store, tmp_path):
    mbox = tmp_path / "sent.mbox"
    write_mbox(mbox, 600)
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await name_evidence_file(pilot, mbox)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.case.samples) == 603
        assert len(app.analysed_messages()) == 603
        assert len(app.screen.query_one("#ticket-inspector")._messages) == 603


async def test_a_missing_evidence_file_is_refused_with_a_message(store, tmp_path):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await name_evidence_file(pilot, tmp_path / "nope.mbox")
        await pilot.pause()
        error = app.screen.query_one("#ask-error")
        assert "no file" in str(error.render()).lower()
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.case.samples) == 3


async def test_a_big_case_is_analysed_in_a_worker_on_restart(store, tmp_path, monkeypatch):
    monkeypatch.setattr("tui.app.BACKGROUND_FROM", 5)
    mbox = tmp_path / "sent.mbox"
    write_mbox(mbox, 40)
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "n")
        await pilot.pause()
        app.screen.load_evidence(str(mbox))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.case.samples) == 43

    again = make_app(store, case_id=store.last_opened())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.screen.STEP == "ticket"
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert len(again.analysed_messages()) == 43


async def test_a_bracketed_paste_of_several_kb_reaches_the_paste_box(store):
    from textual import events

    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        area = app.screen.query_one("#paste-area")
        text = demo_ticket_text()
        assert len(text) > 4000
        # As the terminal driver does: the app gets the paste and hands it to the focused widget.
        app.post_message(events.Paste(text))
        await pilot.pause()
        assert area.text.replace("\r\n", "\n").strip() == text.strip()
        await pilot.press("f2")
        await pilot.pause()
        assert app.case.address == DEMO_ADDRESS and len(app.case.samples) == 3


async def test_the_case_report_and_the_reply_are_saved_to_files(store, tmp_path):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_no_and_reach_the_reply(pilot)
        await pilot.press("w")
        await pilot.pause()
        reply_path = tmp_path / "out" / "reply.txt"
        app.screen.query_one("#ask-input").value = str(reply_path)
        await pilot.press("enter")
        await pilot.pause()
        assert not reply_path.exists()  # a folder is made only when the user says so
        await pilot.press("y")
        await pilot.pause()
        assert reply_path.read_text(encoding="utf-8") == app.case.reply_text
        assert oct(reply_path.stat().st_mode & 0o777) == "0o600"
        # Saving again to the same name asks first; "n" keeps the file as it is.
        reply_path.write_text("mine", encoding="utf-8")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#ask-input").value = str(reply_path)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert reply_path.read_text(encoding="utf-8") == "mine"

        await pilot.press("f9")
        await pilot.pause()
        report_path = tmp_path / "report.md"
        app.screen.query_one("#ask-input").value = str(report_path)
        await pilot.press("enter")
        await pilot.pause()
        report = report_path.read_text(encoding="utf-8")
        assert report.startswith(f"# unblock case report: {DEMO_ADDRESS}")
        assert "176.59.41.17 (RU)" in report and "## Reply" in report and "**no**" in report


async def test_saving_into_a_folder_says_why_it_failed(store, tmp_path):
    from tui.core.files import write_text_file

    assert write_text_file(str(tmp_path), "x") == (False, f"{tmp_path} is a folder: give a file name.")
    saved, said = write_text_file(str(tmp_path / "a.txt"), "x")
    assert saved and said.startswith("Saved to")


async def test_every_screen_key_is_in_the_command_palette(store):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any(t.startswith("Confirm product") for t in titles)
        assert any(t.startswith("Next: ticket") for t in titles)
        assert any(t.startswith("Help") for t in titles)


async def test_header_markup_and_escapes_are_shown_literally(store):
    ticket = demo_ticket_text().replace(
        "Subject: Commande de la semaine 48", "Subject: [bold]Commande[/bold] \x1b[31mrouge")
    app = make_app(store, ticket_text=ticket)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "n")
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        screen_text = app.export_screenshot()
        assert "[bold]Commande[/bold]" in screen_text
        assert "\x1b" not in screen_text and "␛[31m" in screen_text


async def test_the_reply_says_when_remediation_went_further_than_the_draft(store):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_no_and_reach_the_reply(pilot)
        options = app.screen.query_one("#reply-options")
        assert "done more" not in str(options.render())
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("a", *"Laptop", "enter")
        await pilot.pause()
        await pilot.press("s", "enter")
        await pilot.pause()
        await pilot.press("n")  # the Secure step leads on to the reply
        await pilot.pause()
        assert app.screen.STEP == "reply"
        assert "done more" in str(app.screen.query_one("#reply-options").render())
        await pilot.press("g", "y")
        await pilot.pause()
        assert "Laptop: clean" in app.case.reply_text
        assert "done more" not in str(app.screen.query_one("#reply-options").render())


async def test_enter_on_questions_shown_again_keeps_the_answers(store):
    app = make_app(store, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "n", "n")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        taken = {n: a.choice for n, a in app.case.answers.items()}
        assert taken[1] == "no"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")  # the cursor is on the chosen answer, not on "Yes"
        await pilot.pause()
        assert {n: a.choice for n, a in app.case.answers.items()} == taken


async def burst(pilot, *keys: str) -> None:
    """Keys that arrive together, as a held arrow key or keys typed ahead over SSH do: every one is
    queued before the first is handled (Pilot's press waits between keys)."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, " " if key == "space" else (key if len(key) == 1 else None)))
    await pilot.pause()
    await pilot.pause()


async def test_keys_in_a_burst_move_through_the_checklist_before_the_space_ticks(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # confirm the product: the first step is focused
        await pilot.pause()
        product = app.case.product
        await burst(pilot, "down", "down", "down", "space")
        assert app.case.steps_done == {f"{product}.accounts"}
        await burst(pilot, "up", "up", "space")
        assert app.case.steps_done == {f"{product}.accounts", f"{product}.web_cloud"}



async def test_next_typed_right_after_enter_on_the_product_list_finds_the_product_confirmed(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Enter confirmed the product through a message the list handled later: the "n" right
        # behind it was told to confirm the product first.
        await burst(pilot, "enter", "n")
        await pilot.pause()
        assert app.case.product_confirmed
        assert app.screen.STEP == "ticket"


async def test_space_ticks_the_first_step_after_looking_at_another_product(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        # Looking at another product's steps and back put in fresh steps: none was highlighted,
        # and space on the list, once tabbed to, ticked nothing.
        await pilot.press("down", "down", "up", "up", "tab", "space")
        product = app.screen.query_one("#product-list").highlighted
        assert app.case.steps_done == {f"{PRODUCT_IDS[product]}.login"}


async def test_the_secure_step_never_says_the_user_answered_what_they_did_not(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        shown = str(app.screen.query_one("#remediation-status").render())
        assert "not answered yet" in shown and "You said" not in shown
        app.case.set_answer(1, "yes")
        await pilot.pause()
        assert "You said you sent these messages yourself" in str(app.screen.query_one("#remediation-status").render())


async def test_a_name_typed_right_after_the_key_that_asks_for_it_is_kept_whole(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await burst(pilot, "a", *"Office laptop".replace(" ", "_"), "enter")
        for _ in range(3):
            await pilot.pause()
        assert [device.name for device in app.case.devices] == ["Office_laptop"]


async def test_the_password_typed_right_after_its_tab_key_lands_in_the_field(store):
    app = make_app(store, demo=True, connect=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await burst(pilot, "3", *"tulip")
        await pilot.pause()
        assert app.screen.query_one("#password-input").value == "tulip"
