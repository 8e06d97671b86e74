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

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Callable, Container, Iterable, Protocol

from .events import (
    AnyEvent,
    CaseClosed,
    CaseReopened,
    ClientPaused,
    ClientResumed,
    EventRetracted,
)
from .facts import FACT_NAMES, FACTS, LAZY, STEPS, kept_lists

ACTIVE, PAUSED, CLOSED = "active", "paused", "closed"
# What the lists say of a client erased (``forget``): their skeleton is no longer followed up,
# whatever their lifecycle stood at (see ClientFacts.shown_state).
ERASED = "erased"
_STATES = {ClientPaused: PAUSED, ClientResumed: ACTIVE, CaseReopened: ACTIVE, CaseClosed: CLOSED}


class EventSource(Protocol):
    """Reads older events back from the log (for a caseload loaded from a snapshot)."""

    def events_of(self, client_id: str) -> list[AnyEvent]: ...

    def find(self, event_id: str) -> AnyEvent | None: ...

    def find_by_ref(self, ref: str) -> list[AnyEvent]: ...


class ListsSource(Protocol):
    """Where a stored client's long lists (the facts declared ``lazy`` in facts.py) wait,
    undecoded, until something asks for one (the snapshot's is a slice of its memory-mapped
    file). The core never reads it itself: it calls ``read()`` once, on the first ask, and until
    then hands ``stored`` back as is when the caseload is saved again (``ClientFacts.stored_lists``).
    """

    stored: bytes | memoryview  # the lists as they were stored, undecoded

    def read(self) -> dict[str, list]: ...


# What a stored client carries (``ClientFacts.from_stored``): its id and every fact not declared lazy.
STORED_FACTS: tuple[str, ...] = ("id", *(f.name for f in FACTS if not f.lazy))


class ClientFacts:
    """What the log says about one client (read-only outside this module): one attribute per
    fact of :data:`.facts.FACTS`, plus the client's events when they are in memory.

    ``events_complete`` is False when the caseload came from a snapshot or a cold start:
    ``events`` then holds the tail only (the rest is read back from the log when asked for).
    """

    def __init__(self, id: str, events: list[AnyEvent] | None = None, events_complete: bool = True) -> None:
        self.id = id
        for fact in FACTS:
            setattr(self, fact.name, fact.initial())
        self.events = events if events is not None else []
        self.events_complete = events_complete

    @classmethod
    def from_stored(cls, stored: object, lists: ListsSource,
                    summary: tuple[datetime | None, int, int]) -> ClientFacts:
        """A client as storage kept it: ``stored`` has an attribute for each name of
        :data:`STORED_FACTS`; the long lists stay in ``lists`` until one is asked for, and till
        then ``summary`` -- (last contact, sessions, contacts), as :meth:`summary` gives them --
        answers for them. Its events are the ones after what was stored (``events_complete``
        False). As cheap as setting the attributes: a warm start makes one per client."""
        facts = cls.__new__(cls)
        state = facts.__dict__
        for name in STORED_FACTS:
            state[name] = getattr(stored, name)
        state["events"] = []
        state["events_complete"] = False
        state["_lists"] = lists
        state["_summary"] = summary
        return facts

    @classmethod
    def at_past_moment(cls, id: str, values: dict[str, object], until: datetime,
                       events: Callable[[], list[AnyEvent]], retracted: Container[str]) -> ClientFacts:
        """A client's facts at a past moment (``core/past.py``): ``values`` of the facts told
        from today's; the rest folded from ``events()`` (the client's, in log order: those that
        happened by ``until``, the ``retracted`` ones not standing) when first asked for."""
        facts = cls.__new__(cls)
        state = facts.__dict__
        state.update(values)
        state["id"] = id
        state["events"] = []
        state["events_complete"] = False
        state["_then"] = (until, events, retracted)
        return facts

    def stored_lists(self) -> bytes | memoryview | None:
        """The long lists exactly as they were stored (``ListsSource.stored``), when nothing has
        decoded them since; None once they have been (then they may have changed: encode them)."""
        lists = self.__dict__.get("_lists")
        return lists.stored if lists is not None else None

    def __getattr__(self, name: str):
        """Only for attributes not set: the long lists of a client made by :meth:`from_stored`
        (the facts declared ``lazy``), read from its ``ListsSource`` the first time one is asked
        for; and the facts of a past day not cut from today's (``core/past.py``), folded from
        the client's events then."""
        state = self.__dict__
        past = state.get("_then")
        if past is not None and name in FACT_NAMES:  # a past day's fact not cut from today's
            until, events, retracted = past  # (core/past.py): folded from the client's events
            folded = ClientFacts(self.id)
            for event in happened_by(events(), until):
                fold(folded, event, type(event) is not EventRetracted and event.id not in retracted)
            for fact in FACT_NAMES:
                state.setdefault(fact, getattr(folded, fact))
            return state[name]
        lists = state.get("_lists")
        if lists is None or name not in LAZY:
            raise AttributeError(name)
        state.update(kept_lists(lists.read()))
        del state["_lists"]
        state.pop("_summary", None)  # the lists may change from here on: encode them afresh
        return state[name]

    def __repr__(self) -> str:
        return f"ClientFacts({self.id!r}, {self.name!r}, {self.state})"

    # -- read off the facts -------------------------------------------------------------

    @property
    def registered(self) -> bool:
        return self.registration is not None

    @property
    def forgotten(self) -> bool:
        """Erased (``forget``): a skeleton kept for the audit, due nothing from then on."""
        return self.forgotten_at is not None

    def _detail(self, field: str, default: str = "") -> str:
        """A detail of the client: the latest change to it (client_updated) made no earlier
        than the registration that stands, else the registration's value."""
        reg = self.registration
        change = self.changes.get(field)
        if change is not None and (reg is None or change[0] >= reg.at):
            return change[1]
        return getattr(reg, field) if reg is not None else default

    @property
    def name(self) -> str:
        return self._detail("name")

    @property
    def plan(self) -> str:
        return self._detail("plan", "standard")

    @property
    def channel(self) -> str:
        return self._detail("channel", "email")

    @property
    def note(self) -> str:
        return self.registration.note if self.registration is not None else ""

    @property
    def reading(self) -> str:
        """The name's reading (フリガナ), "" when none was given."""
        return self._detail("reading")

    @property
    def importance(self) -> str:
        return self._detail("importance")

    @property
    def case(self) -> str:
        return self._detail("case")

    @property
    def language(self) -> str:
        """The language chosen for the client's messages ("" : none, see templates.language_for)."""
        return self._detail("language")

    @property
    def sort_name(self) -> str:
        """What lists sort the client by: the reading when there is one, else the name."""
        return self.reading or self.name

    @property
    def owner(self) -> str:
        """The counselor the client is assigned to: the latest assignment's, else who registered them."""
        if self.assignment is not None:
            return self.assignment.to
        return self.registration.actor if self.registration is not None else ""

    @property
    def state(self) -> str:
        return ACTIVE if self.lifecycle is None else _STATES[type(self.lifecycle)]

    @property
    def shown_state(self) -> str:
        """The state as the lists, reports and exports say it: ``erased`` for a client
        forgotten (their lifecycle was left as it stood; "active" would say they are followed
        up, and count them among the active), else :attr:`state`."""
        return ERASED if self.forgotten_at is not None else self.state

    @property
    def state_since(self) -> datetime | None:
        """When the current lifecycle state began."""
        return self.lifecycle.at if self.lifecycle is not None else None

    @property
    def close_reason(self) -> str | None:
        return self.lifecycle.reason if type(self.lifecycle) is CaseClosed else None

    @property
    def pause_until(self) -> date | None:
        """Paused: the end the client named (None: none named)."""
        return self.lifecycle.until if type(self.lifecycle) is ClientPaused else None

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
        """Every contact in either direction, as ``last_contact`` counts them: sessions, messages
        sent and replies received (a client whose last contact was a session has a contact)."""
        summary = self.__dict__.get("_summary")
        if summary is not None:
            return summary[2]
        return len(self.sessions) + len(self.messages) + len(self.replies)

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

    def consent_states(self) -> dict[str, bool]:
        """Every consent scope with whether it stands (False: withdrawn), by scope."""
        return {scope: self.consent_given(scope)
                for scope in sorted(set(self.consents) | set(self.registration.consents if self.registration else ()))}

    def consent_given(self, scope: str) -> bool:
        """Whether consent for ``scope`` stands: recorded (at registration or by consent_recorded)
        and not withdrawn since."""
        entry = self.consents.get(scope)
        reg = self.registration
        if reg is not None and scope in reg.consents and (entry is None or entry[0] < reg.at):
            return True
        return entry is not None and entry[1]


def fold(facts: ClientFacts, event: AnyEvent, standing: bool = True) -> None:
    """Add one event to a client's facts: every fact it changes (see :data:`.facts.FACTS`).
    ``standing`` False: a retracted event, or a retraction, which change only the facts
    declared ``always`` (who recorded the client's latest event)."""
    steps, always = STEPS[type(event)]
    if standing:
        for step in steps:
            step(facts, event)
    for step in always:
        step(facts, event)


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
        by_id, clients, retracted = self.by_id, self.clients, self.retracted
        applied = 0
        for event in happened_by(events, self.until):  # _apply without the retraction's own path, which it takes
            event_id = event.id
            if event_id in by_id:
                continue
            if type(event) is EventRetracted:
                self._apply(event, dirty)
                continue
            applied += 1
            by_id[event_id] = event
            facts = clients.get(event.client)
            if facts is None:
                facts = clients[event.client] = ClientFacts(event.client)
            facts.events.append(event)
            fold(facts, event, event_id not in retracted)
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
        clients, retracted, by_id = self.clients, self.retracted, self.by_id
        decided_ids = decided.ids if decided is not None else frozenset()
        fresh = set(map(_ID, events))  # the run's ids, checked all at once (the usual case: all new)
        if len(fresh) == len(events) and seen.isdisjoint(fresh):
            seen |= fresh
        else:
            events = _first_sightings(events, seen)
        events = happened_by(events, self.until)
        not_counted = 0  # counted by _apply itself
        for event in events:
            event_id = event.id
            if type(event) is EventRetracted:  # whatever its date: a view of the past honours it too
                if event_id in decided_ids:
                    facts = clients.get(event.client)
                    if facts is None:
                        facts = clients[event.client] = ClientFacts(event.client, events_complete=False)
                    fold(facts, event, standing=False)
                    by_id[event_id] = event  # retractions stay findable (few): see _apply
                    retracted.pop(event_id, None)
                else:
                    not_counted += 1
                    self.undecided += 1
                    self._apply(event, dirty, complete=False)  # not decided ahead: in order
                continue
            facts = clients.get(event.client)
            if facts is None:
                facts = clients[event.client] = ClientFacts(event.client, events_complete=False)
            fold(facts, event, event_id not in retracted)
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
        if self.until is not None and not happened_by([event], self.until):
            return None
        self.count += 1
        by_id[event_id] = event
        if self.latest is None or event.at > self.latest:
            self.latest = event.at
        facts = self.clients.get(event.client)
        if facts is None:
            facts = self.clients[event.client] = ClientFacts(event.client, events_complete=complete)
        facts.events.append(event)
        if kind is EventRetracted:
            fold(facts, event, standing=False)
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
        fold(facts, event, event_id not in self.retracted)  # (retracted before it arrived: not standing)
        return facts

    def events_of(self, client_id: str) -> list[AnyEvent]:
        """Every event of a client, in log order (read from the log when the caseload came
        from a snapshot and they are not in memory yet)."""
        facts = self.clients.get(client_id)
        if facts is None:
            return []
        if not facts.events_complete and self.source is not None:
            facts.events = happened_by(self.source.events_of(client_id), self.until)
            facts.events_complete = True
        return facts.events

    def event(self, event_id: str) -> AnyEvent | None:
        found = self.by_id.get(event_id)
        if found is None and self.source is not None:
            found = self.source.find(event_id)
        return found

    def finder(self, client_id: str, events: Iterable[AnyEvent] | None = None) -> Callable[[str], AnyEvent | None]:
        """:meth:`event` for what a client's events name (the promise a message keeps, what a
        retraction cancelled): looked up among the client's own events before the log. After
        a snapshot each look-up searched the whole log: a client's timeline at a million
        events named 25 others and took 2.5 s. ``events``: the client's, when already read."""
        own: dict[str, AnyEvent] = {}
        for event in self.events_of(client_id) if events is None else events:
            own.setdefault(event.id, event)

        def find(event_id: str) -> AnyEvent | None:
            found = self.by_id.get(event_id)
            if found is None:
                found = own.get(event_id)
            return found if found is not None else self.event(event_id)

        return find

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
            fold(fresh, event, type(event) is not EventRetracted and event.id not in self.retracted)
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
    folding both parts in order (each fact's own ``merge``, see :data:`.facts.FACTS`)."""
    merged = ClientFacts(earlier.id, events_complete=False)
    # A part handed over as stored (the cold start's second half) has its long lists read as
    # they were written: kept compactly, they would be unpacked again at once by the merge.
    stored = later.__dict__.get("_lists")
    lists = stored.read() if stored is not None else {}
    for fact in FACTS:
        name = fact.name
        value = lists[name] if name in lists else getattr(later, name)
        setattr(merged, name, fact.merge(getattr(earlier, name), value))
    return merged


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


def happened_by(events: list[AnyEvent], until: datetime | None) -> list[AnyEvent]:
    """The events a view of the past folds: those that happened no later than ``until``, and
    every retraction whatever its date (a view of the past honours an undo made since); all of
    them when ``until`` is None. The one place this rule is written: every fold path filters
    through it."""
    if until is None:
        return events
    return [e for e in events if type(e) is EventRetracted or e.at <= until]


def project(events: Iterable[AnyEvent], until: datetime | None = None) -> Caseload:
    """The caseload from scratch: the fold of every event (happened no later than ``until``)."""
    caseload = Caseload(until=until)
    caseload.apply_all(events)
    return caseload
