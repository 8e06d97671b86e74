"""A command refused because a colleague got there first: what the colleague wrote was read
while deciding (and is why it was refused), so the screen must show it at once, not after the
next change anyone makes (a practitioner's pass on a team store: the case said closed in the
toast, open on the screen)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import ConfirmScreen, FormScreen
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
        # who got there first, and when (a practitioner's pass: "already closed" named nobody),
        # on the form, which stays open (tests/ui/test_close_refused_keeps_the_form.py)
        said = str(app.screen.query_one("#form-note", Static).render())
        assert "already closed (suzuki, 11-25 08:30)" in said, said
        await pilot.press("escape")  # nothing typed: closed at once
        await pilot.pause()
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
        assert "already closed" in str(app.screen.query_one("#form-note", Static).render())
        await pilot.press("escape")  # nothing typed: closed at once
        await pilot.pause()
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


async def test_a_message_a_colleague_sent_while_the_form_was_open_is_said_before_a_second_goes(make_app, log_path):
    """Two counselors answering 青木 花子's 24h at once (a practitioners' pass: the client was
    sent two notes after one session). The second form, opened before the first was recorded,
    says whose went and when, keeps what was typed; recording again sends it too."""
    app = make_app()  # no poll: the colleague's message is read when this window records
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert rows(app)[0] == ("青木 花子", "24h")
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"sent by chat")  # the summary, typed before the colleague's went
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.send_message, "aoki", template="24h", answers="checkpoint", summary="notes [sent] by mail")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # not recorded: the form stays, as typed
        said = str(app.screen.query_one("#form-note", Static).render())
        assert ("青木 花子 was sent a message (suzuki, 11-25 08:30, 24h “notes [sent] by mail”) after you opened"
                " this one: check it is not the same, then press Enter again to record yours too") in said, said
        assert "limit" not in said  # one message this week: nothing to say of the pace
        assert app.screen.values()["summary"] == "sent by chat"
        mine = [e for e in Journal.open(log_path).caseload.events_of("aoki") if type(e) is ev.MessageSent]
        assert [e.actor for e in mine] == ["suzuki"]
        await pilot.press("enter")  # told: this one goes too
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        mine = [e for e in Journal.open(log_path).caseload.events_of("aoki") if type(e) is ev.MessageSent]
        assert [(e.actor, e.summary) for e in mine] == [("suzuki", "notes [sent] by mail"), (app.journal.actor, "sent by chat")]


async def test_a_message_recorded_with_nothing_sent_meanwhile_goes_at_once(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.add_note, "aoki", text="called")  # not a message: nothing to say
        await pilot.press("m", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert [e.actor for e in Journal.open(log_path).caseload.events_of("aoki") if type(e) is ev.MessageSent] == [
            app.journal.actor]


async def test_told_of_a_colleagues_message_the_form_says_the_pace_it_now_goes_past(make_app, log_path):
    """The pace is asked as the form opens; messages a colleague sent meanwhile count too: said
    with the refusal, before the Enter that would send a third message in a week. Of the two,
    the one named is the one this would repeat (its 24h), not merely the latest."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        colleague = Journal.open(log_path, clock=FixedClock(NOW - timedelta(minutes=10)), tz=TOKYO, actor="suzuki")
        for template in ("24h", "check-in"):
            colleague.record(cmd.send_message, "aoki", template=template, answers="checkpoint")
        await pilot.press("enter")
        await pilot.pause()
        said = str(app.screen.query_one("#form-note", Static).render())
        assert "(suzuki, 11-25 08:20, 24h)" in said and "already had 2 messages in the last 7 days (your limit: 2)" in said, said
