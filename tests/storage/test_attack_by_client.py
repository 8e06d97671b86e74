"""Attacks on the server store's append by client (``PgStore._stream_append``, commit 49cb0c5):
one event of a client goes in one round trip wherever the table ends, its ``prev`` put there by
the server, without deciding the command again when only other clients were written to. Each
test tries to make it lose an acknowledged event, push one the serial order refuses, break the
chain, or keep something erased, on a real server."""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime

import msgspec
import pytest

from tui_followup.core import chain
from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.codec import encode
from tui_followup.storage import snapshot
from tui_followup.storage.journal import Journal
from tui_followup.storage.logfile import StoreError
from tui_followup.storage.maintenance import check, forget
from tui_followup.storage.pgstore import TABLE, PgStore

from ..core.helpers import TOKYO
from .test_need_to_know import office  # noqa: F401 - the fixture
from .test_pgstore import at_once, until

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=TOKYO)
SECRET = "SECRETNAME"


def app(url: str, actor: str = "sato") -> Journal:
    return Journal.open(url, clock=FixedClock(NOW), tz=TOKYO, actor=actor, use_snapshot=False)


def rows(url: str) -> list[bytes]:
    return list(PgStore(url).raw_lines())


def same_facts(url: str, *apps: Journal) -> None:
    """Every app's facts are those of an app opened afresh."""
    whole = snapshot.dump(app(url).caseload, 0, 0, "", [])
    for each in apps:
        each.refresh()
        assert snapshot.dump(each.caseload, 0, 0, "", []) == whole


def while_deciding(journal: Journal, command, before):
    """``command`` as ``journal`` runs it, with ``before()`` (another app's write) done while it
    decides the first time: after its read, before its append."""
    calls: list[int] = []

    def deciding(ctx, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            before()
        return command(ctx, *args, **kwargs)

    return deciding, calls


# -- the splice: the server overwrites 32 tildes with the link, by position ----------------------


def _database(pg_server, encoding: str, init: bool = True):
    """A store in a database of its own created with ``encoding``, initialised as `followup
    store init` (unless not ``init``); its URL, and what drops it."""
    import psycopg

    name = f"a_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    url = pg_server.rsplit("/", 1)[0] + f"/{name}" + ("?" + pg_server.split("?", 1)[1] if "?" in pg_server else "")
    store = PgStore(url)
    if init:
        store.init()
    store.close()

    def drop() -> None:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")

    return url, drop


@pytest.mark.parametrize("encoding", ["SQL_ASCII", "UTF8"])
def test_check_is_clean_on_a_database_created_sql_ascii(pg_server, encoding):
    """A store in a database created SQL_ASCII (initdb's default under the C locale): Japanese
    and Korean records, another app's between, and `followup check` says the chain is whole (it
    said head_changed: psycopg read the head's text in the database's encoding, as bytes, not
    the UTF-8 the chain is hashed in)."""
    url, drop = _database(pg_server, encoding)
    try:
        sato = app(url)
        sato.record(cmd.register_client, client_id="aoki", name="青木 花子")
        kato = app(url, actor="kato")
        kato.record(cmd.register_client, client_id="kim", name="김민준")
        sato.record(cmd.add_note, "aoki", text="面接の練習 〜 ①")
        kato.record(cmd.add_note, "kim", text="電話で近況")
        assert check(url).problems == []
        assert chain.verify(rows(url)).problems == []
        same_facts(url, sato, kato)
    finally:
        drop()


def test_a_new_store_is_not_made_in_a_database_that_cannot_hold_every_language(pg_server):
    """EUC_JP holds Japanese, then refused a Korean note or a ① part-way through a morning (the
    server's "has no equivalent in encoding EUC_JP", nothing written): `store init` says so
    first, naming the encoding and what to do, and makes nothing there."""
    import psycopg

    url, drop = _database(pg_server, "EUC_JP", init=False)
    try:
        with pytest.raises(StoreError) as refused:
            PgStore(url).init()
        assert refused.value.key == "store_encoding" and "EUC_JP" in str(refused.value) and "UTF8" in str(refused.value)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('followup_schema')").fetchone()[0] is None
    finally:
        drop()


@pytest.fixture
def ascii_url(pg_server):
    """A store in a database created SQL_ASCII (initdb's default under the C locale, where
    PostgreSQL counts bytes, not characters), initialised as `followup store init`."""
    url, drop = _database(pg_server, "SQL_ASCII")
    yield url
    drop()


def test_a_database_created_sql_ascii_keeps_a_note_to_a_client_with_a_japanese_id_whole(ascii_url):
    """Before 49cb0c5 this worked: the app wrote the whole line. The by-client path told the
    server to put the link at a character position counted by Python, which a SQL_ASCII
    database counts in bytes: the row was committed with its link inside the client id (JSON
    no more, the chain broken for everyone) and the app crashed after the commit (it read the
    row back as str, which psycopg gives as bytes there)."""
    sato = app(ascii_url)
    sato.record(cmd.register_client, client_id="青木", name="青木 花子")
    kato = app(ascii_url, actor="kato")
    kato.record(cmd.register_client, client_id="c2", name="Baba")
    note = sato.record(cmd.add_note, "青木", text="after Kato's row")  # by client: Kato's came between
    lines = rows(ascii_url)
    assert chain.verify(lines).problems == []
    assert lines[-1] == encode(note) and msgspec.json.decode(lines[-1])["text"] == "after Kato's row"
    assert sato.store.last_hash == chain.link_hash(lines[-1])
    assert check(ascii_url).problems == []  # (it said head_changed: the head's text read as bytes)
    same_facts(ascii_url, sato, kato)


TRICKY = [
    '"prev":"' + "~" * 32 + '"',  # the very text the server looks for, in a note
    'back\\slash "quoted" \\"prev\\":\\"',
    "青木 花子 김민준 😀 𠮷野家 é (e + combining) ‍👩‍👩‍👧",  # astral plane, ZWJ, combining
    "\u2028\u2029 line separators \ufeff bom",
]


@pytest.mark.parametrize("client_id", ["c1", "𠮷田😀", "e\u0301te\u0301", '"prev":"' + "~" * 8])
def test_what_the_server_splices_is_the_event_whatever_precedes_the_link(pg_url, client_id):
    """The client id and the actor come before ``prev`` in a line: astral characters, combining
    marks and the spliced text itself in them, and in the note after it; every stored line is
    the event as its app holds it, the chain verifies, and check is clean."""
    sato = app(pg_url, actor="佐藤😀")
    sato.record(cmd.register_client, client_id=client_id, name="𠮷田 花子")
    kato = app(pg_url, actor="kato")
    kato.record(cmd.register_client, client_id="other", name="Other")
    written = []
    for text in TRICKY:
        kato.record(cmd.add_note, "other", text="between")
        written.append(sato.record(cmd.add_note, client_id, text=text))
    assert sato.store.appended_by_client == len(TRICKY) and sato.store.revalidated == 0
    lines = rows(pg_url)
    assert chain.verify(lines).problems == [] and check(pg_url).problems == []
    stored = {msgspec.json.decode(line)["id"]: line for line in lines}
    for event in written:
        assert stored[event.id] == encode(event)
        assert msgspec.json.decode(stored[event.id])["text"] in TRICKY
    same_facts(pg_url, sato, kato)


# -- races: another app writes while this one decides (after its read, before its append) --------


def seeded(url: str) -> tuple[Journal, Journal]:
    """Two apps on a store holding Aoki (with a secret) and Abe."""
    setup = app(url, actor="setup")
    setup.record(cmd.register_client, client_id="aoki", name=f"{SECRET} 青木", note="SECRETNOTE")
    setup.record(cmd.register_client, client_id="abe", name="Abe Ken")
    return app(url, actor="sato"), app(url, actor="kato")


def test_two_closes_of_the_same_case_decided_on_the_same_state_one_is_refused(pg_url):
    sato, kato = seeded(pg_url)
    close, calls = while_deciding(sato, cmd.close_case,
                                  lambda: kato.record(cmd.close_case, "abe", reason="goal_achieved"))
    with pytest.raises(cmd.CommandError) as refused:
        sato.record(close, "abe", reason="goal_achieved")
    assert refused.value.key == "already_closed" and len(calls) == 2
    assert sato.store.appended_by_client == 0 and sato.store.revalidated == 1
    closes = [line for line in rows(pg_url) if b'"case_closed"' in line]
    assert len(closes) == 1 and b'"kato"' in closes[0]
    same_facts(pg_url, sato, kato)


def test_two_messages_for_one_item_decided_on_the_same_state_the_second_is_told_whose_went(pg_url):
    """Two counselors' forms opened on abe's item before either was recorded (a practitioners'
    pass: the client was sent the same check twice): the second, decided again after the
    server refused its append by client, is refused by the command layer, naming the first."""
    sato, kato = seeded(pg_url)
    seen = cmd.seen_messages(sato.caseload, "abe")
    send, calls = while_deciding(sato, cmd.send_message,
                                 lambda: kato.record(cmd.send_message, "abe", template="1w", seen=seen))
    with pytest.raises(cmd.CommandError) as refused:
        sato.record(send, "abe", template="1w", seen=seen)
    assert refused.value.key == "messaged_since" and refused.value.params["by"] == "kato" and len(calls) == 2
    sent = [line for line in rows(pg_url) if b'"message_sent"' in line]
    assert len(sent) == 1 and b'"kato"' in sent[0]
    told = cmd.seen_messages(sato.caseload, "abe")
    assert sato.record(cmd.send_message, "abe", template="1w", seen=told).actor == "sato"  # told: it goes
    same_facts(pg_url, sato, kato)


def test_a_promise_kept_while_another_app_retracts_it_is_refused(pg_url):
    sato, kato = seeded(pg_url)
    promise = sato.record(cmd.make_promise, "abe", due=NOW.date(), what="send the CV")
    kato.refresh()
    keep, calls = while_deciding(sato, cmd.keep_promise,
                                 lambda: kato.record(cmd.retract, promise.id, reason="typed by mistake"))
    with pytest.raises(cmd.CommandError) as refused:
        sato.record(keep, promise.id)
    assert refused.value.key == "not_a_promise" and len(calls) == 2
    assert not any(b'"promise_kept"' in line for line in rows(pg_url))
    same_facts(pg_url, sato, kato)


def test_a_note_racing_a_hand_over_of_its_client_is_decided_again_and_lands_after_it(pg_url):
    sato, kato = seeded(pg_url)
    note, calls = while_deciding(sato, cmd.add_note,
                                 lambda: kato.record(cmd.assign, "abe", to="suzuki", reason="leave"))
    event = sato.record(note, "abe", text="after the hand-over")
    # refused by client (a row of abe came), read, decided again on the hand-over, then by client
    assert len(calls) == 2 and sato.store.revalidated == 1 and sato.store.appended_by_client == 1
    types = [msgspec.json.decode(line)["type"] for line in rows(pg_url)]
    assert types[-2:] == ["client_assigned", "note_added"] and event.client == "abe"
    assert sato.client("abe").owner == "suzuki"
    same_facts(pg_url, sato, kato)


def test_two_registrations_of_one_id_at_once_the_second_is_refused(pg_url):
    sato, kato = seeded(pg_url)
    register, calls = while_deciding(sato, cmd.register_client,
                                     lambda: kato.record(cmd.register_client, client_id="c9", name="Kato's"))
    with pytest.raises(cmd.CommandError) as refused:
        sato.record(register, client_id="c9", name="Sato's")
    assert refused.value.key == "id_taken" and len(calls) == 2
    assert sato.client("c9").name == "Kato's"
    same_facts(pg_url, sato, kato)


@pytest.mark.parametrize("target", ["abe", "aoki"])
def test_a_forget_racing_a_writer_keeps_nothing_erased_and_loses_nothing_acknowledged(pg_url, target):
    """A supervisor forgets Aoki while Sato decides a note (to Abe, or to Aoki himself): the
    row of a forgotten client stops the append by client; Sato's app reads again from the first
    row (nothing erased kept in memory), the note to Abe lands, the note to Aoki is refused."""
    sato, kato = seeded(pg_url)
    sato.record(cmd.add_note, "aoki", text="SECRETEARLY before the erasure")
    by_client = sato.store.appended_by_client
    note, calls = while_deciding(sato, cmd.add_note, lambda: forget(app(pg_url, actor="boss"), "aoki"))
    if target == "abe":
        event = sato.record(note, "abe", text="written while aoki was forgotten")
        assert event.id in {msgspec.json.decode(line)["id"] for line in rows(pg_url)}
    else:
        with pytest.raises(cmd.CommandError) as refused:
            sato.record(note, "aoki", text="SECRETLATE to the forgotten")
        assert refused.value.key in ("client_forgotten", "unknown_client")  # (its id is a skeleton's now)
    # the erasure stopped the append by client; read again from the first row, decided again,
    # the note to abe then went by client
    assert len(calls) == 2 and sato.store.appended_by_client == by_client + (target == "abe")
    assert check(pg_url).problems == []
    text = b"\n".join(rows(pg_url)).decode()
    for secret in (SECRET, "SECRETNOTE", "SECRETEARLY", "SECRETLATE"):
        assert secret not in text
    dumped = snapshot.dump(sato.caseload, 0, 0, "", [])
    assert SECRET.encode() not in dumped and b"SECRETEARLY" not in dumped
    same_facts(pg_url, sato, kato)


def test_a_writer_after_a_forget_it_has_not_read_goes_by_client_only_after_reading_it(pg_url):
    """Forget commits while Sato's app is idle; Sato's next note (to Abe) reads it first (the
    read before deciding), then goes by client with Kato's note between: nothing erased kept."""
    sato, kato = seeded(pg_url)
    forget(app(pg_url, actor="boss"), "aoki")
    note, calls = while_deciding(sato, cmd.add_note, lambda: kato.record(cmd.add_note, "abe", text="k"))
    with pytest.raises(cmd.CommandError):
        sato.record(note, "aoki", text="SECRETLATE")  # (refused on the first decision: forgotten)
    event = sato.record(cmd.add_note, "abe", text="s")
    assert event.client == "abe" and sato.store.appended_by_client == 1
    assert SECRET.encode() not in snapshot.dump(sato.caseload, 0, 0, "", [])
    assert check(pg_url).problems == []
    same_facts(pg_url, sato, kato)


# -- a command that reads other clients' rows --------------------------------------------------


def test_a_name_typed_is_resolved_to_the_client_the_user_saw_when_another_registers_that_name(pg_url):
    """Sato types "Abe" (Abe Ken's only match); meanwhile Kato registers a client named exactly
    "Abe". In the serial order (and before 49cb0c5, which decided again) "Abe" is the new
    client's exact name: the note went to a client Sato never saw. Now it goes to Abe Ken, on
    whose rows it was decided. (With a prefix both match, the serial order would refuse it as
    ambiguous; this path takes it for the one the user saw.) Judged: no harm, the better answer."""
    sato, kato = seeded(pg_url)
    note, calls = while_deciding(sato, cmd.add_note,
                                 lambda: kato.record(cmd.register_client, client_id="abe2", name="Abe"))
    event = sato.record(note, "Abe", text="for Abe Ken")
    assert len(calls) == 1 and sato.store.appended_by_client == 1
    assert event.client == "abe"
    assert check(pg_url).problems == []
    same_facts(pg_url, sato, kato)


# -- roles, lock waits, a connection cut --------------------------------------------------------


def test_a_supervisor_appends_by_client_under_the_rules_and_a_counselor_never_does(office):
    """Under row-level security the database's own rules check the spliced row (its prev the
    head's link, its actor the role): a supervisor's note after a counselor's goes by client; a
    counselor (a partial view) always takes the whole path; both apps agree with a fresh open."""
    names = office["names"]
    owner = Journal.open(office["owner"], clock=FixedClock(NOW), tz=TOKYO, actor="owner", use_snapshot=False)
    owner.record(cmd.register_client, client_id="aoki", name="青木 😀 \"prev\":\"~~")
    owner.record(cmd.assign, "aoki", to=names["a"])
    owner.record(cmd.register_client, client_id="bando", name="Bando")
    owner.record(cmd.assign, "bando", to=names["b"])
    sv = Journal.open(office["s"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    ca = Journal.open(office["a"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    cb = Journal.open(office["b"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    for n in range(3):
        ca.record(cmd.add_note, "aoki", text=f"A {n} 青木")
        cb.record(cmd.add_note, "bando", text=f"B {n}")
        sv.record(cmd.add_note, "aoki" if n % 2 else "bando", text=f"S {n} \\ \"prev\":\"")
    # each after a counselor's note to the same client, not read yet: decided again, then by client
    assert sv.store.appended_by_client == 3 and sv.store.revalidated == 3
    assert ca.store.appended_by_client == 0 and cb.store.appended_by_client == 0
    assert check(office["owner"]).problems == []
    assert chain.verify(rows(office["owner"])).problems == []
    assert set(ca.caseload.clients) == {"aoki"}
    sv.refresh()
    fresh = Journal.open(office["s"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    assert snapshot.dump(sv.caseload, 0, 0, "", []) == snapshot.dump(fresh.caseload, 0, 0, "", [])


def test_a_connection_cut_while_waiting_for_the_lock_writes_nothing_and_the_app_goes_on(pg_url):
    """Sato's append waits for the table lock (psql holds it); its backend is terminated there.
    Sato hears an error, nothing of his is in the table, his app's next note goes in on a new
    connection after what others wrote, and every app agrees."""
    import psycopg

    sato, kato = seeded(pg_url)
    kato.record(cmd.add_note, "abe", text="before")
    pid = sato.store.conn.info.backend_pid
    failed: list[BaseException] = []
    with psycopg.connect(pg_url) as holder:
        holder.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")

        def write() -> None:
            try:
                sato.record(cmd.add_note, "aoki", text="cut")
            except BaseException as exc:  # noqa: BLE001 - what the user hears
                failed.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        with psycopg.connect(pg_url, autocommit=True) as probe:
            assert until(lambda: probe.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted",
                                               (pid,)).fetchone()[0] > 0)
            probe.execute("SELECT pg_terminate_backend(%s)", (pid,))
        thread.join(30)
        holder.rollback()
    assert len(failed) == 1 and isinstance(failed[0], StoreError), failed
    assert not any(b'"cut"' in line for line in rows(pg_url))
    kato.record(cmd.add_note, "abe", text="meanwhile")
    event = sato.record(cmd.add_note, "aoki", text="again")
    assert rows(pg_url)[-1] == encode(event)
    assert check(pg_url).problems == []
    same_facts(pg_url, sato, kato)


def test_a_writer_that_waits_too_long_for_the_lock_is_told_who_holds_it_and_writes_nothing(pg_url, monkeypatch):
    import psycopg

    from tui_followup.storage import pgstore

    monkeypatch.setattr(pgstore, "LOCK_WAIT_SECONDS", 1)
    sato, kato = seeded(pg_url)
    kato.record(cmd.add_note, "abe", text="between")
    with psycopg.connect(pg_url, application_name="psql-holder") as holder:
        holder.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        started = time.monotonic()
        with pytest.raises(StoreError) as held:
            sato.record(cmd.add_note, "aoki", text="waited")
        waited = time.monotonic() - started
        holder.rollback()
    assert "psql-holder" in str(held.value)
    assert waited < 5, waited  # (1 s asked: the by-client try and the whole path each wait it)
    event = sato.record(cmd.add_note, "aoki", text="later")
    assert rows(pg_url)[-1] == encode(event) and not any(b'"waited"' in line for line in rows(pg_url))
    same_facts(pg_url, sato, kato)


def test_writers_on_shared_and_own_clients_at_once_lose_nothing_and_write_nothing_twice(pg_url):
    """Three apps write at once, each to its own client and to one they share (so some appends
    go by client and some are decided again under the lock): every acknowledged event is in the
    table once, the chain and check are clean, every app's facts are a fresh open's."""
    setup = app(pg_url, actor="setup")
    for client in ("shared", "c0", "c1", "c2"):
        setup.record(cmd.register_client, client_id=client, name=f"名前 {client} 😀")
    apps = [app(pg_url, actor=f"w{n}") for n in range(3)]
    acknowledged: list[list[str]] = [[] for _ in apps]

    def write(n: int) -> None:
        for i in range(10):
            client = "shared" if i % 2 else f"c{n}"
            acknowledged[n].append(apps[n].record(cmd.add_note, client, text=f'{n} {i} "prev":"~ \\').id)

    at_once(write, 3, 120)
    ids = [msgspec.json.decode(line)["id"] for line in rows(pg_url)]
    assert len(ids) == len(set(ids)) == 4 + 30
    assert set(sum(acknowledged, [])) <= set(ids)
    assert check(pg_url).problems == []
    assert sum(a.store.appended_by_client for a in apps) > 0
    same_facts(pg_url, *apps)


def test_a_snapshot_saved_after_appends_by_client_opens_to_the_facts_of_a_fresh_read(pg_url):
    """Sato's app appends by client with Kato's rows between, then saves its snapshot in the
    database (at its offset and link hash, as the by-client path left them); an app opened from
    that snapshot, and after Kato writes again, has the facts of one that read every row."""
    sato, kato = seeded(pg_url)
    for n in range(5):
        kato.record(cmd.add_note, "abe", text=f"kato {n} 한국어")
        sato.record(cmd.add_note, "aoki", text=f"sato {n} 😀")
    assert sato.store.appended_by_client == 5
    assert sato.save_snapshot()
    kato.record(cmd.add_note, "aoki", text="after the snapshot")
    opened = Journal.open(pg_url, clock=FixedClock(NOW), tz=TOKYO, actor="sato", use_snapshot=True)
    assert opened.snapshot_count > 0  # (it started from the snapshot)
    assert snapshot.dump(opened.caseload, 0, 0, "", []) == snapshot.dump(app(pg_url).caseload, 0, 0, "", [])
    same_facts(pg_url, sato, kato, opened)


def test_random_text_around_the_link_is_stored_as_the_event_holds_it(pg_url):
    """Forty notes by client, each to a client whose id and whose note are random text from
    every plane (quotes, backslashes, tildes, combining marks, emoji; control characters are
    refused before: typed), with another app's row between each: every line as its event."""
    import random

    pick = random.Random(49)
    alphabet = ['"', "\\", "~", ":", "prev", "\u0301", "😀", "𠮷", "한", "青", "é", "a", "{", "}"]

    def text(n: int) -> str:
        return "".join(pick.choice(alphabet) for _ in range(n)) + chr(pick.randrange(0x20, 0x2FFFF)) \
            if pick.random() < 0.5 else "".join(pick.choice(alphabet) for _ in range(n))

    sato, kato = seeded(pg_url)
    written = []
    for n in range(40):
        client = "".join(ch for ch in text(6) if not ch.isspace()) or "x"
        try:
            sato.record(cmd.register_client, client_id=client, name=text(5) or "n")
            kato.record(cmd.add_note, "abe", text="between")
            written.append(sato.record(cmd.add_note, client, text=text(12) or "t"))
        except cmd.CommandError:
            continue  # (a control character, an id taken: refused, nothing written)
    assert len(written) > 20 and sato.store.appended_by_client >= len(written)
    stored = {msgspec.json.decode(line)["id"]: line for line in rows(pg_url)}
    assert all(stored[e.id] == encode(e) for e in written)
    assert check(pg_url).problems == []
    same_facts(pg_url, sato, kato)


@pytest.mark.parametrize("target", ["abe", "aoki"])
def test_a_writer_waiting_in_its_one_round_trip_while_forget_holds_the_lock(pg_url, monkeypatch, target):
    """Sato's append by client is sent and waits for the table lock that forget holds (forget
    has read the client, redacts and records the erasure); given the lock it finds the erasure
    after its read: nothing written there, his app reads again from the first row, the note to
    Abe lands after the erasure, the note to Aoki is refused; nothing erased is kept."""
    from tui_followup.storage import maintenance

    sato, kato = seeded(pg_url)
    sato.record(cmd.add_note, "aoki", text="SECRETEARLY")
    by_client = sato.store.appended_by_client
    pid = sato.store.conn.info.backend_pid
    outcome: list[object] = []
    real_resolve = maintenance.resolve_client

    def resolve_then_let_sato_queue(caseload, ref):  # forget holds the table lock here
        facts = real_resolve(caseload, ref)

        def write() -> None:
            try:
                outcome.append(sato.record(cmd.add_note, target, text="queued during forget"))
            except BaseException as exc:  # noqa: BLE001 - what the user hears
                outcome.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        outcome.append(thread)
        with PgStore(pg_url).conn as probe:
            assert until(lambda: probe.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted",
                                               (pid,)).fetchone()[0] > 0)
        return facts

    monkeypatch.setattr(maintenance, "resolve_client", resolve_then_let_sato_queue)
    forget(app(pg_url, actor="boss"), "aoki")
    outcome[0].join(30)  # type: ignore[attr-defined]
    result = outcome[1]
    if target == "abe":
        assert not isinstance(result, BaseException), result
        lines = rows(pg_url)
        assert lines[-1] == encode(result) and b'"client_forgotten"' in lines[-2]  # type: ignore[arg-type]
    else:
        assert isinstance(result, cmd.CommandError), result
    # the erasure stopped the by-client path; read again from the first row, the note to abe then went by client
    assert sato.store.appended_by_client == by_client + (target == "abe")
    assert check(pg_url).problems == []
    text = b"\n".join(rows(pg_url)).decode()
    assert SECRET not in text and "SECRETEARLY" not in text
    assert SECRET.encode() not in snapshot.dump(sato.caseload, 0, 0, "", [])
    same_facts(pg_url, sato, kato)


def test_a_supervisor_made_a_counselor_while_the_app_is_open_is_not_told_an_error_for_a_row_it_wrote(office):
    """S's app opened as a supervisor (a whole view, so it appends by client); the owner then
    makes S a counselor; B writes to B's client (which S no longer sees); S records a note to S's
    own client. Before 49cb0c5 the whole path read under the lock, found rows it could not see
    and refused before writing. The by-client path inserts (the rules let a counselor write to
    their client), then finds the gap and raises after its commit: S is told an error for a note
    that is in the table, and a second try writes it twice. Now the statement itself counts the
    rows it sees between and inserts nothing unless it sees them all."""
    import psycopg

    names = office["names"]
    sv = Journal.open(office["s"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    cb = Journal.open(office["b"], clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    cb.record(cmd.register_client, client_id="bando", name="Bando")
    sv.record(cmd.register_client, client_id="sv1", name="S's own")
    sv.record(cmd.add_note, "sv1", text="as a supervisor")
    with psycopg.connect(office["owner"], autocommit=True) as conn:
        conn.execute(f"REVOKE followup_supervisor FROM {names['s']}")
        conn.execute(f"GRANT followup_counselor TO {names['s']}")
    cb.record(cmd.add_note, "bando", text="B's, not S's to see")
    before = len(rows(office["owner"]))
    try:
        sv.record(cmd.add_note, "sv1", text="after the change")
    except StoreError:
        assert len(rows(office["owner"])) == before, "told an error, yet the note is in the table"


@pytest.mark.parametrize("encoding", ["LATIN1", "EUC_JP"])
def test_a_store_made_before_the_encoding_check_is_still_upgraded_and_used(pg_server, encoding, monkeypatch):
    """A store made in a LATIN1 or EUC_JP database before `store init` looked at the encoding
    (two migrations of its time) is upgraded as it is by the next `store init`, and works."""
    from tui_followup.storage import pgstore

    url, drop = _database(pg_server, encoding, init=False)
    try:
        with monkeypatch.context() as then:
            then.setattr(pgstore, "ENCODINGS_KEPT", pgstore.ENCODINGS_KEPT | {encoding})
            then.setattr(pgstore, "MIGRATIONS", pgstore.MIGRATIONS[:2])
            assert PgStore(url).init() == [1, 2]
        assert PgStore(url).init() == list(range(3, pgstore.SCHEMA_LATEST + 1))
        assert PgStore(url).init() == [] and PgStore(url).schema_version() == pgstore.SCHEMA_LATEST
        sato = app(url)
        sato.record(cmd.register_client, client_id="aoki", name="Aoki Hanako")
        sato.record(cmd.add_note, "aoki", text="called")
        assert check(url).problems == []
    finally:
        drop()
