"""Issue 21 attacked again, in the core: a moment's day in UTC, invisible characters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui_followup.core import codec
from tui_followup.core.clock import OutOfRange, in_range, parse_moment

WEST = timezone(timedelta(hours=-12))
EAST = timezone(timedelta(hours=14))


@pytest.mark.parametrize("text", ["2200-12-31T23:59-12:00", "1900-01-01T00:01+14:00"])
def test_a_moment_whose_utc_day_is_outside_is_out_of_range(text):
    with pytest.raises(OutOfRange):
        parse_moment(text, timezone.utc)
    assert not in_range(datetime.fromisoformat(text))


def test_a_local_moment_is_held_to_the_range_in_utc_too():
    with pytest.raises(OutOfRange):
        parse_moment("2200-12-31T23:59", WEST)
    assert parse_moment("2200-12-31T11:59", WEST).year == 2200


def test_the_command_layer_refuses_such_a_moment():
    from tui_followup.core import commands as cmd

    with pytest.raises(cmd.CommandError) as refused:
        cmd._check_bounds("at", datetime(2200, 12, 31, 23, 59, tzinfo=WEST))
    assert refused.value.key == "date_out_of_range"
    cmd._check_bounds("at", datetime(2200, 12, 31, 11, 59, tzinfo=WEST))


def test_a_log_line_whose_utc_day_is_outside_is_a_problem_of_its_line():
    line = (b'{"type":"note_added","id":"n1","at":"2200-12-31T23:59:00-12:00","recorded_at":"2026-12-03T21:14:05Z",'
            b'"actor":"a","client":"c","v":2,"prev":"","text":"hi"}')
    with pytest.raises(codec.LineError):
        codec.decode(line)
    events, problems, _ = codec.decode_lines(line + b"\n")
    assert events == [] and problems[0].line == 1


# -- invisible characters ----------------------------------------------------------------------

INVISIBLES = ["\u200b", "\u200d", "\u200f", "\u2028", "\u2029", "\u061c", "\ufeff", "\U000e0041", "\U000e007f"]


@pytest.mark.parametrize("char", INVISIBLES)
def test_an_invisible_character_is_shown_and_refused_in_a_name_but_kept_in_a_note(char):
    from tui_followup.core import commands as cmd
    from tui_followup.core import events as ev
    from tui_followup.core.visible import visible

    from .helpers import register

    shown = visible(f"Ann{char}a")
    assert char not in shown and shown.startswith("Ann\\") and shown.endswith("a")
    for field in ("name", "reading", "case"):
        with pytest.raises(cmd.CommandError) as refused:
            cmd.typed(register(**{field: f"Ann{char}a"}))
        assert refused.value.key == "control_character"
    note = ev.NoteAdded(id="n", at=register().at, recorded_at=register().at, actor="a", client="c1",
                        text=f"hello{char}there")
    assert cmd.typed(note) is note


def test_json_escaping_keeps_the_text_exact():
    import json

    from tui_followup.core.visible import json_escaped

    text = "Eve\u202eXYZ\x9b\x7f\u2066" + "".join(INVISIBLES)
    escaped = json_escaped(json.dumps({"name": text}, ensure_ascii=False))
    assert escaped.isascii() or not any(ch in escaped for ch in text[3:])
    assert json.loads(escaped) == {"name": text}
