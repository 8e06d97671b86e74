"""Attack on the hand-over *away* on a need-to-know store (PostgreSQL, real login roles): a
counselor's open journal must drop a client handed elsewhere at its next look, whatever way it
was opened (a cold start folded from one consistent moment, on one core or two) and whatever
else moved meanwhile (handed away and back, one out and one in); a client a supervisor forgot
is not said to be "handed over to a colleague"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import StoreError
from tui_followup.storage.pgstore import PgStore

from .conftest import pg_server, pg_url  # noqa: F401 - the fixtures
from .test_backup import followup
from .test_handed_away import LATER, TOKYO, assign, journal_of, look
from .test_need_to_know import office, seed  # noqa: F401 - the fixture

FOLDED = replace(sizes_module.DEFAULT_SIZES, server_facts_only_min_rows=0, server_parallel_min_rows=1 << 40)
IN_TWO = replace(FOLDED, server_parallel_min_rows=0)  # the rows after the middle folded by a forked worker


def note(office, by: str, client: str, text: str) -> None:
    out = followup("--store", office[by], "record", "note", client, "--text", text)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("sizes", [FOLDED, IN_TWO], ids=["one-core", "in-two"])
def test_a_client_handed_away_during_a_cold_start_leaves_at_the_next_look(office, monkeypatch, sizes):  # noqa: F811
    """A big store is folded from one consistent moment; a hand-over committed while the fold
    reads is not in it, and the hand-over's row is in a stream A no longer sees: the first look
    after opening must still notice aoki is gone."""
    seed(office)
    note(office, "a", "aoki", "one more")  # (rows on both sides of the middle of a read in two)
    real = PgStore.fold_read_in_two if sizes is IN_TWO else PgStore.fold_read
    name = "fold_read_in_two" if sizes is IN_TWO else "fold_read"

    def fold_with_a_hand_over(self, start, take, *more, **kw):
        def start_then_hand_over(retractions):  # (inside the fold's transaction: its moment is taken)
            assign(office, "s", "aoki", "b")
            start(retractions)

        return real(self, start_then_hand_over, take, *more, **kw)

    monkeypatch.setattr(PgStore, name, fold_with_a_hand_over)
    journal = Journal.open(office["a"], clock=FixedClock(LATER), tz=TOKYO, sizes=sizes,
                           write_snapshot=False)
    monkeypatch.setattr(PgStore, name, real)
    look(journal)
    assert journal.client("aoki") is None
    assert [i.client for i in journal.board.due(LATER.date(), 30)] == []
    with pytest.raises(StoreError) as refused:
        journal.record(cmd.add_note, "aoki", "a note")
    assert refused.value.key == "handed_away"


def test_handed_away_and_back_between_two_looks_keeps_the_client_with_what_the_colleague_wrote(office):  # noqa: F811
    seed(office)
    journal = journal_of(office["a"])
    assign(office, "s", "aoki", "b")
    note(office, "b", "aoki", "B saw them once")
    assign(office, "s", "aoki", "a")
    look(journal)
    facts = journal.client("aoki")
    assert facts is not None and facts.owner == office["names"]["a"]
    assert journal.store.handed_away == set()
    journal.record(cmd.add_note, "aoki", "A again")  # theirs: recorded
    assert any(getattr(e, "text", "") == "B saw them once" for e in journal.store.events_of("aoki"))


def test_one_client_out_and_one_in_in_one_interval(office):  # noqa: F811
    """The set's size unchanged: aoki to B, bando to A, between two looks."""
    seed(office)
    journal = journal_of(office["a"])
    assign(office, "s", "aoki", "b")
    assign(office, "s", "bando", "a")
    look(journal)
    assert journal.client("aoki") is None
    assert journal.client("bando") is not None and journal.client("bando").owner == office["names"]["a"]
    assert {i.client for i in journal.board.due(LATER.date(), 30)} <= {"bando"}
    with pytest.raises(StoreError) as refused:
        journal.record(cmd.add_note, "aoki", "a note")
    assert refused.value.key == "handed_away"
    journal.record(cmd.add_note, "bando", "A takes over")


def test_a_client_forgotten_by_a_supervisor_is_not_said_to_be_handed_over(office):  # noqa: F811
    """A supervisor's forget renames the client's stream (and its assignment): to the old
    counselor's look aoki is no longer among their streams, as after a hand-over; but no
    colleague has them. A record for aoki is refused as the unknown client it now is, and the
    store keeps no erased id as "handed away"."""
    seed(office)
    journal = journal_of(office["a"])
    out = followup("--store", office["s"], "forget", "aoki", "--yes")
    assert out.returncode == 0, out.stderr
    look(journal)
    assert journal.client("aoki") is None
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.add_note, "aoki", "a note")
    assert refused.value.key == "unknown_client"
    assert "aoki" not in journal.store.handed_away


def test_a_counselor_started_from_their_snapshot_drops_a_client_handed_away_before_the_first_look(office):  # noqa: F811
    seed(office)
    journal_of(office["a"]).save_snapshot()
    journal = journal_of(office["a"])
    assert journal.snapshot_count > 0  # (started from it: covers() told the store A's streams)
    assign(office, "s", "aoki", "b")
    look(journal)
    assert journal.client("aoki") is None
    with pytest.raises(StoreError) as refused:
        journal.record(cmd.add_note, "aoki", "a note")
    assert refused.value.key == "handed_away"


def test_a_hand_over_between_the_snapshots_check_and_the_first_read_is_seen(office, monkeypatch):  # noqa: F811
    """covers() says the snapshot's clients are all still A's; the hand-over commits just after."""
    seed(office)
    journal_of(office["a"]).save_snapshot()
    real = PgStore.covers

    said = []

    def covers_then_hand_over(self, clients, position):
        said.append(real(self, clients, position))
        assign(office, "s", "aoki", "b")
        return said[-1]

    monkeypatch.setattr(PgStore, "covers", covers_then_hand_over)
    journal = journal_of(office["a"])
    monkeypatch.setattr(PgStore, "covers", real)
    assert said == [True]  # (started from the snapshot; the read after it read A's view again)
    look(journal)
    assert journal.client("aoki") is None


def test_a_note_racing_a_hand_over_is_refused_once_and_nothing_is_written(office, monkeypatch):  # noqa: F811
    """A's note is decided on aoki still A's; S's hand-over commits before A's append takes the
    table lock: the database refuses the row (not A's any more), A is told it was not recorded,
    and the next look drops aoki. Neither both nor a row in B's client written as A's."""
    seed(office)
    journal = journal_of(office["a"])
    real = PgStore._lock
    raced = []

    def hand_over_first(self, conn):
        if not raced:
            raced.append(True)
            assign(office, "s", "aoki", "b")
        return real(self, conn)

    monkeypatch.setattr(PgStore, "_lock", hand_over_first)
    with pytest.raises(StoreError) as refused:
        journal.record(cmd.add_note, "aoki", "raced")
    assert raced and "nothing was recorded" in str(refused.value)
    assert "not assigned to" in str(refused.value)
    assert not any(getattr(e, "text", "") == "raced" for e in PgStore(office["owner"]).read_new().events)
    look(journal)
    assert journal.client("aoki") is None
    with pytest.raises(StoreError) as again:
        journal.record(cmd.add_note, "aoki", "again")
    assert again.value.key == "handed_away"


@pytest.mark.parametrize("who", ["s", "owner"])
def test_a_supervisors_and_the_owners_sessions_do_not_look_at_assignments(office, who):  # noqa: F811
    """Whole views: a hand-over is a row they read; nothing is read again, nothing said handed away."""
    seed(office)
    store = PgStore(office[who])
    store.read_new()
    assign(office, "a", "aoki", "b")
    news = store.read_new()
    assert not news.replaced and [type(e).__name__ for e in news.events] == ["ClientAssigned"]
    assert store._assigned is None and store.handed_away == set()
    journal = journal_of(office[who])
    assert journal.client("aoki") is not None and journal.client("aoki").owner == office["names"]["b"]


def test_an_undo_of_a_note_to_a_client_handed_away_meanwhile_says_so(office):  # noqa: F811
    """Ctrl+Z (a retraction by the event's id) decided after the record's own read dropped aoki:
    the event is not there any more because the client is not A's, not because there is no such
    event."""
    seed(office)
    journal = journal_of(office["a"])
    noted = journal.record(cmd.add_note, "aoki", "to undo")
    assign(office, "s", "aoki", "b")
    with pytest.raises(StoreError) as refused:
        journal.record(cmd.retract, noted.id, "undone in the app")
    assert refused.value.key == "handed_away"
    assert not any(type(e).__name__ == "EventRetracted" for e in PgStore(office["owner"]).read_new().events)
