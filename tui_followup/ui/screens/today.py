"""Today: the due list. Overdue first, then today, then the coming week, dimmed."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ...core.policy import DueItem
from ...i18n import due_for_text, header_day, short_day, t, why_text, word
from ..actions import ClientActions, client_bindings
from .base import CaseloadScreen

WEEK = 7
MINE, EVERYONE = "mine", "everyone"


def due_counts(items: list[DueItem], today: date) -> tuple[int, int, int]:
    overdue = sum(1 for i in items if i.due < today)
    due_today = sum(1 for i in items if i.due == today)
    return overdue, due_today, len(items) - overdue - due_today


def row_keys(items: list[DueItem]) -> list[str]:
    """A unique key per row (two promises of one client may fall due the same day)."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        base = f"{item.client}|{item.reason}|{item.due.isoformat()}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}|{seen[base]}")
    return keys


# What a narrow terminal must keep comes first (who, what, when, how late); Why, the long one, is last.
DUE_COLUMNS = ("col.client", "col.due_for", "col.due", "col.overdue", "col.channel", "col.last_contact", "col.why")


class Cell(Text):
    """A table cell that knows where its row belongs (the due list's order)."""

    order: tuple = ()


INCREMENTAL_LIMIT = 40  # more changed rows than this: rebuild the table


def _cells(item: DueItem, today: date, last_contact, extra, order: tuple) -> list[Text]:
    overdue = item.overdue_days(today)
    style = "" if item.due <= today else "dim"
    when = t("word.today") if item.due == today else short_day(item.due, today)
    first = Cell(item.name, style=style + (" bold" if item.due <= today else ""))
    first.order = order
    return [
        first,
        Text(due_for_text(item), style=style),  # "1m · missed 24h, 1w"
        *(extra(item) if extra else ()),  # what a view adds (was it done?) comes after the label
        Text(when, style=style),
        Text(t("word.days", n=overdue) if overdue else "", style="bold red" if overdue else "", justify="right"),
        Text(word("channel", item.channel), style=style),
        Text(short_day(last_contact(item.client), today), style=style),
        Text(why_text(item, leave_out=("missed",)), style=style),
    ]


def fill_due_table(table: DataTable, items: list[DueItem], today: date, last_contact, extra=None) -> None:
    """One row per due item, in the items' order, keeping the cursor on the same item.

    After a single event only that client's rows change: they are removed, added or updated
    and the rows re-sorted, instead of rebuilding a table of a thousand rows.
    """
    keys = row_keys(items)
    cursor_key = None
    if table.row_count:
        try:
            cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - an empty or shrinking table
            cursor_key = None
    index = table.cursor_row
    previous: dict[str, tuple] = getattr(table, "followup_rows", {})
    current = {key: (item, today, last_contact(item.client)) for key, item in zip(keys, items)}
    removed = [k for k in previous if k not in current]
    added = [k for k in current if k not in previous]
    changed = [k for k in current if k in previous and previous[k] != current[k]]
    order = {key: position for position, key in enumerate(keys)}
    if not previous or len(removed) + len(added) + len(changed) > INCREMENTAL_LIMIT or extra is not None:
        table.clear()
        for item, key in zip(items, keys):
            table.add_row(*_cells(item, today, last_contact, extra, (order[key],)), key=key)
    else:
        for key in removed:
            table.remove_row(key)
        for key in changed:
            table.remove_row(key)
        positions = {key: (order[key],) for key in keys}
        for key in added + changed:
            table.add_row(*_cells(current[key][0], today, last_contact, extra, positions[key]), key=key)
        first_column = table.ordered_columns[0].key
        for row_key in list(table.rows):
            table.get_cell(row_key, first_column).order = positions[row_key.value]
        table.sort(key=lambda values: values[0].order)
    table.followup_rows = current  # type: ignore[attr-defined]
    if not items:
        return
    if cursor_key in keys:
        target = keys.index(cursor_key)
    else:  # the row went (done, snoozed): the next due row after it, not whatever slid into its place
        before = list(previous)
        following = before[before.index(cursor_key) + 1:] if cursor_key in before else []
        target = next((keys.index(k) for k in following if k in keys), min(index, len(keys) - 1))
    table.move_cursor(row=max(0, target))


class TodayScreen(ClientActions, CaseloadScreen):
    """The start screen: what to do this morning."""

    CSS_PATH = "today.tcss"
    TITLE_KEY = "screen.today"

    @staticmethod
    def bindings() -> list[Binding]:
        return [
            # w: whose items, mine or everyone's. One binding per state, the current one shown.
            Binding("w", "whose('everyone')", t("key.whose_mine"), id="today.whose_everyone",
                    tooltip=t("tip.whose_mine")),
            Binding("w", "whose('mine')", t("key.whose_everyone"), id="today.whose_mine",
                    tooltip=t("tip.whose_everyone")),
            *client_bindings(),
            Binding("enter", "open_client", t("key.open"), id="today.open"),
        ]

    BINDINGS = bindings()

    def __init__(self) -> None:
        super().__init__()
        self.items: list[DueItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts")
        table: DataTable = DataTable(id="due", cursor_type="row", zebra_stripes=True)
        table.add_columns(*(t(c) for c in DUE_COLUMNS))
        yield table
        yield Static(id="empty")
        yield Footer()

    @property
    def whose(self) -> str:
        """Whose items are shown, "mine" or "everyone": the app's, so it lasts while the app runs."""
        return getattr(self.app, "whose", EVERYONE)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "whose":
            return parameters[0] != self.whose  # the binding to the other state is the one shown
        return True

    def action_whose(self, whose: str) -> None:
        self.app.whose = whose  # type: ignore[attr-defined]
        self.refresh_bindings()
        self.show(self.journal)

    def show(self, journal) -> None:
        today = journal.today()
        self.items = journal.board.due(today, WEEK)
        if self.whose == MINE:  # the items of the clients assigned to whoever records here
            self.items = [i for i in self.items if (f := journal.client(i.client)) is not None
                          and f.owner == journal.actor]
        overdue, due_today, week = due_counts(self.items, today)
        self.sub_title = header_day(today)
        counts = Text.assemble(
            (f" {t('today.counts', overdue=overdue)} ", "bold reverse red" if overdue else ""), "  ",
            (t("today.due_today", n=due_today), "bold"), "  ",
            (t("today.later", n=week), "dim"),
        )
        self.query_one("#counts", Static).update(counts)
        table = self.query_one("#due", DataTable)
        fill_due_table(table, self.items, today, self.app.last_contact)  # type: ignore[attr-defined]
        self.query_one("#empty", Static).update(
            "" if self.items else t("today.empty_mine" if self.whose == MINE else "today.empty"))

    def current_item(self) -> DueItem | None:
        table = self.query_one("#due", DataTable)
        if not self.items or not (0 <= table.cursor_row < len(self.items)):
            return None
        return self.items[table.cursor_row]  # rows are in the order of the items

    def current_client(self) -> str | None:
        item = self.current_item()
        return item.client if item else None

