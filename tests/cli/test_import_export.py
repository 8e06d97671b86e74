"""Arrive from a spreadsheet, leave to a calendar: import, CSV and ICS export, settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli import Followup

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def followup(tmp_path):
    return Followup(tmp_path / "events.jsonl", now="2026-11-25T09:00+09:00")


def test_japanese_headers_in_cp932_are_recognised(followup):
    out = followup("import", str(DATA / "sheet-ja-cp932.csv"))
    assert "3 rows imported: 3 new clients, 10 events recorded" in out.stdout
    status = {r["client"]: r for r in followup.json("status")}
    assert status["K-001"]["name"] == "青木 花子" and status["K-003"]["name"] == "髙橋 﨑子"
    assert status["K-001"]["last_contact"] == "2026-11-10"
    assert status["K-002"]["last_contact"] == "2026-10-20"  # 2026年10月20日
    due = followup.json("due", "--days", "14")
    assert {"client": "K-001", "reason": "promise", "due": "2026-11-28"}.items() <= next(
        i for i in due if i["client"] == "K-001" and i["reason"] == "promise").items()
    history = followup.json("history", "K-001")
    assert [s["type"] for s in history] == ["client_registered", "message_sent", "note_added", "promise_made"]
    assert history[0]["actor"] == "加藤" and "重要度: 高" in history[0]["fields"]["note"]


def test_english_headers_in_utf8_with_bom_tsv(followup):
    followup("import", str(DATA / "sheet-en-bom.tsv"))
    names = {r["name"] for r in followup.json("status")}
    assert names == {"Emma Smith", "김민준"}


def test_reimport_of_the_same_or_an_updated_sheet_duplicates_nothing(followup, tmp_path):
    sheet = DATA / "sheet-ja-cp932.csv"
    followup("import", str(sheet))
    before = followup.log.read_bytes()
    status_before = {r["client"]: r for r in followup.json("status")}
    out = followup("import", str(sheet))
    assert "0 events recorded, 10 already in the log" in out.stdout
    assert followup.log.read_bytes() == before
    updated = tmp_path / "updated.csv"
    text = sheet.read_bytes().decode("cp932").replace("2026/11/10,2026/11/28", "2026/11/24,2026/12/10")
    updated.write_bytes(text.encode("cp932"))
    out = followup("import", str(updated))
    assert "2 events recorded" in out.stdout  # the new contact and the new plan, nothing else
    status = {r["client"]: r for r in followup.json("status")}
    assert status["K-001"]["last_contact"] == "2026-11-24"
    del status["K-001"], status_before["K-001"]
    assert status == status_before  # the other clients' rows did not change


def test_bad_rows_are_listed_and_nothing_is_written_unless_accepted(followup):
    sheet = str(DATA / "sheet-bad-rows.csv")
    out = followup("import", sheet, ok=False)
    assert out.returncode == 2 and not followup.log.exists()
    assert "row 3: no name" in out.stderr
    assert "row 4: 'yesterday' is not a date" in out.stderr
    assert "row 5: unknown plan 'fortnightly'" in out.stderr
    out = followup("import", sheet, "--skip-bad")
    assert "2 rows imported" in out.stdout and "3 bad rows skipped" in out.stdout
    assert {r["name"] for r in followup.json("status")} == {"Good One", "Good Two"}


def test_dry_run_prints_and_writes_nothing(followup):
    out = followup("import", str(DATA / "sheet-ja-cp932.csv"), "--dry-run")
    assert "Nothing was written (dry run)" in out.stdout and "青木 花子" in out.stdout
    assert not followup.log.exists()


def test_a_mapping_file_names_the_columns(followup, tmp_path):
    sheet = tmp_path / "odd.csv"
    sheet.write_text("お客さま,番号札,前回\n山田 太郎,Y-1,2026-11-20\n", encoding="utf-8")
    assert followup("import", str(sheet), ok=False).returncode == 2  # no name column found
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\nname = "お客さま"\ncase = "番号札"\nlast_contact = "前回"\n', encoding="utf-8")
    followup("import", str(sheet), "--mapping", str(mapping))
    (row,) = followup.json("status")
    assert (row["client"], row["name"], row["last_contact"]) == ("Y-1", "山田 太郎", "2026-11-20")


def test_csv_export_opens_in_excel_and_reimports(followup, tmp_path):
    followup("import", str(DATA / "sheet-ja-cp932.csv"))
    out = tmp_path / "status.csv"
    followup("export", "--csv", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("name,case,state")
    assert "青木 花子,K-001,active,standard,email,2026-11-10,2026-11-28,promise" in text
    again = Followup(tmp_path / "other.jsonl", now=followup.now)
    again("import", str(out))
    assert {r["client"] for r in again.json("status")} == {"K-001", "K-002", "K-003"}


def test_ics_export_parses_back_with_stable_uids(followup, tmp_path):
    from icalendar import Calendar

    followup("import", str(DATA / "sheet-ja-cp932.csv"))
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    followup("export", "--ics", str(first))
    calendar = Calendar.from_ical(first.read_bytes())
    events = calendar.walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "promise: 青木 花子" in summaries and "monthly: 佐藤 健一" in summaries
    promise = next(e for e in events if str(e["SUMMARY"]) == "promise: 青木 花子")
    assert promise.decoded("DTSTART").isoformat() == "2026-11-28"
    uids = {str(e["SUMMARY"]): str(e["UID"]) for e in events}
    followup("record", "snooze", "K-002", "--until", "2026-11-27")  # the date moves, the uid stays
    followup("export", "--ics", str(second))
    moved = {str(e["SUMMARY"]): e for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")}
    assert str(moved["monthly: 佐藤 健一"]["UID"]) == uids["monthly: 佐藤 健一"]
    assert moved["monthly: 佐藤 健一"].decoded("DTSTART").isoformat() == "2026-11-27"


def _run(args, config: Path, log: Path):
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_CONFIG=str(config), FOLLOWUP_LOG=str(log),
               FOLLOWUP_NOW="2026-11-25T09:00+09:00")
    return subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True, env=env)


def test_config_path_init_and_one_clear_line_per_error(tmp_path):
    config, log = tmp_path / "conf" / "config.toml", tmp_path / "events.jsonl"
    assert _run(["config", "--path"], config, log).stdout.strip() == str(config)
    assert _run(["config", "--init"], config, log).returncode == 0
    assert "# default_plan" in config.read_text() and (config.stat().st_mode & 0o777) == 0o600
    assert _run(["config", "--init"], config, log).returncode == 2  # never overwritten
    for body, words in [
        ('intent_check_days = "soon"', "intent_check_days: expected int, got str"),
        ("colour = 1", "colour: unknown key"),
        ("[audit]\nquiet_factr = 2", "audit.quiet_factr: unknown key"),
        ('default_plan = "fortnightly"', "default_plan: unknown plan 'fortnightly'"),
        ("[plans.biweekly]\nladder = [7, 1]\ninterval = 14", "plans.biweekly.ladder"),
        ('language = "fr"', "language:"),
        ("this is not toml", "not valid TOML"),
    ]:
        config.write_text(body)
        out = _run(["due"], config, log)
        assert out.returncode == 2, body
        assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert str(config) in out.stderr


def test_settings_change_the_policy(tmp_path):
    config, log = tmp_path / "config.toml", tmp_path / "events.jsonl"
    config.write_text('default_plan = "biweekly"\nactor = "鈴木"\n[plans.biweekly]\nladder = [1, 14]\ninterval = 14\n',
                      encoding="utf-8")
    assert _run(["record", "client", "--id", "a", "--name", "Abe", "--at", "2026-11-01"], config, log).returncode == 0
    assert _run(["record", "session", "a", "--at", "2026-11-01T10:00"], config, log).returncode == 0
    assert _run(["record", "message", "a", "--channel", "email", "--at", "2026-11-02T10:00"], config, log).returncode == 0
    import json

    (row,) = json.loads(_run(["status", "--json"], config, log).stdout)
    assert (row["plan"], row["next_due"], row["next_reason"]) == ("biweekly", "2026-11-15", "14d")
    history = json.loads(_run(["history", "a", "--json"], config, log).stdout)
    assert {s["actor"] for s in history} == {"鈴木"}


def test_forget_from_a_script_erases_and_check_passes(followup):
    followup("import", str(DATA / "sheet-ja-cp932.csv"))
    out = followup("forget", "K-001")  # no terminal: no question
    assert "personal fields erased" in out.stdout
    text = followup.log.read_text(encoding="utf-8")
    assert "青木" not in text and "職務経歴書の添削" not in text and '"K-001"' not in text
    assert followup("check").returncode == 0
    assert any(r["name"] == "(forgotten)" for r in followup.json("status"))


def test_imported_rows_go_through_the_same_rules_as_record(followup, tmp_path):
    """A row for a closed case, or on a channel whose consent was withdrawn, is refused as
    `followup record` refuses it: a bad row with its number and the reason; nothing written
    unless --skip-bad, and then only the good rows."""
    followup("record", "client", "--id", "C-1", "--name", "Closed Case", "--at", "2026-10-01")
    followup("record", "close", "C-1", "--reason", "goal_achieved", "--at", "2026-11-01")
    followup("record", "client", "--id", "W-1", "--name", "Withdrawn Chat", "--channel", "chat", "--at", "2026-10-01")
    followup("record", "withdraw-consent", "W-1", "--scope", "chat")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,case,last contact,next contact,channel,done\n"
                     "Closed Case,C-1,2026-11-20,2026-12-01,email,sent the notes\n"
                     "Withdrawn Chat,W-1,2026-11-21,,chat,\n"
                     "New Person,N-1,2026-11-22,2026-12-02,email,first call\n", encoding="utf-8")
    before = followup.log.read_bytes()
    out = followup("import", str(sheet), ok=False)
    assert out.returncode == 2
    assert "row 2: the case of Closed Case (C-1) is closed" in out.stderr
    assert "row 3: Withdrawn Chat withdrew consent to be contacted by chat" in out.stderr
    assert followup.log.read_bytes() == before
    dry = followup("import", str(sheet), "--dry-run")
    assert "New Person" in dry.stdout and "Closed Case" not in dry.stdout
    out = followup("import", str(sheet), "--skip-bad")
    assert "1 rows imported: 1 new clients" in out.stdout and "2 bad rows skipped" in out.stdout
    history = {c: [s["type"] for s in followup.json("history", c)] for c in ("C-1", "W-1")}
    assert history == {"C-1": ["client_registered", "case_closed"],
                       "W-1": ["client_registered", "consent_withdrawn"]}
    # (W-1, registered 10-01 with nothing since, is due its first session: third edition)
    assert [i["client"] for i in followup.json("due", "--days", "30")] == ["W-1", "N-1", "N-1"]


def test_an_overdue_planned_contact_without_a_last_contact_arrives_overdue(followup, tmp_path):
    """A row whose next planned contact is already past and which has no last contact (the
    spreadsheet's red row) was refused as 'a promise cannot fall due in the past'; so was
    re-importing our own export of a client registered a week ago with no session yet."""
    sheet = tmp_path / "overdue.csv"
    sheet.write_text("name,case,next planned contact\nMia Overdue,m-1,2026-11-20\n", encoding="utf-8")
    out = followup("import", str(sheet))
    assert out.returncode == 0, out.stderr
    due = followup.json("due")
    item = next(i for i in due if i["client"] == "m-1" and i["reason"] == "promise")
    assert item["due"] == "2026-11-20" and item["overdue_days"] == 5


def test_an_erased_client_is_said_erased_and_counted_in_no_state(followup):
    """A counselor's audit after `forget` said "24 clients, 19 active" with the skeleton among
    the active: a client erased is followed up no more, and every list says so."""
    followup("import", str(DATA / "sheet-ja-cp932.csv"))
    before = followup.json("audit")["by_owner"]
    followup("forget", "K-001")
    (skeleton,) = [r for r in followup.json("status") if r["name"] == "(forgotten)"]
    assert skeleton["state"] == "erased" and skeleton["next_due"] is None
    report = followup.json("audit")
    assert [c["state"] for c in report["clients"] if c["client"] == skeleton["client"]] == ["erased"]
    owner = next(c["owner"] for c in report["clients"] if c["client"] == skeleton["client"])
    after, was = report["by_owner"][owner], before[owner]
    assert after["clients"] == was["clients"] and after["erased"] == 1
    assert after["active"] + after["paused"] + after["closed"] == was["clients"] - 1
    assert "erased" in followup("status").stdout
    assert "erased" in followup("history", skeleton["client"]).stdout.splitlines()[0]
