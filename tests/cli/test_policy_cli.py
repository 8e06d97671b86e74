"""The second edition of the policy from the command line: what scripts and people see."""

from __future__ import annotations

import pytest

from .test_cli import Followup


@pytest.fixture
def followup(tmp_path):
    f = Followup(tmp_path / "events.jsonl", now="2026-10-05T09:00+09:00")
    f("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-08-20")
    f("record", "session", "aoki", "--at", "2026-09-01T10:00", "--next-step", "応募書類を1社分")
    return f


def test_due_json_names_the_kind_the_missed_checkpoints_and_the_promise(followup):
    promise = followup("record", "promise", "aoki", "--due", "2026-10-05", "--what", "求人票を送る").stdout.strip()
    items = followup.json("due")
    assert [(i["reason"], i["kind"], i["due"], i["overdue_days"], i["missed"], i["ref"]) for i in items] == [
        ("1m", "checkpoint", "2026-10-01", 4, ["24h", "1w"], ""),
        ("promise", "promise", "2026-10-05", 0, [], promise),
    ]
    assert items[0]["detail"] == "1m after session of 09-01, missed 24h, 1w"


def test_an_ordinary_message_keeps_no_promise_keeps_does(followup):
    promise = followup("record", "promise", "aoki", "--due", "2026-10-06", "--what", "求人票を送る").stdout.strip()
    followup("record", "message", "aoki", "--at", "2026-10-05T10:00")
    assert [i["reason"] for i in followup.json("due", "--days", "3")] == ["promise"]
    followup("record", "message", "aoki", "--at", "2026-10-05T11:00", "--keeps", promise)
    assert followup.json("due", "--days", "3") == []
    again = followup("record", "kept", promise, ok=False)
    assert again.returncode == 2 and "already kept on 2026-10-05" in again.stderr


def test_a_snooze_that_would_bring_an_item_forward_is_refused_and_writes_nothing(followup):
    followup("record", "message", "aoki", "--at", "2026-10-05T08:00")  # the 1m: the 3m is due 11-30
    before = followup.log.read_bytes()
    out = followup("record", "snooze", "aoki", "--until", "2026-11-20", "--reason", "出張", ok=False)
    assert out.returncode == 2
    assert out.stderr == ("followup: 3m of 青木 花子 is due 2026-11-30: a snooze moves it later, never earlier "
                          "(give a date after 2026-11-30)\n")
    assert followup.log.read_bytes() == before
    followup("record", "snooze", "aoki", "--until", "2026-12-04", "--reason", "出張")
    (item,) = followup.json("due", "--days", "60")
    assert (item["reason"], item["due"], item["detail"]) == ("3m", "2026-12-04", "3m after session of 09-01, snoozed to 12-04 (出張)")


def test_a_third_message_in_a_week_is_recorded_with_one_warning_line(followup):
    followup("record", "message", "aoki", "--at", "2026-10-01T10:00")
    quiet = followup("record", "message", "aoki", "--at", "2026-10-03T10:00")
    assert quiet.stderr == ""
    warned = followup("record", "message", "aoki", "--at", "2026-10-05T08:00")
    assert warned.returncode == 0
    assert warned.stderr.splitlines() == [
        "followup: warning: 青木 花子 already had 2 messages in the 7 days before this one (max_per_week = 2); recorded"]
    assert len([s for s in followup.json("history", "aoki") if s["type"] == "message_sent"]) == 3


def test_a_pause_with_an_end_and_the_decision_after_an_unanswered_question(followup):
    followup("record", "pause", "aoki", "--reason", "介護のため三か月", "--until", "2027-01-10")
    assert followup.json("due", "--as-of", "2027-01-09", now="2027-01-09T09:00+09:00") == []
    (item,) = followup.json("due", "--as-of", "2027-01-10", now="2027-01-10T09:00+09:00")
    assert (item["reason"], item["kind"], item["due"]) == ("intent-check", "intent-check", "2027-01-10")
    followup("record", "message", "aoki", "--at", "2027-01-10T10:00", "--template", "intent-check",
             now="2027-01-10T10:05+09:00")
    (item,) = followup.json("due", "--as-of", "2027-02-09", now="2027-02-09T09:00+09:00")
    assert (item["reason"], item["kind"], item["due"]) == ("decide", "decide", "2027-02-09")
    audit = followup.json("audit", "--as-of", "2027-02-09", now="2027-02-09T09:00+09:00")
    assert "awaiting_decision" in audit["clients"][0]["flags"]


def test_the_policy_settings_are_read_from_the_config_file(followup, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[policy]\nmax_per_week = 1\nsilence_days = 30\n", encoding="utf-8")
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(config))
    followup("record", "message", "aoki", "--at", "2026-10-01T10:00")
    warned = followup("record", "message", "aoki", "--at", "2026-10-03T10:00")
    assert "max_per_week = 1" in warned.stderr
    config.write_text("[policy]\nsilence_days = 0\n", encoding="utf-8")
    bad = followup("due", ok=False)
    assert bad.returncode == 2 and "policy.silence_days" in bad.stderr
    config.write_text("intent_check_days = 45\n", encoding="utf-8")  # a file from before [policy]: still loads
    assert followup("due").returncode == 0
