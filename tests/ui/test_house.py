"""Issue 24, "The app's house": Today and the client screen say what the user asked for with
typed messages (RecordRequested, OpenClient, UndoRequested) that the app handles, instead of
reaching up into it; Today's mine/everyone is the screen's own reactive. Shown by hosting the
screens in a bare app that has only the journal and the words: every key lands as a message."""

from __future__ import annotations

import itertools

from textual.app import App

from tui_followup.core.clock import FixedClock
from tui_followup.i18n import words_for
from tui_followup.storage.journal import Journal
from tui_followup.ui.messages import OpenClient, RecordRequested, UndoRequested
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO

SIZE = (120, 36)


class Host(App):
    """Only what a screen may read (the journal, the words, the caseload's version)."""

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal, self.words, self.version = journal, words_for("en"), 0
        self.asked: list = []

    def on_mount(self) -> None:
        self.push_screen(TodayScreen())

    def on_record_requested(self, message: RecordRequested) -> None:
        self.asked.append(("record", message.what, message.client, message.item and message.item.kind, message.ref))

    def on_open_client(self, message: OpenClient) -> None:
        self.asked.append(("open", message.client))

    def on_undo_requested(self, message: UndoRequested) -> None:
        self.asked.append(("undo", message.client))


def host(log_path) -> Host:
    counter = itertools.count(1)
    return Host(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                             new_id=lambda: f"app{next(counter):04d}"))


async def test_todays_keys_are_messages_the_app_handles(log_path):
    before = log_path.read_bytes()
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "j", "s", "enter")
        await pilot.pause()
        assert app.asked == [("record", "message", "aoki", "checkpoint", None),
                             ("record", "session", "kim", "respond", None), ("open", "kim")]
    assert log_path.read_bytes() == before  # the screen itself records nothing


async def test_mine_or_everyone_is_todays_reactive(log_path):
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.whose == "everyone"
        await pilot.press("w")
        await pilot.pause()
        assert screen.whose == "mine" and not hasattr(app, "whose")
        screen.whose = "everyone"  # set from outside, it redraws itself
        await pilot.pause()
        assert len(screen.items) == len(app.journal.board.due(app.journal.today(), 7))


async def test_the_client_screens_keys_are_messages_the_app_handles(log_path):
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ClientScreen("aoki"))
        await pilot.pause()
        await pilot.press("n", "e", "ctrl+z", "B")
        await pilot.pause()
        ref = app.screen.current_ref()
        assert app.asked == [("record", "note", "aoki", None, ref), ("record", "edit", "aoki", None, ref),
                             ("undo", "aoki"), ("record", "cancel_appointment", "aoki", None, ref)]
