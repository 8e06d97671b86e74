"""Bad input from the command line, a sheet, the settings file or the log itself: one clear line
naming what is wrong (file and line, or row), exit 2 and nothing written, never a traceback; a bad
line already in the log is a reported problem and every other client is still shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from tui_followup.core.chain import line_hash
from tui_followup.core.clock import DATE_RANGE
from tui_followup.core.commands import MAX_TEXT

from .test_cli import Followup

FIRST, LAST = (day.isoformat() for day in DATE_RANGE)


@pytest.fixture
def followup(tmp_path):
    f = Followup(tmp_path / "events.jsonl", now="2026-11-25T09:00+09:00")
    f("record", "client", "--id", "aoki", "--name", "青木 花子", "--reading", "アオキ ハナコ", "--at", "2026-10-01")
    f("record", "client", "--id", "ben", "--name", "Ben Okafor", "--at", "2026-10-01")
    f("record", "session", "ben", "--at", "2026-11-20T10:00")
    promise = f("record", "promise", "ben", "--due", "2026-11-30", "--what", "send the CV notes").stdout.strip()
    f.promise = promise
    return f


def one_clear_line(out: subprocess.CompletedProcess, *words: str) -> str:
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# -- 2. dates outside the range ------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("record", "session", "ben", "--at", "9999-12-31T10:00"),
    ("record", "note", "ben", "--text", "x", "--at", "0001-01-01T08:00"),
    ("record", "client", "--id", "old", "--name", "Old", "--at", "1899-12-31"),
    ("record", "message", "ben", "--at", "2201-01-01T09:00"),
    ("record", "promise", "ben", "--due", "9999-12-31", "--what", "call"),
    ("record", "snooze", "ben", "--until", "9999-12-31"),
    ("record", "pause", "ben", "--until", "2201-01-01"),
    ("record", "reschedule", "PROMISE", "--due", "9999-12-31"),
    ("record", "kept", "PROMISE", "--at", "0001-01-01"),
    ("due", "--as-of", "9999-12-31"),
    ("status", "--as-of", "0001-01-01"),
    ("demo", "--out", "DEMO", "--today", "9999-12-31"),
])
def test_every_date_option_refuses_a_date_outside_the_range(followup, args, tmp_path):
    args = tuple(followup.promise if a == "PROMISE" else str(tmp_path / "demo.jsonl") if a == "DEMO" else a
                 for a in args)
    before = followup.log.read_bytes()
    one_clear_line(followup(*args, ok=False), FIRST, LAST)
    assert followup.log.read_bytes() == before
    assert not (tmp_path / "demo.jsonl").exists()


def test_a_sheet_row_with_a_far_date_is_a_bad_row_with_its_number(followup, tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("name,case,last contact,next planned contact\nCarl Ok,C-1,2026-11-20,\n"
                    "Dana Far,D-1,9999-12-31,\nEve Far,E-1,2026-11-20,2201-01-01\n", encoding="utf-8")
    before = followup.log.read_bytes()
    out = followup("import", str(path), ok=False)
    assert out.returncode == 2 and followup.log.read_bytes() == before
    for row in (3, 4):
        line = next(x for x in out.stderr.splitlines() if f"row {row}:" in x)
        assert str(path) in line and FIRST in line and LAST in line
    followup("import", str(path), "--skip-bad")
    assert "Carl Ok" in followup("status").stdout


def hand_written(log: Path, **changes) -> int:
    """Append a line another tool wrote: a note for ben with ``changes``, chained to the last line.
    Returns its line number."""
    lines = log.read_bytes().splitlines()
    raw = msgspec.json.decode(lines[-1])
    raw = {k: raw[k] for k in ("id", "at", "recorded_at", "actor", "client", "v")}
    raw.update({"type": "note_added", "id": "far" + raw["id"], "text": "hand written", "prev": line_hash(lines[-1]),
                **changes})
    with open(log, "ab") as f:
        f.write(msgspec.json.encode(raw) + b"\n")
    return len(lines) + 1


@pytest.mark.parametrize("changes", [
    {"at": "9999-12-31T10:00:00+09:00"},
    {"at": "0001-01-01T08:00:00+09:00"},
    {"recorded_at": "9999-12-31T23:59:00-12:00"},
    {"type": "follow_up_snoozed", "until": "9999-12-31"},
    {"type": "promise_made", "due": "9999-12-31", "what": "x"},
])
def test_a_far_date_in_the_log_is_a_problem_with_its_line_and_every_report_still_runs(followup, changes, tmp_path):
    number = hand_written(followup.log, **changes)
    where = f"{followup.log}:{number}:"
    for args in [("due", "--days", "14"), ("status",), ("audit",), ("history", "ben"), ("history", "aoki"),
                 ("trend",), ("export", "--csv", str(tmp_path / "out.csv")),
                 ("export", "--ics", str(tmp_path / "out.ics")),
                 ("export", "--anonymized", str(tmp_path / "anon.jsonl"), "--shift-dates")]:
        out = followup(*args, ok=False)
        assert out.returncode == 0, (args, out.stderr)
        assert where in out.stderr and FIRST in out.stderr, (args, out.stderr)
    assert "Ben Okafor" in followup("status").stdout and "青木 花子" in followup("status").stdout
    out = followup("check", ok=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{where} a date outside {FIRST} to {LAST}" in out.stdout, out.stdout


# -- 3. a row whose case id is another person's -------------------------------------------


def sheet(tmp_path: Path, *rows: str, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text("name,case,last contact,mood memo\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_row_whose_name_is_not_the_clients_is_a_bad_row_naming_both(followup, tmp_path):
    before = followup.log.read_bytes()
    path = sheet(tmp_path, "Bob Stranger,aoki,2026-11-20,worried about rent")
    out = followup("import", str(path), ok=False)
    assert out.returncode == 2 and followup.log.read_bytes() == before
    row = next(line for line in out.stderr.splitlines() if "row 2" in line)
    assert str(path) in row and "Bob Stranger" in row and "青木 花子" in row and "--trust-case-ids" in row
    followup("import", str(path), "--skip-bad")
    assert followup.log.read_bytes() == before  # the row was skipped: nothing of Bob's in 青木's record
    assert "worried" not in str(followup.json("history", "aoki"))
    out = followup("import", str(path), "--trust-case-ids")
    assert "worried about rent" in str(followup.json("history", "aoki"))


@pytest.mark.parametrize("name", ["青木花子", "青木　花子", " 青木  花子 ", "アオキ ハナコ", "ｱｵｷ ﾊﾅｺ", "アオキハナコ"])
def test_the_same_name_written_otherwise_or_its_reading_matches(followup, tmp_path, name):
    path = sheet(tmp_path, f"{name},aoki,2026-11-20,fine")
    followup("import", str(path))
    assert "fine" in str(followup.json("history", "aoki"))


def test_a_name_changed_in_the_app_still_matches_the_old_sheet(followup, tmp_path):
    followup("record", "update", "aoki", "--name", "青木 はな子")
    followup("import", str(sheet(tmp_path, "青木 花子,aoki,2026-11-20,fine")))
    assert "fine" in str(followup.json("history", "aoki"))


def test_the_flag_is_in_the_help_in_both_languages(followup):
    english = followup("import", "--help").stdout
    env = dict(os.environ, TZ="Asia/Tokyo", LANG="ja_JP.UTF-8", FOLLOWUP_LOG=str(followup.log), LC_ALL="")
    japanese = subprocess.run([sys.executable, "-m", "tui_followup", "import", "--help"], capture_output=True,
                              text=True, env=env).stdout
    assert "--trust-case-ids" in english and "--trust-case-ids" in japanese
    assert english.split("--trust-case-ids", 1)[1][:200] != japanese.split("--trust-case-ids", 1)[1][:200]


# -- 11. bad input: sheets, the settings file, the log ------------------------------------


def test_a_field_of_200000_characters_is_a_bad_row(followup, tmp_path):
    before = followup.log.read_bytes()
    path = sheet(tmp_path, "Carl Long,C-1,2026-11-20," + "x" * 200_000, "Dana Fine,D-1,2026-11-20,ok")
    out = followup("import", str(path), ok=False)
    assert out.returncode == 2 and "Traceback" not in out.stderr and followup.log.read_bytes() == before
    (row,) = [line for line in out.stderr.splitlines() if "row 2: " in line]
    assert str(path) in row and str(MAX_TEXT) in row and "200000" in row
    followup("import", str(path), "--skip-bad")
    names = {r["name"] for r in followup.json("status")}
    assert "Dana Fine" in names and "Carl Long" not in names


def test_command_line_text_longer_than_the_limit_is_refused(followup):
    before = followup.log.read_bytes()
    one_clear_line(followup("record", "note", "ben", "--text", "x" * (MAX_TEXT + 1), ok=False), str(MAX_TEXT))
    assert followup.log.read_bytes() == before
    followup("record", "note", "ben", "--text", "x" * MAX_TEXT)


def test_a_sheet_with_cr_only_line_endings_reads_row_by_row(followup, tmp_path):
    path = tmp_path / "old-mac.csv"
    path.write_bytes(b"name,case,last contact\rCarl Mac,C-1,2026-11-20\rDana Mac,D-1,2026-11-21\r")
    out = followup("import", str(path))
    assert "2 rows imported" in out.stdout
    assert {"Carl Mac", "Dana Mac"} <= {r["name"] for r in followup.json("status")}


@pytest.mark.parametrize("body, line", [
    # the quote is never closed: it would swallow every row after it
    ('Carl Quote,C-1,2026-11-20,"fine\nDana Next,D-1,2026-11-21,ok\nEve Last,E-1,2026-11-22,ok\n', 3),
    # closed at the end of a later row: that row and the one between would be one memo
    ('Carl Quote,C-1,2026-11-20,"fine\nDana Next,D-1,2026-11-21,ok\nEve Last,E-1,2026-11-22,ok"\n', 3),
    # closed in the middle of a later row
    ('Carl Quote,C-1,2026-11-20,"fine\nDana Next,D-1,2026-11-21,ok\nEve Last,E-1,"2026-11-22",ok\n', 3),
])
def test_an_unclosed_quote_names_its_line_and_writes_nothing(followup, tmp_path, body, line):
    path = tmp_path / "quote.csv"
    path.write_text("name,case,last contact,mood memo\nAnn First,A-1,2026-11-19,ok\n" + body, encoding="utf-8")
    before = followup.log.read_bytes()
    one_clear_line(followup("import", str(path), ok=False), f"{path}: line {line}")
    one_clear_line(followup("import", str(path), "--skip-bad", ok=False), f"{path}: line {line}")
    assert followup.log.read_bytes() == before


def test_a_quoted_memo_of_several_lines_is_still_read(followup, tmp_path):
    path = tmp_path / "memo.csv"
    path.write_text('name,case,last contact,mood memo\nCarl Memo,C-1,2026-11-20,"tired\nbut hopeful"\n',
                    encoding="utf-8")
    followup("import", str(path))
    history = followup.json("history", "C-1")
    assert any(step["fields"].get("text") == "tired\nbut hopeful" for step in history), history


def test_a_sheet_read_as_cp932_says_so(followup, tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes("氏名,ケース番号\n山田 太郎,Y-1\n".encode("cp932"))
    out = followup("import", str(path))
    assert "Shift_JIS (CP932)" in out.stdout and str(path) in out.stdout
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("氏名,ケース番号\n山田 次郎,Y-2\n", encoding="utf-8")
    assert "CP932" not in followup("import", str(utf8)).stdout


def _with_config(body: bytes, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / "config.toml"
    config.write_bytes(body)
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_CONFIG=str(config), FOLLOWUP_LOG=str(tmp_path / "e.jsonl"),
               FOLLOWUP_NOW="2026-11-25T09:00+09:00")
    return subprocess.run([sys.executable, "-m", "tui_followup", *args], capture_output=True, text=True, env=env)


def test_a_settings_file_that_is_not_utf8_is_one_line_naming_it(tmp_path):
    body = "# 設定\nlanguage = \"ja\"\n[user]\nname = \"加藤\"\n".encode("cp932")
    for args in (("due",), ("record", "client", "--id", "a", "--name", "A")):
        line = one_clear_line(_with_config(body, tmp_path, *args), str(tmp_path / "config.toml"), "UTF-8")
        assert "line 1" in line
        assert not (tmp_path / "e.jsonl").exists()


def test_a_log_line_nested_100000_deep_is_a_problem_and_the_rest_reads(followup):
    lines = followup.log.read_bytes().splitlines()
    with open(followup.log, "ab") as f:
        f.write(b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n")
        f.write(b"[" * 100_000 + b"]" * 100_000 + b"\n")
    deep = len(lines) + 1
    out = followup("due", "--days", "14", ok=False)
    assert out.returncode == 0 and f"{followup.log}:{deep}:" in out.stderr and f":{deep + 1}:" in out.stderr
    assert "Ben Okafor" in out.stdout
    assert "Ben Okafor" in followup("status").stdout and followup("history", "ben").returncode == 0
    out = followup("check", ok=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{followup.log}:{deep}: " in out.stdout and f"{followup.log}:{deep + 1}: " in out.stdout
    followup("record", "note", "ben", "--text", "after the deep line")  # the log is still written to
    assert followup.log.read_bytes().count(b"\n") == len(lines) + 3


@pytest.mark.parametrize("how", ["in-order", "snapshot", "two-process"])
def test_a_far_date_and_a_deep_line_are_named_however_the_log_is_opened(tmp_path, monkeypatch, capsys, how):
    from tui_followup import cli

    from .test_every_path import opened_as

    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T09:00+09:00")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    path = tmp_path / "events.jsonl"
    for argv in (("client", "--id", "ben", "--name", "Ben Okafor", "--at", "2026-10-01"),
                 ("session", "ben", "--at", "2026-11-20T10:00")):
        assert cli.main(["--log", str(path), "record", *argv]) == 0
    far = hand_written(path, at="9999-12-31T10:00:00+09:00")
    with open(path, "ab") as f:
        f.write(b"[" * 100_000 + b"]" * 100_000 + b"\n")
    for argv in (("client", "--id", "cleo", "--name", "Cleo After", "--at", "2026-10-01"),):
        assert cli.main(["--log", str(path), "record", *argv]) == 0
    capsys.readouterr()
    opened_as(path, how, monkeypatch, capsys)
    capsys.readouterr()
    for argv in (("due", "--days", "30"), ("status",), ("audit",), ("history", "ben")):
        assert cli.main(["--log", str(path), *argv]) == 0, argv
        out = capsys.readouterr()
        assert f"{path}:{far}:" in out.err and f"{path}:{far + 1}:" in out.err, (argv, out.err)
        assert "Ben Okafor" in out.out or argv[0] == "due"
    assert cli.main(["--log", str(path), "status"]) == 0 and "Cleo After" in capsys.readouterr().out
    assert cli.main(["--log", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{far}: a date outside" in out and f"{path}:{far + 1}: nested too deep" in out
