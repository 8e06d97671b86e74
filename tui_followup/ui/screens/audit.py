"""Audit: contact rhythm, timeliness and flags per client, sortable; the selected client's
contacts per week as a sparkline, so rhythm is seen, not read."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from ...core.audit import ClientAudit, audit
from ..actions import ClientActions
from ..widgets import bars

SORTS = [
    ("name", lambda a: (a.name, a.client)),
    ("flags", lambda a: (-len(a.flags), a.name)),
    ("on time", lambda a: (a.on_time_share if a.on_time_share is not None else 2, a.name)),
    ("median gap", lambda a: (-(a.median_interval_days or 0), a.name)),
    ("contacts", lambda a: (-a.contacts, a.name)),
]


def _num(x) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


class AuditScreen(ClientActions, Screen):
    CSS_PATH = "audit.tcss"
    BINDINGS = [
        Binding("o", "cycle_sort", "Sort", id="audit.sort", tooltip="Sort by the next column"),
        Binding("enter", "open_client", "Open", id="audit.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ClientAudit] = []
        self.sort_index = 1
        self.seen = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        table: DataTable = DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        table.add_columns("Client", "State", "Contacts", "Sessions", "Median gap", "1st follow-up",
                          "On time", "Flags", "Last 12 weeks")
        yield table
        yield Static(id="chart-title")
        yield Sparkline([], id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Audit"
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.seen != self.app.version:  # type: ignore[attr-defined]
            self.refresh_data()

    def refresh_data(self) -> None:
        journal = self.app.journal  # type: ignore[attr-defined]
        self.seen = self.app.version  # type: ignore[attr-defined]
        today = journal.today()
        report = audit(journal.caseload, today, journal.policy, journal.tz)
        name, key = SORTS[self.sort_index]
        self.rows = sorted(report.clients, key=key)
        self.sub_title = f"as of {today.isoformat()} · sorted by {name}"
        due = sum(c.checkpoints_due for c in report.clients)
        met = sum(c.checkpoints_on_time for c in report.clients)
        flagged = sum(1 for c in report.clients if c.flags)
        closed = ", ".join(f"{k} {v}" for k, v in report.closed_by_reason.items()) or "none"
        share = f"{met / due:.0%}" if due else "—"
        self.query_one("#summary", Static).update(
            f" On time: {share} of {due} checkpoints · {flagged} clients flagged · closed: {closed}"
        )
        table = self.query_one("#audit", DataTable)
        row = table.cursor_row
        table.clear()
        for c in self.rows:
            firsts = sorted(c.first_follow_up_days)
            first = _num(firsts[len(firsts) // 2]) + " d" if firsts else "—"
            share = "—" if c.on_time_share is None else f"{c.on_time_share:.0%}"
            table.add_row(
                c.name, c.state, Text(str(c.contacts), justify="right"), Text(str(c.sessions), justify="right"),
                Text(_num(c.median_interval_days) + (" d" if c.median_interval_days is not None else ""), justify="right"),
                Text(first, justify="right"),
                Text(share, justify="right", style="red" if c.on_time_share is not None and c.on_time_share < 0.5 else ""),
                Text(" ".join(c.flags), style="bold yellow"),
                bars(c.weekly_contacts),
                key=c.client,
            )
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))
        self.show_chart()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_chart()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_client()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        names = {"Client": 0, "Flags": 1, "On time": 2, "Median gap": 3, "Contacts": 4}
        label = str(event.label)
        if label in names:
            self.sort_index = names[label]
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
            f" {entry.name}: contacts per week, last 12 weeks (max {max(entry.weekly_contacts)})"
        )

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_data()

    def action_open_client(self) -> None:
        client = self.current_client()
        if client:
            self.app.open_client(client)  # type: ignore[attr-defined]
