"""The header inspector, a package: the widget, its tables and what it says about messages, hops and findings."""

from tui.widgets.inspector.content import format_delay, hop_notes, worst_severity
from tui.widgets.inspector.table import MessageTable, OriginsTable, PaneTable, TableRow, VirtualTable
from tui.widgets.inspector.widget import HeaderInspector

__all__ = [
    "HeaderInspector", "MessageTable", "OriginsTable", "PaneTable", "TableRow", "VirtualTable", "format_delay",
    "hop_notes", "worst_severity",
]
