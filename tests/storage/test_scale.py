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
    names = {"a": f"ca_{tag}", "s": f"sv_{tag}"}
    store = PgStore(pg_url)
    store.grant(names["a"], "counselor")
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

    def __init__(self, conn) -> None:
        self.conn, self.seen = conn, []

    def execute(self, query, params=None):
        self.seen.append((query, params))
        return self.conn.execute(query, params)

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
