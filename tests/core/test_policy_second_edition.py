"""The follow-up policy, second edition (never pushed, never lost): the worked examples of
the issue verbatim, then properties that hold for any log."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.caseload import project
from tui_followup.core.clock import FixedClock  # noqa: F401  (the shell's clock, for symmetry)
from tui_followup.core.plans import DEFAULT_POLICY, Plan, Policy
from tui_followup.core.policy import (
    CHECKPOINT,
    DECIDE,
    INTENT_CHECK,
    DueBoard,
    follow_ups,
    messages_in_week_before,
    pace_warning,
    window_offsets,
)

from .helpers import (
    TOKYO,
    at,
    d,
    due_on,
    make,
    message,
    open_items,
    register,
    reply,
    session,
)
from .strategies import event_logs


def item(events, day: str, client: str = "c1", policy=DEFAULT_POLICY):
    """The client's checkpoint-slot item as of ``day`` (checkpoint, check-in, intent-check or
    decide): (label, due, overdue days, missed)."""
    as_of = d(day)
    facts = project(events).get(client)
    found = [i for i in follow_ups(facts, policy, TOKYO)
             if i.shown_on(as_of) and i.kind in (CHECKPOINT, INTENT_CHECK, DECIDE)]
    assert len(found) <= 1, found  # one item for the client's follow-up, never a pile
    if not found:
        return None
    i = found[0]
    return (i.reason, i.due.isoformat(), i.overdue_days(as_of), list(i.missed))


# -- 1. windows: missed checkpoints are skipped, not piled up ------------------------------


SEPT = [register(when="2026-08-20"), session("2026-09-01 10:00")]


def test_the_windows_of_the_standard_ladder():
    assert window_offsets((1, 7, 30, 90)) == [0, 5, 23, 70]  # 09-01, 09-06, 09-24, 11-10


@pytest.mark.parametrize("day, expected", [
    ("2026-09-03", ("24h", "2026-09-02", 1, [])),
    ("2026-09-07", ("1w", "2026-09-08", 0, ["24h"])),
    ("2026-09-20", ("1w", "2026-09-08", 12, ["24h"])),
    ("2026-10-05", ("1m", "2026-10-01", 4, ["24h", "1w"])),
])
def test_nothing_sent_one_item_at_a_time_the_missed_ones_listed(day, expected):
    assert item(SEPT, day) == expected


def test_the_pushed_month_is_one_message_not_three():
    """Session 09-01, nothing sent until 10-01: the 1m review is offered (24h and 1w missed),
    not a month-late thank-you note followed by two more messages within five days."""
    assert due_on(SEPT, "2026-10-01") == [("1m", "checkpoint", "2026-10-01", 0, ["24h", "1w"])]
    log = SEPT + [message("2026-10-01 10:00")]
    assert item(log, "2026-10-01") == ("3m", "2026-11-30", 0, [])
    assert due_on(log, "2026-10-06") == []  # nothing more in the days after


def test_a_late_message_answers_every_checkpoint_whose_window_has_opened():
    log = SEPT + [message("2026-09-26 10:00")]
    assert item(log, "2026-09-26") == ("3m", "2026-11-30", 0, [])


def test_answering_a_question_two_days_after_is_not_the_1_week_check():
    log = SEPT + [message("2026-09-02 09:00"), message("2026-09-04 18:00")]
    assert item(log, "2026-09-04") == ("1w", "2026-09-08", 0, [])
    assert item(log, "2026-09-09") == ("1w", "2026-09-08", 1, [])


def test_after_the_ladder_a_check_in_an_interval_after_the_latest_message():
    log = SEPT + [message(day) for day in ("2026-09-02", "2026-09-08", "2026-10-01")]
    log += [reply("2026-10-02 20:00"), message("2026-10-03"), reply("2026-11-29 20:00"), message("2026-11-30")]
    assert item(log, "2026-11-30") == ("monthly", "2026-12-30", 0, [])


def test_a_new_session_restarts_the_ladder():
    log = SEPT + [message("2026-09-02"), session("2026-09-20 10:00")]
    assert item(log, "2026-09-21") == ("24h", "2026-09-21", 0, [])


# -- 2. silence is noticed, and met with one question ---------------------------------------


JUNE = [register(when="2026-05-20"), session("2026-06-01 10:00"),
        message("2026-06-02"), message("2026-06-08"), message("2026-07-01")]


def test_silence_brings_one_intent_check_instead_of_the_3m_checkpoint():
    assert item(JUNE, "2026-07-01") == ("intent-check", "2026-07-31", 0, [])
    assert item(JUNE, "2026-07-20") == ("intent-check", "2026-07-31", 0, [])
    assert due_on(JUNE, "2026-07-31") == [("intent-check", "intent-check", "2026-07-31", 0, [])]
    assert item(JUNE, "2026-09-15") == ("intent-check", "2026-07-31", 46, [])  # never the 3m


def test_before_the_silence_day_the_ladder_goes_on_when_it_comes_first():
    log = JUNE[:-1]  # messages 06-02 and 06-08 only: the 1m (07-01) comes before D (07-31)
    assert item(log, "2026-07-05") == ("1m", "2026-07-01", 4, [])
    # Third edition: the 24h note needs no reply, so one message is unanswered: no question yet.
    assert item(log, "2026-07-31") == ("1m", "2026-07-01", 30, [])


def test_silence_is_measured_from_the_client_not_from_our_messages():
    """Nine monthly messages into silence: an intent check, not nine chases."""
    log = [register(when="2025-12-20"), session("2026-01-05 10:00"), message("2026-01-06"),
           message("2026-01-12"), message("2026-02-04")]
    for month in range(3, 12):
        log.append(message(f"2026-{month:02d}-04"))
    # D = 03-06 (60 days after the session); asked by the message of 04-04; decide 30 days on.
    by_march = [e for e in log if e.at < at("2026-03-05")]
    assert item(by_march, "2026-03-06") == ("intent-check", "2026-03-06", 0, [])
    assert item(log, "2026-11-04") == ("decide", "2026-05-04", 184, [])


def test_a_reply_returns_the_client_to_the_ladder():
    log = JUNE + [reply("2026-07-10 20:00")]
    labels = {label for label, _ in open_items(log, day="2026-07-10")}
    assert labels == {"3m", "respond"}


# -- 3. after the question: one decision, never a chase ---------------------------------------


def test_the_question_asked_then_nothing_until_the_decision():
    log = JUNE + [message("2026-07-31 10:00", template="intent-check")]
    assert item(log, "2026-08-10") == ("decide", "2026-08-30", 0, [])
    assert due_on(log, "2026-08-29") == []
    assert due_on(log, "2026-08-30") == [("decide", "decide", "2026-08-30", 0, [])]
    log.append(message("2026-09-05"))  # more messages: still the decision, never a second question
    assert item(log, "2026-12-01")[0] == "decide"


def test_a_reply_after_the_question_clears_it_all():
    log = JUNE + [message("2026-07-31"), reply("2026-08-05")]
    assert {label for label, _ in open_items(log, day="2026-08-05")} == {"3m", "respond"}


def test_a_client_who_writes_after_a_silence_is_not_overdue_for_the_time_you_waited():
    """The silence hid the 3m (due 08-30) behind the question from 07-01 on; their reply of 09-10
    ended it. The 3m came back 11 days overdue, on a list where it had never been shown: it is
    due the day they wrote, beside the answer to their reply (as after a pause: resumed)."""
    log = JUNE + [message("2026-07-31", template="intent-check"), reply("2026-09-10 20:00")]
    assert item(JUNE + [message("2026-07-31", template="intent-check")], "2026-08-30")[0] == "decide"
    assert item(log, "2026-09-10") == ("3m", "2026-09-10", 0, [])
    assert {label for label, _ in open_items(log, day="2026-09-10")} == {"3m", "respond"}
    facts = project(log).get("c1")
    (three,) = [i for i in follow_ups(facts, DEFAULT_POLICY, TOKYO) if i.reason == "3m"]
    assert "09-10" in three.detail and "silence" in three.detail, three.detail
    assert item(log, "2026-09-15") == ("3m", "2026-09-10", 5, [])  # overdue from then on, as any item


def test_a_reply_without_a_silence_before_it_leaves_the_ladder_as_it_was():
    """One unanswered message is not a silence: a checkpoint overdue before the reply stays
    overdue (it was on the list all along)."""
    log = [register(when="2026-05-20"), session("2026-06-01 10:00"), message("2026-06-02"),
           message("2026-06-08"), reply("2026-07-10 20:00")]
    assert item(log, "2026-07-10") == ("1m", "2026-07-01", 9, [])


def test_waiting_is_a_snooze_of_the_decision():
    log = JUNE + [message("2026-07-31")]
    caseload = project(log)
    ctx = cmd.Context(caseload, at("2026-08-29 09:00"), TOKYO, lambda: "s1")
    with pytest.raises(cmd.CommandError, match="never earlier"):
        cmd.snooze(ctx, "c1", date(2026, 8, 30), item="decide")
    wait = cmd.snooze(ctx, "c1", date(2026, 9, 30), reason="待つ", item="decide")
    assert item(log + [wait], "2026-09-01") == ("decide", "2026-09-30", 0, [])


# -- 4. a pause with an end ----------------------------------------------------------------------


def test_a_pause_with_an_end_asks_on_that_day():
    log = SEPT + [message("2026-09-02"), make(ev.ClientPaused, "2026-10-01", reason="family care",
                                               until=date(2027, 1, 10))]
    assert due_on(log, "2026-10-31") == []  # not 30 days in
    assert due_on(log, "2027-01-10") == [("intent-check", "intent-check", "2027-01-10", 0, [])]


def test_a_pause_without_an_end_asks_after_pause_days_and_then_only_a_decision():
    log = SEPT + [message("2026-09-02"), make(ev.ClientPaused, "2026-10-01")]
    assert item(log, "2026-10-31") == ("intent-check", "2026-10-31", 0, [])
    log.append(message("2026-10-20"))  # written to before the day: not the question
    assert item(log, "2026-10-31") == ("intent-check", "2026-10-31", 0, [])
    log.append(message("2026-11-02", template="intent-check"))
    assert item(log, "2026-11-02") == ("decide", "2026-12-02", 0, [])
    assert item(log, "2027-06-01") == ("decide", "2026-12-02", 181, [])  # never a second question


def test_paused_after_the_silence_was_asked_about_the_pause_brings_the_decision_back_not_a_second_question():
    log = JUNE + [message("2026-07-31", template="intent-check"), make(ev.ClientPaused, "2026-08-30")]
    assert item(log, "2026-09-29") == ("decide", "2026-09-29", 0, [])


def test_a_pause_answered_by_the_client_still_asks_at_its_end():
    """Third edition: whether or not they wrote during the pause, the question at its end."""
    log = SEPT + [make(ev.ClientPaused, "2026-10-01", until=date(2026, 12, 1)), reply("2026-10-10")]
    assert item(log, "2026-12-05") == ("intent-check", "2026-12-01", 4, [])


# -- 5. a snooze moves one item, and only later -------------------------------------------------


def _monthly_with_promise():
    log = [register(when="2026-08-01"), session("2026-08-01 10:00")]
    log += [message(day) for day in ("2026-08-02", "2026-08-08", "2026-08-31")]
    log += [reply("2026-11-16 20:00"), message("2026-11-17")]
    promise = make(ev.PromiseMade, "2026-11-20", due=date(2026, 12, 2), what="求人票", explicit=True)
    return log + [promise], promise


def test_a_snooze_on_the_promise_row_never_moves_the_check_in_earlier():
    log, promise = _monthly_with_promise()
    assert sorted(open_items(log, day="2026-11-25")) == [("monthly", "2026-12-17"), ("promise", "2026-12-02")]
    ctx = cmd.Context(project(log), at("2026-11-25 09:00"), TOKYO, lambda: "s1")
    with pytest.raises(cmd.CommandError) as refused:
        cmd.snooze(ctx, "c1", date(2026, 12, 2))  # the check-in is due 12-17: earlier is refused
    assert refused.value.key == "snooze_not_after_due"
    moved = cmd.reschedule_promise(ctx, promise.id, date(2026, 12, 9), reason="先方の都合")
    assert sorted(open_items(log + [moved], day="2026-11-25")) == [("monthly", "2026-12-17"), ("promise", "2026-12-09")]


def test_a_snooze_of_the_answer_to_a_reply_leaves_the_checkpoint_alone():
    log = SEPT + [message("2026-09-02"), reply("2026-09-03 20:00"),
                  make(ev.FollowUpSnoozed, "2026-09-04", until=date(2026, 9, 6), item="respond")]
    assert sorted(open_items(log, day="2026-09-04")) == [("1w", "2026-09-08"), ("respond", "2026-09-06")]


def test_a_snooze_holds_until_its_item_is_answered():
    log = SEPT + [message("2026-09-02"), make(ev.FollowUpSnoozed, "2026-09-07", until=date(2026, 9, 12))]
    assert item(log, "2026-09-08") == ("1w", "2026-09-12", 0, [])
    log.append(message("2026-09-12"))
    assert item(log, "2026-09-12") == ("1m", "2026-10-01", 0, [])


def test_there_is_nothing_to_snooze_that_is_not_open():
    ctx = cmd.Context(project(SEPT), at("2026-09-02 09:00"), TOKYO, lambda: "s1")
    with pytest.raises(cmd.CommandError) as refused:
        cmd.snooze(ctx, "c1", date(2026, 9, 10), item="respond")
    assert refused.value.key == "nothing_to_snooze"


# -- 6. promises are kept explicitly ----------------------------------------------------------


def test_an_ordinary_message_keeps_no_promise_and_a_message_that_keeps_it_does():
    log, promise = _monthly_with_promise()
    log.append(message("2026-12-01"))
    assert ("promise", "2026-12-02") in open_items(log, day="2026-12-01")
    ctx = cmd.Context(project(log), at("2026-12-02 10:00"), TOKYO, lambda: "m2")
    keeping = cmd.send_message(ctx, "c1", keeps=promise.id[-8:])  # an unambiguous end of the id will do
    assert keeping.keeps == promise.id
    assert ("promise", "2026-12-02") not in open_items(log + [keeping], day="2026-12-02")
    with pytest.raises(cmd.CommandError) as refused:
        cmd.keep_promise(cmd.Context(project(log + [keeping]), at("2026-12-03 10:00"), TOKYO, lambda: "k"), promise.id)
    assert refused.value.key == "promise_kept"


def test_a_promise_kept_in_another_way():
    log, promise = _monthly_with_promise()
    ctx = cmd.Context(project(log), at("2026-11-28 10:00"), TOKYO, lambda: "k1")
    kept = cmd.keep_promise(ctx, promise.id)
    assert ("promise", "2026-12-02") not in open_items(log + [kept])


def test_a_promise_from_before_this_edition_is_kept_as_it_was_then():
    old = make(ev.PromiseMade, "2026-11-02", due=date(2026, 11, 20), what="send job list")  # no ``explicit``
    log = SEPT + [old, message("2026-11-19")]
    assert all(label != "promise" for label, _ in open_items(log))


def test_a_message_sent_before_the_promise_keeps_nothing():
    log, _ = _monthly_with_promise()
    assert ("promise", "2026-12-02") in open_items(log, day="2026-12-05")  # 11-17's message came first


# -- 7. the client's pace ----------------------------------------------------------------------


def test_a_third_message_within_a_week_is_warned_about():
    log = SEPT + [message("2026-09-02 09:00"), message("2026-09-05 09:00")]
    facts = project(log).get("c1")
    assert messages_in_week_before(facts, at("2026-09-08 09:00")) == 2
    assert pace_warning(facts, at("2026-09-08 09:00"), DEFAULT_POLICY) == 2
    assert pace_warning(facts, at("2026-09-10 09:00"), DEFAULT_POLICY) is None  # 09-02 is 8 days back
    assert pace_warning(facts, at("2026-09-08 09:00"), Policy(max_per_week=3)) is None


def test_messages_recorded_in_the_same_second_count_towards_each_others_pace():
    """Two messages in one second (or imported with one time): the second is past a pace of one
    as much as a message a second later would be. Asked before it is recorded (the form's
    question, extra said), and said after (the command line's warning, the message itself not
    counted); the audit's flag counted them already."""
    limit_one = Policy(max_per_week=1)
    one = project(SEPT + [message("2026-09-05 09:00")]).get("c1")
    assert pace_warning(one, at("2026-09-05 09:00"), limit_one, extra=True) == 1  # a second one, now
    assert pace_warning(one, at("2026-09-05 09:00"), limit_one) is None  # the one recorded: itself only
    two = project(SEPT + [message("2026-09-05 09:00"), message("2026-09-05 09:00")]).get("c1")
    assert messages_in_week_before(two, at("2026-09-05 09:00"), itself=True) == 1
    assert pace_warning(two, at("2026-09-05 09:00"), limit_one, TOKYO) == 1
    assert pace_warning(two, at("2026-09-05 09:00"), limit_one, extra=True) == 2  # a third one



def test_a_client_erased_is_due_nothing_and_never_gone_quiet():
    """Erasure (``forget``) keeps a skeleton of the client's events for the audit: no name nor
    channel to follow up by, no command acts on it. Nothing of it is due, on any day, and the
    audit does not flag it as gone quiet (its "(forgotten)" rows stayed overdue for ever)."""
    from tui_followup.core.policy import gone_quiet

    quiet = SEPT + [message(f"2026-09-{day:02d} 09:00") for day in (2, 9, 16, 23)]
    before = project(quiet).get("c1")
    assert follow_ups(before, DEFAULT_POLICY, TOKYO)
    assert gone_quiet(before, DEFAULT_POLICY, TOKYO, d("2026-12-01"))
    erased = project(quiet + [make(ev.ClientForgotten, "2026-10-01 09:00", "c1")]).get("c1")
    assert follow_ups(erased, DEFAULT_POLICY, TOKYO) == []
    assert not gone_quiet(erased, DEFAULT_POLICY, TOKYO, d("2026-12-01"))

# -- properties ------------------------------------------------------------------------------------


DAYS = st.integers(0, 200)


@st.composite
def quiet_clients(draw):
    """A client with a session, then only our messages (or a few replies), on any plan and
    silence settings."""
    plan = draw(st.sampled_from(["standard", "weekly", "24-72-7"]))
    log = [register(plan=plan, when="2026-01-01"), session("2026-01-05 10:00")]
    for offset in sorted(draw(st.lists(st.integers(0, 300), max_size=12))):
        kind = draw(st.sampled_from([message, message, message, reply]))
        log.append(kind((datetime(2026, 1, 5, 11) + timedelta(days=offset, minutes=draw(st.integers(0, 600))))
                        .strftime("%Y-%m-%d %H:%M")))
    silence = draw(st.integers(1, 90))  # the plan's own (third edition), or the policy's
    plans = {name: replace(p, silence_days=draw(st.sampled_from([0, silence]))) for name, p in DEFAULT_POLICY.plans.items()}
    policy = Policy(plans=plans, silence_days=silence, silence_messages=draw(st.integers(1, 4)),
                    decide_days=draw(st.integers(1, 60)))
    return log, policy


def oracle(log, policy, as_of: date):
    """Rules 1-3 for an active client, said directly for one day (not with the items' days).
    Third edition: the 24h note needs no reply; from the silence_messages-th unanswered message
    on, only the question (and the decision after it) is due; a reply after that many brings
    the checkpoint back due on its day."""
    facts = project(log).get("c1")
    plan = policy.plan(facts.plan)
    local = lambda m: m.astimezone(TOKYO).date()  # noqa: E731
    s = local(facts.sessions[-1])
    after = [m for m in facts.messages if m >= facts.sessions[-1]]
    opens = [s + timedelta(days=o) for o in window_offsets(plan.ladder)]
    dues = [s + timedelta(days=x) for x in plan.ladder]
    last = local(after[-1]) if after else None
    unanswered = [k for k in range(len(dues)) if last is None or opens[k] > last]
    if not unanswered:
        slot = ("checkin", (last or s) + timedelta(days=plan.interval))
    else:
        opened = [k for k in unanswered if opens[k] <= as_of]
        k = opened[-1] if opened else unanswered[0]
        slot = ("checkpoint", dues[k])
    note_ends = opens[1] if len(opens) > 1 else dues[0] + timedelta(days=1)

    def unanswered(since, until=None):  # your messages after ``since`` (before ``until``), the 24h note left out
        found = [m for m in facts.messages if m > since and (until is None or m < until)]
        if after and after[0] > since and local(after[0]) < note_ends and after[0] in found:
            found.remove(after[0])
        return found

    replies = [r for r in facts.replies if r > facts.sessions[-1]]
    if replies and len(unanswered(max([facts.sessions[-1], *replies[-2:-1]]), replies[-1])) >= policy.silence_messages:
        slot = (slot[0], max(slot[1], local(replies[-1])))  # back from a silence: due the day they wrote
    heard = max([facts.sessions[-1], *facts.replies[-1:]])
    quiet = unanswered(heard)
    if len(quiet) < policy.silence_messages:
        return slot
    switch = local(quiet[policy.silence_messages - 1])
    when = max(local(heard) + timedelta(days=policy.silence_for(plan)), switch + timedelta(days=7))
    asked = [m for m in facts.messages if m > heard and local(m) >= when]
    if asked and as_of >= local(asked[0]):
        return ("decide", local(asked[0]) + timedelta(days=policy.decide_days))
    if as_of >= switch:
        return ("intent-check", when)
    return slot


@settings(max_examples=300)
@given(quiet_clients(), DAYS)
def test_the_items_days_give_what_the_rules_say_for_each_day(client, offset):
    log, policy = client
    as_of = date(2026, 1, 5) + timedelta(days=offset)
    facts = project(log).get("c1")
    shown = [i for i in follow_ups(facts, policy, TOKYO)
             if i.shown_on(as_of) and i.kind in (CHECKPOINT, INTENT_CHECK, DECIDE)]
    assert len(shown) == 1
    kind = {"monthly": "checkin", "weekly": "checkin"}.get(shown[0].reason, shown[0].kind)
    assert (kind, shown[0].due) == oracle(log, policy, as_of)


@given(quiet_clients(), DAYS, st.integers(0, 600))
def test_adding_a_message_never_unanswers_a_checkpoint(client, offset, minutes):
    log, policy = client
    as_of = date(2026, 1, 5) + timedelta(days=offset)
    extra = message((datetime(2026, 1, 5, 11) + timedelta(days=offset, minutes=minutes)).strftime("%Y-%m-%d %H:%M"))
    ladder = [*policy.plan(log[0].plan).ladder]

    def rung(events) -> int:
        facts = project(events).get("c1")
        for i in follow_ups(facts, policy, TOKYO):
            if i.shown_on(as_of) and i.kind == CHECKPOINT:
                return len(ladder) if i.reason in ("monthly", "weekly") else ladder.index(
                    {"24h": 1, "72h": 3, "1w": 7, "1m": 30, "3m": 90}[i.reason])
        return -1  # no checkpoint item (a question or a decision instead)

    before, after = rung(log), rung(log + [extra])
    if before >= 0 and after >= 0:
        assert after >= before


@given(event_logs(), st.sampled_from(ev.SNOOZE_ITEMS), st.integers(0, 200), DAYS)
def test_a_snooze_never_makes_any_item_earlier(log, which, until, look):
    as_of = date(2026, 9, 1) + timedelta(days=look)
    snooze = ev.FollowUpSnoozed(id="zz", at=at("2026-10-15 09:00"), recorded_at=at("2026-10-15 09:00"),
                                actor="t", client="c1", until=date(2026, 9, 1) + timedelta(days=until), item=which)

    def dues(events) -> dict:
        facts = project(events).get("c1")
        if facts is None:
            return {}
        return {(i.kind, i.ref): i.due for i in follow_ups(facts, DEFAULT_POLICY, TOKYO) if i.shown_on(as_of)}

    before, after = dues(log), dues(log + [snooze])
    for key, due in after.items():
        if key in before:
            assert due >= before[key]


@st.composite
def practitioners(draw):
    """A practitioner who sends whatever is due, on the day it is due, to a client who never
    answers (or pauses them once)."""
    plan = draw(st.sampled_from(["standard", "weekly", "24-72-7"]))
    policy = Policy(silence_days=draw(st.integers(1, 90)), silence_messages=draw(st.integers(1, 3)),
                    decide_days=draw(st.integers(1, 60)), pause_days=draw(st.integers(1, 60)))
    pause = draw(st.one_of(st.none(), st.integers(0, 200)))
    return plan, policy, pause


@settings(max_examples=60, deadline=None)
@given(practitioners())
def test_at_most_one_intent_check_per_silence_or_pause(practitioner):
    plan, policy, pause_on = practitioner
    log = [register(plan=plan, when="2026-01-01"), session("2026-01-05 10:00")]
    questions = 0
    day = date(2026, 1, 5)
    for _ in range(400):
        day += timedelta(days=1)
        if pause_on is not None and day == date(2026, 1, 5) + timedelta(days=pause_on):
            log.append(make(ev.ClientPaused, day.isoformat() + " 08:00"))
        board = DueBoard(policy, TOKYO)
        board.rebuild(project(log))
        due = [i for i in board.due(day) if i.kind in (CHECKPOINT, INTENT_CHECK)]
        if due:
            questions += due[0].kind == INTENT_CHECK
            log.append(message(day.isoformat() + " 10:00"))
    assert questions <= 1


@given(event_logs(), DAYS)
def test_the_due_list_of_a_day_is_the_one_computed_from_the_events_up_to_that_day(log, look):
    """What Past day shows: the log as it stood at the end of the day, its items as of the day."""
    as_of = date(2026, 9, 1) + timedelta(days=look)
    end = datetime.combine(as_of, time(23, 59, 59, 999999), tzinfo=TOKYO)
    from .helpers import due_list

    retracted_later = {e.target for e in log if isinstance(e, ev.EventRetracted)}
    upto = [e for e in log if (e.at <= end and e.id not in retracted_later) and not isinstance(e, ev.EventRetracted)]
    assert due_list(project(log, until=end), as_of, DEFAULT_POLICY, TOKYO) == \
        due_list(project(upto), as_of, DEFAULT_POLICY, TOKYO)


def test_a_plan_of_ones_own_has_windows_too():
    plan = Plan("biweekly", (1, 7, 14), 14)
    assert window_offsets(plan.ladder) == [0, 5, 12]


def test_what_answers_an_item_depends_on_its_kind():
    """Past day's "Done?": a message answers a checkpoint, not a decision (rule 3: a pause, a
    close, or the client's reply or session does); a promise only when kept (rule 6)."""

    from tui_followup.core.policy import (
        CHECKPOINT,
        DECIDE,
        PROMISE,
        DueItem,
        answered_after,
    )

    from .helpers import at, d, make, message, register, reply, session

    log = [register(), session("2026-10-02 10:00"), message("2026-11-20 09:00"),
           make(ev.ClientPaused, "2026-11-21 10:00", reason="busy"), reply("2026-11-22 09:00")]
    facts = project(log).get("c1")

    def item(kind: str, ref: str = "") -> DueItem:
        return DueItem("c1", "Aoki", d("2026-11-19"), kind, kind, "email", ref=ref)

    cutoff = at("2026-11-19 23:59")
    assert answered_after(facts, item(CHECKPOINT), cutoff) == at("2026-11-20 09:00")  # the message
    assert answered_after(facts, item(DECIDE), cutoff) == at("2026-11-21 10:00")  # the pause, not the message
    assert answered_after(facts, item(PROMISE, ref="p1"), cutoff) is None  # never kept
    # A decision made by a close is made that day, whatever came after it (the case reopened and a
    # session held weeks later read as "done 56 days late": the close was the decision).
    closed = [register(), session("2026-10-02 10:00"), make(ev.CaseClosed, "2026-11-20 10:40", reason="no_response"),
              make(ev.CaseReopened, "2026-12-01 09:00", reason="wrote back"), session("2026-12-10 10:00")]
    assert answered_after(project(closed).get("c1"), item(DECIDE), cutoff) == at("2026-11-20 10:40")
    # The client's reply clears the decision (rule 3), but nobody decided: nothing was done for it.
    wrote = [register(), session("2026-10-02 10:00"), reply("2026-11-20 09:00")]
    assert answered_after(project(wrote).get("c1"), item(DECIDE), cutoff) is None


# -- third edition: the seams between the rules, for any log --------------------------------------


@settings(max_examples=150, deadline=None)
@given(event_logs(), DAYS)
def test_a_paused_or_closed_client_who_writes_always_has_an_item(log, look):
    from tui_followup.core.caseload import CLOSED, PAUSED
    from tui_followup.core.policy import RESPOND

    caseload = project(log)
    for facts in caseload.registered():
        if facts.state not in (PAUSED, CLOSED) or not facts.replies or facts.state_since is None:
            continue
        if facts.forgotten:  # (erased: due nothing, a reply as much as anything)
            continue
        wrote = facts.replies[-1]
        answered = any(xs and xs[-1] >= wrote for xs in (facts.messages, facts.sessions))
        if wrote <= facts.state_since or answered:
            continue
        day = wrote.astimezone(TOKYO).date() + timedelta(days=look % 30)
        items = [i for i in follow_ups(facts, DEFAULT_POLICY, TOKYO) if i.shown_on(day)]
        assert any(i.kind == RESPOND for i in items), (facts.state, items)


@settings(max_examples=60, deadline=None)
@given(practitioners())
def test_never_more_than_silence_messages_unanswered_before_the_question_nor_a_message_on_a_decide(practitioner):
    """A practitioner who sends what `record message` proposes whenever an item is due (never
    on a decision), to a client who never answers."""
    from tui_followup.core.policy import message_for, silence_since, unanswered_messages

    plan, policy, pause_on = practitioner
    log = [register(plan=plan, when="2026-01-01"), session("2026-01-05 10:00")]
    day = date(2026, 1, 5)
    for _ in range(300):
        day += timedelta(days=1)
        if pause_on is not None and day == date(2026, 1, 5) + timedelta(days=pause_on):
            log.append(make(ev.ClientPaused, day.isoformat() + " 08:00"))
        facts = project(log).get("c1")
        due = [i for i in follow_ups(facts, policy, TOKYO) if i.shown_on(day) and i.due <= day]
        if not due or all(i.kind == DECIDE for i in due):
            continue
        answers = message_for(facts, policy, TOKYO, day)
        assert answers != DECIDE
        if answers == INTENT_CHECK and facts.state == "active":
            waiting = unanswered_messages(facts, policy, TOKYO, silence_since(facts))
            assert len(waiting) <= policy.silence_messages
        log.append(message(day.isoformat() + " 10:00", answers=answers))
