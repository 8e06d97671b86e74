"""Issue 24, "A colleague who never opens a terminal": every form and dialog has buttons (submit
named for what it does, cancel; yes and no), pressed by mouse or by keyboard, in view at 80x24, in
the screen's language; a click on a row selects it and a second click on it opens it."""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Button, DataTable

from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.decide import DecideScreen
from tui_followup.ui.forms import ConfirmScreen, FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen

from .conftest import NOW, TOKYO, events_in

SIZE = (120, 36)


def buttons(screen) -> list[str]:
    return [str(b.label) for b in screen.query(Button)]


async def test_a_click_on_the_submit_button_records_through_the_command_layer(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")  # Today's first row: 青木 花子, her 24-hour note
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert buttons(app.screen) == ["Record message", "Cancel"]
        before = len(events_in(log_path))
        await pilot.click("#form-submit")
        await pilot.pause()
        after = events_in(log_path)
        assert len(after) == before + 1 and isinstance(after[-1], ev.MessageSent) and after[-1].client == "aoki"
        assert not isinstance(app.screen, FormScreen)


async def test_cancel_records_nothing_and_asks_with_buttons_before_throwing_text_away(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = log_path.read_bytes()
        await pilot.press("n", *"half a thought")
        await pilot.click("#form-cancel")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # something was typed: asked first
        assert buttons(app.screen) == ["Yes", "No"]
        await pilot.click("#confirm-no")  # no: back to the form, the text still there
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.values()["text"] == "half a thought"
        await pilot.click("#form-cancel")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, ConfirmScreen))
        assert log_path.read_bytes() == before


async def test_the_buttons_work_by_keyboard_tab_then_enter(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"by keyboard", "tab", "tab")  # past the note's When
        assert app.focused is not None and app.focused.id == "form-submit"
        await pilot.press("enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.NoteAdded) and last.text == "by keyboard"
        before = log_path.read_bytes()
        await pilot.press("n", "tab", "tab", "tab", "enter")  # past When to Cancel, and pressed
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen) and log_path.read_bytes() == before


async def test_closing_a_case_by_mouse_alone_form_then_yes(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert buttons(app.screen) == ["Close case", "Cancel"]
        await pilot.click("#form-submit")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.CaseClosed) and last.client == "aoki"


async def test_the_decision_has_a_button_for_each_choice(make_app):
    app = make_app()
    chosen = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DecideScreen("Sato did not answer"), chosen.append)
        await pilot.pause()
        assert buttons(app.screen) == ["Close", "Pause", "Wait", "Cancel"]
        await pilot.click("#decide-pause")
        await pilot.pause()
        app.push_screen(DecideScreen("again"), chosen.append)
        await pilot.pause()
        await pilot.click("#decide-cancel")
        await pilot.pause()
    assert chosen == ["pause", None]


FORM_KEYS = ["m", "s", "r", "z", "i", "p", "c", "n", "b", "x", "v", "h"]


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
async def test_every_forms_buttons_are_in_view_at_80x24_in_its_language(log_path, language):
    from tui_followup.i18n import words_for

    words = words_for(language)
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, template_overrides={}, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*FORM_KEYS, "a"]:
            if key == "a":
                await pilot.press("2")
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, FormScreen), key
            submit, cancel = screen.query_one("#form-submit", Button), screen.query_one("#form-cancel", Button)
            assert str(cancel.label) == words.t("key.cancel")
            assert str(submit.label) == (screen.submit_label or words.t("key.save"))
            for button in (submit, cancel):
                region = button.region
                assert region.height >= 1 and region.bottom <= 24 and region.right <= 80, (key, region)
                assert screen.find_widget(button).region == region  # drawn, not behind another widget
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, FormScreen), key


async def test_a_click_on_a_row_selects_it_and_a_second_click_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        assert table.row_count >= 2 and table.cursor_row == 0
        second = str(table.get_row_at(1)[0])
        await pilot.click("#due", offset=(3, 2))  # the second row (under the header)
        await pilot.pause()
        assert table.cursor_row == 1 and not isinstance(app.screen, ClientScreen)  # selected only
        await pilot.click("#due", offset=(30, 2))  # again, on another cell of that row
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.title == second


async def test_on_clients_the_first_click_selects_and_the_second_opens(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        table = app.screen.query_one("#clients", DataTable)
        await pilot.click("#clients", offset=(3, 3))
        await pilot.pause()
        assert table.cursor_row == 2 and not isinstance(app.screen, ClientScreen)
        third = app.screen.current_client()
        await pilot.click("#clients", offset=(3, 3))
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == third


def note_line(app) -> str:
    return str(app.screen.query_one("#form-note").render())


async def test_in_the_browser_the_text_goes_to_the_browsers_clipboard_and_the_note_says_so(make_app, monkeypatch):
    monkeypatch.setattr(FollowupApp, "is_web", property(lambda self: True))  # as under `followup serve`
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")  # the server's own tmux: not the browser user's
    ran = []
    monkeypatch.setattr("subprocess.run", lambda *a, **k: ran.append(a))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        note = note_line(app)
        assert "browser's clipboard" in note and "Ctrl+V" in note, note
        assert "OSC" not in note and "terminal" not in note and "tmux" not in note, note
        assert ran == [] and app.clipboard.startswith("件名: 面談のお礼"), app.clipboard[:60]
        assert app.screen.query_one("#preview").text == app.clipboard  # and there to select, as copied


async def test_in_a_terminal_the_note_says_where_it_went_without_protocol_names(make_app, monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await pilot.pause()
        note = note_line(app)
        assert "clipboard" in note and "OSC" not in note and "52" not in note, note


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_keys_list_has_a_close_button_in_view_and_a_click_closes_it(log_path, language, size):
    """?: the keys list closes by mouse too, its Close button drawn in view at 80x24 (the list
    scrolls above it), and the keys still scroll the list."""
    from tui_followup.i18n import words_for
    from tui_followup.ui.keys import KeysScreen

    words = words_for(language)
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, template_overrides={}, language=language)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark", "j")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        close = screen.query_one("#keys-close", Button)
        assert str(close.label) == words.t("key.close_screen")
        region = close.region
        assert region.height >= 1 and region.bottom <= size[1] and region.right <= size[0], region
        assert screen.find_widget(close).region == region  # drawn, not behind another widget
        if size == (80, 24):
            assert screen.query_one("#keys").scroll_y > 0  # j still scrolls the list
        await pilot.click("#keys-close")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)
