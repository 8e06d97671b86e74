"""A client's moments read back from storage are kept as integers (core/moments.py): they read,
compare, cut and grow exactly as the list they stand for, with every moment's own offset, and
take a fraction of the memory."""

from __future__ import annotations

import tracemalloc
from bisect import bisect_left, bisect_right, insort
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from msgspec.structs import replace

from tui_followup.core.clock import FixedClock
from tui_followup.core.caseload import ClientFacts, fold
from tui_followup.core.moments import MarkList, MomentList, compact, compact_marks, index_left, index_right, local_days, marks_index_right
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.snapshot import _encoder

from .helpers import TOKYO, at, message, register
from .test_snapshot import EVERY_TIME

TOKYO_FIXED = timezone(timedelta(hours=9))
OFFSETS = st.sampled_from([0, 9 * 3600, -5 * 3600, 5 * 3600 + 1800, 13 * 3600 + 45 * 60, -12 * 3600])
moment = st.builds(
    lambda seconds, micro, offset: (datetime(2020, 1, 1, tzinfo=timezone.utc)
                                    + timedelta(seconds=seconds, microseconds=micro)).astimezone(
        timezone(timedelta(seconds=offset))),
    st.integers(-10**9, 10**9), st.sampled_from([0, 0, 1, 999_999, 123_456]), OFFSETS)


one_zone = st.lists(moment, max_size=30).map(lambda ms: [m.astimezone(TOKYO_FIXED) for m in ms])


@given(st.one_of(st.lists(moment, max_size=30), one_zone), moment, st.sampled_from([TOKYO, timezone.utc]))
def test_moments_kept_read_as_the_list_they_stand_for(values, probe, tz):
    values.sort()
    kept = compact(values)
    assert isinstance(kept, MomentList) or values == []
    if not values:
        return
    assert kept == values and values == kept and list(kept) == values
    # the same moment with the same offset: what the history and the exports print
    assert [m.isoformat() for m in kept] == [m.isoformat() for m in values]
    assert [kept[i].isoformat() for i in range(-len(values), len(values))] == \
           [values[i].isoformat() for i in range(-len(values), len(values))]
    assert bisect_right(kept, probe) == bisect_right(values, probe) == index_right(kept, probe)
    assert bisect_left(kept, probe) == bisect_left(values, probe) == index_left(kept, probe)
    for m in values:  # a moment itself: where a search for it lands
        assert index_left(kept, m) == bisect_left(values, m) and index_right(kept, m) == bisect_right(values, m)
    assert local_days(kept, tz) == local_days(values, tz) == [m.astimezone(tz).date() for m in values]
    cut = bisect_right(values, probe)
    assert kept[:cut] == values[:cut] and isinstance(kept[:cut], MomentList)
    assert kept + [probe] == values + [probe] and [probe] + kept == [probe] + values
    assert _encoder.encode(kept) == _encoder.encode(values)  # a snapshot written again says the same
    insort(kept, probe)  # a later event folded in after the snapshot
    insort(values, probe)
    assert kept == values and [m.isoformat() for m in kept] == [m.isoformat() for m in values]
    assert (kept == values[:-1]) is False or not values


def test_a_moment_a_timestamp_would_not_give_back_exactly_keeps_the_list():
    naive = [datetime(2026, 1, 1, 9, 0)]
    assert compact(naive) is naive
    far = [datetime(2026, 1, 1, tzinfo=TOKYO_FIXED), datetime(9000, 1, 1, 0, 0, 0, 1, tzinfo=TOKYO_FIXED)]
    assert compact(far) is far


def test_a_far_dated_event_after_the_snapshot_is_folded_exactly():
    """One far date took the whole caseload down once: folded onto moments kept compactly, it
    turns them back into a list rather than lose its microsecond."""
    facts = ClientFacts("c1")
    facts.messages = compact([datetime(2026, 1, 1, 9, tzinfo=TOKYO_FIXED)])
    far = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=TOKYO_FIXED)
    early = datetime(2025, 1, 1, 9, 0, 0, 1, tzinfo=timezone.utc)
    for when in (early, far):
        fold(facts, replace(message("2026-01-01"), at=when, recorded_at=when))
    assert facts.messages == [early, datetime(2026, 1, 1, 9, tzinfo=TOKYO_FIXED), far]
    assert facts.messages[-1].isoformat() == "9999-12-31T23:59:59.999999+09:00"
    assert facts.messages[0].isoformat() == "2025-01-01T09:00:00.000001+00:00"


def test_a_clients_contact_times_from_a_snapshot_take_a_fraction_of_a_list_of_datetimes(tmp_path):
    """At a million events the contact times read back for the audit were a quarter of the
    app's memory (850,000 datetimes): kept as integers, 12 bytes a moment."""
    path = tmp_path / "events.jsonl"
    start = at("2024-01-01 09:00")
    sent = [start + timedelta(hours=3 * n) for n in range(2000)]
    LogStore(path).append([register(when="2024-01-01 08:00"),
                           *(replace(message("2024-01-01"), id=f"m{n}", at=m, recorded_at=m) for n, m in enumerate(sent))])
    clock = FixedClock(at("2025-01-01"))
    Journal.open(path, clock=clock, tz=TOKYO, sizes=EVERY_TIME)  # writes the snapshot
    warm = Journal.open(path, clock=clock, tz=TOKYO, sizes=EVERY_TIME)
    assert warm.caseload.source is not None  # opened from the snapshot
    facts = warm.caseload.clients["c1"]
    tracemalloc.start()
    try:
        messages = facts.messages  # read back from the snapshot now
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert messages == sent and messages[-1].isoformat() == sent[-1].isoformat()
    assert size < 2000 * 20  # a list of datetimes: 2000 × 56 bytes


def test_a_copy_of_kept_moments_grows_apart_from_them():
    import copy

    kept = compact([datetime(2026, 1, 1, 9, tzinfo=TOKYO_FIXED), datetime(2026, 1, 2, 9, tzinfo=TOKYO_FIXED)])
    other = copy.copy(kept)
    other.append(datetime(2026, 1, 3, 9, tzinfo=timezone.utc))
    assert len(kept) == 2 and kept[-1] == datetime(2026, 1, 2, 9, tzinfo=TOKYO_FIXED) and len(other) == 3


mark = st.tuples(moment, st.sampled_from(["checkpoint", "respond", "intent-check", "promise", ""]), st.booleans())


@given(st.lists(mark, max_size=30), mark)
def test_marks_kept_read_as_the_list_they_stand_for(values, probe):
    """What each message answered, kept as the moments are (issue 27, item 3: on a log where
    every message says so, 523,282 tuples of a datetime were some 60 MB at 1M)."""
    values.sort()
    kept = compact_marks(values)
    assert isinstance(kept, MarkList) or values == []
    if not values:
        return
    assert kept == values and values == kept and list(kept) == values
    assert [kept[i][0].isoformat() for i in range(-len(values), len(values))] == \
           [values[i][0].isoformat() for i in range(-len(values), len(values))]
    key = lambda m: m[0]  # noqa: E731  # (as the policy searches them)
    cut = bisect_right(values, probe[0], key=key)
    assert bisect_right(kept, probe[0], key=key) == cut
    assert marks_index_right(kept, probe[0]) == marks_index_right(values, probe[0]) == cut  # on the timestamps
    assert kept[:cut] == values[:cut] and isinstance(kept[:cut], MarkList)
    assert kept + [probe] == values + [probe] and [probe] + kept == [probe] + values
    assert _encoder.encode(kept) == _encoder.encode(values)  # a snapshot written again says the same
    insort(kept, probe)  # a later message folded in after the snapshot
    insort(values, probe)
    assert kept == values


def test_a_mark_a_timestamp_would_not_give_back_exactly_keeps_the_list():
    from tui_followup.core.facts import FACTS

    marks = next(f for f in FACTS if f.name == "message_marks")
    facts = ClientFacts("c1")
    facts.message_marks = compact_marks([(at("2024-01-01 09:00").astimezone(timezone.utc), "checkpoint", False)])
    assert isinstance(facts.message_marks, MarkList)
    far = replace(message("2024-01-02"), at=datetime(2200, 1, 1, tzinfo=timezone.utc), answers="respond")
    marks.step(facts, far)
    assert type(facts.message_marks) is list and facts.message_marks[-1] == (far.at, "respond", False)


def test_a_clients_marks_from_a_snapshot_take_a_fraction_of_a_list_of_tuples(tmp_path):
    path = tmp_path / "events.jsonl"
    start = at("2024-01-01 09:00")
    sent = [start + timedelta(hours=3 * n) for n in range(2000)]
    LogStore(path).append([register(when="2024-01-01 08:00"),
                           *(replace(message("2024-01-01"), id=f"m{n}", at=m, recorded_at=m, answers="checkpoint")
                             for n, m in enumerate(sent))])
    clock = FixedClock(at("2025-01-01"))
    Journal.open(path, clock=clock, tz=TOKYO, sizes=EVERY_TIME)  # writes the snapshot
    warm = Journal.open(path, clock=clock, tz=TOKYO, sizes=EVERY_TIME)
    facts = warm.caseload.clients["c1"]
    tracemalloc.start()
    try:
        marks = facts.message_marks  # read back from the snapshot now (with the other lists)
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert marks == [(m, "checkpoint", False) for m in sent]
    assert size < 2000 * 45  # as tuples: 2000 × (72 + 48 + 8) bytes for the marks alone
