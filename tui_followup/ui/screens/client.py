"""Client: who they are, where the case stands, the rule behind the next follow-up, and the
timeline of everything recorded, newest first (retracted events struck through)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from ...core.events import (
    CaseReopened,
    SessionHeld,
)
from ...core.history import history
from ...core.status import client_status
from ...i18n import long_day, short_day, t, why_text, word
from ..actions import ClientActions, client_bindings
from ..widgets.timeline import Timeline
from .base import CaseloadScreen


def progress_strip(journal, facts) -> list:
    """The progress recorded at the sessions of the current case, from the first to now:
    what was achieved, what got in the way, the next step (the 1-month review's three points)."""
    case_from = max((e.at for e in journal.caseload.events_of(facts.id)
                     if isinstance(e, CaseReopened) and not journal.caseload.is_retracted(e.id)), default=None)
    sessions = sorted((e for e in journal.caseload.events_of(facts.id)
                       if isinstance(e, SessionHeld) and not journal.caseload.is_retracted(e.id)
                       and (case_from is None or e.at >= case_from)
                       and (e.achieved or e.challenges or e.next_step)), key=lambda e: e.at)
    if not sessions:
        return []
    today = journal.today()
    shown = [sessions[0], sessions[-1]] if len(sessions) > 1 else sessions[:1]
    out: list = ["\n", (t("label.progress") + " ", "dim")]
    for i, s in enumerate(shown):
        day = s.at.astimezone(journal.tz).date()
        if i:
            out.append(("  →  ", "dim"))
        out.append((f"{short_day(day, today)} ", "bold"))
        parts = [(t("progress.achieved"), s.achieved), (t("progress.challenges"), s.challenges),
                 (t("progress.next"), s.next_step)]
        out.append(" · ".join(f"{label} {value}" for label, value in parts if value))
    return out


class ClientScreen(ClientActions, CaseloadScreen):
    CSS_PATH = "client.tcss"
    @staticmethod
    def bindings() -> list[Binding]:
        return [
            *client_bindings(),
            Binding("escape", "app.pop_screen", t("key.back"), id="client.back"),
            Binding("ctrl+z", "undo_client", t("key.undo"), id="client.undo"),
            Binding("e", "client_action('edit')", t("key.edit"), id="client.edit", tooltip=t("tip.edit")),
            # (k moves up in a list; here it is the consent, left out of the footer so that m stays in view)
            Binding("k", "client_action('consent')", t("key.consent"), id="client.consent", show=False,
                    tooltip=t("tip.consent")),
        ]

    BINDINGS = bindings()

    def action_undo_client(self) -> None:
        """Ctrl+Z here: this client's last event recorded in this window."""
        self.app.action_undo(self.client_id)  # type: ignore[attr-defined]

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Timeline(id="timeline")
        yield Footer()

    def current_client(self) -> str | None:
        return self.client_id

    def on_data_table_row_selected(self, event) -> None:
        pass  # the timeline's rows are events: this screen already is the client

    def show(self, journal) -> None:
        facts = journal.caseload.get(self.client_id)
        if facts is None:
            self.query_one("#summary", Static).update(t("client.gone"))
            return
        status = client_status(facts, journal.policy, journal.tz, journal.today(), journal.board)
        self.title = facts.name
        self.sub_title = f"{facts.id} · {word('state', status.state)}"
        today = journal.today()
        nxt = status.next
        if nxt is None:
            due = t("client.nothing_due") + (t("client.closed_note") if status.state == "closed" else "")
        else:
            late = nxt.overdue_days(today)
            due = t("client.due", reason=word("label", nxt.reason), day=long_day(nxt.due))
            due += (t("client.overdue", n=late) if late else "") + f" — {why_text(nxt)}"
        consents = ", ".join(t("client.given" if g else "client.withdrawn", scope=word("channel", sc))
                             for sc, g in status.consents.items()) or t("client.none_recorded")
        step = facts.last_session.next_step if facts.last_session else ""
        state = word("state", status.state) + (
            f" ({word('reason', status.close_reason)})" if status.close_reason else "")
        def pair(label: str, value: str, style: str = "") -> list:
            return [(f"{label} ", "dim"), (value, style), "    "]

        channel = word("channel", status.channel)
        if not facts.consent_given(status.channel):  # marked, whether or not consent is required
            channel += t("client.no_consent")
        summary = Text.assemble(
            (facts.name, "bold"), ("  " + facts.id, "dim"),
            ("  " + " · ".join(x for x in (facts.reading, facts.case,
                                            word("importance", facts.importance) if facts.importance else "") if x),
             "dim"), "\n",
            *pair(t("label.state"), state, "bold"), *pair(t("label.plan"), status.plan),
            *pair(t("label.channel"), channel),
            *pair(t("label.last_contact"), long_day(status.last_contact)),
            *pair(t("label.sessions"), str(status.sessions)), *pair(t("label.contacts"), str(status.contacts)), "\n",
            *pair(t("label.next"), due, "bold"), "\n",
            *pair(t("label.next_step"), step or "—"), *pair(t("label.consents"), consents),
            *progress_strip(journal, facts),
        )
        self.query_one("#summary", Static).update(summary)
        self.query_one("#timeline", Timeline).show(
            history(journal.caseload, self.client_id, journal.policy, journal.tz), journal.caseload.event, journal.tz)
