"""A practitioners' pass on the close (80x24, Japanese): a sentence's end followed by a space
held on to the next character (a short run between ideographic characters, glued so that
「12/5 08:11」 and 「1 件」 stay whole), so when the 「？」 fitted and 「 再」 did not, the line
broke inside the reason before it: 「長谷川 美智子 さんの案件を終結しますか（他機関へ紹⏎介）？
再受付するまで…」, 「（目標達⏎成）？」, 「（応答な⏎し）？」, the first line 8 cells short."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui_followup.ui.widgets.visible import wrap_kept

from .test_practice_close_question_name import SIZE, app_in, question_of_close, renamed


async def test_the_japanese_close_question_breaks_after_its_question_mark_not_inside_the_reason(log_path):
    renamed(log_path, "長谷川 美智子")
    app = app_in(log_path, "ja")
    async with app.run_test(size=SIZE) as pilot:
        lines = await question_of_close(app, pilot, "3")
        assert any("（他機関へ紹介）？" in line for line in lines), lines


@pytest.mark.parametrize("name", ["長谷川 美智子", "[仮] 長谷川 美智子", "佐々木 明美"])
@pytest.mark.parametrize("reason", ["目標達成", "本人の辞退", "他機関へ紹介", "応答なし", "その他"])
def test_a_sentences_end_and_its_space_do_not_hold_on_to_the_next_character(name, reason):
    """「（目標達⏎成）？ 再受付」: the ？ fitted, its space and 再 did not."""
    text = f"{name} さんの案件を終結しますか（{reason}）？ 再受付するまで予定は出ません。"
    lines = wrap_kept(text, 58, [name])  # the question's width at 80x24
    if cell_len(text[:text.index("？") + 1]) <= 58:  # it fits: the line ends there, or later
        assert lines[0].startswith(text[:text.index("？") + 1]), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
