"""The reports: ``due``, ``status``, ``history``, ``audit`` -- tables for people, ``--json`` for scripts."""

from __future__ import annotations

import msgspec

from ..core import commands as cmd
from ..core.events import (
    EventRetracted,
)
from ..core.policy import due_counts, mine
from ..core.policy import owner_of as owner_in
from ..core.status import caseload_status
from ..core.views import due_view, history_view, status_view
from .common import (
    emit_json,
    report_journal,
)
from .tables import render


def owner_of(journal, client_id: str) -> str:
    """The counselor the client is assigned to (see ClientFacts.owner)."""
    return owner_in(journal.caseload, client_id)


def run_due(args) -> int:
    words = args.words
    journal, day = report_journal(args)
    items = journal.board.due(day, max(0, args.days))  # policy.due_items, the one due filter
    counselor = journal.store.partial  # a counselor's own view is the default
    if getattr(args, "mine", False) or counselor:  # the items of the clients assigned to whoever records here
        items = mine(items, journal.caseload, journal.actor)
    if args.json:
        emit_json([due_view(i, day, owner_of(journal, i.client)) for i in items])
        return 0
    if not items:
        print(words.t("cli.nothing_due", day=words.long_day(day)))
        return 0
    rows = [(words.name_in(journal.caseload, i.client, i.name), i.client, words.word("label", i.reason), words.long_day(i.due),
             i.overdue_days(day) or "", words.word("channel", i.channel), words.why_text(i)) for i in items]
    print(render([words.t(f"h.{h}") for h in ("client", "id", "due_for", "due", "overdue", "channel", "why")], rows,
                 right=(4,)))
    overdue, today, later = due_counts(items, day)
    if args.days > 0:
        print("\n" + words.t("cli.due_summary", overdue=overdue, today=today, later=later,
                             day=words.long_day(day)))
    else:  # (nothing after today was asked for: "0 later" read as nothing coming)
        print("\n" + words.t("cli.due_summary_today", overdue=overdue, today=today, day=words.long_day(day)))
    return 0


def run_status(args) -> int:
    words = args.words
    journal, day = report_journal(args)
    rows = caseload_status(journal.caseload, journal.policy, journal.tz, day, journal.board)
    if args.json:
        emit_json([status_view(r, owner_of(journal, r.client)) for r in rows])
        return 0
    table = [(words.name_of(r), r.client, words.word("state", r.state) + (f" ({words.word('reason', r.close_reason)})" if r.close_reason else ""),
              words.word("plan", r.plan), words.word("channel", r.channel), words.long_day(r.last_contact),
              words.long_day(r.next_due),
              words.word("label", r.next_reason) if r.next_reason else "", r.sessions, r.contacts,
              words.list_text(words.t("client.given" if g else "client.withdrawn", scope=words.word("channel", s))
                              for s, g in r.consents.items()))
             for r in rows]
    print(render([words.t(f"h.{h}") for h in ("client", "id", "state", "plan", "channel", "last_contact", "next_due",
                                              "for", "sessions", "contacts", "consents")], table, right=(8, 9)))
    return 0


def run_history(args) -> int:
    from ..core.history import history

    words = args.words
    journal, _ = report_journal(args)
    facts = cmd.resolve_client(journal.caseload, args.client)
    steps = history(journal.caseload, facts.id, journal.policy, journal.tz)
    if args.json:
        emit_json([history_view(s) for s in steps])
        return 0
    print(words.t("cli.history_head", name=words.name_of(facts), client=facts.id, state=words.word("state", facts.shown_state),
                  plan=words.word("plan", facts.plan),
                  channel=words.word("channel", facts.channel)))
    rows = []
    for s in steps:
        what = words.event_name(s.event)
        detail = words.details(s.event, journal.caseload.event, journal.tz, facts.forgotten)
        if isinstance(s.event, EventRetracted):
            detail = words.retraction_text(s.event, journal.caseload.event, journal.tz)
        if s.retracted_by is not None:
            what = f"✗ {what}"
            detail = f"{words.t('timeline.retracted', reason=s.retracted_by.reason)} {detail}"
        nxt = f"{words.word('label', s.next.reason)} {words.long_day(s.next.due)}" if s.next else ""
        rows.append((words.moment(s.event.at.astimezone(journal.tz)), what, detail,
                     words.word("state", s.state), nxt, s.event.id))
    print(render([words.t(f"h.{h}") for h in ("when", "what", "details", "state_after", "next", "id")], rows,
                 max_width=90))
    return 0


def run_audit(args) -> int:
    from ..core.audit import audit, local_days
    from ..core.metrics import metrics

    words = args.words
    journal, day = report_journal(args)
    local = local_days(journal.caseload, journal.tz) if args.json else None  # shared by the audit and the measures
    report = audit(journal.caseload, day, journal.policy, journal.tz, local=local)
    if args.json:
        emit_json({
            "as_of": day.isoformat(),
            "clients": [msgspec.structs.asdict(c) if hasattr(c, "__struct_fields__") else
                        {k: getattr(c, k) for k in c.__dataclass_fields__} for c in report.clients],
            "closed_by_reason": report.closed_by_reason,
            "returns": report.returns,
            "metrics": metrics(journal.caseload, day, journal.policy, journal.tz, local=local),
            "by_owner": {owner: msgspec.to_builtins(summary) for owner, summary in report.by_owner.items()},
        })
        return 0

    def num(x: float | None) -> str:
        return "—" if x is None else (f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}")

    rows = []
    for c in sorted(report.clients, key=lambda c: c.owner):  # grouped by owner, by name within (a stable sort)
        firsts = sorted(c.first_follow_up_days)
        first = num(firsts[len(firsts) // 2]) if firsts else "—"
        share = "—" if c.on_time_share is None else f"{c.on_time_share:.0%}"
        rows.append((c.owner, words.name_of(c), c.client, words.word("state", c.state), c.contacts, c.sessions, num(c.median_interval_days),
                     first, share, words.list_text(words.word("flag", f) for f in c.flags)))
    print(render([words.t(f"h.{h}") for h in ("owner", "client", "id", "state", "contacts", "sessions", "median_gap",
                                              "first_follow_up", "on_time", "flags")], rows, right=(4, 5, 6, 7, 8)))
    closed = words.list_text(f"{words.word('reason', k)} {v}" for k, v in report.closed_by_reason.items()) \
        or words.t("word.none")
    print("\n" + words.t("cli.closed_by_reason", reasons=closed))
    if report.returns:
        print(words.t("cli.returns", count=report.returns))
    for owner, o in report.by_owner.items():
        # (from the counts, as the app's Audit says it: the share rounded to three places first
        # said 70% where the app said 71% for 134 of 190)
        share = f"{o.checkpoints_on_time / o.checkpoints_due:.0%}" if o.checkpoints_due else "—"
        print(words.counted("cli.by_owner", o.clients, owner=owner, clients=o.clients, active=o.active,
                            on_time=share))
    return 0


def run_trend(args) -> int:
    """The two measures chosen in ``[review] kpis``, week by week, with a sparkline each."""
    from ..core.metrics import sparkline, weekly

    words = args.words
    journal, day = report_journal(args)
    kpis = list(args.settings.review.kpis)
    weeks = weekly(journal.caseload, day, journal.policy, journal.tz, max(1, args.weeks))
    if args.json:
        emit_json({"as_of": day.isoformat(), "kpis": kpis,
                   "weeks": [{"week": start.isoformat(), **{k: values[k] for k in kpis}} for start, values in weeks]})
        return 0

    def num(kpi: str, x: float | None) -> str:
        if x is None:
            return "—"
        return f"{x:.0%}" if kpi.endswith(("_share", "_rate")) else f"{x:.1f}"

    rows = [(words.long_day(start), *(num(k, values[k]) for k in kpis)) for start, values in weeks]
    print(render([words.t("h.week"), *(words.t(f"kpi.{k}") for k in kpis)], rows, right=tuple(range(1, len(kpis) + 1))))
    print()
    for k in kpis:
        series = [values[k] for _, values in weeks]
        print(f"{words.t(f'kpi.{k}')}  {sparkline(series)}  {num(k, series[-1])}")
    return 0
