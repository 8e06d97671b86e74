"""Past day shows the list as it stood on the morning of that day, and what became of each
item: a day done on time reads as a day of work done, not as a day with nothing to do (a
practitioner's morning: the list at the end of the day had lost everything done that day, so
"Done?" only ever said "not yet" or a later day)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from textual.widgets import DataTable

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.widgets.due_table import row_keys
from tests.core.helpers import due_list

from .conftest import NOW, TOKYO, t

DAY = date(2026, 11, 21)  # every 24h note is due that day (sessions of 11-20)


def three_notes_due(path) -> None:
    """Three clients seen on 11-20: one note sent on its day, one two days late, one never (the
    1w is open now)."""
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"m{next(c):05d}")
    for client, name in (("c1", "On Time"), ("c2", "Two Late"), ("c3", "Not Yet")):
        j.record(cmd.register_client, client, name, channel="email", at=t("2026-10-01 09:00"))
        j.record(cmd.hold_session, client, at=t("2026-11-20 10:00"))
    j.record(cmd.send_message, "c1", at=t("2026-11-21 15:00"))
    j.record(cmd.send_message, "c2", at=t("2026-11-23 11:00"))
    # and one who wrote on 11-20 and has not been answered yet
    j.record(cmd.register_client, "c4", "Still Open", channel="email", at=t("2026-10-01 09:00"))
    j.record(cmd.hold_session, "c4", at=t("2026-11-20 09:00"))
    j.record(cmd.send_message, "c4", at=t("2026-11-20 09:30"))
    j.record(cmd.receive_reply, "c4", at=t("2026-11-20 20:00"))


def app_on(path, language: str = "en") -> FollowupApp:
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)


def done_column(app) -> dict[str, str]:
    table = app.screen.query_one("#due", DataTable)
    names = {"On Time": "c1", "Two Late": "c2", "Not Yet": "c3", "Still Open": "c4"}
    found = {}
    for row in range(table.row_count):
        cells = [str(c) for c in table.get_row_at(row)]
        client = next((names[n] for n in names if any(n in c for c in cells)), None)
        if client:
            found[client] = cells[2]  # Done, after Name and Due for
    return found


async def test_past_day_lists_the_mornings_items_with_what_became_of_each(tmp_path):
    path = tmp_path / "events.jsonl"
    three_notes_due(path)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "d", *DAY.isoformat(), "enter")
        await pilot.pause()
        assert app.screen.day == DAY
        done = done_column(app)
        assert set(done) == {"c1", "c2", "c3", "c4"}, done  # the note sent that day is on that morning's list
        assert done["c1"] == "that day"
        assert "11-23" in done["c2"] and "+2" in done["c2"], done
        assert done["c3"] == "missed"  # the 1w is open now, the 24h passed unanswered
        assert done["c4"] == "not yet"  # their reply still waits for an answer
        counts = str(app.screen.query_one("#counts").render())
        assert "morning" in counts and "1 overdue" in counts and "3 due that day" in counts, counts
        # the list is the one `due --as-of` gave for that day at the end of the day before
        then = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, as_of=DAY - timedelta(days=1), write_snapshot=False)
        assert app.screen.query_one("#due").shown_rows.keys() == set(
            row_keys(due_list(then.caseload, DAY, then.policy, TOKYO)))


async def test_past_day_takes_days_back_and_says_a_bad_date_in_the_users_words(tmp_path):
    """A date the box cannot read was said in English with "+3d or +1w", forms of days to come
    that Past day refuses; "-3d" (three days ago) was refused with it."""
    path = tmp_path / "events.jsonl"
    three_notes_due(path)
    app = app_on(path, language="ja")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("5", "d", "-", "3", "d", "enter")
        await pilot.pause()
        assert app.screen.day == NOW.date() - timedelta(days=3)
        await pilot.press("d", *"2026-13-40", "enter")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("日付として読めません" in m and "-3d" in m and "+3d" not in m for m in said), said


async def test_enter_on_a_past_day_row_opens_that_clients_record(tmp_path):
    from tui_followup.ui.screens.client import ClientScreen

    path = tmp_path / "events.jsonl"
    three_notes_due(path)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "d", *DAY.isoformat(), "enter", "down")
        past = app.screen
        wanted = past.items[1].client
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == wanted
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is past and past.day == DAY  # back where it was

