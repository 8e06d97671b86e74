"""Attack on the hand-over *away* in the app, on a need-to-know store (PostgreSQL, real login
roles): whatever screen of A's is open (Today, Clients, Audit, Weekly review, Past day) or a
form opened from Today with text typed in it, once the app looks after a supervisor handed aoki
to B, no name of aoki's is left on the screen, the app says why, and nothing typed is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

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
from .test_attack_close_handed_over import LATER, app_of, hand_over


async def looked(app, pilot) -> None:
    app.poll_log()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def next_day(url: str) -> FollowupApp:
    return FollowupApp(Journal.open(url, clock=FixedClock(LATER + timedelta(days=2)), tz=TOKYO), poll_seconds=0.0,
                       template_overrides={})


def notes(office) -> list:
    return [e for e in PgStore(office["owner"]).read_new().events if type(e) is ev.NoteAdded]


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5"])
async def test_no_name_of_the_client_handed_away_is_left_on_any_screen(office, key):  # noqa: F811
    seed(office)
    out = followup("--store", office["a"], "record", "note", "aoki", "--text", "aoki's note")
    assert out.returncode == 0, out.stderr
    app = app_of(office["a"]) if key != "5" else next_day(office["a"])  # (Past day: yesterday, aoki's day)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        await pilot.press("w")  # (Today, Clients: everyone's, where a supervisor's view would differ)
        await pilot.pause()
        before = app.export_screenshot()
        hand_over(office)
        await looked(app, pilot)
        assert "Aoki" in before
        assert "Aoki" not in app.export_screenshot()
        assert app.journal.client("aoki") is None


async def test_a_note_typed_on_a_form_opened_from_today_is_not_recorded_and_the_form_goes(office):  # noqa: F811
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("n", *"called the school")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), app.screen_stack
        hand_over(office)
        await looked(app, pilot)
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), app.screen_stack
        assert "Aoki" not in app.export_screenshot()
        assert isinstance(app.screen, GoneNotice) and "no longer yours" in app.screen.message
        await pilot.press("enter", "y", "enter")  # keys meant for the form, after it went
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert not any(getattr(e, "text", "") == "called the school" for e in notes(office))


async def test_a_note_recorded_for_another_client_while_the_look_is_on_its_way(office):  # noqa: F811
    """The reader thread has read the hand-over (A's view read again) and its message waits
    behind A's Enter on a note to another client: the record folds what was read (aoki leaves
    the caseload there), the look that follows finds nothing new. Aoki must still leave Today."""
    from tui_followup.ui.messages import NewsRead

    seed(office)
    out = followup("--store", office["a"], "record", "client", "--id", "chiba", "--name", "Chiba Ren")
    assert out.returncode == 0, out.stderr
    out = followup("--store", office["a"], "record", "session", "chiba", "--summary", "first")
    assert out.returncode == 0, out.stderr
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert "Aoki" in app.export_screenshot() and "Chiba" in app.export_screenshot()
        app.open_client("chiba")
        await pilot.pause()
        await pilot.press("n", *"called chiba")
        await pilot.pause()
        hand_over(office)
        app.reading = True
        app.journal.read_news()  # (the reader thread's work; its message not handled yet)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.post_message(NewsRead(None))
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert any(getattr(e, "text", "") == "called chiba" for e in notes(office))
        assert "Chiba" in app.export_screenshot()
        assert "Aoki" not in app.export_screenshot()


async def test_ctrl_z_after_the_look_does_not_offer_to_undo_a_note_to_the_client_handed_away(office):  # noqa: F811
    """A noted aoki in this window; aoki was handed to B and the app looked. Ctrl+Z must not ask
    about aoki (their id is the name's) nor answer "no event with id" when confirmed."""
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("n", *"to undo", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert any(getattr(e, "text", "") == "to undo" for e in notes(office))
        app.clear_notifications()  # (the "recorded · Aoki Hana" toast, gone after its 3 seconds)
        hand_over(office)
        await looked(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "aoki" not in shown.lower(), app.screen_stack
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any("no event" in str(n.message) for n in app._notifications)
        assert "aoki" not in app.export_screenshot().lower()


async def test_a_client_screen_left_in_another_modes_stack(office):  # noqa: F811
    """aoki's screen opened over Clients (2), then Today (1) shown: Clients' stack keeps it. After
    the hand-over and the look, 2 again shows Clients without aoki, and nothing fails."""
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert [getattr(s, "client_id", None) for s in app._screen_stacks["clients"]][-1] == "aoki"
        hand_over(office)
        await looked(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        assert "Aoki" not in app.export_screenshot()
        assert app.return_code is None and app.is_running


async def test_todays_cursor_on_the_client_handed_away(office):  # noqa: F811
    seed(office)
    for args in (("client", "--id", "chiba", "--name", "Chiba Ren"), ("session", "chiba", "--summary", "first")):
        out = followup("--store", office["a"], "record", *args)
        assert out.returncode == 0, out.stderr
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        rows = [str(table.get_row_at(n)) for n in range(table.row_count)]
        on_aoki = next(n for n, r in enumerate(rows) if "Aoki" in r)
        table.move_cursor(row=on_aoki)
        await pilot.pause()
        hand_over(office)
        await looked(app, pilot)
        assert "Aoki" not in app.export_screenshot()
        await pilot.press("enter")
        await pilot.pause()
        assert getattr(app.screen, "client_id", None) == "chiba", app.screen_stack


async def test_the_command_palette_open_on_the_client_handed_away(office):  # noqa: F811
    """Ctrl+P with "Aoki" typed lists "Open Aoki Hana"; the hand-over comes, the app looks: the
    name must go from the list, and Enter must not open a screen of a client no longer there."""
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"Aoki")
        for _ in range(200):  # the palette's search, a worker of its own: until it lists the hit
            if "Aoki" in app.export_screenshot():
                break
            await pilot.pause()
        assert "Aoki" in app.export_screenshot().replace("<", " ")
        hand_over(office)
        await looked(app, pilot)
        shown = app.export_screenshot()
        assert isinstance(app.screen, GoneNotice) and "no longer yours" in app.screen.message
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(getattr(s, "client_id", None) == "aoki" for s in app.screen_stack), app.screen_stack
        assert app.is_running
        assert "Aoki&#160;Hana" not in shown
