"""The server store against the file, side by side in one run (numbers in benchmarks/README.md).

    .venv/bin/pip install -e '.[bench,postgres]'
    .venv/bin/python benchmarks/pg.py [--events 100000] [--skip-es]

Starts a throwaway PostgreSQL cluster (fsync on, as a real server; `tests/pgcluster.py`) or
uses $FOLLOWUP_TEST_PG, and measures:
- `followup store copy` of the demo log (JSONL → PostgreSQL), counts and chain verified;
- cold `due --json` from PostgreSQL against the JSONL cold path (no snapshot) and against the
  `eventsourcing` library's PostgreSQL recorder replaying the same events (best of 3; whole
  fresh processes);
- appends per second and p50/p99 latency with 1, 4 and 8 concurrent writer processes (each a
  Journal recording sessions through the command layer, as `followup record` does);
- the time from one process's append to another process seeing it (the app's path: NOTIFY,
  then the journal reads the new rows);
- the office (``--office-only`` for this alone): `due --json` from the file cold and warm against
  PostgreSQL cold (no snapshot row) and warm (its role's snapshot), for the supervisor (the
  whole office) and for a counselor of ``--counselor-clients`` clients handed over to them
  (``--mine``), with EXPLAIN ANALYZE of the counselor's first page.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import DATA, ENV, FOLLOWUP, PY, best, log_for, run_measured  # noqa: E402

from tests.pgcluster import Cluster  # noqa: E402


def schema_url(base: str, schema: str, init: bool = True) -> str:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    if init:
        from tui_followup.storage.pgstore import PgStore

        PgStore(url).init()
    return url


def _writer(location: str, n: int, appends: int, start_at: float, out) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    tz = ZoneInfo("Asia/Tokyo")
    journal = Journal.open(location, clock=FixedClock(datetime(2026, 11, 25, 9, tzinfo=tz)), tz=tz,
                           actor=f"w{n}", write_snapshot=False)
    client = f"bench-w{n}"
    if journal.client(client) is None:
        journal.record(cmd.register_client, client_id=client, name=f"Writer {n}")
    while time.time() < start_at:
        time.sleep(0.001)
    latencies = []
    for _ in range(appends):
        t = time.perf_counter()
        journal.record(cmd.add_note, client, text="benchmark note")
        latencies.append(time.perf_counter() - t)
    out.put(latencies)


def _busy() -> None:
    while True:
        pass


def appends(location: str, writers: int, each: int, load: int = 0) -> tuple[float, float, float]:
    """(appends per second, p50 ms, p99 ms) with ``writers`` processes appending ``each``, while
    ``load`` processes keep a core busy each (standing in for the test suite beside it)."""
    busy = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(load)]
    for p in busy:
        p.start()
    try:
        return _appends(location, writers, each)
    finally:
        for p in busy:
            p.kill()
            p.join()


def _appends(location: str, writers: int, each: int) -> tuple[float, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    start_at = time.time() + 1.5 + 0.3 * writers  # every writer opened before the clock starts
    procs = [multiprocessing.Process(target=_writer, args=(location, n, each, start_at, queue))
             for n in range(writers)]
    for p in procs:
        p.start()
    latencies = []
    for _ in procs:
        latencies += queue.get(timeout=600)
    end = time.time()
    for p in procs:
        p.join()
    latencies.sort()
    rate = len(latencies) / (end - start_at)
    return rate, latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000


def _seer(location: str, ready, out, count: int) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    tz = ZoneInfo("Asia/Tokyo")
    journal = Journal.open(location, clock=FixedClock(datetime(2026, 11, 25, 9, tzinfo=tz)), tz=tz,
                           write_snapshot=False)
    import threading

    woken = threading.Event()
    stop = journal.store.wake_on_append(lambda _p: woken.set())
    ready.set()
    seen = 0
    while seen < count:
        woken.wait(0.5)  # as the app: NOTIFY, or the poll half a second later
        woken.clear()
        for client in journal.refresh():
            if client.startswith("seen-"):
                out.put((client, time.time()))
                seen += 1
    stop()


def visibility(location: str, samples: int = 30) -> tuple[float, float]:
    """(p50 ms, max ms) from one process's acknowledged append to another process having it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    ready, queue = multiprocessing.Event(), multiprocessing.Queue()
    seer = multiprocessing.Process(target=_seer, args=(location, ready, queue, samples))
    seer.start()
    ready.wait(30)
    time.sleep(1.0)  # the listener connects
    tz = ZoneInfo("Asia/Tokyo")
    journal = Journal.open(location, clock=FixedClock(datetime(2026, 11, 25, 9, tzinfo=tz)), tz=tz,
                           write_snapshot=False)
    delays = []
    for n in range(samples):
        journal.record(cmd.register_client, client_id=f"seen-{n}-{os.getpid()}", name="S")
        done = time.time()
        _, seen_at = queue.get(timeout=30)
        delays.append((seen_at - done) * 1000)
        time.sleep(0.05)
    seer.join(30)
    delays.sort()
    return statistics.median(delays), delays[-1]


def _hand_over(url: str, counselor: str, clients: int) -> list[str]:
    """Grant a counselor and a supervisor role; hand ``clients`` of the demo's clients over to the
    counselor, recorded as any hand-over is (through the command layer, by the tables' owner)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal
    from tui_followup.storage.pgstore import PgStore

    store = PgStore(url)
    store.grant(counselor, "counselor")
    store.grant("office_supervisor", "supervisor")
    tz = ZoneInfo("Asia/Tokyo")
    journal = Journal.open(url, clock=FixedClock(datetime(2026, 11, 25, 9, tzinfo=tz)), tz=tz, actor="demo",
                           write_snapshot=False)
    mine = sorted(journal.caseload.clients)[:clients]
    for client in mine:
        journal.record(cmd.assign, client, to=counselor)
    return mine


def _wait_for(condition, seconds: float = 120.0) -> None:
    end = time.time() + seconds
    while not condition() and time.time() < end:
        time.sleep(0.2)


def office(base: str, log: Path, clients: int) -> None:
    """File cold/warm against PostgreSQL cold/warm, the supervisor (the whole office) and a
    counselor of ``clients`` clients, side by side; the counselor's first page explained."""
    import psycopg

    url = schema_url(base, "office")
    subprocess.run(FOLLOWUP + ["store", "copy", "--from", str(log), "--to", url], env=ENV, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    counselor = "office_counselor"
    queue: multiprocessing.Queue = multiprocessing.Queue()  # in a process of its own: a process forked
    hand = multiprocessing.Process(target=lambda: queue.put(_hand_over(url, counselor, clients)))  # from this one
    hand.start()  # starts with this one's peak memory counted as its own (Linux's maxrss): keep this one small
    mine = queue.get(timeout=1800)
    hand.join()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE followup_events")  # as autovacuum would have, long before
        events = conn.execute("SELECT count(*) FROM followup_events WHERE stream = ANY(%s)", (mine,)).fetchone()[0]
    as_role = {who: url.replace("://postgres@", f"://{who}@", 1) for who in (counselor, "office_supervisor")}
    file = DATA / "office.jsonl"
    shutil.copyfile(log, file)  # (not read into this process: its peak would be counted as theirs)
    snap = Path(str(file) + ".snapshot")

    def snapshot_rows(role: str) -> int:
        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM followup_snapshot WHERE role = %s", (role,)).fetchone()[0]

    def forget_snapshot(role: str):
        runs = []

        def drop() -> None:
            if runs:  # the last cold run's snapshot, written in the background: not while measuring
                _wait_for(lambda: snapshot_rows(role) > 0, 60)
            runs.append(1)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DELETE FROM followup_snapshot WHERE role = %s", (role,))
        return drop

    file_runs = []

    def forget_file_snapshot() -> None:
        if file_runs:  # (as forget_snapshot)
            _wait_for(snap.exists, 60)
        file_runs.append(1)
        snap.unlink(missing_ok=True)

    print(f"# the office: {clients} clients ({events:,} events) handed to {counselor}; the supervisor sees all")
    rows = []
    cmd = FOLLOWUP + ["--log", str(file), "due", "--json"]
    rows.append(("file, cold due --json", *best(cmd, 3, forget_file_snapshot)[:2]))
    run_measured(cmd)
    _wait_for(snap.exists)
    rows.append(("file, warm due --json", *best(cmd, 3)[:2]))
    for label, role, extra in (("supervisor, due --json", "office_supervisor", []),
                               (f"counselor ({clients} clients), due --json --mine", counselor, ["--mine"])):
        cmd = FOLLOWUP + ["--store", as_role[role], "due", "--json", *extra]
        rows.append((f"PostgreSQL {label}, cold", *best(cmd, 3, forget_snapshot(role))[:2]))
        run_measured(cmd)
        _wait_for(lambda: snapshot_rows(role) > 0)
        rows.append((f"PostgreSQL {label}, warm", *best(cmd, 3)[:2]))
    for name, wall, rss in rows:
        print(f"{name:58} {wall:8.2f} s   {rss:6.0f} MB")
    from tui_followup.storage.pgstore import PgStore

    store = PgStore(as_role[counselor])
    store._session_facts()
    with psycopg.connect(as_role[counselor]) as conn:
        print("# a counselor's first page, EXPLAIN ANALYZE:")
        for (line,) in conn.execute("EXPLAIN ANALYZE " + store._page_sql(), (0, 20_000)):
            print("    " + line)
    file.unlink(missing_ok=True)
    snap.unlink(missing_ok=True)
    Path(str(file) + ".head").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--each", type=int, default=200, help="appends per writer")
    parser.add_argument("--skip-es", action="store_true")
    parser.add_argument("--office-only", action="store_true",
                        help="only the office: file and PostgreSQL cold/warm, supervisor and counselor")
    parser.add_argument("--counselor-clients", type=int, default=200)
    parser.add_argument("--es-repeat", type=int, default=3, help="replays of the eventsourcing recorder (best of)")
    parser.add_argument("--load", type=int, default=2, help="busy processes beside the appends' second round")
    parser.add_argument("--skip-office", action="store_true")
    parser.add_argument("--appends-only", action="store_true", help="only the appends, idle and loaded")
    parser.add_argument("--no-file", action="store_true", help="appends to PostgreSQL only (not to a JSONL file too)")
    args = parser.parse_args()
    given = os.environ.get("FOLLOWUP_TEST_PG")
    cluster = None if given else Cluster.start(durable=True)
    base = given or cluster.url  # type: ignore[union-attr]
    try:
        log = log_for(args.events)
        if args.office_only:
            office(base, log, args.counselor_clients)
            return
        if args.appends_only:
            append_rounds(base, args)
            return
        url = schema_url(base, "bench")
        subprocess.run(FOLLOWUP + ["--store", url, "store", "init"], env=ENV, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"# {args.events:,} events, {log.stat().st_size / 1e6:.0f} MB log; PostgreSQL "
              f"{'(given)' if given else '15, a throwaway cluster, fsync on'}")
        wall, rss, out = best(FOLLOWUP + ["store", "copy", "--from", str(log), "--to", url], 1)
        print(f"store copy JSONL → PostgreSQL (verified)     {wall:8.2f} s   {rss:6.0f} MB")
        wall, rss, out = best(FOLLOWUP + ["store", "copy", "--from", str(log), "--to", url], 1)
        print(f"store copy again (adds nothing)              {wall:8.2f} s   {rss:6.0f} MB")
        cold_file = DATA / "pg-cold.jsonl"
        cold_file.write_bytes(log.read_bytes())

        def no_snapshot() -> None:
            for side in (".snapshot", ".head"):
                Path(str(cold_file) + side).unlink(missing_ok=True)

        rows = []
        for name, cmd in (("cold due --json, JSONL (no snapshot)", FOLLOWUP + ["--log", str(cold_file), "due", "--json"]),
                          ("cold due --json, PostgreSQL", FOLLOWUP + ["--store", url, "due", "--json"])):
            results = []
            for _ in range(3):
                no_snapshot()
                forget_snapshots(url)
                results.append(best(cmd, 1))
            wall, rss, _ = min(results)
            rows.append((name, wall, rss))
        cmd = FOLLOWUP + ["--store", url, "due", "--json"]
        run_measured(cmd)  # leaves the role's snapshot behind (in the background): then warm
        _wait_for(lambda: snapshot_count(url) > 0)
        rows.append(("warm due --json, PostgreSQL (its snapshot)", *best(cmd, 3)[:2]))
        if not args.skip_es:
            es_url = base
            schema_url(base, "es_reference", init=False)  # the library's tables, in a schema of their own
            env = dict(ENV, ES_CLIENTS=str(DATA / f"es-pg-{args.events}.clients"))
            wall, rss, _ = run_measured([PY, "benchmarks/es_reference.py", str(log), es_url, "--build"], env=env)
            rows.append(("eventsourcing PostgreSQL recorder: store", wall, rss))
            results = []
            for _ in range(args.es_repeat):
                results.append(run_measured([PY, "benchmarks/es_reference.py", str(log), es_url], env=env))
            wall, rss, _ = min(results)
            rows.append(("eventsourcing PostgreSQL recorder: replay to the due list", wall, rss))
        for name, wall, rss in rows:
            print(f"{name:58} {wall:8.2f} s   {rss:6.0f} MB")
        cold_file.unlink(missing_ok=True)
        no_snapshot()
        append_rounds(base, args)
        if not args.skip_office:
            office(base, log, args.counselor_clients)
    finally:
        if cluster is not None:
            cluster.stop()


def forget_snapshots(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM followup_snapshot")


def snapshot_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM followup_snapshot").fetchone()[0]


def append_rounds(base: str, args) -> None:
    """1, 4 and 8 writers into PostgreSQL and into a file, idle and with ``--load`` busy processes."""
    for load in (0, args.load):
        for kind, location in (("PostgreSQL", None), ("JSONL", str(DATA / "pg-appends.jsonl")))[:1 if args.no_file else 2]:
            for writers in (1, 4, 8):
                target = schema_url(base, f"appends{writers}") if kind == "PostgreSQL" else location
                if kind == "PostgreSQL":
                    subprocess.run(FOLLOWUP + ["--store", target, "store", "init"], env=ENV, cwd=ROOT, check=True,
                                   stdout=subprocess.DEVNULL)
                else:
                    for side in ("", ".head"):  # (a head left behind would refuse the new log)
                        Path(location + side).unlink(missing_ok=True)
                rate, p50, p99 = appends(target, writers, args.each, load)
                beside = f", {load} busy" if load else ", idle"
                print(f"appends, {kind:10} {writers} writer(s){beside:8}   {rate:8.0f} /s  p50 {p50:6.1f} ms"
                      f"  p99 {p99:6.1f} ms")
            if kind == "JSONL":
                for side in ("", ".head"):
                    Path(location + side).unlink(missing_ok=True)
    p50, worst = visibility(schema_url(base, "seen"))
    print(f"append → another process has it (NOTIFY)     p50 {p50:6.1f} ms  max {worst:6.1f} ms")


if __name__ == "__main__":
    main()
