"""The follow-up policy, third edition: what is due for a client, and when. Never pushed,
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

Third edition (issue 22: the seams between the rules), on top of the above:

- Rule 1: a message says what it answers (``MessageSent.answers``, ``record message --for``;
  default :func:`message_for`). Only one written for the intent check asks the question
  (a line without ``answers`` asks it when sent on or after its day, as before); one that only
  keeps a promise (``answers="promise"``) answers nothing else.
- Rule 2: unanswered messages (:func:`unanswered_messages`) leave out the 24h note and those
  needing no reply; from the ``silence_messages``-th on, only the question is due (you wait),
  due on the later of X + the plan's ``silence_days`` (:meth:`Policy.silence_for`) and 7 days
  after it. X counts from a resume or reopening too (:func:`silence_since`).
  A reply that ends a silence brings the checkpoint back due on its day, not overdue for the
  time you waited (as after a pause), beside the reply's ``respond``.
- Rule 4: the question at the pause's end whether or not they wrote; a reply on or after that
  day brings a ``decide`` on its day.
- 10. A closed client who writes back has a ``respond`` item (:func:`wrote_back`).
- 11. **Appointments**: an ``appointment`` item on its day until a session or a missed session
  on or after it; while one is ahead no question, no decision, no checkpoint due within 7
  days before it.
- 12. A client with no session, appointment, missed session or message: one ``first-session``
  item ``first_session_days`` after registering.
- 13. A client's ``respond`` is listed first of their items (:func:`sort_items`).
- Rule 7 counts only *extra* messages (:func:`extra_messages`), for the warning and the
  audit's ``over_contact`` alike.

An item that depends on the day it is looked at (rule 1's windows, rule 2's switch) carries
the days it is shown on (``shown_from`` <= T < ``shown_until``), so a client's items are
computed once, not once per day: :class:`DueBoard` and every report filter them by day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable, NamedTuple

from .caseload import ACTIVE, CLOSED, PAUSED, Caseload, ClientFacts
from .events import CaseClosed, CaseReopened, ClientPaused, ClientResumed
from .moments import index_left, index_right, marks_index_right, walked
from .plans import Plan, Policy, cadence_label, step_label

CHECKPOINT, RESPOND, PROMISE, INTENT_CHECK, DECIDE = "checkpoint", "respond", "promise", "intent-check", "decide"
NO_SHOW = "no-show"
APPOINTMENT, FIRST_SESSION = "appointment", "first-session"
# What a message can be written for (``record message --for``); "promise": it keeps one, nothing else.
MESSAGE_FOR: tuple[str, ...] = (CHECKPOINT, RESPOND, INTENT_CHECK, NO_SHOW, FIRST_SESSION)
APPOINTMENT_SHADOW_DAYS = 7  # a checkpoint due this close before a booked session is left to it
LATE_AFTER_DAYS = 3  # a message this many days after the due date uses the label's late wording


@dataclass(frozen=True)
class DueItem:
    client: str
    name: str
    due: date
    reason: str  # the label: 24h, 1w, monthly, respond, promise, intent-check, decide, ...
    kind: str  # checkpoint | respond | promise | intent-check | decide
    channel: str
    basis: date | None = None  # the day the item counts from (session, reply, pause, ...)
    ref: str = ""  # the event the item stands for, when there is one (a promise)
    # The reason in parts, for the shell to say in the user's language: ((key, ((name, value), ...)), ...)
    why: tuple = ()
    missed: tuple[str, ...] = ()  # labels of the checkpoints passed unanswered before this one
    shown_from: date | None = None  # the first day this item is the client's (None: from always)
    shown_until: date | None = None  # the first day it no longer is (None: until answered)

    @property
    def detail(self) -> str:
        """Why, in (English) words: "1w after session of 11-01" (the calendar export's text)."""
        return ", ".join(WHY[key].format(**{k: _md(v) if isinstance(v, date) else v for k, v in params})
                         for key, params in self.why)

    @property
    def uid(self) -> str:
        """Stable across snoozes and re-exports: the same obligation keeps the same uid."""
        return _uid(self.client, self.reason, self.ref, self.basis)

    @property
    def missed_uids(self) -> tuple[str, ...]:
        """The uids of the checkpoints this one lists as missed (passed unanswered before it)."""
        return tuple(_uid(self.client, label, "", self.basis) for label in self.missed)

    def overdue_days(self, as_of: date) -> int:
        return max(0, (as_of - self.due).days)

    def shown_on(self, day: date) -> bool:
        """Whether this is one of the client's items as of ``day``."""
        return (self.shown_from is None or self.shown_from <= day) and (
            self.shown_until is None or day < self.shown_until)

    def late_on(self, day: date) -> bool:
        """A message on ``day`` for this item is late enough for the late wording."""
        return (day - self.due).days > LATE_AFTER_DAYS


DECISIONS = (ClientPaused, ClientResumed, CaseClosed, CaseReopened)  # what rule 3's decision is made by


def _uid(client: str, reason: str, ref: str, basis: date | None) -> str:
    return f"{client}-{reason}-{ref}" if ref else f"{client}-{reason}-{basis.isoformat() if basis else ''}"


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
    "reopened": "reopened {day}",
    "wrote_after_silence": "they wrote {day}, after a silence",
    "intent": "ask about intent, {days} days after pause of {day}",
    "intent_until": "ask about intent: the pause of {day} ends {until}",
    "silence": "ask about intent: nothing from them since {day}, {count} messages unanswered",
    "decide": "decide: close, pause or wait (no answer to the question of {day})",
    "reply": "reply of {day} to answer",
    "promised": "promised: {what}",
    "rescheduled": "rescheduled to {day}",
    "no_show": "did not come to the session of {day}: a gentle contact",
    "wrote_back": "wrote back after the close of {day}",
    "decide_wrote": "decide: resume, pause again or close (they wrote on {day}, after the pause's end)",
    "appointment": "session at {time}",
    "first_session": "registered {day}: no session yet",
}


def why(*parts: tuple[str, dict]) -> tuple:
    """The structured parts of a reason: ((key, ((name, value), ...)), ...)."""
    return tuple((key, tuple(params.items())) for key, params in parts)


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


class _Slot(NamedTuple):
    """A candidate for the client's one checkpoint item, on the days it is shown (a tuple:
    two thousand clients' slots are made for each past day looked at)."""

    due: date
    label: str
    parts: list
    basis: date
    missed: tuple[str, ...] = ()
    shown_from: date | None = None
    shown_until: date | None = None
    kind: str = CHECKPOINT
    ref: str = ""  # the event it stands for (an appointment)


def _ladder_slots(facts: ClientFacts, plan: Plan, tz: tzinfo) -> list[_Slot]:
    """Rule 1: the checkpoint (or check-in) item as it changes with the day looked at."""
    messages = facts.messages
    if facts.sessions:
        session = facts.sessions[-1]
        s = _day(session, tz)
        i = index_left(messages, session)
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
    back = "reopened" if isinstance(facts.lifecycle, CaseReopened) else "resumed"  # (a close is not a pause)
    return [s._replace(due=since, parts=s.parts + [(back, {"day": since})]) if s.due < since else s
            for s in slots]


def _wrote_after_a_silence(facts: ClientFacts, policy: Policy, tz: tzinfo) -> date | None:
    """The day of the client's latest reply when it ended a silence: ``silence_messages`` of
    your messages unanswered before it, counted from their contact (or the resume) before it.
    None otherwise (a session since it, no reply, too few messages before it)."""
    replies, sessions, messages = facts.replies, facts.sessions, facts.messages
    if not replies:
        return None
    reply = replies[-1]
    before = [m for m in (sessions[-1] if sessions else None, replies[-2] if len(replies) > 1 else None,
                          facts.registered_at) if m is not None]
    if sessions and sessions[-1] >= reply:
        return None  # a session since: the ladder counts from it
    since = max(before, default=None)
    back = facts.state_since if facts.state == ACTIVE else None
    if back is not None and back < reply and (since is None or back > since):
        since = back
    if since is None or index_left(messages, reply) - index_right(messages, since) < policy.silence_messages:
        return None  # (fewer messages than that between them, answered or not)
    waiting = unanswered_messages(facts, policy, tz, since)
    if index_left(waiting, reply) < policy.silence_messages:
        return None
    return _day(reply, tz)


def _back_from_a_silence(facts: ClientFacts, policy: Policy, tz: tzinfo, slots: list[_Slot]) -> list[_Slot]:
    """Back from a silence (rule 2): the checkpoint the question stood in for while you waited
    comes back due the day they wrote, not overdue for the time you waited (it was never
    listed then), as after a pause."""
    day = _wrote_after_a_silence(facts, policy, tz)
    if day is None:
        return slots
    return [s._replace(due=day, parts=s.parts + [("wrote_after_silence", {"day": day})]) if s.due < day else s
            for s in slots]


# -- rules 2 and 3: silence, one question, one decision -------------------------------------


def last_contact_from_client(facts: ClientFacts) -> datetime | None:
    """The latest session or reply (the registration when there is neither)."""
    candidates = [xs[-1] for xs in (facts.sessions, facts.replies) if xs]
    return max(candidates) if candidates else facts.registered_at


def silence_since(facts: ClientFacts) -> datetime | None:
    """Where the client's silence counts from: their last contact, or the resume (or reopening)
    after it -- resuming clears every question and decision from before."""
    since = last_contact_from_client(facts)
    back = facts.state_since if facts.state == ACTIVE else None
    if back is not None and (since is None or back > since):
        return back
    return since


def _marks_after(facts: ClientFacts, since: datetime) -> dict[datetime, tuple[str, bool]]:
    """What each message after ``since`` was written for, when it says: (item, no reply needed)."""
    marks = facts.message_marks
    return {m[0]: (m[1], m[2]) for m in marks[marks_index_right(marks, since):]}


def unanswered_messages(facts: ClientFacts, policy: Policy, tz: tzinfo, since: datetime) -> list[datetime]:
    """Your messages after the client's last contact (``since``) that wait for an answer: not
    the note that answers only the ladder's first checkpoint (it says no reply is needed), nor
    one recorded as needing no reply."""
    messages = facts.messages
    i = index_right(messages, since)
    if i == len(messages):
        return []
    marks = _marks_after(facts, since)
    note = None  # the first message after the latest session, when it answers only the first checkpoint
    if facts.sessions:
        session = facts.sessions[-1]
        j = index_left(messages, session)
        if j < len(messages) and messages[j] > since:
            ladder = policy.plan(facts.plan).ladder
            end = window_offsets(ladder)[1] if len(ladder) > 1 else ladder[0] + 1
            first = messages[j]
            if (_day(first, tz) - _day(session, tz)).days < end and marks.get(first, ("",))[0] in ("", CHECKPOINT):
                note = j
    return [m for k, m in enumerate(messages[i:], i) if k != note and not marks.get(m, ("", False))[1]]


def _asking(facts: ClientFacts, tz: tzinfo, since: datetime, due: date) -> datetime | None:
    """The message that asked the question due on ``due`` about what began at ``since``: the
    first one after it written for the intent check (a line from before messages said what they
    were for: the first one on or after that day)."""
    messages = facts.messages
    marks = _marks_after(facts, since)
    start = _start_of(due, tz)
    for m in messages[index_right(messages, since):]:
        answers = marks.get(m, ("", False))[0]
        if answers == INTENT_CHECK or (answers == "" and m >= start):
            return m
    return None


def _question(facts: ClientFacts, policy: Policy, tz: tzinfo, since: datetime, due: date,
              parts: list, basis: date) -> list[_Slot]:
    """The one question of intent due on ``due`` (asked about the silence or pause that
    began at ``since``), and, from the day a message asked it, the decision."""
    question = _snoozed(facts, _Slot(due, INTENT_CHECK, parts, basis, kind=INTENT_CHECK), INTENT_CHECK, since)
    asked = _asking(facts, tz, since, due)
    if asked is None:
        return [question]
    day = _day(asked, tz)
    slot = _Slot(day + timedelta(days=policy.decide_days), DECIDE, [("decide", {"day": day})], day, kind=DECIDE,
                 shown_from=day)
    return [question._replace(shown_until=day), _snoozed(facts, slot, DECIDE, asked)]


def _asked_before(facts: ClientFacts, policy: Policy, tz: tzinfo, moment: datetime) -> date | None:
    """The day the client's current silence was asked about, when that was before ``moment``
    and they have not been in touch since (None otherwise)."""
    found = silence(facts, policy, tz)
    if found is None:
        return None
    slots, _ = found
    decide = slots[-1]
    if decide.kind != DECIDE or _start_of(decide.basis, tz) >= moment:
        return None
    return decide.basis


def quiet_from(facts: ClientFacts, policy: Policy, tz: tzinfo) -> date | None:
    """The day the client counts as gone quiet: the plan's silence days
    (:meth:`Policy.silence_for`) after their silence began (:func:`silence_since`: their last
    session or reply -- your own messages do not count --, else their registration, resume or
    reopening). The one definition of quiet: rule 2's question falls due on this day at the
    earliest, and the audit's ``gone_quiet`` flag and the Clients screen's colour read
    :func:`gone_quiet`."""
    since = silence_since(facts)
    if since is None:
        return None
    return _day(since, tz) + timedelta(days=policy.silence_for(policy.plan(facts.plan)))


def gone_quiet(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date) -> bool:
    """An active client quiet since :func:`quiet_from` by ``as_of`` (a paused or closed one is
    away, not quiet)."""
    day = quiet_from(facts, policy, tz)
    return facts.state == ACTIVE and day is not None and day <= as_of and not facts.forgotten


def silence(facts: ClientFacts, policy: Policy, tz: tzinfo) -> tuple[list[_Slot], date] | None:
    """Rule 2: the intent check (and rule 3's decision after it) of a client who has gone
    quiet, with the day they did (the ``silence_messages``-th unanswered message: from then on
    nothing else is due); None while they have not."""
    since = silence_since(facts)
    if since is None:
        return None
    waiting = unanswered_messages(facts, policy, tz, since)
    if len(waiting) < policy.silence_messages:
        return None
    x = _day(since, tz)
    nth = _day(waiting[policy.silence_messages - 1], tz)
    quiet = quiet_from(facts, policy, tz)
    assert quiet is not None
    due = max(quiet, nth + timedelta(days=7))
    return _question(facts, policy, tz, since, due, [("silence", {"day": x, "count": len(waiting)})], x), nth


def waiting_since(facts: ClientFacts, policy: Policy, tz: tzinfo) -> date | None:
    """The day you began waiting (your first unanswered message) when the client has gone
    quiet and only the one question is ahead (rule 2); None otherwise."""
    if silence(facts, policy, tz) is None:
        return None
    since = silence_since(facts)
    assert since is not None
    return _day(unanswered_messages(facts, policy, tz, since)[0], tz)


def _cut(slots: list[_Slot], day: date) -> list[_Slot]:
    """The slots as shown before ``day`` only."""
    return [slot._replace(shown_until=day if slot.shown_until is None else min(slot.shown_until, day))
            for slot in slots if slot.shown_from is None or slot.shown_from < day]


def _with_silence(slots: list[_Slot], question: list[_Slot], switch: date) -> list[_Slot]:
    """The checkpoint slots until the day the client went quiet, the question (and the decision
    after it) from then on: you wait, and ask once."""
    return _cut(slots, switch) + [q._replace(shown_from=switch if q.shown_from is None else max(q.shown_from, switch))
                                  for q in question]


# -- rule 5: snoozes -------------------------------------------------------------------------


def _snoozed(facts: ClientFacts, slot: _Slot, item: str, after: datetime | None) -> _Slot:
    """The slot moved by the snoozes of ``item`` made after ``after`` (the one that moves it
    furthest: a later snooze to an earlier day never brings it forward) -- never earlier."""
    standing = [s for s in facts.snoozes if s.item == item and (after is None or s.at > after)]
    snooze = max(standing, key=lambda s: (s.until, s.at), default=None)
    if snooze is None or snooze.until <= slot.due:
        return slot
    part = (("snoozed_because", {"day": snooze.until, "reason": snooze.reason.strip()}) if snooze.reason.strip()
            else ("snoozed", {"day": snooze.until}))
    return slot._replace(due=snooze.until, parts=slot.parts + [part])


# -- every item of a client -------------------------------------------------------------------


def follow_ups(facts: ClientFacts, policy: Policy, tz: tzinfo) -> list[DueItem]:
    """Every open item for one client, whatever its date, each with the days it is shown on.
    None for a client erased (``forget``): what is left of them is a skeleton for the audit, with
    no name nor channel to follow up by, and no command acts on it (its rows stayed overdue on
    every list, for ever, while the app said they had left it)."""
    if not facts.registered or facts.forgotten:
        return []
    if facts.state == CLOSED:
        return _wrote_back(facts, tz)
    plan = policy.plan(facts.plan)
    last_session = facts.sessions[-1] if facts.sessions else None
    last_message = facts.last_message
    touches = [t for t in (last_session, last_message) if t is not None]
    last_touch = max(touches) if touches else None  # the latest outbound touch
    slots: list[_Slot] = []

    if facts.state == ACTIVE:
        slots = _back_from_a_break(facts, _ladder_slots(facts, plan, tz), tz)
        slots = _back_from_a_silence(facts, policy, tz, slots)
        slots = [_snoozed(facts, s, CHECKPOINT, last_touch) for s in slots]
        found = silence(facts, policy, tz)
        if found is not None:
            slots = _with_silence(slots, *found)
    elif facts.state == PAUSED and facts.state_since is not None:
        slots = _paused(facts, policy, tz)

    appointment = _appointment(facts, tz)
    if appointment is not None:
        slots = _before_appointment(slots, appointment)
        slots.append(appointment)
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
        first = _first_session_item(facts, policy, tz)
        if first is not None:
            items.append(first)

    items.extend(_promise_items(facts, tz))
    return items


def _paused(facts: ClientFacts, policy: Policy, tz: tzinfo) -> list[_Slot]:
    """Rule 4: the one question at the pause's end, whether or not they wrote meanwhile; a reply
    on or after that day brings the decision (resume, pause again or close) on its day."""
    paused = facts.state_since
    assert paused is not None
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
        slots = [_snoozed(facts, _Slot(due, DECIDE, [("decide", {"day": asked})], pause_day, kind=DECIDE),
                          DECIDE, paused)]
    else:
        slots = _question(facts, policy, tz, paused, due, parts, pause_day)
        if slots[0].kind == INTENT_CHECK:  # a snooze made while paused, before snoozes named their item
            slots[0] = _snoozed(facts, slots[0], CHECKPOINT, paused)
    replies = facts.replies
    k = index_left(replies, max(paused, _start_of(due, tz)))
    if k < len(replies):
        day = _day(replies[k], tz)
        wrote = _Slot(day, DECIDE, [("decide_wrote", {"day": day})], day, kind=DECIDE, shown_from=day)
        slots = _cut(slots, day) + [_snoozed(facts, wrote, DECIDE, replies[k])]
    return slots


def _wrote_back(facts: ClientFacts, tz: tzinfo) -> list[DueItem]:
    """Rule 10: a closed client who writes back is answered (by a message, or by reopening)."""
    closed = facts.state_since
    replies = facts.replies
    if closed is None or not replies or replies[-1] <= closed:
        return []
    if facts.messages and facts.messages[-1] >= replies[-1]:
        return []
    day, close_day = _day(replies[-1], tz), _day(closed, tz)
    slot = _Slot(day, RESPOND, [("wrote_back", {"day": close_day})], day, kind=RESPOND)
    return [_item(facts, _snoozed(facts, slot, RESPOND, closed))]


def wrote_back(facts: ClientFacts) -> bool:
    """A closed client wrote after the close and has not been answered: a message is welcome."""
    closed = facts.state_since
    replies = facts.replies
    return (facts.state == CLOSED and closed is not None and bool(replies) and replies[-1] > closed
            and not (facts.messages and facts.messages[-1] >= replies[-1]))


# -- rule 11: appointments ----------------------------------------------------------------------


def open_promises(facts: ClientFacts) -> list:
    """The client's promises not kept yet."""
    return [p for p in facts.promises if p.id not in facts.kept]


def promise_due(facts: ClientFacts, promise) -> date:
    """The day a promise is due now: its latest reschedule's, else the day promised."""
    moved = facts.rescheduled.get(promise.id)
    return moved.due if moved is not None else promise.due


def open_appointments(facts: ClientFacts, tz: tzinfo) -> list:
    """The appointments not cancelled and not yet met: no session or missed session recorded on
    or after their day. Earliest first."""
    found = []
    for booked in facts.appointments:
        if booked.id in facts.cancelled_appointments:
            continue
        start = _start_of(_day(booked.when, tz), tz)
        if any(xs and xs[-1] >= start for xs in (facts.sessions, [m.at for m in facts.missed])):
            continue
        found.append(booked)
    return sorted(found, key=lambda b: b.when)


def _appointment(facts: ClientFacts, tz: tzinfo) -> _Slot | None:
    found = open_appointments(facts, tz)
    if not found or facts.state != ACTIVE:
        return None
    booked = found[0]
    local = booked.when.astimezone(tz)
    return _Slot(local.date(), APPOINTMENT, [("appointment", {"time": local.strftime("%H:%M")})],
                 local.date(), kind=APPOINTMENT, shown_from=_day(booked.at, tz), ref=booked.id)


def _before_appointment(slots: list[_Slot], appointment: _Slot) -> list[_Slot]:
    """While a session is booked: no question and no decision, and no checkpoint due within
    a week before it (the session will do), from the day it was booked."""
    booked = appointment.shown_from
    assert booked is not None
    shadow = appointment.due - timedelta(days=APPOINTMENT_SHADOW_DAYS)
    kept = []
    for slot in slots:
        if slot.kind in (INTENT_CHECK, DECIDE) or (slot.kind == CHECKPOINT and slot.due >= shadow):
            kept.extend(_cut([slot], booked))
        else:
            kept.append(slot)
    return kept


def _first_session_item(facts: ClientFacts, policy: Policy, tz: tzinfo) -> DueItem | None:
    """Rule 12: a client with no session, no appointment (nor a missed one) and no message yet is on the list
    ``first_session_days`` after registering."""
    if facts.sessions or facts.messages or facts.appointments or facts.missed or facts.registered_at is None:
        return None
    day = _day(facts.registered_at, tz)
    slot = _Slot(day + timedelta(days=policy.first_session_days), FIRST_SESSION,
                 [("first_session", {"day": day})], day, kind=FIRST_SESSION)
    return _item(facts, _snoozed(facts, slot, FIRST_SESSION, None))


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
    return DueItem(facts.id, facts.name, slot.due, slot.label, slot.kind, facts.channel, slot.basis,
                   slot.ref, why(*slot.parts), slot.missed, slot.shown_from, slot.shown_until)


def _promise_items(facts: ClientFacts, tz: tzinfo) -> list[DueItem]:
    """Rule 6: every promise not kept yet, on its (rescheduled) date."""
    out = []
    last_message_day = _day(facts.last_message, tz) if facts.messages else None
    for promise in facts.promises:
        if promise.id in facts.kept:
            continue
        if not promise.explicit and last_message_day is not None and last_message_day >= promise.due - timedelta(days=1):
            continue  # made under the first edition's rule: kept by any message about then
        due, parts = promise_due(facts, promise), [("promised", {"what": promise.what})]
        if promise.id in facts.rescheduled:
            parts.append(("rescheduled", {"day": due}))
        out.append(DueItem(facts.id, facts.name, due, PROMISE, PROMISE, facts.channel,
                           _day(promise.at, tz), promise.id, why(*parts)))
    return out


def answered_after(facts: ClientFacts, item: DueItem, cutoff: datetime) -> datetime | None:
    """The first moment after ``cutoff`` that did what an item asked (Past day's "Done?"): a
    message or a session answers a checkpoint, a reply or an intent check; a decision is a
    pause, a close, a resume or a reopening, or a session (rule 3: a message is not one; the
    client's reply clears it, but nobody decided); a promise is kept explicitly (rule 6)."""
    def first(moments: list[datetime]) -> datetime | None:
        i = index_right(moments, cutoff)
        return moments[i] if i < len(moments) else None

    if item.kind == PROMISE:
        kept = facts.kept.get(item.ref)
        candidates = [kept] if kept is not None and kept > cutoff else []
    elif item.kind == DECIDE:  # decided: a pause, a close, a resume or a reopening, whatever came after it
        decided = min((e.at for e in facts.details if isinstance(e, DECISIONS) and e.at > cutoff), default=None)
        candidates = [first(facts.sessions), decided]  # (their reply clears it: nobody decided)
    else:
        candidates = [first(facts.messages), first(facts.sessions)]
    found = [c for c in candidates if c is not None]
    return min(found) if found else None


def message_for(facts: ClientFacts, policy: Policy, tz: tzinfo, day: date) -> str:
    """What a message on ``day`` is written for when nothing says (rule 1): the client's first
    item as ``due`` lists it (an answer to their reply first), promises, decisions and
    appointments aside; a checkpoint when nothing is due."""
    due = [i for i in items_on(facts, policy, tz, day) if i.due <= day and i.kind in MESSAGE_FOR]
    if any(i.kind == RESPOND for i in due):
        return RESPOND
    return due[0].kind if due else CHECKPOINT


def asked_unanswered(facts: ClientFacts, policy: Policy, tz: tzinfo) -> date | None:
    """Rule 3: the day the client was asked about their intent when the question went
    unanswered (a decision is open or coming); None otherwise."""
    for item in follow_ups(facts, policy, tz):
        if item.kind == DECIDE and item.why and item.why[0][0] == "decide":
            return dict(item.why[0][1])["day"]
    return None


def wrote_after_pause(item: DueItem) -> date | None:
    """Rule 4: the day a paused client wrote, on or after the pause's end, when ``item`` is the
    decision that brought (resume, pause again or close: they answered, nothing went
    unanswered); None for any other item."""
    if item.kind == DECIDE and item.why and item.why[0][0] == "decide_wrote":
        return dict(item.why[0][1])["day"]
    return None


def ahead(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date) -> list[DueItem]:
    """What comes next for the client as of a day (the Client screen, ``status --json``): the
    items shown then or later -- the remaining checkpoints with their windows (``shown_from``),
    the one question while you wait, the next appointment -- by due date."""
    return sorted((i for i in follow_ups(facts, policy, tz) if i.shown_until is None or i.shown_until > as_of),
                  key=lambda i: (i.due, i.reason))


def items_on(facts: ClientFacts, policy: Policy, tz: tzinfo, day: date) -> list[DueItem]:
    """The client's open items as of ``day``, earliest first."""
    return sort_items(i for i in follow_ups(facts, policy, tz) if i.shown_on(day))


def next_item(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date) -> DueItem | None:
    """The earliest open item for a client as of a day (what status shows as "next due")."""
    return earliest(follow_ups(facts, policy, tz), as_of)


def earliest(items: Iterable[DueItem], as_of: date) -> DueItem | None:
    """The earliest of the items shown as of a day (by due date, then label)."""
    shown = [i for i in items if i.shown_on(as_of)]
    return min(shown, key=lambda i: (i.due, i.reason)) if shown else None


def item_of(facts: ClientFacts, policy: Policy, tz: tzinfo, as_of: date, kind: str) -> DueItem | None:
    """The client's open item of one kind as of a day (a promise: use its ``ref``)."""
    for item in items_on(facts, policy, tz, as_of):
        if item.kind == kind:
            return item
    return None


def due_items(items: Iterable[DueItem], as_of: date, days: int = 0, coming: bool = False) -> list[DueItem]:
    """The one due filter: the items shown as of ``as_of`` and due on or before ``as_of`` (+
    ``days``), sorted (:func:`sort_items`); ``coming``: with the later checkpoints of the
    ladder not shown yet but due by then too (the calendar's reminders)."""
    horizon = as_of + timedelta(days=days)
    return sort_items(i for i in items if i.due <= horizon and (
        i.shown_on(as_of) or (coming and i.shown_from is not None and i.shown_from > as_of)))


def due_counts(items: Iterable[DueItem], as_of: date) -> tuple[int, int, int]:
    """(overdue, due that day, later) of a due list: Today's and ``followup due``'s counts."""
    items = list(items)
    overdue = sum(1 for i in items if i.due < as_of)
    today = sum(1 for i in items if i.due == as_of)
    return overdue, today, len(items) - overdue - today


def owner_of(caseload: Caseload, client: str) -> str:
    """The counselor the client is assigned to (``ClientFacts.owner``; "" for no such client)."""
    facts = caseload.get(client)
    return facts.owner if facts is not None else ""


def mine(items: Iterable[DueItem], caseload: Caseload, actor: str) -> list[DueItem]:
    """The items of the clients assigned to ``actor`` (Today's ``w``, ``followup due --mine``)."""
    return [i for i in items if owner_of(caseload, i.client) == actor]


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """By due date then name; a client's answer to their reply first of their items (rule 13)."""
    items = list(items)
    first: dict[str, date] = {}
    for i in items:
        if i.client not in first or i.due < first[i.client]:
            first[i.client] = i.due
    return sorted(items, key=lambda i: (first[i.client] if i.kind == RESPOND else i.due, i.name, i.client,
                                        i.kind != RESPOND, i.reason))


# -- rule 7: the client's pace -----------------------------------------------------------------


def messages_in_week_before(facts: ClientFacts, moment: datetime, itself: bool = False) -> int:
    """Your messages to the client in the 7 days before ``moment``, those recorded at that very
    moment too (two in one second, or two imported with one time: the second is past the pace
    as much as one a second later). ``itself``: a message recorded at ``moment`` is the one
    asked about, not counted (one of them, when several are)."""
    messages = facts.messages
    upto = index_right(messages, moment)
    if itself and upto > index_left(messages, moment):
        upto -= 1
    return upto - index_left(messages, moment - timedelta(days=7))


def extra_messages(facts: ClientFacts, policy: Policy, tz: tzinfo) -> list[bool]:
    """Rule 7: per message (in order), whether it was *extra*: on its day the client had no
    item due or overdue that it answers -- a checkpoint whose window had opened (or a check-in
    come due), an answer to their reply, the promise it keeps, a no-show, a booked session,
    the question, a first session to arrange."""
    plan = policy.plan(facts.plan)
    ladder, opens = plan.ladder, window_offsets(plan.ladder)
    interval = timedelta(days=plan.interval)
    sessions, replies = walked(facts.sessions), walked(facts.replies)
    kept = set(facts.kept.values())
    marks = {m[0]: m[1] for m in facts.message_marks}
    no_shows = sorted(m.at for m in facts.missed if m.kind == "no_show")
    booked = [b for b in facts.appointments if b.id not in facts.cancelled_appointments]
    registered = _day(facts.registered_at, tz) if facts.registered_at is not None else None
    out: list[bool] = []
    previous: datetime | None = None
    for m in facts.messages:
        day = _day(m, tz)
        i = index_right(sessions, m)
        session = sessions[i - 1] if i else None
        before = previous if previous is not None and (session is None or previous >= session) else None
        if session is not None:
            s = _day(session, tz)
            done = answered(ladder, s, _day(before, tz) if before is not None else None)
            if done < len(ladder):
                answers = bisect_right(opens, (day - s).days) > done
            else:
                answers = day >= (_day(before, tz) if before is not None else s) + interval
        elif previous is not None:
            answers = day >= _day(previous, tz) + interval
        else:
            answers = registered is None or day >= registered  # the first word to a new client
        touches = [t for t in (previous, session) if t is not None]
        touch = max(touches) if touches else None
        j = index_left(replies, m)
        if j and (touch is None or replies[j - 1] > touch):
            answers = True  # a reply to answer
        if m in kept or marks.get(m) in (INTENT_CHECK, PROMISE):
            answers = True
        k = bisect_left(no_shows, m)
        if k and (touch is None or no_shows[k - 1] > touch) and not (j and replies[j - 1] > no_shows[k - 1]):
            answers = True
        if any(b.at <= m and _day(b.when, tz) <= day and not (session is not None and session >= b.when)
               for b in booked):
            answers = True
        out.append(not answers)
        previous = m
    return out


def pace_warning(facts: ClientFacts, moment: datetime, policy: Policy, tz: tzinfo | None = None,
                 extra: bool | None = None) -> int | None:
    """The number of messages in the week before, when a message at ``moment`` is extra and
    goes past the client's pace (``max_per_week``); None otherwise. ``extra``: whether it is
    (None: the recorded message at ``moment``, worked out with ``tz``; without ``tz``, counted
    as extra)."""
    count = messages_in_week_before(facts, moment, itself=extra is None)
    if count < policy.max_per_week:
        return None
    if extra is None and tz is not None:
        flags = extra_messages(facts, policy, tz)
        i = index_right(facts.messages, moment) - 1  # (the last at that moment: recorded last)
        extra = flags[i] if 0 <= i < len(flags) and facts.messages[i] == moment else True
    return count if extra is not False else None


def over_contact(facts: ClientFacts, policy: Policy, tz: tzinfo) -> bool:
    """Rule 7's flag: a 7-day span with more than ``max_per_week`` messages, one of them extra."""
    messages = walked(facts.messages)
    if len(messages) <= policy.max_per_week:
        return False
    flags = extra_messages(facts, policy, tz)
    week = timedelta(days=7)
    for i, m in enumerate(messages):
        if not flags[i]:
            continue
        lo = index_left(messages, m - week + timedelta(microseconds=1))
        for start in range(lo, i + 1):
            if index_left(messages, messages[start] + week) - start > policy.max_per_week:
                return True
    return False


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

    def due(self, as_of: date, days: int = 0, coming: bool = False) -> list[DueItem]:
        """Every client's items through :func:`due_items`."""
        return due_items((i for items in self.items.values() for i in items), as_of, days, coming)
