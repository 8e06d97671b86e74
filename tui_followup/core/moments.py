"""A client's sorted moments (sessions, messages, replies) kept compactly once read from storage.

A list of ``datetime`` costs 56 bytes a moment (the object and its place in the list); at a
million events the lists of every client read back from a snapshot were a quarter of the
app's memory. :class:`MomentList` keeps each moment as its POSIX timestamp (8 bytes) and its
time zone (one object for the list, or a pointer to a shared one per moment) and gives back a
``datetime`` equal to the one it was given, with the same offset, whenever one is read.

It reads and compares as a list does (``==`` a list of the same moments, slices, ``[-1]``,
iteration, ``bisect``), and takes ``append`` and ``insert`` as the fold does, so every reader
works unchanged; the few that search or walk every moment of every client (the policy's pace
rule, the audit) use :func:`index_left`, :func:`index_right` and :func:`local_days`, which
search the timestamps themselves. A fold in memory keeps plain lists: only what storage hands
back is kept so, and only moments that come back exactly: a fixed UTC offset, and a timestamp
whose microseconds a double holds exactly (years 1834 to 2106; any other stays a list).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timezone, tzinfo
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

# Below 2**32 seconds a double's spacing is under half a microsecond: the timestamp of a
# moment with microseconds comes back as exactly that moment, and two moments stay apart.
_LIMIT = 2.0**32
_from = datetime.fromtimestamp
_zone_of = attrgetter("tzinfo")


def _holds(moment: datetime) -> bool:
    return type(moment.tzinfo) is timezone and -_LIMIT < moment.timestamp() < _LIMIT


class MomentList(Sequence):
    """Sorted moments as timestamps; reads as a list of ``datetime`` (see the module)."""

    __slots__ = ("_ts", "_tz", "_last")
    __hash__ = None  # type: ignore[assignment]  # changes as a list does

    def __init__(self, ts: array, tz: tzinfo | list[tzinfo]) -> None:
        self._ts = ts  # POSIX timestamps, sorted
        self._tz = tz  # one zone for every moment, or one per moment
        self._last: datetime | None = None  # the latest, once read: what the policy reads most

    def __len__(self) -> int:
        return len(self._ts)

    def __getitem__(self, index):
        if index == -1:
            last = self._last
            if last is None:
                last = self._last = self._at(-1)
            return last
        if isinstance(index, slice):
            tz = self._tz
            return MomentList(self._ts[index], tz[index] if type(tz) is list else tz)
        return self._at(index)

    def _at(self, index: int) -> datetime:
        tz = self._tz
        return _from(self._ts[index], tz[index] if type(tz) is list else tz)

    def __iter__(self) -> Iterator[datetime]:
        tz = self._tz
        return map(_from, self._ts, tz if type(tz) is list else repeat(tz))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MomentList):
            return self._ts == other._ts  # a datetime equals another at the same instant
        if isinstance(other, list):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __copy__(self) -> MomentList:  # a copy that grows apart, as a list's does
        return MomentList(array("d", self._ts), list(self._tz) if type(self._tz) is list else self._tz)

    def __add__(self, other: Sequence[datetime]) -> list[datetime]:
        return [*self, *other]

    def __radd__(self, other: Sequence[datetime]) -> list[datetime]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"MomentList({list(self)!r})"

    def holds(self, moment: datetime) -> bool:
        """Whether ``moment`` would come back exactly (else the fold keeps a list again)."""
        return _holds(moment)

    def append(self, moment: datetime) -> None:
        self.insert(len(self._ts), moment)

    def insert(self, index: int, moment: datetime) -> None:
        if not _holds(moment):
            raise ValueError(f"a moment that would not come back the same: {moment!r}")
        tz = self._tz
        if type(tz) is not list and moment.tzinfo is not tz:
            tz = self._tz = [tz] * len(self._ts)
        if type(tz) is list:
            tz.insert(index, moment.tzinfo)
        self._ts.insert(index, moment.timestamp())
        self._last = None

    def index_left(self, moment: datetime) -> int:
        return bisect_left(self._ts, moment.timestamp())

    def index_right(self, moment: datetime) -> int:
        return bisect_right(self._ts, moment.timestamp())

    def days(self, tz: tzinfo) -> list[date]:
        """Each moment's day in ``tz``."""
        return [moment.date() for moment in map(_from, self._ts, repeat(tz))]

    def as_list(self) -> list[datetime]:
        return list(self)


class MarkList(Sequence):
    """Sorted ``(moment, answers, no_reply_needed)`` marks of messages, kept as the moments are
    (:class:`MomentList`), the items as shared strings and the flags as bytes: about 17 bytes a
    mark instead of 120 (a tuple, a ``datetime`` and its place). Reads, compares, slices,
    iterates and grows as a list of those tuples does."""

    __slots__ = ("_moments", "_answers", "_flags")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, moments: MomentList, answers: list[str], flags: bytearray) -> None:
        self._moments, self._answers, self._flags = moments, answers, flags

    def __len__(self) -> int:
        return len(self._flags)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return MarkList(self._moments[index], self._answers[index], self._flags[index])
        return (self._moments[index], self._answers[index], bool(self._flags[index]))

    def __iter__(self) -> Iterator[tuple]:
        return zip(self._moments, self._answers, map(bool, self._flags))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (MarkList, list)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __copy__(self) -> MarkList:
        return MarkList(self._moments.__copy__(), list(self._answers), bytearray(self._flags))

    def __add__(self, other: Sequence[tuple]) -> list[tuple]:
        return [*self, *other]

    def __radd__(self, other: Sequence[tuple]) -> list[tuple]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"MarkList({list(self)!r})"

    def holds(self, mark: tuple) -> bool:
        """Whether ``mark`` would come back exactly (else the fold keeps a list again)."""
        return len(mark) == 3 and type(mark[1]) is str and type(mark[2]) is bool and _holds(mark[0])

    def append(self, mark: tuple) -> None:
        self.insert(len(self._flags), mark)

    def insert(self, index: int, mark: tuple) -> None:
        if not self.holds(mark):
            raise ValueError(f"a mark that would not come back the same: {mark!r}")
        self._moments.insert(index, mark[0])
        self._answers.insert(index, sys.intern(mark[1]))
        self._flags.insert(index, mark[2])

    def as_list(self) -> list[tuple]:
        return list(self)

    def index_right(self, moment: datetime) -> int:
        return self._moments.index_right(moment)


def marks_index_right(marks: Sequence[tuple], moment: datetime) -> int:
    """``bisect_right`` of ``moment`` among sorted marks' moments, on the timestamps when kept
    compactly (no tuple nor ``datetime`` made at each probe)."""
    return marks.index_right(moment) if type(marks) is MarkList else bisect_right(marks, moment, key=itemgetter(0))


def compact_marks(marks: list[tuple]) -> Sequence[tuple]:
    """``marks`` as a :class:`MarkList`; as they are when empty or when one of them would not
    come back exactly."""
    if not marks or not all(len(m) == 3 and type(m[1]) is str and type(m[2]) is bool for m in marks):
        return marks
    moments = compact([m[0] for m in marks])
    if type(moments) is not MomentList:
        return marks
    return MarkList(moments, [sys.intern(m[1]) for m in marks], bytearray(m[2] for m in marks))


def compact(moments: list[datetime]) -> Sequence[datetime]:
    """``moments`` as a :class:`MomentList`; as they are when empty or when one of them would
    not come back exactly."""
    if not moments:
        return moments
    zones = set(map(_zone_of, moments))
    if any(type(zone) is not timezone for zone in zones):
        return moments
    ts = array("d", map(datetime.timestamp, moments))
    if not (-_LIMIT < ts[0] and ts[-1] < _LIMIT):  # sorted: the ends say it
        return moments
    if len(zones) == 1:
        return MomentList(ts, zones.pop())
    return MomentList(ts, list(map(_zone_of, moments)))


def index_left(moments: Sequence[datetime], moment: datetime) -> int:
    """``bisect_left`` of ``moment`` in sorted ``moments``, on the timestamps when kept compactly."""
    return moments.index_left(moment) if type(moments) is MomentList else bisect_left(moments, moment)


def index_right(moments: Sequence[datetime], moment: datetime) -> int:
    """``bisect_right`` of ``moment`` in sorted ``moments``, on the timestamps when kept compactly."""
    return moments.index_right(moment) if type(moments) is MomentList else bisect_right(moments, moment)


def walked(moments: Sequence[datetime]) -> list[datetime]:
    """``moments`` as a list, for a walk that reads each of them and searches them again and
    again (the pace rule, the audit): each ``datetime`` made once, not at every look."""
    return moments if type(moments) is list else list(moments)


def local_days(moments: Sequence[datetime], tz: tzinfo) -> list[date]:
    """Each of ``moments``' day in ``tz``."""
    if type(moments) is MomentList:
        return moments.days(tz)
    return [moment.astimezone(tz).date() for moment in moments]


def plain(value: Any) -> Any:
    """What an encoder writes for a :class:`MomentList` (its ``enc_hook``): the list it stands for."""
    if isinstance(value, (MomentList, MarkList)):
        return value.as_list()
    raise NotImplementedError(f"cannot encode {type(value).__name__}")
