"""Attack on ``Words.counted`` and the ``_one`` keys: one said as one for every count that is
one and only then, in every language; each ``_one`` with its message's placeholders; a language
added as one file that leaves the message out said in English, as English says one; what else
English says of a count of one on a screen."""

from __future__ import annotations

import string

import pytest

from tui_followup import i18n
from tui_followup.i18n import words_for


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_every_one_form_has_its_messages_placeholders(lang):
    messages = i18n.MESSAGES[lang]
    ones = [key for key in messages if key.endswith("_one")]
    assert ones
    assert [key for key in ones if placeholders(messages[key]) != placeholders(messages[key.removesuffix("_one")])] == []


@pytest.mark.parametrize("key", ["confirm.pace", "cli.pace_warning"])
@pytest.mark.parametrize("count", [0, 1, 2, 11, 21, 101, -1])
def test_english_says_one_only_of_one(key, count):
    said = words_for("en").counted(key, count, name="Ana", limit=1)
    assert (f" {count} message " in said) == (count == 1), said
    assert (f" {count} messages " in said) == (count != 1), said


@pytest.mark.parametrize("lang", ["ja", "ko"])
@pytest.mark.parametrize("count", [0, 1, 2])
def test_japanese_and_korean_are_said_the_same_whatever_the_count(lang, count):
    words = words_for(lang)
    for key in ("confirm.pace", "cli.pace_warning"):
        assert words.counted(key, count, name="青木", limit=1) == words.t(key, count=count, name="青木", limit=1)


def test_a_name_with_braces_and_controls_is_put_in_as_shown_not_formatted():
    said = words_for("en").counted("confirm.pace", 1, name="{count} \x1b[2J Ana", limit=1)
    assert said.startswith("{count} ␛[2J Ana already had 1 message"), said


def language(monkeypatch, lang: str, drop: tuple[str, ...]) -> i18n.Words:
    """A language added as one file (English's words as its own) that leaves ``drop`` out."""
    messages = {k: v for k, v in i18n.MESSAGES["en"].items() if k not in drop}
    messages = {k: f"«{v}»" for k, v in messages.items()}  # its own words, told apart from English's
    monkeypatch.setitem(i18n.MESSAGES, lang, messages)
    monkeypatch.setitem(i18n.CATALOGUES, lang, {**i18n.CATALOGUES["en"], "messages": messages})
    return i18n.Words(lang)


def test_a_language_without_the_message_says_it_in_english_as_english_says_one(monkeypatch):
    """What a catalogue leaves out is said in English: then English's one form, "1 message"."""
    words = language(monkeypatch, "xx", ("confirm.pace", "confirm.pace_one"))
    said = words.counted("confirm.pace", 1, name="Ana", limit=1)
    assert said.startswith("Ana already had 1 message in"), said
    assert words.counted("confirm.pace", 2, name="Ana", limit=2).startswith("Ana already had 2 messages in")


def test_a_language_with_the_message_and_no_one_form_says_its_own(monkeypatch):
    """Its own message, never English's one form (a language that says one as any count)."""
    words = language(monkeypatch, "xy", ("confirm.pace_one",))
    assert words.counted("confirm.pace", 1, name="Ana", limit=1).startswith("«Ana already had 1 messages"), \
        words.counted("confirm.pace", 1, name="Ana", limit=1)


def test_a_language_with_only_the_one_form_says_its_one_form(monkeypatch):
    words = language(monkeypatch, "xz", ("confirm.pace",))
    assert words.counted("confirm.pace", 1, name="Ana", limit=1).startswith("«Ana already had 1 message in")
    assert words.counted("confirm.pace", 2, name="Ana", limit=2).startswith("Ana already had 2 messages in")


def test_the_client_screen_says_one_day_overdue_as_one():
    """kim's checkpoint, due yesterday, on the Client screen: ", 1 days overdue"."""
    words = words_for("en")
    assert words.counted("client.overdue", 1, n=1) == ", 1 day overdue"
    assert words.counted("client.overdue", 3, n=3) == ", 3 days overdue"
    for lang in ("ja", "ko"):
        assert words_for(lang).counted("client.overdue", 1, n=1) == words_for(lang).t("client.overdue", n=1)
