"""Issue 13, the client record: changes, progress, consent, missed sessions, feedback, through
the real `followup` command."""

from __future__ import annotations

import json

import pytest

from .test_cli import Followup


@pytest.fixture
def followup(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "config.toml"))
    return Followup(tmp_path / "events.jsonl")


def lines(followup):
    return [json.loads(line) for line in followup.log.read_text(encoding="utf-8").splitlines()]


def test_update_appends_only_the_fields_that_change(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "update", "aoki", "--plan", "weekly", "--channel", "email", "--reading", "アオキ ハナコ",
             "--importance", "high", "--case", "転職活動", "--at", "2026-10-20")
    last = lines(followup)[-1]
    assert last["type"] == "client_updated"
    assert {k: last[k] for k in ("plan", "reading", "importance", "case")} == {
        "plan": "weekly", "reading": "アオキ ハナコ", "importance": "high", "case": "転職活動"}
    assert last["channel"] == "" and last["name"] == ""  # email was the channel already: no change
    (row,) = followup.json("status")
    assert row["plan"] == "weekly"


def test_nothing_to_change_is_refused(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--plan", "weekly", "--at", "2026-10-01")
    before = followup.log.read_bytes()
    out = followup("record", "update", "aoki", "--plan", "weekly", ok=False)
    assert out.returncode == 2 and "nothing to change for 青木 花子" in out.stderr
    out = followup("record", "update", "aoki", ok=False)
    assert out.returncode == 2
    out = followup("record", "update", "aoki", "--plan", "nope", ok=False)
    assert out.returncode == 2 and "unknown plan" in out.stderr
    assert followup.log.read_bytes() == before


def test_a_plan_change_applies_from_then_on_and_history_shows_the_client_as_they_were(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--at", "2026-11-01T10:00", now="2026-11-01T11:00+09:00")
    followup("record", "message", "aoki", "--at", "2026-11-02T09:00", now="2026-11-02T10:00+09:00")
    # standard: the 1w checkpoint on 11-08, then 1m on 12-01
    followup("record", "message", "aoki", "--at", "2026-11-08T09:00", now="2026-11-08T10:00+09:00")
    (item,) = followup.json("due", "--as-of", "2026-12-01", now="2026-11-08T10:00+09:00")
    assert (item["reason"], item["due"]) == ("1m", "2026-12-01")
    followup("record", "update", "aoki", "--plan", "weekly", "--name", "青木 はなこ", "--at", "2026-11-09T09:00",
             now="2026-11-09T10:00+09:00")
    (item,) = followup.json("due", "--as-of", "2026-11-20", now="2026-11-09T10:00+09:00")
    assert (item["reason"], item["due"], item["name"]) == ("weekly", "2026-11-15", "青木 はなこ")
    steps = followup.json("history", "aoki", now="2026-11-09T10:00+09:00")
    names = [(s["type"], s["next_reason"]) for s in steps]
    assert names[-2][1] == "1m" and names[-1] == ("client_updated", "weekly")
    # the registration is kept as it was: the new name is the update's
    assert lines(followup)[0]["name"] == "青木 花子"


def test_record_client_takes_the_optional_fields_and_consents(followup):
    followup("record", "client", "--id", "kim", "--name", "김민준", "--reading", "キム ミンジュン",
             "--importance", "low", "--case", "재취업", "--consent", "email,case_review", "--at", "2026-10-01")
    (first,) = lines(followup)
    assert first["reading"] == "キム ミンジュン" and first["importance"] == "low" and first["case"] == "재취업"
    assert first["consents"] == ["email", "case_review"]
    out = followup("record", "client", "--id", "x", "--name", "X", "--importance", "urgent", ok=False)
    assert out.returncode == 2


def test_japanese_names_sort_by_their_reading(followup):
    # 渡辺 (ワタナベ) sorts after 青木 (アオキ) and 伊藤 (イトウ) by reading, whatever the kanji's code points
    for cid, name, reading in [("w", "渡辺 直", "ワタナベ ナオ"), ("a", "青木 花子", "アオキ ハナコ"),
                               ("i", "伊藤 健", "イトウ ケン")]:
        followup("record", "client", "--id", cid, "--name", name, "--reading", reading, "--at", "2026-10-01")
    assert [r["client"] for r in followup.json("status")] == ["a", "i", "w"]


def test_session_progress_fields(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--achieved", "履歴書を書いた", "--challenges", "面接が不安",
             "--next-step", "模擬面接", "--at", "2026-11-01T10:00", now="2026-11-01T11:00+09:00")
    last = lines(followup)[-1]
    assert (last["achieved"], last["challenges"], last["next_step"]) == ("履歴書を書いた", "面接が不安", "模擬面接")


def test_consent_required_refuses_a_message_without_consent(followup, tmp_path):
    (tmp_path / "config.toml").write_text("[consent]\nrequired = true\n", encoding="utf-8")
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--consent", "email", "--at", "2026-10-01")
    followup("record", "client", "--id", "bea", "--name", "Bea", "--at", "2026-10-01")
    followup("record", "message", "aoki", "--channel", "email")
    before = followup.log.read_bytes()
    out = followup("record", "message", "aoki", "--channel", "phone", ok=False)
    assert out.returncode == 2 and "has not consented to be contacted by phone" in out.stderr
    out = followup("record", "message", "bea", ok=False)
    assert out.returncode == 2
    assert followup.log.read_bytes() == before
    followup("record", "consent", "bea", "--scope", "email")
    followup("record", "message", "bea")
    followup("record", "withdraw-consent", "aoki", "--scope", "email", now="2026-11-02T09:00+09:00")
    assert followup("record", "message", "aoki", now="2026-11-02T10:00+09:00", ok=False).returncode == 2


def test_without_the_setting_a_message_needs_no_consent(followup):
    followup("record", "client", "--id", "bea", "--name", "Bea", "--at", "2026-10-01")
    followup("record", "message", "bea")


def test_a_no_show_puts_a_gentle_item_on_the_next_day(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "missed", "aoki", "--kind", "no_show", "--reason", "連絡なし", "--at", "2026-11-01T10:00")
    assert lines(followup)[-1]["type"] == "session_missed"
    items = followup.json("due", "--as-of", "2026-11-02")
    assert [(i["reason"], i["kind"], i["due"]) for i in items] == [("no-show", "no-show", "2026-11-02")]
    assert "did not come to the session of 11-01" in items[0]["detail"]
    followup("record", "message", "aoki", "--at", "2026-11-02T09:00", now="2026-11-02T10:00+09:00")
    assert [i["reason"] for i in followup.json("due", "--as-of", "2026-11-03", now="2026-11-02T10:00+09:00")
            if i["kind"] == "no-show"] == []


def test_a_cancellation_puts_nothing_on_the_list(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--at", "2026-10-01T10:00")
    followup("record", "missed", "aoki", "--kind", "cancelled_by_client", "--at", "2026-10-02T10:00")
    assert all(i["kind"] != "no-show" for i in followup.json("due", "--as-of", "2026-10-03"))
    out = followup("record", "missed", "aoki", "--kind", "late", ok=False)
    assert out.returncode == 2


def test_feedback(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01")
    followup("record", "feedback", "aoki", "--score", "4", "--comment", "話しやすかった", "--at", "2026-10-02")
    last = lines(followup)[-1]
    assert (last["type"], last["score"], last["comment"]) == ("feedback_received", 4, "話しやすかった")
    assert followup("record", "feedback", "aoki", "--score", "6", ok=False).returncode == 2


def test_with_consent_required_the_anonymised_export_holds_only_case_review_consents(followup, tmp_path):
    (tmp_path / "config.toml").write_text("[consent]\nrequired = true\n", encoding="utf-8")
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--consent", "email,case_review",
             "--at", "2026-10-01")
    followup("record", "client", "--id", "bea", "--name", "Bea", "--consent", "email", "--at", "2026-10-01")
    followup("export", "--anonymized", str(tmp_path / "review.jsonl"))
    copied = [json.loads(line) for line in (tmp_path / "review.jsonl").read_text().splitlines()]
    assert {e["client"] for e in copied} == {"client-001"} and len(copied) == 1
    followup("export", "--anonymized", str(tmp_path / "all.jsonl"), "--all-clients")
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 2


def _outcomes(followup):
    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--at", "2026-10-01T09:00")
    followup("record", "client", "--id", "bea", "--name", "Bea", "--at", "2026-10-01T09:00")
    followup("record", "session", "aoki", "--at", "2026-10-01T10:00")
    followup("record", "session", "bea", "--at", "2026-10-02T10:00")
    promise = followup("record", "promise", "aoki", "--due", "2026-10-10", "--what", "求人票",
                       "--at", "2026-10-01T11:00").stdout.strip()
    followup("record", "promise", "bea", "--due", "2026-10-05", "--what", "資料", "--at", "2026-10-02T11:00")
    followup("record", "message", "aoki", "--at", "2026-10-03T09:00")
    followup("record", "reply", "aoki", "--at", "2026-10-04T09:00")
    followup("record", "message", "aoki", "--keeps", promise, "--at", "2026-10-09T09:00")
    followup("record", "message", "bea", "--at", "2026-10-09T09:00")
    followup("record", "missed", "aoki", "--kind", "no_show", "--at", "2026-10-15T10:00")
    followup("record", "session", "aoki", "--at", "2026-10-20T10:00")
    followup("record", "feedback", "aoki", "--score", "4", "--at", "2026-10-20T12:00")
    followup("record", "feedback", "bea", "--score", "5", "--at", "2026-10-21T12:00")
    followup("record", "close", "aoki", "--reason", "goal_achieved", "--at", "2026-10-31T10:00")


def test_audit_json_gains_the_outcome_metrics(followup):
    _outcomes(followup)
    report = followup.json("audit", "--as-of", "2026-11-01")
    assert {"as_of", "clients", "closed_by_reason"} <= set(report)  # the keys it had stay
    m = report["metrics"]
    assert m["first_follow_up_median_days"] == 4.5  # 2 days (aoki), 7 days (bea)
    assert m["first_response_median_days"] == 1.0  # aoki replied the day after the message
    assert m["time_to_close_median_days"] == 30.0
    assert m["promise_kept_share"] == 0.5  # aoki's kept on time, bea's overdue
    assert m["no_show_rate"] == 0.25  # one no-show, three sessions held
    assert (m["feedback_mean"], m["feedback_count"]) == (4.5, 2)
    assert m["closed_by_reason"] == {"goal_achieved": 1}
    assert 0 <= m["on_time_share"] <= 1


def test_trend_shows_the_two_chosen_measures_week_by_week(followup, tmp_path):
    _outcomes(followup)
    trend = followup.json("trend", "--weeks", "6", "--as-of", "2026-11-01")
    assert trend["kpis"] == ["on_time_share", "first_response_median_days"]
    assert [w["week"] for w in trend["weeks"]] == ["2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12",
                                                   "2026-10-19", "2026-10-26"]
    assert [w["first_response_median_days"] for w in trend["weeks"]] == [None, 1.0, None, None, None, None]
    (tmp_path / "config.toml").write_text('[review]\nkpis = ["feedback_mean", "no_show_rate"]\n', encoding="utf-8")
    trend = followup.json("trend", "--weeks", "6", "--as-of", "2026-11-01")
    assert [w["feedback_mean"] for w in trend["weeks"]][-2:] == [4.5, None]
    assert [w["no_show_rate"] for w in trend["weeks"]][2:5] == [None, 1.0, 0.0]
    text = followup("trend", "--weeks", "6", "--as-of", "2026-11-01").stdout
    assert "satisfaction (mean)" in text and "█" in text
    (tmp_path / "config.toml").write_text('[review]\nkpis = ["happiness"]\n', encoding="utf-8")
    out = followup("trend", ok=False)
    assert out.returncode != 0 and "review.kpis" in out.stderr


PRACTITIONER_SHEET = (
    "相手の名前,フリガナ,案件名,重要度,最終接点日,次回予定,感情メモ,フォロー内容,担当者\n"
    "青木 花子,アオキ ハナコ,A-1,高,2026/10/20,2026/11/28,前向き,職務経歴書の添削,加藤\n"
    "渡辺 直,ワタナベ ナオ,W-1,低,2026/10/25,,疲れ気味,模擬面接,佐藤\n"
)


def test_import_reads_the_headers_practitioners_write(followup, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(PRACTITIONER_SHEET, encoding="utf-8")
    followup("import", str(sheet))
    status = {r["client"]: r for r in followup.json("status")}
    assert status["A-1"]["name"] == "青木 花子" and status["A-1"]["importance"] == "high"
    assert status["A-1"]["case"] == "A-1" and status["A-1"]["reading"] == "アオキ ハナコ"
    assert status["W-1"]["importance"] == "low" and status["W-1"]["last_contact"] == "2026-10-25"
    steps = followup.json("history", "A-1")
    message = next(s for s in steps if s["type"] == "message_sent")
    assert message["fields"]["summary"] == "職務経歴書の添削" and message["actor"] == "加藤"
    assert next(s for s in steps if s["type"] == "note_added")["fields"]["text"] == "前向き"
    english = tmp_path / "en.csv"
    english.write_text("Name,Case,Importance,Last contact,Next,Mood,Follow-up,Owner\n"
                       "Emma Smith,E-1,normal,2026-10-20,,upbeat,CV review,kato\n", encoding="utf-8")
    followup("import", str(english))
    assert {r["client"]: r for r in followup.json("status")}["E-1"]["importance"] == "normal"


def test_csv_export_writes_the_sheets_columns_and_reimports_to_the_same_clients(followup, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(PRACTITIONER_SHEET, encoding="utf-8")
    followup("import", str(sheet))
    followup("record", "client", "--id", "kim", "--name", "김민준", "--case", "재취업", "--importance", "normal")
    out = tmp_path / "status.csv"
    followup("export", "--csv", str(out))
    import csv as csv_module

    rows = list(csv_module.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    aoki = next(r for r in rows if r["case"] == "A-1")
    assert (aoki["name"], aoki["reading"], aoki["importance"], aoki["mood"], aoki["follow-up"], aoki["owner"]) == (
        "青木 花子", "アオキ ハナコ", "high", "前向き", "職務経歴書の添削", "加藤")
    assert (aoki["last contact"], aoki["next planned contact"]) == ("2026-10-20", "2026-11-19")  # the monthly check-in
    kim = next(r for r in rows if r["case"] == "kim")
    assert kim["case name"] == "재취업"
    again = Followup(tmp_path / "other.jsonl", now=followup.now)
    again("import", str(out))
    status = {r["client"]: r for r in again.json("status")}
    assert set(status) == {"A-1", "W-1", "kim"}
    assert status["kim"]["case"] == "재취업" and status["A-1"]["reading"] == "アオキ ハナコ"
    assert status["A-1"]["importance"] == "high"


def test_ics_holds_every_upcoming_checkpoint_of_the_ladder_with_stable_uids(followup, tmp_path):
    from icalendar import Calendar

    followup("record", "client", "--id", "aoki", "--name", "青木 花子", "--plan", "24-72-7", "--at", "2026-10-01")
    followup("record", "session", "aoki", "--at", "2026-11-01T10:00", now="2026-11-01T11:00+09:00")
    first = tmp_path / "a.ics"
    followup("export", "--ics", str(first), now="2026-11-01T11:00+09:00")
    events = Calendar.from_ical(first.read_bytes()).walk("VEVENT")
    got = sorted((e.decoded("DTSTART").isoformat(), str(e["SUMMARY"])) for e in events)
    assert got == [("2026-11-02", "24h: 青木 花子"), ("2026-11-04", "72h: 青木 花子"), ("2026-11-08", "1w: 青木 花子")]
    uids = {str(e["SUMMARY"]): str(e["UID"]) for e in events}
    assert len(set(uids.values())) == 3
    followup("record", "message", "aoki", "--at", "2026-11-02T09:00", now="2026-11-02T10:00+09:00")
    second = tmp_path / "b.ics"
    followup("export", "--ics", str(second), now="2026-11-02T10:00+09:00")
    later = {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(second.read_bytes()).walk("VEVENT")}
    assert later == {k: v for k, v in uids.items() if not k.startswith("24h")}
