"""Time, passed in: the core never reads the wall clock itself.

A :class:`Clock` gives "now" as an aware datetime; the shell passes the system clock
(:mod:`tui_followup.wallclock`), tests a fixed one. Dates of follow-ups are *local* dates in
the practitioner's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass
class FixedClock:
    """A clock that says what it is told; ``advance`` moves it on."""

    moment: datetime
    step: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        current = self.moment
        self.moment = self.moment + self.step
        return current

    def advance(self, delta: timedelta) -> None:
        self.moment = self.moment + delta


# The days this app keeps: a date outside them (a typo such as 9999 or 0001) is refused wherever it
# is typed, and a line of the log that holds one is a problem of that line. Every sum and time
# zone conversion the reports make stays far inside what Python's dates can hold.
DATE_RANGE: tuple[date, date] = (date(1900, 1, 1), date(2200, 12, 31))


# The most days any count typed on the command line may span (`due --days`, `export --days`,
# `trend --weeks` in days): ten years, so that a day counted from any day of DATE_RANGE is still a
# date Python can hold and no report overflows.
MAX_DAYS = 3650


class OutOfRange(ValueError):
    """A date that is a date, but outside :data:`DATE_RANGE`."""

    def __init__(self, text: str) -> None:
        self.text = text
        first, last = (day.isoformat() for day in DATE_RANGE)
        super().__init__(f"{text!r} is outside the dates this app keeps ({first} to {last})")


def in_range(day: date) -> bool:
    """Whether a day (or a moment's day) is inside :data:`DATE_RANGE`. A moment's day must be
    inside both where it was written and in UTC (what a store keeps and reports convert):
    2200-12-31T23:59-12:00 is 2201-01-01 in UTC, outside."""
    if isinstance(day, datetime):
        if day.utcoffset() and not DATE_RANGE[0] <= _utc_day(day) <= DATE_RANGE[1]:
            return False
        day = day.date()
    return DATE_RANGE[0] <= day <= DATE_RANGE[1]


def _utc_day(moment: datetime) -> date:
    """The moment's day in UTC, without converting past what Python's dates hold."""
    return (moment.replace(tzinfo=None) - moment.utcoffset()).date() if date.min.year < moment.year < date.max.year \
        else moment.date()


# A moment given as a bare date is taken as noon local time: late enough to be after an
# early reminder, early enough to be before an evening note of the same day.
DATE_ONLY_TIME = time(12, 0)


def parse_moment(text: str, tz: tzinfo, today: date | None = None) -> datetime:
    """``2026-11-01T10:00`` or ``2026-11-01T10:00+09:00`` as an aware datetime; a day alone
    (any form :func:`parse_date` reads) is taken at noon.

    Raises ValueError with a message fit for a person (:class:`OutOfRange` for a day outside
    :data:`DATE_RANGE`).
    """
    text = text.strip()
    try:
        return datetime.combine(parse_date(text, today), DATE_ONLY_TIME, tzinfo=tz)
    except OutOfRange:
        raise
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"bad date or time {text!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    if not in_range(moment):
        raise OutOfRange(text)
    return moment


_FULL = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_SHORT = re.compile(r"^(\d{1,2})[-/](\d{1,2})$")
_RELATIVE = re.compile(r"^([+-])(\d{1,3})([dw])$")


def parse_date(text: str, today: date | None = None) -> date:
    """A day as people type it: ``2026-12-05``, ``2026/12/05``, ``12/5`` or ``12-05`` (the
    nearest such day to ``today``, within half a year either way), ``+3d``, ``+1w``, ``-3d``
    (from ``today``). Raises ValueError with a message fit for a person (:class:`OutOfRange` for a
    day outside :data:`DATE_RANGE`)."""
    day = _parse_date(text, today)
    if not in_range(day):
        raise OutOfRange(text)
    return day


def _parse_date(text: str, today: date | None) -> date:
    raw = text
    text = unicodedata.normalize("NFKC", text).strip().lower()
    try:
        m = _FULL.match(text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _RELATIVE.match(text)
        if m and today is not None:
            days = int(m.group(2)) * (7 if m.group(3) == "w" else 1)
            return today + timedelta(days=-days if m.group(1) == "-" else days)
        m = _SHORT.match(text)
        if m and today is not None:
            month, day = int(m.group(1)), int(m.group(2))
            candidates = []
            for year in (today.year - 1, today.year, today.year + 1):
                try:
                    candidates.append(date(year, month, day))
                except ValueError:
                    pass
            if candidates:
                return min(candidates, key=lambda d: (abs((d - today).days), d < today))
    except ValueError:
        pass
    raise ValueError(f"bad date {raw!r}: use 2026-12-05, 2026/12/05, 12/5, +3d or +1w")


def end_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz) - timedelta(microseconds=1)
