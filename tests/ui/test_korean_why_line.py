"""The line under Today's list says the cursor row's reason whole; at 80 columns in Korean it
wrapped inside a date (「12월⏎5일」, a practitioners' pass). It wraps as wrap_kept does: at
spaces, never between two words with digits (a date, a date and its time)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tui_followup.ui.widgets.visible import wrap_kept

from .test_korean import app_in

WHY = "의향 확인: 12월 5일 이후 소식 없음, 답장 없는 연락 3번  ·  채팅  ·  최근 연락 11월 2일"


@pytest.mark.parametrize("width", range(12, 81))
def test_a_korean_date_is_never_broken_between_its_month_and_its_day(width):
    lines = wrap_kept(WHY, width)
    text = "\n".join(lines)
    assert "12월 5일" in text and "11월 2일" in text, lines
    assert " ".join(" ".join(lines).split()) == " ".join(WHY.split())  # nothing lost


def test_a_date_and_its_time_stay_together_and_other_spaces_still_break():
    assert wrap_kept("sent by suzuki on 11-25 08:30 about the 24h", 20) == ["sent by suzuki on", "11-25 08:30 about", "the 24h"]
    assert wrap_kept("연락 3번 더", 6) == ["연락", "3번 더"]  # (a count after a word breaks before it)


@pytest.mark.parametrize("size", [(80, 24), (32, 24)])  # (a guard: the seed's reasons, wrapped as wrap_kept does)
async def test_todays_why_line_in_korean_keeps_its_dates_whole(log_path, size):
    app = app_in(log_path, "ko")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        why = app.screen.query_one("#why", Static)
        for _ in range(len(app.screen.items)):
            said = str(why.render())
            lines = ["".join(s.text for s in strip).rstrip()
                     for strip in why.render_lines(why.content_region.reset_offset)]
            for line, after in zip(lines, lines[1:]):
                assert not (line.endswith("월") and after[:1].isdigit()), (said, lines)
            await pilot.press("j")
