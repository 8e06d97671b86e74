"""The outcome measures the guides name, for the whole caseload (``audit --json``'s ``metrics``)
and week by week (``followup trend``, the Weekly review's sparklines).

Every measure is over what happened in a span of days (``since`` < day <= ``as_of``; no
``since``: everything up to ``as_of``), shares as fractions between 0 and 1, None when there is
nothing to measure:

* ``first_follow_up_median_days``: per session in the span, days until the first message after
  it (before the next session);
* ``first_response_median_days``: per reply in the span, days since the message or session it
  answers (the latest one before it), the first reply to each only;
* ``time_to_close_median_days``: per case closed in the span, days from registration to close;
* ``promise_kept_share``: promises kept on or before their due date, over promises due (or
  kept) so far; ``on_time_share``: checkpoints met on time over checkpoints due (both as in
  :mod:`.audit`, counted as they fell due in the span);
* ``no_show_rate``: no-shows over sessions held plus no-shows;
* ``feedback_mean`` and ``feedback_count``: the satisfaction scores received;
* ``closed_by_reason``: cases closed in the span, by reason.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import date, timedelta, tzinfo
from statistics import mean, median
from typing import Any

from .audit import LocalDays, checkpoint_counts, promise_record
from .caseload import CLOSED, Caseload
from .plans import Policy

MEASURES = ("on_time_share", "first_follow_up_median_days", "first_response_median_days",
            "time_to_close_median_days", "promise_kept_share", "no_show_rate", "feedback_mean")


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _counts(caseload: Caseload, days: list[date], policy: Policy, tz: tzinfo,
            local: dict[str, LocalDays]) -> list[tuple[int, int, int, int]]:
    """(checkpoints due, on time, promises due, kept on time) of every client, as of each day."""
    out = [(0, 0, 0, 0)] * len(days)
    for facts in caseload.registered():
        checkpoints = checkpoint_counts(facts, days, policy, tz, local[facts.id])
        out = [(due + d, on_time + o, promises + p, kept + k)
               for (due, on_time, promises, kept), (d, o), (p, k)
               in zip(out, checkpoints, (promise_record(facts, day, tz) for day in days))]
    return out


def _local_days(caseload: Caseload, tz: tzinfo) -> dict[str, LocalDays]:
    return {facts.id: LocalDays.of(facts, tz) for facts in caseload.registered()}


def metrics(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, since: date | None = None,
            counts: tuple[tuple[int, int, int, int], tuple[int, int, int, int]] | None = None,
            local: dict[str, LocalDays] | None = None) -> dict[str, Any]:
    """The measures over the days after ``since`` up to ``as_of`` (see the module's docstring).
    ``counts``: the checkpoint and promise counts as of ``since`` and ``as_of``, when known;
    ``local``: each client's local days, when known."""
    local = local if local is not None else _local_days(caseload, tz)

    def inside(day: date) -> bool:
        return day <= as_of and (since is None or day > since)

    def day_of(moment) -> date:
        return moment.astimezone(tz).date()

    def span(days: list[date]) -> range:
        """The indexes of the (sorted) days inside the span."""
        return range(bisect_right(days, since) if since is not None else 0, bisect_right(days, as_of))

    firsts: list[int] = []
    responses: list[int] = []
    to_close: list[int] = []
    scores: list[int] = []
    held = no_shows = 0
    closed: Counter[str] = Counter()
    for facts in caseload.registered():
        sessions, messages, replies = facts.sessions, facts.messages, facts.replies
        days = local[facts.id]
        for index in span(days.sessions):
            start, day = sessions[index], days.sessions[index]
            held += 1
            end = sessions[index + 1] if index + 1 < len(sessions) else None
            lo = bisect_right(messages, start)
            hi = bisect_left(messages, end) if end is not None else len(messages)
            if lo < hi and days.messages[lo] <= as_of:
                firsts.append((days.messages[lo] - day).days)
        for index in span(days.replies):
            # the prompt a reply answers: the latest session or message before it; only the
            # first reply to each counts
            reply = replies[index]
            s, m = bisect_left(sessions, reply) - 1, bisect_left(messages, reply) - 1
            if s < 0 and m < 0:
                continue
            candidates = ([(sessions[s], days.sessions[s])] if s >= 0 else []) + (
                [(messages[m], days.messages[m])] if m >= 0 else [])
            prompt, prompt_day = max(candidates, key=lambda candidate: candidate[0])
            if index > 0 and replies[index - 1] > prompt:
                continue  # an earlier reply answered it
            responses.append((days.replies[index] - prompt_day).days)
        for missed in facts.missed:
            if missed.kind == "no_show" and inside(day_of(missed.at)):
                no_shows += 1
        for feedback in facts.feedback:
            if inside(day_of(feedback.at)):
                scores.append(feedback.score)
        if facts.state == CLOSED and facts.state_since is not None and inside(day_of(facts.state_since)):
            closed[facts.close_reason or "other"] += 1
            if facts.registered_at is not None:
                to_close.append((day_of(facts.state_since) - day_of(facts.registered_at)).days)
    if counts is None:
        days = [since, as_of] if since is not None else [as_of]
        found = _counts(caseload, days, policy, tz, local)
        counts = (found[0], found[1]) if since is not None else ((0, 0, 0, 0), found[0])
    (due0, on0, prom0, kept0), (due1, on1, prom1, kept1) = counts
    return {
        "on_time_share": _share(on1 - on0, due1 - due0),
        "first_follow_up_median_days": _median(firsts),
        "first_response_median_days": _median(responses),
        "time_to_close_median_days": _median(to_close),
        "promise_kept_share": _share(kept1 - kept0, prom1 - prom0),
        "no_show_rate": _share(no_shows, held + no_shows),
        "feedback_mean": round(mean(scores), 2) if scores else None,
        "feedback_count": len(scores),
        "closed_by_reason": dict(sorted(closed.items())),
    }


def weekly(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, weeks: int = 8) -> list[tuple[date, dict]]:
    """The measures week by week (weeks begin on Monday), oldest first, ending with the week of
    ``as_of`` (up to that day): (the week's Monday, its measures)."""
    monday = as_of - timedelta(days=as_of.weekday())
    starts = [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    ends = [s + timedelta(days=6) for s in starts[:-1]] + [as_of]
    boundaries = [starts[0] - timedelta(days=1)] + ends
    local = _local_days(caseload, tz)
    counts = _counts(caseload, boundaries, policy, tz, local)
    return [(start, metrics(caseload, end, policy, tz, since=boundaries[i], counts=(counts[i], counts[i + 1]),
                            local=local))
            for i, (start, end) in enumerate(zip(starts, ends))]


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
