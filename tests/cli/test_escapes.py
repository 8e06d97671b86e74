"""A name, note or summary holding terminal escape sequences (written by another tool, or an
older version) is shown with its control characters visible by every command, never sent to
the terminal raw; ``--json`` keeps it exact; the command line refuses to record one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tui_followup.core import events as ev
from tui_followup.storage.logfile import LogStore

TOKYO = ZoneInfo("Asia/Tokyo")
CLIPBOARD = "\x1b]52;c;aGFja2Vk\x07"
EVIL = f"Evil{CLIPBOARD}\x1b[2J\u202eXYZ\x9b"
SUMMARY = "call back\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\"
DANGER = (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode())


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00").replace(tzinfo=TOKYO)


def _env(log: Path) -> dict:
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-25T09:00+09:00", FOLLOWUP_LOG=str(log),
               FOLLOWUP_CONFIG=str(log.parent / "no-config.toml"), LANG="en_US.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    return env


def run(log: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, env=_env(log),
                         timeout=60)
    assert out.returncode == code, out.stderr.decode()
    return out


def shown_safely(out: subprocess.CompletedProcess) -> str:
    for stream in (out.stdout, out.stderr):
        for danger in DANGER:
            assert danger not in stream, (danger, stream)
    return out.stdout.decode() + out.stderr.decode()


@pytest.fixture
def log(tmp_path):
    """A log written by another tool: the name, a summary and a note carry escape sequences."""
    path = tmp_path / "events.jsonl"

    def make(kind, day, **fields):
        return kind(id=f"{kind.__name__}-{day}", at=_at(day), recorded_at=_at(day), actor="t", client="evil", **fields)

    LogStore(path).append([
        make(ev.ClientRegistered, "2026-10-01", name=EVIL, note="x\x1b[31mred"),
        make(ev.SessionHeld, "2026-11-01", summary=SUMMARY, next_step="\x1b[2Jgone"),
        make(ev.PromiseMade, "2026-11-02", due=date(2026, 11, 20), what="send\x1b[5m CV", explicit=True),
    ])
    return path


def test_status_due_and_history_show_an_escape_visibly(log):
    status = shown_safely(run(log, "status"))
    assert "Evil␛]52;c;aGFja2Vk␇␛[2J\\u202eXYZ\\x9b" in status
    assert "Evil␛" in shown_safely(run(log, "due", "--days", "7"))
    history = shown_safely(run(log, "history", "evil"))
    assert "call back␛]8;;https://evil.example/" in history and "Evil␛" in history


def test_an_error_message_naming_the_client_shows_it_visibly(log):
    out = run(log, "record", "client", "--id", "evil", "--name", "Someone", code=2)
    text = shown_safely(out)
    assert "client id 'evil' is taken by Evil␛" in text and len(text.strip().splitlines()) == 1


def test_json_keeps_the_text_exact(log):
    (row,) = json.loads(run(log, "status", "--json").stdout)
    assert row["name"] == EVIL
    steps = json.loads(run(log, "history", "evil", "--json").stdout)
    assert steps[1]["fields"]["summary"] == SUMMARY


def test_the_command_line_refuses_an_escape_in_a_name_and_writes_nothing(tmp_path):
    log = tmp_path / "events.jsonl"
    out = run(log, "record", "client", "--id", "x", "--name", "X\x1b[2J", code=2)
    text = shown_safely(out)
    assert "control character (␛)" in text and len(text.strip().splitlines()) == 1
    assert not log.exists() or log.read_bytes() == b""


def test_the_import_report_shows_an_escape_visibly(tmp_path):
    """A name with an escape sequence is a bad row (second attack round: import went round the
    refusal), and the report says which characters, visibly, never sending them."""
    log, sheet = tmp_path / "events.jsonl", tmp_path / "sheet.csv"
    sheet.write_text(f"name,last contact\nMallory{CLIPBOARD},2026-11-10\n", encoding="utf-8")
    out = run(log, "import", str(sheet), "--dry-run")
    text = shown_safely(out)
    assert "row 2" in text and "control character (␛" in text and "1 bad rows" in text
