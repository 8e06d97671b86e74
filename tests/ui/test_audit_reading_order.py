"""Audit lists names as Clients does, by their reading (フリガナ) when there is one, whatever the
sort: the default sort (by flags) left its ties in code-point order, so in an office whose
clients had no flag 中村 (ナカムラ) came before 伊藤 (イトウ) and 青木 (アオキ) near the end, where
Clients, one key away, had アオキ, イトウ, ... ナカムラ."""

from __future__ import annotations

import itertools

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.screens.audit import SORTS, AuditScreen

from .conftest import NOW, TOKYO, t

PEOPLE = [("nakamura", "中村 翔", "ナカムラ ショウ"), ("ito", "伊藤 さくら", "イトウ サクラ"),
          ("aoki", "青木 花子", "アオキ ハナコ"), ("takahashi", "髙橋 健太郎", "タカハシ ケンタロウ")]
BY_READING = ["aoki", "ito", "takahashi", "nakamura"]


@pytest.mark.parametrize("sort", [name for name, _ in SORTS])
async def test_audit_ties_are_in_reading_order_in_every_sort(tmp_path, sort):
    path = tmp_path / "events.jsonl"
    counter = itertools.count(1)
    j = Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"e{next(counter):04d}")
    for client, name, reading in PEOPLE:  # alike in every measure: only their names tell them apart
        j.record(cmd.register_client, client, name, reading=reading, at=t("2026-11-01 09:00"))
        j.record(cmd.hold_session, client, at=t("2026-11-20 10:00"))
        j.record(cmd.send_message, client, channel="email", at=t("2026-11-21 09:00"))
    app = FollowupApp(Journal.open(path, clock=FixedClock(NOW), tz=TOKYO, actor="kato"), poll_seconds=0,
                      template_overrides={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        for _ in range(30):
            await pilot.pause()
            if isinstance(app.screen, AuditScreen) and app.screen.rows:
                break
        screen = app.screen
        while SORTS[screen.sort_index][0] != sort:
            await pilot.press("o")
            await pilot.pause()
        assert [row.client for row in screen.rows] == BY_READING
