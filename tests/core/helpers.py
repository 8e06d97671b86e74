"""Building events for tests in a few words."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tui_followup.core import events as ev
from tui_followup.core.caseload import project
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import DueBoard, DueItem, follow_ups

TOKYO = ZoneInfo("Asia/Tokyo")


def due_list(caseload, as_of: date, policy, tz, days: int = 0) -> list[DueItem]:
    """Every item due on or before ``as_of`` (+ ``days``) of a board built afresh from the
    caseload: what an app kept in step with the log must show (the tests' reference)."""
    board = DueBoard(policy, tz)
    board.rebuild(caseload)
    return board.due(as_of, days)
_ids = itertools.count(1)


def at(text: str) -> datetime:
    """'2026-11-01 10:00' (Tokyo time) or '2026-11-01' (noon)."""
    if len(text) == 10:
        text += " 12:00"
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def d(text: str) -> date:
    return date.fromisoformat(text)


def make(kind: type, when: str, client: str = "c1", **fields):
    moment = at(when)
    return kind(id=f"e{next(_ids):06d}", at=moment, recorded_at=moment, actor="t",
                client=client, **fields)


def register(client: str = "c1", name: str = "Aoki", when: str = "2026-10-01", **fields):
    return make(ev.ClientRegistered, when, client, name=name, **fields)


def session(when: str, client: str = "c1", **fields):
    return make(ev.SessionHeld, when, client, **fields)


def message(when: str, client: str = "c1", channel: str = "email", **fields):
    return make(ev.MessageSent, when, client, channel=channel, **fields)


def reply(when: str, client: str = "c1", **fields):
    return make(ev.ReplyReceived, when, client, **fields)


def items_on(events, day: str, client: str = "c1", days: int = 0):
    """The due items of one client on a day, as (label, due, overdue days)."""
    caseload = project(events)
    as_of = d(day)
    return [
        (i.reason, i.due.isoformat(), i.overdue_days(as_of))
        for i in due_list(caseload, as_of, DEFAULT_POLICY, TOKYO, days)
        if i.client == client
    ]


def open_items(events, client: str = "c1", day: str | None = None, policy=DEFAULT_POLICY):
    """The client's open items as (label, due) as of ``day`` (default: the day of the latest
    event, as the practitioner sees them right after recording it), whatever their due date."""
    caseload = project(events)
    facts = caseload.get(client)
    as_of = d(day) if day else max(e.at for e in events).astimezone(TOKYO).date()
    return sorted((i.reason, i.due.isoformat()) for i in follow_ups(facts, policy, TOKYO) if i.shown_on(as_of))


def due_on(events, day: str, client: str = "c1", policy=DEFAULT_POLICY):
    """The client's items due on or before ``day``, in full (label, kind, due, overdue, missed)."""
    as_of = d(day)
    return [(i.reason, i.kind, i.due.isoformat(), i.overdue_days(as_of), list(i.missed))
            for i in due_list(project(events), as_of, policy, TOKYO) if i.client == client]
