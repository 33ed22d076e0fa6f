"""Step 5: the reply to the ticket, drafted from the answers, editable, copied, saved or posted to OVHcloud.

Copying goes two ways at once: pyperclip (works on a local desktop) and the
terminal's clipboard through OSC 52 (works over SSH when the terminal allows
it, but cannot confirm). The toast says exactly which was done; saving to a
file and a selectable view are always offered.
"""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TextArea

from tui.core import workflow
from tui.core.casereport import remediation_lines
from tui.core.reply import case_reply
from tui.core.sanitise import terminal_safe_lines
from tui.messages import AnalysisReady
from tui.screens.base import StepScreen


class ReplyScreen(StepScreen):
    """The draft on the left of everything: options line, then the text box."""

    STEP = "reply"
    # The text box would swallow the letter keys: it is entered with tab, on purpose.
    AUTO_FOCUS = ""
    HELP = ("Step 5. This is the reply to the ticket, written from your answers. Press tab to edit it "
            "(escape leaves the text box). l switches English/French, e and r add or remove the evidence "
            "and what you have done, g writes the draft again from your answers. c copies it, w saves it to "
            "a file, v shows it as selectable text. Paste it as your reply to the ticket in the "
            "OVHcloud Control Panel (My support tickets), or, connected, press p to post it: the exact "
            "text is shown before anything is sent.")
    BINDINGS = [
        Binding("c", "copy", "Copy", id="reply.copy", tooltip="Copy the reply (system and terminal clipboard)"),
        Binding("w", "save", "Save to file", id="reply.save", tooltip="Write the reply to a text file"),
        Binding("v", "view", "View", id="reply.view", tooltip="Show the reply as selectable text"),
        Binding("l", "language", "EN/FR", id="reply.language", tooltip="Write the reply in English or French"),
        Binding("e", "toggle_evidence", "Evidence", id="reply.evidence",
                tooltip="Include or leave out what the headers show"),
        Binding("r", "toggle_remediation", "Done so far", id="reply.remediation",
                tooltip="Include or leave out the remediation you have done"),
        Binding("g", "regenerate", "Redraft", id="reply.redraft", tooltip="Write the draft again from your answers"),
        Binding("n", "next", "Next step", id="reply.next", tooltip="Go on to the next step"),
        Binding("p", "post", "Post to OVHcloud", id="reply.post",
                tooltip="Post this reply to the ticket at OVHcloud (shows exactly what will be sent, asks first)"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="reply-options", classes="panel-text")
        yield TextArea("", id="reply-text", soft_wrap=True)

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one("#reply-options", Static)
        if not workflow.has_ticket(self.case):
            options.update(Text(
                "MX Plan (legacy) has no ticket: there is nothing to reply to. Changing the password "
                "unblocks the address; press n for that step.", style="bold"))
            self.query_one(TextArea).display = False
            return
        if missing := self.case.missing_answers():
            options.update(Text(
                f"The reply can be written once all three questions are answered (missing: "
                f"{', '.join(map(str, missing))}). The address is not unblocked automatically: OVHcloud needs all "
                "three answers. Press F4 or escape to answer them.", style="bold"))
            self.query_one(TextArea).display = False
            return
        if self.case.reply_text:
            self._show_reply(self.case.reply_text)
            return
        messages = self.app.analysed_messages()
        if messages is None:
            options.update(Text("Reading the evidence for the draft…", style="italic"))
            self.query_one(TextArea).display = False
        else:
            self._first_draft(messages)

    def on_analysis_ready(self, event: AnalysisReady) -> None:
        if not self.query_one(TextArea).display and workflow.has_ticket(self.case) and self.case.all_answered():
            self._first_draft(event.messages)

    def _first_draft(self, messages) -> None:
        area = self._load(self._draft(messages))
        self.case.set_reply(area.text)
        self._show_options()

    def _show_reply(self, text: str) -> None:
        self._load(text)
        self._show_options()

    def _load(self, text: str) -> TextArea:
        area = self.query_one(TextArea)
        area.display = True
        # Header text is data: a control character in it must never reach the terminal.
        area.load_text(terminal_safe_lines(text))
        return area

    def _draft(self, messages) -> str:
        return case_reply(self.case, messages)

    def _show_options(self) -> None:
        case = self.case
        text = Text()
        text.append("Language: ")
        text.append("English" if case.reply_language == "en" else "Français", style="bold")
        text.append(" (l)   Evidence: ")
        text.append("included" if case.reply_include_evidence else "left out", style="bold")
        text.append(" (e)   What you did: ")
        text.append("included" if case.reply_include_remediation else "left out", style="bold")
        text.append(" (r)")
        text.append("\ntab edits the text; escape leaves it. c copy  w save  v view", style="dim")
        if workflow.needs_remediation(case) and not workflow.secured(case):
            text.append("\nResolve the root cause first, as OVHcloud asks: scan every device and update every "
                        "program that holds the password (F5). The reply then says what you did.", style="bold")
        if case.reply_include_remediation and case.reply_text:
            done = remediation_lines(case, case.reply_language)
            if any(line not in case.reply_text for line in done):
                text.append("\nYou have done more since this draft: press g to write it again.", style="bold")
        self.query_one("#reply-options", Static).update(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text != (self.case.reply_text or ""):
            self.case.set_reply(event.text_area.text)

    def _redraft(self) -> None:
        messages = self.app.analysed_messages()
        if messages is None:
            self.notify("The samples are still being analysed: redraft once that is done.", severity="warning")
            return
        area = self.query_one(TextArea)
        area.load_text(self._draft(messages))
        self.case.set_reply(area.text)
        self._show_options()

    def _ready(self) -> bool:
        if not self.query_one(TextArea).display:
            self.notify("There is no reply yet.", severity="warning")
            return False
        return True

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea):
            self.set_focus(None)
            return
        super().action_back()

    def action_language(self) -> None:
        if self._ready():
            self.case.set_reply_options(language="fr" if self.case.reply_language == "en" else "en")
            self._redraft()

    def action_toggle_evidence(self) -> None:
        if self._ready():
            self.case.set_reply_options(include_evidence=not self.case.reply_include_evidence)
            self._redraft()

    def action_toggle_remediation(self) -> None:
        if self._ready():
            self.case.set_reply_options(include_remediation=not self.case.reply_include_remediation)
            self._redraft()

    def action_regenerate(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if not self._ready():
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._redraft()
                self.notify("Drafted again from your answers.")

        self.app.push_screen(ConfirmDialog("Write the draft again from your answers?",
                                           "Your edits to the text will be replaced."), done)

    def action_copy(self) -> None:
        if not self._ready():
            return
        text = self.query_one(TextArea).text
        self.notify(copy_text(self.app, text), timeout=8)

    def action_save(self) -> None:
        from tui.screens.files import ask_and_save

        if self._ready():
            ask_and_save(self.app, "Save the reply to:", "reply", self.case.address, self.query_one(TextArea).text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "post":
            account = self.case.ovh_account if self.case is not None else None
            return bool(account and account.get("ticket_id") and self.app.ovh_connection is not None)
        return super().check_action(action, parameters)

    def action_post(self) -> None:
        from tui.core.clock import local_time
        from tui.screens.dialogs import ConfirmDialog, ConfirmTextDialog

        if not self._ready():
            return
        if missing := self.case.missing_answers():
            self.notify(f"Answer question {' and '.join(map(str, missing))} first.", severity="warning")
            return
        text = self.query_one(TextArea).text
        account = self.case.ovh_account
        ticket = account.get("ticket_number") or account.get("ticket_id")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.post_reply(text)
                self.notify("Posting the reply…")

        detail = (f"For the address {account.get('email')}. This exact text is sent as your answer to the ticket; "
                  "support reads it and decides.")
        if workflow.needs_remediation(self.case) and not workflow.secured(self.case):
            detail += (" The account is not secured yet (F5): OVHcloud asks that the cause be resolved first, "
                       "and may keep sending blocked until it is.")

        def ask() -> None:
            self.app.push_screen(ConfirmTextDialog(
                f"Post this reply to ticket {ticket} at OVHcloud?", detail, text, yes="Post it"), confirmed)

        if self.case.posted_replies:
            last = self.case.posted_replies[-1]

            def again(yes: bool | None) -> None:
                if yes:
                    ask()

            self.app.push_screen(ConfirmDialog(
                "A reply was already posted to this ticket. Post another one?",
                f"Posted {local_time(last.get('posted_at'))}. Post again only to add something support "
                "asked for: a second copy of the same answers slows the ticket down.",
                yes="Post another", no="No"), again)
            return
        ask()

    def action_view(self) -> None:
        from tui.screens.dialogs import TextViewer

        if self._ready():
            self.app.push_screen(TextViewer("The reply (select and copy with your terminal)",
                                            self.query_one(TextArea).text))


def copy_text(app, text: str) -> str:
    """Copy ``text`` every way that may work, and say exactly what was done."""
    done = []
    copier = getattr(app, "system_clipboard", None)
    if copier is None:
        copier = _pyperclip_copy
    try:
        if copier(text):
            done.append("copied to the system clipboard")
    except Exception:  # pyperclip raises its own errors when no clipboard tool exists (SSH, no display)
        pass
    app.copy_to_clipboard(text)
    done.append("sent to the terminal clipboard (OSC 52: works if your terminal allows it)")
    return "Reply " + " and ".join(done) + ". If it does not paste, save it with w or select it with v."


def _pyperclip_copy(text: str) -> bool:
    import pyperclip

    pyperclip.copy(text)
    return True
