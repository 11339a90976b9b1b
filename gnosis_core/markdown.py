"""Text from the data (task names, sources, folders) placed in Markdown tables and prose, where a
``|`` would end a table cell and ``<b>`` would be rendered as HTML."""
from __future__ import annotations

import html


def cell(text, code: bool = False) -> str:
    """``text`` as it reads, safe in a table cell: one line, ``|`` escaped; outside a code span
    also the HTML special characters (inside one they show as typed: only the backtick goes)."""
    flat = " ".join(str(text).split())
    if code:
        return "`" + flat.replace("`", "'").replace("|", "\\|") + "`"
    return html.escape(flat, quote=False).replace("|", "\\|")
