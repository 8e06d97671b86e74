"""The second edition of the policy at the keyboard: missed checkpoints on the row, one key
per decision, a snooze of the row's own item, promises kept and rescheduled, the pace."""

from __future__ import annotations

import itertools
import re
from datetime import date

from textual.widgets import DataTable, Static, TextArea

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import follow_ups
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.decide import DecideScreen
from tui_followup.ui.forms import ConfirmScreen, FormScreen

from .conftest import NOW, TOKYO, events_in, t

SIZE = (120, 36)


def seed(path) -> dict[str, str]:
    j = Journal.open(path, clock=FixedClock(t("2026-11-20 09:00")), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    r = j.record
    for client, name in [("ono", "小野 真"), ("quiet", "Quinn Quiet"), ("pro", "Pat Promise"), ("busy", "Bea Busy")]:
        r(cmd.register_client, client, name, at=t("2026-08-01 09:00"))
    # ono: session 10-20, nothing sent: on 11-25 the 1m is due 11-19, 24h and 1w missed
    r(cmd.hold_session, "ono", at=t("2026-10-20 10:00"))
    # quiet: asked about intent on 10-20 after two unanswered messages: decide due 11-19
    r(cmd.hold_session, "quiet", at=t("2026-08-10 10:00"))
    r(cmd.send_message, "quiet", at=t("2026-08-11 10:00"))
    r(cmd.send_message, "quiet", at=t("2026-08-17 10:00"))
    r(cmd.send_message, "quiet", at=t("2026-09-10 10:00"))  # (third edition: the 24h note of 08-11 needs no reply)
    r(cmd.send_message, "quiet", at=t("2026-10-20 10:00"), template="intent-check")
    # pro: a promise due 11-27, the client answered everything
    r(cmd.hold_session, "pro", at=t("2026-11-01 10:00"))
    r(cmd.send_message, "pro", at=t("2026-11-02 10:00"))
    r(cmd.receive_reply, "pro", at=t("2026-11-02 20:00"))
    r(cmd.send_message, "pro", at=t("2026-11-06 10:00"))
    j.clock = FixedClock(t("2026-11-20 09:00"))
    promise = r(cmd.make_promise, "pro", date(2026, 11, 27), "求人票 [A社]")
    # busy: two messages in the last week
    r(cmd.hold_session, "busy", at=t("2026-11-18 10:00"))
    r(cmd.send_message, "busy", at=t("2026-11-19 10:00"))
    r(cmd.receive_reply, "busy", at=t("2026-11-23 19:00"))
    r(cmd.send_message, "busy", at=t("2026-11-24 10:00"))
    r(cmd.receive_reply, "busy", at=t("2026-11-24 20:00"))
    return {"promise": promise.id}


def app_on(path) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={})


def rows(app) -> list[tuple[str, str, str]]:
    table = app.screen.query_one("#due", DataTable)
    return [tuple(str(c) for c in (*table.get_row_at(i)[:2], table.get_row_at(i)[4])) for i in range(table.row_count)]  # who, what, why


async def go_to(pilot, name: str, label: str) -> None:
    """Move the cursor to a row from the top (g, then down), as a user would."""
    app = pilot.app
    await pilot.press("g")  # from the top
    for _ in range(20):
        table = app.screen.query_one("#due", DataTable)
        row = table.get_row_at(table.cursor_row)
        if str(row[0]) == name and str(row[1]).startswith(label):
            return
        await pilot.press("down")
    raise AssertionError(f"no row {name} {label}: {rows(app)}")


async def test_the_row_says_which_checkpoints_were_missed(tmp_path):
    seed(tmp_path / "events.jsonl")
    app = app_on(tmp_path / "events.jsonl")
    async with app.run_test(size=SIZE):
        ono = [r for r in rows(app) if r[0] == "小野 真"]
        assert ono == [("小野 真", "1m · missed 24h, 1w", "1m after session of 10-20")]


async def test_a_decision_is_one_key_each_wait_and_close(tmp_path):
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("z")  # wait: the decision moves, counted from its due date (11-25 is later)
        assert isinstance(app.screen, FormScreen) and "Wait before deciding" in app.screen.form_title
        await pilot.press("tab", *"様子を見る", "enter")  # +1 day (the first choice), then the reason
        await pilot.pause()
        waited = events_in(path)[-1]
        assert isinstance(waited, ev.FollowUpSnoozed)
        assert (waited.item, waited.until, waited.reason) == ("decide", date(2026, 11, 26), "様子を見る")
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("c", "enter")  # close: the reason offered is no_response
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        closed = events_in(path)[-1]
        assert isinstance(closed, ev.CaseClosed) and (closed.client, closed.reason) == ("quiet", "no_response")


async def test_m_on_a_promise_row_keeps_it_and_z_reschedules_it(tmp_path):
    path = tmp_path / "events.jsonl"
    ids = seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Pat Promise", "promise")
        await pilot.press("z")
        assert "Reschedule the promise" in app.screen.form_title and "求人票 [A社]" in app.screen.form_title
        await pilot.press("tab", *"先方の都合", "enter")  # +1 day from the promise's own date
        await pilot.pause()
        moved = events_in(path)[-1]
        assert isinstance(moved, ev.PromiseRescheduled)
        assert (moved.promise, moved.due) == (ids["promise"], date(2026, 11, 28))
        await go_to(pilot, "Pat Promise", "promise")
        await pilot.press("m")
        assert "求人票 [A社]" in app.screen.query_one("#preview", TextArea).text
        await pilot.press("enter")
        await pilot.pause()
        sent = events_in(path)[-1]
        assert isinstance(sent, ev.MessageSent) and sent.keeps == ids["promise"]
        assert all(r[0] != "Pat Promise" or r[1] != "promise" for r in rows(app))


async def test_answering_a_reply_is_never_past_the_pace_and_m_on_a_decide_writes_nothing(tmp_path):
    """Third edition: answering a client who writes is a conversation, not extra (no warning);
    m on a decision opens no message: the decision is yours."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Quinn Quiet", "decide")
        before = path.read_bytes()
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, FormScreen)) and path.read_bytes() == before
        await pilot.press("escape")  # (the decision offered, not taken)
        await go_to(pilot, "Bea Busy", "respond")
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        sent = events_in(path)[-1]
        assert isinstance(sent, ev.MessageSent) and sent.answers == "respond"


async def test_an_extra_message_past_the_clients_pace_is_asked_about_first_no_by_default(tmp_path):
    path = tmp_path / "events.jsonl"
    seed(path)
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    j.record(cmd.send_message, "busy", at=t("2026-11-24 21:00"))  # the reply answered: the next one is extra
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        app.client_action("message", "busy", None)
        await pilot.pause()
        before = path.read_bytes()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Bea Busy already had 3 messages in the last 7 days" in str(app.screen.query_one(Static).render())
        await pilot.press("enter")  # Enter alone is No
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, FormScreen)) and path.read_bytes() == before
        app.client_action("message", "busy", None)
        await pilot.pause()
        await pilot.press("y")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(events_in(path)[-1], ev.MessageSent)


# -- issue 22: the decision offered, a session booked, what comes next, quiet from their side ---


async def test_m_on_a_decide_row_offers_the_decision_one_key_each(tmp_path):
    """§3: m on a decide row writes nothing; it offers close, pause or wait, each the form of its own."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("m")
        assert isinstance(app.screen, DecideScreen)
        assert "2026-10-20" in str(app.screen.query_one(Static).render())  # the day you asked
        await pilot.press("z")
        assert isinstance(app.screen, FormScreen) and "Wait before deciding" in app.screen.form_title
        await pilot.press("escape")
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("m", "p")
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == "Pause Quinn Quiet"
        await pilot.press("escape")
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("m", "c")
        assert isinstance(app.screen, FormScreen) and "Close the case of Quinn Quiet" in app.screen.form_title
        await pilot.press("enter", "y")  # the reason offered is no_response
        await pilot.pause()
        closed = events_in(path)[-1]
        assert isinstance(closed, ev.CaseClosed) and (closed.client, closed.reason) == ("quiet", "no_response")
        assert not any(isinstance(e, ev.MessageSent) and e.client == "quiet" and e.at >= NOW for e in events_in(path))


async def test_the_decision_box_says_a_pause_brings_this_decision_back_as_the_policy_does(tmp_path):
    """After an unanswered question a pause never asks again (rule 4): the box said "then the
    question again" (ja: その日にもう一度尋ねます), and the app then showed the decision."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("m")
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "this decision again" in shown and "question again" not in shown
        await pilot.press("p")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(events_in(path)[-1], ev.ClientPaused)
    facts = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO).caseload.get("quiet")
    after = [i.kind for i in follow_ups(facts, DEFAULT_POLICY, TOKYO)]
    assert after == ["decide"], after


async def test_b_books_a_session_shown_on_the_client_screen_and_today(tmp_path):
    """§6 in the app: b books an appointment (when, minutes, channel); the Client screen shows the
    next one; Today's row reads "session at 14:00" on its day."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "小野 真", "1m")
        await pilot.press("b")
        assert isinstance(app.screen, FormScreen) and "小野 真" in app.screen.form_title
        await pilot.press("ctrl+u", *"2026-11-26", "tab", "ctrl+u", *"14:00", "tab", "ctrl+u", *"60", "enter")
        await pilot.pause()
        booked = events_in(path)[-1]
        assert isinstance(booked, ev.AppointmentBooked)
        assert (booked.client, booked.when, booked.minutes) == ("ono", t("2026-11-26 14:00"), 60)
        assert ("小野 真", "appointment", "session at 14:00") in rows(app)
        await go_to(pilot, "小野 真", "appointment")
        await pilot.press("enter")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "next session: Thu 26 Nov 14:00" in summary


async def test_b_is_in_the_keys_list(tmp_path):
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = "".join(str(s.render()) for s in app.screen.query(Static))
        assert re.search(r"\n  b +Book\n", keys), keys


async def test_the_client_screen_says_what_comes_next(tmp_path):
    """§10: the remaining checkpoints with their due dates, or the one question you wait to ask."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_client("pro")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "1m 12-01" in summary and "3m 2027-01-30" in summary


async def test_a_client_waiting_for_the_question_says_since_when(tmp_path):
    path = tmp_path / "events.jsonl"
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    j.record(cmd.register_client, "s", "Sam Still", at=t("2026-09-01 09:00"))
    j.record(cmd.hold_session, "s", at=t("2026-10-01 10:00"))
    for day in ("2026-10-02", "2026-10-08", "2026-11-01"):
        j.record(cmd.send_message, "s", at=t(f"{day} 10:00"))
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_client("s")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "waiting since 10-08: one question due 11-30" in summary


async def test_the_clients_days_count_from_the_clients_side(tmp_path):
    """§10: the days column and its quiet colouring count from the client's last session or reply."""
    path = tmp_path / "events.jsonl"
    seed(path)
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato")
    j.record(cmd.send_message, "quiet", at=t("2026-11-24 10:00"))  # your own message: not contact from them
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#clients", DataTable)
        row = next(table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[0]) == "Quinn Quiet")
        days = row[-1]
        assert str(days) == "107" and "yellow" in str(days.style)


async def test_the_decision_after_a_paused_client_wrote_says_they_wrote_and_offers_resuming(tmp_path):
    """Rule 4 meets rule 3's box: a client paused until 11-10 who writes on 11-20 brings a
    decision (resume, pause again or close). ``m`` on it said "you asked on — and have had no
    answer" and offered closing for no response, and no resume: the client had just answered."""
    path = tmp_path / "events.jsonl"
    j = Journal.open(path, clock=FixedClock(t("2026-11-20 09:00")), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    j.record(cmd.register_client, "rae", "Rae Wrote", at=t("2026-08-01 09:00"))
    j.record(cmd.hold_session, "rae", at=t("2026-09-01 10:00"))
    j.record(cmd.pause, "rae", "family care", at=t("2026-09-10 10:00"), until=date(2026, 11, 10))
    j.record(cmd.receive_reply, "rae", at=t("2026-11-20 08:00"))
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Rae Wrote", "decide")
        await pilot.press("m")
        assert isinstance(app.screen, DecideScreen)
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "wrote on" in said and "2026-11-20" in said, said
        assert "no answer" not in said and "no response" not in said and "—" not in said, said
        assert "Resume" in said
        await pilot.press("u")
        assert isinstance(app.screen, FormScreen) and "Resume" in app.screen.form_title
        await pilot.press("escape")
        await go_to(pilot, "Rae Wrote", "decide")
        await pilot.press("m", "c")
        assert isinstance(app.screen, FormScreen) and "Close the case of Rae Wrote" in app.screen.form_title
        await pilot.press("enter", "y")
        await pilot.pause()
        closed = events_in(path)[-1]
        assert isinstance(closed, ev.CaseClosed) and closed.reason != "no_response", closed


async def test_the_decision_opens_with_no_choice_focused_enter_and_space_choose_nothing(tmp_path):
    """``m`` on a decide row opens the choices with none focused (a practitioners' pass: Close
    had the focus, and typing as if a message form had opened reached it)."""
    path = tmp_path / "events.jsonl"
    seed(path)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Quinn Quiet", "decide")
        await pilot.press("m")
        assert isinstance(app.screen, DecideScreen)
        await pilot.pause()
        assert app.screen.focused is None
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecideScreen)
