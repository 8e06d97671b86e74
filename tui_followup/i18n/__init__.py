"""The message catalogue: every word the app and the command line show, by a stable key.

The words are data, one TOML file per language beside this module (``en.toml``, ``ja.toml``,
``ko.toml``), with the language's dates (``[dates]``) and spreadsheet titles (``[csv]``):
TOML and not gettext, because the standard library reads it as it is (gettext's ``.mo`` files
need a compile step and a tool chain translators rarely have), it holds multi-line texts, and
a translator edits one flat table of keys. A language is one file: its words, and the messages
to its clients (``[templates]``, read into ``TEMPLATES`` for the core); ``LANGUAGES`` are the
files found (here, and in ``$FOLLOWUP_I18N_DIR``). ARCHITECTURE.md, "How to add", lists the rest
(demo texts, pictures), all optional.

The language is a value that is passed, never a global: ``words_for(lang)`` gives that
language's ``Words`` (English for a language without a catalogue), and ``words.t(key, **params)``
says a message in it. The command line makes one from the settings (``cli.main``) and passes it
to every command; the app makes one from its ``language`` (``FollowupApp.words``), and its
screens and widgets read it there. Two languages can be used side by side in one process. Codes
that scripts rely on (JSON keys and values, labels such as ``1w`` in ``--json`` output) are
never translated; only what people read is.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Mapping

from ..core.caseload import ERASED
from ..core.commands import CommandError
from ..core.privacy import FORGOTTEN_NAME
from ..core.templates import Templates, framed, read_templates
from ..core.visible import visible
from .check import CatalogueError, check_catalogue, read_catalogue


# A folder of more catalogues (a language being written, a test's): each ``xx.toml`` there is
# a language too, beside the ones here (never instead of one), checked as it is read.
EXTRA_DIR = "FOLLOWUP_I18N_DIR"


def load_catalogues(extra: str | os.PathLike[str] | None = None) -> dict[str, dict]:
    """Every catalogue beside this file, by language: ``en.toml``, ``ja.toml``, ...; then those
    in ``extra`` (by default the folder ``$FOLLOWUP_I18N_DIR`` names, if any; ``""``: none),
    each checked as it is read (``check.check_catalogue``): ``CatalogueError`` names the file
    and the key of the first thing wrong. A catalogue there adds a language, never replaces
    one of these (nor one of its neighbours)."""
    here = Path(__file__).parent
    english = read_catalogue(here / "en.toml")
    out = {}
    for path in sorted(here.glob("*.toml")):  # (checked by the tests, not at every start)
        data = english if path.name == "en.toml" else read_catalogue(path)
        out[data["language"]] = data
    extra = extra if extra is not None else os.environ.get(EXTRA_DIR, "")
    given: dict[str, Path] = {}
    for path in sorted(Path(extra).glob("*.toml")) if extra else ():
        data = read_catalogue(path)
        check_catalogue(data, english, path)
        lang = data["language"]
        if lang in given:
            raise CatalogueError(path, "language", "twice", value=lang, other=given[lang])
        if lang in out:
            raise CatalogueError(path, "language", "built_in", value=lang)
        given[lang] = path
        out[lang] = data
    return out


try:
    CATALOGUES = load_catalogues()
    # A catalogue of $FOLLOWUP_I18N_DIR that cannot be used: none of that folder's is, and the
    # command line and the app's start refuse with it before anything else (``cli.main``).
    CATALOGUE_PROBLEM: CatalogueError | None = None
except CatalogueError as problem:
    CATALOGUES, CATALOGUE_PROBLEM = load_catalogues(""), problem
LANGUAGES = tuple(CATALOGUES)
MESSAGES: dict[str, dict[str, str]] = {lang: data["messages"] for lang, data in CATALOGUES.items()}
# The clients' messages of each language (its catalogue's ``[templates]``), as the core is passed them.
TEMPLATES: Templates = read_templates({lang: data["templates"] for lang, data in CATALOGUES.items()
                                       if "templates" in data})
# What each language's ``[dates]`` formats may name: nothing else is passed to them.
DATE_FIELDS = frozenset({"year", "month", "day", "weekday", "month_name", "hour", "minute"})


def language_of_locale(value: str) -> str | None:
    """The catalogue language of a locale such as ``ko_KR.UTF-8`` or ``ja``; None for none."""
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in CATALOGUES else None


class Words:
    """The words of one language: a message by its key, a code as people read it, dates in the
    local style. Immutable, one per language (``words_for``)."""

    __slots__ = ("lang", "_messages", "_english", "_argparse", "_textual", "_dates", "_csv", "_languages")

    lang: str
    _messages: Mapping[str, str]
    _english: Mapping[str, str]
    _argparse: Mapping[str, str]
    _textual: Mapping[str, str]
    _dates: Mapping[str, object]
    _csv: Mapping[str, str]
    _languages: Mapping[str, str]

    def __init__(self, lang: str) -> None:
        set_ = object.__setattr__
        set_(self, "lang", lang)
        set_(self, "_messages", MappingProxyType(MESSAGES[lang]))
        set_(self, "_english", MappingProxyType(MESSAGES["en"]))
        set_(self, "_argparse", MappingProxyType(CATALOGUES[lang].get("argparse", {})))
        set_(self, "_textual", MappingProxyType(CATALOGUES[lang].get("textual", {})))
        set_(self, "_dates", MappingProxyType({**CATALOGUES["en"]["dates"], **CATALOGUES[lang].get("dates", {})}))
        set_(self, "_csv", MappingProxyType({**CATALOGUES["en"]["csv"], **CATALOGUES[lang].get("csv", {})}))
        set_(self, "_languages", MappingProxyType(CATALOGUES[lang].get("languages", {})))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Words are immutable ({name})")

    def __repr__(self) -> str:
        return f"Words({self.lang!r})"

    def has(self, key: str) -> bool:
        """Whether ``key`` is a message of the catalogue."""
        return key in self._english

    def t(self, key: str, **params: object) -> str:
        """A message by its key, in this language (English when this language lacks it), with
        ``params`` put in (their control characters made visible: the message is shown)."""
        text = self._messages.get(key) or self._english[key]
        if not params:
            return text
        # A name, a note, a path put into a message: its control characters shown, never obeyed.
        return text.format(**{k: visible(str(v), lines=False) if isinstance(v, (str, PurePath)) else v
                              for k, v in params.items()})

    def counted(self, key: str, count: int, **params: object) -> str:
        """A message about ``count`` of something: ``<key>_one`` for one, where this language
        writes one apart ("1 message", never "1 messages"; Japanese and Korean need no such key)."""
        one = f"{key}_one"
        if count == 1 and (self._messages.get(one) or not self._messages.get(key) and one in self._english):
            key = one  # (a message this language leaves out is said in English: as English says one)
        return self.t(key, count=count, **params)

    def textual(self, text: str) -> str:
        """One of Textual's own key descriptions ("Cursor up", ...), looked up by its English text."""
        return self._textual.get(text, text)

    def argparse(self, text: str) -> str:
        """One of argparse's own words ("usage: ", "options", ...), looked up by its English text."""
        return self._argparse.get(text, text)

    def word(self, kind: str, code: str) -> str:
        """A code (state, channel, label, reason, flag, event type) as people read it."""
        key = f"{kind}.{code}"
        return self.t(key) if key in self._english else code

    def client_name(self, name: str, erased: bool) -> str:
        """A client's name as people read it: an erased client's (``forget`` wrote
        ``privacy.FORGOTTEN_NAME`` over it) in this language's words ("(forgotten)",
        「（消去済み）」); any other name as typed, "(forgotten)" too when the client is not
        erased. What scripts read (--json, the CSV export, the log) keeps the name as written."""
        return self.t("name.forgotten") if erased and name == FORGOTTEN_NAME else name

    def name_of(self, client) -> str:
        """``client_name`` of a client's facts (erased: ``forgotten_at``) or of a row that says
        the state as the lists do (``ClientStatus``, ``ClientAudit``: ``erased``)."""
        erased = getattr(client, "forgotten_at", None) is not None or getattr(client, "state", None) == ERASED
        return self.client_name(client.name, erased)

    def name_in(self, caseload, client_id: str, name: str) -> str:
        """``client_name`` of a name a row carries (a due item's: ``DueItem.name``), the client
        erased if ``caseload`` (today's) says so: on a past day before the erasure the client
        was not erased yet, but the log holds their name no more."""
        if name != FORGOTTEN_NAME:
            return name
        facts = caseload.get(client_id)
        return self.client_name(name, facts is not None and facts.forgotten)

    def event_name(self, event) -> str:
        """An event's kind as people read it ("note added"): the key its type declares (``words``)."""
        return self.t(type(event).words)

    def _date(self, form: str, day: date, hour: int = 0, minute: int = 0) -> str:
        """``day`` in one of the catalogue's ``[dates]`` formats."""
        dates = self._dates
        return str(dates[form]).format(year=day.year, month=day.month, day=day.day, hour=hour, minute=minute,
                                       weekday=dates["weekdays"][day.weekday()],  # type: ignore[index]
                                       month_name=dates["months"][day.month - 1])  # type: ignore[index]

    def short_day(self, day: date | None, today: date | None = None) -> str:
        """A day in a table or a reason: "12-05", 「12/5」, 「12월 5일」 (the year too when it is not
        this year's)."""
        if day is None:
            return "—"
        if today is not None and day.year != today.year:
            return self.long_day(day)
        return self._date("short", day)

    def long_day(self, day: date | None) -> str:
        """A day with its year: "2026-12-05", 「2026/12/05」, 「2026년 12월 5일」."""
        if day is None:
            return "—"
        return self._date("long", day)

    def ahead_moment(self, at: datetime) -> str:
        """A day and time ahead, as a booked session is said: "Thu 05 Dec 14:00", 「12月5日（木）14:00」."""
        return self._date("ahead", at.date(), at.hour, at.minute)

    def header_day(self, day: date) -> str:
        """A day with its weekday, as a screen's title says it: 「2026年12月5日（土）」."""
        return self._date("header", day)

    def week_day(self, day: date) -> str:
        """The day a week starts, as the Weekly review's title says it: "Mon 30 Nov", 「11月30日（月）」."""
        return self._date("week", day)

    def weekday(self, day: date) -> str:
        """The day's weekday, short: "Sat", 「土」, 「토」."""
        return str(self._dates["weekdays"][day.weekday()])  # type: ignore[index]

    def moment(self, at: datetime) -> str:
        """A date and a time of day (already in the user's time zone): "2026-12-05 10:15"."""
        return self._date("moment", at.date(), at.hour, at.minute)

    def short_moment(self, at: datetime) -> str:
        """A date without its year and a time of day: "12-05 10:15", 「12/5 10:15」."""
        return self._date("short_moment", at.date(), at.hour, at.minute)

    def csv_headers(self, columns: tuple[str, ...]) -> list[str]:
        """The spreadsheet's column titles, by column code (``[csv]`` in the catalogue)."""
        return [self._csv[c] for c in columns]

    def language_name(self, code: str) -> str:
        """A language as this language names it (``[languages]``: 韓国語 in Japanese, 일본어 in
        Korean); else as its own speakers do (its catalogue's ``name``); the code if unknown."""
        if code in self._languages:
            return str(self._languages[code])
        data = CATALOGUES.get(code)
        return str(data.get("name", code)) if data is not None else code

    def yes_no(self, value: bool) -> str:
        return self.t("word.yes" if value else "word.no")

    def _list_separator(self) -> str:
        return self.t("word.list_separator")

    def list_text(self, items) -> str:
        """Words in a row, with this language's separator: "email, chat", 「メール、チャット」."""
        return self._list_separator().join(items)

    def value(self, kind: str, code: str) -> str:
        """A plan, channel, template label or other code a field holds, as people say it."""
        if kind == "template" or kind == "item":
            return self.word("label", code) if self.has(f"label.{code}") else self.word("item", code)
        if kind == "scope":
            kind = "channel"
        if kind == "language":
            return self.language_name(code)
        return self.word(kind, code)

    def promise_text(self, promise) -> str:
        """A promise as the practitioner knows it: what was promised and by when."""
        if promise is None:
            return self.t("detail.promise_gone")
        what = framed(TEMPLATES, self.lang, promise.what, self._messages.get("detail.promise") or
                      self._english["detail.promise"], "what")  # 「「A社」の…」 read 「『A社』の…」
        return self.t("detail.promise", what=what, day=self.long_day(promise.due))

    def details(self, event, find=None, tz=None, erased: bool = False) -> str:
        """An event's own fields in words, never as codes: "Plan: weekly · Channel: chat",
        a promise by its text and date, yes or no, a list with the language's separator. ``find``
        looks up another event by id (the promise a message keeps); without it such a field is
        left out. ``erased``: the event is an erased client's (its name said by ``client_name``)."""
        from ..core.events import ENVELOPE_FIELDS, tag_of

        parts = []
        for name in event.__struct_fields__:
            if name in ENVELOPE_FIELDS or name in HIDDEN_FIELDS:
                continue
            value = getattr(event, name)
            if value in ("", None, ()) or value is False or (isinstance(value, str) and not value.strip()):
                continue  # a flag not set, a reason of spaces only: says nothing
            if isinstance(value, (tuple, list)) and name in getattr(event, "refs", ()):
                said = self.t("detail.records", n=len(value))  # (the events an erasure names: how many)
            elif name in getattr(event, "refs", ()) or name in EVENT_REFERENCES:
                if find is None:
                    continue
                said = self.event_text(find(value), tz)
            elif name == "minutes":
                said = self.t("detail.minutes", n=value)
            elif isinstance(value, bool):
                said = self.yes_no(value)
            elif isinstance(value, (tuple, list)):
                said = self.list_text(self.value(CODED_FIELDS.get(name, name), str(v)) for v in value)
            elif isinstance(value, datetime):
                said = self.moment(value.astimezone(tz) if tz is not None else value)
            elif isinstance(value, date):
                said = self.long_day(value)
            elif name in CODED_FIELDS or (name == "reason" and tag_of(event) == "case_closed"):
                said = self.value(CODED_FIELDS.get(name, "reason"), str(value))
            elif name == "name":  # (a registration's, a change's)
                said = self.client_name(str(value), erased)
            else:
                said = str(value)
            own = f"{tag_of(event)}.{name}"  # a field named alike in two types may need two words (a pause's end, a snooze's day)
            parts.append(f"{self.word('field', own if self.has('field.' + own) else name)}: {said}")
        return " · ".join(parts)

    def event_text(self, event, tz=None) -> str:
        """Another event, as a practitioner names it: a promise by its text and date, an
        appointment by its day, any other by its name and day: "note added (2026-12-05)"."""
        from ..core.events import PromiseMade

        if event is None:
            return self.t("detail.promise_gone")
        if isinstance(event, PromiseMade):
            return self.promise_text(event)
        at = getattr(event, "when", None) or event.at  # an appointment: the day it is for
        at = at.astimezone(tz) if tz is not None else at
        return self.t("detail.event", what=self.event_name(event), day=self.long_day(at.date()))

    def retraction_text(self, event, find=None, tz=None) -> str:
        """What a retraction cancelled and why, the cancelled event by name and date."""
        what = self.event_text(find(event.target), tz) if find is not None else self.t("detail.promise_gone")
        return self.t("timeline.retracts", what=what, reason=event.reason)

    def why_text(self, item, leave_out: tuple[str, ...] = ()) -> str:
        """A due item's reason, in words, from its structured parts (but those in ``leave_out``)."""
        if not item.why:
            return item.detail
        out = []
        for key, params in item.why:
            if key in leave_out:
                continue
            values = {k: self.short_day(v) if isinstance(v, date) else (
                self.word("label", v) if k == "label" else (self.labels_text(v) if k == "labels" else v))
                for k, v in params}
            out.append(self.t(f"why.{key}", **values))
        return self._list_separator().join(out)

    def labels_text(self, labels: str) -> str:
        """"24h, 1w" in the user's words."""
        return self._list_separator().join(self.word("label", label) for label in labels.split(", ") if label)

    def due_for_text(self, item) -> str:
        """The label of a due item, with the checkpoints missed before it: "1m · missed 24h, 1w"."""
        label = self.word("label", item.reason)
        if not item.missed:
            return label
        return self.t("today.missed", label=label, labels=self.labels_text(", ".join(item.missed)))

    def problem_text(self, problem) -> str:
        """A problem with a log line, in the user's language."""
        key = f"problem.{problem.key}"
        return self.t(key, **problem.params) if problem.key and key in self._english else problem.message

    def settings_problem(self, exc) -> str:
        why = self.t(f"settings.{exc.code}", **exc.params)
        return f"{exc.path}: {exc.key}: {why}" if exc.key else f"{exc.path}: {why}"

    def catalogue_problem(self, exc) -> str:
        why = self.t(f"catalogue.{exc.code}", **exc.params)
        return f"{exc.path}: {exc.key}: {why}" if exc.key else f"{exc.path}: {why}"

    def error_text(self, exc: Exception) -> str | None:
        """What went wrong, in the user's language, for every error the shell expects; None for
        an error nobody expected (a bug). The shell's own errors (``SettingsError``,
        ``StoreError``) say themselves through ``said_in(words)``: i18n imports only the core."""
        if isinstance(exc, CommandError):
            return self.refusal(exc)
        said_in = getattr(exc, "said_in", None)
        if callable(said_in):
            return said_in(self)
        if isinstance(exc, PermissionError):
            return self.t("note.read_only")
        return None

    def refusal(self, exc: CommandError) -> str:
        params = dict(exc.params)
        if "doing" in params:
            params["doing"] = self.t(f"doing.{params['doing']}")
        if exc.key == "control_character" and f"field.{params.get('field')}" in self._english:
            params["field"] = self.t(f"field.{params['field']}")  # "next step", 「次の一歩」: not next_step
        key = f"refusal.{exc.key}"
        if key not in self._english:
            return str(exc)
        by_at = ""
        if isinstance(params.get("at"), datetime) and params.get("by"):  # who made it so, and when
            by_at = self.t("refusal.by_at", by=params["by"], at=self.short_moment(params["at"]))
            label = self.word("label", params["template"]) if params.get("template") else ""
            if label or params.get("summary"):  # a message: what it was, too
                summary = str(params.get("summary") or "")
                if len(summary) > SUMMARY_SHOWN:  # (the form's note line: its start is enough)
                    summary = summary[:SUMMARY_SHOWN - 1] + "…"
                what = self.t("refusal.sent_summary", label=label, summary=summary).strip() if summary else label
                by_at = self.t("refusal.by_at_sent", by=params["by"], at=self.short_moment(params["at"]), what=what)
        if "{by_at}" in (self._messages.get(key) or self._english[key]):  # said where the sentence wants it
            return self.t(key, **params, by_at=by_at)
        return self.t(key, **params) + by_at


SUMMARY_SHOWN = 40  # characters of a colleague's message summary said in a refusal

# Fields that hold a code: said with the word of the kind named (``reason`` only on a closed case).
CODED_FIELDS = {"plan": "plan", "channel": "channel", "scope": "channel", "template": "template", "item": "item",
                "importance": "importance", "kind": "missed", "language": "language", "consents": "channel",
                "answers": "item"}
# Fields that name another event by its id: said as that event (a promise by its text and date).
EVENT_REFERENCES = frozenset({"keeps", "promise", "target"})
# Fields nobody at the desk reads (the log's own bookkeeping: which edition of the promise rule a
# line was written under, the chain's old head); --json keeps them.
HIDDEN_FIELDS = frozenset({"previous_head", "explicit", "skeletons"})

_WORDS = {lang: Words(lang) for lang in LANGUAGES}


def words_for(lang: str | None) -> Words:
    """The words of ``lang``; English for a language without a catalogue (or none)."""
    return _WORDS.get(lang or "en") or _WORDS["en"]
