"""Issue 24: every field the command line takes is reachable from the app: `--at` (when it
happened) on every form whose `record` kind takes it, `message --no-reply-needed` and `--for`,
and `retract --reason` in the undo dialog. Keys pressed in bursts."""

from __future__ import annotations

from textual.widgets import Input

from tui_followup.core import events as ev
from tui_followup.ui.forms import ConfirmScreen, FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen

from .conftest import events_in, t
from .test_keyboard import burst, settle

SIZE = (120, 36)
BEFORE = "2026-11-24 15:00"

# (whose screen, the key, what is typed first, the event it records)
FORMS = {
    "pause": ("aoki", "p", [*"care"], ev.ClientPaused),
    "snooze": ("aoki", "z", [], ev.FollowUpSnoozed),
    "promise": ("aoki", "i", [*"list"], ev.PromiseMade),
    "note": ("aoki", "n", [*"hello"], ev.NoteAdded),
    "close": ("aoki", "c", [*"done"], ev.CaseClosed),
    "reopen": ("mori", "o", [*"back"], ev.CaseReopened),
    "resume": ("sato", "u", [], ev.ClientResumed),  # (it recorded at once, with no When)
    "consent": ("aoki", "a", [], ev.ConsentRecorded),
    "assign": ("aoki", "h", [*"sato"], ev.ClientAssigned),
    "book": ("aoki", "b", [], ev.AppointmentBooked),
    "edit": ("aoki", "e", [*"x"], ev.ClientUpdated),
    "register": (None, "a", [*"Zed"], ev.ClientRegistered),
}


async def open_screen(app, pilot, client: str | None) -> None:
    if client is None:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen))
        return
    app.push_screen(ClientScreen(client))
    await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.is_mounted)


async def fill_when(app, pilot, key: str, typed: list[str], when: str) -> None:
    burst(app, key, *typed)
    await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready and not app.keys_pending)
    app.screen.query_one("#field-at", Input).focus()
    await pilot.pause()
    burst(app, *when, "enter")
    await settle(app, pilot, lambda: not app.keys_pending)


async def test_every_form_whose_command_takes_at_has_a_when(make_app, log_path):
    for form, (client, key, typed, recorded) in FORMS.items():
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await open_screen(app, pilot, client)
            before = len(events_in(log_path))
            await fill_when(app, pilot, key, typed, BEFORE)
            if form == "close":  # close asks once
                await settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
                burst(app, "y")
            await settle(app, pilot, lambda: len(events_in(log_path)) > before)
            new = events_in(log_path)[before:]
            assert [type(e) for e in new] == [recorded], form
            assert new[0].at == t(BEFORE), form


async def test_a_when_later_than_now_is_refused_on_the_form(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, "aoki")
        before = len(events_in(log_path))
        await fill_when(app, pilot, "n", [*"hello"], "2026-11-26 10:00")
        await settle(app, pilot, lambda: "later than now" in str(app.screen.query_one("#form-note").render()))
        assert isinstance(app.screen, FormScreen)
        assert "later than now" in str(app.screen.query_one("#form-note").render())
        assert len(events_in(log_path)) == before


async def test_the_message_form_takes_no_reply_needed_and_what_it_is_for(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, "aoki")
        burst(app, "m")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        fields = {f.name: f for f in app.screen.fields}
        assert "no_reply_needed" in fields and "answers" in fields
        app.screen.query_one("#field-no_reply_needed").focus()
        await pilot.pause()
        burst(app, "2", "enter")  # 2: no reply needed
        await settle(app, pilot, lambda: not isinstance(app.screen, FormScreen))
        sent = events_in(log_path)[-1]
        assert isinstance(sent, ev.MessageSent) and sent.no_reply_needed


async def test_the_note_after_a_session_is_recorded_as_needing_no_reply(make_app, log_path):
    """Its text tells the client there is no need to reply: the form says so by itself (a
    practitioner's morning found it recorded as waiting for one, and the Weekly review listed
    the client as waiting)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, "aoki")  # the 24h, overdue
        burst(app, "m")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        burst(app, "enter")
        await settle(app, pilot, lambda: not isinstance(app.screen, FormScreen))
        sent = events_in(log_path)[-1]
        assert isinstance(sent, ev.MessageSent) and sent.template == "24h" and sent.no_reply_needed


async def test_the_undo_dialog_asks_for_the_reason_retract_takes(make_app, log_path):
    """Ctrl+Z, Tab, a reason, Enter: the retraction carries it (it said "undone in the app")."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, "aoki")
        burst(app, "n", *"oops", "enter")
        await settle(app, pilot, lambda: isinstance(events_in(log_path)[-1], ev.NoteAdded))
        burst(app, "ctrl+z")
        await settle(app, pilot, lambda: app.screen.query("#field-reason"))
        burst(app, "tab", *"wrong client", "enter")  # y / n still answer at once; Tab: a reason
        await settle(app, pilot, lambda: isinstance(events_in(log_path)[-1], ev.EventRetracted))
        retracted = events_in(log_path)[-1]
        assert retracted.reason == "wrong client"


async def test_closing_with_a_when_later_than_now_is_refused_before_the_question(make_app, log_path):
    """The close form asks "close?" after it: a When later than now is said on the form first
    (it was said in a toast after the form had gone)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, "aoki")
        before = len(events_in(log_path))
        await fill_when(app, pilot, "c", [*"done"], "2026-11-26 10:00")
        await settle(app, pilot, lambda: "later than now" in str(app.screen.query_one("#form-note").render()))
        assert isinstance(app.screen, FormScreen) and not isinstance(app.screen, ConfirmScreen)
        assert len(events_in(log_path)) == before
