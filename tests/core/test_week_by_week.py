"""The week-by-week measures (the Weekly review's sparklines, ``followup trend``) are the
same numbers as asking each week on its own: the fast series may not drift from the rule."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from statistics import median

from hypothesis import given
from hypothesis import strategies as st

from tui_followup.core import events as ev
from tui_followup.core.audit import checkpoint_counts, checkpoint_record
from tui_followup.core.caseload import project
from tui_followup.core.metrics import metrics, weekly
from tui_followup.core.plans import DEFAULT_POLICY

from .helpers import TOKYO
from .strategies import START, event_logs


@st.composite
def contact_logs(draw):
    """Dense contact: sessions, messages and replies by the hour over a few weeks (several on
    one day, replies in a row), beside the general logs that have every kind of event."""
    log: list[ev.Event] = []
    for client in ("c1", "c2"):
        log.append(ev.ClientRegistered(id=f"r-{client}", at=START, recorded_at=START, actor="t", client=client,
                                       name=client, plan=draw(st.sampled_from(["standard", "weekly", "24-72-7"])),
                                       channel="email"))
    for i in range(draw(st.integers(0, 50))):
        kind = draw(st.sampled_from([ev.SessionHeld, ev.MessageSent, ev.MessageSent, ev.ReplyReceived]))
        moment = START + timedelta(hours=draw(st.integers(1, 60 * 24)))
        extra = {"minutes": 50} if kind is ev.SessionHeld else {"channel": "email"}
        log.append(kind(id=f"e{i}", at=moment, recorded_at=moment, actor="t",
                        client=draw(st.sampled_from(["c1", "c2"])), **extra))
    return log


logs = st.one_of(event_logs(max_size=60), contact_logs())

days = st.lists(st.integers(-3, 170).map(lambda n: START.date() + timedelta(days=n)), min_size=1, max_size=6)


@given(logs, days)
def test_checkpoint_counts_for_many_days_are_each_days_own(log, as_ofs):
    caseload = project(log)
    for facts in caseload.registered():
        expected = [checkpoint_record(facts, day, DEFAULT_POLICY, TOKYO)[:2] for day in as_ofs]
        assert checkpoint_counts(facts, as_ofs, DEFAULT_POLICY, TOKYO) == expected


def _first_responses(caseload, since: date, as_of: date) -> float | None:
    """The rule as the module's docstring says it, the slow way: per reply in the span, days
    since the latest session or message before it, the first reply to each only."""
    out = []
    for facts in caseload.registered():
        prompts = sorted(list(facts.sessions) + list(facts.messages))
        answered = set()
        for reply in facts.replies:
            i = bisect_left(prompts, reply) - 1
            if i < 0 or i in answered:
                continue
            answered.add(i)
            day = reply.astimezone(TOKYO).date()
            if since < day <= as_of:
                out.append((day - prompts[i].astimezone(TOKYO).date()).days)
    return float(median(out)) if out else None


@given(logs, st.integers(0, 90))
def test_each_week_of_the_series_is_that_week_asked_alone(log, offset):
    caseload = project(log)
    as_of = START.date() + timedelta(days=offset)
    series = weekly(caseload, as_of, DEFAULT_POLICY, TOKYO, weeks=6)
    assert len(series) == 6 and series[-1][0] == as_of - timedelta(days=as_of.weekday())
    for monday, measures in series:
        end = min(monday + timedelta(days=6), as_of)
        since = monday - timedelta(days=1)
        assert measures == metrics(caseload, end, DEFAULT_POLICY, TOKYO, since=since)
        assert measures["first_response_median_days"] == _first_responses(caseload, since, end)
