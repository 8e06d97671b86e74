"""The command layer: what is refused, with a reason, and what is recorded, through a real log."""

from __future__ import annotations

from datetime import date

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import Words
from tui_followup.storage.journal import Journal

from .helpers import TOKYO, at


@pytest.fixture
def journal(tmp_path):
    clock = FixedClock(at("2026-11-10 09:00"))
    j = Journal.open(tmp_path / "events.jsonl", clock=clock, tz=TOKYO, actor="kato")
    j.record(cmd.register_client, "aoki", "青木 花子", channel="chat")
    j.record(cmd.register_client, "abe", "Abe Ken")
    return j


def lines(journal) -> int:
    return journal.path.read_bytes().count(b"\n")


def test_recorded_event_carries_the_envelope(journal):
    event = journal.record(cmd.hold_session, "aoki", at=at("2026-11-09 10:00"), summary="面談")
    assert isinstance(event, ev.SessionHeld)
    assert event.client == "aoki" and event.actor == "kato" and event.v == 2
    assert len(event.prev) == 32  # chained to the line before it
    assert event.at == at("2026-11-09 10:00") and event.recorded_at == at("2026-11-10 09:00")
    assert lines(journal) == 3


def test_message_channel_defaults_to_the_clients_preferred_one(journal):
    assert journal.record(cmd.send_message, "aoki").channel == "chat"


@pytest.mark.parametrize(
    "command, args, words",
    [
        (cmd.send_message, ("nobody",), "unknown client 'nobody'"),
        (cmd.register_client, ("aoki", "Another"), "taken"),
        (cmd.register_client, ("new", "X", "monthly-ish"), "unknown plan"),
        (cmd.resume, ("aoki",), "not paused"),
        (cmd.reopen, ("aoki",), "not closed"),
        (cmd.snooze, ("aoki", date(2026, 11, 10)), "not later than today"),
        (cmd.make_promise, ("aoki", date(2026, 11, 1), "call"), "past"),
        (cmd.retract, ("nope", "x"), "no event"),
    ],
)
def test_refusals_say_why_and_write_nothing(journal, command, args, words):
    before = lines(journal)
    with pytest.raises(cmd.CommandError) as err:
        journal.record(command, *args)
    assert words in str(err.value)
    assert lines(journal) == before


def test_client_by_unambiguous_name_prefix(journal):
    assert journal.record(cmd.add_note, "青木", text="x").client == "aoki"
    assert journal.record(cmd.add_note, "abe k", text="x").client == "abe"


def test_no_message_to_a_closed_case_until_it_is_reopened(journal):
    journal.record(cmd.close_case, "aoki", "goal_achieved")
    with pytest.raises(cmd.CommandError, match="closed: reopen it"):
        journal.record(cmd.send_message, "aoki")
    with pytest.raises(cmd.CommandError, match="already closed"):
        journal.record(cmd.close_case, "aoki", "other")
    journal.record(cmd.reopen, "aoki")
    assert journal.record(cmd.send_message, "aoki").client == "aoki"


def test_withdrawn_consent_refuses_that_channel_only(journal):
    journal.record(cmd.withdraw_consent, "aoki", "chat")
    with pytest.raises(cmd.CommandError, match="withdrew consent"):
        journal.record(cmd.send_message, "aoki")
    assert journal.record(cmd.send_message, "aoki", channel="email").channel == "email"
    journal.record(cmd.record_consent, "aoki", "chat")
    assert journal.record(cmd.send_message, "aoki").channel == "chat"


def test_back_dated_and_forward_dated_events_are_placed_by_when_they_happened(journal):
    journal.record(cmd.hold_session, "aoki", at=at("2026-11-01 10:00"))
    journal.record(cmd.send_message, "aoki", at=at("2026-11-02 10:00"))
    with pytest.raises(cmd.CommandError, match="record appointment"):  # a session ahead is an appointment
        journal.record(cmd.hold_session, "abe", at=at("2026-11-20 10:00"))
    journal.record(cmd.book_appointment, "abe", when=at("2026-11-20 10:00"))
    assert journal.caseload.get("aoki").sessions == [at("2026-11-01 10:00")]
    assert journal.caseload.get("abe").sessions == []
    assert [b.when for b in journal.caseload.get("abe").appointments] == [at("2026-11-20 10:00")]


def test_retract_then_retract_again_is_refused(journal):
    note = journal.record(cmd.add_note, "aoki", text="wrong person")
    undo = journal.record(cmd.retract, note.id[-8:], "wrong client")
    assert undo.target == note.id and undo.client == "aoki"
    assert journal.caseload.is_retracted(note.id)
    with pytest.raises(cmd.CommandError, match="already retracted"):
        journal.record(cmd.retract, note.id, "again")
    with pytest.raises(cmd.CommandError, match="cannot be retracted"):
        journal.record(cmd.retract, undo.id, "undo the undo")


def test_a_command_sees_what_another_writer_appended_before_it(journal, tmp_path):
    other = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO)
    other.record(cmd.close_case, "aoki", "withdrew")
    with pytest.raises(cmd.CommandError, match="closed"):
        journal.record(cmd.send_message, "aoki")  # validated again under the lock
    assert journal.caseload.get("aoki").state == "closed"


def test_view_of_the_past_records_nothing(journal):
    past = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO,
                        as_of=date(2026, 11, 1))
    with pytest.raises(PermissionError):
        past.record(cmd.add_note, "aoki", text="x")


def test_an_ambiguous_name_lists_the_candidates(journal):
    journal.record(cmd.register_client, "aoi", "Aoi Mori")
    journal.record(cmd.register_client, "aok", "Aoki Jun")
    with pytest.raises(cmd.CommandError, match="could be Aoi Mori \\(aoi\\), Aoki Jun \\(aok\\)"):
        journal.record(cmd.send_message, "ao")
    assert journal.record(cmd.send_message, "aoki").client == "aoki"  # an id wins


def test_a_message_refused_when_a_colleague_messaged_the_client_since_the_writer_looked(journal, tmp_path):
    """Two counselors on one client's 1w: the second, deciding on what it saw (no message yet),
    is told who wrote and when instead of the client getting the check twice; told, the same
    message goes in (it has now seen that one). The command line says nothing it did not see."""
    seen = cmd.seen_messages(journal.caseload, "aoki")
    colleague = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:05")), tz=TOKYO, actor="suzuki")
    colleague.record(cmd.send_message, "aoki", template="1w", answers="checkpoint")
    before = lines(journal)
    with pytest.raises(cmd.CommandError) as err:
        journal.record(cmd.send_message, "aoki", template="1w", seen=seen)
    assert err.value.key == "messaged_since"
    assert "青木 花子" in str(err.value)
    assert err.value.params["by"] == "suzuki" and err.value.params["at"] == at("2026-11-10 09:05")
    said = {lang: Words(lang).refusal(err.value) for lang in ("en", "ja", "ko")}
    # who, when and what (its label: the form offers no way to read it without losing its text)
    assert said["en"].startswith("青木 花子 was sent a message (suzuki, 11-10 09:05, 1w) after you opened this one")
    assert "青木 花子 さんへ別の連絡が記録されました（suzuki、11/10 09:05、1週間）" in said["ja"]
    assert "青木 花子 님께 다른 연락이 기록되었습니다 (suzuki, 11월 10일 09:05, 1주)" in said["ko"]
    assert lines(journal) == before
    now_seen = cmd.seen_messages(journal.caseload, "aoki")
    assert now_seen.standing == seen.standing + 1  # what the refusal read (and the screen shows)
    assert journal.record(cmd.send_message, "aoki", template="1w", seen=now_seen).actor == "kato"
    assert journal.record(cmd.send_message, "abe").client == "abe"  # not asked: nothing checked


def test_a_note_or_a_reply_since_is_no_reason_to_refuse_a_message(journal):
    seen = cmd.seen_messages(journal.caseload, "aoki")
    colleague = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:05")), tz=TOKYO, actor="suzuki")
    colleague.record(cmd.add_note, "aoki", text="called, no answer")
    colleague.record(cmd.receive_reply, "aoki", summary="thanks")
    assert journal.record(cmd.send_message, "aoki", seen=seen).client == "aoki"
