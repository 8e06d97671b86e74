"""The stores the contract tests run on: the JSONL file, and a PostgreSQL server (a throwaway
cluster started from the binaries on the machine, or ``$FOLLOWUP_TEST_PG``). Where neither
is possible the server tests are skipped with the reason, except under ``CI=true``, where that
is a failure."""

from __future__ import annotations

import os
import secrets

import pytest

from ..pgcluster import Cluster


def _no_server(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the PostgreSQL tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL URL for the whole session."""
    given = os.environ.get("FOLLOWUP_TEST_PG")
    if given:
        yield given
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_server("psycopg is not installed (pip install -e '.[test]')")
    try:
        cluster = Cluster.start()
    except RuntimeError as exc:
        _no_server(str(exc))
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty schema of the server for one test, initialised (as `followup store init`)."""
    import psycopg

    from tui_followup.storage.pgstore import PgStore

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in pg_server else "?"
    url = f"{pg_server}{joiner}options=-csearch_path%3D{schema}"
    store = PgStore(url)
    store.init()
    store.close()
    yield url
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["jsonl", "postgresql"])
def location(request, tmp_path):
    """Where a store is: a JSONL file, or a server URL (one suite, parametrised by store)."""
    if request.param == "jsonl":
        return tmp_path / "events.jsonl"
    return request.getfixturevalue("pg_url")


class FileInAnEditor:
    """What someone with the file in hand does to it, around the app."""

    def __init__(self, path) -> None:
        self.path = path

    def change_last_event(self, old: str, new: str | None) -> None:
        """Delete the last line (``new`` None), or change ``old`` to ``new`` in it."""
        lines = self.path.read_bytes().splitlines(keepends=True)
        lines[-1:] = [] if new is None else [lines[-1].replace(old.encode(), new.encode())]
        self.path.write_bytes(b"".join(lines))


class TableInPsql:
    """What someone with the table in hand (psql) does to it, around the app."""

    def __init__(self, url: str) -> None:
        self.url = url

    def change_last_event(self, old: str, new: str | None) -> None:
        """Delete the last row (``new`` None), or change ``old`` to ``new`` in its data."""
        import psycopg

        from tui_followup.storage.pgstore import TABLE

        last = f"(SELECT max(global_position) FROM {TABLE})"
        with psycopg.connect(self.url, autocommit=True) as conn:
            if new is None:
                conn.execute(f"DELETE FROM {TABLE} WHERE global_position = {last}")
            else:
                conn.execute(f"UPDATE {TABLE} SET data = replace(data, %s, %s) WHERE global_position = {last}",
                             (old, new))


@pytest.fixture
def by_hand(request, location):
    """The store of ``location`` as someone edits it outside the app (an editor, psql)."""
    return FileInAnEditor(location) if request.node.callspec.params["location"] == "jsonl" else TableInPsql(location)
