"""``Words.client_name``: an erased client's name in each language; any other name as typed."""

from __future__ import annotations

import pytest

from tui_followup.core.privacy import FORGOTTEN_NAME
from tui_followup.i18n import LANGUAGES, MESSAGES, words_for


def test_every_language_says_the_erased_name():
    assert all(MESSAGES[lang].get("name.forgotten") for lang in LANGUAGES)
    assert words_for("en").t("name.forgotten") == FORGOTTEN_NAME  # English output unchanged


@pytest.mark.parametrize("language, said", [("en", "(forgotten)"), ("ja", "（消去済み）"), ("ko", "(삭제됨)")])
def test_an_erased_clients_name_is_said_in_the_language(language, said):
    words = words_for(language)
    assert words.client_name(FORGOTTEN_NAME, erased=True) == said
    assert words.client_name(FORGOTTEN_NAME, erased=False) == FORGOTTEN_NAME  # typed so: as typed
    assert words.client_name("青木 花子", erased=True) == "青木 花子"  # (not the word erase writes: as it is)
    assert words.client_name("青木 花子", erased=False) == "青木 花子"
