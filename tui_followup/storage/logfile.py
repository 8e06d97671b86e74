"""The log store: an append-only JSON Lines file, the only source of truth.

* Appends go through :meth:`LogStore.append` alone: each line is encoded, written whole
  with the newline in one ``write``, flushed and fsynced, under an exclusive ``flock``.
  A new file is created owner-only (0600) and its directory is fsynced.
* Reading never crashes on a bad line: :meth:`LogStore.read_new` returns the events and a
  :class:`Problem` for every line it could not read, and carries on after it.
* A reader keeps its byte offset, so a second window or the CLI appending to the log is
  picked up by reading only the new bytes (no replay).
* A fragment without a newline at the end of the file is a write in progress (or a torn
  one, if its writer died): readers leave it for later; an appender, holding the lock,
  knows its writer is gone and starts its own line on a fresh line.
* ``forget`` and ``repair`` replace or cut the file under the lock. A writer given the lock
  checks that it holds the file now at the path (else it opens it again), and every read
  checks that the file is still the one it read up to ``offset`` (same inode, at least as
  long, the same last line there): if not, the read starts again from the first line and
  says so (``Batch.replaced``), so that nothing is appended from a stale position and no
  erased name is kept from the old file.
* The head beside the log never moves backwards silently: an append to a log that no
  longer reaches its head (events missing at the end, or the last one changed) is refused
  (``followup repair`` explains the choice).
"""

from __future__ import annotations

import errno
import fcntl
import mmap
import os
import secrets
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Iterator, Sequence

import msgspec

from ..core.chain import GENESIS, Head, chained, link_hash
from ..core.codec import Problem, decode_lines, problem
from ..core.events import AnyEvent, Event

STORE_PROBLEMS = {
    "cannot_read": "{path}: cannot read: {detail}",
    "cannot_open": "{path}: cannot open for writing: {detail}",
    "disk_full": "{path}: disk full, nothing was recorded",
    "cannot_write": "{path}: cannot write ({detail}), nothing was recorded",
    "no_log": "{path}: no such log",
    "server": "{path}: the database said: {detail}",
    "no_schema": "{path}: no event table yet: run `followup store init`",
    "no_driver": "{path}: the PostgreSQL driver is not installed (pip install 'tui-followup[postgres]')",
    "schema_newer": "{path}: schema version {version} is newer than this program knows ({known})",
    "store_encoding": "{path}: the database's encoding is {encoding}, which cannot hold every language a client is written in (Korean in EUC_JP, say): create the database with ENCODING 'UTF8'",
    "file_only": "{path}: `followup {command}` works on a JSONL log only (copy the store to a file with `followup store copy`)",
    "behind_head": "{path}: the log ends at event {lines} but its head says {head}: acknowledged events are missing at the end; nothing was recorded (`followup check` shows it, `followup repair` says what to do)",
    "no_head": "{path}: the log has {lines} events but no head beside it (deleted?): a cut at its end cannot be seen; nothing was recorded (`followup repair` writes the head from the log as it is)",
    "no_head_server": "{path}: the event table has {lines} events but its head row is missing (deleted?): a cut at its end cannot be seen; nothing was recorded (`followup store init` writes the head from the rows as they are)",
    "head_behind_broken": "{path}: the table goes on past its head (event {head}) but event {line} does not follow event {previous}: the head was not moved (`followup check` shows where; put the table back from a backup)",
    "dest_link": "{path} is a symbolic link: a copy is never written through one (name the file itself)",
    "head_not_reached": "{path}: event {line} no longer matches the head kept beside the log (the last acknowledged event was changed); nothing was recorded (`followup check` shows it, `followup repair` says what to do)",
    "lock_held": "{path}: another writer has held the event table for more than {seconds} s: {who} (server process {pid}, since {since}); nothing was recorded (an administrator can end it: SELECT pg_terminate_backend({pid}))",
    "forget_unknown": "{path}: row {row} of this client is of an event type this program does not know; nothing was erased (a newer version of followup can erase it)",
    "forget_newer": "{path}: row {row} of this client was written by a newer version of followup (schema version {version}), whose fields this one cannot tell apart; nothing was erased (a newer version of followup can erase it)",
    "copy_not_owner": "{path}: {n} of the events to copy were recorded by others than {role} (the first: {type} {event} by {actor}), and the database takes from {role} only rows it records itself: only the tables' owner copies a store; nothing was changed",
    "backup_exists": "{path}: already exists (or is a link): a backup is written to a new file only; nothing was written",
    "backup_head_exists": "{path}: already exists (or is a link): the backup's head would replace it; nothing was written (name a new file)",
    "backup_unverified": "{path}: the copy read back does not match the store at line {line}; it was removed (run `followup check`)",
    "restore_unverified": "{path}: the backup's hash chain breaks at line {line}; nothing was restored",
    "assign_not_granted": "{path}: {to} is not granted to this store: a client handed to them would be seen by no one; granted: {roles}; nothing was recorded",
    "grant_not_owner": "{path}: {role} may not grant or revoke roles: only the store's owner can (the role that owns its tables, with CREATEROLE to create a role); nothing was changed",
    "backup_empty": "{path}: the log is empty: nothing to back up; nothing was written",
    "restore_no_head": "{path}: the backup has no head beside it ({head}): nothing shows it is whole; nothing was restored (take a new backup with followup backup)",
    "restore_cut": "{path}: the backup is cut short ({lines} of the {head} lines its head names are whole); nothing was restored",
    "erasures_partial": "{path}: {role} sees only the clients assigned to it, so not every erasure: --erasures-from needs a supervisor's connection; nothing was restored",
    "restore_not_empty": "{path}: already holds events: restore goes into an empty store only; nothing was restored",
    "assign_not_granted_to_you": "{path}: {to} is not granted to this store: a client handed to them would be seen by no one (the store's owner or a supervisor knows who is); nothing was recorded",
    "revoke_assigned": "{path}: {role} still holds {count} client(s) (such as {client}); revoking would leave them visible to no counselor: hand them over with --reassign-to NAME (a granted role); nothing was changed",
    "reassign_not_granted": "{path}: --reassign-to {to}: not a role granted to this store other than {role}; granted: {roles}; nothing was changed",
    "dest_not_log": "{path} is not an event log (a folder, or a file whose first line is no event): store copy adds only to a log or writes a new file; nothing was written",
    "no_grant": "{path}: the database role {role} may not use this store (no grant, or it was revoked); nothing was read or written (only the store's owner grants a role: followup store grant {role} --role counselor)",
    "not_yours": "{path}: the database refused the event: that client is not assigned to {role} (need-to-know); nothing was recorded",
    "handed_away": "{path}: that client is not assigned to {role} any more (handed over to a colleague meanwhile); nothing was recorded",
    "client_taken": "{path}: client id {client} cannot be used: choose another id; nothing was recorded",
    "forget_not_supervisor": "{path}: only a supervisor may forget a client ({role} is not one); nothing was erased",
    "backup_partial": "{path}: {role} sees only the clients assigned to it: a backup needs a supervisor or the tables' owner; nothing was written",
    "lock_wait": "{path}: the event table stayed locked for more than {seconds} s; nothing was recorded, try again",
}


class StoreError(Exception):
    """The log could not be read or written; the message names the file."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(STORE_PROBLEMS[key].format(**params))

    def said_in(self, words) -> str:
        """The problem in the words' language (``Words.error_text`` asks: i18n imports no storage)."""
        return words.t(f"store.{self.key}", **self.params)


@dataclass(frozen=True)
class TornTailSetAside:
    """The store moved an unfinished last line (a cut-off write) to a side file."""

    size: int
    side_file: Path

    def __str__(self) -> str:
        return f"an unfinished last line ({self.size} bytes) was moved to {self.side_file}"


@dataclass
class Batch:
    """What one read found: events (with their line numbers) and unreadable lines."""

    events: list[AnyEvent] = field(default_factory=list)
    lines: Sequence[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[TornTailSetAside] = field(default_factory=list)  # what the store did that the user should hear
    replaced: bool = False  # the log was replaced (forget, repair): these events are the whole new log

    def extend(self, other: "Batch") -> None:
        self.replaced = self.replaced or other.replaced
        if not self.events:
            self.lines = other.lines
        else:
            if not isinstance(self.lines, list):
                self.lines = list(self.lines)
            self.lines.extend(other.lines)  # in place: a whole log is thousands of batches
        self.events.extend(other.events)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)


# Bytes read and decoded at a time. Small enough that a chunk and the events decoded from
# it stay in the CPU's cache while they are folded: measured at 1M events, 128 KiB reads and
# folds the log in 1.9 s where 4 MiB take 2.9 s and 32 MiB 3.2 s.
READ_CHUNK = 128 * 1024


def whole_lines(f, limit: int | None = None, chunk: int = READ_CHUNK) -> Generator[bytes, None, bytes]:
    """Read ``f`` from where it stands (up to ``limit`` bytes) in runs of complete lines;
    returns what follows the last newline (an unfinished line, or b"")."""
    carry = b""
    remaining = limit
    while remaining is None or remaining > 0:
        data = f.read(chunk if remaining is None else min(chunk, remaining))
        if not data:
            break
        if remaining is not None:
            remaining -= len(data)
        end = data.rfind(b"\n") + 1
        if not end:  # a line longer than a chunk: gather it
            carry = carry + data if carry else data
            continue
        if carry:
            yield carry + data[:end]
        else:
            yield data[:end]
        carry = data[end:]
    return carry


class LogStore:
    """The JSONL file: an ``EventStore`` (storage/store.py), with a snapshot beside it, the
    two-core cold start, a lock file, and ``repair``; ``forget`` rewrites it under its lock."""

    capabilities = frozenset({"snapshot", "cold_start", "lock_file", "repair"})  # store.py's names
    partial = False  # whoever reads the file reads all of it
    bound = False  # no database rules hold a writer to an actor
    role = ""  # no database role: the actor is $FOLLOWUP_ACTOR (or the login)

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.offset = 0  # bytes consumed so far (always at a line boundary)
        self.line_count = 0  # lines consumed so far
        self.pending_tail = b""  # bytes after the last newline at the last read
        self.identity: tuple[int, int] | None = None  # the file read up to ``offset`` (device, inode)
        self.last_hash = GENESIS  # line_hash of the line that ends at ``offset``

    # -- reading ------------------------------------------------------------------------

    def read_new(self) -> Batch:
        """Events appended since the last read (all of them, the first time)."""
        batch = Batch()
        for part in self.read_batches():
            batch.extend(part)
        return batch

    def read_batches(self, chunk: int = READ_CHUNK) -> Iterator[Batch]:
        """Events appended since the last read, a chunk of the file at a time."""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None
        with f:
            replaced = False
            try:
                if not self._still_the_file_read(f):
                    self.offset, self.line_count, self.pending_tail, self.last_hash = 0, 0, b"", GENESIS
                    replaced = True
            except OSError as exc:
                raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None
            f.seek(self.offset)
            lines = whole_lines(f, chunk=chunk)
            try:
                while True:
                    batch = self._consume(next(lines))
                    batch.replaced, replaced = replaced, False
                    yield batch
            except StopIteration as end:
                self.pending_tail = end.value
                if replaced:  # an empty new log: its readers still have to hear of it
                    yield Batch(replaced=True)
            except OSError as exc:
                raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None

    def _still_the_file_read(self, f) -> bool:
        """Whether the open file ``f`` is the one read up to ``offset``: the same inode, at
        least as long, and the same line ending at ``offset`` (a rewrite by ``forget``, a cut
        or an edit in place changes one of them). Remembers the file's identity."""
        st = os.fstat(f.fileno())
        identity, self.identity = self.identity, (st.st_dev, st.st_ino)
        if self.offset == 0:
            return True  # nothing read yet (an unfinished first line is read again anyway)
        if identity is not None and identity != self.identity:
            return False
        return st.st_size >= self.offset and _hash_of_line_before(f, self.offset) == self.last_hash

    def resume(self, offset: int, lines: int) -> None:
        """Go on reading from ``offset`` (``lines`` lines), read by other means (a snapshot,
        the cold start) from the file now at the path."""
        self.offset, self.line_count, self.pending_tail = offset, lines, b""
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                self.identity = (st.st_dev, st.st_ino)
                self.last_hash = _hash_of_line_before(f, offset) if offset else GENESIS
        except OSError:
            self.identity, self.last_hash = None, GENESIS

    def _consume(self, whole: bytes) -> Batch:
        """Decode complete lines and move past them."""
        events, problems, lines = decode_lines(whole, self.line_count + 1)
        self.offset += len(whole)
        self.line_count += whole.count(b"\n")
        cut = whole.rfind(b"\n", 0, len(whole) - 1)
        self.last_hash = link_hash(whole[cut + 1 : -1])
        return Batch(events, lines, problems)

    def scan(self, key: str, value: str, limit: int | None = None) -> list[AnyEvent]:
        """The events (in log order, up to byte ``limit``) whose ``key`` is ``value``, found
        by searching the raw bytes and decoding only the matching lines."""
        needle = b'"' + key.encode() + b'":' + msgspec.json.encode(value)
        events, _, _ = decode_lines(self.lines_containing(needle, limit))
        return events

    def lines_containing(self, needle: bytes, limit: int | None = None, start: int = 0) -> bytes:
        """Every whole line (from byte ``start``, a line boundary, up to byte ``limit``,
        default: what was read) that contains ``needle``, in log order: the file is searched
        in place (memory-mapped), not read."""
        end = self.offset if limit is None else limit
        try:
            with open(self.path, "rb") as f:
                end = min(end, os.fstat(f.fileno()).st_size)
                if end <= start:
                    return b""
                try:
                    data = mmap.mmap(f.fileno(), end, access=mmap.ACCESS_READ)
                except (OSError, ValueError):  # a file system that cannot map files: read it
                    f.seek(0)
                    return _lines_containing(f.read(end), needle, start, end)
                with data:
                    return _lines_containing(data, needle, start, end)
        except OSError as exc:
            raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None

    def events_of(self, client_id: str) -> list[AnyEvent]:
        """A client's events in log order; a line repeated later counts once (as in the fold)."""
        events = self.scan("client", client_id)
        ids = {e.id for e in events}
        if len(ids) == len(events):
            return events
        once: dict[str, AnyEvent] = {}
        for event in events:
            once.setdefault(event.id, event)
        return list(once.values())

    def find(self, event_id: str) -> AnyEvent | None:
        matches = self.scan("id", event_id)
        return matches[0] if matches else None

    def find_by_ref(self, ref: str) -> list[AnyEvent]:
        """The events whose id starts or ends with ``ref`` (a shortened id a person typed)."""
        quoted = msgspec.json.encode(ref)[1:-1]  # as it is written inside the id's quotes
        lines = self.lines_containing(b'"id":"' + quoted) + self.lines_containing(quoted + b'","at":')
        events, _, _ = decode_lines(lines)
        return [e for e in events if e.id.startswith(ref) or e.id.endswith(ref)]

    def ids(self) -> list[str]:
        """Every event id of the file, read afresh (a line repeated, twice)."""
        return [e.id for batch in LogStore(self.path).read_batches() for e in batch.events]

    def order_problems(self) -> list[Problem]:
        return []  # a file has no positions or stream versions apart from its lines

    def dump(self, write: Callable[[bytes], None]) -> Head | None:
        """Every line as written (``write(bytes)``, newline-ended), under the lock, from a file
        that reaches its head; the head they reach."""
        if not self.path.exists():
            raise StoreError("no_log", path=self.path)
        with self.locked():
            self.read_new()
            self.check_head()
            with open(self.path, "rb") as f:
                for run in whole_lines(f):
                    write(run)
            return Head(self.line_count, self.offset, self.last_hash)

    def restore_lines(self, lines: Sequence[bytes]) -> None:
        """A backup's lines into this file, which must be empty and have no head, durably."""
        payload = b"".join(line + b"\n" for line in lines)
        with self.locked() as fd:
            if os.fstat(fd).st_size or self.read_head() is not None:
                raise StoreError("restore_not_empty", path=self.path)
            write_all(fd, payload, durable=True)
            self.read_new()
            self.write_head(durable=True)

    def tail_hash(self, offset: int, size: int) -> str:
        """sha256 of the ``size`` bytes before ``offset`` (a snapshot's key to the log)."""
        import hashlib

        start = max(0, offset - size)
        try:
            with open(self.path, "rb") as f:
                f.seek(start)
                data = f.read(offset - start)
        except OSError:
            return ""
        if len(data) != offset - start:
            return ""
        return hashlib.sha256(data).hexdigest()

    def tail_problem(self) -> Problem | None:
        """The unfinished last line, if the file ends without a newline."""
        if self.pending_tail:
            return problem(self.line_count + 1, "torn", size=len(self.pending_tail))
        return None

    # -- writing ------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[int]:
        """Hold the exclusive append lock; yields the file descriptor opened for append.

        The file is opened, then the lock waited for: a ``forget`` holding it meanwhile puts
        another file at the path. So, once locked, the file held must still be the one at the
        path; if not, it is opened again (and the wait begins again)."""
        while True:
            created = not self.path.exists()
            try:
                if created:
                    make_private_dirs(self.path.parent)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as exc:
                raise StoreError("cannot_open", path=self.path, detail=exc.strerror) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                held = os.fstat(fd)
            except BaseException:
                os.close(fd)
                raise
            if (held.st_dev, held.st_ino) == file_identity(self.path):
                break
            os.close(fd)  # replaced while we waited: the lock of a file no longer the log
        try:
            if created:
                fsync_dir(self.path.parent)
            yield fd
        finally:
            os.close(fd)  # closing releases the lock

    @contextmanager
    def locked_as(self, identity: tuple[int, int]) -> Iterator[bool]:
        """Hold the exclusive lock of the log if it is still the file ``identity`` names
        (not replaced by a rewrite since); yields whether it is. Never creates the log."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            yield False
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield file_identity(self.path) == identity
        finally:
            os.close(fd)

    def transact(self, decide: Callable[[Batch], Sequence[Event]],
                 take: Callable[[Batch], object] | None = None) -> tuple[Batch, list[Event]]:
        """Under the lock: catch up with the log, let ``decide`` choose the events to append
        (it sees what was new; it may raise to write nothing), and append them durably.
        (``take`` is the server store's: a file is read and written under one lock.)

        Returns the batch read while catching up and the events as written (chained).
        """
        made = _missing_from(self.path)  # what opening the log creates: undone if nothing is written
        with self.locked() as fd:
            try:
                batch = self.read_new()
                self.check_head()  # never append to a log cut short: the new head would hide it
                if self.pending_tail:  # we hold the lock, so the writer of this fragment is gone
                    batch.problems.append(self.tail_problem())  # type: ignore[arg-type]
                    batch.notes.append(self.set_aside_torn_tail(fd))
                events = decide(batch)
                written = self._write(fd, events) if events else []
            except BaseException:
                self._unmake(made, fd)
                raise
            if not written:
                self._unmake(made, fd)
            return batch, written

    def _unmake(self, made: list[Path], fd: int) -> None:
        """A command refused (or writing nothing) leaves nothing behind, not even an empty log:
        the file and the folders opening it created go again (under the lock, still empty)."""
        if not made or os.fstat(fd).st_size:
            return
        try:
            self.path.unlink()
            for folder in made[1:]:
                folder.rmdir()
        except OSError:
            pass

    def append(self, events: Sequence[Event]) -> list[Event]:
        """Append events durably without looking at the log (bulk writers, the demo)."""
        return self.transact(lambda _batch: events)[1]

    def check_head(self) -> None:
        """Raise (``behind_head``, ``head_not_reached``) unless the log, read to its end under
        the lock, still reaches the head kept beside it: as many lines, and the head's last
        line where it was (found by its byte position, else by its line number)."""
        head = self.read_head()
        if head is None and self.line_count and self._last_line_chained():
            raise StoreError("no_head", path=self.path, lines=self.line_count)
        if head is None or head.lines == 0:
            return
        if head.lines > self.line_count:
            raise StoreError("behind_head", path=self.path, lines=self.line_count, head=head.lines)
        if (head.lines, head.bytes) == (self.line_count, self.offset) and head.last == self.last_hash:
            return  # the usual case: the head is where the log ends
        try:
            with open(self.path, "rb") as f:
                if _hash_of_line_before(f, head.bytes) == head.last:
                    return
        except OSError as exc:
            raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None
        for number, line in enumerate(self.raw_lines(), 1):  # lines of other lengths before it: by number
            if number == head.lines:
                if link_hash(line) == head.last:
                    return
                break
        raise StoreError("head_not_reached", path=self.path, line=head.lines)

    def _last_line_chained(self) -> bool:
        """Whether the log's last whole line carries ``prev`` (a log of this program's: it had a
        head, so a missing one was deleted; a log of schema version 1 never had one)."""
        try:
            with open(self.path, "rb") as f:  # the last line that is not blank (a blank one added at
                offset = self.offset           # the end once hid a deleted head)
                while offset > 0:
                    line = _line_before(f, offset)
                    if line is None:
                        return False
                    if line.strip():
                        return b'"prev":"' in line
                    offset -= len(line) + 1
        except OSError as exc:
            raise StoreError("cannot_read", path=self.path, detail=exc.strerror) from None
        return False

    def write_head(self, durable: bool = False) -> None:
        """The head: where the log ends now (call with the lock held)."""
        head = Head(self.line_count, self.offset, self.last_hash)
        write_private(self.head_path, msgspec.json.encode(head), atomic=True, durable=durable)

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def side_path(self, kind: str) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        return self.path.with_name(f"{self.path.name}.{kind}-{stamp}-{os.getpid()}")

    def set_aside_torn_tail(self, fd: int) -> TornTailSetAside:
        """Move the unfinished last line to a side file next to the log (nothing is deleted)
        and cut the log back to its last whole line. Call with the lock held."""
        fragment = self.pending_tail
        side = write_new_private(self.side_path("torn"), fragment)
        os.ftruncate(fd, self.offset)
        os.fsync(fd)
        self.pending_tail = b""
        return TornTailSetAside(len(fragment), side)

    def last_line_hash(self) -> str:
        """The chain hash of the last whole line before ``offset`` (GENESIS for an empty log)."""
        if self.offset == 0:
            return GENESIS
        with open(self.path, "rb") as f:
            return _hash_of_line_before(f, self.offset)

    def raw_lines(self) -> Iterator[bytes]:
        """Every whole line of the file from its start, without its newline, read a run at a
        time (what the hash chain covers; nothing when there is no file yet)."""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return
        with f:
            for run in whole_lines(f):
                lines = run.split(b"\n")
                lines.pop()  # after the run's last newline: nothing
                yield from lines

    def read_head(self) -> Head | None:
        try:
            return msgspec.json.decode(self.head_path.read_bytes(), type=Head)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return None

    def _write(self, fd: int, events: Sequence[Event]) -> list[Event]:
        prev = self.last_line_hash()
        payload = bytearray()
        written: list[Event] = []
        for event, line, prev in chained(events, prev):
            payload += line
            payload += b"\n"
            written.append(event)
        start = self.offset
        view = memoryview(bytes(payload))
        try:
            while view:
                count = os.write(fd, view)
                view = view[count:]
            os.fsync(fd)
        except OSError as exc:
            try:  # never leave a fragment for the next line to be glued onto
                os.ftruncate(fd, start)
                os.fsync(fd)
            except OSError:
                pass
            if exc.errno == errno.ENOSPC:
                raise StoreError("disk_full", path=self.path) from None
            raise StoreError("cannot_write", path=self.path, detail=exc.strerror) from None
        self.offset = start + len(payload)
        self.line_count += len(written)
        self.last_hash = prev
        try:  # atomic, not fsynced: a head left behind by a power cut only says less than the log
            self.write_head()
        except OSError:
            pass  # the events are safe; `followup check` will say the head is behind
        return written


def make_private_dirs(folder: Path) -> None:
    """``folder`` and every missing folder above it, each owner-only (0700): ``mkdir -p`` (and
    ``Path.mkdir(parents=True)``) gives the folders above the last one the default 0755."""
    for step in reversed(_missing_from(folder)):
        try:
            step.mkdir(mode=0o700)
        except FileExistsError:
            pass


def _missing_from(path: Path) -> list[Path]:
    """``path`` and its folders that are not there yet, nearest first (empty when it is there)."""
    missing: list[Path] = []
    for step in (path, *path.parents):
        if step.exists():
            break
        missing.append(step)
    return missing


def _hash_of_line_before(f, offset: int) -> str | None:
    """line_hash of the line that ends (with its newline) at byte ``offset`` of the open file
    ``f``; None when no newline is there (GENESIS at offset 0)."""
    if offset == 0:
        return GENESIS
    line = _line_before(f, offset)
    return None if line is None else link_hash(line)


def _line_before(f, offset: int) -> bytes | None:
    """The line (without its newline) that ends at byte ``offset`` of the open file ``f``; None
    when no newline is there, or at offset 0."""
    if offset == 0:
        return None
    size = 4096
    while True:
        start = max(0, offset - size)
        f.seek(start)
        data = f.read(offset - start)
        if len(data) != offset - start or not data.endswith(b"\n"):
            return None
        cut = data.rfind(b"\n", 0, len(data) - 1)
        if cut != -1 or start == 0:
            return data[cut + 1 : -1]
        size *= 16


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` (device, inode): a rewrite puts another file there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _lines_containing(data: mmap.mmap | bytes, needle: bytes, start: int, end: int) -> bytes:
    lines = bytearray()
    at = data.find(needle, start, end)
    while at != -1:
        start = data.rfind(b"\n", 0, at) + 1
        stop = data.find(b"\n", at, end)
        if stop == -1:
            break  # an unfinished last line
        lines += data[start : stop + 1]
        at = data.find(needle, stop, end)
    return bytes(lines)


NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
NEW_PRIVATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_LINK  # a new file, never one there or a link's


def create_private(path: Path) -> int:
    """A new file at ``path`` only its owner can read (0600), created exclusively: never a file
    that is already there, never through a link planted at the name (FileExistsError)."""
    return os.open(path, NEW_PRIVATE, 0o600)


def create_private_unique(path: Path) -> tuple[int, Path]:
    """A new owner-only file at ``path``, or at ``path-2``, ``path-3``, … when that name is taken
    (two backups in one second): an earlier side file is never written over."""
    candidate, n = path, 1
    while True:
        try:
            return create_private(candidate), candidate
        except FileExistsError:
            n += 1
            candidate = path.with_name(f"{path.name}-{n}")


def write_new_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new owner-only file at ``path`` (or beside it, ``create_private_unique``),
    fsynced; the path written."""
    fd, written = create_private_unique(path)
    try:
        write_all(fd, data, durable=True)
    except BaseException:
        os.close(fd)
        written.unlink(missing_ok=True)
        raise
    os.close(fd)
    return written


def create_private_temp(path: Path) -> tuple[int, Path]:
    """A new owner-only file beside ``path`` under a name no one could have guessed or planted
    (``NAME.tmp-RANDOM``), for writing and then renaming over ``path``."""
    while True:
        temp = path.with_name(f"{path.name}.tmp-{secrets.token_hex(6)}")
        try:
            return create_private(temp), temp
        except FileExistsError:
            continue  # 2**48 names: taken only by chance, or by someone planting one


def write_all(fd: int, data: bytes, durable: bool) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    if durable:
        os.fsync(fd)


def write_private(path: Path, data: bytes, atomic: bool = False, durable: bool = True) -> None:
    """Write a file only its owner can read, fsynced unless ``durable`` is False. ``atomic``:
    through a temporary file of its own (created exclusively, 0600, never through a link) renamed
    over ``path``; else in place, never through a link, and made 0600 whatever it was."""
    if atomic:
        fd, temp = create_private_temp(path)
        try:
            write_all(fd, data, durable)
        except BaseException:
            os.close(fd)
            temp.unlink(missing_ok=True)
            raise
        os.close(fd)
        try:
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NO_LINK, 0o600)
    try:
        os.fchmod(fd, 0o600)
        write_all(fd, data, durable)
    finally:
        os.close(fd)


def readable_by_others(path: Path) -> int | None:
    """``path``'s permission bits when its group or anyone else may read it (None when only its
    owner may, or there is no such file)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return mode if mode & (stat.S_IRGRP | stat.S_IROTH) else None


def copy_private(source: Path, dest: Path) -> Path:
    """Copy ``source`` to a new owner-only ``dest`` (a backup; ``dest-2`` … when taken), fsynced:
    created exclusively, so never through a link planted at its name, never over an earlier
    backup, and never readable by others, not even at first. The path written."""
    fd, dest = create_private_unique(dest)
    try:
        with open(source, "rb") as f:
            while chunk := f.read(1 << 20):
                write_all(fd, chunk, durable=False)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        dest.unlink(missing_ok=True)
        raise
    os.close(fd)
    return dest


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
