"""A count of one said as one where a user reads it: kim's checkpoint, due yesterday, on the
Client screen said ", 1 days overdue" in English (Words.counted and its _one keys)."""

from __future__ import annotations

import pytest

from .test_refusal_fits_the_form import app_in


@pytest.mark.parametrize("language,said", [("en", "1 day overdue"), ("ja", "1日超過"), ("ko", "1일 지연")])
async def test_one_day_overdue_on_the_client_screen(log_path, language, said):
    app = app_in(log_path, language)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_client("kim")
        await pilot.pause()
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        assert said in shown
        assert "1 days" not in shown
