"""A need-to-know store (PostgreSQL, real login roles): a client handed over elsewhere (by a
supervisor, or by the counselor on the command line) while the old counselor's journal is open.
The hand-over's row is in the client's stream, which that counselor no longer sees: their next
read notices the client is no longer assigned to them and reads their view again, so the client
leaves their caseload (and their due list) at once, not at their next start; a record for it is
refused in words that say so, not as an unknown client."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import StoreError
from tui_followup.storage.pgstore import PgStore

from ..ui.conftest import TOKYO
from .conftest import pg_server, pg_url  # noqa: F401 - the fixtures
from .test_backup import followup
from .test_need_to_know import office, seed  # noqa: F401 - the fixture

LATER = datetime(2026, 11, 10, 10, 0, tzinfo=TOKYO)


def assign(office, by: str, client: str, to: str) -> None:
    out = followup("--store", office[by], "record", "assign", client, "--to", office["names"][to], "--reason", "moving")
    assert out.returncode == 0, out.stderr


def journal_of(url: str) -> Journal:
    return Journal.open(url, clock=FixedClock(LATER), tz=TOKYO)


def look(journal: Journal) -> None:
    journal.read_news()
    journal.apply_news()


def test_the_store_says_which_client_went(office):  # noqa: F811
    seed(office)
    store = PgStore(office["a"])
    assert {e.client for e in store.read_new().events} == {"aoki"}
    assign(office, "s", "aoki", "b")
    again = store.read_new()
    assert again.replaced and again.events == []  # A's view read again: nothing of aoki left in it
    assert store.handed_away == {"aoki"}
    assign(office, "s", "aoki", "a")  # handed back: A's again, with its history
    back = store.read_new()
    assert {e.client for e in back.events} == {"aoki"}  # (from the first row: A had none left)
    assert store.handed_away == set()


@pytest.mark.parametrize("by", ["s", "a"])  # a supervisor's hand-over; A's own, from the command line
def test_a_client_handed_away_leaves_the_open_journal_at_its_next_read(office, by):  # noqa: F811
    seed(office)
    journal = journal_of(office["a"])
    assert journal.client("aoki") is not None
    assert [i.client for i in journal.board.due(LATER.date(), 30)] != []
    assign(office, by, "aoki", "b")
    look(journal)
    assert journal.client("aoki") is None
    assert [i.client for i in journal.board.due(LATER.date(), 30)] == []
    assert journal_of(office["b"]).client("aoki") is not None  # B has them, with A's history


def test_a_record_for_a_client_handed_away_meanwhile_says_so(office):  # noqa: F811
    seed(office)
    journal = journal_of(office["a"])
    assign(office, "s", "aoki", "b")
    with pytest.raises(StoreError) as refused:  # not read yet: the record's own read finds it
        journal.record(cmd.add_note, "aoki", "a note")
    assert refused.value.key == "handed_away"
    assert "not assigned to" in str(refused.value) and "nothing was recorded" in str(refused.value)
    with pytest.raises(cmd.CommandError) as unknown:  # a client A never had: unknown, as before
        journal.record(cmd.add_note, "bando", "a note")
    assert unknown.value.key == "unknown_client"
    assert not any(type(e).__name__ == "NoteAdded" for e in PgStore(office["owner"]).read_new().events)
