"""Issue 13 in the app: e edits a client, a records or withdraws a consent, the register form
asks for consents, the Client screen shows the progress strip and a channel without consent."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.screens.client import ClientScreen

from .conftest import events_in, t

SIZE = (120, 36)


async def test_e_on_the_client_screen_records_only_what_changed(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")  # 青木's screen
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "aoki"
        await pilot.press("e")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("tab", *"アオキ ハナコ", "tab", "2", "enter")  # reading, plan: weekly
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientUpdated)
        assert (last.client, last.reading, last.plan, last.name, last.channel) == ("aoki", "アオキ ハナコ", "weekly", "", "")
        assert app.journal.caseload.get("aoki").plan == "weekly"


async def test_a_records_and_withdraws_a_consent_and_the_screen_marks_a_channel_without_one(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "no consent recorded" in summary
        await pilot.press("a", "enter")  # the client's own channel (email), consents
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ConsentRecorded) and (last.client, last.scope) == ("aoki", "email")
        assert "no consent recorded" not in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("a", "tab", "2", "enter")  # withdraws
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ConsentWithdrawn) and last.scope == "email"


async def test_j_then_k_on_the_client_screen_moves_down_and_back_up_and_records_nothing(make_app, log_path):
    """k moves up in every list, the client's timeline too: it was the consent there, and
    j k Enter recorded a consent the client never gave (a practitioner's morning)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        assert isinstance(app.screen, ClientScreen)
        timeline = app.screen.query_one("#timeline", DataTable)
        before = len(events_in(log_path))
        start = timeline.cursor_row
        await pilot.press("j")
        assert timeline.cursor_row == start + 1
        await pilot.press("k", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen) and timeline.cursor_row == start
        assert len(events_in(log_path)) == before


async def test_the_register_form_asks_for_consents(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "a", *"Noah Park", "tab", *"noah", "tab", "tab", "tab", "tab", "1", "6", "enter")
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.ClientRegistered)
        assert (last.client, last.consents) == ("noah", ("email", "case_review"))


async def test_the_client_screen_shows_the_progress_strip(make_app, log_path):
    app = make_app()
    app.journal.record(cmd.hold_session, "aoki", at=t("2026-11-23 10:00"), achieved="履歴書を完成",
                       challenges="面接が不安", next_step="模擬面接")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Progress" in summary and "履歴書を完成" in summary and "面接が不安" in summary
        assert "応募書類を仕上げる" in summary  # the first session of the case, its next step


async def test_the_clients_screen_counts_the_days_since_contact_coloured_once_gone_quiet(make_app):
    from textual.widgets import DataTable

    app = make_app()
    # quiet: nothing from them for the standard plan's 60 silence days (policy.gone_quiet); ours do not count
    app.journal.record(cmd.register_client, "ueda", "上田", at=t("2026-09-01 09:00"))
    app.journal.record(cmd.hold_session, "ueda", at=t("2026-09-20 10:00"))
    app.journal.record(cmd.send_message, "ueda", at=t("2026-11-20 10:00"))
    app.journal.record(cmd.register_client, "noda", "野田", at=t("2026-09-01 09:00"))
    app.journal.record(cmd.hold_session, "noda", at=t("2026-10-16 10:00"))  # 40 days: not yet
    async with app.run_test(size=(160, 36)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one("#clients", DataTable)
        cells = {str(table.get_row_at(i)[1]): table.get_row_at(i)[-1] for i in range(table.row_count)}
        assert str(cells["aoki"]) == "3" and not cells["aoki"].style  # session 11-22, today 11-25
        assert str(cells["sato"]) == "85"  # paused: counted, not coloured
        assert "yellow" not in str(cells["sato"].style)
        assert str(cells["ueda"]) == "66" and "yellow" in str(cells["ueda"].style)
        assert str(cells["noda"]) == "40" and "yellow" not in str(cells["noda"].style)


async def test_the_weekly_review_shows_the_two_measures_as_sparklines(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        line = str(app.screen.query_one("#kpis", Static).content)
        assert "on time" in line and "1st response (median days)" in line and "this week" in line


async def test_a_booked_session_whose_time_has_passed_is_not_called_next(make_app):
    """A session booked for two days ago, nothing recorded of it: the client screen said
    「다음 상담: 12월 2일(수) 14:00」, a "next" session in the past. It says it passed, with the
    keys that record what happened."""
    app = make_app()  # today is 11-25
    app.journal.record(cmd.register_client, "kenm", "Mori Ken", at=t("2026-11-01 09:00"))
    app.journal.record(cmd.hold_session, "kenm", at=t("2026-11-10 10:00"))
    app.journal.record(cmd.book_appointment, "kenm", when=t("2026-11-23 14:00"), at=t("2026-11-11 10:00"))
    app.journal.record(cmd.register_client, "sato2", "Sato Aya", at=t("2026-11-01 09:00"))
    app.journal.record(cmd.book_appointment, "sato2", when=t("2026-11-27 14:00"), at=t("2026-11-11 10:00"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"Mori", "enter", "enter")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "booked session: Mon 23 Nov 14:00 (passed, nothing recorded" in summary, summary
        assert "next session" not in summary, summary
        await pilot.press("escape", "slash", "end", "ctrl+u", *"Sato", "enter", "enter")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "next session: Fri 27 Nov 14:00" in summary, summary
