"""`forget` on both stores: the client's name and every personal field leave every row and file,
the rest of the history stays byte for byte what it was (check proves it without trusting the
eraser), a client_forgotten event says who erased which events and when, a writer racing the
erasure loses nothing, and `store copy` of an erased file erases in the destination too."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import msgspec
import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.events import ClientForgotten
from tui_followup.storage import maintenance
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import check, forget
from tui_followup.storage.store import open_store

from ..core.helpers import TOKYO, register, session

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=TOKYO)
SECRET = "SECRETNAME"


def journal(location, actor: str = "sato") -> Journal:
    return Journal.open(location, clock=FixedClock(NOW), tz=TOKYO, actor=actor, use_snapshot=False)


def seed(location) -> None:
    open_store(location).append([
        register("aoki", f"{SECRET} 青木", note="SECRETNOTE 家族の件", case="SECRETCASE"),
        register("abe", "Abe Ken"),
        session("2026-11-01 10:00", "aoki", summary="SECRETSUMMARY 職務経歴書"),
        session("2026-11-02 10:00", "abe", summary="abe's own summary"),
    ])


def stored_text(location) -> str:
    """Everything the store keeps: every row (its data and stream), or every file in the log's folder."""
    if isinstance(location, Path):
        return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in location.parent.iterdir() if p.is_file())
    import psycopg

    with psycopg.connect(location) as conn:
        rows = conn.execute("SELECT stream || ' ' || data FROM followup_events").fetchall()
    return "\n".join(r[0] for r in rows)


def lines_of(location) -> list[bytes]:
    return list(open_store(location).raw_lines())


def test_forget_erases_every_personal_field_and_keeps_every_other_line_byte_for_byte(location):
    seed(location)
    before = lines_of(location)
    report = forget(journal(location), "aoki")
    text = stored_text(location)
    for secret in (SECRET, "SECRETNOTE", "SECRETCASE", "SECRETSUMMARY", "青木", '"aoki"', " aoki "):
        assert secret not in text
    after = lines_of(location)
    assert after[1] == before[1] and after[3] == before[3]  # abe's lines: untouched bytes
    assert len(after) == 5
    result = check(location)
    assert result.problems == [] and result.chain == "hash chain intact"
    marker = msgspec.json.decode(after[-1], type=ClientForgotten)
    assert marker.actor == ("sato" if isinstance(location, Path) else "postgres")  # on a server: the role
    assert marker.at == NOW and marker.client.startswith("forgotten-")
    assert set(marker.events) == {msgspec.json.decode(before[0])["id"], msgspec.json.decode(before[2])["id"]}
    assert "Abe Ken" in text
    assert any("unchanged" in line for line in report.text(__import__("tui_followup.i18n", fromlist=["x"]).words_for("en")))


def test_an_edit_dressed_up_as_a_redaction_and_an_edit_of_a_kept_line_are_both_reported(tmp_path):
    path = tmp_path / "events.jsonl"
    seed(path)
    forget(journal(path), "aoki")
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"abe's own summary", b"abe's other summary")  # a kept line changed
    raw = msgspec.json.decode(lines[1])
    raw["name"] = "Someone Else"
    raw["redacted"] = __import__("tui_followup.core.chain", fromlist=["x"]).line_hash(lines[1])
    lines[1] = msgspec.json.encode(raw)  # abe's registration edited, dressed as an erasure
    path.write_bytes(b"\n".join(lines))
    keys = {(p.line, p.key) for p in check(path).problems}
    assert (2, "redaction_unlisted") in keys
    assert (5, "chain_broken") in keys


def test_a_forged_redaction_hidden_behind_a_second_id_key_is_reported(tmp_path):
    """abe's registration edited and dressed as a redaction, with a first "id" naming an event
    the marker lists (the eraser's own reading) and a second one its own: check reads the line
    as the decoder does, and reports the duplicate key and the unlisted redaction."""
    from tui_followup.core.chain import line_hash

    path = tmp_path / "events.jsonl"
    seed(path)
    forget(journal(path), "aoki")
    lines = path.read_bytes().split(b"\n")
    listed = msgspec.json.decode(lines[0])["id"]  # aoki's registration, named by the marker
    raw = msgspec.json.decode(lines[1])
    raw["name"] = "Someone Else"
    raw["redacted"] = line_hash(lines[1])
    body = msgspec.json.encode(raw)
    lines[1] = b'{"id":"' + listed.encode() + b'",' + body[1:]  # "id" twice: the listed one first
    path.write_bytes(b"\n".join(lines))
    keys = {(p.line, p.key) for p in check(path).problems}
    assert (2, "duplicate_key") in keys or (2, "redaction_unlisted") in keys
    assert check(path).problems != []


def test_text_put_back_into_a_redacted_lines_personal_fields_is_reported(location):
    """A redacted row keeps its place and its kept hash; its personal fields must be blank:
    the name written back into it is a problem for check (the chain alone cannot see it)."""
    seed(location)
    forget(journal(location), "aoki")
    if isinstance(location, Path):
        lines = location.read_bytes().split(b"\n")
        lines[0] = lines[0].replace(b'"note":""', b'"note":"SECRETNOTE back"')
        assert b"SECRETNOTE" in lines[0]
        location.write_bytes(b"\n".join(lines))
    else:
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("""UPDATE followup_events SET data = replace(data, '"note":""', '"note":"SECRETNOTE back"')"""
                         " WHERE global_position = 1")
    keys = {(p.line, p.key) for p in check(location).problems}
    assert (1, "redacted_not_blank") in keys


def waiting_for_the_table(location: str, application: str) -> bool:
    import psycopg

    with psycopg.connect(location, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid"
                            " WHERE NOT l.granted AND a.application_name = %s", (application,)).fetchone()[0] > 0


def until(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        threading.Event().wait(0.02)
    return condition()


def followup(*args: str) -> subprocess.Popen:
    env = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-10T09:00+09:00", LANG="en_US.UTF-8",
               FOLLOWUP_CONFIG="/nonexistent/config.toml", PGAPPNAME="racing-writer")
    for name in ("FOLLOWUP_STORE", "FOLLOWUP_LOG", "FOLLOWUP_ACTOR"):
        env.pop(name, None)
    return subprocess.Popen([sys.executable, "-m", "tui_followup", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("target, acknowledged", [("abe", True), ("aoki", False)])
def test_a_writer_racing_forget_on_postgresql_loses_nothing_and_writes_nothing_to_the_erased_client(
        pg_url, monkeypatch, target, acknowledged):
    """The writer reads the store (aoki still there), then waits for the table lock that forget
    holds; given it, it must see the erasure: its note to abe is appended and acknowledged, its
    note to aoki is refused in one line, and no erased text comes back."""
    seed(pg_url)
    writer: list[subprocess.Popen] = []
    real_resolve = maintenance.resolve_client

    def resolve_then_let_a_writer_queue(caseload, ref):  # forget holds the table lock here
        facts = real_resolve(caseload, ref)
        child = followup("--store", pg_url, "record", "note", target, "--text", "queued during forget")
        writer.append(child)
        assert until(lambda: child.poll() is not None or waiting_for_the_table(pg_url, "racing-writer"))
        assert child.poll() is None, child.communicate()
        return facts

    monkeypatch.setattr(maintenance, "resolve_client", resolve_then_let_a_writer_queue)
    forget(journal(pg_url), "aoki")
    out, err = writer[0].communicate(timeout=120)
    events = open_store(pg_url).read_new().events
    if acknowledged:
        assert writer[0].returncode == 0, err
        assert out.strip() in [e.id for e in events]
    else:
        assert writer[0].returncode == 2 and len(err.strip().splitlines()) == 1 and "aoki" in err
        assert not any(getattr(e, "text", "") == "queued during forget" for e in events)
    assert check(pg_url).problems == []
    assert SECRET not in stored_text(pg_url) and '"aoki"' not in stored_text(pg_url)


def test_copying_an_erased_file_into_a_store_that_still_holds_the_client_erases_it_there(pg_url, tmp_path):
    from tui_followup.storage.transfer import copy_store

    path = tmp_path / "events.jsonl"
    seed(path)
    assert copy_store(path, pg_url).ok
    j = journal(pg_url)
    j.record(cmd.add_note, "aoki", text="SECRETLATER written on the server only")
    forget(journal(path), "aoki")
    result = copy_store(path, pg_url)
    assert result.ok, result.problems
    assert result.erased == 1
    text = stored_text(pg_url)
    for secret in (SECRET, "SECRETNOTE", "SECRETSUMMARY", "SECRETLATER", '"aoki"'):
        assert secret not in text
    assert check(pg_url).problems == []


def test_a_copy_that_finds_erased_text_surviving_in_the_destination_is_not_verified(pg_url, tmp_path, monkeypatch):
    from tui_followup.storage import transfer

    path = tmp_path / "events.jsonl"
    seed(path)
    assert transfer.copy_store(path, pg_url).ok
    forget(journal(path), "aoki")
    monkeypatch.setattr(transfer, "erase_in_destination", lambda *a, **k: 0)  # as if the erasure failed
    result = transfer.copy_store(path, pg_url)
    assert not result.ok
    assert {p.key for p in result.problems} == {"copy_survivor"}


def test_forget_on_the_command_line_works_on_a_server_store(pg_url):
    seed(pg_url)
    child = followup("--store", pg_url, "forget", "aoki", "--yes")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "personal fields erased from 2 event(s)" in out and "still verifies the whole chain" in out
    assert "write-ahead log" in out  # what stays outside this program's reach is said
    assert SECRET not in stored_text(pg_url)


def test_an_anonymized_copy_of_an_erased_log_names_the_erased_events_by_pseudonym_only(tmp_path):
    from tui_followup.storage.maintenance import export_anonymized

    path = tmp_path / "events.jsonl"
    seed(path)
    original_ids = [msgspec.json.decode(line)["id"] for line in lines_of(path)]
    forget(journal(path), "aoki")
    out = tmp_path / "review.jsonl"
    export_anonymized(journal(path), out)
    text = out.read_text(encoding="utf-8")
    assert "redacted" not in text and not any(i in text for i in original_ids)
    marker = [msgspec.json.decode(line) for line in text.splitlines() if "client_forgotten" in line][0]
    assert len(marker["events"]) == 2 and all(e.startswith("e-") for e in marker["events"])


def test_a_forgotten_client_takes_no_more_records(location):
    from .test_backup import followup as run, where

    seed(location)
    forget(journal(location), "aoki")
    forgotten = next(e.client for e in open_store(location).read_new().events if type(e) is ClientForgotten)
    before = lines_of(location)
    for args in (("note", forgotten, "--text", "x"), ("update", forgotten, "--name", f"{SECRET} back")):
        out = run(*where(location), "record", *args)
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert "was forgotten" in out.stderr
    assert lines_of(location) == before and SECRET not in stored_text(location)


def test_check_of_a_server_store_read_in_several_batches_with_a_forget_after_the_first(pg_url, monkeypatch):
    """A forget after the first batch makes the reader read everything again: check counts
    every event once (no 'appears a second time' for the rows of the first batch)."""
    from tui_followup.storage import pgstore

    seed(pg_url)
    forget(journal(pg_url), "aoki")
    monkeypatch.setattr(pgstore, "READ_ROWS", 3)  # the marker (row 5) comes after the first batch
    assert check(pg_url).problems == []


def test_an_edited_skeleton_of_a_redacted_line_is_reported_on_both_stores(location):
    """The skeleton left by a redaction (type, times, ids, channel...) is not covered by the
    digest of the line as first written; the marker keeps the hash of each redacted line as the
    erasure wrote it (chained up to the head), so a later edit of a skeleton is seen."""
    seed(location)
    forget(journal(location), "aoki")
    old, new = b'"at":"2026-11-01T10:00:00+09:00"', b'"at":"2026-10-01T10:00:00+09:00"'
    if isinstance(location, Path):
        lines = location.read_bytes().split(b"\n")
        assert old in lines[2]
        lines[2] = lines[2].replace(old, new)  # aoki's session, moved a month back
        location.write_bytes(b"\n".join(lines))
    else:
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:  # the owner: no rule of the database binds it
            conn.execute("UPDATE followup_events SET data = replace(data, %s, %s) WHERE global_position = 3",
                         (old.decode(), new.decode()))
    keys = {(p.line, p.key) for p in check(location).problems}
    assert (3, "redaction_edited") in keys


def test_an_open_window_lets_the_erased_caseload_go_after_forget(tmp_path: Path):
    """The work done ahead remembers where it stopped, and in which caseload: after ``forget``
    the journal rebuilds its caseload so that nothing erased stays in memory, and that
    remembered caseload (the erased name in it) must go with it (found in review)."""
    import gc
    import weakref

    from tui_followup.core.per_client import PerClient

    now = datetime(2026, 11, 10, 9, 0, tzinfo=TOKYO)
    log = tmp_path / "events.jsonl"
    open_store(log).append([register("aoki", "SECRETNAME 青木"), register("abe", "Abe Ken"),
                            session("2026-11-01 10:00", "aoki")])
    j = Journal.open(log, clock=FixedClock(now), tz=TOKYO, use_snapshot=False)
    kept = j.keep(PerClient(lambda facts, key: facts.name))
    assert kept.fill(j.caseload, "k", 100)  # the work ahead done, as at the app's start
    old = weakref.ref(j.caseload)
    forget(Journal.open(log, clock=FixedClock(now), tz=TOKYO, use_snapshot=False), "aoki")
    j.refresh()  # the open window looks again: the log was replaced, the caseload rebuilt
    assert j.caseload is not old() and kept.values == {}
    gc.collect()
    assert old() is None
    assert kept.fill(j.caseload, "k", 100) and sorted(kept.values.values()) == ["(forgotten)", "Abe Ken"]
