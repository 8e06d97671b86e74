"""The head beside the log never moves backwards silently: the last line cut off, then one
more event recorded, must not leave a log that `check` calls intact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def followup(log: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml")
    for name in ("FOLLOWUP_STORE", "FOLLOWUP_LOG", "FOLLOWUP_ACTOR"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "tui_followup", "--log", str(log), *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_a_cut_tail_refuses_the_next_record_check_reports_it_and_repair_accepts_it_only_when_told(tmp_path):
    log = tmp_path / "events.jsonl"
    assert followup(log, "record", "client", "--id", "c1", "--name", "Aoki").returncode == 0
    assert followup(log, "record", "session", "c1").returncode == 0
    assert followup(log, "record", "note", "c1", "--text", "the last words").returncode == 0
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]))  # the last line deleted, in an editor
    cut = log.read_bytes()

    out = followup(log, "record", "note", "c1", "--text", "after the cut")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "ends at event 2 but its head says 3" in out.stderr and "nothing was recorded" in out.stderr
    assert log.read_bytes() == cut

    out = followup(log, "check")
    assert out.returncode == 1
    assert "ends at line 2 but its head says 3 lines" in out.stdout

    out = followup(log, "repair")  # says the choice, changes nothing
    assert out.returncode == 1
    assert "1 acknowledged event(s) are missing" in out.stdout and "--accept-shorter" in out.stdout
    assert log.read_bytes() == cut and followup(log, "check").returncode == 1

    out = followup(log, "repair", "--accept-shorter")
    assert out.returncode == 0, out.stderr
    kept = list(tmp_path.glob("events.jsonl.oldhead-*"))
    assert len(kept) == 1 and str(kept[0]) in out.stdout
    assert "now ends at line 2" in out.stdout
    assert log.read_bytes() == cut
    assert followup(log, "check").returncode == 0
    assert followup(log, "record", "note", "c1", "--text", "after the choice").returncode == 0
    assert followup(log, "check").returncode == 0
