"""A first start on a big log without its snapshot: the app paints at once, shows a progress bar
while a worker thread reads the log (in one process: nothing forks from inside the app), then
opens on Today."""

from __future__ import annotations

import itertools
from dataclasses import replace

from tui_followup.core.clock import FixedClock
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal
from tui_followup.ui import app as app_module
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.loading import LoadingScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO


async def test_the_app_paints_a_progress_bar_and_reads_the_log_in_a_worker(log_path, monkeypatch):
    small = replace(sizes_module.DEFAULT_SIZES, facts_only_min_bytes=0, parallel_min_bytes=2**62)
    steps: list[tuple[int, int]] = []
    counter = itertools.count(1)

    def opener(progress):
        def seen(done, total):
            steps.append((done, total))
            progress(done, total)

        return Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, write_snapshot=False, on_progress=seen,
                            new_id=lambda: f"app{next(counter):04d}", sizes=small)

    app = FollowupApp(None, poll_seconds=0, template_overrides={}, opener=opener, loading_text="Reading…")
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.screen
        await app.workers.wait_for_complete()
        for _ in range(200):  # until Today is on screen with its rows
            if isinstance(app.screen, TodayScreen) and app.screen.items:
                break
            await pilot.pause(0.01)
        assert isinstance(first, LoadingScreen)
        assert isinstance(app.screen, TodayScreen) and app.screen.items
        assert steps and steps[-1][0] == steps[-1][1] == log_path.stat().st_size


def test_a_start_needs_the_long_read_only_for_a_big_log_without_its_snapshot(log_path, monkeypatch):
    big = replace(sizes_module.DEFAULT_SIZES, facts_only_min_bytes=0, snapshot_min_events=0)
    assert app_module.needs_long_read(log_path, big) == log_path.stat().st_size
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, sizes=big)
    journal.save_snapshot()
    assert app_module.needs_long_read(log_path, big) is None


async def test_keys_pressed_while_the_log_is_read_do_nothing_but_quit(log_path):
    """2, 3, Ctrl+Z, Ctrl+P while the progress bar shows: no screen without its caseload (Clients
    crashed with a traceback), then the app opens on Today as usual."""
    import threading

    release = threading.Event()

    def opener(progress):
        release.wait(10)  # the long read, until the test lets it end
        return Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, write_snapshot=False)

    app = FollowupApp(None, poll_seconds=0, template_overrides={}, opener=opener, loading_text="Reading…")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "G", "3", "ctrl+z", "ctrl+p", "question_mark")
        assert isinstance(app.screen, LoadingScreen)
        release.set()
        await app.workers.wait_for_complete()
        for _ in range(200):
            if isinstance(app.screen, TodayScreen) and app.screen.items:
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, TodayScreen) and app.screen.items
        await pilot.press("2")
        assert app.screen.title == "Clients"
