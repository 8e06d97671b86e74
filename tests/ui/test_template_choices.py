"""Ctrl+T in the message form offers only texts that are true today: the client's items open
today (due today or before), then a neutral check-in — never the monthly text ("this past
month") a day after a session, never the 1-month text two weeks after one."""

from __future__ import annotations

import itertools

from textual.widgets import DataTable, TextArea

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, t

SIZE = (120, 36)
CHECK_IN = "How have things been since we last spoke? I'd be glad to hear, whenever suits you."


def seed(path) -> None:
    j = Journal.open(path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    r = j.record
    r(cmd.register_client, "yday", "Emma Clarke", channel="chat", language="en", at=t("2026-11-01 09:00"))
    r(cmd.hold_session, "yday", at=t("2026-11-24 10:00"), next_step="finish the CV")
    r(cmd.register_client, "harry", "Harry King", channel="chat", language="en", at=t("2026-11-01 09:00"))
    r(cmd.hold_session, "harry", at=t("2026-11-10 10:00"), next_step="the job list")
    r(cmd.send_message, "harry", channel="chat", template="24h", at=t("2026-11-11 09:00"))
    r(cmd.send_message, "harry", channel="chat", template="1w", at=t("2026-11-17 09:00"))
    r(cmd.receive_reply, "harry", at=t("2026-11-25 08:00"))
    r(cmd.register_client, "ruby", "Ruby Scott", channel="chat", language="en", at=t("2026-11-18 09:00"))
    r(cmd.register_client, "leo", "Leo Baker", channel="chat", language="en", at=t("2026-11-01 09:00"))
    r(cmd.hold_session, "leo", at=t("2026-11-04 10:00"), next_step="the job list")
    r(cmd.send_message, "leo", channel="chat", template="24h", at=t("2026-11-05 09:00"))
    r(cmd.send_message, "leo", channel="chat", template="1w", at=t("2026-11-11 09:00"))
    r(cmd.book_appointment, "leo", when=t("2026-11-19 14:00"), at=t("2026-11-12 10:00"))


async def texts_for(pilot, app, name: str) -> list[str]:
    table = app.screen.query_one("#due", DataTable)
    row = next(i for i in range(table.row_count) if name in str(table.get_row_at(i)[0]))
    table.move_cursor(row=row)
    await pilot.press("m")
    texts = [app.screen.query_one("#preview", TextArea).text]
    for _ in range(3):
        await pilot.press("ctrl+t")
        texts.append(app.screen.query_one("#preview", TextArea).text)
    await pilot.press("escape")
    await pilot.pause()
    return texts


async def test_another_text_is_true_for_the_day(tmp_path):
    log = tmp_path / "events.jsonl"
    seed(log)
    journal = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"app{next(c):04d}")
    app = FollowupApp(journal, poll_seconds=0.0, template_overrides={})
    async with app.run_test(size=SIZE) as pilot:
        for name in ("Emma Clarke", "Harry King"):  # a session yesterday; a reply 15 days after one
            texts = await texts_for(pilot, app, name)
            joined = "\n".join(texts)
            assert "past month" not in joined and "a month since" not in joined, (name, texts)
            assert any(CHECK_IN in text for text in texts), (name, texts)
            assert len(set(texts)) == 2, (name, texts)  # the row's own item and the check-in, in turn
        texts = await texts_for(pilot, app, "Ruby Scott")  # no session yet: her first session, only
        assert len(set(texts)) == 1 and "first session" in texts[0], texts


async def test_no_reminder_for_an_appointment_already_past(tmp_path):
    """A session booked for six days ago, nothing recorded of it: the form offered "Sorry for
    the short notice: this is a reminder of our next session, on Thursday 19 November"."""
    log = tmp_path / "events.jsonl"
    seed(log)
    journal = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"app{next(c):04d}")
    app = FollowupApp(journal, poll_seconds=0.0, template_overrides={})
    async with app.run_test(size=SIZE) as pilot:
        texts = await texts_for(pilot, app, "Leo Baker")
        joined = "\n".join(texts)
        assert "reminder" not in joined and "short notice" not in joined, texts
        # the row's own text first: the session booked for 19 November named, a new time asked for
        assert "About our session planned for Thursday 19 November" in texts[0], texts
        assert MISSED["en"] in texts[0], texts


async def test_the_day_after_a_session_the_form_offers_the_thank_you_note_first(tmp_path):
    """A session yesterday and the next one booked (in five days; or this morning, not yet
    recorded): the booking takes the 24h item off the due list, and the form offered the early
    reminder or the neutral check-in ("since we last spoke", a day after speaking). The note
    after a session comes first, in the client's language, recorded as a checkpoint's."""
    log = tmp_path / "events.jsonl"
    j = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    for client, name, lang, booked in (("yamada", "山田 太郎", "ja", "2026-11-30 10:00"),
                                       ("emma", "Emma Clarke", "en", "2026-11-30 10:00"),
                                       ("aoki", "青木 花子", "ja", "2026-11-25 08:00"),
                                       ("liam", "Liam Walsh", "en", "2026-11-25 08:00")):
        j.record(cmd.register_client, client, name, channel="chat", language=lang, at=t("2026-11-01 09:00"))
        j.record(cmd.hold_session, client, at=t("2026-11-24 10:00"), next_step="履歴書" if lang == "ja" else "the CV")
        j.record(cmd.book_appointment, client, when=t(booked), at=t("2026-11-24 11:00"))
    first = {"ja": "昨日はお時間をいただき、ありがとうございました。", "en": "Thank you for your time yesterday."}
    for language in ("ja", "en"):
        copied: list[str] = []
        app = FollowupApp(Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato"),
                          poll_seconds=0.0, template_overrides={}, language=language)
        app.copy_text = copied.append
        async with app.run_test(size=SIZE) as pilot:
            for client, lang in (("yamada", "ja"), ("emma", "en"), ("aoki", "ja"), ("liam", "en")):
                app.client_action("message", client)
                await pilot.pause()
                text = app.screen.query_one("#preview", TextArea).text
                assert first[lang] in text and copied[-1] == text, (language, client, text)
                await pilot.press("escape")
                await pilot.pause()


REMINDER_WORDS = ("reminder", "Reminder")


async def test_a_reminder_only_for_a_booked_session_still_ahead(tmp_path):
    """The appointment reminder is offered for a booked session still ahead, with its day and
    time in the text; never for a client with nothing booked, a booking cancelled, or one whose
    time has passed this morning (the reminder without a date read "a reminder of our next
    session" and gave none)."""
    log = tmp_path / "events.jsonl"
    j = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                     new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    for client, name in (("none", "Nora Hill"), ("ahead", "Adam Fox"), ("early", "Eve Stone"),
                         ("gone", "Gus Reed")):
        j.record(cmd.register_client, client, name, channel="chat", language="en", at=t("2026-11-01 09:00"))
        j.record(cmd.hold_session, client, at=t("2026-11-10 10:00"), next_step="the CV")
    j.record(cmd.book_appointment, "ahead", when=t("2026-11-27 14:00"), at=t("2026-11-20 10:00"))
    j.record(cmd.book_appointment, "early", when=t("2026-11-25 08:00"), at=t("2026-11-20 10:00"))
    booked = j.record(cmd.book_appointment, "gone", when=t("2026-11-28 10:00"), at=t("2026-11-20 10:00"))
    j.record(cmd.cancel_appointment, booked.id, reason="ill", at=t("2026-11-21 10:00"))
    app = FollowupApp(Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato"),
                      poll_seconds=0.0, template_overrides={})
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", DataTable)
        seen: dict[str, list[str]] = {}
        for name in ("Nora Hill", "Adam Fox", "Eve Stone", "Gus Reed"):
            rows = [i for i in range(table.row_count) if name in str(table.get_row_at(i)[0])]
            for row in rows:
                table.move_cursor(row=row)
                await pilot.press("m")
                await pilot.pause()
                for _ in range(4):
                    seen.setdefault(name, []).append(app.screen.query_one("#preview", TextArea).text)
                    await pilot.press("ctrl+t")
                await pilot.press("escape")
                await pilot.pause()
        for name in ("Nora Hill", "Eve Stone", "Gus Reed"):
            assert not any(w in text for text in seen.get(name, []) for w in REMINDER_WORDS), (name, seen.get(name))
        # a session booked for 08:00 today, its time passed, nothing recorded: named, a new time asked for
        assert any("About our session planned for Wednesday 25 November at 8" in text and MISSED["en"] in text
                   for text in seen["Eve Stone"]), seen["Eve Stone"]
        reminders = [text for text in seen["Adam Fox"] if "reminder" in text]
        assert reminders and all("Friday 27 November at 2 pm" in text for text in reminders), seen["Adam Fox"]


ARRANGE = {"ja": "次回の日程を調整させてください。ご都合のよい日時をお知らせください。",
           "ko": "다음 상담 일정을 정하고자 합니다. 편하신 날짜와 시간을 알려 주십시오.",
           "en": "I'd like to arrange our next session: could you let me know a day and time that would suit you?"}


MISSED = {"ja": "にお約束していた面談について、その後いかがでしょうか。あらためて日程を調整させてください。",
          "ko": "에 잡혀 있던 상담과 관련해 연락드립니다. 다음 상담 일정을 다시 정하고자 합니다.",
          "en": "I'd like to find a new time. Could you let me know a day and time that would suit you?"}
DAY = {"ja": "11月12日", "ko": "11월 12일", "en": "12 November"}
REMINDER = {"ja": ("ご確認", "次回の面談は"), "ko": ("안내해 드립니다", "다음 상담은"), "en": ("reminder", "Reminder")}
MISSED_SUBJECT = {"ja": "面談日程の再調整について", "ko": "상담 일정 다시 정하기", "en": "Finding a new time for our session"}


def test_a_reminder_without_a_session_ahead_asks_to_arrange_the_next_one():
    """Where the reminder has no booked day to name (none given, or its day already past on the
    day it is sent), the text asks to arrange the next session instead of "reminding" of one it
    does not name."""
    from datetime import date, datetime

    from tui_followup.core import templates
    from tui_followup.i18n import TEMPLATES

    for lang, name in (("ja", "青木 花子"), ("ko", "김민준"), ("en", "Emma Clarke")):
        message = templates.compose(TEMPLATES, "appointment", lang, name, session_date=date(2026, 11, 2),
                                    sent_on=date(2026, 11, 20), appointment=None)
        assert ARRANGE[lang] in message.body, (lang, message)
        assert "11" not in message.subject and "12" not in message.body, (lang, message)
        for appointment in (datetime(2026, 11, 12, 14, 30), date(2026, 11, 12)):
            # its day already past when it is sent: the session it was, named, and a new time asked for
            message = templates.compose(TEMPLATES, "appointment", lang, name, session_date=date(2026, 11, 2),
                                        sent_on=date(2026, 11, 20), appointment=appointment)
            assert MISSED[lang] in message.body and DAY[lang] in message.body, (lang, appointment, message)
            assert all(word not in message.body + message.subject for word in REMINDER[lang]), (lang, message)
            assert message.subject == MISSED_SUBJECT[lang], (lang, message)
        ahead = templates.compose(TEMPLATES, "appointment", lang, name, sent_on=date(2026, 11, 10),
                                  appointment=datetime(2026, 11, 12, 14, 30))
        assert ARRANGE[lang] not in ahead.body and "12" in ahead.body, (lang, ahead)
