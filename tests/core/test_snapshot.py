"""Snapshots are a cache: a journal started from one sees exactly what a full replay sees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_followup.core import commands as cmd
from tui_followup.core.caseload import project
from tui_followup.core.clock import FixedClock
from tui_followup.core.history import history, in_order
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.status import caseload_status
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore

from .helpers import TOKYO, at, due_list, message, register, session
from .strategies import AS_OF_DAYS, CLIENTS, event_logs, fingerprint

CLOCK = FixedClock(at("2027-03-01"))


EVERY_TIME = replace(sizes_module.DEFAULT_SIZES, snapshot_min_events=0, snapshot_stale_events=1)  # a snapshot each open


def open_journal(path, **kw) -> Journal:
    return Journal.open(path, clock=CLOCK, tz=TOKYO, **{"sizes": EVERY_TIME, **kw})


def steps(caseload, client):
    return [(s.event.id, s.retracted_by.id if s.retracted_by else None, s.state, s.next)
            for s in history(caseload, client, DEFAULT_POLICY, TOKYO)]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_logs(), st.integers(0, 40))
def test_snapshot_plus_tail_equals_full_replay(tmp_path_factory, log, cut):
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    cut = min(cut, len(log))
    LogStore(path).append(log[:cut])
    open_journal(path)  # writes the snapshot of the first part
    LogStore(path).append(log[cut:])
    warm = open_journal(path)
    assert warm.caseload.source is not None or cut == 0 or not log[:cut]
    if warm.caseload.source is not None:
        assert warm.board_ready  # the open items came with the snapshot
    expected = project(log)
    assert fingerprint(warm.caseload) == fingerprint(expected)
    for client in CLIENTS:
        assert steps(warm.caseload, client) == steps(expected, client)
    # The open items kept in the snapshot (due board) are the ones worked out afresh.
    assert caseload_status(warm.caseload, DEFAULT_POLICY, TOKYO, AS_OF_DAYS[1], warm.board) == \
           caseload_status(expected, DEFAULT_POLICY, TOKYO, AS_OF_DAYS[1])
    for day in AS_OF_DAYS:
        assert warm.board.due(day, 7) == due_list(expected, day, DEFAULT_POLICY, TOKYO, 7)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_logs(), st.integers(0, 40))
def test_what_a_clients_events_name_is_found_as_a_full_replay_finds_it(tmp_path_factory, log, cut):
    """A client's timeline looks up what its events name (the promise a message keeps, what a
    retraction cancelled) among the client's own events first: the same event as the log's
    look-up, from a snapshot or not; and its rows (every event, with the retraction that
    cancelled it) are the history's, in the same order."""
    path = tmp_path_factory.mktemp("log") / "events.jsonl"
    cut = min(cut, len(log))
    LogStore(path).append(log[:cut])
    open_journal(path)
    LogStore(path).append(log[cut:])
    warm = open_journal(path)
    expected = project(log)
    for client in CLIENTS:
        assert [(e.id, r.id if r else None) for e, r in in_order(warm.caseload, client)] == \
               [(s.event.id, s.retracted_by.id if s.retracted_by else None)
                for s in history(expected, client, DEFAULT_POLICY, TOKYO)]
        find = warm.caseload.finder(client)
        for event in expected.events_of(client):
            for name in getattr(event, "refs", ()):
                named = getattr(event, name)
                if isinstance(named, str) and named:
                    found, wanted = find(named), expected.event(named)
                    assert found == warm.caseload.event(named), (client, event.id, name)
                    assert (found and found.id, type(found)) == (wanted and wanted.id, type(wanted))
        assert find("no-such-event") is None


def test_snapshot_is_written_beside_the_log_owner_only(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00")])
    open_journal(path)
    snap = path.with_name("events.jsonl.snapshot")
    assert snap.exists() and (snap.stat().st_mode & 0o777) == 0o600


def test_only_a_read_from_the_first_line_of_a_big_log_is_announced(tmp_path, monkeypatch):
    """The app says why its first start on a big log takes seconds; not when the snapshot
    makes it instant, nor for a small log."""
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00"), message("2026-11-02 09:00")])
    told: list[int] = []
    Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, on_long_read=told.append, sizes=EVERY_TIME)
    assert told == []  # small: read at once
    big = replace(EVERY_TIME, facts_only_min_bytes=0)  # this log counts as big
    journal = Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, on_long_read=told.append, sizes=big)
    assert told == [path.stat().st_size]
    journal.save_snapshot()
    Journal.open(path, clock=CLOCK, tz=TOKYO, write_snapshot=False, on_long_read=told.append, sizes=big)
    assert told == [path.stat().st_size]  # the snapshot matched: nothing to announce


def test_a_snapshot_of_other_rules_is_written_again_at_once(tmp_path):
    """The snapshot keeps the open items worked out under the rules of its day. After a change
    of policy (a setting, or an upgrade) every start worked out every client's items again
    (0.7 s of a first paint at a million events) until 20,000 more events made it stale: it is
    written again on the first open under the new rules, and then used as it is."""
    from tui_followup.core.plans import Policy

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00"), message("2026-11-02 09:00")])
    rarely = replace(EVERY_TIME, snapshot_stale_events=1_000)  # never stale by its events here
    Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=EVERY_TIME)
    snap = path.with_name("events.jsonl.snapshot")
    first = snap.read_bytes()
    Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=rarely)
    assert snap.read_bytes() == first  # the same rules: left as it is
    other = Policy(silence_days=10)
    journal = Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=rarely, policy=other)
    again = snap.read_bytes()
    assert again != first  # other rules: written again, with the items under them
    Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=rarely, policy=other)
    assert snap.read_bytes() == again
    from_snapshot = Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=rarely, policy=other)
    snap.unlink()
    replayed = Journal.open(path, clock=CLOCK, tz=TOKYO, sizes=rarely, policy=other, write_snapshot=False)
    day = CLOCK.moment.date()
    assert from_snapshot.board.due(day) == replayed.board.due(day) == journal.board.due(day)


def test_a_changed_log_is_replayed_not_trusted(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(name="Aoki"), session("2026-11-01 10:00")])
    open_journal(path)
    path.write_bytes(path.read_bytes().replace(b"Aoki", b"Abe!"))  # same length, other bytes
    assert open_journal(path).caseload.get("c1").name == "Abe!"


def test_retracting_an_event_from_before_the_snapshot(tmp_path):
    path = tmp_path / "events.jsonl"
    first = message("2026-11-02")
    LogStore(path).append([register(), session("2026-11-01 10:00"), first])
    open_journal(path)
    warm = open_journal(path)
    assert warm.caseload.source is not None
    warm.record(cmd.retract, first.id, "not sent")
    assert warm.caseload.get("c1").messages == []
    assert fingerprint(open_journal(path).caseload) == fingerprint(open_journal(path, use_snapshot=False).caseload)


def test_a_view_of_the_past_ignores_a_snapshot_with_later_facts(tmp_path):
    from datetime import date

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00"), message("2026-11-20")])
    open_journal(path)
    past = open_journal(path, as_of=date(2026, 11, 10))
    assert past.caseload.get("c1").messages == []


def test_no_snapshot_is_written_for_a_log_rewritten_since_it_was_read(tmp_path):
    """A `forget` (or `repair`) replaces the log; facts read before it may hold the erased
    name, so they must never be saved as the new log's snapshot."""
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(name="Aoki"), session("2026-11-01 10:00")])
    journal = open_journal(path, write_snapshot=False)
    rewritten = tmp_path / "rewritten.jsonl"
    rewritten.write_bytes(path.read_bytes().replace(b"Aoki", b"----"))
    os.replace(rewritten, path)
    assert journal.save_snapshot() is False
    assert not path.with_name("events.jsonl.snapshot").exists()


def test_after_forget_the_snapshot_is_read_afresh_from_the_rewritten_log(tmp_path, monkeypatch):
    """`forget` deletes the snapshot (it held the name); the next start need not read the
    whole log: a new one is made from the new file, without the name."""
    from tui_followup import cli

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(name="Aoki Haruto"), session("2026-11-01 10:00"), message("2026-11-02 09:00"),
                           register("c2", name="Sato"), session("2026-11-03 10:00", client="c2")])
    open_journal(path)
    snapshot = path.with_name("events.jsonl.snapshot")
    assert b"Aoki Haruto" in snapshot.read_bytes()
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T08:30+09:00")
    assert cli.main(["--log", str(path), "forget", "c1", "--yes"], sizes=EVERY_TIME) == 0
    assert snapshot.exists() and b"Aoki" not in snapshot.read_bytes()
    assert b"Aoki" not in path.read_bytes()
    warm = open_journal(path)
    assert warm.snapshot_count > 0  # started from the new snapshot
    assert fingerprint(warm.caseload) == fingerprint(open_journal(path, use_snapshot=False).caseload)


def test_a_generated_demo_log_opens_from_its_snapshot_the_first_time(tmp_path, monkeypatch):
    from tui_followup import cli

    path = tmp_path / "demo.jsonl"
    assert cli.main(["demo", "--out", str(path), "--events", "2000", "--today", "2026-11-25"], sizes=EVERY_TIME) == 0
    first = open_journal(path, write_snapshot=False)
    assert first.snapshot_count == first.caseload.count > 0  # started from the snapshot
    assert fingerprint(first.caseload) == fingerprint(open_journal(path, use_snapshot=False).caseload)


def test_the_cli_leaves_the_snapshot_behind_after_answering(tmp_path):
    """`followup due` answers first; the snapshot is written by a background process."""
    path = tmp_path / "events.jsonl"
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-25T08:30+09:00")
    run = [sys.executable, "-m", "tui_followup", "--log", str(path)]
    subprocess.run(run + ["demo", "--out", str(path), "--events", "25000", "--today", "2026-11-25"],
                   env=env, check=True, capture_output=True)
    done = subprocess.run(run + ["due", "--json"], env=env, check=True, capture_output=True)
    answer = json.loads(done.stdout)
    snapshot_file = path.with_name("events.jsonl.snapshot")
    deadline = time.monotonic() + 30
    while not snapshot_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the background writer, not for time to pass
    assert snapshot_file.exists() and (snapshot_file.stat().st_mode & 0o777) == 0o600
    again = subprocess.run(run + ["due", "--json"], env=env, check=True, capture_output=True)
    assert json.loads(again.stdout) == answer


def test_a_tail_of_many_read_chunks_with_retractions_folds_each_event_once(tmp_path):
    """After the snapshot, a tail longer than several of the log's read chunks (128 KiB),
    with retractions of events in the snapshot and of events in an earlier chunk of the tail:
    the warm start sees exactly what a full replay sees (no event folded twice, none lost)."""
    from tui_followup.core import events as ev
    from tui_followup.storage.logfile import READ_CHUNK

    path = tmp_path / "events.jsonl"
    early = [register(f"c{n}", name=f"Client {n}") for n in range(40)]
    in_snapshot = [message("2026-10-05 09:00", client=f"c{n}") for n in range(40)]
    LogStore(path).append(early + in_snapshot)
    open_journal(path)  # the snapshot of these
    assert path.with_name("events.jsonl.snapshot").exists()
    tail = []
    for round_ in range(60):
        for n in range(40):
            tail.append(session(f"2026-10-{6 + round_ % 20:02d} 10:00", client=f"c{n}",
                                summary=f"round {round_} " + "x" * 40))
    # retract messages from the snapshot, and sessions from the first chunk of the tail
    retractions = [ev.EventRetracted(id=f"r{n}", at=at("2026-11-01 09:00"), recorded_at=at("2026-11-01 09:00"),
                                     actor="kim", client=f"c{n}", target=in_snapshot[n].id, reason="wrong")
                   for n in range(0, 40, 3)]
    retractions += [ev.EventRetracted(id=f"rt{n}", at=at("2026-11-01 09:00"), recorded_at=at("2026-11-01 09:00"),
                                      actor="kim", client=f"c{n}", target=tail[n].id, reason="wrong")
                    for n in range(0, 40, 5)]
    LogStore(path).append(tail + retractions)
    assert path.stat().st_size - sum(len(line) for line in path.read_bytes().splitlines()[:80]) > 3 * READ_CHUNK
    warm = open_journal(path, write_snapshot=False)
    assert warm.snapshot_count == 80  # started from the snapshot: the tail was read in chunks
    cold = open_journal(path, use_snapshot=False, write_snapshot=False)
    assert fingerprint(warm.caseload) == fingerprint(cold.caseload) == fingerprint(project(early + in_snapshot + tail + retractions))
    assert warm.caseload.count == cold.caseload.count
