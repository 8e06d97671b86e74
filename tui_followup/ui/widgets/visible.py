"""User text painted by the app with its control characters shown, never sent to the terminal.

Textual and Rich paint a cell, a title or a toast as they are given it: a client's name holding
``ESC ] 52`` wrote the user's clipboard, ``ESC [ 2 J`` cleared the screen. Every widget that
shows user text takes it through :func:`shown` (``core.visible``); the tables do it for every
cell (:class:`VisibleTable`), the app for every toast (``FollowupApp.notify``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Span, Text
from textual.widgets import DataTable

from ...core.visible import visible


def shown(value: Any, lines: bool = True) -> Any:
    """A str or a Rich ``Text`` with its control characters made visible (``lines``: newlines and
    tabs kept; without, shown too, for one line). A ``Text`` is changed in place (its class and
    attributes stay: a due table's cell knows its order), its styles moved with the characters."""
    if isinstance(value, str):
        return visible(value, lines)
    if not isinstance(value, Text):
        return value
    plain = value.plain
    out = visible(plain, lines)
    if out == plain:
        return value
    ends = [0]
    for ch in plain:  # where each character of the old text ends in the new one
        ends.append(ends[-1] + len(visible(ch, lines)))
    spans = [Span(ends[s.start], ends[s.end], s.style) for s in value.spans]
    value.plain = out
    value.spans[:] = spans
    return value


class VisibleTable(DataTable):
    """A DataTable whose every cell is shown on one line, control characters visible."""

    def add_row(self, *cells: Any, **kw: Any) -> Any:
        return super().add_row(*(shown(cell, lines=False) for cell in cells), **kw)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kw: Any) -> None:
        super().update_cell(row_key, column_key, shown(value, lines=False), **kw)

    def update_cell_at(self, coordinate: Any, value: Any, **kw: Any) -> None:
        super().update_cell_at(coordinate, shown(value, lines=False), **kw)
