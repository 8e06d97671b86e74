"""Issue 23 item 4 in the core: a language is data. The languages a client may have, the script
a name says, the particle rule and every text come from what the shell passes in; nothing in the
core names a language."""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from tui_followup.core import commands as cmd
from tui_followup.core import templates
from tui_followup.core.caseload import project
from tui_followup.i18n import CATALOGUES
from tui_followup.i18n import TEMPLATES as BOOK

from .helpers import TOKYO


def _ctx(languages: tuple[str, ...]):
    now = datetime(2026, 11, 1, 9, tzinfo=TOKYO)
    return cmd.Context(caseload=project([]), now=now, tz=TOKYO, new_id=lambda: "n1", actor="t", languages=languages)


def test_the_languages_a_client_may_have_are_the_ones_passed_in():
    made = cmd.register_client(_ctx(("en", "xx")), "c1", "Anna Berg", language="xx")
    assert made.language == "xx"
    with pytest.raises(cmd.CommandError) as refused:
        cmd.register_client(_ctx(("en", "xx")), "c2", "김민준", language="ko")
    assert refused.value.key == "unknown_language" and "en, xx" in str(refused.value)


def _book_with(**changed: dict) -> templates.Templates:
    """The catalogues' templates with some languages' tables changed (a test's own catalogues)."""
    tables = {lang: data["templates"] for lang, data in CATALOGUES.items()}
    for lang, change in changed.items():
        tables[lang] = {**tables.get(lang, tables["en"]), **change}
    return templates.read_templates(tables)


def test_the_script_a_name_says_is_the_catalogues():
    """A name in a script only one language claims is written to in that language; a script two
    claim says nothing (the next letter may); a script none claims says nothing."""
    assert templates.language_for(BOOK, "", "en", "김민준") == "ko"
    no_korean_script = _book_with(ko={"scripts": []})
    assert templates.language_for(no_korean_script, "", "en", "김민준") == "en"
    han_twice = _book_with(xx={"scripts": ["Han"]})
    assert templates.language_for(han_twice, "", "en", "青木") == "en"  # ja and xx both write Han
    assert templates.language_for(han_twice, "", "en", "青木 あおい") == "ja"  # kana: only ja
    assert templates.language_for(han_twice, "xx", "en", "青木") == "xx"  # recorded: that one


def test_particles_follow_the_catalogues_rule_not_the_language_code():
    """The 받침 rule is the catalogue's ``particles = "korean"``: without it a particle placeholder
    is a placeholder nothing fills (the plain form is used); with it, in any language, it is chosen."""
    text = "{name}\n‘{what}’{을} 보내 드립니다."
    plain = "{name}\n보내 드립니다."
    with_rule = _book_with(xx={"particles": "korean", "texts": {"promise": text, "promise.plain": plain}})
    without = _book_with(xx={"particles": "", "texts": {"promise": text, "promise.plain": plain}})
    assert templates.render(with_rule, "promise", "xx", "N", what="구인 목록") == "N\n‘구인 목록’을 보내 드립니다."
    assert templates.render(without, "promise", "xx", "N", what="구인 목록") == "N\n보내 드립니다."


def test_a_catalogues_templates_are_checked_when_read():
    with pytest.raises(msgspec.ValidationError, match="days"):
        _book_with(xx={"days": {"today": "t"}})
    with pytest.raises(msgspec.ValidationError, match="particles"):
        _book_with(xx={"particles": "finnish"})


def test_every_catalogue_has_every_labels_text_and_subject_and_known_scripts():
    for lang, own in BOOK.languages.items():
        for label in templates.LABELS:
            assert label in own.texts and f"{label}.subject" in own.texts, (lang, label)
        assert set(own.scripts) <= set(templates.SCRIPTS), lang
        assert "{subject}" in own.subject_line, lang


def test_the_demo_in_a_language_without_demo_texts_is_english_with_messages_in_that_language():
    """``demo --lang xx`` for a language the demo has no names or texts of: the English demo's
    caseload (the same people, the same notes), its clients' messages set to xx."""
    from datetime import date

    from tui_followup.core.demo import generate

    english = generate(date(2026, 11, 25), TOKYO, clients=12, lang="en")
    other = generate(date(2026, 11, 25), TOKYO, clients=12, lang="xx")
    assert [type(e) for e in other] == [type(e) for e in english]
    registered = [(e.name, e.language) for e in other if type(e).__name__ == "ClientRegistered"]
    assert registered == [(e.name, "xx" if e.language == "en" else e.language)
                          for e in english if type(e).__name__ == "ClientRegistered"]
    assert any(language == "xx" for _, language in registered)
