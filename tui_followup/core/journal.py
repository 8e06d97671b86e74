"""The journal: the log store and the caseload projection kept in step.

This is the imperative shell's one object that both the CLI and the TUI use to read the
log and to record events. ``record`` runs a command under the log's lock against the
state as it is at that moment (so another window's close is seen before our message),
appends the event durably, and folds it in. ``refresh`` picks up what other writers
appended, incrementally.
"""

from __future__ import annotations

import gc
import getpass
import os
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Callable

from .caseload import Caseload, ClientFacts
from .clock import Clock, SystemClock, end_of_day, local_timezone
from .codec import Problem
from .commands import Context
from .events import AnyEvent
from .plans import Policy
from .store import Batch, LogStore


def default_actor() -> str:
    try:
        return os.environ.get("FOLLOWUP_ACTOR") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return "me"


@dataclass
class Journal:
    path: Path
    clock: Clock
    tz: tzinfo
    policy: Policy = field(default_factory=Policy)
    actor: str = field(default_factory=default_actor)
    new_id: Callable[[], str] | None = None
    until: datetime | None = None  # read-only view of the past when set

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.store = LogStore(self.path)
        self.caseload = Caseload(until=self.until)
        self.problems: list[Problem] = []

    @classmethod
    def open(cls, path: str | os.PathLike[str], clock: Clock | None = None,
             tz: tzinfo | None = None, as_of: date | None = None, **kw: Any) -> "Journal":
        tz = tz or local_timezone()
        clock = clock or SystemClock(tz)
        until = end_of_day(as_of, tz) if as_of is not None else None
        journal = cls(Path(path), clock, tz, until=until, **kw)
        journal.refresh()
        return journal

    def _take(self, batch: Batch) -> set[str]:
        self.problems.extend(batch.problems)
        if not batch.events:
            return set()
        return self.caseload.apply_all(batch.events)

    def refresh(self) -> set[str]:
        """Fold in what was appended since the last look; returns the changed client ids."""
        changed: set[str] = set()
        gc_was_on = gc.isenabled()
        gc.disable()  # folding a million acyclic objects: the cycle collector only slows it
        try:
            for batch in self.store.read_batches():
                changed |= self._take(batch)
        finally:
            if gc_was_on:
                gc.enable()
        return changed

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def context(self, now: datetime) -> Context:
        kw: dict[str, Any] = dict(
            caseload=self.caseload, now=now, tz=self.tz, actor=self.actor, policy=self.policy
        )
        if self.new_id is not None:
            kw["new_id"] = self.new_id
        return Context(**kw)

    def record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> AnyEvent:
        """Run a command against the latest state and append its event.

        Raises ``CommandError`` (nothing written) when the command is refused.
        """
        if self.until is not None:
            raise PermissionError("this is a view of the past: nothing can be recorded in it")
        now = self.clock.now()
        made: list[AnyEvent] = []

        def decide(batch: Batch) -> list[AnyEvent]:
            self._take(batch)
            made.append(command(self.context(now), *args, **kwargs))
            return made

        self.store.transact(decide)
        self.caseload.apply(made[0])
        return made[0]

    def client(self, client_id: str) -> ClientFacts | None:
        return self.caseload.get(client_id)
