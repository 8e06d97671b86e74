"""What only the server store has to prove: gapless order across a transaction held open,
the command validated again when another writer came first, NOTIFY, migrations."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import msgspec
import pytest

from tui_followup.core import chain
from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import StoreError
from tui_followup.storage.pgstore import SCHEMA_LATEST, TABLE, PgStore

from ..core.helpers import TOKYO, register, session

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO)


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        threading.Event().wait(0.01)
    return condition()


def at_once(write, writers: int, seconds: float) -> None:
    """``write(n)`` for each of ``writers`` threads, started together and waited for."""
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds)


def waiting_for_a_lock(url: str) -> bool:
    probe = PgStore(url)
    try:
        return probe.conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0] > 0
    finally:
        probe.close()


def test_a_reader_never_skips_a_transaction_that_commits_late(pg_url):
    """A holds its append open; B's append waits for it (it cannot take position 2 and commit
    first); a reader sees nothing until A commits, then 1 and 2, in order, chained."""
    a, b, reader = PgStore(pg_url), PgStore(pg_url), PgStore(pg_url)
    first, second = register(), session("2026-11-01 10:00")
    done: list = []
    conn = a.conn
    with conn.transaction():
        conn.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        a._write(conn, [first])  # inserted, not committed
        thread = threading.Thread(target=lambda: done.append(b.append([second])))
        thread.start()
        assert until(lambda: waiting_for_a_lock(pg_url))
        assert reader.read_new().events == []
        assert done == []
    thread.join(10)
    batch = reader.read_new()
    assert [e.id for e in batch.events] == [first.id, second.id]
    assert list(batch.lines) == [1, 2]
    assert chain.verify(list(reader.raw_lines())).problems == []
    assert reader.order_problems() == []


def test_appends_from_many_writers_are_gapless_and_chained(pg_url):
    def write(n: int) -> None:
        store = PgStore(pg_url)
        for i in range(10):
            store.append([register(f"w{n}-{i}", "X")])

    at_once(write, 4, 30)
    reader = PgStore(pg_url)
    assert list(reader.read_new().lines) == list(range(1, 41))
    assert chain.verify(list(reader.raw_lines())).problems == []
    assert reader.order_problems() == []


def test_a_command_is_validated_again_when_another_counselor_got_there_first(pg_url):
    """Sato's close is decided on an open case; before it is appended Kato closes it: under the
    lock Sato's command sees Kato's close and is refused, with the reason."""
    clock = FixedClock(NOW)
    setup = Journal.open(pg_url, clock=clock, tz=TOKYO)
    setup.record(cmd.register_client, client_id="c1", name="Aoki")
    kato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="kato")
    sato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
    calls = []

    def close_while_kato_closes(ctx, *args, **kwargs):
        if not calls:  # between Sato's decision and Sato's append
            kato.record(cmd.close_case, "c1", reason="goal_achieved")
        calls.append(ctx.caseload.get("c1").state)
        return cmd.close_case(ctx, *args, **kwargs)

    with pytest.raises(cmd.CommandError) as refused:
        sato.record(close_while_kato_closes, "c1", reason="withdrew")
    assert refused.value.key == "already_closed"
    assert calls == ["active", "closed"] and sato.store.revalidated == 1
    assert PgStore(pg_url).count() == 2
    assert sato.client("c1").state == "closed"  # what Kato wrote is folded in


def test_another_writer_on_another_client_does_not_refuse_the_command(pg_url):
    """Kato writes to Baba while Sato decides on Aoki: Sato's session goes after Kato's in one
    round trip, decided once (nothing of Aoki's came between), and Sato's app has Kato's too."""
    clock = FixedClock(NOW)
    setup = Journal.open(pg_url, clock=clock, tz=TOKYO)
    setup.record(cmd.register_client, client_id="c1", name="Aoki")
    setup.record(cmd.register_client, client_id="c2", name="Baba")
    kato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="kato")
    sato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
    calls = []

    def session_while_kato_writes(ctx, *args, **kwargs):
        if not calls:
            kato.record(cmd.hold_session, "c2")
        calls.append(1)
        return cmd.hold_session(ctx, *args, **kwargs)

    event = sato.record(session_while_kato_writes, "c1")
    assert len(calls) == 1 and event.client == "c1" and sato.store.revalidated == 0
    rows = PgStore(pg_url).conn.execute(f"SELECT stream, stream_version FROM {TABLE} ORDER BY global_position").fetchall()
    assert rows == [("c1", 1), ("c2", 1), ("c2", 2), ("c1", 2)]
    reader = PgStore(pg_url)
    assert chain.verify(list(reader.raw_lines())).problems == [] and reader.order_problems() == []
    assert len(sato.client("c2").sessions) == 1  # Kato's, folded in Sato's app
    assert sato.store.offset == 4 and sato.store.last_hash == chain.link_hash(list(reader.raw_lines())[-1])
    assert event.prev == chain.link_hash(list(reader.raw_lines())[2])  # what the server linked it to
    sato.record(cmd.add_note, "c1", text="and after")  # the next append goes on from there
    assert [e.client for e in reader.read_new().events] == ["c1", "c2", "c2", "c1", "c1"]


def test_an_append_wakes_a_listener_with_its_position(pg_url):
    woken: list[int] = []
    listener = PgStore(pg_url)
    stop = listener.wake_on_append(woken.append)
    try:
        writer = PgStore(pg_url)
        # the listener connects in its thread: append until it has heard one (bounded)
        assert until(lambda: bool(writer.append([register(f"c{len(woken)}-{time.monotonic_ns()}", "A")])) and bool(woken), 10)
        last = writer.offset
        assert until(lambda: woken[-1] == last, 5)
    finally:
        stop()


def test_init_is_idempotent_and_versioned(pg_url):
    store = PgStore(pg_url)
    assert store.schema_version() == SCHEMA_LATEST
    assert store.init() == []
    store.conn.execute("INSERT INTO followup_schema (version) VALUES (%s)", (SCHEMA_LATEST + 1,))
    with pytest.raises(StoreError) as newer:
        store.init()
    assert newer.value.key == "schema_newer"


def test_a_store_never_initialised_says_to_run_store_init(pg_server):
    store = PgStore(pg_server + ("&" if "?" in pg_server else "?") + "options=-csearch_path%3Dnowhere")
    with pytest.raises(StoreError) as missing:
        store.read_new()
    assert missing.value.key == "no_schema"
    assert "followup store init" in str(missing.value)


def test_a_store_made_before_the_head_gets_it_from_its_rows_at_init(pg_url):
    """Upgrading: `store init` on a store of schema 1 keeps its head from the rows there."""
    from tui_followup.storage.maintenance import check

    store = PgStore(pg_url)
    store.append([register(), session("2026-11-01 10:00")])
    store.conn.execute("DROP TABLE followup_head, followup_assignment CASCADE")  # as schema 1 had none
    store.conn.execute("DROP FUNCTION followup_assign, followup_reach, followup_is_supervisor, followup_taken,"
                       " followup_row_says, followup_move_head, followup_next, followup_link, followup_row_text, followup_lock"
                       " CASCADE")
    store.conn.execute(f"ALTER TABLE {TABLE} DISABLE ROW LEVEL SECURITY")
    store.conn.execute("DELETE FROM followup_schema WHERE version > 1")
    assert store.init() == list(range(2, SCHEMA_LATEST + 1))
    head = store.read_head()
    assert head.lines == 2 and head.last == chain.line_hash(list(store.raw_lines())[-1])
    assert check(pg_url).problems == []
    store.conn.execute(f"DELETE FROM {TABLE} WHERE global_position = 2")
    assert [p.key for p in check(pg_url).problems] == ["head_cut"]


def test_a_writer_stopped_while_holding_the_lock_does_not_block_the_next_one_forever(pg_url, monkeypatch, capsys):
    """A second real connection holds the table lock in an open transaction (a writer paused,
    or SIGSTOPped, mid-append): `record` waits the few seconds of LOCK_WAIT_SECONDS, then
    says who holds it (application name, server process, since when), exit 2, nothing written."""
    import psycopg

    from tui_followup.cli import main
    from tui_followup.storage import pgstore

    monkeypatch.setattr(pgstore, "LOCK_WAIT_SECONDS", 1)
    monkeypatch.setenv("FOLLOWUP_CONFIG", "/nonexistent/config.toml")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    PgStore(pg_url).append([register()])
    answer: list[int] = []
    with psycopg.connect(pg_url, autocommit=True, application_name="paused writer") as holder:
        with holder.transaction():
            holder.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
            writer = threading.Thread(target=lambda: answer.append(
                main(["--store", pg_url, "record", "note", "c1", "--text", "while it is held"])), daemon=True)
            writer.start()
            writer.join(60)
            still_waiting = writer.is_alive()
        pid = holder.info.backend_pid
    writer.join(60)
    err = capsys.readouterr().err
    assert not still_waiting, "the writer was still waiting for the lock after a minute"
    assert answer == [2]
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "paused writer" in err and f"server process {pid}" in err and "nothing was recorded" in err
    assert PgStore(pg_url).count() == 1


def test_a_session_sorts_and_maps_in_memory_unless_the_administrator_gave_it_more(pg_url):
    """With the server's default 4 MB, a counselor's rows spread over a big table made a lossy
    bitmap and a sort on disk for every page (5.9 s for one page at five million events)."""
    store = PgStore(pg_url)
    store.init()
    conn = store.connect()
    try:
        assert conn.execute("SELECT pg_size_bytes(current_setting('work_mem'))").fetchone()[0] >= 64 * 1024 * 1024
    finally:
        conn.close()
    more = pg_url + ("&" if "?" in pg_url else "?") + "options=-cwork_mem%3D256MB"
    if "options=" in pg_url:  # the fixture's own options (its schema): add to them
        more = pg_url.replace("options=", "options=-cwork_mem%3D256MB%20", 1)
    conn = PgStore(more).connect()
    try:
        assert conn.execute("SHOW work_mem").fetchone()[0] == "256MB"
    finally:
        conn.close()


def test_writers_on_their_own_clients_all_land_in_one_round_trip_each_and_every_app_agrees(pg_url):
    """Four apps write to their own clients at once (Japanese names, a note holding what the
    server puts a link in: '"prev":"' and tildes): no command is decided twice, the rows are
    gapless and chained, each stored line is the event as its app holds it, and every app's
    facts equal those of an app opened afresh."""
    from tui_followup.storage import snapshot

    clock = FixedClock(NOW)
    setup = Journal.open(pg_url, clock=clock, tz=TOKYO)
    names = ["青木 花子", "김 민준", "Baba", "佐藤 太郎"]
    for n, name in enumerate(names):
        setup.record(cmd.register_client, client_id=f"c{n}", name=name)
    apps = [Journal.open(pg_url, clock=clock, tz=TOKYO, actor=f"w{n}") for n in range(4)]
    tricky = '"prev":"' + "~" * 32 + '" 〜 \\ "'

    def write(n: int) -> None:
        for i in range(8):
            apps[n].record(cmd.add_note, f"c{n}", text=f"{tricky} {names[n]} {i}")

    at_once(write, 4, 60)
    reader = PgStore(pg_url)
    lines = list(reader.raw_lines())
    assert len(lines) == 4 + 32
    assert chain.verify(lines).problems == [] and reader.order_problems() == []
    assert sum(app.store.revalidated for app in apps) == 0
    assert [app.store.appended_by_client for app in apps] == [8] * 4  # none waited for the lock to decide
    for app in apps:
        app.refresh()
    fresh = Journal.open(pg_url, clock=clock, tz=TOKYO)
    whole = snapshot.dump(fresh.caseload, 0, 0, "", [])
    for app in apps:
        assert snapshot.dump(app.caseload, 0, 0, "", []) == whole
    written = [msgspec.json.decode(line) for line in lines[4:]]
    assert all(w["text"].startswith(tricky) for w in written)
    assert {w["text"].rsplit(" ", 1)[0].removeprefix(tricky + " ") for w in written} == set(names)


def test_an_event_appended_by_client_wakes_a_listener_with_its_position(pg_url):
    """The one round trip notifies as the other appends do: a colleague's open app hears it."""
    clock = FixedClock(NOW)
    setup = Journal.open(pg_url, clock=clock, tz=TOKYO)
    setup.record(cmd.register_client, client_id="c1", name="Aoki")
    woken: list[int] = []
    listener = PgStore(pg_url)
    stop = listener.wake_on_append(woken.append)
    try:
        writer = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
        # the listener connects in its thread: record until it has heard one (bounded)
        assert until(lambda: bool(writer.record(cmd.add_note, "c1", text="hello")) and bool(woken), 10)
        assert writer.store.appended_by_client >= 1
        assert until(lambda: woken[-1] == writer.store.offset, 5)
    finally:
        stop()


def test_a_writer_far_behind_reads_what_came_before_its_event_goes_in(pg_url):
    """More rows came since Sato's app last read than one round trip sends under the lock
    (BETWEEN_MAX): they are read first, outside it, then the note goes in by client; Sato's app
    holds every one of them, as an app opened afresh does."""
    from tui_followup.storage import pgstore, snapshot

    clock = FixedClock(NOW)
    setup = Journal.open(pg_url, clock=clock, tz=TOKYO)
    setup.record(cmd.register_client, client_id="c1", name="Aoki")
    sato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
    PgStore(pg_url).append([register(f"x{n}", f"Other {n}") for n in range(pgstore.BETWEEN_MAX + 20)])
    sato.record(cmd.add_note, "c1", text="after a long lunch")
    assert sato.store.revalidated == 1 and sato.store.appended_by_client == 1
    assert len(sato.caseload.clients) == pgstore.BETWEEN_MAX + 21
    fresh = Journal.open(pg_url, clock=clock, tz=TOKYO)
    assert snapshot.dump(sato.caseload, 0, 0, "", []) == snapshot.dump(fresh.caseload, 0, 0, "", [])
    assert chain.verify(list(fresh.store.raw_lines())).problems == []


def test_a_held_lock_is_said_after_one_wait_not_one_per_attempt(pg_url, monkeypatch):
    """psql holds the table lock; Sato records a note: he hears who holds it once the lock has
    been waited for (LOCK_WAIT_SECONDS), not after the append by client, its second try and the
    general path have each waited as long (three waits: 15 s with the default)."""
    import psycopg

    from tui_followup.storage import pgstore

    monkeypatch.setattr(pgstore, "LOCK_WAIT_SECONDS", 1)
    clock = FixedClock(NOW)
    Journal.open(pg_url, clock=clock, tz=TOKYO).record(cmd.register_client, client_id="c1", name="Aoki")
    sato = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
    with psycopg.connect(pg_url, autocommit=True, application_name="psql by hand") as holder:
        with holder.transaction():
            holder.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(StoreError) as held:
                sato.record(cmd.add_note, "c1", text="while it is held")
            waited = time.monotonic() - started
    assert held.value.key == "lock_held" and "psql by hand" in str(held.value)
    assert waited < 1.9, waited  # one wait of a second (and the question of who holds it)
    assert PgStore(pg_url).count() == 1
    sato.record(cmd.add_note, "c1", text="once it is free")  # and then it goes in
    assert PgStore(pg_url).count() == 2
