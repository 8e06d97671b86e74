"""The message catalogue: every word the app and the command line show, by a stable key.

The words are data, one TOML file per language beside this module (``en.toml``, ``ja.toml``):
TOML and not gettext, because the standard library reads it as it is (gettext's ``.mo`` files
need a compile step and a tool chain translators rarely have), it holds multi-line texts, and
a translator edits one flat table of keys. Adding a language is adding one file.

The language is a value that is passed, never a global: ``words_for(lang)`` gives that
language's ``Words`` (English for a language without a catalogue), and ``words.t(key, **params)``
says a message in it. The command line makes one from the settings (``cli.main``) and passes it
to every command; the app makes one from its ``language`` (``FollowupApp.words``), and its
screens and widgets read it there. Two languages can be used side by side in one process. Codes
that scripts rely on (JSON keys and values, labels such as ``1w`` in ``--json`` output) are
never translated; only what people read is.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Mapping

from ..core.commands import CommandError
from ..core.visible import visible


def load_catalogues() -> dict[str, dict]:
    """Every catalogue beside this file, by language: ``en.toml``, ``ja.toml``, ..."""
    out = {}
    for path in sorted(Path(__file__).parent.glob("*.toml")):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        out[data["language"]] = data
    return out


CATALOGUES = load_catalogues()
LANGUAGES = tuple(CATALOGUES)
MESSAGES: dict[str, dict[str, str]] = {lang: data["messages"] for lang, data in CATALOGUES.items()}
WEEKDAYS_JA = CATALOGUES["ja"]["weekdays"]


class Words:
    """The words of one language: a message by its key, a code as people read it, dates in the
    local style. Immutable, one per language (``words_for``)."""

    __slots__ = ("lang", "_messages", "_english", "_argparse", "_textual")

    lang: str
    _messages: Mapping[str, str]
    _english: Mapping[str, str]
    _argparse: Mapping[str, str]
    _textual: Mapping[str, str]

    def __init__(self, lang: str) -> None:
        set_ = object.__setattr__
        set_(self, "lang", lang)
        set_(self, "_messages", MappingProxyType(MESSAGES[lang]))
        set_(self, "_english", MappingProxyType(MESSAGES["en"]))
        set_(self, "_argparse", MappingProxyType(CATALOGUES[lang].get("argparse", {})))
        set_(self, "_textual", MappingProxyType(CATALOGUES[lang].get("textual", {})))

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

    def short_day(self, day: date | None, today: date | None = None) -> str:
        if day is None:
            return "—"
        if today is not None and day.year != today.year:
            return self.long_day(day)
        return f"{day.month}/{day.day}" if self.lang == "ja" else f"{day.month:02d}-{day.day:02d}"

    def long_day(self, day: date | None) -> str:
        if day is None:
            return "—"
        return f"{day.year}/{day.month:02d}/{day.day:02d}" if self.lang == "ja" else day.isoformat()

    def moment(self, at: datetime) -> str:
        """A day and time ahead, as a booked session is said: "Thu 05 Dec 14:00"."""
        if self.lang == "ja":
            return f"{at.month}月{at.day}日（{WEEKDAYS_JA[at.weekday()]}）{at:%H:%M}"
        return f"{at:%a %d %b %H:%M}"

    def header_day(self, day: date) -> str:
        if self.lang == "ja":
            return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
        return f"{day:%a %d %b %Y}"

    def _list_separator(self) -> str:
        return "、" if self.lang == "ja" else ", "

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

    def error_text(self, exc: Exception) -> str | None:
        """What went wrong, in the user's language, for every error the shell expects; None for
        an error nobody expected (a bug)."""
        from ..settings import SettingsError
        from ..storage.logfile import StoreError

        if isinstance(exc, CommandError):
            return self.refusal(exc)
        if isinstance(exc, SettingsError):
            return self.settings_problem(exc)
        if isinstance(exc, StoreError):
            return self.t(f"store.{exc.key}", **exc.params)
        if isinstance(exc, PermissionError):
            return self.t("note.read_only")
        return None

    def refusal(self, exc: CommandError) -> str:
        params = dict(exc.params)
        if "doing" in params:
            params["doing"] = self.t(f"doing.{params['doing']}")
        key = f"refusal.{exc.key}"
        return self.t(key, **params) if key in self._english else str(exc)


_WORDS = {lang: Words(lang) for lang in LANGUAGES}


def words_for(lang: str | None) -> Words:
    """The words of ``lang``; English for a language without a catalogue (or none)."""
    return _WORDS.get(lang or "en") or _WORDS["en"]
