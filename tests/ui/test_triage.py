"""Daily triage from the keyboard: each action appends the right event and the list updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.storage import sizes as sizes_module
from tui_followup.ui.forms import ConfirmScreen, FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import events_in, toasts
from .test_keyboard import settle

SIZE = (120, 36)


def rows(app) -> list[tuple[str, str]]:
    table = app.screen.query_one("#due", DataTable)
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]


async def test_today_lists_overdue_first_then_today_then_the_week(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, TodayScreen)
        assert rows(app) == [("青木 花子", "24h"), ("김민준", "respond"), ("김민준", "1w"), ("Emma Smith", "1w"),
                             ("佐藤 健一", "intent check")]  # the label in words; a client's reply first
        counts = str(app.screen.query_one("#counts", Static).render())
        assert "2 overdue" in counts and "1 today" in counts and "2 in the next 7 days" in counts


async def test_message_is_recorded_with_the_clients_channel_and_the_due_template(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "m")  # 김민준, respond (listed before the 1w: the reply is answered first)
        assert isinstance(app.screen, FormScreen)
        assert "김민준" in app.screen.form_title and "respond" in app.screen.form_title
        assert "김민준" in app.screen.preview
        await pilot.press(*"checked in", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.MessageSent)
        assert (last.client, last.channel, last.template, last.summary) == ("kim", "chat", "respond", "checked in")
        assert isinstance(app.screen, TodayScreen)
        assert ("김민준", "1w") not in rows(app) and ("김민준", "respond") not in rows(app)
        # the table was updated in place (one client's rows), and is still in the due list's order
        assert rows(app) == [(i.name, app.words.due_for_text(i)) for i in app.screen.items]


async def test_session_form_records_summary_and_next_step(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "tab", *"CV", "tab", *"apply", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.SessionHeld)
        assert (last.client, last.summary, last.next_step, last.minutes) == ("aoki", "CV", "apply", 50)
        assert ("青木 花子", "24h") in rows(app)  # the ladder restarted: 24h due tomorrow


async def test_snooze_defaults_to_tomorrow_and_moves_the_item(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", "tab", *"出張中", "enter")  # the choice first (+1 day), then the reason
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.FollowUpSnoozed)
        assert (last.client, last.until, last.reason) == ("aoki", date(2026, 11, 26), "出張中")
        table = app.screen.query_one("#due", DataTable)
        moved = [table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[0]) == "青木 花子"]
        assert [(str(r[1]), str(r[2])) for r in moved] == [("24h", "11-26")]
        assert "snoozed to 11-26 (出張中)" in str(moved[0][4])  # Why: after Overdue


async def test_z_1_enter_three_times_snoozes_three_rows_not_one_three_times(make_app, log_path):
    """A snoozed row moves down the list; the cursor goes on to the next row, as after any
    change made here (it went with the moved row, and one client was snoozed three times)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("g", "z", "1", "enter", "z", "1", "enter", "z", "1", "enter")
        await pilot.pause()
        snoozed = [(e.client, e.item) for e in events_in(log_path) if isinstance(e, ev.FollowUpSnoozed)][-3:]
        assert len(snoozed) == 3 and len(set(snoozed)) == 3, snoozed


async def test_reply_promise_pause_and_note(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", *"thanks", "enter")
        await pilot.press("i", *"send list", "enter")
        await pilot.press("n", *"upbeat", "enter")
        await pilot.press("p", *"busy", "enter")
        await pilot.pause()
        kinds = [(type(e).__name__, e.client) for e in events_in(log_path)[-4:]]
        assert kinds == [("ReplyReceived", "aoki"), ("PromiseMade", "aoki"), ("NoteAdded", "aoki"),
                         ("ClientPaused", "aoki")]
        promise = events_in(log_path)[-3]
        assert promise.due == date(2026, 12, 2) and promise.what == "send list"
        assert {reason for name, reason in rows(app) if name == "青木 花子"} == {"respond", "promise"}


async def test_close_asks_once_and_escape_writes_nothing(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = log_path.read_bytes()
        await pilot.press("c", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert log_path.read_bytes() == before
        await pilot.press("c", "enter", "y")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.CaseClosed) and last.client == "aoki" and last.reason == "goal_achieved"
        assert all(name != "青木 花子" for name, _ in rows(app))


async def test_refused_command_notifies_and_writes_nothing(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_client("mori")  # a closed case
        await pilot.pause()
        before = log_path.read_bytes()
        await pilot.press("m")
        await pilot.pause()
        assert log_path.read_bytes() == before
        assert not isinstance(app.screen, FormScreen)  # the form does not open: the refusal shows at once
        shown = await toasts(pilot)
        assert any("closed: reopen it" in toast for toast in shown), shown


async def test_client_screen_shows_timeline_and_undo_retracts_after_confirmation(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "aoki"
        await pilot.press("n", *"wrong person", "enter")
        await pilot.pause()
        note = events_in(log_path)[-1]
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.EventRetracted) and last.target == note.id
        table = app.screen.query_one("#timeline", DataTable)
        struck = [table.get_row_at(i) for i in range(table.row_count) if "wrong person" in str(table.get_row_at(i)[3])]
        assert struck and "strike" in str(struck[0][3].style)


async def test_each_screen_is_one_key_away(make_app):
    from tui_followup.ui.screens.audit import AuditScreen
    from tui_followup.ui.screens.clients import ClientsScreen
    from tui_followup.ui.screens.replay import PastDayScreen
    from tui_followup.ui.screens.review import ReviewScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key, kind in [("2", ClientsScreen), ("3", AuditScreen), ("4", ReviewScreen), ("1", TodayScreen)]:
            await pilot.press(key)
            assert isinstance(app.screen, kind), key
        await pilot.press("5")
        assert isinstance(app.screen, PastDayScreen)


async def palette_shows(app, pilot, wanted: str) -> None:
    """Until the palette's first hit is ``wanted`` (its search runs in a worker): a condition,
    each pause one round of the loop."""
    from textual.command import CommandList

    for _ in range(1000):
        found = app.screen.query(CommandList)
        if found and found.first().option_count and wanted in str(found.first().get_option_at_index(0).prompt):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the palette never offered {wanted!r}")


async def test_command_palette_finds_screens_and_clients(make_app):
    from tui_followup.ui.screens.audit import AuditScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Go to: Audit")
        await palette_shows(app, pilot, "Audit")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("ctrl+p", *"Open client: Emma")
        await palette_shows(app, pilot, "Emma")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "emma"


async def test_replay_steps_through_history(make_app):
    from tui_followup.ui.screens.replay import ReplayScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "y")  # 김민준
        assert isinstance(app.screen, ReplayScreen)
        state = app.screen.query_one("#state", Static)
        assert "Step 1 of 4" in str(state.render())
        await pilot.press("right", "right")
        assert "Step 3 of 4" in str(state.render()) and "1w due 2026-11-24" in str(state.render())
        await pilot.press("end")
        assert "Step 4 of 4" in str(state.render()) and "respond" in str(state.render())
        await pilot.press("home")
        assert "Step 1 of 4" in str(state.render())


async def test_past_day_shows_today_as_it_was_and_whether_it_was_done(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "d", *"2026-11-21", "enter")
        await app.workers.wait_for_complete()  # the past is read in a worker thread
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        got = [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1]), str(table.get_row_at(i)[2]))
               for i in range(table.row_count)]
        # 青木 had no session yet on 11-21 (registered 10-01, first session 11-22): her first session was due
        assert got == [("青木 花子", "first session", "11-22 (+1 d)"), ("Emma Smith", "24h", "11-22 (+1 d)")]
        assert "(read-only)" in app.screen.sub_title


async def test_clients_screen_filters_by_typing_and_state(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        table = app.screen.query_one("#clients", DataTable)
        assert table.row_count == 5
        await pilot.press("f", "f")  # paused
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["佐藤 健一"]
        await pilot.press("f", "f", "slash", *"emma")
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Emma Smith"]


async def test_register_a_new_client_from_the_clients_screen(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "a", *"이서연", "tab", *"lee", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientRegistered) and (last.client, last.name, last.plan) == ("lee", "이서연", "standard")
        table = app.screen.query_one("#clients", DataTable)
        assert "이서연" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_an_event_appended_by_another_writer_appears_in_the_running_app(make_app, log_path):
    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from .conftest import NOW, TOKYO

    app = make_app(poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        other = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO)
        other.record(cmd.send_message, "aoki", channel="email")  # from "the CLI"
        for _ in range(1000):  # until the poll has read it (a condition, bounded)
            await pilot.pause(0.05)
            if ("青木 花子", "24h") not in rows(app):
                break
        assert ("青木 花子", "24h") not in rows(app)


async def test_two_promises_due_the_same_day_are_two_rows(make_app, log_path):
    from datetime import date as d

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from .conftest import NOW, TOKYO

    other = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO)
    other.record(cmd.make_promise, "emma", d(2026, 11, 26), "send the list")
    other.record(cmd.make_promise, "emma", d(2026, 11, 26), "send the list")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert rows(app).count(("Emma Smith", "promise")) == 2
        await pilot.press("end")
        assert app.screen.current_item() is not None


async def test_resume_a_paused_client_and_reopen_a_closed_case(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_client("sato")  # paused
        await pilot.pause()
        await pilot.press("u", "enter")  # the form's When: now
        await settle(app, pilot, lambda: isinstance(events_in(log_path)[-1], ev.ClientResumed))
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientResumed) and last.client == "sato"
        assert "active" in app.screen.sub_title
        await pilot.press("u")  # not paused any more: refused, nothing written
        await pilot.pause()
        assert isinstance(events_in(log_path)[-1], ev.ClientResumed) and events_in(log_path)[-1].id == last.id
        shown = await toasts(pilot)
        assert any("is not paused" in toast for toast in shown), shown
        await pilot.press("escape")
        app.open_client("mori")  # closed
        await pilot.pause()
        await pilot.press("o", *"new job, new questions", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.CaseReopened) and (last.client, last.reason) == ("mori", "new job, new questions")
        assert "active" in app.screen.sub_title


async def test_the_app_says_what_it_found_in_a_damaged_log_and_keeps_every_whole_event(make_app, log_path):
    with open(log_path, "ab") as f:
        f.write(b'{"oops\n')  # a corrupt line in the middle ...
    with open(log_path, "ab") as f:
        f.write(b'{"type":"note_added","id":"torn"')  # ... and a write cut off at the end
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        shown = await toasts(pilot)
        assert any("2 unreadable line(s)" in m and "line 15" in m for m in shown), shown
        assert ("青木 花子", "24h") in rows(app)  # every whole event still counts
        await pilot.press("n", *"after the crash", "enter")  # the next append sets the torn bytes aside
        await pilot.pause()
        shown = await toasts(pilot)
        assert any("was moved to" in toast for toast in shown), shown
        assert events_in_tolerant(log_path)[-1].text == "after the crash"


def events_in_tolerant(path):
    from tui_followup.storage.logfile import LogStore

    return LogStore(path).read_new().events


async def test_the_message_text_can_be_copied_again(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert app.clipboard.startswith("件名: 面談のお礼\n\n青木 花子様")  # copied when the form opened
        app.copy_to_clipboard("something else")
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("件名: 面談のお礼\n\n青木 花子様")


async def test_a_big_log_opened_without_a_snapshot_gets_one_while_the_app_runs(tmp_path, monkeypatch):
    """The snapshot is written at the app's first look for news, not only when it closes:
    a window that is killed still leaves the next start fast."""
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal
    from tui_followup.ui.app import FollowupApp
    from tui_followup.ui.factory import write_demo

    from .conftest import NOW, TOKYO

    big = replace(sizes_module.DEFAULT_SIZES, snapshot_min_events=100, snapshot_stale_events=100)  # the demo is "big" here
    path = write_demo(tmp_path / "events.jsonl")
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, write_snapshot=False, sizes=big)
    snapshot = path.with_name("events.jsonl.snapshot")
    assert not snapshot.exists()
    app = FollowupApp(journal, poll_seconds=0.05, template_overrides={})
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(1000):  # until the first poll has written it (a condition, bounded)
            await pilot.pause(0.05)
            if snapshot.exists():
                break
        assert snapshot.exists()
        assert rows(app)  # and the app goes on as before


async def test_past_day_says_at_once_what_got_done_after_something_is_recorded(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")  # yesterday, 11-24: 青木's 24h, not done
        await app.workers.wait_for_complete()
        await pilot.pause()

        def done_of(name: str) -> str:
            table = app.screen.query_one("#due", DataTable)
            return next(str(table.get_row_at(i)[2]) for i in range(table.row_count)
                        if str(table.get_row_at(i)[0]) == name)

        assert done_of("青木 花子") == "not yet"
        table = app.screen.query_one("#due", DataTable)
        due = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert due["김민준"] == "11-24"  # that day by its date: "today" is not the day viewed
        await pilot.press("1")
        assert app.try_record(cmd.send_message, "aoki", channel="email") is None
        await pilot.press("5")  # back to the same past day: worked out again
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert done_of("青木 花子") == "11-25 (+1 d)"


async def test_escape_in_the_clients_filter_goes_back_to_the_list_keeping_the_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"emma", "escape", "j", "g")
        table = app.screen.query_one("#clients", DataTable)
        assert app.screen.focused is table
        assert app.screen.query_one("#filter").value == "emma"  # j and g were keys, not letters
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Emma Smith"]
