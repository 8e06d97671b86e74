"""Attack on ``wrap_kept`` (the form's note, a question, Audit's summary), as a property over
texts of every script the app meets and some it should survive: emoji with their skin tones,
variation selectors and joiners, combining marks, tabs and control characters (made visible
first, as ``KeptTogether`` does), NBSP, the ideographic space, half-width katakana, Hangul and
its jamo, Hebrew and Arabic, brackets and markup, ``kept`` names that overlap, hold spaces and
brackets or are wider than the line, widths 1 to 80 and the empty text.

Each line, put back together, is the text with only the spaces at the breaks dropped; no line
is wider than the width unless nothing in it may be broken; no line starts with a space or a
mark of NEVER_FIRST nor ends with one of NEVER_LAST; a kept name is never split."""

from __future__ import annotations

import time
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui_followup.core.visible import visible
from tui_followup.ui.widgets.visible import NEVER_FIRST, NEVER_LAST, KeptTogether, _ideographic, wrap_kept

SPACES = " \u3000"  # dropped at a break (the ideographic space too), never starting a line

PIECES = (
    list("abcXYZ019") + [" ", " ", " ", "  ", "[red]", "[/]", "[b]", "(", ")", "/", ":", ",", ".", "-"]
    + list("あいうかきくさしすたちつてとなにのはまやらわをんアイウカキクサシスタチ")
    + list("漢字青木花子佐藤健一予定確認済件連絡記録日時")
    + list("。、」『』（）「・ー々っゃョ！？")
    + ["か\u3099", "e\u0301", "\u0301", "\u3099"]  # combining marks (and one with nothing before it)
    + ["😀", "👍\U0001f3fb", "⭐\ufe0f", "☕\ufe0f", "❤\ufe0f", "👨\u200d👩\u200d👧", "\u200d", "\ufe0f"]
    + ["\t", "\x1b[2J", "\x07", "\n", "\r"]  # control characters: shown as KeptTogether shows them
    + ["\u00a0", "\u3000", "ｱｵｷ", "ﾊﾅｺ", "ｰ", "｡"]  # NBSP, ideographic space, half-width katakana
    + list("김민준연락두절종결") + ["\u1100\u1161", "\u3131", "ᄀᄁᄂ"]  # Hangul, its jamo
    + ["שלום", "مرحبا", "\u202e"]  # right to left, and the override (shown as \u202e)
)

texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def body_start(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def offsets(text: str, lines: list[str]) -> list[int]:
    """Where each line's text starts in the text after its leading spaces (the first at 0),
    checking on the way that only spaces lie between one line's end and the next line's start:
    nothing lost, nothing reordered, nothing added but each line's leading spaces (those the
    text starts with)."""
    lead = text[:body_start(text)]
    body = text[len(lead):]
    at, starts = 0, []
    for n, line in enumerate(lines):
        assert line.startswith(lead), (text, lines)
        own = line[len(lead):]
        if n:
            while at < len(body) and body[at] in SPACES:
                at += 1
        assert body.startswith(own, at), (text, lines, n)
        starts.append(at)
        at += len(own)
    assert at == len(body), (text, lines)
    return starts


def may_break(body: str, k: int, kept: list[str], room: int) -> bool:
    """Whether a line may start at body[k] by the rules (the glue of short runs aside: loosened
    once what it holds is wider than a line)."""
    if k <= 0 or k >= len(body) or body[k] in SPACES or body[k] in NEVER_FIRST or starts_inside_a_character(body[k]):
        return False
    if body[k - 1] == "\u200d":
        return False
    before = body[:k].rstrip(SPACES)
    if not before or before[-1] in NEVER_LAST:
        return False
    if any(at < k < at + len(part) for part in kept if part and cell_len(part) <= room for at in _all(body, part)):
        return False  # (inside a name that fits a line; one wider than a line may be broken)
    return body[k - 1] in SPACES or _ideographic(body[k - 1]) or _ideographic(body[k])


def _all(text: str, part: str):
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def check(text: str, width: int, kept: list[str]) -> list[str]:
    lines = wrap_kept(text, width, kept)
    assert lines, text
    starts = offsets(text, lines)
    lead = body_start(text)
    body = text[lead:]
    for n, (line, start) in enumerate(zip(lines, starts)):
        own = line[lead:]
        if n:
            assert own[:1] not in SPACES, (width, lines)
            assert not starts_inside_a_character(own), (width, lines)
            assert own[:1] not in NEVER_FIRST, (width, lines)
        if n < len(lines) - 1:
            assert line.rstrip(SPACES)[-1:] not in NEVER_LAST, (width, lines)
            assert line == line.rstrip(SPACES), (width, lines)  # the spaces a line ends at go
        if cell_len(line.rstrip(SPACES)) > width:  # only when nothing in it may be broken (the text's
            # own trailing spaces on its last line aside: painted, they take no line of their own)
            inside = [k for k in range(start + 1, start + len(own)) if may_break(body, k, kept, width - lead)]
            assert not inside, (width, lines, n, inside)
    breaks = starts[1:]
    room = width - cell_len(text[:lead])
    for part in kept:  # a name no wider than a line is never broken (a wider one is, where the text could be)
        if part and cell_len(part) <= room:
            for at in _all(body, part):
                assert not [b for b in breaks if at < b < at + len(part)], (part, width, lines)
    return lines


@settings(max_examples=1500)
@given(texts, st.integers(1, 80), st.data())
def test_wrap_kept_loses_nothing_and_keeps_its_rules(text, width, data):
    text = visible(text, lines=False)  # as KeptTogether gives it (tabs, newlines, ESC shown)
    names = data.draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join).map(str.strip))
    kept = [visible(names, lines=False)]
    if text:  # a name that is in the text, perhaps overlapping another
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        kept.append(text[a:b].strip(" "))
    check(text, width, [k for k in kept if k])


@given(st.integers(1, 80))
def test_the_empty_text_is_one_empty_line(width):
    assert wrap_kept("", width) == [""]
    assert wrap_kept("", width, ["青木 花子"]) == [""]


@given(st.integers(1, 3), texts)
def test_widths_of_one_to_three_cells(width, text):
    check(visible(text, lines=False), width, [])


def test_a_name_stays_whole_where_it_fits_and_the_rest_still_wraps():
    name = "Wolfeschlegelsteinhausen Bergerdorff [red]Jr[/]"
    text = f"Close the case of {name} (goal achieved)? Nothing will be due for them until it is reopened."
    for width in range(1, 60):
        lines = check(text, width, [name])
        if width >= len(name):
            assert any(name in line for line in lines), (width, lines)
        # (wider than a line: broken at its spaces, tests/ui/test_practice_close_wide_name.py)
    lines = check(text, 30, [name])
    assert lines[0] == "Close the case of" and lines[-1].endswith("reopened."), lines


def test_overlapping_names_are_each_kept_whole():
    text = "佐藤 健一 さんと佐藤 健 さん、健一 さんへ"
    for width in range(1, 40):
        check(text, width, ["佐藤 健一", "佐藤 健", "健一 さん"])


# ----- a line never starts inside what is drawn as one character (a grapheme cluster) ---------

JOINING = ("\ufe0f", "\ufe0e", "\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff", "\u200d")


def starts_inside_a_character(line: str) -> bool:
    ch = line[:1]
    return bool(ch) and (ch in JOINING or unicodedata.category(ch) in ("Mn", "Me", "Mc"))


@settings(max_examples=1000)
@given(texts, st.integers(1, 80))
def test_no_line_starts_with_a_mark_that_belongs_to_the_character_before_it(text, width):
    """A variation selector after an emoji (⭐️ ☕️), a skin tone, a combining mark: broken before
    it, the line before ends with the bare emoji (drawn as text, one cell, on many terminals)
    and the next starts with a mark on nothing."""
    text = visible(text, lines=False)
    lines = wrap_kept(text, width)
    assert not [line for line in lines[1:] if starts_inside_a_character(line)], (text, width, lines)


def test_a_coffee_emoji_in_japanese_stays_with_its_variation_selector():
    text = "本日はありがとうございました☕\ufe0fまた来週お会いしましょう"
    for width in range(4, 40):
        lines = wrap_kept(text, width)
        assert not [line for line in lines[1:] if starts_inside_a_character(line)], (width, lines)


# ----- the ideographic space: a space -----------------------------------------------------------

def test_a_japanese_name_written_with_an_ideographic_space_does_not_start_a_line_with_it():
    """「佐藤　花子」, as names typed in Japanese often are: broken before the space, the next line
    started with a blank cell two wide, read as an indent (an ASCII space at a break goes)."""
    text = "連絡の入力中に、佐藤\u3000花子さんへ別の連絡が記録されました。内容が重なっていないか確認してください。"
    for width in range(4, 60):
        lines = wrap_kept(text, width)
        assert not [line for line in lines[1:] if line[:1] in (" ", "\u3000")], (width, lines)


# ----- what it costs ------------------------------------------------------------------------------

def test_a_note_of_2000_characters_is_laid_out_at_once():
    """Not asserted as a time (measured in the report): laid out at each width a form may have,
    the result is what the rules say; the timing is printed for the record (pytest -s)."""
    note = ("この連絡の入力中に、佐々木 優子 さんへ別の連絡が記録されました（suzuki、12/5 08:11、"
            "24時間「予定の確認」）。" * 40)[:2000]
    for width in (1, 20, 66, 150):
        t0 = time.perf_counter()
        KeptTogether(note, ["佐々木 優子"])._at(width)
        print(f"2000 characters at {width}: {(time.perf_counter() - t0) * 1000:.1f} ms")
        check(note, width, ["佐々木 優子"])


def test_what_is_glued_is_loosened_for_the_lines_leading_spaces_too():
    """A text that starts with a space (Audit's summary, " On time: …") starts each line with it:
    a run glued to its kanji that fits the width alone, but not after the space, went over it."""
    assert wrap_kept(" あaaあ", 4) == [" あ", " aa", " あ"]  # (was [" あ", " aaあ"]: 5 cells)
    for width in range(2, 30):
        check(" 終結: 目標達成 12 · 連絡 途絶 3 · 本人 希望 1 件", width, [])
