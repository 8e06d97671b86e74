"""Issue 24: a booked session is cancelled from the app (B), from the appointment's own row on
Today or in the client's timeline, else with a choice of the client's open appointments; a
client with none is told so before anything is typed. Keys in bursts, as tmux sends them."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.ui.forms import Choice, FormScreen
from tui_followup.ui.screens.client import ClientScreen

from .conftest import events_in, t, toasts

SIZE = (120, 36)


async def test_b_on_todays_appointment_row_cancels_that_appointment(make_app, log_path):
    app = make_app()
    booked = app.journal.record(cmd.book_appointment, "emma", when=t("2026-11-25 15:00"), minutes=50)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", DataTable)
        row = next(i for i, item in enumerate(app.screen.items) if item.kind == "appointment")
        table.move_cursor(row=row)
        await pilot.press("B", "tab", *"unwell", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.AppointmentCancelled)
        assert (last.client, last.appointment, last.reason) == ("emma", booked.id, "unwell")
        assert all(item.kind != "appointment" for item in app.screen.items)


async def test_b_on_the_timeline_row_of_the_later_appointment_cancels_that_one(make_app, log_path):
    app = make_app()
    app.journal.record(cmd.book_appointment, "aoki", when=t("2026-11-27 10:00"), minutes=50)
    later = app.journal.record(cmd.book_appointment, "aoki", when=t("2026-12-04 10:00"), minutes=50)
    async with app.run_test(size=SIZE) as pilot:
        app.open_client("aoki")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", DataTable)
        timeline.focus()
        timeline.move_cursor(row=timeline.get_row_index(later.id))
        await pilot.press("B", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.AppointmentCancelled) and last.appointment == later.id


async def test_b_offers_each_open_appointment_by_its_day(make_app, log_path):
    app = make_app()
    app.journal.record(cmd.book_appointment, "aoki", when=t("2026-11-27 10:00"), minutes=50)
    later = app.journal.record(cmd.book_appointment, "aoki", when=t("2026-12-04 10:00"), minutes=50)
    async with app.run_test(size=SIZE) as pilot:
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("G", "B")  # the timeline's last row, her registration: no booking chosen
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "青木 花子" in app.screen.form_title
        text = str(app.screen.query_one(Choice).render())
        assert "Fri 27 Nov 10:00" in text and "Fri 04 Dec 10:00" in text, text
        await pilot.press("2", "enter")  # the second choice, by its number
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.AppointmentCancelled) and last.appointment == later.id


async def test_no_open_appointment_is_said_before_anything_is_typed(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = log_path.read_bytes()
        app.open_client("kim")
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert any("김민준 has no appointment booked" in toast for toast in await toasts(pilot))
        assert log_path.read_bytes() == before


async def test_the_palette_and_the_keys_list_offer_it_only_where_it_applies(make_app):
    app = make_app()
    app.journal.record(cmd.book_appointment, "aoki", when=t("2026-11-27 10:00"), minutes=50)
    async with app.run_test(size=SIZE) as pilot:
        label = app.words.t("tip.cancel_appointment")
        for client, offered in (("aoki", True), ("kim", False)):
            app.open_client(client)
            await pilot.pause()
            titles = [title for title, *_ in app.get_system_commands(app.screen)]
            assert any(title.endswith(": " + label) for title in titles) == offered, (client, titles)
            await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        keys = "".join(str(s.render()) for s in app.screen.query(Static))
        assert re.search(r"\n  B +Cancel appointment\n", keys), keys
