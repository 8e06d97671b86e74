"""A table that draws the rows in view first and adds the rest between repaints.

Textual's ``DataTable`` measures every cell of every row it is given before it draws: two
thousand clients took half a second before the screen changed. ``LazyTable.fill`` adds the
rows that can be seen (and the cursor's) at once, and the rest a slice at a time after each
repaint, so a screen opens at once and keys keep working while the table fills in. Whatever
needs every row (the bottom, ``G``, a change to a few rows) calls :meth:`finish` first.

``widths(record)``, when given, says cheaply the text of the leading columns whose width
varies (a name, a label): every column it covers has its widest width from the start, since
columns that widened as rows came in pushed the last one (Why, on Today) off an 80-column
screen; and the width of these rows, not of the widest rows it ever held. (Making every row's
cells up front to measure them cost as much as drawing them.)

``fit_edge``: the columns in view end whole at the table's edge. The column the edge falls in
is cut there with "…" (its header and cells, by display width) when half of it at least (and
``EDGE_MIN`` cells) is in view, else the column before it widens to the edge: a header shown as its first letter (「최」
of 「최근 12주」, Audit in Korean at 80 columns) read as a word cut in half. Scrolled right, the
columns beyond are there as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text

from .visible import CutText, VisibleTable, cut, shown_width

Row = tuple[Sequence[Any], str]  # the cells and the row's key


class LazyTable(VisibleTable):
    FIRST_ROWS = 60  # when the terminal's height is not known yet: more than a 160x45 one shows
    SLICE_ROWS = 100  # rows added after each repaint: about 15 ms of measuring

    EDGE_MIN = 4  # the fewest cells of a column at the edge worth reading, cut with "…"

    def __init__(self, fit_edge: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.fit_edge = fit_edge
        self._edge: dict[Any, tuple[Text, bool, int]] = {}  # a column changed to fit: as it was
        self._records: Sequence[Any] = ()
        self._make: Callable[[Any], Row] = lambda record: record
        self._done = 0
        self._waiting = -1  # the fill that stopped out of sight, to go on when shown
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
        if widths is not None:  # as wide as these rows, not the widest it ever held (a past day's wide
            for column in self.ordered_columns:  # columns stayed, on every later day, and cut Why at 80)
                column.content_width = column.label.cell_len  # (the others widen as their rows come)
            texts = zip(*map(widths, records))
            for column, column_texts in zip(self.ordered_columns, texts):
                column.content_width = max(column.label.cell_len, max(map(shown_width, set(column_texts))))
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

    def resume(self) -> None:
        """Its screen back in view (the screen's ``ScreenResume``): the rest of the rows, a
        slice at a time after each repaint, as before it was left."""
        if self._waiting == self._filling and self.filling:
            self._waiting = -1
            self.call_after_refresh(self._more, self._filling)

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
        if self.is_attached and not self.screen.is_current:
            # out of sight (a screen made ahead, or left): the rest once it is shown. Added
            # meanwhile, they were measured only as the screen came back, all at once, before
            # its first frame: Clients at 1M took 350-400 ms where 190 had been.
            self._waiting = filling
            return
        self._add_up_to(self._done + self.SLICE_ROWS)
        if self.filling:
            self.call_after_refresh(self._more, filling)

    def _fit_edge(self) -> bool:
        """The columns in view end at the edge (see the module's docstring). Whether a width
        changed."""
        if not self.fit_edge:
            return False
        columns = self.ordered_columns
        widths = lambda: [(c.label.plain, c.auto_width, c.width) for c in columns]  # noqa: E731
        before = widths()
        for column in columns:  # as they were, then fitted afresh to the room there is now
            if column.key in self._edge:
                column.label, column.auto_width, column.width = self._edge.pop(column.key)
        room, start, pad = self.scrollable_content_region.width, 0, 2 * self.cell_padding
        for index, column in enumerate(columns):
            width = column.get_render_width(self)
            if start + width > room:
                break
            start += width
        else:  # every column in view, none to cut: one cut before is whole again (a wider screen)
            return before != widths()
        left = room - start
        if room > 0 and left > 0:
            if index == 0 or left - pad >= max(self.EDGE_MIN, (column.get_render_width(self) - pad + 1) // 2):
                self._edge[column.key] = (column.label, column.auto_width, column.width)
                column.auto_width, column.width = False, max(left - pad, 1)
                label = column.label.copy()
                cut(label, column.width)
                column.label = label
            else:
                previous = columns[index - 1]
                self._edge[previous.key] = (previous.label, previous.auto_width, previous.width)
                previous.width = previous.get_render_width(self) - pad + left
                previous.auto_width = False
        return before != widths()

    def _compute_row_renderables(self, row_index: int):
        """A row's cells as drawn: in the column cut at the edge, a cell wider than it ends in
        "…" as its header does (they read 「意向」 for 意向確認, as if whole). (Measured, it is
        as wide as ever: rows added meanwhile keep the column's true width for a wider screen.)"""
        found = super()._compute_row_renderables(row_index)
        if not self._edge or row_index < 0:
            return found
        cells = list(found.cells)
        for index, column in enumerate(self.ordered_columns[:len(cells)]):
            cell = cells[index]
            if column.key in self._edge and not column.auto_width and isinstance(cell, Text) \
                    and not isinstance(cell, CutText) and cell.cell_len > column.width and "\n" not in cell.plain:
                ends = CutText(cell.plain, style=cell.style, justify=cell.justify, overflow="ellipsis", no_wrap=True)
                ends.spans = list(cell.spans)
                cells[index] = ends
        return found._replace(cells=cells)

    def _update_dimensions(self, new_rows) -> None:
        super()._update_dimensions(new_rows)
        if self._fit_edge():
            super()._update_dimensions(())  # the table's width again, with the fitted columns
            self._clear_caches()

    def on_resize(self) -> None:
        if self._fit_edge():
            self._require_update_dimensions = True
            self._clear_caches()

    def watch_show_vertical_scrollbar(self) -> None:
        self.on_resize()  # the scrollbar came or went: the room with it

    # Textual's own keys down a row or a page: onto rows not added yet too (↓ held down, or typed
    # in a burst, as the table fills in stopped at the last row added so far: keys lost)
    def action_cursor_down(self) -> None:
        self.reach(self.cursor_row + 1)
        super().action_cursor_down()

    def action_page_down(self) -> None:
        self.reach(self.cursor_row + 1)  # (a screenful after it: a page)
        super().action_page_down()

    # Textual's own keys to the last row: to the last of all of them, not of those added so far
    def action_scroll_bottom(self) -> None:
        self.finish()
        super().action_scroll_bottom()

    def action_scroll_end(self) -> None:
        self.finish()
        super().action_scroll_end()  # (the last row: VisibleTable)
