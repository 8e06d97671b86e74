"""Clients: everyone on the caseload, filtered by state and by typing; register a new one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from ...core.caseload import ERASED
from ...core.per_client import PerClient
from ...core.status import ClientStatus, by_name, caseload_status, reading_key
from ..actions import ClientActions, client_bindings
from ..widgets import state_text
from ..widgets.boxes import LeavesOnEscape
from ..widgets.lazy_table import LazyTable
from ..widgets.visible import ID_CELLS, fit, fit_str
from .base import CaseloadScreen
from ..widgets.visible import ShownText as Text  # (user text: shown before Rich drops a BEL)
from ..widgets.header import Header
from ..widgets.footer import Footer

STATES = ["all", "active", "paused", "closed"]


class FilterInput(LeavesOnEscape):
    """The filter: Enter takes the focus back to the list at once, as the key is handled (the
    ``Submitted`` message it posts is handled later: ``/Emma Enter m`` in one burst typed the m
    into the filter); so does Escape (the filter stays)."""

    def leave(self) -> None:
        self.screen.set_focus(self.screen.query_one("#clients", DataTable))

    async def action_submit(self) -> None:
        self.leave()
        await super().action_submit()


class ClientsScreen(ClientActions, CaseloadScreen):
    CSS_PATH = "clients.tcss"
    TITLE_KEY = "screen.clients"
    BINDINGS = [
        *client_bindings(),
        Binding("slash", "focus_filter", "key.filter", id="clients.filter", show=False),  # (the filter says it)
        Binding("f", "cycle_state", "key.state", id="clients.state", show=False),  # (under ?: the footer fits)
        Binding("a", "app.register_client", "key.add_client", id="clients.add"),
        Binding("enter", "open_client", "key.open", id="clients.open", show=False),
    ]

    def __init__(self, statuses: PerClient[ClientStatus] | None = None) -> None:
        """``statuses``: every client's row, kept (the app's, worked out ahead); without it
        they are worked out at each drawing."""
        super().__init__()
        self.statuses = statuses
        self.rows: list[ClientStatus] = []
        self.state = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterInput(placeholder=self.words.t("clients.filter"), id="filter")
        table = LazyTable(id="clients", cursor_type="row", zebra_stripes=True, fit_edge=True)
        table.add_columns(*(self.words.t(c) for c in ("col.client", "col.id", "col.state", "col.plan", "col.channel",
                                            "col.last_contact", "col.next_due", "col.for", "col.days_since")))
        yield table
        yield Footer()

    def on_mount(self) -> None:
        # (Textual calls CaseloadScreen.on_mount as well, after this one: calling it here
        # too filled the table twice.)
        self.set_focus(self.query_one("#clients", DataTable))

    def show(self, journal) -> None:
        wanted = reading_key(self.query_one("#filter", Input).value)
        state = STATES[self.state]
        if self.statuses is not None:  # (only the clients changed since worked out again)
            everyone = by_name(self.statuses.all(journal.caseload, journal.today()))
        else:
            everyone = caseload_status(journal.caseload, journal.policy, journal.tz, journal.today(), journal.board)
        self.rows = [
            r for r in everyone
            if (state == "all" or r.state == state)
            and (not wanted or wanted in reading_key(r.name) or wanted in r.client.casefold()
                 or (r.reading and wanted in reading_key(r.reading))
                 or (r.state == ERASED and wanted in reading_key(self.words.name_of(r))))  # as it is shown
        ]
        shown = self.words.t("state.all") if state == "all" else self.words.word("state", state)
        self.sub_title = self.words.t("clients.showing", shown=len(self.rows), total=len(everyone), state=shown)
        table = self.query_one("#clients", LazyTable)
        today = journal.today()

        def row(r: ClientStatus):
            # from the client's side (their last session or reply), as status --json's last_from_them
            since = (today - r.last_from_them).days if r.last_from_them else None
            days = Text("—" if since is None else str(since), justify="right",
                        style="bold yellow" if r.quiet else "")  # gone quiet: the core's one definition
            return (fit(self.words.name_of(r)), fit(r.client, ID_CELLS), state_text(r.state, self.words), Text(self.words.word("plan", r.plan)), self.words.word("channel", r.channel),
                    self.words.short_day(r.last_contact, today), Text(self.words.short_day(r.next_due, today)),  # the year only when another's
                    self.words.word("label", r.next_reason) if r.next_reason else "", days), r.client

        table.fill(self.rows, row, cursor=table.cursor_row, key=lambda r: r.client, widths=lambda r: (fit_str(self.words.name_of(r)), fit_str(r.client, ID_CELLS)))  # the rows in view at once, the rest after

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # a key typed since changed it again: its own message draws the rows (a burst drew each text on the way)
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#clients", DataTable))

    def on_key(self, event) -> None:
        """Escape in the filter goes back to the list (the filter stays), as Enter does: j, g,
        ... typed next are keys again, not letters of the filter."""
        if event.key == "escape" and isinstance(self.focused, Input):
            event.stop()
            event.prevent_default()
            self.set_focus(self.query_one("#clients", DataTable))

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_cycle_state(self) -> None:
        self.state = (self.state + 1) % len(STATES)
        self.refresh_data()

    def select_client(self, client: str) -> None:
        """Every client shown (the filter and the state cleared), ``client`` selected."""
        self.query_one("#filter", Input).value = ""
        self.state = 0
        self.refresh_data()
        table = self.query_one("#clients", LazyTable)
        index = next((i for i, r in enumerate(self.rows) if r.client == client), None)
        if index is not None:
            table.reach(index)
            table.move_cursor(row=index)
        self.set_focus(table)

    def current_client(self) -> str | None:
        table = self.query_one("#clients", DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return None
        return self.rows[table.cursor_row].client

