"""Triage you can trust at the keyboard: forms that record what was meant, navigation that
goes where a lazygit or taskwarrior-tui user expects, the message text where you can paste it.
Keys are pressed in bursts, without pauses, as a paste or tmux send-keys delivers them."""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from textual.widgets import DataTable, Static, TextArea

from tui_followup.core import events as ev
from tui_followup.ui.forms import ConfirmScreen, FormScreen
from tui_followup.ui.keys import KeysScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.clients import ClientsScreen
from tui_followup.ui.screens.replay import PastDayScreen
from tui_followup.ui.screens.review import ReviewScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import events_in, toasts

SIZE = (120, 36)


def cursor_row(app) -> tuple[str, str]:
    table = app.screen.query_one("#due", DataTable)
    row = table.get_row_at(table.cursor_row)
    return str(row[0]), str(row[1])


async def test_a_snooze_is_z_a_number_and_enter(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", "3", "enter")  # 青木's 24h, overdue: +1 week counted from today
        await pilot.pause()
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.FollowUpSnoozed) and (last.client, last.until) == ("aoki", date(2026, 12, 2))


async def test_a_burst_with_tabs_lands_in_the_fields_it_was_typed_for(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *"send the list", "tab", "ctrl+a", "ctrl+k", *"12/5", "enter")
        await pilot.pause()
        promise = events_in(log_path)[-1]
        assert isinstance(promise, ev.PromiseMade)
        assert (promise.what, promise.due) == ("send the list", date(2026, 12, 5))


async def test_escape_asks_before_throwing_typed_text_away(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = log_path.read_bytes()
        await pilot.press("n", "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("n", *"called her", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: back to the form, the text still there
        assert isinstance(app.screen, FormScreen) and app.screen.values()["text"] == "called her"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, TodayScreen)
        assert log_path.read_bytes() == before


async def test_the_form_says_which_day_it_understood_and_asks_about_a_far_one(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *"send the list", "tab", "ctrl+a", "ctrl+k", *"+1w")
        understood = str(app.screen.query_one("#understood-due", Static).render())
        assert "2026-12-02" in understood
        await pilot.press("ctrl+a", "ctrl+k", *"2027/12/05")  # a slip of the year
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "2027-12-05 is 375 days from today" in str(app.screen.query_one(Static).render())
        before = log_path.read_bytes()
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen) and log_path.read_bytes() == before
        await pilot.press("ctrl+a", "ctrl+k", *"12/05", "enter")
        await pilot.pause()
        assert events_in(log_path)[-1].due == date(2026, 12, 5)


async def test_a_day_before_the_clients_registration_is_asked_about(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", *"thanks", "tab", "tab", *"2026-09-01", "enter")  # registered 10-01
        assert isinstance(app.screen, ConfirmScreen)
        assert "before the client was registered (2026-10-01)" in str(app.screen.query_one(Static).render())


async def test_the_numbers_show_their_screen_itself_from_anywhere(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")  # a client opened from Clients
        assert isinstance(app.screen, ClientScreen)
        await pilot.press("1", "2")
        assert isinstance(app.screen, ClientsScreen)  # the list, not the client on top of it
        await pilot.press("5", "4")
        assert isinstance(app.screen, ReviewScreen)  # not Past day
        await pilot.press("5")
        assert isinstance(app.screen, PastDayScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


async def test_j_k_g_G_move_like_the_arrows(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", DataTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_after_a_row_is_done_the_cursor_is_on_the_next_due_row(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert cursor_row(app) == ("김민준", "respond")  # reply first (third edition)
        await pilot.press("m", "enter")  # answers the reply and the 1w: both of 김민준's rows go
        await pilot.pause()
        assert cursor_row(app) == ("Emma Smith", "1w")  # the row after them, not what slid up


async def test_ctrl_z_on_every_screen_and_per_client_on_a_client_screen(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"aoki note", "enter")  # 青木 (the first row)
        await pilot.press("j", "n", *"kim note", "enter")  # 김민준
        await pilot.press("g", "enter")  # 青木's screen
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "aoki"
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(Static).render())
        assert "青木 花子" in question and "note added" in question  # this client's, not 김민준's later one
        await pilot.press("y")
        await pilot.pause()
        undone = events_in(log_path)[-1]
        assert isinstance(undone, ev.EventRetracted)
        assert next(e for e in events_in(log_path) if e.id == undone.target).text == "aoki note"
        await pilot.press("2", "ctrl+z")  # on Clients too
        assert isinstance(app.screen, ConfirmScreen) and "김민준" in str(app.screen.query_one(Static).render())


async def test_past_day_opens_on_yesterday_and_steps_a_day_with_the_arrows(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        async def counts() -> str:
            await app.workers.wait_for_complete()  # each day is read in a worker thread
            await pilot.pause()
            return str(app.screen.query_one("#counts", Static).render())

        await pilot.press("5")
        assert "2026-11-24" in await counts()
        await pilot.press("left", "left")
        assert "2026-11-22" in await counts()
        await pilot.press("right")
        assert "2026-11-23" in await counts()


async def test_the_keys_list_shows_this_apps_keys_before_textuals(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert text.index("Message") < text.index("Everywhere") < text.index("Keys on every screen")
        assert text.index("Snooze") < text.index("Past day")
        await pilot.press("question_mark")
        assert isinstance(app.screen, TodayScreen)


async def test_the_message_text_is_shown_in_full_editable_and_copied_where_it_says(make_app, tmp_path, monkeypatch):
    received = tmp_path / "tmux-buffer"
    fake = tmp_path / "tmux"
    fake.write_text(f"#!/bin/sh\n[ \"$1\" = load-buffer ] && cat > {received}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        text = app.screen.query_one("#preview", TextArea).text
        # an e-mail: the subject first, in the message's language (the app is in English), then the text; the session was 3 days ago: 先日, not 本日
        assert text.startswith("件名: 面談のお礼\n\n青木 花子様\n先日はお時間をいただき") and "「応募書類を仕上げる」の件" in text
        assert received.read_text() == text and app.clipboard == text
        await pilot.pause()
        shown = [str(app.screen.query_one("#form-note").render())]  # on the form's own line, no toast over it
        assert any("your clipboard" in s and "tmux's paste buffer" in s for s in shown), shown
        await pilot.press("ctrl+t")  # another template: the next label of the plan
        other = app.screen.query_one("#preview", TextArea).text
        assert other != text and received.read_text() == other


async def test_without_tmux_the_note_does_not_claim_it(make_app, monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("m")
        await pilot.pause()
        shown = [str(app.screen.query_one("#form-note").render())]  # on the form's own line, no toast over it
        assert any("your clipboard" in s for s in shown) and not any("tmux" in s for s in shown), shown


async def test_the_forms_title_stays_visible_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        title = app.screen.query_one(".form-title", Static)
        assert title.region.y >= 0 and title.region.bottom <= 24 and title.region.height >= 1
        assert "青木 花子" in str(title.render())


async def test_enter_in_the_message_text_submits_and_ctrl_j_is_a_new_line(make_app, log_path):
    """Enter submits the form from every field, the message text too; a new line there is
    Ctrl+J (or Shift+Enter where the terminal tells it apart)."""
    from tui_followup.core import events as ev
    from tui_followup.ui.forms import FormScreen

    from .conftest import events_in

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        preview = app.screen.query_one("#preview", TextArea)
        preview.focus()
        preview.move_cursor(preview.document.end)
        await pilot.press("ctrl+j", *"PS")
        assert preview.text.endswith("\nPS")
        before = len(events_in(log_path))
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        recorded = events_in(log_path)[before:]
        assert [type(e) for e in recorded] == [ev.MessageSent]


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a paste or ``tmux send-keys``: all at once, none waiting for
    the one before to be handled."""
    from textual import events

    for key in keys:
        character = {"tab": "\t", "enter": "\r", "space": " ", "slash": "/"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))  # queued at once, as a terminal delivers them


async def settle(app, pilot, done) -> None:
    for _ in range(200):  # a condition, not a duration: each pause is one round of the loop
        if done():
            return
        await pilot.pause()


async def test_a_tab_inside_a_burst_moves_to_the_next_field_before_the_next_keys(make_app, log_path):
    """``s``, then ``Tab`` ``Alpha summary`` ``Tab`` ``Beta step`` ``Enter`` in one send-keys:
    the summary was "Alpha summaryBeta step" (the keys after a Tab reached the field the Tab
    was leaving, because the Tab was handled after them)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        before = len(events_in(log_path))
        burst(app, "tab", *"Alpha summary", "tab", *"Beta step", "enter")
        await settle(app, pilot, lambda: len(events_in(log_path)) > before)
        session = events_in(log_path)[-1]
        assert isinstance(session, ev.SessionHeld)
        assert (session.summary, session.next_step) == ("Alpha summary", "Beta step")


async def test_a_key_and_enter_in_one_burst_opens_the_form_and_submits_it(make_app, log_path):
    """``tmux send-keys m Enter``: the Enter reached the table before the form was there, and
    the form stayed open with nothing recorded."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(events_in(log_path))
        burst(app, "m", "enter")
        await settle(app, pilot, lambda: len(events_in(log_path)) > before)
        assert isinstance(events_in(log_path)[-1], ev.MessageSent)
        assert isinstance(app.screen, TodayScreen)


async def test_another_text_is_only_for_what_is_open_today(make_app, log_path):
    """Ctrl+T offered every step of the plan: a 1-month text ("a month has passed") a week after
    the session, or the question to a client never asked. Now: the client's items open today,
    then the plan's check-in, each written for its own item; and no subject line for a chat."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")  # 青木 (e-mail): the 24h note, overdue
        seen = [app.screen.query_one("#preview", TextArea).border_title]
        for _ in range(4):
            await pilot.press("ctrl+t")
            seen.append(app.screen.query_one("#preview", TextArea).border_title)
        labels = {str(title) for title in seen}
        assert not any(step in title for title in labels for step in ("1m", "3m", "intent", "1 month", "3 months")), labels
        assert len(labels) == 2, labels  # the 24h note and the monthly check-in, in turn
        await pilot.press("escape")
        await pilot.press("escape")
        while not isinstance(app.screen, TodayScreen):
            await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        row = next(i for i in range(table.row_count) if "김민준" in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await pilot.press("m")  # 김민준 (chat): his reply first, in Korean, no subject line
        text = app.screen.query_one("#preview", TextArea).text
        assert text.startswith("김민준 님") and "제목" not in text and "Subject" not in text


async def test_a_slash_and_a_name_in_one_burst_filter_by_the_whole_name(make_app):
    """``tmux send-keys / Lucas``: the filter read "ucas" (the first letter reached the table
    before the filter had the focus)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen))
        burst(app, "slash", *"Emma")
        from textual.widgets import Input

        await settle(app, pilot, lambda: not app.keys_pending and app.screen.query_one("#filter", Input).value == "Emma")
        assert app.screen.query_one("#filter", Input).value == "Emma"


@pytest.mark.parametrize("leave", ["enter", "escape"])
async def test_a_name_enter_and_m_in_one_burst_open_the_message_form(make_app, leave):
    """``tmux send-keys '/Emma' Enter m``: the filter read "Emmam" and showed nobody (the Enter
    that takes the focus back to the list was overtaken by the m). Escape leaves the filter too."""
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen))
        burst(app, "slash", *"Emma", leave, "m")
        await settle(app, pilot, lambda: not app.keys_pending and isinstance(app.screen, FormScreen))
        assert isinstance(app.screen, FormScreen), app.screen
        assert "Emma Smith" in app.screen.form_title, app.screen.form_title
        assert app.screen_stack[-2].query_one("#filter", Input).value == "Emma"


async def test_escape_and_a_key_in_one_burst_read_as_alt_key_leave_the_filter(make_app):
    """``tmux send-keys '/Emma' Escape m``: the terminal sends ESC m, which reads as Alt+M, and
    the m was typed into the filter ("Emmam", nobody shown). Taken as Escape, then m."""
    from textual import events
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen))
        burst(app, "slash", *"Emma")
        app.post_message(events.Key("alt+m", "m"))
        await settle(app, pilot, lambda: not app.keys_pending and isinstance(app.screen, FormScreen))
        assert isinstance(app.screen, FormScreen), app.screen
        assert app.screen_stack[-2].query_one("#filter", Input).value == "Emma"


async def test_another_text_offers_no_check_in_to_a_paused_client(make_app):
    """A paused client's texts are the question at the pause's end (or a reply), never the
    monthly check-in (sent, it left the question due)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", DataTable)
        row = next(i for i in range(table.row_count) if "佐藤 健一" in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await pilot.press("m")
        titles = {str(app.screen.query_one("#preview", TextArea).border_title)}
        for _ in range(3):
            await pilot.press("ctrl+t")
            titles.add(str(app.screen.query_one("#preview", TextArea).border_title))
        assert not any("monthly" in title for title in titles), titles


async def test_the_keys_lists_line_counter_follows_the_scroll(make_app):
    """At 80x24 「전체 53줄 중 1–16줄」 stayed as it was after scrolling: the line under the list
    says the lines in view whatever scrolls it (a key, the wheel)."""
    from textual.containers import VerticalScroll

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        where = app.screen.query_one("#keys-where", Static)

        def said() -> str:
            return str(where.render())

        first = said()
        assert first.startswith("lines 1") or " 1–" in first or "1-" in first, first
        for keys in (["down", "down", "down"], ["pagedown"], ["j"], ["G"]):
            before = said()
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            assert said() != before, (keys, before)
        scroll = app.screen.query_one("#keys", VerticalScroll)
        before = said()
        scroll.scroll_home(animate=False)  # as the mouse wheel scrolls it
        await pilot.pause()
        await pilot.pause()
        assert said() != before and said() == first, (said(), first)


async def test_every_key_of_a_burst_scrolls_the_keys_list(make_app):
    """Ten ``j`` at once scrolled the list three lines (each scroll waited for the next frame
    and started from where the last one had not yet got to); sent one by one, ten."""
    from textual import events
    from textual.containers import VerticalScroll

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("#keys", VerticalScroll)
        assert scroll.max_scroll_y >= 12, scroll.max_scroll_y
        for key in ["j"] * 8 + ["down", "down", "pagedown", "k"]:  # as a terminal sends them: no pause
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        page = scroll.scrollable_content_region.height
        assert 10 + page - 1 < scroll.max_scroll_y
        for _ in range(100):  # until every key is handled (or the scroll is wrong)
            await pilot.pause()
            if scroll.scroll_y == 10 + page - 1 and not app.screen._message_queue.qsize():
                break
        assert scroll.scroll_y == 10 + page - 1


async def test_enter_on_a_clients_timeline_does_not_open_the_client_again(make_app):
    """Enter on a timeline row pushed a second copy of the same client: one Escape then
    seemed to do nothing (a practitioner's morning, 2026-12-04)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        depth = len(app.screen_stack)
        await pilot.press("down", "enter", "enter")
        await pilot.pause()
        assert len(app.screen_stack) == depth and isinstance(app.screen, ClientScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_past_day_says_once_that_today_is_not_over_however_many_arrows_come(make_app):
    """→ → → in one burst on yesterday stacked three identical notices over the rows."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5")
        assert isinstance(app.screen, PastDayScreen)
        await pilot.press("right", "right", "right")
        shown = await toasts(pilot)
        assert sum("is not over yet" in toast for toast in shown) == 1, shown


async def test_home_and_end_go_to_the_first_and_last_row_without_scrolling_sideways(make_app):
    """A practitioners' pass: End on Today scrolled the table to its right edge (the Client
    column gone, 「認」 of 意向確認 left at the edge) instead of going to the last row."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#due", DataTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_x == 0
