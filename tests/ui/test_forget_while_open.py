"""An app window left open while `forget` rewrites the log: once it looks again the erased
name is gone from its screen, and what it records next goes into the new log, chained."""

from __future__ import annotations

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import check, forget

from .conftest import NOW, TOKYO


async def test_an_open_window_forgets_the_erased_name_and_appends_to_the_new_log(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "青木" in app.export_screenshot()  # on Today: overdue
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "青木" not in app.export_screenshot()
        assert app.journal.client("aoki") is None
        assert app.try_record(cmd.add_note, "kim", text="after the erasure") is None
        assert app.try_record(cmd.add_note, "aoki", text="to the erased client") is not None
    assert check(log_path).problems == []
    data = log_path.read_text(encoding="utf-8")
    assert "青木" not in data and "after the erasure" in data
