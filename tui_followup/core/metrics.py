"""The outcome measures the guides name, for the whole caseload (``audit --json``'s ``metrics``)
and week by week (``followup trend``, the Weekly review's sparklines).

Every measure is over what happened in a span of days (``since`` < day <= ``as_of``; no
``since``: everything up to ``as_of``), shares as fractions between 0 and 1, None when there is
nothing to measure:

* ``first_follow_up_median_days``: per session in the span, days until the first message after
  it (before the next session): :func:`.audit.first_follow_up`, as the audit counts it;
* ``first_response_median_days``: per reply in the span, days since the message or session it
  answers (the latest one before it), the first reply to each only;
* ``response_median_days``: your response time, per reply in the span answered by ``as_of``,
  days until your next message or session (:func:`.audit.answered_replies`, as the audit);
* ``time_to_close_median_days``: per case closed in the span, days from registration to close;
* ``promise_kept_share``: promises kept on or before their due date, over promises due (or
  kept) so far; ``on_time_share``: checkpoints met on time over checkpoints due (both as in
  :mod:`.audit`, counted as they fell due in the span);
* ``no_show_rate``: no-shows over sessions held plus no-shows;
* ``feedback_mean`` and ``feedback_count``: the satisfaction scores received;
* ``closed_by_reason``: cases closed in the span, by reason.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from statistics import mean, median
from typing import Any, Iterable

from .audit import LocalDays, answered_replies, checkpoint_counts, first_follow_up, promise_record
from .caseload import CLOSED, Caseload, ClientFacts
from .moments import index_left, walked
from .plans import Policy

MEASURES = ("on_time_share", "first_follow_up_median_days", "first_response_median_days",
            "time_to_close_median_days", "promise_kept_share", "no_show_rate", "feedback_mean")


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


Counts = tuple[int, int, int, int]  # checkpoints due, met on time, promises due, kept on time
Span = tuple[date | None, date]  # (since, as_of): the days after ``since`` up to ``as_of``


@dataclass(frozen=True)
class Parts:
    """One client's share of the measures over one span: combined over clients by
    :func:`combine` (medians are of everyone's values, so the values are kept, not summed)."""

    firsts: list[int]
    responses: list[int]
    answers: list[int]  # your response times
    to_close: list[int]
    scores: list[int]
    held: int
    no_shows: int
    closed: str | None  # the reason, when the case was closed in the span
    before: Counts  # as of ``since``
    after: Counts  # as of ``as_of``


def client_parts(facts: ClientFacts, spans: list[Span], policy: Policy, tz: tzinfo,
                 local: LocalDays | None = None) -> list[Parts]:
    """One client's share of the measures over each span (see the module's docstring)."""
    local = local or LocalDays.of(facts, tz)
    sessions, messages, replies = walked(facts.sessions), walked(facts.messages), walked(facts.replies)
    answered = answered_replies(facts, local)
    days = sorted({day for span in spans for day in span if day is not None})
    counts = {day: (d, o, *promise_record(facts, day, tz))
              for day, (d, o) in zip(days, checkpoint_counts(facts, days, policy, tz, local))}

    def day_of(moment) -> date:
        return moment.astimezone(tz).date()

    out = []
    for since, as_of in spans:
        def inside(day: date) -> bool:
            return day <= as_of and (since is None or day > since)

        def span(days: list[date]) -> range:
            """The indexes of the (sorted) days inside the span."""
            return range(bisect_right(days, since) if since is not None else 0, bisect_right(days, as_of))

        firsts: list[int] = []
        responses: list[int] = []
        for index in span(local.sessions):
            first = first_follow_up(facts, local, index, as_of)
            if first is not None:
                firsts.append(first)
        answers = [(answer - reply).days for reply, answer in answered if inside(reply) and answer <= as_of]
        for index in span(local.replies):
            # the prompt a reply answers: the latest session or message before it; only the
            # first reply to each counts
            reply = replies[index]
            s, m = index_left(sessions, reply) - 1, index_left(messages, reply) - 1
            candidates = ([(sessions[s], local.sessions[s])] if s >= 0 else []) + (
                [(messages[m], local.messages[m])] if m >= 0 else [])
            if not candidates:
                continue
            prompt, prompt_day = max(candidates, key=lambda candidate: candidate[0])
            if index > 0 and replies[index - 1] > prompt:
                continue  # an earlier reply answered it
            responses.append((local.replies[index] - prompt_day).days)
        closed = to_close = None
        if facts.state == CLOSED and facts.state_since is not None and inside(day_of(facts.state_since)):
            closed = facts.close_reason or "other"
            if facts.registered_at is not None:
                to_close = (day_of(facts.state_since) - day_of(facts.registered_at)).days
        out.append(Parts(
            firsts=firsts, responses=responses, answers=answers, to_close=[] if to_close is None else [to_close],
            scores=[f.score for f in facts.feedback if inside(day_of(f.at))],
            held=len(span(local.sessions)),
            no_shows=sum(1 for m in facts.missed if m.kind == "no_show" and inside(day_of(m.at))),
            closed=closed, before=counts[since] if since is not None else (0, 0, 0, 0), after=counts[as_of]))
    return out


def combine(parts: Iterable[Parts]) -> dict[str, Any]:
    """The measures of a span from every client's share of it."""
    firsts: list[int] = []
    responses: list[int] = []
    answers: list[int] = []
    to_close: list[int] = []
    scores: list[int] = []
    held = no_shows = 0
    closed: Counter[str] = Counter()
    before, after = [0, 0, 0, 0], [0, 0, 0, 0]
    for p in parts:
        firsts += p.firsts
        responses += p.responses
        answers += p.answers
        to_close += p.to_close
        scores += p.scores
        held, no_shows = held + p.held, no_shows + p.no_shows
        if p.closed is not None:
            closed[p.closed] += 1
        before = [x + y for x, y in zip(before, p.before)]
        after = [x + y for x, y in zip(after, p.after)]
    (due0, on0, prom0, kept0), (due1, on1, prom1, kept1) = before, after
    return {
        "on_time_share": _share(on1 - on0, due1 - due0),
        "first_follow_up_median_days": _median(firsts),
        "first_response_median_days": _median(responses),
        "response_median_days": _median(answers),
        "time_to_close_median_days": _median(to_close),
        "promise_kept_share": _share(kept1 - kept0, prom1 - prom0),
        "no_show_rate": _share(no_shows, held + no_shows),
        "feedback_mean": round(mean(scores), 2) if scores else None,
        "feedback_count": len(scores),
        "closed_by_reason": dict(sorted(closed.items())),
    }


def metrics(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, since: date | None = None,
            local: dict[str, LocalDays] | None = None) -> dict[str, Any]:
    """The measures over the days after ``since`` up to ``as_of`` (see the module's docstring);
    ``local``: every client's local days, when known (``audit.local_days``)."""
    return combine(client_parts(facts, [(since, as_of)], policy, tz, local[facts.id] if local else None)[0]
                   for facts in caseload.registered())


def week_spans(as_of: date, weeks: int) -> list[Span]:
    """The spans of the last weeks (weeks begin on Monday), oldest first, ending with the week
    of ``as_of`` (up to that day)."""
    monday = as_of - timedelta(days=as_of.weekday())
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    return [(start - timedelta(days=1), min(start + timedelta(days=6), as_of)) for start in starts]


def client_weeks(facts: ClientFacts, key: tuple[date, int], policy: Policy, tz: tzinfo) -> list[Parts]:
    """One client's share of each week (``key``: the as-of day and how many weeks)."""
    return client_parts(facts, week_spans(*key), policy, tz)


def weekly(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, weeks: int = 8,
           parts: list[list[Parts]] | None = None) -> list[tuple[date, dict]]:
    """The measures week by week (weeks begin on Monday), oldest first, ending with the week of
    ``as_of`` (up to that day): (the week's Monday, its measures). ``parts``: every client's
    :func:`client_weeks`, when kept (the app keeps them per client)."""
    spans = week_spans(as_of, weeks)
    if parts is None:
        parts = [client_weeks(facts, (as_of, weeks), policy, tz) for facts in caseload.registered()]
    return [(since + timedelta(days=1), combine(client[i] for client in parts))
            for i, (since, _) in enumerate(spans)]


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """One character per value, low to high (a space where there is none)."""
    known = [v for v in values if v is not None]
    if not known:
        return " " * len(values)
    lo, hi = min(known), max(known)
    span = hi - lo
    return "".join(" " if v is None else SPARKS[0 if not span else round((v - lo) / span * (len(SPARKS) - 1))]
                   for v in values)
