"""Tests that try to break the log: crashes, torn writes, concurrent writers, garbage,
tampering. Each promise of the store is held to here."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_followup.core import codec
from tui_followup.core import events as ev
from tui_followup.core.chain import verify
from tui_followup.i18n import words_for
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.maintenance import check, repair

from .helpers import TOKYO, message, register, session
from .strategies import event_logs

CHILD = Path(__file__).with_name("appender_child.py")


def ids_in(path: Path) -> list[str]:
    return [e.id for e in LogStore(path).read_new().events]


@pytest.mark.slow
def test_an_appender_killed_50_times_loses_no_acknowledged_event(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register("k", "Kill Test")])
    rng = random.Random(5)
    acknowledged: list[str] = []
    for run in range(50):
        child = subprocess.Popen([sys.executable, str(CHILD), str(path), f"r{run:02d}"],
                                 stdout=subprocess.PIPE, text=True)
        # Killed after a random number of acknowledgements (a condition, not a duration): the
        # child is then somewhere in its next append, however loaded the machine.
        seen = [child.stdout.readline() for _ in range(rng.randint(1, 40))]
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        assert all(line.strip() for line in seen), f"run {run}: the child ended before appending"
        acknowledged.extend(line for line in ("".join(seen) + out).splitlines() if line.strip())
    repair(path)
    present = set(ids_in(path))
    assert acknowledged and set(acknowledged) <= present
    result = check(path)
    assert result.problems == [], result.problems[:3]


def test_a_log_cut_at_every_byte_of_its_last_3_lines_opens_and_keeps_every_whole_event(tmp_path):
    source = tmp_path / "source.jsonl"
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02"), message("2026-11-09", summary="週報"),
           message("2026-11-20", summary="x" * 40)]
    LogStore(source).append(log)
    data = source.read_bytes()
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A][:-1]
    path = tmp_path / "events.jsonl"
    path.with_name("events.jsonl.head").write_bytes(source.with_name("source.jsonl.head").read_bytes())
    for cut in range(starts[-3], len(data) + 1):
        path.write_bytes(data[:cut])
        whole = data[:cut].count(b"\n")
        journal = Journal.open(path, use_snapshot=False)
        assert [e.id for e in journal.caseload.by_id.values()] == [e.id for e in log[:whole]]
        torn = journal.store.tail_problem()
        assert (torn is not None) == (cut not in starts and cut != len(data))
        problems = check(path).problems
        if cut == len(data):
            assert problems == []
            continue
        assert problems, f"cut at {cut} went unnoticed"  # a torn line, or the head says more
        if torn is not None:
            assert any("incomplete last line" in p.message for p in problems)


def _appender(path: str, worker: int) -> None:
    store = LogStore(path)
    moment = datetime(2026, 11, 2, tzinfo=timezone.utc)
    for i in range(500):
        store.append([ev.NoteAdded(id=f"w{worker}-{i}", at=moment, recorded_at=moment, actor=f"w{worker}",
                                   client="k", text=f"{worker}:{i}")])


@pytest.mark.slow
def test_four_processes_appending_500_each_leave_2000_whole_lines_and_an_intact_chain(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register("k", "Concurrent")])
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_appender, args=(str(path), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    batch = LogStore(path).read_new()
    assert batch.problems == []
    assert len(batch.events) == 2001 and len({e.id for e in batch.events}) == 2001
    assert check(path).problems == []


garbage = st.one_of(
    st.binary(min_size=1, max_size=200).map(lambda b: b.replace(b"\n", b"?")).filter(lambda b: b.strip()),
    st.text(min_size=1, max_size=80).map(lambda t: ('{"type":"note_added","text":"' + t.replace("\n", " ")).encode()),
    st.sampled_from([
        b'{"type":"session_held","id":"x","at":5,"recorded_at":"2026-11-01T10:00:00+09:00","actor":"a","client":"c1"}',
        b'{"type":"mystery_happened","id":"m","at":"2026-11-01T10:00:00+09:00"}',
        b'{"type":"note_added","id":"f","at":"2026-11-01T10:00:00+09:00","recorded_at":"2026-11-01T10:00:00+09:00",'
        b'"actor":"a","client":"c1","v":99,"text":"from the future"}',
        b"[1, 2, 3]", b'"just a string"', b"\xff\xfe\xfd non utf-8 \xc3\x28", b"{" * 5000,
        b'{"type":"note_added","text":"' + b"y" * 1_000_000 + b'"}',
        b'{"type":"message_sent","id":"n","at":"2026-11-01T10:00:00","recorded_at":"2026-11-01T10:00:00",'
        b'"actor":"a","client":"c1","channel":"email"}',  # naive times
    ]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(event_logs(max_size=12), st.lists(st.tuples(st.integers(0, 20), garbage), max_size=6))
def test_garbage_between_good_lines_is_reported_by_line_and_costs_no_good_event(tmp_path_factory, log, junk):
    lines: list[tuple[bytes, bool]] = [(codec.encode(e), False) for e in log]
    for position, bad in sorted(junk, key=lambda pair: pair[0], reverse=True):
        lines.insert(min(position, len(lines)), (bad, True))
    bad_lines = [n for n, (_, bad) in enumerate(lines, 1) if bad]
    path = tmp_path_factory.mktemp("g") / "events.jsonl"
    path.write_bytes(b"\n".join(line for line, _ in lines) + b"\n")
    batch = LogStore(path).read_new()
    assert [e.id for e in batch.events] == [e.id for e in log]
    assert sorted(p.line for p in batch.problems) == bad_lines
    assert all(p.message for p in batch.problems)


def test_every_single_byte_edit_and_a_dropped_last_line_are_caught(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00"), message("2026-11-02")])
    original = path.read_bytes()
    assert check(path).problems == []
    for at_byte in range(len(original)):
        for flip in (0x01, 0x20):
            edited = bytearray(original)
            edited[at_byte] ^= flip
            path.write_bytes(bytes(edited))
            assert check(path).problems, f"edit of byte {at_byte} went unnoticed"
    lines = original.split(b"\n")
    path.write_bytes(b"\n".join(lines[:-2]) + b"\n")  # the last line dropped
    problems = check(path).problems
    assert any("trailing events were lost" in p.message for p in problems)


def test_inserted_deleted_and_reordered_lines_break_the_chain_at_the_next_line(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00"), message("2026-11-02"), message("2026-11-05")])
    lines = path.read_bytes().split(b"\n")[:-1]
    variants = {
        "deleted": lines[:1] + lines[2:],
        "reordered": [lines[0], lines[2], lines[1], lines[3]],
        "first removed": lines[1:],
    }
    for name, changed in variants.items():
        report = verify(changed)
        assert report.problems, name


def test_an_id_seen_twice_is_stored_once_and_other_content_is_refused(tmp_path):
    from tui_followup.core.clock import FixedClock
    from tui_followup.core.commands import CommandError

    from .helpers import at

    path = tmp_path / "events.jsonl"
    journal = Journal.open(path, clock=FixedClock(at("2026-11-10")), tz=TOKYO)
    event = register()
    journal.append_events([event])
    journal.append_events([event])  # the retry after a lost acknowledgement
    assert ids_in(path) == [event.id]
    changed = msgspec.structs.replace(event, name="Someone else")
    with pytest.raises(CommandError, match="other content"):
        Journal.open(path, tz=TOKYO).append_events([changed])
    assert ids_in(path) == [event.id]


def test_files_are_owner_only(tmp_path):
    directory = tmp_path / "new"
    path = directory / "events.jsonl"
    journal = Journal.open(path, tz=TOKYO)
    LogStore(path).append([register()])
    journal.save_snapshot()
    for p in [path, path.with_name("events.jsonl.head"), path.with_name("events.jsonl.snapshot")]:
        assert (p.stat().st_mode & 0o777) == 0o600, p
    assert (directory.stat().st_mode & 0o777) == 0o700


def test_a_version_1_log_reads_as_is_and_the_chain_starts_where_the_app_appends(tmp_path):
    fixture = Path(__file__).resolve().parents[2] / "events" / "fixtures" / "v1-sample.jsonl"
    path = tmp_path / "events.jsonl"
    path.write_bytes(fixture.read_bytes())
    before = LogStore(path).read_new()
    assert before.problems == [] and all(e.v == 1 for e in before.events)
    result = check(path)
    assert result.problems == [] and result.chain == "no hash chain (schema version 1 log)"
    LogStore(path).append([message("2026-11-25", client="c0001")])
    result = check(path)
    assert result.problems == [] and result.chain == f"hash chain intact from line {result.lines}"


def test_an_unknown_future_line_is_reported_not_crashed_on_and_kept_by_forget(tmp_path):
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.maintenance import forget

    from .helpers import at

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register("c1", "Aoki"), session("2026-11-01 10:00")])
    future = (b'{"type":"hologram_sent","id":"h1","at":"2030-01-01T10:00:00+09:00","recorded_at":"2030-01-01T10:00:00+09:00",'
              b'"actor":"a","client":"c2","v":7}')
    with open(path, "ab") as f:
        f.write(future + b"\n")
    batch = LogStore(path).read_new()
    (problem,) = batch.problems
    assert problem.line == 3 and "hologram_sent" in problem.message
    journal = Journal.open(path, clock=FixedClock(at("2026-11-10")), tz=TOKYO, use_snapshot=False)
    forget(journal, "c1")
    assert future in path.read_bytes().split(b"\n")


def test_forget_erases_personal_fields_keeps_the_skeleton_and_check_passes(tmp_path):
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.maintenance import forget

    from .helpers import at, make

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register("aoki", "青木 花子", note="家族の件"), register("abe", "Abe Ken"),
                           session("2026-11-01 10:00", "aoki", summary="職務経歴書", next_step="応募"),
                           message("2026-11-02", "aoki", summary="求人票"),
                           make(ev.NoteAdded, "2026-11-03", "aoki", text="秘密のメモ"),
                           session("2026-11-04 10:00", "abe", summary="keep me")])
    journal = Journal.open(path, clock=FixedClock(at("2026-11-10")), tz=TOKYO, use_snapshot=False)
    report = forget(journal, "aoki")
    data = path.read_bytes().decode()
    for secret in ["青木", "花子", "家族の件", "職務経歴書", "応募", "求人票", "秘密のメモ", '"aoki"']:
        assert secret not in data, secret
    assert "keep me" in data and "Abe Ken" in data
    after = Journal.open(path, tz=TOKYO, use_snapshot=False)
    (forgotten,) = [f for f in after.caseload.registered() if f.forgotten]
    assert forgotten.name == "(forgotten)" and len(forgotten.sessions) == 1 and len(forgotten.messages) == 1
    assert check(path).problems == []
    assert not list(tmp_path.glob("events.jsonl.bak-*"))
    assert any("still verifies the whole chain" in line for line in report.text(words_for("en")))


def test_the_anonymized_export_holds_no_name_or_free_text_and_still_audits(tmp_path):
    from tui_followup.core.audit import audit
    from tui_followup.core.demo import generate
    from tui_followup.core.plans import DEFAULT_POLICY
    from tui_followup.storage.maintenance import export_anonymized

    source = tmp_path / "events.jsonl"
    log = generate(datetime(2026, 11, 25).date(), TOKYO, clients=30, seed=11)
    LogStore(source).append(log)
    out = tmp_path / "review.jsonl"
    export_anonymized(Journal.open(source, tz=TOKYO), out, shift_dates=True)
    exported = out.read_bytes().decode()
    secrets = set()
    for e in log:
        for name in ("name", "note", "summary", "next_step", "text", "what"):
            value = getattr(e, name, "")
            if isinstance(value, str) and len(value) >= 2:
                secrets.add(value)
        if isinstance(e, (ev.ClientPaused, ev.CaseReopened, ev.FollowUpSnoozed, ev.EventRetracted)) and e.reason:
            secrets.add(e.reason)
        secrets.update({f'"{e.client}"', f'"{e.actor}"', f'"{e.id}"'})  # as JSON values (hashes are hex)
    leaks = [s for s in secrets if s in exported]
    assert not leaks, leaks[:5]
    assert check(out).problems == []
    copy = Journal.open(out, tz=TOKYO, use_snapshot=False)
    original = Journal.open(source, tz=TOKYO, use_snapshot=False)
    day = datetime(2026, 11, 25).date()
    a = sorted((c.contacts, c.sessions, c.median_interval_days) for c in audit(original.caseload, day, DEFAULT_POLICY, TOKYO).clients)
    b = sorted((c.contacts, c.sessions, c.median_interval_days) for c in audit(copy.caseload, day, DEFAULT_POLICY, TOKYO).clients)
    assert a == b  # shapes and intervals survive the anonymizing


from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule  # noqa: E402


class LogUnderStress(RuleBasedStateMachine):
    """Appends, concurrent appends, crashes mid-write, repairs and reopens, in any order:
    the log always holds exactly the acknowledged events, and the live projection always
    equals one rebuilt from scratch."""

    @initialize()
    def start(self):
        import tempfile

        from tui_followup.core.clock import FixedClock

        from .helpers import at

        self.folder = Path(tempfile.mkdtemp())
        self.path = self.folder / "events.jsonl"
        self.clock = FixedClock(at("2026-12-01"))
        first = register("c1", "Stress")
        LogStore(self.path).append([first])
        self.model = [first.id]
        self.count = 0
        self.journal = Journal.open(self.path, clock=self.clock, tz=TOKYO, use_snapshot=False)

    def _events(self, k: int):
        out = []
        for _ in range(k):
            self.count += 1
            day = 2 + self.count % 25
            out.append(message(f"2026-11-{day:02d}") if self.count % 3 else session(f"2026-11-{day:02d} 10:00"))
        return out

    @rule(k=st.integers(1, 4))
    def append(self, k):
        events = self._events(k)
        LogStore(self.path).append(events)
        self.model.extend(e.id for e in events)

    @rule(writers=st.integers(2, 4), k=st.integers(1, 3))
    def concurrent_append(self, writers, k):
        """Writers started together, each with its own store, appending one event at a time."""
        from concurrent.futures import ThreadPoolExecutor
        from threading import Barrier

        batches = [self._events(k) for _ in range(writers)]
        start = Barrier(writers, timeout=30)

        def write(events):
            store = LogStore(self.path)
            start.wait()
            for event in events:
                store.append([event])

        with ThreadPoolExecutor(writers) as pool:
            list(pool.map(write, batches))  # re-raises a writer's error
        new = ids_in(self.path)[len(self.model):]
        assert sorted(new) == sorted(e.id for batch in batches for e in batch)  # each once
        for batch in batches:  # in each writer's order
            assert [i for i in new if i in {e.id for e in batch}] == [e.id for e in batch]
        assert verify(self.path.read_bytes().split(b"\n")[:-1]).problems == []  # one chain through them all
        self.model.extend(new)

    @rule(cut=st.integers(1, 150))
    def crash_mid_write(self, cut):
        (event,) = self._events(1)
        line = codec.encode(event)
        with open(self.path, "ab") as f:
            f.write(line[: min(cut, len(line) - 1)])  # never acknowledged: not in the model

    @rule()
    def repair(self):
        repair(self.path)

    @rule()
    def reopen(self):
        self.journal = Journal.open(self.path, clock=self.clock, tz=TOKYO, use_snapshot=False)

    def teardown(self):
        import shutil

        if hasattr(self, "folder"):  # the folder start made, after every run
            shutil.rmtree(self.folder)

    @invariant()
    def the_log_holds_exactly_the_acknowledged_events(self):
        assert ids_in(self.path) == self.model

    @invariant()
    def the_live_projection_equals_a_rebuilt_one(self):
        from tui_followup.core.caseload import project

        from .strategies import fingerprint

        self.journal.refresh()
        assert fingerprint(self.journal.caseload) == fingerprint(project(LogStore(self.path).read_new().events))


LogUnderStress.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
test_the_log_under_stress = LogUnderStress.TestCase


def test_a_failed_write_leaves_no_fragment_and_nothing_recorded(tmp_path, monkeypatch):
    import errno

    from tui_followup.storage import logfile as store_module
    from tui_followup.storage.logfile import StoreError

    path = tmp_path / "events.jsonl"
    LogStore(path).append([register()])
    before = path.read_bytes()
    real_write = os.write

    def half_then_disk_full(fd, data):
        if len(data) > 10:
            real_write(fd, bytes(data[: len(data) // 2]))  # a short write ...
            raise OSError(errno.ENOSPC, "No space left on device")  # ... then the disk is full
        return real_write(fd, data)

    monkeypatch.setattr(store_module.os, "write", half_then_disk_full)
    with pytest.raises(StoreError, match="disk full, nothing was recorded"):
        LogStore(path).append([session("2026-11-01 10:00")])
    monkeypatch.undo()
    assert path.read_bytes() == before  # cut back: the next line is not glued onto a fragment
    LogStore(path).append([message("2026-11-02")])
    assert check(path).problems == []
