"""Today's "mine / everyone" toggle (w), pressed as a user presses it."""

from __future__ import annotations

import itertools

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, t

SIZE = (120, 36)


def hand_kim_to_suzuki(log_path) -> None:
    journal = Journal.open(log_path, clock=FixedClock(t("2026-11-24 09:00")), tz=TOKYO, actor="kato")
    journal.record(cmd.assign, "kim", to="suzuki")


def app_for(log_path, actor: str) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor=actor,
                           new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={})


def clients_shown(app) -> set[str]:
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    return {item.client for item in screen.items}


def footer_says(app) -> str:
    """What the footer shows for w: the description of the active binding."""
    return app.screen.active_bindings["w"].binding.description


async def test_w_toggles_mine_and_everyone_and_the_footer_says_what_it_does(log_path):
    """The footer names what w does (it named what was shown: "w Everyone" while everyone's
    were, and w showed only mine -- a practitioner read it as the key's action)."""
    hand_kim_to_suzuki(log_path)
    app = app_for(log_path, "kato")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        everyone = clients_shown(app)
        assert {"aoki", "kim", "emma"} <= everyone
        assert footer_says(app) == "Mine"
        assert app.screen.query_one("#due", DataTable).row_count == len(app.screen.items)

        await pilot.press("w")
        await pilot.pause()
        assert clients_shown(app) == everyone - {"kim"}  # kim is suzuki's now
        assert footer_says(app) == "Everyone"
        assert app.screen.query_one("#due", DataTable).row_count == len(app.screen.items)

        await pilot.press("2", "1")  # away and back: the choice lasts while the app runs
        await pilot.pause()
        assert clients_shown(app) == everyone - {"kim"} and footer_says(app) == "Everyone"

        await pilot.press("question_mark")  # the list of keys says the same as the footer
        await pilot.pause()
        keys = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "Everyone" in keys and "Mine" not in keys
        await pilot.press("escape", "w")
        await pilot.pause()
        assert clients_shown(app) == everyone and footer_says(app) == "Mine"


async def test_the_new_owner_sees_the_client_handed_over(log_path):
    hand_kim_to_suzuki(log_path)
    app = app_for(log_path, "suzuki")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert clients_shown(app) == {"kim"}
        await pilot.press("enter")  # the client's screen: kato's session and message are there
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", DataTable)
        rows = [" ".join(str(cell) for cell in timeline.get_row_at(i)) for i in range(timeline.row_count)]
        text = "\n".join(rows)
        assert "지원서 완성하기" in text  # kato's session, with its next step
        assert "client assigned" in text and "suzuki" in text
        assert len(rows) == 5  # registered, session, message, reply (all kato's) and the hand-over


async def test_nothing_of_mine_says_how_to_see_everyone(log_path):
    app = app_for(log_path, "nobody")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert clients_shown(app) == set()
        assert "Press w" in str(app.screen.query_one("#empty", Static).render())


async def test_the_audit_sorts_by_owner_with_o(log_path):
    hand_kim_to_suzuki(log_path)
    app = app_for(log_path, "kato")
    async with app.run_test(size=(200, 36)) as pilot:
        await pilot.press("3", "o", "o", "o", "o")  # flags (the default) → on time → gap → contacts → owner
        await pilot.pause()
        screen = app.screen
        assert [c.owner for c in screen.rows] == sorted(c.owner for c in screen.rows)
        assert screen.rows[-1].client == "kim" and screen.rows[-1].owner == "suzuki"
        table = screen.query_one("#audit", DataTable)
        assert str(table.get_row_at(table.row_count - 1)[-1]) == "suzuki"
