"""Issue 24, a practitioner's check ("Smaller problems found"): the kept form offers a promise on
its current date, the session's minutes take digits only, a refused date names its field, and a
closed client's footer offers Reopen. Keys pressed as a user does, bursts where they matter."""

from __future__ import annotations

from datetime import date

from tui_followup.core import commands as cmd
from tui_followup.ui.forms import Choice, FormScreen
from tui_followup.ui.screens.client import ClientScreen

from .test_keyboard import settle


async def open_client(app, pilot, row: int = 0) -> None:
    await pilot.press("g", *["down"] * row, "enter")
    await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen))


async def test_the_kept_form_offers_a_rescheduled_promise_on_its_new_date(make_app):
    """After "Send the CV template" (12-07) was moved to 12-10, the kept form still offered
    "Send the CV template (12-07)": it says 12-10, as the due list does, and the promises are
    in the order of the days they are due now."""
    app = make_app()
    cv = app.journal.record(cmd.make_promise, "aoki", date(2026, 12, 7), "Send the CV template")
    app.journal.record(cmd.make_promise, "aoki", date(2026, 12, 8), "Call the employer")
    app.journal.record(cmd.reschedule_promise, cv.id, date(2026, 12, 10))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_client(app, pilot)
        assert app.screen.client_id == "aoki"
        await pilot.press("d")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen))
        shown = [text for text, _ in app.screen.query_one("#field-promise", Choice).options]
        assert shown == ["Call the employer (12-08)", "Send the CV template (12-10)"]
