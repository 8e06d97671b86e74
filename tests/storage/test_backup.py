"""`followup backup` and `followup restore` on both stores, and the restore drill: back up,
erase a client, restore into a fresh store, check — the erased client comes back from an old
backup unless the erasures are re-applied (--erasures-from), and restore says so."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tui_followup.storage.store import open_store

from .test_erasure import SECRET, seed, stored_text


def followup(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml")
    for name in ("FOLLOWUP_STORE", "FOLLOWUP_LOG", "FOLLOWUP_ACTOR"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def where(location) -> list[str]:
    return ["--log", str(location)] if isinstance(location, Path) else ["--store", location]


@pytest.fixture
def fresh_pg(pg_server):
    """A second empty schema (the restore's fresh store), initialised."""
    import psycopg

    from tui_followup.storage.pgstore import PgStore

    schema = f"r_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{pg_server}{'&' if '?' in pg_server else '?'}options=-csearch_path%3D{schema}"
    PgStore(url).init()
    yield url
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_backup_is_an_owner_only_copy_of_every_line_with_its_chain(location, tmp_path):
    seed(location)
    target = tmp_path / "backups" / "monday.jsonl"
    target.parent.mkdir()
    out = followup(*where(location), "backup", "--to", str(target))
    assert out.returncode == 0, out.stderr
    assert "4 events" in out.stdout and "verified" in out.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().split(b"\n")[:-1] == list(open_store(location).raw_lines())
    assert followup("--log", str(target), "check").returncode == 0


def test_a_backup_never_writes_over_a_file_or_through_a_link(tmp_path):
    log = tmp_path / "events.jsonl"
    seed(log)
    existing = tmp_path / "old.jsonl"
    existing.write_text("keep me\n")
    out = followup("--log", str(log), "backup", "--to", str(existing))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "already exists (or is a link)" in out.stderr
    assert existing.read_text() == "keep me\n"
    planted = tmp_path / "elsewhere.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(planted)
    out = followup("--log", str(log), "backup", "--to", str(link))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert not planted.exists()


def test_restore_refuses_a_store_that_holds_events(location, tmp_path):
    seed(location)
    backup = tmp_path / "b.jsonl"
    assert followup(*where(location), "backup", "--to", str(backup)).returncode == 0
    before = list(open_store(location).raw_lines())
    out = followup(*where(location), "restore", "--from", str(backup))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "already holds events" in out.stderr
    assert list(open_store(location).raw_lines()) == before


@pytest.mark.parametrize("kind", ["jsonl", "postgresql"])
def test_the_restore_drill_backup_erase_restore_check(kind, tmp_path, request):
    """Back up, forget a client, restore the backup into a fresh store and check it: the chain
    is the original's; the erased client is back (restore says so) unless the erasures of the
    live store are re-applied, after which no trace of them is left and check still passes."""
    if kind == "jsonl":
        live, fresh, fresh2 = tmp_path / "live" / "events.jsonl", tmp_path / "r1" / "events.jsonl", tmp_path / "r2" / "events.jsonl"
        for p in (live, fresh, fresh2):
            p.parent.mkdir()
    else:
        live = request.getfixturevalue("pg_url")
        fresh = request.getfixturevalue("fresh_pg")
        fresh2 = None
    seed(live)
    backup = tmp_path / "monday.jsonl"
    assert followup(*where(live), "backup", "--to", str(backup)).returncode == 0
    assert followup(*where(live), "forget", "aoki", "--yes").returncode == 0
    assert SECRET not in stored_text(live)

    out = followup(*where(fresh), "restore", "--from", str(backup))
    assert out.returncode == 0, out.stderr
    assert "4 events restored" in out.stdout and "hash chain intact" in out.stdout
    assert "anyone forgotten since is back" in out.stderr  # where the erased client comes back: said
    assert SECRET in stored_text(fresh)
    assert list(open_store(fresh).raw_lines()) == backup.read_bytes().split(b"\n")[:-1]

    if fresh2 is None:  # the same server: empty the restored schema for the second restore
        import psycopg

        with psycopg.connect(fresh, autocommit=True) as conn:
            conn.execute("TRUNCATE followup_events; DELETE FROM followup_head")
        fresh2 = fresh
    out = followup(*where(fresh2), "restore", "--from", str(backup), "--erasures-from", str(live))
    assert out.returncode == 0, out.stderr
    assert "1 client(s) forgotten" in out.stdout and "anyone forgotten since" not in out.stderr
    assert SECRET not in stored_text(fresh2) and "SECRETSUMMARY" not in stored_text(fresh2)
    assert followup(*where(fresh2), "check").returncode == 0


@pytest.mark.parametrize("cut", ["mid-line", "at a line's end", "no head"])
def test_a_cut_backup_or_one_without_its_head_is_refused_by_restore(cut, tmp_path):
    log = tmp_path / "events.jsonl"
    seed(log)
    backup = tmp_path / "b.jsonl"
    assert followup("--log", str(log), "backup", "--to", str(backup)).returncode == 0
    assert Path(str(backup) + ".head").exists()
    data = backup.read_bytes()
    if cut == "mid-line":
        backup.write_bytes(data[: len(data) - 20])
    elif cut == "at a line's end":
        backup.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])
    else:
        Path(str(backup) + ".head").unlink()
    fresh = tmp_path / "fresh" / "events.jsonl"
    fresh.parent.mkdir()
    out = followup("--log", str(fresh), "restore", "--from", str(backup))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "backup" in out.stderr and "nothing was restored" in out.stderr
    assert not fresh.exists() or fresh.stat().st_size == 0


def test_a_backup_of_an_empty_log_says_there_is_nothing_to_back_up(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_bytes(b"")
    out = followup("--log", str(log), "backup", "--to", str(tmp_path / "b.jsonl"))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "is empty: nothing to back up" in out.stderr
    assert not (tmp_path / "b.jsonl").exists()
