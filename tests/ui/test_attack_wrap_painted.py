"""Attack on ``KeptTogether`` as a Textual visual, painted by a Static at widths 1 to 80: what
is painted is the text (its markup-like brackets as typed, its control characters shown), line
for line what ``wrap_kept`` says where the lines fit, the Static as tall as what it paints (no
line cut off below, none blank), and a text too wide for the Static folded, never lost."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui_followup.core.visible import visible
from tui_followup.ui.widgets.visible import KeptTogether, wrap_kept

TEXTS = [
    ("Close the case of [red]Aoki[/] Hana [b]x ({reason})? Nothing will be due until it is reopened.", ["[red]Aoki[/] Hana"]),
    ("佐藤\u3000花子 さんの案件を終結しますか（目標達成）？ 再受付するまで予定は出ません。☕\ufe0f👍\U0001f3fb", ["佐藤\u3000花子"]),
    ("김민준 님의 사례를 종결하시겠습니까 (연락 두절)? 재접수할 때까지 예정된 연락이 없습니다.", ["김민준"]),
    ("a\tb\x1b[2Jc\nd שלום مرحبا \u202e end", []),
    ("Wolfeschlegelsteinhausenbergerdorff-Smythe-Jones was sent a message", ["Wolfeschlegelsteinhausenbergerdorff-Smythe-Jones"]),
    ("", []),
]


class One(App):
    def __init__(self, visual, width: int) -> None:
        super().__init__()
        self.visual, self.width_ = visual, width

    def compose(self) -> ComposeResult:
        yield Static(self.visual, id="it", markup=False)

    def on_mount(self) -> None:
        it = self.query_one("#it")
        it.styles.width = self.width_
        it.styles.height = "auto"


def painted(widget) -> list[str]:
    region = widget.content_region.reset_offset
    return ["".join(s.text for s in strip).rstrip() for strip in widget.render_lines(region)]


@pytest.mark.parametrize("text,kept", TEXTS)
async def test_painted_as_wrapped_as_tall_as_its_lines_and_nothing_lost(text, kept):
    wide = cell_len(text) > len(text)  # (a wide character cannot be painted in one cell: from 2)
    for width in (2 if wide else 1, 2, 3, 5, 8, 13, 21, 34, 55, 80):
        visual = KeptTogether(text, kept)
        app = One(visual, width)
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            it = app.query_one("#it")
            lines = painted(it)
            shown = visible(text, lines=False)
            assert str(visual) == shown
            assert "".join(lines).replace(" ", "").replace("\u3000", "") == \
                shown.replace(" ", "").replace("\u3000", ""), (width, lines)  # nothing lost, as typed
            assert it.content_region.height == max(1, len(lines)), (width, lines)  # as tall as it paints
            assert all(cell_len(line) <= width for line in lines), (width, lines)  # folded, not cut
            wrapped = wrap_kept(shown, width, [visible(k, lines=False) for k in kept])
            if all(cell_len(line) <= width for line in wrapped):
                assert lines == [line.rstrip() for line in wrapped] or lines == [""] and wrapped == [""], (width, lines)
