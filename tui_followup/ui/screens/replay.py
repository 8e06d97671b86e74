"""Replay: a client's history one event at a time, and the whole caseload as it was on a past day."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ...core.clock import end_of_day, parse_date
from ...core.events import EventRetracted, tag_of
from ...core.history import Step, history
from ...core.journal import Journal
from ...core.policy import due_list
from .client import event_details
from .today import due_counts, fill_due_table


class ReplayScreen(Screen):
    """Step through a client's events (left/right, home/end): the state and the next
    follow-up as they stood after each one."""

    CSS_PATH = "replay.tcss"
    BINDINGS = [
        Binding("left", "step(-1)", "Back", id="replay.back", priority=True),
        Binding("right", "step(1)", "Forward", id="replay.forward", priority=True),
        Binding("home", "jump(0)", "First", id="replay.first", priority=True),
        Binding("end", "jump(-1)", "Last", id="replay.last", priority=True),
        Binding("escape", "app.pop_screen", "Close", id="replay.close"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.steps: list[Step] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            table: DataTable = DataTable(id="steps", cursor_type="row")
            table.add_columns("#", "When", "What")
            yield table
            yield Static(id="state")
        yield Footer()

    def on_mount(self) -> None:
        journal: Journal = self.app.journal  # type: ignore[attr-defined]
        facts = journal.caseload.clients.get(self.client_id)
        self.title = f"Replay · {facts.name if facts else self.client_id}"
        self.steps = history(journal.caseload, self.client_id, journal.policy, journal.tz)
        table = self.query_one("#steps", DataTable)
        for n, s in enumerate(self.steps, 1):
            style = "strike dim" if s.retracted_by else ""
            table.add_row(str(n), Text(s.event.at.astimezone(journal.tz).strftime("%Y-%m-%d %H:%M"), style=style),
                          Text(tag_of(s.event).replace("_", " "), style=style))
        table.focus()
        self.show(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show(event.cursor_row)

    def action_step(self, delta: int) -> None:
        table = self.query_one("#steps", DataTable)
        table.move_cursor(row=max(0, min(len(self.steps) - 1, table.cursor_row + delta)))

    def action_jump(self, where: int) -> None:
        table = self.query_one("#steps", DataTable)
        table.move_cursor(row=0 if where == 0 else len(self.steps) - 1)

    def show(self, index: int) -> None:
        if not self.steps:
            self.query_one("#state", Static).update("No events.")
            return
        journal: Journal = self.app.journal  # type: ignore[attr-defined]
        s = self.steps[index]
        event = s.event
        details = event_details(event)
        if isinstance(event, EventRetracted):
            details = f"retracts {event.target}: {event.reason}"
        nxt = "\n       ".join(f"{i.reason} due {i.due.isoformat()} — {i.detail}" for i in s.open) or "nothing due"
        text = Text.assemble(
            (f"Step {index + 1} of {len(self.steps)}\n\n", "bold"),
            ("Event  ", "dim"), tag_of(event).replace("_", " "), "\n",
            ("When   ", "dim"), event.at.astimezone(journal.tz).strftime("%Y-%m-%d %H:%M"), "\n",
            ("By     ", "dim"), event.actor, (f"  (recorded {event.recorded_at.astimezone(journal.tz):%Y-%m-%d %H:%M})", "dim"), "\n",
            ("Details ", "dim"), details or "—", "\n\n",
            ("Retracted: " + s.retracted_by.reason + "\n\n", "bold red") if s.retracted_by else "",
            ("After this event\n", "bold"),
            ("State  ", "dim"), s.state, "\n",
            ("Open   ", "dim"), nxt,
        )
        self.query_one("#state", Static).update(text)


class PastDayScreen(Screen):
    """Today as it was at the end of a past day (read-only), and whether each item got done."""

    CSS_PATH = "replay.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Close", id="past.close")]

    def __init__(self, initial: date | None = None) -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="a past day, YYYY-MM-DD, then Enter", id="day")
        yield Static(id="counts")
        table: DataTable = DataTable(id="due", cursor_type="row", zebra_stripes=True)
        table.add_columns("Client", "Due for", "Why", "Due", "Overdue", "Channel", "Last contact", "Done?")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Today, as it was"
        if self.initial:
            self.query_one("#day", Input).value = self.initial.isoformat()
            self.show(self.initial)
        self.query_one("#day", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            day = parse_date(event.value)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.show(day)
        self.query_one("#due", DataTable).focus()

    def show(self, day: date) -> None:
        live: Journal = self.app.journal  # type: ignore[attr-defined]
        past = Journal.open(live.path, clock=live.clock, tz=live.tz, as_of=day, policy=live.policy)
        items = due_list(past.caseload, day, past.policy, past.tz, 0)
        overdue, today, _ = due_counts(items, day)
        self.sub_title = f"{day:%a %d %b %Y} (read-only)"
        self.query_one("#counts", Static).update(f" As of the end of {day.isoformat()}: {overdue} overdue, {today} due that day")
        table = self.query_one("#due", DataTable)

        def last_contact(client: str):
            f = past.caseload.get(client)
            return f.last_contact.astimezone(past.tz).date() if f and f.last_contact else None

        cutoff = end_of_day(day, live.tz)

        def done(item) -> list[Text]:
            facts = live.caseload.get(item.client)
            later = [t for t in facts.messages + facts.sessions if t > cutoff] if facts else []
            if not later:
                return [Text("not yet", style="bold red")]
            d = min(later).astimezone(live.tz).date()
            return [Text(f"{d.isoformat()} (+{(d - day).days} d)", style="green")]

        fill_due_table(table, items, day, last_contact, extra=done)
