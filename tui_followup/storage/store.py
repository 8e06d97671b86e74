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
  with ``take`` (what folds a batch), the server store appends one event of a client without
  deciding again when others wrote only to other clients, and hands what they wrote to ``take``;
* ``append(events)``: bulk appends (copies, the demo);
* ``tail_problem``: an unfinished last line (never, on a server);
* ``events_of`` / ``find`` / ``find_by_ref``: a client's events read back by key; ``ids``;
* ``raw_lines`` / ``read_head`` / ``order_problems``: what ``check`` verifies;
* ``dump`` / ``restore_lines``: a backup written, and restored into an empty store;
* ``partial``: this session sees only part of the store (a counselor's need-to-know), and
  ``role``: the database role it is ("" for a file).

What a store may do beside that it declares in ``capabilities`` (as the eventsourcing
library's recorders and Harlequin's adapters do), and a caller asks for the capability, never
for the kind of store: each capability's members are a Protocol of their own below
(``CAPABILITIES``), and tests/storage/test_contract.py holds every store to the ones it declares.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import Callable, Iterator, Protocol, Sequence, runtime_checkable

from ..core.chain import Head
from ..core.codec import Problem
from ..core.events import AnyEvent, Event
from .logfile import Batch, LogStore

URL_SCHEMES = ("postgresql://", "postgres://")

# The optional capabilities (``store.capabilities``).
SNAPSHOT = "snapshot"  # a snapshot cache beside it, keyed to its bytes (tail_hash, locked_as, resume)
COLD_START = "cold_start"  # the two-process cold start reads it (storage/cold_start.py)
LOCK_FILE = "lock_file"  # writers queue on a lock file (locked): forget rewrites it under the lock
REPAIR = "repair"  # ``followup repair`` sets a torn or bad tail aside
LISTEN = "listen"  # wake_on_append: told at once when another writer appends
REDACT = "redact"  # forget redacts in one transaction of the store's own (redact)
ROLES = "roles"  # need-to-know: database roles granted and revoked (grant, revoke)
UNIQUE_IDS = "unique_ids"  # the store itself skips an event whose id it holds (and refuses other content)
SNAPSHOT_IN_STORE = "snapshot_in_store"  # a snapshot of the facts kept in the store itself, one per role
FOLD_PAGES = "fold_pages"  # a big store folded into facts page by page from one consistent read
SCHEMA = "schema"  # ``store init`` prepares it: migrations, its head put right, advice on access


@runtime_checkable
class EventStore(Protocol):
    capabilities: frozenset[str]
    path: object  # what messages name: the file, or the server URL (without its password)
    offset: int  # how far was read (bytes of the file; the last global_position)
    line_count: int
    last_hash: str  # the chain hash of the line (row) at ``offset``

    @property
    def partial(self) -> bool: ...  # this session sees only part of the store

    @property
    def role(self) -> str: ...  # the database role this session is ("" : none, a file)

    @property
    def bound(self) -> bool: ...  # the store's own rules hold every write to ``role`` as its actor

    def read_new(self) -> Batch: ...

    def read_batches(self) -> Iterator[Batch]: ...

    def transact(self, decide: Callable[[Batch], Sequence[Event]],
                 take: Callable[[Batch], object] | None = None) -> tuple[Batch, list[Event]]: ...

    def append(self, events: Sequence[Event]) -> list[Event]: ...

    def tail_problem(self) -> Problem | None: ...

    def raw_lines(self) -> Iterator[bytes]: ...  # every stored line, as written (the hash chain's input)

    def read_head(self) -> Head | None: ...

    def order_problems(self) -> list[Problem]: ...  # gaps in positions and stream versions

    def events_of(self, client_id: str) -> list[AnyEvent]: ...

    def find(self, event_id: str) -> AnyEvent | None: ...  # among what was read (a file) or all

    def find_by_ref(self, ref: str) -> list[AnyEvent]: ...

    def ids(self) -> set[str]: ...  # every event id in the store, read afresh

    def dump(self, write: Callable[[bytes], None]) -> Head | None: ...

    def restore_lines(self, lines: Sequence[bytes]) -> None: ...


@runtime_checkable
class SnapshotStore(Protocol):
    identity: object  # the file read (a snapshot is written only for it)

    def tail_hash(self, offset: int, size: int) -> str: ...

    def locked_as(self, identity) -> AbstractContextManager[bool]: ...

    def resume(self, offset: int, lines: int) -> None: ...


@runtime_checkable
class ColdStartStore(Protocol):
    path: object  # the file both processes read

    def resume(self, offset: int, lines: int) -> None: ...

    def lines_containing(self, needle: bytes, limit: int | None = None, start: int = 0) -> bytes: ...


@runtime_checkable
class LockFileStore(Protocol):
    pending_tail: bytes
    head_path: object

    def locked(self) -> AbstractContextManager[int]: ...

    def check_head(self) -> None: ...

    def side_path(self, kind: str) -> object: ...

    def set_aside_torn_tail(self, fd: int) -> object: ...

    def write_head(self, durable: bool = False) -> None: ...


@runtime_checkable
class ListenStore(Protocol):
    def wake_on_append(self, wake: Callable[[int], None]) -> Callable[[], None]: ...


@runtime_checkable
class RedactStore(Protocol):
    def redact(self, pick, marker) -> tuple[str, list[str], bool]: ...


@runtime_checkable
class RolesStore(Protocol):
    """Database roles: granted and revoked, each seeing what it may (``partial``: a counselor's
    session, whose ``check`` proves what its own rows can: ``raw_rows``, ``reach``)."""

    def grant(self, name: str, kind: str) -> bool: ...

    def revoke(self, name: str) -> None: ...

    def granted(self) -> list[str]: ...  # the roles granted, by name

    def assigned_to(self, name: str) -> list[str]: ...  # the clients a role holds

    def raw_rows(self) -> Iterator[tuple[int, bytes]]: ...  # the rows this session sees, by position

    def reach(self) -> tuple[int, str | None, str]: ...  # (last position, its link hash, ...) as the server says


@runtime_checkable
class SchemaStore(Protocol):
    schema_latest: int  # the newest schema version this code knows

    def init(self) -> list[int]: ...  # the migrations applied

    def restore_head(self) -> int | None: ...

    def move_head_forward(self) -> tuple[int, int] | None: ...

    def public_connects(self) -> str | None: ...


@runtime_checkable
class SnapshotInStore(Protocol):
    folded_to: int | None  # how far the journal reading it has folded (a client's events read back stop there)

    def resume(self, offset: int, lines: int, last_hash: str) -> None: ...

    def load_snapshot(self, code: str) -> tuple[int, str, bytes, str, int] | None: ...

    def snapshot_lists(self, digest: str, at: int | None = None, size: int | None = None) -> bytes | None: ...

    def events_of(self, client_id: str, to: int | None = None) -> list[AnyEvent]: ...

    def covers(self, clients: set[str], position: int) -> bool: ...

    def save_snapshot(self, position: int, last: str, code: str, header: bytes, lists: bytes,
                      clients=()) -> bool: ...


@runtime_checkable
class FoldPagesStore(Protocol):
    folded_to: int | None

    def visible_end(self) -> int: ...

    def fold_read(self, start: Callable[[list[AnyEvent]], None], take: Callable[[Batch], None]) -> None: ...


# Each capability, and what a store that declares it has (None: nothing more than EventStore).
CAPABILITIES: dict[str, type | None] = {
    SNAPSHOT: SnapshotStore, COLD_START: ColdStartStore, LOCK_FILE: LockFileStore, REPAIR: LockFileStore,
    LISTEN: ListenStore, REDACT: RedactStore, ROLES: RolesStore, UNIQUE_IDS: None,
    SNAPSHOT_IN_STORE: SnapshotInStore, FOLD_PAGES: FoldPagesStore, SCHEMA: SchemaStore,
}


def is_url(location: object) -> bool:
    """A location written as a ``postgresql://`` URL (else a file path): said as it is, never
    expanded or made a ``Path``. Which store it opens is ``open_store``'s; what the store can do
    is its ``capabilities``."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def open_store(location: str | os.PathLike[str]) -> EventStore:
    """The store at ``location``: a server URL or a JSONL file path."""
    if is_url(location):
        from .pgstore import PgStore

        return PgStore(str(location))
    return LogStore(location)
