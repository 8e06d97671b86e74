"""The command layer: the one way in, for the CLI and the TUI alike.

A command is a pure function of the current caseload and the user's intent that returns
the event to append, or raises :class:`CommandError` with a sentence for the user. The
shell (:mod:`tui_followup.storage.journal`) runs it under the log's lock against the latest
state, so a command validated against an older view is validated again before it lands.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Callable, NamedTuple, TypeVar

from .caseload import ACTIVE, CLOSED, PAUSED, Caseload, ClientFacts
from .clock import DATE_RANGE, in_range
from .events import (
    CHANNELS,
    AppointmentBooked,
    AppointmentCancelled,
    CLOSE_REASONS,
    IMPORTANCES,
    MISSED_KINDS,
    SNOOZE_ITEMS,
    AnyEvent,
    CaseClosed,
    CaseReopened,
    ClientAssigned,
    ClientPaused,
    ClientRegistered,
    ClientResumed,
    ClientUpdated,
    ConsentRecorded,
    ConsentWithdrawn,
    EventRetracted,
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
from .plans import Policy
from .policy import CHECKPOINT, MESSAGE_FOR, PROMISE, item_of, message_for, open_appointments, open_promises, wrote_back
from .visible import control_characters

# The longest text a command takes in one field (a note, a summary, a name: typed, given on the
# command line or read from a sheet's cell): about ten pages; anything longer is a mistake.
MAX_TEXT = 20_000

# Why a command can be refused: the English text of every refusal, by key. The shell's
# message catalogue (tui_followup/i18n/, Words.refusal) says the same in Japanese, by the same keys.
REFUSALS: dict[str, str] = {
    "no_client": "no client given",
    "unknown_client": "unknown client {ref!r}: no client has that id or a name starting so",
    "ambiguous_client": "{ref!r} could be {names}: give the id or more of the name",
    "unknown_channel": "unknown channel {channel!r}: use one of {choices}",
    "unknown_plan": "unknown plan {plan!r}: use one of {choices}",
    "closed_case": "the case of {name} ({client}) is closed: reopen it before you {doing}",
    "bad_client_id": "a client id must be one word, without spaces",
    "no_name": "a client needs a name",
    "id_taken": "client id {client!r} is taken by {name}",
    "client_forgotten": "client {client} was forgotten (erased): nothing more is recorded for them",
    "bad_minutes": "a session lasts a positive number of minutes",
    "consent_withdrawn": "{name} withdrew consent to be contacted by {channel}: use another channel",
    "snooze_not_later": "snooze until {until} is not later than today",
    "snooze_not_after_due": "{item} of {name} is due {due}: a snooze moves it later, never earlier (give a date after {due})",
    "nothing_to_snooze": "{name} has no {item} item open to snooze",
    "unknown_item": "unknown item {item!r}: use one of {choices}",
    "not_a_promise": "event {event} is not a promise",
    "promise_of_other": "promise {event} is {other}'s, not {name}'s",
    "promise_kept": "promise {event} was already kept on {day}",
    "no_open_promise": "{name} has no promise open",
    "no_open_appointment": "{name} has no appointment booked",
    "pause_end_past": "a pause cannot end in the past ({until})",
    "no_promise_text": "say what was promised",
    "promise_in_past": "a promise cannot fall due in the past ({due})",
    "already_paused": "{name} is already paused",
    "not_paused": "{name} is not paused",
    "already_closed": "the case of {name} is already closed",
    "unknown_reason": "unknown reason {reason!r}: use one of {choices}",
    "not_closed": "the case of {name} is not closed",
    "no_note_text": "a note needs some text",
    "bad_scope": "a consent scope is one word: a channel (email, chat, ...) or a purpose",
    "ambiguous_event": "event id {ref!r} is ambiguous: give more of it",
    "no_event": "no event with id {ref!r}",
    "no_retract_reason": "say why the event is retracted",
    "retract_retraction": "a retraction cannot be retracted: record the event again instead",
    "already_retracted": "event {event} is already retracted",
    "id_conflict": "event id {event} is already in the log with other content",
    "export_exists": "{path} exists: an export is written to a new file",
    "nothing_to_update": "nothing to change for {name}: give a field with a new value",
    "unknown_importance": "unknown importance {importance!r}: use one of {choices}",
    "unknown_language": "unknown language {language!r}: use one of {choices}",
    "no_consent": "{name} has not consented to be contacted by {channel}: record their consent first",
    "unknown_missed": "unknown kind {kind!r}: use one of {choices}",
    "bad_score": "a score is a whole number from 1 to 5, not {score}",
    "no_assignee": "say whom the client is assigned to (--to NAME)",
    "already_owner": "{name} is already {owner}'s client",
    "date_out_of_range": "{day} is outside the dates this app keeps ({first} to {last})",
    "too_long": "{field} is {n} characters long: at most {max} are kept",
    "control_character": "the {field} holds a control character ({chars}): remove it and try again",
    "session_in_future": "a session is recorded once held, not at {at} (later than now): book it with record appointment",
    "not_an_appointment": "event {event} is not an appointment",
    "appointment_cancelled": "appointment {event} was already cancelled",
    "messaged_since": "{name} was sent a message{by_at} after you opened this one: check it is not the same, then press Enter again to record yours too.",
}

# The doings named in a "closed_case" refusal, by code (the catalogue's ``doing.<code>``).
DOINGS: dict[str, str] = {
    "session": "record a session", "message": "send a message", "snooze": "snooze a follow-up",
    "promise": "make a promise", "pause": "pause it", "resume": "resume it", "keep": "keep a promise",
    "reschedule": "reschedule a promise", "missed": "record a missed session",
}


class CommandError(Exception):
    """The command was refused; ``str(error)`` says why, for the user. Nothing was written.

    ``key`` and ``params`` let the shell say it in the user's language.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        english = {k: DOINGS.get(v, v) if k == "doing" else v for k, v in params.items()}
        if "{by_at}" in REFUSALS[key]:  # who, and when (the catalogue's refusal.by_at)
            by, at = params.get("by"), params.get("at")
            english["by_at"] = f" ({by}, {at:%m-%d %H:%M})" if by and isinstance(at, datetime) else ""
        super().__init__(REFUSALS[key].format(**english))


@dataclass
class Context:
    """What every command needs besides the user's intent."""

    caseload: Caseload
    now: datetime
    tz: tzinfo
    new_id: Callable[[], str]  # unique ids come from the shell (time and randomness are not pure)
    actor: str = "me"
    policy: Policy = field(default_factory=Policy)
    # The languages a client's messages may be written in ("" : the app's language): those
    # whose catalogue the shell found (``i18n.LANGUAGES``); none when not told.
    languages: tuple[str, ...] = ()

    def envelope(self, client: str, at: datetime | None) -> dict:
        moment = self.now if at is None else at
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return dict(
            id=self.new_id(), at=moment, recorded_at=self.now, actor=self.actor, client=client
        )


def fold_name(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def resolve_client(caseload: Caseload, ref: str) -> ClientFacts:
    """A client named by id, or by an unambiguous (case-insensitive) prefix of the name."""
    facts = caseload.get(ref)
    if facts is not None:
        return facts
    wanted = fold_name(ref)
    if not wanted:
        raise CommandError("no_client")
    matches = [c for c in caseload.registered() if fold_name(c.name).startswith(wanted)]
    exact = [c for c in matches if fold_name(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError("unknown_client", ref=ref)
    names = ", ".join(f"{c.name} ({c.id})" for c in matches[:5])
    more = f" +{len(matches) - 5}" if len(matches) > 5 else ""
    raise CommandError("ambiguous_client", ref=ref, names=names + more)


def _recordable(caseload: Caseload, ref: str) -> ClientFacts:
    """A client a command may record for: not one forgotten (their id is a skeleton's now)."""
    facts = resolve_client(caseload, ref)
    if facts.forgotten:
        raise CommandError("client_forgotten", client=facts.id)
    return facts


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise CommandError("unknown_channel", channel=channel, choices=", ".join(CHANNELS))
    return channel


def _check_plan(ctx: Context, plan: str) -> str:
    if plan not in ctx.policy.plans:
        raise CommandError("unknown_plan", plan=plan, choices=", ".join(ctx.policy.plans))
    return plan


# What a closed case refuses, by what is recorded (``record KIND``, the app's actions), with the
# doing its refusal names (``DOINGS``): the commands below and the app's forms read this one table.
CLOSED_REFUSES: dict[str, str] = {
    "message": "message", "session": "session", "book": "session", "snooze": "snooze", "promise": "promise",
    "pause": "pause", "resume": "resume", "missed": "missed", "kept": "keep", "reschedule": "reschedule",
}


def closed_refusal(facts: ClientFacts, what: str) -> CommandError | None:
    """The refusal the command for ``what`` gives a closed case (None: it does not refuse it):
    a message to a client who wrote back after the close is welcome (the door stays open)."""
    doing = CLOSED_REFUSES.get(what)
    if doing is None or facts.state != CLOSED or (what == "message" and wrote_back(facts)):
        return None
    return CommandError("closed_case", name=facts.name, client=facts.id, doing=doing)


def state_refusal(facts: ClientFacts, what: str, tz: tzinfo) -> CommandError | None:
    """The refusal the client's state makes of ``what`` (a ``record`` kind or the app's action),
    None when it allows it: a closed case's (``closed_refusal``), a pause of a paused client, a
    resume of one not paused, and so on. The commands below refuse by it, and the app asks it
    before a form opens, so both say the same."""
    if facts.forgotten and what != "replay":  # an erased client's skeleton takes nothing more
        return CommandError("client_forgotten", client=facts.id)  # (watching their history records nothing)
    refused = closed_refusal(facts, what)
    if refused is not None:
        return refused
    # who made the case what it is, and when (a colleague just did: two counselors closing one case)
    last = facts.lifecycle
    by = {} if last is None else {"by": last.actor, "at": last.at.astimezone(tz)}
    if what == "pause" and facts.state == PAUSED:
        return CommandError("already_paused", name=facts.name, **by)
    if what == "resume" and facts.state != PAUSED:
        return CommandError("not_paused", name=facts.name, **by)
    if what == "reopen" and facts.state != CLOSED:
        return CommandError("not_closed", name=facts.name, **by)
    if what == "close" and facts.state == CLOSED:
        return CommandError("already_closed", name=facts.name, **by)
    if what == "kept" and not open_promises(facts):
        return CommandError("no_open_promise", name=facts.name)
    if what == "cancel_appointment" and not open_appointments(facts, tz):
        return CommandError("no_open_appointment", name=facts.name)
    return None


def _refused(facts: ClientFacts, what: str, ctx: Context) -> ClientFacts:
    refused = state_refusal(facts, what, ctx.tz)
    if refused is not None:
        raise refused
    return facts


def _open_case(ctx: Context, ref: str, what: str) -> ClientFacts:
    facts = _recordable(ctx.caseload, ref)
    refused = closed_refusal(facts, what)
    if refused is not None:
        raise refused
    return facts


# -- commands ---------------------------------------------------------------------------

C = TypeVar("C", bound=Callable)


def bounded(command: C) -> C:
    """Every command: what it is given (the CLI's options, a form's fields, a sheet's cells) is
    refused before anything else when a date lies outside DATE_RANGE (one such line broke every
    report) or a text is longer than MAX_TEXT."""

    @functools.wraps(command)
    def run(ctx: Context, *args, **kwargs):
        for name, value in [*zip(command.__code__.co_varnames[1:], args), *kwargs.items()]:
            _check_bounds(name, value)
        return command(ctx, *args, **kwargs)

    return run  # type: ignore[return-value]


def _check_bounds(name: str, value: object) -> None:
    if isinstance(value, date):
        if not in_range(value):
            first, last = (day.isoformat() for day in DATE_RANGE)
            raise CommandError("date_out_of_range", day=value.isoformat(), first=first, last=last)
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise CommandError("too_long", field=name, n=len(value), max=MAX_TEXT)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _check_bounds(name, item)


def made_client_id(caseload: Caseload, name: str, case: str = "") -> str:
    """An id for a client registered without one, made as the spreadsheet import makes one:
    the case number (its spaces as "-"), else "c-" and the name's digest; "-2", "-3", ... while
    it is taken."""
    case = "-".join(unicodedata.normalize("NFKC", case).split())
    base = case or "c-" + hashlib.sha256(unicodedata.normalize("NFKC", name).strip().encode()).hexdigest()[:8]
    made, n = base, 1
    while made in caseload.clients:
        n += 1
        made = f"{base}-{n}"
    return made


@bounded
def register_client(
    ctx: Context,
    client_id: str,
    name: str,
    plan: str | None = None,
    channel: str = "email",
    note: str = "",
    at: datetime | None = None,
    reading: str = "",
    importance: str = "",
    case: str = "",
    language: str = "",
    consents: tuple[str, ...] | list[str] = (),
) -> ClientRegistered:
    client_id = client_id.strip()
    if not client_id or any(ch.isspace() for ch in client_id):
        raise CommandError("bad_client_id")
    if not name.strip():
        raise CommandError("no_name")
    if client_id in ctx.caseload.clients and ctx.caseload.clients[client_id].registered:
        existing = ctx.caseload.clients[client_id]
        raise CommandError("id_taken", client=client_id, name=existing.name)
    plan = _check_plan(ctx, plan or ctx.policy.default_plan)
    return ClientRegistered(
        **ctx.envelope(client_id, at),
        name=name.strip(),
        plan=plan,
        channel=_check_channel(channel),
        note=note,
        reading=reading.strip(),
        importance=_check_importance(importance),  # type: ignore[arg-type]
        case=case.strip(),
        language=_check_language(ctx, language),
        consents=tuple(dict.fromkeys(_check_scope(s) for s in consents)),
    )


@bounded
def update_client(
    ctx: Context, ref: str, name: str | None = None, reading: str | None = None, plan: str | None = None,
    channel: str | None = None, importance: str | None = None, case: str | None = None,
    language: str | None = None, at: datetime | None = None,
) -> ClientUpdated:
    """A change to the client's details, with only the fields whose value changes; nothing to
    change is refused. From the change on, the client is followed up under the new values."""
    facts = _recordable(ctx.caseload, ref)
    wanted = dict(name=name, reading=reading, plan=plan, channel=channel, importance=importance,
                  case=case, language=language)
    changes: dict[str, str] = {}
    for key, value in wanted.items():
        if value is None:
            continue
        value = value.strip()
        if key == "name" and not value:
            raise CommandError("no_name")
        if key == "plan":
            value = _check_plan(ctx, value)
        elif key == "channel":
            value = _check_channel(value)
        elif key == "importance":
            value = _check_importance(value)
        elif key == "language":
            value = _check_language(ctx, value)
        if value and value != getattr(facts, key):
            changes[key] = value
    if not changes:
        raise CommandError("nothing_to_update", name=facts.name)
    return ClientUpdated(**ctx.envelope(facts.id, at), **changes)  # type: ignore[arg-type]


def _check_importance(importance: str) -> str:
    if importance and importance not in IMPORTANCES:
        raise CommandError("unknown_importance", importance=importance, choices=", ".join(IMPORTANCES))
    return importance


def _check_language(ctx: Context, language: str) -> str:
    if language and language not in ctx.languages:
        raise CommandError("unknown_language", language=language, choices=", ".join(ctx.languages))
    return language


@bounded
def hold_session(
    ctx: Context, ref: str, at: datetime | None = None, minutes: int = 50,
    summary: str = "", next_step: str = "", achieved: str = "", challenges: str = "",
) -> SessionHeld:
    facts = _open_case(ctx, ref, "session")
    if minutes <= 0:
        raise CommandError("bad_minutes")
    envelope = ctx.envelope(facts.id, at)
    _not_ahead(ctx, envelope["at"])
    return SessionHeld(
        **envelope, minutes=minutes, summary=summary, next_step=next_step,
        achieved=achieved.strip(), challenges=challenges.strip(),
    )


@bounded
def miss_session(
    ctx: Context, ref: str, kind: str, reason: str = "", at: datetime | None = None,
) -> SessionMissed:
    """A planned session that did not happen: a no-show, or cancelled by either side."""
    facts = _open_case(ctx, ref, "missed")
    if kind not in MISSED_KINDS:
        raise CommandError("unknown_missed", kind=kind, choices=", ".join(MISSED_KINDS))
    return SessionMissed(**ctx.envelope(facts.id, at), kind=kind, reason=reason.strip())  # type: ignore[arg-type]


@bounded
def receive_feedback(
    ctx: Context, ref: str, score: int, comment: str = "", at: datetime | None = None,
) -> FeedbackReceived:
    """The client's answer to a satisfaction question (1 to 5)."""
    facts = _recordable(ctx.caseload, ref)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise CommandError("bad_score", score=score)
    return FeedbackReceived(**ctx.envelope(facts.id, at), score=score, comment=comment.strip())


def _not_ahead(ctx: Context, moment: datetime) -> None:
    """A session is recorded once it is held: one later than now is an appointment."""
    if moment > ctx.now:
        raise CommandError("session_in_future", at=moment.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M"))


@bounded
def send_message(
    ctx: Context, ref: str, channel: str | None = None, template: str = "",
    summary: str = "", at: datetime | None = None, keeps: str = "",
    answers: str | None = None, no_reply_needed: bool = False, seen: SeenMessages | None = None,
) -> MessageSent:
    """``answers``: the item the message is written for (None: the client's first item due,
    or with ``keeps`` the promise alone). ``seen``: the client's messages as the writer saw
    them when they began this one (:func:`seen_messages`, as the app's form opened): one
    recorded since that stands, by a colleague or another window, refuses it
    (``messaged_since``, naming who, when and what), so a client is not sent the same check
    twice because two people answered one item at once. Told, the writer records again with
    what they have now seen. None (the command line, an import): not asked."""
    facts = _open_case(ctx, ref, "message")  # or closed, with a reply to answer (closed_refusal)
    if seen is not None:
        _refuse_if_messaged_since(ctx, facts, seen, template)
    channel = _check_channel(channel or facts.channel)
    if facts.consent_withdrawn(channel):
        raise CommandError("consent_withdrawn", name=facts.name, channel=channel)
    if ctx.policy.consent_required and not facts.consent_given(channel):
        raise CommandError("no_consent", name=facts.name, channel=channel)
    if keeps:
        keeps = _open_promise(ctx, keeps, facts).id
    envelope = ctx.envelope(facts.id, at)
    if answers is None:
        answers = PROMISE if keeps else message_for(facts, ctx.policy, ctx.tz, envelope["at"].astimezone(ctx.tz).date())
    elif answers not in MESSAGE_FOR:
        raise CommandError("unknown_item", item=answers, choices=", ".join(MESSAGE_FOR))
    return MessageSent(
        **envelope, channel=channel, template=template, summary=summary, keeps=keeps,
        answers=answers, no_reply_needed=no_reply_needed,
    )


class SeenMessages(NamedTuple):
    """A client's messages as a writer saw them: how many stood, and which of the client's
    events stood retracted. (The count alone missed a colleague who retracted a message and
    sent the check while a form was open: one down, one up, the same count.)"""

    standing: int
    retracted: frozenset[str]  # the ids of the client's events retracted then


def seen_messages(caseload: Caseload, client_id: str) -> SeenMessages:
    """What a writer beginning a message to the client sees of its messages (no read of the
    client's events: a scan of the retractions, 2 ms at a million events)."""
    facts = caseload.clients.get(client_id)
    return SeenMessages(len(facts.messages) if facts is not None else 0,
                        frozenset(target for target, r in caseload.retracted.items() if r.client == client_id))


def _refuse_if_messaged_since(ctx: Context, facts: ClientFacts, seen: SeenMessages, template: str = "") -> None:
    """Refuse a message when another was recorded since the writer looked and stands: the
    latest of them written from the same ``template`` (the one this would repeat), else the
    latest, by whom, when and what. Without a retraction since, the standing count
    says it (nothing read); with one, the client's messages are read in log order: those
    recorded then were the ones standing and the ones retracted then, the rest came since
    (one recorded and retracted since, not sent after all, is no reason)."""
    now = seen_messages(ctx.caseload, facts.id)
    if now.retracted <= seen.retracted and now.standing <= seen.standing:
        return
    sent = [e for e in ctx.caseload.events_of(facts.id) if type(e) is MessageSent]
    then = seen.standing + sum(e.id in seen.retracted for e in sent)
    standing = [e for e in sent[then:] if not ctx.caseload.is_retracted(e.id)]
    latest = next((e for e in reversed(standing) if template and e.template == template),
                  standing[-1] if standing else None)
    if latest is not None:
        raise CommandError("messaged_since", name=facts.name, by=latest.actor, at=latest.at.astimezone(ctx.tz),
                           template=latest.template, summary=latest.summary)


@bounded
def book_appointment(
    ctx: Context, ref: str, when: datetime, minutes: int = 50, channel: str = "",
    at: datetime | None = None,
) -> AppointmentBooked:
    """A session booked ahead: while it is ahead nothing asks the client a question."""
    facts = _open_case(ctx, ref, "book")
    if minutes <= 0:
        raise CommandError("bad_minutes")
    if when.tzinfo is None:
        when = when.replace(tzinfo=ctx.tz)
    return AppointmentBooked(**ctx.envelope(facts.id, at), when=when, minutes=minutes,
                             channel=_check_channel(channel) if channel else "")  # type: ignore[arg-type]


@bounded
def cancel_appointment(ctx: Context, appointment_ref: str, reason: str = "",
                       at: datetime | None = None) -> AppointmentCancelled:
    event = find_event(ctx.caseload, appointment_ref)
    if not isinstance(event, AppointmentBooked) or ctx.caseload.is_retracted(event.id):
        raise CommandError("not_an_appointment", event=event.id)
    owner = ctx.caseload.get(event.client)
    if owner is not None and event.id in owner.cancelled_appointments:
        raise CommandError("appointment_cancelled", event=event.id)
    return AppointmentCancelled(**ctx.envelope(event.client, at), appointment=event.id, reason=reason.strip())


@bounded
def receive_reply(
    ctx: Context, ref: str, channel: str | None = None, summary: str = "",
    at: datetime | None = None,
) -> ReplyReceived:
    facts = _recordable(ctx.caseload, ref)
    return ReplyReceived(
        **ctx.envelope(facts.id, at), channel=_check_channel(channel or facts.channel),
        summary=summary,
    )


@bounded
def snooze(
    ctx: Context, ref: str, until: date, reason: str = "", at: datetime | None = None,
    item: str = CHECKPOINT,
) -> FollowUpSnoozed:
    """Move one open item of the client (their checkpoint or check-in by default) to a later
    day. Never earlier: a date on or before the item's due date is refused."""
    facts = _open_case(ctx, ref, "snooze")
    if item not in SNOOZE_ITEMS:
        raise CommandError("unknown_item", item=item, choices=", ".join(SNOOZE_ITEMS))
    envelope = ctx.envelope(facts.id, at)
    day = envelope["at"].astimezone(ctx.tz).date()
    if until <= day:
        raise CommandError("snooze_not_later", until=until.isoformat())
    current = item_of(facts, ctx.policy, ctx.tz, day, item)
    if current is None:
        raise CommandError("nothing_to_snooze", name=facts.name, item=item)
    if until <= current.due:
        raise CommandError("snooze_not_after_due", name=facts.name, item=current.reason, due=current.due.isoformat())
    return FollowUpSnoozed(**envelope, until=until, reason=reason, item=item)  # type: ignore[arg-type]


@bounded
def make_promise(
    ctx: Context, ref: str, due: date, what: str, at: datetime | None = None
) -> PromiseMade:
    facts = _open_case(ctx, ref, "promise")
    if not what.strip():
        raise CommandError("no_promise_text")
    envelope = ctx.envelope(facts.id, at)
    if due < envelope["at"].astimezone(ctx.tz).date():
        raise CommandError("promise_in_past", due=due.isoformat())
    return PromiseMade(**envelope, due=due, what=what.strip(), explicit=True)


def _open_promise(ctx: Context, ref: str, facts: ClientFacts | None = None) -> PromiseMade:
    """A promise not kept yet, by its id (or an unambiguous start or end of it); of
    ``facts``' client when given."""
    event = find_event(ctx.caseload, ref)
    if not isinstance(event, PromiseMade) or ctx.caseload.is_retracted(event.id):
        raise CommandError("not_a_promise", event=event.id)
    owner = ctx.caseload.get(event.client)
    if facts is not None and event.client != facts.id:
        raise CommandError("promise_of_other", event=event.id, other=owner.name if owner else event.client,
                           name=facts.name)
    kept = owner.kept.get(event.id) if owner is not None else None
    if kept is not None:
        raise CommandError("promise_kept", event=event.id, day=kept.astimezone(ctx.tz).date().isoformat())
    return event


@bounded
def keep_promise(ctx: Context, promise_ref: str, at: datetime | None = None) -> PromiseKept:
    """A promise kept in another way than by a message (a call, a document handed over)."""
    promise = _open_promise(ctx, promise_ref)
    _open_case(ctx, promise.client, "kept")
    return PromiseKept(**ctx.envelope(promise.client, at), promise=promise.id)


@bounded
def reschedule_promise(ctx: Context, promise_ref: str, due: date, reason: str = "",
                       at: datetime | None = None) -> PromiseRescheduled:
    promise = _open_promise(ctx, promise_ref)
    _open_case(ctx, promise.client, "reschedule")
    envelope = ctx.envelope(promise.client, at)
    if due < envelope["at"].astimezone(ctx.tz).date():
        raise CommandError("promise_in_past", due=due.isoformat())
    return PromiseRescheduled(**envelope, promise=promise.id, due=due, reason=reason.strip())


@bounded
def pause(ctx: Context, ref: str, reason: str = "", at: datetime | None = None,
          until: date | None = None) -> ClientPaused:
    """Pause a case; ``until``: the end the client named, when the one question of intent falls due."""
    facts = _refused(_open_case(ctx, ref, "pause"), "pause", ctx)
    envelope = ctx.envelope(facts.id, at)
    if until is not None and until <= envelope["at"].astimezone(ctx.tz).date():
        raise CommandError("pause_end_past", until=until.isoformat())
    return ClientPaused(**envelope, reason=reason, until=until)


@bounded
def resume(ctx: Context, ref: str, at: datetime | None = None) -> ClientResumed:
    facts = _refused(_open_case(ctx, ref, "resume"), "resume", ctx)
    return ClientResumed(**ctx.envelope(facts.id, at))


@bounded
def close_case(
    ctx: Context, ref: str, reason: str, summary: str = "", at: datetime | None = None
) -> CaseClosed:
    facts = _refused(_recordable(ctx.caseload, ref), "close", ctx)
    if reason not in CLOSE_REASONS:
        raise CommandError("unknown_reason", reason=reason, choices=", ".join(CLOSE_REASONS))
    return CaseClosed(**ctx.envelope(facts.id, at), reason=reason, summary=summary)  # type: ignore[arg-type]


@bounded
def reopen(ctx: Context, ref: str, reason: str = "", at: datetime | None = None) -> CaseReopened:
    facts = _refused(_recordable(ctx.caseload, ref), "reopen", ctx)
    return CaseReopened(**ctx.envelope(facts.id, at), reason=reason)


@bounded
def add_note(ctx: Context, ref: str, text: str, at: datetime | None = None) -> NoteAdded:
    facts = _recordable(ctx.caseload, ref)
    if not text.strip():
        raise CommandError("no_note_text")
    return NoteAdded(**ctx.envelope(facts.id, at), text=text)


@bounded
def assign(ctx: Context, ref: str, to: str, reason: str = "", at: datetime | None = None) -> ClientAssigned:
    """Hand the client over to the counselor ``to``; every event recorded before stays theirs to read."""
    facts = _recordable(ctx.caseload, ref)
    to = to.strip()
    if not to:
        raise CommandError("no_assignee")
    if to == facts.owner:
        raise CommandError("already_owner", name=facts.name, owner=to)
    return ClientAssigned(**ctx.envelope(facts.id, at), to=to, reason=reason.strip())


def _check_scope(scope: str) -> str:
    scope = scope.strip()
    if not scope or any(ch.isspace() for ch in scope):
        raise CommandError("bad_scope")
    return scope


@bounded
def record_consent(
    ctx: Context, ref: str, scope: str, note: str = "", at: datetime | None = None
) -> ConsentRecorded:
    facts = _recordable(ctx.caseload, ref)
    return ConsentRecorded(**ctx.envelope(facts.id, at), scope=_check_scope(scope), note=note)


@bounded
def withdraw_consent(
    ctx: Context, ref: str, scope: str, note: str = "", at: datetime | None = None
) -> ConsentWithdrawn:
    facts = _recordable(ctx.caseload, ref)
    return ConsentWithdrawn(**ctx.envelope(facts.id, at), scope=_check_scope(scope), note=note)


def find_event(caseload: Caseload, ref: str) -> AnyEvent:
    """An event by its id, or by an unambiguous start or end of it (6 characters or more)."""
    ref = ref.strip()
    event = caseload.event(ref)
    if event is not None:
        return event
    if len(ref) >= 6:
        matches = caseload.events_by_ref(ref)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise CommandError("ambiguous_event", ref=ref)
    raise CommandError("no_event", ref=ref)


@bounded
def retract(ctx: Context, event_ref: str, reason: str, at: datetime | None = None) -> EventRetracted:
    target = find_event(ctx.caseload, event_ref)
    if not reason.strip():
        raise CommandError("no_retract_reason")
    if isinstance(target, EventRetracted):
        raise CommandError("retract_retraction")
    if ctx.caseload.is_retracted(target.id):
        raise CommandError("already_retracted", event=target.id)
    envelope = ctx.envelope(target.client, at)
    return EventRetracted(**envelope, target=target.id, reason=reason.strip())


# Personal text of one line: a name, its reading, a case's title (the rest of ``personal`` is free text).
_ONE_LINE = {"name", "reading", "case"}


def typed(event: AnyEvent) -> AnyEvent:
    """``event`` as a person typed it (a form, the command line), or refused when any of its text
    holds a control character (ESC, C1, the bidi overrides...): a newline or a tab is allowed in
    free text only (a note, a summary, a reason)."""
    personal = type(event).personal
    for name in event.__struct_fields__:
        value = getattr(event, name)
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str) and text:
                free = name in personal and name not in _ONE_LINE
                chars = control_characters(text.replace("\r\n", "\n") if free else text, free_text=free)
                if chars:
                    raise CommandError("control_character", field=name, chars=chars)
    return event


# -- events made elsewhere (an imported row) -----------------------------------------------


def admit(caseload: Caseload, event: AnyEvent, policy: Policy, tz: tzinfo,
          languages: tuple[str, ...] = ()) -> AnyEvent:
    """An event made outside the app with its own id (a row of an imported sheet), validated
    by the very command that records such an event, against ``caseload``: the same refusals
    as ``followup record`` (a message to a closed case, on a channel whose consent was
    withdrawn, ...). Returns the event as that command makes it; raises :class:`CommandError`.
    """
    ctx = Context(caseload=caseload, now=event.recorded_at, tz=tz, new_id=lambda: event.id,
                  actor=event.actor, policy=policy, languages=languages)
    at = event.at
    if isinstance(event, ClientRegistered):
        made: AnyEvent = register_client(ctx, event.client, event.name, event.plan, event.channel, event.note, at=at,
                                         reading=event.reading, importance=event.importance, case=event.case,
                                         language=event.language, consents=event.consents)
    elif isinstance(event, MessageSent):
        made = send_message(ctx, event.client, event.channel, event.template, event.summary, at=at)
    elif isinstance(event, NoteAdded):
        made = add_note(ctx, event.client, event.text, at=at)
    elif isinstance(event, PromiseMade):
        made = make_promise(ctx, event.client, event.due, event.what, at=at)
    elif isinstance(event, SessionHeld):
        made = hold_session(ctx, event.client, at, event.minutes, event.summary, event.next_step)
    elif isinstance(event, ReplyReceived):
        made = receive_reply(ctx, event.client, event.channel, event.summary, at=at)
    else:
        raise TypeError(f"no command admits a {type(event).__name__} from outside")
    return made


__all__ = [
    "ACTIVE", "CLOSED", "PAUSED", "CommandError", "Context", "resolve_client", "find_event",
    "register_client", "hold_session", "send_message", "receive_reply", "snooze",
    "make_promise", "pause", "resume", "close_case", "reopen", "add_note", "record_consent",
    "withdraw_consent", "retract", "assign", "admit", "keep_promise", "reschedule_promise", "PROMISE",
    "update_client", "miss_session", "receive_feedback", "book_appointment", "cancel_appointment", "typed",
]
