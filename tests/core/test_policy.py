"""Every rule of the follow-up policy (first-edition examples that still hold); the second
edition's worked examples are in test_policy_second_edition.py."""



from tui_followup.core import events as ev

from .helpers import items_on, make, message, open_items, register, reply, session


def test_worked_example_standard_plan_tokyo():
    log = [register(), session("2026-11-01 10:00")]
    assert items_on(log, "2026-11-01") == []
    assert items_on(log, "2026-11-02") == [("24h", "2026-11-02", 0)]

    log.append(message("2026-11-02 09:30"))
    assert open_items(log) == [("1w", "2026-11-08")]
    assert items_on(log, "2026-11-10") == [("1w", "2026-11-08", 2)]

    log.append(message("2026-11-10 15:00"))
    assert open_items(log) == [("1m", "2026-12-01")]

    log.append(message("2026-12-01 10:00"))
    log.append(reply("2026-12-01 21:00"))  # (a client who never answers is met by rule 2: see the second edition)
    assert open_items(log, day="2026-12-02") == [("3m", "2027-01-30"), ("respond", "2026-12-01")]

    log.append(message("2027-01-30 10:00"))
    assert open_items(log) == [("monthly", "2027-03-01")]

    log.append(session("2027-02-10 14:00"))
    assert open_items(log) == [("24h", "2027-02-11")]


def test_messages_on_one_day_count_once():
    log = [register(), session("2026-11-01 10:00"),
           message("2026-11-02 09:00"), message("2026-11-02 17:00")]
    assert open_items(log) == [("1w", "2026-11-08")]


def test_message_before_the_session_does_not_count_for_its_ladder():
    log = [register(), message("2026-11-01 08:00"), session("2026-11-01 10:00")]
    assert open_items(log) == [("24h", "2026-11-02")]


def test_weekly_plan_goes_weekly_after_its_ladder():
    log = [register(plan="weekly"), session("2026-11-01 10:00"),
           message("2026-11-02"), message("2026-11-08")]
    assert open_items(log) == [("weekly", "2026-11-15")]


def test_24_72_7_plan():
    log = [register(plan="24-72-7"), session("2026-11-01 10:00"), message("2026-11-02")]
    assert open_items(log) == [("72h", "2026-11-04")]
    log.append(message("2026-11-04"))
    assert open_items(log) == [("1w", "2026-11-08")]
    log.append(message("2026-11-08"))
    # Third edition: two messages unanswered (the 24h note needs no reply): wait, then ask once.
    assert open_items(log) == [("intent-check", "2026-12-01")]
    log.insert(-1, reply("2026-11-05"))  # a client who answers stays on the check-ins
    assert open_items(log) == [("monthly", "2026-12-08")]


def test_days_window_shows_what_is_coming():
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02")]
    assert items_on(log, "2026-11-03") == []
    assert items_on(log, "2026-11-03", days=7) == [("1w", "2026-11-08", 0)]


def test_reply_puts_respond_until_a_message_or_session_follows():
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02"),
           reply("2026-11-04 20:00")]
    assert ("respond", "2026-11-04") in open_items(log)
    log.append(message("2026-11-05"))
    assert all(label != "respond" for label, _ in open_items(log))

    log2 = log[:4] + [session("2026-11-06")]
    assert all(label != "respond" for label, _ in open_items(log2))


def test_a_pause_answered_by_a_reply_still_asks_at_its_end():
    """Third edition: the reply is answered, and the one question still falls due at the pause's end."""
    log = [register(), session("2026-09-01"), make(ev.ClientPaused, "2026-10-01"),
           reply("2026-10-10")]
    assert open_items(log) == [("intent-check", "2026-10-31"), ("respond", "2026-10-10")]


def test_resume_brings_the_ladder_back_without_old_overdue():
    log = [register(), session("2026-09-01 10:00"), message("2026-09-02"),
           make(ev.ClientPaused, "2026-09-05"), make(ev.ClientResumed, "2026-11-10")]
    # Back on 11-10, the 3m window (from 11-10) is open: the look back, the 1w and 1m missed.
    assert open_items(log) == [("3m", "2026-11-30")]


def test_closed_case_has_nothing_due_and_reopen_makes_it_active():
    log = [register(), session("2026-11-01 10:00"), reply("2026-11-03"),
           make(ev.CaseClosed, "2026-11-04", reason="goal_achieved")]
    assert open_items(log) == []
    log.append(make(ev.CaseReopened, "2026-11-20"))
    assert ("1w", "2026-11-20") in open_items(log)  # 24h missed; not overdue for the time away


def test_retracted_events_count_as_never_happened():
    log = [register(), session("2026-11-01 10:00"), message("2026-11-02")]
    wrong = log[-1]
    log.append(make(ev.EventRetracted, "2026-11-03", target=wrong.id, reason="wrong client"))
    assert open_items(log) == [("24h", "2026-11-02")]


def test_client_with_no_session_and_no_message_is_due_a_first_session():
    """Third edition: a new client is on the list first_session_days after registering."""
    assert open_items([register()]) == [("first-session", "2026-10-08")]


def test_due_list_is_sorted_by_due_then_name():
    log = [register("b", "Bando"), register("a", "Abe"),
           session("2026-11-01 10:00", "b"), session("2026-11-01 11:00", "a"),
           register("c", "Chiba"), session("2026-10-20", "c")]
    from .helpers import DEFAULT_POLICY, TOKYO, d, due_list, project
    rows = [(i.name, i.due.isoformat()) for i in
            due_list(project(log), d("2026-11-05"), DEFAULT_POLICY, TOKYO)]
    assert rows == [("Chiba", "2026-10-27"), ("Abe", "2026-11-02"), ("Bando", "2026-11-02")]  # Chiba: 1w (24h missed)


def test_a_reopened_case_is_said_reopened_not_resumed():
    """Back from a close the row said "resumed" (a pause's word): the practitioner reads which."""
    from tui_followup.core.caseload import project
    from tui_followup.core.plans import DEFAULT_POLICY
    from tui_followup.core.policy import follow_ups

    from .helpers import TOKYO

    log = [register(), session("2026-09-01 10:00"), message("2026-09-02 10:00"),
           make(ev.CaseClosed, "2026-09-10", reason="other"), make(ev.CaseReopened, "2026-11-20")]
    said = [i.detail for i in follow_ups(project(log).clients["c1"], DEFAULT_POLICY, TOKYO)]
    assert any("reopened 11-20" in d for d in said) and not any("resumed" in d for d in said), said
    paused = [register(), session("2026-09-01 10:00"), message("2026-09-02 10:00"),
              make(ev.ClientPaused, "2026-09-10"), make(ev.ClientResumed, "2026-11-20")]
    said = [i.detail for i in follow_ups(project(paused).clients["c1"], DEFAULT_POLICY, TOKYO)]
    assert any("resumed 11-20" in d for d in said), said
