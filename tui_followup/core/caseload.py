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
from typing import Iterable, Protocol

from .events import (
    AnyEvent,
    CaseClosed,
    CaseReopened,
    ClientForgotten,
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


class EventSource(Protocol):
    """Reads older events back from the log (for a caseload loaded from a snapshot)."""

    def events_of(self, client_id: str) -> list[AnyEvent]: ...

    def find(self, event_id: str) -> AnyEvent | None: ...


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
    forgotten: bool = False  # personal fields erased (client_forgotten)
    events: list[AnyEvent] = field(default_factory=list)  # every event, log order
    events_complete: bool = True  # False when loaded from a snapshot: ``events`` holds the tail only

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


def _add_sorted(values: list[datetime], moment: datetime) -> None:
    if not values or moment >= values[-1]:
        values.append(moment)  # the usual case: events arrive in the order they happened
    else:
        insort(values, moment)


def _registered(facts: ClientFacts, event: ClientRegistered) -> None:
    facts.registered = True
    facts.name, facts.plan, facts.channel, facts.note = event.name, event.plan, event.channel, event.note
    if facts.registered_at is None or event.at < facts.registered_at:
        facts.registered_at = event.at


def _session(facts: ClientFacts, event: SessionHeld) -> None:
    _add_sorted(facts.sessions, event.at)
    if facts.last_session is None or event.at >= facts.last_session.at:
        facts.last_session = event


def _message(facts: ClientFacts, event: MessageSent) -> None:
    _add_sorted(facts.messages, event.at)


def _reply(facts: ClientFacts, event: ReplyReceived) -> None:
    _add_sorted(facts.replies, event.at)


def _snoozed(facts: ClientFacts, event: FollowUpSnoozed) -> None:
    if facts.last_snooze is None or event.at >= facts.last_snooze.at:
        facts.last_snooze = event


def _promise(facts: ClientFacts, event: PromiseMade) -> None:
    facts.promises.append(event)


def _note(facts: ClientFacts, event: NoteAdded) -> None:
    facts.notes += 1


def _consent(facts: ClientFacts, event: ConsentRecorded | ConsentWithdrawn) -> None:
    current = facts.consents.get(event.scope)
    if current is None or event.at >= current[0]:
        facts.consents[event.scope] = (event.at, isinstance(event, ConsentRecorded))


def _nothing(facts: ClientFacts, event: Event) -> None:
    pass


# One case per event type: the whole of what each event means for a client's facts.
_FOLD = {
    ClientRegistered: _registered,
    SessionHeld: _session,
    MessageSent: _message,
    ReplyReceived: _reply,
    FollowUpSnoozed: _snoozed,
    PromiseMade: _promise,
    ClientPaused: lambda facts, event: _set_state(facts, PAUSED, event),
    ClientResumed: lambda facts, event: _set_state(facts, ACTIVE, event),
    CaseReopened: lambda facts, event: _set_state(facts, ACTIVE, event),
    CaseClosed: lambda facts, event: _set_state(facts, CLOSED, event),
    NoteAdded: _note,
    ConsentRecorded: _consent,
    ConsentWithdrawn: _consent,
    EventRetracted: _nothing,
    ClientForgotten: lambda facts, event: setattr(facts, "forgotten", True),
}


def fold(facts: ClientFacts, event: AnyEvent) -> None:
    """Add one (not retracted) event to a client's facts."""
    _FOLD[type(event)](facts, event)


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
    # Set when the caseload was loaded from a snapshot: where the older events can be read.
    source: "EventSource | None" = None

    def apply(self, event: AnyEvent) -> ClientFacts | None:
        """Fold one event in; returns the client it changed (None if it changed nothing)."""
        dirty: set[str] = set()
        facts = self._apply(event, dirty)
        for client in dirty:
            facts = self._rebuild(client)
        return facts

    def apply_all(self, events: Iterable[AnyEvent]) -> set[str]:
        """Fold many events in; returns the ids of the clients that changed.

        The same as applying them one by one, but faster: retractions within the run are
        found first, so their targets are never folded, and a client whose earlier event is
        retracted is rebuilt once, at the end.
        """
        events = events if isinstance(events, list) else list(events)
        dirty: set[str] = set()
        retractions = [e for e in events if type(e) is EventRetracted]
        if retractions:
            self._retract_ahead(retractions, events)
        changed = {e.client for e in events}
        # The loop below is _apply, written out for speed: it runs once per event of the log.
        by_id, clients, retracted, until = self.by_id, self.clients, self.retracted, self.until
        folders = _FOLD
        applied = 0
        for event in events:
            event_id = event.id
            if event_id in by_id:
                continue
            kind = type(event)
            if kind is EventRetracted:
                self._apply(event, dirty)
                continue
            if until is not None and event.at > until:
                continue
            applied += 1
            by_id[event_id] = event
            facts = clients.get(event.client)
            if facts is None:
                facts = clients[event.client] = ClientFacts(event.client)
            facts.events.append(event)
            if event_id in retracted:
                continue
            if kind is MessageSent:
                values = facts.messages
            elif kind is ReplyReceived:
                values = facts.replies
            else:
                folders[kind](facts, event)
                continue
            moment = event.at
            if not values or moment >= values[-1]:
                values.append(moment)
            else:
                insort(values, moment)
        self.count += applied
        for client in dirty:
            self._rebuild(client)
        return changed | dirty

    def _retract_ahead(self, retractions: list[EventRetracted], events: list[AnyEvent]) -> None:
        """Mark the targets of retractions in a run that are not applied yet as retracted,
        exactly as applying the run in order would."""
        own_ids = {r.id for r in retractions}
        by_id, retracted = self.by_id, self.retracted
        in_run: set[str] | None = None
        if self.source is not None:  # older events are not all in by_id: look in the run itself
            targets = {r.target for r in retractions}
            in_run = {e.id for e in events if e.id in targets}
        for r in retractions:
            if r.id in by_id or r.target in by_id:
                continue  # seen before / its target is folded already: the ordinary path
            if in_run is not None and r.target not in in_run:
                continue  # its target is older than the run: the ordinary path rebuilds
            if r.target in own_ids or r.target in retracted:
                continue  # a retraction is not itself retracted; the first one stands
            retracted[r.target] = r

    def _apply(self, event: AnyEvent, dirty: set[str]) -> ClientFacts | None:
        by_id = self.by_id
        event_id = event.id
        if event_id in by_id:
            return None  # the same event twice counts once
        kind = type(event)
        if self.until is not None and event.at > self.until and kind is not EventRetracted:
            return None
        self.count += 1
        by_id[event_id] = event
        facts = self.clients.get(event.client)
        if facts is None:
            facts = self.clients[event.client] = ClientFacts(event.client)
        facts.events.append(event)
        if kind is EventRetracted:
            target = self.event(event.target)  # type: ignore[union-attr]
            if type(target) is EventRetracted or event.target in self.retracted:  # type: ignore[union-attr]
                return facts  # already retracted (or marked ahead), or a retraction: no effect
            self.retracted[event.target] = event  # type: ignore[union-attr,index]
            if target is not None:  # else: the target may come later in a merged log
                dirty.add(target.client)
            return facts
        if event_id in self.retracted:
            return facts  # retracted before it arrived
        _FOLD[kind](facts, event)
        return facts

    def events_of(self, client_id: str) -> list[AnyEvent]:
        """Every event of a client, in log order (read from the log when the caseload came
        from a snapshot and they are not in memory yet)."""
        facts = self.clients.get(client_id)
        if facts is None:
            return []
        if not facts.events_complete and self.source is not None:
            facts.events = self.source.events_of(client_id)
            facts.events_complete = True
        return facts.events

    def event(self, event_id: str) -> AnyEvent | None:
        found = self.by_id.get(event_id)
        if found is None and self.source is not None:
            found = self.source.find(event_id)
        return found

    def _rebuild(self, client_id: str) -> ClientFacts:
        events = self.events_of(client_id)
        old = self.clients[client_id]
        fresh = ClientFacts(client_id, events=events)
        for event in events:
            if not isinstance(event, EventRetracted) and event.id not in self.retracted:
                fold(fresh, event)
        fresh.events_complete = old.events_complete or self.source is None
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
