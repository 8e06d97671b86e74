"""The message catalogue: every word the app and the command line show, by a stable key.

The words are data, one TOML file per language beside this module (``en.toml``, ``ja.toml``):
TOML and not gettext, because the standard library reads it as it is (gettext's ``.mo`` files
need a compile step and a tool chain translators rarely have), it holds multi-line texts, and
a translator edits one flat table of keys. ``t(key, **params)`` says a message in the current
language (``set_language``: from the settings, else LANG). Codes that scripts rely on (JSON keys and values, labels such as ``1w``
in ``--json`` output) are never translated; only what people read is.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from ..core.commands import CommandError


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
_current = "en"
MESSAGES: dict[str, dict[str, str]] = {lang: data["messages"] for lang, data in CATALOGUES.items()}
WEEKDAYS_JA = CATALOGUES["ja"]["weekdays"]


def _argparse_words(text: str) -> str:
    return CATALOGUES[_current].get("argparse", {}).get(text, text)


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"
    import argparse

    argparse._ = _argparse_words  # type: ignore[attr-defined]


def language() -> str:
    return _current


def t(key: str, **params: object) -> str:
    """A message by its key, in the current language (English when that language lacks it)."""
    text = MESSAGES[_current].get(key) or MESSAGES["en"][key]
    return text.format(**params) if params else text


def word(kind: str, code: str) -> str:
    """A code (state, channel, label, reason, flag, event type) as people read it."""
    key = f"{kind}.{code}"
    return t(key) if key in MESSAGES["en"] else code


def short_day(day: date | None, today: date | None = None) -> str:
    if day is None:
        return "—"
    if today is not None and day.year != today.year:
        return long_day(day)
    return f"{day.month}/{day.day}" if _current == "ja" else f"{day.month:02d}-{day.day:02d}"


def long_day(day: date | None) -> str:
    if day is None:
        return "—"
    return f"{day.year}/{day.month:02d}/{day.day:02d}" if _current == "ja" else day.isoformat()


def header_day(day: date) -> str:
    if _current == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return f"{day:%a %d %b %Y}"


def why_text(item, leave_out: tuple[str, ...] = ()) -> str:
    """A due item's reason, in words, from its structured parts (but those in ``leave_out``)."""
    if not item.why:
        return item.detail
    out = []
    for key, params in item.why:
        if key in leave_out:
            continue
        values = {k: short_day(v) if isinstance(v, date) else (
            word("label", v) if k == "label" else (labels_text(v) if k == "labels" else v)) for k, v in params}
        out.append(t(f"why.{key}", **values))
    return ("、" if _current == "ja" else ", ").join(out)


def labels_text(labels: str) -> str:
    """"24h, 1w" in the user's words."""
    return ("、" if _current == "ja" else ", ").join(word("label", label) for label in labels.split(", ") if label)


def due_for_text(item) -> str:
    """The label of a due item, with the checkpoints missed before it: "1m · missed 24h, 1w"."""
    label = word("label", item.reason)
    if not item.missed:
        return label
    return t("today.missed", label=label, labels=labels_text(", ".join(item.missed)))


def problem_text(problem) -> str:
    """A problem with a log line, in the user's language."""
    key = f"problem.{problem.key}"
    return t(key, **problem.params) if problem.key and key in MESSAGES["en"] else problem.message


def settings_problem(exc) -> str:
    why = t(f"settings.{exc.code}", **exc.params)
    return f"{exc.path}: {exc.key}: {why}" if exc.key else f"{exc.path}: {why}"


def error_text(exc: Exception) -> str | None:
    """What went wrong, in the user's language, for every error the shell expects; None for
    an error nobody expected (a bug)."""
    from ..settings import SettingsError
    from ..storage.logfile import StoreError

    if isinstance(exc, CommandError):
        return refusal(exc)
    if isinstance(exc, SettingsError):
        return settings_problem(exc)
    if isinstance(exc, StoreError):
        return t(f"store.{exc.key}", **exc.params)
    if isinstance(exc, PermissionError):
        return t("note.read_only")
    return None


def refusal(exc: CommandError) -> str:
    params = dict(exc.params)
    if "doing" in params:
        params["doing"] = t(f"doing.{params['doing']}")
    key = f"refusal.{exc.key}"
    return t(key, **params) if key in MESSAGES["en"] else str(exc)
