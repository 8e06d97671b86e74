"""Issue 21 attacked again: what still broke through after the first round. Each is one clear line
(exit 2, nothing written, never a traceback), or shown visibly, or refused."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .test_bad_input import one_clear_line
from .test_cli import Followup


@pytest.fixture
def followup(tmp_path):
    f = Followup(tmp_path / "events.jsonl", now="2026-11-25T09:00+09:00")
    f("record", "client", "--id", "ben", "--name", "Ben Okafor", "--at", "2026-10-01")
    f("record", "session", "ben", "--at", "2026-11-20T10:00")
    return f


def raw(tmp_path: Path, *args: str, log: Path | None = None, config: Path | None = None) -> subprocess.CompletedProcess:
    """The command with bytes on its command line (not text): as a shell gives them."""
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-25T09:00+09:00",
               FOLLOWUP_LOG=str(log or tmp_path / "events.jsonl"),
               FOLLOWUP_CONFIG=str(config or tmp_path / "no-config.toml"), LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    return subprocess.run([os.fsencode(sys.executable), b"-m", b"tui_followup",
                           *(a if isinstance(a, bytes) else a.encode() for a in args)],
                          capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)


# -- 1. day counts and moments past the range -------------------------------------------------


@pytest.mark.parametrize("args", [
    ("due", "--days", "999999999"),
    ("due", "--days", "-999999999"),
    ("export", "--ics", "OUT", "--days", "99999999"),
    ("trend", "--weeks", "99999999"),
])
def test_a_day_count_past_the_limit_is_one_line(followup, tmp_path, args):
    args = tuple(str(tmp_path / "out.ics") if a == "OUT" else a for a in args)
    line = one_clear_line(followup(*args, ok=False))
    assert "3650" in line or "521" in line
    assert not (tmp_path / "out.ics").exists()


def test_a_day_count_inside_the_limit_still_works(followup, tmp_path):
    followup("due", "--days", "3650")
    followup("export", "--ics", str(tmp_path / "out.ics"), "--days", "3650")


def test_a_moment_whose_utc_day_is_past_the_range_is_refused(followup):
    before = followup.log.read_bytes()
    one_clear_line(followup("record", "note", "ben", "--text", "x", "--at", "2200-12-31T23:59-12:00", ok=False),
                   "2200-12-31T23:59-12:00")
    one_clear_line(followup("record", "note", "ben", "--text", "x", "--at", "1900-01-01T00:01+14:00", ok=False))
    assert followup.log.read_bytes() == before


def test_a_log_line_whose_utc_day_is_past_the_range_is_a_problem(followup):
    line = json.loads(followup.log.read_bytes().splitlines()[-1])
    line.update(id="far-east", at="2200-12-31T23:59:00-12:00", prev="x")
    with open(followup.log, "ab") as f:
        f.write(json.dumps(line).encode() + b"\n")
    out = followup("check", ok=False)
    assert ":3: " in out.stdout and "2200-12-31" in out.stdout, out.stdout


# -- 2. a head deleted with the log's last line ------------------------------------------------


def test_a_log_without_its_head_is_reported_and_not_appended_to(followup):
    lines = followup.log.read_bytes().splitlines(keepends=True)
    followup.log.write_bytes(b"".join(lines[:-1]))  # sed -i '$d'
    Path(str(followup.log) + ".head").unlink()
    line = one_clear_line(followup("record", "note", "ben", "--text", "x", ok=False), "followup repair")
    assert "head" in line
    assert len(followup.log.read_bytes().splitlines()) == 1
    out = followup("check", ok=False)
    assert out.returncode == 1 and "no head" in out.stdout, out.stdout
    repaired = followup("repair")
    assert "head" in repaired.stdout and "1" in repaired.stdout, repaired.stdout
    followup("record", "note", "ben", "--text", "x")
    assert "hash chain intact" in followup("check").stdout


def test_a_new_log_always_has_its_head(tmp_path):
    f = Followup(tmp_path / "new" / "events.jsonl", now="2026-11-25T09:00+09:00")
    f("record", "client", "--id", "ann", "--name", "Ann")
    assert Path(str(f.log) + ".head").exists()
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    f("record", "note", "ann", "--text", "x")
    assert "hash chain intact" in f("check").stdout


# -- 3. exports never through a link, never keeping an old mode --------------------------------


def test_an_anonymized_export_never_writes_through_a_link(followup, tmp_path):
    victim = tmp_path / "victim.jsonl"
    out = tmp_path / "review.jsonl"
    out.symlink_to(victim)
    followup("export", "--anonymized", str(out))
    assert not victim.exists()
    assert not out.is_symlink() and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "hash chain intact" in Followup(out)("check").stdout


def test_an_anonymized_export_over_an_empty_readable_file_is_owner_only(followup, tmp_path):
    out = tmp_path / "review.jsonl"
    out.touch()
    out.chmod(0o666)
    said = followup("export", "--anonymized", str(out))
    assert "0666" in said.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("review.jsonl.tmp-*"))


def test_store_copy_refuses_a_link_and_makes_an_old_file_owner_only(followup, tmp_path):
    victim = tmp_path / "victim.jsonl"
    link = tmp_path / "copy.jsonl"
    link.symlink_to(victim)
    one_clear_line(followup("store", "copy", "--from", str(followup.log), "--to", str(link), ok=False), str(link))
    assert not victim.exists()
    loose = tmp_path / "loose.jsonl"
    loose.touch()
    loose.chmod(0o644)
    out = followup("store", "copy", "--from", str(followup.log), "--to", str(loose))
    assert "0644" in out.stderr
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.jsonl"
    followup("store", "copy", "--from", str(followup.log), "--to", str(fresh))
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


# -- 4. TOML nested too deep, or not UTF-8 ---------------------------------------------------------


def test_a_config_nested_2000_deep_is_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("a = " + "[" * 2000 + "]" * 2000 + "\n")
    for args in (("due",), ("record", "client", "--id", "a", "--name", "A")):
        one_clear_line(raw(tmp_path, *args, config=config), str(config))
    assert not (tmp_path / "events.jsonl").exists()


@pytest.mark.parametrize("body", [
    ("[columns]\nname = " + "[" * 2000 + "]" * 2000 + "\n").encode(),
    '[columns]\nname = "氏名"\n'.encode("cp932"),
], ids=["deep", "cp932"])
def test_a_mapping_nested_too_deep_or_not_utf8_is_one_line(followup, tmp_path, body):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("氏名,ケース番号\n山田 太郎,Y-1\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_bytes(body)
    before = followup.log.read_bytes()
    one_clear_line(followup("import", str(sheet), "--mapping", str(mapping), ok=False), str(mapping))
    assert followup.log.read_bytes() == before


# -- 5. bytes that are not UTF-8 on the command line --------------------------------------------


@pytest.mark.parametrize("args", [
    (b"record", b"note", b"ben", b"--text", b"a\x9bb"),
    (b"record", b"client", b"--id", b"x", b"--name", b"Mal\xffory"),
])
def test_a_byte_that_is_not_utf8_on_the_command_line_is_one_line(followup, tmp_path, args):
    before = followup.log.read_bytes()
    line = one_clear_line(raw(tmp_path, *args, log=followup.log))
    assert "UTF-8" in line and ("\\x9b" in line or "\\xff" in line), line
    assert followup.log.read_bytes() == before


# -- 6. a refused command writes nothing, not even an empty log ------------------------------------


def test_a_refused_record_creates_no_log(tmp_path):
    log = tmp_path / "sub" / "events.jsonl"
    one_clear_line(Followup(log)("record", "note", "unknown-client", "--text", "x", ok=False))
    assert not log.exists() and not (tmp_path / "sub").exists()


def test_demo_out_refuses_a_server_url(tmp_path):
    out = raw(tmp_path, "demo", "--out", "postgresql://u@localhost/db")
    one_clear_line(out, "postgresql://")
    assert not list(tmp_path.glob("postgresql:*"))


# -- 7. JSON escapes bidi and C1 controls ---------------------------------------------------------


def test_json_output_escapes_bidi_and_c1_controls_and_stays_exact(tmp_path):
    from tui_followup.core import events as ev
    from tui_followup.storage.logfile import LogStore
    from datetime import datetime
    from zoneinfo import ZoneInfo

    log = tmp_path / "events.jsonl"
    at = datetime(2026, 11, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
    name = "Eve\u202eXYZ\x9b\u2066\u200bZ"
    LogStore(log).append([ev.ClientRegistered(id="e1", at=at, recorded_at=at, actor="t", client="eve", name=name,
                                              plan="standard", channel="email")])
    out = Followup(log, now="2026-11-25T09:00+09:00")("status", "--json")
    for char in ("\u202e", "\x9b", "\u2066", "\u200b"):
        assert char not in out.stdout
    assert "\\u202e" in out.stdout.lower()
    assert json.loads(out.stdout)[0]["name"] == name


# -- 8. the calendar shows control characters, never carries them ------------------------------


def test_the_ics_export_shows_control_characters(tmp_path):
    from tui_followup.core import events as ev
    from tui_followup.storage.logfile import LogStore
    from datetime import datetime
    from zoneinfo import ZoneInfo

    log = tmp_path / "events.jsonl"
    at = datetime(2026, 11, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
    LogStore(log).append([ev.ClientRegistered(id="e1", at=at, recorded_at=at, actor="t", client="eve",
                                              name="Eve\x1b[2J\x07", plan="standard", channel="email")])
    out = tmp_path / "due.ics"
    Followup(log, now="2026-11-25T09:00+09:00")("export", "--ics", str(out))
    data = out.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data
    assert "Eve␛[2J␇".encode() in data.replace(b"\r\n ", b"")


def test_a_blank_line_added_after_the_head_was_deleted_does_not_hide_it(followup):
    """Second round: ``sed -i '$d'; rm L.head; echo "" >> L; record note`` was accepted (the
    guard looked only at the last line, which was blank) and check then missed the cut."""
    lines = followup.log.read_bytes().splitlines(keepends=True)
    followup.log.write_bytes(b"".join(lines[:-1]) + b"\n")
    Path(str(followup.log) + ".head").unlink()
    before = followup.log.read_bytes()
    one_clear_line(followup("record", "note", "ben", "--text", "x", ok=False), "followup repair")
    assert followup.log.read_bytes() == before


@pytest.mark.parametrize("blank", ["\u2060", "\u3164", "\u2800", "\u00ad", "\u115f", "\U0001d173"])
def test_a_name_of_characters_that_show_nothing_is_refused(followup, blank):
    out = followup("record", "client", "--id", "blank", "--name", f"A{blank}B", ok=False)
    assert out.returncode == 2 and "ben" not in out.stderr
    assert "blank" not in followup.log.read_text()


def test_an_imported_name_with_an_invisible_or_control_character_is_a_bad_row(followup, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,case\nA\u200bB,inv1\nT\U000e0041ag,inv2\nEvil\x1b[2J,inv3\nPlain Name,ok1\n", encoding="utf-8")
    out = followup("import", str(sheet), ok=False)
    assert out.returncode != 0
    assert "inv1" not in followup.log.read_text() and "inv3" not in followup.log.read_text()
    assert "\x1b" not in out.stdout + out.stderr


def test_an_actor_that_is_not_utf8_is_one_line(tmp_path):
    env_bytes = dict(os.environb)
    env_bytes[b"FOLLOWUP_ACTOR"] = b"ev\xffil"
    env_bytes[b"FOLLOWUP_LOG"] = os.fsencode(tmp_path / "events.jsonl")
    env_bytes[b"FOLLOWUP_CONFIG"] = os.fsencode(tmp_path / "no-config.toml")
    out = subprocess.run([sys.executable, "-m", "tui_followup", "record", "client", "--id", "a", "--name", "A"],
                         capture_output=True, text=True, env=env_bytes, timeout=60, cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "internal error" not in out.stderr and not (tmp_path / "events.jsonl").exists()
