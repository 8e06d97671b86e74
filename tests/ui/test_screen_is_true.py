"""What the screen says is true: Past day's "Done?", days that have not come yet, the week's
counts and title, whom to thank, a client's counts. Keys pressed in bursts, without pauses."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.replay import PastDayScreen

from .conftest import NOW, TOKYO, events_in, t, toasts

SIZE = (120, 36)


def app_at(path, now: datetime) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(now), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={})


def record_at(path, now: datetime, *calls) -> None:
    counter = itertools.count(1)
    j = Journal.open(path, clock=FixedClock(now), tz=TOKYO, actor="kato",
                     new_id=lambda: f"later{next(counter):04d}")
    for command, *args in calls:
        kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
        j.record(command, *args, **kwargs)


def row_of(table: DataTable, name: str) -> list[str]:
    for n in range(table.row_count):
        row = [str(cell) for cell in table.get_row_at(n)]
        if row[0] == name:
            return row
    raise AssertionError(f"{name} not on the table")


async def test_past_day_says_a_recurring_item_answered_later_was_done(log_path):
    """Emma's weekly fell due 12-04 and was answered on 12-05: Past day of 12-04 says done, not
    "not yet" (her next weekly, open now, is another occurrence of the same rule)."""
    record_at(log_path, t("2026-12-05 20:00"),
              (cmd.send_message, "emma", {"channel": "phone", "at": t("2026-11-27 09:00")}),
              (cmd.receive_reply, "emma", {"at": t("2026-11-27 19:00")}),
              (cmd.send_message, "emma", {"channel": "phone", "at": t("2026-12-05 09:00")}),
              (cmd.receive_reply, "emma", {"at": t("2026-12-05 19:00")}))
    app = app_at(log_path, t("2026-12-06 08:30"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "d", *"2026-12-04", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        weekly = next(row for n in range(table.row_count)
                      if (row := [str(c) for c in table.get_row_at(n)])[0] == "Emma Smith" and row[1] == "weekly")
        assert "not yet" not in weekly[2]
        assert weekly[2] == "12-05 (+1 d)", weekly  # answered the day after, said as the screen says dates


async def test_past_day_refuses_a_day_that_has_not_come(make_app):
    app = make_app()  # today is 11-25
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5", "d", *"2026-12-06", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PastDayScreen)
        assert app.screen.day == date(2026, 11, 24)  # still yesterday
        said = " ".join(await toasts(pilot))
        assert "2026-12-06" in said or "Dec" in said
        assert "past" in said.lower()
        # → past yesterday: stays on yesterday and says why
        await pilot.press("escape", "5", "right")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.day == date(2026, 11, 24)
        assert "Sun 06 Dec" not in str(app.screen.sub_title)
        assert any("past" in toast.lower() for toast in await toasts(pilot))


async def test_past_day_keeps_the_date_box_open_after_a_refused_day_in_a_burst(make_app):
    """``d 2026-12-06 Enter 2`` in one send-keys: the refused day closed the box and the 2
    switched to Clients. The box stays open with what was typed (the 2 is typed there); a day
    accepted gives the list the keys at once (``d 2026-11-10 Enter 1`` goes back to Today)."""
    from textual.widgets import Input

    from .test_keyboard import burst, settle

    app = make_app()  # today is 11-25
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5")
        await settle(app, pilot, lambda: isinstance(app.screen, PastDayScreen))
        await app.workers.wait_for_complete()
        burst(app, "d", *"2026-12-06", "enter", "2")
        await settle(app, pilot, lambda: not app.keys_pending)
        await pilot.pause()
        assert isinstance(app.screen, PastDayScreen), app.screen
        field = app.screen.query_one("#day", Input)
        assert app.focused is field and field.value == "2026-12-062"
        assert app.screen.day == date(2026, 11, 24)  # still yesterday
        burst(app, "escape", "d", *"2026-11-10", "enter", "1")
        await settle(app, pilot, lambda: not app.keys_pending and not isinstance(app.screen, PastDayScreen))
        assert not isinstance(app.screen, PastDayScreen), app.screen
        await pilot.press("5")
        await settle(app, pilot, lambda: isinstance(app.screen, PastDayScreen))
        assert app.screen.day == date(2026, 11, 10)


async def test_a_when_later_than_now_is_refused_in_every_form(make_app, log_path):
    """+3d in a message's or a reply's When would hide the item for three days: refused, the
    form stays open, nothing written. A session later than now: the command's refusal."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = log_path.read_bytes()
        await pilot.press("m", "tab", "tab", *"+3d", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "later than now" in str(app.screen.query_one("#form-note").render())  # on the form, no toast over it
        assert log_path.read_bytes() == before
        app.screen.dismiss(None)
        await pilot.pause()
        await pilot.press("r", "tab", "tab", *"+1d", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert log_path.read_bytes() == before
        app.screen.dismiss(None)
        await pilot.pause()
        await pilot.press("s", *["tab"] * 5, *"+2d", "enter")  # minutes, summary, next step, achieved, challenges, When
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "book it" in str(app.screen.query_one("#form-note").render())
        assert log_path.read_bytes() == before
        app.screen.dismiss(None)
        await pilot.pause()
        # a session later today is refused too (issue 22: later than now), one held this morning is recorded
        await pilot.press("s", *["tab"] * 5, *"2026-11-25 11:00", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and log_path.read_bytes() == before
        app.screen.dismiss(None)
        await pilot.pause()
        await pilot.press("s", *["tab"] * 5, *"2026-11-25 08:00", "enter")
        await pilot.pause()
        assert isinstance(events_in(log_path)[-1], ev.SessionHeld)


async def test_the_coming_days_count_says_what_it_counts(make_app, log_path):
    """Today (Wednesday 11-25) lists items up to next Wednesday: the words say "next 7 days",
    and the number is the rows after today."""
    record_at(log_path, NOW, (cmd.make_promise, "kim", date(2026, 12, 2), "send the list"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = str(app.screen.query_one("#counts", Static).render())
        later = [i for i in app.screen.items if i.due > NOW.date()]
        assert any(i.due == date(2026, 12, 2) for i in later)  # next Wednesday is counted ...
        assert f"{len(later)} in the next 7 days" in counts  # ... and the words say so
        assert "this week" not in counts


async def test_the_weekly_review_is_titled_with_its_monday(make_app):
    app = make_app()  # Wednesday 11-25
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Mon 23 Nov" in str(app.screen.sub_title)
        assert "25" not in str(app.screen.sub_title)


async def test_a_reply_followed_by_a_pause_is_not_progress_to_thank(log_path):
    record_at(log_path, t("2026-11-24 12:00"),
              (cmd.receive_reply, "aoki", {"summary": "Wants a break", "at": t("2026-11-24 09:00")}),
              (cmd.pause, "aoki", {"reason": "a break", "at": t("2026-11-24 10:00")}))
    app = app_at(log_path, NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        thanked = [e.client for e in app.screen.entries["to_thank"]]
        assert "aoki" not in thanked
        assert "kim" in thanked  # kim's reply this morning, no pause after it


async def test_the_reviews_day_counts_line_up_on_the_right_in_every_list(log_path):
    """A count of days reads down a column by its units, as on Clients and the Audit (the
    Weekly review's three lists were left-aligned)."""
    from textual.widgets import DataTable

    record_at(log_path, t("2026-11-24 12:00"), (cmd.receive_reply, "aoki", {"summary": "Thanks", "at": t("2026-11-24 09:00")}))
    app = app_at(log_path, NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen = 0
        for table in app.screen.query(DataTable):
            for row in range(table.row_count):
                days = table.get_row_at(row)[2]
                assert getattr(days, "justify", None) == "right", (table.id, repr(days))
                seen += 1
        assert seen


async def test_a_clients_counts_and_last_contact_are_one_definition(make_app):
    """青木 had a session on 11-22 and nothing else: the last contact is 11-22, so the contacts
    counted are not 0."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # 青木's row is first
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Sessions 1" in summary and "Contacts 1" in summary, summary


async def test_the_audit_summary_says_one_as_one(tmp_path):
    """One client, one checkpoint due, messaged four days running (over the plan's pace): the
    summary says "1 checkpoint" and "1 client flagged", not "1 checkpoints", "1 clients"."""
    log = tmp_path / "events.jsonl"
    record_at(log, NOW, (cmd.register_client, "aoki", "青木 花子", {"channel": "email", "at": t("2026-10-01 09:00")}),
              (cmd.hold_session, "aoki", {"at": t("2026-11-20 10:00")}),
              *[(cmd.send_message, "aoki", {"channel": "email", "at": t(f"2026-11-{day} 09:00")}) for day in (21, 22, 23, 24)])
    app = app_at(log, NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "of 1 checkpoint ·" in summary and "· 1 client flagged ·" in summary, summary
