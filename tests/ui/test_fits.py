"""Fits 80x24, and any name: a long name is cut with "…" to its column, the message form keeps
its template and its hint, toasts never cover a form, footers are never cut mid-word."""

from __future__ import annotations

import itertools

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.widgets.visible import NAME_CELLS

from .conftest import NOW, TOKYO, t

LONG = "Bartholomew-Alexander " * 12  # 264 characters
WIDE = "長谷川" * 30  # 90 wide characters: 180 cells


def register(path, *names) -> None:
    counter = itertools.count(1)
    j = Journal.open(path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"long{next(counter):04d}")
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


async def test_the_message_form_at_80x24_shows_eight_lines_of_text_the_hint_and_no_toast(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        preview = form.query_one("#preview")
        hint = form.query_one(".form-help")
        assert preview.region.height >= 10 and preview.region.bottom <= 24  # 8 lines inside its border
        assert hint.region.height >= 1 and hint.region.bottom <= 24 and "Esc" in str(hint.render())
        assert list(form.query("Toast")) == []  # nothing covers the form ...
        note = str(form.query_one("#form-note").render())
        assert "copied" in note and form.query_one("#form-note").region.bottom <= 24  # ... it says so on its own line


@pytest.mark.parametrize("size", [(160, 45), (120, 36)])
async def test_the_message_form_shows_every_field_whole_when_it_can(make_app, size):
    """At 160x45 the form was taller than the screen: its last field ("For") showed as an empty
    box until Tab scrolled to it. A form that does not fit goes compact first."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        box = form.query_one(".fields")
        view = box.region
        fields = [w for w in box.query("Input, Choice") if w.display]
        assert len(fields) >= 5
        for field in fields:
            assert view.y <= field.region.y and field.region.bottom <= view.bottom, (field.id, field.region, view)
        assert form.query_one(".form-help").region.bottom <= size[1]
        if size[1] >= 40:  # room enough: the whole template, no scroll inside it
            assert form.query_one("#preview").max_scroll_y == 0


async def test_at_160x45_the_message_form_shows_every_template_whole(tmp_path):
    """The form gone compact at 160x45 kept the short terminal's text box (eight lines): a
    template of eight lines that wraps one showed seven and a scrollbar, with rows to spare."""
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", ids=lambda c=itertools.count(1): f"fit{next(c):06d}")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#due", DataTable).row_count
        for row in range(min(rows, 12)):
            await pilot.press("m")
            await pilot.pause()
            await pilot.pause()
            if type(app.screen).__name__ == "FormScreen":
                assert app.screen.query_one("#preview").max_scroll_y == 0, row
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("down")


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_no_footer_is_cut(log_path, language, size):
    from tui_followup.ui.app import FollowupApp

    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0.0, template_overrides={}, language=language)
    async with app.run_test(size=size) as pilot:
        for keys in ([], ["2"], ["3"], ["4"], ["5"], ["1", "enter"]):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            keys_shown = [k for k in app.screen.query("FooterKey") if "-command-palette" not in k.classes]
            palette = app.screen.query_one("FooterKey.-command-palette")
            assert keys_shown, keys
            assert max(k.region.right for k in keys_shown) <= palette.region.x, (keys, [str(k.render()) for k in keys_shown])


async def test_choices_break_between_options_never_inside_one(make_app):
    from tui_followup.ui.forms import Checks

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "a")
        await pilot.pause()
        checks = app.screen.query_one(Checks)
        lines = str(checks.render()).split("\n")
        assert len(lines) == checks.region.height
        for n, (label, _) in enumerate(checks.options, 1):
            assert any(f"{n}[ ]{label}" in line for line in lines), (label, lines)
        assert all(cell_len(line) <= checks.content_region.width for line in lines)


async def test_timeline_details_are_cut_with_an_ellipsis(make_app, log_path):
    counter = itertools.count(1)
    j = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"note{next(counter):04d}")
    j.record(cmd.add_note, "aoki", "面談の準備として職務経歴書の見直しと応募先の比較を次回までに進めてもらうことにした " * 3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", DataTable)
        details = str(timeline.get_row_at(0)[3])
        assert details.endswith("…")
        assert sum(widths(timeline)) <= 80


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
async def test_the_audit_at_80x24_cuts_neither_its_summary_nor_a_column(tmp_path, language):
    """Audit in Korean at 80x24 read 「종결: 목표 달성 1, 연락」 (the summary cut at the edge)
    and a last column whose header was 「최」: the summary wraps to show every reason, and the
    columns in view end at the screen's edge whole (or the one at the edge cut with "…")."""
    from textual.widgets import Static

    from tui_followup.ui.factory import demo_app

    counter = itertools.count(1)
    app = demo_app(tmp_path / "demo.jsonl", ids=lambda: f"snap{next(counter):06d}", language=language,
                   demo_lang=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen.query_one("#summary", Static)
        text = str(summary.content)
        painted = "".join(summary.render_line(y).text for y in range(summary.size.height))
        assert text.replace(" ", "") == painted.replace(" ", ""), (text, painted)  # every word painted
        table = app.screen.query_one("#audit", DataTable)
        room = table.scrollable_content_region.width
        start = 0
        for column in table.ordered_columns:
            width = column.get_render_width(table)
            label = column.label.plain
            assert start >= room or start + width <= room or (label.endswith("…") and width >= 5), \
                (label, start, width, room)
            start += width


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_the_weekly_measures_at_80_columns_each_whole_on_its_line(tmp_path, lang):
    """At 80 columns the two measures did not fit one line, and the second's value was wrapped
    alone onto a line of its own ("15.0"): each measure is now whole on its line."""
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        kpis = app.screen.query_one("#kpis")
        lines = [strip.text.rstrip() for strip in kpis.render_lines(kpis.region.reset_offset)]
        lines = [line for line in lines if line]
        names = [app.words.t(f"kpi.{kpi}") for kpi in ("on_time_share", "first_response_median_days")]
        assert len(lines) in (1, 2) and all(line.startswith(tuple(names)) for line in lines), lines
        for name in names:  # each measure whole: its name, sparkline and value on one line
            line = next(line for line in lines if name in line)
            assert line.rsplit(" ", 1)[-1].rstrip("%").replace(".", "").isdigit() or line.endswith("—"), lines


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_a_clients_summary_keeps_each_label_with_its_value_at_80_columns(tmp_path, lang):
    """At 80 columns 「最終接触」 ended a line and its date began the next: each label is now on
    the line of its value, whatever the width, and after the terminal is made wider too."""
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang)
    labels = [app.words.t(f"label.{key}") for key in ("state", "plan", "channel", "last_contact", "sessions",
                                                      "contacts", "next_step", "consents")]
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((80, 24), (100, 30), (160, 45)):
            await pilot.resize_terminal(*size)
            if app.screen.id is None or "summary" not in [w.id for w in app.screen.query("*")]:
                await pilot.press("down", "enter")
            await pilot.pause()
            summary = app.screen.query_one("#summary")
            lines = [strip.text.rstrip() for strip in summary.render_lines(summary.region.reset_offset)]
            text = "\n".join(lines)
            for label in labels:
                assert label in text, (label, lines)
                assert all(not line.endswith(label) for line in lines), (label, lines)


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_at_80_columns_the_cursor_rows_reason_is_whole_under_the_list(tmp_path, lang):
    """At 80 columns Today cut the Why column (a Korean date first of all) and left the channel
    and the last contact off to the right: under the list the cursor row's reason is whole,
    with those two, as the cursor moves (a burst too)."""
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#due", DataTable)
        column = table.ordered_columns[4]
        room = column.content_width if column.auto_width else column.width  # (what the cell is drawn in)
        cut = [n for n in range(table.row_count) if cell_len(str(table.get_row_at(n)[4])) > room]
        assert cut, "no reason is cut at 80 columns in this demo"
        await pilot.press("g", *["j"] * cut[0])
        await pilot.pause()
        item = screen.current_item()
        line = screen.query_one("#why", Static)
        said = str(line.render())
        assert app.words.why_text(item) in said and app.words.word("channel", item.channel) in said, said
        assert line.region.width and line.region.y < 23  # on screen, above the footer
        assert str(table.get_row_at(cut[0])[4]) in said  # the whole of what the cell cuts


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_at_80_columns_past_day_says_the_cursor_rows_reason_whole_under_the_list(tmp_path, lang):
    """As on Today: Past day cut the Why column at 80 columns and nothing showed the rest (a
    practitioner's morning, Japanese): under the list the cursor row's reason is whole."""
    from tui_followup.ui.factory import demo_app
    from tui_followup.ui.screens.replay import PastDayScreen

    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        for _ in range(200):
            if isinstance(app.screen, PastDayScreen) and app.screen.drawn >= 0:
                break
            await pilot.pause()
        screen = app.screen
        table = screen.query_one("#due", DataTable)
        why = 5  # (Done comes after Due for)
        column = table.ordered_columns[why]
        room = column.content_width if column.auto_width else column.width
        day = screen.day
        for _ in range(40):  # back to a day with a reason cut
            cut = [n for n in range(table.row_count) if cell_len(str(table.get_row_at(n)[why])) > room]
            if cut:
                break
            await pilot.press("left")
            await pilot.pause()
        assert cut, f"no reason cut at 80 columns in this demo since {day}"
        await pilot.press("g", *["j"] * cut[0])
        await pilot.pause()
        item = screen.items[table.cursor_row]
        line = screen.query_one("#why", Static)
        said = str(line.render())
        assert app.words.why_text(item) in said and app.words.word("channel", item.channel) in said, said
        assert line.region.width and line.region.y < 23
        assert str(table.get_row_at(cut[0])[why]) in said


@pytest.mark.parametrize("width", [76, 77])
async def test_a_column_cut_at_the_screens_edge_ends_in_an_ellipsis_in_its_cells_too(tmp_path, width):
    """Clients in Japanese, the screen a little narrower than its columns: 種別 (the next item's
    label) is cut at the edge; its header ended in "…" but its cells read 「意向」 for 意向確認,
    「1か」 for 1か月, as if whole (a practitioner's pass on a team store at 80x24): a cell cut
    there ends in "…" as the header does."""
    from rich.cells import set_cell_size

    from tui_followup.ui.factory import demo_app

    counter = itertools.count(1)
    app = demo_app(tmp_path / "demo.jsonl", ids=lambda: f"snap{next(counter):06d}", language="ja", demo_lang="ja")
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#clients", DataTable)
        room = table.scrollable_content_region.width
        start, checked = 0, 0
        for index, column in enumerate(table.ordered_columns):
            there = column.get_render_width(table)
            if start + there == room and not column.auto_width:  # the column fitted to the edge
                for row in range(min(table.row_count, table.scrollable_content_region.height - 1)):
                    painted = table.render_line(row + 1).text  # (under the header)
                    cell = set_cell_size(set_cell_size(painted, start + there)[::-1], there)[::-1].strip()
                    whole = str(table.get_row_at(row)[index])
                    if cell_len(whole) > there - 2 * table.cell_padding:
                        assert cell.endswith("…"), (whole, cell)
                        checked += 1
                    else:
                        assert cell == whole, (whole, cell)
            start += there
        assert checked  # (a cell was cut there)


@pytest.mark.parametrize("lang", ["ja", "ko", "en"])
async def test_clients_columns_line_up_after_the_terminal_is_made_wider(tmp_path, lang):
    """Opened at 72 columns, Clients cut its last column in view at the edge; made wider (160x45
    in tmux), the rows drawn at 72 kept that column as wide as the edge had made it, the rows
    drawn after had it as wide as its text: the columns after it no longer lined up."""
    from tui_followup.ui.factory import demo_app

    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang)
    async with app.run_test(size=(72, 24)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        lines = [strip.text.rstrip() for strip in table.render_lines(table.region.reset_offset)]
        rows = [line for line in lines[1:] if line]  # (the header apart: the numbers end each row)
        assert len(rows) >= 20, lines
        assert len({cell_len(row) for row in rows}) == 1, "\n".join(lines)
