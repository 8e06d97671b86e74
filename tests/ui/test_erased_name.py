"""An erased client's name in the user's words: `forget` leaves the log saying "(forgotten)",
and a Japanese or Korean screen said it in English. Clients, Audit, Past day, the client's
screen and the palette say （消去済み） / (삭제됨); a client not erased whose name was typed as
"(forgotten)" keeps it as typed."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from textual.widgets import DataTable

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import forget
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, t

WORD = {"en": "(forgotten)", "ja": "（消去済み）", "ko": "(삭제됨)"}


def erase_aoki(log_path) -> str:
    """aoki forgotten; their new id."""
    forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False)
    (facts,) = [f for f in journal.caseload.registered() if f.forgotten]
    return facts.id


def app_in(log_path, language: str) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"x{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)


def names_in(app, table_id: str) -> dict[str, str]:
    """The first column of each row, by the row's key."""
    table = app.screen.query_one(table_id, DataTable)
    return {key.value: str(table.get_row(key)[0]) for key in list(table.rows)}


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_clients_says_an_erased_clients_name_in_the_users_words(log_path, language):
    erased = erase_aoki(log_path)
    app = app_in(log_path, language)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        names = names_in(app, "#clients")
        assert names[erased] == WORD[language], names
        assert names["kim"] == "김민준"  # (an ordinary client as typed)
        if language != "en":
            assert "(forgotten)" not in app.export_screenshot()


@pytest.mark.parametrize("language", ["ja", "ko"])
async def test_audit_and_the_client_screen_say_it_too(log_path, language):
    erased = erase_aoki(log_path)
    app = app_in(log_path, language)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert names_in(app, "#audit")[erased] == WORD[language]
        app.open_client(erased)
        await pilot.pause()
        assert app.screen.title == WORD[language]
        shown = app.export_screenshot()
        assert "(forgotten)" not in shown and WORD[language] in shown


async def test_the_palette_finds_and_says_it_in_the_users_words(log_path):
    from textual.command import CommandList

    erased = erase_aoki(log_path)
    app = app_in(log_path, "ja")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"消去済み")
        for _ in range(1000):  # (its search runs in a worker)
            found = app.screen.query(CommandList)
            if found and found.first().option_count:
                break
            await pilot.pause(0.01)
        first = str(found.first().get_option_at_index(0).prompt)
        assert "（消去済み）" in first and erased in first and "(forgotten)" not in first, first


async def test_past_day_before_the_erasure_says_it_in_the_users_words(log_path):
    """On a day before `forget` the client was not erased yet, but their name is gone from
    the log: Past day says so in the user's words."""
    erased = erase_aoki(log_path)
    app = app_in(log_path, "ja")
    day = date(2026, 11, 24)  # aoki's 24h (session of 11-22) overdue that morning
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "d", *day.isoformat(), "enter")
        await pilot.pause()
        assert app.screen.day == day
        names = {key.split("|")[0]: name for key, name in names_in(app, "#due").items()}
        assert names[erased] == WORD["ja"], names


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_a_client_not_erased_named_forgotten_keeps_the_name_as_typed(log_path, language):
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"lit{next(c):04d}")
    journal.record(cmd.register_client, "lit", "(forgotten)", at=t("2026-10-01 09:00"))
    app = app_in(log_path, language)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert names_in(app, "#clients")["lit"] == "(forgotten)"
        app.open_client("lit")
        await pilot.pause()
        assert app.screen.title == "(forgotten)"
