"""The due list as a widget: Today's and Past day's table, owning its rows and its order."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from ...core.policy import DueItem
from .lazy_table import LazyTable
from .visible import ShownText as Text  # (user text: shown before Rich drops a BEL)
from .visible import CutText, KeptTogether, fit, fit_str


def row_keys(items: list[DueItem]) -> list[str]:
    """A unique key per row (two promises of one client may fall due the same day)."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        base = f"{item.client}|{item.reason}|{item.due.isoformat()}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}|{seen[base]}")
    return keys


# What a narrow terminal must keep comes first (who, what, when, how late, why); the channel and
# the last contact, short and on the client's screen too, last: at 80 columns Why is read whole
# (it came last and showed five characters while Last contact kept twelve).
DUE_COLUMNS = ("col.client", "col.due_for", "col.due", "col.overdue", "col.why", "col.channel", "col.last_contact")


class Cell(CutText):
    """A table cell that knows where its row belongs (the due list's order)."""

    __slots__ = ("order",)

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.order: tuple = ()


INCREMENTAL_LIMIT = 40  # more changed rows than this: rebuild the table


def _cells(item: DueItem, name: str, today: date, last_contact, extra, order: tuple, words, say_today: bool = True) -> list[Text]:
    overdue = item.overdue_days(today)
    style = "" if item.due <= today else "dim"
    when = words.t("word.today") if item.due == today and say_today else words.short_day(item.due, today)
    first = fit(Cell(name, style=style + (" bold" if item.due <= today else ""),
                     no_wrap=True, overflow="ellipsis"))  # cut with "…" (to its column, when Why needs the room)
    first.order = order
    return [
        first,
        Text(words.due_for_text(item), style=style),  # "1m · missed 24h, 1w"
        *(extra(item) if extra else ()),  # what a view adds (was it done?) comes after the label
        Text(when, style=style),
        Text(words.t("word.days", n=overdue) if overdue else "", style="bold red" if overdue else "", justify="right"),
        CutText(words.why_text(item, leave_out=("missed",)), style=style, no_wrap=True, overflow="ellipsis"),  # cut with …
        Text(words.word("channel", item.channel), style=style),
        Text(words.short_day(last_contact(item.client), today), style=style),
    ]


def why_line(words, item: DueItem, today: date, contact: date | None) -> str:
    """Under a due list, the cursor row's reason whole, its channel and the last contact (Today
    and Past day): at 80 columns the reason is cut (a Korean date first) and those two are off
    to the right."""
    parts = [words.why_text(item), words.word("channel", item.channel)]
    if contact is not None:
        parts.append(f"{words.t('col.last_contact')} {words.short_day(contact, today)}")
    return "  ·  ".join(parts)


def say_why(line: Static, words, item: DueItem | None, today: date, contact: date | None) -> None:
    """The reason line under a due list (Today's, Past day's): the cursor row's, or hidden
    when no row has the cursor."""
    line.display = item is not None  # (wrapped as wrap_kept does: a Korean date, 「12월 5일」, kept whole)
    line.update("" if item is None else KeptTogether(why_line(words, item, today, contact)))


def _same_client(key: str, keys: list[str]) -> int | None:
    """The row of the client of ``key`` (``client|reason|due``): its item first, else its first row."""
    client, reason = key.split("|")[:2]
    parts = [k.split("|") for k in keys]
    for wanted in ([client, reason], [client]):
        found = next((i for i, k in enumerate(parts) if k[:len(wanted)] == wanted), None)
        if found is not None:
            return found
    return None


class DueTable(LazyTable):
    """The due list as a table: one row per item, in the items' order, its own rows remembered
    so that after one event only that client's rows move. ``extra_column``: a column a view
    adds after "Due for" (Past day's "Done")."""

    DEFAULT_CSS = "DueTable > .datatable--header { text-style: bold; }"

    def __init__(self, extra_column: str | None = None, say_today: bool = True, **kw) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self.extra_column = extra_column
        self.say_today = say_today  # False on a past day's table: its day is not today
        self.shown_rows: dict[str, tuple] = {}

    WHY_MIN = 12  # narrower than this, Why keeps its width and the table scrolls sideways
    NAME_MIN = 16  # the Client column gives way to Why down to this (a longer name ends in "…")

    def _names_in_view(self, name) -> int:
        """The widest of the names on the rows in view (and the column's label)."""
        top = int(self.scroll_y)
        rows = range(top, min(self.row_count, top + max(self.scrollable_content_region.height, 1)))
        cells = (self.get_row_at(i)[0] for i in rows)
        return max([name.label.cell_len, *(cell.cell_len for cell in cells if hasattr(cell, "cell_len"))])

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if int(old_value) != int(new_value) and self._fit_why():  # other names in view
            self._require_update_dimensions = True
            self._clear_caches()

    def on_mount(self) -> None:
        labels = [self.app.words.t(c) for c in DUE_COLUMNS]
        if self.extra_column:
            labels.insert(2, self.app.words.t(self.extra_column))
        self.why_index = labels.index(self.app.words.t("col.why"))
        self.add_columns(*labels)

    def _fit_why(self) -> bool:
        """Why first in width: when the whole reason does not fit, Why takes what the columns
        before it leave, to the table's edge, and a longer reason ends in "…" (it was cut at
        the screen's edge); Channel and Last contact come after it, out of view. Whether its
        width changed."""
        room = self.scrollable_content_region.width
        columns = self.ordered_columns
        if room <= 0 or len(columns) <= self.why_index:
            return False
        why, name = columns[self.why_index], columns[0]
        before = (name.auto_width, name.width)
        # the Client column as wide as the names in view (a 264-character name further down, off
        # screen, left it 26 wide and Why 22 at 80 columns), and narrower still, down to
        # NAME_MIN, when Why lacks the room: Why comes first, a longer name ends in "…"
        widest = self._names_in_view(name)
        others = sum(c.get_render_width(self) for c in columns[1:self.why_index]) + 4 * self.cell_padding
        lacking = why.content_width - (room - others - widest)
        if lacking > 0:
            widest = max(min(widest, self.NAME_MIN), widest - lacking)
        name.auto_width, name.width = False, widest
        changed = (name.auto_width, name.width) != before
        space = room - sum(c.get_render_width(self) for c in columns[:self.why_index]) - 2 * self.cell_padding
        fits = why.content_width <= space or space < self.WHY_MIN
        before = (why.auto_width, why.width)
        if fits:
            why.auto_width = True
        else:
            why.auto_width, why.width = False, space
        return changed or (why.auto_width, why.width) != before

    def _update_dimensions(self, new_rows) -> None:
        super()._update_dimensions(new_rows)
        if self._fit_why():
            super()._update_dimensions(())  # the table's width again, with Why's
            self._clear_caches()

    def on_resize(self) -> None:
        if self._fit_why():
            self._require_update_dimensions = True
            self._clear_caches()

    def show(self, items: list[DueItem], today: date, last_contact, extra=None, follow: bool = False) -> None:
        fill_due_table(self, items, today, last_contact, extra, follow)


def fill_due_table(table: "DueTable", items: list[DueItem], today: date, last_contact, extra=None,
                   follow: bool = False) -> None:
    """One row per due item, in the items' order, keeping the cursor on the same item.
    ``follow``: the change came from elsewhere (another window, the command line): a row that
    moved (another due date) keeps the cursor, or else another row of the same client; after
    a change made here the cursor goes on to the next row (the one done is gone).

    After a single event only that client's rows change: they are removed, added or updated
    and the rows re-sorted, instead of rebuilding a table of a thousand rows.
    """
    words = table.app.words
    caseload = table.app.journal.caseload  # (today's: a client erased since is named as erased)

    def name(item: DueItem) -> str:
        return words.name_in(caseload, item.client, item.name)

    keys = row_keys(items)
    cursor_key = None
    if table.row_count:
        try:
            cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or shrinking table
            cursor_key = None
    index = table.cursor_row
    previous: dict[str, tuple] = table.shown_rows
    current = {key: (item, today, last_contact(item.client)) for key, item in zip(keys, items)}
    removed = [k for k in previous if k not in current]
    added = [k for k in current if k not in previous]
    changed = [k for k in current if k in previous and previous[k] != current[k]]
    order = {key: position for position, key in enumerate(keys)}
    if (not previous or len(removed) + len(added) + len(changed) > INCREMENTAL_LIMIT or extra is not None
            or table.filling):  # (a table still filling in is filled afresh: as quick, the rows in view first)
        table.fill(list(zip(items, keys)),  # the rows in view at once, the rest after
                   lambda pair: (_cells(pair[0], name(pair[0]), today, last_contact, extra, (order[pair[1]],), words, table.say_today), pair[1]),
                   widths=lambda pair: (fit_str(name(pair[0])), words.due_for_text(pair[0]),  # the columns that vary
                                        *([extra(pair[0])[0].plain] if extra is not None else [])))
    else:
        for key in removed:
            table.remove_row(key)
        for key in changed:
            table.remove_row(key)
        positions = {key: (order[key],) for key in keys}
        for key in added + changed:
            table.add_row(*_cells(current[key][0], name(current[key][0]), today, last_contact, extra, positions[key], words, table.say_today), key=key)
        first_column = table.ordered_columns[0].key
        for row_key in list(table.rows):
            table.get_cell(row_key, first_column).order = positions[row_key.value]
        table.sort(key=lambda values: values[0].order)
    table.shown_rows = current
    if not items:
        return
    same = _same_client(cursor_key, keys) if follow and cursor_key is not None and cursor_key not in order else None
    if cursor_key in order:
        target = order[cursor_key]
    elif same is not None:
        target = same
    else:  # the row went (done, snoozed): the next due row after it, not whatever slid into its place
        before = list(previous)  # (looked up by key: searching the list for each of a past day's
        following = before[before.index(cursor_key) + 1:] if cursor_key in previous else []  # 1,200 rows: 15 ms)
        target = next((order[k] for k in following if k in order), min(index, len(keys) - 1))
    table.reach(target)
    table.move_cursor(row=max(0, target))


