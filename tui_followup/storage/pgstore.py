"""The server store: the same events in one PostgreSQL table, for an office's shared caseload.

One row per event, in one global order::

    global_position  bigint   gapless, in commit order (1, 2, 3, ...): a reader's "line number"
    stream           text     the client the event is about
    stream_version   integer  1, 2, 3, ... within the stream
    event_id         text     unique: the same event twice is a no-op, other content refused
    type             text     the event's type (also inside ``data``)
    data             text     the event's JSON exactly as a JSONL line holds it, ``prev`` included

* **Order without gaps.** Appends take ``LOCK TABLE ... IN EXCLUSIVE MODE`` (readers are not
  blocked) and number their rows after the last committed one, so positions are given in
  commit order: a reader that has read up to position N never sees N+1 appear before N (the
  late-commit gap the eventsourcing library's PostgreSQL recorder also closes with a lock).
* **Optimistic concurrency.** ``transact`` reads what is new and lets the command decide
  without the lock; under the lock it looks again: if anything was appended meanwhile, the
  command is given those events and decides again (validated against the new state, so a
  second close of the same case is refused with the reason). ``(stream, stream_version)`` is
  unique besides: two writers can never both write a client's version N.
* **The hash chain.** Every row's ``prev`` is the hash of the row before it, as in the file:
  ``followup check`` verifies a server store as it verifies a file.
* **The head.** ``followup_head`` (one row: the last position and its row's hash) is updated
  in the same transaction as every append, so deleting the last rows or editing the last
  row's data does not move it: ``check`` reports the loss, and an append to a table that no
  longer reaches its head is refused, writing nothing.
* **No writer waits forever.** Every session sets ``lock_timeout`` (``LOCK_WAIT_SECONDS``),
  ``statement_timeout`` and ``idle_in_transaction_session_timeout``: a writer stopped while
  holding the table lock (paused, SIGSTOPped, a transaction left open) makes the next one
  give up after a few seconds, saying who holds it (``pg_stat_activity``), writing nothing;
  the server ends the stopped one's transaction after ``IDLE_IN_TRANSACTION_SECONDS``.
* **Live.** Every append sends ``NOTIFY followup_events, '<last position>'``; an open app
  listens and reads the new rows at once (its poll stays as the fallback).
* **Need-to-know.** Row-level security (migration 3): a counselor's role sees and appends the
  rows of the clients assigned to it (``followup_assignment``, kept by a trigger), a
  supervisor's sees all; ``grant`` sets roles up. See ARCHITECTURE.md.
* **Erasure.** ``redact`` rewrites one client's rows in place (``forget``), each keeping the
  hash of its original row, so the chain and every other row stay as they were.
* **Migrations.** ``followup store init`` applies the numbered ``MIGRATIONS`` not yet in
  ``followup_schema`` (under an advisory lock: two inits at once are one).
"""

from __future__ import annotations

import getpass
import hashlib
import itertools
import threading
import os
import re
import signal
import socket
from contextlib import nullcontext
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

import msgspec

from ..core.chain import GENESIS, chained, line_hash, link_hash
from ..core.codec import decode, decode_lines, encode
from ..core.events import (
    SCHEMA_VERSION,
    AnyEvent,
    ClientAssigned,
    ClientForgotten,
    ClientRegistered,
    Event,
    same_event,
    tag_of,
)
from .logfile import Batch, StoreError

TABLE = "followup_events"
HEAD = "followup_head"
ASSIGNMENT = "followup_assignment"
SNAPSHOT = "followup_snapshot"
# The databases a new store is made in: every character of every language written to a client
# is kept (UTF8; SQL_ASCII keeps the bytes as the app sends them, UTF-8, unchecked).
ENCODINGS_KEPT = frozenset({"UTF8", "SQL_ASCII"})
CHANNEL = "followup_events"
# what an event appended by client carries as its ``prev`` until the server puts the link there
_SPLICE = "~" * 32
_SPLICE_AT = b'"prev":"' + _SPLICE.encode() + b'"'
BETWEEN_MAX = 500  # more rows than this written since the writer's read: it reads them first
READ_ROWS = 20_000  # rows read at a time (about 5 MB of JSON)
# The least memory a session's sorts and bitmaps get (an administrator's larger setting stands):
# with the server's default 4 MB, a counselor's 100,000 rows spread over a five-million-row
# table made a lossy bitmap (670,000 rows read and thrown back) and a sort on disk per page.
READ_WORK_MEM: str | None = "64MB"
COPY_MIN = 64  # from this many events an append goes through COPY, not INSERT
COPY_SLICE = 2_000  # rows per COPY buffer (sent while the next is made)
LOCK_WAIT_SECONDS = 5  # how long a writer waits for the table lock before it says who holds it
STATEMENT_SECONDS = 120  # no statement runs longer (a COPY of a big `store copy` included)
IDLE_IN_TRANSACTION_SECONDS = 60  # a session stopped inside a transaction is ended by the server
DURABLE = "SELECT pg_logical_emit_message(true, 'followup', '') AS durable_to"  # a commit that waits for the disk

# The personal fields of each event type when migration 5 was written (its redaction rule reads
# them in the database); a type added since needs a migration that says its own
# (tests/storage/test_pg_rules.py compares them with core/events.py).
PERSONAL_AT_5 = ('{"appointment_booked":[],"appointment_cancelled":["reason"],"case_closed":["summary"],'
                 '"case_reopened":["reason"],"client_assigned":["reason"],"client_forgotten":[],'
                 '"client_paused":["reason"],"client_registered":["name","note","reading","case"],'
                 '"client_resumed":[],"client_updated":["name","reading","case"],"consent_recorded":["note"],'
                 '"consent_withdrawn":["note"],"event_retracted":["reason"],"feedback_received":["comment"],'
                 '"follow_up_snoozed":["reason"],"message_sent":["summary"],"note_added":["text"],'
                 '"promise_kept":[],"promise_made":["what"],"promise_rescheduled":["reason"],'
                 '"reply_received":["summary"],"session_held":["summary","next_step","achieved","challenges"],'
                 '"session_missed":["reason"]}')

# Every field each event type declares when migration 7 was written ("type" and the envelope
# included): what a granted role may insert, and all a redaction may keep
# (tests/storage/test_pg_lawful.py compares them with core/privacy.py's DECLARED_FIELDS).
FIELDS_AT_7 = (
    '{"appointment_booked":["type","id","at","recorded_at","actor","client","v","prev","when","minutes","channel"],'
    '"appointment_cancelled":["type","id","at","recorded_at","actor","client","v","prev","appointment","reason"],'
    '"case_closed":["type","id","at","recorded_at","actor","client","v","prev","reason","summary"],'
    '"case_reopened":["type","id","at","recorded_at","actor","client","v","prev","reason"],'
    '"client_assigned":["type","id","at","recorded_at","actor","client","v","prev","to","reason"],'
    '"client_forgotten":["type","id","at","recorded_at","actor","client","v","prev","previous_head","lines_rewritten","events","skeletons"],'
    '"client_paused":["type","id","at","recorded_at","actor","client","v","prev","reason","until"],'
    '"client_registered":["type","id","at","recorded_at","actor","client","v","prev","name","plan","channel","note","reading","importance","case","language","consents"],'
    '"client_resumed":["type","id","at","recorded_at","actor","client","v","prev"],'
    '"client_updated":["type","id","at","recorded_at","actor","client","v","prev","name","reading","plan","channel","importance","case","language"],'
    '"consent_recorded":["type","id","at","recorded_at","actor","client","v","prev","scope","note"],'
    '"consent_withdrawn":["type","id","at","recorded_at","actor","client","v","prev","scope","note"],'
    '"event_retracted":["type","id","at","recorded_at","actor","client","v","prev","target","reason"],'
    '"feedback_received":["type","id","at","recorded_at","actor","client","v","prev","score","comment"],'
    '"follow_up_snoozed":["type","id","at","recorded_at","actor","client","v","prev","until","reason","item"],'
    '"message_sent":["type","id","at","recorded_at","actor","client","v","prev","channel","template","summary","keeps","answers","no_reply_needed"],'
    '"note_added":["type","id","at","recorded_at","actor","client","v","prev","text"],'
    '"promise_kept":["type","id","at","recorded_at","actor","client","v","prev","promise"],'
    '"promise_made":["type","id","at","recorded_at","actor","client","v","prev","due","what","explicit"],'
    '"promise_rescheduled":["type","id","at","recorded_at","actor","client","v","prev","promise","due","reason"],'
    '"reply_received":["type","id","at","recorded_at","actor","client","v","prev","channel","summary"],'
    '"session_held":["type","id","at","recorded_at","actor","client","v","prev","minutes","summary","next_step","achieved","challenges"],'
    '"session_missed":["type","id","at","recorded_at","actor","client","v","prev","kind","reason"]}')

MIGRATIONS: list[str] = [
    # 1: the events
    f"""
    CREATE TABLE {TABLE} (
        global_position bigint PRIMARY KEY CHECK (global_position > 0),
        stream text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        data text NOT NULL,
        UNIQUE (stream, stream_version)
    )
    """,
    # 2: the head, where deleting or editing events alone cannot move it (from the rows there now)
    f"""
    CREATE TABLE {HEAD} (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        position bigint NOT NULL,
        last text NOT NULL
    );
    INSERT INTO {HEAD} (position, last)
    SELECT coalesce(max(global_position), 0),
           coalesce((SELECT left(encode(sha256(convert_to(data, 'UTF8')), 'hex'), 32) FROM {TABLE}
                     ORDER BY global_position DESC LIMIT 1), '')
    FROM {TABLE}
    """,
    # 3: need-to-know. Who each client is assigned to (kept by a trigger on every append, in the
    # append's transaction); row-level security: a counselor sees and appends the events of
    # their own clients (and registers new ones, who become theirs), a member of
    # followup_supervisor sees all and alone may redact (forget). The table's owner is not
    # bound by these rules. Roles are given by `followup store grant`.
    f"""
    CREATE TABLE {ASSIGNMENT} (stream text PRIMARY KEY, counselor text NOT NULL);
    INSERT INTO {ASSIGNMENT} (stream, counselor)
    SELECT DISTINCT ON (stream) stream,
           CASE WHEN type = 'client_assigned' THEN data::jsonb->>'to' ELSE data::jsonb->>'actor' END
    FROM {TABLE} WHERE type IN ('client_registered', 'client_assigned')
    ORDER BY stream, (type = 'client_assigned') DESC, global_position DESC;

    CREATE FUNCTION followup_is_supervisor() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_supervisor'
                       AND pg_has_role(current_user, oid, 'MEMBER')) $$;

    CREATE FUNCTION followup_assign() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    BEGIN
        IF NEW.type = 'client_registered' THEN
            INSERT INTO {ASSIGNMENT} (stream, counselor) VALUES (NEW.stream, NEW.data::jsonb->>'actor')
            ON CONFLICT (stream) DO NOTHING;
        ELSIF NEW.type = 'client_assigned' THEN
            UPDATE {ASSIGNMENT} SET counselor = NEW.data::jsonb->>'to' WHERE stream = NEW.stream;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER followup_assign AFTER INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION followup_assign();

    -- what every session may know of the whole table: where it ends, and the link hashes at
    -- its end and at the head (a counselor's append and check need them; the rows stay hidden)
    CREATE FUNCTION followup_reach(OUT high bigint, OUT at_head text, OUT tip text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT (SELECT coalesce(max(global_position), 0) FROM {TABLE}),
               (SELECT coalesce(substring(e.data from '"redacted":"([0-9a-f]{{32}})"'),
                                left(encode(sha256(convert_to(e.data, 'UTF8')), 'hex'), 32))
                FROM {TABLE} AS e JOIN {HEAD} AS h ON e.global_position = h.position),
               coalesce((SELECT coalesce(substring(data from '"redacted":"([0-9a-f]{{32}})"'),
                                left(encode(sha256(convert_to(data, 'UTF8')), 'hex'), 32))
                FROM {TABLE} ORDER BY global_position DESC LIMIT 1), '') $$;

    ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY followup_read ON {TABLE} FOR SELECT USING (
        followup_is_supervisor()
        OR stream IN (SELECT a.stream FROM {ASSIGNMENT} AS a WHERE a.counselor = current_user));
    CREATE POLICY followup_add ON {TABLE} FOR INSERT WITH CHECK (
        followup_is_supervisor()
        OR (data::jsonb->>'actor' = current_user
            AND (type = 'client_registered'
                 OR stream IN (SELECT a.stream FROM {ASSIGNMENT} AS a WHERE a.counselor = current_user))));
    CREATE POLICY followup_erase ON {TABLE} FOR UPDATE USING (followup_is_supervisor())
        WITH CHECK (followup_is_supervisor());
    ALTER TABLE {ASSIGNMENT} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY followup_assignment_read ON {ASSIGNMENT} FOR SELECT USING (
        followup_is_supervisor() OR counselor = current_user);
    CREATE POLICY followup_assignment_erase ON {ASSIGNMENT} FOR UPDATE USING (followup_is_supervisor());
    """,
    # 4: need-to-know that holds against psql too. A counselor appends only to a stream assigned
    # to them, or registers a client whose id no one holds yet (who then becomes theirs; an id
    # taken is refused, never handed over); every row under row security must say in its data
    # what its columns say (type, client, id); the head is moved by the database on every
    # insert (no session writes it); followup_reach() is for the granted roles only.
    f"""
    CREATE FUNCTION followup_taken(wanted text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
        SELECT EXISTS (SELECT 1 FROM {ASSIGNMENT} WHERE stream = wanted)
            OR EXISTS (SELECT 1 FROM {TABLE} WHERE stream = wanted) $$;
    REVOKE EXECUTE ON FUNCTION followup_taken(text) FROM PUBLIC;  -- granted to the groups (the policy calls it)

    DROP POLICY followup_add ON {TABLE};
    CREATE POLICY followup_add ON {TABLE} FOR INSERT WITH CHECK (
        followup_is_supervisor()
        OR (data::jsonb->>'actor' = current_user
            AND (stream IN (SELECT a.stream FROM {ASSIGNMENT} AS a WHERE a.counselor = current_user)
                 OR (type = 'client_registered' AND NOT followup_taken(stream)))));

    CREATE FUNCTION followup_row_says() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE said jsonb;
    BEGIN
        IF NOT row_security_active(TG_RELID) THEN
            RETURN NEW;  -- the tables' owner (restore, store copy) puts rows as they were
        END IF;
        BEGIN
            said := NEW.data::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION 'new row violates row-level security: its data is not an event'
                USING ERRCODE = 'insufficient_privilege';
        END;
        IF jsonb_typeof(said) <> 'object' OR said->>'type' IS DISTINCT FROM NEW.type
           OR said->>'client' IS DISTINCT FROM NEW.stream OR said->>'id' IS DISTINCT FROM NEW.event_id
           OR (NEW.type = 'client_forgotten' AND said->>'actor' IS DISTINCT FROM current_user) THEN
            RAISE EXCEPTION 'new row violates row-level security: its data and its columns disagree'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER followup_row_says BEFORE INSERT OR UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION followup_row_says();

    DROP TRIGGER followup_assign ON {TABLE};
    CREATE OR REPLACE FUNCTION followup_assign() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    BEGIN
        IF NEW.type = 'client_registered' THEN
            INSERT INTO {ASSIGNMENT} (stream, counselor) VALUES (NEW.stream, NEW.data::jsonb->>'actor')
            ON CONFLICT (stream) DO NOTHING;
        ELSIF NEW.type = 'client_assigned' THEN
            UPDATE {ASSIGNMENT} SET counselor = NEW.data::jsonb->>'to' WHERE stream = NEW.stream;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER followup_assign AFTER INSERT ON {TABLE} FOR EACH ROW
        WHEN (NEW.type IN ('client_registered', 'client_assigned')) EXECUTE FUNCTION followup_assign();

    CREATE FUNCTION followup_move_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    BEGIN
        INSERT INTO {HEAD} AS h (one, position, last)
        SELECT true, a.global_position,
               coalesce(substring(a.data from '"redacted":"([0-9a-f]{{32}})"'),
                        left(encode(sha256(convert_to(a.data, 'UTF8')), 'hex'), 32))
        FROM added AS a ORDER BY a.global_position DESC LIMIT 1
        ON CONFLICT (one) DO UPDATE SET position = excluded.position, last = excluded.last
        WHERE h.position < excluded.position;
        RETURN NULL;
    END $$;
    CREATE TRIGGER followup_move_head AFTER INSERT ON {TABLE} REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION followup_move_head();

    REVOKE EXECUTE ON FUNCTION followup_reach() FROM PUBLIC;
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_reach(), followup_taken(text) TO followup_counselor';
            EXECUTE 'REVOKE INSERT, UPDATE ON {HEAD} FROM followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_reach(), followup_taken(text) TO followup_supervisor';
            EXECUTE 'REVOKE INSERT, UPDATE ON {HEAD} FROM followup_supervisor';
        END IF;
    END $$;
    """,
    # 5: every row a granted role writes is a row `followup` would write. An insert goes at the
    # next position after the head, its prev the head's hash (so no psql can break the chain or
    # the head for everyone); its actor is the database role; only a supervisor records an
    # erasure, no one inserts a redaction; a reference names an event of the same client, a
    # hand-over a granted role; no key is written twice. An update (a supervisor's redaction)
    # keeps every field but the personal ones (frozen here, per type, as core/events.py said
    # them at this migration) and the client id, and keeps the digest of the row it replaces.
    f"""
    CREATE FUNCTION followup_link(data text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(substring(data from '"redacted":"([0-9a-f]{{32}})"'),
                        left(encode(sha256(convert_to(data, 'UTF8')), 'hex'), 32)) $$;

    -- where the next row goes (the table's end + 1, the link hash of its last row) and whether
    -- the table still reaches its head (rows past the head only this transaction's own)
    CREATE FUNCTION followup_next(OUT next_position bigint, OUT next_prev text, OUT reached boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE high bigint; head_at bigint; head_last text;
    BEGIN
        SELECT coalesce(max(e.global_position), 0) INTO high FROM {TABLE} AS e;
        next_prev := coalesce((SELECT followup_link(e.data) FROM {TABLE} AS e WHERE e.global_position = high), '');
        SELECT h.position, h.last INTO head_at, head_last FROM {HEAD} AS h;
        head_at := coalesce(head_at, 0);
        reached := head_at <= high
            AND coalesce((SELECT followup_link(e.data) FROM {TABLE} AS e WHERE e.global_position = head_at), '')
                = coalesce(head_last, '')
            AND NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.global_position > head_at
                            AND e.xmin <> pg_current_xact_id()::xid);
        next_position := high + 1;
    END $$;
    REVOKE EXECUTE ON FUNCTION followup_next() FROM PUBLIC;

    CREATE OR REPLACE FUNCTION followup_row_says() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE said jsonb; was jsonb; nxt record; ref text; personal text[];
    BEGIN
        IF NOT row_security_active(TG_RELID) THEN
            RETURN NEW;  -- the tables' owner (restore, store copy) puts rows as they were
        END IF;
        BEGIN
            said := NEW.data::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION 'new row violates row-level security: its data is not an event'
                USING ERRCODE = 'insufficient_privilege';
        END;
        IF jsonb_typeof(said) <> 'object' OR said->>'type' IS DISTINCT FROM NEW.type
           OR said->>'client' IS DISTINCT FROM NEW.stream OR said->>'id' IS DISTINCT FROM NEW.event_id THEN
            RAISE EXCEPTION 'new row violates row-level security: its data and its columns disagree'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (SELECT count(*) FROM json_object_keys(NEW.data::json)) <> (SELECT count(*) FROM jsonb_object_keys(said)) THEN
            RAISE EXCEPTION 'row refused: its data names a key twice' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' THEN  -- a redaction (forget), a supervisor's alone (the policy says so)
            was := OLD.data::jsonb;
            personal := ARRAY(SELECT jsonb_array_elements_text(('{PERSONAL_AT_5}'::jsonb)->NEW.type));
            IF NEW.global_position <> OLD.global_position OR NEW.event_id <> OLD.event_id OR NEW.type <> OLD.type
               OR NEW.stream_version <> OLD.stream_version OR NEW.stream NOT LIKE 'forgotten-%'
               OR said->>'redacted' IS DISTINCT FROM followup_link(OLD.data)
               OR (said - personal - 'client' - 'redacted') <> (was - personal - 'client' - 'redacted')
               OR EXISTS (SELECT 1 FROM unnest(personal) AS k
                          WHERE (said ? k) <> (was ? k)
                             OR (said ? k AND said->k NOT IN ('""'::jsonb, '"(forgotten)"'::jsonb))) THEN
                RAISE EXCEPTION 'row % refused: an update is a redaction, which keeps every field but the personal ones and the client id, and the digest of the row it replaces', OLD.global_position
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END IF;
        IF said->>'actor' IS DISTINCT FROM session_user THEN
            RAISE EXCEPTION 'row refused: its actor must be your database role %', session_user
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.type = 'client_forgotten' AND NOT followup_is_supervisor() THEN
            RAISE EXCEPTION 'row refused: only a supervisor records that a client was forgotten'
                USING ERRCODE = 'check_violation';
        END IF;
        IF said ? 'redacted' OR strpos(NEW.data, '"redacted":"') > 0 THEN
            RAISE EXCEPTION 'row refused: a redaction is made by followup forget (an update), never inserted'
                USING ERRCODE = 'check_violation';
        END IF;
        FOREACH ref IN ARRAY ARRAY['target', 'promise', 'appointment', 'keeps'] LOOP
            IF NEW.type <> 'client_forgotten' AND said ? ref AND said->ref <> 'null'::jsonb AND said->ref <> '""'::jsonb
               AND NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.event_id = said->>ref AND e.stream = NEW.stream) THEN
                RAISE EXCEPTION 'row refused: its % names no event of this client', ref USING ERRCODE = 'check_violation';
            END IF;
        END LOOP;
        IF NEW.type = 'client_assigned' AND NOT EXISTS (
                SELECT 1 FROM pg_auth_members AS a JOIN pg_roles AS g ON g.oid = a.roleid
                JOIN pg_roles AS m ON m.oid = a.member
                WHERE m.rolname = said->>'to' AND m.rolcanlogin
                  AND g.rolname IN ('followup_counselor', 'followup_supervisor')) THEN
            RAISE EXCEPTION 'row refused: % is no counselor or supervisor of this store', said->>'to'
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT * INTO nxt FROM followup_next();
        IF NOT nxt.reached THEN
            RAISE EXCEPTION 'row refused: the table no longer reaches its head (followup check says where)'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.global_position <> nxt.next_position OR said->>'prev' IS DISTINCT FROM nxt.next_prev
           OR substring(NEW.data from '"prev":"([^"]*)"') IS DISTINCT FROM nxt.next_prev THEN  -- as check reads it
            RAISE EXCEPTION 'row refused: the next event goes at global_position % with prev "%" (the head''s hash)',
                nxt.next_position, nxt.next_prev USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;

    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_next() TO followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_next() TO followup_supervisor';
        END IF;
    END $$;
    """,
    # 6 (after need-to-know's 5): a counselor reads only their caseload, a snapshot per role.
    # The read policies ask followup_is_supervisor() once per statement (an InitPlan), not once
    # per row (1.1 s of a counselor's 1.2 s at 100k rows); a counselor's read goes through the
    # index on (stream, global_position) for their streams alone; the retractions and erasure
    # markers are found by a small index. followup_snapshot: one snapshot of the facts per
    # database role (row security: each role reads and writes its own, so a counselor's holds
    # only what they may see), keyed to the position it reaches, the link hash of the row
    # there and the code that wrote it; a supervisor's forget deletes them all.
    f"""
    CREATE INDEX IF NOT EXISTS followup_events_stream_position ON {TABLE} (stream, global_position);
    CREATE INDEX IF NOT EXISTS followup_events_rare ON {TABLE} (type, global_position)
        WHERE type IN ('event_retracted', 'client_forgotten');
    DROP POLICY followup_read ON {TABLE};
    CREATE POLICY followup_read ON {TABLE} FOR SELECT USING (
        (SELECT followup_is_supervisor())
        OR stream IN (SELECT a.stream FROM {ASSIGNMENT} AS a WHERE a.counselor = current_user));
    DROP POLICY followup_assignment_read ON {ASSIGNMENT};
    CREATE POLICY followup_assignment_read ON {ASSIGNMENT} FOR SELECT USING (
        (SELECT followup_is_supervisor()) OR counselor = current_user);

    CREATE TABLE IF NOT EXISTS {SNAPSHOT} (
        role text PRIMARY KEY DEFAULT current_user,
        position bigint NOT NULL,
        last text NOT NULL,
        code text NOT NULL,
        digest text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        data bytea NOT NULL
    );
    ALTER TABLE {SNAPSHOT} ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS followup_snapshot_own ON {SNAPSHOT};
    DROP POLICY IF EXISTS followup_snapshot_forget ON {SNAPSHOT};
    CREATE POLICY followup_snapshot_own ON {SNAPSHOT} USING (role = current_user) WITH CHECK (role = current_user);
    CREATE POLICY followup_snapshot_forget ON {SNAPSHOT} FOR DELETE USING ((SELECT followup_is_supervisor()));
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON {SNAPSHOT} TO followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON {SNAPSHOT} TO followup_supervisor';
        END IF;
    END $$;

    -- a hand-over takes a client out of a counselor's caseload: the counselors' snapshots (one of
    -- which holds the client's facts) are deleted with it, rebuilt at their next start (the
    -- owner's and the supervisors' see every client anyway)
    CREATE OR REPLACE FUNCTION followup_handover_snapshots() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER AS $$
    BEGIN
        DELETE FROM {SNAPSHOT} AS s WHERE EXISTS (  -- the counselors' (a supervisor's sees all)
            SELECT 1 FROM pg_catalog.pg_auth_members AS m
            JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
            WHERE g.rolname = 'followup_counselor' AND u.rolname = s.role);
        RETURN NULL;
    END $$;
    DO $$ BEGIN  -- its schema, found first; a session's temporary tables never (pg_temp last)
        EXECUTE pg_catalog.format('ALTER FUNCTION followup_handover_snapshots() SET search_path = pg_catalog, %I, pg_temp',
                                  pg_catalog.current_schema());
    END $$;
    DROP TRIGGER IF EXISTS followup_handover_snapshots ON {TABLE};
    CREATE TRIGGER followup_handover_snapshots AFTER INSERT ON {TABLE} FOR EACH ROW
        WHEN (NEW.type = 'client_assigned') EXECUTE FUNCTION followup_handover_snapshots();
    ANALYZE {TABLE};
    """,
    # 7 (after the snapshots' 6): nothing a session puts in pg_temp is read by the rules. A function without a fixed
    # search_path (or one that leaves pg_temp out, which PostgreSQL then searches FIRST for tables
    # and views) reads a counselor's `CREATE TEMP VIEW pg_roles` or `CREATE TEMP TABLE followup_head`
    # instead of the real one. Every function of the store now searches pg_catalog, the store's
    # schema, and pg_temp last (functions and operators are never looked up in pg_temp); the
    # policies are bound to their tables and functions when created (by oid), not by name.
    # (created where the store is first, then fixed: a CREATE under the new search_path would
    # create in pg_catalog, its first schema).
    # A granted role's row is also written as followup writes it: no space or line break between
    # its fields (a `(data::jsonb || ...)::text` says `"redacted": "…"`, the same JSON but not
    # the text the chain's hash and followup_link read), and a redaction keeps, as that text, the
    # link hash of the row it replaces.
    r"""
    CREATE OR REPLACE FUNCTION followup_is_supervisor() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r WHERE r.rolname = 'followup_supervisor'
                       AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')) $$;

    CREATE FUNCTION followup_row_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT row_security_active(TG_RELID) THEN
            RETURN NEW;  -- the tables' owner (restore, store copy) puts rows as they were
        END IF;
        IF regexp_replace(NEW.data, '"(\\.|[^"\\])*"', '', 'g') ~ '\s' THEN
            RAISE EXCEPTION 'row % refused: its data is not written as followup writes it (no space or line break between its fields)',
                NEW.global_position USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND followup_link(NEW.data) IS DISTINCT FROM followup_link(OLD.data) THEN
            RAISE EXCEPTION 'row % refused: a redaction keeps the digest of the row it replaces as followup writes it ("redacted":"%")',
                OLD.global_position, followup_link(OLD.data) USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER followup_row_text BEFORE INSERT OR UPDATE ON followup_events
        FOR EACH ROW EXECUTE FUNCTION followup_row_text();

    -- the append lock, taken with the owner's rights: a counselor no longer holds UPDATE (which
    -- let `LOCK TABLE ... ACCESS EXCLUSIVE` stop every reader); a supervisor keeps it to redact
    CREATE FUNCTION followup_lock() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        LOCK TABLE followup_events IN EXCLUSIVE MODE;
    END $$;
    REVOKE EXECUTE ON FUNCTION followup_lock() FROM PUBLIC;
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_lock() TO followup_counselor';
            EXECUTE 'REVOKE UPDATE ON followup_events FROM followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_lock() TO followup_supervisor';
        END IF;
    END $$;

    """ f"""
    -- the rule of migration 5, where a row may now hold only the fields its type declares
    -- (FIELDS_AT_7) in the version followup writes, and a redaction keeps exactly those of the
    -- row it replaces that are not personal: every field followup does not know is removed.
    CREATE OR REPLACE FUNCTION followup_row_says() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE said jsonb; was jsonb; nxt record; ref text; personal text[]; declared text[]; extra text;
    BEGIN
        IF NOT row_security_active(TG_RELID) THEN
            RETURN NEW;  -- the tables' owner (restore, store copy) puts rows as they were
        END IF;
        BEGIN
            said := NEW.data::jsonb;
        EXCEPTION WHEN others THEN
            RAISE EXCEPTION 'new row violates row-level security: its data is not an event'
                USING ERRCODE = 'insufficient_privilege';
        END;
        IF jsonb_typeof(said) <> 'object' OR said->>'type' IS DISTINCT FROM NEW.type
           OR said->>'client' IS DISTINCT FROM NEW.stream OR said->>'id' IS DISTINCT FROM NEW.event_id THEN
            RAISE EXCEPTION 'new row violates row-level security: its data and its columns disagree'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (SELECT count(*) FROM json_object_keys(NEW.data::json)) <> (SELECT count(*) FROM jsonb_object_keys(said)) THEN
            RAISE EXCEPTION 'row refused: its data names a key twice' USING ERRCODE = 'check_violation';
        END IF;
        personal := ARRAY(SELECT jsonb_array_elements_text(('{PERSONAL_AT_5}'::jsonb)->NEW.type));
        declared := ARRAY(SELECT jsonb_array_elements_text(('{FIELDS_AT_7}'::jsonb)->NEW.type));
        IF TG_OP = 'UPDATE' THEN  -- a redaction (forget), a supervisor's alone (the policy says so)
            was := OLD.data::jsonb;
            IF NEW.global_position <> OLD.global_position OR NEW.event_id <> OLD.event_id OR NEW.type <> OLD.type
               OR NEW.stream_version <> OLD.stream_version OR NEW.stream NOT LIKE 'forgotten-%'
               OR said->>'redacted' IS DISTINCT FROM followup_link(OLD.data)
               OR EXISTS (SELECT 1 FROM jsonb_object_keys(said) AS k WHERE k <> 'redacted' AND k <> ALL(declared))
               OR EXISTS (SELECT 1 FROM unnest(declared) AS k WHERE k <> ALL(personal) AND k <> 'client'
                          AND (said->k) IS DISTINCT FROM (was->k))
               OR EXISTS (SELECT 1 FROM unnest(personal) AS k
                          WHERE (said ? k) <> (was ? k)
                             OR (said ? k AND said->k NOT IN ('""'::jsonb, '"(forgotten)"'::jsonb))) THEN
                RAISE EXCEPTION 'row % refused: an update is a redaction, which keeps only the fields its type declares, every one but the personal ones and the client id as it was, and the digest of the row it replaces', OLD.global_position
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END IF;
        IF said->>'actor' IS DISTINCT FROM session_user THEN
            RAISE EXCEPTION 'row refused: its actor must be your database role %', session_user
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.type = 'client_forgotten' AND NOT followup_is_supervisor() THEN
            RAISE EXCEPTION 'row refused: only a supervisor records that a client was forgotten'
                USING ERRCODE = 'check_violation';
        END IF;
        IF said ? 'redacted' OR strpos(NEW.data, '"redacted":"') > 0 THEN
            RAISE EXCEPTION 'row refused: a redaction is made by followup forget (an update), never inserted'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT ('{FIELDS_AT_7}'::jsonb ? NEW.type) THEN
            RAISE EXCEPTION 'row refused: % is no event type this store knows', NEW.type USING ERRCODE = 'check_violation';
        END IF;
        SELECT k INTO extra FROM jsonb_object_keys(said) AS k WHERE k <> ALL(declared) LIMIT 1;
        IF extra IS NOT NULL THEN
            RAISE EXCEPTION 'row refused: % is no field of a % event (followup could not erase it)', extra, NEW.type
                USING ERRCODE = 'check_violation';
        END IF;
        IF said ? 'v' AND (jsonb_typeof(said->'v') <> 'number' OR (said->>'v')::numeric > {SCHEMA_VERSION}) THEN
            RAISE EXCEPTION 'row refused: its schema version (v) % is newer than this store takes ({SCHEMA_VERSION})',
                said->'v' USING ERRCODE = 'check_violation';
        END IF;
        FOREACH ref IN ARRAY ARRAY['target', 'promise', 'appointment', 'keeps'] LOOP
            IF NEW.type <> 'client_forgotten' AND said ? ref AND said->ref <> 'null'::jsonb AND said->ref <> '""'::jsonb
               AND NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.event_id = said->>ref AND e.stream = NEW.stream) THEN
                RAISE EXCEPTION 'row refused: its % names no event of this client', ref USING ERRCODE = 'check_violation';
            END IF;
        END LOOP;
        IF NEW.type = 'client_assigned' AND NOT EXISTS (
                SELECT 1 FROM pg_auth_members AS a JOIN pg_roles AS g ON g.oid = a.roleid
                JOIN pg_roles AS m ON m.oid = a.member
                WHERE m.rolname = said->>'to' AND m.rolcanlogin
                  AND g.rolname IN ('followup_counselor', 'followup_supervisor')) THEN
            RAISE EXCEPTION 'row refused: % is no counselor or supervisor of this store', said->>'to'
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT * INTO nxt FROM followup_next();
        IF NOT nxt.reached THEN
            RAISE EXCEPTION 'row refused: the table no longer reaches its head (followup check says where)'
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.global_position <> nxt.next_position OR said->>'prev' IS DISTINCT FROM nxt.next_prev
           OR substring(NEW.data from '"prev":"([^"]*)"') IS DISTINCT FROM nxt.next_prev THEN  -- as check reads it
            RAISE EXCEPTION 'row refused: the next event goes at global_position % with prev "%" (the head''s hash)',
                nxt.next_position, nxt.next_prev USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;
    """ r"""
    SELECT set_config('followup.search_path', current_setting('search_path'), true),
           set_config('search_path', 'pg_catalog, ' || quote_ident((
               SELECT n.nspname FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
               WHERE c.oid = 'followup_events'::regclass)) || ', pg_temp', true);  -- the store's schema
    ALTER FUNCTION followup_is_supervisor() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_assign() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_reach() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_taken(text) SET search_path FROM CURRENT;
    ALTER FUNCTION followup_row_says() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_move_head() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_link(text) SET search_path FROM CURRENT;
    ALTER FUNCTION followup_next() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_row_text() SET search_path FROM CURRENT;
    ALTER FUNCTION followup_lock() SET search_path FROM CURRENT;

    SELECT set_config('search_path', current_setting('followup.search_path'), true);
    """,
    # 8: a snapshot row is written only through followup_save_snapshot() (the owner's rights):
    # the groups keep SELECT on their own row and nothing else, so no counselor can lock the
    # table against hand-overs and erasures, write a row for a group role, or keep a client no
    # longer theirs (the function refuses a snapshot naming a client not assigned to the caller,
    # under the same lock the hand-over trigger and forget take; a supervisor's names any).
    f"""
    CREATE OR REPLACE FUNCTION followup_save_snapshot(p_position bigint, p_last text, p_code text, p_digest text,
                                                      p_data bytea, p_clients text[]) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        LOCK TABLE {SNAPSHOT} IN SHARE ROW EXCLUSIVE MODE;
        IF NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.global_position = p_position
                       AND followup_link(e.data) = p_last) THEN
            RETURN false;  -- the row it reaches changed (redacted, or never there)
        END IF;
        IF EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.type = 'client_forgotten' AND e.global_position > p_position) THEN
            RETURN false;  -- an erasure came after what it read: it may hold an erased name
        END IF;
        -- (the caller, session_user: current_user is the function's owner here)
        IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members AS m
                        JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
                        WHERE g.rolname = 'followup_supervisor' AND u.rolname = session_user)
                OR session_user = (SELECT pg_catalog.pg_get_userbyid(c.relowner)
                                   FROM pg_catalog.pg_class AS c WHERE c.oid = '{TABLE}'::regclass)) THEN
            IF EXISTS (SELECT 1 FROM pg_catalog.unnest(p_clients) AS wanted(stream)
                       WHERE NOT EXISTS (SELECT 1 FROM {ASSIGNMENT} AS a
                                         WHERE a.stream = wanted.stream AND a.counselor = session_user)) THEN
                RETURN false;  -- a client handed over since it was read
            END IF;
        END IF;
        INSERT INTO {SNAPSHOT} AS s (role, position, last, code, digest, data)
        VALUES (session_user, p_position, p_last, p_code, p_digest, p_data)
        ON CONFLICT (role) DO UPDATE SET position = excluded.position, last = excluded.last,
            code = excluded.code, digest = excluded.digest, data = excluded.data, written_at = now();
        RETURN true;
    END $$;
    REVOKE EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, text[]) FROM PUBLIC;
    -- the hand-over takes the snapshot table's lock before deleting, as a save does (no interleaving)
    CREATE OR REPLACE FUNCTION followup_handover_snapshots() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER AS $$
    BEGIN
        LOCK TABLE {SNAPSHOT} IN SHARE ROW EXCLUSIVE MODE;
        DELETE FROM {SNAPSHOT} AS s WHERE EXISTS (  -- the counselors' (a supervisor's sees all)
            SELECT 1 FROM pg_catalog.pg_auth_members AS m
            JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
            WHERE g.rolname = 'followup_counselor' AND u.rolname = s.role);
        RETURN NULL;
    END $$;
    DO $$ BEGIN
        EXECUTE pg_catalog.format('ALTER FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, text[]) '
                                  'SET search_path = pg_catalog, %I, pg_temp', pg_catalog.current_schema());
        EXECUTE pg_catalog.format('ALTER FUNCTION followup_handover_snapshots() '
                                  'SET search_path = pg_catalog, %I, pg_temp', pg_catalog.current_schema());
    END $$;
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'REVOKE INSERT, UPDATE, DELETE ON {SNAPSHOT} FROM followup_counselor';
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, text[]) TO followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'REVOKE INSERT, UPDATE ON {SNAPSHOT} FROM followup_supervisor';
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, text[]) TO followup_supervisor';
        END IF;
    END $$;
    DELETE FROM {SNAPSHOT} AS s WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
                                                  WHERE r.rolname = s.role AND r.rolcanlogin);
    """,
    # 9: a snapshot's header (every client's small facts, the open items; ``data``, its digest)
    # apart from the clients' long lists (``lists``, stored uncompressed out of line so that one
    # client's part is read by substring() without the rest): a start reads the header alone
    # (uncompressed too: 17 MB at 1M events read in 0.056 s, against 0.086 s decompressed).
    f"""
    ALTER TABLE {SNAPSHOT} ADD COLUMN IF NOT EXISTS lists bytea NOT NULL DEFAULT ''::bytea;
    ALTER TABLE {SNAPSHOT} ALTER COLUMN lists SET STORAGE EXTERNAL;
    ALTER TABLE {SNAPSHOT} ALTER COLUMN data SET STORAGE EXTERNAL;  -- (read whole, faster not compressed)
    DELETE FROM {SNAPSHOT};  -- (of the old layout: rebuilt at each role's next start)
    DROP FUNCTION IF EXISTS followup_save_snapshot(bigint, text, text, text, bytea, text[]);
    CREATE OR REPLACE FUNCTION followup_save_snapshot(p_position bigint, p_last text, p_code text, p_digest text,
                                           p_data bytea, p_lists bytea, p_clients text[]) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        LOCK TABLE {SNAPSHOT} IN SHARE ROW EXCLUSIVE MODE;
        IF NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.global_position = p_position
                       AND followup_link(e.data) = p_last) THEN
            RETURN false;  -- the row it reaches changed (redacted, or never there)
        END IF;
        IF EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.type = 'client_forgotten' AND e.global_position > p_position) THEN
            RETURN false;  -- an erasure came after what it read: it may hold an erased name
        END IF;
        IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members AS m
                        JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid JOIN pg_catalog.pg_roles AS u ON u.oid = m.member
                        WHERE g.rolname = 'followup_supervisor' AND u.rolname = session_user)
                OR session_user = (SELECT pg_catalog.pg_get_userbyid(c.relowner)
                                   FROM pg_catalog.pg_class AS c WHERE c.oid = '{TABLE}'::regclass)) THEN
            IF EXISTS (SELECT 1 FROM pg_catalog.unnest(p_clients) AS wanted(stream)
                       WHERE NOT EXISTS (SELECT 1 FROM {ASSIGNMENT} AS a
                                         WHERE a.stream = wanted.stream AND a.counselor = session_user)) THEN
                RETURN false;  -- a client handed over since it was read
            END IF;
        END IF;
        INSERT INTO {SNAPSHOT} AS s (role, position, last, code, digest, data, lists)
        VALUES (session_user, p_position, p_last, p_code, p_digest, p_data, p_lists)
        ON CONFLICT (role) DO UPDATE SET position = excluded.position, last = excluded.last,
            code = excluded.code, digest = excluded.digest, data = excluded.data, lists = excluded.lists,
            written_at = now();
        RETURN true;
    END $$;
    REVOKE EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, bytea, text[]) FROM PUBLIC;
    DO $$ BEGIN
        EXECUTE pg_catalog.format('ALTER FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, bytea, text[]) '
                                  'SET search_path = pg_catalog, %I, pg_temp', pg_catalog.current_schema());
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'followup_counselor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, bytea, text[]) TO followup_counselor';
        END IF;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'followup_supervisor') THEN
            EXECUTE 'GRANT EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, bytea, text[]) TO followup_supervisor';
        END IF;
    END $$;
    """,
    # 10: the tables' owner (store copy, restore) pays no per-row check it does not need. The row
    # checks (followup_row_says, followup_row_text) did nothing for a session row security does
    # not bind but were still called for every row (a plpgsql call each: 0.6 s of a 100k copy);
    # they now fire only WHEN row security binds the session, as their first line asked, so a
    # counselor's and a supervisor's rows are checked exactly as before. followup_move_head takes
    # the last row added first and works out the link hash of that row alone (it worked out the
    # hash and the redaction pattern of every row added before keeping the last: 0.5 s of a
    # 100k copy); the same row, the same head.
    f"""
    DROP TRIGGER followup_row_says ON {TABLE};
    CREATE TRIGGER followup_row_says BEFORE INSERT OR UPDATE ON {TABLE} FOR EACH ROW
        WHEN (row_security_active('{TABLE}'::regclass)) EXECUTE FUNCTION followup_row_says();
    DROP TRIGGER followup_row_text ON {TABLE};
    CREATE TRIGGER followup_row_text BEFORE INSERT OR UPDATE ON {TABLE} FOR EACH ROW
        WHEN (row_security_active('{TABLE}'::regclass)) EXECUTE FUNCTION followup_row_text();

    CREATE OR REPLACE FUNCTION followup_move_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        INSERT INTO {HEAD} AS h (one, position, last)
        SELECT true, a.global_position,
               coalesce(substring(a.data from '"redacted":"([0-9a-f]{{32}})"'),
                        left(encode(sha256(convert_to(a.data, 'UTF8')), 'hex'), 32))
        FROM (SELECT n.global_position, n.data FROM added AS n ORDER BY n.global_position DESC LIMIT 1) AS a
        ON CONFLICT (one) DO UPDATE SET position = excluded.position, last = excluded.last
        WHERE h.position < excluded.position;
        RETURN NULL;
    END $$;
    DO $$ BEGIN  -- (CREATE OR REPLACE set no search_path: the store's schema first, pg_temp last)
        EXECUTE pg_catalog.format('ALTER FUNCTION followup_move_head() SET search_path = pg_catalog, %I, pg_temp',
                                  pg_catalog.current_schema());
    END $$;
    """,
]
ROLES = {"counselor": "followup_counselor", "supervisor": "followup_supervisor"}
SCHEMA_LATEST = len(MIGRATIONS)


def label(url: str) -> str:
    """The URL as messages show it: never a password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + host))


def _text_as_bytes():
    """psycopg's loader of raw bytes, for a text column read in binary (UTF-8 as stored)."""
    from psycopg.types.string import ByteaBinaryLoader

    return ByteaBinaryLoader


def _driver():
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the postgres extra is not installed
        return None
    return psycopg


class PgStore:
    # store.py's names: NOTIFY on append, forget in one transaction, need-to-know, unique event_id
    capabilities = frozenset({"listen", "redact", "roles", "unique_ids", "snapshot_in_store", "fold_pages", "schema"})
    schema_latest = SCHEMA_LATEST

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        self.url = url
        self.path = label(url)
        self.offset = 0  # the last global_position read
        self.line_count = 0  # the same: positions are gapless
        self.last_hash = GENESIS  # the chain hash of the row at ``offset``
        self.revalidated = 0  # commands decided again because another writer came first
        self.appended_by_client = 0  # single events appended in one round trip, others having written meanwhile or not
        self.folded_to: int | None = None  # how far the journal reading this store has folded (read_to)
        self.connect_timeout = connect_timeout
        self._conn = None
        self._session: tuple[bool, bool, str] | None = None  # row security on, supervisor, role
        # a counselor's: the clients assigned to them when last looked (read before the rows it
        # covers): one no longer among them was handed over elsewhere (_handed_away)
        self._assigned: frozenset[str] | None = None
        self.handed_away: set[str] = set()  # the clients seen handed away so (a refusal says so)
        self._absent_to = 0  # during an append: rows up to there hold none of its ids (append)
        self._group: bool | None = None  # group commit: the fsync outside the table lock (_group_commit)
        self._pipelined = False  # an append in a pipeline (no COPY there)
        self._contended = False  # another writer came first lately: appends take the lock before trying
        self.durable_to = None  # the WAL position on disk when the last append returned (past its commit)

    # -- the connection ------------------------------------------------------------------

    def _error(self, exc: Exception) -> StoreError:
        psycopg = _driver()
        if psycopg is not None and isinstance(exc, psycopg.errors.UndefinedTable):
            hidden = self._hidden_from_role()
            if hidden:
                return StoreError("no_grant", path=self.path, role=hidden)
            return StoreError("no_schema", path=self.path)
        if psycopg is not None and isinstance(exc, psycopg.errors.InsufficientPrivilege):
            role = (self._session or (False, False, ""))[2] or (urlsplit(self.url).username or "?")
            if "row-level security" in str(exc):
                return StoreError("not_yours", path=self.path, role=role)
            return StoreError("no_grant", path=self.path, role=role)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError("server", path=self.path, detail=detail)

    def _hidden_from_role(self) -> str:
        """This session's role when the event table is there but the role may not use its schema
        (no grant, or revoked); else ""."""
        try:
            conn = self._conn
            if conn is None or conn.closed or conn.broken:
                return ""
            role, path = conn.execute("SELECT current_user, current_setting('search_path')").fetchone()
            schemas = [part.strip().strip('"').replace("$user", role) for part in path.split(",")]
            found = conn.execute(
                "SELECT 1 FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace"
                " WHERE c.relname = %s AND n.nspname = ANY(%s) AND NOT has_schema_privilege(n.oid, 'USAGE')",
                (TABLE, schemas)).fetchone()
            return role if found else ""
        except Exception:  # noqa: BLE001 - only to choose the message
            return ""

    def connect(self):
        psycopg = _driver()
        if psycopg is None:
            raise StoreError("no_driver", path=self.path)
        try:
            # (text in UTF-8 whatever the database's encoding: a SQL_ASCII database, initdb's
            # default under the C locale, gave its text as bytes and check said head_changed)
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout,
                                   client_encoding="UTF8")
            conn.execute(
                "SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false),"
                " set_config('idle_in_transaction_session_timeout', %s, false),"
                " CASE WHEN current_setting('application_name') = '' THEN set_config('application_name', %s, false) END,"
                " CASE WHEN pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s)"
                " THEN set_config('work_mem', %s, false) END",
                (f"{int(LOCK_WAIT_SECONDS * 1000)}ms", f"{STATEMENT_SECONDS * 1000}ms",
                 f"{IDLE_IN_TRANSACTION_SECONDS * 1000}ms", _application_name(),
                 READ_WORK_MEM or "0", READ_WORK_MEM or "0"))
            return conn
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _lock(self, conn) -> None:
        """The append lock (``EXCLUSIVE``: readers go on), within ``conn``'s transaction: through
        ``followup_lock()`` for a granted role (it holds no UPDATE on the table, migration 7)."""
        try:
            if self._session_facts()[0]:
                conn.execute("SELECT followup_lock()")
            else:
                conn.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        except _driver().errors.LockNotAvailable:  # type: ignore[union-attr]
            raise _LockWaited() from None  # (the transaction is rolled back on the way out)

    def _lock_held(self) -> StoreError:
        """Who holds the table lock we waited for, from ``pg_stat_activity``."""
        def look(conn):
            return conn.execute(
                "SELECT coalesce(nullif(a.application_name, ''), a.usename, '?'), a.pid,"
                " coalesce(a.xact_start, a.backend_start)"
                " FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid"
                " WHERE l.locktype = 'relation' AND l.relation = to_regclass(%s) AND l.granted"
                " AND l.mode IN ('ExclusiveLock', 'AccessExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock',"
                " 'RowExclusiveLock')"
                " AND l.pid <> pg_backend_pid() ORDER BY a.xact_start LIMIT 1", (TABLE,)).fetchone()

        try:
            found = self._run(look)
        except StoreError:
            found = None
        if found is None:
            return StoreError("lock_wait", path=self.path, seconds=LOCK_WAIT_SECONDS)
        who, pid, since = found
        since_text = since.astimezone().strftime("%Y-%m-%d %H:%M:%S") if since is not None else "?"
        return StoreError("lock_held", path=self.path, seconds=LOCK_WAIT_SECONDS, who=who, pid=pid, since=since_text)

    @property
    def conn(self):
        if self._conn is None or self._conn.closed:
            self._conn = self.connect()
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _session_facts(self) -> tuple[bool, bool, str]:
        """Whether row-level security applies to this session, whether it is a supervisor's,
        and its database role."""
        if self._session is None:
            def look(conn):
                role, table, helper = conn.execute(
                    "SELECT current_user, to_regclass(%s) IS NOT NULL,"
                    " to_regprocedure('followup_is_supervisor()') IS NOT NULL", (TABLE,)).fetchone()
                if not (table and helper):
                    return False, False, role
                rls, supervisor = conn.execute("SELECT row_security_active(%s), followup_is_supervisor()",
                                               (TABLE,)).fetchone()
                return bool(rls), bool(supervisor), role

            self._session = self._run(look)
        return self._session

    @property
    def bound(self) -> bool:
        """Row security binds this session (any granted role, not the tables' owner): the
        database holds every row it writes to its role as the actor."""
        return self._session_facts()[0]

    @property
    def partial(self) -> bool:
        """A counselor's session: it sees only the rows of the clients assigned to its role."""
        rls, supervisor, _ = self._session_facts()
        return rls and not supervisor

    @property
    def role(self) -> str:
        return self._session_facts()[2]

    def _run(self, work: Callable):
        """``work(connection)``, with the server's errors as a StoreError naming the store."""
        psycopg = _driver()
        try:
            return work(self.conn)
        except psycopg.Error as exc:  # type: ignore[union-attr]
            if self._conn is not None and self._conn.broken:
                self._conn = None
            raise self._error(exc) from None

    # -- the schema -----------------------------------------------------------------------

    def schema_version(self) -> int:
        def read(conn) -> int:
            exists = conn.execute("SELECT to_regclass('followup_schema')").fetchone()[0]
            if exists is None:
                return 0
            return conn.execute("SELECT coalesce(max(version), 0) FROM followup_schema").fetchone()[0]

        return self._run(read)

    def init(self) -> list[int]:
        """Create or upgrade the schema (idempotent); returns the migrations applied now."""

        def migrate(conn) -> list[int]:
            applied = []
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('followup_schema'))")
                conn.execute("CREATE TABLE IF NOT EXISTS followup_schema ("
                             " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
                current = conn.execute("SELECT coalesce(max(version), 0) FROM followup_schema").fetchone()[0]
                if current > SCHEMA_LATEST:
                    raise StoreError("schema_newer", path=self.path, version=current, known=SCHEMA_LATEST)
                encoding = conn.execute("SHOW server_encoding").fetchone()[0]
                if current == 0 and encoding not in ENCODINGS_KEPT:
                    # (EUC_JP held Japanese, then refused a Korean note or a ① part-way through a
                    # morning; a store made so already is upgraded as it is)
                    raise StoreError("store_encoding", path=self.path, encoding=encoding)
                for number, sql in enumerate(MIGRATIONS, 1):
                    if number > current:
                        conn.execute(sql)
                        conn.execute("INSERT INTO followup_schema (version) VALUES (%s)", (number,))
                        applied.append(number)
            return applied

        return self._run(migrate)

    # -- reading ------------------------------------------------------------------------

    def read_new(self) -> Batch:
        batch = Batch()
        for part in self.read_batches():
            batch.extend(part)
        return batch

    def read_batches(self, rows: int | None = None) -> Iterator[Batch]:
        """Rows after the last read, in ``global_position`` order, ``rows`` (READ_ROWS) at a time."""
        rows = rows or READ_ROWS
        self._session_facts()  # a counselor's session reads through their streams (_page_sql)
        if self.partial and self._run(self._handed_away) and self.offset:
            yield self._run(self._read_all_again)
        while True:
            part = self._run(lambda conn: self._read_after(conn, rows))
            if part is None:
                return
            yield part

    def _read_after(self, conn, rows: int) -> Batch | None:
        """The next ``rows`` rows after ``offset``; when they hold a ``client_forgotten`` and
        rows were read before, those rows may have been redacted since: everything is read
        again from the first row, as one batch marked ``replaced`` (the journal rebuilds from
        it, so no erased name is kept in memory and nothing is decided on it)."""
        start = self.offset
        page = self._read_page(conn, rows)
        # in a counselor's view, a hand-over to them shows a client's earlier rows too
        again = (ClientForgotten, ClientAssigned) if self._session is not None and self.partial else (ClientForgotten,)
        if page is None or not start or not any(type(e) in again for e in page.events):
            return page
        return self._read_all_again(conn)

    def _read_all_again(self, conn) -> Batch:
        """Every row this session sees, from the first, as one batch marked ``replaced``."""
        self.offset = self.line_count = 0
        self.last_hash = GENESIS
        whole = Batch(replaced=True)
        while (more := self._read_page(conn, READ_ROWS)) is not None:
            whole.extend(more)
        whole.replaced = True
        return whole

    def _assigned_now(self, conn) -> frozenset[str]:
        """The streams assigned to this session's role. Named as a parameter, not current_user:
        under the table's row policy a comparison with current_user (a name made text, not
        leakproof) is checked row by row after the policy; with the role given it is not (an
        idle poll of one of 50 counselors x 200 clients: 2.1-2.2 ms, not 2.6-2.7; 1.3 before
        this look was made; an index on counselor, were there one, would be used: 1.6-1.7)."""
        return frozenset(r[0] for r in conn.execute(f"SELECT stream FROM {ASSIGNMENT} WHERE counselor = %s",
                                                    (self._session_facts()[2],)))

    def _handed_away(self, conn) -> bool:
        """A counselor's session: whether a client assigned to them when last looked is no
        longer (handed over to a colleague). The hand-over's row is in that client's stream,
        which this session no longer sees: without this look their open app would keep the
        client, its screens and forms, until it was started again. Looked at before the rows
        are read, so a hand-over made after is seen at the next read."""
        now = self._assigned_now(conn)
        before, self._assigned = self._assigned, now
        self.handed_away -= now  # (one handed back is theirs again)
        if before is None or before <= now:
            return False
        # a supervisor's forget renames the stream (and its assignment): that client is no one's
        # now, not a colleague's, and its old id is not kept (followup_taken: held by anyone)
        self.handed_away |= {r[0] for r in conn.execute(
            "SELECT s FROM unnest(%s::text[]) AS s WHERE followup_taken(s)", (sorted(before - now),))}
        return True

    def _assigned_at_the_fold(self, conn) -> None:
        """A counselor's cold start (``fold_read``): the streams assigned to them at the fold's
        moment, read in its transaction. A hand-over made while the fold reads is not in its rows
        and its row is in a stream this session no longer sees: told by these, the next read
        notices it (told by a look after the fold, it never would)."""
        if self.partial:
            self._handed_away(conn)

    def _read_page(self, conn, rows: int, upto: int | None = None) -> Batch | None:
        """The next ``rows`` rows after ``offset`` (up to position ``upto``), as one run of lines
        decoded at once."""
        sql, params = self._page_sql(), (self.offset, rows)
        if upto is not None:
            sql, params = self._page_sql(upto=True), (self.offset, upto, rows)
        cursor = conn.cursor(binary=True)  # each row's JSON as the bytes the server holds (not
        cursor.adapters.register_loader("text", _text_as_bytes())  # made a str, nor converted there)
        found = cursor.execute(sql, params).fetchall()
        if not found:
            return None
        count, last = len(found), found[-1][0]
        whole = b"\n".join([data for _, data in found])
        whole += b"\n"
        first = self.offset + 1
        events, problems, lines = decode_lines(whole, first)
        if last != self.offset + count:  # rows this session may not see (never in a whole view)
            if not self.partial:
                raise StoreError("server", path=self.path, detail=f"positions {first}..{last} hold {count} rows")
            positions = [p for p, _ in found]
            lines = [positions[n - first] for n in lines]
            problems = [msgspec.structs.replace(p, line=positions[p.line - first]) for p in problems]
        self.offset = self.line_count = last
        self.last_hash = link_hash(found[-1][1])
        return Batch(events, lines, problems)

    def _page_sql(self, upto: bool = False) -> str:
        """The next page's query. A counselor's names their streams (the assignment's, read
        once per statement), so the index on (stream, global_position) reads their rows alone,
        not every row of the office filtered by the row policy. Rows, not one aggregate: the
        server sends them as they are found (a page's string_agg cost it twice the time)."""
        mine = ""
        if self._session is not None and self.partial:  # (known before reading: read_batches)
            mine = (f" AND stream = ANY(ARRAY(SELECT a.stream FROM {ASSIGNMENT} AS a"
                    f" WHERE a.counselor = current_user))")
        below = " AND global_position <= %s" if upto else ""
        return (f"SELECT global_position, data FROM {TABLE} WHERE global_position > %s{below}{mine}"
                f" ORDER BY global_position LIMIT %s")

    def raw_lines(self) -> Iterator[bytes]:
        """Every row's JSON as bytes, in order (for the hash chain's check)."""
        for _, line in self.raw_rows():
            yield line

    def raw_rows(self) -> Iterator[tuple[int, bytes]]:
        """Every row this session may see: its position and its JSON as bytes, in order."""
        position = 0
        while True:
            rows = self._run(lambda conn: conn.execute(
                f"SELECT global_position, convert_to(data, 'UTF8') FROM {TABLE}"
                f" WHERE global_position > %s ORDER BY global_position LIMIT %s", (position, READ_ROWS)).fetchall())
            if not rows:
                return
            for at, data in rows:
                yield at, bytes(data)
            position = rows[-1][0]

    def verify_chain(self) -> tuple[list[str], list]:
        """Every event id in order, and what the hash chain's check finds over every row and the
        head (``chain.verify``), in one read (``store copy``'s verification): each row's id read
        with it, its JSON as the bytes the server holds (binary: not converted there, nor sent
        as hex and decoded here); the next page asked for on a connection of its own while this
        one is checked."""
        from concurrent.futures import ThreadPoolExecutor

        from ..core import chain

        ids: list[str] = []
        reader = PgStore(self.url, self.connect_timeout)

        def page(after: int):
            def read(conn):
                cursor = conn.cursor(binary=True)
                cursor.adapters.register_loader("text", _text_as_bytes())  # (the id is varchar: a str)
                return cursor.execute(
                    f"SELECT global_position, event_id::varchar, data FROM {TABLE}"
                    f" WHERE global_position > %s ORDER BY global_position LIMIT %s", (after, READ_ROWS)).fetchall()

            return reader._run(read)

        def lines() -> Iterator[bytes]:
            with ThreadPoolExecutor(1) as pool:
                coming = pool.submit(page, 0)
                while rows := coming.result():
                    coming = pool.submit(page, rows[-1][0])
                    for _, event_id, line in rows:
                        ids.append(event_id)
                        yield line

        try:
            problems = chain.verify(lines(), self.read_head()).problems
        finally:
            reader.close()
        return ids, problems

    def order_problems(self) -> list:
        """Positions that are not 1..N, stream versions that are not 1..n per client."""
        from ..core.codec import problem

        def look(conn):
            found = []
            count, low, high = conn.execute(
                f"SELECT count(*), coalesce(min(global_position), 1), coalesce(max(global_position), 0)"
                f" FROM {TABLE}").fetchone()
            if count and (low != 1 or high != count) and not self.partial:
                found.append(problem(high, "position_gap", rows=count, last=high))
            # the head moves in every append's transaction: rows past it were not acknowledged as
            # the database keeps them (every append after them is refused until the owner's
            # `store init` verifies them and moves it)
            if self.partial:
                high = conn.execute("SELECT high FROM followup_reach()").fetchone()[0]
            head = conn.execute(f"SELECT position FROM {HEAD}").fetchone()
            if head is not None and head[0] and high > head[0]:
                found.append(problem(head[0] + 1, "head_behind", head=head[0], lines=high))
            for position, stream, version, expected in conn.execute(
                    f"SELECT * FROM (SELECT global_position, stream, stream_version,"
                    f" row_number() OVER (PARTITION BY stream ORDER BY global_position) AS expected"
                    f" FROM {TABLE}) AS v WHERE stream_version <> expected ORDER BY global_position LIMIT 100"):
                found.append(problem(position, "stream_version", client=repr(stream), version=version,
                                     expected=expected))
            return found

        return self._run(look)

    def count(self) -> int:
        return self._run(lambda conn: conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])

    def ids(self) -> set[str]:
        return self._run(lambda conn: {r[0] for r in conn.execute(f"SELECT event_id FROM {TABLE}")})

    def _decoded(self, sql: str, params: tuple) -> list[AnyEvent]:
        rows = self._run(lambda conn: conn.execute(sql, params).fetchall())
        events, _, _ = decode_lines(b"".join(bytes(r[0]) + b"\n" for r in rows))
        return events

    # A client's events read back: for a journal, as far as it has folded (``folded_to``, which
    # it moves: a row read ahead, or appended since, comes with its batch, never twice); else all.

    @property
    def read_to(self) -> int:
        return (1 << 62) if self.folded_to is None else self.folded_to

    def events_of(self, client_id: str, to: int | None = None) -> list[AnyEvent]:
        """A client's events up to ``to`` (a snapshot's position), else as far as ``read_to``."""
        return self._decoded(f"SELECT convert_to(data, 'UTF8') FROM {TABLE} WHERE stream = %s"
                             f" AND global_position <= %s ORDER BY global_position",
                             (client_id, self.read_to if to is None else to))

    def find(self, event_id: str) -> AnyEvent | None:
        found = self._decoded(f"SELECT convert_to(data, 'UTF8') FROM {TABLE} WHERE event_id = %s"
                              f" AND global_position <= %s", (event_id, self.read_to))
        return found[0] if found else None

    def find_by_ref(self, ref: str) -> list[AnyEvent]:
        pattern = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._decoded(f"SELECT convert_to(data, 'UTF8') FROM {TABLE}"
                             f" WHERE (event_id LIKE %s OR event_id LIKE %s) AND global_position <= %s"
                             f" ORDER BY global_position", (pattern + "%", "%" + pattern, self.read_to))

    # -- a big store's first read, and its snapshot --------------------------------------

    def visible_end(self) -> int:
        """The last position this session may read (0: nothing)."""
        self._session_facts()
        return self._run(lambda conn: conn.execute(
            f"SELECT coalesce(max(global_position), 0) FROM {TABLE}").fetchone()[0])

    def fold_read(self, start: Callable[[list[AnyEvent]], None], take: Callable[[Batch], None]) -> None:
        """Every row this session may see, from one consistent moment (``REPEATABLE READ``:
        writers go on, a forget meanwhile is read afterwards): ``start`` is given every
        retraction among them first, then ``take`` each page of ``READ_ROWS`` in order, which
        is not kept here. The reading position follows (``read_batches`` goes on after it)."""
        self._session_facts()

        def work(conn) -> None:
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                self._assigned_at_the_fold(conn)
                start(self._decoded_in(conn, f"SELECT convert_to(data, 'UTF8') FROM {TABLE}"
                                             f" WHERE type = 'event_retracted' ORDER BY global_position", ()))
                while (page := self._read_page(conn, READ_ROWS)) is not None:
                    take(page)

        offset, line_count, last_hash = self.offset, self.line_count, self.last_hash
        try:
            self._run(work)
        except BaseException:
            self.offset, self.line_count, self.last_hash = offset, line_count, last_hash
            raise

    def fold_read_in_two(self, start: Callable[[list[AnyEvent]], None], take: Callable[[Batch], None],
                         rest: Callable[[Iterator[Batch]], bytes], middle: int) -> bytes:
        """As ``fold_read``, on two cores: from the same consistent moment (this transaction's
        snapshot, exported to a connection of the worker's own), a forked worker gives the rows
        after position ``middle`` to ``rest``, which folds them and returns what it folded as
        bytes (returned here), while ``take`` is given the rows up to ``middle`` here. The
        reading position follows the last row either read. ``cold_start.NotSure`` when the
        worker failed or was stopped: nothing is kept, the caller reads in one process."""
        self._session_facts()
        from .cold_start import finished_workers, receive

        def work(conn) -> bytes:
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                exported = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
                self._assigned_at_the_fold(conn)
                start(self._decoded_in(conn, f"SELECT convert_to(data, 'UTF8') FROM {TABLE}"
                                             f" WHERE type = 'event_retracted' ORDER BY global_position", ()))
                inbox_fd, outbox_fd = os.pipe()
                pid = os.fork()
                if pid == 0:
                    status = 1
                    try:
                        os.close(inbox_fd)
                        status = self._rest_worker(exported, middle, rest, outbox_fd)
                    finally:
                        os._exit(status)  # (this process's copy of the connection is left alone)
                os.close(outbox_fd)
                with os.fdopen(inbox_fd, "rb") as inbox:
                    try:
                        while (page := self._read_page(conn, READ_ROWS, upto=middle)) is not None:
                            take(page)
                        payload = receive(inbox)
                        ending = receive(inbox).decode().split(" ")
                        finished_workers.append(pid)  # (reaped later: cold_start.reap_workers)
                        pid = 0
                    finally:
                        if pid:
                            os.kill(pid, signal.SIGKILL)
                            os.waitpid(pid, 0)
                if int(ending[0]):  # the worker read rows: reading goes on after its last
                    self.offset = self.line_count = int(ending[0])
                    self.last_hash = ending[1]
                return payload

        offset, line_count, last_hash = self.offset, self.line_count, self.last_hash
        try:
            return self._run(work)
        except BaseException:
            self.offset, self.line_count, self.last_hash = offset, line_count, last_hash
            raise

    def _rest_worker(self, exported: str, middle: int, rest: Callable[[Iterator[Batch]], bytes],
                     outbox_fd: int) -> int:
        """The forked worker of ``fold_read_in_two``; returns its exit status."""
        from .cold_start import NotSure, send

        if not re.fullmatch(r"[0-9A-F-]+", exported):
            return 1
        other = PgStore(self.url, self.connect_timeout)
        other._session = self._session
        other.offset = other.line_count = middle
        with os.fdopen(outbox_fd, "wb") as outbox:
            conn = other.connect()
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    conn.execute(f"SET TRANSACTION SNAPSHOT '{exported}'")

                    def pages() -> Iterator[Batch]:
                        while (page := other._read_page(conn, READ_ROWS)) is not None:
                            yield page

                    payload = rest(pages())
                read = other.offset if other.offset != middle else 0
                send(outbox, payload)
                send(outbox, f"{read} {other.last_hash}".encode())
            except NotSure:
                return 1
            finally:
                conn.close()
        return 0

    @staticmethod
    def _decoded_in(conn, sql: str, params: tuple) -> list[AnyEvent]:
        rows = conn.execute(sql, params).fetchall()
        events, _, _ = decode_lines(b"".join(bytes(r[0]) + b"\n" for r in rows))
        return events

    def resume(self, offset: int, lines: int, last_hash: str) -> None:
        """Go on reading after ``offset`` (read by other means: a snapshot), whose row's link hash
        is ``last_hash``."""
        self.offset, self.line_count, self.last_hash = offset, lines, last_hash

    def load_snapshot(self, code: str) -> tuple[int, str, bytes, str, int] | None:
        """This role's snapshot header (position, link hash there, header, its digest, the size of
        the lists kept apart) when it is this code's, whole (its digest), the row at its position
        still hashes as it did, and (a whole view) no row behind it is missing; else None: it is
        rebuilt, never trusted. The lists are not read (``snapshot_lists``). Which clients it may
        hold is the caller's to ask (``covers``)."""
        if self.offset:
            return None
        self._session_facts()

        behind: list = []  # the rows up to the snapshot's position (a whole view), counted meanwhile

        def count_behind(position: int) -> None:  # on a connection of its own while the header is read
            try:
                with self.connect() as other:
                    behind.append(other.execute(f"SELECT count(*) FROM {TABLE} WHERE global_position <= %s",
                                                (position,)).fetchone()[0])
            except Exception:  # noqa: BLE001 - counted again below, on this connection
                pass

        counter = None

        def look(conn):
            nonlocal counter
            if conn.execute("SELECT to_regclass(%s)", (SNAPSHOT,)).fetchone()[0] is None:
                return None
            row = conn.execute(f"SELECT position, last, code, digest, octet_length(lists) FROM {SNAPSHOT}"
                               f" WHERE role = current_user").fetchone()
            if row is None:
                return None
            position, last, written_by, digest, lists_size = row
            if written_by != code or position < 1:
                return None
            if not self.partial:
                counter = threading.Thread(target=count_behind, args=(position,), name="followup-count", daemon=True)
                counter.start()
            data = conn.execute(f"SELECT data FROM {SNAPSHOT} WHERE role = current_user AND digest = %s",
                                (digest,), binary=True).fetchone()  # (bytes, not hex text)
            if data is None:
                return None  # (saved again meanwhile)
            data = bytes(data[0])
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            there = conn.execute(f"SELECT convert_to(data, 'UTF8') FROM {TABLE} WHERE global_position = %s",
                                 (position,)).fetchone()
            if there is None or link_hash(bytes(there[0])) != last:
                return None
            if counter is not None:
                counter.join()
                if not behind:  # (no second connection: counted here)
                    behind.append(conn.execute(f"SELECT count(*) FROM {TABLE} WHERE global_position <= %s",
                                               (position,)).fetchone()[0])
                if behind[0] != position:
                    return None
            return position, last, data, digest, lists_size

        try:
            return self._run(look)
        except StoreError:
            return None  # a cache: the first row is read instead
        finally:
            if counter is not None:
                counter.join()

    def snapshot_lists(self, digest: str, at: int | None = None, size: int | None = None) -> bytes | None:
        """The lists of this role's snapshot whose header has ``digest``: ``size`` bytes from
        ``at`` (only the chunks holding them are read: the column is stored uncompressed), or
        all of them; None when that snapshot is no longer there (saved again, deleted)."""
        if at is None or size is None:
            sql, params = f"SELECT lists FROM {SNAPSHOT} WHERE role = current_user AND digest = %s", (digest,)
        else:
            sql = f"SELECT substring(lists from %s for %s) FROM {SNAPSHOT} WHERE role = current_user AND digest = %s"
            params = (at + 1, size, digest)  # type: ignore[assignment]
        try:
            row = self._run(lambda conn: conn.execute(sql, params, binary=True).fetchone())
        except StoreError:
            return None
        return bytes(row[0]) if row is not None else None

    def covers(self, clients: set[str], position: int) -> bool:
        """Whether facts of exactly ``clients`` are what this session sees up to ``position``:
        every one of them still visible to it (a counselor: still assigned), and no other client
        it sees has a row there. (A whole view sees every client.)"""
        if not self.partial:
            return True

        def look(conn) -> bool:
            assigned = self._assigned_now(conn)
            self._assigned = assigned  # (what a hand-over elsewhere is told by from now on: _handed_away)
            if not clients <= assigned:
                return False
            return not conn.execute(
                f"SELECT exists(SELECT 1 FROM {TABLE} WHERE stream = ANY(%s) AND global_position <= %s)",
                (sorted(assigned - clients), position)).fetchone()[0]

        try:
            return self._run(look)
        except StoreError:
            return False

    def save_snapshot(self, position: int, last: str, code: str, header: bytes, lists: bytes, clients=()) -> bool:
        """Keep ``header`` and ``lists`` (holding ``clients``) as this role's snapshot at ``position``
        (whose row's link hash is ``last``), unless that row changed, a client was forgotten after
        it (the facts could hold an erased name) or, for a counselor, one of ``clients`` is no
        longer theirs: by ``followup_save_snapshot()`` under the snapshot table's lock, which
        ``redact`` and a hand-over take too (migrations 8 and 9)."""
        def write(conn) -> bool:
            with conn.transaction():
                return bool(conn.execute("SELECT followup_save_snapshot(%s, %s, %s, %s, %s, %s, %s)",
                                         (position, last, code, hashlib.sha256(header).hexdigest(), header, lists,
                                          sorted(clients))).fetchone()[0])

        try:
            return self._run(write)
        except StoreError:
            return False  # a cache: failing to write it costs speed, never data

    def tail_problem(self):
        return None  # a row is committed whole or not at all

    def read_head(self):
        """The head kept in its own table (``Head.bytes`` is not used on a server)."""
        from ..core.chain import Head

        row = self._run(lambda conn: conn.execute(f"SELECT position, last FROM {HEAD}").fetchone())
        return Head(row[0], 0, row[1]) if row is not None and row[0] else None

    def _check_head(self, conn) -> None:
        """Under the table lock: the table must still reach its head (the head's position is
        there and its row's hash is the head's), else raise, writing nothing."""
        row = conn.execute(
            f"SELECT h.position, h.last, (SELECT coalesce(max(global_position), 0) FROM {TABLE}),"
            f" (SELECT convert_to(data, 'UTF8') FROM {TABLE} WHERE global_position = h.position)"
            f" FROM {HEAD} AS h").fetchone()
        if row is None or not row[0]:
            self._check_head_missing(conn)
            return  # no head yet: nothing to hold the table to
        position, last, high, data = row
        if self.partial:  # rows hidden from this session: the server says where the table ends
            high, at_head, _ = conn.execute("SELECT * FROM followup_reach()").fetchone()
            if high < position or at_head is None:
                raise StoreError("behind_head", path=self.path, lines=high, head=position)
            if at_head != last:
                raise StoreError("head_not_reached", path=self.path, line=position)
            return
        if high < position or data is None:
            raise StoreError("behind_head", path=self.path, lines=high, head=position)
        if link_hash(bytes(data)) != last:
            raise StoreError("head_not_reached", path=self.path, line=position)

    def reach(self) -> tuple[int, str | None, str]:
        """(Where the whole table ends, the link hash at the head's row and at its last row), as
        the server computes them (what a counselor's session may know of rows it cannot see)."""
        return self._run(lambda conn: conn.execute("SELECT * FROM followup_reach()").fetchone())

    def _check_head_missing(self, conn) -> None:
        """No head (its row deleted, or position 0) over rows that are there: deleted with the
        last rows, a cut would be unseen. Refused until ``store init`` writes it again."""
        high = conn.execute(f"SELECT coalesce(max(global_position), 0) FROM {TABLE}").fetchone()[0]
        if high:
            raise StoreError("no_head_server", path=self.path, lines=high)

    def public_connects(self) -> str | None:
        """The database's name when every role of the server may connect to it (PUBLIC holds
        CONNECT, PostgreSQL's default): then any login role reads ``pg_stat_user_tables`` and the
        like of this store. None when only those granted may."""
        return self._run(lambda conn: conn.execute(
            "SELECT CASE WHEN has_database_privilege('public', current_database(), 'CONNECT')"
            " THEN current_database() END").fetchone()[0])

    def move_head_forward(self) -> tuple[int, int] | None:
        """When rows go on past the head (its move was lost: a session's temporary
        ``followup_head`` took it before migration 7), verify the chain from the head's row to
        the table's end and move the head there (``followup store init``, the owner's); (from,
        to), or None when the head is at the end. Rows that do not follow it: refused, nothing
        moved (``check`` shows where)."""
        from ..core.chain import prev_of

        def move(conn) -> tuple[int, int] | None:
            with conn.transaction():
                conn.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
                head = conn.execute(f"SELECT position, last FROM {HEAD}").fetchone()
                if head is None or not head[0]:
                    return None
                at, previous = head
                rows = conn.execute(f"SELECT global_position, convert_to(data, 'UTF8') FROM {TABLE}"
                                    f" WHERE global_position >= %s ORDER BY global_position", (at,)).fetchall()
                if len(rows) < 2 or rows[0][0] != at or link_hash(bytes(rows[0][1])) != previous:
                    return None  # at the end, or not reached at all (check says so): not this repair's
                for (before, _), (position, data) in zip(rows, rows[1:]):
                    line = bytes(data)
                    if position != before + 1 or prev_of(line) != previous:
                        raise StoreError("head_behind_broken", path=self.path, head=at, line=position,
                                         previous=before)
                    previous = link_hash(line)
                high = rows[-1][0]
                conn.execute(f"UPDATE {HEAD} SET position = %s, last = %s", (high, previous))
                return at, high

        return self._run(move)

    def restore_head(self) -> int | None:
        """Write the head again from the rows there now when it is missing over a table that is not
        empty (``followup store init``); the position it now holds, or None when nothing was missing."""

        def restore(conn) -> int | None:
            with conn.transaction():
                conn.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
                row = conn.execute(f"SELECT position FROM {HEAD}").fetchone()
                if row is not None and row[0]:
                    return None
                last = conn.execute(f"SELECT global_position, convert_to(data, 'UTF8') FROM {TABLE}"
                                    f" ORDER BY global_position DESC LIMIT 1").fetchone()
                if last is None:
                    return None
                conn.execute(f"INSERT INTO {HEAD} (one, position, last) VALUES (true, %s, %s)"
                             f" ON CONFLICT (one) DO UPDATE SET position = excluded.position, last = excluded.last",
                             (last[0], link_hash(bytes(last[1]))))
                return last[0]

        return self._run(restore)

    # -- writing ------------------------------------------------------------------------

    def transact(self, decide: Callable[[Batch], Sequence[Event]],
                 take: Callable[[Batch], object] | None = None) -> tuple[Batch, list[Event]]:
        """Decide on what was read, then append under the table lock; when another writer
        appended first, ``decide`` is given those events and decides again (under the lock,
        so the second decision stands).

        ``take``, when given (what folds a batch, as ``decide`` does before deciding): one
        event of a client is decided on what was read so far and appended in one round trip
        whatever others wrote meanwhile, unless it was to the same client (``_stream_append``):
        what they wrote is read in the same round trip, handed to ``take``, and stands before
        the event in the log. Else what came is read, the command decided again and tried once
        more, then the general path."""
        group = self._group_commit()
        by_client = take is not None and not group and self._stream_possible()
        # while others write too, what is new is read under the lock alone and decided on once
        # there (not read and decided on before it, then again on what came meanwhile)
        deferred = self._contended and not self.partial and not by_client
        # by client, decided on what was read so far (the app's listener reads as others write):
        # the server says whether the client's rows are still those (one round trip, not two)
        batch = Batch() if deferred or by_client else self.read_new()
        events = [] if deferred else list(decide(batch))
        if not events and not deferred:
            return batch, []
        if by_client and take is not None:
            for tries in range(2):
                if not (len(events) == 1 and self._fast_fits(events)):
                    break
                try:
                    got = self._run(lambda conn: self._stream_append(conn, events[0]))
                except _LockWaited:
                    raise self._lock_held() from None
                if got is not None:
                    between, written = got
                    if between.events or between.problems:
                        take(between)
                        batch.extend(between)
                    return batch, written
                if tries:
                    break  # (again: under the lock, read what came and decide again)
                # the same client written to meanwhile (or many rows, the head moved, a client
                # forgotten): read what came, decide again, and try once more
                newer = self.read_new()
                batch.extend(newer)
                self.revalidated += 1
                events = list(decide(newer))
                if not events:
                    return batch, []
        # the common case in one round trip: lock, insert where nothing came since, notify, commit
        elif not self._contended and self._fast_fits(events):
            written = self._run(lambda conn: self._fast_append(conn, events, group))
            if written is not None:  # (on disk: the same round trip waited for it)
                return batch, written
            self._contended = True  # others write too: wait for the lock first, until no one came between
        # another writer came first (or this append does not fit): under the lock, read what came,
        # decide again, and write: in two round trips when it fits (lock and read; insert and commit)
        general = False

        def append(conn) -> list[Event]:
            nonlocal events
            pipelined = len(events) < COPY_MIN  # (COPY cannot run in a pipeline)
            with conn.pipeline() if pipelined else nullcontext():
                self._pipelined = pipelined
                try:
                    with conn.transaction():
                        if group:  # the commit does not wait for the disk under the lock: _durable does
                            conn.execute("SET LOCAL synchronous_commit = off")
                        self._lock(conn)
                        self._contended = False
                        first = deferred  # nothing decided yet: the first decision is made here
                        while True:
                            newer = self._read_after(conn, READ_ROWS)
                            if newer is None:
                                if first:
                                    events = list(decide(Batch()))
                                break
                            self._contended = True
                            batch.extend(newer)
                            if first:  # (batch held nothing before): every page read, then the one decision
                                while (page := self._read_after(conn, READ_ROWS)) is not None:
                                    batch.extend(page)
                                events, first = list(decide(batch)), False
                                continue
                            self.revalidated += 1
                            events = list(decide(newer))
                        if not events:
                            self._check_head(conn)
                            return []
                        if pipelined and not general and self._fast_fits(events):
                            insert, notify, written, position, prev = self._insert_where_reached(events)
                            counted = conn.execute(insert)
                            conn.execute(notify)
                        else:
                            self._check_head(conn)
                            return self._write(conn, events)
                    # committed (one round trip with the insert): taken unless the head had moved
                    if counted.fetchone()[0] != len(written):  # the head is not where the table ends:
                        raise _NotTaken()  # the whole path checks it and says why (nothing was written)
                    self.offset = self.line_count = position
                    self.last_hash = prev
                    return written
                except _driver().errors.LockNotAvailable:  # type: ignore[union-attr]
                    raise _LockWaited() from None  # (in a pipeline the lock's answer comes later)
                except _driver().errors.UniqueViolation:  # type: ignore[union-attr]
                    if general:
                        raise
                    raise _NotTaken() from None  # (rolled back)
                finally:
                    self._pipelined = False

        offset, last_hash = self.offset, self.last_hash
        try:
            try:
                written = self._run(append)
            except _NotTaken:
                general = True  # an id there already, the head elsewhere: the whole path decides
                deferred = False  # (decided already)
                written = self._run(append)
            if written and group:
                self._run(self._durable)
            return batch, written
        except _LockWaited:
            raise self._lock_held() from None
        except BaseException:
            self.offset = self.line_count = max(offset, self.offset)  # rows read under the lock stay read
            if self.offset == offset:
                self.last_hash = last_hash
            raise

    def _fast_fits(self, events: Sequence[Event]) -> bool:
        """Whether ``_fast_append`` may take these events: a few, after a row read, in a whole view
        (a counselor's session does not see where the table ends), one at a time under row
        security (its rules look at the rows before, not at those of the same statement), and no
        hand-over (who may receive it is asked first)."""
        rls, supervisor, _ = self._session_facts()
        return (0 < len(events) < COPY_MIN and self.offset > 0 and not (rls and not supervisor)
                and (not rls or len(events) == 1) and not any(isinstance(e, ClientAssigned) for e in events))

    def _insert_where_reached(self, events: Sequence[Event]):
        """The statement that inserts ``events`` after ``offset`` only if the table still ends there
        and still reaches its head there (else it inserts nothing), counting what it inserted;
        the one that notifies listeners when it did; and the events written, the new end and its hash."""
        from psycopg import sql

        rows, written = [], []
        prev, position = self.last_hash, self.offset
        ks: dict[str, int] = {}
        for position, (event, line, prev) in enumerate(chained(_first_of_each(events), prev), position + 1):
            ks[event.client] = ks.get(event.client, 0) + 1
            rows.append(sql.SQL("({}::bigint, {}::text, {}::integer, {}::text, {}::text, {}::text)").format(
                *map(sql.Literal, (position, event.client, ks[event.client], event.id, tag_of(event), line.decode()))))
            written.append(event)
        insert = sql.SQL(
            "WITH v (p, stream, k, event_id, type, data) AS (VALUES {rows}), "
            f"ok AS (SELECT 1 FROM {HEAD} AS h WHERE h.position = {{at}} AND h.last = {{last}}"
            f" AND (SELECT max(global_position) FROM {TABLE}) = {{at}}"
            f" AND (SELECT followup_link(e.data) FROM {TABLE} AS e WHERE e.global_position = {{at}}) = {{last}}), "
            f"ins AS (INSERT INTO {TABLE} (global_position, stream, stream_version, event_id, type, data)"
            f" SELECT v.p, v.stream, coalesce((SELECT max(e.stream_version) FROM {TABLE} AS e"
            f" WHERE e.stream = v.stream), 0) + v.k, v.event_id, v.type, v.data"
            f" FROM v WHERE EXISTS (SELECT 1 FROM ok) ORDER BY v.p RETURNING global_position) "
            "SELECT count(*) FROM ins").format(rows=sql.SQL(", ").join(rows), at=sql.Literal(self.offset),
                                               last=sql.Literal(self.last_hash))
        notify = sql.SQL(f"SELECT pg_notify({{channel}}, {{end}}) FROM {TABLE} WHERE global_position = {{end_at}}").format(
            channel=sql.Literal(CHANNEL), end=sql.Literal(str(position)), end_at=sql.Literal(position))
        return insert, notify, written, position, prev

    def _stream_possible(self) -> bool:
        """Whether this session may append by client (``_stream_append``): after a row read, in
        a whole view, as ``_fast_fits`` says."""
        rls, supervisor, _ = self._session_facts()
        return self.offset > 0 and not self.partial and not (rls and not supervisor)

    def _stream_append(self, conn, event: Event) -> tuple[Batch, list[Event]] | None:
        """One event of a client in one round trip, wherever the table ends now: under the
        lock, only if no row of that client came after ``offset`` (nor a forgotten client), the
        row at ``offset`` is still the one read, and the table still reaches its head, the
        server puts the row at the next position with the link hash of the row before it as
        its ``prev`` (``followup_next()``, as its own rules require); then it notifies, sends
        back the rows others wrote between (read under the same lock), and commits. The rows
        between and the event as written; None when not taken (nothing was written).

        The decision stands: it was made on this client's rows as they still are (the
        command layer validates a command against its client; a hand-over never comes here)."""
        from psycopg import sql

        linked = msgspec.structs.replace(event, prev=_SPLICE, v=SCHEMA_VERSION)
        line = encode(linked)
        cut = line.find(_SPLICE_AT)
        if cut == -1 or line.find(_SPLICE_AT, cut + 1) != -1:
            return None  # (never: a text's quotes are escaped) the general path writes it
        start = cut + len(b'"prev":"')  # (the link's bytes in the UTF-8 line, as stored)
        at, last, stream = sql.Literal(self.offset), sql.Literal(self.last_hash), sql.Literal(event.client)
        insert = sql.SQL(
            "WITH nxt AS (SELECT * FROM followup_next()), "
            f"ok AS (SELECT n.next_position, n.next_prev FROM nxt AS n WHERE n.reached AND n.next_position > {{at}}"
            f" AND n.next_position - 1 - {{at}} <= {BETWEEN_MAX}"  # (not a whole backlog sent under the lock)
            f" AND (SELECT followup_link(e.data) FROM {TABLE} AS e WHERE e.global_position = {{at}}) = {{last}}"
            f" AND NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.stream = {{stream}} AND e.global_position > {{at}})"
            f" AND NOT EXISTS (SELECT 1 FROM {TABLE} AS e WHERE e.type = 'client_forgotten' AND e.global_position > {{at}})"
            # this session sees every row between (a role made a counselor since it looked is refused here,
            # before anything is written, not after the commit)
            f" AND (SELECT count(*) FROM {TABLE} AS e WHERE e.global_position > {{at}}) = n.next_position - 1 - {{at}}), "
            f"ins AS (INSERT INTO {TABLE} (global_position, stream, stream_version, event_id, type, data)"
            f" SELECT ok.next_position, {{stream}}, coalesce((SELECT max(e.stream_version) FROM {TABLE} AS e"
            f" WHERE e.stream = {{stream}}), 0) + 1, {{id}}, {{type}}, replace({{data}}::text, {{splice}},"
            f" '\"prev\":\"' || ok.next_prev || '\"') FROM ok RETURNING global_position, data) "
            "SELECT global_position AS written_at, convert_to(data, 'UTF8') AS written FROM ins").format(
                at=at, last=last, stream=stream, id=sql.Literal(event.id), type=sql.Literal(tag_of(event)),
                data=sql.Literal(line.decode()), splice=sql.Literal(_SPLICE_AT.decode()))
        mine = sql.SQL(f"(SELECT e.global_position FROM {TABLE} AS e WHERE e.event_id = {{id}} AND e.global_position > {{at}})"
                       ).format(id=sql.Literal(event.id), at=at)
        notify = sql.SQL("SELECT pg_notify({channel}, {mine}::text) WHERE {mine} IS NOT NULL").format(
            channel=sql.Literal(CHANNEL), mine=mine)
        between = sql.SQL(f"SELECT global_position AS between_at, convert_to(data, 'UTF8') AS between FROM {TABLE}"
                          f" WHERE global_position > {{at}} AND global_position < {{mine}} ORDER BY global_position").format(
                              at=at, mine=mine)
        lock = "SELECT followup_lock()" if self._session_facts()[0] else f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE"
        query = sql.SQL("; ").join([sql.SQL("BEGIN"), sql.SQL(lock), insert, notify, between, sql.SQL("COMMIT")])
        psycopg = _driver()
        cursor = conn.cursor()
        written: list[tuple[int, str]] = []
        rows: list[tuple[int, str]] = []
        try:
            cursor.execute(query)
            while True:
                names = [c.name for c in cursor.description or ()]
                if names == ["written_at", "written"]:
                    written = cursor.fetchall()
                elif names == ["between_at", "between"]:
                    rows = cursor.fetchall()
                if not cursor.nextset():
                    break
        except psycopg.errors.UniqueViolation:  # type: ignore[union-attr]
            conn.execute("ROLLBACK")  # an id there already: the whole path says
            return None
        except psycopg.errors.LockNotAvailable:  # type: ignore[union-attr]
            conn.execute("ROLLBACK")  # waited for as long as a writer waits: who holds it is said now
            raise _LockWaited() from None  # (not after a second try and the whole path waited as long)
        except BaseException:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:  # type: ignore[union-attr]
                conn.execute("ROLLBACK")
            raise
        if not written:
            return None
        (position, data), = written
        first = self.offset + 1
        if [p for p, _ in rows] != list(range(first, position)):  # (a whole view: every row is there)
            raise StoreError("server", path=self.path, detail=f"positions {first}..{position - 1} hold {len(rows)} rows")
        stored = bytes(data)  # (the row as the chain hashes it, whatever the database's encoding)
        event = msgspec.structs.replace(linked, prev=stored[start:start + len(_SPLICE)].decode("ascii", "replace"))
        if encode(event) != stored:  # (never: the server changed only the link)
            raise StoreError("server", path=self.path, detail=f"position {position} holds another line than was sent")
        got = Batch()
        if rows:
            events, problems, lines = decode_lines(b"".join(bytes(row) + b"\n" for _, row in rows), first)
            got = Batch(events, lines, problems)
        self.offset = self.line_count = position
        self.last_hash = link_hash(stored)
        self.appended_by_client += 1
        return got, [event]

    def _fast_append(self, conn, events: Sequence[Event], group: bool) -> list[Event] | None:
        """In one round trip (the server runs it all without waiting for us, so the table lock
        is held only as long as the server works): take the lock, insert the rows after
        ``offset`` only if the table still ends there and still reaches its head there, notify,
        commit. The rows written; None when not taken (another writer came first, an id is
        there already, the head moved): nothing was written."""
        from psycopg import sql

        insert, notify, written, position, prev = self._insert_where_reached(events)
        lock = "SELECT followup_lock()" if self._session_facts()[0] else f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE"
        # then, in the same round trip, the lock released: the wait for the disk (_durable's)
        query = sql.SQL("; ").join([sql.SQL("BEGIN"), *([sql.SQL("SET LOCAL synchronous_commit = off")] if group else []),
                                    sql.SQL(lock), insert, notify, sql.SQL("COMMIT"),
                                    *([sql.SQL(DURABLE)] if group else [])])
        psycopg = _driver()
        cursor = conn.cursor()
        try:
            cursor.execute(query)
            counts = []
            while True:
                if cursor.description is not None and len(cursor.description) == 1 \
                        and cursor.description[0].name == "count":
                    counts.append(cursor.fetchone()[0])
                elif cursor.description is not None and cursor.description[0].name == "durable_to":
                    self.durable_to = cursor.fetchone()[0]
                if not cursor.nextset():
                    break
        except (psycopg.errors.UniqueViolation, psycopg.errors.LockNotAvailable):  # type: ignore[union-attr]
            conn.execute("ROLLBACK")  # an id there already, or the lock waited for: the whole path says
            return None
        except BaseException:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:  # type: ignore[union-attr]
                conn.execute("ROLLBACK")
            raise
        if counts != [len(written)]:
            return None  # (nothing written: the wait for the disk waited for nothing of ours)
        self.offset = self.line_count = position
        self.last_hash = prev
        return written

    # Off: a commit made without waiting for the disk is seen by other sessions (a colleague's
    # open app) before it is on disk; a server that crashed in that moment would lose an event
    # someone was already shown (never one acknowledged: the writer waits for the flush). The
    # gain measured here was small (8 writers under load, p99 83 -> 58 ms; the 50 ms target not
    # met either way), so the store keeps each commit durable before anyone can read it.
    GROUP_COMMIT = False

    def _group_commit(self) -> bool:
        """Whether appends commit without waiting for the disk under the table lock and then wait
        for it outside (``_durable``): when this role may write a WAL record of its own
        (``pg_logical_emit_message``, every role's by default). Else each commit waits under the lock."""
        if self._group is None and not self.GROUP_COMMIT:
            self._group = False
        if self._group is None:
            self._group = bool(self._run(lambda conn: conn.execute(
                "SELECT has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE')"
            ).fetchone()[0]))
        return self._group

    def _durable(self, conn) -> None:
        """Return once this session's last commit is on disk, as the server's commits are
        (``synchronous_commit``): a transaction of one WAL record commits, and its commit waits for
        the WAL to be flushed up to it, so up to every commit before it, ours included. Writers
        that commit meanwhile wait for the same flush: one fsync for many, none under the lock."""
        self.durable_to = conn.execute(DURABLE).fetchone()[0]

    def append(self, events: Sequence[Event], absent_to: int = 0) -> list[Event]:
        """Append ``events`` (an event whose id is there already is not written again).
        ``absent_to``: the caller read rows 1..absent_to and none holds one of these ids (``store
        copy``): only the rows after it are searched for them."""
        self._absent_to = absent_to
        try:
            return self.transact(lambda _batch: events)[1]
        finally:
            self._absent_to = 0

    def ids_to(self) -> tuple[set[str], int]:
        """Every event id in the table and the position it ends at, from one moment."""
        ids, end = self._run(lambda conn: conn.execute(
            f"SELECT coalesce(array_agg(event_id), '{{}}'), coalesce(max(global_position), 0)"
            f" FROM {TABLE}").fetchone())
        return set(ids), end

    def redact(self, pick: Callable[[Batch], tuple[str, str]],
               marker: Callable[[str, list[str], str, list[str]], Event]) -> tuple[str, list[str], bool]:
        """Erase one client's rows in place (``forget``), in one transaction under the table
        lock: ``pick`` sees what is new and names the client and its new id; each of its rows
        is redacted (personal fields blanked, the stream renamed, the hash of the row as first
        written kept in it) and ``marker(new_id, erased ids, prev, their hashes)`` is appended. Then the old
        row versions are vacuumed away where this role may. Returns the new id, the erased
        event ids and whether the vacuum ran."""
        from ..core import privacy

        rls, supervisor, role = self._session_facts()
        if rls and not supervisor:  # row security binds this role, and it is no supervisor
            raise StoreError("forget_not_supervisor", path=self.path, role=role)

        def work(conn):
            with conn.transaction():
                self._lock(conn)
                batch = Batch()
                while (newer := self._read_after(conn, READ_ROWS)) is not None:
                    batch.extend(newer)
                self._check_head(conn)
                client_id, new_id = pick(batch)
                updates, erased, skeletons = [], [], []
                for position, data in conn.execute(
                        f"SELECT global_position, convert_to(data, 'UTF8') FROM {TABLE} WHERE stream = %s"
                        f" ORDER BY global_position", (client_id,)).fetchall():
                    line = bytes(data)
                    try:
                        raw = msgspec.json.decode(line)
                    except (msgspec.DecodeError, RecursionError):
                        raw = None
                    why = privacy.unerasable(raw) if isinstance(raw, dict) else ("forget_unknown", {})
                    if why is not None:
                        raise StoreError(why[0], path=self.path, row=position, **why[1])
                    erased_line = msgspec.json.encode(privacy.erase(raw, new_id, link_hash(line)))
                    updates.append((erased_line.decode(), new_id, position))
                    erased.append(str(raw.get("id", "")))
                    skeletons.append(line_hash(erased_line))
                conn.cursor().executemany(
                    f"UPDATE {TABLE} SET data = %s, stream = %s WHERE global_position = %s", updates)
                conn.execute(f"UPDATE {ASSIGNMENT} SET stream = %s WHERE stream = %s", (new_id, client_id))
                if conn.execute("SELECT to_regclass(%s)", (SNAPSHOT,)).fetchone()[0] is not None:
                    conn.execute(f"LOCK TABLE {SNAPSHOT} IN SHARE ROW EXCLUSIVE MODE")
                    conn.execute(f"DELETE FROM {SNAPSHOT}")  # every role's: any may hold the erased name
                self._write(conn, [marker(new_id, erased, self.last_hash, skeletons)])
                return new_id, erased

        try:
            new_id, erased = self._run(work)
        except _LockWaited:
            raise self._lock_held() from None
        # (not the table's owner: its administrator's VACUUM removes them; the planner's samples,
        # pg_stats, held the erased text too: analysed again)
        return new_id, erased, self.vacuum()

    def vacuum(self) -> bool:
        """VACUUM and ANALYZE the events table, as its owner (or a superuser): after an erasure
        (the old row versions go), and after a copy into it (``store copy``: the planner had no
        statistics of a million rows just written and read them 1.5× slower, 5.4-6.1 s against
        3.7-4.1 s for a cold start at a million, until autovacuum came by). False when this
        role may not, or the server refused: nothing is lost, autovacuum does it in time."""

        def vacuum(conn) -> bool:
            may = conn.execute(
                "SELECT current_setting('is_superuser') = 'on' OR pg_has_role(relowner, 'MEMBER')"
                " FROM pg_class WHERE oid = to_regclass(%s)", (TABLE,)).fetchone()
            if not may or not may[0]:
                return False
            conn.execute(f"VACUUM (ANALYZE) {TABLE}")
            return True

        try:
            return self._run(vacuum)
        except StoreError:
            return False

    def _write(self, conn, events: Sequence[Event]) -> list[Event]:
        """Insert under the table lock (held), after ``offset`` (everything committed was read)."""
        from ..core.commands import CommandError

        ids = [e.id for e in events]
        after = self._absent_to  # rows up to there hold none of them (append's caller read them)
        # (under the lock, every row up to ``offset`` was read: a whole view past it holds nothing)
        searched = ids and (self.partial or after < self.offset)
        existing = dict(conn.execute(
            f"SELECT event_id, data FROM {TABLE} WHERE global_position > %s AND event_id = ANY(%s)",
            (after, ids)).fetchall()) if searched else {}
        # Each stream's latest version, one probe of its (stream, stream_version) index each: a
        # GROUP BY over ``stream = ANY(...)`` was planned as a scan of the table, per chunk of a
        # copy (quadratic: a 5,000,000-event copy of 10,000 clients still ran after ten minutes).
        versions = dict(conn.execute(
            f"SELECT s.stream, v.version FROM unnest(%s::text[]) AS s(stream) CROSS JOIN LATERAL"
            f" (SELECT max(e.stream_version) AS version FROM {TABLE} AS e WHERE e.stream = s.stream) AS v"
            f" WHERE v.version IS NOT NULL",
            (list({e.client for e in events}),)).fetchall())
        prev, position = self.last_hash, self.offset
        if self.partial:  # the table goes on past the rows this session sees
            position, _, prev = conn.execute("SELECT * FROM followup_reach()").fetchone()
            for event in events:  # an id held by a client this role cannot see: said, not a raw refusal
                if isinstance(event, ClientRegistered) and event.id not in existing and event.client not in versions \
                        and conn.execute("SELECT followup_taken(%s)", (event.client,)).fetchone()[0]:
                    raise StoreError("client_taken", path=self.path, client=event.client)
        handed = {e.to for e in events if isinstance(e, ClientAssigned) and e.id not in existing}
        if handed:
            granted = self._granted(conn)
            if granted and not handed <= set(granted):  # a hand-over to no one who can read it
                to = ", ".join(sorted(handed - set(granted)))
                if self.partial:  # a counselor is not told who else works here
                    raise StoreError("assign_not_granted_to_you", path=self.path, to=to)
                raise StoreError("assign_not_granted", path=self.path, to=to, roles=", ".join(granted))
        written, seen = [], set()

        def new() -> Iterator[Event]:
            for event in events:
                if event.id in existing or event.id in seen:
                    if event.id in seen or same_event(decode(existing[event.id]), event):
                        continue  # the same event again: already there
                    raise CommandError("id_conflict", event=event.id)
                seen.add(event.id)
                yield event

        def built() -> Iterator[tuple]:  # each row as it is decided (the COPY sends them as they come)
            nonlocal prev, position
            for position, (event, line, prev) in enumerate(chained(new(), prev), position + 1):
                version = versions.get(event.client, 0) + 1
                versions[event.client] = version
                written.append(event)
                yield position, event.client, version, event.id, tag_of(event), line

        coming = built()
        rows = list(itertools.islice(coming, COPY_MIN))
        if not rows:
            return []
        columns = "global_position, stream, stream_version, event_id, type, data"
        if len(rows) >= COPY_MIN and not self._session_facts()[0] and not self._pipelined:  # COPY: not under row security
            with conn.cursor().copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                # in COPY's text format, a slice of rows per buffer, each sent as soon as it is
                # made: the server inserts one while this process makes the next
                while rows:
                    copy.write(_copy_text(rows))
                    rows = list(itertools.islice(coming, COPY_SLICE))
        else:
            rows += coming
            conn.cursor().executemany(f"INSERT INTO {TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",
                                      [(*row[:5], row[5].decode()) for row in rows])
        # the head is moved by the database (followup_move_head, migrations 4 and 10): no session writes it
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(position)))
        self.offset = self.line_count = position
        self.last_hash = prev
        return written

    # -- roles --------------------------------------------------------------------------

    def _granted(self, conn) -> list[str]:
        """The login roles granted to this store (counselors and supervisors), by name; [] when
        no role was ever granted (a store its owner alone uses)."""
        return [r[0] for r in conn.execute(
            "SELECT m.rolname FROM pg_roles AS m WHERE m.rolcanlogin AND EXISTS ("
            " SELECT 1 FROM pg_auth_members AS a JOIN pg_roles AS g ON g.oid = a.roleid"
            " JOIN pg_class AS t ON t.oid = to_regclass(%s)"
            " WHERE a.member = m.oid AND g.rolname = ANY(%s) AND has_table_privilege(g.oid, t.oid, 'SELECT')"
            " AND has_schema_privilege(g.oid, t.relnamespace, 'USAGE')) ORDER BY m.rolname",
            (TABLE, list(ROLES.values()))).fetchall()]

    def grant(self, name: str, kind: str) -> bool:
        """Make the login role ``name`` a counselor or a supervisor of this store (creating it
        when it does not exist, without a password: that is the server's business); True when
        it was created. Run by the tables' owner (with CREATEROLE for a new role)."""
        from psycopg import sql

        def work(conn) -> bool:
            with conn.transaction():
                for group in ROLES.values():
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is None:
                        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
                groups = sql.SQL(", ").join(sql.Identifier(g) for g in ROLES.values())
                schema, database = conn.execute("SELECT current_schema(), current_database()").fetchone()
                for statement in (
                        "GRANT USAGE ON SCHEMA {schema} TO {groups}",
                        f"GRANT SELECT, INSERT ON {TABLE} TO {{groups}}",
                        f"GRANT UPDATE ON {TABLE} TO followup_supervisor",  # to redact (forget)
                        f"REVOKE UPDATE ON {TABLE} FROM followup_counselor",  # the lock: followup_lock()
                        "GRANT EXECUTE ON FUNCTION followup_lock() TO {groups}",
                        # the groups connect once the owner has taken CONNECT from PUBLIC (README)
                        "GRANT CONNECT ON DATABASE {database} TO {groups}",
                        f"GRANT SELECT ON followup_schema, {ASSIGNMENT}, {HEAD} TO {{groups}}",
                        f"GRANT SELECT ON {SNAPSHOT} TO {{groups}}",  # each its own row; written by the function
                        f"REVOKE INSERT, UPDATE ON {SNAPSHOT} FROM {{groups}}",  # (no lock against hand-overs)
                        f"REVOKE DELETE ON {SNAPSHOT} FROM followup_counselor",
                        f"GRANT DELETE ON {SNAPSHOT} TO followup_supervisor",  # forget deletes them all
                        "GRANT EXECUTE ON FUNCTION followup_save_snapshot(bigint, text, text, text, bytea, bytea, text[])"
                        " TO {groups}",
                        f"REVOKE INSERT, UPDATE ON {HEAD} FROM {{groups}}",  # the database moves it
                        "GRANT EXECUTE ON FUNCTION followup_reach(), followup_taken(text), followup_next() TO {groups}",
                        f"GRANT UPDATE ON {ASSIGNMENT} TO followup_supervisor"):
                    conn.execute(sql.SQL(statement).format(schema=sql.Identifier(schema), groups=groups,
                                                           database=sql.Identifier(database)))
                created = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None
                if created:
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
                for key, group in ROLES.items():
                    verb = "GRANT {} TO {}" if key == kind else "REVOKE {} FROM {}"
                    conn.execute(sql.SQL(verb).format(sql.Identifier(group), sql.Identifier(name)))
                # a supervisor made a counselor keeps no snapshot of every client (nor one the
                # other way round): the role's is rebuilt at its next start as what it now sees
                conn.execute(f"DELETE FROM {SNAPSHOT} WHERE role = %s", (name,))
                # every session of the role (psql, a BI tool) gives up waiting, and is ended when it
                # sits in a transaction: no lock held forever (a session may SET them otherwise)
                for setting, value in (("lock_timeout", f"{int(LOCK_WAIT_SECONDS * 1000)}ms"),
                                       ("statement_timeout", f"{STATEMENT_SECONDS * 1000}ms"),
                                       ("idle_in_transaction_session_timeout",
                                        f"{IDLE_IN_TRANSACTION_SECONDS * 1000}ms")):
                    conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
                        sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)))
                return created

        return self._as_owner(work)

    def _as_owner(self, work):
        """``work`` that only the tables' owner may do (grant, revoke): refused for another role
        as that, not as a missing grant of its own."""
        try:
            return self._run(work)
        except StoreError as exc:
            if exc.key not in ("no_grant", "not_yours"):
                raise
            role = (self._session or (False, False, ""))[2] or (urlsplit(self.url).username or "?")
            raise StoreError("grant_not_owner", path=self.path, role=role) from None

    def granted(self) -> list[str]:
        """The login roles granted to this store, by name."""
        return self._run(self._granted)

    def assigned_to(self, name: str) -> list[str]:
        """The clients (not forgotten) assigned to the role ``name``, as the tables' owner sees them."""
        return self._as_owner(lambda conn: [r[0] for r in conn.execute(
            f"SELECT stream FROM {ASSIGNMENT} WHERE counselor = %s AND stream NOT LIKE 'forgotten-%%'"
            f" ORDER BY stream", (name,)).fetchall()])

    def revoke(self, name: str) -> None:
        """Take the role ``name`` out of both groups: it reads and writes nothing here any more."""
        from psycopg import sql

        def work(conn) -> None:
            with conn.transaction():
                for group in ROLES.values():
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is not None:
                        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), sql.Identifier(name)))
                if conn.execute("SELECT to_regclass(%s)", (SNAPSHOT,)).fetchone()[0] is not None:
                    conn.execute(f"DELETE FROM {SNAPSHOT} WHERE role = %s", (name,))  # what it could see, gone with it

        self._as_owner(work)

    # -- backup and restore ---------------------------------------------------------------

    def dump(self, write: Callable[[bytes], None]):
        """Every row's data, newline-ended, in order, from one consistent moment (a
        ``REPEATABLE READ`` transaction: writers go on); the head kept at that moment."""
        from ..core.chain import Head

        if self.partial:
            granted = self._run(lambda conn: conn.execute(
                "SELECT has_table_privilege(%s, 'SELECT')", (TABLE,)).fetchone()[0])
            if not granted:  # revoked (or never granted): not a counselor's partial view
                raise StoreError("no_grant", path=self.path, role=self.role)
            raise StoreError("backup_partial", path=self.path, role=self.role)

        def work(conn):
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                row = conn.execute(f"SELECT position, last FROM {HEAD}").fetchone()
                position = 0
                while True:
                    rows = conn.execute(
                        f"SELECT global_position, convert_to(data, 'UTF8') FROM {TABLE}"
                        f" WHERE global_position > %s ORDER BY global_position LIMIT %s",
                        (position, READ_ROWS)).fetchall()
                    if not rows:
                        break
                    write(b"".join(bytes(data) + b"\n" for _, data in rows))
                    position = rows[-1][0]
                return Head(row[0], 0, row[1]) if row is not None and row[0] else None

        return self._run(work)

    def restore_lines(self, lines: Sequence[bytes]) -> None:
        """Put a backup's lines into this empty store as they are (same chain, same head)."""
        columns = "global_position, stream, stream_version, event_id, type, data"

        def work(conn):
            with conn.transaction():
                self._lock(conn)
                if conn.execute(f"SELECT exists(SELECT 1 FROM {TABLE})").fetchone()[0]:
                    raise StoreError("restore_not_empty", path=self.path)
                versions: dict[str, int] = {}
                with conn.cursor().copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                    for position, line in enumerate(lines, 1):
                        try:
                            raw = msgspec.json.decode(line)
                        except (msgspec.DecodeError, RecursionError):
                            raw = None
                        if not isinstance(raw, dict):  # kept as it is, as a file keeps it
                            raw = {"id": f"unreadable-{position}", "type": "", "client": ""}
                        client = str(raw.get("client", ""))
                        versions[client] = versions.get(client, 0) + 1
                        copy.write_row((position, client, versions[client], str(raw.get("id", "")),
                                        str(raw.get("type", "")), line.decode()))
                if lines:
                    conn.execute(f"INSERT INTO {HEAD} (one, position, last) VALUES (true, %s, %s)"
                                 f" ON CONFLICT (one) DO UPDATE SET position = excluded.position,"
                                 f" last = excluded.last", (len(lines), link_hash(lines[-1])))
                    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(len(lines))))

        try:
            self._run(work)
        except _LockWaited:
            raise self._lock_held() from None

    # -- waking ---------------------------------------------------------------------------

    def wake_on_append(self, wake: Callable[[int], None]) -> Callable[[], None]:
        """Call ``wake(position)`` (from a thread) whenever anyone appends; returns ``stop``.
        A lost connection is retried quietly: the reader's poll is the fallback."""
        stopped = threading.Event()

        def listen() -> None:
            while not stopped.is_set():
                try:
                    conn = self.connect()
                except StoreError:
                    stopped.wait(2.0)
                    continue
                try:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while not stopped.is_set():
                        for note in conn.notifies(timeout=0.5):
                            wake(int(note.payload) if note.payload.isdigit() else 0)
                except Exception:  # noqa: BLE001 - the poll goes on; listen again
                    stopped.wait(1.0)
                finally:
                    conn.close()

        thread = threading.Thread(target=listen, name="followup-listen", daemon=True)
        thread.start()

        def stop() -> None:
            stopped.set()

        return stop


def _first_of_each(events: Iterable[Event]) -> Iterator[Event]:
    """The events, an id given twice only the first time."""
    seen: set[str] = set()
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            yield event


def _copy_field(value: bytes) -> bytes:
    """One field in COPY's text format: a backslash, tab, line feed or carriage return escaped."""
    return value.replace(b"\\", b"\\\\").replace(b"\t", b"\\t").replace(b"\n", b"\\n").replace(b"\r", b"\\r")


_COPY_SPECIAL = re.compile("[\\\\\t\n\r]")


def _copy_text(rows: Sequence[tuple]) -> bytes:
    """Rows (position, stream, version, event id, type, data bytes) as COPY FROM STDIN's text."""
    out = []
    for position, stream, version, event_id, kind, data in rows:
        if _COPY_SPECIAL.search(stream) or _COPY_SPECIAL.search(event_id) or _COPY_SPECIAL.search(kind):
            out.append(b"%d\t%s\t%d\t%s\t%s\t" % (position, _copy_field(stream.encode()), version,
                                                  _copy_field(event_id.encode()), _copy_field(kind.encode())))
        else:
            out.append(f"{position}\t{stream}\t{version}\t{event_id}\t{kind}\t".encode())
        if b"\\" in data:
            data = data.replace(b"\\", b"\\\\")
        if b"\n" in data or b"\t" in data or b"\r" in data:  # (none in the JSON followup writes)
            data = data.replace(b"\t", b"\\t").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
        out.append(data)
        out.append(b"\n")
    return b"".join(out)


class _NotTaken(Exception):
    """An append's short path did not write (an event id there already, the head not at the
    table's end): the whole path writes or says why."""


class _LockWaited(Exception):
    """The table lock was not given within LOCK_WAIT_SECONDS."""


def _application_name() -> str:
    """Who this session is, as another writer's message names it: program, user, host, pid."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        user = "?"
    return f"followup {user}@{socket.gethostname()} pid {os.getpid()}"[:63]


