"""What the screens show, worked out ahead and kept per client.

At a million events the audit takes 1.5 s and the week-by-week measures as long; a screen
that worked them out when opened kept the user waiting each time. Here they are kept one
client at a time (:class:`~tui_followup.core.per_client.PerClient`, told by the journal which
clients each batch of events changed, as the due board is) and worked out ahead, a few
clients at a time between key presses, from the first paint on: a screen opened later finds
them ready, and after an event only that client's are worked out again.

A past day's view is its morning: each client's facts cut at the end of the day before
(core/past.py: every event that happened before the day began), kept per client in the same
way: yesterday's is worked out ahead, and a client's again after an event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import TypeVar

from ..collector import collector_off
from ..core.audit import AuditReport, ClientAudit, audit, client_audit
from ..core.caseload import Caseload
from ..core.metrics import Parts, client_weeks, weekly
from ..core.past import PastClient, past_client
from ..core.per_client import PerClient
from ..core.review import WeeklyReview, weekly_review
from ..core.status import ClientStatus, client_status
from ..storage.journal import Journal

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


class _PastDays:
    """Past days' views, one client at a time: yesterday's (worked out ahead) and the last
    three other days asked for (the one shown, the day before it, worked out while the user
    reads: ← then draws at once, and a day being typed in the date box), each client's kept
    until that client changes (one :class:`PerClient` a day)."""

    KEPT = 3  # days kept besides yesterday

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.days: dict[date, PerClient[PastClient]] = {}

    def update(self, caseload: Caseload, clients: set[str]) -> None:
        for kept in self.days.values():
            kept.update(caseload, clients)

    def _kept(self, day: date) -> PerClient[PastClient]:
        kept = self.days.get(day)
        if kept is None:
            j = self.journal
            yesterday = j.today() - timedelta(days=1)
            others = [d for d in self.days if d != yesterday][-(self.KEPT - 1):] if self.KEPT > 1 else []
            self.days = {d: v for d, v in self.days.items() if d == yesterday or d in others}
            kept = self.days[day] = PerClient(
                lambda facts, day: past_client(j.caseload, facts, day - timedelta(days=1), j.policy, j.tz, j.board))
        return kept

    def fill(self, day: date, limit: int) -> bool:
        """Work out up to ``limit`` clients of ``day`` not worked out yet; True when none is left."""
        return self._kept(day).fill(self.journal.caseload, day, limit)

    def get(self, day: date) -> dict[str, PastClient]:
        """Every client as it stood when ``day`` began (at the end of the day before), by id (the rest worked out at once:
        with the cycle collector off, see collector.py)."""
        with collector_off():
            self.fill(day, 1 << 62)
        return self.days[day].values

    def ready(self, day: date) -> bool:
        return day in self.days and self.fill(day, 0)


class Ahead:
    """The live journal's audit and weekly measures kept per client, and past days' views."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        policy, tz = journal.policy, journal.tz
        self.audits: PerClient[ClientAudit] = journal.keep(
            PerClient(lambda facts, day: client_audit(facts, day, policy, tz)))
        self.weeks: PerClient[list[Parts]] = journal.keep(
            PerClient(lambda facts, key: client_weeks(facts, key, policy, tz)))
        # each client's row on Clients (worked out when the screen is made ahead): typing in its
        # filter worked out two thousand of them again at every key (180 ms at 1M)
        self.statuses: PerClient[ClientStatus] = journal.keep(
            PerClient(lambda facts, day: client_status(facts, policy, tz, day, journal.board)))
        self.whole = journal.keep(_UntilAnyChange())
        self.past = journal.keep(_PastDays(journal))  # past days' views (yesterday's, first)
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
        while not self.past.fill(j.today() - timedelta(days=1), SLICE):
            await asyncio.sleep(0)

    def ready(self) -> bool:
        """Whether everything was worked out ahead (for the benchmark and the tests)."""
        j = self.journal
        day = j.today()
        return (self.audits.fill(j.caseload, day, 0) and self.weeks.fill(j.caseload, (day, WEEKS), 0)
                and ("review", day) in self.whole.values and self.past.ready(day - timedelta(days=1))
                and self.screens_to_make <= self.screens_made)
