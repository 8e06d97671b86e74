"""Time, passed in: the core never reads the wall clock itself.

A :class:`Clock` gives "now" as an aware datetime; the shell passes the system clock
(:mod:`tui_followup.wallclock`), tests a fixed one. Dates of follow-ups are *local* dates in
the practitioner's time zone.
"""

from __future__ import annotations

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


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


# A moment given as a bare date is taken as noon local time: late enough to be after an
# early reminder, early enough to be before an evening note of the same day.
DATE_ONLY_TIME = time(12, 0)


def parse_moment(text: str, tz: tzinfo) -> datetime:
    """``2026-11-01``, ``2026-11-01T10:00`` or ``2026-11-01T10:00+09:00`` as an aware datetime.

    Raises ValueError with a message fit for a person.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), DATE_ONLY_TIME, tzinfo=tz)
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"bad date or time {text!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"bad date {text!r}: use YYYY-MM-DD") from None


def end_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz) - timedelta(microseconds=1)
