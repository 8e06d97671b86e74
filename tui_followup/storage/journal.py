"""The journal: the log store and the caseload projection kept in step.

This is the imperative shell's one object that both the CLI and the TUI use to read the
log and to record events. ``record`` runs a command under the log's lock against the
state as it is at that moment (so another window's close is seen before our message),
appends the event durably, and folds it in. ``refresh`` picks up what other writers
appended, incrementally.
"""

from __future__ import annotations

import functools
import gc
import getpass
import hashlib
import mmap
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Callable, Protocol, TypeVar

from ..core.caseload import Caseload, ClientFacts, decide_retractions, merge_caseloads
from ..core.chain import GENESIS
from ..core.clock import Clock, end_of_day
from ..core.codec import Problem
from ..core.commands import CommandError, Context, typed
from ..core.events import AnyEvent, EventRetracted, same_event
from ..core.plans import Policy
from ..core.policy import DueBoard
from ..collector import collector_off
from ..wallclock import SystemClock, local_timezone
from . import cold_start, snapshot
from . import sizes as opening
from .logfile import Batch, StoreError, file_identity, write_private
from .store import COLD_START, FOLD_PAGES, SNAPSHOT, SNAPSHOT_IN_STORE, is_url, open_store


def new_event_id() -> str:
    """A unique, roughly time-ordered id: 12 hex digits of milliseconds, 10 random."""
    return f"{int(time.time() * 1000):012x}{secrets.token_hex(5)}"


def _fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


@functools.cache
def _source(*modules: str) -> bytes | None:
    """The source of these modules of the package, as ``core/events`` (None when it cannot be read)."""
    out = bytearray()
    for name in modules:
        try:
            out += (Path(__file__).parents[1] / f"{name}.py").read_bytes()
        except OSError:
            return None
    return bytes(out)


def code_fingerprint() -> str:
    """Which code wrote the facts of a snapshot: another version of the fold, the events or
    the snapshot's layout means the snapshot is rebuilt, not trusted."""
    source = _source("core/events", "core/codec", "core/facts", "core/caseload", "storage/snapshot")
    return _fingerprint(source) if source is not None else f"format-{snapshot.FORMAT}"


def rules_fingerprint(policy: Policy, tz: tzinfo) -> str:
    """What the open items of a due board depend on besides the facts: the due rule's code,
    the practitioner's policy settings and time zone. "" (never cached) if unknown."""
    source = _source("core/policy", "core/plans")
    if source is None:
        return ""
    return _fingerprint(source, code_fingerprint().encode(), repr(policy).encode(), repr(tz).encode())


def in_background(work: Callable[[], object]) -> bool:
    """Run ``work`` in a forked process off the terminal, once the caller has answered;
    False where processes cannot be forked."""
    if not hasattr(os, "fork"):
        return False
    if os.fork() == 0:
        try:
            _detach()
            work()
        finally:
            os._exit(0)
    return True


def _detach() -> None:
    """In a background child: off the terminal, its output nowhere (the parent answered)."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)


def default_actor() -> str:
    try:
        return os.environ.get("FOLLOWUP_ACTOR") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return "me"


class PerClientProjection(Protocol):
    def update(self, caseload: Caseload, clients: set[str]) -> None: ...


P = TypeVar("P", bound=PerClientProjection)


@dataclass
class Journal:
    path: Path  # the JSONL file, or a server store's URL (a str: see storage/store.py)
    clock: Clock
    tz: tzinfo
    policy: Policy = field(default_factory=Policy)
    languages: tuple[str, ...] = ()  # a client's messages may be in these (the catalogues the shell found)
    actor: str = field(default_factory=default_actor)
    new_id: Callable[[], str] | None = None
    until: datetime | None = None  # read-only view of the past when set
    sizes: opening.Sizes | None = None  # where the ways of opening change (None: sizes.DEFAULT_SIZES)

    def __post_init__(self) -> None:
        if not is_url(self.path):
            self.path = Path(self.path)
        if self.sizes is None:
            self.sizes = opening.DEFAULT_SIZES
        self.store = open_store(self.path)
        self.caseload = Caseload(until=self.until)
        self.problems: list[Problem] = []
        self.notes: list = []  # what the store did on the user's behalf (TornTailSetAside, ...)
        self.snapshot_count = 0  # events covered by the snapshot we started from (or wrote)
        self.rules_stale = False  # the snapshot started from kept items of other rules (worked out again)
        self._board: DueBoard | None = None
        self.kept: list[PerClientProjection] = []  # kept in step with the log (see keep)
        self.folded: set[str] = set()  # the clients changed by every fold since the caller last emptied it
        # The file read: a snapshot is only ever written for it (not for a log that a
        # `forget` or `repair` has since rewritten: its facts could hold an erased name).
        self.identity = file_identity(self.path)
        self.rules = rules_fingerprint(self.policy, self.tz)
        self.spare: object = None
        self.opened = False
        self.io_lock = threading.Lock()  # the store's reading position is shared with a reader thread
        self.pending: list[Batch] = []  # read by read_news, not folded yet
        self._remote_lists: snapshot.RemoteLists | None = None  # a server snapshot's lists, not read yet

    @classmethod
    def open(cls, path: str | os.PathLike[str], clock: Clock | None = None,
             tz: tzinfo | None = None, as_of: date | None = None, use_snapshot: bool = True,
             write_snapshot: bool = True, on_long_read: Callable[[int], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None, **kw: Any) -> "Journal":
        """Read the log (starting from its snapshot when one matches) and project it.

        A view of the past (``as_of``) starts from the snapshot only when every event the
        snapshot holds happened by then (its ``latest``), else it replays the log from the start
        (``_matching_snapshot``).
        ``on_long_read(size)`` is told, before it starts, that a big log is read from its
        first line (no snapshot matched): seconds, not the usual instant.
        """
        tz = tz or local_timezone()
        clock = clock or SystemClock(tz)
        until = end_of_day(as_of, tz) if as_of is not None else None
        journal = cls(path if is_url(path) else Path(path), clock, tz, until=until, **kw)
        if use_snapshot and not journal._load_snapshot():
            journal._fold_cold(on_long_read, on_progress)
        journal.refresh()
        if journal.store.bound:
            journal.actor = journal.store.role  # a granted role records as itself (the database holds it to that)
        journal.opened = True
        if use_snapshot and write_snapshot and until is None:
            journal.save_snapshot_if_stale()
        return journal

    # -- snapshots (a cache beside the log; see storage/snapshot.py) --------------------------

    @property
    def snapshot_path(self) -> Path:
        return self.path.with_name(self.path.name + ".snapshot")

    def _matching_snapshot(self):
        """The snapshot beside the log and its lists, when it is this log's and this code's."""
        if SNAPSHOT_IN_STORE in self.store.capabilities:
            return self._matching_server_snapshot()
        if SNAPSHOT not in self.store.capabilities:
            return None  # no snapshot cache: it is read from its first row
        try:
            with open(self.snapshot_path, "rb") as f:
                # Mapped, not read: a client's lists are only touched when decoded.
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            size = self.path.stat().st_size
        except (OSError, ValueError):  # ValueError: an empty file
            return None
        loaded = snapshot.load(data)
        if loaded is None:
            return None
        snap, lists = loaded
        if snap.code != code_fingerprint() or size < snap.offset:
            return None  # written by other code, or for a longer log: rebuild it
        if self.until is not None and snap.latest is not None and snap.latest > self.until:
            return None  # a view of a past day before some of its facts: replay the log
        if self.store.tail_hash(snap.offset, snapshot.HASHED_BYTES) != snap.tail_hash:
            return None  # the log is not the one the snapshot was taken of: replay it
        return snap, lists

    def _matching_server_snapshot(self):
        """This database role's snapshot in the store (``followup_snapshot``), when it is this
        code's, reaches a row that still hashes as it did, and holds exactly the clients this
        session sees there (a counselor's: still theirs, none handed to them behind it). Its
        header alone is read; the clients' lists stay in the database until asked for
        (``snapshot.RemoteLists``), each part checked as it is read."""
        code = code_fingerprint()
        found = self.store.load_snapshot(code)  # type: ignore[attr-defined]
        if found is None:
            return None
        position, last, header, digest, lists_size = found
        snap = snapshot.load_header(header)
        if snap is None or snap.lists_bytes != lists_size:
            return None
        if snap.code != code or snap.offset != position or snap.tail_hash != last:
            return None
        if self.until is not None and snap.latest is not None and snap.latest > self.until:
            return None
        if not self.store.covers({c.id for c in snap.clients}, position):  # type: ignore[attr-defined]
            return None
        store = self.store
        retracted_then = {r.target for r in snap.retracted}

        def rebuild(client: str) -> dict[str, list]:  # a part not to be trusted: from the client's rows
            return snapshot.rebuilt_lists(client, store.events_of(client, to=position), retracted_then)  # type: ignore[call-arg]

        self._remote_lists = snapshot.RemoteLists(
            lambda at, size: store.snapshot_lists(digest, at, size), lists_size, rebuild)  # type: ignore[attr-defined]
        return snap, self._remote_lists
    def snapshot_matches(self) -> bool:
        """Whether opening would start from the snapshot (not read the log from its first line)."""
        return self._matching_snapshot() is not None

    def _load_snapshot(self) -> bool:
        found = self._matching_snapshot()
        if found is None:
            return False
        snap, lists = found
        self.caseload = snapshot.to_caseload(snap, lists, source=self.store)
        self.caseload.until = self.until
        if SNAPSHOT_IN_STORE in self.store.capabilities:
            self.store.resume(snap.offset, snap.lines, snap.tail_hash)  # type: ignore[call-arg]
            self._folded_to(position=snap.offset)
        else:
            self.store.resume(snap.offset, snap.lines)
        self.problems = list(snap.problems)
        self.snapshot_count = snap.count
        board = DueBoard(self.policy, self.tz)
        if snapshot.board_of(snap, self.rules, board):
            self._board = board  # the open items as computed then: no client's are recomputed
        else:
            self.rules_stale = True  # other rules (a setting, an upgrade): every start would work them out again
        return True

    def _fold_cold(self, on_long_read: Callable[[int], None] | None = None,
                   on_progress: Callable[[int, int], None] | None = None) -> None:
        """A big log with no snapshot to start from: fold it into facts quickly (both cores,
        events not kept: they are read back per client, as after a snapshot)."""
        if FOLD_PAGES in self.store.capabilities:
            self._fold_server(on_progress)
            return
        if COLD_START not in self.store.capabilities:
            return
        try:
            size = self.path.stat().st_size
        except OSError:
            return
        if size < self.sizes.facts_only_min_bytes:
            return
        if on_long_read is not None:
            on_long_read(size)
        with collector_off():
            folded = cold_start.fold_log(self.store, until=self.until, parallel_min_bytes=self.sizes.parallel_min_bytes,
                                         progress=on_progress)
            # A million references in lists that live as long as the journal: straight to the
            # collector's oldest generation (moved there by freeze and unfreeze, not walked),
            # or its next young collections walk them all while the user waits (0.08 s at
            # 1M events). A full collection still sees them, as any long-lived object.
            if gc.get_freeze_count() == 0:  # (nothing frozen by anyone else, to be let go)
                gc.freeze()
                gc.unfreeze()
        if folded is None:
            return  # retractions the quick way cannot decide ahead: the ordinary read follows
        self.caseload = folded.caseload
        self.spare = folded.spare  # let go of by the next refresh: not while the user waits
        self.caseload.until = self.until
        self.store.resume(folded.offset, folded.lines)
        self.problems = folded.problems

    def _fold_server(self, on_progress: Callable[[int, int], None] | None = None) -> None:
        """A big server store with no snapshot to start from: its rows folded into facts page by
        page from one consistent moment, the events not kept (read back per client, as after a
        snapshot): memory grows with the clients, not with the events. The retractions are
        decided ahead, as the file's cold start decides them."""
        store = self.store
        if store.offset:
            return
        end = store.visible_end()  # type: ignore[attr-defined]
        if end < self.sizes.server_facts_only_min_rows:
            return
        caseload = Caseload(source=store, until=self.until)
        problems: list[Problem] = []
        decided: list = []

        def start(retractions: list[AnyEvent]) -> None:
            decided.append(decide_retractions(r for r in retractions if type(r) is EventRetracted))
            caseload.retracted = dict(decided[0].standing)

        share = [1.0]  # of the rows this process folds (the first half's, in two: the worker keeps pace)

        def take(batch: Batch) -> None:
            problems.extend(batch.problems)
            caseload.fold_facts(batch.events, set(), decided[0])  # (ids are unique in the table)
            if on_progress is not None and batch.lines:
                on_progress(min(int(batch.lines[-1] / share[0]), end), end)

        def rest(pages) -> bytes:  # in the worker of a read in two: the rows after the middle
            part = Caseload(until=self.until)
            part.retracted = dict(decided[0].standing)
            found: list[Problem] = []
            for batch in pages:
                found.extend(batch.problems)
                part.fold_facts(batch.events, set(), decided[0])
            if part.undecided:
                raise cold_start.NotSure()
            return snapshot.dump(part, 0, 0, "", found, with_retractions=False)

        with collector_off():
            if end >= self.sizes.server_parallel_min_rows and hasattr(os, "fork"):
                try:
                    share[0] = cold_start.SHARE
                    payload = store.fold_read_in_two(start, take, rest,  # type: ignore[attr-defined]
                                                     middle=int(end * cold_start.SHARE))
                    loaded = snapshot.load(payload)
                    if loaded is None or caseload.undecided:
                        raise cold_start.NotSure()
                    half, lists = loaded
                    second = snapshot.to_caseload(half, lists, source=store)
                    second.until = self.until
                    second.retracted = dict(decided[0].standing)
                    caseload = merge_caseloads(caseload, second)
                    problems.extend(half.problems)  # (numbered by their positions already)
                    if on_progress is not None:
                        on_progress(end, end)
                except cold_start.NotSure:  # the worker failed: read in this process
                    share[0] = 1.0
                    store.resume(0, 0, GENESIS)  # type: ignore[call-arg]
                    caseload = Caseload(source=store, until=self.until)
                    problems.clear()
                    decided.clear()
            if not decided:
                store.fold_read(start, take)  # type: ignore[attr-defined]
            if gc.get_freeze_count() == 0:  # (as _fold_cold: straight to the oldest generation)
                gc.freeze()
                gc.unfreeze()
        if caseload.undecided:  # (cannot happen in one consistent read: be sure) the ordinary read
            store.resume(0, 0, GENESIS)  # type: ignore[call-arg]
            return
        self.caseload = caseload
        self.problems = problems
        self._folded_to(position=store.offset)

    def save_snapshot_if_stale(self, background: bool = False) -> bool:
        """Write a snapshot when the log is big enough to need one and the last is old, or was
        of other rules (its open items worked out again at every start until it is written)."""
        if self.caseload.count < self.sizes.snapshot_min_events:
            return False
        if self.caseload.count - self.snapshot_count < self.sizes.snapshot_stale_events and not self.rules_stale:
            return False
        written = self.save_snapshot(background)
        self.rules_stale = self.rules_stale and not written
        return written

    def save_snapshot(self, background: bool = False) -> bool:
        """Write the snapshot of what was read, under the log's lock and only if the log is
        still the file that was read. ``background``: in a forked process, so that a command
        that already answered need not wait for it (the CLI, just before it exits)."""
        if SNAPSHOT_IN_STORE in self.store.capabilities:
            return self._save_server_snapshot(background)
        if SNAPSHOT not in self.store.capabilities:
            return False
        if self.identity is None and self.store.offset == 0:
            self.identity = file_identity(self.path)  # nothing read yet: nothing to leak either
        if self.identity is None or self.until is not None:
            return False
        if background and in_background(self._write_snapshot):
            self.snapshot_count = self.caseload.count
            return True
        return self._write_snapshot()

    def _save_server_snapshot(self, background: bool) -> bool:
        """This role's snapshot in the store, of what was read (a counselor's: what they see).
        ``background``: encoded and written by a forked process on a connection of its own."""
        position, last = self.store.offset, self.store.last_hash  # type: ignore[attr-defined]
        if self.until is not None or not position:
            return False

        def write(store) -> bool:
            code = code_fingerprint()
            header, lists = snapshot.dump_parts(self.caseload, position, self.store.line_count, last, self.problems,
                                                code, self.board, self.rules, checks=True)
            return store.save_snapshot(position, last, code, header, lists, clients=tuple(self.caseload.clients))

        if self._remote_lists is not None:  # the lists not read yet, read here (never by a forked
            self._remote_lists.read_all()  # process on this one's connection)
            if self._remote_lists.gone:
                return False  # saved again by another process since: that one stands
        if background and in_background(lambda: write(open_store(self.path))):
            self.snapshot_count = self.caseload.count
            return True
        if not write(self.store):
            return False
        self.snapshot_count = self.caseload.count
        return True

    def _write_snapshot(self) -> bool:
        offset = self.store.offset
        with self.store.locked_as(self.identity) as same_file:  # type: ignore[arg-type]
            if not same_file:
                return False
            payload = snapshot.dump(self.caseload, offset, self.store.line_count,
                                    self.store.tail_hash(offset, snapshot.HASHED_BYTES), self.problems,
                                    code_fingerprint(), self.board, self.rules)
            try:  # atomic, not fsynced: a snapshot cut short by a power cut fails to load and is rebuilt
                write_private(self.snapshot_path, payload, atomic=True, durable=False)
            except OSError:
                return False  # a cache: failing to write it costs speed, never data
        self.snapshot_count = self.caseload.count
        return True

    def take(self, batch: Batch) -> set[str]:
        """Fold a batch read from the log (under its lock, by whoever holds it: ``forget`` too).

        A batch read from a log replaced since the last look (``forget`` or ``repair``
        rewrote it) is the new log from its first line: the caseload is rebuilt from it
        alone, so nothing erased is kept in memory, and every client is said to change."""
        if batch.replaced:
            return self._reload(batch)
        self.problems.extend(batch.problems)
        self.notes.extend(batch.notes)
        if not batch.events:
            return set()
        self._folded_to(batch)
        changed = self.caseload.apply_all(batch.events)
        self._changed(changed)
        return changed

    def _folded_to(self, batch: Batch | None = None, position: int | None = None) -> None:
        """On a server store: a client's events read back reach as far as what is folded (this
        batch's end), not as far as the store has read ahead (the file's reader is read to
        where it was folded: its reads stop there)."""
        if SNAPSHOT_IN_STORE not in self.store.capabilities and FOLD_PAGES not in self.store.capabilities:
            return
        if batch is not None:
            ends = [batch.lines[-1]] if len(batch.lines) else []
            ends += [p.line for p in batch.problems[-1:]]
            position = max(ends, default=None)
        if position is not None:
            self.store.folded_to = position  # type: ignore[attr-defined]

    def _reload(self, batch: Batch) -> set[str]:
        before = set(self.caseload.clients)
        self.caseload = Caseload(until=self.until)
        self.problems = list(batch.problems)
        self.notes.extend(batch.notes)
        self.snapshot_count = 0
        self.spare = None
        self._remote_lists = None
        if SNAPSHOT in self.store.capabilities:
            self.identity = self.store.identity  # the file now read: a snapshot of it holds nothing erased
        self._folded_to(batch)
        changed = before | self.caseload.apply_all(batch.events)
        self._changed(changed)
        return changed

    def keep(self, projection: P) -> P:
        """Keep a per-client projection (``update(caseload, clients)``) in step with the log,
        as the due board is: told which clients every batch of events changed."""
        self.kept.append(projection)
        return projection

    def _changed(self, clients: set[str]) -> None:
        self.folded |= clients
        if self._board is not None:
            self._board.update(self.caseload, clients)
        for projection in self.kept:
            projection.update(self.caseload, clients)

    @property
    def board_ready(self) -> bool:
        """The open items are at hand without working them out: they came with the snapshot,
        or were worked out already."""
        return self._board is not None

    @property
    def board(self) -> DueBoard:
        """Every client's open items, kept in step with the log incrementally."""
        if self._board is None:
            self._board = DueBoard(self.policy, self.tz)
            self._board.rebuild(self.caseload)
        return self._board

    def refresh(self) -> set[str]:
        """Fold in what was appended since the last look; returns the changed client ids."""
        self.read_news()
        return self.apply_news()

    def read_news(self) -> None:
        """Read and decode what was appended since the last look, set aside for
        :meth:`apply_news` (safe from a worker thread: the app reads off its event loop)."""
        with self.io_lock:
            if self.identity is None and self.store.offset == 0 and SNAPSHOT in self.store.capabilities:
                self.identity = file_identity(self.path)  # the log was created since we looked
            self.pending.extend(self.store.read_batches())

    def apply_news(self) -> set[str]:
        """Fold in what :meth:`read_news` set aside (on the thread that owns the caseload)."""
        if self.opened:
            self.spare = None
            cold_start.reap_workers()
        with self.io_lock:
            batches, self.pending = self.pending, []
        changed: set[str] = set()
        with collector_off():
            for batch in batches:
                changed |= self.take(batch)
        return changed

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def context(self, now: datetime) -> Context:
        kw: dict[str, Any] = dict(
            caseload=self.caseload, now=now, tz=self.tz, actor=self.actor, policy=self.policy,
            languages=self.languages,
        )
        kw["new_id"] = self.new_id or new_event_id
        return Context(**kw)

    def record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> AnyEvent:
        """Run a command against the latest state and append its event.

        Raises ``CommandError`` (nothing written) when the command is refused.
        """
        if self.until is not None:
            raise PermissionError("this is a view of the past: nothing can be recorded in it")
        now = self.clock.now()
        made: list[AnyEvent] = []

        def decide(batch: Batch) -> list[AnyEvent]:  # again, if another writer came first
            self.take(batch)
            made[:] = [typed(command(self.context(now), *args, **kwargs))]  # no control characters
            return made

        self.apply_news()  # what a reader thread read and set aside: the state is the latest
        handed_before = frozenset(getattr(self.store, "handed_away", ()))
        try:
            with self.io_lock:
                _, written = self.store.transact(decide, take=self.take)
        except CommandError as exc:
            handed = frozenset(getattr(self.store, "handed_away", ()))
            # not unknown: no longer theirs (a client named, or an event of the client this very
            # record's read found handed away: an undo, a booking cancelled, a promise kept)
            if (exc.key == "unknown_client" and exc.params.get("ref") in handed
                    or exc.key == "no_event" and not handed_before >= handed):
                raise StoreError("handed_away", path=self.store.path, role=self.actor) from None
            raise
        event = written[0]
        self._folded_to(position=self.store.offset)  # (read under the lock: folded by decide)
        facts = self.caseload.apply(event)
        if facts is not None:
            self._changed({facts.id})
        return event

    def append_events(self, events: list[AnyEvent]) -> list[AnyEvent]:
        """Append events that already have their ids (an import, or a retry after a lost
        acknowledgement): an id already in the log with the same content is skipped, the
        same id with other content is refused (``CommandError``), nothing written."""
        from ..core.commands import CommandError

        fresh: list[AnyEvent] = []

        def decide(batch: Batch) -> list[AnyEvent]:
            self.take(batch)
            fresh.clear()
            seen: dict[str, AnyEvent] = {}
            for event in events:
                existing = seen.get(event.id) or self.caseload.event(event.id)
                if existing is not None:
                    if not same_event(existing, event):
                        raise CommandError("id_conflict", event=event.id)
                    continue
                seen[event.id] = event
                fresh.append(event)
            return fresh

        self.apply_news()
        with self.io_lock:
            _, written = self.store.transact(decide, take=self.take)
        self._folded_to(position=self.store.offset)
        changed = self.caseload.apply_all(list(written))
        self._changed(changed)
        return list(written)

    def client(self, client_id: str) -> ClientFacts | None:
        return self.caseload.get(client_id)
