"""The caseload projection: a fold of the log into what is known about each client.

``Caseload.apply(event)`` is the only place events change state. Applying events one by
one gives exactly the state that :func:`project` builds from scratch, which the property
tests hold it to. A retraction rebuilds the one client it concerns from that client's own
events, so a retracted event counts as if it never happened, everywhere.

The facts kept per client do not depend on the order in which events were *recorded*:
a back-dated session is placed by its ``at``; the lifecycle (active, paused, closed) is the
one set by the latest-dated pause, resume, close or reopen.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from .events import (
    AnyEvent,
    CaseClosed,
    CaseReopened,
    ClientPaused,
    ClientRegistered,
    ClientResumed,
    ConsentRecorded,
    ConsentWithdrawn,
    Event,
    EventRetracted,
    FollowUpSnoozed,
    MessageSent,
    NoteAdded,
    PromiseMade,
    ReplyReceived,
    SessionHeld,
)

ACTIVE, PAUSED, CLOSED = "active", "paused", "closed"


@dataclass
class ClientFacts:
    """What the log says about one client (read-only outside this module)."""

    id: str
    registered: bool = False
    name: str = ""
    plan: str = "standard"
    channel: str = "email"
    note: str = ""
    registered_at: datetime | None = None
    state: str = ACTIVE
    state_since: datetime | None = None  # when the current lifecycle state began
    close_reason: str | None = None
    sessions: list[datetime] = field(default_factory=list)  # sorted
    last_session: SessionHeld | None = None
    messages: list[datetime] = field(default_factory=list)  # outbound, sorted
    replies: list[datetime] = field(default_factory=list)  # inbound, sorted
    last_snooze: FollowUpSnoozed | None = None
    promises: list[PromiseMade] = field(default_factory=list)
    consents: dict[str, tuple[datetime, bool]] = field(default_factory=dict)
    notes: int = 0
    events: list[AnyEvent] = field(default_factory=list)  # every event, log order

    @property
    def last_message(self) -> datetime | None:
        return self.messages[-1] if self.messages else None

    @property
    def last_contact(self) -> datetime | None:
        """Latest contact in either direction: a session, a message or a reply."""
        candidates = [xs[-1] for xs in (self.sessions, self.messages, self.replies) if xs]
        return max(candidates) if candidates else None

    @property
    def contacts(self) -> int:
        """Messages sent plus replies received."""
        return len(self.messages) + len(self.replies)

    def consent_withdrawn(self, scope: str) -> bool:
        entry = self.consents.get(scope)
        return entry is not None and not entry[1]


def fold(facts: ClientFacts, event: AnyEvent) -> None:
    """Add one (not retracted) event to a client's facts."""
    match event:
        case ClientRegistered():
            facts.registered = True
            facts.name, facts.plan, facts.channel, facts.note = (
                event.name,
                event.plan,
                event.channel,
                event.note,
            )
            if facts.registered_at is None or event.at < facts.registered_at:
                facts.registered_at = event.at
        case SessionHeld():
            insort(facts.sessions, event.at)
            if facts.last_session is None or event.at >= facts.last_session.at:
                facts.last_session = event
        case MessageSent():
            insort(facts.messages, event.at)
        case ReplyReceived():
            insort(facts.replies, event.at)
        case FollowUpSnoozed():
            if facts.last_snooze is None or event.at >= facts.last_snooze.at:
                facts.last_snooze = event
        case PromiseMade():
            facts.promises.append(event)
        case ClientPaused():
            _set_state(facts, PAUSED, event)
        case ClientResumed() | CaseReopened():
            _set_state(facts, ACTIVE, event)
        case CaseClosed():
            _set_state(facts, CLOSED, event)
        case NoteAdded():
            facts.notes += 1
        case ConsentRecorded() | ConsentWithdrawn():
            granted = isinstance(event, ConsentRecorded)
            current = facts.consents.get(event.scope)
            if current is None or event.at >= current[0]:
                facts.consents[event.scope] = (event.at, granted)
        case EventRetracted():
            pass


def _set_state(facts: ClientFacts, state: str, event: Event) -> None:
    if facts.state_since is not None and event.at < facts.state_since:
        return  # an older lifecycle event, recorded late: the later one stands
    facts.state = state
    facts.state_since = event.at
    facts.close_reason = event.reason if isinstance(event, CaseClosed) else None


@dataclass
class Caseload:
    """Every client's facts, plus what is needed to apply retractions."""

    clients: dict[str, ClientFacts] = field(default_factory=dict)
    retracted: dict[str, EventRetracted] = field(default_factory=dict)  # target id -> retraction
    by_id: dict[str, AnyEvent] = field(default_factory=dict)
    count: int = 0  # events applied
    until: datetime | None = None  # events that happened after this are left out

    def apply(self, event: AnyEvent) -> ClientFacts | None:
        """Fold one event in; returns the client it changed (None if it changed nothing)."""
        if event.id in self.by_id:
            return None  # the same event twice counts once
        if self.until is not None and event.at > self.until and not isinstance(
            event, EventRetracted
        ):
            return None
        self.count += 1
        self.by_id[event.id] = event
        facts = self.clients.get(event.client)
        if facts is None:
            facts = self.clients[event.client] = ClientFacts(event.client)
        facts.events.append(event)
        if isinstance(event, EventRetracted):
            target = self.by_id.get(event.target)
            if target is None and event.target not in self.retracted:
                # The target may come later in a merged log; remember the retraction.
                self.retracted[event.target] = event
                return facts
            if isinstance(target, EventRetracted) or event.target in self.retracted:
                return facts  # a retraction is not itself retracted; the first one stands
            self.retracted[event.target] = event
            return self._rebuild(target.client if target else event.client)
        if event.id in self.retracted:
            return facts  # retracted before it arrived
        fold(facts, event)
        return facts

    def apply_all(self, events: Iterable[AnyEvent]) -> None:
        for event in events:
            self.apply(event)

    def _rebuild(self, client_id: str) -> ClientFacts:
        old = self.clients[client_id]
        fresh = ClientFacts(client_id, events=old.events)
        for event in old.events:
            if not isinstance(event, EventRetracted) and event.id not in self.retracted:
                fold(fresh, event)
        self.clients[client_id] = fresh
        return fresh

    def is_retracted(self, event_id: str) -> bool:
        return event_id in self.retracted

    def registered(self) -> list[ClientFacts]:
        """Clients whose registration stands, in registration order."""
        return [c for c in self.clients.values() if c.registered]

    def get(self, client_id: str) -> ClientFacts | None:
        facts = self.clients.get(client_id)
        return facts if facts is not None and facts.registered else None


def project(events: Iterable[AnyEvent], until: datetime | None = None) -> Caseload:
    """The caseload from scratch: the fold of every event (happened no later than ``until``)."""
    caseload = Caseload(until=until)
    caseload.apply_all(events)
    return caseload
