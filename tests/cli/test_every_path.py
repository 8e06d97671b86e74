"""No report depends on how the log was opened: the same log read in order, from its
snapshot, and folded on two cores without one gives the same export, audit, status, history,
due list and check, byte for byte (the CSV's owner column was blank above 20,000 events)."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from tui_followup import cli
from tui_followup.storage import sizes as sizes_module

NOW = "2026-11-25T09:00+09:00"


SIZES: dict = {}  # "now": how the next commands open the log (Sizes, passed to cli.main)


def run(capsys, *argv: str) -> str:
    code = cli.main(list(argv), sizes=SIZES.get("now"))
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.fixture
def log(tmp_path, monkeypatch, capsys):
    """A small office log: two counselors, a retraction, a closed case, a withdrawn consent."""
    monkeypatch.setenv("FOLLOWUP_NOW", NOW)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    path = tmp_path / "events.jsonl"

    def record(actor: str, *argv: str) -> str:
        monkeypatch.setenv("FOLLOWUP_ACTOR", actor)
        return run(capsys, "--log", str(path), "record", *argv).split()[-1]

    record("佐藤", "client", "--id", "aoki", "--name", "青木 [A] 花子", "--at", "2026-09-01")
    record("佐藤", "session", "aoki", "--at", "2026-09-01T10:00", "--next-step", "履歴書")
    record("佐藤", "message", "aoki", "--at", "2026-09-02T09:00")
    record("kim", "message", "aoki", "--at", "2026-09-09T09:00")  # a colleague covers
    record("kim", "client", "--id", "lee", "--name", "이 서연", "--channel", "chat", "--at", "2026-10-01")
    record("kim", "session", "lee", "--at", "2026-10-01T15:00")
    wrong = record("kim", "message", "lee", "--at", "2026-10-02T09:00")
    record("佐藤", "retract", wrong, "--reason", "wrong client")
    record("kim", "withdraw-consent", "lee", "--scope", "email")
    record("佐藤", "client", "--id", "ito", "--name", "Ito Ken", "--at", "2026-08-01")
    record("佐藤", "promise", "ito", "--due", "2026-12-03", "--what", "send the list", "--at", "2026-11-20")
    record("kim", "reply", "ito", "--at", "2026-11-21T08:00")
    record("佐藤", "client", "--id", "old", "--name", "Old Case", "--at", "2026-06-01")
    record("佐藤", "close", "old", "--reason", "goal_achieved", "--at", "2026-08-01")
    monkeypatch.delenv("FOLLOWUP_ACTOR")
    return path


def opened_as(path, how: str, monkeypatch, capsys) -> None:
    """Make the next commands open ``path`` the way ``how`` says."""
    snapshot = path.with_name(path.name + ".snapshot")
    snapshot.unlink(missing_ok=True)
    if how == "snapshot":
        monkeypatch.setitem(SIZES, "now", replace(sizes_module.DEFAULT_SIZES, snapshot_min_events=0, snapshot_stale_events=1))
        run(capsys, "--log", str(path), "status")  # leaves the snapshot behind
        assert snapshot.exists()
    elif how == "two-process":
        monkeypatch.setitem(SIZES, "now", replace(  # the snapshot neither read nor written
            sizes_module.DEFAULT_SIZES, snapshot_min_events=10**9, facts_only_min_bytes=0, parallel_min_bytes=0))


def reports(path, tmp_path, capsys, how: str) -> dict[str, str | bytes]:
    log = ("--log", str(path))
    csv = tmp_path / f"status-{how}.csv"
    out = {
        "due": run(capsys, *log, "due", "--days", "30", "--json"),
        "status": run(capsys, *log, "status", "--json"),
        "audit": run(capsys, *log, "audit", "--json"),
        "history": "".join(run(capsys, *log, "history", c, "--json") for c in ("aoki", "lee", "ito", "old")),
        "check": run(capsys, *log, "check").replace(str(path), "LOG"),
    }
    run(capsys, *log, "export", "--csv", str(csv))
    out["csv"] = csv.read_bytes()
    return out


@pytest.mark.parametrize("how", ["snapshot", "two-process"])
def test_every_report_is_the_same_however_the_log_is_opened(log, tmp_path, monkeypatch, capsys, how):
    in_order = reports(log, tmp_path, capsys, "in-order")
    opened_as(log, how, monkeypatch, capsys)
    other = reports(log, tmp_path, capsys, how)
    journal = cli.OPENED[-1]
    assert journal.caseload.source is not None  # not read in order: the path under test was taken
    assert other == in_order
    rows = in_order["csv"].decode("utf-8-sig").splitlines()
    owner = {row["case"]: row["owner"] for row in csv.DictReader(rows)}
    assert owner == {"aoki": "kim", "lee": "kim", "ito": "kim", "old": "佐藤"}
