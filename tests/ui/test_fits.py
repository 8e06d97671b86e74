"""Fits 80x24, and any name: a long name is cut with "…" to its column, the message form keeps
its template and its hint, toasts never cover a form, footers are never cut mid-word."""

from __future__ import annotations

import itertools

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.widgets.visible import NAME_CELLS

from .conftest import NOW, TOKYO, t

LONG = "Bartholomew-Alexander " * 12  # 264 characters
WIDE = "長谷川" * 30  # 90 wide characters: 180 cells


def register(path, *names) -> None:
    counter = itertools.count(1)
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"long{next(counter):04d}")
    for n, name in enumerate(names):
        j.record(cmd.register_client, f"long{n}", name, at=t("2026-11-20 09:00"))


def widths(table: DataTable) -> list[int]:
    return [column.get_render_width(table) for column in table.ordered_columns]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_a_long_name_is_cut_with_an_ellipsis_and_the_other_columns_stay(make_app, log_path, size):
    register(log_path, LONG, WIDE)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        cut = [name for name in names if name.endswith("…")]
        assert len(cut) == 2 and all(cell_len(name) <= NAME_CELLS for name in cut)
        assert any(name.startswith("Bartholomew-Alexander") for name in cut)
        assert any(name.startswith("長谷川") for name in cut)
        why = [str(c.label) for c in table.ordered_columns].index("Why")
        assert sum(widths(table)[:why]) + 20 <= size[0]  # Why in view, twenty cells at least
        if size[0] >= 160:
            assert sum(widths(table)) <= size[0]  # every column
        await pilot.press("2")  # and on Clients
        await pilot.pause()
        clients = app.screen.query_one("#clients", DataTable)
        assert widths(clients)[0] <= NAME_CELLS + 2 and sum(widths(clients)[:4]) < size[0]  # name, id, state, plan
        name_cells = [str(clients.get_row_at(n)[0]) for n in range(clients.row_count)]
        assert all(cell_len(name) <= NAME_CELLS for name in name_cells)
