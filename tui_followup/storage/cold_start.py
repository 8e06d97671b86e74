"""Opening a big log that has no snapshot yet: its facts, folded on two cores.

The log stays the only source of truth; this is only how it is read quickly the first time
(or after its snapshot stopped matching it):

1. The log is cut at a line boundary about half way. A forked worker takes the second part,
   this process the first.
2. The retractions of the whole log are found first: each process searches its part of the
   file in place for their lines, they swap what they found, and only those lines are
   decoded. Which retractions stand is decided ahead
   (:func:`~tui_followup.core.caseload.decide_retractions`), so no retracted event is ever
   folded and no client has to be folded twice.
3. Both parts are folded at the same time into facts only: events are decoded, folded and
   dropped (a screen that needs a client's events reads them back from the log, as after a
   snapshot). Both are decoded exactly as any read decodes them, so the same lines are
   problems, with the same line numbers. The worker sends its facts back in the snapshot's
   own layout (storage/snapshot.py).
4. The parts are merged (:func:`~tui_followup.core.caseload.merge_caseloads`, each rule
   mirroring the fold's), which gives what folding the whole log in order gives.

Whenever the quick way cannot be sure of that -- an event id in both parts, a worker that
failed or was killed -- the log is folded in order in this process instead; a retraction the
search missed sends it to the ordinary read, events kept. Slower, never different.
"""

from __future__ import annotations

import mmap
import os
import signal
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import msgspec

from ..core.caseload import Caseload, Retractions, decide_retractions, merge_caseloads
from ..core.codec import Problem, decode_lines
from ..core.events import EventRetracted
from . import sizes as opening
from . import snapshot
from .logfile import LogStore, StoreError, whole_lines

# (Below sizes.parallel_min_bytes a second process saves too little to be worth it: measured
# at 100k events, 27 MB: 0.22 s on two cores against 0.27 s on one; at 1M: 1.65 s against 2.0 s.)
# The share of the log this process folds. After folding, the worker encodes its facts
# (0.14 s at 1M events) while this process joins its event ids (0.07 s): both are ready
# together when this process folds about 0.07 s longer, 1.5% of a 2 s log more.
SHARE = 0.52
RETRACTION = b'"event_retracted"'
UNDECIDED = 3  # the worker's exit status when it met a retraction the search missed


@dataclass
class Folded:
    """The facts of the log up to ``offset`` (a line boundary) and what could not be read."""

    caseload: Caseload
    problems: list[Problem]
    offset: int
    lines: int
    # What the fold no longer needs but costs time to free (half a million event ids, 0.1 s
    # at 1M events): handed to the caller, to let go of when a pause costs the user nothing.
    spare: object = None


class NotSure(Exception):
    """The quick way cannot vouch for its result: fold the log in order."""


class NotDecided(NotSure):
    """A retraction the search ahead missed (its type written with JSON escapes by another
    tool): retractions must be applied in order with every event at hand, as an ordinary
    read does."""


def fold_log(store: LogStore, workers: int = 2, until: datetime | None = None,
             parallel_min_bytes: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> Folded | None:
    """The facts of every whole line of the log (of what happened no later than ``until``,
    for a view of the past); ``store`` is left untouched. None when the log must be read the
    ordinary way, its events kept (see :class:`NotDecided`)."""
    reap_workers()
    try:
        end = _whole_lines_end(store)
    except (OSError, ValueError):
        return None  # a file that cannot be mapped: the ordinary read
    if end == 0:
        return Folded(Caseload(source=store, until=until), [], 0, 0)
    try:
        if parallel_min_bytes is None:
            parallel_min_bytes = opening.DEFAULT_SIZES.parallel_min_bytes
        if workers > 1 and end >= parallel_min_bytes and hasattr(os, "fork"):
            try:
                return _fold_in_two(store, end, until)
            except NotDecided:
                raise
            except NotSure:
                pass
        return _fold_in_order(store, end, _decide(store.lines_containing(RETRACTION, end)), until, progress)
    except (NotDecided, StoreError, OSError):
        return None  # the ordinary read will say what is wrong, or succeed where this could not


finished_workers: list[int] = []  # workers that gave their verdict, perhaps not yet exited


def reap_workers() -> None:
    """Collect the exit of the workers that finished (without waiting for any)."""
    for pid in list(finished_workers):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            finished_workers.remove(pid)


def _decide(retraction_lines: bytes) -> Retractions:
    retractions, _, _ = decode_lines(retraction_lines)
    return decide_retractions(r for r in retractions if type(r) is EventRetracted)


def _whole_lines_end(store: LogStore) -> int:
    """Where the last whole line of the log ends (what follows is left to the next read)."""
    try:
        with open(store.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size == 0:
                return 0
            with mmap.mmap(f.fileno(), size, access=mmap.ACCESS_READ) as data:
                return data.rfind(b"\n") + 1
    except FileNotFoundError:
        return 0


def _line_start_near(store: LogStore, position: int, end: int) -> int:
    """The start of a line shortly after ``position`` (0 if there is none before ``end``)."""
    with open(store.path, "rb") as f:
        f.seek(position)
        for data in whole_lines(f, limit=end - position, chunk=4096):
            return position + data.index(b"\n") + 1  # (the first newline: a line starts after it)
    return 0


def _fold_range(store: LogStore, start: int, end: int, decided: Retractions, until: datetime | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[Caseload, set[str], list[Problem], int]:
    """Facts of the lines in [start, end), a line boundary each; problems are numbered from
    the range's first line."""
    caseload = Caseload(source=_reader(store, end), until=until)
    caseload.retracted = dict(decided.standing)
    seen: set[str] = set()
    problems: list[Problem] = []
    line = 1
    with open(store.path, "rb") as f:
        f.seek(start)
        for data in whole_lines(f, limit=end - start):
            events, found, numbers = decode_lines(data, line)
            problems.extend(found)
            line = numbers.stop if isinstance(numbers, range) else line + data.count(b"\n")
            caseload.fold_facts(events, seen, decided)
            if caseload.undecided:
                raise NotDecided()
            if progress is not None:  # (bytes folded, bytes to fold): a progress bar's
                progress(f.tell() - start, end - start)
    caseload.source = store
    return caseload, seen, problems, line - 1


def _reader(store: LogStore, end: int) -> LogStore:
    """The log up to ``end``, for reading a client's events back while folding."""
    covered = LogStore(store.path)
    covered.offset = end
    return covered


def _fold_in_order(store: LogStore, end: int, decided: Retractions, until: datetime | None,
                   progress: Callable[[int, int], None] | None = None) -> Folded:
    caseload, seen, problems, lines = _fold_range(store, 0, end, decided, until, progress)
    return Folded(caseload, problems, end, lines, spare=seen)


def _fold_in_two(store: LogStore, end: int, until: datetime | None) -> Folded:
    """This process folds the first part of the log, a forked worker the rest. They talk
    through two pipes, in turns that cannot deadlock (each message is read whole before the
    reader writes): the worker's retraction lines, then ours (each side searched its own
    part at the same time); the worker's facts; our event ids, which the worker checks
    against its own while we merge; its verdict."""
    middle = _line_start_near(store, int(end * SHARE), end)
    if not 0 < middle < end:
        raise NotSure("no line boundary to cut at")
    from_worker, to_parent = os.pipe()
    from_parent, to_worker = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(from_worker)
            os.close(to_worker)
            status = _worker(store, middle, end, until, from_parent, to_parent)
        finally:
            os._exit(status)  # no clean-up of a copy of this process's objects, no atexit
    os.close(to_parent)
    os.close(from_parent)
    inbox, outbox = os.fdopen(from_worker, "rb"), os.fdopen(to_worker, "wb")
    try:
        mine = store.lines_containing(RETRACTION, middle)
        theirs = receive(inbox)
        send(outbox, mine)
        decided = _decide(mine + theirs)
        first, seen, problems, lines = _fold_range(store, 0, middle, decided, until)
        ids = "\n".join(seen)  # (while the worker may still be encoding its facts)
        ids = ids.encode() if ids.count("\n") == max(0, len(seen) - 1) else b"\0"
        payload = receive(inbox)
        send(outbox, ids)
        loaded = snapshot.load(payload)  # the worker's part, in the snapshot's own layout
        if loaded is None:
            raise NotSure("the worker's answer was cut off")
        half, lists = loaded
        second = snapshot.to_caseload(half, lists, source=store)
        second.until = until
        second.retracted = dict(decided.standing)
        merged = merge_caseloads(first, second)
        if receive(inbox) != b"disjoint":
            raise NotSure("an event id in both halves")
        problems += [msgspec.structs.replace(p, line=p.line + lines) for p in half.problems]
        # Its verdict is the last thing it does: not waited for here (tearing down its memory
        # takes the kernel 0.05 s at 1M events), reaped later by reap_workers().
        finished_workers.append(pid)
        pid = 0
    except NotSure:
        if pid:  # did it stop because of a retraction it could not decide?
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            pid = 0
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == UNDECIDED:
                raise NotDecided() from None
        raise
    finally:
        inbox.close()
        try:
            outbox.close()
        except BrokenPipeError:
            pass
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return Folded(merged, problems, end, lines + half.lines, spare=(seen, ids, payload))


def _worker(store: LogStore, middle: int, end: int, until: datetime | None, inbox_fd: int, outbox_fd: int) -> int:
    """The forked worker's side of :func:`_fold_in_two`; returns its exit status."""
    with os.fdopen(inbox_fd, "rb") as inbox, os.fdopen(outbox_fd, "wb") as outbox:
        mine = store.lines_containing(RETRACTION, end, start=middle)
        send(outbox, mine)
        decided = _decide(receive(inbox) + mine)
        try:
            caseload, seen, problems, lines = _fold_range(store, middle, end, decided, until)
        except NotDecided:
            return UNDECIDED
        if caseload.retracted != decided.standing:
            return 1  # (cannot happen when every retraction was decided ahead: be sure)
        # Its facts as a snapshot of its part (the retractions both decided ahead: not sent).
        send(outbox, snapshot.dump(caseload, end, lines, "", problems, with_retractions=False))
        theirs = receive(inbox)
        disjoint = theirs != b"\0" and (not theirs or seen.isdisjoint(theirs.decode().split("\n")))
        send(outbox, b"disjoint" if disjoint else b"overlap")
    return 0


def send(pipe, data: bytes) -> None:
    try:
        pipe.write(len(data).to_bytes(8, "big"))
        pipe.write(data)
        pipe.flush()
    except BrokenPipeError:
        raise NotSure("the other process stopped") from None


def receive(pipe) -> bytes:
    """One whole message, or NotSure if the other side is gone."""
    size = pipe.read(8)
    if len(size) != 8:
        raise NotSure("the other process stopped")
    data = pipe.read(int.from_bytes(size, "big"))
    if len(data) != int.from_bytes(size, "big"):
        raise NotSure("the other process stopped")
    return data
