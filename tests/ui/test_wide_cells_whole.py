"""A double-width character drawn over another widget's edge stays whole (ui/wide_cells.py):
Textual's compositor split it at the edge of the widget beneath and drew two spaces for it.
A refusal toast over Clients read 「…더 기록하지 않습니」 at 80x24 in Korean, its last syllable
lost at the list's scrollbar (textual#6357)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from textual._compositor import Compositor

from tui_followup.ui import wide_cells
from tui_followup.ui.wide_cells import keep_wide_cells_whole

keep_wide_cells_whole()  # (as importing the app does)

KOREAN = "내담자 forgotten-03b32a2144: 잊힌 내담자입니다 (지워졌습니다). 이 사람에 대해서는 더 기록하지 않습니다"
JAPANESE = "このクライアントのデータは消去されました。その画面とフォームを閉じました。入力中の内容は記録されていません"


class Beneath(App):
    """A long list with its scrollbar, and beside it a narrow column: edges under a toast."""

    CSS = "#left { width: 1fr; } #right { width: 7; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="left"):
                for n in range(80):
                    yield Static(f"row {n} 行 {n}")
            yield Static("\n".join("|" * 7 for _ in range(60)), id="right")


def _lines_of(widget) -> list[str]:
    return [strip.text for strip in widget.render_lines(widget.region.reset_offset)]


@pytest.mark.parametrize("text", [KOREAN, JAPANESE])
async def test_a_toast_over_other_widgets_edges_shows_every_character(text):
    assert await _toasts_drawn_whole(text) == []


@pytest.mark.parametrize("text", [KOREAN, JAPANESE])
async def test_textuals_own_drawing_loses_characters_there(text, monkeypatch):
    """(What the test above is of: the same toasts, drawn by Textual's own compositor.)"""
    monkeypatch.setattr(Compositor, "_render_chops", wide_cells.TEXTUALS_OWN)
    assert await _toasts_drawn_whole(text) != []


async def _toasts_drawn_whole(text: str) -> list:
    """The toast lines (width, as drawn, as the toast drew them) the screen shows otherwise."""
    checked, wrong = 0, []
    for width in range(60, 101, 3):
        app = Beneath()
        async with app.run_test(size=(width, 24), notifications=True) as pilot:
            app.notify(text, title="기록하지 않았습니다", timeout=30)
            for _ in range(20):  # (until the toast is laid out where it shows)
                await pilot.pause()
                toasts = app.screen.query("Toast")
                composed = [strip.text for strip in app.screen._compositor.render_strips()]
                if toasts and toasts.first().region.width and "▌" in composed[toasts.first().region.y]:
                    break
            toast = toasts.first()
            region = toast.region
            for offset, own in enumerate(_lines_of(toast)):
                line = composed[region.y + offset]
                shown = _cells(line, region.x, region.right)
                if not shown.startswith("▌"):
                    continue  # (a line of the toast the screen's edge clips)
                if shown != own:
                    wrong.append((width, shown, own))
                checked += 1
    assert checked > 50
    return wrong


def _cells(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between cell ``start`` and ``end``."""
    from rich.cells import cell_len

    out, x = [], 0
    for char in line:
        if start <= x < end:
            out.append(char)
        x += cell_len(char)
    return "".join(out)
