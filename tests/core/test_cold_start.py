"""A big log opened without a snapshot is folded into facts only, on two cores. Whatever the
log holds -- duplicates, retractions before their targets, retractions the byte search
cannot see, unreadable lines, an id in both halves, a worker that dies -- the result is
exactly what folding the whole log in order gives."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from itertools import pairwise

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_followup.core import codec
from tui_followup.core import events as ev
from tui_followup.core.caseload import (
    Caseload,
    decide_retractions,
    merge_caseloads,
    project,
)
from tui_followup.core.clock import FixedClock
from tui_followup.core.history import history
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.storage import cold_start
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore

from .helpers import TOKYO, at, message, register, session
from .strategies import CLIENTS, event_logs, fingerprint

CLOCK = FixedClock(at("2027-03-01"))


@st.composite
def messy_logs(draw):
    """Well-formed logs, then made messy: events repeated later (the same line twice), and
    retractions moved before the event they retract (a merged log)."""
    log = list(draw(event_logs()))
    for _ in range(draw(st.integers(0, 3))):
        if log:
            copy = draw(st.sampled_from(log))
            log.insert(draw(st.integers(log.index(copy) + 1, len(log))), copy)
    for _ in range(draw(st.integers(0, 2))):
        retractions = [e for e in log if isinstance(e, ev.EventRetracted)]
        if retractions:
            r = draw(st.sampled_from(retractions))
            log.remove(r)
            log.insert(draw(st.integers(0, len(log))), r)
    return log


def state(caseload: Caseload) -> tuple:
    """Everything a user sees, plus what the snapshot keeps."""
    return (fingerprint(caseload), caseload.count, sorted(caseload.retracted), caseload.latest)


UNTIL = st.sampled_from([None, at("2026-09-20 18:00"), at("2026-11-01 09:00")])  # views of the past too


def facts_only(log, decided=None, until=None, cuts=()) -> Caseload:
    """The log folded into facts only, in runs cut at ``cuts`` (as the store reads it)."""
    decided = decided or decide_retractions(e for e in log if isinstance(e, ev.EventRetracted))
    caseload = Caseload(until=until)
    caseload.retracted = dict(decided.standing)
    seen: set[str] = set()
    bounds = [0, *sorted(cuts), len(log)]
    for start, stop in pairwise(bounds):
        assert caseload.fold_facts(list(log[start:stop]), seen, decided) == set()
    return caseload


@given(messy_logs(), st.data(), UNTIL)
def test_folding_facts_only_with_retractions_decided_ahead_equals_folding_in_order(log, data, until):
    """Whatever the runs the log is read in: a line repeated in the same run or a later one
    counts once."""
    cuts = data.draw(st.lists(st.integers(0, len(log)), max_size=4))
    assert state(facts_only(log, until=until, cuts=cuts)) == state(project(log, until))


@given(messy_logs(), st.data(), UNTIL)
def test_two_parts_folded_apart_and_merged_equal_the_whole(log, data, until):
    cut = data.draw(st.integers(0, len(log)))
    first, second = log[:cut], log[cut:]
    if {e.id for e in first} & {e.id for e in second}:
        return  # an id in both parts: cold_start folds in order instead (tested below)
    decided = decide_retractions(e for e in log if isinstance(e, ev.EventRetracted))
    merged = merge_caseloads(facts_only(first, decided, until), facts_only(second, decided, until))
    assert state(merged) == state(project(log, until))


def garbage_lines(draw) -> list[bytes]:
    return draw(st.lists(st.sampled_from([
        b"not json at all",
        b'{"type":"message_sent","id":"bad"}',  # an event missing its fields
        b'{"type":"teleported","id":"z","at":"2026-11-01T10:00:00+09:00"}',  # unknown type
        '{"type":"note_added","id":"nf","at":"2026-11-01T10:00:00+09:00","recorded_at":"2026-11-01T10:00:00+09:00","actor":"t","client":"c1","v":9,"text":"未来"}'.encode(),
    ]), max_size=3))


# The ways of opening, passed to Journal.open: any log counts as big (facts only), and is
# folded on two cores.
BIG = replace(sizes_module.DEFAULT_SIZES, facts_only_min_bytes=0)
BIG_IN_TWO = replace(BIG, parallel_min_bytes=0)


@pytest.fixture
def always_in_two():
    """fold_log's second process for a log of any size (its ``parallel_min_bytes``)."""
    return 0


def write_log(path, log, junk=(), escaped_retractions=False) -> bytes:
    """The log as lines, with junk lines spread through it."""
    lines = [codec.encode(e) for e in log]
    if escaped_retractions:  # valid JSON from another tool that the byte search cannot see
        lines = [line.replace(b'"event_retracted"', b'"event\\u005fretracted"') for line in lines]
    for i, line in enumerate(junk):
        lines.insert((i * 7) % (len(lines) + 1), line)
    data = b"".join(line + b"\n" for line in lines)
    path.write_bytes(data)
    if lines:  # as the app leaves a log it wrote: its head beside it (a log without one is refused)
        store = LogStore(path)
        store.read_new()
        store.write_head()
    return data


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messy_logs(), st.data(), st.booleans(), UNTIL)
def test_a_log_folded_on_two_cores_equals_the_log_read_in_order(tmp_path_factory, always_in_two, log, data, escaped, until):
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    write_log(path, log, garbage_lines(data.draw), escaped_retractions=escaped)
    expected_batch = LogStore(path).read_new()
    expected = project(expected_batch.events, until)
    store = LogStore(path)
    folded = cold_start.fold_log(store, until=until, parallel_min_bytes=always_in_two)
    if escaped and any(isinstance(e, ev.EventRetracted) for e in log):
        assert folded is None  # retractions the search cannot see: read the ordinary way
        return
    store.offset = folded.offset  # as the journal does: read back what the facts cover
    assert state(folded.caseload) == state(expected)
    assert folded.problems == expected_batch.problems  # the same lines, the same numbers
    assert folded.offset == path.stat().st_size
    assert folded.lines == len(path.read_bytes().splitlines())
    for client in CLIENTS:  # read back from the file, a client's story is the same
        assert [s.event for s in history(folded.caseload, client, DEFAULT_POLICY, TOKYO)] == \
               [s.event for s in history(expected, client, DEFAULT_POLICY, TOKYO)]


def test_an_event_in_both_halves_is_counted_once(tmp_path, always_in_two, monkeypatch):
    monkeypatch.setattr(cold_start, "SHARE", 0.5)
    note = message("2026-11-02 09:00")
    log = [register(), session("2026-11-01 10:00"), note] + [message(f"2026-11-{d:02d}") for d in range(3, 20)] + [note]
    path = tmp_path / "events.jsonl"
    write_log(path, log)
    folded = cold_start.fold_log(LogStore(path), parallel_min_bytes=always_in_two)
    assert folded.caseload.count == len(log) - 1
    assert state(folded.caseload) == state(project(log))


def test_a_worker_that_dies_costs_time_not_facts(tmp_path, always_in_two, monkeypatch):
    parent = os.getpid()
    real = cold_start._fold_range

    def dying(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return real(*args)

    monkeypatch.setattr(cold_start, "_fold_range", dying)
    log = [register(), session("2026-11-01 10:00")] + [message(f"2026-11-{d:02d}") for d in range(2, 28)]
    path = tmp_path / "events.jsonl"
    write_log(path, log)
    assert state(cold_start.fold_log(LogStore(path), parallel_min_bytes=always_in_two).caseload) == state(project(log))


def test_a_big_log_without_snapshot_opens_with_its_facts_only_and_reads_events_back(tmp_path, monkeypatch):
    first = message("2026-11-02 09:00")
    log = [register(), session("2026-11-01 10:00"), first, message("2026-11-09 09:00")]
    path = tmp_path / "events.jsonl"
    LogStore(path).append(log)
    with open(path, "ab") as f:
        f.write(b'{"type":"message_sent","id":"cut-off')  # a torn last line: left to the store
    cold = Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, sizes=BIG_IN_TWO)
    assert cold.caseload.source is not None and not cold.caseload.get("c1").events_complete
    assert [p.key for p in cold.problems] == []  # the fragment may still be being written
    assert cold.store.pending_tail.startswith(b'{"type":"message_sent"')
    plain = Journal.open(path, clock=CLOCK, tz=TOKYO, use_snapshot=False)
    assert fingerprint(cold.caseload) == fingerprint(plain.caseload)
    assert cold.caseload.events_of("c1") == plain.caseload.events_of("c1")
    from tui_followup.core import commands as cmd

    cold.record(cmd.retract, first.id, "sent to the wrong person")  # sets the torn line aside first
    assert len(cold.client("c1").messages) == 1
    assert fingerprint(cold.caseload) == fingerprint(Journal.open(path, clock=CLOCK, tz=TOKYO, use_snapshot=False).caseload)


def test_the_worker_is_not_waited_for_but_leaves_no_process_behind(tmp_path, monkeypatch):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00")]
                          + [message(f"2026-11-{day:02} 09:00") for day in range(2, 12)])
    journal = Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, sizes=BIG_IN_TWO)
    assert len(journal.client("c1").messages) == 10
    [worker] = cold_start.finished_workers  # answered; its exit is collected later
    os.waitid(os.P_PID, worker, os.WEXITED | os.WNOWAIT)  # it has exited, and is not reaped yet
    journal.refresh()  # the app's next look for news
    with pytest.raises(ChildProcessError):
        os.waitpid(worker, os.WNOHANG)


def test_a_cut_off_answer_from_the_worker_is_refused_never_half_read(tmp_path):
    """The worker's part travels in the snapshot's layout, whose header says how many bytes
    follow: a message cut short does not load."""
    from tui_followup.storage import snapshot

    caseload = project([register(), session("2026-11-01 10:00"), message("2026-11-02 09:00")])
    payload = snapshot.dump(caseload, 100, 3, "", [], with_retractions=False)
    assert snapshot.load(payload) is not None
    assert snapshot.load(payload[:-3]) is None
    assert snapshot.load(payload[: payload.index(b"\n")]) is None


def test_retractions_the_search_cannot_see_send_the_log_the_ordinary_way(tmp_path, monkeypatch):
    first = message("2026-11-02 09:00")
    undo = ev.EventRetracted(id="undo", at=first.at, recorded_at=first.at, actor="t", client="c1",
                             target=first.id, reason="wrong person")
    log = [register(), session("2026-11-01 10:00"), first, undo]
    path = tmp_path / "events.jsonl"
    write_log(path, log, escaped_retractions=True)
    journal = Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, sizes=BIG)
    assert journal.caseload.source is None  # events kept in memory, as for a small log
    assert journal.client("c1").messages == [] and journal.caseload.is_retracted(first.id)


def test_an_event_is_found_by_a_shortened_id_when_only_facts_are_in_memory(tmp_path, monkeypatch):
    """`followup record retract 4e5f6a` on a big log: the id is looked for in the log too."""
    wrong = msgspec.structs.replace(message("2026-11-02 09:00"), id="0192abcdef4e5f6a7b8c9d")
    other = msgspec.structs.replace(message("2026-11-03 09:00"), id="0192abcdef000000000001")
    LogStore(tmp_path / "events.jsonl").append([register(), session("2026-11-01 10:00"), wrong, other])
    journal = Journal.open(tmp_path / "events.jsonl", clock=CLOCK, tz=TOKYO, write_snapshot=False, sizes=BIG)
    assert journal.caseload.by_id == {}  # nothing but facts in memory
    from tui_followup.core import commands as cmd

    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.retract, "0192abcdef", "which one?")
    assert refused.value.key == "ambiguous_event"
    retraction = journal.record(cmd.retract, "4e5f6a7b8c9d", "sent to the wrong person")
    assert retraction.target == wrong.id
    assert journal.client("c1").messages == [other.at]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messy_logs(), st.sampled_from([date(2026, 9, 20), date(2026, 11, 1), date(2027, 1, 10)]))
def test_a_view_of_the_past_of_a_big_log_is_folded_the_quick_way_and_sees_the_same(
        tmp_path_factory, log, day):
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    write_log(path, log)
    quick = Journal.open(path, clock=CLOCK, tz=TOKYO, as_of=day, sizes=BIG_IN_TWO)
    plain = Journal.open(path, clock=CLOCK, tz=TOKYO, as_of=day, use_snapshot=False)
    assert plain.caseload.source is None and (quick.caseload.source is not None or not log)
    assert fingerprint(quick.caseload) == fingerprint(plain.caseload)
    for client in CLIENTS:
        assert steps_of(quick, client) == steps_of(plain, client)


def steps_of(journal, client):
    return [(s.event.id, s.retracted_by.id if s.retracted_by else None, s.next)
            for s in history(journal.caseload, client, DEFAULT_POLICY, TOKYO)]


def test_a_file_system_that_cannot_map_files_costs_speed_not_the_log(tmp_path, monkeypatch):
    """Some network and FUSE file systems refuse mmap: the searches read the file instead,
    and the quick fold steps aside for the ordinary read."""
    import mmap as mmap_module

    def refuse(*args, **kwargs):
        raise OSError(19, "No such device")

    monkeypatch.setattr(mmap_module, "mmap", refuse)
    first = message("2026-11-02 09:00")
    log = [register(), session("2026-11-01 10:00"), first, message("2026-11-09 09:00")]
    path = tmp_path / "events.jsonl"
    write_log(path, log)
    journal = Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, sizes=BIG)
    assert fingerprint(journal.caseload) == fingerprint(project(log))
    assert LogStore(path).scan("client", "c1", limit=path.stat().st_size) == log  # read, not mapped
    from tui_followup.core import commands as cmd

    journal.record(cmd.retract, first.id[-6:], "wrong person")
    assert len(journal.client("c1").messages) == 1


def check_holding_every_event(path):
    """What `followup check` reported when it held every event in memory (its code before
    it used the fold): the reference for the one that does not."""
    from tui_followup.core import chain
    from tui_followup.core.codec import problem

    store = LogStore(path)
    batch = store.read_new()
    problems = list(batch.problems)
    tail = store.tail_problem()
    if tail is not None:
        problems.append(tail)
    caseload = project(batch.events)
    line_of = {e.id: n for e, n in zip(batch.events, batch.lines)}
    seen: set[str] = set()
    for event, number in zip(batch.events, batch.lines):
        if event.id in seen:
            problems.append(problem(number, "duplicate_id", event=event.id))
        seen.add(event.id)
    for target, retraction in caseload.retracted.items():
        if target not in caseload.by_id:
            problems.append(problem(line_of.get(retraction.id, 0), "retraction_target", event=retraction.id,
                                    target=target))
    for event in caseload.by_id.values():
        facts = caseload.clients[event.client]
        if not facts.registered and not isinstance(event, ev.EventRetracted) and not caseload.is_retracted(event.id):
            problems.append(problem(line_of.get(event.id, 0), "unregistered", type=ev.tag_of(event),
                                    client=repr(event.client)))
    problems.extend(chain.verify(store.raw_lines(), store.read_head()).problems)
    problems.sort(key=lambda p: p.line)
    return problems, caseload.count, len(caseload.registered())


# check starts worker processes (two_cores) and reads files: its time is the machine's load, not a result
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messy_logs(), st.data(), st.booleans())
def test_check_finds_what_it_found_holding_every_event(tmp_path_factory, log, data, two_cores):
    """Repeated lines, retractions of nothing, events of unregistered clients, junk lines, a
    torn last line: the same problems on the same lines, the same counts."""
    from tui_followup.storage.maintenance import check

    path = tmp_path_factory.mktemp("check") / "events.jsonl"
    nothing = ev.EventRetracted(id="x-nothing", at=at("2026-11-01 10:00"), recorded_at=at("2026-11-01 10:00"),
                                actor="t", client="c1", target="no-such-event", reason="mistake")
    write_log(path, log + [nothing] * data.draw(st.integers(0, 1)), junk=garbage_lines(data.draw))
    if data.draw(st.booleans()):
        with open(path, "ab") as f:
            f.write(b'{"type":"message_sent","id":"cut')
    result = check(path, parallel_min_bytes=0 if two_cores else None)
    problems, count, clients = check_holding_every_event(path)
    assert (result.problems, result.events, result.clients) == (problems, count, clients)
