"""A catalogue checked when it is read: a language added as one file (``$FOLLOWUP_I18N_DIR``)
is refused whole, in one line naming the file and the key, or it is used whole, never failing
later where a word or a format is first used.

What is checked is what the app relies on: TOML in UTF-8; ``language`` a language code; the
tables and keys read without a fallback present and of their type (``[messages]``, and in
``[templates]`` its texts, day words and date formats; a message, a table of dates, CSV titles
or templates left out is English's); ``weekdays`` seven, ``months`` twelve, each ``quotes``
frame two marks, each full stop one character; and every format string: a field only one of
those its key is given (the same key's in English for a message; what is passed for a date or a
template), never an attribute or an item of one (``{day.__class__}``), written only as English
writes it (``{month:02d}``, never ``{date:>999999999}``), every brace paired. The built-in
catalogues pass the same checks (tests/core/test_catalogue_checks.py)."""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path
from typing import Mapping

from ..core.templates import PARTICLES, PLACEHOLDERS, read_templates
from . import parsed

# The refusals, in English (the catalogues say them as ``catalogue.<code>``; a test holds them equal).
CATALOGUE_PROBLEMS = {
    "not_toml": "not valid TOML: {detail}",
    "not_utf8": "line {line}: not UTF-8 text (byte {byte}): save the file as UTF-8",
    "cannot_read": "cannot read: {detail}",
    "too_deep": "nested too deep to read (brackets inside brackets thousands of times)",
    "missing": "missing: copy it from en.toml and translate it",
    "no_day": "{text}: a date format without {{day}} says no day",
    "same_title": "{text} is the title of {other} too: each column needs its own, import reads them back",
    "unknown_key": "unknown key",
    "not_text": "must be text",
    "not_table": "must be a table",
    "not_tables": "must be a list of tables",
    "not_texts": "must be a list of texts",
    "not_bool": "must be true or false",
    "count": "must hold {n} texts, not {count}",
    "too_long": "longer than {n} characters",
    "language": "must be a language code such as de or pt-BR, not {value}",
    "built_in": "{value} is built in: a catalogue in this folder adds a language and cannot replace one",
    "twice": "{value} is given by {other} too",
    "frame": "must be two marks, the opening and the closing, not {value}",
    "full_stop": "each must be one character, not {value}",
    "particles": "must be \"\" or \"korean\", not {value}",
    "format": "{text}: a brace without its pair (write {{{{ and }}}} for a brace itself)",
    "field": "{text}: names {field}, not one of its fields ({known})",
    "no_field": "{text}: names {field}, but this text has no fields (write {{{{ and }}}} for a brace itself)",
    "spec": "{text}: writes {field}, which the app does not (it writes {known})",
    "percent": "{text}: must keep {known} as the English text has them",
    "invalid": "{detail}",
}

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
MAX_TEXT = 10_000  # characters in one text: the longest message of the built-in catalogues is about 700
SHOWN = 40  # characters of a refused text shown in the refusal

# What each format is passed (a whole number may be written as English writes it, ``{month:02d}``;
# a word only as it is).
DATE_NUMBERS = frozenset({"year", "month", "day", "hour", "minute"})
DATE_WORDS = frozenset({"weekday", "month_name"})
MESSAGE_DATES = {  # [templates.dates]
    "date": ({"month", "day"}, {"weekday", "month_name"}),
    "weekday_date": ({"month", "day"}, {"weekday", "month_name"}),
    "time": ({"hour", "minute", "hour12"}, {"ampm"}),
    "time_minutes": ({"hour", "minute", "hour12"}, {"ampm"}),
    "moment": (set(), {"date", "time"}),
}
DATE_FORMATS = ("short", "long", "header", "week", "moment", "short_moment", "ahead")  # [dates]
TEMPLATE_KEYS = frozenset({"texts", "days", "dates", "subject_line", "scripts", "particles", "quotes", "full_stops"})
DAY_KEYS = ("today", "yesterday", "earlier")
QUOTE_KEYS = frozenset({"frame", "inner", "straight"})
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")

Forms = Mapping[str, frozenset[tuple[str | None, str]]]  # a field: the (conversion, spec) pairs it may take


class CatalogueError(Exception):
    """A catalogue that cannot be used; the message names the file and the key (or the line)."""

    def __init__(self, path: Path, key: str, code: str, **params: object) -> None:
        self.path, self.key, self.code, self.params = path, key, code, params
        why = CATALOGUE_PROBLEMS[code].format(**params)
        super().__init__(f"{path}: {key}: {why}" if key else f"{path}: {why}")

    def said_in(self, words) -> str:
        """The problem in the words' language (``Words.error_text`` asks)."""
        return words.catalogue_problem(self)


def read_catalogue(path: Path) -> dict:
    """The file's table, as TOML read it; ``CatalogueError`` when it cannot be read as TOML in UTF-8."""
    try:
        raw = path.read_bytes()
        return parsed.read(path, raw, lambda raw: tomllib.loads(raw.decode("utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(path, "", "not_toml", detail=str(exc)) from None
    except RecursionError:
        raise CatalogueError(path, "", "too_deep") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise CatalogueError(path, "", "not_utf8", line=line, byte=f"0x{exc.object[exc.start]:02x}") from None
    except OSError as exc:
        raise CatalogueError(path, "", "cannot_read", detail=exc.strerror or type(exc).__name__) from None


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _short(text: object) -> str:
    text = str(text)
    return json.dumps(text[:SHOWN] + ("…" if len(text) > SHOWN else ""), ensure_ascii=False)


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def refuse(self, where: str, code: str, **params: object) -> CatalogueError:
        return CatalogueError(self.path, where, code, **params)

    def table(self, data: Mapping, key: str, where: str, required: bool = True) -> dict | None:
        if key not in data:
            if required:
                raise self.refuse(where, "missing")
            return None
        if not isinstance(data[key], dict):
            raise self.refuse(where, "not_table")
        return data[key]

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self.refuse(where, "not_text")
        if len(value) > MAX_TEXT:
            raise self.refuse(where, "too_long", n=MAX_TEXT)
        return value

    def texts(self, value: object, where: str, counts: tuple[int, ...] = ()) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.refuse(where, "not_texts")
        if counts and len(value) not in counts:
            raise self.refuse(where, "count", n=counts[0], count=len(value))
        for v in value:
            self.text(v, where)
        return value

    def strings(self, table: Mapping, where: str) -> None:
        """A table of texts (``[csv]``, ``[languages]``, ``[textual]``)."""
        for key, value in table.items():
            self.text(value, f"{where} {_key(key)}")

    def format(self, text: str, where: str, forms: Forms) -> None:
        """``text`` as ``str.format`` reads it: every brace paired, each field one of ``forms``
        and written in one of its forms."""
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            raise self.refuse(where, "format", text=_short(text)) from None
        for _, field, spec, conversion in parsed:
            if field is None:
                continue
            if not forms:
                raise self.refuse(where, "no_field", text=_short(text), field=_short_field(field, None, ""))
            if field not in forms:
                raise self.refuse(where, "field", text=_short(text), field=_short_field(field, None, ""),
                                  known=", ".join(sorted(forms)) or "—")
            if (conversion, spec) not in forms[field]:
                raise self.refuse(where, "spec", text=_short(text), field=_short_field(field, conversion, spec),
                                  known=" ".join(_short_field(field, c, s) for c, s in sorted(
                                      forms[field], key=lambda form: (form[0] or "", form[1]))))


def _short_field(field: str, conversion: str | None, spec: str) -> str:
    out = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    return out if len(out) <= SHOWN + 2 else out[:SHOWN] + "…}"


PLAIN = frozenset({(None, "")})


def _forms_of(texts: list[str]) -> dict[str, set[tuple[str | None, str]]]:
    """The fields English's ``texts`` name, each with the forms it is written in there."""
    out: dict[str, set[tuple[str | None, str]]] = {}
    for text in texts:
        for _, field, spec, conversion in string.Formatter().parse(text):
            if field is not None:
                out.setdefault(field, set(PLAIN)).add((conversion, spec))
    return out


def _number_forms(texts: list[str]) -> frozenset[tuple[str | None, str]]:
    """The forms English writes a number in among ``texts`` (``02d``), and the plain one."""
    return frozenset(form for forms in _forms_of(texts).values() for form in forms)


def check_catalogue(data: Mapping, english: Mapping, path: Path) -> None:
    """Refuse (``CatalogueError``) the catalogue ``data`` read from ``path`` unless the app can
    use every part of it; ``english`` is en.toml's, the measure of its messages' fields."""
    c = _Checker(path)
    if "language" not in data:
        raise c.refuse("language", "missing")
    language = data["language"]
    if not isinstance(language, str) or not LANGUAGE_CODE.fullmatch(language):
        raise c.refuse("language", "language", value=_short(language))
    if "name" in data:
        c.text(data["name"], "name")

    messages = c.table(data, "messages", "[messages]")
    own_messages = english["messages"]
    for key, value in messages.items():  # type: ignore[union-attr]
        where = f"[messages] {_key(key)}"
        c.text(value, where)
        if key in own_messages:  # (a key English has not is never asked for)
            forms = _forms_of([own_messages[key]])
            c.format(value, where, {f: frozenset(v) for f, v in forms.items()})

    # (required: without them the dates and the export's column titles were English, silently)
    dates = c.table(data, "dates", "[dates]")
    if dates is not None:
        for key in ("weekdays", "months", *DATE_FORMATS):
            if key not in dates:
                raise c.refuse(f"[dates] {_key(key)}", "missing")
        numbers = _number_forms([english["dates"][form] for form in DATE_FORMATS])
        forms: dict = {**{f: numbers for f in DATE_NUMBERS}, **{f: PLAIN for f in DATE_WORDS}}
        for key, value in dates.items():
            where = f"[dates] {_key(key)}"
            if key == "weekdays":
                c.texts(value, where, (7,))
            elif key == "months":
                c.texts(value, where, (12,))
            elif key in DATE_FORMATS:
                c.format(c.text(value, where), where, forms)
                if "{day" not in value:  # 'short = "heute"' made every date one word
                    raise c.refuse(where, "no_day", text=_short(value))
            else:
                raise c.refuse(where, "unknown_key")

    for table in ("csv", "languages", "textual"):
        own = c.table(data, table, f"[{table}]", required=table == "csv")
        if own is not None:
            c.strings(own, f"[{table}]")
    titles: dict[str, str] = {}
    for key in english["csv"]:  # every column titled, each title its own (import reads them back)
        title = str(data["csv"].get(key, "")).strip()
        if not title:
            raise c.refuse(f"[csv] {_key(key)}", "missing")
        other = titles.setdefault(title.casefold(), key)
        if other != key:
            raise c.refuse(f"[csv] {_key(key)}", "same_title", text=_short(title), other=other)
    argparse = c.table(data, "argparse", "[argparse]", required=False)
    for key, value in (argparse or {}).items():
        where = f"[argparse] {_key(key)}"
        c.text(value, where)
        if sorted(PERCENT.findall(value)) != sorted(PERCENT.findall(key)):
            raise c.refuse(where, "percent", text=_short(value), known=" ".join(PERCENT.findall(key)) or "no %")

    templates = c.table(data, "templates", "[templates]", required=False)
    if templates is not None:
        _check_templates(c, templates, english["templates"])


def _check_templates(c: _Checker, templates: Mapping, english: Mapping) -> None:
    for key in templates:
        if key not in TEMPLATE_KEYS:
            raise c.refuse(f"[templates] {_key(key)}", "unknown_key")
    particles = templates.get("particles", "")
    if particles not in ("", "korean"):
        raise c.refuse("[templates] particles", "particles", value=_short(particles))
    if "subject_line" in templates:
        c.format(c.text(templates["subject_line"], "[templates] subject_line"), "[templates] subject_line",
                 {"subject": PLAIN})
    if "scripts" in templates:
        c.texts(templates["scripts"], "[templates] scripts")
    if "full_stops" in templates:
        for stop in c.texts(templates["full_stops"], "[templates] full_stops"):
            if len(stop) != 1:
                raise c.refuse("[templates] full_stops", "full_stop", value=_short(stop))
    if "quotes" in templates:
        quotes = templates["quotes"]
        if not isinstance(quotes, list) or not all(isinstance(q, dict) for q in quotes):
            raise c.refuse("[templates] quotes", "not_tables")
        for n, quote in enumerate(quotes, 1):
            where = f"[templates] quotes[{n}]"
            for key in quote:
                if key not in QUOTE_KEYS:
                    raise c.refuse(f"{where} {_key(key)}", "unknown_key")
            for key in ("frame", "inner"):
                if key not in quote:
                    raise c.refuse(f"{where} {key}", "missing")
                if len(c.text(quote[key], f"{where} {key}")) != 2:
                    raise c.refuse(f"{where} {key}", "frame", value=_short(quote[key]))
            if not isinstance(quote.get("straight", False), bool):
                raise c.refuse(f"{where} straight", "not_bool")

    days = c.table(templates, "days", "[templates.days]")
    for key in days:  # type: ignore[union-attr]
        if key not in DAY_KEYS:
            raise c.refuse(f"[templates.days] {_key(key)}", "unknown_key")
    for key in DAY_KEYS:
        if key not in days:  # type: ignore[operator]
            raise c.refuse(f"[templates.days] {key}", "missing")
        c.text(days[key], f"[templates.days] {key}")  # type: ignore[index]

    dates = c.table(templates, "dates", "[templates.dates]")
    numbers = _number_forms([english["dates"][key] for key in MESSAGE_DATES])
    for key in dates:  # type: ignore[union-attr]
        if key not in (*MESSAGE_DATES, "weekdays", "months", "ampm"):
            raise c.refuse(f"[templates.dates] {_key(key)}", "unknown_key")
    for key, (ints, words) in MESSAGE_DATES.items():
        where = f"[templates.dates] {key}"
        if key not in dates:  # type: ignore[operator]
            raise c.refuse(where, "missing")
        c.format(c.text(dates[key], where), where,  # type: ignore[index]
                 {**{f: numbers for f in ints}, **{f: PLAIN for f in words}})
    if "weekdays" not in dates:  # type: ignore[operator]
        raise c.refuse("[templates.dates] weekdays", "missing")
    c.texts(dates["weekdays"], "[templates.dates] weekdays", (7,))  # type: ignore[index]
    if "months" in dates:  # type: ignore[operator]
        c.texts(dates["months"], "[templates.dates] months", (12, 0))  # type: ignore[index]
    if "ampm" in dates:  # type: ignore[operator]
        c.texts(dates["ampm"], "[templates.dates] ampm", (2,))  # type: ignore[index]

    texts = c.table(templates, "texts", "[templates.texts]")
    names = PLACEHOLDERS | (PARTICLES if particles == "korean" else frozenset())
    forms = {name: PLAIN for name in names}
    for key, value in texts.items():  # type: ignore[union-attr]
        where = f"[templates.texts] {_key(key)}"
        c.format(c.text(value, where), where, forms)

    try:  # what the core is given of it (the checks above leave nothing it would refuse)
        read_templates({"": templates})
    except ValueError as exc:  # (msgspec's ValidationError is one)
        raise c.refuse("[templates]", "invalid", detail=str(exc)) from None
