"""A command refused because a colleague got there first: what the colleague wrote was read
while deciding (and is why it was refused), so the screen must show it at once, not after the
next change anyone makes (a practitioner's pass on a team store: the case said closed in the
toast, open on the screen)."""

from __future__ import annotations

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import ConfirmScreen
from tui_followup.ui.screens.client import ClientScreen

from .conftest import NOW, TOKYO, toasts
from .test_triage import SIZE, rows


async def test_a_close_refused_because_a_colleague_closed_first_shows_their_close(make_app, log_path):
    app = make_app()  # no poll: the colleague's close is read only when this window records
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert rows(app)[0] == ("青木 花子", "24h")
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.close_case, "aoki", "withdrew")
        await pilot.press("c", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        # who got there first, and when (a practitioner's pass: "already closed" named nobody)
        assert any("already closed (suzuki, 11-25 08:30)" in toast for toast in await toasts(pilot)), await toasts(pilot)
        assert all(name != "青木 花子" for name, _ in rows(app))  # the case is closed: nothing due


async def test_the_client_screen_says_closed_after_the_refusal(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "aoki"
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.close_case, "aoki", "withdrew")
        await pilot.press("c", "enter", "y")
        await pilot.pause()
        assert any("already closed" in toast for toast in await toasts(pilot))
        assert "closed" in str(app.screen.title).lower() or "closed" in str(app.screen.sub_title).lower(), (
            app.screen.title, app.screen.sub_title)


async def test_what_a_colleague_wrote_before_a_note_shows_once_the_note_is_recorded(make_app, log_path):
    """Recording reads what a colleague wrote first (it goes before this window's event): their
    close of 김민준's case is shown as this window's note is, not after the next news."""
    app = make_app()  # no poll: the colleague's close is read only when this window records
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert ("김민준", "respond") in rows(app)
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.close_case, "kim", "withdrew")
        await pilot.press("n", *"called", "enter")  # a note on 青木 花子, the first row
        await pilot.pause()
        assert any("青木 花子" in toast for toast in await toasts(pilot))
        assert all(name != "김민준" for name, _ in rows(app)), rows(app)
