"""One definition of each rule (issue 25, item 3): the places that once had their own copy now
give the same answer, on generated logs."""

from __future__ import annotations

import dataclasses
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.audit import GONE_QUIET, audit
from tui_followup.core.caseload import project
from tui_followup.core.plans import DEFAULT_POLICY, Policy
from tui_followup.core.policy import (
    DueBoard,
    due_counts,
    due_items,
    earliest,
    follow_ups,
    gone_quiet,
    mine,
    next_item,
    quiet_from,
)
from tui_followup.core.status import caseload_status, silence_question
from tui_followup.exchange.exporter import calendar_items
from tui_followup.settings import Settings

from .helpers import TOKYO, at, due_list, make, message, register, reply, session
from .strategies import AS_OF_DAYS, event_logs


@settings(deadline=None, max_examples=60)
@given(event_logs(), st.sampled_from(AS_OF_DAYS))
def test_gone_quiet_is_one_answer_for_the_audit_the_clients_screen_and_the_policy(log, day):
    caseload = project(log)
    flagged = {row.client for row in audit(caseload, day, DEFAULT_POLICY, TOKYO).clients if GONE_QUIET in row.flags}
    coloured = {row.client for row in caseload_status(caseload, DEFAULT_POLICY, TOKYO, day) if row.quiet}
    assert flagged == coloured == {f.id for f in caseload.registered() if gone_quiet(f, DEFAULT_POLICY, TOKYO, day)}
    for facts in caseload.registered():  # the policy's question of a silence comes once quiet, never before
        for item in follow_ups(facts, DEFAULT_POLICY, TOKYO):
            if silence_question(item):
                assert quiet_from(facts, DEFAULT_POLICY, TOKYO) <= item.due


@settings(deadline=None, max_examples=60)
@given(event_logs(), st.sampled_from(AS_OF_DAYS), st.integers(0, 30))
def test_the_due_lists_the_calendar_and_the_next_item_agree(log, day, days):
    caseload = project(log)
    board = DueBoard(DEFAULT_POLICY, TOKYO)
    board.rebuild(caseload)
    listed = board.due(day, days)
    assert due_list(caseload, day, DEFAULT_POLICY, TOKYO, days) == listed
    every = [i for items in board.items.values() for i in items]
    calendar = calendar_items(SimpleNamespace(board=board, today=lambda: day), days)
    assert calendar == due_items(every, day, days, coming=True)
    assert set(listed) <= set(calendar)  # the calendar adds the ladder's later reminders, nothing else
    assert all(i.shown_on(day) or i.shown_from > day for i in calendar)
    status = {row.client: row.next for row in caseload_status(caseload, DEFAULT_POLICY, TOKYO, day, board)}
    for facts in caseload.registered():
        assert next_item(facts, DEFAULT_POLICY, TOKYO, day) == earliest(board.items[facts.id], day) == status[facts.id]
    overdue, today, later = due_counts(listed, day)
    assert (overdue, today, later) == (sum(i.due < day for i in listed), sum(i.due == day for i in listed),
                                       sum(i.due > day for i in listed))
    for actor in ("t", "佐藤", "kim"):
        assert mine(listed, caseload, actor) == [i for i in listed if caseload.get(i.client).owner == actor]


def test_a_message_at_the_silence_day_is_asked_on_the_day_the_client_went_quiet():
    log = [register(), session("2026-09-01 10:00"), message("2026-09-02"), message("2026-09-20"),
           message("2026-10-01")]
    facts = project(log).get("c1")
    assert quiet_from(facts, DEFAULT_POLICY, TOKYO).isoformat() == "2026-10-31"  # 60 days of the standard plan
    assert not gone_quiet(facts, DEFAULT_POLICY, TOKYO, at("2026-10-30 09:00").date())
    assert gone_quiet(facts, DEFAULT_POLICY, TOKYO, at("2026-10-31 09:00").date())
    (question,) = [i for i in follow_ups(facts, DEFAULT_POLICY, TOKYO) if silence_question(i)]
    assert question.due.isoformat() == "2026-10-31"


def _closed(*extra) -> cmd.Context:
    log = [register(), session("2026-09-01 10:00"), make(ev.PromiseMade, "2026-09-01 11:00", due=at("2026-10-01").date(),
                                                          what="CV"),
           make(ev.CaseClosed, "2026-09-05", reason="goal_achieved"), *extra]
    ids = (f"n{i}" for i in itertools.count())
    return cmd.Context(project(log), at("2026-11-01 09:00"), TOKYO, lambda: next(ids))


def _attempt(ctx: cmd.Context, what: str):
    promise = next(e for e in ctx.caseload.get("c1").promises).id
    calls = {
        "message": lambda: cmd.send_message(ctx, "c1"),
        "session": lambda: cmd.hold_session(ctx, "c1"),
        "book": lambda: cmd.book_appointment(ctx, "c1", at("2026-11-05 10:00")),
        "snooze": lambda: cmd.snooze(ctx, "c1", at("2026-11-20").date()),
        "promise": lambda: cmd.make_promise(ctx, "c1", at("2026-11-20").date(), "CV"),
        "pause": lambda: cmd.pause(ctx, "c1"),
        "resume": lambda: cmd.resume(ctx, "c1"),
        "missed": lambda: cmd.miss_session(ctx, "c1", "no_show"),
        "kept": lambda: cmd.keep_promise(ctx, promise),
        "reschedule": lambda: cmd.reschedule_promise(ctx, promise, at("2026-11-20").date()),
    }
    try:
        calls[what]()
    except cmd.CommandError as refused:
        return refused.key, refused.params
    return None


@pytest.mark.parametrize("wrote_back", [False, True])
@pytest.mark.parametrize("what", sorted(cmd.CLOSED_REFUSES))
def test_the_apps_closed_case_refusal_is_the_commands_own(what, wrote_back):
    """The app asks ``closed_refusal`` before a form opens (it had its own copy, CLOSED_REFUSES,
    which refused a message to a client who wrote back after the close)."""
    ctx = _closed(reply("2026-10-01")) if wrote_back else _closed()
    told = cmd.closed_refusal(ctx.caseload.get("c1"), what)
    attempt = _attempt(ctx, what)
    if told is None:
        assert attempt is None or attempt[0] != "closed_case"
    else:
        assert attempt == (told.key, told.params)
    assert (told is None) == (wrote_back and what == "message")


def test_the_review_measures_and_the_settings_defaults_are_the_cores():
    policy = Settings().policy()
    for f in dataclasses.fields(Policy):
        assert getattr(policy, f.name) == getattr(Policy(), f.name), f.name


def _in_state(state: str) -> cmd.Context:
    log = [register(), session("2026-09-01 10:00")]
    if state == "paused":
        log.append(make(ev.ClientPaused, "2026-09-05"))
    if state == "closed":
        log.append(make(ev.CaseClosed, "2026-09-05", reason="goal_achieved"))
    ids = (f"n{i}" for i in itertools.count())
    return cmd.Context(project(log), at("2026-11-01 09:00"), TOKYO, lambda: next(ids))


@pytest.mark.parametrize("state", ["active", "paused", "closed"])
@pytest.mark.parametrize("what", ["pause", "resume", "close", "reopen"])
def test_what_the_app_refuses_before_a_form_opens_is_what_the_command_refuses(state, what):
    """The app asks ``state_refusal`` before a form opens; the commands refuse by it too: a
    pause of a paused client, a resume of an active one, a close of a closed case (the app had
    its own copy of these, refusal_now)."""
    ctx = _in_state(state)
    told = cmd.state_refusal(ctx.caseload.get("c1"), what, TOKYO)
    calls = {"pause": lambda: cmd.pause(ctx, "c1"), "resume": lambda: cmd.resume(ctx, "c1"),
             "close": lambda: cmd.close_case(ctx, "c1", "goal_achieved"), "reopen": lambda: cmd.reopen(ctx, "c1")}
    try:
        calls[what]()
        attempt = None
    except cmd.CommandError as refused:
        attempt = (refused.key, refused.params)
    assert attempt == ((told.key, told.params) if told else None)
    assert (told is not None) == ((state, what) not in {("active", "pause"), ("active", "close"), ("paused", "resume"),
                                                         ("paused", "close"), ("closed", "reopen")})


def test_the_settings_file_written_for_a_new_user_says_the_defaults_the_app_uses():
    """`config.toml`'s commented defaults are text: each `# key = N` of a table is the value
    the app uses when the line stays commented, and each plan's silence days are its own."""
    import re

    from tui_followup.core.plans import DEFAULT_PLANS
    from tui_followup.i18n import LANGUAGES
    from tui_followup.settings import DEFAULT_FILE

    defaults = Settings()
    table, said = "", {}
    for line in DEFAULT_FILE.splitlines():
        if line.startswith("["):
            table = line.strip("[]")
        elif found := re.fullmatch(r"# (\w+) = (\d+)", line):
            said[(table, found[1])] = int(found[2])
    tables = {"policy": defaults.policy(), "audit": defaults.audit, "serve": defaults.serve}
    checked = 0
    for (table, key), value in said.items():
        if table in tables and hasattr(tables[table], key):
            assert getattr(tables[table], key) == value, f"[{table}] {key}"
            checked += 1
    assert checked >= 9  # every [policy] and [audit] number
    days = re.search(r"Each plan says its own days \(([^)]*)", DEFAULT_FILE.replace("\n# ", " "))[1]
    for name, number in re.findall(r"([\w-]+) (\d+)", days):
        assert DEFAULT_PLANS[name].silence_days == int(number), name
    for lang in LANGUAGES:
        assert f'"{lang}"' in DEFAULT_FILE.split("# language =")[0]
