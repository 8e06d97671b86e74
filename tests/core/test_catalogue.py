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


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_every_key_is_in_every_language_with_the_same_placeholders(lang):
    english, other = i18n.MESSAGES["en"], i18n.MESSAGES[lang]
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english)) == []
    assert [key for key in english if placeholders(english[key]) != placeholders(other[key])] == []


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
    ko = (source / "en.toml").read_text(encoding="utf-8").replace('language = "en"', 'language = "ko"')
    ko = ko.replace('"screen.today" = "Today"', '"screen.today" = "오늘"')
    (tmp_path / "ko.toml").write_text(ko, encoding="utf-8")
    monkeypatch.setattr(i18n, "__file__", str(tmp_path / "__init__.py"))
    catalogues = i18n.load_catalogues()
    assert set(catalogues) == {"en", "ja", "ko"}
    assert catalogues["ko"]["messages"]["screen.today"] == "오늘"


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
