"""Screens open at once on a big caseload (issue 14): long tables draw the rows in view first
and fill in after; the audit, the weekly measures and yesterday are worked out ahead and kept
per client -- and what is kept is never stale: a recorded event, another writer's event or a
back-dated one shows on the next look, exactly as if worked out afresh."""

from __future__ import annotations

import asyncio
import gc
import itertools
from datetime import date, timedelta

from textual.app import App
from textual.widgets import DataTable

from tui_followup.core import commands as cmd
from tui_followup.core.audit import audit
from tui_followup.core.clock import FixedClock
from tui_followup.core.metrics import weekly
from tui_followup.core.policy import due_items
from tests.core.helpers import due_list
from tui_followup.core.review import weekly_review
from tui_followup.storage.journal import Journal
from tui_followup.ui.ahead import Ahead
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.widgets.due_table import row_keys
from tui_followup.ui.widgets.lazy_table import LazyTable

from .conftest import NOW, TOKYO, t

MANY = 150  # more than a screenful and more than the first rows a long table draws


def many_clients(path, n: int = MANY) -> None:
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"m{next(c):05d}")
    for i in range(n):
        client = f"c{i:03d}"
        j.record(cmd.register_client, client, f"Client {i:03d}", channel="email", at=t("2026-10-01 09:00"))
        j.record(cmd.hold_session, client, at=t("2026-11-10 10:00") + timedelta(hours=i % 48))
        if i % 3:
            j.record(cmd.send_message, client, at=t("2026-11-11 10:00") + timedelta(hours=i % 48))


def app_on(path) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={})


async def worked_ahead(app, pilot) -> None:
    """Until the work ahead is done (its steps start one another: wait for the condition)."""
    for _ in range(200):
        if app.ahead.ready():
            return
        await app.workers.wait_for_complete()
        await pilot.pause()
    raise AssertionError("the work ahead was never done")


class OneTable(App):
    def compose(self):
        yield LazyTable(id="t", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one(LazyTable).add_columns("n")


async def test_a_table_filled_afresh_is_as_wide_as_its_rows_not_the_widest_it_held():
    """Past day at 80 columns: once a day with a wide "Due for" or "Done?" was shown, every
    later day kept those columns wide and cut the reason at the screen's edge."""
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(LazyTable)
        table.fill(["a very wide cell indeed"], lambda s: ((s,), s), widths=lambda s: (s,))
        await pilot.pause()
        assert table.ordered_columns[0].content_width == len("a very wide cell indeed")
        table.fill(["narrow"], lambda s: ((s,), s), widths=lambda s: (s,))
        await pilot.pause()
        assert table.ordered_columns[0].content_width == len("narrow")
        table.fill([], lambda s: ((s,), s), widths=lambda s: (s,))  # a day with nothing: the label's width
        await pilot.pause()
        assert table.ordered_columns[0].content_width == len("n")


async def test_a_long_table_draws_the_rows_in_view_first_and_the_rest_after():
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(LazyTable)
        table.fill(list(range(500)), lambda n: ((str(n),), f"k{n}"))
        assert table.row_count == 24  # drawn at once: what can be seen on an 80x24 terminal
        assert table.filling
        while table.filling:
            await pilot.pause()
        assert table.row_count == 500
        assert [str(table.get_row_at(i)[0]) for i in (0, 250, 499)] == ["0", "250", "499"]


async def test_the_bottom_is_the_last_row_even_before_the_table_has_filled_in():
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(LazyTable)
        table.fill(list(range(500)), lambda n: ((str(n),), f"k{n}"))
        table.action_scroll_bottom()  # ctrl+end, pressed before the rest was added
        assert table.cursor_row == 499 and str(table.get_row_at(table.cursor_row)[0]) == "499"
        table.fill(list(range(300)), lambda n: ((f"again {n}",), f"k{n}"))  # filled afresh: the old fill stops
        while table.filling:
            await pilot.pause()
        assert table.row_count == 300 and str(table.get_row_at(299)[0]) == "again 299"


async def test_clients_with_a_long_list_every_key_on_every_row(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "G")  # a burst: to the bottom of the whole list
        table = app.screen.query_one("#clients", DataTable)
        assert table.cursor_row == MANY - 1
        assert str(table.get_row_at(table.cursor_row)[0]) == f"Client {MANY - 1:03d}"
        await pilot.press("g", "j", "j")
        assert app.screen.current_client() == "c002"
        await pilot.press("slash", *"149", "enter")  # the filter: one client
        await pilot.pause()
        assert table.row_count == 1 and app.screen.current_client() == "c149"


async def test_what_is_kept_for_the_audit_follows_every_event(tmp_path):
    """The audit row of the client written to changes at once; another writer's event too."""
    path = tmp_path / "events.jsonl"
    many_clients(path, 20)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)  # after the first paint, without a key

        def contacts(client: str) -> int:
            return next(c.contacts for c in app.screen.rows if c.client == client)

        await pilot.press("3")
        before = contacts("c000")
        assert app.try_record(cmd.send_message, "c000") is None  # recorded from this window
        await pilot.pause()
        assert contacts("c000") == before + 1
        other = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="sato")
        other.record(cmd.receive_reply, "c001")  # another writer
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        fresh = audit(app.journal.caseload, NOW.date(), app.journal.policy, TOKYO)
        assert app.ahead.audit(NOW.date()) == fresh  # exactly what working it out now gives
        assert sorted(app.screen.rows, key=lambda c: c.client) == sorted(fresh.clients, key=lambda c: c.client)
        assert app.ahead.weekly(NOW.date()) == weekly(app.journal.caseload, NOW.date(), app.journal.policy, TOKYO)
        assert app.ahead.review(NOW.date()) == weekly_review(app.journal.caseload, NOW.date(), app.journal.policy, TOKYO)
        await pilot.press("4")  # the review's "waiting" list: the client written to, not the one who replied
        assert "c000" in [e.client for e in app.screen.entries["waiting"]]
        assert "c001" not in [e.client for e in app.screen.entries["waiting"]]


def test_yesterday_worked_out_ahead_follows_the_log_back_dated_events_included(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path, 5)
    live = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    ahead = Ahead(live)
    yesterday = NOW.date() - timedelta(days=1)
    first = ahead.past.get(yesterday)  # yesterday's morning: every event before it began
    assert first["c000"].last_contact < t("2026-11-23 00:00")
    kept = first["c002"]
    # recorded today, happened the evening before yesterday (a phone call written up late)
    live.record(cmd.send_message, "c000", at=t("2026-11-23 18:00"))
    live.record(cmd.send_message, "c001", at=t("2026-11-24 08:00"))  # yesterday: not in its morning's view
    again = ahead.past.get(yesterday)
    assert again["c002"] is kept  # a client nothing happened to is kept, not worked out again
    fresh = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, as_of=yesterday - timedelta(days=1), write_snapshot=False)
    assert again["c000"].last_contact == t("2026-11-23 18:00")
    items = due_items((i for client in again.values() for i in client.items), yesterday)
    assert items == due_list(fresh.caseload, yesterday, fresh.policy, TOKYO)
    assert again["c001"].last_contact == fresh.caseload.get("c001").last_contact


async def test_past_midnight_the_work_ahead_is_done_again_for_the_new_day(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path, 5)
    clock = FixedClock(NOW)
    journal = Journal.open(path, clock=clock, tz=TOKYO, actor="kato")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={})
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        clock.advance(timedelta(days=1))  # the app left open overnight
        assert not app.ahead.ready()
        app.poll_log()
        await worked_ahead(app, pilot)
        assert app.ahead.past.ready(NOW.date())  # the new yesterday, worked out ahead


async def test_a_screen_opened_before_the_work_ahead_is_done_says_so_and_keys_still_work(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path, 60)
    app = app_on(path)
    app.MADE_AHEAD = ()  # as on a big log, seconds after it opened: no screen made ahead yet
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        app.ahead.audits.values.clear()  # and nothing worked out yet
        app.action_go("audit")
        while not app.screen.sub_title:  # drawn at once, before it is worked out
            await asyncio.sleep(0)
        assert "working it out" in app.screen.sub_title
        assert app.screen.query_one("#audit", DataTable).row_count == 0
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#audit", DataTable).row_count == 60
        assert "working it out" not in app.screen.sub_title
        app.ahead.audits.values.clear()
        app.data_changed({"c000"})  # redrawn while nothing is kept: works it out again
        await pilot.press("1")  # and the user moves on meanwhile
        assert app.screen.title == "Today"
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#audit", DataTable).row_count == 60


async def test_keys_typed_in_one_burst_with_the_screen_key_land_on_the_new_screen(tmp_path):
    """``2 G`` as a terminal sends them, without waiting: G went to no screen and was lost."""
    from textual import events

    path = tmp_path / "events.jsonl"
    many_clients(path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("2", "G", "k"):  # to the last client, then up one
            app.post_message(events.Key(key, key))
        await app.workers.wait_for_complete()
        await pilot.pause()
        while app.keys_pending:
            await pilot.pause()
        assert app.screen.current_client() == f"c{MANY - 2:03d}"
        await pilot.press("1")
        for key in ("3", "G"):  # the audit, still being worked out, keeps the key too
            app.ahead.audits.values.clear()
            app.post_message(events.Key(key, key))
        while app.keys_pending or app.screen.working or app.screen.seen < 0:
            await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#audit", DataTable).cursor_row == MANY - 1


async def test_columns_are_as_wide_as_their_widest_row_from_the_first_paint():
    """Rows added after the first paint do not widen a column (which pushed Today's Why off an
    80-column screen a second after it opened)."""
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(LazyTable)
        names = [f"n{n}" for n in range(500)]
        names[400] = "a much longer name than the others"
        table.fill(names, lambda n: ((n,), n), widths=lambda n: (n,))
        first = table.ordered_columns[0].get_render_width(table)
        assert table.row_count < 400  # (the long one not drawn yet at first)
        while table.filling:
            await pilot.pause()
        assert table.ordered_columns[0].get_render_width(table) == first
        assert first >= len("a much longer name than the others")


async def test_past_day_is_made_ahead_with_yesterdays_rows_and_today_keeps_the_keys(make_app, log_path):
    """Issue 24's speed: once the work ahead is done, Past day is already made with yesterday's
    rows (its first switch only draws it); Today still has the keys meanwhile, and 5 then shows
    the rows at once, a change recorded since included."""
    from tui_followup.ui.screens.replay import PastDayScreen
    from tui_followup.ui.screens.today import TodayScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        for _ in range(100):  # made once yesterday's view was read
            if app._screen_stacks.get("past"):
                break
            await pilot.pause()
        past = app._screen_stacks["past"][0]
        assert isinstance(past, PastDayScreen)
        rows = past.query_one("#due", DataTable).row_count
        assert rows > 0
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("j")
        assert app.screen.query_one("#due", DataTable).cursor_row == 1  # the keys are Today's
        await pilot.press("5", "j")  # one burst
        await pilot.pause()
        assert app.screen is past and past.query_one("#due", DataTable).cursor_row == 1
        assert "2026-11-24" in str(past.query_one("#counts").render())


async def test_a_screen_made_ahead_adds_its_rows_once_it_is_shown(log_path):
    """Clients made ahead out of sight went on adding its rows there, and Textual measured them
    all as the screen came back, before its first frame (350-400 ms at a million events, where
    it had been 190): out of sight it keeps the rows in view, and adds the rest once shown."""
    many_clients(log_path)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={})
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            if app.ahead.ready():
                break
            await pilot.pause()
        assert "clients" in app.ahead.screens_made
        table = app._screen_stacks["clients"][0].query_one("#clients", LazyTable)
        for _ in range(20):  # however many repaints pass, out of sight
            await pilot.pause()
        everyone = len(journal.caseload.registered())
        assert 0 < table.row_count < everyone, table.row_count
        await pilot.press("2")
        for _ in range(500):
            if table.row_count == everyone:
                break
            await pilot.pause()
        assert table.row_count == everyone


async def test_past_day_works_out_the_day_before_while_it_is_read_and_left_draws_it_as_the_log_has_it(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path, 30)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        await pilot.press("5")
        yesterday = NOW.date() - timedelta(days=1)
        before = yesterday - timedelta(days=1)
        for _ in range(200):  # the day before yesterday, worked out while yesterday is read
            if app.ahead.past.ready(before):
                break
            await pilot.pause()
        assert app.ahead.past.ready(before)
        await pilot.press("left")
        assert app.screen.day == before
        then = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, as_of=before - timedelta(days=1),
                            write_snapshot=False)  # its morning: the end of the day before
        assert app.screen.query_one("#due").shown_rows.keys() == {
            key for key in row_keys(due_list(then.caseload, before, then.policy, TOKYO))}


async def test_past_day_works_out_a_day_typed_whole_before_enter_and_enter_draws_it_as_the_log_has_it(tmp_path):
    path = tmp_path / "events.jsonl"
    many_clients(path, 30)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        await pilot.press("5")
        day = NOW.date() - timedelta(days=20)
        await pilot.press("d", *day.isoformat())  # typed, not yet entered
        for _ in range(200):
            if app.ahead.past.ready(day):
                break
            await pilot.pause()
        assert app.ahead.past.ready(day)
        assert app.screen.day != day  # still the day shown before: Enter not pressed
        await pilot.press("enter")
        assert app.screen.day == day
        then = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, as_of=day - timedelta(days=1),
                            write_snapshot=False)  # its morning: the end of the day before
        assert app.screen.query_one("#due").shown_rows.keys() == {
            key for key in row_keys(due_list(then.caseload, day, then.policy, TOKYO))}


async def test_past_day_days_shown_in_a_burst_leave_the_cycle_collector_on(tmp_path):
    """A past day is worked out and drawn with the cycle collector off (collector.py); it is
    on again once the day is on screen, whatever the keys, or cycles would pile up unfreed."""
    path = tmp_path / "events.jsonl"
    many_clients(path, 30)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        await pilot.press("5", "left", "left", "d", *(NOW.date() - timedelta(days=40)).isoformat(), "enter",
                          "left", "right", "escape")
        await pilot.pause()
        assert gc.isenabled()


async def test_past_day_keys_of_a_day_hold_the_cycle_collector_off_until_a_pause(tmp_path):
    """The keys of a day typed (or pasted) in the date box run with the cycle collector off: at
    a million events a full collection falling among them took 210 ms of a pasted day's 520.
    It is on again once the keys stop, and stays on while the day is read."""
    path = tmp_path / "events.jsonl"
    many_clients(path, 30)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        await pilot.press("5", "d", "2", "0")
        assert not gc.isenabled()
        for _ in range(400):  # (half a second after the last key)
            if gc.isenabled():
                break
            await pilot.pause(0.01)
        assert gc.isenabled()
        await pilot.press(*"25-01-03", "enter")
        await pilot.pause()
        assert app.screen.day == date(2025, 1, 3) and gc.isenabled()

