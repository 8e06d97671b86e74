"""The message catalogues: every key in every language, the same placeholders, and the core's
English words the same as the English catalogue's."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tui_followup import i18n
from tui_followup.core import commands, policy

ROOT = Path(__file__).resolve().parents[2] / "tui_followup"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


CATALOGUE_FILES = sorted(path for path in (ROOT / "i18n").glob("*.toml") if path.name != "en.toml")


def read(path: Path) -> dict:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_every_catalogue_file_is_checked_and_known():
    """The checks below run on every file beside en.toml (a new one is checked without listing
    it anywhere), and each is a language the app offers."""
    names = [path.name for path in CATALOGUE_FILES]
    assert {"ja.toml", "ko.toml"} <= set(names)
    assert sorted(read(path)["language"] for path in CATALOGUE_FILES) == sorted(set(i18n.LANGUAGES) - {"en"})


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=lambda p: p.name)
def test_every_key_is_in_every_language_with_the_same_placeholders(path):
    english, other = read(ROOT / "i18n" / "en.toml")["messages"], read(path)["messages"]
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english)) == []
    assert [key for key in english if placeholders(english[key]) != placeholders(other[key])] == []


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=lambda p: p.name)
def test_every_catalogue_has_its_dates_columns_and_name(path):
    """Dates, the CSV's column titles, the language's own name: every key of English's, each date
    format naming only what is passed to it; Textual's and argparse's words as the other
    translations have them."""
    from datetime import date

    english, other = read(ROOT / "i18n" / "en.toml"), read(path)
    assert other["name"] and other["name"] != english["name"]
    for table in ("dates", "csv"):
        assert sorted(other[table]) == sorted(english[table]), table
    assert len(other["dates"]["weekdays"]) == 7 and len(other["dates"]["months"]) == 12
    for form in ("short", "long", "header", "moment", "short_moment"):
        assert placeholders(other["dates"][form]) <= i18n.DATE_FIELDS, form
    words = i18n.words_for(other["language"])
    assert words.long_day(date(2026, 12, 5)) != words.short_day(date(2026, 12, 5))
    assert len(set(other["csv"].values())) == len(other["csv"])  # a column title names one column
    translations = [read(p) for p in CATALOGUE_FILES]
    for table in ("textual", "argparse"):  # (without one, or with English's, their English words)
        if other.get(table, english.get(table)) != english.get(table):
            assert all(sorted(other[table]) == sorted(t[table]) for t in translations), table


def test_no_language_is_special_cased_in_the_code():
    """What differs between languages is in the catalogues: no ``lang == "ja"``, no "ko" or "ja"
    in the code (but the demo's own texts): the clients' messages and the languages a client may
    have are the catalogues' too."""
    import io
    import tokenize

    data_files = {"core/demo.py"}
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in data_files:
            continue
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if token.type == tokenize.STRING and token.string.strip("\"'") in ("ja", "ko", "ja_JP", "ko_KR"):
                found.append(f"{name}:{token.start[0]}: {token.line.strip()}")
        found += [f"{name}: {m}" for m in re.findall(r"(?:lang|language)\s*[!=]=\s*[\"'][a-z]{2}[\"']", path.read_text(encoding="utf-8"))]
    assert found == []


def test_dates_are_written_as_each_language_writes_them():
    from datetime import date, datetime

    day = date(2026, 12, 5)
    ko, ja, en = i18n.words_for("ko"), i18n.words_for("ja"), i18n.words_for("en")
    assert (ko.short_day(day), ko.long_day(day), ko.header_day(day)) == ("12월 5일", "2026년 12월 5일", "2026년 12월 5일 (토)")
    assert (ja.short_day(day), ja.long_day(day), ja.header_day(day)) == ("12/5", "2026/12/05", "2026年12月5日（土）")
    assert (en.short_day(day), en.long_day(day), en.header_day(day)) == ("12-05", "2026-12-05", "Sat 05 Dec 2026")
    assert ko.short_day(date(2025, 12, 5), today=day) == "2025년 12월 5일"  # another year's day says its year
    at = datetime(2026, 12, 5, 9, 5)
    assert (ko.short_moment(at), ja.short_moment(at), en.short_moment(at)) == ("12월 5일 09:05", "12/5 09:05", "12-05 09:05")
    assert ko.weekday(day) == "토" and ko.list_text(["이메일", "전화"]) == "이메일, 전화"
    assert ja.list_text(["メール", "電話"]) == "メール、電話"


def test_the_locale_chooses_the_language(monkeypatch):
    from tui_followup.settings import Settings

    for env, lang in (("ko_KR.UTF-8", "ko"), ("ja_JP.UTF-8", "ja"), ("en_GB.UTF-8", "en"), ("C", "en"),
                      ("fr_FR.UTF-8", "en"), ("", "en")):
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        monkeypatch.setenv("LANG", env)
        assert Settings().lang() == lang, env
    assert Settings(language="ko").lang() == "ko"


# A message asked for by a literal key: ``words.t("key", ...)`` (``self.words.t(``, ``args.words.t(``),
# and the keys a maintenance report says (``report.say("m.key", ...)``).
ASKED = re.compile(r"""\.(?:t|say|say_more)\(\s*["']([a-z_]+\.[^"'{]+)["']""")


def keys_asked(source: str) -> set[str]:
    return set(ASKED.findall(source))


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    asked = set()
    for path in ROOT.rglob("*.py"):
        asked |= keys_asked(path.read_text(encoding="utf-8"))
    assert len(asked) > 300  # the pattern finds the calls as they are written
    assert sorted(asked - set(i18n.MESSAGES["en"])) == []


def test_an_unknown_key_in_the_code_would_be_found():
    asked = keys_asked('x = self.words.t("screen.today")\nprint(args.words.t(\n    "cli.no_such_key", n=1))\n'
                       "report.say('m.nowhere', n=2)\n")
    assert asked == {"screen.today", "cli.no_such_key", "m.nowhere"}
    assert sorted(asked - set(i18n.MESSAGES["en"])) == ["cli.no_such_key", "m.nowhere"]


def test_every_keys_description_is_a_catalogue_key():
    """The classes' bindings name their words by key (each app says them in its language)."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import tui_followup.ui

    modules = [importlib.import_module(m.name)
               for m in pkgutil.walk_packages(tui_followup.ui.__path__, "tui_followup.ui.")]
    classes = {cls for module in modules for cls in vars(module).values()
               if isinstance(cls, type) and cls.__module__.startswith("tui_followup.")}
    said = [(cls.__name__, text) for cls in classes for binding in cls.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding) for text in (binding.description, binding.tooltip) if text]
    assert len(said) > 40
    assert sorted((name, text) for name, text in said if text not in i18n.MESSAGES["en"]) == []


def test_the_cores_english_is_the_catalogues_english():
    english = i18n.MESSAGES["en"]
    assert {k: v for k, v in commands.REFUSALS.items()} == {k: english[f"refusal.{k}"] for k in commands.REFUSALS}
    assert {k: v for k, v in policy.WHY.items()} == {k: english[f"why.{k}"] for k in policy.WHY}
    assert commands.DOINGS == {k: english[f"doing.{k}"] for k in commands.DOINGS}


def test_adding_a_language_is_adding_one_file(tmp_path, monkeypatch):
    """A catalogue file beside the others is a language the app knows."""
    source = Path(i18n.__file__).parent
    for path in source.glob("*.toml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    xx = (source / "en.toml").read_text(encoding="utf-8").replace('language = "en"', 'language = "xx"')
    xx = xx.replace('"screen.today" = "Today"', '"screen.today" = "Tänään"')
    xx = xx.replace('short = "{month:02d}-{day:02d}"', 'short = "{day}.{month}."')
    (tmp_path / "xx.toml").write_text(xx, encoding="utf-8")
    monkeypatch.setattr(i18n, "__file__", str(tmp_path / "__init__.py"))
    catalogues = i18n.load_catalogues()
    assert set(catalogues) == {"en", "ja", "ko", "xx"}
    assert catalogues["xx"]["messages"]["screen.today"] == "Tänään"
    monkeypatch.setattr(i18n, "CATALOGUES", catalogues)
    monkeypatch.setattr(i18n, "MESSAGES", {lang: data["messages"] for lang, data in catalogues.items()})
    from datetime import date

    words = i18n.Words("xx")  # its words and its dates, from the one file
    assert words.t("screen.today") == "Tänään" and words.short_day(date(2026, 12, 5)) == "5.12."
    assert i18n.language_of_locale("xx_XX.UTF-8") == "xx"


def test_the_language_is_a_value_not_a_global():
    """Words per language, side by side; an unknown language is English; no current language
    is kept anywhere in the module."""
    ja, en = i18n.words_for("ja"), i18n.words_for("en")
    assert (ja.t("screen.today"), en.t("screen.today")) == ("今日", "Today")
    assert ja.lang == "ja" and en.lang == "en" and i18n.words_for("ja") is ja
    assert i18n.words_for("xx") is en and i18n.words_for(None) is en and i18n.words_for("") is en
    with pytest.raises(AttributeError):
        ja.lang = "en"  # type: ignore[misc]
    for name in ("set_language", "language", "_current", "t", "word", "short_day", "long_day", "why_text",
                 "error_text", "refusal"):
        assert not hasattr(i18n, name), name


def test_every_key_said_when_clients_leave_the_lists_is_in_the_catalogue():
    from tui_followup.ui.app import LEFT

    keys = {key for pair in LEFT.values() for key in pair}
    assert len(keys) == 2 * len(LEFT) and sorted(keys - set(i18n.MESSAGES["en"])) == []
