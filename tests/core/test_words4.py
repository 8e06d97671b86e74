"""A native reader's review of the templates (issue 23): each text true for the day it is sent,
each frame grammatical whatever was typed, each name said as a careful practitioner says it."""

from __future__ import annotations

import re
from datetime import date, datetime

from tui_followup.core import templates
from tui_followup.i18n import TEMPLATES as BOOK

DAY = date(2026, 11, 25)  # a Wednesday
AT_TWO = datetime(2026, 11, 25, 14, 0)


def test_a_reminder_on_the_appointments_own_day_says_today():
    said = {lang: templates.render(BOOK, "appointment", lang, name, appointment=AT_TWO, sent_on=DAY)
            for lang, name in (("ja", "青木 花子"), ("en", "Emma Clarke"), ("ko", "김민준"))}
    assert "本日11月25日（水）14時からの面談のご確認です" in said["ja"], said["ja"]
    assert "our session today, Wednesday 25 November, at 2 pm" in said["en"], said["en"]
    assert "오늘(11월 25일) 오후 2시 상담을 안내해 드립니다" in said["ko"], said["ko"]
    before = templates.render(BOOK, "appointment", "en", "Emma", appointment=AT_TWO, sent_on=date(2026, 11, 23))
    assert "today" not in before and "Wednesday 25 November at 2 pm" in before


def test_a_reminder_never_apologises_for_short_notice():
    for lang in ("ja", "en", "ko"):
        for sent_on in (date(2026, 11, 24), DAY, date(2026, 11, 30)):
            text = templates.render(BOOK, "appointment", lang, "X", appointment=AT_TWO, sent_on=sent_on, late=True)
            assert not any(w in text for w in ("直前", "short notice", "촉박")), text


def test_a_bracketed_text_inside_brackets_nests_and_a_step_keeps_no_full_stop_inside_quotes():
    ja = templates.render(BOOK, "promise", "ja", "青木 花子", what="「志望動機」を書く")
    assert "「『志望動機』を書く」の件" in ja and "「「" not in ja, ja
    en = templates.render(BOOK, "promise", "en", "Emma Clarke", what="Apply to Acme.")
    assert "about “Apply to Acme”." in en, en
    assert "“Wait...”" in templates.render(BOOK, "promise", "en", "Emma", what="Wait...")  # an ellipsis stays


def test_every_quoted_frame_nests_its_quotes_and_drops_a_full_stop():
    """The second native reading: 「履歴書を仕上げる。」の件, ‘이력서 완성.’ 건 and “Send “the CV” today!”
    read wrong; every frame drops one full stop and turns the quotes inside it to its inner form."""
    ja = templates.render(BOOK, "promise", "ja", "青木 花子", what="履歴書を仕上げる。")
    assert "「履歴書を仕上げる」" in ja and "。」" not in ja, ja
    en = templates.render(BOOK, "promise", "en", "Emma Clarke", what='Send "the CV" and “the list” today!')
    assert "“Send ‘the CV’ and ‘the list’ today!”" in en, en
    ko = templates.render(BOOK, "promise", "ko", "김민준", what="‘자기소개서’ 다듬기.")
    assert "‘“자기소개서” 다듬기’" in ko and ".’" not in ko, ko


def test_the_question_after_a_pause_does_not_say_the_client_asked_for_it():
    said = {lang: templates.render(BOOK, label, lang, "X", late=late)
            for lang in ("ja", "en", "ko") for label in ("intent-check.paused",) for late in (False, True)}
    for lang in ("ja", "en", "ko"):
        for late in (False, True):
            text = templates.render(BOOK, "intent-check.paused", lang, "X", late=late)
            assert not any(w in text for w in ("取りたいとうかがって", "You asked for", "쉬고 싶다고 하셨던")), text
            assert {"ja": "しばらくお休みの期間としていましたので", "en": "We agreed to pause for a while",
                    "ko": "잠시 쉬어 가기로 했던 만큼"}[lang] in text, text
    assert said


def test_reason_lines_are_notes_not_sentences():
    """A reason on screen is a note: 「11月17日 の面談を欠席：さりげなく声をかける」, never a polite
    sentence glued to a note (「…に来られませんでした。そっと声をかける」)."""
    from tui_followup.i18n import MESSAGES

    assert MESSAGES["ja"]["why.no_show"] == "{day} の面談を欠席：さりげなく声をかける"
    assert MESSAGES["ko"]["why.no_show"] == "{day} 상담 불참: 부담 없이 안부 연락"
    for lang, sentence_endings in (("ja", ("ました", "ません", "です", "ます", "。")),
                                   ("ko", ("습니다", "니다", "세요", "어요", "아요", "을", "오지 않음"))):
        for key, text in MESSAGES[lang].items():
            if key.startswith("why."):
                assert not any(e in text for e in sentence_endings), (lang, key, text)


def test_a_latin_name_is_greeted_by_its_first_word_and_others_in_full():
    assert templates.render(BOOK, "24h", "en", "Emma Clarke").startswith("Dear Emma,\n")
    assert templates.render(BOOK, "24h", "en", "  José  García ").startswith("Dear José,\n")
    assert templates.render(BOOK, "24h", "en", "김민준").startswith("Dear 김민준,\n")
    assert templates.render(BOOK, "24h", "en", "渡辺 大輔").startswith("Dear 渡辺 大輔,\n")  # family name first
    assert templates.render(BOOK, "24h", "ja", "Emma Clarke").startswith("Emma Clarke様\n")


def test_the_3m_says_the_name_once():
    for lang, name in (("ja", "渡辺 大輔"), ("ko", "조예린"), ("en", "Emma Clarke")):
        for achieved in ("面接", ""):
            text = templates.render(BOOK, "3m", lang, name, achieved=achieved)
            assert text.count(name.split()[0]) == 1, text


def test_the_1m_says_what_is_there():
    for lang in ("ja", "en", "ko"):
        only_achieved = templates.render(BOOK, "1m", lang, "X", achieved="finished the CV")
        only_challenges = templates.render(BOOK, "1m", lang, "X", challenges="interviews")
        assert "finished the CV" in only_achieved and "interviews" in only_challenges, (only_achieved, only_challenges)


def test_korean_catalogue_has_no_particle_pairs_and_one_polite_register():
    """합니다체 throughout (고르십시오, not 고르세요), and no particle written as a pair after a
    value the catalogue cannot know (「내담자 ID {client}은(는)」)."""
    from tui_followup.i18n import CATALOGUES, MESSAGES

    ko = MESSAGES["ko"]
    for key, text in ko.items():
        assert not any(p in text for p in ("은(는)", "을(를)", "이(가)", "(이)가", "와(과)", "(으)로")), (key, text)
        assert not re.search(r"세요\b|세요[.)]", text) and "당신" not in text, (key, text)
    assert ko["tip.resume"] == "쉬고 있던 상담을 다시 시작합니다"
    assert ko["form.achieved"] == ko["field.achieved"] == ko["progress.achieved"].rstrip(":")
    assert "기준" in ko["cli.demo_written"] and "부터 시작" not in ko["cli.demo_written"]
    dates = CATALOGUES["ko"]["dates"]
    assert dates["moment"].startswith(dates["long"]), dates  # one way to write a day, with a time or without


def test_a_language_is_named_in_the_screens_language():
    from tui_followup.i18n import words_for

    assert words_for("ja").language_name("ko") == "韓国語" and words_for("ja").language_name("en") == "英語"
    assert words_for("ko").language_name("ja") == "일본어" and words_for("ko").language_name("en") == "영어"
    assert words_for("en").language_name("ja") == "Japanese" and words_for("en").language_name("ko") == "Korean"
    assert words_for("ja").language_name("ja") == "日本語"
    assert words_for("ja").language_name("xx") == "xx"  # a code no catalogue knows stays a code


def test_a_pauses_end_is_not_called_a_postponement():
    """「休止 理由: family · 延期先: 2026/11/25」 read as "postponed to": a pause's end has its own
    word; a snooze keeps 延期先."""
    from datetime import datetime, timezone

    from tui_followup.core import events as ev
    from tui_followup.i18n import words_for

    at = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    paused = ev.ClientPaused(id="p", at=at, recorded_at=at, actor="t", client="c", reason="family", until=date(2026, 11, 25))
    ja, ko = words_for("ja").details(paused), words_for("ko").details(paused)
    assert "延期先" not in ja and "休止の終わり" in ja, ja
    assert "미룬 날짜" not in ko and "보류 종료일" in ko, ko


def test_an_erasures_events_are_counted_not_called_missing():
    """`history` of a forgotten client ended on 「消去した記録: （記録にありません）」 ("events
    erased: not on record") while 17 lines had just been erased: the ids it names are a list,
    looked up as one event. It says how many."""
    from datetime import timezone

    from tui_followup.core import events as ev
    from tui_followup.i18n import words_for

    at = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
    erased = ev.ClientForgotten(id="f", at=at, recorded_at=at, actor="t", client="forgotten-ab", lines_rewritten=3,
                                events=("e1", "e2", "e3"))
    said = {lang: words_for(lang).details(erased, find=lambda _id: None) for lang in ("ja", "en", "ko")}
    assert "記録にありません" not in said["ja"] and "消去した記録: 3 件" in said["ja"], said["ja"]
    assert "events erased: 3" in said["en"], said["en"]
    assert "지운 기록: 3건" in said["ko"], said["ko"]
