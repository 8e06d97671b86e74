"""The log store against real files: durable appends, owner-only files, bad lines reported."""

from __future__ import annotations

import multiprocessing
import os
import stat

from tui_followup.core import codec
from tui_followup.storage.logfile import LogStore

from .helpers import message, register, session


def test_append_creates_an_owner_only_file_and_reads_back(tmp_path):
    path = tmp_path / "sub" / "events.jsonl"
    store = LogStore(path)
    log = [register(), session("2026-11-01 10:00")]
    store.append(log)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes().count(b"\n") == 2
    assert [e.id for e in LogStore(path).read_new().events] == [e.id for e in log]


def test_reader_picks_up_only_what_was_appended_since(tmp_path):
    path = tmp_path / "events.jsonl"
    writer, reader = LogStore(path), LogStore(path)
    writer.append([register()])
    assert len(reader.read_new().events) == 1
    writer.append([session("2026-11-01 10:00"), message("2026-11-02")])
    batch = reader.read_new()
    assert [type(e).__name__ for e in batch.events] == ["SessionHeld", "MessageSent"]
    assert list(batch.lines) == [2, 3]
    assert reader.read_new().events == []


def test_bad_lines_are_reported_with_their_number_and_cost_nothing_else(tmp_path):
    path = tmp_path / "events.jsonl"
    good = [register(), session("2026-11-01 10:00"), message("2026-11-02")]
    lines = [codec.encode(e) for e in good]
    path.write_bytes(lines[0] + b"\n{not json\n" + lines[1] + b"\n" + b'{"type":"alien_landed"}\n'
                     + b"\xff\xfe\n" + lines[2] + b"\n")
    batch = LogStore(path).read_new()
    assert batch.events == good
    assert list(batch.lines) == [1, 3, 6]
    assert [p.line for p in batch.problems] == [2, 4, 5]
    assert "unknown event type 'alien_landed'" in batch.problems[1].message


def test_a_line_in_progress_is_left_for_later_and_a_torn_one_is_set_aside_by_the_next_append(tmp_path):
    path = tmp_path / "events.jsonl"
    first, second = register(), session("2026-11-01 10:00")
    LogStore(path).append([first])  # (written by the app: its head beside it)
    with open(path, "ab") as f:
        f.write(codec.encode(second)[:20])
    reader = LogStore(path)
    assert [e.id for e in reader.read_new().events] == [first.id]
    assert reader.tail_problem().line == 2
    third = message("2026-11-02")
    batch, written = LogStore(path).transact(lambda batch: [third])  # its writer is gone
    assert [p.line for p in batch.problems] == [2] and "moved to" in str(batch.notes[0])
    (side,) = tmp_path.glob("events.jsonl.torn-*")
    assert side.read_bytes() == codec.encode(second)[:20]  # nothing is deleted
    assert [e.id for e in reader.read_new().events] == [third.id]
    assert reader.read_new().problems == []
    assert path.read_bytes().count(b"\n") == 2 and path.read_bytes().endswith(b"\n")


def _append_many(path: str, worker: int, count: int) -> None:
    store = LogStore(path)
    for i in range(count):
        store.append([message("2026-11-02", client=f"w{worker}", summary=f"{worker}-{i}" * 50)])


def test_concurrent_writers_never_interleave_lines(tmp_path):
    path = tmp_path / "events.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(path), w, 60)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    batch = LogStore(path).read_new()
    assert batch.problems == []
    assert len(batch.events) == 240
