"""The follow-up policy: what is due for a client, and when. The due-list rule lives here.

Pure functions of a client's facts, the policy settings and the practitioner's time zone.

* Ladder. Let S be the latest session and n the number of distinct local days, from S on,
  with an outbound message. While n < len(ladder) the next follow-up is checkpoint n, due on
  ``max(S + ladder[n], last message + 2 days)`` (the second term only when n >= 1): a late
  follow-up never makes the next one fall due at once. After the ladder the next check-in is
  due ``last message + interval``. A new session restarts the ladder.
* Snooze moves the current follow-up to the snooze date, until the next message or session.
* A reply puts a ``respond`` item on its date until a message or a session follows it.
* A promise is due on its date until a message dated no earlier than the day before it.
* Paused: no ladder; one ``intent-check`` 30 days after the pause unless the client replied,
  met or was written to after the pause. It can never come twice for one pause.
* Closed: nothing is due.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Iterable

from .caseload import ACTIVE, CLOSED, PAUSED, Caseload, ClientFacts
from .plans import Plan, Policy, cadence_label, step_label

CHECKPOINT, RESPOND, PROMISE, INTENT_CHECK = "checkpoint", "respond", "promise", "intent-check"


@dataclass(frozen=True)
class DueItem:
    client: str
    name: str
    due: date
    reason: str  # the label: 24h, 1w, monthly, respond, promise, intent-check, ...
    kind: str  # checkpoint | respond | promise | intent-check
    detail: str  # why, in words: "1w after session of 11-01"
    channel: str
    basis: date | None = None  # the day the item counts from (session, reply, pause, ...)
    ref: str = ""  # the event the item stands for, when there is one (a promise)
    # The reason in parts, for the shell to say in the user's language: ((key, ((name, value), ...)), ...)
    why: tuple = ()

    @property
    def uid(self) -> str:
        """Stable across snoozes and re-exports: the same obligation keeps the same uid."""
        if self.ref:
            return f"{self.client}-{self.reason}-{self.ref}"
        return f"{self.client}-{self.reason}-{self.basis.isoformat() if self.basis else ''}"

    def overdue_days(self, as_of: date) -> int:
        return max(0, (as_of - self.due).days)


def _md(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


# The parts a reason is made of, in English (``detail``); the shell's catalogue translates them.
WHY: dict[str, str] = {
    "after_session": "{label} after session of {day}",
    "check_in": "{label} check-in, last message {day}",
    "snoozed": "snoozed to {day}",
    "snoozed_because": "snoozed to {day} ({reason})",
    "resumed": "resumed {day}",
    "intent": "ask about intent, {days} days after pause of {day}",
    "reply": "reply of {day} to answer",
    "promised": "promised: {what}",
}


def why(*parts: tuple[str, dict]) -> tuple[str, tuple]:
    """(English detail, structured parts) of a reason."""
    text = ", ".join(
        WHY[key].format(**{k: _md(v) if isinstance(v, date) else v for k, v in params.items()})
        for key, params in parts
    )
    return text, tuple((key, tuple(params.items())) for key, params in parts)


def message_days_from(facts: ClientFacts, start: datetime, tz: tzinfo, limit: int) -> tuple[int, date | None]:
    """Distinct local days with an outbound message at or after ``start`` (counted up to
    ``limit``), and the local day of the latest such message."""
    messages = facts.messages
    i = bisect_left(messages, start)
    if i == len(messages):
        return 0, None
    days = 0
    previous: date | None = None
    for moment in messages[i:]:
        day = moment.astimezone(tz).date()
        if day != previous:
            days += 1
            previous = day
            if days > limit:
                break
    return min(days, limit), messages[-1].astimezone(tz).date()


def checkpoint_due(session_day: date, plan: Plan, n: int, last_message_day: date | None, gap: int) -> date:
    """Checkpoint ``n`` after a session: its due date (the ladder rule)."""
    if n < len(plan.ladder):
        due = session_day + timedelta(days=plan.ladder[n])
        if n >= 1 and last_message_day is not None:
            due = max(due, last_message_day + timedelta(days=gap))
        return due
    assert last_message_day is not None
    return last_message_day + timedelta(days=plan.interval)


def session_checkpoints(session_day: date, plan: Plan, message_days: list[date],
                        gap: int) -> tuple[int, int, date | None]:
    """The checkpoints after one session, answered in turn by ``message_days`` (the distinct
    local days with a message after it, sorted): (how many were answered, how many of those
    on time, the due date of the next one, still open). None for that date, and nothing
    answered, when no checkpoint ever falls due (an empty ladder and no message before it).

    The same rule as :func:`checkpoint_due`, k after k; past the ladder each check-in is due
    ``plan.interval`` days after the message before it, compared without a call per message
    (an audit at 1M events checks 670,000 of them)."""
    ladder = len(plan.ladder)
    if ladder == 0:
        return 0, 0, None
    on_time = 0
    last: date | None = None
    for k, day in enumerate(message_days[:ladder]):
        on_time += day <= checkpoint_due(session_day, plan, k, last, gap)
        last = day
    if len(message_days) > ladder:
        interval = timedelta(days=plan.interval)
        on_time += sum(day <= previous + interval
                       for previous, day in zip(message_days[ladder - 1 :], message_days[ladder:]))
        last = message_days[-1]
    return len(message_days), on_time, checkpoint_due(session_day, plan, len(message_days), last, gap)


def checkpoint(session_day: date, plan: Plan, n: int, last_message_day: date | None, gap: int) -> tuple[date, str]:
    """Checkpoint ``n`` after a session: its due date and label."""
    label = step_label(plan.ladder[n]) if n < len(plan.ladder) else cadence_label(plan.interval)
    return checkpoint_due(session_day, plan, n, last_message_day, gap), label


def follow_ups(facts: ClientFacts, policy: Policy, tz: tzinfo) -> list[DueItem]:
    """Every open item for one client, whatever its date."""
    if not facts.registered or facts.state == CLOSED:
        return []
    items: list[DueItem] = []
    plan = policy.plan(facts.plan)
    last_session = facts.sessions[-1] if facts.sessions else None
    last_message = facts.last_message
    # The latest outbound touch: a snooze or a reply before it is answered.
    touches = [t for t in (last_session, last_message) if t is not None]
    last_touch = max(touches) if touches else None

    def item(due: date, reason: str, kind: str, parts: list, basis: date | None, ref: str = "") -> DueItem:
        detail, structured = why(*parts)
        return DueItem(facts.id, facts.name, due, reason, kind, detail, facts.channel, basis, ref, structured)

    if facts.state == ACTIVE:
        cadence = _cadence_item(facts, plan, policy, tz, last_session)
        if cadence is not None:
            due, label, parts, basis = cadence
            snooze = facts.last_snooze
            if snooze is not None and (last_touch is None or snooze.at > last_touch):
                due = snooze.until
                parts = parts + ([("snoozed_because", {"day": due, "reason": snooze.reason})] if snooze.reason
                                 else [("snoozed", {"day": due})])
            items.append(item(due, label, CHECKPOINT, parts, basis))
    elif facts.state == PAUSED and facts.state_since is not None:
        paused = facts.state_since
        answered = any(
            xs and xs[-1] > paused for xs in (facts.replies, facts.sessions, facts.messages)
        )
        if not answered:
            pause_day = paused.astimezone(tz).date()
            due = pause_day + timedelta(days=policy.intent_check_days)
            snooze = facts.last_snooze
            parts = [("intent", {"days": policy.intent_check_days, "day": pause_day})]
            if snooze is not None and snooze.at > paused:
                due = snooze.until
                parts.append(("snoozed", {"day": due}))
            items.append(item(due, INTENT_CHECK, INTENT_CHECK, parts, pause_day))

    if facts.replies:
        reply = facts.replies[-1]
        if last_touch is None or last_touch <= reply:
            day = reply.astimezone(tz).date()
            items.append(item(day, RESPOND, RESPOND, [("reply", {"day": day})], day))

    kept_until = _promises_kept_until(last_message.astimezone(tz).date() if last_message is not None else None)
    for promise in facts.promises:
        if kept_until is None or promise.due > kept_until:
            items.append(item(promise.due, PROMISE, PROMISE, [("promised", {"what": promise.what})],
                              promise.at.astimezone(tz).date(), promise.id))
    return items


def _cadence_item(facts, plan, policy, tz, last_session) -> tuple[date, str, list, date] | None:
    """The next checkpoint of the ladder (or check-in after it): due, label, reason parts, basis."""
    if last_session is not None:
        session_day = last_session.astimezone(tz).date()
        n, last_day = message_days_from(facts, last_session, tz, len(plan.ladder))
        due, label = checkpoint(session_day, plan, n, last_day, policy.late_message_gap_days)
        if n < len(plan.ladder):
            parts = [("after_session", {"label": label, "day": session_day})]
        else:
            parts = [("check_in", {"label": label, "day": last_day})]
        basis = session_day
    elif facts.last_message is not None:
        last_day = facts.last_message.astimezone(tz).date()
        due = last_day + timedelta(days=plan.interval)
        label = cadence_label(plan.interval)
        parts = [("check_in", {"label": label, "day": last_day})]
        basis = last_day
    else:
        return None  # no session and no message yet: nothing to follow up on
    # Back from a pause or a closed case: not overdue for the time away.
    if facts.state_since is not None and facts.state == ACTIVE:
        since = facts.state_since.astimezone(tz).date()
        if due < since and (last_session is None or last_session < facts.state_since):
            due = since
            parts.append(("resumed", {"day": since}))
    return due, label, parts, basis


def _promises_kept_until(last_message_day: date | None) -> date | None:
    """A promise is kept by a message dated no earlier than the day before it: every promise
    due on or before the day returned is kept (none when there is no message)."""
    return None if last_message_day is None else last_message_day + timedelta(days=1)


def next_item(facts: ClientFacts, policy: Policy, tz: tzinfo) -> DueItem | None:
    """The earliest open item for a client (what status shows as "next due")."""
    items = follow_ups(facts, policy, tz)
    return min(items, key=lambda i: (i.due, i.reason)) if items else None


def due_list(
    caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, days: int = 0
) -> list[DueItem]:
    """Every item due on or before ``as_of`` (+ ``days``), sorted by due date then name."""
    horizon = as_of + timedelta(days=days)
    return sort_items(
        i for facts in caseload.registered() for i in follow_ups(facts, policy, tz) if i.due <= horizon
    )


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda i: (i.due, i.name, i.client, i.reason))


class DueBoard:
    """Every client's open items, kept up to date one client at a time.

    The app's due list after one recorded event is a matter of recomputing that client's
    items, not every client's (a projection updated incrementally, not a replay).
    """

    def __init__(self, policy: Policy, tz: tzinfo) -> None:
        self.policy, self.tz = policy, tz
        self.items: dict[str, list[DueItem]] = {}

    def rebuild(self, caseload: Caseload) -> None:
        self.items = {f.id: follow_ups(f, self.policy, self.tz) for f in caseload.registered()}

    def update(self, caseload: Caseload, clients: Iterable[str]) -> None:
        for client in clients:
            facts = caseload.get(client)
            if facts is None:
                self.items.pop(client, None)
            else:
                self.items[client] = follow_ups(facts, self.policy, self.tz)

    def due(self, as_of: date, days: int = 0) -> list[DueItem]:
        """The same list as :func:`due_list`."""
        horizon = as_of + timedelta(days=days)
        return sort_items(i for items in self.items.values() for i in items if i.due <= horizon)
