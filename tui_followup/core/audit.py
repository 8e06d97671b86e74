"""The audit: did I do right by each client? Contact rhythm, timeliness and warning flags.

* ``median_interval_days``: median of the days between consecutive distinct contact days
  (sessions, messages and replies).
* ``first_follow_up_days``: for each session, days until the first message after it (one
  recorded with the session's moment is its note; before the next session:
  :func:`first_follow_up`, the measures' too).
* ``response_days``: your response time, per reply the days until your next message or
  session (:func:`answered_replies`; replies in a row count once).
* on-time share: each checkpoint of the ladder rule (see :mod:`.policy`) that fell due
  before the as-of date counts once; it was met on time when the message that answered it
  (the first on or after its window opened) was sent on or before its due date. A missed
  checkpoint counts late. A checkpoint overtaken by the next session, or by a pause or close
  before its date, does not count.
* promises: each promise due before the as-of date, or kept, counts once; kept on time when
  kept on or before its (rescheduled) due date, and never moved after the day it was due.
* flags: ``over_contact`` (a 7-day span with more than ``max_per_week`` messages, one of
  them extra: answering nothing due -- see :func:`.policy.extra_messages`), ``gone_quiet`` (:func:`.policy.gone_quiet`, the one definition: active, with no
  contact *from the client* -- a session or a reply; your own messages do not count -- for the
  plan's silence days, the day rule 2's question can fall due) and
  ``awaiting_decision`` (a ``decide`` item is due). The thresholds are in
  :class:`~.plans.Policy`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from statistics import median

from .caseload import ACTIVE, CLOSED, ERASED, PAUSED, Caseload, ClientFacts
from .moments import index_left, index_right, walked
from .moments import local_days as moment_days
from .plans import Policy
from .policy import DECIDE, follow_ups, gone_quiet, session_checkpoints
from .policy import over_contact as policy_over_contact

OVER_CONTACT, GONE_QUIET, AWAITING_DECISION = "over_contact", "gone_quiet", "awaiting_decision"


@dataclass(frozen=True)
class ClientAudit:
    client: str
    name: str
    state: str
    plan: str
    contacts: int
    sessions: int
    messages: int
    replies: int
    median_interval_days: float | None
    first_follow_up_days: list[int]
    checkpoints_due: int
    checkpoints_on_time: int
    on_time_share: float | None
    days_since_contact: int | None
    flags: list[str]
    weekly_contacts: list[int] = field(default_factory=list)  # oldest first, ending this week
    response_days: list[int] = field(default_factory=list)  # your response time per reply (answered_replies)
    promises_due: int = 0
    promises_kept_on_time: int = 0
    owner: str = ""  # the counselor the client is assigned to (see ClientFacts.owner)


@dataclass(frozen=True)
class OwnerAudit:
    """One counselor's clients, summed: the audit grouped by owner."""

    clients: int
    active: int
    paused: int
    closed: int
    checkpoints_due: int
    checkpoints_on_time: int
    on_time_share: float | None
    flags: dict[str, int]  # flag -> clients with it
    erased: int = 0  # skeletons of clients erased (forget): among ``clients``, in no state above


@dataclass(frozen=True)
class AuditReport:
    as_of: date
    clients: list[ClientAudit]
    closed_by_reason: dict[str, int]
    by_owner: dict[str, OwnerAudit] = field(default_factory=dict)  # by owner's name
    returns: int = 0  # closed clients who wrote back after the close (rule 10 of the policy)


def by_owner(clients: list[ClientAudit]) -> dict[str, OwnerAudit]:
    groups: dict[str, list[ClientAudit]] = {}
    for c in clients:
        groups.setdefault(c.owner, []).append(c)
    out = {}
    for owner, group in sorted(groups.items()):
        due = sum(c.checkpoints_due for c in group)
        on_time = sum(c.checkpoints_on_time for c in group)
        states = Counter(c.state for c in group)
        flags = Counter(f for c in group for f in c.flags)
        out[owner] = OwnerAudit(
            clients=len(group), active=states[ACTIVE], paused=states[PAUSED], closed=states[CLOSED],
            checkpoints_due=due, checkpoints_on_time=on_time,
            on_time_share=round(on_time / due, 3) if due else None, flags=dict(sorted(flags.items())),
            erased=states[ERASED])
    return out


def _days(moments, tz) -> list[date]:
    return moment_days(moments, tz)


def _distinct(days: list[date]) -> list[date]:
    return sorted(set(days))


@dataclass(frozen=True)
class LocalDays:
    """The practitioner's day of each session, message and reply (same order as the facts'
    lists), worked out once per client: converting a moment to a local day is the costly
    part of an audit (a million of them at 1M events)."""

    sessions: list[date]
    messages: list[date]
    replies: list[date]

    @classmethod
    def of(cls, facts: ClientFacts, tz: tzinfo) -> "LocalDays":
        return cls(_days(facts.sessions, tz), _days(facts.messages, tz), _days(facts.replies, tz))


def first_follow_up(facts: ClientFacts, local: LocalDays, index: int, as_of: date) -> int | None:
    """The one definition of the first follow-up (the audit's and the measures'): days from a
    session (its ``index``) to the first message *after* it, before the next session, sent by
    ``as_of``; None when there is none.

    A message recorded with the session's own moment is the session's note, not a follow-up
    (issue 25: the audit counted it, 0 days, where the measures did not): the follow-up is the
    first message later than the session. A message at the next session's moment is that
    session's note, so it ends this one's window."""
    sessions, messages = facts.sessions, facts.messages
    lo = index_right(messages, sessions[index])
    if lo == len(messages) or local.messages[lo] > as_of:
        return None
    if index + 1 < len(sessions) and messages[lo] >= sessions[index + 1]:
        return None
    return (local.messages[lo] - local.sessions[index]).days


def answered_replies(facts: ClientFacts, local: LocalDays) -> list[tuple[date, date]]:
    """Your response time, one definition: (the day of their reply, the day of your next
    message or session at or after it) per reply answered; replies in a row before one answer
    count once, from the first of them (the wait the client had)."""
    sessions, messages, replies = walked(facts.sessions), walked(facts.messages), walked(facts.replies)
    out: list[tuple[date, date]] = []
    answered_by = None  # the moment that answered the reply before
    for index, reply in enumerate(replies):
        if index and (answered_by is None or answered_by > reply):
            continue  # the same wait as the reply before it
        s, m = index_left(sessions, reply), index_left(messages, reply)
        found = [(sessions[s], local.sessions[s])] if s < len(sessions) else []
        found += [(messages[m], local.messages[m])] if m < len(messages) else []
        if not found:
            answered_by = None
            break  # nothing since: no later reply is answered either
        answered_by, day = min(found, key=lambda f: f[0])
        out.append((local.replies[index], day))
    return out


def response_days(facts: ClientFacts, local: LocalDays, as_of: date) -> list[int]:
    """Days you took to answer each reply (:func:`answered_replies`), answered by ``as_of``."""
    return [(answer - reply).days for reply, answer in answered_replies(facts, local) if answer <= as_of]


class _Sessions:
    """One client's sessions for the checkpoint counts: what each session contributes as of
    a day. A session followed by another one up to that day is settled -- its window ends at
    the next session, so later days change nothing -- and only the last session before the
    day depends on it; that is what lets a week-by-week series cost about one count."""

    def __init__(self, facts: ClientFacts, policy: Policy, tz: tzinfo, local: LocalDays) -> None:
        self.facts, self.local, self.plan = facts, local, policy.plan(facts.plan)
        self.stopped = (facts.state_since.astimezone(tz).date()
                        if facts.state != ACTIVE and facts.state_since else None)
        self._settled: list[tuple[int, int]] | None = None  # running sums of the settled sessions

    def upto(self, as_of: date) -> int:
        """How many sessions were held by the end of that day."""
        return bisect_right(self.local.sessions, as_of)

    def one(self, index: int, last: bool, as_of: date) -> tuple[int, int, int | None]:
        """(checkpoints due, met on time, days to its first follow-up) of one session, as of a
        day; ``last``: no later session by then."""
        facts, local = self.facts, self.local
        start = facts.sessions[index]
        end, end_day = (None, None) if last else (facts.sessions[index + 1], local.sessions[index + 1])
        lo = index_left(facts.messages, start)
        hi = index_left(facts.messages, end) if end is not None else len(facts.messages)
        days = list(dict.fromkeys(local.messages[lo:hi]))  # distinct, still in order
        days = days[: bisect_right(days, as_of)]
        session_day = local.sessions[index]
        answered, kept, still_open = session_checkpoints(session_day, self.plan, days)
        due_count = answered
        for due in still_open:
            # An open checkpoint counts (late) only once its date has passed unanswered.
            superseded = end_day is not None and due >= end_day
            halted = self.stopped is not None and self.stopped <= due
            if due < as_of and not superseded and not halted:
                due_count += 1
        return due_count, kept, first_follow_up(facts, local, index, as_of)

    def counts(self, as_of: date) -> tuple[int, int]:
        """(checkpoints due, met on time) as of a day, from the settled sums and the last session."""
        held = self.upto(as_of)
        if not held:
            return 0, 0
        if self._settled is None:
            sums, due, on_time = [(0, 0)], 0, 0
            for i in range(len(self.local.sessions) - 1):
                d, o, _ = self.one(i, False, self.local.sessions[i + 1])
                due, on_time = due + d, on_time + o
                sums.append((due, on_time))
            self._settled = sums
        due, on_time = self._settled[held - 1]
        d, o, _ = self.one(held - 1, True, as_of)
        return due + d, on_time + o


def checkpoint_record(facts: ClientFacts, as_of: date, policy: Policy, tz: tzinfo,
                      local: LocalDays | None = None) -> tuple[int, int, list[int]]:
    """(checkpoints due, met on time, days to first follow-up per session)."""
    sessions = _Sessions(facts, policy, tz, local or LocalDays.of(facts, tz))
    held = sessions.upto(as_of)
    due_count = on_time = 0
    firsts: list[int] = []
    for index in range(held):
        due, kept, first = sessions.one(index, index == held - 1, as_of)
        due_count, on_time = due_count + due, on_time + kept
        if first is not None:
            firsts.append(first)
    return due_count, on_time, firsts


def checkpoint_counts(facts: ClientFacts, days: list[date], policy: Policy, tz: tzinfo,
                      local: LocalDays | None = None) -> list[tuple[int, int]]:
    """(checkpoints due, met on time) as of each of the days: the same counts as
    :func:`checkpoint_record`'s, for many days at about the cost of one."""
    sessions = _Sessions(facts, policy, tz, local or LocalDays.of(facts, tz))
    return [sessions.counts(day) for day in days]


def over_contact(facts: ClientFacts, policy: Policy, tz: tzinfo, local: LocalDays | None = None) -> bool:
    """The policy's one definition (rule 7): more than ``max_per_week`` messages in 7 days, one extra."""
    return policy_over_contact(facts, policy, tz)


def client_audit(facts: ClientFacts, as_of: date, policy: Policy, tz: tzinfo, weeks: int = 12,
                 local: LocalDays | None = None) -> ClientAudit:
    local = local or LocalDays.of(facts, tz)
    every_day = local.sessions + local.messages + local.replies
    contact_days = _distinct(every_day)
    gaps = [(b - a).days for a, b in zip(contact_days, contact_days[1:])]
    due, on_time, firsts = checkpoint_record(facts, as_of, policy, tz, local)
    last = contact_days[-1] if contact_days else (
        facts.registered_at.astimezone(tz).date() if facts.registered_at else None
    )
    since = (as_of - last).days if last else None
    flags = []
    if over_contact(facts, policy, tz, local):
        flags.append(OVER_CONTACT)
    if gone_quiet(facts, policy, tz, as_of):
        flags.append(GONE_QUIET)
    if any(i.kind == DECIDE and i.due <= as_of and i.shown_on(as_of) for i in follow_ups(facts, policy, tz)):
        flags.append(AWAITING_DECISION)
    promises_due, promises_on_time = promise_record(facts, as_of, tz)
    week_start = as_of - timedelta(days=as_of.weekday())
    first_week = week_start - timedelta(weeks=weeks - 1)
    buckets = [0] * weeks
    for day in every_day:
        if first_week <= day <= as_of:
            buckets[(day - first_week).days // 7] += 1
    return ClientAudit(
        client=facts.id, name=facts.name, state=facts.shown_state, plan=facts.plan,
        contacts=facts.contacts, sessions=len(facts.sessions), messages=len(facts.messages),
        replies=len(facts.replies),
        median_interval_days=float(median(gaps)) if gaps else None,
        first_follow_up_days=firsts, checkpoints_due=due, checkpoints_on_time=on_time,
        on_time_share=round(on_time / due, 3) if due else None,
        days_since_contact=since, flags=flags, weekly_contacts=buckets,
        promises_due=promises_due, promises_kept_on_time=promises_on_time, owner=facts.owner,
        response_days=response_days(facts, local, as_of),
    )


def promise_record(facts: ClientFacts, as_of: date, tz: tzinfo) -> tuple[int, int]:
    """(promises due by the as-of date or kept by then, of those kept on or before their due
    date). A promise rescheduled after the day it was due by then counts late, kept or not."""
    moves: dict[str, list] = {}
    for move in facts.reschedules:
        moves.setdefault(move.promise, []).append(move)
    due = on_time = 0
    for promise in facts.promises:
        deadline, late = promise.due, False
        for move in sorted(moves.get(promise.id, ()), key=lambda m: m.at):
            late = late or move.at.astimezone(tz).date() > deadline
            deadline = move.due
        kept = facts.kept.get(promise.id)
        kept_day = kept.astimezone(tz).date() if kept is not None else None
        if kept_day is not None and kept_day > as_of:
            kept_day = None
        if kept_day is None and deadline >= as_of:
            continue  # not due yet, not kept yet
        due += 1
        on_time += kept_day is not None and kept_day <= deadline and not late
    return due, on_time


def local_days(caseload: Caseload, tz: tzinfo) -> dict[str, LocalDays]:
    """Every client's local days, to share between the audit and the measures."""
    return {f.id: LocalDays.of(f, tz) for f in caseload.registered()}


def audit(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo,
          clients: list[ClientAudit] | None = None, local: dict[str, LocalDays] | None = None) -> AuditReport:
    """``clients``: every client's :func:`client_audit` as of that day, when kept (the app
    keeps them per client); ``local``: every client's :func:`local_days`, when known."""
    if clients is None:
        clients = [client_audit(f, as_of, policy, tz, local=local[f.id] if local else None)
                   for f in caseload.registered()]
    clients = sorted(clients, key=lambda a: (a.name, a.client))
    closed = Counter(  # (an erased client's skeleton is counted as erased, in no state: by_owner)
        f.close_reason or "other" for f in caseload.registered() if f.shown_state == CLOSED
    )
    returns = sum(1 for f in caseload.registered() if f.shown_state == CLOSED and f.state_since is not None
                  and f.replies and f.replies[-1] > f.state_since and f.replies[-1].astimezone(tz).date() <= as_of)
    return AuditReport(as_of, clients, dict(sorted(closed.items())), by_owner(clients), returns)
