"""A projection kept one client at a time: the audit's rows, the week-by-week measures.

``compute(facts, key)`` is a pure function of one client's facts and a key (the as-of day,
...); its value is kept until that client changes (the journal calls :meth:`update` with the
clients each batch of events changed, as it does for the due board) or the key does. A
screen then asks for every client's value and only the changed ones are worked out again;
:meth:`fill` works out a few at a time, so the app can do it ahead, between key presses.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from .caseload import Caseload, ClientFacts

T = TypeVar("T")


class PerClient(Generic[T]):
    def __init__(self, compute: Callable[[ClientFacts, Hashable], T]) -> None:
        self.compute = compute
        self.key: Hashable = None
        self.values: dict[str, T] = {}
        # The clients :meth:`fill` has still to look at (the last first), and of which caseload:
        # each step goes on where the last one stopped instead of walking every client again.
        self._pending: list[ClientFacts] | None = None
        self._pending_of: Caseload | None = None

    def update(self, caseload: Caseload, clients: Iterable[str]) -> None:
        """These clients changed: their values are worked out again when next asked for."""
        for client in clients:
            self.values.pop(client, None)
        self._pending = self._pending_of = None  # (a caseload replaced after forget: let go)

    def _for(self, key: Hashable) -> dict[str, T]:
        if key != self.key:
            self.key, self.values, self._pending, self._pending_of = key, {}, None, None
        return self.values

    def all(self, caseload: Caseload, key: Hashable) -> list[T]:
        """Every registered client's value for the key, in the caseload's order."""
        values, compute = self._for(key), self.compute
        out = []
        for facts in caseload.registered():
            value = values.get(facts.id)
            if value is None:
                value = values[facts.id] = compute(facts, key)
            out.append(value)
        return out

    def count(self, key: Hashable) -> int:
        """How many clients' values for the key are kept."""
        return len(self.values) if key == self.key else 0

    def fill(self, caseload: Caseload, key: Hashable, limit: int) -> bool:
        """Work out up to ``limit`` missing values; True when none is missing any more."""
        values, compute = self._for(key), self.compute
        pending = self._pending
        if not pending or self._pending_of is not caseload:  # (at the end: looked at again, whole)
            pending = self._pending = [f for f in reversed(caseload.registered()) if f.id not in values]
            self._pending_of = caseload
        while pending:
            facts = pending[-1]
            if facts.id not in values:
                if limit <= 0:
                    return False
                values[facts.id] = compute(facts, key)
                limit -= 1
            pending.pop()
        return True
