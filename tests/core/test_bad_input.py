"""Bad input at the core: the command layer refuses far dates and overlong text whoever calls it;
a log line with a far date, or nested too deep, is a problem of its line and the rest reads."""

from __future__ import annotations

from datetime import date, datetime, timezone

import msgspec
import pytest

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.caseload import Caseload
from tui_followup.core.clock import DATE_RANGE, FixedClock, OutOfRange, parse_date, parse_moment
from tui_followup.core.codec import decode, decode_lines, encode, encode_lines
from tui_followup.core.commands import MAX_TEXT
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.storage.journal import Journal

from .helpers import TOKYO, at, message, register

FAR = datetime(9999, 12, 31, 10, 0, tzinfo=TOKYO)
EARLY = datetime(1, 1, 1, 8, 0, tzinfo=TOKYO)


@pytest.fixture
def journal(tmp_path):
    j = Journal.open(tmp_path / "events.jsonl", clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, actor="kato")
    j.record(cmd.register_client, "aoki", "青木 花子")
    j.record(cmd.hold_session, "aoki", at=at("2026-11-09 10:00"))
    j.promise = j.record(cmd.make_promise, "aoki", date(2026, 11, 20), "call").id
    return j


@pytest.mark.parametrize("command, args, kwargs", [
    (cmd.register_client, ("new", "New One"), {"at": EARLY}),
    (cmd.hold_session, ("aoki",), {"at": FAR}),
    (cmd.send_message, ("aoki",), {"at": datetime(2201, 1, 1, tzinfo=timezone.utc)}),
    (cmd.receive_reply, ("aoki",), {"at": datetime(1899, 12, 31, 23, 0, tzinfo=timezone.utc)}),
    (cmd.add_note, ("aoki", "x"), {"at": EARLY}),
    (cmd.snooze, ("aoki", date(9999, 12, 31)), {}),
    (cmd.make_promise, ("aoki", date(9999, 12, 31), "call"), {}),
    (cmd.pause, ("aoki",), {"until": date(2201, 1, 1)}),
    (cmd.reschedule_promise, ("PROMISE", date(9999, 12, 31)), {}),
    (cmd.keep_promise, ("PROMISE",), {"at": FAR}),
    (cmd.close_case, ("aoki", "withdrew"), {"at": FAR}),
    (cmd.miss_session, ("aoki", "no_show"), {"at": FAR}),
    (cmd.receive_feedback, ("aoki", 4), {"at": EARLY}),
    (cmd.assign, ("aoki", "sato"), {"at": FAR}),
    (cmd.record_consent, ("aoki", "email"), {"at": FAR}),
    (cmd.update_client, ("aoki",), {"name": "青木 はな", "at": FAR}),
])
def test_the_command_layer_refuses_a_date_outside_the_range(journal, command, args, kwargs):
    args = tuple(journal.promise if a == "PROMISE" else a for a in args)
    before = journal.path.read_bytes()
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(command, *args, **kwargs)
    assert refused.value.key == "date_out_of_range"
    assert "1900-01-01 to 2200-12-31" in str(refused.value)
    assert journal.path.read_bytes() == before


def test_the_command_layer_refuses_text_longer_than_the_limit(journal):
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.add_note, "aoki", "x" * (MAX_TEXT + 1))
    assert refused.value.key == "too_long" and refused.value.params["field"] == "text"
    with pytest.raises(cmd.CommandError):
        journal.record(cmd.register_client, "long", "y" * (MAX_TEXT + 1))
    journal.record(cmd.add_note, "aoki", "x" * MAX_TEXT)  # the limit itself is kept


def test_an_imported_event_is_refused_by_the_same_rule():
    row = msgspec.structs.replace(register("c1", "Aoki"), at=FAR)
    with pytest.raises(cmd.CommandError) as refused:
        cmd.admit(Caseload(), row, DEFAULT_POLICY, TOKYO)
    assert refused.value.key == "date_out_of_range"
    row = msgspec.structs.replace(register("c1", "Aoki"), note="x" * (MAX_TEXT + 1))
    with pytest.raises(cmd.CommandError) as refused:
        cmd.admit(Caseload(), row, DEFAULT_POLICY, TOKYO)
    assert refused.value.key == "too_long"


def test_dates_typed_outside_the_range_are_not_dates_to_keep():
    first, last = DATE_RANGE
    assert parse_date(first.isoformat()) == first and parse_date(last.isoformat()) == last
    for text in ("9999-12-31", "1899-12-31", "2201-01-01", "0001-01-01"):
        with pytest.raises(OutOfRange):
            parse_date(text.replace("-", "/"))
        with pytest.raises(OutOfRange):
            parse_moment(text + "T08:00", TOKYO)
        with pytest.raises(OutOfRange):
            parse_moment(text, TOKYO)


def test_a_far_date_line_is_a_problem_of_its_line_and_the_rest_reads():
    good = [register("c1", "Aoki"), message("2026-11-10", client="c1")]
    far_at = msgspec.structs.replace(message("2026-11-11", client="c1"), at=FAR)
    far_due = ev.PromiseMade(id="p1", at=at("2026-11-11"), recorded_at=at("2026-11-11"), actor="t", client="c1",
                             due=date(9999, 12, 31), what="x")
    far_recorded = msgspec.structs.replace(message("2026-11-12", client="c1"), recorded_at=EARLY)
    for bad in (far_at, far_due, far_recorded):
        data = encode_lines([good[0], bad, good[1]])
        events, problems, numbers = decode_lines(data, first_line=10)
        assert events == good and list(numbers) == [10, 12]
        (problem,) = problems
        assert problem.line == 11 and problem.key == "date_range"
        assert problem.message.startswith("a date outside 1900-01-01 to 2200-12-31")
        with pytest.raises(ValueError):
            decode(encode(bad))


def test_a_line_nested_too_deep_is_a_problem_of_its_line_not_a_crash():
    good = [register("c1", "Aoki"), message("2026-11-10", client="c1")]
    for deep in (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b"[" * 100_000 + b"]" * 100_000):
        data = encode(good[0]) + b"\n" + deep + b"\n" + encode(good[1]) + b"\n"
        events, problems, numbers = decode_lines(data)
        assert events == good and list(numbers) == [1, 3]
        assert [(p.line, p.key) for p in problems] == [(2, "too_deep")]
