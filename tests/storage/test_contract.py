"""One contract, every store: the JSONL file and the PostgreSQL server keep the same events in
the same order, chained, idempotent by id, and refuse what the command layer refuses."""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from tui_followup.core import chain, codec
from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import check
from tui_followup.storage.store import UNIQUE_IDS, open_store

from ..core.helpers import TOKYO, message, register, session

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO)


def journal(location, actor="kato") -> Journal:
    return Journal.open(location, clock=FixedClock(NOW), tz=TOKYO, actor=actor, write_snapshot=False)


def lines_of(location) -> list[bytes]:
    return list(open_store(location).raw_lines())


def test_each_store_is_an_event_store_and_has_what_each_capability_it_declares_needs(location):
    """Every member a caller uses is in ``EventStore``; what only some stores do is a declared
    capability, with the members its Protocol names (a caller asks for it, not for a kind)."""
    from tui_followup.storage import store as stores

    store = open_store(location)
    assert isinstance(store, stores.EventStore)
    assert store.capabilities and store.capabilities <= set(stores.CAPABILITIES)
    for capability in store.capabilities:
        needed = stores.CAPABILITIES[capability]
        assert needed is None or isinstance(store, needed), capability
    assert store.partial is False and isinstance(store.role, str)  # the owner's session sees everything


def test_appends_read_back_in_order_and_a_reader_sees_only_what_is_new(location):
    writer, reader = open_store(location), open_store(location)
    writer.append([register()])
    first = reader.read_new()
    assert len(first.events) == 1 and list(first.lines) == [1]
    writer.append([session("2026-11-01 10:00"), message("2026-11-02")])
    batch = reader.read_new()
    assert [type(e).__name__ for e in batch.events] == ["SessionHeld", "MessageSent"]
    assert list(batch.lines) == [2, 3]
    assert reader.read_new().events == []


def test_each_event_is_stored_as_its_jsonl_line_and_chained(location):
    events = [register(), session("2026-11-01 10:00"), message("2026-11-02")]
    written = open_store(location).append(events)
    lines = lines_of(location)
    assert lines == [codec.encode(e) for e in written]
    report = chain.verify(lines)
    assert report.problems == [] and report.chained == 3
    assert written[1].prev == chain.line_hash(lines[0])


def test_the_same_event_twice_is_a_no_op_and_other_content_under_its_id_is_refused(location):
    event = register()
    j = journal(location)
    assert len(j.append_events([event])) == 1
    assert journal(location).append_events([event]) == []  # a retry after a lost acknowledgement
    unique = UNIQUE_IDS in open_store(location).capabilities
    if unique:  # the store itself too (the table's event_id is unique); the file leaves that to the journal
        assert open_store(location).append([event]) == []
    assert len(lines_of(location)) == 1
    other = msgspec.structs.replace(event, name="Someone else")
    with pytest.raises(cmd.CommandError) as refused:
        journal(location).append_events([other])
    assert refused.value.key == "id_conflict"
    if unique:
        with pytest.raises(cmd.CommandError):
            open_store(location).append([other])
    assert len(lines_of(location)) == 1


def test_two_counselors_closing_the_same_case_the_second_is_refused_with_the_reason(location):
    setup = journal(location)
    setup.record(cmd.register_client, client_id="c1", name="Aoki")
    first, second = journal(location, "kato"), journal(location, "sato")  # both see it open
    first.record(cmd.close_case, "c1", reason="goal_achieved")
    with pytest.raises(cmd.CommandError) as refused:
        second.record(cmd.close_case, "c1", reason="withdrew")
    assert refused.value.key == "already_closed"
    with pytest.raises(cmd.CommandError) as refused:
        second.record(cmd.send_message, "c1")  # messaging a case the other just closed
    assert refused.value.key == "closed_case"
    assert len(lines_of(location)) == 2


def test_another_writers_event_is_picked_up_by_refresh(location):
    reader = journal(location)
    writer = journal(location, "sato")
    writer.record(cmd.register_client, client_id="c1", name="Aoki")
    assert reader.refresh() == {"c1"}
    assert reader.client("c1").name == "Aoki"
    assert reader.refresh() == set()


def test_a_clients_events_and_an_event_by_its_short_id_are_found(location):
    events = [register(), register("c2", "Baba"), session("2026-11-01 10:00")]
    open_store(location).append(events)
    store = open_store(location)
    store.read_new()
    assert [e.id for e in store.events_of("c1")] == [events[0].id, events[2].id]
    assert store.find(events[1].id).client == "c2"
    assert [e.id for e in store.find_by_ref(events[2].id[-4:])] == [events[2].id]


def test_check_verifies_the_chain_and_counts(location):
    j = journal(location)
    j.record(cmd.register_client, client_id="c1", name="Aoki")
    j.record(cmd.hold_session, "c1")
    result = check(location)
    assert result.problems == []
    assert (result.events, result.clients, result.lines, result.chain_state) == (2, 1, 2, "intact")


@pytest.mark.parametrize("attack", ["cut", "edit"])
def test_a_lost_or_changed_last_event_is_reported_and_no_append_can_hide_it(location, by_hand, attack):
    """The head (last position and hash) is kept where deleting or editing the events alone
    does not move it: `check` reports the loss, and an append to a store that no longer
    reaches its head is refused, writing nothing (it would have moved the head backwards)."""
    from tui_followup.storage.logfile import StoreError

    window = journal(location)  # open before the attack, as an app window would be
    window.record(cmd.register_client, client_id="c1", name="Aoki")
    window.record(cmd.hold_session, "c1")
    window.record(cmd.add_note, "c1", text="the last acknowledged words")
    by_hand.change_last_event("the last acknowledged words", None if attack == "cut" else "other words")
    before = lines_of(location)
    expected = {"cut": ("behind_head", "head_cut"), "edit": ("head_not_reached", "head_changed")}[attack]
    for writer in (journal(location, "sato"), window):
        with pytest.raises(StoreError) as refused:
            writer.record(cmd.add_note, "c1", text="written after the attack")
        assert refused.value.key == expected[0]
        assert "nothing was recorded" in str(refused.value)
    assert lines_of(location) == before
    assert [p.key for p in check(location).problems] == [expected[1]]
