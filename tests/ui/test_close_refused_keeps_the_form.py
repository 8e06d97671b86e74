"""A close refused after its question keeps what was typed (a practitioners' pass: the closing
summary and the reason chosen were lost with the form, and only a toast said why). The form
asks its question before recording and stays open on a refusal, as every other form does."""

from __future__ import annotations

from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import ConfirmScreen, FormScreen

from .conftest import NOW, TOKYO
from .test_triage import SIZE, rows


def closes(log_path) -> list[tuple[str, str, str]]:
    return [(e.actor, e.reason, e.summary) for e in Journal.open(log_path).caseload.events_of("aoki")
            if type(e) is ev.CaseClosed]


async def test_a_close_a_colleague_made_first_leaves_the_form_open_as_typed(make_app, log_path):
    app = make_app()  # no poll: the colleague's close is read only when this window records
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert rows(app)[0] == ("青木 花子", "24h")
        await pilot.press("c")
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"moved away [abroad]")
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.close_case, "aoki", "withdrew")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)  # the question first, as before
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen), form  # refused: the form again, as typed
        assert form.values()["summary"] == "moved away [abroad]"
        said = str(form.query_one("#form-note", Static).render())
        assert "already closed (suzuki, 11-25 08:30)" in said, said
        assert closes(log_path) == [("suzuki", "withdrew", "")]
        form.query_one("#form-note").update("")
        await pilot.press("enter")  # the case is closed now: refused at once, no question whose yes would be refused
        await pilot.pause()
        assert app.screen is form and "already closed" in str(form.query_one("#form-note", Static).render())
        assert closes(log_path) == [("suzuki", "withdrew", "")]
        await pilot.press("escape")  # typed: asked before it is thrown away
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert all(name != "青木 花子" for name, _ in rows(app))  # their close is shown


async def test_a_close_answered_no_stays_on_the_form_and_yes_records_it(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"goal met", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.values()["summary"] == "goal met"
        await pilot.press("enter", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        assert closes(log_path) == [(app.journal.actor, "goal_achieved", "goal met")]


async def test_a_when_that_does_not_read_is_said_on_the_form_without_the_question(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c")
        form = app.screen
        form.query_one("#field-at").value = "zz"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # no question about a close that cannot be recorded
        assert "zz" in str(form.query_one("#form-note", Static).render())
        assert closes(log_path) == []


async def test_an_enter_after_esc_keeps_what_was_typed(make_app, log_path):
    """Throwing a typed form away is asked, and only y says yes: Esc then a reflexive Enter
    threw away what was typed (a practitioners' pass)."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"moved away", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.values()["summary"] == "moved away"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        assert closes(log_path) == []
