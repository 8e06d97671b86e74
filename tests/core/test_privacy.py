"""What is personal in an event is declared beside its type; forget and the anonymized copy
read those declarations, and every date of every type is shifted, found from the types."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import msgspec
import msgspec.inspect as mi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup.core import events as ev
from tui_followup.core import privacy
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import LogStore
from tui_followup.storage.maintenance import check, export_anonymized, forget

from .helpers import TOKYO, at, make, message, register, session
from .strategies import START, _fields_for

TYPES = [pytest.param(cls, id=cls.__struct_config__.tag) for cls in ev.EVENT_TYPES]


def _text_types(info) -> bool:
    """Whether a field's type can hold free text (str, or str inside a union or tuple)."""
    if isinstance(info, mi.StrType):
        return True
    if isinstance(info, mi.UnionType):
        return any(_text_types(t) for t in info.types)
    if isinstance(info, (mi.VarTupleType, mi.ListType, mi.SetType, mi.FrozenSetType)):
        return _text_types(info.item_type)
    if isinstance(info, mi.TupleType):
        return any(_text_types(t) for t in info.item_types)
    return False


@pytest.mark.parametrize("cls", TYPES)
def test_every_event_type_declares_on_itself_what_in_it_is_personal(cls):
    assert "personal" in vars(cls), f"{cls.__name__} does not declare `personal`"
    fields = set(cls.__struct_fields__)
    for part in ("personal", "refs", "actors"):
        unknown = set(getattr(cls, part)) - fields
        assert not unknown, f"{cls.__name__}.{part} names no field: {sorted(unknown)}"


@pytest.mark.parametrize("cls", TYPES)
def test_every_text_field_not_declared_personal_is_known_structure(cls):
    """A text field is personal, or one of a short list of structural ones: the envelope, a
    reference to an event, a counselor, or a code (STRUCTURAL_TEXT); a Literal is a code."""
    allowed = {*ev.ENVELOPE_FIELDS, *cls.refs, *cls.actors, *ev.STRUCTURAL_TEXT}
    for field in mi.type_info(cls).fields:
        if _text_types(field.type) and field.name not in cls.personal:
            assert field.name in allowed, (
                f"{cls.__name__}.{field.name} holds text but is neither personal nor structural")


def test_the_checks_above_can_fail():
    class Careless(ev.Event, frozen=True, kw_only=True, gc=False, tag="careless"):
        whisper: str = ""

    assert "personal" not in vars(Careless)
    assert _text_types(mi.type_info(Careless).fields[-1].type)
    assert "whisper" not in {*ev.ENVELOPE_FIELDS, *ev.STRUCTURAL_TEXT}


def _promises_log():
    promise = make(ev.PromiseMade, "2026-11-02", "aoki", due=date(2026, 11, 9), what="履歴書を送る", explicit=True)
    other = make(ev.PromiseMade, "2026-11-02", "aoki", due=date(2026, 11, 10), what="求人を探す", explicit=True)
    return promise, other, [
        register("aoki", "青木 花子"), register("abe", "Abe Ken"),
        session("2026-11-01 10:00", "aoki", summary="面談"),
        promise, other,
        make(ev.PromiseRescheduled, "2026-11-05", "aoki", promise=promise.id, due=date(2026, 11, 12),
             reason="母の入院で延期"),
        make(ev.PromiseKept, "2026-11-06", "aoki", promise=other.id),
        message("2026-11-11", "aoki", keeps=promise.id),
    ]


def test_forget_erases_a_reschedules_reason_and_check_is_clean_with_kept_and_rescheduled_promises(tmp_path):
    path = tmp_path / "events.jsonl"
    _, _, log = _promises_log()
    LogStore(path).append(log)
    journal = Journal.open(path, clock=FixedClock(at("2026-11-20")), tz=TOKYO, use_snapshot=False)
    forget(journal, "aoki")
    data = path.read_bytes().decode()
    for secret in ["母の入院で延期", "履歴書を送る", '"aoki"', "青木"]:
        assert secret not in data, secret
    assert check(path).problems == []


def _open_promises(path):
    from tui_followup.core.plans import DEFAULT_POLICY
    from tui_followup.core.policy import follow_ups

    journal = Journal.open(path, tz=TOKYO, use_snapshot=False)
    return sorted((f.name, i.due) for f in journal.caseload.registered()
                  for i in follow_ups(f, DEFAULT_POLICY, TOKYO) if i.kind == "promise")


def test_the_anonymized_copy_keeps_kept_promises_kept_and_references_consistent(tmp_path):
    path, out = tmp_path / "events.jsonl", tmp_path / "review.jsonl"
    promise, other, log = _promises_log()
    LogStore(path).append(log)
    export_anonymized(Journal.open(path, tz=TOKYO, use_snapshot=False), out)
    copy = LogStore(out).read_new().events
    assert [type(e) for e in copy] == [type(e) for e in log]  # nothing dropped
    by_kind = {type(e): e for e in copy}
    (made, made_other) = [e for e in copy if isinstance(e, ev.PromiseMade)]
    assert by_kind[ev.MessageSent].keeps == made.id != ""
    assert by_kind[ev.PromiseRescheduled].promise == made.id
    assert by_kind[ev.PromiseKept].promise == made_other.id
    assert by_kind[ev.PromiseRescheduled].reason == ""
    assert promise.id not in out.read_text() and other.id not in out.read_text()
    assert _open_promises(path) == [] and _open_promises(out) == []  # kept in the copy too
    assert check(out).problems == []


# -- item 7: every date field shifted, found from the types ---------------------------------


def _date_fields(cls) -> list[str]:
    def is_date(info) -> bool:
        if isinstance(info, (mi.DateType, mi.DateTimeType)):
            return True
        return isinstance(info, mi.UnionType) and any(is_date(t) for t in info.types)

    return [f.name for f in mi.type_info(cls).fields if is_date(f.type)]


DATED = [pytest.param(cls, id=cls.__struct_config__.tag) for cls in ev.EVENT_TYPES
         if set(_date_fields(cls)) - {"at", "recorded_at"}]


def test_the_types_with_dates_of_their_own_are_found():
    assert {p.values[0] for p in DATED} >= {ev.ClientPaused, ev.FollowUpSnoozed, ev.PromiseMade,
                                            ev.PromiseRescheduled}


@st.composite
def an_event_of(draw, cls):
    moment = START + timedelta(minutes=draw(st.integers(0, 100_000)))
    fields = dict(_fields_for(cls, draw))
    if cls is ev.ClientPaused:
        fields["until"] = draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2028, 1, 1))))
    return cls(id="e1", at=moment, recorded_at=moment + timedelta(hours=1), actor="t", client="c1", **fields)


@pytest.mark.parametrize("cls", [pytest.param(cls, id=cls.__struct_config__.tag)
                                 for cls in ev.EVENT_TYPES if cls is not ev.EventRetracted])
@settings(max_examples=25, deadline=None)
@given(data=st.data(), shift=st.integers(-180, 180).filter(bool))
def test_every_date_of_every_event_type_is_shifted(cls, data, shift):
    event = data.draw(an_event_of(cls))
    raw = msgspec.json.decode(msgspec.json.encode(event))
    copy = privacy.anonymize(raw, privacy.Pseudonyms("client"), privacy.Pseudonyms("counselor"),
                             privacy.Pseudonyms("e"), shift)
    shifted = msgspec.convert(copy, cls)
    for name in _date_fields(cls):
        before, after = getattr(event, name), getattr(shifted, name)
        if before is None:
            assert after is None
        else:
            assert after == before + timedelta(days=shift), name
            if isinstance(before, datetime):
                assert after.utcoffset() == before.utcoffset()


def test_an_exported_pause_does_not_say_its_real_end(tmp_path):
    path, out = tmp_path / "events.jsonl", tmp_path / "review.jsonl"
    LogStore(path).append([register("aoki", "青木 花子"),
                           make(ev.ClientPaused, "2026-11-02", "aoki", until=date(2027, 2, 13))])
    export_anonymized(Journal.open(path, tz=TOKYO, use_snapshot=False), out, shift_dates=True)
    (registered, paused) = LogStore(out).read_new().events
    assert paused.until != date(2027, 2, 13)
    assert paused.until - date(2027, 2, 13) == paused.at.date() - date(2026, 11, 2)
