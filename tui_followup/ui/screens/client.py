"""Client: who they are, where the case stands, the rule behind the next follow-up, and the
timeline of everything recorded, newest first (retracted events struck through)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...core.events import (
    CaseReopened,
    SessionHeld,
)
from ...core.history import in_order
from ...core.policy import DECIDE, open_appointments
from ...core.status import client_status, silence_question
from ..actions import ClientActions, client_bindings
from ..messages import UndoRequested, ask
from ..widgets.timeline import Timeline
from ..widgets.visible import shown
from .base import CaseloadScreen
from ..widgets.header import Header
from ..widgets.footer import Footer


def progress_strip(journal, facts, words) -> list:
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
    out: list = ["\n", (words.t("label.progress") + " ", "dim")]
    for i, s in enumerate(shown):
        day = s.at.astimezone(journal.tz).date()
        if i:
            out.append(("  →  ", "dim"))
        out.append((f"{words.short_day(day, today)} ", "bold"))
        parts = [(words.t("progress.achieved"), s.achieved), (words.t("progress.challenges"), s.challenges),
                 (words.t("progress.next"), s.next_step)]
        out.append(" · ".join(f"{label} {value}" for label, value in parts if value))
    return out


def coming_up(journal, facts, status, words) -> list:
    """What comes next (as ``status --json``'s ``ahead``): the remaining checkpoints with their
    due dates (and the day each is the client's item, when later), or the one question you wait
    to ask; then the next booked session."""
    today = journal.today()
    ahead = [i for i in status.ahead if i.kind != DECIDE]  # (a decision is the Next line's, never ahead)
    out: list = []
    question = next((i for i in ahead if silence_question(i)), None)
    if question is not None and status.waiting_since is not None:
        said = words.t("client.waiting", since=words.short_day(status.waiting_since, today),
                       due=words.short_day(question.due, today))
    else:
        said = " · ".join(
            words.t("client.ahead_item", label=words.word("label", i.reason), due=words.short_day(i.due, today))
            + (words.t("client.ahead_from", day=words.short_day(i.shown_from, today))
               if i.shown_from is not None and i.shown_from > today else "")
            for i in ahead if i.kind != "appointment" and i != status.next)  # the Next line says that one
    if said:
        out += ["\n", (words.t("label.ahead") + " ", "dim"), said]
    booked = open_appointments(facts, journal.tz)
    if booked:
        when = booked[0].when.astimezone(journal.tz)
        if when < journal.clock.now():  # its time gone, nothing recorded of it: not "next"
            out += ["\n", (words.t("client.booked_past", when=words.ahead_moment(when)), "bold yellow")]
        else:
            out += ["\n", (words.t("client.next_session", when=words.ahead_moment(when)), "bold")]
    return out


def packed(pairs: list[tuple[str, str, str]], width: int) -> list:
    """Label-value pairs ("Last contact 2026-10-20") on as few lines as ``width`` cells hold, a
    pair never split between two lines (at 80 columns 「最終接触」 ended one line and its date
    began the next); a pair wider than a line wraps on its own."""
    out: list = []
    used = 0
    for label, value, style in pairs:
        cells = cell_len(label) + 1 + cell_len(value)
        if used and used + 4 + cells > width:
            out.append("\n")
            used = 0
        elif used:
            out.append("    ")
            used += 4
        out += [(f"{label} ", "dim"), (value, style)]
        used += cells
    return out


class ClientScreen(ClientActions, CaseloadScreen):
    CSS_PATH = "client.tcss"
    BINDINGS = [
        *client_bindings(own=True),  # (o Reopen in the footer of a closed client)
        Binding("escape", "app.pop_screen", "key.back", id="client.back"),
        Binding("ctrl+z", "undo_client", "key.undo", id="client.undo", show=False),
        Binding("e", "client_action('edit')", "key.edit", id="client.edit", tooltip="tip.edit"),
        # a (agree) records a consent, left out of the footer so that m stays in view: k moves up
        # in the timeline as in every list (it was the consent here, and j k recorded one)
        Binding("a", "client_action('consent')", "key.consent", id="client.consent", show=False,
                tooltip="tip.consent"),
    ]

    def action_undo_client(self) -> None:
        """Ctrl+Z here: this client's last event recorded in this window."""
        ask(self, UndoRequested(self.client_id))

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.shown_width = 0  # the summary's width when it was last packed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Timeline(id="timeline")
        yield Footer()

    def current_client(self) -> str | None:
        return self.client_id

    def current_ref(self) -> str | None:
        """The timeline's selected event (B on a booking's row cancels that booking)."""
        timeline = self.query_one("#timeline", Timeline)
        if not timeline.row_count:
            return None
        key = timeline.coordinate_to_cell_key((timeline.cursor_row, 0)).row_key
        return key.value if key is not None else None

    def on_data_table_row_selected(self, event) -> None:
        # The timeline's rows are events: this screen already is the client. (Textual calls the
        # base class's handler too unless told not to: Enter pushed this client again.)
        event.prevent_default()

    def summary_width(self) -> int:
        """The cells the summary's lines have (its padding taken off), as it is laid out now."""
        summary = self.query_one("#summary", Static)
        return summary.content_region.width or max(20, self.app.size.width - 4)

    def on_resize(self, event) -> None:
        """The label-value pairs packed again, and the timeline's details cut again, to the new
        width (the timeline's selected row kept)."""
        if self.seen < 0 or self.shown_width == self.summary_width():
            return
        timeline = self.query_one("#timeline", Timeline)
        row = timeline.cursor_row
        self.show(self.journal)
        timeline.reach(row)  # (the rows after the first screenful come after the first frame)
        if timeline.row_count:
            timeline.move_cursor(row=min(row, timeline.row_count - 1))

    def show(self, journal) -> None:
        words = self.words
        facts = journal.caseload.get(self.client_id)
        if facts is None:
            self.query_one("#summary", Static).update(words.t("client.gone"))
            return
        status = client_status(facts, journal.policy, journal.tz, journal.today(), journal.board)
        self.title = shown(words.name_of(facts), lines=False)
        self.sub_title = f"{shown(facts.id, lines=False)} · {words.word('state', status.state)}"
        today = journal.today()
        nxt = status.next
        if nxt is None:
            due = words.t("client.nothing_due") + (words.t("client.closed_note") if status.state == "closed" else "")
        else:
            late = nxt.overdue_days(today)
            due = words.t("client.due", reason=words.word("label", nxt.reason), day=words.long_day(nxt.due))
            due += (words.counted("client.overdue", late, n=late) if late else "") + f" — {words.why_text(nxt)}"
        consents = words.list_text(words.t("client.given" if g else "client.withdrawn", scope=words.word("channel", sc))
                             for sc, g in status.consents.items()) or words.t("client.none_recorded")
        step = facts.last_session.next_step if facts.last_session else ""
        state = words.word("state", status.state) + (
            f" ({words.word('reason', status.close_reason)})" if status.close_reason else "")
        width = self.shown_width = self.summary_width()

        def pairs(*items: tuple[str, str] | tuple[str, str, str]) -> list:  # (label, value[, style])
            return packed([(label, value, rest[0] if rest else "") for label, value, *rest in items], width)

        channel = words.word("channel", status.channel)
        if not facts.consent_given(status.channel):  # marked, whether or not consent is required
            channel += words.t("client.no_consent")
        summary = Text.assemble(
            (words.name_of(facts), "bold"), ("  " + facts.id, "dim"),
            ("  " + " · ".join(x for x in (facts.reading, facts.case,
                                            words.word("importance", facts.importance) if facts.importance else "") if x),
             "dim"), "\n",
            *pairs((words.t("label.state"), state, "bold"), (words.t("label.plan"), words.word("plan", status.plan)),
                   (words.t("label.channel"), channel),
                   (words.t("label.last_contact"), words.long_day(status.last_contact)),
                   (words.t("label.sessions"), str(status.sessions)),
                   (words.t("label.contacts"), str(status.contacts))), "\n",
            *pairs((words.t("label.next"), due, "bold")), "\n",
            *pairs((words.t("label.next_step"), step or "—"), (words.t("label.consents"), consents)),
            *progress_strip(journal, facts, self.words),
        )
        summary.append_text(Text.assemble(*coming_up(journal, facts, status, words)))
        self.query_one("#summary", Static).update(shown(summary))
        self.query_one("#timeline", Timeline).show(
            in_order(journal.caseload, self.client_id), journal.caseload.finder(self.client_id), journal.tz,
            erased=facts.forgotten)
