"""Attacks on what the app says when a client leaves it while it is open (GoneNotice, the
counted toast): what stays on screen about the client, and what a key can still do."""

from __future__ import annotations

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.forms import GoneNotice, UndoScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, events_in


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
