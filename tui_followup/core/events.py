"""The event types: what happened, in the past tense, one frozen Struct each.

The log is a JSON Lines file of these events; this module is its schema. Every event
carries the same envelope (``type``, ``id``, ``at``, ``recorded_at``, ``actor``,
``client``, ``v``) and the fields of its own kind. Events are never edited: a mistake is
corrected by an :class:`EventRetracted` that names the event it cancels.

Rules for changing this file (the wire format is a public interface, see events/README.md):
a new field needs a default, one that keeps what the lines written before it meant; a field's
type never changes; ``SCHEMA_VERSION`` is the wire format's (which fields a line has and how
they are written), bumped with an upcaster in :mod:`tui_followup.core.codec` when lines already
written must be rewritten to be read (version 2: the hash chain's ``prev``). A change of the
*policy's* meaning is not a bump: the second and third editions read old lines as they were
meant through their defaults (``PromiseMade.explicit`` False: kept by any message about its
day, as then; ``FollowUpSnoozed.item`` "checkpoint"; ``MessageSent.answers`` "": worked out
as before), and ``tests/core/test_policy_second_edition.py`` holds old lines to that.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal, Union

import msgspec

# Version 2 added the hash chain (``prev``); version 1 lines have none and are read as is.
SCHEMA_VERSION = 2
# Lines of a version from this one up to SCHEMA_VERSION decode directly into these Structs
# (their upcasters only fill defaults). Any other ``v`` fails validation while decoding, so
# the line goes through the upcasters in codec.py, or is explained as too new or bad.
FAST_PATH_MIN_VERSION = 1
Version = Annotated[int, msgspec.Meta(ge=FAST_PATH_MIN_VERSION, le=SCHEMA_VERSION)]

Channel = Literal["email", "phone", "video", "chat", "in_person"]
CHANNELS: tuple[str, ...] = ("email", "phone", "video", "chat", "in_person")

CloseReason = Literal["goal_achieved", "withdrew", "referred", "no_response", "other"]
CLOSE_REASONS: tuple[str, ...] = ("goal_achieved", "withdrew", "referred", "no_response", "other")

# A moment with its UTC offset: a naive time in the log is an error, not a guess.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]


class Event(msgspec.Struct, frozen=True, kw_only=True, gc=False, tag_field="type"):
    """The envelope every event carries.

    Beside its fields, every event type declares what in it is personal (``personal``: names
    and free text, blanked by ``forget`` and left out of an anonymized copy; each type says
    it on its own class, even when it is nothing), which fields hold another event's id
    (``refs``) and which name a counselor (``actors``). Any other text field must be a code
    (a ``Literal``, or named in ``STRUCTURAL_TEXT``): tests/core/test_privacy.py holds every
    type of ``AnyEvent`` to it, and core/privacy.py reads nothing else. It declares its name's
    catalogue key too (``words``, in every ``i18n/*.toml``). The parts of an event type that live
    in the shell are registries keyed by its tag (its test strategy, its ``record`` kind, its form
    in the app): tests/core/test_event_parts.py names the tag and the part that is missing.
    """

    personal: ClassVar[tuple[str, ...]]  # no default: each type says it (on its own class)
    words: ClassVar[str]  # no default: the catalogue key of its name ("event.<tag>"), in every language
    refs: ClassVar[tuple[str, ...]] = ()  # fields holding another event's id
    actors: ClassVar[tuple[str, ...]] = ()  # fields naming a counselor, as ``actor`` does

    id: str
    at: Moment  # when it happened
    recorded_at: Moment  # when it was written down
    actor: str  # who recorded it
    client: str  # the client id it is about
    v: Version = SCHEMA_VERSION
    # Hash of the previous line of the log (set by the store when it writes the line; "" on
    # the first line): a chain that makes an edited, inserted, deleted or reordered line seen.
    prev: str = ""


Importance = Literal["high", "normal", "low"]
IMPORTANCES: tuple[str, ...] = ("high", "normal", "low")
# How a session that was planned did not happen.
MissedKind = Literal["no_show", "cancelled_by_client", "cancelled_by_practitioner"]
MISSED_KINDS: tuple[str, ...] = ("no_show", "cancelled_by_client", "cancelled_by_practitioner")


# The envelope's fields, in order: named once, here (the codec, privacy and the views read them).
ENVELOPE_FIELDS: tuple[str, ...] = Event.__struct_fields__

# The text fields that say nothing about a person: codes from a fixed list or from the user's
# settings, and a hash. Any other text field of an event type is declared ``personal``, or is
# one of its ``refs`` or ``actors``, or is in the envelope.
STRUCTURAL_TEXT: frozenset[str] = frozenset({"plan", "template", "scope", "language", "consents",
                                             "previous_head", "answers", "skeletons"})


class ClientRegistered(Event, frozen=True, kw_only=True, gc=False, tag="client_registered"):
    personal = ("name", "note", "reading", "case")
    words = "event.client_registered"
    name: str
    plan: str = "standard"
    channel: Channel = "email"
    note: str = ""
    reading: str = ""  # the name's reading (フリガナ): lists sort by it when present
    importance: Importance | Literal[""] = ""
    case: str = ""  # the case's name (案件名)
    language: str = ""  # the messages' language ("" : the app's language)
    consents: tuple[str, ...] = ()  # consents given at registration (channels, case_review)


class ClientUpdated(Event, frozen=True, kw_only=True, gc=False, tag="client_updated"):
    """A change to the client's details: only the fields that change are set ("" : unchanged).
    From its ``at`` on, the client is shown and followed up with the new values."""

    personal = ("name", "reading", "case")
    words = "event.client_updated"
    name: str = ""
    reading: str = ""
    plan: str = ""
    channel: Channel | Literal[""] = ""
    importance: Importance | Literal[""] = ""
    case: str = ""
    language: str = ""


class SessionHeld(Event, frozen=True, kw_only=True, gc=False, tag="session_held"):
    personal = ("summary", "next_step", "achieved", "challenges")
    words = "event.session_held"
    minutes: int = 50
    summary: str = ""
    next_step: str = ""
    achieved: str = ""  # progress: what was achieved
    challenges: str = ""  # what got in the way


class SessionMissed(Event, frozen=True, kw_only=True, gc=False, tag="session_missed"):
    """A planned session that did not happen (a no-show brings a gentle contact the next day)."""

    personal = ("reason",)
    words = "event.session_missed"
    kind: MissedKind
    reason: str = ""


class AppointmentBooked(Event, frozen=True, kw_only=True, gc=False, tag="appointment_booked"):
    """A session booked for ``when`` (``at``: when it was booked). Until a session or a missed
    session is recorded on or after its day it is the client's next step: nothing asks them a
    question meanwhile."""

    personal = ()
    words = "event.appointment_booked"
    when: Moment
    minutes: int = 50
    channel: Channel | Literal[""] = ""  # "" : the client's channel


class AppointmentCancelled(Event, frozen=True, kw_only=True, gc=False, tag="appointment_cancelled"):
    personal = ("reason",)
    words = "event.appointment_cancelled"
    refs = ("appointment",)
    appointment: str  # the appointment_booked event's id
    reason: str = ""


class FeedbackReceived(Event, frozen=True, kw_only=True, gc=False, tag="feedback_received"):
    """The client's answer to a satisfaction question: a score from 1 to 5."""

    personal = ("comment",)
    words = "event.feedback_received"
    score: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: str = ""


class MessageSent(Event, frozen=True, kw_only=True, gc=False, tag="message_sent"):
    personal = ("summary",)
    words = "event.message_sent"
    refs = ("keeps",)
    channel: Channel
    template: str = ""
    summary: str = ""
    keeps: str = ""  # the id of the promise this message keeps ("" : it keeps none)
    # The item it was written for (policy, third edition): checkpoint, respond, intent-check,
    # no-show, first-session, or promise (it keeps ``keeps`` and answers nothing else). ""
    # (a line from before 2027-01): as then, it asks the question on or after the question's day.
    answers: str = ""
    no_reply_needed: bool = False  # says no reply is needed: silence after it means nothing


class ReplyReceived(Event, frozen=True, kw_only=True, gc=False, tag="reply_received"):
    personal = ("summary",)
    words = "event.reply_received"
    channel: Channel = "email"
    summary: str = ""


# The items a snooze can move: the client's checkpoint (or check-in), an answer to a reply,
# the one question of intent, the practitioner's decision after it.
SnoozeItem = Literal["checkpoint", "respond", "intent-check", "decide"]
SNOOZE_ITEMS: tuple[str, ...] = ("checkpoint", "respond", "intent-check", "decide")


class FollowUpSnoozed(Event, frozen=True, kw_only=True, gc=False, tag="follow_up_snoozed"):
    personal = ("reason",)
    words = "event.follow_up_snoozed"
    until: date
    reason: str = ""
    item: SnoozeItem = "checkpoint"  # which item it moves (lines before 2026-12 moved the checkpoint)


class PromiseMade(Event, frozen=True, kw_only=True, gc=False, tag="promise_made"):
    """A promise to the client, due on ``due`` until it is kept.

    ``explicit`` (every promise recorded since the policy's second edition): kept only by a
    message that ``keeps`` it or by a ``promise_kept``. A line without it was written under
    the first edition's rule, and keeps its meaning: any message dated no earlier than the
    day before the due date kept it too."""

    personal = ("what",)
    words = "event.promise_made"
    due: date
    what: str
    explicit: bool = False


class PromiseKept(Event, frozen=True, kw_only=True, gc=False, tag="promise_kept"):
    """The promise ``promise`` (an event id) was kept in another way than by a message."""

    personal = ()
    words = "event.promise_kept"
    refs = ("promise",)
    promise: str


class PromiseRescheduled(Event, frozen=True, kw_only=True, gc=False, tag="promise_rescheduled"):
    personal = ("reason",)
    words = "event.promise_rescheduled"
    refs = ("promise",)
    promise: str  # the promise's event id
    due: date
    reason: str = ""


class ClientPaused(Event, frozen=True, kw_only=True, gc=False, tag="client_paused"):
    personal = ("reason",)
    words = "event.client_paused"
    reason: str = ""
    until: date | None = None  # the end the client named: the question of intent falls due then


class ClientResumed(Event, frozen=True, kw_only=True, gc=False, tag="client_resumed"):
    personal = ()
    words = "event.client_resumed"


class CaseClosed(Event, frozen=True, kw_only=True, gc=False, tag="case_closed"):
    personal = ("summary",)
    words = "event.case_closed"
    reason: CloseReason
    summary: str = ""


class CaseReopened(Event, frozen=True, kw_only=True, gc=False, tag="case_reopened"):
    personal = ("reason",)
    words = "event.case_reopened"
    reason: str = ""


class NoteAdded(Event, frozen=True, kw_only=True, gc=False, tag="note_added"):
    personal = ("text",)
    words = "event.note_added"
    text: str


class ConsentRecorded(Event, frozen=True, kw_only=True, gc=False, tag="consent_recorded"):
    personal = ("note",)
    words = "event.consent_recorded"
    scope: str  # a channel (email, chat, ...) or a purpose such as case_review
    note: str = ""


class ConsentWithdrawn(Event, frozen=True, kw_only=True, gc=False, tag="consent_withdrawn"):
    personal = ("note",)
    words = "event.consent_withdrawn"
    scope: str
    note: str = ""


class ClientAssigned(Event, frozen=True, kw_only=True, gc=False, tag="client_assigned"):
    """The client was handed over to the counselor ``to`` (an actor's name): from now on theirs.
    Before any assignment a client is the registering counselor's; the history stays one."""

    personal = ("reason",)
    words = "event.client_assigned"
    actors = ("to",)
    to: str
    reason: str = ""


class EventRetracted(Event, frozen=True, kw_only=True, gc=False, tag="event_retracted"):
    personal = ("reason",)
    words = "event.event_retracted"
    refs = ("target",)
    target: str  # id of the event that counts as never having happened
    reason: str


class ClientForgotten(Event, frozen=True, kw_only=True, gc=False, tag="client_forgotten"):
    """The client's personal fields were erased (right to erasure): ``actor`` erased the
    client now called ``client`` (``forgotten-…``) at ``at``; the skeleton of their events is
    kept. Since 2026-12 each erased event is *redacted* in place (``events`` names them): it
    keeps the hash of its original line, so the chain and every other line stay as they were.
    Since 2027-01 ``skeletons`` keeps the hash of each redacted line as the erasure wrote it, so
    an edit of what a redaction left (type, times, ids) is seen by ``check``.
    Older lines: the log was rewritten and its chain re-anchored; ``previous_head`` is the hash
    of the last line before that rewrite."""

    personal = ()
    words = "event.client_forgotten"
    refs = ("events",)
    previous_head: str = ""
    lines_rewritten: int = 0
    events: tuple[str, ...] = ()  # the ids of the events redacted
    skeletons: tuple[str, ...] = ()  # the line_hash of each as redacted (same order): its skeleton kept


AnyEvent = Union[
    ClientRegistered,
    SessionHeld,
    MessageSent,
    ReplyReceived,
    FollowUpSnoozed,
    PromiseMade,
    PromiseKept,
    PromiseRescheduled,
    ClientPaused,
    ClientResumed,
    CaseClosed,
    CaseReopened,
    NoteAdded,
    ConsentRecorded,
    ConsentWithdrawn,
    EventRetracted,
    ClientForgotten,
    ClientUpdated,
    SessionMissed,
    FeedbackReceived,
    ClientAssigned,
    AppointmentBooked,
    AppointmentCancelled,
]

EVENT_TYPES: tuple[type[Event], ...] = AnyEvent.__args__  # type: ignore[attr-defined]
TYPE_BY_TAG: dict[str, type[Event]] = {
    cls.__struct_config__.tag: cls for cls in EVENT_TYPES  # type: ignore[misc]
}


def tag_of(event: Event) -> str:
    """The snake_case ``type`` of an event, as written in the log."""
    return type(event).__struct_config__.tag  # type: ignore[return-value]


def same_event(a: Event, b: Event) -> bool:
    """The same event, whenever and wherever it was written: ``prev``, ``v`` and
    ``recorded_at`` aside. How every store judges an id written again (an import run twice,
    a retry after a lost acknowledgement): the same content is skipped, other content refused."""
    plain = dict(prev="", v=SCHEMA_VERSION, recorded_at=a.recorded_at)
    return type(a) is type(b) and msgspec.structs.replace(a, **plain) == msgspec.structs.replace(b, **plain)
