"""A client's screen and a form about them left open while `forget` erases them elsewhere: once
the app looks again, they are closed (their titles held the name) and it says why."""

from __future__ import annotations

from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui import record_forms
from tui_followup.ui.forms import FormScreen, GoneNotice
from tui_followup.ui.screens.client import ClientScreen

from .conftest import NOW, TOKYO


async def test_an_open_form_of_a_client_erased_elsewhere_is_closed_and_the_app_says_so(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        record_forms.note(app.form_context(), app.journal.client("aoki"), None)
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "青木" in app.export_screenshot()
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, ClientScreen))
        assert not any(isinstance(s, (FormScreen, ClientScreen)) for s in app.screen_stack)
        shown = app.export_screenshot()
        assert "青木" not in shown
        assert isinstance(app.screen, GoneNotice) and "This client's data was erased" in app.screen.message


async def test_a_form_of_another_client_stays_open_when_one_is_erased(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        record_forms.note(app.form_context(), app.journal.client("kim"), None)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form


async def test_two_clients_erased_with_both_screens_open_are_counted_in_the_notice(make_app, log_path):
    """The notice said "This client's data was erased" when two clients' screens had closed."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        app.open_client("kim")
        await pilot.pause()
        assert {getattr(s, "client_id", None) for s in app.screen_stack} >= {"aoki", "kim"}
        for client in ("aoki", "kim"):
            forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), client)
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice)
        assert app.screen.message.startswith("2 clients' data was erased"), app.screen.message
        assert not any(isinstance(s, ClientScreen) for s in app.screen_stack)


async def test_the_palette_closed_for_a_client_erased_says_the_palette_was_closed(make_app, log_path):
    """After the palette closed, the notice said "their screen and forms were closed": none was open."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"aoki")
        await pilot.pause()
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice)
        assert "palette was closed" in app.screen.message and "screen" not in app.screen.message


async def test_a_client_erased_beside_one_whose_screen_was_open_is_said_too(make_app, log_path):
    """Two erased at once, one with a screen open: the notice spoke of that one, and the other
    left Today without a word."""
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        for client in ("aoki", "kim"):
            forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), client)
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice) and app.screen.message.startswith("This client's data")
        said = [n.message for n in app._notifications]
        assert any(m.startswith("1 more client's data was erased") for m in said), said


async def test_a_screen_opened_above_the_erased_clients_is_named_as_closed_too(make_app, log_path):
    """kim's screen, opened from the palette over aoki's, closed with it when aoki was erased,
    under a notice saying "This client's data was erased": kim read as the one erased. The
    notice now names kim's screen as closed too, and says nothing of kim changed."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_client("aoki")
        await pilot.pause()
        app.open_client("kim")
        await pilot.pause()
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, GoneNotice)
        said = app.screen.message
        assert said.startswith("This client's data was erased") and "김민준" in said, said
        assert app.journal.client("kim") is not None
