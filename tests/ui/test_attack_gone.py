"""Attacks on what the app says when a client leaves it while it is open (GoneNotice, the
counted toast): what stays on screen about the client, and what a key can still do."""

from __future__ import annotations


from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.forms import GoneNotice, UndoScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, events_in, toasts


async def erased_elsewhere(app, pilot, log_path, *clients: str) -> None:
    for client in clients:
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), client)
    app.poll_log()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_undo_question_about_a_client_erased_elsewhere_closes_and_its_yes_records_nothing(
        make_app, log_path):
    """Ctrl+Z on Today asks "Undo note added for 青木 花子 (11-25 08:30)?"; aoki erased in another
    window meanwhile: the question stayed, naming them, and its y recorded a retraction on the
    erased client (a new line about them after the erasure)."""
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.try_record(cmd.add_note, "aoki", "called") is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, UndoScreen) and "青木" in app.screen.question
        before = len(events_in(log_path))
        await erased_elsewhere(app, pilot, log_path, "aoki")
        assert not any(isinstance(s, UndoScreen) for s in app.screen_stack), app.screen_stack
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        await pilot.press("y", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen), app.screen_stack
    assert len(events_in(log_path)) == before + 1  # the erasure only


async def test_a_toast_naming_a_client_goes_when_the_client_is_erased_elsewhere(make_app, log_path):
    """"note added · 青木 花子" (a note recorded from Today) still said the name beside "1 client's
    data was erased ... nothing of theirs is due any more", for the rest of its three seconds; the toasts about
    other clients stay."""
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        aoki, kim = app.journal.client("aoki").name, app.journal.client("kim").name
        assert app.try_record(cmd.add_note, "aoki", "called") is None
        assert app.try_record(cmd.add_note, "kim", "called") is None
        said = await toasts(pilot)
        assert any(aoki in s for s in said) and any(kim in s for s in said), said
        await erased_elsewhere(app, pilot, log_path, "aoki")
        said = await toasts(pilot)
        assert not any(aoki in s for s in said), said
        assert any(kim in s for s in said) and any("1 client's data was erased" in s for s in said), said


async def test_a_screen_of_a_client_erased_while_another_list_was_in_view_does_not_come_back(make_app, log_path):
    """aoki's screen opened from Clients, then 1 (Today): their screen stayed on the Clients
    list's stack. Erased elsewhere (the toast counted them out), the palette's "Go to: Clients"
    brought their screen back: 青木 花子, aoki · active, and their keys."""
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await erased_elsewhere(app, pilot, log_path, "aoki")
        assert any("1 client's data was erased" in s for s in await toasts(pilot))
        go = next(c for c in app.get_system_commands(app.screen) if "Clients" in c.title)
        go.callback()  # (what the palette runs for "Go to: Clients")
        await pilot.pause()
        assert not any(isinstance(s, ClientScreen) for s in app.screen_stack), app.screen_stack
        assert "青木" not in app.export_screenshot()


async def test_while_the_notice_is_up_clicks_a_paste_and_a_second_erasure_reach_nothing_and_ctrl_q_quits(
        make_app, log_path):
    """Guards (held already): clicks on the list around the notice, on the footer, a paste, a
    second client erased (a toast, never a second notice), then Ctrl+Q still quits."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await erased_elsewhere(app, pilot, log_path, "aoki")
        before = len(events_in(log_path))
        for x, y in [(2, 3), (5, 5), (70, 20), (1, 23), (40, 23)]:
            await pilot.click(offset=(x, y), times=2)
        app.post_message(events.Paste("n hello\r"))
        await erased_elsewhere(app, pilot, log_path, "kim")
        assert [type(s) for s in app.screen_stack] == [TodayScreen, GoneNotice], app.screen_stack
        assert any("1 client's data was erased" in s for s in await toasts(pilot))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert len(events_in(log_path)) == before + 1  # kim's erasure only


async def test_a_request_on_its_way_when_the_notice_comes_does_not_open_above_it(make_app, log_path):
    """Enter on kim's row in Today as aoki's erasure is read: the NewsRead reached the app before
    the row's OpenClient (it bubbles up from the screen), so the notice came first and kim's
    screen opened above it; the words typed on for aoki's form (n, o answer yet, Enter) then
    recorded a note on kim. A request that was on its way goes nowhere, as a key would."""
    from tui_followup.ui.messages import NewsRead, OpenClient, RecordRequested

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("m", *"Called ")
        await pilot.pause()
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        before = len(events_in(log_path))
        app.reading = True
        app.journal.read_news()  # (what the worker does)
        app.post_message(NewsRead(None))
        app.post_message(OpenClient("kim"))  # (on their way, behind it)
        app.post_message(RecordRequested("note", "kim"))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        await pilot.press("n", *"o answer yet", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen), app.screen_stack
    assert len(events_in(log_path)) == before


async def test_a_client_erased_elsewhere_leaves_no_row_on_today_as_the_toast_says(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert "青木" in app.export_screenshot()
        await erased_elsewhere(app, pilot, log_path, "aoki")
        assert any("nothing of theirs is due any more" in s for s in await toasts(pilot))
        assert "(forgotten)" not in app.export_screenshot()


async def test_the_notice_keeps_the_command_it_names_on_one_line_in_korean_at_80_columns(log_path):
    """Seen at 80x24 in Korean: '... (다른 곳에서 followup' then 'forget). 그 화면과 ...'."""
    from textual.geometry import Region

    from tui_followup.ui.app import FollowupApp

    app = FollowupApp(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO), poll_seconds=0.0,
                      template_overrides={}, language="ko")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await erased_elsewhere(app, pilot, log_path, "aoki")
        assert isinstance(app.screen, GoneNotice)
        said = app.screen.query("Static").first()
        lines = [s.text.strip() for s in said.render_lines(Region(0, 0, *said.outer_size)) if s.text.strip()]
        assert len(lines) >= 2, lines
        assert any("followup forget" in line for line in lines), lines
