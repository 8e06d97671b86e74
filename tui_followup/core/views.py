"""What scripts read: the JSON rows of ``due``, ``status`` and ``history``, as Structs.

The keys are a public interface (README, "JSON shapes"): a key is added, never renamed or
removed. Each view is built from the core's own values by one function, so the command line
holds no JSON of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from .events import ENVELOPE_FIELDS, AnyEvent, tag_of
from .history import Step
from .policy import DueItem
from .status import ClientStatus


class DueView(msgspec.Struct):
    client: str
    name: str
    due: date
    reason: str
    kind: str
    overdue_days: int
    channel: str
    detail: str
    missed: list[str]
    ref: str
    owner: str


def due_view(item: DueItem, as_of: date, owner: str) -> DueView:
    return DueView(item.client, item.name, item.due, item.reason, item.kind, item.overdue_days(as_of),
                   item.channel, item.detail, list(item.missed), item.ref, owner)


class StatusView(msgspec.Struct):
    client: str
    name: str
    state: str
    plan: str
    channel: str
    last_contact: date | None
    next_due: date | None
    next_reason: str | None
    next_detail: str | None
    sessions: int
    contacts: int
    close_reason: str | None
    consents: dict[str, bool]
    reading: str
    importance: str
    case: str
    language: str
    owner: str
    last_from_them: date | None = None  # their latest session or reply
    last_from_you: date | None = None  # your latest message (last_contact: the later of the two)
    ahead: list[AheadView] = []  # what comes next: checkpoints with their windows, the question, appointments


class AheadView(msgspec.Struct):
    kind: str
    reason: str
    due: date
    window_opens: date | None  # the first day it is the client's item (None: already)
    detail: str


def status_view(row: ClientStatus, owner: str) -> StatusView:
    return StatusView(row.client, row.name, row.state, row.plan, row.channel, row.last_contact, row.next_due,
                      row.next_reason, row.next_detail, row.sessions, row.contacts, row.close_reason, row.consents,
                      row.reading, row.importance, row.case, row.language, owner, row.last_from_them,
                      row.last_from_you, [AheadView(i.kind, i.reason, i.due, i.shown_from, i.detail) for i in row.ahead])


def event_fields(event: AnyEvent) -> dict[str, Any]:
    """An event's own fields, without the envelope every event carries."""
    raw = msgspec.to_builtins(event)
    for key in (*ENVELOPE_FIELDS, "type"):
        raw.pop(key, None)
    return raw


class HistoryView(msgspec.Struct):
    id: str
    type: str
    at: str
    recorded_at: str
    actor: str
    fields: dict[str, Any]
    retracted: bool
    retraction_reason: str | None
    state: str
    next_due: date | None
    next_reason: str | None


def history_view(step: Step) -> HistoryView:
    e = step.event
    return HistoryView(e.id, tag_of(e), e.at.isoformat(), e.recorded_at.isoformat(), e.actor, event_fields(e),
                       step.retracted_by is not None, step.retracted_by.reason if step.retracted_by else None,
                       step.state, step.next.due if step.next else None, step.next.reason if step.next else None)
