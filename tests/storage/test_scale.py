"""An office at scale (issue 27) on PostgreSQL: a counselor's start reads only their caseload's
rows; a snapshot per role in the database, used only when it still matches and holding only
what that role may see; a big store is folded into facts, its events not kept."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.demo import generate
from tui_followup.storage.journal import Journal
from tui_followup.storage.pgstore import PgStore

from .test_backup import followup

TZ = ZoneInfo("Asia/Tokyo")
CLOCK = FixedClock(datetime(2026, 11, 25, 9, tzinfo=TZ))


def open_journal(url: str, **kw) -> Journal:
    return Journal.open(url, clock=CLOCK, tz=TZ, **kw)


@pytest.fixture
def office(pg_url):
    """A demo office of 40 clients (about 2,000 events) kept by the owner, a counselor A to whom
    4 of them were handed over, a supervisor S; their URLs and A's clients."""
    tag = secrets.token_hex(4)
    names = {"a": f"ca_{tag}", "b": f"cb_{tag}", "s": f"sv_{tag}"}
    store = PgStore(pg_url)
    store.grant(names["a"], "counselor")
    store.grant(names["b"], "counselor")
    store.grant(names["s"], "supervisor")
    store.append(generate(date(2026, 11, 25), TZ, clients=40, events=2000, actor="demo"))
    owner = open_journal(pg_url, actor="demo", write_snapshot=False)
    mine = sorted(owner.caseload.clients)[:4]
    for client in mine:
        owner.record(cmd.assign, client, to=names["a"])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ANALYZE followup_events")  # as autovacuum would have, long before
    urls = {key: pg_url.replace("://postgres@", f"://{name}@", 1) for key, name in names.items()}
    return dict(urls, owner=pg_url, names=names, mine=mine)


class Recording:
    """A connection that keeps every statement it was given (to explain them afterwards)."""

    def __init__(self, conn, seen: list | None = None) -> None:
        self.conn, self.seen = conn, ([] if seen is None else seen)

    def execute(self, query, params=None, **kw):
        self.seen.append((query, params))
        return self.conn.execute(query, params, **kw)

    def cursor(self, *args, **kw):
        return Recording(self.conn.cursor(*args, **kw), self.seen)

    def __getattr__(self, name):
        return getattr(self.conn, name)


def test_a_counselors_start_reads_their_clients_rows_not_the_offices(office):
    store = PgStore(office["a"])
    store._conn = Recording(store.connect())
    batch = store.read_new()
    assert {e.client for e in batch.events} == set(office["mine"])
    own_rows = len(batch.events)
    reads = [(q, p) for q, p in store._conn.seen if "data" in str(q) and "followup_events" in str(q)]
    assert reads
    with psycopg.connect(office["a"]) as conn:
        for query, params in reads:
            plan = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}", params).fetchone()[0][0]["Plan"]
            scanned = list(_scans(plan))
            # every row the server looked at was one of the counselor's (none filtered away)
            assert sum(n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Index Recheck", 0)
                       for n in scanned) == 0, json.dumps(plan)[:2000]
            assert sum(n["Actual Rows"] for n in scanned) <= own_rows


def _scans(plan):
    """The plan's nodes that read followup_events."""
    if plan.get("Relation Name") == "followup_events":
        yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def test_a_counselors_due_mine_is_their_caseload(office):
    out = followup("--store", office["a"], "due", "--json", "--mine", "--days", "400")
    assert out.returncode == 0, out.stderr
    assert {row["client"] for row in json.loads(out.stdout)} <= set(office["mine"])


# -- every way of opening a server store gives the same facts ---------------------------------

from dataclasses import replace  # noqa: E402

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tui_followup.core.caseload import project  # noqa: E402
from tui_followup.core.plans import DEFAULT_POLICY  # noqa: E402
from tests.core.helpers import due_list  # noqa: E402
from tui_followup.storage import pgstore  # noqa: E402
from tui_followup.storage import sizes as sizes_module  # noqa: E402

from ..core.helpers import TOKYO  # noqa: E402
from ..core.strategies import AS_OF_DAYS, event_logs, fingerprint  # noqa: E402

HYPO_CLOCK = FixedClock(datetime(2027, 3, 1, 12, tzinfo=TOKYO))


# Snapshots written after every open, a store of any size folded into facts only (``opened``).
EVERY_WAY = replace(sizes_module.DEFAULT_SIZES, snapshot_min_events=0, snapshot_stale_events=1,
                    server_facts_only_min_rows=0, server_parallel_min_rows=1 << 40)
IN_TWO = replace(EVERY_WAY, server_parallel_min_rows=0)  # the rows after the middle folded by a worker


@pytest.fixture
def every_way(monkeypatch):
    """Pages of 7 rows, so that every fold crosses pages."""
    monkeypatch.setattr(pgstore, "READ_ROWS", 7)


def fresh_schema(server: str) -> str:
    schema = f"h_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    with_store(url, PgStore.init)
    return url


def with_store(url: str, work, *args):
    store = PgStore(url)
    try:
        return work(store, *args)
    finally:
        store.close()


def opened(url: str, **kw) -> Journal:
    journal = Journal.open(url, clock=HYPO_CLOCK, tz=TOKYO, **{"sizes": EVERY_WAY, **kw})
    journal.store.close()  # (it connects again when asked: a client's events read back)
    return journal


def same_as_replay(journal: Journal, log) -> None:
    expected = project(log)
    assert fingerprint(journal.caseload) == fingerprint(expected)
    for day in AS_OF_DAYS:
        assert journal.board.due(day, 7) == due_list(expected, day, DEFAULT_POLICY, TOKYO, 7)
    journal.store.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_logs(), st.integers(0, 40), st.sampled_from([EVERY_WAY, IN_TWO]))
def test_a_server_store_folded_into_facts_or_from_its_snapshot_equals_a_full_replay(pg_server, every_way, log, cut,
                                                                                   sizes):
    from tui_followup.core.codec import encode

    assume(not any(b"\\u0000" in encode(e) for e in log))  # (PostgreSQL's jsonb, read by the assignment trigger, has no NUL)
    url = fresh_schema(pg_server)
    try:
        cut = min(cut, len(log))
        with_store(url, PgStore.append, log[:cut])
        cold = opened(url, sizes=sizes)  # folded into facts (on one core or two), its snapshot written
        same_as_replay(cold, log[:cut])
        with_store(url, PgStore.append, log[cut:])
        warm = opened(url, write_snapshot=False)
        if cold.store.offset and not any(type(e).__name__ == "ClientForgotten" for e in log[cut:]):
            assert warm.snapshot_count == cold.caseload.count  # it started from the snapshot (an erasure: read again)
        same_as_replay(warm, log)
        expected = project(log)
        for client in {e.client for e in log}:  # read back per client, as after a snapshot
            assert [e.id for e in warm.caseload.events_of(client)] == [e.id for e in expected.events_of(client)]
        warm.store.close()
        same_as_replay(opened(url, use_snapshot=False), log)  # events kept, as before
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {url.rsplit('%3D', 1)[1]} CASCADE")


# -- the snapshot in the database: used only when it matches, each role's own ----------------


def cold_facts(url: str):
    journal = opened(url, use_snapshot=False)
    return fingerprint(journal.caseload, who_recorded=False)


def started_from_snapshot(url: str) -> Journal:
    return opened(url, write_snapshot=False)


def owner_does(url: str, sql: str, *params) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql, params or None)


@pytest.mark.parametrize("tamper", [
    "UPDATE followup_snapshot SET data = overlay(data placing '\\x20'::bytea from 40 for 1)",  # its payload
    "UPDATE followup_snapshot SET code = 'other code'",  # written by another version
    "UPDATE followup_events SET data = replace(data, '\"actor\":\"demo\"', '\"actor\":\"edited\"')"
    " WHERE global_position = (SELECT position FROM followup_snapshot LIMIT 1)",  # the row it reaches
    "UPDATE followup_snapshot SET position = position - 1",  # keyed to another row
])
def test_a_snapshot_that_does_not_match_is_ignored_and_the_facts_are_a_cold_reads(office, tamper):
    url = office["s"]
    first = opened(url)  # writes the supervisor's snapshot
    assert first.snapshot_count == first.caseload.count
    assert started_from_snapshot(url).snapshot_count == first.caseload.count  # (it is used while it matches)
    owner_does(office["owner"], tamper)
    again = started_from_snapshot(url)
    assert again.snapshot_count == 0  # not trusted: read from the first row
    assert fingerprint(again.caseload, who_recorded=False) == cold_facts(url)


def test_a_cold_read_in_two_gives_the_facts_of_a_read_in_one_and_goes_on_after_the_last_row(office):
    for url in (office["s"], office["a"]):  # the whole office, and a counselor's rows (positions with gaps)
        in_two = opened(url, sizes=IN_TWO, write_snapshot=False)
        assert in_two.snapshot_count == 0 and in_two.caseload.count > 0
        assert fingerprint(in_two.caseload, who_recorded=False) == cold_facts(url)
        assert in_two.store.offset == opened(url, use_snapshot=False).store.offset  # nothing read twice or left


def test_a_cold_read_in_two_reports_its_progress_up_to_the_end(office, monkeypatch):
    monkeypatch.setattr(pgstore, "READ_ROWS", 100)
    seen: list = []
    opened(office["s"], sizes=IN_TWO, write_snapshot=False, on_progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen]
    assert len(seen) > 3 and done == sorted(done) and seen[-1][0] == seen[-1][1]
    assert seen[len(seen) // 2][0] > seen[-1][1] // 3  # (half way through this process's half: not a third)


def test_a_worker_that_fails_leaves_the_read_to_this_process(office, monkeypatch):
    monkeypatch.setattr(PgStore, "_rest_worker", lambda *a: 1)  # (in the forked worker: it stops at once)
    url = office["s"]
    journal = opened(url, sizes=IN_TWO, write_snapshot=False)
    assert fingerprint(journal.caseload, who_recorded=False) == cold_facts(url)


def test_rows_appended_after_the_snapshot_are_read_on_from_it(office):
    url = office["s"]
    first = opened(url)
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    client = sorted(owner.caseload.clients)[-1]
    owner.record(cmd.add_note, client, text="after the snapshot")
    warm = started_from_snapshot(url)
    assert warm.snapshot_count == first.caseload.count and warm.caseload.count == first.caseload.count + 1
    assert fingerprint(warm.caseload, who_recorded=False) == cold_facts(url)


# -- the header read at a start, a client's lists when asked for; each part checked -----------


def test_a_warm_start_reads_the_header_alone_and_a_clients_lists_when_asked_for(office):
    url = office["s"]
    first = opened(url)
    warm = started_from_snapshot(url)
    assert warm.snapshot_count == first.caseload.count
    asked: list = []
    fetch = warm.store.snapshot_lists
    warm.store.snapshot_lists = lambda *a: asked.append(a[1:]) or fetch(*a)
    warm.board.due(date(2026, 11, 25), 7)  # what `due --json` shows
    assert asked == []  # no client's lists read
    client = sorted(warm.caseload.clients)[5]
    assert warm.caseload.get(client).sessions == first.caseload.get(client).sessions
    assert len(asked) == 1 and asked[0][0] is not None  # that client's part alone
    assert fingerprint(warm.caseload, who_recorded=False) == cold_facts(url)  # every client's (the audit)
    assert (None, None) in asked and len(asked) <= 10  # the rest read at once, not one query each


@pytest.mark.parametrize("tamper", [
    # the dates in the lists moved (the same length: still JSON), or one byte changed
    "UPDATE followup_snapshot SET lists = convert_to(replace(convert_from(lists, 'UTF8'), '2026-', '2024-'), 'UTF8')",
    "UPDATE followup_snapshot SET lists = overlay(lists placing '\\x20'::bytea from 30 for 1)",
])
def test_a_tampered_lists_part_is_not_trusted_its_client_is_folded_from_its_rows(office, tamper):
    url = office["s"]
    opened(url)
    owner_does(office["owner"], tamper)
    warm = started_from_snapshot(url)
    assert warm.snapshot_count == warm.caseload.count  # the header still matches: a warm start
    client = sorted(warm.caseload.clients)[0]
    assert warm.caseload.get(client).sessions == opened(url, use_snapshot=False).caseload.get(client).sessions
    assert fingerprint(warm.caseload, who_recorded=False) == cold_facts(url)


def test_a_snapshot_saved_again_from_one_not_read_keeps_every_clients_lists(office):
    """Saved again by a journal that started from the snapshot (its lists still in the database,
    one client's decoded and changed): a start from the new one has the facts of the rows."""
    url = office["s"]
    opened(url)
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    warm = started_from_snapshot(url)
    client = next(c for c in sorted(warm.caseload.clients) if warm.caseload.get(c).state == "active")
    owner.record(cmd.hold_session, client, minutes=30)
    warm.refresh()
    assert warm.save_snapshot() is True
    again = started_from_snapshot(url)
    assert again.snapshot_count == again.caseload.count == warm.caseload.count
    assert fingerprint(again.caseload, who_recorded=False) == cold_facts(url)


def test_lists_cut_short_make_the_snapshot_ignored(office):
    url = office["s"]
    opened(url)
    owner_does(office["owner"], "UPDATE followup_snapshot SET lists = substring(lists from 1 for octet_length(lists) - 1)")
    again = started_from_snapshot(url)
    assert again.snapshot_count == 0
    assert fingerprint(again.caseload, who_recorded=False) == cold_facts(url)


def test_an_old_header_with_newer_lists_gives_the_facts_of_the_rows(office):
    """A header and its digest put back from an earlier save, beside the lists of a later one:
    the parts that do not match their header's checks are folded from the rows."""
    url = office["s"]
    opened(url)
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        old = conn.execute("SELECT position, last, digest, data FROM followup_snapshot").fetchone()
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    held = 0
    for client in sorted(owner.caseload.clients):
        try:
            owner.record(cmd.hold_session, client, minutes=30)
            held += 1
        except cmd.CommandError:
            continue  # (a closed client's)
    assert held
    assert opened(url).snapshot_count > 0  # saved again, the sessions in its lists
    owner_does(office["owner"], "UPDATE followup_snapshot SET position = %s, last = %s, digest = %s, data = %s", *old)
    warm = started_from_snapshot(url)
    assert fingerprint(warm.caseload, who_recorded=False) == cold_facts(url)


def _payload_of(owner_url: str, role: str) -> bytes:
    """The snapshot's header, then its lists after a newline."""
    with psycopg.connect(owner_url) as conn:
        row = conn.execute("SELECT data, lists FROM followup_snapshot WHERE role = %s", (role,)).fetchone()
    return bytes(row[0]) + b"\n" + bytes(row[1]) if row else b""


def test_each_role_has_its_own_snapshot_and_a_counselors_holds_only_their_clients(office):
    opened(office["a"])
    supervisor = opened(office["s"])
    from tui_followup.storage import snapshot

    mine = snapshot.load_header(_payload_of(office["owner"], office["names"]["a"]).split(b"\n")[0])
    assert {c.id for c in mine.clients} == set(office["mine"])
    everyone = snapshot.load_header(_payload_of(office["owner"], office["names"]["s"]).split(b"\n")[0])
    assert len(everyone.clients) == 40
    names = {c.id: supervisor.caseload.clients[c.id].name for c in everyone.clients}
    others = {names[c.id] for c in everyone.clients if c.id not in office["mine"]} - \
        {names[c] for c in office["mine"]}
    raw = _payload_of(office["owner"], office["names"]["a"])
    assert others and not any(name.encode() in raw for name in others)  # nothing of anyone else's
    with psycopg.connect(office["a"]) as conn:  # psql as A: the supervisor's is not there
        assert [r[0] for r in conn.execute("SELECT role FROM followup_snapshot")] == [office["names"]["a"]]


def test_a_hand_over_away_or_to_the_counselor_makes_their_snapshot_be_rebuilt(office):
    a = office["a"]
    opened(a)
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    gone, given = office["mine"][0], sorted(set(owner.caseload.clients) - set(office["mine"]))[0]
    owner.record(cmd.assign, gone, to=office["names"]["b"])
    after = started_from_snapshot(a)
    assert after.snapshot_count == 0 and gone not in after.caseload.clients
    opened(a)
    owner.record(cmd.assign, given, to=office["names"]["a"])
    after = started_from_snapshot(a)
    assert given in after.caseload.clients and after.caseload.events_of(given)
    assert fingerprint(after.caseload, who_recorded=False) == cold_facts(a)


def test_after_a_hand_over_away_no_snapshot_row_the_counselor_can_read_holds_the_client(office):
    """Need-to-know holds for the snapshot too: the counselor's own snapshot row held the
    client's facts (name included); a hand-over deletes it in the same transaction, so their
    psql finds nothing of the client any more (before their next start rebuilds it)."""
    a = office["a"]
    opened(a)
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    gone = office["mine"][0]
    name = owner.caseload.get(gone).name
    with psycopg.connect(a) as conn:
        rows = conn.execute("SELECT data || lists FROM followup_snapshot").fetchall()
        assert rows and any(name.encode() in bytes(r[0]) for r in rows)  # it was there, theirs to read
    owner.record(cmd.assign, gone, to=office["names"]["b"])
    with psycopg.connect(a) as conn:
        rows = conn.execute("SELECT data || lists FROM followup_snapshot").fetchall()
        assert not any(name.encode() in bytes(r[0]) for r in rows)


def test_a_supervisors_forget_deletes_every_snapshot(office):
    opened(office["a"])
    opened(office["s"])
    out = followup("--store", office["s"], "forget", office["mine"][0], "--yes")
    assert out.returncode == 0, out.stderr
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM followup_snapshot").fetchone()[0] == 0


def test_a_supervisor_made_a_counselor_keeps_no_snapshot_of_every_client(office):
    """The third attack (N1): a demotion by `store grant` left the supervisor's snapshot row,
    every client's name in it, readable by the new counselor."""
    opened(office["s"])
    with psycopg.connect(office["s"]) as conn:
        assert conn.execute("SELECT count(*) FROM followup_snapshot").fetchone()[0] == 1
    PgStore(office["owner"]).grant(office["names"]["s"], "counselor")
    with psycopg.connect(office["s"]) as conn:
        assert conn.execute("SELECT count(*) FROM followup_snapshot").fetchone()[0] == 0


def test_a_snapshot_read_before_a_hand_over_is_not_saved_after_it(office):
    """N2: the counselor's app read their caseload, the supervisor handed a client over, then the
    app saved what it had read: the database refuses a snapshot naming a client not theirs."""
    a = opened(office["a"], write_snapshot=False)
    gone = office["mine"][0]
    name = a.caseload.get(gone).name
    owner = opened(office["owner"], actor="demo", write_snapshot=False)
    owner.record(cmd.assign, gone, to=office["names"]["b"])
    assert a.save_snapshot() is False
    with psycopg.connect(office["a"]) as conn:
        rows = conn.execute("SELECT data || lists FROM followup_snapshot").fetchall()
    assert not any(name.encode() in bytes(r[0]) for r in rows)


def test_a_counselor_can_neither_lock_nor_write_the_snapshot_table_by_hand(office):
    """N3 and N5: with INSERT/UPDATE/DELETE a counselor's psql locked the table against every
    hand-over and erasure, and wrote a row for the whole counselors' group; now a snapshot is
    written only through followup_save_snapshot(), for the caller's own role."""
    opened(office["a"])
    with psycopg.connect(office["a"], autocommit=True) as conn:
        for sql in ("LOCK TABLE followup_snapshot IN ACCESS EXCLUSIVE MODE",
                    "INSERT INTO followup_snapshot (role, position, last, code, digest, data)"
                    " VALUES ('followup_counselor', 1, '', '', '', '\\x00')",
                    "UPDATE followup_snapshot SET data = '\\x00'",
                    "DELETE FROM followup_snapshot"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM followup_snapshot").fetchone()[0] == 1  # their own, kept
