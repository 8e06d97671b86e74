"""``export --csv`` writes no cell a spreadsheet would run as a formula (a leading ' before
=, +, -, @, tab or CR, nothing else changed); --json and the log keep the text exact; the sheet
imports back exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import msgspec

from tests.core.helpers import TOKYO, at, make, message, register
from tui_followup.cli import main
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.exchange.exporter import status_csv
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore

LEADS = ["=", "+", "-", "@", "\t", "\r"]


def formula_log(path: Path) -> None:
    events = []
    for n, lead in enumerate(LEADS):
        client = f"f{n}"
        events += [register(client, name=f'{lead}HYPERLINK("http://evil.example","x")', when="2026-10-01",
                            case=f"{lead}1+1", reading=f"{lead}A1"),
                   make(ev.NoteAdded, "2026-10-02", client, text=f"{lead}cmd|' /C calc'!A0"),
                   message("2026-10-03", client, summary=f"{lead}SUM(1,2)")]
    events += [register("aoki", name="青木 花子", when="2026-10-01", reading="アオキ ハナコ"),
               make(ev.NoteAdded, "2026-10-02", "aoki", text="面接が不安 - でも前向き"),
               register("emma", name="Emma Smith", when="2026-10-01"),
               make(ev.NoteAdded, "2026-10-02", "emma", text="a-b = c, +1 @home")]
    LogStore(path).append(events)


def test_cells_a_spreadsheet_would_run_are_quoted(tmp_path):
    path = tmp_path / "events.jsonl"
    formula_log(path)
    journal = Journal.open(path, clock=FixedClock(at("2026-11-25 08:30")), tz=TOKYO, write_snapshot=False)
    text = status_csv(journal).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    by_id = {row[header.index("case")]: dict(zip(header, row)) for row in rows}
    for n, lead in enumerate(LEADS):
        row = by_id[f"f{n}"]
        assert row["name"] == f"'{lead}HYPERLINK(\"http://evil.example\",\"x\")", repr(lead)
        assert row["case name"] == f"'{lead}1+1" and row["reading"] == f"'{lead}A1"
        assert row["mood"] == f"'{lead}cmd|' /C calc'!A0"
        assert row["follow-up"] == f"'{lead}SUM(1,2)"
    assert by_id["aoki"]["name"] == "青木 花子" and by_id["aoki"]["mood"] == "面接が不安 - でも前向き"
    assert by_id["emma"]["name"] == "Emma Smith" and by_id["emma"]["mood"] == "a-b = c, +1 @home"
    assert by_id["emma"]["last contact"] == "" and by_id["aoki"]["sessions"] == "0"


def test_json_and_the_log_keep_the_text_exact(tmp_path, monkeypatch, capsys):
    path = tmp_path / "events.jsonl"
    formula_log(path)
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T08:30+09:00")
    assert main(["--log", str(path), "status", "--json"]) == 0
    names = {row["client"]: row["name"] for row in json.loads(capsys.readouterr().out)}
    logged = {e["client"]: e["name"] for e in map(msgspec.json.decode, path.read_bytes().splitlines())
              if e["type"] == "client_registered"}
    for n, lead in enumerate(LEADS):
        assert names[f"f{n}"] == logged[f"f{n}"] == f'{lead}HYPERLINK("http://evil.example","x")'


def test_a_quoted_cell_reads_back_as_it_was_written(tmp_path, monkeypatch, capsys):
    """The exported sheet re-imports to the same clients: the ' that kept a formula from running
    is taken off again (only before a formula's first character), so names and ids come back exact.
    Registered the day before: their first session (due a week after registering) is still ahead,
    and the sheet's next planned contact imports as a promise not yet due."""
    path = tmp_path / "events.jsonl"
    events = [register(f"{lead}id{n}", name=f"{lead}1+1 {n}", when="2026-11-24") for n, lead in enumerate("=+-@")]
    events += [register("aoki", name="'quoted' 青木", when="2026-11-24")]
    LogStore(path).append(events)
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T08:30+09:00")
    sheet = tmp_path / "status.csv"
    assert main(["--log", str(path), "export", "--csv", str(sheet)]) == 0
    assert "'=1+1 0" in sheet.read_text(encoding="utf-8-sig")
    other = tmp_path / "other.jsonl"
    assert main(["--log", str(other), "import", str(sheet)]) == 0
    capsys.readouterr()
    assert main(["--log", str(other), "status", "--json"]) == 0
    back = {row["client"]: row["name"] for row in json.loads(capsys.readouterr().out)}
    assert back == {e.client: e.name for e in events}
