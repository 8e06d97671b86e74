"""Issue 13 in the core: the language of a client's messages, Korean templates, progress in
the 1m and 3m templates, and a client's details changed by client_updated."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tui_followup.core import events as ev
from tui_followup.core import templates
from tui_followup.core.caseload import project
from tui_followup.i18n import TEMPLATES as BOOK

from .helpers import TOKYO


@pytest.mark.parametrize("name, chosen, app, expected", [
    ("Anna Berg", "en", "ja", "en"), ("青木 花子", "en", "ja", "en"), ("김민준", "ja", "ko", "ja"),
    ("Anna Berg", "", "ja", "ja"), ("Anna Berg", "", "ko", "ko"), ("Anna Berg", "", "", "en"),
    ("김민준", "", "ja", "ko"), ("김민준", "", "en", "ko"), ("青木 花子", "", "ko", "ja"), ("あおい", "", "en", "ja"),
    ("Anna Berg", "", "fr", "en"),
])
def test_the_language_of_a_clients_messages_is_theirs_else_their_names_script_else_the_apps(name, chosen, app, expected):
    """Recorded: that one. Else a name in Hangul is written to in Korean, one in kana or kanji in
    Japanese (as issue 13 decided: a practitioner with a mixed caseload need not record it for
    each); a latin name says nothing, so the app's language is used."""
    assert templates.language_for(BOOK, chosen, app, name) == expected


def test_korean_has_every_label_and_every_variant_japanese_has():
    assert set(BOOK.languages["ko"].texts) == set(BOOK.languages["ja"].texts) == set(BOOK.languages["en"].texts)
    for label in templates.LABELS:
        assert label in BOOK.languages["ko"].texts


def test_korean_messages_fill_every_placeholder():
    text = templates.render(BOOK, "1w", "ko", "김민준", session_date=date(2026, 11, 1), next_step="이력서 쓰기")
    assert text.startswith("김민준 님, 안녕하십니까.\n") and "11월 1일" in text and "‘이력서 쓰기’는" in text
    assert "{" not in templates.render(BOOK, "1w", "ko", "김민준")  # no step agreed: the plain wording
    assert "늦어" in templates.render(BOOK, "1w", "ko", "김민준", late=True)


@pytest.mark.parametrize("lang", ["ja", "en", "ko"])
def test_one_month_uses_the_progress_of_the_latest_session(lang):
    text = templates.render(BOOK, "1m", lang, "N", achieved="ACH", challenges="CHAL")
    assert "ACH" in text and "CHAL" in text
    assert "ACH" in templates.render(BOOK, "3m", lang, "N", achieved="ACH")
    assert "{" not in templates.render(BOOK, "1m", lang, "N")  # nothing recorded: the plain wording


def _event(kind, client="c1", at=datetime(2026, 10, 1, 9, tzinfo=TOKYO), n=[0], **fields):
    n[0] += 1
    return kind(id=f"e{n[0]}", at=at, recorded_at=at, actor="t", client=client, **fields)


def test_a_change_stands_from_its_moment_and_the_latest_dated_wins():
    start = datetime(2026, 10, 1, 9, tzinfo=TOKYO)
    reg = _event(ev.ClientRegistered, at=start, name="青木 花子", consents=("email",))
    later = _event(ev.ClientUpdated, at=start + timedelta(days=10), plan="weekly", name="青木 はなこ")
    earlier = _event(ev.ClientUpdated, at=start + timedelta(days=5), plan="24-72-7", reading="アオキ")
    facts = project([reg, later, earlier]).get("c1")
    assert (facts.plan, facts.name, facts.reading, facts.channel) == ("weekly", "青木 はなこ", "アオキ", "email")
    assert facts.sort_name == "アオキ"
    assert project([reg, later, earlier], until=start + timedelta(days=6)).get("c1").plan == "24-72-7"
    assert facts.consent_given("email") and not facts.consent_given("chat")
    withdrawn = _event(ev.ConsentWithdrawn, at=start + timedelta(days=1), scope="email")
    facts = project([reg, withdrawn]).get("c1")
    assert not facts.consent_given("email") and facts.consent_states() == {"email": False}
