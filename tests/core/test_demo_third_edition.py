"""The demo is a log a practitioner following the policy's third edition would have written.

Practitioners testing the demo found decision rows ("decide: ... no answer to the question of
11-02") naming a message the client's timeline showed as a plain monthly check-in: the demo's
messages did not say what they were written for, so the policy read the first one on or after
the question's day as the question (rule 1, third edition: right for old logs), and its
stories kept sending check-ins to clients who had gone quiet (a push, rule 2)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tui_followup.core import events as ev
from tui_followup.core.caseload import project
from tui_followup.core.demo import generate
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import (DECIDE, INTENT_CHECK, MESSAGE_FOR, PROMISE, RESPOND, due_items, follow_ups,
                                      message_for)

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=TOKYO)  # the snapshots' and screenshots' morning
DEMOS = [
    pytest.param({}, id="24-mixed"),
    pytest.param({"lang": "en"}, id="24-en"),
    pytest.param({"lang": "ja"}, id="24-ja"),
    pytest.param({"lang": "ko"}, id="24-ko"),
    pytest.param({"events": 5000}, id="5000-events"),
    pytest.param({"clients": 30, "seed": 3}, id="30-seed3"),
    pytest.param({"clients": 40, "seed": 11, "lang": "ja"}, id="40-seed11-ja"),
]


def _demo(kw):
    events = generate(NOW.date(), TOKYO, now=NOW, **kw)
    return events, project(events)


def _day(moment):
    return moment.astimezone(TOKYO).date()


@pytest.mark.parametrize("kw", DEMOS)
def test_every_demo_message_says_what_it_was_written_for(kw):
    events, _ = _demo(kw)
    messages = [e for e in events if isinstance(e, ev.MessageSent)]
    assert messages
    assert all(m.answers in (*MESSAGE_FOR, PROMISE) for m in messages), Counter(m.answers for m in messages)
    # the note after a session says no reply is needed, as the message form records it
    assert all(m.no_reply_needed for m in messages if m.template == "24h")
    assert not any(m.no_reply_needed for m in messages if m.template != "24h")
    # the question is written for the question, the answer to a reply for the reply
    assert all(m.answers == INTENT_CHECK for m in messages if m.template == INTENT_CHECK)
    assert {m.answers for m in messages} >= {"checkpoint", RESPOND, INTENT_CHECK}


@pytest.mark.parametrize("kw", [pytest.param({}, id="24-mixed"), pytest.param({"lang": "ko", "seed": 3}, id="24-ko-seed3")])
def test_each_demo_message_is_written_for_what_the_app_would_say(kw):
    """What ``record message`` writes when nothing is said: the policy's ``message_for`` of the
    client's story before the message, on its day (a message keeping a promise: for the item
    it went with)."""
    events, caseload = _demo(kw)
    for facts in caseload.registered():
        story = sorted(facts.events, key=lambda e: e.at)
        for k, m in enumerate(story):
            if isinstance(m, ev.MessageSent):
                before = project(story[:k]).get(facts.id)
                assert m.answers == message_for(before, DEFAULT_POLICY, TOKYO, _day(m.at)), (facts.id, m)


@pytest.mark.parametrize("kw", DEMOS)
def test_no_decision_of_the_demo_names_a_check_in_as_the_question(kw):
    _, caseload = _demo(kw)
    decisions = 0
    for facts in caseload.registered():
        for item in follow_ups(facts, DEFAULT_POLICY, TOKYO):
            if item.kind != DECIDE or item.why[0][0] != "decide" or not item.shown_on(NOW.date()):
                continue
            decisions += 1
            asked = dict(item.why[0][1])["day"]
            that_day = [e for e in facts.events if isinstance(e, ev.MessageSent) and _day(e.at) == asked]
            assert that_day and all(m.answers == INTENT_CHECK for m in that_day), (facts.id, asked, that_day)


@pytest.mark.parametrize("kw", DEMOS)
def test_the_demo_never_pushes_a_quiet_client(kw):
    """After ``silence_messages`` unanswered messages, the one question and nothing more until
    the client is back in touch (a reply, a session) or the practitioner decides."""
    _, caseload = _demo(kw)
    limit = DEFAULT_POLICY.silence_messages
    questions = 0
    for facts in caseload.registered():
        unanswered, asked = 0, False
        for e in sorted(facts.events, key=lambda e: e.at):
            if isinstance(e, (ev.SessionHeld, ev.ReplyReceived, ev.ClientResumed, ev.CaseReopened,
                              ev.ClientPaused, ev.CaseClosed)):
                unanswered, asked = 0, False
            elif isinstance(e, ev.MessageSent) and not e.no_reply_needed:
                assert not asked, (facts.id, e)  # never a second question, never a chase after it
                if e.answers == INTENT_CHECK:
                    assert unanswered >= limit, (facts.id, e)  # asked of a client gone quiet only
                    asked, questions = True, questions + 1
                else:
                    assert unanswered < limit, (facts.id, e)  # a push
                    unanswered += 1
    assert questions


@pytest.mark.parametrize("kw", [pytest.param({}, id="mixed"), pytest.param({"lang": "ja"}, id="ja"),
                                pytest.param({"lang": "ko"}, id="ko")])
def test_the_demo_morning_shows_every_state(kw):
    """The snapshots' morning: rows overdue and due today, a question asked and waiting for its
    answer, a decision due, a reply to answer, a promise to keep."""
    _, caseload = _demo(kw)
    today = NOW.date()
    items = [i for f in caseload.registered() for i in follow_ups(f, DEFAULT_POLICY, TOKYO) if i.shown_on(today)]
    due = due_items(items, today)
    assert any(i.due < today for i in due) and any(i.due == today for i in due)
    assert any(i.kind == DECIDE and i.due <= today for i in items)  # a decision due
    assert any(i.kind == DECIDE and i.due > today for i in items)  # asked, waiting for the answer
    assert any(i.kind == RESPOND for i in due)
    assert any(i.kind == PROMISE for i in items)
    assert {f.state for f in caseload.registered()} == {"active", "paused", "closed"}


def test_a_japanese_demo_is_in_gojuon_order_by_its_readings():
    """Every Japanese name in the demo has its reading (フリガナ), so Clients lists a Japanese
    caseload in 五十音 order, as its practitioner keeps it (in character-code order 伊藤 came after
    佐藤 and 井上 before 伊藤's neighbours at random)."""
    from tui_followup.core.status import caseload_status

    _, caseload = _demo({"lang": "ja"})
    rows = caseload_status(caseload, DEFAULT_POLICY, TOKYO, NOW.date())
    japanese = [r for r in rows if any("\u4e00" <= ch <= "\u9fff" for ch in r.name)]
    assert japanese and all(r.reading for r in japanese)
    readings = [r.reading for r in japanese]
    assert readings == sorted(readings)

