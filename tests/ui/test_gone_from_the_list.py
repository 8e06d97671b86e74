"""A client who leaves the caseload while only the lists show them (erased elsewhere; on a
counselor's server view, handed over to a colleague): the row does not vanish without a word.
The app says how many left and why, naming no one; no notice stops the keys (no form of theirs
was open)."""

from __future__ import annotations

from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.forms import GoneNotice

from ..storage.conftest import pg_server, pg_url  # noqa: F401 - the fixtures
from ..storage.test_need_to_know import office, seed  # noqa: F401 - the fixture
from .conftest import NOW, TOKYO
from .test_attack_close_handed_over import app_of, hand_over
from .test_attack_handed_away_everywhere import looked


def said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_client_erased_elsewhere_leaves_today_with_a_word(make_app, log_path):
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert "青木" in app.export_screenshot()
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        await looked(app, pilot)
        assert "青木" not in app.export_screenshot()
        assert not isinstance(app.screen, GoneNotice)
        assert any(m.startswith("1 client's data was erased") for m in said(app)), said(app)


async def test_a_client_handed_over_elsewhere_leaves_a_counselors_today_with_a_word(office):  # noqa: F811
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        assert "Aoki" in app.export_screenshot()
        hand_over(office)
        await looked(app, pilot)
        assert "Aoki" not in app.export_screenshot()
        assert not isinstance(app.screen, GoneNotice)
        assert any(m.startswith("1 client is no longer yours to see") for m in said(app)), said(app)


async def test_news_of_others_alone_says_nothing(make_app, log_path):
    from tui_followup.core import commands as cmd

    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki").record(cmd.add_note, "kim", "a note")
        await looked(app, pilot)
        assert not any("was erased" in m or "no longer yours" in m for m in said(app)), said(app)


async def test_a_counselors_today_offers_no_mine_or_everyone(office):  # noqa: F811
    """On a counselor's need-to-know view every client shown is theirs: `w` (mine / everyone's)
    would change nothing, so the footer does not offer it (a practitioners' pass)."""
    seed(office)
    app = app_of(office["a"])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Aoki" in app.export_screenshot()
        assert "Mine" not in app.export_screenshot()
        await pilot.press("w")
        await pilot.pause()
        assert "Aoki" in app.export_screenshot()


async def test_a_whole_logs_today_offers_mine(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Mine" in app.export_screenshot()
