"""Japanese in a note or a question breaks where Japanese may break (between two characters,
never before 。」 nor after 「), not only at the few ASCII spaces it holds: a practitioners'
pass read 「佐々木 優子⏎さんへ」, 「12/5⏎08:11」 and 「（上限 1⏎件）」, each line cut short at
the last space. Korean, written with spaces between words, still breaks at them only."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui_followup.ui.widgets.visible import NEVER_FIRST, NEVER_LAST, wrap_kept

JA = ("この連絡の入力中に、佐々木 優子 さんへ別の連絡が記録されました（suzuki、12/5 08:11、24時間「予定の確認」）。"
      "内容が重なっていないか確認し、それでも送る場合はもう一度 Enter（連絡を記録）を押してください。"
      "佐々木 優子 さんにはこの7日間ですでに 2 件連絡しています（上限 1 件）。さらに記録しますか？")
KO = ("이 연락을 입력하는 동안 김민준 님께 다른 연락이 기록되었습니다 (suzuki, 12-05 08:11, 24시간). "
      "겹치지 않는지 확인하고, 그래도 보내려면 Enter를 한 번 더 누르세요.")


@pytest.mark.parametrize("width", range(24, 81))
def test_japanese_fills_its_lines_and_keeps_names_times_and_counts_whole(width):
    lines = wrap_kept(JA, width, ["佐々木 優子"])
    assert "".join(lines).replace(" ", "") == JA.replace(" ", "")  # nothing lost, nothing added
    assert all(cell_len(line) <= width for line in lines), lines
    joined = "\n".join(lines)
    for whole in ("佐々木 優子", *(("12/5 08:11", "1 件", "2 件", "suzuki") if width >= 40 else ())):
        assert joined.count(whole) == JA.count(whole), (whole, lines)  # (narrower: loosened to fit)
    assert not [line for line in lines[1:] if line[:1] in NEVER_FIRST or line[:1] == " "], lines
    assert not [line for line in lines[:-1] if line[-1:] in NEVER_LAST], lines
    # each line but the last is full, or the next begins with what could not be broken
    for line, after in zip(lines, lines[1:]):
        assert cell_len(line) > width - 16, (width, lines)  # (a name held to its さん: up to 16)


def test_the_three_lines_the_pass_read_are_gone_at_the_forms_width():
    lines = wrap_kept(JA, 66, ["佐々木 優子"])
    for line, after in zip(lines, lines[1:]):
        assert not (line.endswith("佐々木 優子") and after.startswith("さん")), lines
        assert not (line.endswith("12/5") or line.endswith("上限 1")), lines


@pytest.mark.parametrize("width", range(20, 81))
def test_korean_breaks_between_words_only(width):
    lines = wrap_kept(KO, width)
    words = KO.split(" ")
    assert " ".join(lines).split(" ") == words or "".join(lines).replace(" ", "") == KO.replace(" ", "")
    for line in lines:
        assert all(word in words for word in line.split(" ") if word), (width, line)


def test_english_wraps_at_spaces_as_before():
    text = "Aoki Hanako was sent a message (suzuki, 11-25 08:30, 24h) after you opened this one: check it"
    assert wrap_kept(text, 30) == ["Aoki Hanako was sent a message", "(suzuki, 11-25 08:30, 24h)",
                                   "after you opened this one:", "check it"]


async def test_the_refusal_on_a_japanese_form_at_80x24_breaks_as_japanese(log_path):
    """The form's own line, painted: the client's name whole with its さん, the colleague's
    time whole, each line but the last filled to within a name's width."""
    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal
    from tui_followup.ui.forms import FormScreen

    from .conftest import NOW, TOKYO
    from .test_refusal_fits_the_form import app_in, in_view

    app = app_in(log_path, "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(
            cmd.send_message, "aoki", template="24h", answers="checkpoint", summary="予定 [確認] 済み")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        note = form.query_one("#form-note")
        width = note.content_region.width
        lines = ["".join(s.text for s in strip).rstrip() for strip in note.render_lines(note.content_region.reset_offset)]
        lines = [line for line in lines if line]
        assert len(lines) >= 2, lines
        text = "\n".join(lines)
        assert "青木 花子 さん" in text and "11/25 08:30" in text and "[確認]" in text, lines
        assert all(cell_len(line) > width - 16 for line in lines[:-1]), (width, lines)
        in_view(form)
