"""The app, headless: first paint of Today (until the due table holds its rows), then one
event recorded from the app and seen in the due list.

    python benchmarks/tui.py LOG [--screens [--at-once]]
prints: first_paint_seconds append_and_update_milliseconds [ahead=seconds KEY=milliseconds ...] peak_mb=N

With --screens: switching to Clients, Audit, Weekly review, Past day (there ← and three days
typed, 30, 180 and 700 days back, and three in one burst, as pasted: ``past:…``) and back to Today (each
the first time; then, after one more message recorded, each again: ``after:KEY``), each timed from the key press until the first frame drawn in which that
screen shows rows as they are now (what the user sees; the rest of a long table is added after
it): a frame of the screen as it was drawn before, while it still works out or reads what changed
since (a worker of its own at work), is not it. First the
app is left to work out ahead what those screens show (``ahead``: seconds from the recorded
event until it is done); with --at-once the keys are pressed without waiting for that.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from datetime import timedelta

start = time.perf_counter()

from textual import events  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tui_followup.core import commands as cmd  # noqa: E402
from tui_followup.storage.journal import Journal  # noqa: E402
from tui_followup.ui.app import FollowupApp  # noqa: E402
from tui_followup.ui.widgets.lazy_table import LazyTable  # noqa: E402


def settled(app: FollowupApp, screen) -> bool:
    """Whether ``screen`` shows what it will show: none of its workers still at work (Past day's
    read of what was appended since it drew, a screen working out what is not kept yet). A screen
    made ahead, or left earlier, keeps its rows from then: drawn before the new ones, that frame is
    not what the key asked for (after a recorded message Past day measured 14 ms on the old rows;
    its day as it is now came at 45-60). (Not the screen's message queue too: Textual's own
    messages keep it busy for 150-250 ms after a switch, long after the frame the user sees.)"""
    return not any(  # (Past day's day before, worked out while the user reads, is not what it shows)
        worker.node is screen and not worker.is_finished and worker.group != "past-ahead" for worker in app.workers)


def current(app: FollowupApp, screen) -> bool:
    """Whether ``screen`` has shown the caseload as it is now: a screen coming back into view
    after an event looks again (``seen``, the app's version it last showed), and a frame drawn
    before that is of its rows as they were (Audit after a message measured 8-10 ms on the old
    rows some runs, 37-42 ms on the new in others: the frame fell either side of the redraw)."""
    return getattr(screen, "seen", app.version) == app.version


async def switch(app: FollowupApp, key: str) -> float:
    """Milliseconds from the key press until the first frame with the new screen's rows as they
    are now."""
    before = app.screen
    drawn = asyncio.get_running_loop().create_future()
    display = app._display  # every frame the compositor sends to the terminal passes here

    def watch(screen, renderable) -> None:
        if (renderable is not None and screen is not before and not drawn.done()
                and any(table.row_count for table in screen.query(DataTable)) and settled(app, screen)
                and current(app, screen)):
            drawn.set_result(time.perf_counter())
        display(screen, renderable)

    app._display = watch  # type: ignore[method-assign]
    t = time.perf_counter()
    app._driver.send_message(events.Key(key, key))  # as a terminal sends it: no waiting for idle
    try:
        return (await drawn - t) * 1000
    finally:
        app._display = display  # type: ignore[method-assign]


async def on_past_day(app: FollowupApp, key: str, day) -> float:
    """Milliseconds from a key pressed on Past day until the first frame showing ``day``."""
    drawn = asyncio.get_running_loop().create_future()
    display = app._display

    def watch(screen, renderable) -> None:
        if renderable is not None and not drawn.done() and getattr(screen, "day", None) == day:
            drawn.set_result(time.perf_counter())
        display(screen, renderable)

    app._display = watch  # type: ignore[method-assign]
    t = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    try:
        return (await drawn - t) * 1000
    finally:
        app._display = display  # type: ignore[method-assign]


async def past_days(app: FollowupApp, pilot, switches: list[str]) -> None:
    """On Past day: ← (the day before yesterday), then a day typed 30, 180 and 700 days back
    (timed from Enter; the keys pressed as a person types them, the app given its time between
    them: it works out a day typed whole before Enter), then 45, 365 and 900 days back with
    ``d``, the date and Enter in one burst, as pasted (``past:burst-…``: timed from the burst;
    nothing of the day is worked out before Enter)."""
    today = app.journal.today()
    switches.append(f"past:left={await on_past_day(app, 'left', today - timedelta(days=2)):.0f}")
    await pilot.pause()
    for back in (30, 180, 700):
        day = today - timedelta(days=back)
        await pilot.press("d", *day.isoformat())
        switches.append(f"past:-{back}d={await on_past_day(app, 'enter', day):.0f}")
        await pilot.pause()
    for back in (45, 365, 900):  # in one burst, as pasted (no time between the keys: nothing worked out before Enter)
        day = today - timedelta(days=back)
        for key in ("d", *day.isoformat()):
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        switches.append(f"past:burst-{back}d={await on_past_day(app, 'enter', day):.0f}")
        await pilot.pause()
    await pilot.press("d", *(today - timedelta(days=1)).isoformat(), "enter")  # back to yesterday (untimed)
    await pilot.pause()


async def main(path: str, screens: bool, at_once: bool) -> None:
    journal = Journal.open(path, write_snapshot=False)  # as the app does: snapshot on exit
    app = FollowupApp(journal, poll_seconds=0)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#due", DataTable)
        while table.row_count == 0:
            await pilot.pause(0.005)
        first_paint = time.perf_counter() - start
        # the first item a message answers (a promise needs --keeps, a decision is not a message)
        item = next(i for i in app.screen.items if i.kind in ("checkpoint", "respond", "intent-check"))
        before = len(app.screen.items)
        t = time.perf_counter()
        error = app.try_record(cmd.send_message, item.client, template=item.reason)
        assert error is None, error

        def gone() -> bool:
            return all(not (i.client == item.client and i.reason == item.reason and i.due == item.due)
                       for i in app.screen.items)

        while not gone():  # until the due list on screen no longer has it (drawn by a message)
            await asyncio.sleep(0)
        appended = time.perf_counter() - t
        assert len(app.screen.items) <= before
        switches = []
        if screens:
            t = time.perf_counter()
            while not at_once and not app.ahead.ready():
                await asyncio.sleep(0.01)
            switches.append(f"ahead={time.perf_counter() - t:.1f}")
            async def visit(keys: str, label: str = "") -> None:
                for key in keys:
                    switches.append(f"{label}{key}={await switch(app, key):.0f}")
                    await pilot.pause()
                    for tb in app.screen.query(LazyTable):  # the rest of a long table: before the next key
                        while tb.filling:
                            await asyncio.sleep(0.01)

            await visit("2345")
            await past_days(app, pilot, switches)
            await visit("1")
            # then one more message recorded on Today, and each screen again (its client's
            # rows worked out again, the rest kept): "after" in the output
            item = next(i for i in app.screen.items if i.kind in ("checkpoint", "respond", "intent-check"))
            assert app.try_record(cmd.send_message, item.client, template=item.reason) is None
            await pilot.pause()
            await visit("2345", label="after:")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the process's peak RSS, MB
    print(f"{first_paint:.3f} {appended * 1000:.1f}", *switches, f"peak_mb={peak:.0f}")


asyncio.run(main(sys.argv[1], "--screens" in sys.argv, "--at-once" in sys.argv))
