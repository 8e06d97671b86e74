"""Attacks on the "messaged since" check (commands.send_message ``seen``): a colleague's message
recorded between a form's opening and its Enter must not let a second copy go unwarned."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage import sizes as sizes_module
from tui_followup.storage.journal import Journal

from ..core.helpers import TOKYO, at
from .test_need_to_know import office  # noqa: F401 - the fixture

EVERY_TIME = replace(sizes_module.DEFAULT_SIZES, snapshot_min_events=0, snapshot_stale_events=1)  # a snapshot each open


@pytest.fixture
def journal(tmp_path):
    j = Journal.open(tmp_path / "events.jsonl", clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, actor="kato")
    j.record(cmd.register_client, "aoki", "青木 花子", channel="chat")
    j.record(cmd.hold_session, "aoki", at=at("2026-11-09 10:00"), summary="面談")
    return j


def colleague(journal, actor="suzuki", when="2026-11-10 09:05"):
    return Journal.open(journal.path, clock=FixedClock(at(when)), tz=TOKYO, actor=actor)


def test_a_colleague_retracting_an_old_message_and_sending_the_check_is_still_said(journal):
    """The form opened on one message (an earlier note); a colleague then retracts that one
    (recorded on the wrong client, say) and sends the 24h: the count is the same as when the
    form opened, but a message the writer never saw went to the client."""
    old = journal.record(cmd.send_message, "aoki", template="1w", at=at("2026-11-09 12:00"))
    seen = cmd.seen_messages(journal.caseload, "aoki")
    other = colleague(journal)
    other.record(cmd.retract, old.id, "wrong client")
    other.record(cmd.send_message, "aoki", template="24h", answers="checkpoint")
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.send_message, "aoki", template="24h", seen=seen)
    assert refused.value.key == "messaged_since" and refused.value.params["by"] == "suzuki"


def test_a_backdated_message_since_is_said_and_named(journal):
    """A colleague's message recorded now but sent (``at``) before the writer's own earlier
    one: still one since the form opened, and the refusal names it, not the one seen."""
    journal.record(cmd.send_message, "aoki", template="1w", at=at("2026-11-10 08:00"))
    seen = cmd.seen_messages(journal.caseload, "aoki")
    colleague(journal).record(cmd.send_message, "aoki", template="24h", at=at("2026-11-09 18:00"))
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.send_message, "aoki", template="24h", seen=seen)
    assert refused.value.params["by"] == "suzuki" and refused.value.params["at"] == at("2026-11-09 18:00")


def test_a_message_for_another_item_since_is_said_too(journal):
    journal.record(cmd.make_promise, "aoki", due=at("2026-11-12 00:00").date(), what="send the CV")
    seen = cmd.seen_messages(journal.caseload, "aoki")
    colleague(journal).record(cmd.send_message, "aoki", template="1w", answers="checkpoint")
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.send_message, "aoki", template="24h", seen=seen)
    assert refused.value.key == "messaged_since"


@pytest.mark.parametrize("then", ["close", "pause"])
def test_a_message_then_a_close_or_pause_by_a_colleague_refuses_for_the_case_not_the_count(journal, then):
    seen = cmd.seen_messages(journal.caseload, "aoki")
    other = colleague(journal)
    other.record(cmd.send_message, "aoki", template="24h", answers="checkpoint")
    if then == "close":
        other.record(cmd.close_case, "aoki", reason="goal_achieved")
    else:
        other.record(cmd.pause, "aoki", reason="travel")
    with pytest.raises(cmd.CommandError) as refused:
        journal.record(cmd.send_message, "aoki", template="24h", seen=seen)
    assert refused.value.key in {"messaged_since", "closed_case", "paused"}, refused.value.key


# -- on the server store: the other app's rows land while this one decides ----------------------

def test_on_the_server_a_retraction_and_a_message_landing_while_deciding_are_said(pg_url):
    """PgStore._stream_append decides again once the server saw another row of the client: a
    colleague retracting the message the form opened on and sending the check meanwhile leaves
    the standing count as it was; the client still must not get the check twice."""
    from .test_attack_by_client import rows, same_facts, seeded, while_deciding

    sato, kato = seeded(pg_url)
    old = kato.record(cmd.send_message, "abe", template="1w")
    sato.refresh()
    seen = cmd.seen_messages(sato.caseload, "abe")  # (no retraction yet: as recorded)

    def colleague():
        kato.record(cmd.retract, old.id, "wrong client")
        kato.record(cmd.send_message, "abe", template="24h")

    send, calls = while_deciding(sato, cmd.send_message, colleague)
    with pytest.raises(cmd.CommandError) as refused:
        sato.record(send, "abe", template="24h", seen=seen)
    assert refused.value.key == "messaged_since" and refused.value.params["by"] == "kato"
    assert sum(b'"message_sent"' in line for line in rows(pg_url)) == 2
    same_facts(pg_url, sato, kato)


def test_on_the_server_a_client_forgotten_while_deciding_is_refused_not_recorded(pg_url):
    from tui_followup.storage.maintenance import forget

    from .test_attack_by_client import app, rows, seeded, while_deciding

    sato, kato = seeded(pg_url)
    seen = cmd.seen_messages(sato.caseload, "abe")  # (no retraction yet: as recorded)
    send, calls = while_deciding(sato, cmd.send_message, lambda: forget(app(pg_url, "setup"), "abe"))
    with pytest.raises(Exception) as refused:
        sato.record(send, "abe", template="24h", seen=seen)
    assert getattr(refused.value, "key", None) != "messaged_since", refused.value
    assert not any(b'"abe"' in line and b'"message_sent"' in line for line in rows(pg_url))


def test_the_count_a_form_opens_on_is_the_same_from_a_snapshot_and_afresh(journal):
    """A form opened in a window that started from the snapshot, and one started afresh, must
    see alike, or one of them refuses a message nobody sent since (or lets one through)."""
    first = journal.record(cmd.send_message, "aoki", template="24h", at=at("2026-11-09 12:00"))
    journal.record(cmd.send_message, "aoki", template="1w")
    journal.record(cmd.retract, first.id, "wrong client")
    Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, sizes=EVERY_TIME)  # writes it
    journal.record(cmd.send_message, "aoki", template="1w")  # after the snapshot
    cold = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, actor="kato",
                        sizes=EVERY_TIME, write_snapshot=False)
    fresh = Journal.open(journal.path, clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, actor="kato",
                         use_snapshot=False)
    assert cold.caseload.source is not None  # (opened from the snapshot)
    seen = {cmd.seen_messages(j.caseload, "aoki") for j in (cold, fresh, journal)}
    assert seen == {cmd.SeenMessages(2, frozenset({first.id}))}
    assert cold.record(cmd.send_message, "aoki", template="1w", seen=seen.pop()).client == "aoki"


# -- store copy's VACUUM (d3025d8): what may go wrong at the end of a copy -----------------------

def test_a_copy_whose_vacuum_cannot_take_its_lock_still_reports_every_row(pg_url, tmp_path, monkeypatch):
    """Autovacuum (or another VACUUM) on the table just filled holds the lock VACUUM needs: the
    copy's VACUUM gives up after the lock wait, and the copy says what it copied, ok."""
    import psycopg

    from tui_followup.storage.pgstore import PgStore
    from tui_followup.storage.transfer import copy_store

    from .test_pg_copy_triggers import _office_log

    log = tmp_path / "events.jsonl"
    first, second = _office_log(log, {"a": "ca", "b": "cb", "s": "sv"})
    vacuum, answers = PgStore.vacuum, []

    def vacuum_while_held(store):
        with psycopg.connect(pg_url) as holder:  # a transaction holding VACUUM's lock meanwhile
            holder.execute("LOCK TABLE followup_events IN SHARE UPDATE EXCLUSIVE MODE")
            answers.append(vacuum(store))
            answers.append(store.count())  # the session still usable after
        return answers[0]

    monkeypatch.setattr(PgStore, "vacuum", vacuum_while_held)
    result = copy_store(log, pg_url)
    assert answers == [False, len(first) + len(second)]
    assert result.ok and result.copied == len(first) + len(second), result
    monkeypatch.undo()
    assert PgStore(pg_url).vacuum() is True


def test_a_copy_by_a_supervisor_not_the_tables_owner_reports_what_it_copied(pg_url, tmp_path):
    """The VACUUM is the owner's: a supervisor's copy (rows of its own) is not refused for it."""
    from tui_followup.core.commands import register_client
    from tui_followup.storage.pgstore import PgStore
    from tui_followup.storage.transfer import copy_store

    from .test_pg_copy_triggers import _as, _grant, _office_log

    names = {"a": "ca", "b": "cb", "s": "sv"}
    first, second = _office_log(tmp_path / "office.jsonl", names)
    assert copy_store(tmp_path / "office.jsonl", pg_url).ok
    _grant(pg_url, names)
    more = Journal.open(tmp_path / "more.jsonl", clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO, actor="sv")
    more.record(register_client, client_id="c9", name="Name c9")
    result = copy_store(tmp_path / "more.jsonl", _as(pg_url, "sv"))
    assert result.ok and result.copied == 1, result
    assert PgStore(pg_url).count() == len(first) + len(second) + 1


def test_a_message_sent_and_retracted_by_a_colleague_meanwhile_is_no_reason_and_names_nobody_old(journal):
    """A colleague records the check and retracts it (not sent after all) while the form is
    open: nothing stands that the writer did not see, so theirs goes (it was refused, naming
    the writer's own message of the day before as if it were new)."""
    journal.record(cmd.send_message, "aoki", at=at("2026-11-09 12:00"))
    seen = cmd.seen_messages(journal.caseload, "aoki")
    other = colleague(journal)
    other.record(cmd.retract, other.record(cmd.send_message, "aoki", template="24h").id, "not sent after all")
    assert journal.record(cmd.send_message, "aoki", template="24h", seen=seen).actor == "kato"
    seen = cmd.seen_messages(journal.caseload, "aoki")
    other.record(cmd.send_message, "aoki", template="1w")
    other.record(cmd.retract, other.record(cmd.send_message, "aoki", template="1w").id, "twice")
    with pytest.raises(cmd.CommandError) as refused:  # one of the two stands: named, not the retracted
        journal.record(cmd.send_message, "aoki", template="1w", seen=seen)
    assert refused.value.params["by"] == "suzuki"


def test_on_a_need_to_know_store_a_client_handed_over_while_the_form_is_open_gets_one_check(office):
    """A's form open on aoki; the supervisor hands aoki to B, who sends the check; A's Enter
    must not send a second one (A no longer sees aoki's rows, nor B's message)."""
    from tui_followup.storage.logfile import StoreError
    from tui_followup.storage.pgstore import PgStore

    from .test_need_to_know import seed

    seed(office)
    names = office["names"]

    def app(key):
        return Journal.open(office[key], clock=FixedClock(at("2026-11-10 09:00")), tz=TOKYO,
                            actor=names[key], use_snapshot=False)

    a = app("a")
    seen = cmd.seen_messages(a.caseload, "aoki")
    app("s").record(cmd.assign, "aoki", to=names["b"], reason="moving")
    app("b").record(cmd.send_message, "aoki", template="24h")
    with pytest.raises(StoreError, match="not assigned to"):  # the server's need-to-know says it
        a.record(cmd.send_message, "aoki", template="24h", seen=seen)
    sent = [line for line in PgStore(office["owner"]).raw_lines() if b'"message_sent"' in line]
    assert len(sent) == 1, sent
