"""Weekly review: who is waiting for a reply, whose case has no next step, whom to thank."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...core.metrics import sparkline
from ...core.review import ReviewEntry
from ..actions import ClientActions, client_bindings
from ..ahead import WEEKS, Ahead
from ..widgets.lazy_table import LazyTable
from ..widgets.visible import fit, fit_str
from .base import CaseloadScreen
from ..widgets.visible import ShownText as Text  # (user text: shown before Rich drops a BEL)
from ..widgets.header import Header
from ..widgets.footer import Footer

LISTS = [
    ("waiting", "review.waiting", ("col.client", "col.last_message", "col.days", "col.why")),
    ("no_next_step", "review.no_next_step", ("col.client", "col.since", "col.days", "col.why")),
    ("to_thank", "review.to_thank", ("col.client", "col.on", "col.days_ago", "col.what")),
]


class Measures:
    """The measures on one line where they fit, else one per line (at 80 columns the second's
    value was wrapped alone onto a line of its own: "15.0")."""

    def __init__(self, parts: Sequence[Text]) -> None:
        self.parts = tuple(parts)

    def __str__(self) -> str:
        return "    ".join(part.plain for part in self.parts)

    def __rich_console__(self, console, options):
        line = Text("    ").join(self.parts)
        if line.cell_len <= options.max_width:
            yield line
        else:
            yield from self.parts  # (each a line of its own)


def kpi_lines(ahead: Ahead, today, kpis: Sequence[str], words, weeks: int = 8) -> Measures:
    """The two measures watched every week: a sparkline of the last weeks and this week's value."""
    series = ahead.weekly(today, weeks)  # kept per client
    parts = []
    for kpi in kpis:
        values = [v[kpi] for _, v in series]
        now = values[-1]
        shown = "—" if now is None else (f"{now:.0%}" if kpi.endswith(("_share", "_rate")) else f"{now:.1f}")
        part = Text()
        part.append(words.t(f"kpi.{kpi}") + " ", style="dim")
        part.append(sparkline(values), style="bold")
        part.append(" " + words.t("review.this_week", value=shown))
        parts.append(part)
    return Measures(parts)


class ReviewScreen(ClientActions, CaseloadScreen):
    CSS_PATH = "review.tcss"
    TITLE_KEY = "screen.review"
    BINDINGS = [*client_bindings(), Binding("enter", "open_client", "key.open", id="review.open")]

    def __init__(self, ahead: Ahead, kpis: Sequence[str]) -> None:
        """``ahead``: the weekly measures and the review's lists, worked out ahead and kept (the
        app's); ``kpis``: the measures watched every week (config.toml's ``[review]``)."""
        super().__init__()
        self.ahead, self.kpis = ahead, tuple(kpis)
        self.entries: dict[str, list[ReviewEntry]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="kpis", markup=False)
        for key, title, columns in LISTS:
            table = LazyTable(id=key, cursor_type="row")
            table.border_title = self.words.t(title)
            table.add_columns(*(self.words.t(c) for c in columns))
            yield table
        yield Footer()

    def show(self, journal) -> None:
        today = journal.today()
        if not self.worked_out(self.ahead.weeks, (today, WEEKS)):
            return  # drawn when it is
        review = self.ahead.review(today)  # kept until something changes
        monday = today - timedelta(days=today.weekday())  # the week's first day, not today's
        self.sub_title = self.words.t("review.week", day=self.words.week_day(monday))
        self.query_one("#kpis", Static).update(kpi_lines(self.ahead, today, self.kpis, self.words))
        def name(e) -> str:  # (an erased client is in none of the lists: core/review.py)
            return self.words.name_in(journal.caseload, e.client, e.name)

        for key, title, _ in LISTS:
            entries = getattr(review, key)
            self.entries[key] = entries
            table = self.query_one(f"#{key}", LazyTable)
            table.border_title = f"{self.words.t(title)} ({len(entries)})"
            table.fill(entries, lambda e: ((fit(name(e)), self.words.short_day(e.since, today) if e.since else "—",
                                            Text("" if e.days is None else str(e.days), justify="right"),  # (a count: right, as on Clients and Audit)
                                            self.words.t(f"review.{e.note}")), e.client),
                       cursor=table.cursor_row, key=lambda e: e.client, widths=lambda e: (fit_str(name(e)),))

    def _focused_table(self) -> DataTable | None:
        focused = self.focused
        return focused if isinstance(focused, DataTable) else None

    def current_client(self) -> str | None:
        table = self._focused_table()
        if table is None or table.id is None:
            return None
        entries = self.entries.get(table.id, [])
        if not entries or not (0 <= table.cursor_row < len(entries)):
            return None
        return entries[table.cursor_row].client

