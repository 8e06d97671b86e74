"""Message templates: the item's label, its late wording, and never an empty placeholder."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tui_followup.core import templates
from tui_followup.core.caseload import project
from tui_followup.core.plans import DEFAULT_POLICY
from tui_followup.core.policy import follow_ups
from tui_followup.i18n import TEMPLATES as BOOK

from .helpers import TOKYO, d, register, session


@pytest.mark.parametrize("lang", ["ja", "en", "ko"])
@pytest.mark.parametrize("label", templates.LABELS)
@pytest.mark.parametrize("late", [False, True])
def test_no_template_prints_a_placeholder_it_cannot_fill(lang, label, late):
    text = templates.render(BOOK, label, lang, "青木 花子", late=late)  # no session date, no step, no promise text
    assert "…" not in text and "「」" not in text and '""' not in text and "{" not in text
    assert "青木 花子" in text


def test_a_filled_placeholder_is_used_when_it_can_be():
    text = templates.render(BOOK, "1w", "ja", "青木", session_date=date(2026, 9, 1), next_step="履歴書")
    assert "9月1日" in text and "「履歴書」の件" in text


def test_a_message_more_than_3_days_after_the_due_date_uses_the_late_wording():
    log = [register(when="2026-08-20"), session("2026-09-01 10:00", next_step="応募書類")]
    (item,) = [i for i in follow_ups(project(log).get("c1"), DEFAULT_POLICY, TOKYO) if i.shown_on(d("2026-09-03"))]
    assert (item.reason, item.due) == ("24h", date(2026, 9, 2))
    assert not item.late_on(date(2026, 9, 5)) and item.late_on(date(2026, 9, 6))
    on_time = templates.render(BOOK, "24h", "ja", "青木", next_step="応募書類", late=False, session_date=date(2026, 9, 1),
                               sent_on=date(2026, 9, 2))
    late = templates.render(BOOK, "24h", "ja", "青木", next_step="応募書類", late=True, session_date=date(2026, 9, 1),
                            sent_on=date(2026, 9, 6))
    assert "昨日は" in on_time and "昨日は" not in late and "先日" in late and "遅くなり" in late


def test_a_users_own_late_wording_is_used():
    overrides = {"en": {"1m.late": "Hi {name}, sorry for the delay."}}
    assert templates.render(BOOK, "1m", "en", "Emma", overrides=overrides, late=True) == "Hi Emma, sorry for the delay."
    assert templates.render(BOOK, "1m", "en", "Emma", overrides=overrides).startswith("Dear Emma,\nIt has been a month")


def test_every_default_text_uses_only_known_placeholders():
    known = {"name", "session_date", "next_step", "what", "achieved", "challenges", "day", "appointment",
             "appointment_date", "appointment_time", "appointment_day", "short_name"}
    particles = {"을", "은", "이", "와", "과"}
    for table in (own.texts for own in BOOK.languages.values()):
        for text in table.values():
            assert set(re.findall(r"{(\w+)}", text)) <= known | particles


def test_the_subject_line_is_for_an_email_in_the_messages_language():
    from tui_followup.core.templates import as_sent, compose

    message = compose(BOOK, "24h", "ja", "青木 花子")
    assert as_sent(BOOK, message, "ja", with_subject=True).startswith(f"件名: {message.subject}\n\n青木 花子様")
    assert as_sent(BOOK, message, "ja", with_subject=False) == message.body  # a call or a chat: the text alone
    korean = compose(BOOK, "respond", "ko", "김민준")
    assert as_sent(BOOK, korean, "ko", with_subject=True).startswith("제목: ")
    own = {"ja": {"subject.line": "【件名】{subject}"}}
    assert as_sent(BOOK, message, "ja", with_subject=True, overrides=own).startswith(f"【件名】{message.subject}\n\n")
