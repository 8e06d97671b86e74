"""An erased client's skeleton takes nothing more (``commands._recordable``): the app said so
only once a whole message had been typed and Enter pressed. A key or the palette now says it
before any form opens, as for every refusal of a client's state; watching their history (y)
records nothing, and stays."""

from __future__ import annotations

from textual.widgets import DataTable

from tui_followup.ui.forms import FormScreen

from .test_erased_name import app_in, erase_aoki


async def test_a_key_on_an_erased_client_says_why_before_any_form_opens(log_path):
    erased = erase_aoki(log_path)
    app = app_in(log_path, "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#clients", DataTable)
        table.move_cursor(row=table.get_row_index(erased))
        await pilot.pause()
        for key in ("m", "s", "n", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, FormScreen), key
        said = [n.message for n in app._notifications]
        assert said and all("消去" in message for message in said), said
        await pilot.press("y")  # (their history, as it stands: nothing recorded)
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen) and app.screen.__class__.__name__ == "ReplayScreen"


async def test_the_palette_offers_an_erased_client_nothing_to_record(log_path):
    erased = erase_aoki(log_path)
    app = app_in(log_path, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_client(erased)
        await pilot.pause()
        offered = [command.title for command in app.get_system_commands(app.screen)]
        about = [title for title in offered if "(forgotten)" in title]
        assert about == [app.words.t("palette.action", name="(forgotten)", action=app.words.t("tip.replay"))], about


async def test_an_erased_clients_own_footer_offers_no_key_it_would_refuse(log_path):
    """Their screen's footer still offered e Edit (and said the refusal when pressed)."""
    erased = erase_aoki(log_path)
    app = app_in(log_path, "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client(erased)
        await pilot.pause()
        footer = {binding.action for _, binding, enabled, _ in app.screen.active_bindings.values() if enabled and binding.show}
        assert not {a for a in footer if a.startswith("client_action(") and "replay" not in a}, footer
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert any("消去" in n.message for n in app._notifications)
