"""Attacks on ``VisibleTable._render_cell`` (the laid-out cells kept per update count): in every
state reached here, our drawing of each cell in view is DataTable's own."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from tui_followup.ui.widgets.visible import VisibleTable


def _check(table: VisibleTable) -> int:
    """Ours as left by the real drawing (no cache of ours cleared), against DataTable's own."""
    compared = 0
    widths = [column.get_render_width(table) for column in table.ordered_columns]
    for row in range(min(table.row_count, 15)):
        for column, width in enumerate(widths):
            for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                ours = table._render_cell(row, column, table.rich_style, width, cursor=cursor, hover=hover)
                table._cell_render_cache.clear()
                theirs = DataTable._render_cell(table, row, column, table.rich_style, width, cursor=cursor, hover=hover)
                table._cell_render_cache.clear()
                assert ours == theirs, (row, column, cursor, hover, ours, theirs)
                compared += 1
    return compared


NAMES = ["佐藤 花子", "김민준", "Ana 👩‍👩‍👧 🇯🇵", "bell\x07 esc\x1b[31m tab\t", "x" * 90, "", "e\u0301\u200b", "ｶﾀｶﾅ 漢字" * 5]


class Tables(App):
    def __init__(self, cursor_type: str = "cell", fixed_columns: int = 0) -> None:
        super().__init__()
        self.cursor_type, self.fixed = cursor_type, fixed_columns

    def compose(self) -> ComposeResult:
        yield VisibleTable(id="t", cursor_type=self.cursor_type, fixed_columns=self.fixed)
        yield Input(id="i")

    def on_mount(self) -> None:
        table = self.query_one(VisibleTable)
        table.add_columns("a", "b", "c")
        for n, name in enumerate(NAMES):
            table.add_row(name, Text(f"{n} ✓", style="bold red"), f"{n}" * 3, key=f"k{n}")


async def _attack(cursor_type: str, fixed: int) -> None:
    app = Tables(cursor_type, fixed)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VisibleTable)
        table.focus()
        await pilot.pause()
        assert _check(table)
        table.update_cell("k0", table.ordered_columns[0].key, "山田 太郎 new")  # in place
        await pilot.pause()
        assert _check(table)
        assert "山田" in "".join(s.text for s in table._render_cell(0, 0, table.rich_style, 30)[0])
        table.remove_row("k1")
        table.add_row("re-added", "r", "r", key="k1")  # the same key, new content
        await pilot.pause()
        assert _check(table)
        for size in ((160, 30), (80, 24), (40, 10)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert _check(table)
        await pilot.hover(VisibleTable, offset=(3, 2))
        await pilot.pause()
        assert _check(table)
        app.query_one(Input).focus()
        await pilot.pause()
        assert _check(table)
        app.theme = "textual-light"
        await pilot.pause()
        assert _check(table)
        table.focus()
        app.theme = "nord"
        await pilot.pause()
        assert _check(table)
        table.cell_padding = 0
        await pilot.pause()
        assert _check(table)
        table.cell_padding = 3
        await pilot.pause()
        assert _check(table)
        table.cursor_type = "row" if cursor_type == "cell" else "cell"
        await pilot.pause()
        assert _check(table)
        table.sort(table.ordered_columns[2].key, reverse=True)
        await pilot.pause()
        assert _check(table)
        table.show_cursor = False
        await pilot.pause()
        assert _check(table)
        table.clear()
        table.add_row("after clear", "z", "z", key="k0")
        await pilot.pause()
        assert _check(table)


async def test_cell_cursor():
    await _attack("cell", 0)


async def test_row_cursor_fixed_column():
    await _attack("row", 1)


async def test_a_column_narrower_than_its_padding_is_drawn_as_datatable_draws_it():
    app = Tables()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VisibleTable)
        await pilot.pause()
        for width in range(1, 5):  # (at 0, an empty segment: styled by ours, not by DataTable: nothing seen)
            for row in range(table.row_count):
                ours = table._render_cell(row, 0, table.rich_style, width)
                table._cell_render_cache.clear()
                theirs = DataTable._render_cell(table, row, 0, table.rich_style, width)
                table._cell_render_cache.clear()
                assert ours == theirs, (width, row)


async def test_every_screen_of_the_app_through_resizes_hover_theme_and_scrolling(tmp_path):
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", clients=400)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def check_all() -> None:
            await pilot.pause()
            for table in app.screen.query(VisibleTable):
                if table.row_count and table.size.width:
                    _check(table)

        for key in ("1", "2", "3", "4", "5", "1"):
            await pilot.press(key)
            await check_all()
            for size in ((160, 45), (80, 24), (120, 36)):
                await pilot.resize_terminal(*size)
                await check_all()
            await pilot.hover(VisibleTable, offset=(5, 3))
            await check_all()
            await pilot.press("pagedown", "pagedown", "down", "down")
            await check_all()
            await pilot.press("home")
            await check_all()
        app.theme = "textual-light"
        await check_all()
        await pilot.press("5", "d")  # Past day, the focus in its date box
        await check_all()
        await pilot.press("escape", "j")
        await check_all()


async def test_rows_changed_by_a_record_under_the_same_key_are_drawn_anew(tmp_path):
    """A message recorded: its row goes and comes back under the same key (fill_due_table's
    incremental path, then a sort), on Today and on Clients."""
    from tui_followup.core import commands as cmd
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", clients=60)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for screen_key in ("1", "2"):
            await pilot.press(screen_key)
            await pilot.pause()
            table = app.screen.query_one(VisibleTable)
            for _ in range(3):
                await pilot.pause()
                client = next(iter(app.journal.caseload.clients))
                app.try_record(cmd.add_note, client, text="x")
                item = next((i for i in getattr(app.screen, "items", ()) if i.kind == "checkpoint"), None)
                if item is not None:
                    app.try_record(cmd.send_message, item.client, answers="checkpoint")
                await pilot.pause()
                await pilot.pause()
                assert _check(table)
