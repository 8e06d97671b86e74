"""Names and texts a practitioner types are shown as typed, on every screen: square brackets
are not styling (a client "Sato [old]" stays "Sato [old]", "[/]" breaks nothing)."""

from __future__ import annotations

import itertools

import pytest
from textual.command import CommandList
from textual.widgets import DataTable, Static, TextArea

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO, t, toasts

NAME = "Sato [old] [/]Rin [b]"
SIZE = (120, 36)


def bracket_app(path, template_overrides: dict | None = None) -> FollowupApp:
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato [x]")
    j.record(cmd.register_client, "sato", NAME, at=t("2026-10-01 09:00"))
    j.record(cmd.hold_session, "sato", at=t("2026-11-20 10:00"), summary="[urgent] CV", next_step="[todo] apply")
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides=template_overrides or {})


def cells(app, table_id: str) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_a_name_with_square_brackets_is_shown_as_typed_everywhere(tmp_path):
    app = bracket_app(tmp_path / "events.jsonl")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert cells(app, "#due") == [NAME]
        await pilot.press("2")  # Clients
        await pilot.pause()
        table = app.screen.query_one("#clients", DataTable)
        rendered = "".join(seg.text for seg in table.render_line(1))  # the first row, as painted
        assert NAME in rendered
        await pilot.press("3")  # Audit
        await pilot.pause()
        table = app.screen.query_one("#audit", DataTable)
        assert NAME in "".join(seg.text for seg in table.render_line(1))
        assert NAME in str(app.screen.query_one("#chart-title", Static).render())
        await pilot.press("4")  # Weekly review: the client is among those seen this week
        await pilot.pause()
        painted = ["".join(seg.text for seg in table.render_line(y))
                   for table in app.screen.query(DataTable) for y in range(1, table.row_count + 1)]
        assert any(NAME in line for line in painted), painted
        await pilot.press("1", "enter")  # the client
        await pilot.pause()
        assert NAME in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("escape", "m", *"[ok] sent", "enter")  # a message, from Today
        await pilot.pause()
        shown = await toasts(pilot)
        assert any(NAME in toast for toast in shown), shown  # the toast shows it as typed


PALETTE_NAMES = ["[bold]Bracket[/bold] [/] Test", NAME, r"C:\[tmp] [$x] \\[i]"]  # escaping alone loses the last


def painted(widget) -> list[str]:
    """The widget's lines as painted on the terminal."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def palette_lines(pilot, wanted: str, also: str = "") -> list[str]:
    """The palette's list as painted, once it shows ``wanted`` (and ``also``, its help line):
    paged down as a user looks for it, a line down when the pair straddles a page (given up
    after 5 s)."""
    lines: list[str] = []
    for _ in range(100):
        await pilot.pause(0.05)
        lines = painted(pilot.app.screen.query_one(CommandList))
        found = any(wanted in line for line in lines)
        if found and (not also or any(also in line for line in lines)):
            break
        if any(line.strip() for line in lines):
            await pilot.press("down" if found else "pagedown")
    return lines


@pytest.mark.parametrize("name", PALETTE_NAMES)
async def test_the_palette_shows_a_name_with_square_brackets_as_typed(tmp_path, name):
    path = tmp_path / "events.jsonl"
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    j.record(cmd.register_client, "b[/]1", name, at=t("2026-10-01 09:00"))
    j.record(cmd.hold_session, "b[/]1", at=t("2026-11-20 10:00"))
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={})
    async with app.run_test(size=SIZE) as pilot:
        for keys in ([], ["2"], ["3"], ["1", "enter"]):  # Today, Clients, Audit, the client: the client is selected
            await pilot.press(*keys, "ctrl+p")
            lines = await palette_lines(pilot, f"{name}: Add a note", also=f"for {name} (b[/]1)")
            assert any(line.strip() == f"{name}: Add a note" for line in lines), lines
            assert any(line.strip() == f"for {name} (b[/]1)" for line in lines), lines  # the help text
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p", *"Open client")
        lines = await palette_lines(pilot, "Open client:")
        assert any(line.strip() == f"Open client: {name} (b[/]1)" for line in lines), lines
        await pilot.press(*["backspace"] * len("Open client"), *": Add a note")  # chosen in the palette
        lines = await palette_lines(pilot, f"{name}: Add a note")
        assert any(line.strip() == f"{name}: Add a note" for line in lines), lines
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert name in str(app.screen.query_one(".form-title", Static).render())


async def test_reasons_notes_summaries_and_templates_are_shown_as_typed(tmp_path):
    own = {"en": {"1w": "[b]Hi[/b] {name}: {next_step} [/]", "1w.subject": "[i]Week[/i] {name}"}}
    app = bracket_app(tmp_path / "events.jsonl", template_overrides=own)  # 11-25: the 1w (24h missed)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter", "m")  # the client, then the message form: the template filled in
        await pilot.pause()
        assert NAME in str(app.screen.query_one(".form-title", Static).render())
        assert app.screen.query_one("#preview", TextArea).text == (
            f"Subject: [i]Week[/i] {NAME}\n\n[b]Hi[/b] {NAME}: [todo] apply [/]")
        await pilot.press(*"[ok] sent", "enter")
        await pilot.press("n", *"[note] [/]call", "enter")
        await pilot.press("z", "tab", *"[away] [/]", "enter")
        await pilot.press("c", *"[done] [/]", "enter")  # close: the question names the client as typed
        await pilot.pause()
        assert NAME in str(app.screen.query_one(Static).render())
        await pilot.press("y", "o", *"[back] [/]", "enter")  # closed, then reopened with a reason
        await pilot.pause()
        shown = await toasts(pilot)
        assert any(NAME in toast for toast in shown), shown
        timeline = "\n".join(painted(app.screen.query_one("#timeline", DataTable)))
        for typed in ("[urgent] CV", "[todo] apply", "[ok] sent", "[note] [/]call", "[away] [/]", "[done] [/]",
                      "[back] [/]"):
            assert typed in timeline, (typed, timeline)
        await pilot.press("y", "end")  # replay, at the last event: the reopening
        await pilot.pause()
        assert "[back] [/]" in str(app.screen.query_one("#state", Static).render())
        await pilot.press("escape", "5", "d", *"2026-11-24", "enter")  # a past day: the client was due
        await app.workers.wait_for_complete()  # the past is read in a worker thread
        await pilot.pause()
        assert any(NAME in line for line in painted(app.screen.query_one("#due", DataTable)))
