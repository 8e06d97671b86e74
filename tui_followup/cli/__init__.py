"""The ``followup`` command: the same commands as the app, for the shell and for scripts.

Tables for people, ``--json`` for scripts. A refused command prints one line to stderr and
exits 2, writing nothing; a traceback never reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

import msgspec

from ..core import commands as cmd
from ..core.clock import Clock, FixedClock, parse_date, parse_moment
from ..core.events import (
    CHANNELS,
    CLOSE_REASONS,
    SNOOZE_ITEMS,
    ClientRegistered,
    EventRetracted,
    MessageSent,
    tag_of,
)
from ..core.policy import messages_in_week_before
from ..core.status import caseload_status
from ..i18n import (
    error_text,
    long_day,
    problem_text,
    set_language,
    t,
    why_text,
    word,
)
from ..storage.journal import Journal, in_background
from ..storage.logfile import LogStore, StoreError
from ..wallclock import SystemClock, local_timezone
from .tables import render


class UsageError(Exception):
    """Bad input from the user (a date that is not a date, ...)."""


def _clock(tz) -> Clock:
    """The wall clock, or ``FOLLOWUP_NOW`` (an ISO time) for scripted, repeatable runs."""
    fixed = os.environ.get("FOLLOWUP_NOW")
    if fixed:
        return FixedClock(parse_moment(fixed, tz))
    return SystemClock(tz)


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        raise UsageError(t("cli.bad_date", text=text)) from None


def _moment(text: str | None, tz) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_moment(text, tz)
    except ValueError:
        raise UsageError(t("cli.bad_moment", text=text)) from None


# -- parser -----------------------------------------------------------------------------


def _log_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let `--log PATH` also follow the command (`followup due --log x.jsonl`), as scripts write it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                child.add_argument("--log", metavar="PATH", default=argparse.SUPPRESS, help=t("help.log"))
                _log_anywhere(child)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="followup",
        description=t("help.description"),
    )
    p.add_argument("--log", metavar="PATH",
                   help=t("help.log"))
    p.add_argument("--demo", action="store_true",
                   help=t("help.demo"))
    p.add_argument("--debug", action="store_true", help=t("help.debug"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    rec = sub.add_parser("record", help=t("help.record"))
    kinds = rec.add_subparsers(dest="kind", metavar="KIND", required=True)

    def kind(name: str, help: str, client: bool = True) -> argparse.ArgumentParser:
        k = kinds.add_parser(name, help=help)
        if client:
            k.add_argument("client", metavar="CLIENT", help=t("opt.client"))
        k.add_argument("--at", metavar="TIME", help=t("opt.at"))
        return k

    k = kind("client", t("kind.client"), client=False)
    k.add_argument("--id", required=True, dest="client_id")
    k.add_argument("--name", required=True)
    k.add_argument("--plan", default=None, help=t("opt.plan"))
    k.add_argument("--channel", default="email", choices=CHANNELS)
    k.add_argument("--note", default="")
    k = kind("session", t("kind.session"))
    k.add_argument("--minutes", type=int, default=50)
    k.add_argument("--summary", default="")
    k.add_argument("--next-step", default="")
    k = kind("message", t("kind.message"))
    k.add_argument("--channel", choices=CHANNELS, help=t("opt.channel_default"))
    k.add_argument("--template", default="")
    k.add_argument("--summary", default="")
    k.add_argument("--keeps", default="", metavar="PROMISE_ID", help=t("opt.keeps"))
    k = kind("reply", t("kind.reply"))
    k.add_argument("--channel", choices=CHANNELS)
    k.add_argument("--summary", default="")
    k = kind("pause", t("kind.pause"))
    k.add_argument("--reason", default="")
    k.add_argument("--until", metavar="DATE", help=t("opt.until_pause"))
    kind("resume", t("kind.resume"))
    k = kind("close", t("kind.close"))
    k.add_argument("--reason", required=True, choices=CLOSE_REASONS)
    k.add_argument("--summary", default="")
    k = kind("reopen", t("kind.reopen"))
    k.add_argument("--reason", default="")
    k = kind("snooze", t("kind.snooze"))
    k.add_argument("--until", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k.add_argument("--item", default="checkpoint", choices=SNOOZE_ITEMS, help=t("opt.item"))
    k = kind("promise", t("kind.promise"))
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--what", required=True)
    k = kind("note", t("kind.note"))
    k.add_argument("--text", required=True)
    k = kind("consent", t("kind.consent"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kind("withdraw-consent", t("kind.withdraw"))
    k.add_argument("--scope", required=True)
    k.add_argument("--note", default="")
    k = kinds.add_parser("kept", help=t("kind.kept"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--at", metavar="TIME", help=t("opt.at"))
    k = kinds.add_parser("reschedule", help=t("kind.reschedule"))
    k.add_argument("promise", metavar="PROMISE_ID")
    k.add_argument("--due", required=True, metavar="DATE")
    k.add_argument("--reason", default="")
    k = kinds.add_parser("retract", help=t("kind.retract"))
    k.add_argument("event_id", metavar="EVENT_ID")
    k.add_argument("--reason", required=True)

    def report(name: str, help: str) -> argparse.ArgumentParser:
        r = sub.add_parser(name, help=help)
        r.add_argument("--as-of", metavar="DATE", help=t("help.as_of"))
        r.add_argument("--json", action="store_true", help=t("help.json"))
        return r

    r = report("due", t("help.due"))
    r.add_argument("--days", type=int, default=0, metavar="N", help=t("help.days"))
    report("status", t("help.status"))
    r = report("history", t("help.history"))
    r.add_argument("client", metavar="CLIENT")
    report("audit", t("help.audit"))

    i = sub.add_parser("import", help=t("help.import"))
    i.add_argument("sheet", metavar="SHEET")
    i.add_argument("--mapping", metavar="TOML", help=t("opt.mapping"))
    i.add_argument("--dry-run", action="store_true", help=t("opt.dry_run"))
    i.add_argument("--skip-bad", action="store_true", help=t("opt.skip_bad"))

    sub.add_parser("check", help=t("help.check"))
    sub.add_parser("repair", help=t("help.repair"))
    f = sub.add_parser("forget", help=t("help.forget"))
    f.add_argument("client", metavar="CLIENT")
    f.add_argument("--keep-backup", action="store_true",
                   help=t("opt.keep_backup"))
    f.add_argument("--yes", action="store_true", help=t("opt.yes"))  # asked only at a terminal
    e = sub.add_parser("export", help=t("help.export"))
    what = e.add_mutually_exclusive_group(required=True)
    what.add_argument("--anonymized", metavar="PATH",
                      help=t("opt.anonymized"))
    what.add_argument("--csv", metavar="PATH", help=t("opt.csv"))
    what.add_argument("--ics", metavar="PATH", help=t("opt.ics"))
    e.add_argument("--days", type=int, default=30, metavar="N", help=t("opt.days"))
    e.add_argument("--shift-dates", action="store_true", help=t("opt.shift"))
    e.add_argument("--consented-only", action="store_true",
                   help=t("opt.consented"))

    d = sub.add_parser("demo", help=t("help.demo_cmd"))
    d.add_argument("--out", required=True, metavar="PATH")
    d.add_argument("--clients", type=int)
    d.add_argument("--events", type=int)
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--today", metavar="DATE", help=t("opt.today"))
    d.add_argument("--lang", choices=("ja", "en"), help=t("opt.lang"))

    s = sub.add_parser("schema", help=t("help.schema"))
    s.add_argument("--out", metavar="PATH")

    c = sub.add_parser("config", help=t("help.config"))
    group = c.add_mutually_exclusive_group(required=True)
    group.add_argument("--path", action="store_true", help=t("opt.path"))
    group.add_argument("--init", action="store_true", help=t("opt.init"))

    sub.add_parser("app", help=t("help.app"))
    _log_anywhere(p)
    return p


# -- running ----------------------------------------------------------------------------


def open_journal(args, **kw) -> Journal:
    """The log, read with the user's settings (policy, actor) and the clock."""
    tz = local_timezone()
    conf = args.settings
    extra = {"actor": conf.actor} if conf.actor and not os.environ.get("FOLLOWUP_ACTOR") else {}
    kw.setdefault("write_snapshot", False)  # written once the command has answered (main)
    journal = Journal.open(args.log_path, clock=_clock(tz), tz=tz, policy=conf.policy(), **extra, **kw)
    _OPENED.append(journal)
    return journal


_OPENED: list[Journal] = []  # journals this command read: their snapshots are saved at the end
_REWRITTEN: list = []  # logs this command rewrote (forget): their snapshot is read afresh


def _report(args) -> tuple[Journal, date]:
    """The journal as it stood at the end of --as-of (default: today), unreadable lines warned
    about, and that day."""
    as_of = _date(args.as_of) if args.as_of else None
    journal = open_journal(args, as_of=as_of)
    _warn_problems(journal)
    return journal, as_of or journal.today()


def _warn_problems(journal: Journal) -> None:
    problems = list(journal.problems)
    tail = journal.store.tail_problem()
    if tail is not None:
        problems.append(tail)
    for problem in problems[:5]:
        print(f"followup: {t('cli.warning')}: {journal.path}:{problem.line}: {problem_text(problem)}", file=sys.stderr)
    if len(problems) > 5:
        print(f"followup: {t('cli.warning')}: {t('cli.more_problems', n=len(problems) - 5)}", file=sys.stderr)


def _emit_json(value: Any) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def run_record(args) -> int:
    tz = local_timezone()
    journal = open_journal(args)
    at = _moment(getattr(args, "at", None), tz)
    k = args.kind
    command: Callable[..., Any]
    params: dict[str, Any]
    if k == "client":
        command, params = cmd.register_client, dict(
            client_id=args.client_id, name=args.name, plan=args.plan, channel=args.channel,
            note=args.note, at=at)
    elif k == "retract":
        command, params = cmd.retract, dict(event_ref=args.event_id, reason=args.reason)
    elif k == "kept":
        command, params = cmd.keep_promise, dict(promise_ref=args.promise, at=at)
    elif k == "reschedule":
        command, params = cmd.reschedule_promise, dict(promise_ref=args.promise, due=_date(args.due),
                                                       reason=args.reason, at=at)
    else:
        ref = args.client
        table: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
            "session": (cmd.hold_session, dict(minutes=getattr(args, "minutes", 50),
                                               summary=getattr(args, "summary", ""),
                                               next_step=getattr(args, "next_step", ""))),
            "message": (cmd.send_message, dict(channel=getattr(args, "channel", None),
                                               template=getattr(args, "template", ""),
                                               summary=getattr(args, "summary", ""),
                                               keeps=getattr(args, "keeps", ""))),
            "reply": (cmd.receive_reply, dict(channel=getattr(args, "channel", None),
                                              summary=getattr(args, "summary", ""))),
            "pause": (cmd.pause, dict(reason=getattr(args, "reason", ""),
                                      until=_date(args.until) if k == "pause" and args.until else None)),
            "resume": (cmd.resume, {}),
            "close": (cmd.close_case, dict(reason=getattr(args, "reason", ""),
                                           summary=getattr(args, "summary", ""))),
            "reopen": (cmd.reopen, dict(reason=getattr(args, "reason", ""))),
            "snooze": (cmd.snooze, dict(until=_date(args.until) if k == "snooze" else None,
                                        reason=getattr(args, "reason", ""), item=getattr(args, "item", "checkpoint"))),
            "promise": (cmd.make_promise, dict(due=_date(args.due) if k == "promise" else None,
                                               what=getattr(args, "what", ""))),
            "note": (cmd.add_note, dict(text=getattr(args, "text", ""))),
            "consent": (cmd.record_consent, dict(scope=getattr(args, "scope", ""),
                                                 note=getattr(args, "note", ""))),
            "withdraw-consent": (cmd.withdraw_consent, dict(scope=getattr(args, "scope", ""),
                                                            note=getattr(args, "note", ""))),
        }
        command, params = table[k]
        params = dict(params, ref=ref, at=at)
    event = journal.record(command, **params)
    print(event.id)
    if isinstance(event, MessageSent):
        facts = journal.client(event.client)
        count = messages_in_week_before(facts, event.at) if facts is not None else 0
        if count >= journal.policy.max_per_week:  # allowed, but said: the client's pace
            print(f"followup: {t('cli.pace_warning', name=facts.name, count=count, limit=journal.policy.max_per_week)}",
                  file=sys.stderr)
    return 0


def run_due(args) -> int:
    journal, day = _report(args)
    items = journal.board.due(day, max(0, args.days))  # the same list as policy.due_list
    if args.json:
        _emit_json([
            {"client": i.client, "name": i.name, "due": i.due.isoformat(), "reason": i.reason, "kind": i.kind,
             "overdue_days": i.overdue_days(day), "channel": i.channel, "detail": i.detail,
             "missed": list(i.missed), "ref": i.ref}
            for i in items
        ])
        return 0
    if not items:
        print(t("cli.nothing_due", day=long_day(day)))
        return 0
    rows = [(i.name, i.client, word("label", i.reason), long_day(i.due),
             i.overdue_days(day) or "", word("channel", i.channel), why_text(i)) for i in items]
    print(render([t(f"h.{h}") for h in ("client", "id", "due_for", "due", "overdue", "channel", "why")], rows,
                 right=(4,)))
    overdue = sum(1 for i in items if i.due < day)
    today = sum(1 for i in items if i.due == day)
    print("\n" + t("cli.due_summary", overdue=overdue, today=today, later=len(items) - overdue - today,
                   day=long_day(day)))
    return 0


def run_status(args) -> int:
    journal, day = _report(args)
    rows = caseload_status(journal.caseload, journal.policy, journal.tz, day, journal.board)
    if args.json:
        _emit_json([
            {"client": r.client, "name": r.name, "state": r.state, "plan": r.plan,
             "channel": r.channel, "last_contact": _iso(r.last_contact), "next_due": _iso(r.next_due),
             "next_reason": r.next_reason, "next_detail": r.next_detail, "sessions": r.sessions,
             "contacts": r.contacts, "close_reason": r.close_reason, "consents": r.consents}
            for r in rows
        ])
        return 0
    table = [(r.name, r.client, word("state", r.state) + (f" ({word('reason', r.close_reason)})" if r.close_reason else ""),
              r.plan, word("channel", r.channel), long_day(r.last_contact), long_day(r.next_due),
              word("label", r.next_reason) if r.next_reason else "", r.sessions, r.contacts,
              " ".join(f"{s}{'' if g else '✗'}" for s, g in r.consents.items()))
             for r in rows]
    print(render([t(f"h.{h}") for h in ("client", "id", "state", "plan", "channel", "last_contact", "next_due",
                                         "for", "sessions", "contacts", "consents")], table, right=(8, 9)))
    return 0


def _fields(event) -> dict[str, Any]:
    raw = msgspec.to_builtins(event)
    for key in ("type", "id", "at", "recorded_at", "actor", "client", "v", "prev"):
        raw.pop(key, None)
    return raw


def run_history(args) -> int:
    from ..core.history import history

    journal, _ = _report(args)
    facts = cmd.resolve_client(journal.caseload, args.client)
    steps = history(journal.caseload, facts.id, journal.policy, journal.tz)
    if args.json:
        _emit_json([
            {"id": s.event.id, "type": tag_of(s.event), "at": s.event.at.isoformat(),
             "recorded_at": s.event.recorded_at.isoformat(), "actor": s.event.actor,
             "fields": _fields(s.event), "retracted": s.retracted_by is not None,
             "retraction_reason": s.retracted_by.reason if s.retracted_by else None,
             "state": s.state, "next_due": _iso(s.next.due) if s.next else None,
             "next_reason": s.next.reason if s.next else None}
            for s in steps
        ])
        return 0
    print(t("cli.history_head", name=facts.name, client=facts.id, state=word("state", facts.state), plan=facts.plan,
            channel=word("channel", facts.channel)))
    rows = []
    for s in steps:
        what = word("event", tag_of(s.event))
        detail = ", ".join(f"{k}={v}" for k, v in _fields(s.event).items() if v not in ("", None))
        if isinstance(s.event, EventRetracted):
            detail = t("timeline.retracts", what=s.event.target, reason=s.event.reason)
        if s.retracted_by is not None:
            what = f"✗ {what}"
            detail = f"{t('timeline.retracted', reason=s.retracted_by.reason)} {detail}"
        nxt = f"{word('label', s.next.reason)} {long_day(s.next.due)}" if s.next else ""
        rows.append((s.event.at.astimezone(journal.tz).strftime("%Y-%m-%d %H:%M"), what, detail,
                     word("state", s.state), nxt, s.event.id))
    print(render([t(f"h.{h}") for h in ("when", "what", "details", "state_after", "next", "id")], rows,
                 max_width=60))
    return 0


def run_audit(args) -> int:
    from ..core.audit import audit

    journal, day = _report(args)
    report = audit(journal.caseload, day, journal.policy, journal.tz)
    if args.json:
        _emit_json({
            "as_of": day.isoformat(),
            "clients": [msgspec.structs.asdict(c) if hasattr(c, "__struct_fields__") else
                        {k: getattr(c, k) for k in c.__dataclass_fields__} for c in report.clients],
            "closed_by_reason": report.closed_by_reason,
        })
        return 0

    def num(x: float | None) -> str:
        return "—" if x is None else (f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}")

    rows = []
    for c in report.clients:
        firsts = sorted(c.first_follow_up_days)
        first = num(firsts[len(firsts) // 2]) if firsts else "—"
        share = "—" if c.on_time_share is None else f"{c.on_time_share:.0%}"
        rows.append((c.name, c.client, word("state", c.state), c.contacts, c.sessions, num(c.median_interval_days),
                     first, share, " ".join(word("flag", f) for f in c.flags)))
    print(render([t(f"h.{h}") for h in ("client", "id", "state", "contacts", "sessions", "median_gap",
                                         "first_follow_up", "on_time", "flags")], rows, right=(3, 4, 5, 6, 7)))
    closed = ", ".join(f"{word('reason', k)} {v}" for k, v in report.closed_by_reason.items()) or t("word.none")
    print("\n" + t("cli.closed_by_reason", reasons=closed))
    return 0


def run_check(args) -> int:
    from ..storage.maintenance import check

    path = Path(args.log_path)
    if not path.exists():
        print(t("cli.no_log", path=path), file=sys.stderr)
        return 1
    result = check(path)
    for problem in result.problems:
        print(f"{path}:{problem.line}: {problem_text(problem)}")
    if result.problems:
        print(t("cli.check_problems", path=path, n=len(result.problems), lines=result.lines), file=sys.stderr)
        return 1
    chain = {"intact": t("chain.intact"), "none": t("chain.none")}.get(result.chain_state,
                                                                      t("chain.from", line=result.chain_from))
    print(t("cli.check_ok", path=path, events=result.events, clients=result.clients, lines=result.lines, chain=chain))
    return 0


def run_demo(args) -> int:
    from ..core.demo import generate

    tz = local_timezone()
    today = _date(args.today) if args.today else _clock(tz).now().astimezone(tz).date()
    out = Path(args.out)
    if out.exists() and out.stat().st_size > 0:
        raise UsageError(t("cli.demo_exists", path=out))
    events = generate(today, tz, clients=args.clients, events=args.events, seed=args.seed, lang=args.lang)
    LogStore(out).append(events)
    written = t("cli.demo_written", path=out, events=len(events), clients=len({e.client for e in events}),
                day=long_day(today))
    del events
    # Read back as any command reads a log, leaving its snapshot when it is big enough: the
    # first start on a big demo is then as quick as every later one (1.8 s more at 1M events).
    args.log_path = str(out)
    open_journal(args, write_snapshot=True)
    print(written)
    return 0


def run_schema(args) -> int:
    from ..core.schema import schema_json

    text = schema_json()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_app(args) -> int:
    from ..ui.app import run

    return run(Path(args.log_path), clock=_clock(local_timezone()), settings=args.settings)


def run_demo_app(args) -> int:
    from ..core.demo import generate

    tz = local_timezone()
    from .. import paths

    path = paths.demo_log_path()
    for old in (path, path.with_name(path.name + ".head"), path.with_name(path.name + ".snapshot")):
        old.unlink(missing_ok=True)  # a fresh demo every time, dated today
    today = _clock(tz).now().astimezone(tz).date()
    LogStore(path).append(generate(today, tz, lang=args.settings.lang() if args.settings.language else None))
    args.log_path = str(path)
    return run_app(args)


def run_repair(args) -> int:
    from ..storage.maintenance import repair

    for line in repair(Path(args.log_path)).lines:
        print(line)
    return 0


def run_forget(args) -> int:
    from ..storage.maintenance import forget

    journal = open_journal(args, use_snapshot=False)
    try:
        facts = cmd.resolve_client(journal.caseload, args.client)
    except cmd.CommandError as exc:
        raise UsageError(str(exc)) from None
    if not args.yes and sys.stdin.isatty():  # a person at a terminal is asked once; scripts are not
        answer = input(t("cli.forget_confirm", name=facts.name, client=facts.id, path=journal.path))
        if answer.strip().lower() not in ("y", "yes"):
            print(t("cli.nothing_changed"))
            return 1
    for line in forget(journal, facts.id, keep_backup=args.keep_backup).lines:
        print(line)
    _REWRITTEN.append(args)
    return 0


def run_export(args) -> int:
    from ..exchange import exporter
    from ..storage.maintenance import export_anonymized

    journal = open_journal(args)
    if args.csv:
        exporter.write(Path(args.csv), exporter.status_csv(journal, args.settings.lang()))
        print(t("cli.csv_written", path=args.csv, n=len(journal.caseload.registered())))
        return 0
    if args.ics:
        exporter.write(Path(args.ics), exporter.due_calendar(journal, max(0, args.days)))
        print(t("cli.ics_written", path=args.ics, n=len(journal.board.due(journal.today(), max(0, args.days)))))
        return 0
    report = export_anonymized(journal, Path(args.anonymized), shift_dates=args.shift_dates,
                               consented_only=args.consented_only)
    for line in report.lines:
        print(line)
    return 0


def run_import(args) -> int:
    from ..exchange import importer

    sheet = Path(args.sheet)
    try:
        rows = importer.read_rows(sheet)
        if not rows:
            raise importer.ImportError_("empty", path=sheet)
        mapping = importer.load_mapping(Path(args.mapping)) if args.mapping else None
        columns = importer.match_columns(rows[0], mapping)
    except importer.ImportError_ as exc:
        raise UsageError(t(f"sheet.{exc.key}", **exc.params)) from None
    except OSError as exc:
        raise UsageError(t("sheet.cannot_read", path=sheet, detail=exc.strerror)) from None
    journal = open_journal(args, use_snapshot=False)  # every id in memory: re-imports look them all up
    plan = importer.plan_rows(rows, columns, journal.tz, journal.clock.now(), set(journal.policy.plans),
                              journal.actor)
    fresh, existing, refused = importer.admit_rows(plan, journal.caseload, journal.policy, journal.tz)
    bad = sorted([(number, t(f"import.{why[0]}", **why[1])) for number, why in plan.bad]
                 + [(number, error_text(exc)) for number, exc in refused])
    for number, why in bad:
        print(t("cli.bad_row", sheet=sheet, row=number, why=why), file=sys.stderr)
    good_rows = len(plan.rows) - len(refused)
    if args.dry_run:
        table = [(row.number, row.name, row.client, word("event", tag_of(e)),
                  long_day(e.at.astimezone(journal.tz).date())) for row, e in fresh]
        if table:
            print(render([t(f"h.{h}") for h in ("row", "client", "id", "would_record", "on")], table))
        print("\n" + t("cli.import_dry", rows=good_rows, fresh=len(fresh), existing=existing, bad=len(bad)))
        return 0
    if bad and not args.skip_bad:
        question = t("cli.import_ask", bad=len(bad), rows=good_rows)
        if not sys.stdin.isatty() or input(question).strip().lower() not in ("y", "yes"):
            raise UsageError(t("cli.import_refused", bad=len(bad)))
    written = journal.append_events([e for _, e in fresh]) if fresh else []
    clients = sum(1 for e in written if isinstance(e, ClientRegistered))
    print(t("cli.import_done", sheet=sheet, rows=good_rows, clients=clients, events=len(written),
            existing=existing) + (t("cli.import_skipped", bad=len(bad)) if bad else ""))
    return 0


def run_config(args) -> int:
    from .. import settings

    if args.path:
        print(settings.config_path())
        return 0
    print(t("cli.config_written", path=settings.init()))
    return 0


COMMANDS = {
    "record": run_record, "due": run_due, "status": run_status, "history": run_history,
    "config": run_config, "import": run_import, "audit": run_audit, "check": run_check, "repair": run_repair, "forget": run_forget, "export": run_export, "demo": run_demo, "schema": run_schema, "app": run_app,
}


def _save_snapshots(background: bool) -> None:
    """Leave a snapshot beside a big log that had none (or an old one), so that the next
    command starts from it. In the background when the command runs as the console script:
    the answer is out already, and the snapshot (about 0.3 s at 1M events) follows it."""
    if background:
        sys.stdout.flush()
        sys.stderr.flush()
    for journal in _OPENED:  # (kept, not popped: tearing a big caseload down costs 0.1 s)
        if journal.until is None:
            journal.save_snapshot_if_stale(background=background)
    for args in _REWRITTEN:
        # `forget` deleted the snapshot, which held the erased name: the next start would read
        # the whole log. The new file is read again (never the facts read before it) for one.
        def read_again(args=args) -> None:
            open_journal(args, write_snapshot=True)

        if not (background and in_background(read_again)):
            read_again()


def main(argv: Sequence[str] | None = None, background: bool = False) -> int:
    from .. import settings

    _OPENED.clear()
    _REWRITTEN.clear()

    try:
        loaded, problem = settings.load(), None
    except settings.SettingsError as exc:
        loaded, problem = settings.Settings(), exc
    set_language(loaded.lang())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.log:
        args.log_path = str(Path(args.log).expanduser())
    else:
        from .. import paths  # (platformdirs: only when the log is not named)

        args.log_path = str(paths.default_log_path())
    if problem is not None and args.command != "config":
        print(f"followup: {error_text(problem)}", file=sys.stderr)
        return 2
    args.settings = loaded
    try:
        if args.demo:
            return run_demo_app(args)
        code = COMMANDS.get(args.command or "app", run_app)(args)
        _save_snapshots(background)
        return code
    except (cmd.CommandError, settings.SettingsError, StoreError, PermissionError) as exc:
        print(f"followup: {error_text(exc)}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"followup: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last guard: one line for the user, the rest on request
        if args.debug or os.environ.get("FOLLOWUP_DEBUG", "") not in ("", "0"):
            import traceback

            traceback.print_exc(file=sys.stderr)
        print(f"followup: {t('cli.internal_error', kind=type(exc).__name__, detail=exc)}", file=sys.stderr)
        return 3


def entry() -> None:
    """The console script: run, flush, and leave without tearing down a million objects
    one by one (the log is already fsynced; nothing else is pending)."""
    code = main(background=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
