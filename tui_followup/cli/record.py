"""``followup record KIND``: one event through the command layer, its id printed."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

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


# Every event type, by its tag: the ``followup record`` kind that makes it, or ``Elsewhere``
# (tests/core/test_event_parts.py names a tag with neither, and a kind the parser lacks).
RECORD_KINDS: dict[str, str] = {
    "client_registered": "client", "client_updated": "update", "session_held": "session",
    "session_missed": "missed", "feedback_received": "feedback", "message_sent": "message",
    "reply_received": "reply", "client_paused": "pause", "client_resumed": "resume", "case_closed": "close",
    "case_reopened": "reopen", "follow_up_snoozed": "snooze", "promise_made": "promise", "note_added": "note",
    "consent_recorded": "consent", "consent_withdrawn": "withdraw-consent", "client_assigned": "assign",
    "appointment_booked": "appointment", "appointment_cancelled": "cancel-appointment", "promise_kept": "kept",
    "promise_rescheduled": "reschedule", "event_retracted": "retract",
    "client_forgotten": Elsewhere("followup forget"),
}


def run_record(args) -> int:
    words = args.words
    tz = local_timezone()
    journal = open_journal(args)
    at = parse_time(getattr(args, "at", None), tz, words)
    k = args.kind
    command: Callable[..., Any]
    params: dict[str, Any]
    if k == "client":
        command, params = cmd.register_client, dict(
            client_id=args.client_id, name=args.name, plan=args.plan, channel=args.channel,
            note=args.note, at=at, reading=args.reading, importance=args.importance, case=args.case,
            language=args.language, consents=[c for c in args.consent.split(",") if c.strip()])
    elif k == "retract":
        command, params = cmd.retract, dict(event_ref=args.event_id, reason=args.reason, at=at)
    elif k == "kept":
        command, params = cmd.keep_promise, dict(promise_ref=args.promise, at=at)
    elif k == "cancel-appointment":
        command, params = cmd.cancel_appointment, dict(appointment_ref=args.appointment, reason=args.reason, at=at)
    elif k == "reschedule":
        command, params = cmd.reschedule_promise, dict(promise_ref=args.promise, due=parse_day(args.due, words),
                                                       reason=args.reason, at=at)
    else:
        ref = args.client
        table: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
            "session": (cmd.hold_session, dict(minutes=getattr(args, "minutes", 50),
                                               summary=getattr(args, "summary", ""),
                                               next_step=getattr(args, "next_step", ""),
                                               achieved=getattr(args, "achieved", ""),
                                               challenges=getattr(args, "challenges", ""))),
            "update": (cmd.update_client, {key: getattr(args, key, None) for key in
                                           ("name", "reading", "plan", "channel", "importance", "case", "language")}),
            "missed": (cmd.miss_session, dict(kind=getattr(args, "missed_kind", ""),
                                              reason=getattr(args, "reason", ""))),
            "feedback": (cmd.receive_feedback, dict(score=getattr(args, "score", 0),
                                                    comment=getattr(args, "comment", ""))),
            "message": (cmd.send_message, dict(channel=getattr(args, "channel", None),
                                               template=getattr(args, "template", ""),
                                               summary=getattr(args, "summary", ""),
                                               keeps=getattr(args, "keeps", ""),
                                               answers=getattr(args, "answers", None),
                                               no_reply_needed=getattr(args, "no_reply_needed", False))),
            "appointment": (cmd.book_appointment, dict(
                when=parse_time(args.when, tz, words) if k == "appointment" else None,
                minutes=getattr(args, "minutes", 50), channel=getattr(args, "channel", "") or "")),
            "reply": (cmd.receive_reply, dict(channel=getattr(args, "channel", None),
                                              summary=getattr(args, "summary", ""))),
            "pause": (cmd.pause, dict(reason=getattr(args, "reason", ""),
                                      until=parse_day(args.until, words) if k == "pause" and args.until else None)),
            "resume": (cmd.resume, {}),
            "close": (cmd.close_case, dict(reason=getattr(args, "reason", ""),
                                           summary=getattr(args, "summary", ""))),
            "reopen": (cmd.reopen, dict(reason=getattr(args, "reason", ""))),
            "snooze": (cmd.snooze, dict(until=parse_day(args.until, words) if k == "snooze" else None,
                                        reason=getattr(args, "reason", ""), item=getattr(args, "item", "checkpoint"))),
            "promise": (cmd.make_promise, dict(due=parse_day(args.due, words) if k == "promise" else None,
                                               what=getattr(args, "what", ""))),
            "note": (cmd.add_note, dict(text=getattr(args, "text", ""))),
            "consent": (cmd.record_consent, dict(scope=getattr(args, "scope", ""),
                                                 note=getattr(args, "note", ""))),
            "assign": (cmd.assign, dict(to=getattr(args, "to", ""), reason=getattr(args, "reason", ""))),
            "withdraw-consent": (cmd.withdraw_consent, dict(scope=getattr(args, "scope", ""),
                                                            note=getattr(args, "note", ""))),
        }
        command, params = table[k]
        params = dict(params, ref=ref, at=at)
    event = journal.record(command, **params)
    print(event.id)
    asked = os.environ.get("FOLLOWUP_ACTOR") or args.settings.counselor()
    if journal.store.bound and asked and asked != event.actor:  # the database role records, not who was asked
        print(f"followup: {words.t('cli.actor_is_role', role=event.actor, asked=asked)}", file=sys.stderr)
    if isinstance(event, MessageSent):
        facts = journal.client(event.client)
        count = pace_warning(facts, event.at, journal.policy, tz) if facts is not None else None
        if count is not None:  # allowed, but said: the client's pace
            print(f"followup: {words.t('cli.pace_warning', name=facts.name, count=count, limit=journal.policy.max_per_week)}",
                  file=sys.stderr)
        asked = asked_unanswered(facts, journal.policy, tz) if facts is not None else None
        if asked is not None and asked < event.at.astimezone(tz).date():  # allowed, but said: a chase
            print(f"followup: {words.t('cli.chase_warning', name=facts.name, day=asked.isoformat())}",
                  file=sys.stderr)
    return 0
