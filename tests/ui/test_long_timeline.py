"""A client with a long history (a practitioner's demo client had ~500 events): the client's
screen opens on the newest rows and every row is there, reached by End, by arrows typed in one
burst, after a resize; what a row names (the promise a message kept, what a retraction
cancelled) is said as before when the caseload came from a snapshot. The Clients filter typed
in one burst ends on the rows of the whole text."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from textual.widgets import DataTable, Input

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen
from tui_followup.ui.widgets.lazy_table import LazyTable

from .conftest import NOW, TOKYO, seed_caseload, t
from .test_keyboard import burst, settle

SIZE = (120, 36)
NOTES = 150  # more rows than a screen holds, and than a table adds before its first frame


def long_history(path: Path) -> None:
    """The seed caseload, and 青木 (aoki) with a promise, a message keeping it, ``NOTES``
    notes (note 1 the oldest) and a retracted one, by a counselor named 加藤."""
    seed_caseload(path)
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="加藤",
                     new_id=lambda c=itertools.count(1): f"long{next(c):04d}")
    promise = j.record(cmd.make_promise, "aoki", date(2026, 11, 28), "求人票を送る", at=t("2026-10-02 09:00"))
    j.record(cmd.send_message, "aoki", keeps=promise.id, at=t("2026-10-02 10:00"))
    start = t("2026-10-03 09:00")
    for n in range(1, NOTES + 1):
        j.record(cmd.add_note, "aoki", f"note {n} [x]", at=start + timedelta(hours=n))
    wrong = j.record(cmd.add_note, "aoki", "wrong client", at=t("2026-11-24 09:00"))
    j.record(cmd.retract, wrong.id, "typo", at=t("2026-11-24 10:00"))


def app_on(path: Path, **kw) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", write_snapshot=False,
                           new_id=lambda: f"app{next(counter):04d}", **kw)
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={})


def row_text(table: DataTable, row: int) -> str:
    return " | ".join(str(cell) for cell in table.get_row_at(row))


def timeline(app) -> DataTable:
    return app.screen.query_one("#timeline", DataTable)


async def opened(app, pilot) -> DataTable:
    await pilot.press("g")
    burst(app, "enter")  # 青木 花子, first on Today (not waiting for the screen to settle)
    await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and timeline(app).row_count)
    return timeline(app)


def in_view(table: DataTable) -> bool:
    """Whether the cursor's row is on screen (below the header)."""
    top = round(table.scroll_y)
    return top <= table.cursor_row < top + table.scrollable_content_region.height - 1


def every_row(table: DataTable) -> list[str]:
    if hasattr(table, "finish"):
        table.finish()
    return [row_text(table, n) for n in range(table.row_count)]


async def test_the_bottom_key_shows_the_first_event_of_a_long_timeline_and_the_top_key_the_last(tmp_path):
    """G and Ctrl+End (End itself is Textual's: the table's right end), g and Ctrl+Home."""
    path = tmp_path / "events.jsonl"
    long_history(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        table = await opened(app, pilot)
        assert "retract" in row_text(table, 0).casefold()  # newest first
        for bottom, top in (("G", "g"), ("ctrl+end", "ctrl+home")):
            await pilot.press(bottom)
            await pilot.pause()
            assert "青木 花子" in row_text(table, table.cursor_row), bottom  # the registration, the oldest
            # registered, session, promise, message, the notes, the wrong one, its retraction
            assert table.cursor_row == NOTES + 6 - 1, bottom
            assert table.scroll_y == table.max_scroll_y > 0  # and in view
            await pilot.press(top)
            await pilot.pause()
            assert table.cursor_row == 0 and table.scroll_y == 0, top
        rows = every_row(table)
        assert [n for n in range(1, NOTES + 1) if f"note {n} [x]" not in " ".join(rows)] == []
        notes = [int(found.group(1)) for found in map(re.compile(r"note (\d+) \[x\]").search, rows) if found]
        assert notes == list(range(NOTES, 0, -1))  # newest first, every one


async def test_a_burst_of_down_arrows_while_the_timeline_fills_in_moves_by_every_key(tmp_path, monkeypatch):
    """100 ↓ in one burst (held down, or a paste) as soon as the client's screen shows its
    first rows: the cursor goes down 100 rows, not only to the last row the table had when the
    keys came; Page Down six times then ends on the first event."""
    monkeypatch.setattr(LazyTable, "SLICE_ROWS", 1)  # (still filling in when the keys come, however slow the machine: 5 a repaint filled it all under load in CI)
    path = tmp_path / "events.jsonl"
    long_history(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        table = await opened(app, pilot)
        assert table.filling  # (the rest of its rows still to come)
        burst(app, *["down"] * 100)
        await settle(app, pilot, lambda: not app.keys_pending and table.cursor_row == 100)
        assert table.cursor_row == 100
        await pilot.pause()
        assert in_view(table)
        burst(app, *["pagedown"] * 6)
        await settle(app, pilot, lambda: not app.keys_pending and table.cursor_row == NOTES + 5)
        assert "青木 花子" in row_text(table, table.cursor_row)
        await pilot.pause()
        assert in_view(table)


async def test_names_in_the_timeline_from_a_snapshot_are_said_as_from_the_log(tmp_path):
    """Opened from a snapshot (the older events read back from the log when a screen needs them),
    the message names the promise it kept and the retraction what it cancelled, as when every
    event was read from the log; and every row is the same, in the same order."""
    path = tmp_path / "events.jsonl"
    long_history(path)
    big = replace(sizes_module.DEFAULT_SIZES, facts_only_min_bytes=0, snapshot_min_events=0)
    Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, sizes=big).save_snapshot()
    shown = []
    for use_snapshot in (False, True):
        app = app_on(path, use_snapshot=use_snapshot, sizes=big)
        async with app.run_test(size=SIZE) as pilot:
            assert (app.journal.caseload.source is not None) == use_snapshot
            shown.append(every_row(await opened(app, pilot)))
    from_log, from_snapshot = shown
    assert from_snapshot == from_log
    text = "\n".join(from_snapshot)
    assert "求人票を送る" in text.split("note 1 [x]")[1]  # the message keeping the promise, below the notes
    assert "retracts note added (2026-11-24)" in from_snapshot[0]  # the retraction names what it cancelled
    assert "wrong client" in from_snapshot[1] and "typo" in from_snapshot[1]  # struck through, with why


async def test_the_timeline_keeps_its_row_when_the_terminal_is_resized(tmp_path):
    path = tmp_path / "events.jsonl"
    long_history(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        table = await opened(app, pilot)
        await pilot.press(*["down"] * 120)
        await pilot.pause()
        before = row_text(table, table.cursor_row)
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot, lambda: app.screen.shown_width == app.screen.summary_width())
        await pilot.pause()
        assert table.cursor_row == 120
        assert row_text(table, table.cursor_row).split(" | ")[1:3] == before.split(" | ")[1:3]


async def test_arrows_typed_with_the_enter_that_opens_a_client_move_on_the_clients_timeline(tmp_path):
    """Enter and three ↓ in one burst, on Today and on Clients: the client's screen opens and
    its cursor is three rows down (the first ↓ moved Today's cursor, before the client's
    screen was asked for)."""
    path = tmp_path / "events.jsonl"
    long_history(path)
    for first in (["g"], ["2", "slash", *"aoki", "enter"]):  # 青木 花子's row, on Today and on Clients
        app = app_on(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*first)
            await settle(app, pilot, lambda: not app.keys_pending)
            burst(app, "enter", "down", "down", "down")
            await settle(app, pilot, lambda: not app.keys_pending and isinstance(app.screen, ClientScreen)
                         and timeline(app).cursor_row == 3)
            assert isinstance(app.screen, ClientScreen) and timeline(app).cursor_row == 3, first
            assert app.screen_stack[-2].query_one(DataTable).cursor_row == 0, first


async def test_a_burst_typed_into_the_filter_ends_on_the_rows_of_the_whole_text(make_app):
    """``/``, ``kx``, a Backspace and ``i`` in one burst: the rows of "ki" (青木 花子 and 김민준,
    by their ids aoki and kim), not those of "k" or "kx" typed on the way."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and app.screen.rows)
        screen = app.screen
        burst(app, "slash", "k", "x", "backspace", "i")
        await settle(app, pilot, lambda: not app.keys_pending and screen.query_one("#filter", Input).value == "ki")
        for _ in range(3):
            await pilot.pause()
        table = screen.query_one("#clients", DataTable)
        assert sorted(str(table.get_row_at(n)[0]) for n in range(table.row_count)) == sorted(["김민준", "青木 花子"])
        assert "2 of 5" in screen.sub_title


async def test_the_clients_rows_show_what_was_just_recorded_through_the_filter(make_app):
    """The Clients rows are kept between keys: Emma paused here, then Emma's row typed into the
    filter and cleared again, says paused each time; the other rows as they were."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and screen.rows)
        before = {r.client: r.state for r in screen.rows}
        assert app.try_record(cmd.pause, "emma", reason="away") is None
        await settle(app, pilot, lambda: screen.seen == app.version)

        def states() -> dict[str, str]:
            table = screen.query_one("#clients", DataTable)
            return {r.client: str(table.get_row_at(n)[2]) for n, r in enumerate(screen.rows)}

        assert states() == {**before, "emma": "paused"}
        await pilot.press("slash", *"emma")
        await settle(app, pilot, lambda: screen.query_one("#filter", Input).value == "emma" and len(screen.rows) == 1)
        assert states() == {"emma": "paused"}
        await pilot.press(*["backspace"] * 4)
        await settle(app, pilot, lambda: len(screen.rows) == len(before))
        assert states() == {**before, "emma": "paused"}
