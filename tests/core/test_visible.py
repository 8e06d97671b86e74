"""Control characters in user text are shown, never obeyed; the command layer refuses them."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_followup.core import commands as cmd
from tui_followup.core.caseload import project
from tui_followup.core.visible import BIDI_CONTROLS, for_client, visible

from .helpers import TOKYO, register

CLIPBOARD = "\x1b]52;c;aGFja2Vk\x07"  # OSC 52: writes the user's clipboard
CLEAR = "\x1b[2J"
LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"


def test_escape_sequences_are_shown_not_obeyed():
    assert visible("A" + CLIPBOARD + "B") == "A␛]52;c;aGFja2Vk␇B"
    assert visible(CLEAR) == "␛[2J"
    assert "\x1b" not in visible(LINK)
    assert visible("abc\u202edef") == "abc\\u202edef"
    assert visible("x\x9by\x7f") == "x\\x9by␡"
    assert visible("青木 花子") == "青木 花子"


def test_newlines_and_tabs_are_kept_in_free_text_and_shown_on_one_line():
    assert visible("line 1\nline\t2") == "line 1\nline\t2"
    assert visible("line 1\nline\t2", lines=False) == "line 1␊line␉2"
    assert visible("a\r\nb") == "a␍\nb"


def _dangerous(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS


@given(st.text(st.characters(codec="utf-8")))
def test_nothing_a_terminal_obeys_is_left(text):
    out = visible(text, lines=False)
    assert not any(_dangerous(ch) for ch in out)
    assert not any(_dangerous(ch) for ch in visible(text) if ch not in "\n\t")
    assert visible(out, lines=False) == out  # shown once, shown the same again


def _ctx(caseload=None):
    now = datetime(2026, 11, 1, 9, tzinfo=TOKYO)
    return cmd.Context(caseload=caseload or project([]), now=now, tz=TOKYO, new_id=lambda: "n1", actor="t")


@pytest.mark.parametrize("name", ["evil" + CLEAR, "a\u202eb", "two\nlines", "x\x9b"])
def test_the_command_layer_refuses_a_control_character_in_a_name(name):
    with pytest.raises(cmd.CommandError) as refused:
        cmd.typed(cmd.register_client(_ctx(), "evil", name))
    assert refused.value.key == "control_character" and refused.value.params["field"] == "name"
    assert "\x1b" not in str(refused.value) and "\n" not in str(refused.value)


def test_the_command_layer_refuses_a_control_character_in_free_text_but_not_a_new_line():
    caseload = project([register("c1", "Aoki")])
    note = cmd.typed(cmd.add_note(_ctx(caseload), "c1", "first line\n\tsecond line\r\nthird"))
    assert note.text.startswith("first line")
    with pytest.raises(cmd.CommandError) as refused:
        cmd.typed(cmd.add_note(_ctx(caseload), "c1", "copy this" + CLIPBOARD))
    assert refused.value.params["field"] == "text"
    with pytest.raises(cmd.CommandError):
        cmd.typed(cmd.register_client(_ctx(), "ev\x1bil", "Evil"))  # an id too


def test_a_message_keeps_the_joiners_of_an_emoji_and_drops_every_other_invisible_character():
    """What a client reads: 👨‍👩‍👧 stays one picture (its zero-width joiners kept); a joiner
    between letters, a dangling one, a zero-width space and the marks LRM and RLM are dropped
    (the client received the six letters \\u200f); a control character is still shown."""
    typed = "family 👨\u200d👩\u200d👧, thumbs 👍🏽\u200d, a\u200db, gap\u200b, read \u200fשלום\u200e notes\x07"
    assert for_client(typed) == "family 👨\u200d👩\u200d👧, thumbs 👍🏽, ab, gap, read שלום notes\u2407"
    assert "\\u" not in for_client(typed)
    assert "\u200d" not in visible(typed)  # a table cell or a title: every joiner shown
