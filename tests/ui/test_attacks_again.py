"""Issue 21 attacked again, in the app: a BEL (and invisible characters) shown, never dropped."""

from __future__ import annotations

import itertools
import re

from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, t
from .test_escapes import frame as painted_frame


def frame(app) -> str:
    """The screen's text, its styles taken out."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", painted_frame(app))


async def test_a_bel_in_a_name_and_a_note_is_shown_in_the_tables_and_the_timeline(tmp_path):
    path = tmp_path / "events.jsonl"

    def make(kind, when, **fields):
        return kind(id=f"{kind.__name__}-{when[:10]}", at=t(when), recorded_at=t(when), actor="kato",
                    client="bel", **fields)

    LogStore(path).append([
        make(ev.ClientRegistered, "2026-10-01 09:00", name="Bel\x07la\u200bZ"),
        make(ev.NoteAdded, "2026-11-19 10:00", text="ring\x07ring\u2028"),
    ])
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={})
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        shown = frame(app)
        assert "Bel␇la\\u200bZ" in shown, re.findall("Bel.{0,12}", shown)
        await pilot.press("enter")
        await pilot.pause()
        painted = frame(app)
        assert "ring␇ring" in painted and "\\u2028" in painted
        assert "\x07" not in painted and "\u200b" not in painted
