"""A table that draws the rows in view first and adds the rest between repaints.

Textual's ``DataTable`` measures every cell of every row it is given before it draws: two
thousand clients took half a second before the screen changed. ``LazyTable.fill`` adds the
rows that can be seen (and the cursor's) at once, and the rest a slice at a time after each
repaint, so a screen opens at once and keys keep working while the table fills in. Whatever
needs every row (the bottom, ``G``, a change to a few rows) calls :meth:`finish` first.

``widths(record)``, when given, says cheaply the text of the leading columns whose width
varies (a name, a label): every column it covers has its widest width from the start, since
columns that widened as rows came in pushed the last one (Why, on Today) off an 80-column
screen. (Making every row's cells up front to measure them cost as much as drawing them.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len

from ...core.visible import visible
from .visible import VisibleTable

Row = tuple[Sequence[Any], str]  # the cells and the row's key


class LazyTable(VisibleTable):
    FIRST_ROWS = 60  # when the terminal's height is not known yet: more than a 160x45 one shows
    SLICE_ROWS = 100  # rows added after each repaint: about 15 ms of measuring

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._records: Sequence[Any] = ()
        self._make: Callable[[Any], Row] = lambda record: record
        self._done = 0
        self._filling = 0  # which fill is going on: a newer one (or a clear) stops an older one

    @property
    def first_rows(self) -> int:
        """How many rows can be in view at most: the terminal's height (a table on a screen
        with others, as the Weekly review's three, shows fewer still)."""
        height = self.app.size.height if self.is_attached else 0
        return height if height > 0 else self.FIRST_ROWS

    @property
    def filling(self) -> bool:
        """Whether rows are still to be added."""
        return self._done < len(self._records)

    def fill(self, records: Sequence[Any], make: Callable[[Any], Row], cursor: int = 0,
             widths: Callable[[Any], Sequence[str]] | None = None,
             key: Callable[[Any], str] | None = None) -> None:
        """The rows of these records (``make(record)``: its cells and key), in order; the
        cursor on row ``cursor``; ``widths``: see the module's docstring. ``key(record)``, when
        given (the key ``make`` gives it): the cursor stays on the record it was on, wherever
        it went (a client registered above it, an undo, a change read from the log), and goes
        to row ``cursor`` only when that record left the list (the row now at its place)."""
        if key is not None and self.row_count:
            was = self.cursor_key()
            cursor = next((n for n, record in enumerate(records) if key(record) == was), cursor)
        self.clear()
        if widths is not None and records:
            texts = zip(*map(widths, records))
            for column, column_texts in zip(self.ordered_columns, texts):
                column.content_width = max(column.content_width, max(cell_len(visible(t, lines=False)) for t in column_texts))
        self._records, self._make = records, make
        self._add_up_to(cursor + self.first_rows)
        if records:
            self.move_cursor(row=min(max(cursor, 0), len(records) - 1))
        if self.filling:
            self.call_after_refresh(self._more, self._filling)

    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None: no row)."""
        if not (0 <= self.cursor_row < self.row_count):
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def reach(self, row: int) -> None:
        """The rows up to this one and a screenful after it, now (to put the cursor there)."""
        self._add_up_to(row + self.first_rows)

    def finish(self) -> None:
        """Every row, now."""
        self._add_up_to(len(self._records))

    def clear(self, columns: bool = False) -> "LazyTable":
        self._filling += 1
        self._records, self._done = (), 0
        super().clear(columns)
        return self

    def _add_up_to(self, count: int) -> None:
        make = self._make
        for record in self._records[self._done:count]:
            cells, key = make(record)
            self.add_row(*cells, key=key)
        self._done = max(self._done, min(count, len(self._records)))

    def _more(self, filling: int) -> None:
        if filling != self._filling:
            return  # filled afresh or cleared since
        self._add_up_to(self._done + self.SLICE_ROWS)
        if self.filling:
            self.call_after_refresh(self._more, filling)

    # Textual's own keys to the last row: to the last of all of them, not of those added so far
    def action_scroll_bottom(self) -> None:
        self.finish()
        super().action_scroll_bottom()

    def action_scroll_end(self) -> None:
        self.finish()
        super().action_scroll_end()
