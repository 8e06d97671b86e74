"""The third attack round on the office store (issue 26), with real roles on the throwaway
cluster: a counselor's psql shadowing the names the database's rules read (temporary views,
tables and functions), a head left behind, a redaction written with spaces, fields followup
does not know, a table lock held from psql; each one tried as the attacker did, through psycopg
as the counselor."""

from __future__ import annotations

import json

import psycopg
import pytest

from tui_followup.storage.maintenance import check
from tui_followup.storage.pgstore import PgStore

from .test_backup import followup
from .test_need_to_know import office, seed, streams_seen  # noqa: F401 - the fixture
from .test_pg_rules import REFUSED, insert, next_row, note, refused

SUPERVISOR_VIEW = (
    "CREATE TEMP VIEW pg_roles AS SELECT rolname, rolcanlogin, oid FROM pg_catalog.pg_roles"
    " UNION ALL SELECT 'followup_supervisor'::name, false, oid FROM pg_catalog.pg_roles"
    " WHERE rolname = 'followup_counselor'")


def schema_of(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT current_schema()").fetchone()[0]


def row_of(event: dict) -> str:
    return json.dumps(event, separators=(",", ":"))


def appends_work(office, clients=(("a", "aoki"), ("b", "bando"))) -> None:
    """Both counselors still append, and the owner's check finds nothing wrong."""
    for key, client in clients:
        out = followup("--store", office[key], "record", "note", client, "--text", "still works")
        assert out.returncode == 0, out.stderr
    assert check(office["owner"]).problems == []


# -- F1: nothing a session creates in pg_temp is read by the database's rules ---------------------------


def test_a_temp_view_pg_roles_does_not_make_a_counselor_a_supervisor(office):
    seed(office)
    alice = office["names"]["a"]
    schema = schema_of(office["owner"])
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute(SUPERVISOR_VIEW)
        assert {r[0] for r in conn.execute("SELECT stream FROM followup_events")} == {"aoki"}
        assert conn.execute("SELECT followup_is_supervisor()").fetchone()[0] is False
        position, tip = conn.execute("SELECT high + 1, tip FROM followup_reach()").fetchone()
        with pytest.raises(REFUSED):
            conn.execute(f"INSERT INTO {schema}.followup_events VALUES (%s, 'bando', 3, 'x1', 'note_added', %s)",
                         (position, row_of(note("bando", alice, "x1", tip))))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no UPDATE at all (F6.3); before, all of Bob's
            conn.execute(f"UPDATE {schema}.followup_events SET data = data WHERE stream = 'bando'")
    assert streams_seen(office["b"]) == {"bando"}
    appends_work(office)


def test_a_temp_followup_head_does_not_take_the_heads_move(office):
    seed(office)
    alice = office["names"]["a"]
    schema = schema_of(office["owner"])
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE followup_head (one boolean PRIMARY KEY DEFAULT true,"
                     " position bigint NOT NULL, last text NOT NULL)")
        position, tip = next_row(office["a"])
        conn.execute(f"INSERT INTO {schema}.followup_events VALUES (%s, 'aoki', 3, 'h1', 'note_added', %s)",
                     (position, row_of(note("aoki", alice, "h1", tip))))
        assert conn.execute("SELECT count(*) FROM pg_temp.followup_head").fetchone()[0] == 0
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT position FROM followup_head").fetchone()[0] == position
    appends_work(office)


def test_temp_tables_named_like_the_events_or_the_assignments_change_no_rule(office):
    seed(office)
    alice = office["names"]["a"]
    schema = schema_of(office["owner"])
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute(f"CREATE TEMP TABLE followup_events (LIKE {schema}.followup_events)")
        conn.execute("INSERT INTO pg_temp.followup_events VALUES (99, 'aoki', 1, 'fake', 'note_added', '{}')")
        conn.execute(f"CREATE TEMP TABLE followup_assignment (LIKE {schema}.followup_assignment)")
        conn.execute("INSERT INTO pg_temp.followup_assignment VALUES ('bando', %s)", (alice,))
        high, _, tip = conn.execute("SELECT * FROM followup_reach()").fetchone()
        assert high == 4
        for position in (100, 5):
            with pytest.raises(REFUSED):  # the fake row's next position; Bob's client
                conn.execute(f"INSERT INTO {schema}.followup_events VALUES (%s, 'bando', 3, %s, 'note_added', %s)",
                             (position, f"y{position}", row_of(note("bando", alice, f"y{position}", "0" * 32))))
        with pytest.raises(REFUSED):  # a far position, the fake row's prev
            conn.execute(f"INSERT INTO {schema}.followup_events VALUES (100, 'aoki', 3, 'z', 'note_added', %s)",
                         (row_of(note("aoki", alice, "z", "0" * 32)),))
        assert conn.execute("SELECT followup_taken('c9999')").fetchone()[0] is False
        assert {r[0] for r in conn.execute(f"SELECT stream FROM {schema}.followup_events")} == {"aoki"}
    appends_work(office)


def test_temp_functions_named_like_the_rules_helpers_are_never_called(office):
    seed(office)
    alice = office["names"]["a"]
    schema = schema_of(office["owner"])
    with psycopg.connect(office["a"], autocommit=True) as conn:
        conn.execute("CREATE FUNCTION pg_temp.followup_is_supervisor() RETURNS boolean LANGUAGE sql AS 'SELECT true'")
        conn.execute("CREATE FUNCTION pg_temp.followup_link(data text) RETURNS text LANGUAGE sql AS $$SELECT '0'$$")
        conn.execute("CREATE FUNCTION pg_temp.followup_taken(wanted text) RETURNS boolean LANGUAGE sql"
                     " AS 'SELECT false'")
        assert {r[0] for r in conn.execute("SELECT stream FROM followup_events")} == {"aoki"}
        with pytest.raises(REFUSED):
            conn.execute(f"INSERT INTO {schema}.followup_events VALUES (5, 'aoki', 3, 'w', 'note_added', %s)",
                         (row_of(note("aoki", alice, "w", "0")),))
    appends_work(office)


def test_every_function_of_the_store_searches_pg_catalog_first_and_pg_temp_last(office):
    """A function that reads a table by its bare name reads what its search_path says: each one
    of the store's is fixed to pg_catalog, the store's schema, pg_temp (last)."""
    schema = schema_of(office["owner"])
    with psycopg.connect(office["owner"]) as conn:
        found = conn.execute(
            "SELECT p.proname, p.proconfig FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace"
            " WHERE n.nspname = %s AND p.proname LIKE 'followup%%'", (schema,)).fetchall()
    assert len(found) >= 8
    for name, config in found:
        assert f"search_path=pg_catalog, {schema}, pg_temp" in (config or []), (name, config)


# -- F2: a head left behind is seen by check and moved forward by its owner, verified ------------------


def leave_head_behind(owner: str, by: int) -> int:
    """The state the temp followup_head left: the rows went on, the head stayed ``by`` rows back."""
    from tui_followup.core.chain import link_hash

    with psycopg.connect(owner, autocommit=True) as conn:
        high = conn.execute("SELECT max(global_position) FROM followup_events").fetchone()[0]
        data = conn.execute("SELECT data FROM followup_events WHERE global_position = %s", (high - by,)).fetchone()[0]
        conn.execute("UPDATE followup_head SET position = %s, last = %s", (high - by, link_hash(data.encode())))
    return high


def test_check_sees_a_head_behind_the_last_row_and_store_init_moves_it_after_verifying(office):
    seed(office)
    high = leave_head_behind(office["owner"], 2)
    out = followup("--store", office["b"], "record", "note", "bando", "--text", "refused")
    assert out.returncode == 2 and "no longer reaches its head" in out.stderr  # as the office saw it
    found = check(office["owner"]).problems
    assert [(p.line, p.key) for p in found] == [(high - 1, "head_behind")]
    out = followup("--store", office["owner"], "check")
    assert out.returncode == 1 and f"goes on past its head (event {high - 2})" in out.stdout, out.stdout
    out = followup("--store", office["s"], "check")  # a supervisor's check sees it too
    assert out.returncode == 1 and "past its head" in out.stdout, out.stdout
    out = followup("--store", office["owner"], "store", "init")
    assert out.returncode == 0, out.stderr
    moved = [line for line in out.stdout.splitlines() if "head" in line]
    assert moved == [f"{PgStore(office['owner']).path}: the head stayed at event {high - 2} while the table went on"
                     f" to {high}: the chain from event {high - 2} to {high} verifies, so the head now ends at"
                     f" event {high}"], out.stdout
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT position FROM followup_head").fetchone()[0] == high
    appends_work(office)


def test_store_init_does_not_move_a_head_over_rows_that_do_not_follow_it(office):
    seed(office)
    high = leave_head_behind(office["owner"], 1)
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        conn.execute("UPDATE followup_events SET data = replace(data, '\"prev\":\"', '\"prev\":\"0')"
                     " WHERE global_position = %s", (high,))
    out = followup("--store", office["owner"], "store", "init")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"event {high} does not follow event {high - 1}" in out.stderr and "was not moved" in out.stderr
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT position FROM followup_head").fetchone()[0] == high - 1


# -- F3: a row's text is what followup writes: compact, its links readable as check reads them --------


def test_a_supervisors_jsonb_redaction_with_spaces_is_refused_and_the_store_goes_on(office):
    """``(data::jsonb || ...)::text`` writes ``"redacted": "…"`` (a space): the same JSON, but
    not the text the chain's hash reads; before, it passed and bricked every append and check."""
    seed(office)
    with psycopg.connect(office["s"], autocommit=True) as conn:
        position = conn.execute("SELECT global_position FROM followup_events WHERE type = 'session_held'"
                                " AND stream = 'bando'").fetchone()[0]
        with pytest.raises(REFUSED) as caught:
            conn.execute(
                "UPDATE followup_events SET stream = 'forgotten-0123456789', data = (data::jsonb"
                " || jsonb_build_object('summary', '', 'client', 'forgotten-0123456789',"
                " 'redacted', followup_link(data)))::text WHERE global_position = %s", (position,))
        assert "as followup writes it" in str(caught.value)
    assert check(office["owner"]).problems == []
    appends_work(office)


def test_an_inserted_row_with_spaces_or_a_line_break_between_its_fields_is_refused(office):
    seed(office)
    alice = office["names"]["a"]
    position, tip = next_row(office["a"])
    row = note("aoki", alice, "sp", tip)
    compact = row_of(row)
    for raw in (compact.replace(',"type"', ', "type"'), compact.replace(',"type"', ',\n"type"'),
                compact.replace('{"v"', ' {"v"')):
        with psycopg.connect(office["a"], autocommit=True) as conn:
            with pytest.raises(REFUSED) as caught:
                conn.execute("INSERT INTO followup_events VALUES (%s, 'aoki', 3, 'sp', 'note_added', %s)",
                             (position, raw))
            assert "as followup writes it" in str(caught.value)
    with psycopg.connect(office["a"], autocommit=True) as conn:  # spaces inside a string are the text's own
        conn.execute("INSERT INTO followup_events VALUES (%s, 'aoki', 3, 'sp', 'note_added', %s)",
                     (position, row_of(dict(row, text="two  words, \"quoted\": here"))))
    assert check(office["owner"]).problems == []
    appends_work(office)


# -- F6.3: a counselor's psql cannot lock the table against readers, nor hold a lock forever ------------


def test_a_counselor_can_no_longer_lock_the_table_against_everyone_yet_still_appends(office):
    seed(office)
    with psycopg.connect(office["a"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("LOCK TABLE followup_events IN ACCESS EXCLUSIVE MODE")
    with psycopg.connect(office["a"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE followup_events SET data = data")
    appends_work(office)
    out = followup("--store", office["s"], "forget", "bando", "--yes")  # a supervisor's redaction still works
    assert out.returncode == 0, out.stderr
    assert check(office["owner"]).problems == []


def test_store_grant_bounds_every_psql_session_of_the_role(office):
    for key in ("a", "s"):
        with psycopg.connect(office[key]) as conn:  # a plain session, not followup's own settings
            found = dict(conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN"
                " ('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout')").fetchall())
        assert found == {"lock_timeout": "5000", "statement_timeout": "120000",
                         "idle_in_transaction_session_timeout": "60000"}, (key, found)


def test_a_writer_blocked_by_a_counselors_psql_lock_names_its_holder(office):
    seed(office)
    alice = office["names"]["a"]
    with psycopg.connect(office["a"]) as conn:  # a transaction left open in psql, holding the append lock
        conn.execute("LOCK TABLE followup_events IN ROW EXCLUSIVE MODE")
        out = followup("--store", office["b"], "record", "note", "bando", "--text", "waits")
        assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert alice in out.stderr and "nothing was recorded" in out.stderr
    appends_work(office)


# -- F4: a field followup does not know never survives forget, nor enters through a granted role --------


def hand_append(location, row: dict) -> None:
    """A line (row) someone wrote outside followup, chained and under the head as the store's
    own writes are (the file's editor rewrites the head; the table's owner is bound by no rule)."""
    from pathlib import Path

    from tui_followup.core.chain import link_hash
    from tui_followup.storage.logfile import LogStore

    if isinstance(location, Path):
        lines = location.read_bytes().splitlines()
        line = row_of(dict(row, prev=link_hash(lines[-1])))
        with open(location, "ab") as f:
            f.write(line.encode() + b"\n")
        store = LogStore(location)
        store.read_new()
        store.write_head(durable=True)
        return
    with psycopg.connect(location, autocommit=True) as conn:
        high, last = conn.execute("SELECT global_position, data FROM followup_events"
                                  " ORDER BY global_position DESC LIMIT 1").fetchone()
        version = conn.execute("SELECT count(*) + 1 FROM followup_events WHERE stream = %s",
                               (row["client"],)).fetchone()[0]
        conn.execute("INSERT INTO followup_events VALUES (%s, %s, %s, %s, %s, %s)",
                      (high + 1, row["client"], version, row["id"], row["type"],
                       row_of(dict(row, prev=link_hash(last.encode())))))


def test_forget_leaves_no_field_followup_does_not_know_on_either_store(location):
    from .test_erasure import journal, seed as seed_secrets, stored_text
    from tui_followup.storage.maintenance import forget

    seed_secrets(location)
    hand_append(location, note("aoki", "sato", "extra1", "", text="SECRETTEXT", phone="090-SECRETPHONE",
                               history={"mother": "SECRETMOTHER"}))
    assert check(location).problems == []
    forget(journal(location), "aoki")
    text = stored_text(location)
    for secret in ("SECRETPHONE", "SECRETMOTHER", "SECRETTEXT", "phone"):
        assert secret not in text
    assert check(location).problems == []


def test_forget_of_a_client_with_an_event_of_a_newer_version_refuses_naming_it_and_erases_nothing(location):
    from tui_followup.storage.logfile import StoreError
    from tui_followup.storage.maintenance import forget

    from .test_erasure import SECRET, journal, lines_of, seed as seed_secrets

    seed_secrets(location)
    hand_append(location, dict(note("aoki", "sato", "newer1", "", text="SECRETNEWER"), v=3))
    before = lines_of(location)
    with pytest.raises(StoreError) as caught:
        forget(journal(location), "aoki")
    assert "5" in str(caught.value) and "newer version" in str(caught.value) and "nothing was erased" in str(
        caught.value)
    assert lines_of(location) == before and SECRET.encode() in b"".join(before)


def test_a_granted_role_cannot_insert_a_field_its_type_does_not_declare_nor_a_newer_version(office):
    seed(office)
    alice = office["names"]["a"]
    position, tip = next_row(office["a"])
    said = refused(office["a"], position, "aoki", 3, note("aoki", alice, "p1", tip, phone="090-1111"))
    assert "phone" in said and "note_added" in said
    said = refused(office["a"], position, "aoki", 3, dict(note("aoki", alice, "p2", tip), v=3))
    assert "schema version" in said
    said = refused(office["a"], position, "aoki", 3, dict(note("aoki", alice, "p3", tip), type="note_sung"))
    assert "note_sung" in said
    insert(office["a"], position, "aoki", 3, note("aoki", alice, "p4", tip))  # what followup writes
    assert check(office["owner"]).problems == []


def test_a_supervisors_forget_removes_a_field_followup_does_not_know_and_the_database_takes_it(office):
    seed(office)
    hand_append(office["owner"], note("bando", office["names"]["b"], "ph", "", text="x", phone="090-SECRETPHONE"))
    out = followup("--store", office["s"], "forget", "bando", "--yes")
    assert out.returncode == 0, out.stderr
    with psycopg.connect(office["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM followup_events WHERE data LIKE '%SECRETPHONE%'").fetchone()[0] == 0
    assert check(office["owner"]).problems == []
    appends_work(office, (("a", "aoki"),))


def test_the_database_knows_every_field_of_every_event_type():
    """Migration 6 froze each type's fields; a type or field added since needs a migration that
    tells the database (else a granted role's insert of it is refused there)."""
    from tui_followup.core.privacy import DECLARED_FIELDS
    from tui_followup.storage.pgstore import FIELDS_AT_7

    assert {k: tuple(v) for k, v in json.loads(FIELDS_AT_7).items()} == DECLARED_FIELDS


# -- F6.1: store copy into a store a granted role writes: refused before anything is changed ------------


def test_a_supervisors_copy_of_an_erased_file_into_the_live_store_changes_nothing_and_says_why(office, tmp_path):
    seed(office)
    copy = tmp_path / "office.jsonl"
    assert followup("--store", office["owner"], "store", "copy", "--from", office["owner"], "--to", str(copy)).returncode == 0
    assert followup("--log", str(copy), "forget", "bando", "--yes").returncode == 0
    before = PgStore(office["owner"]).count()
    out = followup("--store", office["s"], "store", "copy", "--from", str(copy), "--to", office["s"])
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "nothing was changed" in out.stderr and "only the tables' owner" in out.stderr
    assert "bando" in streams_seen(office["owner"]) and PgStore(office["owner"]).count() == before
    assert check(office["owner"]).problems == []
    out = followup("--store", office["owner"], "store", "copy", "--from", str(copy), "--to", office["owner"])  # the owner's copy
    assert out.returncode == 0, out.stderr
    assert "bando" not in streams_seen(office["owner"]) and check(office["owner"]).problems == []


# -- F6.2: a backup never replaces a head file that is there ---------------------------------------------


def test_a_backup_whose_head_file_is_already_there_is_refused_and_leaves_it(location, tmp_path):
    from .test_erasure import seed as seed_secrets

    seed_secrets(location)
    target = tmp_path / "b" / "x.jsonl"
    target.parent.mkdir()
    head = target.with_name("x.jsonl.head")
    head.write_text("someone else's head\n")
    out = followup(*(["--log", str(location)] if not isinstance(location, str) else ["--store", location]),
                   "backup", "--to", str(target))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "x.jsonl.head" in out.stderr and "nothing was written" in out.stderr
    assert head.read_text() == "someone else's head\n" and not target.exists()
    head.unlink()
    head.symlink_to(tmp_path / "elsewhere")  # a link there, dangling: refused too
    out = followup(*(["--log", str(location)] if not isinstance(location, str) else ["--store", location]),
                   "backup", "--to", str(target))
    assert out.returncode == 2 and not (tmp_path / "elsewhere").exists() and not target.exists()


# -- F5: the erased text leaves the planner's statistics too ---------------------------------------------


def stats_text(url: str) -> str:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT coalesce(histogram_bounds::text, '') || coalesce(most_common_vals::text, '')"
                            " FROM pg_stats WHERE schemaname = current_schema()"
                            " AND tablename = 'followup_events'").fetchall()
    return "".join(r[0] for r in rows)


def test_forget_by_the_owner_leaves_the_erased_text_in_no_statistics(pg_url):
    from .test_erasure import SECRET, seed as seed_secrets

    seed_secrets(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ANALYZE followup_events")  # as autovacuum does, any time
    assert SECRET in stats_text(pg_url)
    out = followup("--store", pg_url, "forget", "aoki", "--yes")
    assert out.returncode == 0, out.stderr
    assert "ANALYZE" in out.stdout and "VACUUM FULL" in out.stdout
    assert SECRET not in stats_text(pg_url) and "SECRETSUMMARY" not in stats_text(pg_url)


def test_a_supervisors_forget_says_what_the_owner_must_run(office):
    seed(office)
    out = followup("--store", office["s"], "forget", "bando", "--yes")
    assert out.returncode == 0, out.stderr
    assert "VACUUM followup_events" in out.stdout and "ANALYZE followup_events" in out.stdout, out.stdout


# -- F6.4: who may connect at all -------------------------------------------------------------------------


def test_store_grant_lets_the_groups_connect_once_public_may_not_and_init_says_so(office):
    import secrets

    out = followup("--store", office["owner"], "store", "init")
    assert out.returncode == 0 and "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC" in out.stdout, out.stdout
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        stranger = f"st_{secrets.token_hex(4)}"
        conn.execute(f"CREATE ROLE {stranger} LOGIN")
        conn.execute("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC")
    try:
        for key in ("a", "s"):  # granted: still connect
            with psycopg.connect(office[key]) as conn:
                assert conn.execute("SELECT 1").fetchone() == (1,)
        with pytest.raises(psycopg.OperationalError):  # any other role of the server: not even pg_stat_*
            psycopg.connect(office["owner"].replace("://postgres@", f"://{stranger}@", 1)).close()
        out = followup("--store", office["owner"], "store", "init")
        assert out.returncode == 0 and "REVOKE CONNECT" not in out.stdout, out.stdout
    finally:
        with psycopg.connect(office["owner"], autocommit=True) as conn:
            conn.execute("GRANT CONNECT ON DATABASE postgres TO PUBLIC")
