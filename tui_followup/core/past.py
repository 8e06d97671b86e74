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
from .facts import FACTS, Fact
from .policy import DueBoard, DueItem, Policy, follow_ups


# The facts that cut themselves (the others are folded again from one of these, or not read
# by the policy): a client none of whose differs at a moment is today's client then.
PLACED = tuple(f for f in FACTS if type(f).cut_differs is not Fact.cut_differs)
# The facts folded again from the events kept for them, by the fact that keeps them.
FOLDED_AGAIN: dict[str, tuple[Fact, ...]] = {
    name: tuple(f for f in FACTS if f.history == name) for name in dict.fromkeys(f.history for f in FACTS if f.history)}


def facts_at(facts: ClientFacts, until: datetime, events: Callable[[], list[AnyEvent]],
             retracted: Container[str]) -> ClientFacts:
    """``facts`` as they stood when only the events that happened by ``until`` were folded.

    ``events()`` gives the client's events in log order and ``retracted`` the ids of those
    retracted: what the few facts not cut from today's are folded from, when asked for."""
    registered = facts.registered_at
    if registered is not None and registered.tzinfo is not until.tzinfo:
        # (the moments' own offset: comparing moments of two time zones asks each for its
        # offset, ten times the cost: half the time of a past day at a million events)
        until = until.astimezone(registered.tzinfo)
    values = {fact.name: fact.cut(facts, until) for fact in PLACED}
    for history, group in FOLDED_AGAIN.items():
        kept = getattr(facts, history)
        if not any(event.at > until for event in kept):
            for fact in group:  # nothing of it happened after: today's values
                values[fact.name] = getattr(facts, fact.name)
            continue
        then = _Scratch()
        for fact in group:
            setattr(then, fact.name, fact.initial())
        for event in kept:  # the group folded again in one pass
            if event.at <= until:
                for fact in group:
                    if type(event) in fact.on:
                        fact.step(then, event)
        values.update(then.__dict__)
    return ClientFacts.at_past_moment(facts.id, values, until, events, retracted)


class _Scratch:
    """Where the facts kept by one history are folded again."""


class PastClient(NamedTuple):
    """One client at the end of a past day: the items open then, and the last contact by then."""

    items: list[DueItem]
    last_contact: datetime | None


def past_client(caseload: Caseload, facts: ClientFacts, day: date, policy: Policy, tz: tzinfo,
                board: DueBoard | None = None) -> PastClient:
    """A client of ``caseload`` at the end of ``day``: its open items then, as the due list
    showed them that day, and its last contact by then. ``board``: today's open items, taken
    as they are for a client nothing has happened to since (most clients, for a recent day)."""
    until = end_of_day(day, tz)
    registered = facts.registered_at
    if registered is not None and registered.tzinfo is not until.tzinfo:
        until = until.astimezone(registered.tzinfo)  # (see facts_at)
    if board is not None and facts.id in board.items and not any(f.cut_differs(facts, until) for f in PLACED):
        return PastClient(board.items[facts.id], facts.last_contact)
    then = facts_at(facts, until, lambda: caseload.events_of(facts.id), caseload.retracted)
    return PastClient(follow_ups(then, policy, tz), then.last_contact)
