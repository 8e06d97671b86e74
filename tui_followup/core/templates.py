"""Message templates for each checkpoint: a subject line and a body, as a careful practitioner
would write them to a client, chosen and filled here. The texts themselves are data: each
language's catalogue holds them (``[templates]`` in ``i18n/xx.toml``, with the language's day
words, date formats, subject line, the scripts its names are written in and its particle rule);
the shell reads them and passes them in as ``Templates`` (``i18n.TEMPLATES``).

Placeholders: ``{name}`` (the client's name), ``{short_name}`` (as a greeting says it: the
first word of a name in Latin script, else the whole name), ``{session_date}`` (the day of the latest
session), ``{next_step}`` (the step agreed in it), ``{what}`` (a promise), ``{achieved}`` and
``{challenges}`` (the progress recorded at the latest session, used by 1m and 3m),
``{appointment}`` (a booked session: its day and time; also ``{appointment_date}`` (with its
weekday), ``{appointment_day}`` (without) and ``{appointment_time}``) and ``{day}``: the word for the day the message refers to (the session,
or the missed appointment of a no-show), true on the day it is sent (本日 / 昨日 / 先日; today /
yesterday / the other day; 오늘 / 어제 / 지난번).

Whatever the practitioner typed (a verb phrase, a noun phrase, one word) sits in a frame that is
grammatical around it: 「…」の件, “…”, ‘…’. In Korean a particle placeholder right after a
value, ``{을}`` ``{은}`` ``{이}`` ``{와}`` ``{으로}`` ``{이라는}`` (either form of the pair may be
written), takes the form the value's last syllable asks for (받침): ‘이력서 쓰기’를,
‘구인 목록’을, ‘3’을. After a value that ends in something not read as Hangul or a number
(a latin letter, a bracket, an emoji) the particle follows the noun 건: ‘send the CV’ 건을.

Besides each label's text there is ``LABEL.late`` (a message more than 3 days after the due
date: no "today", no pretending it is on time) and ``LABEL.plain`` (used when a placeholder of
the text cannot be filled: no empty 「…」 is ever sent); ``appointment.today`` is the reminder
sent on the appointment's own day (an appointment reminder is never late);
``appointment.missed``, once its day is past with nothing recorded, names the session it was
and asks for a new time; ``appointment.plain``, with no booked day to name, asks to arrange
the next session instead of reminding of one; the weekly check-in has variants
(``weekly``, ``weekly.2``, ``weekly.3``, ``weekly.4``), one for each week in turn. Subjects are
``LABEL.subject`` (and, where it differs, ``LABEL.plain.subject``). The user may override any of
them in ``templates.toml`` in the config directory (read by the shell):

    [ja]
    "1w" = "{name}様 ..."
    "1w.subject" = "一週間のご様子"
    [en]
    "1w" = "Hi {name}, ..."
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Literal, Mapping, NamedTuple

import msgspec

LABELS = ("24h", "72h", "1w", "1m", "3m", "monthly", "weekly", "intent-check", "respond", "promise", "no-show",
          "first-session", "appointment", "intent-check.paused", "check-in")
# A text's forms with part of what was recorded, tried before its plain form (what is there is said).
PARTS = {"1m": ("1m.achieved", "1m.challenges")}
THANKS = "24h"  # the note after a session, which the message form offers the day after one
CHECK_IN = "check-in"  # the neutral text Ctrl+T offers besides the items open today
WEEKLY_VARIANTS = ("weekly", "weekly.2", "weekly.3", "weekly.4")  # one a week, in turn

# A language's templates are data, in its catalogue's ``[templates]`` table (``i18n/xx.toml``),
# read by the shell and passed in as a ``Templates``: nothing here names a language.


class Days(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The words for the day a message refers to, seen from the day it is sent: the same day,
    the day before, earlier (or not known: never "today" unless it is)."""

    today: str
    yesterday: str
    earlier: str


class DateFormats(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How a day and a time are written in a message: format strings of ``{month} {day}
    {weekday} {month_name}`` (days) and ``{hour} {hour12} {minute} {ampm}`` (times)."""

    date: str
    weekday_date: str
    weekdays: tuple[str, ...]
    time: str
    time_minutes: str
    moment: str  # a day and a time: ``{date}`` and ``{time}``
    months: tuple[str, ...] = ()
    ampm: tuple[str, str] = ("", "")


class Quotes(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A pair of quotation marks a placeholder sits between (``frame``: the opening mark, then
    the closing one), the pair a quotation inside what was typed turns into there (``inner``),
    and whether straight double quotes typed in pairs take the inner pair too (``straight``)."""

    frame: str
    inner: str
    straight: bool = False

    def __post_init__(self) -> None:
        if len(self.frame) != 2 or len(self.inner) != 2:
            raise ValueError("a quotes entry's frame and inner are two marks each: the opening, the closing")


class LanguageTemplates(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One language's messages: each label's texts and subjects, how its subject line, days and
    dates are written, the scripts a name written in says the language, the rule its
    particle placeholders follow (``"korean"``: by the last syllable's 받침; ``""``: none), and
    how a typed text reads between its quotation marks: ``quotes`` (the frames that turn a
    quotation inside to their inner form) and ``full_stops`` (the marks a quoted text ends a
    sentence with, one of which is dropped where the message's sentence goes on). A catalogue
    that names none keeps what was typed as it is."""

    texts: dict[str, str]
    days: Days
    dates: DateFormats
    subject_line: str = "{subject}"
    scripts: tuple[str, ...] = ()
    particles: Literal["", "korean"] = ""
    quotes: tuple[Quotes, ...] = ()
    full_stops: tuple[str, ...] = ()


class Templates(msgspec.Struct, frozen=True):
    """Every language's templates, by language code; ``fallback``'s for a language without any."""

    languages: dict[str, LanguageTemplates]
    fallback: str = "en"

    def of(self, lang: str) -> LanguageTemplates:
        return self.languages.get(lang) or self.languages[self.fallback]


def read_templates(tables: Mapping[str, Mapping[str, object]], fallback: str = "en") -> Templates:
    """The ``Templates`` of each language's ``[templates]`` table (as a catalogue holds it);
    ``msgspec.ValidationError`` names what is missing or wrong."""
    return Templates({lang: msgspec.convert(table, LanguageTemplates) for lang, table in tables.items()},
                     fallback)


# The characters of each script a ``scripts`` entry may name (Unicode's script names).
SCRIPTS: dict[str, tuple[tuple[str, str], ...]] = {
    "Hangul": (("\uac00", "\ud7af"), ("\u1100", "\u11ff"), ("\u3130", "\u318f")),
    "Hiragana": (("\u3040", "\u309f"),),
    "Katakana": (("\u30a0", "\u30ff"),),
    "Han": (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf")),
}


def _in_script(ch: str, script: str) -> bool:
    return any(low <= ch <= high for low, high in SCRIPTS.get(script, ()))

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]+)\}")

# Korean particles: the form after a final consonant (받침), the form after a vowel, and the
# form after ㄹ (only (으)로 differs). Either form may name the particle in a template.
_PARTICLES: dict[str, tuple[str, str, str]] = {}
for _after_consonant, _after_vowel, _after_rieul in (
        ("을", "를", "을"), ("은", "는", "은"), ("이", "가", "이"), ("과", "와", "과"),
        ("으로", "로", "로"), ("이라는", "라는", "이라는"), ("이나", "나", "이나")):
    _PARTICLES[_after_consonant] = _PARTICLES[_after_vowel] = (_after_consonant, _after_vowel, _after_rieul)

# The last syllable of a number read in Korean (일, 이, 삼, ...): "c" a final consonant, "r" ㄹ, "v" none.
# What a text (a body or a subject) may name: the values ``compose`` fills, and a particle in a
# language whose ``particles`` rule is ``"korean"``. A catalogue naming anything else is refused
# when it is read (``i18n.check``).
PLACEHOLDERS = frozenset({"name", "short_name", "day", "session_date", "next_step", "what", "achieved",
                          "challenges", "appointment", "appointment_date", "appointment_time", "appointment_day"})
PARTICLES = frozenset(_PARTICLES)

_DIGIT_ENDINGS = {"0": "c", "1": "r", "2": "v", "3": "c", "4": "v", "5": "v", "6": "c", "7": "r", "8": "r", "9": "v"}
_FRAME_NOUN = "건"  # ‘send the CV’ 건을: the noun a particle follows when the text cannot take it


class Message(NamedTuple):
    subject: str
    body: str


def as_sent(book: Templates, message: Message, lang: str, with_subject: bool,
            overrides: dict[str, dict[str, str]] | None = None) -> str:
    """What is shown and copied: for an e-mail the subject line first (in the message's
    language: its ``subject_line``, or ``"subject.line"`` in templates.toml), then the text; for
    a call or a chat the text alone."""
    if not with_subject or not message.subject:
        return message.body
    line = (overrides or {}).get(lang, {}).get("subject.line") or book.of(lang).subject_line
    return f"{line.replace('{subject}', message.subject)}\n\n{message.body}"


def language_for(book: Templates, chosen: str, app_language: str | None = None, name: str = "") -> str:
    """The language of a client's messages: the one recorded for them (their ``language``);
    else the one their name's script is written in when only one language here writes it (each
    language's ``scripts``: Hangul for Korean, kana or kanji for Japanese); else the app's
    language (the practitioner's), else the fallback. A latin name says nothing: it gets the
    app's language. The form shows the language and the practitioner can change it before
    anything is sent."""
    if chosen in book.languages:
        return chosen
    for ch in name:
        writing = [lang for lang, own in book.languages.items() if any(_in_script(ch, s) for s in own.scripts)]
        if len(writing) == 1:
            return writing[0]
    return app_language if app_language in book.languages else book.fallback  # type: ignore[return-value]


def final_sound(text: str) -> str | None:
    """How ``text`` ends when read in Korean: ``"c"`` a final consonant (받침), ``"r"`` the
    consonant ㄹ, ``"v"`` a vowel; ``None`` when it ends in something not read as Hangul or a
    number (a latin letter, a bracket, an emoji, punctuation)."""
    text = text.rstrip()
    if not text:
        return None
    last = text[-1]
    if "\uac00" <= last <= "\ud7a3":
        final = (ord(last) - 0xAC00) % 28
        return "v" if final == 0 else "r" if final == 8 else "c"
    if last.isascii() and last.isdigit():
        digits = re.search(r"[0-9]+$", text).group()  # type: ignore[union-attr]
        if digits.strip("0") and digits.endswith("0"):
            return "c"  # 십, 백, 천, 만: every power of ten ends in a consonant
        return _DIGIT_ENDINGS[digits[-1]]
    return None


def particle(text: str, name: str) -> str:
    """The particle ``name`` (을 or 를, 은 or 는, 이 or 가, 과 or 와, 으로 or 로, ...) in the form
    the end of ``text`` asks for, with the noun 건 before it when ``text`` ends in something a
    Korean particle cannot follow."""
    consonant, vowel, rieul = _PARTICLES[name]
    sound = final_sound(text)
    if sound is None:
        return f" {_FRAME_NOUN}{particle(_FRAME_NOUN, name)}"
    return {"c": consonant, "v": vowel, "r": rieul}[sound]


def day_word(own: LanguageTemplates, event: date | None, sent_on: date | None) -> str:
    """本日 / 昨日 / 先日 (today / yesterday / the other day; 오늘 / 어제 / 지난번) for ``event``
    as seen on ``sent_on``; the earlier word when either is not known."""
    same, before, earlier = own.days.today, own.days.yesterday, own.days.earlier
    if event is None or sent_on is None:
        return earlier
    days = (sent_on - event).days
    return same if days == 0 else before if days == 1 else earlier


def format_day(own: LanguageTemplates, day: date, weekday: bool = False) -> str:
    f = own.dates
    return (f.weekday_date if weekday else f.date).format(
        month=day.month, day=day.day, weekday=f.weekdays[day.weekday()],
        month_name=f.months[day.month - 1] if f.months else day.month)


def format_time(own: LanguageTemplates, hour: int, minute: int) -> str:
    f = own.dates
    return (f.time_minutes if minute else f.time).format(
        hour=hour, minute=minute, hour12=hour % 12 or 12, ampm=f.ampm[hour >= 12])


def short_name(name: str) -> str:
    """The name as a greeting says it: the first word of a name in Latin script ("Dear Emma,"),
    the whole name in any other (渡辺 大輔, 김민준: the family name comes first)."""
    words = name.split()
    if words and all("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha()):
        return words[0]
    return name.strip()


def values_day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _paired(value: str, quotes: Quotes) -> str:
    """``value`` with each pair of the frame's own marks inside it (an opening followed later by
    its closing; nested pairs alternate, 「『「…」』」, as a typesetter nests them) and, where ``quotes.straight``, each two straight
    double quotes in turn, written as the inner pair; a mark left without its partner stays as
    typed: 「志望動機」を書く reads 『志望動機』を書く, 「志望動機を書く and ``"quote`` are kept."""
    opening, closing = quotes.frame
    marks = list(value)
    open_at: list[int] = []  # the frame's openings not closed yet, innermost last
    straight_at: int | None = None  # a straight double quote waiting for its second
    for at, mark in enumerate(value):
        if mark == opening and opening != closing:
            open_at.append(at)
        elif mark == closing and opening != closing:
            if open_at:
                start = open_at.pop()
                if len(open_at) % 2 == 0:  # the outermost pair inner, the one inside it the frame's again
                    marks[start], marks[at] = quotes.inner[0], quotes.inner[1]
        elif mark == opening or (quotes.straight and mark == '"'):
            if straight_at is None:
                straight_at = at
            else:
                marks[straight_at], marks[at] = quotes.inner[0], quotes.inner[1]
                straight_at = None
    return "".join(marks)


def _framed(own: LanguageTemplates, value: str, opening: str, closing: str) -> str:
    """``value`` as it reads between ``opening`` and ``closing`` (the characters around its
    placeholder), when they are one of the language's ``quotes``: the pairs of the frame's own
    marks inside it turned to the inner pair (straight double quotes too, in twos, where the
    frame says so; a mark without its partner kept as typed, :func:`_paired`), one of the
    language's ``full_stops`` at its end dropped (two in a row, an ellipsis, kept):
    「「志望動機」を書く。」 reads 「『志望動機』を書く」, “Apply to "Acme".” reads
    “Apply to ‘Acme’”."""
    quotes = next((q for q in own.quotes if q.frame == opening + closing), None)
    if quotes is None:
        return value
    value = _paired(value, quotes)
    stops = own.full_stops
    if value[-1:] in stops and value[-2:-1] not in stops:
        value = value[:-1].rstrip() or value
    return value


def framed(book: "Templates", lang: str, value: str, text: str, field: str) -> str:
    """``value`` as it reads where ``{field}`` stands in ``text`` (a screen's message, not a
    template): between a language's quotation marks the same as in a message to the client
    (「「A社」の求人票」 reads 「『A社』の求人票」)."""
    at = text.find("{" + field + "}")
    if at < 0 or lang not in book.languages:
        return value
    end = at + len(field) + 2
    return _framed(book.of(lang), value, text[at - 1:at], text[end:end + 1])


def _fill(text: str, values: dict[str, str], own: LanguageTemplates) -> str | None:
    """``text`` with every placeholder filled (``{{`` and ``}}`` are braces), a value between
    quotation marks as it reads there (:func:`_framed`), each particle (in a language whose
    ``particles`` rule is ``"korean"``) in the form the value before it asks for; ``None`` when a
    placeholder has nothing to fill it."""
    out: list[str] = []
    previous: str | None = None  # the value a particle placeholder follows
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        token, field = m.group(), m.group(1)
        if field is None:
            out.append(token[0])
        elif own.particles == "korean" and field in _PARTICLES and field not in values:
            if previous is None:
                return None
            out.append(particle(previous, field))
        else:
            value = values.get(field)
            if not value:
                return None
            value = _framed(own, value, text[:m.start()][-1:], text[m.end():][:1])
            out.append(value)
            previous = value
    out.append(text[pos:])
    return "".join(out)


def compose(
    book: Templates,
    label: str,
    lang: str,
    name: str,
    session_date: date | None = None,
    next_step: str = "",
    what: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
    late: bool = False,
    achieved: str = "",
    challenges: str = "",
    sent_on: date | None = None,
    no_show_date: date | None = None,
    week: int | None = None,
    appointment: datetime | date | None = None,
    appointment_passed: bool = False,
) -> Message:
    """The subject and the text of the message for a due item, every placeholder filled.

    ``sent_on`` is the day the message goes out: the day word (本日 / 昨日 / 先日) is said of the
    session (of ``no_show_date`` for a no-show) as seen that day, and without it never "today".
    The label's late wording when ``late``; a text without a placeholder that has nothing to
    fill it (no agreed step, no session date); the weekly check-in's variant for ``week`` (by
    default the weeks since the session); unknown labels fall back to ``monthly``."""
    language = book.of(lang)
    own = (overrides or {}).get(lang, {})
    table = {**language.texts, **own}
    event = no_show_date if label == "no-show" else session_date
    values = {
        "name": name,
        "short_name": short_name(name),
        "day": day_word(language, event, sent_on),
        "session_date": format_day(language, session_date) if session_date else "",
        "next_step": next_step.strip(),
        "what": what.strip(),
        "achieved": achieved.strip(),
        "challenges": challenges.strip(),
        "appointment": "",
        "appointment_date": "",
        "appointment_time": "",
        "appointment_day": "",
    }
    missed = label == "appointment" and appointment is not None and (appointment_passed or (
        sent_on is not None and values_day(appointment) < sent_on))  # past: nothing to remind of; a new time asked for
    if appointment is not None:
        day = appointment.date() if isinstance(appointment, datetime) else appointment
        values["appointment_day"] = format_day(language, day)
        values["appointment_date"] = format_day(language, day, weekday=True)
        values["appointment"] = values["appointment_date"]
        if isinstance(appointment, datetime):
            values["appointment_time"] = format_time(language, appointment.hour, appointment.minute)
            values["appointment"] = language.dates.moment.format(date=values["appointment_date"], time=values["appointment_time"])

    variant = label
    if label == "appointment":
        late = False  # a reminder is before the session or not at all: never "sorry for the short notice"
        if missed:
            variant = "appointment.missed"
        elif appointment is not None and sent_on == values_day(appointment):
            variant = "appointment.today"
            values["day"] = day_word(language, sent_on, sent_on)
    if label == "weekly":
        variants = [v for v in WEEKLY_VARIANTS if v in table]
        if "weekly" in own and not any(v in own for v in WEEKLY_VARIANTS[1:]):
            variants = ["weekly"]  # the user's own weekly text, every week
        if week is None:
            week = (sent_on - session_date).days // 7 if sent_on and session_date else 0
        variant = variants[max(week, 0) % len(variants)] if variants else label
    keys = [f"{label}.late", f"{label}.late.plain"] if late else []
    if missed:  # (never the reminder: a catalogue without this text asks to arrange the next one)
        keys += [variant, f"{label}.plain"]
    else:
        keys += [variant, *PARTS.get(variant, ()), f"{variant}.plain", label, f"{label}.plain"]
    if label.endswith(".paused"):
        keys += [label.removesuffix(".paused")]
    keys += ["monthly.late", "monthly"] if late else ["monthly"]
    body, chosen = None, "monthly"
    for key in keys:
        if key in table and (body := _fill(table[key], values, language)) is not None:
            chosen = key
            break
    if body is None:
        fallback = book.of(book.fallback)
        body = _fill(fallback.texts["monthly"], values, fallback) or ""
    subject = ""
    for key in (f"{chosen}.subject", f"{variant}.subject", f"{label}.subject", f"{label}.plain.subject",
                "monthly.subject"):
        if key in table and (filled := _fill(table[key], values, language)) is not None:
            subject = filled
            break
    return Message(subject, body)


def render(book: Templates, label: str, lang: str, name: str, **values) -> str:
    """The text of the message for a due item alone: :func:`compose`'s ``body``."""
    return compose(book, label, lang, name, **values).body
