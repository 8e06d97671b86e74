"""The app, headless: a client's record opened (Enter on a row of Today, then of Clients) and
keys typed into the Clients filter, each timed from the key press until the first frame that
shows what it asked for (as ``benchmarks/tui.py`` times a switch: the app's ``_display`` sees
every frame).

    python benchmarks/client_open.py LOG [--profile]

prints: ``today-openN=ms(rows)`` for Enter on three rows of Today (rows: the timeline's rows in
that frame), ``clients-open=ms``, then ``filter'TEXT'=ms(rows)`` for each letter typed and
``backspace=ms(rows)`` for each Backspace (rows: the clients the filter lets through). The app
first works out ahead what the screens show, and each table is left to fill in before the next
key. ``--profile``: cProfile of the timed keys only (the 60 costliest calls, cumulative).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import time

from textual import events
from textual.widgets import DataTable, Input

from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen
from tui_followup.ui.widgets.lazy_table import LazyTable

PROFILE = cProfile.Profile() if "--profile" in sys.argv else None


async def until_frame(app: FollowupApp, key: str, shows) -> float:
    """Milliseconds from ``key`` as a terminal sends it until the first frame for which
    ``shows(screen)`` holds."""
    drawn = asyncio.get_running_loop().create_future()
    display = app._display

    def watch(screen, renderable) -> None:
        if renderable is not None and not drawn.done() and shows(screen):
            drawn.set_result(time.perf_counter())
        display(screen, renderable)

    app._display = watch  # type: ignore[method-assign]
    if PROFILE:
        PROFILE.enable()
    t = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    try:
        return (await drawn - t) * 1000
    finally:
        if PROFILE:
            PROFILE.disable()
        app._display = display  # type: ignore[method-assign]


async def settle(app: FollowupApp, pilot) -> None:
    """Every table of the screen filled in."""
    await pilot.pause()
    for table in app.screen.query(LazyTable):
        while table.filling:
            await asyncio.sleep(0.01)
    await pilot.pause()


def client_with_rows(before):
    def shows(screen) -> bool:
        return (screen is not before and isinstance(screen, ClientScreen)
                and screen.query_one("#timeline", DataTable).row_count > 0)
    return shows


async def main(path: str) -> None:
    journal = Journal.open(path, write_snapshot=False)  # as the app does: snapshot on exit
    app = FollowupApp(journal, poll_seconds=0)
    out = []
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#due", DataTable)
        while table.row_count == 0:
            await pilot.pause(0.005)
        while not app.ahead.ready():
            await asyncio.sleep(0.01)
        await settle(app, pilot)
        for n in range(3):  # Enter on Today's rows 1, 4, 7
            ms = await until_frame(app, "enter", client_with_rows(app.screen))
            out.append(f"today-open{n}={ms:.0f}({app.screen.query_one('#timeline', DataTable).row_count})")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("j", "j", "j")
            await settle(app, pilot)
        await pilot.press("2", "j")
        await settle(app, pilot)
        ms = await until_frame(app, "enter", client_with_rows(app.screen))
        out.append(f"clients-open={ms:.0f}")
        await settle(app, pilot)
        await pilot.press("escape", "slash")
        await settle(app, pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        drawn_for = [None]  # the filter's text the rows were last drawn for
        show = clients.show

        def shown(journal) -> None:
            show(journal)
            drawn_for[0] = clients.query_one("#filter", Input).value

        clients.show = shown  # type: ignore[method-assign]
        for key in ["a", "n", "backspace", "backspace"]:
            value = clients.query_one("#filter", Input).value
            want = value + key if len(key) == 1 else value[:-1]
            ms = await until_frame(app, key, lambda screen: screen is clients and drawn_for[0] == want)
            out.append(f"{'filter' + repr(want) if len(key) == 1 else key}={ms:.0f}({len(clients.rows)})")
            await settle(app, pilot)
    print(*out)
    if PROFILE:
        pstats.Stats(PROFILE).sort_stats("cumulative").print_stats(60)


asyncio.run(main(sys.argv[1]))
