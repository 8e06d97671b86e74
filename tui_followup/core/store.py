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
"""

from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .codec import Problem, decode_lines, encode_lines
from .events import AnyEvent, Event


class StoreError(Exception):
    """The log could not be read or written; the message names the file."""


@dataclass
class Batch:
    """What one read found: events (with their line numbers) and unreadable lines."""

    events: list[AnyEvent] = field(default_factory=list)
    lines: Sequence[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: "Batch") -> None:
        if not self.events:
            self.lines = other.lines
        else:
            self.lines = list(self.lines) + list(other.lines)
        self.events.extend(other.events)
        self.problems.extend(other.problems)


READ_CHUNK = 32 * 1024 * 1024  # bytes read and decoded at a time: bounds the memory of a read


class LogStore:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.offset = 0  # bytes consumed so far (always at a line boundary)
        self.line_count = 0  # lines consumed so far
        self.pending_tail = b""  # bytes after the last newline at the last read

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
            raise StoreError(f"{self.path}: cannot read: {exc.strerror}") from None
        with f:
            f.seek(self.offset)
            carry = b""
            while True:
                try:
                    data = f.read(chunk)
                except OSError as exc:
                    raise StoreError(f"{self.path}: cannot read: {exc.strerror}") from None
                if not data:
                    break
                data = carry + data if carry else data
                end = data.rfind(b"\n") + 1
                carry = data[end:]
                if end:
                    yield self._consume(data[:end])
            self.pending_tail = carry

    def _consume(self, whole: bytes) -> Batch:
        """Decode complete lines and move past them."""
        events, problems, lines = decode_lines(whole, self.line_count + 1)
        self.offset += len(whole)
        self.line_count += whole.count(b"\n")
        return Batch(events, lines, problems)

    def scan(self, key: str, value: str, limit: int | None = None) -> list[AnyEvent]:
        """The events (in log order, up to byte ``limit``) whose ``key`` is ``value``, found
        by searching the raw bytes and decoding only the matching lines."""
        import msgspec

        needle = b'"' + key.encode() + b'":' + msgspec.json.encode(value)
        found: list[AnyEvent] = []
        end = self.offset if limit is None else limit
        try:
            with open(self.path, "rb") as f:
                data = f.read(end)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror}") from None
        lines = bytearray()
        at = data.find(needle)
        while at != -1:
            start = data.rfind(b"\n", 0, at) + 1
            stop = data.find(b"\n", at)
            if stop == -1:
                break  # an unfinished last line
            lines += data[start : stop + 1]
            at = data.find(needle, stop)
        events, _, _ = decode_lines(bytes(lines))
        found.extend(events)
        return found

    def events_of(self, client_id: str) -> list[AnyEvent]:
        return self.scan("client", client_id)

    def find(self, event_id: str) -> AnyEvent | None:
        matches = self.scan("id", event_id)
        return matches[0] if matches else None

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
            return Problem(
                self.line_count + 1,
                f"incomplete last line ({len(self.pending_tail)} bytes without a newline): "
                "a write was cut off",
            )
        return None

    # -- writing ------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[int]:
        """Hold the exclusive append lock; yields the file descriptor opened for append."""
        created = not self.path.exists()
        try:
            if created:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open for writing: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if created:
                _fsync_dir(self.path.parent)
            yield fd
        finally:
            os.close(fd)  # closing releases the lock

    def transact(self, decide: Callable[[Batch], Sequence[Event]]) -> tuple[Batch, Sequence[Event]]:
        """Under the lock: catch up with the log, let ``decide`` choose the events to append
        (it sees what was new; it may raise to write nothing), and append them durably.

        Returns the batch read while catching up and the events written.
        """
        with self.locked() as fd:
            batch = self.read_new()
            torn = self.tail_problem()
            if torn is not None:  # we hold the lock: its writer is gone
                batch.problems.append(torn)
            events = decide(batch)
            if events:
                self._write(fd, encode_lines(events))
            return batch, events

    def append(self, events: Sequence[Event]) -> None:
        """Append events durably without looking at the log (bulk writers, the demo)."""
        self.transact(lambda _batch: events)

    def _write(self, fd: int, payload: bytes) -> None:
        if self.pending_tail:
            # A fragment left by a writer that died: end it so ours starts on a clean line.
            payload = b"\n" + payload
            self.line_count += 1
            self.pending_tail = b""
        view = memoryview(payload)
        try:
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StoreError(f"{self.path}: disk full, the event was not recorded") from None
            raise StoreError(f"{self.path}: cannot write: {exc.strerror}") from None
        self.offset = os.fstat(fd).st_size
        self.line_count += payload.count(b"\n")


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
