"""Hypothesis strategies: random but well-formed event logs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable

import msgspec
from hypothesis import strategies as st

from tui_followup.core import events as ev
from tui_followup.core.audit import audit
from tui_followup.core.facts import FACTS
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import follow_ups
from tui_followup.core.status import caseload_status

from .helpers import TOKYO, due_list

START = datetime(2026, 9, 1, 9, 0, tzinfo=TOKYO)
CLIENTS = ("c1", "c2", "c3")
texts = st.text(min_size=0, max_size=12)
channels = st.sampled_from(ev.CHANNELS)


@st.composite
def moments(draw):
    return START + timedelta(minutes=draw(st.integers(0, 150 * 24 * 60)))


PROMISE_REFS = [f"e{i}" for i in range(12)]  # ids of early events: some of them promises


SCOPES = st.sampled_from(["email", "chat", "case_review"])

# Every event type's fields, by its tag: ``STRATEGIES[tag](draw, day)`` (``day``: a date drawn
# for it). tests/core/test_event_parts.py names a tag of AnyEvent that has none.
STRATEGIES: dict[str, Callable[..., dict]] = {
    "client_registered": lambda draw, day: dict(
        name=draw(st.sampled_from(["青木", "Abe", "박지호", "Aoyama"])),
        plan=draw(st.sampled_from(["standard", "weekly", "24-72-7"])), channel=draw(channels), note=draw(texts),
        reading=draw(st.sampled_from(["", "アオキ", "あべ"])),
        consents=tuple(draw(st.lists(SCOPES, max_size=2, unique=True)))),
    "session_held": lambda draw, day: dict(minutes=draw(st.integers(10, 120)), summary=draw(texts),
                                           next_step=draw(texts), achieved=draw(texts)),
    "message_sent": lambda draw, day: dict(
        channel=draw(channels), template=draw(texts), summary=draw(texts),
        keeps=draw(st.sampled_from(["", "", *PROMISE_REFS])),
        answers=draw(st.sampled_from(["", "", "checkpoint", "respond", "intent-check", "no-show", "first-session",
                                      "promise"])),
        no_reply_needed=draw(st.booleans())),
    "reply_received": lambda draw, day: dict(channel=draw(channels), summary=draw(texts)),
    "follow_up_snoozed": lambda draw, day: dict(until=day, reason=draw(texts),
                                                item=draw(st.sampled_from(ev.SNOOZE_ITEMS))),
    "promise_made": lambda draw, day: dict(due=day, what=draw(texts), explicit=draw(st.booleans())),
    "promise_kept": lambda draw, day: dict(promise=draw(st.sampled_from(PROMISE_REFS))),
    "promise_rescheduled": lambda draw, day: dict(promise=draw(st.sampled_from(PROMISE_REFS)), due=day,
                                                  reason=draw(texts)),
    "client_paused": lambda draw, day: dict(reason=draw(texts), until=draw(st.one_of(st.none(), st.just(day)))),
    "client_resumed": lambda draw, day: dict(),
    "case_closed": lambda draw, day: dict(reason=draw(st.sampled_from(ev.CLOSE_REASONS)), summary=draw(texts)),
    "case_reopened": lambda draw, day: dict(reason=draw(texts)),
    "note_added": lambda draw, day: dict(text=draw(texts)),
    "consent_recorded": lambda draw, day: dict(scope=draw(SCOPES)),
    "consent_withdrawn": lambda draw, day: dict(scope=draw(SCOPES)),
    # made by event_logs from an event already drawn: this strategy's target is replaced there
    "event_retracted": lambda draw, day: dict(target=draw(st.sampled_from(PROMISE_REFS)), reason=draw(texts)),
    "client_forgotten": lambda draw, day: dict(previous_head="ab" * 16, lines_rewritten=draw(st.integers(0, 9))),
    "client_updated": lambda draw, day: dict(
        name=draw(st.sampled_from(["", "", "青木 花", "Abe K"])),
        plan=draw(st.sampled_from(["", "weekly", "24-72-7", "standard"])),
        channel=draw(st.sampled_from(["", *ev.CHANNELS])), reading=draw(st.sampled_from(["", "アオキ"])),
        importance=draw(st.sampled_from(["", *ev.IMPORTANCES]))),
    "session_missed": lambda draw, day: dict(kind=draw(st.sampled_from(ev.MISSED_KINDS)), reason=draw(texts)),
    "feedback_received": lambda draw, day: dict(score=draw(st.integers(1, 5)), comment=draw(texts)),
    "client_assigned": lambda draw, day: dict(to=draw(st.sampled_from(["t", "佐藤", "kim"])), reason=draw(texts)),
    "appointment_booked": lambda draw, day: dict(when=draw(moments()), minutes=draw(st.integers(10, 120)),
                                                 channel=draw(st.sampled_from(["", *ev.CHANNELS]))),
    "appointment_cancelled": lambda draw, day: dict(appointment=draw(st.sampled_from(PROMISE_REFS)),
                                                    reason=draw(texts)),
}


def _fields_for(kind, draw):
    day = (START + timedelta(days=draw(st.integers(0, 160)))).date()
    return STRATEGIES[kind.__struct_config__.tag](draw, day)


ACTORS = st.sampled_from(["t", "佐藤", "kim"])  # an office: several people record
KINDS = [k for k in ev.EVENT_TYPES if k is not ev.EventRetracted]


@st.composite
def event_logs(draw, max_size: int = 40):
    """A log: registrations first (mostly), then any events, with retractions of earlier ones."""
    n = draw(st.integers(0, max_size))
    out: list[ev.Event] = []
    for client in CLIENTS:
        if draw(st.booleans()) or client == "c1":
            moment = START - timedelta(days=1)
            out.append(ev.ClientRegistered(id=f"r-{client}", at=moment, recorded_at=moment, actor="t",
                                           client=client, **_fields_for(ev.ClientRegistered, draw)))
    for i in range(n):
        moment = draw(moments())
        recorded = moment + timedelta(minutes=draw(st.integers(0, 3000)))
        if out and draw(st.integers(0, 9)) == 0:
            target = draw(st.sampled_from(out))
            out.append(ev.EventRetracted(id=f"x{i}", at=moment, recorded_at=recorded, actor=draw(ACTORS),
                                         client=target.client, **dict(_fields_for(ev.EventRetracted, draw),
                                                                      target=target.id)))
            continue
        kind = draw(st.sampled_from(KINDS))
        out.append(kind(id=f"e{i}", at=moment, recorded_at=recorded, actor=draw(ACTORS),
                        client=draw(st.sampled_from(CLIENTS)), **_fields_for(kind, draw)))
    return out


single_events = event_logs(max_size=3).flatmap(lambda log: st.sampled_from(log))

AS_OF_DAYS = [date(2026, 9, 15), date(2026, 11, 1), date(2027, 2, 1)]


def fingerprint(caseload, who_recorded: bool = True) -> tuple:
    """Everything a user can see of a caseload: status, open items, due lists, audit, and
    every fact (``who_recorded``: with who recorded each client's latest event)."""
    status = [caseload_status(caseload, DEFAULT_POLICY, TOKYO, day) for day in AS_OF_DAYS]
    items = sorted(
        (i for f in caseload.registered() for i in follow_ups(f, DEFAULT_POLICY, TOKYO)),
        key=lambda i: (i.client, i.due, i.reason, i.detail),
    )
    dues = [due_list(caseload, d, DEFAULT_POLICY, TOKYO, 7) for d in AS_OF_DAYS]
    audits = [audit(caseload, d, DEFAULT_POLICY, TOKYO) for d in AS_OF_DAYS[1:]]
    return (status, items, dues, audits, facts_of(caseload, FACT_NAMES if who_recorded else tuple(n for n in FACT_NAMES if n != "last_actor")))


FACT_NAMES = tuple(f.name for f in FACTS)  # every declared fact: a new one is compared without a word here


def facts_of(caseload, names=FACT_NAMES) -> list[tuple]:
    """Every fact of every client (shown by a view or not), by client id."""
    def plain(value):  # an event as it happened: not where the log's hash chain put it
        if isinstance(value, ev.Event):
            return msgspec.structs.replace(value, prev="")
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    from tui_followup.core.caseload import ClientFacts

    rows = [(facts.id, *(plain(getattr(facts, name)) for name in names)) for facts in caseload.clients.values()]
    blank = lambda row: row[1:] == tuple(getattr(ClientFacts(row[0]), n) for n in names)  # noqa: E731
    return sorted((row for row in rows if not blank(row)), key=lambda row: row[0])


@st.composite
def contact_logs(draw, max_size: int = 30):
    """One client's sessions, messages and replies on few moments (a message often at the very
    moment of a session, or of a reply): where two counts of the same measure part."""
    slots = [START + timedelta(days=d, hours=h) for d in range(0, 40, 3) for h in (0, 5)]
    moment = START - timedelta(days=1)
    out: list[ev.Event] = [ev.ClientRegistered(id="r", at=moment, recorded_at=moment, actor="t", client="c1",
                                               name="青木", plan="standard", channel="email")]
    for i in range(draw(st.integers(0, max_size))):
        kind = draw(st.sampled_from([ev.SessionHeld, ev.MessageSent, ev.MessageSent, ev.ReplyReceived]))
        at = draw(st.sampled_from(slots))
        out.append(kind(id=f"e{i}", at=at, recorded_at=at, actor="t", client="c1", **_fields_for(kind, draw)))
    return out
