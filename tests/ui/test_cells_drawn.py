"""The tables draw each body cell's text once and only restyle it when focus or the cursor
moves (``VisibleTable._render_cell``): what they draw must stay what Textual's DataTable draws,
in every state a practitioner sees (focused, blurred by the date box or a form, the cursor on
a row, a wide name cut, a cell changed), whatever version of Textual is installed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from tui_followup.ui.widgets.visible import VisibleTable

from .test_triage import SIZE


def _same_as_datatables(table: VisibleTable) -> int:
    """Every cell in view drawn by our path and by DataTable's own, compared; how many."""
    compared = 0
    widths = [column.get_render_width(table) for column in table.ordered_columns]
    for row in range(min(table.row_count, 12)):
        for column, width in enumerate(widths):
            for cursor in (False, True):
                ours = table._render_cell(row, column, table.rich_style, width, cursor=cursor)
                table._cell_render_cache.clear()
                theirs = DataTable._render_cell(table, row, column, table.rich_style, width, cursor=cursor)
                table._cell_render_cache.clear()
                assert ours == theirs, (row, column, cursor)
                compared += 1
    return compared


async def test_every_cell_in_view_is_drawn_as_datatable_draws_it_focused_and_not(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", VisibleTable)
        assert table.has_focus and _same_as_datatables(table) > 20
        await pilot.press("5", "d")  # Past day, the focus in its date box
        await pilot.pause()
        past = app.screen.query_one("#due", VisibleTable)
        assert not past.has_focus and _same_as_datatables(past) > 20
        await pilot.press("escape", "j")
        await pilot.pause()
        assert past.has_focus and _same_as_datatables(past) > 20


async def test_a_cell_changed_is_drawn_anew(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", VisibleTable)
        width = table.ordered_columns[0].get_render_width(table)
        before = "".join(s.text for s in table._render_cell(0, 0, table.rich_style, width)[0])
        table.update_cell_at((0, 0), Text("Sato [old]"))  # (as the app gives names: never markup)
        await pilot.pause()
        assert before.strip() and "Sato" not in before
        after = "".join(s.text for s in table._render_cell(0, 0, table.rich_style, width)[0])
        assert "Sato [old]" in after
