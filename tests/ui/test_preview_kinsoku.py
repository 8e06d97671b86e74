"""The message form's preview wraps Japanese as a Japanese reader expects (issue 23): a line never
starts with 。、」』）！？ー or a small kana (ゃゅょっ…), nor ends with 「『（ — the break moves
earlier, usually by one or two characters (kinsoku; 「ちょっと splits only before its 「). The
text itself, what is copied, has no line break added."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.widgets import TextArea

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.widgets.visible import kinsoku_offsets, wrap_kept

from .conftest import NOW, TOKYO, t

NEVER_FIRST = set("」』）］｝〕〉》】)]}”’。、，．・：；？！ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々")
NEVER_LAST = set("「『（［｛〔〈《【([{“‘")

# Steps that put, at 80x24, a break of Textual's own where kinsoku forbids it: before 。 (the
# step ending just there), ー, ）, っ; after 「 (the step's own bracket, turned to 『, at the
# first line's end); and steps that end in brackets and small kana.
STEPS = ["履履履履履を書く", "履" * 20 + "を書く", "（仮）職務経歴書をまとめる！", "キャリアシートっ", "チェックシートー",
         "ちょっと休む", "履「志望動機」を書く", "「求人票」「応募書類」『面接』", "ジョブ・カード：下書き？"]
NAMES = ["青木 花子", "青木花子"]  # with a space (the name kept on one line) and without


def rows_of(preview: TextArea) -> list[list[str]]:
    return preview.wrapped_document.lines


async def test_a_japanese_preview_line_never_starts_or_ends_with_a_mark_kinsoku_forbids(tmp_path):
    journal = Journal.open(tmp_path / "events.jsonl", languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO,
                           actor="kato", new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    clients = list(itertools.product(NAMES, STEPS))
    for n, (name, step) in enumerate(clients):
        journal.record(cmd.register_client, f"c{n}", name, channel="chat", language="ja", at=t("2026-09-01 09:00"))
        journal.record(cmd.hold_session, f"c{n}", at=t("2026-11-24 10:00"), next_step=step)
    copied: list[str] = []
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ja")
    app.copy_text = copied.append
    broken, wrapped = [], 0
    async with app.run_test(size=(80, 24)) as pilot:
        for n, (name, step) in enumerate(clients):
            app.client_action("message", f"c{n}")
            await pilot.pause()
            preview = app.screen.query_one("#preview", TextArea)
            assert "の件は" in preview.text and "お返事は不要です" in preview.text, preview.text  # the 24h note
            width = preview.wrapped_document._width
            for line, sections in zip(preview.text.split("\n"), rows_of(preview)):
                assert "".join(sections) == line  # the breaks are the view's: the text is whole
                wrapped += len(sections) - 1
                assert all(cell_len(row) <= width for row in sections), sections
                for before, after in itertools.pairwise(sections):
                    if after[:1] in NEVER_FIRST or before[-1:] in NEVER_LAST:
                        broken.append((step, before, after))
            assert "\n".join("".join(sections) for sections in rows_of(preview)) == preview.text
            assert copied[-1] == preview.text  # copied as the text is, no line break of the view's
            await pilot.press("ctrl+y")
            assert copied[-1] == preview.text
            await pilot.press("escape")
            await pilot.pause()
    assert wrapped >= len(clients)  # every preview wraps
    assert broken == [], "\n".join(map(repr, broken))


def test_the_audit_summary_breaks_only_at_spaces_so_never_before_a_japanese_mark():
    """Audit's summary (``wrap_kept``) breaks a line at a space only; the Japanese summary's words
    never start with a mark kinsoku forbids, so it needs nothing more."""
    reasons = ["目標達成 12", "本人の辞退 3", "他機関へ紹介 1", "応答なし 4", "その他 2"]
    summary = " 期限内: 120件中 50% · 注意 3人 · 終結: " + "、".join(reasons)
    for width in range(20, 81):
        lines = wrap_kept(summary, width, reasons)
        assert "".join(lines).replace(" ", "") == summary.replace(" ", "")
        assert not [line for line in lines[1:] if line.strip()[:1] in NEVER_FIRST], (width, lines)
        assert not [line for line in lines[:-1] if line.rstrip()[-1:] in NEVER_LAST], (width, lines)



async def test_typing_in_the_preview_keeps_the_rule_and_the_text(tmp_path):
    """The preview stays editable: what is typed lands where the cursor is, and the view rewraps by
    the same rule."""
    journal = Journal.open(tmp_path / "events.jsonl", languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO,
                           actor="kato", new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    journal.record(cmd.register_client, "c0", "青木 花子", channel="chat", language="ja", at=t("2026-09-01 09:00"))
    journal.record(cmd.hold_session, "c0", at=t("2026-11-24 10:00"), next_step="履歴書を書く")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ja")
    app.copy_text = lambda text: None
    async with app.run_test(size=(80, 24)) as pilot:
        app.client_action("message", "c0")
        await pilot.pause()
        preview = app.screen.query_one("#preview", TextArea)
        before = preview.text
        preview.focus()
        preview.move_cursor((1, 0))  # typed before 昨日は…: the 。 after ございました reaches the edge
        for typed in ("大変", "お忙しいなか", "、"):
            preview.insert(typed)
            await pilot.pause()
        await pilot.press("down", "up", "end", "home")
        assert preview.text == before.replace("様\n", "様\n大変お忙しいなか、", 1), preview.text
        assert len(preview.wrapped_document.lines[1]) > 1  # that line wraps
        for line, sections in zip(preview.text.split("\n"), preview.wrapped_document.lines):
            assert "".join(sections) == line
            for first, second in itertools.pairwise(sections):
                assert second[:1] not in NEVER_FIRST and first[-1:] not in NEVER_LAST, sections


WIDTH = st.integers(min_value=6, max_value=40)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="abc xyz,.'-", max_size=120), width=WIDTH)
def test_a_text_without_those_marks_wraps_as_textual_wraps_it(text, width):
    assert kinsoku_offsets(text, width) == compute_wrap_offsets(text, width, 4)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="あ字カ漢 。、」「『』ーっゃ！（）a", min_size=1, max_size=120), width=WIDTH)
def test_each_break_keeps_a_mark_with_its_neighbour_where_four_characters_allow(text, width):
    breaks = kinsoku_offsets(text, width)
    sections = [text[a:b] for a, b in itertools.pairwise([0, *breaks, len(text)])]
    assert "".join(sections) == text and all(sections)
    assert all(cell_len(s.rstrip()) <= width for s in sections), sections
    for start, at in itertools.pairwise([0, *breaks]):
        def allowed(b: int) -> bool:
            return text[b] not in NEVER_FIRST and text[b - 1] not in NEVER_LAST
        if not allowed(at):  # no place up to four characters earlier would do
            assert not [b for b in range(max(start + 1, at - 4), at) if allowed(b) and text[b] != " "], (text, breaks)
