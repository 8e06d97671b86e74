"""The follow-up policy, third edition (the seams between the rules): the worked examples of
issue 22 verbatim, through the `followup` command line."""

from __future__ import annotations

import pytest

from .test_cli import Followup

NOW = "2027-12-31T09:00+09:00"  # every event below is back-dated with --at


@pytest.fixture
def followup(tmp_path):
    return Followup(tmp_path / "events.jsonl", now=NOW)


def client(f, plan: str = "standard", registered: str = "2027-02-20"):
    f("record", "client", "--id", "aoki", "--name", "Aoki", "--plan", plan, "--at", registered)


def at(day: str, hour: str = "10:00") -> str:
    return f"2027-{day}T{hour}"


def record(f, kind: str, *args: str, on: str, now: str | None = None):
    return f("record", kind, "aoki", *args, "--at", at(on), now=now)


def due(f, day: str, days: int = 0):
    """(kind, reason, due, overdue days) of every item due as of ``day`` (+ ``days``)."""
    return [(i["kind"], i["reason"], i["due"][5:], i["overdue_days"])
            for i in f.json("due", "--as-of", f"2027-{day}", "--days", str(days))]


# -- §1 a message answers the item it was written for ---------------------------------------


def test_example_k_a_message_that_keeps_a_promise_does_not_ask_the_question(followup):
    client(followup)
    record(followup, "session", on="03-01")
    for day in ("03-02", "03-08", "03-31"):
        record(followup, "message", on=day)
    promise = followup("record", "promise", "aoki", "--due", "2027-05-02", "--what", "job list",
                       "--at", at("04-20")).stdout.strip()
    record(followup, "message", "--keeps", promise, on="05-02")
    assert due(followup, "05-03") == [("intent-check", "intent-check", "04-30", 3)]
    assert [k for k, *_ in due(followup, "07-01")] == ["intent-check"]  # no decide, ever


def test_a_message_for_the_intent_check_asks_it(followup):
    client(followup)
    record(followup, "session", on="03-01")
    for day in ("03-02", "03-08", "03-31"):
        record(followup, "message", on=day)
    record(followup, "message", "--for", "intent-check", on="05-02")
    assert due(followup, "05-03", days=60) == [("decide", "decide", "06-01", 0)]


# -- §2 wait after two unanswered messages, then ask once -----------------------------------


def test_example_w_the_weekly_plan_waits_after_two_unanswered_messages(followup):
    client(followup, plan="weekly")
    record(followup, "session", on="03-02")
    for day in ("03-03", "03-09", "03-16"):
        record(followup, "message", on=day)
    assert due(followup, "03-16", days=60) == [("intent-check", "intent-check", "03-30", 0)]
    assert due(followup, "03-23") == []
    assert due(followup, "03-30") == [("intent-check", "intent-check", "03-30", 0)]


def test_example_s_the_standard_plan_asks_after_sixty_days(followup):
    client(followup)
    record(followup, "session", on="06-01")
    for day in ("06-02", "06-08", "07-01"):
        record(followup, "message", on=day)
    assert due(followup, "07-01", days=120) == [("intent-check", "intent-check", "07-31", 0)]
    assert due(followup, "07-31") == [("intent-check", "intent-check", "07-31", 0)]


def test_a_message_that_needs_no_reply_is_not_unanswered(followup):
    client(followup, plan="weekly")
    record(followup, "session", on="03-02")
    record(followup, "message", on="03-03")
    record(followup, "message", "--no-reply-needed", on="03-09")
    record(followup, "message", on="03-16")
    assert [k for k, *_ in due(followup, "03-23")] == ["checkpoint"]  # one unanswered: the check-in


def test_silence_days_per_plan_from_the_config(followup, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[plans.weekly]\nladder = [1, 7]\ninterval = 7\nsilence_days = 40\n", encoding="utf-8")
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(config))
    client(followup, plan="weekly")
    record(followup, "session", on="03-02")
    for day in ("03-03", "03-09", "03-16"):
        record(followup, "message", on=day)
    assert due(followup, "03-16", days=60) == [("intent-check", "intent-check", "04-11", 0)]


# -- §3 never chase after the question ------------------------------------------------------


def test_a_message_after_an_unanswered_question_says_the_day_it_was_asked(followup):
    client(followup)
    record(followup, "session", on="03-01")
    for day in ("03-02", "03-08", "03-31"):
        record(followup, "message", on=day)
    quiet = record(followup, "message", "--for", "intent-check", on="04-30")
    assert quiet.stderr == ""
    chased = record(followup, "message", on="05-20")
    assert chased.returncode == 0
    assert chased.stderr.splitlines() == [
        "followup: warning: you asked Aoki about their intent on 2027-04-30 and have had no answer: "
        "the decision is yours (close, pause or wait); recorded"]


# -- §4 pause and resume ----------------------------------------------------------------------


def test_example_p_a_paused_client_who_wrote_is_still_asked_at_the_pause_end(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    record(followup, "pause", "--until", "2027-05-10", on="03-10")
    record(followup, "reply", on="04-01")
    assert due(followup, "04-01") == [("respond", "respond", "04-01", 0)]
    record(followup, "message", on="04-02")
    assert due(followup, "04-03") == []
    assert due(followup, "05-10") == [("intent-check", "intent-check", "05-10", 0)]
    record(followup, "message", on="05-10")  # written for the first item: the question
    assert due(followup, "05-11", days=60) == [("decide", "decide", "06-09", 0)]
    record(followup, "reply", on="06-09")
    assert [(k, d) for k, _, d, _ in due(followup, "06-09")] == [("respond", "06-09"), ("decide", "06-09")]


def test_example_r_resuming_clears_the_question_from_before(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    record(followup, "pause", on="03-10")
    assert due(followup, "04-09") == [("intent-check", "intent-check", "04-09", 0)]
    record(followup, "resume", on="04-20")
    assert [(k, d) for k, _, d, _ in due(followup, "04-20", days=60)] == [("checkpoint", "04-20")]


def test_resuming_after_silence_counts_it_from_the_resume_day(followup):
    client(followup)
    record(followup, "session", on="03-01")
    for day in ("03-02", "03-08", "03-31"):
        record(followup, "message", on=day)
    record(followup, "pause", on="05-10")
    record(followup, "resume", on="06-01")
    assert [(k, d) for k, _, d, _ in due(followup, "06-01", days=20)] == [("checkpoint", "06-01")]


# -- §5 a closed client who writes back is welcomed -------------------------------------------


def test_example_c_a_closed_client_who_writes_back(followup):
    client(followup)
    record(followup, "session", on="03-01")
    followup("record", "close", "aoki", "--reason", "no_response", "--at", at("05-01"))
    record(followup, "reply", on="06-15")
    (item,) = followup.json("due", "--as-of", "2027-06-15")
    assert (item["kind"], item["due"], item["detail"]) == (
        "respond", "2027-06-15", "wrote back after the close of 05-01")
    record(followup, "message", on="06-16")
    assert due(followup, "06-16", days=400) == []
    (row,) = followup.json("status")
    assert row["state"] == "closed"
    assert followup.json("audit", "--as-of", "2027-06-16")["returns"] == 1


def test_a_closed_client_who_has_not_written_still_cannot_be_messaged(followup):
    client(followup)
    followup("record", "close", "aoki", "--reason", "no_response", "--at", at("05-01"))
    out = followup("record", "message", "aoki", "--at", at("06-16"), ok=False)
    assert out.returncode == 2 and "reopen" in out.stderr


# -- §6 appointments --------------------------------------------------------------------------


def test_example_a_an_appointment_ahead(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    record(followup, "message", on="03-08")
    booked = followup("record", "appointment", "aoki", "--when", "2027-04-05T14:00", "--at", at("03-09"))
    assert len(booked.stdout.strip()) >= 16
    assert due(followup, "03-31") == []
    assert due(followup, "04-05") == [("appointment", "appointment", "04-05", 0)]
    (item,) = followup.json("due", "--as-of", "2027-04-05")
    assert item["detail"] == "session at 14:00"
    assert due(followup, "04-06") == [("appointment", "appointment", "04-05", 1)]
    record(followup, "session", on="04-05", now="2027-04-05T15:00+09:00")
    assert due(followup, "04-06") == [("checkpoint", "24h", "04-06", 0)]


def test_a_session_later_than_now_is_refused_naming_appointment(followup):
    client(followup)
    before = followup.log.read_bytes()
    out = followup("record", "session", "aoki", "--at", "2027-04-05T14:00", now="2027-03-09T09:00+09:00", ok=False)
    assert out.returncode == 2 and "record appointment" in out.stderr and len(out.stderr.splitlines()) == 1
    assert followup.log.read_bytes() == before


def test_a_cancelled_appointment_is_no_longer_ahead(followup):
    client(followup)
    record(followup, "session", on="03-01")
    booked = followup("record", "appointment", "aoki", "--when", "2027-04-05T14:00", "--at", at("03-09"))
    followup("record", "cancel-appointment", booked.stdout.strip(), "--reason", "ill", "--at", at("03-20"))
    assert [k for k, *_ in due(followup, "04-06")] == ["checkpoint"]


def test_appointments_go_into_the_calendar_export(followup, tmp_path):
    client(followup)
    record(followup, "session", on="03-01")
    followup("record", "appointment", "aoki", "--when", "2027-04-05T14:00", "--minutes", "60", "--at", at("03-09"))
    out = tmp_path / "due.ics"
    followup("export", "--ics", str(out), now="2027-03-10T09:00+09:00")
    text = out.read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Tokyo:20270405T140000" in text or "DTSTART:20270405T050000Z" in text
    assert "DURATION:PT60M" in text or "DTEND" in text


# -- §7 a new client is not forgotten ---------------------------------------------------------


def test_example_n_a_new_client_without_a_session(followup):
    client(followup, registered="2027-03-01")
    assert due(followup, "03-07") == []
    assert due(followup, "03-08") == [("first-session", "first-session", "03-08", 0)]
    followup("record", "appointment", "aoki", "--when", "2027-03-12T10:00", "--at", at("03-08"))
    assert due(followup, "03-09") == []


# -- §8 pace counts only extra messages -------------------------------------------------------


def test_example_o_the_plan_own_pace_is_never_too_much(followup):
    client(followup, plan="24-72-7")
    record(followup, "session", on="03-02")
    for day in ("03-03", "03-05", "03-09"):
        assert record(followup, "message", on=day).stderr == ""
    assert "over_contact" not in followup.json("audit", "--as-of", "2027-03-09")["clients"][0]["flags"]
    extra = record(followup, "message", on="03-10")
    assert "max_per_week" in extra.stderr
    assert "over_contact" in followup.json("audit", "--as-of", "2027-03-10")["clients"][0]["flags"]


def test_answering_a_client_three_days_running_is_a_conversation(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    for day in ("03-10", "03-11", "03-12"):
        followup("record", "reply", "aoki", "--at", at(day, "09:00"))
        assert record(followup, "message", on=day).stderr == ""
    assert "over_contact" not in followup.json("audit", "--as-of", "2027-03-12")["clients"][0]["flags"]


# -- §10 one definition of each measure ------------------------------------------------------


def test_status_says_from_whom_the_last_contact_was(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    (row,) = followup.json("status")
    assert row["last_from_them"].startswith("2027-03-01")
    assert row["last_from_you"].startswith("2027-03-02")
    assert row["last_contact"].startswith("2027-03-02")


def logged(f, event_id: str) -> dict:
    """The log's line of one event, as written."""
    import json

    return next(line for line in map(json.loads, f.log.read_text(encoding="utf-8").splitlines())
                if line["id"] == event_id)


def test_every_record_kind_takes_at(followup):
    client(followup)
    promise = followup("record", "promise", "aoki", "--due", "2027-05-02", "--what", "job list",
                       "--at", at("04-20")).stdout.strip()
    moved = followup("record", "reschedule", promise, "--due", "2027-05-09", "--at", at("04-25")).stdout.strip()
    assert logged(followup, moved)["at"].startswith("2027-04-25T10:00")
    note = followup("record", "note", "aoki", "--text", "typo", "--at", at("04-26")).stdout.strip()
    gone = followup("record", "retract", note, "--reason", "typo", "--at", at("04-27")).stdout.strip()
    assert logged(followup, gone)["at"].startswith("2027-04-27T10:00")


def test_a_promise_rescheduled_after_its_due_date_counts_as_late(followup):
    client(followup)
    record(followup, "session", on="03-01")
    early = followup("record", "promise", "aoki", "--due", "2027-04-01", "--what", "CV",
                     "--at", at("03-20")).stdout.strip()
    late = followup("record", "promise", "aoki", "--due", "2027-04-01", "--what", "job list",
                    "--at", at("03-20")).stdout.strip()
    followup("record", "reschedule", early, "--due", "2027-04-10", "--at", at("03-30"))  # before its day: fine
    followup("record", "reschedule", late, "--due", "2027-04-10", "--at", at("04-05"))  # after it: late
    record(followup, "message", "--keeps", early, on="04-08")
    record(followup, "message", "--keeps", late, on="04-08")
    (row,) = followup.json("audit", "--as-of", "2027-04-10")["clients"]
    assert (row["promises_due"], row["promises_kept_on_time"]) == (2, 1)


def test_first_follow_up_is_the_first_message_after_the_session_in_audit_and_measures(followup):
    """A message recorded with the session's own moment is the session's note, not a follow-up
    (issue 25): the audit and the measures both count the next one."""
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-01")  # the same moment as the session
    record(followup, "message", on="03-09")
    report = followup.json("audit", "--as-of", "2027-03-10")
    assert report["clients"][0]["first_follow_up_days"] == [8]
    assert report["metrics"]["first_follow_up_median_days"] == 8


def test_your_response_time_is_from_their_reply_to_your_next_message_or_session(followup):
    client(followup)
    record(followup, "session", on="03-01")
    record(followup, "message", on="03-02")
    followup("record", "reply", "aoki", "--at", at("03-04", "09:00"))
    followup("record", "reply", "aoki", "--at", at("03-05", "09:00"))  # the same wait: counted once
    record(followup, "message", on="03-07")  # 3 days after their first reply
    followup("record", "reply", "aoki", "--at", at("03-10", "09:00"))
    record(followup, "session", on="03-11")  # a session answers it too: 1 day
    followup("record", "reply", "aoki", "--at", at("03-20", "09:00"))  # not answered yet: not counted
    report = followup.json("audit", "--as-of", "2027-03-21")
    assert report["clients"][0]["response_days"] == [3, 1]
    assert report["metrics"]["response_median_days"] == 2.0


def test_status_ahead_says_what_comes_next(followup):
    client(followup)
    record(followup, "session", on="06-01")
    record(followup, "message", on="06-02")
    (row,) = followup.json("status", now="2027-06-03T09:00+09:00")  # window_opens None: the item already
    assert [(a["reason"], a["due"], a["window_opens"], a["waiting_since"]) for a in row["ahead"]] == [
        ("1w", "2027-06-08", None, None), ("1m", "2027-07-01", "2027-06-24", None),
        ("3m", "2027-08-30", "2027-08-10", None)]
    for day in ("06-08", "07-01"):
        record(followup, "message", on=day)
    (row,) = followup.json("status", now="2027-07-02T09:00+09:00")
    assert [(a["kind"], a["due"], a["waiting_since"]) for a in row["ahead"]] == [
        ("intent-check", "2027-07-31", "2027-06-08")]
