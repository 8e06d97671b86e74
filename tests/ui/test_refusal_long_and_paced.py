"""A practitioners' pass on the "messaged since" refusal: a colleague's long
summary with the pace question appended made the note seven lines at 80x24 in Japanese, and the
form's buttons went below its edge (the fields' scroll was at its two lines; the template's box
did not give way); and the refusal and the pace question ran together as one sentence
("…press Enter again to record yours too 青木 花子 already had …")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO
from .test_refusal_fits_the_form import app_in, in_view

LONG = ("Long summary [b]x[/b] with [red]markup[/red] and more text to exceed one hundred "
        "characters in total, yes indeed, end.")


async def _refused(log_path, language, pilot, app):
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    await pilot.press(*"abc")
    colleague = Journal.open(log_path, clock=FixedClock(NOW - timedelta(minutes=10)), tz=TOKYO, actor="suzuki")
    colleague.record(cmd.send_message, "aoki", template="24h", answers="checkpoint")
    colleague.record(cmd.send_message, "aoki", summary=LONG)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    return app.screen


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_a_long_colleague_summary_and_the_pace_leave_the_buttons_in_view_at_80x24(log_path, language):
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _refused(log_path, language, pilot, app)
        in_view(form)


@pytest.mark.parametrize("language, end", [("en", "yours too."), ("ja", "押してください。"), ("ko", "누르십시오.")])
async def test_the_refusal_and_the_pace_question_are_two_sentences(log_path, language, end):
    app = app_in(log_path, language)
    async with app.run_test(size=(160, 45)) as pilot:
        form = await _refused(log_path, language, pilot, app)
        said = str(form.query_one("#form-note", Static).render())
        assert end in said, said
