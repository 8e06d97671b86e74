"""Keys rebound in config.toml (``[keys]``: a binding's id = its key, as Posting's keymap)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

from tui_followup import settings
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.keys import KeysScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, events_in
from .test_keyboard import settle


def app_with(log_path, config) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, keymap=settings.load(config).keys)


async def test_a_key_rebound_in_the_config_works_and_the_old_one_does_not(log_path, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"go.clients" = "9"\n"client.message" = "t"\n', encoding="utf-8")
    app = app_with(log_path, config)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")  # no longer Clients
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("m")  # no longer a message
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("t")  # the message form, for the row
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, KeysScreen)
        listed = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "9" in listed and " t " in listed
        await pilot.press("escape", "9")
        assert isinstance(app.screen, ClientsScreen)


def test_an_unknown_binding_in_the_keys_table_is_one_line(tmp_path, log_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"go.clientz" = "9"\n', encoding="utf-8")
    env = {**os.environ, "FOLLOWUP_CONFIG": str(config), "LANG": "C.UTF-8", "LC_ALL": ""}
    done = subprocess.run([sys.executable, "-m", "tui_followup", "--log", str(log_path)], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "keys.go.clientz" in lines[0] and "go.clients" in lines[0], done.stderr


def test_a_key_given_that_another_binding_of_the_screen_has_is_one_line(tmp_path, log_path):
    """The README's own example, ``"client.message" = "x"``, took No-show's key: No-show was
    gone from the screen and from ?, without a word. Refused, naming both, nothing opened; the
    two swapped, each given the other's key, is fine."""
    config = tmp_path / "config.toml"
    env = {**os.environ, "FOLLOWUP_CONFIG": str(config), "LANG": "C.UTF-8", "LC_ALL": ""}
    config.write_text('[keys]\n"client.message" = "x"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tui_followup", "--log", str(log_path)], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "keys.client.message" in lines[0] and "client.missed" in lines[0], done.stderr
    from tui_followup.ui.keys import key_clashes

    assert key_clashes({"client.message": "x", "client.missed": "m"}) == []


async def test_a_rebound_key_the_state_hides_from_the_footer_says_why_as_the_default_key_does(log_path, tmp_path):
    """On a closed client the footer leaves out the message key; pressed, ``m`` said the client
    is closed, but the key it was rebound to did nothing (and ``m``, no longer the message key,
    still said it). The rebound key says the refusal; the old one says nothing."""
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"client.message" = "t"\n', encoding="utf-8")
    app = app_with(log_path, config)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        app.push_screen(ClientScreen("mori"))  # closed
        await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.is_mounted)
        before = events_in(log_path)
        await pilot.press("m")  # not the message key any more: nothing
        assert not [n for n in app._notifications if "closed" in n.message]
        await pilot.press("t")
        await settle(app, pilot, lambda: any("closed" in n.message for n in app._notifications))
        shown = [n.message for n in app._notifications]
        assert any("森 由美" in m and "closed" in m for m in shown), shown
        assert isinstance(app.screen, ClientScreen) and events_in(log_path) == before


async def test_the_default_key_the_state_hides_from_the_footer_says_why(log_path, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    app = app_with(log_path, config)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        app.push_screen(ClientScreen("mori"))  # closed
        await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.is_mounted)
        await pilot.press("m")
        await settle(app, pilot, lambda: any("closed" in n.message for n in app._notifications))
        assert any("森 由美" in n.message and "closed" in n.message for n in app._notifications)


def test_a_value_no_key_press_can_be_is_one_line(tmp_path, log_path):
    """`"client.message" = ","` (its name is comma), "foo" or "あ" were taken: the message then
    had no key at all. Refused, naming what was written; a key's name is fine."""
    config = tmp_path / "config.toml"
    env = {**os.environ, "FOLLOWUP_CONFIG": str(config), "LANG": "C.UTF-8", "LC_ALL": ""}
    for value in (",", "foo", "あ", "ctrl+ctrl+x"):
        config.write_text(f'[keys]\n"client.message" = "{value}"\n', encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "tui_followup", "--log", str(log_path)], env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, (value, done.stderr)
        assert "keys.client.message" in lines[0] and "is not a key" in lines[0], (value, lines)
    from tui_followup.ui.keys import not_a_key

    assert [not_a_key(k) for k in ("comma", "t", "ctrl+t", "f5", "question_mark", "shift+tab")] == [None] * 6
