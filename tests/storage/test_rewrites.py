"""`forget` and `repair` rewrite the log under its lock: a writer that queued for the lock
meanwhile, and an app window opened before, must write into the log that is now at the path,
from its true end, and never bring an erased name back from memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage import maintenance
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.maintenance import check, forget

from ..core.helpers import TOKYO, register, session

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=TOKYO)


def until(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        threading.Event().wait(0.01)
    return condition()


def waiting_for_the_lock(pid: int, path: Path) -> bool:
    """Whether process ``pid`` is blocked in flock on the file now at ``path`` (/proc/locks
    lists a waiter with ``->``)."""
    inode = f":{os.stat(path).st_ino} "
    with open("/proc/locks") as locks:
        return any("->" in line and f" {pid} " in line and inode in line for line in locks)


def journal(path: Path) -> Journal:
    return Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", use_snapshot=False)


def a_log(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register("aoki", "青木 花子", note="家族の件"), register("abe", "Abe Ken"),
                           session("2026-11-01 10:00", "aoki", summary="職務経歴書")])
    return path


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a process wait for a lock")
def test_a_record_queued_on_the_lock_while_forget_rewrites_the_log_is_in_the_new_log(tmp_path, monkeypatch):
    """The writer opens the log and waits for the lock forget holds; forget replaces the file;
    the writer, given the lock, must append to the file now at the path, not the old one."""
    path = a_log(tmp_path)
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml")
    writer: list[subprocess.Popen] = []
    real_resolve = maintenance.resolve_client

    def resolve_then_let_a_writer_queue(caseload, ref):  # forget holds the lock here
        facts = real_resolve(caseload, ref)
        child = subprocess.Popen([sys.executable, "-m", "tui_followup", "--log", str(path), "record", "note", "abe",
                                  "--text", "queued during forget"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env)
        writer.append(child)
        assert until(lambda: child.poll() is not None or waiting_for_the_lock(child.pid, path))
        assert child.poll() is None, child.communicate()
        return facts

    monkeypatch.setattr(maintenance, "resolve_client", resolve_then_let_a_writer_queue)
    forget(journal(path), "aoki")
    out, err = writer[0].communicate(timeout=120)
    assert writer[0].returncode == 0, err
    acknowledged = out.strip()
    assert acknowledged
    assert acknowledged in [e.id for e in LogStore(path).read_new().events]
    assert check(path).problems == []
    assert "青木" not in path.read_text(encoding="utf-8")


def test_a_window_opened_before_forget_appends_to_the_new_log_and_forgets_the_name(tmp_path):
    path = a_log(tmp_path)
    window = journal(path)
    assert window.client("aoki").name == "青木 花子"
    forget(journal(path), "aoki")
    event = window.record(cmd.add_note, "abe", text="after the erasure")
    assert check(path).problems == []
    assert event.id in [e.id for e in LogStore(path).read_new().events]
    assert window.client("aoki") is None  # reloaded from the new log: no name kept in memory
    assert all(f.name != "青木 花子" for f in window.caseload.registered())
    assert not [d for items in window.board.items.values() for d in items if d.client == "aoki"]
    with pytest.raises(cmd.CommandError):
        window.record(cmd.add_note, "aoki", text="to the erased client")
    data = path.read_text(encoding="utf-8")
    assert "青木" not in data and '"aoki"' not in data


def test_a_window_opened_before_forget_sees_the_new_log_when_it_looks_again(tmp_path):
    path = a_log(tmp_path)
    window = journal(path)
    forget(journal(path), "aoki")
    changed = window.refresh()
    assert "aoki" in changed  # the screens are told the erased client changed (it is gone)
    assert window.client("aoki") is None
    assert window.problems == []
    LogStore(path).append([session("2026-11-05 10:00", "abe")])
    window.refresh()
    assert len(window.client("abe").sessions) == 1
