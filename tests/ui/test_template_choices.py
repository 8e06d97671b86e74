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
        assert "reminder" not in joined and "short notice" not in joined and "19 November" not in joined, texts


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
