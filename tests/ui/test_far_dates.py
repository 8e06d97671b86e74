"""A date outside the dates kept: refused in a form; a line of the log holding one is a warning
naming the line, and every screen still opens for every other client."""

from __future__ import annotations

import msgspec
from textual.widgets import Static

from tui_followup.core.chain import line_hash

from .conftest import toasts

SIZE = (120, 36)


async def test_a_far_date_line_in_the_log_is_named_and_every_screen_still_opens(make_app, log_path):
    lines = log_path.read_bytes().splitlines()
    raw = msgspec.json.decode(lines[-1])
    raw = {k: raw[k] for k in ("id", "at", "recorded_at", "actor", "client", "v")}
    raw.update({"type": "session_held", "id": "far-session", "at": "9999-12-31T10:00:00+09:00", "client": "emma",
                "prev": line_hash(lines[-1])})
    with open(log_path, "ab") as f:
        f.write(msgspec.json.encode(raw) + b"\n")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        shown = await toasts(pilot)
        assert any(f"line {len(lines) + 1}" in s and "1900-01-01" in s for s in shown), shown
        for key in "23451":
            await pilot.press(key)
            await pilot.pause()
        assert "青木 花子" in str(app.screen.query_one("#due").get_row_at(0))


async def test_a_form_says_a_far_date_is_out_of_range_and_records_nothing(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        before = log_path.read_bytes()
        await pilot.press("i", *"send the list", "tab", "ctrl+a", "ctrl+k", *"9999-12-31")
        await pilot.pause()
        understood = str(app.screen.query_one("#understood-due", Static).render())
        assert "9999-12-31" in understood and "1900-01-01" in understood and "2200-12-31" in understood
        await pilot.press("enter")
        await pilot.pause()
        assert log_path.read_bytes() == before
        shown = " ".join(await toasts(pilot)) + " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "outside the dates this app keeps" in shown
