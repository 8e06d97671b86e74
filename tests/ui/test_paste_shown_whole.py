"""A paste shows in the box it went to as it was pasted, every character of it, and records
nothing until Enter (ui/paste.py hands each paste on whole, ESC and line breaks in it).

What a practitioner saw in tmux, at 80×24:

* pasting ``佐々木 ESC [A CR x`` into the Clients filter moved the terminal's cursor and left
  「佐々木IDで絞り込み (/)」 with a hole in the box's border; ``2026-11-2 ESC [2J 0`` pasted into
  Past day's date box cleared the whole screen: those two boxes painted the pasted ESC as it was
  (the forms show it as ␛);
* a paste of several lines (LF) into a note kept its first line only, the rest dropped unseen;
* a paste of several lines into the message's text came on one line with ␍ between them: a
  terminal sends a pasted line break as CR (tmux, xterm, VTE)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from tui_followup.ui.forms import FormScreen

from .conftest import events_in


async def pasted(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()


async def test_the_clients_filter_shows_a_pasted_escape_never_paints_it(make_app, log_path):
    app = make_app()
    before = len(events_in(log_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2", "slash")
        await pilot.pause()
        await pasted(pilot, "佐々木\x1b[A\rx")
        box = app.screen.query_one("#filter", Input)
        assert box.value == "佐々木␛[A␍x", repr(box.value)
    assert len(events_in(log_path)) == before


async def test_past_days_date_box_shows_a_pasted_escape_never_paints_it(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5", "d")
        await pilot.pause()
        await pasted(pilot, "2026-11-2\x1b[2J0\nz")
        box = app.screen.query_one("#day", Input)
        assert box.value == "2026-11-2␛[2J0␊z", repr(box.value)


async def test_a_note_pasted_in_several_lines_keeps_every_line_and_records_nothing(make_app, log_path):
    app = make_app()
    before = len(events_in(log_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pasted(pilot, "first\nsecond line\r\nthird")
        box = app.screen.focused
        assert isinstance(box, Input)
        assert box.value == "first␊second line␍␊third", repr(box.value)
        assert len(events_in(log_path)) == before
        await pilot.press("enter")
        await pilot.pause()
    assert events_in(log_path)[-1].text == "first␊second line␍␊third"  # what was shown


async def test_lines_pasted_into_the_message_text_are_lines_as_a_terminal_sends_them(make_app, log_path):
    app = make_app()
    before = len(events_in(log_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        preview = app.screen.query_one("#preview", TextArea)
        preview.focus()
        preview.move_cursor((0, 0))
        await pilot.pause()
        await pasted(pilot, "one\x1b\rtwo\r\nthree\nfour|")
        assert preview.text.startswith("one␛\ntwo\nthree\nfour|"), repr(preview.text[:40])
    assert len(events_in(log_path)) == before


async def test_a_long_paste_into_an_empty_field_shows_its_end_where_the_cursor_is(make_app, log_path):
    """A note of 2,800 characters pasted into the empty field showed its first characters, the
    cursor far out of view after its end, and End moved nothing (it was there already)."""
    app = make_app()
    long = "長い文章abcdefghij" * 200 + "END"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pasted(pilot, long)
        box = app.screen.focused
        assert isinstance(box, Input) and box.value == long
        assert box.scroll_offset.x > 0 and "END" in box.render_line(0).text, box.render_line(0).text
        await pilot.press("escape", "y")  # (the form asks before what was typed is dropped)
        await pilot.press("2", "slash")
        await pilot.pause()
        await pasted(pilot, long)
        box = app.screen.query_one("#filter", Input)
        assert box.scroll_offset.x > 0 and "END" in box.render_line(0).text, box.render_line(0).text
