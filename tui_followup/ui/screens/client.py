"""Client: who they are, where the case stands, the rule behind the next follow-up, and the
timeline of everything recorded, newest first (retracted events struck through)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...core.events import EventRetracted, tag_of
from ...core.history import history
from ...core.status import client_status
from ..actions import CLIENT_BINDINGS, ClientActions
from ..widgets import day


def event_details(event) -> str:
    """The event's own fields, in words."""
    skip = {"type", "id", "at", "recorded_at", "actor", "client", "v", "prev"}
    parts = []
    for name in event.__struct_fields__:
        if name in skip:
            continue
        value = getattr(event, name)
        if value in ("", None):
            continue
        parts.append(f"{name.replace('_', ' ')}: {value}")
    return " · ".join(parts)


class ClientScreen(ClientActions, Screen):
    CSS_PATH = "client.tcss"
    BINDINGS = [
        *CLIENT_BINDINGS,
        Binding("escape", "app.pop_screen", "Back", id="client.back"),
        Binding("ctrl+z", "app.undo", "Undo", id="client.undo", tooltip="Retract the last event you recorded"),
    ]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.seen = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        table: DataTable = DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        table.add_columns("When", "What", "By", "Details")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.seen != self.app.version:  # type: ignore[attr-defined]
            self.refresh_data()

    def current_client(self) -> str | None:
        return self.client_id

    def refresh_data(self) -> None:
        app = self.app
        journal = app.journal  # type: ignore[attr-defined]
        self.seen = app.version  # type: ignore[attr-defined]
        facts = journal.caseload.get(self.client_id)
        if facts is None:
            self.query_one("#summary", Static).update("This client is no longer registered.")
            return
        status = client_status(facts, journal.policy, journal.tz)
        self.title = facts.name
        self.sub_title = f"{facts.id} · {status.state}"
        today = journal.today()
        nxt = status.next
        if nxt is None:
            due = "nothing due" + (" (case closed)" if status.state == "closed" else "")
        else:
            late = nxt.overdue_days(today)
            due = f"{nxt.reason} due {day(nxt.due)}" + (f", {late} days overdue" if late else "")
            due += f" — {nxt.detail}"
        consents = ", ".join(f"{s} {'✓' if g else '✗ withdrawn'}" for s, g in status.consents.items()) or "none recorded"
        step = facts.last_session.next_step if facts.last_session else ""
        state = status.state + (f" ({status.close_reason})" if status.close_reason else "")
        def pair(label: str, value: str, style: str = "") -> list:
            return [(f"{label} ", "dim"), (value, style), "    "]

        summary = Text.assemble(
            (facts.name, "bold"), ("  " + facts.id, "dim"), "\n",
            *pair("State", state, "bold"), *pair("Plan", status.plan), *pair("Channel", status.channel),
            *pair("Last contact", day(status.last_contact)),
            *pair("Sessions", str(status.sessions)), *pair("Contacts", str(status.contacts)), "\n",
            *pair("Next", due, "bold"), "\n",
            *pair("Agreed next step", step or "—"), *pair("Consents", consents),
        )
        self.query_one("#summary", Static).update(summary)
        table = self.query_one("#timeline", DataTable)
        table.clear()
        for step_ in reversed(history(journal.caseload, self.client_id, journal.policy, journal.tz)):  # noqa: E501
            event = step_.event
            what = tag_of(event).replace("_", " ")
            details = event_details(event)
            style = ""
            if isinstance(event, EventRetracted):
                target = journal.caseload.event(event.target)
                details = f"retracts {tag_of(target).replace('_', ' ') if target else event.target}: {event.reason}"
                style = "italic"
            if step_.retracted_by is not None:
                style = "strike dim"
                details = f"{details}  (retracted: {step_.retracted_by.reason})"
            when = event.at.astimezone(journal.tz).strftime("%Y-%m-%d %H:%M")
            table.add_row(Text(when, style=style), Text(what, style=style), Text(event.actor, style=style),
                          Text(details, style=style), key=event.id)
