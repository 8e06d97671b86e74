"""The owner's ``store copy`` pays no per-row check it does not need, and still leaves every table
the database keeps beside the events (who each client is assigned to, the head, the counselors'
snapshots a hand-over drops) exactly as appending the same events one at a time does; a
counselor still sees only their clients and still cannot insert a row followup would not write."""

from __future__ import annotations

import json
import secrets

import msgspec
import psycopg
import pytest

from tui_followup.core import chain
from tui_followup.core import events as ev
from tui_followup.core.chain import event_id_of
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.maintenance import forget
from tui_followup.storage.pgstore import COPY_MIN, PgStore
from tui_followup.storage.transfer import copy_store

from ..core.helpers import make as _make
from .test_backup import followup


def make(kind: type, when: str, client: str, actor: str, **fields):
    return msgspec.structs.replace(_make(kind, when, client, **fields), actor=actor)


def _schema(pg_server: str) -> str:
    """A second fresh store on the same server (the roles are the server's: both stores may
    grant the same counselors)."""
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{pg_server}{'&' if '?' in pg_server else '?'}options=-csearch_path%3D{schema}"
    PgStore(url).init()
    return url


def _grant(url: str, names: dict[str, str]) -> None:
    for key, role in (("a", "counselor"), ("b", "counselor"), ("s", "supervisor")):
        out = followup("--store", url, "store", "grant", names[key], "--role", role)
        assert out.returncode == 0, out.stderr


def _as(url: str, role: str) -> str:
    return url.replace("://postgres@", f"://{role}@", 1)


def _office_log(path, names: dict[str, str]) -> tuple[list, list]:
    """Two parts of one office's log (the first ends before the first hand-over): four clients
    registered by A and B, notes on each, hand-overs both ways, one client forgotten (its rows
    redacted, the marker after them) and a client registered again under an id already
    registered (the first registration keeps the assignment)."""
    a, b, s = names["a"], names["b"], names["s"]
    clients = {"c1": a, "c2": a, "c3": b, "c4": b}
    first = []
    for client, actor in clients.items():
        first.append(make(ev.ClientRegistered, "2026-10-01", client, actor=actor, name=f"Name {client}"))
        for n in range(12):
            first.append(make(ev.NoteAdded, "2026-10-02", client, actor=actor, text=f"note {n}"))
    second = [make(ev.ClientAssigned, "2026-10-03", "c1", actor=a, to=b, reason="moving"),
              make(ev.ClientAssigned, "2026-10-03", "c3", actor=b, to=a, reason="swap"),
              make(ev.ClientRegistered, "2026-10-03", "c2", actor=b, name="again"),
              make(ev.ClientAssigned, "2026-10-04", "c3", actor=a, to=s, reason="to the supervisor"),
              make(ev.ClientAssigned, "2026-10-05", "c3", actor=s, to=a, reason="back")]
    for client in clients:
        second += [make(ev.NoteAdded, "2026-10-06", client, actor=a, text=f"later {n}") for n in range(10)]
    store = LogStore(path)
    store.append(first + second)
    forget(Journal.open(path, use_snapshot=False), "c4")
    events = LogStore(path).read_new().events
    assert any(e.client.startswith("forgotten-") for e in events)
    return events[:len(first)], events[len(first):]


def _kept(url: str) -> dict[str, list]:
    """Every table the triggers keep, and the events, as the tables' owner reads them."""
    with psycopg.connect(url) as conn:
        return {
            "events": conn.execute("SELECT * FROM followup_events ORDER BY global_position").fetchall(),
            "head": conn.execute("SELECT * FROM followup_head").fetchall(),
            "assignment": conn.execute("SELECT * FROM followup_assignment ORDER BY stream").fetchall(),
            "snapshots": conn.execute("SELECT role, position FROM followup_snapshot ORDER BY role").fetchall(),
        }


def _snapshot_rows(url: str, names: dict[str, str]) -> None:
    """A snapshot row for counselor A and for the supervisor (what their starts leave behind)."""
    with psycopg.connect(url) as conn:
        for role in (names["a"], names["s"]):
            conn.execute("INSERT INTO followup_snapshot (role, position, last, code, digest, data)"
                         " VALUES (%s, 1, '', 'x', 'x', ''::bytea)", (role,))


@pytest.mark.parametrize("chunk", [COPY_MIN * 2, COPY_MIN // 4], ids=["in COPY buffers", "in INSERTs"])
def test_a_copy_keeps_every_table_the_triggers_keep_as_appends_one_at_a_time_do(pg_server, pg_url, tmp_path, chunk):
    tag = secrets.token_hex(4)
    names = {"a": f"ca_{tag}", "b": f"cb_{tag}", "s": f"sv_{tag}"}
    copied, one_by_one = pg_url, _schema(pg_server)
    for url in (copied, one_by_one):
        _grant(url, names)
    log = tmp_path / "events.jsonl"
    first, second = _office_log(log, names)
    part = tmp_path / "first.jsonl"
    LogStore(part).append(first)

    assert copy_store(part, copied, chunk=chunk).ok
    appender = PgStore(one_by_one)
    for event in first:
        appender.append([event])
    for url in (copied, one_by_one):
        _snapshot_rows(url, names)
    result = copy_store(log, copied, chunk=chunk)  # the rest: hand-overs, the forget, more notes
    assert result.ok and result.copied == len(second)
    for event in second:
        appender.append([event])

    assert _kept(copied) == _kept(one_by_one)
    kept = _kept(copied)
    forgotten = next(e.client for e in second if e.client.startswith("forgotten-"))
    assert dict(kept["assignment"]) == {"c1": names["b"], "c2": names["a"], "c3": names["a"],
                                        forgotten: names["b"]}
    assert kept["head"][0][1] == len(first) + len(second)
    assert kept["snapshots"] == [(names["s"], 1)]  # the counselor's was dropped by the hand-over
    assert followup("--store", copied, "check").returncode == 0
    with psycopg.connect(_as(copied, names["a"])) as conn:  # A sees their clients alone
        assert {r[0] for r in conn.execute("SELECT stream FROM followup_events")} == {"c2", "c3"}
    with psycopg.connect(_as(copied, names["b"])) as conn:
        assert {r[0] for r in conn.execute("SELECT stream FROM followup_events")} == {"c1", forgotten}


def _function_calls(conn, name: str) -> int:
    row = conn.execute("SELECT calls FROM pg_stat_user_functions WHERE funcname = %s"
                       " AND schemaname = current_schema()", (name,)).fetchone()
    return row[0] if row else 0


def test_the_owners_copy_calls_no_row_check_and_a_counselors_insert_is_still_checked(pg_url):
    counted = pg_url + "%20-ctrack_functions%3Dpl"  # (the owner of the test cluster is a superuser)
    tag = secrets.token_hex(4)
    names = {"a": f"ca_{tag}", "b": f"cb_{tag}", "s": f"sv_{tag}"}
    _grant(pg_url, names)
    events = [make(ev.ClientRegistered, "2026-10-01", "c1", actor=names["a"], name="Aoki")]
    events += [make(ev.NoteAdded, "2026-10-02", "c1", actor=names["a"], text=f"n {n}") for n in range(COPY_MIN * 2)]
    store = PgStore(counted)
    assert len(store.append(events)) == len(events)  # one COPY, as store copy's chunks go
    store.conn.execute("SELECT pg_stat_force_next_flush()")  # (this session's counts, flushed when idle)
    for check in ("followup_row_says", "followup_row_text"):
        assert _function_calls(store.conn, check) == 0, check
    assert store.conn.execute("SELECT position FROM followup_head").fetchone()[0] == len(events)

    with psycopg.connect(_as(pg_url, names["a"])) as conn:  # A's psql: the checks still run for them
        conn.execute("SELECT followup_lock()")
        position, prev = conn.execute("SELECT next_position, next_prev FROM followup_next()").fetchone()
        row = {"type": "note_added", "id": "by-hand", "at": "2026-10-03T09:00:00+09:00",
               "recorded_at": "2026-10-03T09:00:00+09:00", "actor": names["a"], "client": "c1", "v": 1,
               "prev": prev, "text": "spaced"}
        with pytest.raises(psycopg.errors.CheckViolation, match="as followup writes it"):
            conn.execute("INSERT INTO followup_events VALUES (%s, 'c1', %s, 'by-hand', 'note_added', %s)",
                         (position, len(events) + 1,
                          json.dumps(row, separators=(",", ":")).replace('"text":', '"text": ')))


def _tampered(url: str, how: str) -> None:
    """What someone with the tables' owner's psql does to the rows behind followup's back."""
    with psycopg.connect(url) as conn:
        if how == "a row edited":
            conn.execute("UPDATE followup_events SET data = replace(data, 'note', 'NOTE') WHERE global_position = 28")
        elif how == "a row deleted":
            conn.execute("DELETE FROM followup_events WHERE global_position = 20")
        elif how == "the last rows deleted":
            conn.execute("DELETE FROM followup_events WHERE global_position > 90")
        elif how == "a prev removed":
            conn.execute("UPDATE followup_events SET data = regexp_replace(data, ',\"prev\":\"[0-9a-f]*\"', '')"
                         " WHERE global_position = 30")
        elif how == "a redaction edited":
            conn.execute("UPDATE followup_events SET data = replace(data, '\"text\":\"\"', '\"text\":\"still here\"')"
                         " WHERE stream LIKE 'forgotten-%' AND type = 'note_added'")
        elif how == "a redacted digest changed":
            conn.execute("UPDATE followup_events SET data = regexp_replace(data, '\"redacted\":\"[0-9a-f]{4}',"
                         " '\"redacted\":\"zzzz') WHERE global_position = (SELECT min(global_position)"
                         " FROM followup_events WHERE stream LIKE 'forgotten-%')")
        elif how == "the head moved":
            conn.execute("UPDATE followup_head SET last = 'x'")


@pytest.mark.parametrize("how", ["as copied", "a row edited", "a row deleted", "the last rows deleted", "a prev removed",
                                 "a redaction edited", "a redacted digest changed", "the head moved"])
def test_the_servers_chain_check_finds_what_reading_every_row_finds(pg_url, tmp_path, how):
    names = {"a": "ca", "b": "cb", "s": "sv"}
    log = tmp_path / "events.jsonl"
    _office_log(log, names)
    assert copy_store(log, pg_url).ok
    forget(Journal.open(pg_url, use_snapshot=False), "c1")  # (rows redacted in place, as a server forgets)
    _tampered(pg_url, how)
    store = PgStore(pg_url)
    ids, problems = store.verify_chain()
    expected = chain.verify(list(store.raw_lines()), store.read_head()).problems
    assert problems == expected
    assert bool(expected) == (how != "as copied")
    assert ids == [event_id_of(line) for line in store.raw_lines()]


def test_other_content_under_an_id_there_refuses_a_copy_sized_append_midway_writing_nothing(pg_url):
    from tui_followup.core.commands import CommandError

    store = PgStore(pg_url)
    first = make(ev.ClientRegistered, "2026-10-01", "c1", actor="t", name="Aoki")
    store.append([first])
    notes = [make(ev.NoteAdded, "2026-10-02", "c1", actor="t", text=f"n {n}") for n in range(COPY_MIN * 40)]
    other = msgspec.structs.replace(first, name="Someone else")  # in the middle, past the first COPY buffers
    writer = PgStore(pg_url)
    writer.read_new()
    with pytest.raises(CommandError) as refused:
        writer.append(notes[:COPY_MIN * 35] + [other] + notes[COPY_MIN * 35:], absent_to=0)
    assert refused.value.key == "id_conflict"
    assert PgStore(pg_url).count() == 1 and PgStore(pg_url).read_head().lines == 1
    assert len(writer.append(notes)) == len(notes)  # the same session writes on
    assert followup("--store", pg_url, "check").returncode == 0


def test_a_copy_leaves_the_planner_knowing_the_table_it_filled(pg_url, tmp_path):
    """A table just filled by ``store copy`` had no statistics until autovacuum came by: the
    planner read a million rows 1.5× slower meanwhile (benchmarks/README.md). The copy tells it;
    a counselor, not the table's owner, may not, and is told nothing went wrong."""
    names = {"a": "ca", "b": "cb", "s": "sv"}
    log = tmp_path / "events.jsonl"
    first, second = _office_log(log, names)
    result = copy_store(log, pg_url)
    assert result.ok and result.copied == len(first) + len(second)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tuples, = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'followup_events'::regclass").fetchone()
        sampled, = conn.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'followup_events'").fetchone()
    assert tuples == result.copied and sampled > 0
    _grant(pg_url, names)
    assert PgStore(_as(pg_url, "ca")).vacuum() is False and PgStore(pg_url).vacuum() is True
