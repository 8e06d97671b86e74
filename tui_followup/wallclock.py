"""The real clock and the practitioner's time zone: the shell's side of time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass
class SystemClock:
    tz: tzinfo

    def now(self) -> datetime:
        return datetime.now(self.tz).replace(microsecond=0)


def local_timezone() -> tzinfo:
    """The practitioner's zone: ``TZ`` if it names a zone, else the system's."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")
