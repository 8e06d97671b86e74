"""The same events held by the `eventsourcing` library (SQLite), replayed into an equivalent
due-list projection: one aggregate per client, folded by the library, then our policy.

    python benchmarks/es_reference.py LOG DB
Prints the replay time (and builds DB from LOG first if it does not exist).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from tui_followup.core import events as ev
from tui_followup.core.caseload import ClientFacts, fold
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import follow_ups
from tui_followup.storage.logfile import LogStore
from tui_followup.wallclock import local_timezone


class ClientCase(Aggregate):
    """A client's case as an eventsourcing aggregate: it records every log event as one of
    its own, and keeps the same facts our caseload keeps."""

    @staticmethod
    def create_id(client: str) -> UUID:
        return uuid5(NAMESPACE_URL, client)

    @event("Opened")
    def __init__(self, client: str) -> None:
        self.client = client
        self.lines: list[str] = []

    @event("Happened")
    def happened(self, line: str) -> None:
        self.lines.append(line)


class Caseload(Application):
    pass


def persistence(db: str) -> dict[str, str]:
    """SQLite at the path ``db``, or the library's PostgreSQL recorder for a postgresql:// URL
    (``benchmarks/pg.py``), in a schema of its own."""
    if not db.startswith("postgresql://"):
        return dict(PERSISTENCE_MODULE="eventsourcing.sqlite", SQLITE_DBNAME=db)
    from urllib.parse import urlsplit

    url = urlsplit(db)
    return dict(PERSISTENCE_MODULE="eventsourcing.postgres", POSTGRES_DBNAME=url.path.lstrip("/"),
                POSTGRES_HOST=url.hostname or "127.0.0.1", POSTGRES_PORT=str(url.port or 5432),
                POSTGRES_USER=url.username or "postgres", POSTGRES_PASSWORD=url.password or "",
                POSTGRES_SCHEMA="es_reference", CREATE_TABLE="y")


def _clients_file(db: str) -> str:
    return db + ".clients" if not db.startswith("postgresql://") else os.environ.get("ES_CLIENTS", "es.clients")


def build(log: str, db: str) -> None:
    os.environ.update(persistence(db))
    app = Caseload()
    store = LogStore(log)
    batch = store.read_new()
    by_client: dict[str, list[ev.Event]] = {}
    for e in batch.events:
        by_client.setdefault(e.client, []).append(e)
    from tui_followup.core.codec import encode

    for client, events in by_client.items():
        case = ClientCase(client)
        for e in events:
            case.happened(encode(e).decode())
        app.save(case)
    with open(_clients_file(db), "w") as f:
        f.write("\n".join(by_client))


def replay(db: str) -> int:
    from tui_followup.core.codec import decode

    os.environ.update(persistence(db))
    app = Caseload()
    tz = local_timezone()
    with open(_clients_file(db)) as f:
        clients = f.read().split("\n")
    due = 0
    today = date.today()
    for client in clients:
        case = app.repository.get(ClientCase.create_id(client))
        facts = ClientFacts(client)
        events = [decode(line) for line in case.lines]
        retracted = {e.target for e in events if isinstance(e, ev.EventRetracted)}
        for e in events:
            if e.id not in retracted and not isinstance(e, ev.EventRetracted):
                fold(facts, e)
        due += sum(1 for i in follow_ups(facts, DEFAULT_POLICY, tz) if i.due <= today and i.shown_on(today))
    return due


if __name__ == "__main__":
    log, db = sys.argv[1], sys.argv[2]
    if "--build" in sys.argv or not (db.startswith("postgresql://") or os.path.exists(db)):
        t = time.perf_counter()
        build(log, db)
        print(f"# built {db} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    if "--build" in sys.argv:
        sys.exit(0)
    start = time.perf_counter()
    n = replay(db)
    print(f"{time.perf_counter() - start:.3f} {n}")
