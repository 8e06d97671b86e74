"""Projection snapshots: the caseload's facts, saved beside the log so that start-up does
not replay a million events -- and does not grow with the log.

A snapshot is a cache, never a second source of truth. It records how far into the log it
reaches (byte offset and line count) and a hash of the bytes just before that point; it is
used only when the log still holds exactly those bytes there, and is rebuilt from the log
otherwise. Event lists are not in it: a client's events are read back from the log when a
timeline, a replay or a retraction needs them (see ``caseload.EventSource``).

The file is one JSON line (the header: every client's small facts, the retractions, the
problems, and the open items of the due board with the fingerprint of the rules and the
settings they were computed with), then the clients' contact times and promises, each
client's in its own JSON run. Loading reads the header alone; a client's lists are decoded
the first time something asks for them (the audit, a status line, that client's screen),
so opening a log of a million events costs about what opening one of ten thousand does.

A server store keeps the same two parts in two columns of its snapshot row (``dump_parts``,
``load_header``): the header holds each client's lists' CRC-32, and the lists are read from the
database by parts when asked for (``RemoteLists``), each checked as it is read.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Callable

import msgspec

from ..core.caseload import STORED_FACTS, Caseload, ClientFacts, fold
from ..core.codec import Problem
from ..core.events import SCHEMA_VERSION, EventRetracted
from ..core.facts import FACTS
from ..core.moments import plain
from ..core.policy import DueBoard, DueItem

FORMAT = 9  # bump whenever the facts, the fold or the file's layout change meaning
HASHED_BYTES = 65536  # the tail of the covered log that must match
LISTS = tuple(f.name for f in FACTS if f.lazy)  # kept apart, read when asked for

# One client's facts in a snapshot, derived from the facts' declarations (core/facts.py): every
# fact that is not a long list, as its kind stores it, then where the lists are and what rows
# need of them without decoding them (last contact, sessions, contacts).
StoredFacts = msgspec.defstruct(
    "StoredFacts",
    [("id", str), *((f.name, f.stored) for f in FACTS if not f.lazy),
     ("lists_at", int), ("lists_size", int), ("summary", tuple[datetime | None, int, int])],
    array_like=True,
    module=__name__,
)


class StoredItem(msgspec.Struct, array_like=True):
    """An open item of the due board; ``why`` keeps each parameter's type (day, number, text)."""

    client: str
    name: str
    due: date
    reason: str
    kind: str
    channel: str
    basis: date | None
    ref: str
    why: list[tuple[str, list[tuple[str, str, str]]]]  # (key, [(name, "d"|"i"|"s", value)])
    missed: tuple[str, ...]
    shown_from: date | None
    shown_until: date | None


class StoredBoard(msgspec.Struct, array_like=True):
    rules: str  # fingerprint of the due rule, the policy and the time zone the items are for
    items: list[StoredItem]


class Snapshot(msgspec.Struct):
    format: int
    schema: int
    code: str  # fingerprint of the code that wrote it (the shell's code_fingerprint)
    offset: int  # bytes of the log covered
    lines: int  # lines of the log covered
    tail_hash: str  # sha256 of the HASHED_BYTES before offset
    count: int
    latest: datetime | None  # the latest moment any event in it happened
    clients: list[StoredFacts]
    retracted: list[EventRetracted]
    problems: list[Problem]
    board: StoredBoard | None
    lists_bytes: int  # what follows the header: a file cut short is not a snapshot
    # A server's snapshot (``checks=True``): each client's lists' CRC-32, in ``clients``' order,
    # for its lists are read later by parts (``RemoteLists``), each checked as it is read.
    checks: list[int] = []


# JSON, not MessagePack: msgspec writes datetimes with an offset several times faster as
# text (measured at 1M events: 0.04 s against 0.4 s), and reads them as fast.
_encoder = msgspec.json.Encoder(enc_hook=plain)  # moments kept compactly: written as the list
_decoder = msgspec.json.Decoder(Snapshot)
_lists_decoder = msgspec.json.Decoder(tuple[tuple(f.stored for f in FACTS if f.lazy)])  # type: ignore[misc]


def _item_record(item: DueItem) -> StoredItem:
    why = [(key, [(name, *_typed(value)) for name, value in params]) for key, params in item.why]
    return StoredItem(item.client, item.name, item.due, item.reason, item.kind, item.channel,
                      item.basis, item.ref, why, item.missed, item.shown_from, item.shown_until)


def _typed(value: object) -> tuple[str, str]:
    if isinstance(value, date):
        return "d", value.isoformat()
    if isinstance(value, int):
        return "i", str(value)
    return "s", str(value)


_UNTYPED = {"d": date.fromisoformat, "i": int, "s": str}


def _item(record: StoredItem) -> DueItem:
    why = tuple((key, tuple((name, _UNTYPED[kind](value)) for name, kind, value in params))
                for key, params in record.why)
    return DueItem(record.client, record.name, record.due, record.reason, record.kind,
                   record.channel, record.basis, record.ref, why, tuple(record.missed), record.shown_from,
                   record.shown_until)


def dump(caseload: Caseload, offset: int, lines: int, tail_hash: str, problems: list[Problem],
         code: str = "", board: DueBoard | None = None, rules: str = "", with_retractions: bool = True) -> bytes:
    """The snapshot file: the header line, then every client's contact times. (Also how the
    cold start's worker sends its part of the log back: without the retractions, which both
    processes decided ahead.)"""
    header, lists = dump_parts(caseload, offset, lines, tail_hash, problems, code, board, rules, with_retractions)
    return header + b"\n" + lists


def dump_parts(caseload: Caseload, offset: int, lines: int, tail_hash: str, problems: list[Problem],
               code: str = "", board: DueBoard | None = None, rules: str = "", with_retractions: bool = True,
               checks: bool = False) -> tuple[bytes, bytes]:
    """The header and the lists apart (a server keeps them in two columns: a start reads the
    header alone); ``checks``: each client's lists' CRC-32 in the header."""
    parts: list[bytes] = []
    size = 0
    stored = []
    crcs: list[int] = []
    for facts in caseload.clients.values():
        blob = facts.stored_lists()  # still as read from the last snapshot: as is
        if blob is None:
            blob = _encoder.encode(tuple(getattr(facts, name) for name in LISTS))
        stored.append(StoredFacts(*(getattr(facts, name) for name in STORED_FACTS), size, len(blob), facts.summary()))
        parts.append(blob)
        if checks:
            crcs.append(zlib.crc32(blob))
        size += len(blob)
    saved_board = None
    if board is not None and rules:
        saved_board = StoredBoard(rules, [_item_record(i) for items in board.items.values() for i in items])
    header = Snapshot(FORMAT, SCHEMA_VERSION, code, offset, lines, tail_hash, caseload.count, caseload.latest,
                      stored, list(caseload.retracted.values()) if with_retractions else [], list(problems),
                      saved_board, size, crcs)
    return _encoder.encode(header), b"".join(parts)


def load(data: bytes) -> tuple[Snapshot, memoryview] | None:
    """The header and the contact times that follow it, or None when the file is unreadable,
    cut short, or of another format or schema."""
    end = data.find(b"\n")
    if end == -1:
        return None
    try:
        snapshot = _decoder.decode(data[:end])
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if snapshot.format != FORMAT or snapshot.schema != SCHEMA_VERSION:
        return None
    lists = memoryview(data)[end + 1 :]
    if len(lists) != snapshot.lists_bytes:
        return None
    return snapshot, lists


def load_header(data: bytes) -> Snapshot | None:
    """A server snapshot's header (its lists apart, read by parts: ``RemoteLists``), or None when
    it is unreadable, of another format or schema, or without a check for each client's lists."""
    try:
        snapshot = _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if snapshot.format != FORMAT or snapshot.schema != SCHEMA_VERSION or len(snapshot.checks) != len(snapshot.clients):
        return None
    return snapshot


class _StoredLists:
    """One client's lists in the snapshot file (the core's ``ListsSource``): a slice of the
    memory-mapped file, decoded when the core first asks for them."""

    __slots__ = ("stored",)

    def __init__(self, stored: memoryview) -> None:
        self.stored = stored

    def read(self) -> dict[str, list]:
        return dict(zip(LISTS, _lists_decoder.decode(self.stored)))


class RemoteLists:
    """A server snapshot's lists, left in the database until a client's are asked for: the first
    few clients' one query each (a screen opened on one client), then all of them at once (the
    audit, a status line over every client, a snapshot saved again). Every part is checked
    against its CRC-32 in the header as it is read; one that is missing, does not match or does
    not decode is folded again from that client's rows (``rebuild``), never trusted."""

    ONE_BY_ONE = 8  # clients read one query each before the rest are read at once

    def __init__(self, fetch: Callable[[int | None, int | None], bytes | None], size: int,
                 rebuild: Callable[[str], dict[str, list]]) -> None:
        self.fetch = fetch  # fetch(at, size): that part; fetch(None, None): the whole; None if gone
        self.size = size
        self.rebuild = rebuild
        self.whole: bytes | None = None
        self.asked = 0
        self.gone = False

    def read_all(self) -> None:
        """Every client's lists in one query (kept in memory; a no-op once read)."""
        if self.whole is not None or self.gone:
            return
        whole = self.fetch(None, None)
        if whole is None or len(whole) != self.size:
            self.gone = True  # replaced or cut since it was started from: each part is rebuilt
            return
        self.whole = whole

    def part(self, at: int, size: int) -> bytes | None:
        if self.whole is None and not self.gone:
            self.asked += 1
            if self.asked > self.ONE_BY_ONE:
                self.read_all()
        if self.whole is not None:
            return self.whole[at : at + size]
        if self.gone:
            return None
        return self.fetch(at, size)


class _RemoteClientLists:
    """One client's lists in a server snapshot (the core's ``ListsSource``)."""

    __slots__ = ("lists", "client", "at", "size", "check")

    def __init__(self, lists: RemoteLists, client: str, at: int, size: int, check: int) -> None:
        self.lists, self.client, self.at, self.size, self.check = lists, client, at, size, check

    def _checked(self) -> bytes | None:
        blob = self.lists.part(self.at, self.size)
        if blob is None or len(blob) != self.size or zlib.crc32(blob) != self.check:
            return None
        return blob

    @property
    def stored(self) -> bytes:
        blob = self._checked()
        if blob is None:
            rebuilt = self.lists.rebuild(self.client)
            return _encoder.encode(tuple(rebuilt[name] for name in LISTS))
        return blob

    def read(self) -> dict[str, list]:
        blob = self._checked()
        if blob is not None:
            try:
                return dict(zip(LISTS, _lists_decoder.decode(blob)))
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass
        return self.lists.rebuild(self.client)


def to_caseload(snapshot: Snapshot, lists: memoryview | RemoteLists, source) -> Caseload:
    caseload = Caseload(source=source, count=snapshot.count, latest=snapshot.latest)
    clients = caseload.clients
    stored = ClientFacts.from_stored
    if isinstance(lists, RemoteLists):
        for record, check in zip(snapshot.clients, snapshot.checks):
            remote = _RemoteClientLists(lists, record.id, record.lists_at, record.lists_size, check)
            clients[record.id] = stored(record, remote, record.summary)
    else:
        for record in snapshot.clients:
            blob = lists[record.lists_at : record.lists_at + record.lists_size]
            clients[record.id] = stored(record, _StoredLists(blob), record.summary)
    caseload.retracted = {r.target: r for r in snapshot.retracted}
    return caseload


def rebuilt_lists(client: str, events: list, retracted: set[str]) -> dict[str, list]:
    """A client's lists folded again from its events (a snapshot's part that could not be trusted),
    ``retracted`` the events retracted as of the snapshot."""
    facts = ClientFacts(client)
    for event in events:
        fold(facts, event, type(event) is not EventRetracted and event.id not in retracted)
    return {name: getattr(facts, name) for name in LISTS}


def board_of(snapshot: Snapshot, rules: str, board: DueBoard) -> bool:
    """Fill ``board`` with the open items the snapshot kept, if they were computed by the same
    rules with the same settings (``rules``); False (board untouched) otherwise."""
    if snapshot.board is None or not rules or snapshot.board.rules != rules:
        return False
    items: dict[str, list[DueItem]] = {}
    for record in snapshot.board.items:
        items.setdefault(record.client, []).append(_item(record))
    board.items = items
    return True
