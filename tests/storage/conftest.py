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
