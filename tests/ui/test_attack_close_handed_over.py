"""Attack on the close form on a need-to-know store (PostgreSQL, real login roles): the client
handed over to another counselor while the close question is open. Once the app looks, the
question and the form go (their titles held the name) and it says why; answered before it
looks, the database refuses the close and the form says so. Nothing of A's close is recorded."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Static

from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.pgstore import PgStore
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import ConfirmScreen, FormScreen, GoneNotice

from ..storage.conftest import pg_server, pg_url  # noqa: F401 - the fixtures
from ..storage.test_backup import followup
from ..storage.test_need_to_know import office, seed  # noqa: F401 - the fixture
from .conftest import TOKYO

LATER = datetime(2026, 11, 10, 10, 0, tzinfo=TOKYO)  # (the seed is recorded at 09:00)


def app_of(url: str) -> FollowupApp:
    return FollowupApp(Journal.open(url, clock=FixedClock(LATER), tz=TOKYO), poll_seconds=0.0, template_overrides={})


def closes(office) -> list:
    return [e for e in PgStore(office["owner"]).read_new().events if type(e) is ev.CaseClosed]


def hand_over(office) -> None:
    out = followup("--store", office["s"], "record", "assign", "aoki", "--to", office["names"]["b"], "--reason", "moving")
    assert out.returncode == 0, out.stderr


async def test_handed_over_while_the_question_is_open_once_the_app_looks(office):  # noqa: F811
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("c", *"moved away", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), app.screen_stack
        hand_over(office)
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), app.screen_stack
        assert "Aoki Hana" not in app.export_screenshot()
        assert isinstance(app.screen, GoneNotice) and "no longer yours" in app.screen.message  # (Esc closes it)
        await pilot.press("y")
        await pilot.pause()
    assert closes(office) == []


async def test_handed_over_and_answered_before_the_app_looks(office):  # noqa: F811
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("c", *"moved away", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), app.screen_stack
        hand_over(office)
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), app.screen_stack
        assert isinstance(app.screen, FormScreen), app.screen_stack  # refused on the form, as typed
        assert app.screen.values()["summary"] == "moved away"
        said = str(app.screen.query_one("#form-note", Static).render())
        assert "not assigned to" in said and "nothing was recorded" in said, said
        assert "handed over" in said, said  # not "unknown client": the client is there, no longer theirs
        app.poll_log()  # the app's next look: the client's screens go, and Today's rows of them
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), app.screen_stack
        assert "Aoki Hana" not in app.export_screenshot()
    assert closes(office) == []
