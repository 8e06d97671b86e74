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
from datetime import date, datetime
from operator import attrgetter
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
    PromiseKept,
    PromiseMade,
    PromiseRescheduled,
    ReplyReceived,
    SessionHeld,
)

ACTIVE, PAUSED, CLOSED = "active", "paused", "closed"
_LAZY_LISTS = frozenset({"sessions", "messages", "replies", "promises"})


class EventSource(Protocol):
    """Reads older events back from the log (for a caseload loaded from a snapshot)."""

    def events_of(self, client_id: str) -> list[AnyEvent]: ...

    def find(self, event_id: str) -> AnyEvent | None: ...

    def find_by_ref(self, ref: str) -> list[AnyEvent]: ...


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
    pause_until: date | None = None  # paused: the end the client named (None: none named)
    close_reason: str | None = None
    sessions: list[datetime] = field(default_factory=list)  # sorted
    last_session: SessionHeld | None = None
    messages: list[datetime] = field(default_factory=list)  # outbound, sorted
    replies: list[datetime] = field(default_factory=list)  # inbound, sorted
    snoozes: dict[str, FollowUpSnoozed] = field(default_factory=dict)  # item -> the latest snooze of it
    promises: list[PromiseMade] = field(default_factory=list)
    kept: dict[str, datetime] = field(default_factory=dict)  # promise id -> when it was first kept
    rescheduled: dict[str, PromiseRescheduled] = field(default_factory=dict)  # promise id -> latest
    consents: dict[str, tuple[datetime, bool]] = field(default_factory=dict)
    notes: int = 0
    forgotten: bool = False  # personal fields erased (client_forgotten)
    last_actor: str = ""  # who recorded the client's latest event in log order (the export's owner)
    events: list[AnyEvent] = field(default_factory=list)  # every event, log order
    events_complete: bool = True  # False when loaded from a snapshot: ``events`` holds the tail only

    def __getattr__(self, name: str):
        """Only for attributes not set: the contact times and promises of a client loaded from
        a snapshot, decoded the first time they are asked for (see snapshot.py)."""
        state = self.__dict__
        loader = state.get("_lists_loader")
        if loader is None or name not in _LAZY_LISTS:
            raise AttributeError(name)
        state.update(loader())
        del state["_lists_loader"]
        state.pop("_lists_blob", None)
        state.pop("_summary", None)  # the lists may change from here on: encode them afresh
        return state[name]

    @property
    def last_message(self) -> datetime | None:
        return self.messages[-1] if self.messages else None

    @property
    def last_contact(self) -> datetime | None:
        """Latest contact in either direction: a session, a message or a reply."""
        summary = self.__dict__.get("_summary")
        if summary is not None:  # lists not decoded yet: what the snapshot says of them
            return summary[0]
        candidates = [xs[-1] for xs in (self.sessions, self.messages, self.replies) if xs]
        return max(candidates) if candidates else None

    @property
    def contacts(self) -> int:
        """Messages sent plus replies received."""
        summary = self.__dict__.get("_summary")
        if summary is not None:
            return summary[2]
        return len(self.messages) + len(self.replies)

    @property
    def session_count(self) -> int:
        summary = self.__dict__.get("_summary")
        if summary is not None:
            return summary[1]
        return len(self.sessions)

    def summary(self) -> tuple[datetime | None, int, int]:
        """(last contact, sessions, contacts): what lists shown in a row need of a client."""
        return self.last_contact, self.session_count, self.contacts

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
    if event.keeps:
        _keep(facts, event.keeps, event.at)


def _keep(facts: ClientFacts, promise: str, moment: datetime) -> None:
    first = facts.kept.get(promise)
    if first is None or moment < first:
        facts.kept[promise] = moment


def _kept(facts: ClientFacts, event: PromiseKept) -> None:
    _keep(facts, event.promise, event.at)


def _rescheduled(facts: ClientFacts, event: PromiseRescheduled) -> None:
    current = facts.rescheduled.get(event.promise)
    if current is None or event.at >= current.at:
        facts.rescheduled[event.promise] = event


def _reply(facts: ClientFacts, event: ReplyReceived) -> None:
    _add_sorted(facts.replies, event.at)


def _snoozed(facts: ClientFacts, event: FollowUpSnoozed) -> None:
    current = facts.snoozes.get(event.item)
    if current is None or event.at >= current.at:
        facts.snoozes[event.item] = event


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
    PromiseKept: _kept,
    PromiseRescheduled: _rescheduled,
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
    facts.pause_until = event.until if isinstance(event, ClientPaused) else None


@dataclass
class Caseload:
    """Every client's facts, plus what is needed to apply retractions."""

    clients: dict[str, ClientFacts] = field(default_factory=dict)
    retracted: dict[str, EventRetracted] = field(default_factory=dict)  # target id -> retraction
    by_id: dict[str, AnyEvent] = field(default_factory=dict)
    count: int = 0  # events applied
    until: datetime | None = None  # events that happened after this are left out
    latest: datetime | None = None  # the latest moment of any event read (for snapshots)
    undecided: int = 0  # retractions fold_facts met that were not decided ahead
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
        if not events:
            return set()
        self._note_latest(events)
        dirty: set[str] = set()
        retractions = [e for e in events if type(e) is EventRetracted]
        if retractions:
            self._retract_ahead(retractions, events, self.by_id)
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
            facts.last_actor = event.actor
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
            if kind is MessageSent and event.keeps:
                _keep(facts, event.keeps, moment)
        self.count += applied
        for client in dirty:
            self._rebuild(client)
        return {e.client for e in events} | dirty

    def fold_facts(self, events: list[AnyEvent], seen: set[str], decided: Retractions | None = None) -> set[str]:
        """Fold a run of events into the facts alone, keeping neither the events nor an index
        of them (the cold start of a big log: a client's events are read back from
        ``source`` when a screen needs them, as after a snapshot).

        The same fold as :meth:`apply_all`. ``seen`` holds the ids folded so far (the same
        event twice counts once). With the retractions of the whole log ``decided`` ahead
        (and ``retracted`` filled with the standing ones), no retracted event is folded; a
        retraction not among them is applied in order (and counted in ``undecided``).
        Returns the clients an earlier event of which such a retraction retracted, *not yet
        rebuilt*.
        """
        if not events:
            return set()
        self._note_latest(events)
        dirty: set[str] = set()
        clients, retracted, folders, by_id, until = self.clients, self.retracted, _FOLD, self.by_id, self.until
        decided_ids = decided.ids if decided is not None else frozenset()
        fresh = set(map(_ID, events))  # the run's ids, checked all at once (the usual case: all new)
        if len(fresh) == len(events) and seen.isdisjoint(fresh):
            seen |= fresh
        else:
            events = _first_sightings(events, seen)
        not_counted = 0  # counted by _apply itself, or left out as later than ``until``
        for event in events:
            event_id = event.id
            kind = type(event)
            if kind is EventRetracted:  # whatever its date: a view of the past honours it too
                if event_id in decided_ids:
                    if event.client not in clients:
                        clients[event.client] = ClientFacts(event.client, events_complete=False)
                    clients[event.client].last_actor = event.actor
                    by_id[event_id] = event  # retractions stay findable (few): see _apply
                    retracted.pop(event_id, None)
                else:
                    not_counted += 1
                    self.undecided += 1
                    self._apply(event, dirty, complete=False)  # not decided ahead: in order
                continue
            if until is not None and event.at > until:
                not_counted += 1
                continue
            facts = clients.get(event.client)
            if facts is None:
                facts = clients[event.client] = ClientFacts(event.client, events_complete=False)
            facts.last_actor = event.actor
            if kind is MessageSent:
                values = facts.messages
            elif kind is ReplyReceived:
                values = facts.replies
            else:
                if event_id not in retracted:
                    folders[kind](facts, event)
                continue
            if event_id in retracted:
                continue
            moment = event.at  # _message and _reply, written out as in apply_all
            if not values or moment >= values[-1]:
                values.append(moment)
            else:
                insort(values, moment)
            if kind is MessageSent and event.keeps:
                _keep(facts, event.keeps, moment)
        self.count += len(events) - not_counted
        return dirty

    def _note_latest(self, events: list[AnyEvent]) -> None:
        latest = max(map(_AT, events))
        if self.latest is None or latest > self.latest:
            self.latest = latest

    def _retract_ahead(self, retractions: list[EventRetracted], events: list[AnyEvent],
                       index: dict[str, AnyEvent]) -> None:
        """Mark the targets of retractions in a run that are not applied yet as retracted,
        exactly as applying the run in order would."""
        own_ids = {r.id for r in retractions}
        retracted = self.retracted
        in_run: set[str] | None = None
        if self.source is not None:  # older events are not all in memory: look in the run itself
            targets = {r.target for r in retractions}
            in_run = {e.id for e in events if e.id in targets}
        for r in retractions:
            if r.id in index or r.target in index:
                continue  # seen before / its target is folded already: the ordinary path
            if in_run is not None and r.target not in in_run:
                continue  # its target is older than the run: the ordinary path rebuilds
            if r.target in own_ids or r.target in retracted:
                continue  # a retraction is not itself retracted; the first one stands
            retracted[r.target] = r

    def _apply(self, event: AnyEvent, dirty: set[str], complete: bool = True) -> ClientFacts | None:
        by_id = self.by_id
        event_id = event.id
        if event_id in by_id:
            return None  # the same event twice counts once
        kind = type(event)
        if self.until is not None and event.at > self.until and kind is not EventRetracted:
            return None
        self.count += 1
        by_id[event_id] = event
        if self.latest is None or event.at > self.latest:
            self.latest = event.at
        facts = self.clients.get(event.client)
        if facts is None:
            facts = self.clients[event.client] = ClientFacts(event.client, events_complete=complete)
        facts.events.append(event)
        facts.last_actor = event.actor
        if kind is EventRetracted:
            # A retraction is never itself retracted: one named by an earlier retraction (in
            # a merged log) takes effect all the same, and that earlier one has none.
            self.retracted.pop(event_id, None)
            if event.target in self.retracted:  # type: ignore[union-attr]
                return facts  # already retracted (or marked ahead): the first one stands
            target = self.event(event.target)  # type: ignore[union-attr]
            if type(target) is EventRetracted:
                return facts  # a retraction: no effect
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
            events = self.source.events_of(client_id)
            if self.until is not None:  # a view of the past: what had happened by then
                until = self.until
                events = [e for e in events if type(e) is EventRetracted or e.at <= until]
            facts.events = events
            facts.events_complete = True
        return facts.events

    def event(self, event_id: str) -> AnyEvent | None:
        found = self.by_id.get(event_id)
        if found is None and self.source is not None:
            found = self.source.find(event_id)
        return found

    def events_by_ref(self, ref: str) -> list[AnyEvent]:
        """The events whose id starts or ends with ``ref`` (in memory, and in the log when
        the caseload came from a snapshot or a cold start), each once."""
        found = {eid: e for eid, e in self.by_id.items() if eid.startswith(ref) or eid.endswith(ref)}
        if self.source is not None:
            for e in self.source.find_by_ref(ref):
                found.setdefault(e.id, e)
        return list(found.values())

    def _rebuild(self, client_id: str) -> ClientFacts:
        events = self.events_of(client_id)
        old = self.clients[client_id]
        fresh = ClientFacts(client_id, events=events)
        for event in events:
            if not isinstance(event, EventRetracted) and event.id not in self.retracted:
                fold(fresh, event)
        fresh.events_complete = old.events_complete or self.source is None
        fresh.last_actor = old.last_actor  # the same events, retracted or not
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


_AT = attrgetter("at")
_ID = attrgetter("id")


def _first_sightings(events: list[AnyEvent], seen: set[str]) -> list[AnyEvent]:
    """The events of a run whose id was not seen before (the first of a repeated line), in
    order; their ids are added to ``seen``."""
    first = []
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            first.append(event)
    return first


@dataclass(frozen=True)
class Retractions:
    """The retractions of a whole log, decided before folding it (see :func:`decide`)."""

    standing: dict[str, EventRetracted]  # target id -> the retraction that takes effect
    ids: frozenset[str]  # every retraction decided on, standing or not


def decide_retractions(retractions: Iterable[EventRetracted]) -> Retractions:
    """Which retractions of a whole log take effect, by target: the first of each target in
    log order; one that names another retraction has none (a retraction is not retracted).
    Folding the log with ``retracted`` filled from this ahead gives the same facts as
    folding it in order, without ever folding a retracted event (so no client is rebuilt)."""
    retractions = list(retractions)
    ids = frozenset(r.id for r in retractions)
    seen: set[str] = set()
    standing: dict[str, EventRetracted] = {}
    for r in retractions:
        if r.id in seen:
            continue  # the same retraction twice counts once
        seen.add(r.id)
        if r.target not in ids and r.target not in standing:
            standing[r.target] = r
    return Retractions(standing, ids)


def merge_facts(earlier: ClientFacts, later: ClientFacts) -> ClientFacts:
    """One client's facts from two consecutive parts of the log folded apart: the same as
    folding both parts in order (each rule below is the one of the fold it mirrors)."""
    merged = ClientFacts(earlier.id, events_complete=False)
    merged.registered = earlier.registered or later.registered
    newer = later if later.registered else earlier  # the latest registration's details stand
    merged.name, merged.plan, merged.channel, merged.note = newer.name, newer.plan, newer.channel, newer.note
    starts = [m for m in (earlier.registered_at, later.registered_at) if m is not None]
    merged.registered_at = min(starts) if starts else None
    # The latest-dated lifecycle event stands; on a tie, the later one in the log.
    lifecycle = later if later.state_since is not None and (
        earlier.state_since is None or later.state_since >= earlier.state_since) else earlier
    merged.state, merged.state_since = lifecycle.state, lifecycle.state_since
    merged.close_reason, merged.pause_until = lifecycle.close_reason, lifecycle.pause_until
    merged.sessions = _merged(earlier.sessions, later.sessions)
    merged.messages = _merged(earlier.messages, later.messages)
    merged.replies = _merged(earlier.replies, later.replies)
    merged.last_session = _latest(earlier.last_session, later.last_session)
    merged.snoozes = {item: _latest(earlier.snoozes.get(item), later.snoozes.get(item))
                      for item in {**earlier.snoozes, **later.snoozes}}
    merged.promises = earlier.promises + later.promises
    merged.kept = dict(earlier.kept)
    for promise, moment in later.kept.items():
        _keep(merged, promise, moment)
    merged.rescheduled = {promise: _latest(earlier.rescheduled.get(promise), later.rescheduled.get(promise))
                          for promise in {**earlier.rescheduled, **later.rescheduled}}
    merged.consents = dict(earlier.consents)
    for scope, (moment, given) in later.consents.items():
        current = merged.consents.get(scope)
        if current is None or moment >= current[0]:
            merged.consents[scope] = (moment, given)
    merged.notes = earlier.notes + later.notes
    merged.forgotten = earlier.forgotten or later.forgotten
    merged.last_actor = later.last_actor or earlier.last_actor
    return merged


def _merged(earlier: list[datetime], later: list[datetime]) -> list[datetime]:
    if not later:
        return earlier
    if not earlier or earlier[-1] <= later[0]:
        return earlier + later
    return sorted(earlier + later)  # two sorted runs: merged in linear time, in C


def _latest(earlier, later):
    if later is not None and (earlier is None or later.at >= earlier.at):
        return later
    return earlier


def merge_caseloads(earlier: Caseload, later: Caseload) -> Caseload:
    """The facts of two consecutive parts of a log folded apart (facts only, no shared event
    id, ``retracted`` filled ahead the same way for both) as one caseload."""
    merged = Caseload(source=earlier.source, count=earlier.count + later.count, until=earlier.until)
    merged.retracted = {**earlier.retracted, **later.retracted}
    moments = [m for m in (earlier.latest, later.latest) if m is not None]
    merged.latest = max(moments) if moments else None
    clients = merged.clients
    for client_id, facts in earlier.clients.items():
        other = later.clients.get(client_id)
        clients[client_id] = facts if other is None else merge_facts(facts, other)
    for client_id, facts in later.clients.items():
        if client_id not in clients:
            clients[client_id] = facts
    return merged


def project(events: Iterable[AnyEvent], until: datetime | None = None) -> Caseload:
    """The caseload from scratch: the fold of every event (happened no later than ``until``)."""
    caseload = Caseload(until=until)
    caseload.apply_all(events)
    return caseload
