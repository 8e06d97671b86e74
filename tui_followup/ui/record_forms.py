"""The forms that record something about a client, one function each: ``FORMS[what](ctx,
facts, item)`` opens it for the client (and the row's item, when there is one). They are given
a ``FormContext``, never the app: the journal to read, the words, and what they may ask for
(record through the command layer, say a note, open a screen, copy a text, another form). Each
builds its fields and records through ``ctx.record`` (the command layer, as the command line
does); a refusal the client's state already makes is said at once
(``commands.state_refusal``), before a form opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Callable, Mapping, Protocol

from ..core import commands as cmd
from ..core import templates
from ..core.caseload import CLOSED, PAUSED
from ..core.clock import OutOfRange, parse_date, parse_moment
from ..core.events import (
    CHANNELS,
    CLOSE_REASONS,
    IMPORTANCES,
    MISSED_KINDS,
    SNOOZE_ITEMS,
)
from ..core.policy import (
    APPOINTMENT,
    CHECKPOINT,
    DECIDE,
    MESSAGE_FOR,
    NO_SHOW,
    PROMISE,
    RESPOND,
    DueItem,
    asked_unanswered,
    wrote_after_pause,
    follow_ups,
    item_of,
    next_item,
    open_appointments,
    open_promises,
    pace_warning,
    promise_due,
)
from ..core.visible import for_client
from ..i18n import LANGUAGES, TEMPLATES, Words
from .decide import DecideScreen
from .forms import ConfirmScreen, Field, FormScreen, out_of_range
from .screens.replay import ReplayScreen

CONSENT_SCOPES = (*CHANNELS, "case_review")  # what a client consents to: each channel, and case review


class Reading(Protocol):
    """What the forms read of the journal (never ``record``: that is ``FormContext.record``)."""

    tz: Any
    policy: Any
    clock: Any
    caseload: Any

    def today(self) -> Any: ...


class Refusal(str):
    """A refusal as the user reads it (what ``FormContext.record`` answers), with the command
    layer's ``key`` ("messaged_since"; "" when not the command layer's)."""

    key: str = ""

    def __new__(cls, text: str, key: str = "") -> Refusal:
        refusal = super().__new__(cls, text)
        refusal.key = key
        return refusal


@dataclass(frozen=True)
class FormContext:
    """All a form may use, built by the app in one place (``FollowupApp.form_context``) or by
    any host (``tests/ui/test_house.py``)."""

    journal: Reading  # read only: the caseload, the policy, the zone, the clock, today
    words: Words
    language: str | None  # the app's language (a client's own comes first for a message)
    template_overrides: Mapping[str, Mapping[str, str]]
    record: Callable[..., str | None]  # (command, *args, **kwargs): recorded, None; else the refusal
    notify: Callable[..., None]  # a note of the app's (App.notify's arguments)
    open: Callable[..., Any]  # (screen, callback=None): a screen on top, its answer to the callback
    copy: Callable[[str], None]  # a text to the clipboard (the app says where it went)
    act: Callable[[str, str, DueItem | None], None]  # (what, client, item): another form (a decision's choice)
    registered: Callable[[str], None] = lambda client: None  # a client just registered: shown

    def now(self):
        return self.journal.clock.now()


def later_than_now(journal: Reading, words: Words, command: Callable, moment) -> str | None:
    """What a form records is recorded once it happened: a When later than now (a message's
    ``+3d``) would hide the item until then. The refusal, or None. (A session's own rule is
    the command layer's.)"""
    if command is cmd.hold_session or moment is None or moment <= journal.clock.now():
        return None
    return words.t("form.when_ahead", at=moment.astimezone(journal.tz).strftime("%Y-%m-%d %H:%M"))


def moment(ctx, text: str):
    text = text.strip()
    return parse_moment(text, ctx.journal.tz, ctx.journal.today()) if text else None


DATE_LIKE = ("date", "time")  # the kinds of field that hold a day or a time (and every form's When, "at")


def field_refusal(ctx, f: Field, text: str) -> str | None:
    """What is wrong with a date or time field's value, naming the field as the form labels it
    ("When: 'zz' is not a date and time ...", 「日時: ...」), or None (a field of another kind, or
    a value that reads). The When's refusal named no field: "a date (YYYY-MM-DD), a time
    (YYYY-MM-DD HH:MM) or a number could not be read"."""
    if f.name != "at" and f.kind not in DATE_LIKE:
        return None
    words, text = ctx.words, text.strip()
    refusal = None
    if not text:
        refusal = words.t("form.empty_value") if f.required else None
    else:
        try:
            if f.name == "at":
                parse_moment(text, ctx.journal.tz, ctx.journal.today())
            elif f.kind == "date":
                parse_date(text, ctx.journal.today())
            else:
                time.fromisoformat(text)
        except OutOfRange as exc:
            refusal = out_of_range(words, exc.text)
        except ValueError:
            refusal = words.t("form.not_a_moment" if f.name == "at" else f"form.not_a_{f.kind}", text=text)
    return None if refusal is None else words.t("form.field_refused", field=f.said(), refusal=refusal)


def fields_refusal(ctx, fields: list[Field], values: dict) -> str | None:
    """The first date or time field whose value is refused, said with its name (None: all read)."""
    return next((said for f in fields for said in [field_refusal(ctx, f, values.get(f.name, ""))] if said), None)


def open_form(ctx, title: str, fields: list[Field], submit: Callable[[dict], str | None], label: str | None = None,
          preview: str | None = None, preview_title: str = "", facts=None, templates=None) -> None:
    def guarded(values: dict) -> str | None:
        refused = fields_refusal(ctx, fields, values)
        if refused:
            return refused
        try:
            return submit(values)
        except OutOfRange as exc:
            return out_of_range(ctx.words, exc.text)
        except ValueError:
            return ctx.words.t("form.bad_value")

    dates = [f.name for f in fields if f.kind == "date"] + [f.name for f in fields if f.name == "at"]
    ctx.open(about(FormScreen(title, fields, label, on_submit=guarded, preview=preview,
                                     preview_title=preview_title, today=ctx.journal.today(),
                                     confirm=lambda v: far_date_question(ctx, facts, v, dates),
                                     templates=templates,
                                     keep_together=(facts.name,) if facts is not None and preview is not None else ()),
                         facts))


def about(screen, facts):
    """``screen`` marked as about the client of ``facts`` (None: no one yet, a registration): the
    app closes it when that client is erased elsewhere (its title holds their name); what it
    says keeps their name on one line."""
    screen.client_id = facts.id if facts is not None else None
    screen.kept_names = (facts.name,) if facts is not None else ()  # never broken across two lines
    return screen


def far_date_question(ctx, facts, values: dict, names: list[str]) -> str | None:
    """A day more than 30 days ahead, or before the client's registration: asked about
    (a one-digit slip in the year once took a client off Today for seven months)."""
    words = ctx.words
    today = ctx.journal.today()
    for name in names:
        text = values.get(name, "").strip()
        if not text:
            continue
        try:
            day = (parse_moment(text, ctx.journal.tz, today).astimezone(ctx.journal.tz).date()
                   if name == "at" else parse_date(text, today))
        except ValueError:
            return None  # the command says what is wrong with it
        if day > today + timedelta(days=30):
            return words.t("confirm.far_date", day=words.long_day(day), days=(day - today).days)
        registered = facts.registered_at.astimezone(ctx.journal.tz).date() if facts and facts.registered_at else None
        if registered is not None and day < registered:
            return words.t("confirm.before_registration", day=words.long_day(day), registered=words.long_day(registered))
    return None


def now_field(ctx) -> Field:
    return Field("at", ctx.words.t("form.when"), placeholder=ctx.words.t("form.now"))


def channel_field(ctx, value: str) -> Field:
    words = ctx.words
    return Field("channel", words.t("form.channel"), "choice", value, [(words.word("channel", c), c) for c in CHANNELS])


def message_text(ctx, facts, label: str, item: DueItem | None, channel: str | None = None) -> str:
    """The template for the item as it is shown and copied: for an e-mail its subject line
    first (in the message's language), then the text. The label's late wording when the
    message goes out more than 3 days after the due date; the day words as seen today; a
    promise's own words; an appointment's day and time. Control characters in the name or a
    note are shown, not copied: the text goes to the terminal and the clipboard."""
    session = facts.last_session
    today, tz = ctx.journal.today(), ctx.journal.tz
    lang = templates.language_for(TEMPLATES, facts.language, ctx.language, facts.name)
    what = ""
    if item is not None and item.kind == PROMISE:
        what = next((p.what for p in facts.promises if p.id == item.ref), "")
    appointment = None
    if item is not None and item.kind == APPOINTMENT:
        appointment = next((a.when.astimezone(tz) for a in facts.appointments if a.id == item.ref), None)
    if label == "intent-check" and facts.state == PAUSED:
        label = "intent-check.paused"  # the question after a pause says so
    # each typed value without its invisible characters before it is framed ("[b]x[/b] \u200e" left
    # a space inside the closing quotation mark)
    typed = for_client
    message = templates.compose(
        TEMPLATES, label, lang, typed(facts.name),
        session_date=session.at.astimezone(tz).date() if session else None,
        next_step=typed(session.next_step) if session else "", what=typed(what),
        overrides=ctx.template_overrides,
        late=item is not None and item.late_on(today),
        achieved=typed(session.achieved) if session else "", challenges=typed(session.challenges) if session else "",
        sent_on=today, no_show_date=item.basis if item is not None and item.kind == NO_SHOW else None,
        appointment=appointment, appointment_passed=appointment is not None and appointment < ctx.now(),
    )
    return for_client(templates.as_sent(TEMPLATES, message, lang, (channel or facts.channel) == "email",
                                        ctx.template_overrides))  # what the client reads: nothing invisible


def message(ctx, facts, item: DueItem | None) -> None:
    policy, tz, today = ctx.journal.policy, ctx.journal.tz, ctx.journal.today()
    if item is None or item.client != facts.id:
        item = next_item(facts, policy, tz, today)
    if item is not None and item.kind == DECIDE:
        # Never chase after the question: the decision is the practitioner's (rule 3).
        offer_decision(ctx, facts, item)
        return
    respond = item_of(facts, policy, tz, today, RESPOND)
    if respond is not None and respond.due <= today and item is not None and item.kind != PROMISE:
        item = respond  # reply first: one message answers both (rule 13)
    limit = policy.max_per_week
    answers = item.kind if item is not None and item.kind in MESSAGE_FOR else CHECKPOINT
    extra = answers == CHECKPOINT and not (item is not None and item.due <= today) and \
        (item is None or item.kind != PROMISE)
    count = pace_warning(facts, ctx.now(), policy, extra=extra)
    asked = asked_unanswered(facts, policy, tz)
    if count is not None:  # the client's pace: allowed, but asked first (No unless said)
        ctx.open(about(ConfirmScreen(ctx.words.counted("confirm.pace", count, name=ctx.words.name_of(facts), limit=limit),
                                             default=False), facts),
                         lambda yes: message_form(ctx, facts, item) if yes else None)
        return
    if asked is not None:  # a chase after an unanswered question: asked first
        ctx.open(about(ConfirmScreen(ctx.words.t("confirm.chase", name=ctx.words.name_of(facts),
                                                     day=ctx.words.long_day(asked)), default=False), facts),
                         lambda yes: message_form(ctx, facts, item) if yes else None)
        return
    message_form(ctx, facts, item)


def _thank_you_due(facts, tz, today) -> bool:
    """The latest session was today or yesterday and nothing has been sent since: the note
    after a session is the text to offer first (a session booked within the week takes its
    24h item off the due list, and the form offered the reminder days early or the check-in,
    "since we last spoke", a day after speaking)."""
    session = facts.last_session
    if facts.state in (PAUSED, CLOSED) or session is None:
        return False
    if facts.last_message is not None and facts.last_message >= session.at:
        return False
    return 0 <= (today - session.at.astimezone(tz).date()).days <= 1


def message_form(ctx, facts, item: DueItem | None) -> None:
    """The message for the row's item; Ctrl+T offers the texts of the client's other items
    open today (due today or before), the note after a session held today or yesterday (before a
    reminder not due yet), and a neutral check-in for a client who has had a session, each written for its own item (never a 1-month text two weeks after a session, never the
    monthly "this past month" the day after one, never the question unless it is due)."""
    words, policy, tz, today = ctx.words, ctx.journal.policy, ctx.journal.tz, ctx.journal.today()
    choices: dict[str, DueItem | None] = {}
    # (a session booked and past, nothing recorded of it: its row's text names it and asks for a
    # new time; after the note of thanks when a session was held yesterday)
    passed = item is not None and item.kind == APPOINTMENT and not any(
        a.id == item.ref and a.when > ctx.now() for a in facts.appointments)
    thanks = _thank_you_due(facts, tz, today)
    if item is not None and item.kind != DECIDE and (item.due <= today or not thanks) and not (passed and thanks):
        choices[item.reason] = item
    for other in sorted((i for i in follow_ups(facts, policy, tz) if i.shown_on(today) and i.due <= today),
                        key=lambda i: (i.kind != RESPOND, i.due)):
        if other.kind not in (DECIDE, APPOINTMENT):  # open today: never a 1-month text two weeks early
            choices.setdefault(other.reason, other)
    if thanks:  # the note after a session, though a booking took its item off the due list
        choices.setdefault(templates.THANKS, None)
    if item is not None and item.kind != DECIDE:
        choices.setdefault(item.reason, item)  # a reminder ahead, after the note
    if facts.state not in (PAUSED, CLOSED) and facts.last_session is not None:
        # a check-in for a client in the work: neutral, true whatever the day ("since we last spoke")
        choices.setdefault(templates.CHECK_IN, None)
    if not choices:
        choices[templates.CHECK_IN] = None
    labels = list(choices)
    chosen = [labels[0]]
    text = message_text(ctx, facts, chosen[0], choices[chosen[0]])
    ctx.copy(text)

    def another(n: int) -> tuple[str, str]:  # Ctrl+T in the form: the next one, in the client's language
        chosen[0] = labels[n % len(labels)]
        return (words.t("form.template", label=words.word("label", chosen[0])),
                message_text(ctx, facts, chosen[0], choices[chosen[0]]))

    # The messages to the client this form was opened on: one recorded since (a colleague
    # answering the same item, another window) refuses this one, saying whose; once said, they
    # are seen, and recording again sends this one too (commands.send_message's ``seen``).
    seen = [cmd.seen_messages(ctx.journal.caseload, facts.id)]

    def record(v: dict) -> str | None:
        written_for = choices[chosen[0]]
        keeps = written_for.ref if written_for is not None and written_for.kind == PROMISE else ""
        answers = written_for.kind if written_for is not None and written_for.kind in MESSAGE_FOR \
            else (None if keeps else CHECKPOINT)
        if v["answers"]:  # said in the form (record message --for): that item, no promise kept
            keeps, answers = "", v["answers"]
        refused = ctx.record(cmd.send_message, facts.id, channel=v["channel"], template=chosen[0],
                             summary=v["summary"], at=moment(ctx, v["at"]), keeps=keeps, answers=answers,
                             no_reply_needed=bool(v["no_reply_needed"]), seen=seen[0])
        now = ctx.journal.caseload.get(facts.id)
        if getattr(refused, "key", "") == "messaged_since" and now is not None:  # said: seen
            seen[0] = cmd.seen_messages(ctx.journal.caseload, facts.id)
            # the client's pace, asked as the form opened, asked again with what came since (this
            # one answers what theirs did: extra)
            count = pace_warning(now, ctx.now(), policy, extra=True)
            if count is not None:
                return Refusal(f"{refused} {words.counted('confirm.pace', count, name=words.name_of(now), limit=policy.max_per_week)}",
                               refused.key)
        return refused

    answers = [(words.t("form.for_auto"), "")] + [
        (words.t("item.checkpoint") if kind == CHECKPOINT else words.word("label", kind), kind) for kind in MESSAGE_FOR]

    open_form(
        ctx,
        words.t("form.message_title", name=words.name_of(facts), label=words.word("label", chosen[0])),
        [Field("summary", words.t("form.summary_optional")), channel_field(ctx, facts.channel), now_field(ctx),
         # (the note after a session tells the client no reply is needed: so it is recorded)
         Field("no_reply_needed", words.t("form.no_reply_needed"), "choice",
               "yes" if chosen[0] == templates.THANKS else "", [(words.t("word.no"), ""), (words.t("word.yes"), "yes")]),
         Field("answers", words.t("form.message_for"), "choice", "", answers)],
        record, words.t("form.record_message"), preview=text,
        preview_title=words.t("form.template", label=words.word("label", chosen[0])),
        facts=facts, templates=another,
    )


def session(ctx, facts, item) -> None:
    words = ctx.words
    open_form(
        ctx,
        words.t("form.session_title", name=words.name_of(facts)),
        [Field("minutes", words.t("form.minutes"), "number", value="50"), Field("summary", words.t("form.summary")),
         Field("next_step", words.t("form.next_step")), Field("achieved", words.t("form.achieved")),
         Field("challenges", words.t("form.challenges")), now_field(ctx)],
        lambda v: ctx.record(cmd.hold_session, facts.id, minutes=int(v["minutes"] or 50),
                                 summary=v["summary"], next_step=v["next_step"], achieved=v["achieved"],
                                 challenges=v["challenges"], at=moment(ctx, v["at"])),
        words.t("form.record_session"), facts=facts,
    )


def reply(ctx, facts, item) -> None:
    words = ctx.words
    open_form(
        ctx,
        words.t("form.reply_title", name=words.name_of(facts)),
        [Field("summary", words.t("form.reply_what")), channel_field(ctx, facts.channel), now_field(ctx)],
        lambda v: ctx.record(cmd.receive_reply, facts.id, channel=v["channel"], summary=v["summary"],
                                  at=moment(ctx, v["at"])),
        words.t("form.record_reply"), facts=facts,
    )


def snooze(ctx, facts, item) -> None:
    """Snooze the selected row's item (on a promise row: reschedule the promise; on a
    decide row: wait), with the choices counted from that item's due date."""
    words = ctx.words
    today = ctx.journal.today()
    if item is None or item.client != facts.id:
        item = next_item(facts, ctx.journal.policy, ctx.journal.tz, today)
    base = max(item.due, today) if item is not None else today
    options = [(words.t("form.plus_day", day=words.short_day(base + timedelta(days=1))), "1"),
               (words.t("form.plus_3", day=words.short_day(base + timedelta(days=3))), "3"),
               (words.t("form.plus_week", day=words.short_day(base + timedelta(days=7))), "7")]
    fields = [Field("by", words.t("form.until"), "choice", "1", options), Field("reason", words.t("form.reason")),
              Field("date", words.t("form.or_date"), "date", placeholder=words.t("form.or_date_hint"),
                    short=words.t("form.or_date_name")), now_field(ctx)]

    def until_of(v: dict):
        return parse_date(v["date"], today) if v["date"].strip() else base + timedelta(days=int(v["by"]))

    if item is not None and item.kind == PROMISE:
        what = next((p.what for p in facts.promises if p.id == item.ref), "")
        open_form(ctx, words.t("form.reschedule_title", name=words.name_of(facts), what=what, due=words.short_day(item.due)), fields,
                   lambda v: ctx.record(cmd.reschedule_promise, item.ref, until_of(v), reason=v["reason"],
                                                  at=moment(ctx, v["at"])),
                   words.t("form.reschedule"), facts=facts)
        return
    which = item.kind if item is not None and item.kind in SNOOZE_ITEMS else "checkpoint"
    if item is None:
        title = words.t("form.snooze_title", name=words.name_of(facts))
    elif item.kind == DECIDE:
        title = words.t("form.wait_title", name=words.name_of(facts), due=words.short_day(item.due))
    else:
        title = words.t("form.snooze_item_title", name=words.name_of(facts), label=words.word("label", item.reason),
                        due=words.short_day(item.due))
    open_form(ctx, title, fields,
               lambda v: ctx.record(cmd.snooze, facts.id, until_of(v), reason=v["reason"], item=which,
                                              at=moment(ctx, v["at"])),
               words.t("form.snooze"), facts=facts)


def promise(ctx, facts, item) -> None:
    words = ctx.words
    default = ctx.journal.today() + timedelta(days=7)
    open_form(
        ctx,
        words.t("form.promise_title", name=words.name_of(facts)),
        [Field("what", words.t("form.what_promised")),
         Field("due", words.t("form.due"), "date", value=default.isoformat(), required=True), now_field(ctx)],
        lambda v: ctx.record(cmd.make_promise, facts.id, parse_date(v["due"], ctx.journal.today()), v["what"],
                                 at=moment(ctx, v["at"])),
        words.t("form.record_promise"), facts=facts,
    )


def pause(ctx, facts, item) -> None:
    words = ctx.words
    open_form(
        ctx,
        words.t("form.pause_title", name=words.name_of(facts)),
        [Field("reason", words.t("form.pause_reason")),
         Field("until", words.t("form.pause_until"), "date", placeholder=words.t("form.pause_until_hint")),
         now_field(ctx)],
        lambda v: ctx.record(cmd.pause, facts.id, reason=v["reason"], at=moment(ctx, v["at"]),
                                 until=parse_date(v["until"], ctx.journal.today()) if v["until"].strip() else None),
        words.t("form.pause"), facts=facts,
    )


def resume(ctx, facts, item) -> None:
    """u on a paused client: when the pause ended (now unless said), as every form with a When."""
    words = ctx.words
    open_form(ctx, words.t("form.resume_title", name=words.name_of(facts)), [now_field(ctx)],
              lambda v: ctx.record(cmd.resume, facts.id, at=moment(ctx, v["at"])),
              words.t("form.resume"), facts=facts)


def reopen(ctx, facts, item) -> None:
    words = ctx.words
    open_form(ctx, words.t("form.reopen_title", name=words.name_of(facts)), [Field("reason", words.t("form.why")), now_field(ctx)],
               lambda v: ctx.record(cmd.reopen, facts.id, reason=v["reason"], at=moment(ctx, v["at"])),
               words.t("form.reopen"), facts=facts)


def note(ctx, facts, item) -> None:
    words = ctx.words
    open_form(ctx, words.t("form.note_title", name=words.name_of(facts)), [Field("text", words.t("form.note")), now_field(ctx)],
               lambda v: ctx.record(cmd.add_note, facts.id, v["text"], at=moment(ctx, v["at"])),
               words.t("form.add_note"), facts=facts)


def edit(ctx, facts, item) -> None:
    """e on the Client screen: change the client's details (only what changes is recorded)."""
    words = ctx.words
    plans = [(words.word("plan", p), p) for p in ctx.journal.policy.plans]
    importance = [(words.t("form.unchanged"), "")] + [(words.word("importance", i), i) for i in IMPORTANCES]
    languages = [(words.t("form.language_auto"), "")] + [(words.language_name(lang), lang) for lang in LANGUAGES]
    open_form(
        ctx,
        words.t("form.edit_title", name=words.name_of(facts)),
        [Field("name", words.t("form.name"), value=facts.name),
         Field("reading", words.t("form.reading"), value=facts.reading),
         Field("plan", words.t("form.plan"), "choice", facts.plan, plans), channel_field(ctx, facts.channel),
         Field("importance", words.t("form.importance"), "choice", facts.importance, importance),
         Field("case", words.t("form.case"), value=facts.case),
         Field("language", words.t("form.language"), "choice", facts.language, languages), now_field(ctx)],
        lambda v: ctx.record(cmd.update_client, facts.id, name=v["name"], reading=v["reading"],
                                  plan=v["plan"], channel=v["channel"], importance=v["importance"],
                                  case=v["case"], language=v["language"], at=moment(ctx, v["at"])),
        words.t("form.save_changes"), facts=facts,
    )


def consent(ctx, facts, item) -> None:
    """k on the Client screen: record or withdraw a consent (a channel or case_review)."""
    words = ctx.words
    scopes = [(words.word("channel", c), c) for c in CONSENT_SCOPES]
    doing = [(words.t("form.consent_record"), "record"), (words.t("form.consent_withdraw"), "withdraw")]
    open_form(
        ctx,
        words.t("form.consent_title", name=words.name_of(facts)),
        [Field("scope", words.t("form.scope"), "choice", facts.channel, scopes),
         Field("doing", words.t("form.consent_doing"), "choice", "record", doing), Field("note", words.t("form.note")),
         now_field(ctx)],
        lambda v: ctx.record(cmd.record_consent if v["doing"] == "record" else cmd.withdraw_consent,
                                  facts.id, v["scope"], note=v["note"], at=moment(ctx, v["at"])),
        words.t("form.save_changes"), facts=facts,
    )


def replay(ctx, facts, item) -> None:
    ctx.open(ReplayScreen(facts.id, ctx.journal))


def close(ctx, facts, item) -> None:
    words = ctx.words
    if facts.state == "closed":
        ctx.notify(words.refusal(cmd.CommandError("already_closed", name=words.name_of(facts))), severity="error",
                    title=words.t("note.not_recorded"))
        return

    fields = [Field("summary", words.t("form.closing_summary")),
              Field("reason", words.t("form.reason"), "choice",
                    "no_response" if item is not None and item.kind == DECIDE and wrote_after_pause(item) is None
                    else "goal_achieved",  # (a client who wrote did respond)
                    [(words.word("reason", r), r) for r in CLOSE_REASONS]), now_field(ctx)]

    def when_refused(values: dict) -> str | None:
        """The When's refusal, said on the form before the question (None: ask it)."""
        refused = fields_refusal(ctx, fields, values)
        if refused:
            return refused
        try:
            return later_than_now(ctx.journal, words, cmd.close_case, moment(ctx, values["at"]))
        except OutOfRange as exc:
            return out_of_range(words, exc.text)
        except ValueError:
            return words.t("form.bad_value")

    def question(values: dict) -> str | None:
        """Asked before the close is recorded; a When that does not read is said without it, one
        before the client's registration is asked about first, as every form's is (a slip of
        the year closed the case in 2020, asked only whether to close it)."""
        if when_refused(values):
            return None
        now = ctx.journal.client(facts.id)
        if now is None or now.state == "closed":  # (refused already, as it will be: said again at once)
            return None
        asked = words.t("confirm.close", name=words.name_of(facts), reason=words.word("reason", values["reason"]))
        day = far_date_question(ctx, facts, values, ["at"])
        return f"{day}\n{asked}" if day else asked

    def submit(values: dict) -> str | None:
        """Recorded once answered yes; a refusal (a colleague closed it first) is said on the
        form, which stays open as typed (it was closed before the question: the summary and
        the reason chosen went with it, and only a toast said why)."""
        return when_refused(values) or ctx.record(cmd.close_case, facts.id, values["reason"],
                                                  summary=values["summary"], at=moment(ctx, values["at"]))

    ctx.open(about(FormScreen(words.t("form.close_title", name=words.name_of(facts)), fields, words.t("form.close_case"),
                              on_submit=submit, confirm=question), facts))


def register(ctx) -> None:
    """a on Clients (or the palette): the fields of ``record client``; an id left empty is made
    (the case number, else from the name). Once registered, Clients shows every client (the
    filter cleared) with the new one selected."""
    words = ctx.words
    plans = [(words.word("plan", p), p) for p in ctx.journal.policy.plans]
    importance = [(words.t("form.unchanged"), "")] + [(words.word("importance", i), i) for i in IMPORTANCES]
    languages = [(words.t("form.language_auto"), "")] + [(words.language_name(lang), lang) for lang in LANGUAGES]

    def submit(v: dict) -> str | None:
        client = v["id"].strip() or cmd.made_client_id(ctx.journal.caseload, v["name"], v["case"])
        error = ctx.record(cmd.register_client, client, v["name"], plan=v["plan"],
                               channel=v["channel"], note=v["note"], reading=v["reading"],
                               importance=v["importance"], case=v["case"], language=v["language"],
                               consents=[c for c in v["consents"].split(",") if c], at=moment(ctx, v["at"]))
        if error is None:
            ctx.registered(client)
        return error

    # (the first fields in the order they have always had: a burst typed for them still lands)
    open_form(ctx, words.t("form.register_title"),
              [Field("name", words.t("form.name")), Field("id", words.t("form.client_id")),
               Field("plan", words.t("form.plan"), "choice", ctx.journal.policy.default_plan, plans),
               channel_field(ctx, "email"), Field("note", words.t("form.note")),
               Field("consents", words.t("form.consents"), "checks", "",
                     [(words.word("channel", c), c) for c in CONSENT_SCOPES]),
               Field("reading", words.t("form.reading")),
               Field("importance", words.t("form.importance"), "choice", "", importance),
               Field("case", words.t("form.case")),
               Field("language", words.t("form.language"), "choice", "", languages), now_field(ctx)],
              submit, words.t("form.register"))


def missed(ctx, facts, item) -> None:
    """x: a session that did not happen (a no-show, or cancelled by either side)."""
    words = ctx.words
    kinds = [(words.word("missed", k), k) for k in MISSED_KINDS]
    open_form(ctx, words.t("form.missed_title", name=words.name_of(facts)),
              [Field("kind", words.t("form.missed_kind"), "choice", "no_show", kinds),
               Field("reason", words.t("form.reason")), now_field(ctx)],
              lambda v: ctx.record(cmd.miss_session, facts.id, v["kind"], reason=v["reason"],
                                       at=moment(ctx, v["at"])),
              words.t("form.record_missed"), facts=facts)


def feedback(ctx, facts, item) -> None:
    """v: the client's answer to the satisfaction question, 1 to 5."""
    words = ctx.words
    scores = [(str(n), str(n)) for n in range(1, 6)]
    open_form(ctx, words.t("form.feedback_title", name=words.name_of(facts)),
              [Field("score", words.t("form.score"), "choice", "4", scores),
               Field("comment", words.t("form.comment")), now_field(ctx)],
              lambda v: ctx.record(cmd.receive_feedback, facts.id, int(v["score"]), comment=v["comment"],
                                       at=moment(ctx, v["at"])),
              words.t("form.record_feedback"), facts=facts)


def kept(ctx, facts, item) -> None:
    """d: a promise kept another way than by a message (a call, a document handed over): the
    row's promise first, else the client's open promises by due date."""
    words = ctx.words
    promises = sorted(open_promises(facts), key=lambda p: promise_due(facts, p))
    if item is not None and item.kind == PROMISE and item.client == facts.id:
        promises.sort(key=lambda p: p.id != item.ref)
    options = [(f"{p.what} ({words.short_day(promise_due(facts, p))})", p.id) for p in promises]
    open_form(ctx, words.t("form.kept_title", name=words.name_of(facts)),
              [Field("promise", words.t("form.which_promise"), "choice", promises[0].id, options), now_field(ctx)],
              lambda v: ctx.record(cmd.keep_promise, v["promise"], at=moment(ctx, v["at"])),
              words.t("form.record_kept"), facts=facts)


def assign(ctx, facts, item) -> None:
    """h: hand the client over to a colleague (everything recorded before goes with them)."""
    words = ctx.words
    open_form(ctx, words.t("form.assign_title", name=words.name_of(facts), owner=facts.owner or "—"),
              [Field("to", words.t("form.assign_to")), Field("reason", words.t("form.reason")), now_field(ctx)],
              lambda v: ctx.record(cmd.assign, facts.id, v["to"], reason=v["reason"], at=moment(ctx, v["at"])),
              words.t("form.assign"), facts=facts)


def offer_decision(ctx, facts, item: DueItem) -> None:
    """m on a decide row: no message; close, pause or wait, one key each, then that form for the
    row's item. After a question that went unanswered, says when it was asked; after a paused
    client wrote (rule 4), says when they wrote and offers resuming too: they answered, and
    nothing here calls them unresponsive."""
    words = ctx.words
    wrote = wrote_after_pause(item)
    if wrote is not None:
        day = words.long_day(wrote)
        question = words.t("decide.wrote_question", name=words.name_of(facts), day=day)
        title = words.t("decide.wrote_title", name=words.name_of(facts), day=day)
    else:
        asked = asked_unanswered(facts, ctx.journal.policy, ctx.journal.tz)
        day = words.long_day(asked) if asked else "—"
        question = words.t("decide.question", name=words.name_of(facts), day=day)
        title = words.t("decide.title", name=words.name_of(facts), day=day)
    ctx.open(about(DecideScreen(question, title, wrote=wrote is not None), facts),
             lambda what: ctx.act(what, facts.id, item) if what else None)


def book(ctx, facts, item) -> None:
    """b: a session booked ahead (its day and time, minutes, channel), through the command layer."""
    words = ctx.words
    today = ctx.journal.today()

    def when_of(v: dict) -> datetime:
        return datetime.combine(parse_date(v["day"], today), time.fromisoformat(v["time"].strip()),
                                tzinfo=ctx.journal.tz)

    open_form(
        ctx, words.t("form.book_title", name=words.name_of(facts)),
        [Field("day", words.t("form.book_day"), "date", value=(today + timedelta(days=7)).isoformat(), required=True),
         Field("time", words.t("form.book_time"), "time", value="10:00", required=True),
         Field("minutes", words.t("form.minutes"), "number", value="50"), channel_field(ctx, facts.channel),
         now_field(ctx)],
        lambda v: ctx.record(cmd.book_appointment, facts.id, when=when_of(v),
                                 minutes=int(v["minutes"] or 50), channel=v["channel"], at=moment(ctx, v["at"])),
        words.t("form.book"), facts=facts,
    )


def cancel_appointment(ctx, facts, item, ref: str | None = None) -> None:
    """B: a booked session cancelled; the row's appointment first (Today's appointment row, the
    timeline's row of the booking), else the client's open appointments by day."""
    words, tz = ctx.words, ctx.journal.tz
    booked = open_appointments(facts, tz)
    wanted = ref or (item.ref if item is not None and item.kind == APPOINTMENT and item.client == facts.id else None)
    booked.sort(key=lambda b: b.id != wanted)  # (stable: the rest stay by day)
    options = [(words.ahead_moment(b.when.astimezone(tz)), b.id) for b in booked]
    open_form(ctx, words.t("form.cancel_appointment_title", name=words.name_of(facts)),
              [Field("appointment", words.t("form.which_appointment"), "choice", booked[0].id, options),
               Field("reason", words.t("form.reason")), now_field(ctx)],
              lambda v: ctx.record(cmd.cancel_appointment, v["appointment"], reason=v["reason"],
                                       at=moment(ctx, v["at"])),
              words.t("form.cancel_appointment"), facts=facts)


FORMS: dict[str, Callable] = {
    "message": message, "session": session, "reply": reply, "snooze": snooze, "promise": promise,
    "pause": pause, "resume": resume, "reopen": reopen, "note": note, "edit": edit, "consent": consent,
    "replay": replay, "close": close, "missed": missed, "feedback": feedback, "kept": kept, "assign": assign,
    "book": book, "cancel_appointment": cancel_appointment,
}

# The forms that take the event the row stands for (a timeline row's event), as ``ref=``.
TAKES_REF = frozenset({"cancel_appointment"})


class NotFromApp(str):
    """An event type the app has no form for: what records it instead."""


# Every event type, by its tag: its form (a ``FORMS`` key, or an app action: ``register_client``,
# ``undo``), or ``NotFromApp`` (tests/core/test_event_parts.py names a tag with neither).
FROM_APP: dict[str, str] = {
    "client_registered": "register_client", "client_updated": "edit", "session_held": "session",
    "session_missed": "missed", "feedback_received": "feedback", "message_sent": "message", "reply_received": "reply",
    "client_paused": "pause", "client_resumed": "resume", "case_closed": "close", "case_reopened": "reopen",
    "follow_up_snoozed": "snooze", "promise_rescheduled": "snooze", "promise_made": "promise", "note_added": "note",
    "consent_recorded": "consent", "consent_withdrawn": "consent", "client_assigned": "assign",
    "appointment_booked": "book", "promise_kept": "kept", "event_retracted": "undo",
    "appointment_cancelled": "cancel_appointment",
    "client_forgotten": NotFromApp("followup forget"),
}
