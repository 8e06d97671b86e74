"""The weekly review: the three lists practitioners go through once a week.

* waiting: active clients written to since their last reply or session, and no answer yet
  (the policy's unanswered messages: the note after a session and a message that needs no
  reply wait for nothing);
* no next step: active clients with nothing planned (no open follow-up, or a latest session
  that agreed no next step);
* to thank: clients who replied or met in the last ``recent_days`` (progress to acknowledge),
  unless they were paused since (a reply asking for a break is not progress).

A client erased (``forget``) is on none of them: their skeleton is for the audit only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from .caseload import ACTIVE, CLOSED, PAUSED, Caseload
from .plans import Policy
from .policy import DueBoard, items_on, silence_since, unanswered_messages


@dataclass(frozen=True)
class ReviewEntry:
    client: str
    name: str
    since: date | None
    days: int | None
    note: str  # why, as a code: no_reply, nothing_planned, no_step_agreed, replied, came


@dataclass(frozen=True)
class WeeklyReview:
    waiting: list[ReviewEntry]
    no_next_step: list[ReviewEntry]
    to_thank: list[ReviewEntry]


def weekly_review(caseload: Caseload, as_of: date, policy: Policy, tz: tzinfo, recent_days: int = 14,
                  board: DueBoard | None = None) -> WeeklyReview:
    """``board``: every client's open items, when kept (the same as working them out)."""
    waiting, no_step, thank = [], [], []
    for f in caseload.registered():
        if f.state == CLOSED or f.forgotten:
            # (an erased client's skeleton has no one to wait for, plan with or thank)
            continue
        last_in = max([x[-1] for x in (f.replies, f.sessions) if x], default=None)
        since = silence_since(f) if f.state == ACTIVE else None
        unanswered = unanswered_messages(f, policy, tz, since) if since is not None else []
        if unanswered:  # (the policy's own: not the note after a session, nor one needing no reply)
            day = unanswered[-1].astimezone(tz).date()
            waiting.append(ReviewEntry(f.id, f.name, day, (as_of - day).days, "no_reply"))
        if f.state == ACTIVE:
            items = ([i for i in board.items.get(f.id, ()) if i.shown_on(as_of)] if board is not None
                     else items_on(f, policy, tz, as_of))
            step = f.last_session.next_step if f.last_session else ""
            if not items:
                no_step.append(ReviewEntry(f.id, f.name, None, None, "nothing_planned"))
            elif f.last_session is not None and not step.strip():
                day = f.last_session.at.astimezone(tz).date()
                no_step.append(ReviewEntry(f.id, f.name, day, (as_of - day).days, "no_step_agreed"))
        paused_since = f.lifecycle.at if f.state == PAUSED and f.lifecycle is not None else None
        if last_in is not None and (paused_since is None or paused_since < last_in):
            # (a reply followed by a pause -- "wants a break" -- is not progress to thank)
            day = last_in.astimezone(tz).date()
            if 0 <= (as_of - day).days <= recent_days:
                what = "replied" if f.replies and f.replies[-1] == last_in else "came"
                thank.append(ReviewEntry(f.id, f.name, day, (as_of - day).days, what))
    waiting.sort(key=lambda e: (-(e.days or 0), e.name))
    # (nothing planned first: nothing will bring them back to mind; then the longest since a
    # session that agreed no step, as the other two lists go by days)
    no_step.sort(key=lambda e: (e.days is not None, -(e.days or 0), e.name))
    thank.sort(key=lambda e: (e.days or 0, e.name))
    return WeeklyReview(waiting, no_step, thank)
