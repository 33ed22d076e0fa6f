"""The App: owns the one Case, routes between the workflow screens, holds the global keys.

Screens get the Case through ``app.case`` and change it only through its
methods; the store is attached to the case, so every change is saved as it
happens. The analysis of the case's samples is cached here and redone only
when the samples or the user's expectations change.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.core.case import Case
from tui.core.headers import block_text
from tui.core.model import Expectations, Message
from tui.core.store import CaseStore, default_data_dir

STEPS: tuple[tuple[str, str], ...] = (
    ("product", "Product"),
    ("ticket", "Ticket"),
    ("questions", "Questions"),
    ("reply", "Reply"),
    ("remediation", "Secure"),
)
STEP_IDS = tuple(step for step, _ in STEPS)
# Cases with more samples than this are analysed in a worker, with progress.
BACKGROUND_FROM = 300


def _styles_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "styles"
    return packaged if packaged.is_dir() else here.parent / "styles"


STYLES = _styles_dir()
# What the Product step needs. The other sheets (dialogs, inspector, the other
# steps), most of the CSS to parse, wait until it is drawn (see load_all_styles).
FIRST_STYLES = ("app.tcss", "product.tcss")


class UnblockApp(App[None]):
    """unblock: get an e-mail account unblocked and keep it that way."""

    TITLE = "unblock"
    SUB_TITLE = "account locked for spam"
    CSS_PATH = [str(STYLES / name) for name in FIRST_STYLES]
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Every key on this screen"),
        Binding("f10", "quit", "Quit", id="app.quit", tooltip="Quit; everything is already saved"),
        Binding("f9", "export_report", "Report", id="app.report",
                tooltip="Save a Markdown report of this case (timeline, evidence, answers, reply, checklist)"),
        Binding("f8", "toggle_dark", "Theme", id="app.theme", tooltip="Switch between dark and light"),
    ]

    def __init__(self, store: CaseStore, case_id: str | None = None, ticket_text: str | None = None,
                 ticket_source: str = "ticket", demo: bool = False, cursor_blink: bool = True,
                 gc_paused: bool = False) -> None:
        """``gc_paused``: the caller disabled the garbage collector for the start-up; the app
        enables it again once its first screen is drawn."""
        super().__init__()
        self.store = store
        self.case: Case | None = None
        self.cursor_blink = cursor_blink
        self._start_case_id = case_id
        self._start_ticket = ticket_text
        self._start_source = ticket_source
        self._start_demo = demo
        self._analysis_key: tuple | None = None
        self._messages: list[Message] = []
        self._all_styles = False
        self._gc_paused = gc_paused
        self._first_screen: Screen | None = None

    # Start-up -----------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: the case to start with where it was left, else the case list.

        It takes the place of Textual's empty default screen, which would otherwise be
        composed, styled and laid out under it for nothing.
        """
        # The case list is built only when it is shown: --demo and a ticket go straight to their case.
        if self._start_demo:
            self.open_demo()
        elif self._start_ticket is not None:
            self.open_ticket(self._start_ticket, self._start_source)
        elif self._start_case_id and self._start_case_id in {c.id for c in self.store.list_cases()}:
            self.open_case(self.store.load(self._start_case_id))
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
        self.call_after_refresh(self.first_frame_drawn)

    def first_frame_drawn(self) -> None:
        """Do what start-up put off until the first screen is drawn."""
        self.load_all_styles()
        if self._gc_paused:
            self._gc_paused = False
            # Start-up's garbage goes now. What it built lives as long as the app, so later
            # collections need not walk it again (as after a big analysis, set_analysed).
            gc.collect()
            gc.freeze()
            gc.enable()

    def load_all_styles(self) -> None:
        """Add the style sheets left out of CSS_PATH and restyle what is shown."""
        if self._all_styles:
            return
        self._all_styles = True
        sheet = self.stylesheet
        for path in sorted(STYLES.glob("*.tcss")):
            if not sheet.has_source(str(path), ""):
                sheet.read(path)
                # Textual's CSS reloading (textual run --dev) reads css_path again.
                self.css_path.append(path)
        for screen in self.screen_stack:
            sheet.update(screen)

    # Only the first screen may be drawn before every style sheet is read.

    def push_screen(self, screen, *args, **kwargs):
        self.load_all_styles()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):
        self.load_all_styles()
        return super().switch_screen(screen)

    def open_case(self, case: Case) -> None:
        """Make ``case`` the current case and go to the screen it was left on."""
        self.case = case
        self.store.attach(case)
        self.store.remember(case.id)
        self._analysis_key = None
        screen = case.screen if case.screen in STEP_IDS else "product"
        self.go(screen)

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
            load_ticket_into(case, text, source, reading)
            self.store.save(case)
        else:
            self.store.attach(case)
            load_ticket_into(case, text, source, reading)
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

        self.case = None
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CasesScreen):
            self.pop_screen()
        if self.screen_stack and isinstance(self.screen, CasesScreen):
            self.screen.refresh_cases()
        else:
            self._show(CasesScreen())

    # Routing ----------------------------------------------------------------------

    def go(self, step: str) -> None:
        """Show workflow step ``step`` (one of STEP_IDS) for the current case."""
        from tui.screens import step_screen

        if self.case is None or step not in STEP_IDS:
            return
        self.case.go_to(step)
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
        position = STEP_IDS.index(current)
        if position + 1 < len(STEP_IDS):
            self.go(STEP_IDS[position + 1])

    def previous_step(self, current: str) -> None:
        position = STEP_IDS.index(current)
        if position == 0:
            self.close_case()
        else:
            self.go(STEP_IDS[position - 1])

    # Analysis -------------------------------------------------------------------------

    def expectations(self) -> Expectations:
        return self.case.expectations() if self.case is not None else Expectations()

    def analysis_key(self) -> tuple:
        case = self.case
        if case is None:
            return ()
        return (case.id, tuple(s.id for s in case.samples), case.address,
                tuple(case.expected_countries), tuple(case.own_ips), tuple(case.own_clients))

    def analysed(self) -> list[Message]:
        """The analysed samples of the current case (cached)."""
        key = self.analysis_key()
        if key != self._analysis_key:
            from tui.core.analysis import analyse_samples

            self._messages = analyse_samples(self.case.samples if self.case else [], self.expectations())
            self._analysis_key = key
        return self._messages

    def is_analysed(self) -> bool:
        return self.analysis_key() == self._analysis_key

    def analyse_then(self, screen: Screen, then, progress=None) -> None:
        """Call ``then(messages)`` with the analysed samples: at once when they are cached or few,
        else from a worker on ``screen`` (``progress(done, total)`` is called as it goes)."""
        if self.is_analysed() or self.case is None or len(self.case.samples) <= BACKGROUND_FROM:
            then(self.analysed())
            return
        key = self.analysis_key()
        samples = list(self.case.samples)
        expectations = self.expectations()

        def work() -> None:
            from textual.worker import get_current_worker

            from tui.core.analysis import analyse
            from tui.core.headers import parse_headers

            worker = get_current_worker()
            messages = []
            for number, sample in enumerate(samples, start=1):
                if worker.is_cancelled:
                    return
                messages.append(analyse(parse_headers(sample.text, sample.source, sample.index), expectations))
                if progress is not None and number % 250 == 0:
                    self.call_from_thread(progress, number, len(samples))

            def done() -> None:
                self.set_analysed(key, messages)
                if self.is_analysed():
                    then(messages)

            self.call_from_thread(done)

        screen.run_worker(work, thread=True, exclusive=True, group="analysis")

    def set_analysed(self, key: tuple, messages: list[Message]) -> None:
        """Store an analysis done in a worker, if the case has not changed meanwhile."""
        if key == self.analysis_key():
            self._messages = messages
            self._analysis_key = key
            if len(messages) > BACKGROUND_FROM:
                # Thousands of analysed messages live as long as the case: keep the garbage
                # collector from walking them on every full pass (pauses of up to a second).
                gc.freeze()

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

    def action_help(self) -> None:
        from tui.screens.dialogs import HelpScreen

        rows = [(self.get_key_display(b), b.description, b.tooltip) for _, b in self.screen_bindings(self.screen)]
        intro = getattr(self.screen, "HELP", "") or "unblock walks you through getting your address unblocked."
        self.push_screen(HelpScreen(intro, rows))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_export_report(self) -> None:
        from tui.core.casereport import case_report
        from tui.screens.dialogs import AskDialog

        if self.case is None:
            self.notify("Open a case first.", severity="warning")
            return
        case = self.case
        default = str(Path.cwd() / f"unblock-report-{(case.address or case.id[:8]).replace('@', '-at-')}.md")

        def save(path: str | None) -> None:
            if not path:
                return
            report = case_report(case, self.analysed())
            written = write_text_file(path, report)
            if written.startswith("Saved"):
                self.notify(written)
            else:
                self.notify(written, severity="error")

        self.push_screen(AskDialog("Save the case report (Markdown) to:", value=default), save)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key binding of the current screen is also a command-palette entry."""
        yield from super().get_system_commands(screen)
        for node, binding in self.screen_bindings(screen):
            if binding.system:
                continue

            def run(action=binding.action, node=node):
                self.call_later(self.run_action, action, node)

            yield SystemCommand(f"{binding.description} ({self.get_key_display(binding)})",
                                binding.tooltip or binding.description, run)


def load_ticket_into(case: Case, text: str, source: str, reading=None) -> str:
    """Read ticket text into ``case``: the ticket fields and its header samples. Returns a summary.

    ``reading`` is what ``read_text(text, source)`` gave, when the caller has it already.
    """
    from tui.core.products import suggest_product
    from tui.core.sources import read_text

    ticket, blocks, errors = reading if reading is not None else read_text(text, source)
    if ticket is not None:
        case.set_ticket(text, ticket.address, ticket.service, ticket.suspicious_count, ticket.language)
        if case.product is None:
            product, _reason = suggest_product(ticket.service, ticket.address, True)
            if product:
                case.set_product(product)
    # The same ticket loaded twice (or --demo run again) must not double the samples.
    known = {sample.text for sample in case.samples}
    texts = [t for t in (block_text(b) for b in blocks) if t.strip() and t not in known]
    if texts:
        case.add_samples(source, texts)
    parts = [f"{len(texts)} new header sample(s) read"]
    if len(blocks) > len(texts):
        parts.append(f"{len(blocks) - len(texts)} already in the case")
    if errors:
        parts.append(f"{len(errors)} problem(s): " + "; ".join(e.message for e in errors[:3]))
    return ", ".join(parts)


def write_text_file(path: str, text: str) -> str:
    """Write ``text`` to ``path`` and say what happened, in words."""
    target = Path(path).expanduser()
    try:
        if target.is_dir():
            return f"{target} is a folder: give a file name."
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        return f"Could not save to {target}: {exc.strerror or exc}"
    return f"Saved to {target}"


def run(ticket: str | None = None, demo: bool = False, data_dir: str | None = None,
        gc_paused: bool = False) -> int:
    """Start the app (the `unblock` command)."""
    text = None
    source = "ticket"
    if ticket is not None:
        try:
            if ticket == "-":
                text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
                source = "stdin"
                _reattach_terminal()
            else:
                text = Path(ticket).read_bytes().decode("utf-8", errors="replace")
                source = Path(ticket).name
        except OSError as exc:
            print(f"unblock: cannot read {ticket}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        if not text.strip():
            print(f"unblock: {ticket} is empty", file=sys.stderr)
            return 2
    try:
        store = CaseStore(Path(data_dir).expanduser() if data_dir else default_data_dir())
    except Exception as exc:  # an unusable data dir is the user's to fix: say where and why
        print(f"unblock: cannot open the case store: {exc}", file=sys.stderr)
        return 2
    case_id = None if (demo or text is not None) else store.last_opened()
    app = UnblockApp(store, case_id=case_id, ticket_text=text, ticket_source=source, demo=demo,
                     gc_paused=gc_paused)
    try:
        app.run()
    finally:
        store.close()
    return 0


def _reattach_terminal() -> None:
    """After reading a ticket from a pipe, read keys from the terminal again."""
    import os

    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, closefd=False)
