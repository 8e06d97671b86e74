"""Properties of the core that must hold for every log (hypothesis)."""

from __future__ import annotations

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_followup.core import codec
from tui_followup.core import events as ev
from tui_followup.core.caseload import project
from tui_followup.core.plans import DEFAULT_POLICY
from .helpers import due_list
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore

from .helpers import TOKYO
from .strategies import AS_OF_DAYS, event_logs, fingerprint, single_events


@given(single_events)
def test_decode_of_encode_is_the_event(event):
    assert codec.decode(codec.encode(event)) == event


@given(event_logs())
def test_a_log_decodes_to_the_events_that_were_encoded(log):
    events, problems, lines = codec.decode_lines(codec.encode_lines(log))
    assert events == log
    assert problems == []
    assert list(lines) == list(range(1, len(log) + 1))


@given(event_logs(), event_logs())
def test_replay_is_deterministic(log, other):
    """The fold depends on the events alone: not on what was folded before it (no state
    shared between caseloads), nor on the objects (fresh ones, decoded from the bytes and
    given as an iterator), and it changes none of them."""
    encoded = codec.encode_lines(log)
    first = fingerprint(project(log))
    project(other)
    again = project(iter(codec.decode_lines(encoded)[0]))
    assert fingerprint(again) == first
    assert codec.encode_lines(log) == encoded


@given(event_logs(), st.randoms(use_true_random=False))
def test_incremental_projection_equals_full_replay(log, rnd):
    """Fold event by event, looking at the state in between, and compare with from-scratch."""
    step = project([])
    for event in log:
        step.apply(event)
        if rnd.random() < 0.2:
            fingerprint(step)  # looking must not change anything
    assert fingerprint(step) == fingerprint(project(log))


@given(event_logs(), st.data())
def test_retracting_an_event_is_the_same_as_never_having_it(log, data):
    candidates = [e for e in log if not isinstance(e, ev.EventRetracted)  # what ``retract`` accepts:
                  and not any(isinstance(r, ev.EventRetracted) and r.target == e.id for r in log)]  # once
    if not candidates:
        return
    target = data.draw(st.sampled_from(candidates))
    retraction = ev.EventRetracted(id="undo", at=target.at, recorded_at=target.recorded_at, actor="t",
                                   client=target.client, target=target.id, reason="mistake")
    without = [e for e in log if e.id != target.id]
    # (who recorded the client's latest event differs: the retraction was recorded by someone)
    assert fingerprint(project(log + [retraction]), who_recorded=False) == fingerprint(project(without), who_recorded=False)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_logs(), st.randoms(use_true_random=False))
def test_a_journal_following_appends_equals_a_fresh_one(tmp_path_factory, log, rnd):
    """Appends in random batches, read incrementally by a live journal, give the same
    caseload as a journal that reads the whole file at once."""
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    from tui_followup.core.clock import FixedClock

    from .helpers import at

    clock = FixedClock(at("2027-03-01"))
    live = Journal.open(path, clock=clock, tz=TOKYO)
    live.board  # the due board is kept in step from here on, client by client
    writer = LogStore(path)
    i = 0
    while i < len(log):
        n = rnd.randint(1, 5)
        writer.append(log[i : i + n])
        i += n
        if rnd.random() < 0.5:
            live.refresh()
    live.refresh()
    fresh = Journal.open(path, clock=clock, tz=TOKYO)
    assert fingerprint(live.caseload) == fingerprint(fresh.caseload) == fingerprint(project(log))
    for day in AS_OF_DAYS:
        assert live.board.due(day, 7) == due_list(fresh.caseload, day, DEFAULT_POLICY, TOKYO, 7)


def test_encoded_line_is_one_json_object_with_the_envelope():
    from .helpers import session

    line = codec.encode(session("2026-11-01 10:00", summary="面談"))
    raw = msgspec.json.decode(line)
    assert list(raw)[:7] == ["type", "id", "at", "recorded_at", "actor", "client", "v"]
    assert raw["type"] == "session_held" and raw["at"] == "2026-11-01T10:00:00+09:00"
    assert b"\n" not in line and "面談".encode() in line
