"""Today: the due list. Overdue first, then today, then the coming week, dimmed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from ...core.policy import DueItem, due_counts, mine
from ..actions import ClientActions, client_bindings
from ..widgets.due_table import DueTable
from .base import CaseloadScreen

WEEK = 7
MINE, EVERYONE = "mine", "everyone"


class TodayScreen(ClientActions, CaseloadScreen):
    """The start screen: what to do this morning."""

    CSS_PATH = "today.tcss"
    TITLE_KEY = "screen.today"

    BINDINGS = [
        # w: whose items, mine or everyone's. One binding per state, the current one shown.
        Binding("w", "whose('everyone')", "key.whose_mine", id="today.whose_everyone",
                tooltip="tip.whose_mine"),
        Binding("w", "whose('mine')", "key.whose_everyone", id="today.whose_mine",
                tooltip="tip.whose_everyone"),
        *client_bindings(),
        Binding("enter", "open_client", "key.open", id="today.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[DueItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts")
        yield DueTable(id="due")
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
            self.items = mine(self.items, journal.caseload, journal.actor)
        overdue, due_today, week = due_counts(self.items, today)
        self.sub_title = self.words.header_day(today)
        counts = Text.assemble(
            (f" {self.words.t('today.counts', overdue=overdue)} ", "bold reverse red" if overdue else ""), "  ",
            (self.words.t("today.due_today", n=due_today), "bold"), "  ",
            (self.words.t("today.later", n=week), "dim"),
        )
        self.query_one("#counts", Static).update(counts)
        table = self.query_one("#due", DueTable)
        table.show(self.items, today, self.app.last_contact,  # type: ignore[attr-defined]
                   follow=getattr(self.app, "changed_elsewhere", False))
        self.query_one("#empty", Static).update(
            "" if self.items else self.words.t("today.empty_mine" if self.whose == MINE else "today.empty"))

    def current_item(self) -> DueItem | None:
        table = self.query_one("#due", DueTable)
        if not self.items or not (0 <= table.cursor_row < len(self.items)):
            return None
        return self.items[table.cursor_row]  # rows are in the order of the items

    def current_client(self) -> str | None:
        item = self.current_item()
        return item.client if item else None

