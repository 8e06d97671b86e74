"""At 80x24 in Japanese and Korean the "messaged since" refusal is taller than the clipboard
note it replaces; the form's buttons (and in Japanese the sentence's last word) fell below the
form's edge until another refusal came (a practitioners' pass)."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO


def app_in(log_path, language: str) -> FollowupApp:
    """kato's app on the seeded log, in ``language``."""
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={}, language=language)


def in_view(form: FormScreen, *context) -> None:
    """The form's note and its buttons end inside the form."""
    box = form.query_one("Vertical").content_region
    note = form.query_one("#form-note", Static)
    buttons = list(form.query(Button))
    assert note.region.bottom <= box.bottom, (*context, note.region, box)
    assert buttons and all(b.region.height and b.region.bottom <= box.bottom for b in buttons), (
        *context, [b.region for b in buttons], box)


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_the_messaged_since_refusal_leaves_the_buttons_in_view_at_80x24(make_app, log_path, language):
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"abc")
        colleague = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")
        colleague.record(cmd.send_message, "aoki", template="24h", answers="checkpoint")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        in_view(app.screen)
