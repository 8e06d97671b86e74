"""Attacks on the server store's append by client (``PgStore._stream_append``, commit 49cb0c5):
one event of a client goes in one round trip wherever the table ends, its ``prev`` put there by
the server, without deciding the command again when only other clients were written to. Each
test tries to make it lose an acknowledged event, push one the serial order refuses, break the
chain, or keep something erased, on a real server."""

from __future__ import annotations

import secrets
from datetime import datetime

import msgspec
import pytest

from tui_followup.core import chain
from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.codec import encode
from tui_followup.storage import snapshot
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import check
from tui_followup.storage.pgstore import PgStore

from ..core.helpers import TOKYO

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


@pytest.fixture
def ascii_url(pg_server):
    """A store in a database created SQL_ASCII (initdb's default under the C locale, where
    PostgreSQL counts bytes, not characters), initialised as `followup store init`."""
    import psycopg

    name = f"a_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    url = pg_server.rsplit("/", 1)[0] + f"/{name}" + ("?" + pg_server.split("?", 1)[1] if "?" in pg_server else "")
    store = PgStore(url)
    store.init()
    store.close()
    yield url
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


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
    # (check itself reports head_changed on such a database, before 49cb0c5 too: psycopg reads
    # the head's text as bytes there; left alone here)
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
