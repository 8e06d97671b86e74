"""An erased client's name in the user's words in the command line's tables (status, audit,
history); --json, the CSV export and the log keep "(forgotten)": scripts read them."""

from __future__ import annotations

import json

import pytest

from .test_cli import Followup

WORD = {"en": "(forgotten)", "ja": "（消去済み）", "ko": "(삭제됨)"}


@pytest.fixture
def followup(tmp_path):
    return Followup(tmp_path / "events.jsonl")


def in_language(tmp_path, monkeypatch, language: str) -> None:
    """The commands from here on run in ``language`` (the settings file says it)."""
    conf = tmp_path / f"{language}.toml"
    conf.write_text(f'language = "{language}"\n')
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(conf))


def with_one_erased(followup) -> str:
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "client", "--id", "kim", "--name", "김민준", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--at", "2026-10-20T10:00")
    followup("forget", "aoki", "--yes")
    (row,) = [r for r in followup.json("status") if r["state"] == "erased"]
    return row["client"]


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
def test_status_audit_and_history_say_the_name_in_the_users_words(followup, tmp_path, monkeypatch, language):
    erased = with_one_erased(followup)
    in_language(tmp_path, monkeypatch, language)
    run = followup
    status = run("status").stdout
    line = next(line for line in status.splitlines() if erased in line)
    assert WORD[language] in line
    if language != "en":
        assert "(forgotten)" not in status
    assert "김민준" in status
    audit = run("audit").stdout
    assert WORD[language] in next(line for line in audit.splitlines() if erased in line)
    history = run("history", erased).stdout
    assert WORD[language] in history.splitlines()[0]
    if language != "en":
        assert "(forgotten)" not in audit and "(forgotten)" not in history


def test_json_csv_and_the_log_keep_forgotten(followup, tmp_path, monkeypatch):
    erased = with_one_erased(followup)
    in_language(tmp_path, monkeypatch, "ja")
    run = followup
    rows = json.loads(run("status", "--json").stdout)
    assert [r["name"] for r in rows if r["client"] == erased] == ["(forgotten)"]
    report = json.loads(run("audit", "--json").stdout)
    assert [c["name"] for c in report["clients"] if c["client"] == erased] == ["(forgotten)"]
    assert "(forgotten)" in followup.log.read_text(encoding="utf-8")
    assert "（消去済み）" not in followup.log.read_text(encoding="utf-8")
    sheet = tmp_path / "out.csv"
    run("export", "--csv", str(sheet), "--all-clients")
    text = sheet.read_bytes().decode("utf-8-sig")
    assert "(forgotten)" in text and "（消去済み）" not in text


def test_a_client_not_erased_named_forgotten_keeps_the_name_as_typed(followup, tmp_path, monkeypatch):
    followup("record", "client", "--id", "lit", "--name", "(forgotten)", "--at", "2026-10-01")
    in_language(tmp_path, monkeypatch, "ja")
    run = followup
    line = next(line for line in run("status").stdout.splitlines() if "lit" in line)
    assert "(forgotten)" in line and "（消去済み）" not in line
    assert "(forgotten)" in run("history", "lit").stdout.splitlines()[0]
