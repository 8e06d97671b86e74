"""Issue 24: every `record` kind and every field the command line takes, from the app, from
the row or client it concerns; a refusal the state already makes is shown before anything is
typed. Keys pressed in bursts, as tmux send-keys delivers them."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen

from .conftest import events_in, toasts

SIZE = (120, 36)


async def open_aoki(pilot) -> None:
    await pilot.press("g", "enter")  # Today's first row: 青木 花子
    assert isinstance(pilot.app.screen, ClientScreen) and pilot.app.screen.client_id == "aoki"


async def test_the_pause_form_takes_the_end_the_client_named(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_aoki(pilot)
        await pilot.press("p", *"family care", "tab", *"2026-12-20", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientPaused)
        assert (last.client, last.reason, last.until) == ("aoki", "family care", date(2026, 12, 20))


async def test_the_session_form_takes_what_was_achieved_and_what_got_in_the_way(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "tab", *"CV", "tab", *"apply", "tab", *"CV done", "tab", *"nerves", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.SessionHeld)
        assert (last.client, last.summary, last.next_step, last.achieved, last.challenges) == \
            ("aoki", "CV", "apply", "CV done", "nerves")


async def test_register_takes_the_reading_makes_an_id_clears_the_filter_and_selects_the_client(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"emma", "enter")  # a filter the new client would not pass
        await pilot.press("a", *"山本 蓮", "tab", "tab", "tab", "tab", "tab", "tab", *"ヤマモト レン", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientRegistered)
        assert (last.name, last.reading) == ("山本 蓮", "ヤマモト レン") and last.client and " " not in last.client
        assert isinstance(app.screen, ClientsScreen)
        assert app.screen.query_one("#filter", Input).value == ""
        assert app.screen.current_client() == last.client
        await pilot.press("a", *"山本 蓮", "enter")  # the same name again: another id, not a refusal
        await pilot.pause()
        again = events_in(log_path)[-1]
        assert isinstance(again, ev.ClientRegistered) and again.client != last.client


async def test_a_no_show_feedback_and_a_hand_over_from_the_client_screen(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_aoki(pilot)
        await pilot.press("x", "1", "tab", *"no word", "enter")
        await pilot.press("v", "5", "tab", *"very helpful", "enter")
        await pilot.press("h", *"suzuki", "tab", *"moving office", "enter")
        await pilot.pause()
        missed, feedback, assigned = events_in(log_path)[-3:]
        assert isinstance(missed, ev.SessionMissed) and (missed.client, missed.kind, missed.reason) == \
            ("aoki", "no_show", "no word")
        assert isinstance(feedback, ev.FeedbackReceived) and (feedback.score, feedback.comment) == (5, "very helpful")
        assert isinstance(assigned, ev.ClientAssigned) and (assigned.to, assigned.reason) == ("suzuki", "moving office")


async def test_a_promise_kept_by_phone_without_a_message_and_a_reschedule(make_app, log_path):
    app = make_app()
    kept = app.journal.record(cmd.make_promise, "emma", date(2026, 11, 27), "call the employer")
    moved = app.journal.record(cmd.make_promise, "emma", date(2026, 11, 28), "send the list")
    async with app.run_test(size=SIZE) as pilot:
        app.open_client("emma")
        await pilot.pause()
        await pilot.press("d", "enter")  # the first open promise
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.PromiseKept) and last.promise == kept.id
        assert not any(isinstance(e, ev.MessageSent) and e.at > kept.at for e in events_in(log_path))
        await pilot.press("escape")
        table = app.screen.query_one("#due", DataTable)
        row = next(i for i in range(table.row_count)
                   if str(table.get_row_at(i)[0]) == "Emma Smith" and str(table.get_row_at(i)[1]) == "promise")
        table.move_cursor(row=row)
        await pilot.press("z", "3", "enter")  # on the promise row: the promise is rescheduled
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.PromiseRescheduled) and last.promise == moved.id


async def test_a_refusal_the_state_already_makes_shows_before_anything_is_typed(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = log_path.read_bytes()
        app.open_client("sato")  # paused
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert any("already paused" in toast for toast in await toasts(pilot))
        await pilot.press("o")  # not closed: no reopen form
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert log_path.read_bytes() == before


def palette_titles(app, screen) -> list[str]:
    return [title for title, *_ in app.get_system_commands(screen)]


async def test_pause_resume_and_reopen_are_in_the_palette_only_when_they_apply(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for client, offered, not_offered in (("aoki", ["pause"], ["resume", "reopen"]),
                                             ("sato", ["resume"], ["pause", "reopen"]),
                                             ("mori", ["reopen"], ["pause", "resume"])):
            app.open_client(client)
            await pilot.pause()
            titles = palette_titles(app, app.screen)
            for action in offered:
                assert any(t.endswith(": " + app.words.t(f"tip.{action}")) for t in titles), (client, titles)
            for action in not_offered:
                assert not any(t.endswith(": " + app.words.t(f"tip.{action}")) for t in titles), (client, titles)
            await pilot.press("escape")


async def test_ctrl_p_in_an_open_form_opens_nothing_on_top_of_it(make_app, log_path):
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"called", "ctrl+p")  # one burst: the form, text, then Ctrl+P
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and not CommandPalette.is_open(app)
        await pilot.press("enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.NoteAdded) and (last.client, last.text) == ("aoki", "called")


async def test_after_a_record_from_outside_todays_cursor_stays_on_its_client(make_app, log_path):
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from .conftest import NOW, TOKYO, t

    app = make_app(poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        table = app.screen.query_one("#due", DataTable)
        before = (app.screen.current_client(), app.screen.current_item())
        assert before[0] == "kim"
        other = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO)  # another window, or the CLI
        for n in range(3):  # three new clients whose first session is overdue: rows above the cursor
            other.record(cmd.register_client, f"new{n}", f"Aa New {n}", at=t("2026-10-01 09:00"))
        for _ in range(60):  # the app polls the log
            await pilot.pause(0.05)
            if table.row_count > 5 and any(str(table.get_row_at(i)[0]) == "Aa New 2" for i in range(table.row_count)):
                break
        assert (app.screen.current_client(), app.screen.current_item()) == before
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "김민준" in app.screen.form_title


async def test_after_a_record_from_outside_while_today_was_hidden_its_cursor_stays_on_its_client(make_app, log_path):
    """The same, with Today under the Clients screen while the other window records: back on
    Today (one burst: `1 m`), the cursor is still on 김민준 and `m` opens his form."""
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from .conftest import NOW, TOKYO, t

    app = make_app(poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        today = app.screen
        assert today.current_client() == "kim"
        await pilot.press("2")
        while today is app.screen:
            await pilot.pause()
        version = app.version
        other = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO)  # another window, or the CLI
        for n in range(3):  # rows above the cursor
            other.record(cmd.register_client, f"new{n}", f"Aa New {n}", at=t("2026-10-01 09:00"))
        for _ in range(60):  # the app polls the log
            await pilot.pause(0.05)
            if app.version != version and app.journal.caseload.get("new2") is not None:
                break
        await pilot.press("1", "m")
        for _ in range(40):
            await pilot.pause()
            if isinstance(app.screen, FormScreen):
                break
        assert isinstance(app.screen, FormScreen) and "김민준" in app.screen.form_title


async def test_when_another_window_moves_the_row_under_the_cursor_the_cursor_moves_with_it(make_app, log_path):
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from .conftest import NOW, TOKYO

    app = make_app(poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        item = app.screen.current_item()
        assert (item.client, item.kind) == ("kim", "respond")
        other = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO)  # another window, or the CLI
        other.record(cmd.snooze, "kim", date(2026, 11, 27), item="respond")
        for _ in range(60):  # the app polls the log
            await pilot.pause(0.05)
            if app.screen.items != [] and all(i.due != item.due or i.kind != "respond" for i in app.screen.items
                                              if i.client == "kim"):
                break
        moved = app.screen.current_item()
        assert (moved.client, moved.kind, moved.due) == ("kim", "respond", date(2026, 11, 27))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "김민준" in app.screen.form_title
