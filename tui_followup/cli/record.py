"""``followup record KIND``: one event through the command layer, its id printed."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, NamedTuple

from ..core import commands as cmd
from ..core.events import (
    MessageSent,
)
from ..core.policy import asked_unanswered, pace_warning
from ..wallclock import local_timezone
from .common import (
    open_journal,
    parse_day,
    parse_time,
)


class Elsewhere(str):
    """An event type no hand records: what makes it instead."""


class _Typed:
    """What was typed for one ``followup record``: each option by name, days and moments
    parsed in the user's time zone, a bad one refused in the user's words."""

    def __init__(self, args, tz) -> None:
        self.args, self.tz = args, tz

    def __call__(self, name: str, default: Any = "") -> Any:
        return getattr(self.args, name, default)

    def day(self, name: str):
        text = getattr(self.args, name, None)
        return parse_day(text, self.args.words) if text else None

    def moment(self, name: str):
        return parse_time(getattr(self.args, name, None), self.tz, self.args.words)


class Kind(NamedTuple):
    """One ``followup record`` kind: the event type it makes, the command that decides it, and
    that command's words from what was typed. ``names_client``: the kind's first word is the
    client (``ref``); the others name an event or are the client's registration."""

    tag: str
    command: Callable[..., Any]
    params: Callable[[_Typed], dict[str, Any]]
    names_client: bool = True


# Every ``followup record`` kind, in one place: the parser's choices are checked against it
# (tests/core/test_event_parts.py), and RECORD_KINDS below is read from it.
KINDS: dict[str, Kind] = {
    "client": Kind("client_registered", cmd.register_client, lambda t: dict(
        client_id=t("client_id"), name=t("name"), plan=t("plan"), channel=t("channel"), note=t("note"),
        reading=t("reading"), importance=t("importance"), case=t("case"), language=t("language"),
        consents=[c for c in t("consent").split(",") if c.strip()]), names_client=False),
    "update": Kind("client_updated", cmd.update_client, lambda t: {
        key: t(key, None) for key in ("name", "reading", "plan", "channel", "importance", "case", "language")}),
    "session": Kind("session_held", cmd.hold_session, lambda t: dict(
        minutes=t("minutes", 50), summary=t("summary"), next_step=t("next_step"), achieved=t("achieved"),
        challenges=t("challenges"))),
    "missed": Kind("session_missed", cmd.miss_session, lambda t: dict(kind=t("missed_kind"), reason=t("reason"))),
    "feedback": Kind("feedback_received", cmd.receive_feedback, lambda t: dict(
        score=t("score", 0), comment=t("comment"))),
    "message": Kind("message_sent", cmd.send_message, lambda t: dict(
        channel=t("channel", None), template=t("template"), summary=t("summary"), keeps=t("keeps"),
        answers=t("answers", None), no_reply_needed=t("no_reply_needed", False))),
    "reply": Kind("reply_received", cmd.receive_reply, lambda t: dict(channel=t("channel", None), summary=t("summary"))),
    "pause": Kind("client_paused", cmd.pause, lambda t: dict(reason=t("reason"), until=t.day("until"))),
    "resume": Kind("client_resumed", cmd.resume, lambda t: {}),
    "close": Kind("case_closed", cmd.close_case, lambda t: dict(reason=t("reason"), summary=t("summary"))),
    "reopen": Kind("case_reopened", cmd.reopen, lambda t: dict(reason=t("reason"))),
    "snooze": Kind("follow_up_snoozed", cmd.snooze, lambda t: dict(
        until=t.day("until"), reason=t("reason"), item=t("item", "checkpoint"))),
    "promise": Kind("promise_made", cmd.make_promise, lambda t: dict(due=t.day("due"), what=t("what"))),
    "kept": Kind("promise_kept", cmd.keep_promise, lambda t: dict(promise_ref=t("promise")), names_client=False),
    "reschedule": Kind("promise_rescheduled", cmd.reschedule_promise, lambda t: dict(
        promise_ref=t("promise"), due=t.day("due"), reason=t("reason")), names_client=False),
    "note": Kind("note_added", cmd.add_note, lambda t: dict(text=t("text"))),
    "consent": Kind("consent_recorded", cmd.record_consent, lambda t: dict(scope=t("scope"), note=t("note"))),
    "withdraw-consent": Kind("consent_withdrawn", cmd.withdraw_consent, lambda t: dict(
        scope=t("scope"), note=t("note"))),
    "assign": Kind("client_assigned", cmd.assign, lambda t: dict(to=t("to"), reason=t("reason"))),
    "appointment": Kind("appointment_booked", cmd.book_appointment, lambda t: dict(
        when=t.moment("when"), minutes=t("minutes", 50), channel=t("channel") or "")),
    "cancel-appointment": Kind("appointment_cancelled", cmd.cancel_appointment, lambda t: dict(
        appointment_ref=t("appointment"), reason=t("reason")), names_client=False),
    "retract": Kind("event_retracted", cmd.retract, lambda t: dict(event_ref=t("event_id"), reason=t("reason")),
                    names_client=False),
}

# Every event type, by its tag: the ``followup record`` kind that makes it, or ``Elsewhere``
# (tests/core/test_event_parts.py names a tag with neither, and a kind the parser lacks).
RECORD_KINDS: dict[str, str] = {
    **{kind.tag: name for name, kind in KINDS.items()},
    "client_forgotten": Elsewhere("followup forget"),
}


def run_record(args) -> int:
    words = args.words
    tz = local_timezone()
    journal = open_journal(args)
    at = parse_time(getattr(args, "at", None), tz, words)
    kind = KINDS[args.kind]
    command = kind.command
    params = dict(kind.params(_Typed(args, tz)), at=at)
    if kind.names_client:
        params["ref"] = args.client
    event = journal.record(command, **params)
    print(event.id)
    asked = os.environ.get("FOLLOWUP_ACTOR") or args.settings.counselor()
    if journal.store.bound and asked and asked != event.actor:  # the database role records, not who was asked
        print(f"followup: {words.t('cli.actor_is_role', role=event.actor, asked=asked)}", file=sys.stderr)
    if isinstance(event, MessageSent):
        facts = journal.client(event.client)
        count = pace_warning(facts, event.at, journal.policy, tz) if facts is not None else None
        if count is not None:  # allowed, but said: the client's pace
            print(f"followup: {words.counted('cli.pace_warning', count, name=facts.name, limit=journal.policy.max_per_week)}",
                  file=sys.stderr)
        asked = asked_unanswered(facts, journal.policy, tz) if facts is not None else None
        if asked is not None and asked < event.at.astimezone(tz).date():  # allowed, but said: a chase
            print(f"followup: {words.t('cli.chase_warning', name=facts.name, day=asked.isoformat())}",
                  file=sys.stderr)
    return 0
