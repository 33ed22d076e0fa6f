"""The footer of every screen: the way forward first, then the screen's keys, the focused box's, the app's.

Textual's Footer lists the focused widget's keys first, so at 80 columns the
step's own keys, "n Next" above all, fell off the right edge behind the
inspector's. This one orders them by what matters on a step, and lets the
screen word a key for the case at hand (``KeyFooter.describe``): the next
step's name is the workflow's, so a legacy MX Plan is never promised a ticket.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A Footer ordered by importance; a screen may word a key with ``describe_key(binding)``."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        screen = self.screen
        app = self.app
        rows = [(node, binding, enabled, tooltip)
                for node, binding, enabled, tooltip in screen.active_bindings.values() if binding.show]

        def rank(row) -> int:
            node, binding = row[0], row[1]
            if binding.action == "next":
                return 0
            if node is screen:
                return 1
            return 3 if node is app else 2

        rows.sort(key=rank)
        describe = getattr(screen, "describe_key", None)
        shown: set[str] = set()
        keys = []
        for node, binding, enabled, tooltip in rows:
            if binding.action in shown:
                continue
            shown.add(binding.action)
            description = describe(binding) if describe is not None else None
            keys.append(FooterKey(binding.key, app.get_key_display(binding), description or binding.description,
                                  binding.action, disabled=not enabled, tooltip=tooltip))
        self.styles.grid_size_columns = len(keys)
        for key in keys:
            yield key.data_bind(compact=Footer.compact)
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                yield FooterKey(binding.key, app.get_key_display(binding), binding.description, binding.action,
                                classes="-command-palette", disabled=not enabled,
                                tooltip=binding.tooltip or binding.description)

