"""What a table's caches held is freed as soon as they are emptied, not at the cycle collector's
next full collection (Textual's LRUCache kept its entries in a ring of links and dropped it
whole): the app freezes what lives (``hold_still``), and a ring frozen was never freed (the
app's peak at a million events went from 215 to 273 MB); unfrozen, each full collection walked
it (100-340 ms each, some on the key that switched screens)."""

from __future__ import annotations

import gc
import weakref

from textual.cache import LRUCache

from tui_followup.ui.widgets.visible import let_rings_go


class Drawn:
    """Something a cache holds (a line drawn)."""


def test_an_emptied_cache_frees_what_it_held_without_the_cycle_collector():
    let_rings_go()
    cache: LRUCache = LRUCache(10)
    held = [Drawn() for _ in range(5)]
    for n, value in enumerate(held):
        cache.set(n, value)
    cache.get(2)  # (the ring reordered)
    watched = [weakref.ref(value) for value in held]
    del held, value
    was = gc.isenabled()
    gc.disable()
    try:
        cache.clear()
        assert [ref() for ref in watched] == [None] * 5
    finally:
        if was:
            gc.enable()
    cache.set("again", 1)  # the same cache, usable after
    assert cache.get("again") == 1 and len(cache) == 1


def test_installing_it_twice_changes_nothing():
    let_rings_go()
    clear = LRUCache.clear
    let_rings_go()
    assert LRUCache.clear is clear


async def test_a_long_table_filled_in_is_moved_out_of_the_collectors_walk(tmp_path):
    """Clients with more rows than a screen: once the last rows are in, the app freezes (the
    rows live as long as the table shows them)."""
    from .test_screens_open_at_once import app_on, many_clients, worked_ahead

    path = tmp_path / "events.jsonl"
    many_clients(path, 300)
    app = app_on(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await worked_ahead(app, pilot)
        frozen = gc.get_freeze_count()
        await pilot.press("2")
        table = app.screen.query_one("DataTable")
        for _ in range(500):
            if not table.filling:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert table.row_count >= 300 and not table.filling
        assert gc.get_freeze_count() > frozen
