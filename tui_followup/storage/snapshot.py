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
"""

from __future__ import annotations

from datetime import date, datetime
import msgspec

from ..core.caseload import STORED_FACTS, Caseload, ClientFacts
from ..core.codec import Problem
from ..core.events import SCHEMA_VERSION, EventRetracted
from ..core.facts import FACTS
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


# JSON, not MessagePack: msgspec writes datetimes with an offset several times faster as
# text (measured at 1M events: 0.04 s against 0.4 s), and reads them as fast.
_encoder = msgspec.json.Encoder()
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
    parts: list[bytes] = []
    size = 0
    stored = []
    for facts in caseload.clients.values():
        blob = facts.stored_lists()  # still as read from the last snapshot: as is
        if blob is None:
            blob = _encoder.encode(tuple(getattr(facts, name) for name in LISTS))
        stored.append(StoredFacts(*(getattr(facts, name) for name in STORED_FACTS), size, len(blob), facts.summary()))
        parts.append(blob)
        size += len(blob)
    saved_board = None
    if board is not None and rules:
        saved_board = StoredBoard(rules, [_item_record(i) for items in board.items.values() for i in items])
    header = Snapshot(FORMAT, SCHEMA_VERSION, code, offset, lines, tail_hash, caseload.count, caseload.latest,
                      stored, list(caseload.retracted.values()) if with_retractions else [], list(problems),
                      saved_board, size)
    return _encoder.encode(header) + b"\n" + b"".join(parts)


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


class _StoredLists:
    """One client's lists in the snapshot file (the core's ``ListsSource``): a slice of the
    memory-mapped file, decoded when the core first asks for them."""

    __slots__ = ("stored",)

    def __init__(self, stored: memoryview) -> None:
        self.stored = stored

    def read(self) -> dict[str, list]:
        return dict(zip(LISTS, _lists_decoder.decode(self.stored)))


def to_caseload(snapshot: Snapshot, lists: memoryview, source) -> Caseload:
    caseload = Caseload(source=source, count=snapshot.count, latest=snapshot.latest)
    clients = caseload.clients
    stored = ClientFacts.from_stored
    for record in snapshot.clients:
        blob = lists[record.lists_at : record.lists_at + record.lists_size]
        clients[record.id] = stored(record, _StoredLists(blob), record.summary)
    caseload.retracted = {r.target: r for r in snapshot.retracted}
    return caseload


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
