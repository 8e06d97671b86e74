"""Opening a big log that has no snapshot yet: its facts, folded on two cores.

The log stays the only source of truth; this is only how it is read quickly the first time
(or after its snapshot stopped matching it):

1. The retractions of the whole log are found first: their lines are searched for in the
   file in place and only those lines are decoded. Which of them stand is decided ahead
   (:func:`~tui_followup.core.caseload.decide_retractions`), so no retracted event is
   ever folded and no client has to be folded twice.
2. The log is cut at a line boundary near its middle. A forked worker folds the second half
   while this process folds the first, both into facts only: events are decoded, folded
   and dropped (a screen that needs a client's events reads them back from the log, as
   after a snapshot). Both halves are decoded exactly as any read decodes them, so the
   same lines are problems, with the same line numbers.
3. The halves are merged (:func:`~tui_followup.core.caseload.merge_caseloads`, each rule
   mirroring the fold's), which gives what folding the whole log in order gives.

Whenever the quick way cannot be sure of that -- an event id in both halves, a retraction
the search missed, a worker that failed or was killed -- the log is folded in order in this
process instead. Slower, never different.
"""

from __future__ import annotations

import mmap
import os
import signal
from dataclasses import dataclass
from datetime import datetime

import msgspec

from .core import snapshot
from .core.caseload import Caseload, Retractions, decide_retractions, merge_caseloads
from .core.codec import Problem, decode_lines
from .core.events import EventRetracted
from .store import LogStore, whole_lines

# Below this a second process costs more than it saves (measured: forking, and sending the
# second half's facts back, take about 0.1 s at 1M events).
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
# The share of the log this process folds: the worker also sends its facts back.
SHARE = 0.56
RETRACTION = b'"event_retracted"'
UNDECIDED = 3  # the worker's exit status when it met a retraction the search missed


@dataclass
class Folded:
    """The facts of the log up to ``offset`` (a line boundary) and what could not be read."""

    caseload: Caseload
    problems: list[Problem]
    offset: int
    lines: int


class NotSure(Exception):
    """The quick way cannot vouch for its result: fold the log in order."""


class NotDecided(NotSure):
    """A retraction the search ahead missed (written by another tool, with other spacing):
    retractions must be applied in order with every event at hand, as an ordinary read does."""


class _Half(msgspec.Struct, array_like=True):
    """What the worker sends back: the second half's facts."""

    clients: list[snapshot.FactsRecord]
    retracted: list[EventRetracted]
    problems: list[Problem]  # line numbers counted from the half's first line
    count: int
    lines: int
    latest: datetime | None
    ids: int  # how many event ids follow the facts, one per line (to find an id in both halves)


# JSON, not MessagePack: it writes aware datetimes several times faster (measured: 12 ms
# against 80 ms for 290,000), and they are most of what is sent.
_half_decoder = msgspec.json.Decoder(_Half)


def fold_log(store: LogStore, workers: int = 2, until: datetime | None = None) -> Folded | None:
    """The facts of every whole line of the log (of what happened no later than ``until``,
    for a view of the past); ``store`` is left untouched. None when the log must be read the
    ordinary way, its events kept (see :class:`NotDecided`)."""
    end = _whole_lines_end(store)
    if end == 0:
        return Folded(Caseload(source=store), [], 0, 0)
    retractions, _, _ = decode_lines(store.lines_containing(RETRACTION, end))
    decided = decide_retractions(r for r in retractions if type(r) is EventRetracted)
    try:
        if workers > 1 and end >= PARALLEL_MIN_BYTES and hasattr(os, "fork"):
            try:
                return _fold_in_two(store, end, decided, until)
            except NotDecided:
                raise
            except NotSure:
                pass
        return _fold_in_order(store, end, decided, until)
    except NotDecided:
        return None


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
    """The start of the first line at or after ``position``."""
    with open(store.path, "rb") as f, mmap.mmap(f.fileno(), end, access=mmap.ACCESS_READ) as data:
        return data.find(b"\n", position, end) + 1


def _fold_range(store: LogStore, start: int, end: int, decided: Retractions,
                until: datetime | None = None) -> tuple[Caseload, set[str], list[Problem], int]:
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
    caseload.source = store
    return caseload, seen, problems, line - 1


def _reader(store: LogStore, end: int) -> LogStore:
    """The log up to ``end``, for reading a client's events back while folding."""
    covered = LogStore(store.path)
    covered.offset = end
    return covered


def _fold_in_order(store: LogStore, end: int, decided: Retractions, until: datetime | None) -> Folded:
    caseload = Caseload(source=_reader(store, end), until=until)
    caseload.retracted = dict(decided.standing)
    seen: set[str] = set()
    problems: list[Problem] = []
    line = 1
    with open(store.path, "rb") as f:
        for data in whole_lines(f, limit=end):
            events, found, numbers = decode_lines(data, line)
            problems.extend(found)
            line = numbers.stop if isinstance(numbers, range) else line + data.count(b"\n")
            caseload.fold_facts(events, seen, decided)
            if caseload.undecided:
                raise NotDecided()
    caseload.source = store
    return Folded(caseload, problems, end, line - 1)


def _fold_in_two(store: LogStore, end: int, decided: Retractions, until: datetime | None) -> Folded:
    middle = _line_start_near(store, int(end * SHARE), end)
    if not 0 < middle < end:
        raise NotSure("no line boundary to cut at")
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: fold the second half, send its facts, leave at once
        status = 1
        try:
            os.close(reader)
            try:
                caseload, seen, problems, lines = _fold_range(store, middle, end, decided, until)
            except NotDecided:
                status = UNDECIDED
                raise
            ids = "\n".join(seen)
            if ids.count("\n") != max(0, len(seen) - 1):
                raise NotSure("an event id with a newline in it")  # (the exit status says so)
            half = _Half(snapshot.records_of(caseload), list(caseload.retracted.values()), problems,
                         caseload.count, lines, caseload.latest, len(seen))
            with os.fdopen(writer, "wb") as out:
                out.write(msgspec.json.encode(half))
                out.write(b"\n")
                out.write(ids.encode())
            status = 0
        finally:
            os._exit(status)  # no clean-up of a copy of this process's objects, no atexit
    os.close(writer)
    try:
        first, seen, problems, lines = _fold_range(store, 0, middle, decided, until)
        with os.fdopen(reader, "rb") as f:
            payload = f.read()
        reader = -1
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        if reader != -1:
            os.close(reader)
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == UNDECIDED:
        raise NotDecided()
    if status != 0:
        raise NotSure("the worker failed")
    cut = payload.find(b"\n")
    try:
        if cut == -1:
            raise msgspec.DecodeError("no ids")
        half = _half_decoder.decode(payload[:cut])
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise NotSure("the worker's answer was cut off") from None
    ids = payload[cut + 1 :].decode().split("\n") if half.ids else []
    if len(ids) != half.ids:
        raise NotSure("the worker's answer was cut off")
    if not seen.isdisjoint(ids):
        raise NotSure("an event id in both halves")
    second = Caseload(source=store, count=half.count, latest=half.latest, until=until)
    second.clients = snapshot.facts_of(half.clients)
    second.retracted = {r.target: r for r in half.retracted}
    merged = merge_caseloads(first, second)
    problems += [msgspec.structs.replace(p, line=p.line + lines) for p in half.problems]
    return Folded(merged, problems, end, lines + half.lines)
