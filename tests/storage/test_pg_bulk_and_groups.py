"""The server store's two fast paths: ``store copy`` in one COPY per chunk (every byte of every
row as the log holds it, an id another writer put there meanwhile not written twice), and
appends from many processes at once (gapless, in commit order, none lost, each acknowledged
only once the server has it on disk)."""

from __future__ import annotations

import multiprocessing

import msgspec

from tui_followup.core import chain
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.pgstore import TABLE, PgStore
from tui_followup.storage.transfer import copy_store

from tui_followup.core import events as ev

from ..core.helpers import make, register


def _odd_log(path, clients: int = 3, each: int = 40):
    """A log whose text holds what COPY's text format must escape: backslashes, tabs, line
    breaks, carriage returns, quotes, and non-ASCII; a client id with a backslash and a tab."""
    store = LogStore(path)
    events = []
    for c in range(clients):
        client = f"c{c}\\x\ty" if c == 0 else f"c{c}"
        events.append(register(client, f"Aoki\\{c}\t\"q\"\r\n二"))
        for n in range(each):
            events.append(make(ev.NoteAdded, "2026-10-02", client, text=f"line {n}\\n\\\\ end\ttab\nbreak\r\\"))
    store.append(events)
    return events


def test_a_copy_puts_every_row_byte_for_byte_what_copy_text_must_escape_included(pg_url, tmp_path):
    log = tmp_path / "events.jsonl"
    events = _odd_log(log)
    result = copy_store(log, pg_url, chunk=50)
    assert result.ok and result.copied == len(events)
    store = PgStore(pg_url)
    assert b"".join(line + b"\n" for line in store.raw_lines()) == log.read_bytes()
    rows = store.conn.execute(f"SELECT stream, event_id, type FROM {TABLE} ORDER BY global_position").fetchall()
    assert [r[:2] for r in rows] == [(e.client, e.id) for e in events]
    assert store.read_new().events == LogStore(log).read_new().events


def test_a_copy_skips_an_event_another_writer_put_in_the_store_between_its_chunks(pg_url, tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"
    events = _odd_log(log)
    later = events[120]  # in a chunk still to come when the other writer appends it
    real_append = PgStore.append
    other: list = []

    def append_while_another_writes(self, pending, **kwargs):
        written = real_append(self, pending, **kwargs)
        if not other:
            other.append(real_append(PgStore(pg_url), [later, register("elsewhere", "E")]))
        return written

    monkeypatch.setattr(PgStore, "append", append_while_another_writes)
    result = copy_store(log, pg_url, chunk=50)
    monkeypatch.undo()
    store = PgStore(pg_url)
    ids = [r[0] for r in store.conn.execute(f"SELECT event_id FROM {TABLE} ORDER BY global_position")]
    assert sorted(ids) == sorted({e.id for e in events} | {other[0][1].id})  # each once, nothing lost
    assert chain.verify(list(store.raw_lines()), store.read_head()).problems == []
    assert store.order_problems() == []
    assert result.copied == len(events) - 1  # the one already there counted as not copied now


def _durable_url(pg_url: str) -> str:
    """The test server commits without waiting for its disk; this session's commits wait, as
    a real server's do (the server's ``synchronous_commit``, which the store follows)."""
    return pg_url + "%20-csynchronous_commit%3Don"


def test_an_append_returns_only_once_the_server_has_flushed_its_commit(pg_url, monkeypatch):
    monkeypatch.setattr(PgStore, "GROUP_COMMIT", True)  # (off by default: see PgStore.GROUP_COMMIT)
    store = PgStore(_durable_url(pg_url))
    seen = []
    for n in range(20):
        store.append([register(f"d{n}", "D")])
        # a WAL record written after the append's commit, in its session: on disk when it returned
        assert store.durable_to is not None and store.durable_to not in seen
        seen.append(store.durable_to)
        flushed = store.conn.execute("SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn", (store.durable_to,)).fetchone()[0]
        assert flushed, f"append {n} acknowledged before its commit was on disk"


def _writer(url: str, n: int, count: int, out) -> None:
    store = PgStore(url)
    acknowledged = []
    for i in range(count):
        event = msgspec.structs.replace(register(f"w{n}-{i}", "W"), id=f"e-w{n}-{i}")  # ids unique across processes
        acknowledged += [e.id for e in store.append([event])]
    out.put((n, acknowledged))


def test_appends_from_many_processes_are_gapless_in_commit_order_and_none_is_lost(pg_url):
    url = _durable_url(pg_url)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    writers = [context.Process(target=_writer, args=(url, n, 25, out)) for n in range(6)]
    for process in writers:
        process.start()
    reader = PgStore(pg_url)
    seen: list[int] = []
    acknowledged = {}
    while len(acknowledged) < len(writers):  # a reader polling meanwhile: never a gap, never out of order
        seen += list(reader.read_new().lines)
        while not out.empty():
            n, ids = out.get()
            acknowledged[n] = ids
        if not any(p.is_alive() for p in writers) and out.empty():
            break
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    seen += list(reader.read_new().lines)
    assert seen == list(range(1, 6 * 25 + 1))
    rows = [r[0] for r in reader.conn.execute(f"SELECT event_id FROM {TABLE} ORDER BY global_position")]
    for ids in acknowledged.values():  # every acknowledged append is there, each writer's in its order
        assert len(ids) == 25 and [i for i in rows if i in set(ids)] == ids
    assert len(rows) == len(set(rows)) == 150
    assert chain.verify(list(reader.raw_lines()), reader.read_head()).problems == []
    assert reader.order_problems() == []
