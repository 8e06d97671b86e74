"""Need-to-know on PostgreSQL, with real login roles on the throwaway cluster: a counselor's
connection (psql or followup alike) sees and appends only the events of the clients assigned to
them, registers new ones who become theirs; a supervisor sees all; a hand-over moves visibility
in its own transaction; a revoked or ungranted role, a counselor's forget or backup: one line."""

from __future__ import annotations

import json
import secrets

import psycopg
import pytest

from tui_followup.storage.maintenance import check
from tui_followup.storage.pgstore import PgStore

from .test_backup import followup


@pytest.fixture
def office(pg_url):
    """Counselors A and B and a supervisor S, granted by the tables' owner; their URLs."""
    tag = secrets.token_hex(4)
    names = {"a": f"ca_{tag}", "b": f"cb_{tag}", "s": f"sv_{tag}"}
    for key, role in (("a", "counselor"), ("b", "counselor"), ("s", "supervisor")):
        out = followup("--store", pg_url, "store", "grant", names[key], "--role", role)
        assert out.returncode == 0, out.stderr
        assert "was created without a password" in out.stdout
    urls = {key: pg_url.replace("://postgres@", f"://{name}@", 1) for key, name in names.items()}
    urls["owner"] = pg_url
    urls["names"] = names
    return urls


def streams_seen(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT stream FROM followup_events")}


def seed(office) -> None:
    for key, client, name in (("a", "aoki", "Aoki Hana"), ("b", "bando", "Bando Jo")):
        out = followup("--store", office[key], "record", "client", "--id", client, "--name", name)
        assert out.returncode == 0, out.stderr
        out = followup("--store", office[key], "record", "session", client, "--summary", f"{client}'s notes")
        assert out.returncode == 0, out.stderr


def test_a_counselors_connection_sees_and_appends_only_their_own_clients(office):
    seed(office)
    assert streams_seen(office["a"]) == {"aoki"}  # psql as A: B's client is not there
    assert streams_seen(office["b"]) == {"bando"}
    assert streams_seen(office["s"]) == {"aoki", "bando"}
    with psycopg.connect(office["a"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not by hand either
            conn.execute("INSERT INTO followup_events VALUES (99, 'bando', 3, 'x', 'note_added', %s)",
                         (json.dumps({"type": "note_added", "actor": office["names"]["a"], "client": "bando"}),))
    out = followup("--store", office["a"], "record", "note", "bando", "--text", "not mine")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert PgStore(office["owner"]).count() == 4
    rows = PgStore(office["owner"]).read_new().events
    assert {e.actor for e in rows if e.client == "aoki"} == {office["names"]["a"]}  # A records as their role


def test_a_hand_over_moves_what_each_counselor_sees_and_may_append(office):
    seed(office)
    names = office["names"]
    out = followup("--store", office["a"], "record", "assign", "aoki", "--to", names["b"], "--reason", "moving")
    assert out.returncode == 0, out.stderr
    assert streams_seen(office["a"]) == set()
    assert streams_seen(office["b"]) == {"aoki", "bando"}  # with A's history of aoki
    out = followup("--store", office["a"], "record", "note", "aoki", "--text", "after the hand-over")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    out = followup("--store", office["b"], "record", "note", "aoki", "--text", "B takes over")
    assert out.returncode == 0, out.stderr
    out = followup("--store", office["b"], "due", "--json")  # B's own view, by default
    assert out.returncode == 0, out.stderr
    assert {row["client"] for row in json.loads(out.stdout)} <= {"aoki", "bando"}
    assert check(office["owner"]).problems == []


def test_each_check_says_what_it_verified(office):
    seed(office)
    out = followup("--store", office["s"], "check")
    assert out.returncode == 0, out.stderr
    assert "hash chain intact" in out.stdout
    out = followup("--store", office["a"], "check")
    assert out.returncode == 0, out.stderr
    assert "(2 of the store's 4 events are your clients')" in out.stdout
    assert "only a supervisor's check can verify" in out.stdout


def test_a_revoked_or_ungranted_role_a_counselors_forget_and_backup_are_one_line_each(office, tmp_path):
    seed(office)
    out = followup("--store", office["a"], "forget", "aoki", "--yes")
    assert out.returncode == 2 and "only a supervisor may forget" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    out = followup("--store", office["a"], "backup", "--to", str(tmp_path / "b.jsonl"))
    assert out.returncode == 2 and "a backup needs a supervisor" in out.stderr
    assert not (tmp_path / "b.jsonl").exists()
    out = followup("--store", office["owner"], "store", "revoke", office["names"]["b"],
                   "--reassign-to", office["names"]["a"])
    assert out.returncode == 0, out.stderr
    out = followup("--store", office["b"], "due")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "may not use this store" in out.stderr
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        stranger = f"st_{secrets.token_hex(4)}"
        conn.execute(f"CREATE ROLE {stranger} LOGIN")
    out = followup("--store", office["owner"].replace("://postgres@", f"://{stranger}@", 1), "record", "client",
                   "--id", "x", "--name", "X")
    assert out.returncode == 2 and "may not use this store" in out.stderr
    assert PgStore(office["owner"]).count() == 5  # and the hand-over of B's client


def test_a_supervisor_forgets_a_counselors_client_and_the_counselor_sees_only_the_skeleton(office):
    seed(office)
    out = followup("--store", office["s"], "forget", "aoki", "--yes")
    assert out.returncode == 0, out.stderr
    assert "Aoki" not in "".join(r for r in _all_data(office["owner"]))
    seen = streams_seen(office["a"])
    assert len(seen) == 1 and next(iter(seen)).startswith("forgotten-")  # A keeps the erased skeleton
    assert followup("--store", office["a"], "check").returncode == 0
    assert check(office["owner"]).problems == []


def _all_data(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT data || stream FROM followup_events UNION ALL"
                                           " SELECT stream || counselor FROM followup_assignment")]


def test_an_open_window_of_the_new_counselor_reads_the_handed_over_history(office):
    from datetime import datetime

    from tui_followup.core import commands as cmd
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal

    from ..core.helpers import TOKYO

    seed(office)
    clock = FixedClock(datetime(2026, 11, 10, 9, 0, tzinfo=TOKYO))
    b = Journal.open(office["b"], clock=clock, tz=TOKYO)
    assert b.client("aoki") is None
    a = Journal.open(office["a"], clock=clock, tz=TOKYO)
    a.record(cmd.assign, "aoki", to=office["names"]["b"], reason="moving")
    b.refresh()
    facts = b.client("aoki")
    assert facts is not None and facts.name == "Aoki Hana" and len(facts.sessions) == 1
    assert facts.owner == office["names"]["b"]


def test_a_supervisors_forget_of_a_client_a_counselor_is_recording_for_leaves_the_counselor_one_line(
        office, monkeypatch):
    """A's note to aoki waits for the table lock that S's forget holds; given it, A reads the
    erasure and is refused in one line; nothing of A's note, nor of aoki, is in the store."""
    from tui_followup.storage import maintenance
    from tui_followup.storage.maintenance import forget

    from .test_erasure import followup as popen, journal, until, waiting_for_the_table

    seed(office)
    writer = []
    real_resolve = maintenance.resolve_client

    def resolve_then_let_a_write(caseload, ref):
        facts = real_resolve(caseload, ref)
        child = popen("--store", office["a"], "record", "note", "aoki", "--text", "while erased")
        writer.append(child)
        assert until(lambda: child.poll() is not None or waiting_for_the_table(office["owner"], "racing-writer"))
        assert child.poll() is None, child.communicate()
        return facts

    monkeypatch.setattr(maintenance, "resolve_client", resolve_then_let_a_write)
    forget(journal(office["s"], actor=office["names"]["s"]), "aoki")
    out, err = writer[0].communicate(timeout=120)
    assert writer[0].returncode == 2 and len(err.strip().splitlines()) == 1, err
    text = "".join(_all_data(office["owner"]))
    assert "while erased" not in text and "Aoki" not in text and '"aoki"' not in text
    assert check(office["owner"]).problems == []


def _row(client: str, kind: str, actor: str, event_id: str, **fields) -> str:
    return json.dumps({"type": kind, "id": event_id, "client": client, "actor": actor, **fields},
                      separators=(",", ":"))


def _tip(url: str) -> str:
    """The link hash of the table's last row: the prev of the next row (migration 5)."""
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT tip FROM followup_reach()").fetchone()[0]


def test_a_counselors_psql_cannot_write_into_another_counselors_client_nor_move_the_head(office):
    """Alice by hand: a note to Bob's client under a `client_registered` type column, a
    registration of Bob's client, a row whose data says another type or client than its
    columns, the head written directly: each refused by the database; Bob's client unchanged."""
    seed(office)
    alice = office["names"]["a"]
    forged = [
        ("bando", 3, "client_registered", _row("bando", "note_added", alice, "f1", text="forged")),
        ("bando", 3, "client_registered", _row("bando", "client_registered", alice, "f2", name="X")),
        ("aoki", 3, "note_added", _row("aoki", "client_assigned", alice, "f3", to=alice)),
        ("aoki", 3, "note_added", _row("bando", "note_added", alice, "f4", text="forged")),
        ("aoki", 3, "note_added", _row("aoki", "note_added", alice, "f6", text="mine", prev=_tip(office["a"]))),
    ]
    for n, (stream, version, kind, data) in enumerate(forged):
        with psycopg.connect(office["a"], autocommit=True) as conn:
            attempt = lambda: conn.execute(  # noqa: E731
                "INSERT INTO followup_events VALUES (%s, %s, %s, %s, %s, %s)",
                (5, stream, version, json.loads(data)["id"], kind, data))
            if n == len(forged) - 1:
                attempt()  # her own client, columns and data agreeing: hers to write
            else:
                with pytest.raises(psycopg.Error):
                    attempt()
        with psycopg.connect(office["a"], autocommit=True) as conn:
            with pytest.raises(psycopg.Error):
                conn.execute("UPDATE followup_head SET position = 1")
    assert streams_seen(office["b"]) == {"bando"}
    assert {r[0] for r in psycopg.connect(office["owner"]).execute(
        "SELECT event_id FROM followup_events WHERE stream = 'bando'")} == {
        e.id for e in PgStore(office["owner"]).events_of("bando")} and PgStore(office["owner"]).count() == 5
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT position FROM followup_head").fetchone()[0] == 5  # moved by the insert
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        stranger = f"st_{secrets.token_hex(4)}"
        conn.execute(f"CREATE ROLE {stranger} LOGIN")
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {stranger}")
    with psycopg.connect(office["owner"].replace("://postgres@", f"://{stranger}@", 1)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM followup_reach()")


def test_a_client_id_squatted_by_another_counselor_is_refused_in_one_line_not_handed_to_them(office):
    seed(office)
    alice = office["names"]["a"]
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute("INSERT INTO followup_events VALUES (5, 'c0030', 1, 'sq', 'client_registered', %s)",
                     (_row("c0030", "client_registered", alice, "sq", name="squat", prev=_tip(office["a"])),))
    out = followup("--store", office["b"], "record", "client", "--id", "c0030", "--name", "Bob's new client")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "client id c0030 cannot be used" in out.stderr
    assert streams_seen(office["a"]) == {"aoki", "c0030"} and streams_seen(office["b"]) == {"bando"}
    assert "Bob's new client" not in "".join(_all_data(office["owner"]))


def test_the_forgotten_marker_names_the_database_role_that_erased_not_followup_actor(office):
    import os
    import subprocess
    import sys

    from tui_followup.core.events import ClientForgotten

    seed(office)
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml", FOLLOWUP_ACTOR=office["names"]["b"])
    env.pop("FOLLOWUP_STORE", None)
    out = subprocess.run([sys.executable, "-m", "tui_followup", "--store", office["s"], "forget", "aoki", "--yes"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    markers = [e for e in PgStore(office["owner"]).read_new().events if type(e) is ClientForgotten]
    assert [m.actor for m in markers] == [office["names"]["s"]]


def test_restore_with_a_counselors_erasures_from_is_refused(office, tmp_path):
    seed(office)
    backup = tmp_path / "b.jsonl"
    assert followup("--store", office["owner"], "backup", "--to", str(backup)).returncode == 0
    assert followup("--store", office["s"], "forget", "bando", "--yes").returncode == 0
    fresh = tmp_path / "r" / "events.jsonl"
    fresh.parent.mkdir()
    out = followup("--log", str(fresh), "restore", "--from", str(backup), "--erasures-from", office["a"])
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "supervisor" in out.stderr
    assert not fresh.exists() or fresh.stat().st_size == 0
    out = followup("--log", str(fresh), "restore", "--from", str(backup), "--erasures-from", office["s"])
    assert out.returncode == 0, out.stderr
    assert "Bando" not in fresh.read_text()


def test_a_hand_over_to_a_role_without_a_grant_is_refused_naming_the_granted(office):
    seed(office)
    out = followup("--store", office["s"], "record", "assign", "aoki", "--to", "nobdy")  # a supervisor's
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "nobdy" in out.stderr and office["names"]["b"] in out.stderr
    assert streams_seen(office["a"]) == {"aoki"}


def test_a_revoked_counselors_backup_and_a_counselors_grant_say_what_is_true(office, tmp_path):
    seed(office)
    out = followup("--store", office["a"], "store", "grant", "someone", "--role", "counselor")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "only the store's owner" in out.stderr and "no grant" not in out.stderr
    assert followup("--store", office["owner"], "store", "revoke", office["names"]["b"],
                   "--reassign-to", office["names"]["a"]).returncode == 0
    with psycopg.connect(office["owner"], autocommit=True) as conn:  # as the public schema is to everyone
        conn.execute(f"GRANT USAGE ON SCHEMA {conn.execute('SELECT current_schema()').fetchone()[0]} TO PUBLIC")
    out = followup("--store", office["b"], "backup", "--to", str(tmp_path / "b.jsonl"))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "may not use this store" in out.stderr and "assigned to it" not in out.stderr
    assert not (tmp_path / "b.jsonl").exists()
