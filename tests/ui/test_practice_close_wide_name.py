"""A practitioners' pass on the close (80x24, Japanese): a name wider than the note's line
(a foreign name in katakana) was left whole for the painter to fold: the line before it left
half empty and one character alone on the next (「記録されませんでした:⏎アレク…ジグマリンゲ⏎ン⏎
さんの案件は…」, four lines where three hold it). Such a name is broken as Japanese is, as a
glued run wider than a line already was."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO
from .test_practice_close_question_name import SIZE, app_in, painted, renamed
from .test_refusal_fits_the_form import in_view

LONG = "アレクサンドラ・エカテリーナ・フォン・ホーエンツォレルン＝ジグマリンゲン"


async def test_a_name_wider_than_the_note_is_broken_as_japanese_not_folded_short(log_path):
    renamed(log_path, LONG)
    app = app_in(log_path, "ja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"moved", "tab", "2")
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(cmd.close_case, "aoki", "withdrew")
        await pilot.press("enter", "y")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is form
        note = form.query_one("#form-note", Static)
        lines = painted(note)
        width = note.content_region.width
        assert "すでに終結しています" in "".join(lines), lines
        assert len(lines) <= 3, lines  # (72 + 62 cells: two lines of 72 and the time)
        assert all(cell_len(line) > width - 8 for line in lines[:-1]), (width, lines)
        in_view(form)
