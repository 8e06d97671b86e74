"""A reason (Why) or a name cut at the screen's edge ends in the text and "…" (issue 23): a wide
character (Hangul, kanji: two cells) that does not fit is left out with the space before it, and
the cell it leaves is padded after the "…" — never "연락  …" with a visible double space."""

from __future__ import annotations

import itertools
from datetime import date

from rich.cells import cell_len
from rich.console import Console
from textual.widgets import DataTable

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.widgets.visible import CutText

from .conftest import NOW, TOKYO, t

REASONS = ("매주 확인 연락, 최근 연락 11월 21일", "毎月の確認（最後の連絡 10/30）、12/3 再開の予定",
           "약속: 가 나 다 라 마 바 사 아 자 차", "missed 24h, 1w · 다음 주에 전화하기")


def rendered(text, cells: int) -> str:
    console = Console(width=cells, color_system=None, legacy_windows=False)
    lines = console.render_lines(text, console.options.update_width(cells), pad=False)
    return "".join(segment.text for segment in lines[0])


def test_a_cut_wide_text_ends_in_the_text_and_an_ellipsis_padded_after():
    for reason in REASONS:
        whole = CutText(reason, no_wrap=True, overflow="ellipsis")
        for cells in range(2, whole.cell_len):
            shown = rendered(whole, cells)
            kept, dots, pad = shown.rstrip(" ").rpartition("…")
            assert dots and not pad, (reason, cells, shown)
            assert cell_len(shown) <= cells, (reason, cells, shown)
            # cut no earlier than it must: the next word's first character did not fit before the "…"
            following = reason[len(kept):].lstrip(" ")
            if following.startswith("·"):  # (a separator is never the last thing before the "…")
                following = following[1:].lstrip(" ")
            assert cell_len(reason[:len(reason) - len(following)] + following[:1]) + 1 > cells, (reason, cells, shown)
            assert not kept.endswith(" "), (reason, cells, shown)  # no space before the "…"
            assert not kept.endswith("·"), (reason, cells, shown)  # nor a separator with nothing after it
            assert reason.startswith(kept), (reason, cells, shown)
        assert rendered(whole, whole.cell_len) == reason  # a text that fits is not cut


async def test_korean_reasons_at_80_columns_have_no_double_space_before_the_ellipsis(tmp_path):
    log = tmp_path / "events.jsonl"
    journal = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    for k in range(6):  # the same spaced Hangul shifted by a cell each: one of them is cut after a space
        client = f"k{k}"
        journal.record(cmd.register_client, client, f"김민준{k}", channel="chat", language="ko",
                       at=t("2026-11-01 09:00"))
        journal.record(cmd.make_promise, client, date(2026, 11, 24),
                       "x" * k + " 가 나 다 라 마 바 사 아 자 차 카 타 파 하 가 나 다 라 마 바 사", at=t("2026-11-10 09:00"))
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        lines = [table.render_line(y).text for y in range(1, 1 + table.row_count)]
        cut = [line for line in lines if "…" in line]
        assert len(cut) == 6, lines
        for line in cut:
            assert " …" not in line, line
