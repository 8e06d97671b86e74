"""An attack on the form refitted on resize (FormNote): the messaged-since refusal on the form,
the terminal resized larger, back, and narrower; the buttons stay in view each time."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO
from .test_refusal_fits_the_form import app_in, in_view


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_the_refusal_and_the_buttons_stay_in_view_through_resizes(log_path, language):
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(
            cmd.send_message, "aoki", template="24h", answers="checkpoint", summary="長い要約" * 20)
        await pilot.press("enter")
        await pilot.pause()
        for size in ((160, 45), (80, 24), (100, 30), (80, 24), (120, 36), (80, 24)):
            await pilot.resize_terminal(*size)
            for _ in range(4):
                await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            assert form.query_one("#form-note", Static).region.height, size
            in_view(form, size)
