"""Build the app on a demo caseload at a fixed moment: for screenshots, snapshots and tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core.clock import FixedClock
from ..core.demo import generate
from ..storage.journal import Journal
from ..i18n import LANGUAGES
from ..storage.logfile import LogStore
from .app import FollowupApp

TOKYO = ZoneInfo("Asia/Tokyo")
DEMO_NOW = datetime(2026, 11, 25, 8, 30, tzinfo=TOKYO)


def write_demo(path: Path, now: datetime = DEMO_NOW, clients: int = 24, seed: int = 7,
               lang: str | None = None) -> Path:
    store = LogStore(path)
    store.append(generate(now.date(), now.tzinfo, clients=clients, seed=seed, lang=lang, now=now))  # type: ignore[arg-type]
    return path


def demo_app(path: Path, now: datetime = DEMO_NOW, clients: int = 24, poll_seconds: float = 0.0,
             ids=None, language: str = "en", demo_lang: str | None = None) -> FollowupApp:
    if not path.exists():
        write_demo(path, now, clients, lang=demo_lang)
    journal = Journal.open(path, clock=FixedClock(now), tz=now.tzinfo, actor="kato",  # type: ignore[arg-type]
                           new_id=ids, languages=LANGUAGES)
    return FollowupApp(journal, poll_seconds=poll_seconds, template_overrides={}, language=language)


__all__ = ["DEMO_NOW", "TOKYO", "demo_app", "write_demo"]
