"""The files an export or a backup leaves: written through a temporary file of its own (created
exclusively, 0600, never through a link), owner-only however the target was; a target or log
that others can read is said."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.ui.conftest import seed_caseload
from tui_followup.cli import main
from tui_followup.storage.logfile import copy_private


@pytest.fixture
def log(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "events.jsonl"
    seed_caseload(path)
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T08:30+09:00")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


KINDS = [("--csv", "status.csv"), ("--ics", "due.ics")]


@pytest.mark.parametrize("option,name", KINDS)
def test_a_link_planted_at_the_old_temporary_name_is_not_followed(log, tmp_path, option, name, capsys):
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("not yours to overwrite\n")
    victim.chmod(0o644)
    out = tmp_path / name
    (tmp_path / (name + ".tmp")).symlink_to(victim)
    assert main(["--log", str(log), "export", option, str(out)]) == 0
    assert victim.read_text() == "not yours to overwrite\n" and mode(victim) == 0o644
    assert out.is_file() and not out.is_symlink() and mode(out) == 0o600 and out.stat().st_size > 0
    assert (tmp_path / (name + ".tmp")).is_symlink()  # left where it was, untouched
    leftovers = sorted(p.name for p in tmp_path.iterdir() if name in p.name)
    assert leftovers == [name, name + ".tmp"]  # no temporary file of ours left behind


@pytest.mark.parametrize("option,name", KINDS)
def test_the_export_is_owner_only_whatever_was_there(log, tmp_path, option, name, capsys):
    out = tmp_path / name
    stale = tmp_path / (name + ".tmp")  # a file left at the old temporary name, readable by all
    stale.write_text("old")
    stale.chmod(0o644)
    assert main(["--log", str(log), "export", option, str(out)]) == 0
    assert mode(out) == 0o600
    assert capsys.readouterr().err == ""  # nothing was there to be read by others
    out.chmod(0o644)  # the target itself readable by all (an export of last year's)
    assert main(["--log", str(log), "export", option, str(out)]) == 0
    assert mode(out) == 0o600
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err and "0644" in err


def test_check_says_when_others_can_read_the_log(log, capsys):
    log.chmod(0o600)
    assert main(["--log", str(log), "check"]) == 0
    assert capsys.readouterr().err == ""
    log.chmod(0o640)
    assert main(["--log", str(log), "check"]) == 0  # the chain is fine: a warning, not a problem
    captured = capsys.readouterr()
    assert "OK" in captured.out
    assert captured.err.count("\n") == 1 and str(log) in captured.err and "0640" in captured.err


def test_a_backup_is_never_written_through_a_link_or_over_an_earlier_one(tmp_path):
    """repair and forget copy the log to events.jsonl.bak-STAMP-PID: the name is guessable and
    two copies in one second share it."""
    log = tmp_path / "events.jsonl"
    victim = tmp_path / "victim.txt"
    victim.write_text("kept\n")
    planted = tmp_path / "events.jsonl.bak-1"
    planted.symlink_to(victim)
    log.write_text("first\n")
    first = copy_private(log, planted)
    log.write_text("second\n")
    second = copy_private(log, planted)
    assert victim.read_text() == "kept\n" and planted.is_symlink()
    assert (first.read_text(), second.read_text()) == ("first\n", "second\n")
    assert mode(first) == mode(second) == 0o600


@pytest.mark.parametrize("option", ["--csv", "--ics", "--anonymized"])
def test_an_export_onto_a_directory_or_into_a_missing_folder_is_one_line(log, tmp_path, option, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    for target in (folder, tmp_path / "missing" / "out.csv"):
        assert main(["--log", str(log), "export", option, str(target)]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1, err
        assert str(target) in err and "internal error" not in err and "readable by others" not in err
    assert list(folder.iterdir()) == [] and not (tmp_path / "missing").exists()  # nothing written


def test_a_csv_of_one_client_says_one_client(tmp_path, monkeypatch, capsys):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    for key, value in (("FOLLOWUP_CONFIG", str(tmp_path / "none.toml")), ("LANG", "en_US.UTF-8"), ("TZ", "Asia/Tokyo")):
        monkeypatch.setenv(key, value)
    one = tmp_path / "one.jsonl"
    Journal.open(one, clock=FixedClock(datetime(2026, 11, 25, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo")))).record(
        cmd.register_client, "aoki", "Aoki Hana")
    assert main(["--log", str(one), "export", "--csv", str(tmp_path / "one.csv")]) == 0
    assert capsys.readouterr().out.strip().endswith(": 1 client")
