"""What the journal needs from a store, and how a store is chosen.

Two stores keep the same events: the JSONL file (``logfile.LogStore``, the default, one
practitioner on one disk) and a PostgreSQL table (``pgstore.PgStore``, an office's shared
caseload). Both satisfy :class:`EventStore`, the smallest interface ``Journal`` uses:

* ``read_new`` / ``read_batches``: what was appended since the last read, in log order, with
  each event's line number (for the server store: its ``global_position``) and every line it
  could not read as a ``Problem``;
* ``transact(decide)``: ``decide`` sees what was new and chooses the events to append, which
  are appended durably, chained (``prev``), and returned as written; ``decide`` may raise to
  write nothing, and is called again with what another writer appended first (the server
  store's optimistic concurrency: the command is validated again against the new state);
* ``append(events)``: bulk appends (copies, the demo);
* ``tail_problem``: an unfinished last line (never, on a server);
* ``events_of`` / ``find`` / ``find_by_ref``: a client's events read back by key.

What only the file has (snapshots beside it, the two-core cold start, ``repair``, ``forget``)
is used by the journal only when ``store.server`` is false.
"""

from __future__ import annotations

import os
from typing import Callable, Iterator, Protocol, Sequence

from ..core.codec import Problem
from ..core.events import AnyEvent, Event
from .logfile import Batch, LogStore

SERVER_SCHEMES = ("postgresql://", "postgres://")


class EventStore(Protocol):
    server: bool
    path: object  # what messages name: the file, or the server URL
    offset: int  # how far was read (bytes of the file; the last global_position)
    line_count: int

    def read_new(self) -> Batch: ...

    def read_batches(self) -> Iterator[Batch]: ...

    def transact(self, decide: Callable[[Batch], Sequence[Event]]) -> tuple[Batch, list[Event]]: ...

    def append(self, events: Sequence[Event]) -> list[Event]: ...

    def tail_problem(self) -> Problem | None: ...

    def raw_lines(self) -> Iterator[bytes]: ...  # every stored line, as written (the hash chain's input)

    def events_of(self, client_id: str) -> list[AnyEvent]: ...

    def find(self, event_id: str) -> AnyEvent | None: ...

    def find_by_ref(self, ref: str) -> list[AnyEvent]: ...


def is_server(location: object) -> bool:
    """A ``postgresql://`` URL (else a file path)."""
    return isinstance(location, str) and location.startswith(SERVER_SCHEMES)


def open_store(location: str | os.PathLike[str]) -> EventStore:
    """The store at ``location``: a server URL or a JSONL file path."""
    if is_server(location):
        from .pgstore import PgStore

        return PgStore(str(location))
    return LogStore(location)
