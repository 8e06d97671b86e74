"""Status, history and audit: what a practitioner reads off them."""

from __future__ import annotations

from datetime import date
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup.core import events as ev
from tui_followup.core.audit import AWAITING_DECISION, GONE_QUIET, OVER_CONTACT, audit
from tui_followup.core.caseload import project
from tui_followup.core.history import history
from tui_followup.core.metrics import metrics
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.status import caseload_status

from .helpers import TOKYO, make, message, register, reply, session
from .strategies import AS_OF_DAYS, contact_logs


def client_audit(log, day, client="c1"):
    report = audit(project(log), date.fromisoformat(day), DEFAULT_POLICY, TOKYO)
    return next(c for c in report.clients if c.client == client)


def test_status_shows_state_last_contact_next_due_and_counts():
    log = [register(channel="chat"), session("2026-11-01 10:00"), message("2026-11-02"),
           reply("2026-11-03 21:00"), make(ev.ConsentWithdrawn, "2026-11-03", scope="phone")]
    (row,) = caseload_status(project(log), DEFAULT_POLICY, TOKYO, date(2026, 11, 4))
    assert (row.state, row.plan, row.channel) == ("active", "standard", "chat")
    assert row.last_contact == date(2026, 11, 3)
    assert (row.next_due, row.next_reason) == (date(2026, 11, 3), "respond")
    assert (row.sessions, row.contacts) == (1, 3)  # contacts: the session too, as the last contact counts it
    assert row.consents == {"phone": False}


def test_history_is_in_the_order_things_happened_with_state_after_each():
    late_session = session("2026-11-01 10:00")
    pause = make(ev.ClientPaused, "2026-11-05")
    wrong = message("2026-11-06")
    undo = make(ev.EventRetracted, "2026-11-07", target=wrong.id, reason="not sent after all")
    log = [register(), pause, late_session, wrong, undo]  # the session was recorded late
    steps = history(project(log), "c1", DEFAULT_POLICY, TOKYO)
    assert [type(s.event).__name__ for s in steps] == [
        "ClientRegistered", "SessionHeld", "ClientPaused", "MessageSent", "EventRetracted"]
    assert [s.state for s in steps] == ["active", "active", "paused", "paused", "paused"]
    assert steps[1].next.reason == "24h"
    assert steps[3].retracted_by is undo
    assert steps[4].next.reason == "intent-check"  # the retracted message did not answer the pause


def test_audit_counts_on_time_checkpoints_and_first_follow_up():
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02"),  # 24h on time
           message("2026-11-10"),  # 1w due 11-08: late
           message("2026-12-01")]  # 1m due 12-01: on time
    a = client_audit(log, "2026-12-05")
    assert (a.checkpoints_due, a.checkpoints_on_time, a.on_time_share) == (3, 2, 0.667)
    assert a.first_follow_up_days == [1]
    assert a.median_interval_days == 8.0  # gaps 1, 8, 21
    assert a.flags == []


def test_an_unanswered_checkpoint_counts_as_missed_once_its_day_has_passed():
    log = [register(), session("2026-11-01 10:00")]
    assert client_audit(log, "2026-11-02").checkpoints_due == 0
    assert client_audit(log, "2026-11-03").checkpoints_due == 1
    assert client_audit(log, "2026-11-03").on_time_share == 0.0


def test_over_contact_three_messages_in_a_week():
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02"), message("2026-11-05"),
           message("2026-11-08")]
    assert OVER_CONTACT in client_audit(log, "2026-11-09").flags
    spaced = [register(), session("2026-11-01 10:00"), message("2026-11-02"), message("2026-11-08"),
              message("2026-11-15")]
    assert OVER_CONTACT not in client_audit(spaced, "2026-11-20").flags


def test_gone_quiet_after_the_plans_silence_days_without_contact_from_them():
    log = [register(), session("2026-09-01 10:00"), message("2026-09-02")]
    assert GONE_QUIET not in client_audit(log, "2026-10-30").flags  # 59 days: the standard plan waits 60
    assert GONE_QUIET in client_audit(log, "2026-10-31").flags  # the day rule 2's question can fall due
    chased = log + [message("2026-10-01"), message("2026-10-25")]  # our own messages are not contact from them
    assert GONE_QUIET in client_audit(chased, "2026-11-01").flags
    answered = chased + [reply("2026-10-26")]
    assert GONE_QUIET not in client_audit(answered, "2026-11-01").flags
    paused = log + [make(ev.ClientPaused, "2026-09-10")]
    assert GONE_QUIET not in client_audit(paused, "2026-12-01").flags


def test_a_client_whose_question_went_unanswered_awaits_a_decision():
    log = [register(), session("2026-06-01 10:00"), message("2026-06-02"), message("2026-06-08"),
           message("2026-07-01"), message("2026-07-31")]  # silent since the session; the question asked on its day
    assert AWAITING_DECISION not in client_audit(log, "2026-08-29").flags
    assert AWAITING_DECISION in client_audit(log, "2026-08-30").flags


def test_promises_kept_on_or_before_their_day_are_counted():
    kept_early = make(ev.PromiseMade, "2026-11-01", due=date(2026, 11, 5), what="A", explicit=True)
    kept_late = make(ev.PromiseMade, "2026-11-01", due=date(2026, 11, 6), what="B", explicit=True)
    moved = make(ev.PromiseMade, "2026-11-01", due=date(2026, 11, 7), what="C", explicit=True)
    never = make(ev.PromiseMade, "2026-11-01", due=date(2026, 11, 8), what="D", explicit=True)
    log = [register(), session("2026-11-01 10:00"), kept_early, kept_late, moved, never,
           message("2026-11-04", keeps=kept_early.id), message("2026-11-09", keeps=kept_late.id),
           make(ev.PromiseRescheduled, "2026-11-06", promise=moved.id, due=date(2026, 11, 12)),
           make(ev.PromiseKept, "2026-11-11", promise=moved.id)]
    a = client_audit(log, "2026-11-10")
    assert (a.promises_due, a.promises_kept_on_time) == (3, 1)  # C not due yet on 11-10, nor kept by then
    a = client_audit(log, "2026-11-20")
    assert (a.promises_due, a.promises_kept_on_time) == (4, 2)


def test_cases_closed_by_reason():
    log = [register("a", "A"), register("b", "B"), register("c", "C"),
           make(ev.CaseClosed, "2026-11-01", "a", reason="goal_achieved"),
           make(ev.CaseClosed, "2026-11-01", "b", reason="goal_achieved"),
           make(ev.CaseClosed, "2026-11-01", "c", reason="referred"),
           make(ev.CaseReopened, "2026-11-02", "c")]
    report = audit(project(log), date(2026, 11, 5), DEFAULT_POLICY, TOKYO)
    assert report.closed_by_reason == {"goal_achieved": 2}


@settings(deadline=None)
@given(contact_logs(), st.sampled_from(AS_OF_DAYS))
def test_the_audit_and_the_measures_count_the_first_follow_up_and_your_response_time_alike(log, as_of):
    """Issue 22 §10: one definition each (the audit said 0 days where the measures said 8)."""
    caseload = project(log)
    report = audit(caseload, as_of, DEFAULT_POLICY, TOKYO)
    measures = metrics(caseload, as_of, DEFAULT_POLICY, TOKYO)
    (row,) = report.clients
    firsts, answers = row.first_follow_up_days, row.response_days
    assert measures["first_follow_up_median_days"] == (float(median(firsts)) if firsts else None)
    assert measures["response_median_days"] == (float(median(answers)) if answers else None)


def test_the_weekly_reviews_no_next_step_list_goes_by_days_the_longest_first():
    """As the other two lists do: the client whose session agreed no step longest ago comes
    first, whatever the names (a practitioner going down the list meets the oldest first)."""
    from tui_followup.core.review import weekly_review

    log = [register("c1", name="Aoki", when="2026-09-01"), register("c2", name="Wada", when="2026-09-01"),
           register("c3", name="Kato", when="2026-09-01"),
           session("2026-11-20 10:00", "c1"), session("2026-10-01 10:00", "c2"), session("2026-11-01 10:00", "c3")]
    review = weekly_review(project(log), date(2026, 11, 25), DEFAULT_POLICY, TOKYO)
    assert [(e.name, e.days) for e in review.no_next_step] == [("Wada", 55), ("Kato", 24), ("Aoki", 5)]


def test_the_weekly_reviews_waiting_list_leaves_out_the_note_that_needs_no_reply():
    """The 24h note tells the client no reply is needed: silence after it means nothing (the
    policy's rule 2), and the review's "waiting for a reply" said otherwise. A message that
    waits for an answer is listed, from its day."""
    from tui_followup.core.review import weekly_review

    log = [register("c1", name="Aoki", when="2026-09-01"), register("c2", name="Wada", when="2026-09-01"),
           session("2026-11-20 10:00", "c1"), message("2026-11-21 10:00", "c1", answers="checkpoint"),
           session("2026-11-10 10:00", "c2"), message("2026-11-11 10:00", "c2", answers="checkpoint"),
           message("2026-11-17 10:00", "c2", answers="checkpoint"),
           register("c3", name="Kato", when="2026-09-01"), session("2026-11-18 10:00", "c3"),
           message("2026-11-20 10:00", "c3", answers="checkpoint", no_reply_needed=True)]
    review = weekly_review(project(log), date(2026, 11, 25), DEFAULT_POLICY, TOKYO)
    assert [(e.name, e.since, e.days) for e in review.waiting] == [("Wada", date(2026, 11, 17), 8)]


def test_the_weekly_review_asks_nothing_about_a_client_erased():
    """A client erased (``forget``) is a skeleton kept for the audit: no name nor channel, no
    command acts on it. The review listed their "(forgotten)" rows as waiting for a reply, with
    no next step, and as progress to thank: three things a counselor cannot do for nobody."""
    from tui_followup.core.review import weekly_review

    log = [register("c1", name="Aoki", when="2026-09-01"), session("2026-11-20 10:00", "c1"),
           register("c2", name="Wada", when="2026-09-01"), session("2026-11-10 10:00", "c2"),
           message("2026-11-17 10:00", "c2", answers="checkpoint"),
           register("c3", name="Kato", when="2026-09-01"), reply("2026-11-22 21:00", "c3")]
    before = weekly_review(project(log), date(2026, 11, 25), DEFAULT_POLICY, TOKYO)
    assert before.waiting and before.no_next_step and before.to_thank
    erased = log + [make(ev.ClientForgotten, "2026-11-24 09:00", c) for c in ("c1", "c2", "c3")]
    after = weekly_review(project(erased), date(2026, 11, 25), DEFAULT_POLICY, TOKYO)
    assert (after.waiting, after.no_next_step, after.to_thank) == ([], [], [])
