"""Issue 24: Today at 80x24 gives Why its width first: a client with a 264-character name
further down the list (off screen) left the Client column 26 wide and Why about 22 (Korean)."""

from __future__ import annotations

import itertools
from datetime import datetime

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.screens.today import TodayScreen
from tui_followup.ui.widgets.due_table import DueTable

from .conftest import NOW, TOKYO, seed_caseload
from .test_keyboard import settle
from .test_korean import app_in

SMALL = (80, 24)


def caseload_with(path, last_name: str) -> None:
    """The seed caseload, thirty clients overdue, and one more whose row comes last (off an
    80x24 screen)."""
    seed_caseload(path)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"more{next(c):04d}")
    for n in range(30):
        journal.record(cmd.register_client, f"c{n}", f"김{n}", at=datetime(2026, 10, 1, 9, 0, tzinfo=TOKYO))
        journal.record(cmd.hold_session, f"c{n}", at=datetime(2026, 11, 21, 10, 0, tzinfo=TOKYO))
    journal.record(cmd.register_client, "long", last_name, at=datetime(2026, 10, 1, 9, 0, tzinfo=TOKYO))
    journal.record(cmd.hold_session, "long", at=datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO))


async def why_width(path) -> tuple[int, int, int]:
    """Why's width on screen, the width its longest reason needs, and where the long row is."""
    app = app_in(path, "ko")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot, lambda: isinstance(app.screen, TodayScreen) and app.screen.query(DueTable))
        table = app.screen.query_one("#due", DueTable)
        await settle(app, pilot, lambda: not table.filling)
        await pilot.pause()
        why = table.ordered_columns[table.why_index]
        row = next(i for i in range(table.row_count) if "long" in table.coordinate_to_cell_key((i, 0)).row_key.value)
        return why.get_render_width(table), why.content_width, row


async def test_a_long_name_off_screen_does_not_take_whys_width(tmp_path):
    short, long = tmp_path / "short.jsonl", tmp_path / "long.jsonl"
    caseload_with(short, "박지성")
    caseload_with(long, "가" * 264)
    shown_short, _, _ = await why_width(short)
    shown_long, needed, row = await why_width(long)
    assert row > SMALL[1]  # the long name's row is off screen
    assert shown_long == shown_short
    assert shown_long - 2 >= min(needed, 30)  # Why has room for its reason (it had about 22)


async def test_a_client_closed_elsewhere_no_longer_offers_a_message_in_the_footer(make_app, log_path):
    """Closed from the command line (another process) while its screen was open: the footer
    still offered m. It shows what the state allows once the app has read the change."""
    from tui_followup.core.commands import close_case
    from tui_followup.ui.screens.client import ClientScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ClientScreen("aoki"))
        await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.is_mounted)

        def footer_offers(key: str) -> bool:
            return any(binding.key == key and enabled for binding, enabled, _ in
                       ((b, e, t) for _, b, e, t in app.screen.active_bindings.values()) if binding.show)

        await pilot.pause()
        assert footer_offers("m")
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="sato").record(close_case, "aoki", "goal_achieved")
        app.poll_log()
        await app.workers.wait_for_complete()
        await settle(app, pilot, lambda: app.journal.caseload.get("aoki").state == "closed")
        await pilot.pause()
        assert not footer_offers("m")


async def test_the_palette_says_no_matches_in_the_apps_language(log_path):
    """Ctrl+P then a word matching nothing: "No matches found" in English inside the Japanese
    app. Said through the catalogue's [textual] table, like Textual's other words."""
    from textual.widgets import OptionList

    for language, words in (("ja", "一致するものはありません"), ("ko", "일치하는 항목이 없습니다")):
        app = app_in(log_path, language)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("ctrl+p", *"zzzq")

            def said() -> str:
                found = [option for option_list in app.screen.query(OptionList)
                         for option in option_list.options if option.id == "--no-matches"]
                return str(found[0].prompt.renderable) if found else ""

            for _ in range(100):  # (Textual says it half a second after the search found nothing)
                if said():
                    break
                await pilot.pause(0.02)
            assert words in said()
