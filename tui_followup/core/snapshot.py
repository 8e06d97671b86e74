"""Projection snapshots: the caseload's facts, saved beside the log so that start-up does
not replay a million events.

A snapshot is a cache, never a second source of truth. It records how far into the log it
reaches (byte offset and line count) and a hash of the bytes just before that point; it is
used only when the log still holds exactly those bytes there, and is rebuilt from the log
otherwise. Event lists are not in it: a client's events are read back from the log when a
timeline, a replay or a retraction needs them (see ``caseload.EventSource``).
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from .caseload import Caseload, ClientFacts
from .codec import Problem
from .events import (
    SCHEMA_VERSION,
    EventRetracted,
    FollowUpSnoozed,
    PromiseMade,
    SessionHeld,
)

FORMAT = 2  # bump whenever the facts or the fold change meaning
HASHED_BYTES = 65536  # the tail of the covered log that must match


class FactsRecord(msgspec.Struct, array_like=True):
    id: str
    registered: bool
    name: str
    plan: str
    channel: str
    note: str
    registered_at: datetime | None
    state: str
    state_since: datetime | None
    close_reason: str | None
    sessions: list[datetime]
    last_session: SessionHeld | None
    messages: list[datetime]
    replies: list[datetime]
    last_snooze: FollowUpSnoozed | None
    promises: list[PromiseMade]
    consents: dict[str, tuple[datetime, bool]]
    notes: int
    forgotten: bool


class Snapshot(msgspec.Struct):
    format: int
    schema: int
    offset: int  # bytes of the log covered
    lines: int  # lines of the log covered
    tail_hash: str  # sha256 of the HASHED_BYTES before offset
    count: int
    latest: datetime | None  # the latest moment any fact in it happened
    clients: list[FactsRecord]
    retracted: list[EventRetracted]
    problems: list[Problem]


_FIELDS = [f for f in FactsRecord.__struct_fields__]
_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Snapshot)


def latest_moment(caseload: Caseload) -> datetime | None:
    """The latest moment of any fact (so a view "as of" a later day can use the snapshot)."""
    moments: list[datetime] = []
    for f in caseload.clients.values():
        for xs in (f.sessions, f.messages, f.replies):
            if xs:
                moments.append(xs[-1])
        moments.extend(m for m in (f.registered_at, f.state_since) if m is not None)
        moments.extend(p.at for p in f.promises)
        moments.extend(at for at, _ in f.consents.values())
        if f.last_snooze is not None:
            moments.append(f.last_snooze.at)
        if f.events:
            moments.append(max(e.at for e in f.events))
    return max(moments) if moments else None


def dump(caseload: Caseload, offset: int, lines: int, tail_hash: str, problems: list[Problem]) -> bytes:
    records = [FactsRecord(*(getattr(f, name) for name in _FIELDS)) for f in caseload.clients.values()]
    snapshot = Snapshot(FORMAT, SCHEMA_VERSION, offset, lines, tail_hash, caseload.count,
                        latest_moment(caseload), records, list(caseload.retracted.values()), list(problems))
    return _encoder.encode(snapshot)


def load(data: bytes) -> Snapshot | None:
    """The snapshot, or None when it is unreadable or of another format or schema."""
    try:
        snapshot = _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if snapshot.format != FORMAT or snapshot.schema != SCHEMA_VERSION:
        return None
    return snapshot


def to_caseload(snapshot: Snapshot, source) -> Caseload:
    caseload = Caseload(source=source, count=snapshot.count)
    for record in snapshot.clients:
        facts = ClientFacts(**{name: getattr(record, name) for name in _FIELDS})
        facts.events_complete = False
        caseload.clients[facts.id] = facts
    caseload.retracted = {r.target: r for r in snapshot.retracted}
    return caseload
