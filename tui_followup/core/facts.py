"""What the log says about one client: each fact declared once.

A fact is declared by its name, the event types that change it, and its *kind*, which says
three things at once: how an event changes it (``step``), how the facts of two consecutive
parts of the log folded apart combine (``merge``: the two-process cold start), and what type
it is stored as in the snapshot (``stored``). The sequential fold (:mod:`.caseload`), the
two-process merge and the snapshot's layout (``storage/snapshot.py``) are all derived from
:data:`FACTS`; adding a fact is adding one line there.

Every kind is order-independent where the log is: a value placed by ``at`` (a session entered
late counts on its day) merges the same whichever part it was folded in.
"""

from __future__ import annotations

from bisect import insort
from datetime import datetime
from typing import Any, Callable

from .events import (
    EVENT_TYPES,
    AnyEvent,
    AppointmentBooked,
    AppointmentCancelled,
    CaseClosed,
    CaseReopened,
    ClientAssigned,
    ClientForgotten,
    ClientPaused,
    ClientRegistered,
    ClientResumed,
    ClientUpdated,
    ConsentRecorded,
    ConsentWithdrawn,
    Event,
    FeedbackReceived,
    FollowUpSnoozed,
    MessageSent,
    NoteAdded,
    PromiseKept,
    PromiseMade,
    PromiseRescheduled,
    ReplyReceived,
    SessionHeld,
    SessionMissed,
)
from .moments import MarkList, MomentList, compact, compact_marks, index_right, marks_index_right


def _at(value: Any) -> datetime:
    return value.at


class Fact:
    """A fact of a client: its name, the events that change it, and its kind (a subclass)."""

    stored: Any = object  # the type it is stored as in a snapshot

    def __init__(self, name: str, on: tuple[type, ...], lazy: bool = False, always: bool = False,
                 history: str | None = None) -> None:
        self.name, self.on = name, on
        self.lazy = lazy  # kept apart in the snapshot, decoded when first asked for (long lists)
        self.always = always  # changed by retracted events and retractions too (who recorded what)
        # The fact (an :class:`Every`) that keeps every event of this one, in log order: the
        # value at a past moment is folded again from those that happened by then (core/past.py).
        self.history = history

    def initial(self) -> Any:
        return None

    def cut(self, facts: Any, until: datetime) -> Any:  # pragma: no cover - see cut_differs
        """The value this fact had when only the events that happened by ``until`` were folded
        (a view of a past day), told from today's ``facts``: for the kinds placed by an
        event's moment, which override this and :meth:`cut_differs`. The others are folded
        again from their ``history``, or from the client's events (core/past.py)."""
        raise NotImplementedError

    def cut_differs(self, facts: Any, until: datetime) -> bool:
        """Whether :meth:`cut` would differ from today's value (the kinds that cut themselves;
        the rest never differ on their own: a fact folded again from its history differs only
        when that history does, and the others are not read by the policy: core/past.py)."""
        return False

    def step(self, facts: Any, event: AnyEvent) -> None:  # pragma: no cover - every kind has one
        raise NotImplementedError

    def merge(self, earlier: Any, later: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def kept(self, value: Any) -> Any:
        """The value as read back from storage, in the form it is kept in memory from then on."""
        return value


class LastInLog(Fact):
    """The value of the latest such event in log order (``value`` of it; ``empty`` before any)."""

    def __init__(self, name, on, value: Callable[[Any], Any] = lambda e: e, stored: Any = object,
                 empty: Any = None, **kw) -> None:
        super().__init__(name, on, **kw)
        self.value, self.stored, self.empty = value, stored, empty

    def initial(self) -> Any:
        return self.empty

    def step(self, facts, event) -> None:
        setattr(facts, self.name, self.value(event))

    def merge(self, earlier, later):
        return earlier if later == self.empty else later


class Latest(Fact):
    """The event that happened last (by ``at``; on a tie, the later one in the log)."""

    def __init__(self, name, on, stored: Any = object, **kw) -> None:
        super().__init__(name, on, **kw)
        self.stored = stored

    def step(self, facts, event) -> None:
        current = getattr(facts, self.name)
        if current is None or event.at >= current.at:
            setattr(facts, self.name, event)

    def merge(self, earlier, later):
        return later if later is not None and (earlier is None or later.at >= earlier.at) else earlier


class Earliest(Fact):
    """The moment of the first such event (by ``at``)."""

    stored = datetime | None

    def step(self, facts, event) -> None:
        current = getattr(facts, self.name)
        if current is None or event.at < current:
            setattr(facts, self.name, event.at)

    def merge(self, earlier, later):
        return min((m for m in (earlier, later) if m is not None), default=None)

    def cut(self, facts, until):
        moment = getattr(facts, self.name)
        return moment if moment is not None and moment <= until else None

    def cut_differs(self, facts, until):
        moment = getattr(facts, self.name)
        return moment is not None and moment > until


class Moments(Fact):
    """The moments of every such event, sorted."""

    stored = list[datetime]

    def initial(self) -> list:
        return []

    def step(self, facts, event) -> None:
        values, moment = getattr(facts, self.name), event.at
        if type(values) is MomentList and not values.holds(moment):
            values = values.as_list()  # (a moment a timestamp would not give back exactly)
            setattr(facts, self.name, values)
        if not values or moment >= values[-1]:
            values.append(moment)  # the usual case: events arrive in the order they happened
        else:
            insort(values, moment)

    def merge(self, earlier, later):
        if not later:
            return earlier
        if not earlier or earlier[-1] <= later[0]:
            return earlier + later
        return sorted(earlier + later)  # two sorted runs: merged in linear time, in C

    def cut(self, facts, until):
        values = getattr(facts, self.name)
        return values[:index_right(values, until)]

    def kept(self, value):
        return compact(value)  # 8 bytes a moment instead of 56 (core/moments.py)

    def cut_differs(self, facts, until):
        values = getattr(facts, self.name)
        return bool(values) and values[-1] > until


class MomentsWith(Fact):
    """``(moment, *value)`` of every such event whose ``value`` is not None, sorted."""

    def __init__(self, name, on, value: Callable[[Any], tuple | None], stored: Any = object, **kw) -> None:
        super().__init__(name, on, **kw)
        self.value, self.stored = value, stored

    def initial(self) -> list:
        return []

    def step(self, facts, event) -> None:
        value = self.value(event)
        if value is None:
            return
        values, entry = getattr(facts, self.name), (event.at, *value)
        if type(values) is MarkList and not values.holds(entry):
            values = values.as_list()  # (a mark that would not come back exactly)
            setattr(facts, self.name, values)
        if not values or entry >= values[-1]:
            values.append(entry)
        else:
            insort(values, entry)

    def merge(self, earlier, later):
        if not later:
            return earlier
        if not earlier or earlier[-1] <= later[0]:
            return earlier + later
        return sorted(earlier + later)

    def cut(self, facts, until):
        values = getattr(facts, self.name)
        return values[:marks_index_right(values, until)]

    def cut_differs(self, facts, until):
        values = getattr(facts, self.name)
        return bool(values) and values[-1][0] > until

    def kept(self, value):
        return compact_marks(value)  # 17 bytes a mark instead of 120 (core/moments.py)


def _message_mark(event: Any) -> tuple | None:
    """What a message was written for, when it says (see :class:`MessageSent`)."""
    if not event.answers and not event.no_reply_needed:
        return None
    return (event.answers, event.no_reply_needed)


class Every(Fact):
    """Every such event, in log order."""

    def __init__(self, name, on, stored: Any = object, **kw) -> None:
        super().__init__(name, on, **kw)
        self.stored = stored

    def initial(self) -> list:
        return []

    def step(self, facts, event) -> None:
        getattr(facts, self.name).append(event)

    def merge(self, earlier, later):
        return earlier + later

    def cut(self, facts, until):
        return [e for e in getattr(facts, self.name) if e.at <= until]

    def cut_differs(self, facts, until):
        return any(e.at > until for e in getattr(facts, self.name))


class Count(Fact):
    stored = int

    def initial(self) -> int:
        return 0

    def step(self, facts, event) -> None:
        setattr(facts, self.name, getattr(facts, self.name) + 1)

    def merge(self, earlier, later):
        return earlier + later


class LatestBy(Fact):
    """Per key (``key`` of the event; None: not this fact's), the ``value`` of the event that
    happened last (its ``moment``; on a tie, the later one in the log)."""

    def __init__(self, name, on, key: Callable[[Any], str | None], value: Callable[[Any], Any] = lambda e: e,
                 moment: Callable[[Any], datetime] = _at, stored: Any = object, **kw) -> None:
        super().__init__(name, on, **kw)
        self.key, self.value, self.moment, self.stored = key, value, moment, stored

    def initial(self) -> dict:
        return {}

    def _put(self, table: dict, key: str, value: Any) -> None:
        """The one rule of this kind: a value stands unless an earlier-dated one comes."""
        current = table.get(key)
        if current is None or self.moment(value) >= self.moment(current):
            table[key] = value

    def step(self, facts, event) -> None:
        key = self.key(event)
        if key is not None:
            self._put(getattr(facts, self.name), key, self.value(event))

    def merge(self, earlier, later):
        merged = dict(earlier)
        for key, value in later.items():
            self._put(merged, key, value)
        return merged


class EarliestBy(Fact):
    """Per key (None: not this fact's), the moment of the first such event."""

    stored = dict[str, datetime]

    def __init__(self, name, on, key: Callable[[Any], str | None], **kw) -> None:
        super().__init__(name, on, **kw)
        self.key = key

    def initial(self) -> dict:
        return {}

    @staticmethod
    def _put(table: dict, key: str, moment: datetime) -> None:
        if key not in table or moment < table[key]:
            table[key] = moment

    def step(self, facts, event) -> None:
        key = self.key(event)
        if key is not None:
            self._put(getattr(facts, self.name), key, event.at)

    def merge(self, earlier, later):
        merged = dict(earlier)
        for key, moment in later.items():
            self._put(merged, key, moment)
        return merged

    def cut(self, facts, until):
        return {key: moment for key, moment in getattr(facts, self.name).items() if moment <= until}

    def cut_differs(self, facts, until):
        return any(moment > until for moment in getattr(facts, self.name).values())


class LatestPerField(LatestBy):
    """Per field of ``fields`` set (not empty) in such an event, ``(moment, value)`` of the event
    that happened last (on a tie, the later one in the log): a change of several details. The
    rule and the merge are :class:`LatestBy`'s, one key per field."""

    def __init__(self, name, on, fields: tuple[str, ...], **kw) -> None:
        super().__init__(name, on, key=lambda e: None, moment=lambda v: v[0],
                         stored=dict[str, tuple[datetime, str]], **kw)
        self.fields = fields

    def step(self, facts, event) -> None:
        table = getattr(facts, self.name)
        for name in self.fields:
            value = getattr(event, name)
            if value:
                self._put(table, name, (event.at, value))


UPDATABLE = ("name", "reading", "plan", "channel", "importance", "case", "language")

LIFECYCLE = (ClientPaused, ClientResumed, CaseReopened, CaseClosed)
Lifecycle = ClientPaused | ClientResumed | CaseReopened | CaseClosed
# The few events that set a client's details, kept in log order: each such fact's value on a
# past day is folded again from them (a view of the past from today's facts: core/past.py).
DETAILS = (ClientRegistered, ClientUpdated, *LIFECYCLE, ClientAssigned, ConsentRecorded, ConsentWithdrawn)
Detail = (ClientRegistered | ClientUpdated | Lifecycle | ClientAssigned | ConsentRecorded
          | ConsentWithdrawn)

# -- the facts ------------------------------------------------------------------------------

FACTS: tuple[Fact, ...] = (
    # The latest registration's details stand (name, plan, channel, note are read from it).
    LastInLog("registration", (ClientRegistered,), stored=ClientRegistered | None, history="details"),
    Earliest("registered_at", (ClientRegistered,)),
    # The lifecycle (active, paused, closed) is the one set by the latest-dated of these.
    Latest("lifecycle", LIFECYCLE, stored=Lifecycle | None, history="details"),
    Moments("sessions", (SessionHeld,), lazy=True),
    Latest("last_session", (SessionHeld,), stored=SessionHeld | None),
    Moments("messages", (MessageSent,), lazy=True),  # outbound
    # (moment, item it answers, no reply needed) of the messages that say what they answer.
    MomentsWith("message_marks", (MessageSent,), value=_message_mark, lazy=True,
                stored=list[tuple[datetime, str, bool]]),
    Moments("replies", (ReplyReceived,), lazy=True),  # inbound
    Every("snoozes", (FollowUpSnoozed,), stored=list[FollowUpSnoozed]),  # few: the policy picks what stands
    Every("promises", (PromiseMade,), lazy=True, stored=list[PromiseMade]),
    EarliestBy("kept", (MessageSent, PromiseKept),
               key=lambda e: e.promise if type(e) is PromiseKept else (e.keeps or None)),
    LatestBy("rescheduled", (PromiseRescheduled,), key=lambda e: e.promise, stored=dict[str, PromiseRescheduled],
             history="reschedules"),
    Every("reschedules", (PromiseRescheduled,), stored=list[PromiseRescheduled]),  # each move (late ones count late)
    LatestBy("consents", (ConsentRecorded, ConsentWithdrawn), key=lambda e: e.scope,
             value=lambda e: (e.at, type(e) is ConsentRecorded), moment=lambda v: v[0],
             stored=dict[str, tuple[datetime, bool]], history="details"),
    Count("notes", (NoteAdded,)),
    Latest("latest_note", (NoteAdded,), stored=NoteAdded | None),  # the mood memo of the spreadsheet
    # When the client was erased (forget): placed by its moment, so a day before the erasure is
    # cut to a client not yet erased (a flag was folded from the events, and the due board's
    # shortcut took today's "due nothing" for that day: core/past.py).
    Earliest("forgotten_at", (ClientForgotten,)),
    # Changes to the client's details (client_updated): per field, the latest-dated value.
    LatestPerField("changes", (ClientUpdated,), fields=UPDATABLE, history="details"),
    Every("missed", (SessionMissed,), stored=list[SessionMissed]),  # cancelled and missed sessions
    Every("appointments", (AppointmentBooked,), stored=list[AppointmentBooked]),  # sessions booked ahead
    EarliestBy("cancelled_appointments", (AppointmentCancelled,), key=lambda e: e.appointment),
    Every("feedback", (FeedbackReceived,), stored=list[FeedbackReceived]),  # satisfaction scores
    # The latest hand-over (by ``at``): its ``to`` owns the client (before any, the registering actor).
    Latest("assignment", (ClientAssigned,), stored=ClientAssigned | None, history="details"),
    # Who recorded the client's latest event in log order, retracted or not (the export's owner).
    # Every event that sets one of the details above, in log order (what a past day's are folded from).
    Every("details", DETAILS, stored=list[Detail]),
    LastInLog("last_actor", EVENT_TYPES, value=lambda e: e.actor, stored=str, empty="", always=True),
)

FACT_NAMES: tuple[str, ...] = tuple(f.name for f in FACTS)
_BY_NAME = {f.name: f for f in FACTS}
for _fact in FACTS:  # a history keeps every event of the facts folded again from it
    assert _fact.history is None or set(_fact.on) <= set(_BY_NAME[_fact.history].on), _fact.name
LAZY: frozenset[str] = frozenset(f.name for f in FACTS if f.lazy)


def kept_lists(lists: dict[str, Any]) -> dict[str, Any]:
    """A stored client's long lists as read back from storage, each kept as its kind keeps it."""
    return {name: _BY_NAME[name].kept(value) for name, value in lists.items()}


def _steps(kind: type, always: bool) -> tuple[Callable[[Any, Event], None], ...]:
    return tuple(f.step for f in FACTS if kind in f.on and f.always == always)


# Per event type, the steps of the facts it changes: (for a standing event, for any event).
STEPS: dict[type, tuple[tuple, tuple]] = {kind: (_steps(kind, False), _steps(kind, True)) for kind in EVENT_TYPES}
