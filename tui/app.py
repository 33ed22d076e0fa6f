"""The App: owns the one Case and its analysis, routes between the workflow screens, holds the global keys.

Screens get the Case through ``app.case`` and change it only through its
methods; the store is attached to the case, so every change is saved as it
happens, and the App tells every screen about it (``CaseChanged``). What
comes after what is the core's business (``tui.core.workflow``): the App
only shows the step it names. The analysis of the case's samples is the
App's too: one worker, results kept for the case's evidence revision, and
``AnalysisProgress`` / ``AnalysisReady`` for the screens that show them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.core import workflow
from tui.core.case import Case
from tui.core.sanitise import for_markup, pasted_text
from tui.core.store import CaseStore, SaveFailed
from tui.messages import AnalysisProgress, AnalysisReady, CaseChanged
from tui.connected import OvhcloudLink
from tui.startup import LeanStart

if TYPE_CHECKING:
    from tui.core.results import Message as AnalysedMessage

# Cases with more samples than this are analysed in a worker, with progress.
BACKGROUND_FROM = 300
# How often (seconds) the App looks for another window's changes to the case, and retries a failed save.
WATCH_EVERY = 2.0
# Evidence messages shown per batch while a big file is read.
BATCH = 250


class UnblockApp(LeanStart, OvhcloudLink, App[None]):
    """unblock: get an e-mail account unblocked and keep it that way."""

    TITLE = "unblock"
    SUB_TITLE = "account locked for spam"
    # Notifications say a thing once and go; the help and the screens keep what lasts.
    NOTIFICATION_TIMEOUT = 4
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Every key on this screen"),
        Binding("f10", "quit", "Quit", id="app.quit", tooltip="Quit; everything is already saved"),
        Binding("f9", "export_report", "Report", id="app.report", show=False,
                tooltip="Save a Markdown report of this case (timeline, evidence, answers, reply, checklist)"),
        Binding("f8", "toggle_dark", "Theme", id="app.theme", show=False, tooltip="Switch between dark and light"),
        Binding("f7", "account_status", "OVH status", id="app.status",
                tooltip="Read the account's status at OVHcloud again: is it still blocked? (recorded in the case)"),
    ]

    def __init__(self, store: CaseStore, case_id: str | None = None, ticket_text: str | None = None,
                 ticket_source: str = "ticket", demo: bool = False, cursor_blink: bool = True,
                 gc_paused: bool = False, ovh_credentials=None, connect: bool = True) -> None:
        """``gc_paused``: the caller disabled the garbage collector for the start-up; the app
        enables it again once its first screen is drawn. ``ovh_credentials``: connect to OVHcloud with
        these (else python-ovh's own sources are looked at, unless ``connect`` is False)."""
        App.__init__(self)
        LeanStart.__init__(self, gc_paused)
        OvhcloudLink.__init__(self, ovh_credentials)
        self._connect = connect
        self.store = store
        self.case: Case | None = None
        self.cursor_blink = cursor_blink
        self._start = (case_id, ticket_text, ticket_source, demo)
        self._first_screen: Screen | None = None
        self._stop_listening: Callable[[], None] | None = None
        # The analysed samples, and the case and evidence revision they were made from.
        self._analysis: tuple[tuple[str, int], list[AnalysedMessage]] | None = None
        self._analysing: tuple[str, int] | None = None
        # True from the moment evidence is asked for until it is in the case (or cancelled).
        self.reading_evidence = False

    # Start-up -----------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: the case to start with where it was left, else the case list.

        It takes the place of Textual's empty default screen, which would otherwise be
        composed, styled and laid out under it for nothing.
        """
        case_id, ticket_text, ticket_source, demo = self._start
        # The case list is built only when it is shown: --demo and a ticket go straight to their case.
        if demo:
            self.open_demo()
        elif ticket_text is not None:
            self.open_ticket(ticket_text, ticket_source)
        elif case_id and case_id in {c.id for c in self.store.list_cases()}:
            self.open_case(self.store.load(case_id))
        else:
            self.close_case()
        first, self._first_screen = self._first_screen, None
        if not getattr(first, "FIRST_STYLES_ENOUGH", False):
            self.load_all_styles()
        # switch_screen takes a result callback off the screen it replaces; Textual gives
        # pushed screens one but not the default screen (Textualize/textual#2650).
        first._push_result_callback(self, None)
        return first

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        self.store.on_save_error = self._save_failed
        for warning in self.store.warnings:
            self.notify(for_markup(warning), severity="warning", timeout=10)
        self.set_interval(WATCH_EVERY, self._watch_store)

    def _after_first_frame(self) -> None:
        self.first_frame_drawn()
        if self._connect:
            self.start_ovhcloud()

    async def on_event(self, event) -> None:
        from textual import events

        if isinstance(event, events.Paste) and not event.is_forwarded:
            # Whatever box it lands in (a filter, a comment, the reply), pasted text is made inert first.
            event.text = pasted_text(event.text)
        elif isinstance(event, events.Key) and not event.is_forwarded:
            # Where Textual is about to hand the key: see on_key.
            event.unblock_sent_to = self.focused
        await super().on_event(event)

    def on_key(self, event) -> None:
        """A key typed ahead of a focus change goes to the text box that has the focus now.

        Textual hands each key to the widget focused when the App reads it. When a
        key opens a box ("a" for a device name) and the name and enter are typed
        right after it (keys arrive together over a slow link or while the app is
        busy), those keys went to the old widget and came back here unused: the
        letters were lost and enter submitted the empty box. They are given, in
        their order, to the box focused since, as if typed after it opened.
        """
        sent_to = getattr(event, "unblock_sent_to", self)
        focused = self.focused
        if sent_to is self or sent_to is focused or not event.is_forwarded:
            return
        # Imported here, past the common case: TextArea is not worth its import before the first frame.
        from textual import events
        from textual.widgets import Input, TextArea

        if not (isinstance(focused, Input) or isinstance(focused, TextArea) and not focused.read_only):
            return
        event.prevent_default()
        event.stop()
        again = events.Key(event.key, event.character)
        again._set_forwarded()  # already past the App's own routing: it must not be routed again
        focused.post_message(again)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "account_status":
            return bool(self.case is not None and self.case.ovh_account and self.ovh_connection is not None)
        return True

    def action_account_status(self) -> None:
        self.read_account_status()

    # Saving and other windows -----------------------------------------------------

    def _save_failed(self, case: Case, problem: SaveFailed) -> None:
        self.notify(for_markup(str(problem)), title="Not saved", severity="error", timeout=10)

    def _watch_store(self) -> None:
        """Retry what could not be saved; read the case again when another window changed it."""
        if self.store.has_pending and not self.store.retry_pending():
            self.notify("Your changes are saved now.")
        if self.case is not None:
            self.store.check_for_changes(self.case)

    def _told_reloaded(self) -> None:
        self.notify("Another unblock window changed this case: it was read again, with its changes and yours.",
                    timeout=6)

    def _fatal_error(self) -> None:
        """An unexpected error: a short message on exit, the details in the private crash log, never locals."""
        import sys

        from rich.text import Text

        from tui.core.crashlog import write_crash_report

        error = sys.exc_info()[1] or self._exception
        log = write_crash_report(self.store.data_dir, error) if error is not None else None
        where = f" Details for a bug report (no header text) are in {log}." if log else ""
        self.bell()
        self._exit_renderables.append(Text(
            f"unblock stopped on an unexpected error ({type(error).__name__}). Everything up to your last "
            f"change is saved.{where}"))
        self._close_messages_no_wait()

    # Cases ----------------------------------------------------------------------

    def open_case(self, case: Case) -> None:
        """Make ``case`` the current case and go to the step it was left on."""
        self._forget_case()
        self.case = case
        self.store.attach(case)
        self.store.remember(case.id)
        self._stop_listening = case.subscribe(self._case_changed)
        self.go(workflow.start_step(case))

    def open_ticket(self, text: str, source: str = "ticket") -> None:
        """Start (or resume) the case of the address named in ``text``."""
        from tui.core.sources import read_text

        reading = read_text(text, source)
        ticket = reading[0]
        address = ticket.address if ticket else None
        case = self.store.find_by_address(address) if address else None
        if case is None:
            # Filled in, then saved whole in one transaction: a crash leaves no half-read ticket.
            case = Case()
            workflow.load_ticket(case, text, source, reading)
            self.store.save(case)
        else:
            self.store.attach(case)
            workflow.load_ticket(case, text, source, reading)
        self.open_case(case)
        if ticket is None:
            self.notify("This text is not an OVHcloud ticket; its headers were added as samples.",
                        severity="warning")

    def open_demo(self) -> None:
        from tui.core.demo import demo_ticket_text

        self.open_ticket(demo_ticket_text(), "demo ticket")

    def close_case(self) -> None:
        """Back to the case list."""
        from tui.screens.cases import CasesScreen

        self._forget_case()
        self.case = None
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CasesScreen):
            self.pop_screen()
        if self.screen_stack and isinstance(self.screen, CasesScreen):
            self.screen.refresh_cases()
        else:
            self._show(CasesScreen())

    def _forget_case(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None
        self.workers.cancel_group(self, "analysis")
        self.cancel_evidence()
        self._analysis = None
        self._analysing = None

    def _case_changed(self, case: Case, what: str) -> None:
        if what == "reloaded":
            self.call_later(self._told_reloaded)
        self.tell(lambda: CaseChanged(str(what)))

    def tell(self, make: Callable[[], Message]) -> None:
        """Post a fresh message from ``make`` to every screen on the stack (dialogs let it pass)."""
        for screen in self.screen_stack:
            screen.post_message(make())

    # Routing ----------------------------------------------------------------------

    def go(self, step: str) -> None:
        """Show workflow step ``step`` (one of workflow.STEP_IDS) for the current case."""
        from tui.screens import step_screen

        if self.case is None or step not in workflow.STEP_IDS:
            return
        self.case.go_to(step)
        self._show(step_screen(step))

    def show_step(self, step: str) -> None:
        """Show a fresh screen of ``step`` without moving the case's remembered step (after a reload)."""
        from tui.screens import step_screen

        if self.case is not None and step in workflow.STEP_IDS:
            self._show(step_screen(step))

    def _show(self, screen: Screen) -> None:
        """Show ``screen`` in place of the step shown, else over what is shown; during
        get_default_screen, keep it as the first screen."""
        from tui.screens.base import StepScreen

        if not self.screen_stack:
            self._first_screen = screen
        elif isinstance(self.screen, StepScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def next_step(self, current: str) -> None:
        """Go on from ``current`` as the workflow says, or say why not yet."""
        if self.case is None:
            return
        reason = workflow.not_ready_to_leave(self.case, current)
        if reason:
            self.notify(reason, severity="warning", timeout=6)
            return
        step = workflow.next_step(self.case, current)
        if step is not None:
            self.go(step)

    def previous_step(self, current: str) -> None:
        step = workflow.previous_step(self.case, current) if self.case is not None else None
        if step is None:
            self.close_case()
        else:
            self.go(step)

    # Analysis -------------------------------------------------------------------------

    def _evidence_key(self) -> tuple[str, int] | None:
        return None if self.case is None else (self.case.id, self.case.evidence_revision)

    def analysed_messages(self) -> list[AnalysedMessage] | None:
        """The analysed samples of the current case, or None while a worker analyses them.

        Few samples are analysed at once; many in a worker, which tells the
        screens with AnalysisProgress and then AnalysisReady.
        """
        key = self._evidence_key()
        if key is None:
            return []
        if self._analysis is not None and self._analysis[0] == key:
            return self._analysis[1]
        if self._analysing == key:
            return None
        samples = list(self.case.samples)
        expectations = self.case.expectations()
        from tui.core.analysis import analyse_samples

        if len(samples) <= BACKGROUND_FROM:
            self._keep(key, analyse_samples(samples, expectations))
            return self._analysis[1]
        self._analysing = key
        self.run_worker(lambda: self._analyse_in_worker(key, samples, expectations), thread=True,
                        exclusive=True, group="analysis")
        return None

    def _analyse_in_worker(self, key, samples, expectations) -> None:
        from tui.core.analysis import AnalysisCancelled, analyse_samples
        from tui.core.parallel import default_jobs

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            # call_from_thread waits for the App to run ``tell``, which builds the message at once.
            self.call_from_thread(self.tell, lambda: AnalysisProgress(done, total, "Analysing the samples…"))

        try:
            # Every core: a case of thousands of samples opens in seconds, not tens of seconds.
            messages = analyse_samples(samples, expectations, progress, lambda: worker.is_cancelled,
                                       jobs=default_jobs())
        except AnalysisCancelled:
            return
        self.call_from_thread(self._analysed_in_worker, key, messages)

    def _analysed_in_worker(self, key: tuple[str, int], messages: list[AnalysedMessage]) -> None:
        if self._analysing == key:
            self._analysing = None
        if key == self._evidence_key():
            self._keep(key, messages)
            self.tell(lambda: AnalysisReady(messages))

    def _keep(self, key: tuple[str, int], messages: list[AnalysedMessage]) -> None:
        self._analysis = (key, messages)
        if len(messages) > BACKGROUND_FROM:
            # Thousands of analysed messages live as long as the case: keep the garbage
            # collector from walking them on every full pass (pauses of up to a second).
            gc.freeze()

    def read_evidence(self, path: str) -> None:
        """Read an .eml, mbox or Maildir in a worker; its messages join the case's samples when all is read.

        Batches are shown as they are analysed (AnalysisProgress); nothing is
        added to the case until the end, so a cancelled read adds nothing.
        """
        if self.case is None:
            return
        key = self._evidence_key()
        expectations = self.case.expectations()
        self.reading_evidence = True
        self.run_worker(lambda: self._read_evidence(path, key, expectations), thread=True,
                        exclusive=True, group="evidence")

    def cancel_evidence(self) -> bool:
        """Stop reading evidence; True when a read was stopped."""
        if not self.reading_evidence:
            return False
        self.workers.cancel_group(self, "evidence")
        self.reading_evidence = False
        return True

    def _read_evidence(self, path: str, key, expectations) -> None:
        from tui.core.analysis import analyse_inputs
        from tui.core.headers import block_text
        from tui.core.parallel import default_jobs
        from tui.core.sources import InputError

        worker = get_current_worker()
        texts: list[str] = []
        messages: list[AnalysedMessage] = []
        errors: list[str] = []
        # Read and analysed on every core, in the file's order; closing the stream stops the workers.
        stream = analyse_inputs([path], expectations, jobs=default_jobs())
        for item in stream:
            if worker.is_cancelled:
                stream.close()
                return
            if isinstance(item, InputError):
                errors.append(item.message)
                continue
            texts.append(block_text(item.headers))
            messages.append(item)
            if len(messages) % BATCH == 0:
                self.call_from_thread(self.tell, lambda batch=messages[-BATCH:], count=len(messages):
                                      AnalysisProgress(count, None, "Reading evidence…", batch))
        if not worker.is_cancelled:
            self.call_from_thread(self._evidence_read, path, key, texts, messages, errors)

    def _evidence_read(self, path: str, key, texts: list[str], messages, errors: list[str]) -> None:
        self.reading_evidence = False
        if self.case is None or key[0] != self.case.id:
            return
        if not texts:
            problem = "; ".join(errors[:2]) or "no headers found."
            self.notify(for_markup(f"Nothing could be read from {path}: {problem}"), severity="error", timeout=8)
            self.tell(lambda: AnalysisReady(self.analysed_messages() or []))
            return
        # What was analysed before is kept, and only the new messages are added to it, unless the
        # case changed meanwhile: then all of it is analysed again.
        before = self._analysis[1] if self._analysis is not None and self._analysis[0] == key else None
        self.case.add_samples(path, texts)
        if before is not None:
            self._keep(self._evidence_key(), before + messages)
        everything = self.analysed_messages()
        if everything is not None:
            self.tell(lambda: AnalysisReady(everything))
        note = for_markup(f"Added {len(texts)} message(s) from {path}.")
        if errors:
            note += f" {len(errors)} could not be read."
        self.notify(note)

    # Global actions -------------------------------------------------------------------

    def screen_bindings(self, screen: Screen) -> list[tuple[object, Binding]]:
        """Every described binding that works on ``screen``: the focused widget's, the screen's
        (even where a widget uses the same key), and the app's. Deduplicated, in that order."""
        found: list[tuple[object, Binding]] = []
        seen: set[tuple[str, str]] = set()

        def take(node, binding: Binding) -> None:
            if binding.description and (binding.action, binding.description) not in seen:
                seen.add((binding.action, binding.description))
                found.append((node, binding))

        for active in screen.active_bindings.values():
            take(active.node, active.binding)
        for node in (screen, self):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    take(node, binding)
        return found

    def key_words(self, screen: Screen, binding: Binding) -> str:
        """What ``binding`` does, as the screen words it for the case at hand (the footer's words)."""
        describe = getattr(screen, "describe_key", None)
        return (describe(binding) if describe is not None else None) or binding.description

    def action_help(self) -> None:
        from tui.screens.dialogs import HelpScreen

        from textual.widgets import Input, TextArea

        screen = self.screen
        own: list[tuple[int, tuple[str, str, str]]] = []
        editing: list[tuple[str, str, str]] = []
        for node, binding in self.screen_bindings(screen):
            row = (self.get_key_display(binding), self.key_words(screen, binding), binding.tooltip)
            if binding.id:
                # The app's own keys: the way on and the screen's own work first, then its widgets', then
                # moving between steps, then those that work everywhere.
                if binding.action == "next":
                    rank = 0
                elif node is self:
                    rank = 4
                elif node is not screen:
                    rank = 2
                else:
                    rank = 3 if binding.id.startswith("step.") else 1
                own.append((rank, row))
            elif isinstance(node, (Input, TextArea)):
                # Textual's generic keys matter only where text is typed.
                editing.append(row)
        own.sort(key=lambda ranked: ranked[0])
        intro = getattr(screen, "HELP", "") or "unblock walks you through getting your address unblocked."
        self.push_screen(HelpScreen(intro, [row for _, row in own], editing))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_export_report(self) -> None:
        from tui.core.casereport import case_report
        from tui.screens.files import ask_and_save

        if self.case is None:
            self.notify("Open a case first.", severity="warning")
            return
        messages = self.analysed_messages()
        if messages is None:
            self.notify("The samples are still being analysed: save the report once that is done.",
                        severity="warning")
            return
        case = self.case
        ask_and_save(self, "Save the case report (Markdown) to:", "report", case.address or case.id[:8],
                     case_report(case, messages))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key binding of the current screen is also a command-palette entry."""
        yield from super().get_system_commands(screen)
        for node, binding in self.screen_bindings(screen):
            if binding.system:
                continue

            def run(action=binding.action, node=node):
                self.call_later(self.run_action, action, node)

            yield SystemCommand(f"{self.key_words(screen, binding)} ({self.get_key_display(binding)})",
                                binding.tooltip or binding.description, run)
