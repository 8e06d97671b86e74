"""The follow-up policy, second edition: what is due for a client, and when. Never pushed,
never lost. Every due-list rule lives here.

Pure functions of a client's facts, the policy settings and the practitioner's time zone.
Dates are local days.

1. **Ladder with windows.** For the latest session (day s) and the plan's ladder
   l0 < l1 < ..., checkpoint k is due on s + lk; its window opens on
   s + lk - (lk - l(k-1)) // 3 (checkpoint 0's on s). A message on day d answers every
   checkpoint whose window has opened by d. As of day T the client's checkpoint item is the
   latest unanswered checkpoint whose window has opened by T, or else the next unanswered one;
   the unanswered ones before it are *missed* (listed on the item, never sent late). Once
   every checkpoint is answered, a check-in is due ``interval`` days after the latest message.
   A new session restarts the ladder.
2. **Silence.** X is the day of the client's last contact *from them* (a session or a reply;
   their registration when there is none) and u the number of your messages after it. When
   u >= ``silence_messages`` the one ``intent-check`` falls due on D = the later of
   X + ``silence_days`` and 7 days after the ``silence_messages``-th of those messages. From
   D on -- or before, when the checkpoint item would fall due after D -- it replaces the
   checkpoint or check-in.
3. **One decision.** A message on or after D answers the intent check; ``decide_days`` after
   it one ``decide`` item asks the practitioner to close, pause or wait. Never a second
   intent check for the same silence or pause. A reply or a session clears it all.
4. **Pause with an end.** Paused: no checkpoints; one intent check on the end the client
   named (``until``), or ``pause_days`` after the pause, unless they replied or met since;
   left unanswered, it leads to rule 3's ``decide``.
5. **Snooze** moves one item (checkpoint, respond, intent-check or decide), only later, until
   that item is answered (the command refuses a date not after the item's due date).
6. **Promises** stay due until kept explicitly (a message that keeps it, or ``promise_kept``);
   a reschedule moves one. (A promise written before this edition is also kept by any
   message dated no earlier than the day before it, as it was then.)
7. **Pace.** A message to a client who already had ``max_per_week`` messages in the 7 days
   before it is allowed, with a warning (:func:`messages_in_week_before`).
8. Closed: nothing is due.
9. **No-show.** An active client who did not come to a session (``session_missed``,
   ``no_show``) gets one ``no-show`` item the day after: a gentle contact, not a chase (rule
   7 still applies). Any contact since (a message, a reply, a session) answers it.

An item that depends on the day it is looked at (rule 1's windows, rule 2's switch) carries
the days it is shown on (``shown_from`` <= T < ``shown_until``), so a client's items are
computed once, not once per day: :class:`DueBoard` and every report filter them by day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable

from .caseload import ACTIVE, CLOSED, PAUSED, Caseload, ClientFacts
from .plans import Plan, Policy, cadence_label, step_label

CHECKPOINT, RESPOND, PROMISE, INTENT_CHECK, DECIDE = "checkpoint", "respond", "promise", "intent-check", "decide"
NO_SHOW = "no-show"
LATE_AFTER_DAYS = 3  # a message this many days after the due date uses the label's late wording


@dataclass(frozen=True)
class DueItem:
    client: str
    name: str
    due: date
    reason: str  # the label: 24h, 1w, monthly, respond, promise, intent-check, decide, ...
    kind: str  # checkpoint | respond | promise | intent-check | decide
    detail: str  # why, in words: "1w after session of 11-01"
    channel: str
    basis: date | None = None  # the day the item counts from (session, reply, pause, ...)
    ref: str = ""  # the event the item stands for, when there is one (a promise)
    # The reason in parts, for the shell to say in the user's language: ((key, ((name, value), ...)), ...)
    why: tuple = ()
    missed: tuple[str, ...] = ()  # labels of the checkpoints passed unanswered before this one
    shown_from: date | None = None  # the first day this item is the client's (None: from always)
    shown_until: date | None = None  # the first day it no longer is (None: until answered)

    @property
    def uid(self) -> str:
        """Stable across snoozes and re-exports: the same obligation keeps the same uid."""
        if self.ref:
            return f"{self.client}-{self.reason}-{self.ref}"
        return f"{self.client}-{self.reason}-{self.basis.isoformat() if self.basis else ''}"

    def overdue_days(self, as_of: date) -> int:
        return max(0, (as_of - self.due).days)

    def shown_on(self, day: date) -> bool:
        """Whether this is one of the client's items as of ``day``."""
        return (self.shown_from is None or self.shown_from <= day) and (
            self.shown_until is None or day < self.shown_until)

    def late_on(self, day: date) -> bool:
        """A message on ``day`` for this item is late enough for the late wording."""
        return (day - self.due).days > LATE_AFTER_DAYS


def _md(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


# The parts a reason is made of, in English (``detail``); the shell's catalogue translates them.
WHY: dict[str, str] = {
    "after_session": "{label} after session of {day}",
    "check_in": "{label} check-in, last message {day}",
    "missed": "missed {labels}",
    "snoozed": "snoozed to {day}",
    "snoozed_because": "snoozed to {day} ({reason})",
    "resumed": "resumed {day}",
    "intent": "ask about intent, {days} days after pause of {day}",
    "intent_until": "ask about intent: the pause of {day} ends {until}",
    "silence": "ask about intent: nothing from them since {day}, {count} messages unanswered",
    "decide": "decide: close, pause or wait (no answer to the question of {day})",
    "reply": "reply of {day} to answer",
    "promised": "promised: {what}",
    "rescheduled": "rescheduled to {day}",
    "no_show": "did not come to the session of {day}: a gentle contact",
}


def why(*parts: tuple[str, dict]) -> tuple[str, tuple]:
    """(English detail, structured parts) of a reason."""
    text = ", ".join(
        WHY[key].format(**{k: _md(v) if isinstance(v, date) else v for k, v in params.items()})
        for key, params in parts
    )
    return text, tuple((key, tuple(params.items())) for key, params in parts)


def _day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def _start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


# -- rule 1: the ladder and its windows ---------------------------------------------------


def window_offsets(ladder: tuple[int, ...]) -> list[int]:
    """Days after the session on which each checkpoint's window opens."""
    return [0 if k == 0 else days - (days - ladder[k - 1]) // 3 for k, days in enumerate(ladder)]


def answered(ladder: tuple[int, ...], session_day: date, last_message_day: date | None) -> int:
    """How many checkpoints (from the first) a message on ``last_message_day`` has answered:
    every one whose window had opened by then."""
    if last_message_day is None or last_message_day < session_day:
        return 0
    return bisect_right(window_offsets(ladder), (last_message_day - session_day).days)


def session_checkpoints(session_day: date, plan: Plan, message_days: list[date]) -> tuple[int, int, list[date]]:
    """The checkpoints after one session, for the audit: ``message_days`` are the distinct
    local days with a message after it (sorted). Returns (how many were answered, how many of
    those on time, the due dates of those still open -- the missed ones and the next).

    A checkpoint is answered by the first message day on or after its window opened (so a
    missed one is answered late, together with the next); past the ladder each check-in is
    due ``plan.interval`` days after the message before it."""
    ladder = plan.ladder
    opens = window_offsets(ladder)
    done = on_time = 0
    last = -1
    for k, days in enumerate(ladder):
        j = bisect_left(message_days, session_day + timedelta(days=opens[k]))
        if j == len(message_days):
            return done, on_time, [session_day + timedelta(days=d) for d in ladder[k:]]
        done += 1
        on_time += message_days[j] <= session_day + timedelta(days=days)
        last = j
    rest = message_days[max(last, 0):]
    if not rest:
        return done, on_time, [session_day + timedelta(days=plan.interval)]
    interval = timedelta(days=plan.interval)
    if last >= 0:  # check-ins after the message that answered the last checkpoint
        done += len(rest) - 1
        on_time += sum(b <= a + interval for a, b in zip(rest, rest[1:]))
    else:  # no ladder: every message is a check-in after the session
        done += len(rest)
        on_time += sum(b <= a + interval for a, b in zip([session_day, *rest], rest))
    return done, on_time, [rest[-1] + interval]


@dataclass(frozen=True)
class _Slot:
    """A candidate for the client's one checkpoint item, on the days it is shown."""

    due: date
    label: str
    parts: list
    basis: date
    missed: tuple[str, ...] = ()
    shown_from: date | None = None
    shown_until: date | None = None
    kind: str = CHECKPOINT


def _ladder_slots(facts: ClientFacts, plan: Plan, tz: tzinfo) -> list[_Slot]:
    """Rule 1: the checkpoint (or check-in) item as it changes with the day looked at."""
    messages = facts.messages
    if facts.sessions:
        session = facts.sessions[-1]
        s = _day(session, tz)
        i = bisect_left(messages, session)
        last_day = _day(messages[-1], tz) if i < len(messages) else None
        ladder = plan.ladder
        first = answered(ladder, s, last_day)
        if first >= len(ladder):
            base = last_day if last_day is not None else s
            label = cadence_label(plan.interval)
            return [_Slot(base + timedelta(days=plan.interval), label,
                          [("check_in", {"label": label, "day": base})], s)]
        opens = window_offsets(ladder)
        labels = [step_label(d) for d in ladder]
        slots = []
        for k in range(first, len(ladder)):
            missed = tuple(labels[first:k])
            parts = [("after_session", {"label": labels[k], "day": s})]
            if missed:
                parts.append(("missed", {"labels": ", ".join(missed)}))
            slots.append(_Slot(s + timedelta(days=ladder[k]), labels[k], parts, s, missed,
                               None if k == first else s + timedelta(days=opens[k]),
                               s + timedelta(days=opens[k + 1]) if k + 1 < len(ladder) else None))
        return slots
    if messages:
        last_day = _day(messages[-1], tz)
        label = cadence_label(plan.interval)
        return [_Slot(last_day + timedelta(days=plan.interval), label,
                      [("check_in", {"label": label, "day": last_day})], last_day)]
    return []  # no session and no message yet: nothing to follow up on


def _back_from_a_break(facts: ClientFacts, slots: list[_Slot], tz: tzinfo) -> list[_Slot]:
    """Back from a pause or a closed case: not overdue for the time away."""
    if facts.state_since is None or (facts.sessions and facts.sessions[-1] >= facts.state_since):
        return slots
    since = _day(facts.state_since, tz)
    return [replace(s, due=since, parts=s.parts + [("resumed", {"day": since})]) if s.due < since else s
            for s in slots]


# -- rules 2 and 3: silence, one question, one decision -------------------------------------


def last_contact_from_client(facts: ClientFacts) -> datetime | None:
    """The latest session or reply (the registration when there is neither)."""
    candidates = [xs[-1] for xs in (facts.sessions, facts.replies) if xs]
    return max(candidates) if candidates else facts.registered_at


def _question(facts: ClientFacts, policy: Policy, tz: tzinfo, since: datetime, due: date,
              parts: list, basis: date) -> _Slot:
    """The one question of intent due on ``due`` (asked about the silence or pause that
    began at ``since``), or, once a message on or after that day asked it, the decision."""
    messages = facts.messages
    j = bisect_left(messages, max(_start_of(due, tz), since), lo=bisect_right(messages, since))
    if j < len(messages):
        asked = messages[j]
        day = _day(asked, tz)
        slot = _Slot(day + timedelta(days=policy.decide_days), DECIDE, [("decide", {"day": day})], day, kind=DECIDE)
        return _snoozed(facts, slot, DECIDE, asked)
    return _snoozed(facts, _Slot(due, INTENT_CHECK, parts, basis, kind=INTENT_CHECK), INTENT_CHECK, since)


def _asked_before(facts: ClientFacts, policy: Policy, tz: tzinfo, moment: datetime) -> date | None:
    """The day the client's current silence was asked about, when that was before ``moment``
    and they have not been in touch since (None otherwise)."""
    slot = silence(facts, policy, tz)
    if slot is None or slot.kind != DECIDE or _start_of(slot.basis, tz) >= moment:
        return None
    return slot.basis


def silence(facts: ClientFacts, policy: Policy, tz: tzinfo) -> _Slot | None:
    """Rule 2: the intent check (or rule 3's decision after it) of an active client who has
    gone quiet; None while they have not."""
    since = last_contact_from_client(facts)
    if since is None:
        return None
    messages = facts.messages
    i = bisect_right(messages, since)
    unanswered = len(messages) - i
    if unanswered < policy.silence_messages:
        return None
    x = _day(since, tz)
    nth = _day(messages[i + policy.silence_messages - 1], tz)
    due = max(x + timedelta(days=policy.silence_days), nth + timedelta(days=7))
    return _question(facts, policy, tz, since, due, [("silence", {"day": x, "count": unanswered})], x)


def _with_silence(slots: list[_Slot], question: _Slot) -> list[_Slot]:
    """The checkpoint slots with the question of intent in place from its day on (or from
    when the checkpoint would fall due after it); a decision replaces them all."""
    if question.kind == DECIDE:
        return [question]
    # The first day the question is the client's item (None: every day): its due day, or
    # earlier, from the first day the checkpoint item would fall due after it.
    switch: date | None = question.due
    later = next((slot for slot in slots if slot.due > question.due), None)
    if later is not None:
        switch = None if later.shown_from is None else min(switch, later.shown_from)
    kept = []
    for slot in slots:
        if switch is None or (slot.shown_from is not None and slot.shown_from >= switch):
            continue
        until = switch if slot.shown_until is None else min(slot.shown_until, switch)
        kept.append(replace(slot, shown_until=until))
    return kept + [replace(question, shown_from=switch)]


# -- rule 5: snoozes -------------------------------------------------------------------------


def _snoozed(facts: ClientFacts, slot: _Slot, item: str, after: datetime | None) -> _Slot:
    """The slot moved by the snoozes of ``item`` made after ``after`` (the one that moves it
    furthest: a later snooze to an earlier day never brings it forward) -- never earlier."""
    standing = [s for s in facts.snoozes if s.item == item and (after is None or s.at > after)]
    snooze = max(standing, key=lambda s: (s.until, s.at), default=None)
    if snooze is None or snooze.until <= slot.due:
        return slot
    part = (("snoozed_because", {"day": snooze.until, "reason": snooze.reason}) if snooze.reason
            else ("snoozed", {"day": snooze.until}))
    return replace(slot, due=snooze.until, parts=slot.parts + [part])


# -- every item of a client -------------------------------------------------------------------


def follow_ups(facts: ClientFacts, policy: Policy, tz: tzinfo) -> list[DueItem]:
    """Every open item for one client, whatever its date, each with the days it is shown on."""
    if not facts.registered or facts.state == CLOSED:
        return []
    plan = policy.plan(facts.plan)
    last_session = facts.sessions[-1] if facts.sessions else None
    last_message = facts.last_message
    touches = [t for t in (last_session, last_message) if t is not None]
    last_touch = max(touches) if touches else None  # the latest outbound touch
    slots: list[_Slot] = []

    if facts.state == ACTIVE:
        slots = _back_from_a_break(facts, _ladder_slots(facts, plan, tz), tz)
        slots = [_snoozed(facts, s, CHECKPOINT, last_touch) for s in slots]
        question = silence(facts, policy, tz)
        if question is not None:
            slots = _with_silence(slots, question)
    elif facts.state == PAUSED and facts.state_since is not None:
        paused = facts.state_since
        heard = any(xs and xs[-1] > paused for xs in (facts.replies, facts.sessions))
        if not heard:
            pause_day = _day(paused, tz)
            if facts.pause_until is not None:
                due = facts.pause_until
                parts = [("intent_until", {"day": pause_day, "until": due})]
            else:
                due = pause_day + timedelta(days=policy.pause_days)
                parts = [("intent", {"days": policy.pause_days, "day": pause_day})]
            asked = _asked_before(facts, policy, tz, paused)
            if asked is not None:
                # Paused after the silence was asked about, without an answer: a second
                # question would be a chase. The pause's day brings the decision back instead.
                slot = _snoozed(facts, _Slot(due, DECIDE, [("decide", {"day": asked})], pause_day, kind=DECIDE),
                                DECIDE, paused)
            else:
                slot = _question(facts, policy, tz, paused, due, parts, pause_day)
            if slot.kind == INTENT_CHECK:  # a snooze made while paused, before snoozes named their item
                slot = _snoozed(facts, slot, CHECKPOINT, paused)
            slots = [slot]

    items = [_item(facts, slot) for slot in slots]

    if facts.replies:
        reply = facts.replies[-1]
        if last_touch is None or last_touch <= reply:
            day = _day(reply, tz)
            slot = _Slot(day, RESPOND, [("reply", {"day": day})], day, kind=RESPOND)
            items.append(_item(facts, _snoozed(facts, slot, RESPOND, last_touch)))

    if facts.state == ACTIVE:
        no_show = _no_show_item(facts, tz)
        if no_show is not None:
            items.append(no_show)

    items.extend(_promise_items(facts, tz))
    return items


def _no_show_item(facts: ClientFacts, tz: tzinfo) -> DueItem | None:
    """Rule 9: the latest no-show, not followed by any contact, is one gentle contact the day after."""
    no_shows = [m for m in facts.missed if m.kind == "no_show"]
    if not no_shows:
        return None
    missed = max(no_shows, key=lambda m: m.at)
    if any(xs and xs[-1] > missed.at for xs in (facts.sessions, facts.messages, facts.replies)):
        return None
    day = _day(missed.at, tz)
    slot = _Slot(day + timedelta(days=1), NO_SHOW, [("no_show", {"day": day})], day, kind=NO_SHOW)
    return _item(facts, slot)


def _item(facts: ClientFacts, slot: _Slot) -> DueItem:
    detail, parts = why(*slot.parts)
    return DueItem(facts.id, facts.name, slot.due, slot.label, slot.kind, detail, facts.channel, slot.basis,
                   "", parts, slot.missed, slot.shown_from, slot.shown_until)


def _promise_items(facts: ClientFacts, tz: tzinfo) -> list[DueItem]:
    """Rule 6: every promise not kept yet, on its (rescheduled) date."""
    out = []
    last_message_day = _day(facts.last_message, tz) if facts.messages else None
    for promise in facts.promises:
        if promise.id in facts.kept:
            continue
        if not promise.explicit and last_message_day is not None and last_message_day >= promise.due - timedelta(days=1):
            continue  # made under the first edition's rule: kept by any message about then
        due, parts = promise.due, [("promised", {"what": promise.what})]
        moved = facts.rescheduled.get(promise.id)
        if moved is not None:
            due = moved.due
            parts.append(("rescheduled", {"day": due}))
        detail, structured = why(*parts)
        out.append(DueItem(facts.id, facts.name, due, PROMISE, PROMISE, detail, facts.channel,
                           _day(promise.at, tz), promise.id, structured))
    return out


def answered_after(facts: ClientFacts, item: DueItem, cutoff: datetime) -> datetime | None:
    """The first moment after ``cutoff`` that did what an item asked (Past day's "Done?"): a
    message or a session answers a checkpoint, a reply or an intent check; a decision is a
    pause or a close, or the client's reply or session (rule 3: a message is not one); a
    promise is kept explicitly (rule 6)."""
    def first(moments: list[datetime]) -> datetime | None:
        i = bisect_right(moments, cutoff)
        return moments[i] if i < len(moments) else None

    if item.kind == PROMISE:
        kept = facts.kept.get(item.ref)
        candidates = [kept] if kept is not None and kept > cutoff else []
    elif item.kind == DECIDE:
        since = facts.state_since if facts.state != ACTIVE else None
        candidates = [first(facts.sessions), first(facts.replies), since if since and since > cutoff else None]
    else:
        candidates = [first(facts.messages), first(facts.sessions)]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None


def items_on(facts: ClientFacts, policy: Policy, tz: tzinfo, day: date) -> list[DueItem]:
    """The client's open items as of ``day``, earliest first."""
    return sort_items(i for i in follow_ups(facts, policy, tz) if i.shown_on(day))


def next_item(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date) -> DueItem | None:
    """The earliest open item for a client as of a day (what status shows as "next due")."""
    items = [i for i in follow_ups(facts, policy, tz) if i.shown_on(as_of)]
    return min(items, key=lambda i: (i.due, i.reason)) if items else None


def earliest(items: Iterable[DueItem], as_of: date) -> DueItem | None:
    shown = [i for i in items if i.shown_on(as_of)]
    return min(shown, key=lambda i: (i.due, i.reason)) if shown else None


def item_of(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date, kind: str) -> DueItem | None:
    """The client's open item of one kind as of a day (a promise: use its ``ref``)."""
    for item in items_on(facts, policy, tz, as_of):
        if item.kind == kind:
            return item
    return None


def due_list(
    caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, days: int = 0
) -> list[DueItem]:
    """Every item due on or before ``as_of`` (+ ``days``), sorted by due date then name."""
    horizon = as_of + timedelta(days=days)
    return sort_items(
        i for facts in caseload.registered() for i in follow_ups(facts, policy, tz)
        if i.due <= horizon and i.shown_on(as_of)
    )


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda i: (i.due, i.name, i.client, i.reason))


# -- rule 7: the client's pace -----------------------------------------------------------------


def messages_in_week_before(facts: ClientFacts, moment: datetime) -> int:
    """Your messages to the client in the 7 days before ``moment``."""
    messages = facts.messages
    return bisect_left(messages, moment) - bisect_left(messages, moment - timedelta(days=7))


def pace_warning(facts: ClientFacts, moment: datetime, policy: Policy) -> int | None:
    """The number of messages in the week before, when one more would go past the client's
    pace (``max_per_week``); None otherwise."""
    count = messages_in_week_before(facts, moment)
    return count if count >= policy.max_per_week else None


class DueBoard:
    """Every client's open items, kept up to date one client at a time.

    The app's due list after one recorded event is a matter of recomputing that client's
    items, not every client's (a projection updated incrementally, not a replay). Items carry
    the days they are shown on, so the board holds for every day, not only the one it was
    built on.
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
        return sort_items(i for items in self.items.values() for i in items
                          if i.due <= horizon and i.shown_on(as_of))
