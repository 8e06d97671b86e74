from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.codec import decode_lines
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=TOKYO)


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def seed_caseload(path: Path) -> None:
    """A small caseload with one client in each situation."""
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    r = j.record
    r(cmd.register_client, "aoki", "青木 花子", channel="email", at=t("2026-10-01 09:00"))
    r(cmd.register_client, "kim", "김민준", channel="chat", at=t("2026-10-01 09:00"))
    r(cmd.register_client, "emma", "Emma Smith", plan="weekly", channel="phone", at=t("2026-10-01 09:00"))
    r(cmd.register_client, "sato", "佐藤 健一", at=t("2026-10-01 09:00"))
    r(cmd.register_client, "mori", "森 由美", at=t("2026-10-01 09:00"))
    # aoki: session 11-22, no follow-up: 24h overdue since 11-23 (the 1w's window opens 11-27)
    r(cmd.hold_session, "aoki", at=t("2026-11-22 10:00"), summary="職務経歴書", next_step="応募書類を仕上げる")
    # kim: session 11-17, 24h sent: 1w due 11-24 (1 day overdue) ; replied today
    r(cmd.hold_session, "kim", at=t("2026-11-17 10:00"), next_step="지원서 완성하기")
    r(cmd.send_message, "kim", channel="chat", at=t("2026-11-18 09:00"))
    r(cmd.receive_reply, "kim", at=t("2026-11-25 07:00"))
    # emma: weekly, due in 3 days
    r(cmd.hold_session, "emma", at=t("2026-11-20 10:00"))
    r(cmd.send_message, "emma", channel="phone", at=t("2026-11-22 09:00"))
    # sato: paused
    r(cmd.hold_session, "sato", at=t("2026-09-01 10:00"))
    r(cmd.pause, "sato", reason="繁忙期", at=t("2026-11-01 10:00"))
    # mori: closed
    r(cmd.close_case, "mori", "goal_achieved", at=t("2026-11-02 10:00"))


@pytest.fixture
def log_path(tmp_path) -> Path:
    path = tmp_path / "events.jsonl"
    seed_caseload(path)
    return path


@pytest.fixture
def make_app(log_path):
    def make(poll_seconds: float = 0.0) -> FollowupApp:
        counter = itertools.count(1)
        journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                               new_id=lambda: f"app{next(counter):04d}")
        return FollowupApp(journal, poll_seconds=poll_seconds, template_overrides={})

    return make


def events_in(path: Path):
    events, problems, _ = decode_lines(path.read_bytes())
    assert problems == []
    return events


async def toasts(pilot) -> list[str]:
    """The notifications on screen as the user reads them: each toast's title and text.
    Tests show no toasts unless the app runs with ``run_test(notifications=True)``."""
    await pilot.pause()  # the toasts are mounted after the notification
    return [str(toast.render()) for toast in pilot.app.screen.query("Toast")]
