"""Today: the due list. Overdue first, then today, then the coming week, dimmed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from ...core.policy import DueItem, due_counts, mine
from ..actions import ClientActions, client_bindings
from ..widgets.due_table import DueTable, say_why
from .base import CaseloadScreen
from ..widgets.header import Header
from ..widgets.footer import Footer

WEEK = 7
MINE, EVERYONE = "mine", "everyone"


class TodayScreen(ClientActions, CaseloadScreen):
    """The start screen: what to do this morning."""

    CSS_PATH = "today.tcss"
    TITLE_KEY = "screen.today"

    BINDINGS = [
        # w: whose items, mine or everyone's. One binding per state; the one shown says what the
        # key does (it said what was shown: "w Everyone" while everyone's were, and w showed mine)
        Binding("w", "whose('everyone')", "key.whose_everyone", id="today.whose_everyone",
                tooltip="tip.whose_mine"),  # (the tip says what is shown, and what the key does)
        Binding("w", "whose('mine')", "key.whose_mine", id="today.whose_mine",
                tooltip="tip.whose_everyone"),
        *client_bindings(),
        Binding("enter", "open_client", "key.open", id="today.open"),
    ]

    whose = reactive(EVERYONE, init=False)  # "mine" (the clients assigned to whoever records here) or everyone's
    """Whose items are shown: the screen lives as long as the app, and the choice with it."""

    def __init__(self) -> None:
        super().__init__()
        self.acting = False  # a form opened from a row of this list is on top
        self.items: list[DueItem] = []
        self.follow = False  # the last change was read from the log: the cursor stays with its client

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts")
        yield DueTable(id="due")
        yield Static(id="why", markup=False)  # the cursor row's reason whole, with what is off to the right
        yield Static(id="empty")
        yield Footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "whose":  # the binding to the other state is the one shown; none on a counselor's
            return parameters[0] != self.whose and not self.journal.store.partial  # view: all of it is theirs
        return True

    def action_whose(self, whose: str) -> None:
        self.whose = whose

    def watch_whose(self) -> None:
        self.refresh_bindings()  # the footer shows the key to the other one
        if self.seen >= 0:
            self.show(self.journal)

    def on_caseload_changed(self, message) -> None:
        self.follow = message.elsewhere
        super().on_caseload_changed(message)

    def action_client_action(self, what: str) -> None:
        self.acting = True  # a form for the cursor's row: what it records was done from here
        super().action_client_action(what)

    def on_screen_resume(self) -> None:
        # Back from another screen: whatever changed meanwhile (here or in another window),
        # the cursor stays with the client it was on (another row of theirs, else the next).
        # Back from a form opened on a row of this list: what it recorded was done here, and
        # the cursor goes on to the next row -- a snoozed row moved down the list and the
        # cursor went with it: z 1 Enter three times snoozed one client three times.
        self.follow, self.acting = not self.acting, False
        super().on_screen_resume()

    def last_contact(self, client: str):
        journal = self.journal
        facts = journal.caseload.get(client)
        if facts is None or facts.last_contact is None:
            return None
        return facts.last_contact.astimezone(journal.tz).date()

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
        table.show(self.items, today, self.last_contact, follow=self.follow)
        empty = self.query_one("#empty", Static)
        empty.update("" if self.items else self.words.t("today.empty_mine" if self.whose == MINE else "today.empty"))
        empty.display = not self.items  # (its padding took two lines from the list)
        self.say_why()

    def on_data_table_row_highlighted(self, event) -> None:
        self.say_why()

    def say_why(self) -> None:
        """Under the list, the cursor row's reason whole, its channel and the last contact: at 80
        columns the reason is cut (a Korean date first) and those two are off to the right."""
        item = self.current_item()
        say_why(self.query_one("#why", Static), self.words, item, self.journal.today(),
                self.last_contact(item.client) if item is not None else None)

    def current_item(self) -> DueItem | None:
        table = self.query_one("#due", DueTable)
        if not self.items or not (0 <= table.cursor_row < len(self.items)):
            return None
        return self.items[table.cursor_row]  # rows are in the order of the items

    def current_client(self) -> str | None:
        item = self.current_item()
        return item.client if item else None

