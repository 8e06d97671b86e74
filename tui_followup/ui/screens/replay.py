"""Replay: a client's history one event at a time, and the whole caseload as it was on a past day."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from ...collector import pause_collector
from ...core.clock import OutOfRange, end_of_day, parse_date
from ...core.events import AnyEvent, EventRetracted
from ...core.history import Step, history
from ...core.policy import answered_after, due_items
from ...storage.journal import Journal
from ..ahead import SLICE, Ahead
from ..forms import out_of_range
from ..localized import Localized
from ..messages import OpenClient, ask
from ..widgets.boxes import LeavesOnEscape
from ..widgets.lazy_table import LazyTable
from ..widgets.due_table import DueTable, say_why
from ..widgets.timeline import event_details
from ..widgets.visible import VisibleTable, shown
from .base import LIST_BINDINGS, ListKeys
from .today import due_counts
from ..widgets.header import Header
from ..widgets.footer import Footer


class ReplayScreen(ListKeys, Localized, Screen):
    """Step through a client's events (left/right, home/end): the state and the next
    follow-up as they stood after each one."""

    CSS_PATH = "replay.tcss"
    BINDINGS = [
        Binding("left", "step(-1)", "key.step_back", id="replay.back", priority=True),
        Binding("right", "step(1)", "key.step_forward", id="replay.forward", priority=True),
        Binding("home", "jump(0)", "key.first", id="replay.first", priority=True),
        Binding("end", "jump(-1)", "key.last", id="replay.last", priority=True),
        Binding("escape", "app.pop_screen", "key.close_screen", id="replay.close"),
        *LIST_BINDINGS,  # j/k a step down and up, g/G the first and the last, as in every list
    ]

    def __init__(self, client_id: str, journal: Journal) -> None:
        super().__init__()
        self.client_id = client_id
        self.journal = journal
        self.steps: list[Step] = []
        self.find: Callable[[str], AnyEvent | None] = lambda event_id: journal.caseload.event(event_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            table: DataTable = VisibleTable(id="steps", cursor_type="row")
            table.add_columns(self.words.t("col.n"), self.words.t("col.when"), self.words.t("col.what"))
            yield table
            yield Static(id="state")
        yield Footer()

    def on_mount(self) -> None:
        journal = self.journal
        facts = journal.caseload.clients.get(self.client_id)
        self.title = self.words.t("screen.replay", name=self.words.name_of(facts) if facts else self.client_id)
        self.steps = history(journal.caseload, self.client_id, journal.policy, journal.tz)
        # what a step names (the promise a message keeps, what a retraction cancelled) among the
        # steps' own events first: after a snapshot a look-up in the log took 0.1 s at 1M
        self.find = journal.caseload.finder(self.client_id, (s.event for s in self.steps))
        table = self.query_one("#steps", DataTable)
        for n, s in enumerate(self.steps, 1):
            style = "strike dim" if s.retracted_by else ""
            table.add_row(str(n), Text(self.words.moment(s.event.at.astimezone(journal.tz)), style=style),
                          Text(self.words.event_name(s.event), style=style))
        self.set_focus(table)
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
            self.query_one("#state", Static).update(self.words.t("replay.no_events"))
            return
        journal = self.journal
        s = self.steps[index]
        event = s.event
        facts = journal.caseload.clients.get(self.client_id)
        details = event_details(event, self.words, self.find, journal.tz, facts is not None and facts.forgotten)
        if isinstance(event, EventRetracted):
            details = self.words.retraction_text(event, self.find, journal.tz)
        nxt = "\n       ".join(f"{self.words.t('client.due', reason=self.words.word('label', i.reason), day=self.words.long_day(i.due))} — {self.words.why_text(i)}"
                                for i in s.open)
        nxt = nxt or self.words.t("client.nothing_due")
        recorded = self.words.moment(event.recorded_at.astimezone(journal.tz))
        text = Text.assemble(
            (self.words.t("replay.step", n=index + 1, total=len(self.steps)) + "\n\n", "bold"),
            (self.words.t("replay.event"), "dim"), self.words.event_name(event), "\n",
            (self.words.t("replay.when"), "dim"), self.words.moment(event.at.astimezone(journal.tz)), "\n",
            (self.words.t("replay.by"), "dim"), event.actor, (self.words.t("replay.recorded", when=recorded), "dim"), "\n",
            (self.words.t("replay.details"), "dim"), details or "—", "\n\n",
            (self.words.t("replay.retracted", reason=s.retracted_by.reason) + "\n\n", "bold red") if s.retracted_by else "",
            (self.words.t("replay.after") + "\n", "bold"),
            (self.words.t("replay.state"), "dim"), self.words.word("state", s.state), "\n",
            (self.words.t("replay.open"), "dim"), nxt,
        )
        self.query_one("#state", Static).update(shown(text))


class DayInput(LeavesOnEscape):
    """Past day's date box: Enter handled as the key is (not by the ``Submitted`` message it
    would post, handled after the keys that follow it in a burst)."""

    def leave(self) -> None:
        self.screen.leave_day()  # type: ignore[attr-defined]

    async def action_submit(self) -> None:
        self.screen.submit_day(self.value)  # type: ignore[attr-defined]


class PastDayScreen(ListKeys, Localized, Screen):
    """Today as it was on the morning of a past day (read-only), and what became of each item:
    done that day, done later, not yet, missed (a later checkpoint of the ladder open now), or
    no longer due."""

    CSS_PATH = "replay.tcss"
    BINDINGS = [Binding("question_mark", "app.toggle_keys", "key.keys", id="past.keys"),  # first: always in the footer
                Binding("escape", "app.go('today')", "key.close_screen", id="past.close"),
                Binding("left", "step_day(-1)", "key.prev_day", id="past.prev", priority=True),
                Binding("right", "step_day(1)", "key.next_day", id="past.next", priority=True),
                Binding("d", "focus_day", "key.date", id="past.date"),
                *LIST_BINDINGS]

    def __init__(self, ahead: Ahead, initial: date | None = None) -> None:
        """``ahead``: the live journal's past days read ahead and kept (the app's: yesterday's is
        read after the first paint)."""
        super().__init__()
        self.ahead = ahead
        self.initial = initial
        self.day: date | None = None
        self.drawn = -1  # the app's version of the caseload when "Done?" was last worked out
        self._refused: tuple[str, float] = ("", 0.0)  # the last "not a past day" said, and when
        self.items: list = []  # the day's items, in the rows' order
        self.last_contact = lambda client: None  # the day's last contact of a client
        self._collector: Callable[[], None] | None = None  # turns the cycle collector on again, while held off
        self._collector_timer: Timer | None = None

    def action_focus_day(self) -> None:
        self._hold_collector()
        field = self.query_one("#day", Input)
        field.value = ""
        self.set_focus(field)

    def _hold_collector(self, until_drawn: bool = False) -> None:
        """The cycle collector off while a day is typed, worked out and drawn (collector.py: at a
        million events a full collection falling among the keys of a pasted day took 210 ms):
        on again after the next refresh when ``until_drawn``, else half a second after the
        last key, whatever happens to the screen."""
        if self._collector is None:
            self._collector = pause_collector()
        if self._collector_timer is not None:
            self._collector_timer.stop()
        self._collector_timer = self.set_timer(0.5, self._release_collector)
        if until_drawn:
            self.call_after_refresh(self._release_collector)

    def _release_collector(self) -> None:
        resume, self._collector = self._collector, None
        if resume is not None:
            resume()

    def on_unmount(self) -> None:
        self._release_collector()

    def action_step_day(self, delta: int) -> None:
        """←/→: the day before or after (in the date field they move its cursor, as usual)."""
        field = self.query_one("#day", Input)
        if self.focused is field:
            (field.action_cursor_left if delta < 0 else field.action_cursor_right)()
            return
        if self.day is not None and self._past(self.day + timedelta(days=delta)):
            self.show(self.day + timedelta(days=delta))

    def on_input_changed(self, event: Input.Changed) -> None:
        """A past day typed whole in the date box, before Enter: worked out a few clients at a
        time between the keys that follow (as the day before the one shown is), so that Enter
        draws it at once when the date was typed, not pasted in one burst with its Enter."""
        if event.input.id != "day" or not event.value or self.day is not None and event.value == self.day.isoformat():
            return  # (nothing typed: the box emptied, or showing the day on screen)
        self._hold_collector()
        today = self.ahead.journal.today()
        try:
            day = parse_date(event.value, today)
        except ValueError:  # (not a day yet: 2025-01-)
            return
        if day != self.day and day < today:
            self.run_worker(self._work_out(day), group="past-ahead", exclusive=True, exit_on_error=False)

    def _past(self, day: date) -> bool:
        """Whether ``day`` is over (yesterday at the latest); if not, says why."""
        today = self.ahead.journal.today()
        if day < today:
            return True
        said = self.words.t("past.not_past", day=self.words.header_day(day),
                            yesterday=self.words.header_day(today - timedelta(days=1)))
        last, when = self._refused
        if last != said or time.monotonic() - when > self.app.NOTIFICATION_TIMEOUT:
            # (once while it is on screen: → → → in a burst stacked the same notice three times)
            self.notify(said, severity="error", title=self.words.t("past.not_shown"))
            self._refused = (said, time.monotonic())
        return False

    def compose(self) -> ComposeResult:
        yield Header()
        yield DayInput(placeholder=self.words.t("past.placeholder"), id="day")
        yield Static(id="counts")
        yield DueTable(extra_column="col.done", say_today=False, id="due")  # its day, by its date
        yield Static(id="why")  # the cursor row's reason whole (as on Today)
        yield Footer()

    def on_mount(self) -> None:
        """Opens on yesterday (or the day asked for); the table has the keys."""
        self.title = self.words.t("screen.past")
        self.show(self.initial or self.ahead.journal.today() - timedelta(days=1))
        self.set_focus(self.query_one("#due", DataTable))

    def on_key(self, event) -> None:
        """Esc in the date box leaves the box, not the screen: what was typed is thrown away
        (the box shows the day on screen again) and the list has the keys; a second Esc, from
        the list, leaves Past day."""
        field = self.query_one("#day", Input)
        if event.key == "escape" and self.focused is field:
            event.stop()
            event.prevent_default()
            self.leave_day()

    def leave_day(self) -> None:
        """Out of the date box: what was typed thrown away, the day shown again, the list given the keys."""
        self.query_one("#day", Input).value = self.day.isoformat() if self.day else ""
        self.set_focus(self.query_one("#due", DataTable))

    def submit_day(self, value: str) -> None:
        """Enter in the date box, as the key is handled (``DayInput``): the day shown and the list
        given the keys; a day refused says why and leaves the box open with what was typed, so
        the keys after it (a burst: ``d 2026-12-06 Enter 2``) stay in the box, never reach the
        screen's own keys."""
        try:
            day = parse_date(value, self.ahead.journal.today())
        except OutOfRange:
            self.notify(out_of_range(self.words, value), severity="error")
            return
        except ValueError:  # (in the user's words, and the forms a past day is typed in: not +3d)
            self.notify(self.words.t("past.bad_date", text=value), severity="error")
            return
        if not self._past(day):
            return
        self.show(day)
        self.set_focus(self.query_one("#due", DataTable))

    def show(self, day: date) -> None:
        """The caseload as it stood on the morning of ``day`` (every event that happened before
        it began): each client's facts of today cut at the end of the day before (core/past.py;
        yesterday's worked out ahead, and each client's kept until it changes), the items
        shown and due that day, and what became of each. Drawn at once: the cycle collector off
        until it is (collector.py: at a million events a full collection falling in the day
        walked every table's rows, 150-250 ms), on again after the next refresh, or half a
        second later whatever happens to the screen."""
        self._hold_collector(until_drawn=True)
        self.day = day
        self.query_one("#day", Input).value = day.isoformat()
        ahead = self.ahead
        live = ahead.journal
        past = ahead.past.get(day)
        items = due_items((i for client in past.values() for i in client.items), day, 0)
        overdue, today, _ = due_counts(items, day)
        self.sub_title = self.words.t("past.read_only", day=self.words.header_day(day))
        self.query_one("#counts", Static).update(self.words.t("past.counts", day=self.words.long_day(day), overdue=overdue, today=today))
        table = self.query_one("#due", DueTable)

        def last_contact(client: str):
            then = past.get(client)
            moment = then.last_contact if then is not None else None
            return moment.astimezone(live.tz).date() if moment is not None else None

        morning = end_of_day(day - timedelta(days=1), live.tz)  # the day began: what was done from then on
        now = live.today()
        open_items = [i for items in live.board.items.values() for i in items if i.shown_on(now)]
        open_now = {i.uid for i in open_items}
        missed_now = {uid for i in open_items for uid in i.missed_uids}

        said: dict[int, list[Text]] = {}  # each row's, once (measured for the column's width, then shown)

        def done(item) -> list[Text]:
            if id(item) not in said:
                said[id(item)] = _done(item)
            return said[id(item)]

        def _done(item) -> list[Text]:
            facts = live.caseload.get(item.client)
            moment = answered_after(facts, item, morning) if facts else None
            if moment is None and item.uid in open_now:  # still open today (snoozed too: the same obligation)
                # (answered first: a recurring item's next occurrence, open now, has the same uid)
                return [Text(self.words.t("word.not_yet"), style="bold red")]
            if moment is None and item.uid in missed_now:  # passed unanswered: a later checkpoint is open now
                return [Text(self.words.t("word.missed"), style="bold yellow")]
            if moment is None:  # no longer open, not answered (the case closed, a plan changed, a session booked): never "handled"
                return [Text(self.words.t("word.handled"), style="dim")]
            d = moment.astimezone(live.tz).date()
            if d == day:
                return [Text(self.words.t("word.that_day"), style="green")]
            return [Text(self.words.t("word.done_on", day=self.words.short_day(d, today=day), n=(d - day).days), style="green")]

        table.show(items, day, last_contact, extra=done)
        self.items, self.last_contact = items, last_contact
        self.say_why()
        self.drawn = self.app.version  # type: ignore[attr-defined]
        # (after the frame that shows this day: begun before it, the work shared the loop with
        # drawing it and the day came on screen only when the day before was worked out too)
        # (the coroutine made then, not now: a screen gone before that refresh left one never awaited)
        self.call_after_refresh(lambda: self.run_worker(self._work_out(day - timedelta(days=1)), group="past-ahead",
                                                        exclusive=True, exit_on_error=False))

    def on_data_table_row_highlighted(self, event) -> None:
        self.say_why()

    def on_data_table_row_selected(self, event) -> None:
        """Enter on a row: that client's record (as from Today)."""
        row = self.query_one("#due", DueTable).cursor_row
        if 0 <= row < len(self.items):
            ask(self, OpenClient(self.items[row].client))

    def say_why(self) -> None:
        """Under the list, the cursor row's reason whole, its channel and the last contact then
        (as on Today: at 80 columns the Why column is cut)."""
        table = self.query_one("#due", DueTable)
        row = table.cursor_row
        item = self.items[row] if self.day is not None and 0 <= row < len(self.items) else None  # rows in the items' order
        say_why(self.query_one("#why", Static), self.words, item, self.day or date.min,
                self.last_contact(item.client) if item is not None else None)

    async def _work_out(self, day: date) -> None:
        """A day worked out a few clients at a time between key presses: the day before the one
        shown, while the user reads it (← then draws at once), or a day being typed (at a
        million events a day whose every client differs from today takes 0.12-0.2 s)."""
        past = self.ahead.past
        while not past.fill(day, SLICE):
            await asyncio.sleep(0)

    def on_screen_resume(self) -> None:
        for table in self.query(LazyTable):
            table.resume()  # the rows not added while out of sight
        if self.drawn >= 0 and self.drawn != self.app.version:  # type: ignore[attr-defined]  # (not the first time)
            self.show(self.day)  # something was recorded since: whether each item got done

    def on_caseload_changed(self, message) -> None:
        if self.day is not None:
            self.show(self.day)
