"""More attacks on the message form's "messaged since" refusal (second round)."""

from __future__ import annotations

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO
from .test_triage import SIZE


def colleague(log_path) -> Journal:
    return Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")


async def test_a_client_forgotten_while_the_form_is_open_gets_no_message(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        forget(colleague(log_path), "aoki")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        mine = [e for e in Journal.open(log_path).caseload.events_of("aoki")
                if type(e) is ev.MessageSent and e.actor == app.journal.actor]
        assert mine == []


async def test_a_colleagues_summary_with_a_newline_and_an_escape_is_said_on_one_line_as_text(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        colleague(log_path).record(cmd.send_message, "aoki", template="24h", answers="checkpoint",
                                   summary="line one\nline two [red]red[/] [bold]x")  # (ESC is refused as typed)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        note = str(app.screen.query_one("#form-note").render())
        assert "suzuki" in note and "line one" in note
        assert "\n" not in note.split("suzuki", 1)[1].split("line two")[0]
        assert "[red]red[/]" in note  # as typed, not read as markup
