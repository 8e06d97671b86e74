"""Names and texts a practitioner types are shown as typed, on every screen: square brackets
are not styling (a client "Sato [old]" stays "Sato [old]", "[/]" breaks nothing)."""

from __future__ import annotations

import itertools

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.journal import Journal
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, t

NAME = "Sato [old] [/]Rin [b]"
SIZE = (120, 36)


def bracket_app(path) -> FollowupApp:
    j = Journal.open(path, clock=FixedClock(t("2026-10-01 09:00")), tz=TOKYO, actor="kato [x]")
    j.record(cmd.register_client, "sato", NAME, at=t("2026-10-01 09:00"))
    j.record(cmd.hold_session, "sato", at=t("2026-11-20 10:00"), summary="[urgent] CV", next_step="[todo] apply")
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={})


def cells(app, table_id: str) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_a_name_with_square_brackets_is_shown_as_typed_everywhere(tmp_path):
    app = bracket_app(tmp_path / "events.jsonl")
    async with app.run_test(size=SIZE) as pilot:
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
        recorded = [n for n in app._notifications if NAME in n.message]
        assert recorded and not any(n.markup for n in recorded)  # the toast shows it as typed
