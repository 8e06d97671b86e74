"""What a counselor goes on typing once a colleague's hand-over (or an erasure) has closed the
form they were typing in must not act on the list beneath: in a practitioners' pass (PostgreSQL
office store, tmux 80x24) kato was writing a message to 青木 花子 when the hand-over landed; the
rest of the words typed — "n", "o answer yet", Enter — opened a note on the next row's client
(최유나) and recorded "o answer yet" there. Now the app says why the form went in a notice that
only Esc closes, and what is typed meanwhile goes nowhere."""

from __future__ import annotations

from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.forms import FormScreen, GoneNotice
from tui_followup.ui.screens.today import TodayScreen

from ..storage.conftest import pg_server, pg_url  # noqa: F401 - the fixtures
from ..storage.test_need_to_know import office, seed  # noqa: F401 - the fixture
from .conftest import NOW, TOKYO, events_in
from .test_attack_close_handed_over import app_of, hand_over

TYPED_ON = ["n", *"o answer yet", "enter", "s", "1", "ctrl+z", "y", "enter"]


async def test_keys_typed_after_an_erasure_closed_the_form_record_nothing_on_another_client(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("m", *"Called ")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        before = len(events_in(log_path))
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        assert "This client's data was erased" in str(app.screen.message)
        await pilot.press(*TYPED_ON)  # (typing on, eyes on the keyboard)
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack  # still there: nothing typed went through
        assert len(events_in(log_path)) == before + 1  # the erasure only
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen), app.screen_stack
        assert "青木" not in app.export_screenshot()


async def test_keys_typed_after_a_hand_over_closed_the_message_form_record_nothing(office):  # noqa: F811
    from tui_followup.storage.pgstore import PgStore

    from ..storage.test_backup import followup

    seed(office)
    out = followup("--store", office["a"], "record", "client", "--id", "choi", "--name", "최유나")
    assert out.returncode == 0, out.stderr  # A's other client: the row under the cursor once aoki goes
    app = app_of(office["a"])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        await pilot.press("m", *"Called ")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        hand_over(office)
        before = PgStore(office["owner"]).count()
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice), app.screen_stack
        assert "no longer yours" in str(app.screen.message)
        await pilot.press(*TYPED_ON)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen), app.screen_stack
    assert PgStore(office["owner"]).count() == before  # nothing of what was typed on, on choi or anyone
