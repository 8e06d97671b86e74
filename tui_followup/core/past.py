"""A client's facts as they stood at the end of a past day, cut from today's facts.

A view of a past day is the fold of the events that happened by its end (retractions are
honoured whenever they were recorded: :func:`.caseload.happened_by`). Today's facts already
hold what that fold needs: the facts placed by their events' moments (sorted moments, events
kept in log order, the first moment of each key) are cut at the day's end, and the details set
by the latest of a few events (the registration, the lifecycle, a change, a hand-over, a
consent, a promise's latest move) are folded again from the events kept for them (each
fact's ``history``). A past day at a million events is then a matter of each client's facts
and the policy, not a read of the log.

The few facts that can be told only from the client's events (the last session's notes, the
notes, who recorded last) are folded from them when first asked for: no screen of a past day
asks for them, and the answer is the same either way (tests/core/test_past.py).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from .caseload import Caseload, ClientFacts
from .clock import end_of_day
from .events import AnyEvent
from .policy import DueItem, Policy, follow_ups


def facts_at(facts: ClientFacts, until: datetime, events: Callable[[], list[AnyEvent]],
             retracted: Container[str]) -> ClientFacts:
    """``facts`` as they stood when only the events that happened by ``until`` were folded.

    Each fact is cut from ``facts`` when first asked for (the policy asks for half of them),
    so ask before ``facts`` change. ``events()`` gives the client's events in log order
    and ``retracted`` the ids of those retracted: what the few facts not cut from today's are
    folded from, when asked for."""
    registered = facts.registered_at
    if registered is not None and registered.tzinfo is not until.tzinfo:
        # (the moments' own offset: comparing moments of two time zones asks each for its
        # offset, ten times the cost: half the time of a past day at a million events)
        until = until.astimezone(registered.tzinfo)
    then = ClientFacts.__new__(ClientFacts)
    state = then.__dict__
    state["id"] = facts.id
    state["events"] = []
    state["events_complete"] = False
    state["_past"] = (facts, until, events, retracted)  # each fact cut when asked for: ClientFacts.__getattr__
    return then


class PastClient(NamedTuple):
    """One client at the end of a past day: the items open then, and the last contact by then."""

    items: list[DueItem]
    last_contact: datetime | None


def past_client(caseload: Caseload, facts: ClientFacts, day: date, policy: Policy, tz: tzinfo) -> PastClient:
    """A client of ``caseload`` at the end of ``day``: its open items then, as the due list
    showed them that day, and its last contact by then."""
    then = facts_at(facts, end_of_day(day, tz), lambda: caseload.events_of(facts.id), caseload.retracted)
    return PastClient(follow_ups(then, policy, tz), then.last_contact)
