"""The app, headless: first paint of Today (until the due table holds its rows), then one
event recorded from the app and seen in the due list.

    python benchmarks/tui.py LOG
prints: first_paint_seconds append_and_update_milliseconds [KEY=milliseconds ...]
(with --screens: switching to Clients, Audit, Weekly review, Past day and back to Today, each
timed until its table holds rows)
"""

from __future__ import annotations

import asyncio
import sys
import time

start = time.perf_counter()

from textual.widgets import DataTable  # noqa: E402

from tui_followup.core import commands as cmd  # noqa: E402
from tui_followup.storage.journal import Journal  # noqa: E402
from tui_followup.ui.app import FollowupApp  # noqa: E402


async def main(path: str, screens: bool) -> None:
    journal = Journal.open(path, write_snapshot=False)  # as the app does: snapshot on exit
    app = FollowupApp(journal, poll_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#due", DataTable)
        while table.row_count == 0:
            await pilot.pause(0.005)
        first_paint = time.perf_counter() - start
        # the first item a message answers (a promise needs --keeps, a decision is not a message)
        item = next(i for i in app.screen.items if i.kind in ("checkpoint", "respond", "intent-check"))
        before = table.row_count
        t = time.perf_counter()
        error = app.try_record(cmd.send_message, item.client, template=item.reason)
        assert error is None, error

        def gone() -> bool:
            return all(not (i.client == item.client and i.reason == item.reason and i.due == item.due)
                       for i in app.screen.items)

        while not gone():  # until the due list on screen no longer has it (drawn by a message)
            await asyncio.sleep(0)
        appended = time.perf_counter() - t
        assert table.row_count <= before
        switches = []
        if screens:  # each screen the first time, then Today again: until its table holds rows
            for key in ("2", "3", "4", "5", "1"):
                t = time.perf_counter()
                await pilot.press(key)
                await app.workers.wait_for_complete()
                while not any(tb.row_count for tb in app.screen.query(DataTable)):
                    await pilot.pause(0)
                switches.append(f"{key}={(time.perf_counter() - t) * 1000:.0f}")
    print(f"{first_paint:.3f} {appended * 1000:.1f}", *switches)


asyncio.run(main(sys.argv[1], "--screens" in sys.argv))
