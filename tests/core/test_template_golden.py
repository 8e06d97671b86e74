"""Every message template in every language, as the client reads it: rendered with every kind of
next step a practitioner types and on every kind of day it is sent, into one text file per
language under tests/core/golden/ that a reviewer reads; and the checks that hold for all of
them (no unfilled brace, no 을(를), Korean particles that fit, no "today" on a later day).

After changing a template, regenerate the files and read the difference:

    python -m tests.core.test_template_golden
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tui_followup.core import templates
from tui_followup.i18n import TEMPLATES as BOOK

GOLDEN = Path(__file__).parent / "golden"
LANGS = ("ja", "en", "ko")
NAMES = {"ja": "青木 花子", "en": "Emma Clarke", "ko": "김민준"}
SESSION = date(2026, 11, 2)  # a Monday; the missed appointment of a no-show too
APPOINTMENT = datetime(2026, 11, 12, 14, 30)
ALSO_APPOINTMENTS = (("10:00", datetime(2026, 11, 12, 10, 0)), ("no time", date(2026, 11, 12)), ("none", None))

# What a practitioner types as the next step (also the promise, what went well and what got in the way).
STEPS: tuple[tuple[str, dict[str, str] | str], ...] = (
    ("verb phrase", {"ja": "履歴書を仕上げる", "en": "finish the CV", "ko": "이력서 마무리하기"}),
    ("noun phrase", {"ja": "求人リスト", "en": "the job list", "ko": "구인 목록"}),
    ("empty", ""),
    ("brackets and emoji", {"ja": "求人票 [A社] 📄", "en": "job ad [Acme] 📄", "ko": "구인 공고 [A사] 📄"}),
    ("Korean, final consonant", "면접 연습"),
    ("Korean, no final consonant", "이력서 쓰기"),
    ("Korean, final ㄹ", "지원할 회사 고르는 일"),
    ("latin letter at the end", "update LinkedIn"),
    ("digit at the end", "지원 목표 3"),
)
# The day the message is sent, and whether it is late (more than 3 days after the due date).
DAYS = (
    ("the same day", SESSION, False),
    ("the next day", SESSION + timedelta(days=1), False),
    ("a week later", SESSION + timedelta(days=7), False),
    ("late, 18 days later", SESSION + timedelta(days=18), True),
)


def _step(step: dict[str, str] | str, lang: str) -> str:
    return step if isinstance(step, str) else step[lang]


def cases(label: str, lang: str):
    """(what the case is, the message) for every step and sent day of ``label``."""
    for day_name, sent_on, late in DAYS:
        for step_name, step in STEPS:
            text = _step(step, lang)
            kwargs = dict(session_date=SESSION, next_step=text, what=text, achieved=text, challenges=text,
                          late=late, sent_on=sent_on, no_show_date=SESSION, appointment=APPOINTMENT)
            yield (day_name, step_name), templates.compose(BOOK, label, lang, NAMES[lang], **kwargs)
            if label == "weekly" and day_name == "a week later":
                for week in range(len(templates.WEEKLY_VARIANTS)):
                    yield (f"a week later, week {week}", step_name), templates.compose(BOOK, 
                        label, lang, NAMES[lang], **{**kwargs, "week": week})
            if label == "appointment" and step_name == "empty":
                if day_name == "the same day":
                    for name, appointment in (("at 14:30", APPOINTMENT), ("no time", APPOINTMENT.date())):
                        yield (f"the same day as the appointment, at {name}", step_name), templates.compose(BOOK, 
                            label, lang, NAMES[lang], **{**kwargs, "appointment": appointment,
                                                         "sent_on": APPOINTMENT.date()})
                for name, appointment in ALSO_APPOINTMENTS:
                    yield (f"{day_name}, appointment {name}", step_name), templates.compose(BOOK, 
                        label, lang, NAMES[lang], **{**kwargs, "appointment": appointment})


def every_message():
    for lang in LANGS:
        for label in templates.LABELS:
            for case, message in cases(label, lang):
                yield lang, label, case, message


def _kwargs(lang: str, step: str, sent_on: date, late: bool) -> dict:
    return dict(session_date=SESSION, next_step=step, what=step, achieved=step, challenges=step, late=late,
                sent_on=sent_on, no_show_date=SESSION, appointment=APPOINTMENT)


def golden_text(lang: str) -> str:
    """The file a reviewer reads. Each label: its message on each kind of sent day (with the
    verb phrase as the step); then, on time and late, what each other kind of step changes
    (the lines that differ, or the whole message when the wording changes)."""
    name = NAMES[lang]
    lines = [f"# Message templates ({lang}): every label, on every kind of sent day, with every kind of next step.",
             "# Regenerate with: python -m tests.core.test_template_golden (then read the difference).",
             f"# The session (and a no-show's missed appointment) was on {SESSION} ({SESSION:%a}); "
             f"the booked session is {APPOINTMENT:%Y-%m-%d %H:%M}. The step typed also stands for the promise,",
             "# what went well and what got in the way. Steps: "
             + "; ".join(f"{label} = “{_step(step, lang)}”" for label, step in STEPS), ""]

    def whole(message: templates.Message) -> list[str]:
        return [f"Subject: {message.subject}", *message.body.split("\n")]

    for label in templates.LABELS:
        lines += [f"=== {label} ===", ""]
        first = _step(STEPS[0][1], lang)
        for day, sent_on, late in DAYS:
            lines += [f"--- sent {day}, step “{first}”", *whole(templates.compose(BOOK, label, lang, name, **_kwargs(
                lang, first, sent_on, late))), ""]
        if label == "weekly":
            for week in range(len(templates.WEEKLY_VARIANTS)):
                for step in (first, ""):
                    lines += [f"--- week {week}, step “{step}”", *whole(templates.compose(BOOK, 
                        label, lang, name, **{**_kwargs(lang, step, DAYS[2][1], False), "week": week})), ""]
        if label == "appointment":
            for what, appointment in ALSO_APPOINTMENTS:
                lines += [f"--- sent the next day, appointment {what}", *whole(templates.compose(BOOK, 
                    label, lang, name, **{**_kwargs(lang, first, DAYS[1][1], False), "appointment": appointment})), ""]
            for what, appointment in (("14:30", APPOINTMENT), ("no time", APPOINTMENT.date())):
                lines += [f"--- sent on the appointment's own day, appointment {what}", *whole(templates.compose(BOOK, 
                    label, lang, name, **{**_kwargs(lang, first, APPOINTMENT.date(), False),
                                          "appointment": appointment})), ""]
        changed = False
        for day, sent_on, late in (DAYS[1], DAYS[3]):  # on time and late (the day word is the step's no matter)
            base = whole(templates.compose(BOOK, label, lang, name, **_kwargs(lang, first, sent_on, late)))
            for kind, step in STEPS[1:]:
                other = whole(templates.compose(BOOK, label, lang, name, **_kwargs(lang, _step(step, lang), sent_on, late)))
                if other == base:
                    continue
                changed = True
                differs = [line for old, line in zip(base, other) if old != line]
                if len(other) != len(base) or len(differs) > 2 or (kind == "empty"):
                    differs = other
                lines += [f"--- sent {day}, step {kind}: “{_step(step, lang)}”", *differs, ""]
        if not changed:
            lines += ["(the step typed does not appear in this template)", ""]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
def test_the_golden_file_is_what_the_templates_say(lang):
    path = GOLDEN / f"{lang}.txt"
    assert path.read_text(encoding="utf-8") == golden_text(lang), (
        f"{path} differs: run python -m tests.core.test_template_golden and read the difference")


def test_no_message_has_an_unfilled_placeholder_or_an_empty_frame():
    for lang, label, case, (subject, body) in every_message():
        for text in (subject, body):
            assert "{" not in text and "}" not in text, (lang, label, case, text)
            assert "「」" not in text and "“”" not in text and "‘’" not in text, (lang, label, case, text)
        assert subject and templates.short_name(NAMES[lang]) in body.split("\n")[0], (lang, label, case)


def test_korean_has_no_particle_pair_nor_japanese_brackets():
    for lang, label, case, (subject, body) in every_message():
        if lang == "ko":
            for bad in ("(를)", "(는)", "(가)", "(이)", "(과)", "(으)", "「", "」", "을(", "은(", "이(", "과("):
                assert bad not in subject + body, (label, case, bad, body)


PARTICLE = re.compile(r"‘([^’]*)’( 건)?(을|를|은|는|이|가|과|와|으로|로)")


def test_each_korean_particle_fits_the_last_syllable_and_none_is_doubled():
    seen = set()
    for lang, label, case, (_, body) in every_message():
        if lang != "ko":
            continue
        assert not re.search(r"(을|를|은|는|가|과|와)\s*(을|를|은|는|가|과|와)[ .,?]", body), (label, case, body)
        for quoted, frame, found in PARTICLE.findall(body):
            before = "건" if frame else quoted
            assert templates.particle(before, found) == found, (label, case, quoted, found)
            assert bool(frame) == (templates.final_sound(quoted) is None), (label, case, quoted)
            seen.add(found)
    assert {"을", "를", "은", "는", "이", "가", "과", "와"} <= seen  # every form is met somewhere


def test_no_doubled_word_in_japanese_or_english():
    for lang, label, case, (subject, body) in every_message():
        if lang == "ja":
            assert not re.search(r"(の|を|は|が|に|で)\1", body), (label, case, body)
            assert "の件の件" not in body
        if lang == "en":
            assert not re.search(r"\b(\w+) \1\b", body, re.IGNORECASE), (label, case, body)


def test_no_today_when_it_is_sent_on_a_later_day():
    today = {"ja": "本日", "en": "today", "ko": "오늘"}
    yesterday = {"ja": "昨日", "en": "yesterday", "ko": "어제"}
    for lang, label, (day, step), (_, body) in every_message():
        if not day.startswith("the same day"):
            assert today[lang] not in body, (lang, label, day, body)
        if not day.startswith("the next day"):
            assert yesterday[lang] not in body, (lang, label, day, body)
    for lang in LANGS:
        for label in ("24h", "no-show"):
            said = {day: templates.render(BOOK, label, lang, NAMES[lang], session_date=SESSION, no_show_date=SESSION,
                                          sent_on=sent_on, late=late) for day, sent_on, late in DAYS}
            assert today[lang] in said["the same day"] and yesterday[lang] in said["the next day"], said
            earlier = {"ja": "先日", "en": "the other day", "ko": "지난번"}[lang]
            assert earlier in said["a week later"], said


def test_without_the_day_it_is_sent_a_message_never_says_today():
    for lang in LANGS:
        text = templates.render(BOOK, "24h", lang, NAMES[lang], session_date=SESSION)
        assert {"ja": "先日", "en": "the other day", "ko": "지난번"}[lang] in text


def test_the_24h_note_says_no_reply_is_needed():
    needed = {"ja": "お返事は不要", "en": "no need to reply", "ko": "답장하지 않으셔도"}
    for lang in LANGS:
        for step in ("", "x"):
            for late in (False, True):
                body = templates.render(BOOK, "24h", lang, NAMES[lang], next_step=step, late=late)
                assert needed[lang] in body or needed[lang].replace("하지", "은 하지") in body, body


def test_the_intent_check_asks_openly_without_blame_or_ultimatum():
    respects = {"ja": "どれを選んでいただいても大丈夫です", "en": "I'll respect whatever you decide",
                "ko": "어느 쪽이라도 괜찮습니다"}
    blame = ("一度だけ", "途絶え", "just once", "only once", "haven't heard", "한 번만", "연락이 없으셔서")
    for lang in LANGS:
        for label in ("intent-check", "intent-check.paused"):
            for late in (False, True):
                body = templates.render(BOOK, label, lang, NAMES[lang], late=late)
                assert not any(word in body for word in blame), body
                assert respects[lang] in body, body
        assert templates.render(BOOK, "intent-check.paused", lang, "N") != templates.render(BOOK, "intent-check", lang, "N")
    assert "お休み" in templates.render(BOOK, "intent-check.paused", "ja", "N")
    assert "pause for a while" in templates.render(BOOK, "intent-check.paused", "en", "N")
    assert "쉬시는" in templates.render(BOOK, "intent-check.paused", "ko", "N")


def test_the_3m_note_asks_what_changed():
    asked = {"ja": "変わったことはありましたか", "en": "what has changed for you", "ko": "변화가 있었습니까?"}
    for lang in LANGS:
        for achieved in ("", "x"):
            for late in (False, True):
                body = templates.render(BOOK, "3m", lang, NAMES[lang], achieved=achieved, late=late)
                assert asked[lang].lower() in body.lower(), body
    assert "きっと" not in "".join(BOOK.languages["ja"].texts.values())


def test_the_weekly_check_in_varies_and_never_repeats_the_step_two_weeks_running():
    for lang in LANGS:
        for step in ("STEP", ""):
            bodies = [templates.render(BOOK, "weekly", lang, NAMES[lang], next_step=step, week=w) for w in range(8)]
            assert len(set(bodies[:4])) == 4, bodies
            assert bodies[:4] == bodies[4:]
            if step:
                assert not any("STEP" in a and "STEP" in b for a, b in zip(bodies, bodies[1:])), bodies
                assert any("STEP" in b for b in bodies)


def test_korean_keeps_one_register_and_does_not_translate_next_step_word_for_word():
    for lang, label, case, (subject, body) in every_message():
        if lang != "ko":
            continue
        for sentence in re.split(r"(?<=[.?!])\s+", body.split("\n", 1)[1]):
            assert not re.search(r"요[.?!]?$", sentence.strip()), (label, sentence)  # 해요체
        assert "다음 걸음" not in body and "다음 한 걸음" not in body and "다음 단계" not in body


@pytest.mark.parametrize("text, name, expected", [
    ("이력서 쓰기", "을", "를"), ("구인 목록", "를", "을"), ("면접 연습", "는", "은"), ("이력서 쓰기", "은", "는"),
    ("구인 목록", "가", "이"), ("이력서 쓰기", "이", "가"), ("면접 연습", "와", "과"), ("이력서 쓰기", "과", "와"),
    ("구인 목록", "로", "으로"), ("이력서 쓰기", "으로", "로"), ("고르는 일", "으로", "로"), ("고르는 일", "을", "을"),
    ("지원 목표 3", "을", "을"), ("지원 목표 2", "을", "를"), ("10", "는", "은"), ("7", "으로", "로"), ("0", "가", "이"),
    ("update LinkedIn", "을", " 건을"), ("구인 공고 [A사] 📄", "이", " 건이"), ("구인 공고 (A사)", "은", " 건은"),
    ("", "을", " 건을"),
])
def test_a_korean_particle_follows_the_final_sound(text, name, expected):
    assert templates.particle(text, name) == expected


def test_every_label_has_a_subject_in_every_language_and_the_user_may_change_it():
    for lang in LANGS:
        for label in templates.LABELS:
            assert f"{label}.subject" in BOOK.languages[lang].texts, (lang, label)
    assert templates.compose(BOOK, "1w", "ja", "青木").subject == BOOK.languages["ja"].texts["1w.subject"]
    overrides = {"ja": {"24h.subject": "{name}様 本日のお礼", "24h": "{name}様、ありがとうございました。"}}
    message = templates.compose(BOOK, "24h", "ja", "青木", overrides=overrides)
    assert message == ("青木様 本日のお礼", "青木様、ありがとうございました。")
    assert templates.compose(BOOK, "appointment", "en", "Emma", appointment=APPOINTMENT).subject == \
        "Reminder: our session on Thursday 12 November"
    assert templates.compose(BOOK, "appointment", "en", "Emma").subject == "Arranging our next session"


def test_the_appointment_says_its_day_and_time_in_each_language():
    said = {lang: templates.render(BOOK, "appointment", lang, NAMES[lang], appointment=APPOINTMENT) for lang in LANGS}
    assert "11月12日（木）14時30分" in said["ja"]
    assert "Thursday 12 November at 2:30 pm" in said["en"]
    assert "11월 12일(목) 오후 2시 30분" in said["ko"]


def test_the_answer_to_a_client_who_wrote_thanks_them_says_what_can_happen_next_and_does_not_press():
    """respond: a whole message a practitioner would send (not a one-line stub), with a subject
    of its own (not the body's first sentence), on time and late."""
    thanks = {"ja": "ご連絡いただき、ありがとうございます", "en": "Thank you for your message", "ko": "연락 주셔서 감사합니다"}
    next_ = {"ja": "ご都合のよい日時", "en": "a few days and times", "ko": "편하신 날짜와 시간"}
    no_pressure = {"ja": "お返事は、ご都合のよいときで", "en": "no rush", "ko": "편하실 때"}
    sorry = {"ja": "お返事が遅くなり", "en": "slow reply", "ko": "답장이 늦어"}
    for lang in LANGS:
        for late in (False, True):
            subject, body = templates.compose(BOOK, "respond", lang, NAMES[lang], late=late)
            for words in (thanks, next_, no_pressure):
                assert words[lang] in body, (lang, late, body)
            assert (sorry[lang] in body) == late, (lang, body)
            assert len(body.split("\n")) >= 3, body
            first_sentence = re.split(r"[。.]", body.split("\n")[1])[0]
            assert subject not in first_sentence and first_sentence not in subject, (subject, body)


def test_the_question_after_a_pause_speaks_of_the_pause_agreed_and_asks_whether_and_when_to_resume():
    """intent-check.paused: the pause is still on (not "how was your break"), it was agreed
    (not said to be the client's asking), and the question is open: whether and when to
    resume, more time, or stopping."""
    asked_for = {"ja": "しばらくお休みの期間としていましたので", "en": "We agreed to pause for a while", "ko": "잠시 쉬어 가기로 했던"}
    when = {"ja": "いつごろ", "en": "roughly when", "ko": "언제쯤"}
    stop = {"ja": "区切り", "en": "end our work here", "ko": "마무리"}
    over = ("お休みの間、いかがお過ごしでしたか", "お休みのあと", "has done you good", "After your break",
            "쉬시는 동안 잘 지내셨습니까", "휴식 후")
    for lang in LANGS:
        for late in (False, True):
            subject, body = templates.compose(BOOK, "intent-check.paused", lang, NAMES[lang], late=late)
            for words in (asked_for, when, stop):
                assert words[lang] in body, (lang, late, body)
            assert not any(word in subject + body for word in over), (lang, late, subject, body)


def test_what_was_typed_sits_in_the_templates_frame_whatever_its_script():
    """A promise typed in English in a Japanese message (or in Hangul in an English one) is
    quoted in the message's own frame, so the sentence around it stays grammatical."""
    frames = {"ja": ("「", "」の件"), "en": ("“", "”"), "ko": ("‘", "’")}
    for lang, table in ((lang, own.texts) for lang, own in BOOK.languages.items()):
        opening, closing = frames[lang]
        for key, text in table.items():
            for field in ("next_step", "what", "achieved", "challenges"):
                for m in re.finditer("{" + field + "}", text):
                    assert text[m.start() - len(opening):m.start()] == opening, (lang, key, text)
                    assert text[m.end():m.end() + len(closing)] == closing, (lang, key, text)
    typed = {"ja": "Send the job list", "en": "求人情報を送る", "ko": "send the CV"}
    said = {"ja": "「Send the job list」の件", "en": "“求人情報を送る”", "ko": "‘send the CV’ 건"}
    for lang in LANGS:
        for late in (False, True):
            assert said[lang] in templates.render(BOOK, "promise", lang, NAMES[lang], what=typed[lang], late=late)


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for lang in LANGS:
        path = GOLDEN / f"{lang}.txt"
        path.write_text(golden_text(lang), encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
