"""A name, note or summary holding terminal escape sequences (written into the log by another
tool) is painted with its control characters visible on every screen, never sent raw: what the
app writes to the terminal is checked, frame by frame."""

from __future__ import annotations

import itertools
from datetime import date

from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO, t

CLIPBOARD = "\x1b]52;c;aGFja2Vk\x07"  # OSC 52: writes the user's clipboard
NAME = f"Eve{CLIPBOARD}\x1b[2J\u202eXY\x9b"
SHOWN = "Eve␛]52;c;aGFja2Vk␇␛[2J\\u202eXY\\x9b"
PAYLOADS = ("\x1b]52", "\x1b[2J", "\u202e", "\x9b", "\x07", "\x1b]8;", "\x1b[5m")


def evil_log(path):
    def make(kind, when, **fields):
        return kind(id=f"{kind.__name__}-{when[:10]}", at=t(when), recorded_at=t(when), actor="kato\x1b[5m",
                    client="eve", **fields)

    LogStore(path).append([
        make(ev.ClientRegistered, "2026-10-01 09:00", name=NAME, note="x\x1b[5mblink", case="case\x1b[2J"),
        make(ev.SessionHeld, "2026-11-18 10:00", summary="see\x1b]8;;https://evil.example/\x1b\\here",
             next_step="apply\x1b[2J now", achieved="CV\u202edone"),
        make(ev.PromiseMade, "2026-11-18 11:00", due=date(2026, 11, 24), what="send\x1b[2J CV", explicit=True),
        make(ev.NoteAdded, "2026-11-19 10:00", text=f"line one\nline two{CLIPBOARD}"),
    ])
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={})


def frame(app) -> str:
    """What the app writes to the terminal for the whole screen: styles and all."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


async def shown_safely(pilot, *keys: str) -> str:
    await pilot.press(*keys)
    await pilot.pause()
    painted = frame(pilot.app)
    for payload in PAYLOADS:
        assert payload not in painted, (payload, type(pilot.app.screen).__name__)
    return painted


async def test_every_screen_paints_an_escape_visibly(tmp_path):
    app = evil_log(tmp_path / "events.jsonl")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        assert "Eve␛]52;c;aGFja2Vk" in await shown_safely(pilot)  # Today: the promise is overdue
        assert "Eve␛]52;c;" in await shown_safely(pilot, "2")  # Clients
        assert "Eve␛]52;c;" in await shown_safely(pilot, "3")  # Audit (and its chart's title)
        await shown_safely(pilot, "4")  # Weekly review
        client = await shown_safely(pilot, "1", "enter")  # the client: title, summary, timeline
        assert "Eve␛]52;c;" in client and "line one␊line two␛]52;c;" in client
        assert "see␛]8;;https://evil.example/" in client
        await shown_safely(pilot, "y", "end")  # replay
        await shown_safely(pilot, "escape", "e")  # the edit form: the name as it is now
        assert isinstance(app.screen, FormScreen)
        await shown_safely(pilot, "escape", "escape", "m")  # the message form: its title and template
        assert isinstance(app.screen, FormScreen)
        await shown_safely(pilot, "escape", "n", *"called", "enter")  # a toast naming the client
        await shown_safely(pilot, "ctrl+p", *"Eve")  # the palette
        await shown_safely(pilot, "escape", "5")  # Past day


async def test_a_paste_into_a_form_shows_its_escape_and_records_none(tmp_path):
    from textual import events

    app = evil_log(tmp_path / "events.jsonl")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.press("2", "a")  # Clients: register a new client
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-name").post_message(events.Paste("Mallory\x1b[2J\u202e"))
        painted = await shown_safely(pilot)
        assert "Mallory␛[2J\\u202e" in painted
        await pilot.press("tab", *"mallory", "enter")
        await pilot.pause()
        facts = app.journal.client("mallory")
        assert facts is not None and facts.name == "Mallory␛[2J\\u202e"  # as seen: no control character


async def test_the_app_refuses_a_control_character_reaching_the_command_layer(tmp_path):
    from tui_followup.core import commands as cmd

    app = evil_log(tmp_path / "events.jsonl")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        assert not app.record(cmd.add_note, "eve", "hi\x1b[2J")
        painted = await shown_safely(pilot)
        assert "control character (␛)" in painted  # the refusal, in a toast
