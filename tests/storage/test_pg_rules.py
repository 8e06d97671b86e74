"""The last attack round on need-to-know (issue 26), with real roles on the throwaway cluster:
what a counselor's or a supervisor's psql may insert or update is what `followup` itself
would write. A row goes at the next position after the head with the head's hash as its
`prev`; only a supervisor records an erasure, and no one inserts a redaction; a reference
names an event of the same client, a hand-over a granted role; the actor is the database
role; a redaction keeps every field but the personal ones and the client id."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from tui_followup.core.events import ClientAssigned
from tui_followup.storage.maintenance import check
from tui_followup.storage.pgstore import PgStore

from .test_backup import followup
from .test_need_to_know import office, seed, streams_seen  # noqa: F401 - the fixture

REFUSED = (psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege)


def next_row(url: str) -> tuple[int, str]:
    """Where the next row goes, as a role's psql can learn it: the table's end and its link hash."""
    with psycopg.connect(url) as conn:
        high, _, tip = conn.execute("SELECT * FROM followup_reach()").fetchone()
    return high + 1, tip


def note(client: str, actor: str, event_id: str, prev: str, **fields) -> dict:
    return {"v": 2, "type": "note_added", "id": event_id, "client": client, "at": "2026-11-10T09:00:00+09:00",
            "recorded_at": "2026-11-10T09:00:00+09:00", "actor": actor, "prev": prev, "text": "by hand", **fields}


def insert(url: str, position: int, stream: str, version: int, row: dict, raw: str | None = None) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO followup_events VALUES (%s, %s, %s, %s, %s, %s)",
                     (position, stream, version, row["id"], row["type"], raw or json.dumps(row, separators=(",", ":"))))


def refused(url: str, position: int, stream: str, version: int, row: dict, raw: str | None = None) -> str:
    with pytest.raises(REFUSED) as caught:
        insert(url, position, stream, version, row, raw)
    return str(caught.value)


def test_a_row_goes_only_at_the_next_position_with_the_heads_hash(office):
    seed(office)
    alice = office["names"]["a"]
    position, tip = next_row(office["a"])
    assert position == 5
    said = refused(office["a"], 50, "aoki", 3, note("aoki", alice, "far", tip))  # a far position
    assert "global_position 5" in said
    refused(office["a"], 6, "aoki", 3, note("aoki", alice, "gap", tip))  # a gap of one
    refused(office["a"], 5, "aoki", 3, note("aoki", alice, "badprev", "0" * 32))  # not the head's hash
    spaced = json.dumps(note("aoki", alice, "spaced", tip))  # "prev": "…", which check does not read as a link
    refused(office["a"], 5, "aoki", 3, note("aoki", alice, "spaced", tip), raw=spaced)
    refused(office["s"], 9, "aoki", 3, note("aoki", office["names"]["s"], "sgap", tip))  # a supervisor's too
    assert check(office["owner"]).problems == []
    insert(office["a"], 5, "aoki", 3, note("aoki", alice, "next", tip))  # what followup itself writes
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT position FROM followup_head").fetchone()[0] == 5
    assert check(office["owner"]).problems == []
    out = followup("--store", office["b"], "record", "note", "bando", "--text", "the store still works")
    assert out.returncode == 0, out.stderr
    assert check(office["owner"]).problems == []


def test_rows_inserted_in_one_statement_follow_each_other(office):
    seed(office)
    alice = office["names"]["a"]
    from tui_followup.core.chain import line_hash

    position, tip = next_row(office["a"])
    first = json.dumps(note("aoki", alice, "one", tip), separators=(",", ":"))
    second = json.dumps(note("aoki", alice, "two", line_hash(first.encode())), separators=(",", ":"))
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute("INSERT INTO followup_events VALUES (%s, 'aoki', 3, 'one', 'note_added', %s),"
                     " (%s, 'aoki', 4, 'two', 'note_added', %s)", (position, first, position + 1, second))
    assert check(office["owner"]).problems == []


def test_only_a_supervisor_records_an_erasure_and_no_one_inserts_a_redaction(office):
    seed(office)
    alice, sup = office["names"]["a"], office["names"]["s"]
    position, tip = next_row(office["a"])
    marker = {"v": 2, "type": "client_forgotten", "id": "fake", "client": "aoki", "at": "2026-11-10T09:00:00+09:00",
              "recorded_at": "2026-11-10T09:00:00+09:00", "actor": alice, "prev": tip, "events": []}
    said = refused(office["a"], position, "aoki", 3, marker)
    assert "supervisor" in said
    redaction = dict(note("aoki", alice, "red", tip), text="", redacted="ab" * 16)
    said = refused(office["a"], position, "aoki", 3, redaction)
    assert "redact" in said
    refused(office["s"], position, "aoki", 3, dict(redaction, actor=sup))
    insert(office["s"], position, "aoki", 3, dict(marker, actor=sup))  # a supervisor's marker: theirs to write
    assert PgStore(office["owner"]).count() == 5


def test_a_counselor_cannot_reach_another_clients_events_through_a_reference(office):
    """A retraction in Alice's own client naming Bob's client's session would retract it (the
    fold finds a target by its id); a promise kept, an appointment cancelled, a message that
    keeps a promise likewise name events: each must be an event of the same client."""
    seed(office)
    alice = office["names"]["a"]
    bobs = [e.id for e in PgStore(office["owner"]).events_of("bando")]
    position, tip = next_row(office["a"])
    base = {"v": 2, "client": "aoki", "at": "2026-11-10T09:00:00+09:00", "recorded_at": "2026-11-10T09:00:00+09:00",
            "actor": alice, "prev": tip}
    for row in ({"type": "event_retracted", "id": "r1", "target": bobs[1], "reason": "x"},
                {"type": "promise_kept", "id": "r2", "promise": bobs[1]},
                {"type": "appointment_cancelled", "id": "r3", "appointment": bobs[1], "reason": "x"},
                {"type": "message_sent", "id": "r4", "channel": "email", "keeps": bobs[1], "summary": ""}):
        said = refused(office["a"], position, "aoki", 3, {**base, **row})
        assert "names no event of this client" in said
    out = followup("--store", office["s"], "check")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_hand_over_goes_only_to_a_granted_role_even_from_psql(office):
    seed(office)
    alice = office["names"]["a"]
    position, tip = next_row(office["a"])
    row = {"v": 2, "type": "client_assigned", "id": "h1", "client": "aoki", "at": "2026-11-10T09:00:00+09:00",
           "recorded_at": "2026-11-10T09:00:00+09:00", "actor": alice, "prev": tip, "to": "nobody", "reason": ""}
    said = refused(office["a"], position, "aoki", 3, row)
    assert "nobody" in said
    assert streams_seen(office["a"]) == {"aoki"}  # not left visible to no counselor
    insert(office["a"], position, "aoki", 3, dict(row, to=office["names"]["b"]))
    assert streams_seen(office["b"]) == {"aoki", "bando"}


def test_the_recorded_actor_is_the_database_role(office):
    seed(office)
    alice, bob, sup = office["names"]["a"], office["names"]["b"], office["names"]["s"]
    position, tip = next_row(office["s"])
    said = refused(office["s"], position, "aoki", 3, note("aoki", alice, "as-alice", tip))
    assert sup in said
    refused(office["a"], position, "aoki", 3, note("aoki", bob, "as-bob", tip))
    twice = json.dumps(note("aoki", alice, "twice", tip), separators=(",", ":"))[:-1] + f',"actor":"{bob}"}}'
    refused(office["a"], position, "aoki", 3, note("aoki", alice, "twice", tip), raw=twice)  # a key written twice
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml", FOLLOWUP_ACTOR=alice)
    env.pop("FOLLOWUP_STORE", None)
    out = subprocess.run([sys.executable, "-m", "tui_followup", "--store", office["s"], "record", "note", "aoki",
                          "--text", "the supervisor's note"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"recorded as {sup}" in out.stderr and alice in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    events = PgStore(office["owner"]).events_of("aoki")
    assert events[-1].actor == sup


def test_a_redaction_by_hand_keeps_the_skeleton(office):
    """A supervisor's UPDATE is a redaction or nothing: the personal fields blanked, the client
    id replaced, the digest of the row as it was; its type, time and every other field kept."""
    seed(office)
    assert followup("--store", office["s"], "forget", "bando", "--yes").returncode == 0
    with psycopg.connect(office["s"], autocommit=True) as conn:
        position, data = conn.execute("SELECT global_position, data FROM followup_events"
                                      " WHERE type = 'session_held' AND stream LIKE 'forgotten-%'").fetchone()
        edited = json.loads(data)
        edited["at"] = "2020-01-01T09:00:00+09:00"
        with pytest.raises(REFUSED):
            conn.execute("UPDATE followup_events SET data = %s WHERE global_position = %s",
                         (json.dumps(edited), position))
        position, data = conn.execute("SELECT global_position, data FROM followup_events"
                                      " WHERE type = 'session_held' AND stream = 'aoki'").fetchone()
        edited = json.loads(data)
        edited["minutes"] = 5  # not personal: a redaction does not change it
        edited["summary"] = ""
        edited["client"] = "forgotten-0123456789"
        edited["redacted"] = "ab" * 16
        with pytest.raises(REFUSED):
            conn.execute("UPDATE followup_events SET data = %s, stream = %s WHERE global_position = %s",
                         (json.dumps(edited), edited["client"], position))
    assert check(office["owner"]).problems == []


def test_the_redaction_rule_in_the_database_knows_every_event_types_personal_fields():
    """Migration 5 froze each type's personal fields; a type or field added since needs a
    migration that tells the database (else its redaction is refused there)."""
    from tui_followup.core.privacy import PERSONAL_FIELDS
    from tui_followup.storage.pgstore import PERSONAL_AT_5

    assert {k: tuple(v) for k, v in json.loads(PERSONAL_AT_5).items()} == PERSONAL_FIELDS


def test_a_revoked_counselors_backup_says_only_the_owner_grants_and_that_nothing_was_written(office, tmp_path):
    seed(office)
    assert followup("--store", office["owner"], "store", "revoke", office["names"]["b"],
                    "--reassign-to", office["names"]["a"]).returncode == 0
    out = followup("--store", office["b"], "backup", "--to", str(tmp_path / "b.jsonl"))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "may not use this store" in out.stderr and "only the store's owner" in out.stderr
    assert "nothing was recorded" not in out.stderr and "a supervisor gives" not in out.stderr
    assert not (tmp_path / "b.jsonl").exists()


def test_revoke_leaves_no_client_visible_to_no_counselor(office):
    """Revoking a counselor who still holds clients is refused (how many, and how to hand them
    over); with --reassign-to they are handed over, recorded like any hand-over, then revoked."""
    seed(office)
    alice, bob = office["names"]["a"], office["names"]["b"]
    out = followup("--store", office["owner"], "store", "revoke", bob)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "1 client" in out.stderr and "--reassign-to" in out.stderr
    assert streams_seen(office["b"]) == {"bando"}  # still granted: nothing was changed
    out = followup("--store", office["owner"], "store", "revoke", bob, "--reassign-to", "nobody")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert streams_seen(office["b"]) == {"bando"}
    out = followup("--store", office["owner"], "store", "revoke", bob, "--reassign-to", alice)
    assert out.returncode == 0, out.stderr
    assert streams_seen(office["a"]) == {"aoki", "bando"}
    assert [e.to for e in PgStore(office["owner"]).events_of("bando") if isinstance(e, ClientAssigned)] == [alice]
    assert followup("--store", office["b"], "due").returncode == 2
    assert check(office["owner"]).problems == []


def test_a_taken_id_and_a_hand_over_to_an_ungranted_role_tell_a_counselor_nothing_of_others(office):
    seed(office)
    out = followup("--store", office["a"], "record", "client", "--id", "bando", "--name", "Someone")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "bando cannot be used" in out.stderr and "see" not in out.stderr and "taken" not in out.stderr
    out = followup("--store", office["a"], "record", "assign", "aoki", "--to", "nobdy")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "nobdy" in out.stderr and office["names"]["b"] not in out.stderr and office["names"]["s"] not in out.stderr
    out = followup("--store", office["s"], "record", "assign", "aoki", "--to", "nobdy")  # a supervisor is told who is
    assert out.returncode == 2 and office["names"]["b"] in out.stderr
