"""Attacks on the message form's "messaged since" warning (record_forms.message_form's seen)."""

from __future__ import annotations

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO
from .test_triage import SIZE


def sent(log_path):
    return [e.actor for e in Journal.open(log_path).caseload.events_of("aoki") if type(e) is ev.MessageSent]


async def test_an_enter_burst_after_a_colleagues_message_sends_one(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(
            cmd.send_message, "aoki", template="24h", answers="checkpoint")
        await pilot.press("enter", "enter", "enter", "enter")
        await pilot.pause()
        assert sent(log_path) == ["suzuki", app.journal.actor]


async def test_two_forms_of_one_user_the_second_is_told(make_app, log_path):
    """Two windows of the same counselor on one client: the second form is warned of the first's."""
    app, other = make_app(), make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        async with other.run_test(size=SIZE, notifications=True) as pilot2:
            await pilot.press("m")
            await pilot2.press("m")
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, FormScreen)
            await pilot2.press("enter")
            await pilot2.pause()
            assert isinstance(other.screen, FormScreen)
            assert sent(log_path) == [app.journal.actor]


async def test_a_retraction_and_a_message_by_a_colleague_while_the_form_is_open_is_said(make_app, log_path):
    """The form opened on one earlier message; meanwhile a colleague retracts that one and sends
    the 24h: same count as at opening, yet the client got a message the writer never saw."""
    Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(
        cmd.send_message, "aoki", at=NOW.replace(day=21))  # before the 11-22 session: the 24h still due
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        first = [e for e in colleague.caseload.events_of("aoki") if type(e) is ev.MessageSent][0]
        colleague.record(cmd.retract, first.id, "wrong client")
        colleague.record(cmd.send_message, "aoki", template="24h", answers="checkpoint")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # told, not sent
        assert sent(log_path) == ["suzuki", "suzuki"]
