"""The app in Korean (Today and the Client screen: Korean words and Korean dates), and what
every language shows on the Client screen and in the undo dialog instead of codes and ids."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from textual.widgets import DataTable, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import CATALOGUES, words_for
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import ConfirmScreen

from .conftest import NOW, TOKYO

SIZE = (120, 36)
WIDE = (220, 36)  # the timeline's details whole (a narrower screen cuts them with …)


def app_in(log_path, language: str) -> FollowupApp:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, new_id=lambda: f"{language}{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)


def with_a_promise_kept(log_path) -> str:
    """kim: a promise made and a message that keeps it; the promise's id."""
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"p{next(c):020d}")
    at = datetime(2026, 11, 19, 10, 0, tzinfo=TOKYO)
    promise = journal.record(cmd.make_promise, "kim", datetime(2026, 11, 21).date(), "채용 정보 보내기", at=at)
    journal.record(cmd.send_message, "kim", channel="chat", template="1w", keeps=promise.id,
                   at=datetime(2026, 11, 20, 9, 0, tzinfo=TOKYO))
    journal.record(cmd.record_consent, "kim", "chat", at=at)
    return promise.id


async def test_today_in_korean(log_path):
    app = app_in(log_path, "ko")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.title == "오늘"
        assert app.screen.sub_title == "2026년 11월 25일 (수)"
        counts = str(app.screen.query_one("#counts", Static).render())
        assert "지연 2건" in counts and "오늘 1건" in counts
        table = app.screen.query_one("#due", DataTable)
        assert [str(c.label) for c in table.ordered_columns][:3] == ["내담자", "할 일", "예정일"]
        first = dict(zip((str(c.label) for c in table.ordered_columns), (str(c) for c in table.get_row_at(0))))
        assert list(first.values())[:2] == ["青木 花子", "24시간"]
        assert "이메일" in first.values() and "11월 22일 상담 뒤 24시간" in first.values()
        assert "11월 23일" in [str(c) for c in table.get_row_at(0)]  # the due day, short, in Korean
        await pilot.press("m")
        assert app.screen.form_title == "青木 花子 님께 연락 (24시간)"


async def test_the_client_screen_in_korean(log_path):
    with_a_promise_kept(log_path)
    app = app_in(log_path, "ko")
    async with app.run_test(size=WIDE) as pilot:
        app.open_client("kim")
        await pilot.pause()
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "계획 기본" in summary and "연락 방법 채팅" in summary
        assert "최근 접촉 2026년 11월 25일" in summary
        assert "합의한 다음 단계 지원서 완성하기" in summary
        timeline = app.screen.query_one("#timeline", DataTable)
        rows = [[str(c) for c in timeline.get_row_at(n)] for n in range(timeline.row_count)]
        assert rows[0][:2] == ["2026년 11월 25일 07:00", "답장"]
        kept = next(r for r in rows if r[0] == "2026년 11월 20일 09:00")
        assert kept[1] == "연락" and kept[3] == "연락 방법: 채팅 · 문구: 1주 · 지킨 약속: ‘채용 정보 보내기’ (2026년 11월 21일까지) · 답하는 할 일: 약속"
        made = next(r for r in rows if r[1] == "약속")
        assert made[3] == "기한: 2026년 11월 21일 · 내용: 채용 정보 보내기"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
async def test_the_client_screen_says_no_code_or_id_in_any_language(log_path, language):
    promise = with_a_promise_kept(log_path)
    app = app_in(log_path, language)
    words = words_for(language)
    async with app.run_test(size=WIDE) as pilot:
        for client in ("kim", "emma"):
            app.open_client(client)
            await pilot.pause()
            summary = str(app.screen.query_one("#summary", Static).render())
            timeline = app.screen.query_one("#timeline", DataTable)
            details = [str(timeline.get_row_at(n)[3]) for n in range(timeline.row_count)]
            shown = summary + "\n".join(details)
            assert promise not in shown and "True" not in shown and "('" not in shown and "=" not in shown
            plan = "standard" if client == "kim" else "weekly"
            assert words.word("plan", plan) in summary
            if language != "en":
                assert plan not in shown and "chat" not in shown and "1w" not in shown
            app.pop_screen()
            await pilot.pause()
        app.open_client("kim")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", DataTable)
        kept = str(timeline.get_row_at(1)[3])
        assert words.t("detail.promise", what="채용 정보 보내기", day=words.long_day(datetime(2026, 11, 21).date())) in kept


@pytest.mark.parametrize("language, when", [("ko", "11월 25일 07:00"), ("ja", "11/25 07:00"), ("en", "11-25 07:00")])
async def test_the_undo_dialog_says_the_date_as_the_screen_does(log_path, language, when):
    app = app_in(log_path, language)
    async with app.run_test(size=SIZE) as pilot:
        app.record(cmd.add_note, "kim", "메모", at=datetime(2026, 11, 25, 7, 0, tzinfo=TOKYO))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"({when})" in app.screen.question or f"（{when}）" in app.screen.question, app.screen.question


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_resume_and_reopen_are_two_words_in_every_language(language):
    words = words_for(language)
    for a, b in (("key.resume", "key.reopen"), ("event.client_resumed", "event.case_reopened"),
                 ("doing.resume", "form.reopen")):
        assert words.t(a) != words.t(b), (a, b)
    assert words.t("key.reopen") not in words.t("key.resume") and words.t("key.resume") not in words.t("key.reopen")


def test_a_promise_said_to_the_client_and_a_list_are_words():
    """``explicit: True`` (the rule's edition, bookkeeping) is not shown; ``consents: ('email',)``
    and a language are said as a practitioner says them."""
    from datetime import date

    from tui_followup.core import events as ev

    at = datetime(2026, 11, 19, 10, 0, tzinfo=TOKYO)
    made = ev.PromiseMade(id="x1", at=at, recorded_at=at, actor="kato", client="kim", due=date(2026, 11, 21),
                          what="채용 정보 보내기", explicit=True)
    registered = ev.ClientRegistered(id="x2", at=at, recorded_at=at, actor="kato", client="kim", name="김민준",
                                     plan="weekly", channel="chat", consents=("email", "case_review"), language="ko")
    ko, ja, en = words_for("ko"), words_for("ja"), words_for("en")
    assert ko.details(made) == "기한: 2026년 11월 21일 · 내용: 채용 정보 보내기"
    assert ja.details(made) == "期日: 2026/11/21 · 内容: 채용 정보 보내기"
    assert en.details(made) == "due: 2026-11-21 · what: 채용 정보 보내기"
    assert (ko.yes_no(True), ja.yes_no(False), en.yes_no(True)) == ("예", "いいえ", "yes")
    assert ko.details(registered) == "이름: 김민준 · 계획: 매주 · 연락 방법: 채팅 · 언어: 한국어 · 동의: 이메일, 사례 검토"
    assert ja.details(registered) == "氏名: 김민준 · プラン: 毎週 · 連絡手段: チャット · 言語: 韓国語 · 同意: メール、ケース検討"


def test_the_words_a_native_reader_asked_for():
    """「12월 4일 답장에 회신」, 「2026년 11월 30일 (월) 주」, 「진전이 있었습니다: 감사 인사를」,
    「지난 날의 오늘」 and 「Textual 기본 단축키」 read as a practitioner would not say them."""
    from datetime import date

    ko, ja, en = words_for("ko"), words_for("ja"), words_for("en")
    assert ko.t("why.reply", day=ko.short_day(date(2026, 12, 4))) == "12월 4일 받은 답장에 회신"
    monday = date(2026, 11, 30)
    assert ko.t("review.week", day=ko.week_day(monday)) == "11월 30일(월)부터 한 주"
    assert ja.t("review.week", day=ja.week_day(monday)) == "11月30日（月）からの週"
    assert en.t("review.week", day=en.week_day(monday)) == "week of Mon 30 Nov"
    assert ko.t("review.to_thank") == "진전 있음 — 감사 인사"
    assert ja.t("review.to_thank") == "前進あり — お礼"
    assert ko.t("screen.past") == "지난 날짜 보기"
    for words in (ko, ja, en):
        for key in ("keys.table", "palette.keys_help"):
            assert "Textual" not in words.t(key), (words, key)


def test_a_snooze_with_a_blank_reason_says_no_reason():
    """A reason of spaces only is said as no reason: no 「이유:  」, no 「( )」."""
    from datetime import date, datetime, timezone

    from tui_followup.core.events import FollowUpSnoozed

    snooze = FollowUpSnoozed(id="x", at=datetime(2026, 12, 4, tzinfo=timezone.utc), recorded_at=datetime(2026, 12, 4, tzinfo=timezone.utc), actor="kato", client="c",
                             until=date(2026, 12, 5), reason="  ", item="checkpoint")
    for lang in ("ko", "ja", "en"):
        words = words_for(lang)
        details = words.details(snooze)
        assert words.t("field.reason") not in details and details.strip(), (lang, details)
