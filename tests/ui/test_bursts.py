"""Issue 24: keys typed in one burst (tmux send-keys, a paste) land in every form exactly as if
typed after it had drawn: the same burst, given all at once and given after the form is there,
records the same."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen

from .conftest import NOW, TOKYO, seed_caseload
from .test_keyboard import burst, settle

SIZE = (120, 36)

# (where, the key that opens the form, then what is typed into it): every form of the app
BURSTS = {
    "consent": ("client", ["a", "1", "tab", "2", "enter"]),  # email, withdrawn
    "message": ("client", ["m", *"rang", "tab", "3", "enter"]),
    "session": ("client", ["s", "tab", *"cv", "tab", *"apply", "tab", *"done", "enter"]),
    "reply": ("client", ["r", *"ok", "tab", "2", "enter"]),
    "snooze": ("client", ["z", "2", "tab", *"busy", "enter"]),
    "promise": ("client", ["i", *"list", "enter"]),
    "pause": ("client", ["p", *"care", "tab", *"12/20", "enter"]),
    "resume": ("sato", ["u", "enter"]),  # (a paused client: u is a form with a When, Enter records)
    "note": ("client", ["n", *"hello", "enter"]),
    "edit": ("client", ["e", "tab", *"aa", "tab", "2", "tab", "3", "enter"]),
    "missed": ("client", ["x", "2", "tab", *"ill", "enter"]),
    "feedback": ("client", ["v", "5", "tab", *"good", "enter"]),
    "book": ("client", ["b", "tab", "tab", "tab", "3", "enter"]),
    "assign": ("client", ["h", *"sato", "tab", *"leave", "enter"]),
    "close": ("client", ["c", *"done", "tab", "3", "enter", "y"]),
    "register": ("clients", ["a", *"Zed", "tab", *"zed", "tab", "2", "tab", "3", "enter"]),
}


def app_on(path: Path) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={})


async def recorded(path: Path, where: str, keys: list[str], all_at_once: bool) -> tuple[bytes, str]:
    """What the keys record (the log's new lines), and the screen they leave."""
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        if where == "client":
            await pilot.press("g", "enter")  # 青木 花子's screen
            await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen))
        elif where != "clients":  # that client's screen
            app.push_screen(ClientScreen(where))
            await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.is_mounted)
        else:
            await pilot.press("2")
            await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen))
        before = path.read_bytes()
        if all_at_once:
            burst(app, *keys)
        else:
            burst(app, keys[0])
            await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
            burst(app, *keys[1:])
        await settle(app, pilot, lambda: not app.keys_pending and path.read_bytes() != before
                     and not isinstance(app.screen, FormScreen))
        for _ in range(3):
            await pilot.pause()
        return path.read_bytes()[len(before):], type(app.screen).__name__


@pytest.mark.parametrize("form", BURSTS)
async def test_a_burst_records_what_the_same_keys_record_once_the_form_is_there(form, tmp_path):
    """``k 1 Tab 2 Enter`` in one send-keys recorded ``consent_recorded phone``, not "email
    consent withdrawn": the Choice took the digits before the form was ready, while the form
    kept the Tab and the Enter to give them later."""
    where, keys = BURSTS[form]
    slow, fast = tmp_path / "slow.jsonl", tmp_path / "fast.jsonl"
    seed_caseload(slow)
    seed_caseload(fast)
    expected = await recorded(slow, where, keys, all_at_once=False)
    assert expected[0], f"{form}: nothing recorded even when typed after the form had drawn"
    assert await recorded(fast, where, keys, all_at_once=True) == expected
