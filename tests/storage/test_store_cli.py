"""The `followup` command on a server store: chosen by --store, $FOLLOWUP_STORE or config.toml;
`store init`, `store copy` both ways (idempotent, verified), `check`, and the app woken by NOTIFY."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.pgstore import SCHEMA_LATEST, PgStore

from ..core.helpers import TOKYO


def followup(*args: str, env: dict | None = None, config=None) -> subprocess.CompletedProcess:
    environ = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-01T09:00+09:00", LANG="en_US.UTF-8")
    for name in ("FOLLOWUP_STORE", "FOLLOWUP_LOG", "FOLLOWUP_ACTOR"):
        environ.pop(name, None)
    environ["FOLLOWUP_CONFIG"] = str(config) if config else "/nonexistent/config.toml"
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True,
                          env=environ, timeout=120)


def test_record_and_report_on_a_server_store_chosen_three_ways(pg_url, tmp_path):
    out = followup("--store", pg_url, "record", "client", "--id", "c1", "--name", "Aoki")
    assert out.returncode == 0, out.stderr
    out = followup("record", "session", "c1", env={"FOLLOWUP_STORE": pg_url})
    assert out.returncode == 0, out.stderr
    config = tmp_path / "config.toml"
    config.write_text(f'store = "{pg_url}"\n', encoding="utf-8")
    out = followup("status", "--json", config=config)
    assert out.returncode == 0, out.stderr
    assert '"c1"' in out.stdout
    assert PgStore(pg_url).count() == 2
    assert not (tmp_path / "events.jsonl").exists()
    out = followup("check", "--store", pg_url)
    assert out.returncode == 0, out.stderr
    assert "OK, 2 events, 1 clients, 2 lines, hash chain intact" in out.stdout


def test_a_password_in_the_config_file_is_refused(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('store = "postgresql://kato:secret@db.example/followup"\n', encoding="utf-8")
    out = followup("status", config=config)
    assert out.returncode == 2
    assert "store: holds a password" in out.stderr and "secret" not in out.stderr


def test_store_init_is_idempotent(pg_url):
    out = followup("store", "init", "--store", pg_url)
    assert out.returncode == 0, out.stderr
    assert f"already at version {SCHEMA_LATEST}" in out.stdout


def test_copy_a_log_to_the_server_and_back_nothing_lost_and_a_rerun_adds_nothing(pg_url, tmp_path):
    log = tmp_path / "events.jsonl"
    out = followup("demo", "--out", str(log), "--events", "600", "--today", "2026-11-25")
    assert out.returncode == 0, out.stderr
    out = followup("store", "copy", "--from", str(log), "--to", pg_url)
    assert out.returncode == 0, out.stderr
    assert "600 events copied, 0 already there, 600 in all" in out.stdout
    again = followup("store", "copy", "--from", str(log), "--to", pg_url)
    assert "0 events copied, 600 already there, 600 in all" in again.stdout
    # the rows are the log's lines, byte for byte (the chain is the same chain)
    assert b"".join(line + b"\n" for line in PgStore(pg_url).raw_lines()) == log.read_bytes()
    due_file = followup("due", "--json", "--days", "30", "--log", str(log), env={"FOLLOWUP_NOW": "2026-11-25T09:00+09:00"})
    due_server = followup("due", "--json", "--days", "30", "--store", pg_url, env={"FOLLOWUP_NOW": "2026-11-25T09:00+09:00"})
    assert due_file.returncode == 0 and due_file.stdout == due_server.stdout
    back = tmp_path / "back.jsonl"
    out = followup("store", "copy", "--from", pg_url, "--to", str(back))
    assert out.returncode == 0, out.stderr
    assert back.read_bytes() == log.read_bytes()


def test_repair_says_it_needs_a_file(pg_url):
    out = followup("repair", "--store", pg_url)
    assert out.returncode == 2 and "works on a JSONL log only" in out.stderr


async def test_another_counselors_event_shows_in_the_open_app_without_waiting_for_the_poll(pg_url):
    from tui_followup.ui.app import FollowupApp

    clock = FixedClock(datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO))
    mine = Journal.open(pg_url, clock=clock, tz=TOKYO)
    app = FollowupApp(mine, poll_seconds=24 * 3600)  # no poll within the test: only NOTIFY can wake it
    async with app.run_test() as pilot:
        other = Journal.open(pg_url, clock=clock, tz=TOKYO, actor="sato")
        for n in range(500):  # until the app's listener is connected and hears (bounded)
            other.record(cmd.register_client, client_id=f"warm{n}", name="W")
            await pilot.pause(0.02)
            if mine.client(f"warm{n}") is not None:
                break
        assert len(mine.caseload.registered()) > 0
        other.record(cmd.register_client, client_id="c1", name="Aoki")
        for _ in range(3000):  # a condition, bounded: the poll is a day away, so only NOTIFY brings it
            if mine.client("c1") is not None:
                break
            await pilot.pause(0.01)
        assert mine.client("c1") is not None


def test_store_copy_onto_a_file_that_is_not_a_log_or_a_folder_is_refused_writing_nothing(tmp_path):
    source = tmp_path / "events.jsonl"
    assert followup("--log", str(source), "record", "client", "--id", "c1", "--name", "Aoki").returncode == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes, not a log\n")
    notes.chmod(0o644)
    folder = tmp_path / "folder"
    folder.mkdir()
    for dest in (notes, folder):
        out = followup("store", "copy", "--from", str(source), "--to", str(dest))
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert str(dest) in out.stderr and "internal error" not in out.stderr
    assert notes.read_text() == "my own notes, not a log\n" and notes.stat().st_mode & 0o777 == 0o644
    assert list(folder.iterdir()) == []
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert followup("store", "copy", "--from", str(source), "--to", str(empty)).returncode == 0  # an empty log
