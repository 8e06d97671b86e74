"""A past day from today's facts (core/past.py): the same as folding what happened by then.

Past day used to read the whole log as it stood at the end of the day asked for (4-7 s at a
million events). It now cuts each client's facts of today at that moment; these tests hold it
to the fold it replaces, on random logs with retractions, back-dated events, hand-overs,
changes of plan and lifecycle, and at the very moment of an event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_followup.core import events as ev
from tui_followup.core.caseload import Caseload, project
from tui_followup.core.clock import end_of_day
from tui_followup.core.past import facts_at, past_client
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import DueBoard, follow_ups

from tui_followup.storage.logfile import LogStore

from .helpers import TOKYO, make
from .strategies import AS_OF_DAYS, START, event_logs, facts_of
from .test_snapshot import open_journal


@st.composite
def logs_and_moments(draw):
    """A log and a moment: often the very moment of one of its events, else any moment."""
    log = draw(event_logs())
    if log and draw(st.booleans()):  # the moment of an event, or just before it: the seams
        until = draw(st.sampled_from(sorted(e.at for e in log)[-4:])) - timedelta(seconds=draw(st.sampled_from([0, 1])))
    else:
        until = START + timedelta(minutes=draw(st.integers(-2 * 24 * 60, 170 * 24 * 60)))
    return log, until


def cut_of(today: Caseload, until: datetime) -> Caseload:
    then = Caseload(until=until)
    then.clients = {c: facts_at(f, until, lambda c=c: today.events_of(c), today.retracted)
                    for c, f in today.clients.items()}
    return then


@settings(max_examples=300)
@given(logs_and_moments())
def test_every_fact_of_a_past_moment_cut_from_todays_is_the_fold_of_what_happened_by_then(case):
    log, until = case
    assert facts_of(cut_of(project(log), until)) == facts_of(project(log, until))


@settings(max_examples=300)
@given(logs_and_moments())
def test_a_past_days_open_items_and_last_contacts_are_those_of_the_log_read_as_of_that_day(case):
    log, until = case
    day = until.astimezone(TOKYO).date()
    today, then = project(log), project(log, end_of_day(day, TOKYO))
    for facts in today.registered():
        past = past_client(today, facts, day, DEFAULT_POLICY, TOKYO)
        old = then.clients.get(facts.id)
        assert past.items == (follow_ups(old, DEFAULT_POLICY, TOKYO) if old is not None else [])
        assert past.last_contact == (old.last_contact if old is not None else None)


def test_a_plan_changed_after_the_day_and_a_pause_after_it_are_not_in_that_days_view():
    """The seams a cut must keep: yesterday's view shows the weekly check-in the client was on
    then, not the pause and the new plan recorded today."""
    log = [make(ev.ClientRegistered, "2026-11-01 10:00", name="青木", plan="weekly", channel="email"),
           make(ev.SessionHeld, "2026-11-02 10:00"),
           make(ev.ClientUpdated, "2026-11-20 09:00", plan="standard"),
           make(ev.ClientPaused, "2026-11-20 09:05", reason="")]
    today = project(log)
    facts = today.clients["c1"]
    assert (facts.plan, facts.state) == ("standard", "paused")
    then = facts_at(facts, end_of_day(datetime(2026, 11, 19).date(), TOKYO), lambda: today.events_of("c1"),
                    today.retracted)
    assert (then.plan, then.state, len(then.sessions)) == ("weekly", "active", 1)
    assert then.last_session is not None and then.last_session.at == log[1].at  # (folded when asked for)


@settings(max_examples=200)
@given(logs_and_moments())
def test_a_client_nothing_happened_to_since_is_taken_from_todays_board_and_it_is_the_same(case):
    log, until = case
    day = until.astimezone(TOKYO).date()
    today = project(log)
    board = DueBoard(DEFAULT_POLICY, TOKYO)
    board.rebuild(today)
    for facts in today.registered():
        assert (past_client(today, facts, day, DEFAULT_POLICY, TOKYO, board)
                == past_client(today, facts, day, DEFAULT_POLICY, TOKYO))


def test_a_session_after_the_day_alone_is_enough_for_the_client_not_to_be_taken_from_today():
    log = [make(ev.ClientRegistered, "2026-11-01 10:00", name="青木", plan="standard", channel="email"),
           make(ev.SessionHeld, "2026-11-02 10:00"),
           make(ev.SessionHeld, "2026-11-20 10:00")]
    today = project(log)
    board = DueBoard(DEFAULT_POLICY, TOKYO)
    board.rebuild(today)
    day = datetime(2026, 11, 10).date()
    then = past_client(today, today.clients["c1"], day, DEFAULT_POLICY, TOKYO, board)
    assert then == past_client(today, today.clients["c1"], day, DEFAULT_POLICY, TOKYO)
    assert then.last_contact == log[1].at and then.items != board.items["c1"]


@settings(max_examples=200)
@given(logs_and_moments())
def test_the_policy_reads_only_facts_cut_from_todays_never_the_clients_events(case):
    """The few facts folded from a client's events (a read of the log for each client, at a
    million events) are never asked for by a past day's items or last contact."""
    log, until = case
    today = project(log)

    def never():
        raise AssertionError("a past day read a client's events")

    for facts in today.registered():
        then = facts_at(facts, until, never, today.retracted)
        follow_ups(then, DEFAULT_POLICY, TOKYO)
        then.last_contact


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_logs(), st.integers(0, 40), st.sampled_from(AS_OF_DAYS))
def test_a_past_day_cut_from_a_caseload_opened_from_its_snapshot_is_the_same(tmp_path_factory, log, cut, day):
    """However today's caseload was opened (the snapshot and the lines after it, the lists not
    decoded yet, a client's events read back from the log), its past day is the fold's."""
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    LogStore(path).append(log[:min(cut, len(log))])
    open_journal(path)  # leaves the snapshot of the first part
    LogStore(path).append(log[min(cut, len(log)):])
    warm = open_journal(path)
    until = end_of_day(day, TOKYO)
    then = project(log, until)
    assert facts_of(cut_of(warm.caseload, until)) == facts_of(then)
    for facts in warm.caseload.registered():
        past = past_client(warm.caseload, facts, day, DEFAULT_POLICY, TOKYO, warm.board)
        old = then.clients.get(facts.id)
        assert past.items == (follow_ups(old, DEFAULT_POLICY, TOKYO) if old is not None else [])


def test_a_client_erased_after_the_day_is_seen_in_that_days_view_as_it_stood_then():
    """Erasure (``forget``) leaves a skeleton due nothing from then on; a day before it, the
    client's items were open, and that day's view shows them (under the skeleton's id), whether
    the client is taken from today's board or worked out again. The board's shortcut took the
    erased client's today (nothing) for the day before: a paused client's intent-check vanished
    from that day's list while another erased client's, who had replied since, stayed."""
    log = [make(ev.ClientRegistered, "2026-10-01 10:00", name="青木", plan="standard", channel="email"),
           make(ev.SessionHeld, "2026-10-02 10:00"),
           make(ev.ClientPaused, "2026-11-04 09:00", reason=""),
           make(ev.ClientForgotten, "2026-12-05 23:00", previous_head="ab" * 16, lines_rewritten=4)]
    today = project(log)
    board = DueBoard(DEFAULT_POLICY, TOKYO)
    board.rebuild(today)
    facts = today.clients["c1"]
    assert board.items["c1"] == [] and facts.forgotten
    day = datetime(2026, 12, 4).date()
    then = past_client(today, facts, day, DEFAULT_POLICY, TOKYO)
    assert [i.kind for i in then.items] == ["intent-check"]
    assert past_client(today, facts, day, DEFAULT_POLICY, TOKYO, board) == then
    assert past_client(today, facts, datetime(2026, 12, 6).date(), DEFAULT_POLICY, TOKYO, board).items == []
