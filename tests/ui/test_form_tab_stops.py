"""Tab through a form stops only where something shows it has the keys: a field, a choice, the
message text, a button (a practitioners' pass: the eighth Tab of the message form went to the
fields' scroll, nothing looked focused, and Enter there did nothing)."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tui_followup.ui.forms import FormScreen

from .test_triage import SIZE


async def test_every_tab_stop_of_the_message_form_is_a_field_or_a_button(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        stops = []
        for _ in range(12):
            await pilot.press("tab")
            stops.append(app.screen.focused)
        assert all(stop is not None and not isinstance(stop, VerticalScroll) for stop in stops), stops
