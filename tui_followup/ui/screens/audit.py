"""Audit: contact rhythm, timeliness and flags per client, sortable; the selected client's
contacts per week as a sparkline, so rhythm is seen, not read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Sparkline, Static

from ...core.audit import ClientAudit
from ...core.status import name_order
from ..ahead import Ahead
from ..actions import ClientActions
from ..widgets import bars
from ..widgets.lazy_table import LazyTable
from ..widgets.visible import KeptTogether, fit, fit_str
from .base import CaseloadScreen
from ..widgets.visible import ShownText as Text  # (user text: shown before Rich drops a BEL)
from ..widgets.header import Header
from ..widgets.footer import Footer

SORTS = [  # each sort's own order; its ties go by name as Clients has them (by the reading: ``show``)
    ("sort.name", lambda a: ()),
    ("sort.flags", lambda a: (-len(a.flags),)),
    ("sort.on_time", lambda a: (a.on_time_share if a.on_time_share is not None else 2,)),
    ("sort.median_gap", lambda a: (-(a.median_interval_days or 0),)),
    ("sort.contacts", lambda a: (-a.contacts,)),
    ("sort.owner", lambda a: (a.owner,)),  # the audit grouped by counselor
]
# The columns a narrow terminal must keep come first: who, on time, flags (80x24 keeps them).
COLUMNS = ("col.client", "col.on_time", "col.flags", "col.state", "col.contacts", "col.sessions", "col.median_gap",
           "col.first_follow_up", "col.weeks", "col.owner")
SORT_BY_COLUMN = {"col.client": 0, "col.flags": 1, "col.on_time": 2, "col.median_gap": 3, "col.contacts": 4,
                  "col.owner": 5}


def _num(x) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


class AuditScreen(ClientActions, CaseloadScreen):
    CSS_PATH = "audit.tcss"
    TITLE_KEY = "screen.audit"
    BINDINGS = [Binding("o", "cycle_sort", "key.sort", id="audit.sort"),
                Binding("enter", "open_client", "key.open", id="audit.open")]

    def __init__(self, ahead: Ahead) -> None:
        """``ahead``: every client's audit row, worked out ahead and kept (the app's)."""
        super().__init__()
        self.ahead = ahead
        self.rows: list[ClientAudit] = []
        self.sort_index = 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        table = LazyTable(id="audit", cursor_type="row", zebra_stripes=True, fit_edge=True)
        table.add_columns(*(self.words.t(c) for c in COLUMNS))
        yield table
        yield Static(id="chart-title")
        yield Sparkline([], id="chart")
        yield Footer()

    def show(self, journal) -> None:
        today = journal.today()
        if not self.worked_out(self.ahead.audits, today):
            return  # drawn when it is
        report = self.ahead.audit(today)  # kept per client
        name, first = SORTS[self.sort_index]

        def key(a: ClientAudit, caseload=journal.caseload):  # then by the reading when there is one, as
            facts = caseload.get(a.client)  # Clients (in kana order, any case): 中村 (ナカムラ) after 青木 (アオキ)
            return *first(a), name_order(a.name, facts.reading if facts else ""), a.client
        self.rows = sorted(report.clients, key=key)
        self.sub_title = self.words.t("audit.sorted", day=self.words.long_day(today), by=self.words.t(name))
        due = sum(c.checkpoints_due for c in report.clients)
        met = sum(c.checkpoints_on_time for c in report.clients)
        flagged = sum(1 for c in report.clients if c.flags)
        reasons = [f"{self.words.word('reason', k)} {v}" for k, v in report.closed_by_reason.items()]
        closed = self.words.list_text(reasons) or self.words.t("word.none")
        share = f"{met / due:.0%}" if due else "—"
        summary = self.words.t("audit.summary", share=share, due=self.words.counted("audit.checkpoints", due),
                               flagged=self.words.counted("audit.flagged", flagged), closed=closed)
        self.query_one("#summary", Static).update(KeptTogether(summary, reasons))  # wrapped between reasons
        table = self.query_one("#audit", LazyTable)

        def row(c: ClientAudit):
            firsts = sorted(c.first_follow_up_days)
            first = self.words.t("word.days", n=_num(firsts[len(firsts) // 2])) if firsts else "—"
            share = "—" if c.on_time_share is None else f"{c.on_time_share:.0%}"
            return (
                fit(self.words.name_of(c)),
                Text(share, justify="right", style="red" if c.on_time_share is not None and c.on_time_share < 0.5 else ""),
                Text(self.words.list_text(self.words.word("flag", f) for f in c.flags), style="bold yellow"),
                self.words.word("state", c.state), Text(str(c.contacts), justify="right"),
                Text(str(c.sessions), justify="right"),
                Text(self.words.t("word.days", n=_num(c.median_interval_days)) if c.median_interval_days is not None else "—",
                     justify="right"),
                Text(first, justify="right"),
                bars(c.weekly_contacts),
                Text(c.owner),
            ), c.client

        table.fill(self.rows, row, cursor=table.cursor_row, key=lambda c: c.client, widths=lambda c: (
            fit_str(self.words.name_of(c)), "100%", self.words.list_text(self.words.word("flag", f) for f in c.flags)))  # the rows in view at once, the rest after
        self.show_chart()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_chart()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        label = str(event.label)
        for key, index in SORT_BY_COLUMN.items():
            if self.words.t(key) == label:
                self.sort_index = index
                self.refresh_data()

    def current_client(self) -> str | None:
        table = self.query_one("#audit", DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return None
        return self.rows[table.cursor_row].client

    def show_chart(self) -> None:
        client = self.current_client()
        entry = next((c for c in self.rows if c.client == client), None)
        chart = self.query_one("#chart", Sparkline)
        if entry is None:
            chart.data = []
            self.query_one("#chart-title", Static).update("")
            return
        chart.data = [float(v) for v in entry.weekly_contacts]
        self.query_one("#chart-title", Static).update(
            Text(self.words.t("audit.chart", name=self.words.name_of(entry), max=max(entry.weekly_contacts))))

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_data()

