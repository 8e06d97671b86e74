"""What the screens show, worked out ahead and kept per client.

At a million events the audit takes 1.5 s and the week-by-week measures as long; a screen
that worked them out when opened kept the user waiting each time. Here they are kept one
client at a time (:class:`~tui_followup.core.per_client.PerClient`, told by the journal which
clients each batch of events changed, as the due board is) and worked out ahead, a few
clients at a time between key presses, from the first paint on: a screen opened later finds
them ready, and after an event only that client's are worked out again.

Past day's view of yesterday (a whole read of the log) is read ahead in a worker thread
too, and then kept: following the log as the live journal does, it reads only new lines.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date, timedelta
from typing import TypeVar

from ..core.audit import AuditReport, ClientAudit, audit, client_audit
from ..core.metrics import Parts, client_weeks, weekly
from ..core.per_client import PerClient
from ..core.review import WeeklyReview, weekly_review
from ..storage.journal import Journal
from ..storage.sizes import DEFAULT_SIZES

SLICE = 4  # clients per step of the work done ahead (a few ms): a key press waits for one step at most
WEEKS = 8  # the Weekly review's sparklines
T = TypeVar("T")


class _UntilAnyChange:
    """Results over the whole caseload (the weekly measures, the review's lists), kept until
    any client changes: summing two thousand kept parts still takes a screen's worth of time."""

    def __init__(self) -> None:
        self.values: dict[Hashable, object] = {}

    def update(self, caseload: object, clients: set[str]) -> None:
        if clients:
            self.values.clear()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self.values:
            self.values[key] = compute()
        return self.values[key]  # type: ignore[return-value]


class Ahead:
    """The live journal's audit and weekly measures kept per client, and past days' views."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        policy, tz = journal.policy, journal.tz
        self.audits: PerClient[ClientAudit] = journal.keep(
            PerClient(lambda facts, day: client_audit(facts, day, policy, tz)))
        self.weeks: PerClient[list[Parts]] = journal.keep(
            PerClient(lambda facts, key: client_weeks(facts, key, policy, tz)))
        self.whole = journal.keep(_UntilAnyChange())
        self.past: dict[date, Journal] = {}  # the past days read so far (yesterday's, first)
        self.past_lock = threading.Lock()  # one reader of the past at a time
        self.screens_to_make: set[str] = set()  # the app's screens made ahead, out of sight (ui/startup.py)
        self.screens_made: set[str] = set()  # (or left: a form was open, the app closing)

    def audit(self, day: date) -> AuditReport:
        j = self.journal
        return audit(j.caseload, day, j.policy, j.tz, clients=self.audits.all(j.caseload, day))

    def weekly(self, day: date, weeks: int = WEEKS) -> list[tuple[date, dict]]:
        j = self.journal
        return self.whole.get(("weekly", day, weeks), lambda: weekly(
            j.caseload, day, j.policy, j.tz, weeks, parts=self.weeks.all(j.caseload, (day, weeks))))

    def review(self, day: date) -> WeeklyReview:
        j = self.journal
        return self.whole.get(("review", day), lambda: weekly_review(j.caseload, day, j.policy, j.tz, board=j.board))

    async def work_ahead(self) -> None:
        """Fill the per-client values a slice at a time, yielding to the event loop between
        slices (a coroutine on the loop: the caseload is only ever touched there)."""
        j = self.journal
        for kept, key in ((self.audits, lambda day: day), (self.weeks, lambda day: (day, WEEKS))):
            while not kept.fill(j.caseload, key(j.today()), SLICE):
                await asyncio.sleep(0)
        self.weekly(j.today())
        await asyncio.sleep(0)
        self.review(j.today())

    def ready(self) -> bool:
        """Whether everything was worked out ahead (for the benchmark and the tests)."""
        j = self.journal
        day = j.today()
        return (self.audits.fill(j.caseload, day, 0) and self.weeks.fill(j.caseload, (day, WEEKS), 0)
                and ("review", day) in self.whole.values and day - timedelta(days=1) in self.past
                and self.screens_to_make <= self.screens_made)

    def past_day(self, day: date, then: Callable[[Journal], object] = lambda past: None) -> Journal:
        """The log as it stood at the end of a past day (for a worker thread: a whole read of
        the log the first time, only the lines appended since the time after); ``then(past)``
        is called with it before another thread may read on."""
        live = self.journal
        with self.past_lock:
            past = self.past.get(day)
            if past is None:
                one_process = replace(live.sizes or DEFAULT_SIZES, parallel_min_bytes=2**62)
                past = Journal.open(live.path, clock=live.clock, tz=live.tz, as_of=day, policy=live.policy,
                                    sizes=one_process, write_snapshot=False)
                past.refresh()  # (lets go of what the read left over: here, not when it is shown)
                past.board  # every client's open items then, worked out here and kept in step
                self.past = {d: p for d, p in self.past.items() if d == live.today() - timedelta(days=1)}
                self.past[day] = past  # yesterday's and the last one asked for are kept
            else:
                past.refresh()  # events since (some may have happened that day: back-dated)
            then(past)
            return past
