"""The files the user names, from the screens: read in a worker, saved never over a file unasked.

A ticket file is read in a worker, so that a slow disk or a big file never
freezes the screen; what goes wrong is told in words. Every save (the
reply, the case report) takes the same way: ask where (a name built from the address is
offered), then write with tui.core.files.save_text_file; an existing file is
replaced only after "Replace it?", a missing folder made only after "Create
it?", and the outcome is told in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from tui.core.files import SaveOutcome, default_file_name, read_text_file, save_text_file
from tui.core.sanitise import for_markup


def ask_and_save(app: App, title: str, kind: str, address: str | None, text: str) -> None:
    """Ask where to save ``text`` (``kind``: "reply" or "report"), then save it, asking before any replacing."""
    from tui.screens.dialogs import AskDialog

    default = str(Path.cwd() / default_file_name(kind, address))

    def chosen(path: str | None) -> None:
        if path:
            _save(app, path, text, replace=False, create_folder=False)

    app.push_screen(AskDialog(title, value=default, check=lambda value: None if value else "Type a file name."),
                    chosen)


def _save(app: App, path: str, text: str, *, replace: bool, create_folder: bool) -> None:
    from tui.screens.dialogs import ConfirmDialog

    saved = save_text_file(path, text, replace=replace, create_folder=create_folder)
    if saved.outcome is SaveOutcome.EXISTS:
        def answer(yes: bool | None) -> None:
            if yes:
                _save(app, path, text, replace=True, create_folder=create_folder)

        app.push_screen(ConfirmDialog(f"Replace {saved.path}?", "A file of that name is there already.",
                                      yes="Replace", no="Keep it"), answer)
        return
    if saved.outcome is SaveOutcome.NO_FOLDER:
        def create(yes: bool | None) -> None:
            if yes:
                _save(app, path, text, replace=replace, create_folder=True)

        app.push_screen(ConfirmDialog(f"Create the folder {saved.path.parent}?", saved.message,
                                      yes="Create it", no="Cancel"), create)
        return
    app.notify(for_markup(saved.message), severity="information" if saved.ok else "error", timeout=6)


def read_then(screen: Screen, path: str, then: Callable[[str], None]) -> None:
    """Read the text file ``path`` in a worker, then call ``then(text)``; a problem is told instead."""

    def done(text: str, problem: str | None) -> None:
        if problem:
            screen.notify(for_markup(problem), severity="error", timeout=8)
        else:
            then(text)

    def work() -> None:
        text, problem = read_text_file(path)
        screen.app.call_from_thread(done, text, problem)

    screen.run_worker(work, thread=True, group="read-file")
