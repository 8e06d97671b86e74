"""The key screens in Japanese: labels, dates, reasons and refusals in the user's language."""

from __future__ import annotations

import itertools

from textual.widgets import DataTable, Static

from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen

from .conftest import NOW, TOKYO, toasts

SIZE = (120, 36)


def japanese_app(log_path) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, new_id=lambda: f"ja{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ja")


async def test_today_in_japanese(log_path):
    app = japanese_app(log_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.title == "今日"
        assert app.screen.sub_title == "2026年11月25日（水）"
        counts = str(app.screen.query_one("#counts", Static).render())
        assert "期限超過 2" in counts and "今日 1" in counts
        table = app.screen.query_one("#due", DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:2] == ["青木 花子", "24時間"]
        assert first[4] == "11/22 の面談から24時間" and first[3] == "2日" and first[5] == "メール"
        assert [str(c.label) for c in table.ordered_columns][:3] == ["クライアント", "種別", "期日"]
        await pilot.press("m")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == "青木 花子 さんへの連絡（24時間）"
        assert "青木 花子様" in app.screen.preview  # the Japanese template


async def test_a_refusal_is_said_in_japanese(log_path):
    app = japanese_app(log_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_client("mori")  # closed
        await pilot.pause()
        assert "終結" in app.screen.sub_title
        await pilot.press("m", "enter")
        await pilot.pause()
        messages = await toasts(pilot)
        assert any("森 由美（mori）さんの案件は終結しています。連絡を記録する前に再受付してください" in m for m in messages)


async def test_textuals_own_words_are_japanese_too(log_path):
    """The palette's prompt, its system commands, the Ctrl+C notice (plain text, no raw [b])."""
    from textual.command import CommandPalette
    from textual.widgets import Input

    app = japanese_app(log_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+c")
        shown = await toasts(pilot)
        assert any("終了するには Ctrl+Q を押してください" in s for s in shown), shown
        assert not any("[b]" in s for s in shown)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "コマンドを検索…"
        titles = [command[0] for command in app.get_system_commands(app.screen)]
        assert {"テーマ", "終了", "キー"} <= set(titles)
        assert not {"Theme", "Quit", "Keys"} & set(titles)


async def test_the_keys_list_in_japanese_says_textuals_table_keys_in_japanese_too(log_path):
    from textual.widgets import Static

    from tui_followup.ui.keys import KeysScreen

    app = japanese_app(log_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "上へ" in text and "次のページ" in text and "末尾へ" in text
        assert not any(english in text for english in ("Cursor up", "Page down", "Bottom", "Focus Next"))
        await pilot.press("j", "j", "G")  # scrolls like every list
        assert app.screen.query_one("#keys").scroll_y > 0


def english_app(log_path) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, new_id=lambda: f"en{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, language="en")


def footer_words(app: FollowupApp) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey)]


def class_descriptions() -> list[str]:
    """Every binding description of the app's and Today's classes, as Textual merged them."""
    from tui_followup.ui.screens.today import TodayScreen

    return [binding.description for cls in (FollowupApp, TodayScreen)
            for bindings in cls._merged_bindings.key_to_bindings.values() for binding in bindings]


async def test_a_japanese_and_an_english_app_each_speak_their_own_language(log_path):
    """The language is the app's, not the process's: two apps made side by side, run one after
    the other, each show their own words (their keys in the footer and the ? list too), and
    making the Japanese one changes no class data."""
    from tui_followup.ui.keys import KeysScreen

    before = class_descriptions()
    assert "key.clients" in before and "key.open" in before  # the classes name their words by key
    japanese, english = japanese_app(log_path), english_app(log_path)
    assert class_descriptions() == before
    assert FollowupApp.BINDINGS[1].description == "key.clients"
    for app, today, clients, message, keys_title in ((japanese, "今日", "一覧", "連絡", "キー"),
                                                     (english, "Today", "Clients", "Message", "Keys"),
                                                     (japanese_app(log_path), "今日", "一覧", "連絡", "キー")):
        async with app.run_test(size=SIZE) as pilot:
            assert app.screen.title == today
            shown = footer_words(app)
            assert message in shown, shown  # (1-5 are under ?: the footer shows what fits)
            await pilot.press("question_mark")
            assert isinstance(app.screen, KeysScreen)
            text = " ".join(str(s.render()) for s in app.screen.query(Static))
            assert keys_title in text and clients in text
            assert "key." not in text
    assert class_descriptions() == before
    assert japanese.words.t("screen.today") == "今日" and english.words.t("screen.today") == "Today"


def test_a_clients_messages_are_in_their_recorded_language_else_their_names_else_the_apps(log_path):
    """A Japanese app: a client with a Hangul name gets Korean, one with a latin name the app's
    Japanese (neither with a language recorded); a client recorded as English gets English,
    whatever the script of their name or of the promise typed."""
    from tui_followup.core import commands as cmd
    from tui_followup.ui.record_forms import message_text

    app = japanese_app(log_path)
    journal = app.journal
    journal.record(cmd.register_client, "park", "박서연", channel="chat")
    journal.record(cmd.register_client, "anna", "Anna Berg", channel="chat")
    journal.record(cmd.register_client, "aoki2", "青木 一郎", channel="email", language="en")
    said = {c: message_text(app.form_context(), journal.caseload.get(c), "monthly", None) for c in ("park", "anna", "aoki2")}
    assert said["park"].startswith("박서연 님") and said["anna"].startswith("Anna Berg様\n"), said
    assert said["aoki2"].startswith("Subject: Checking in\n\nDear 青木 一郎,\n"), said
