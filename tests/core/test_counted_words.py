"""A message about a count says one as one: "1 message", never "1 messages" (a practitioners'
pass: the weekly pace question with a limit of 1)."""

from __future__ import annotations

from tui_followup import i18n
from tui_followup.i18n import words_for


def test_one_message_is_said_as_one_in_english():
    words = words_for("en")
    assert words.counted("confirm.pace", 1, name="Ana", limit=1).startswith("Ana already had 1 message in the last 7 days")
    assert words.counted("confirm.pace", 2, name="Ana", limit=2).startswith("Ana already had 2 messages in the last 7 days")
    assert "had 1 message in the 7 days" in words.counted("cli.pace_warning", 1, name="Ana", limit=1)


def test_japanese_and_korean_say_a_count_the_same_way_whatever_it_is():
    for lang in ("ja", "ko"):
        words = words_for(lang)
        for count in (1, 2):
            assert words.counted("confirm.pace", count, name="青木", limit=1) == \
                words.t("confirm.pace", count=count, name="青木", limit=1)


def test_every_one_form_stands_beside_its_message_with_the_same_placeholders():
    english = i18n.MESSAGES["en"]
    ones = [key for key in english if key.endswith("_one")]
    assert ones and all(key.removesuffix("_one") in english for key in ones)
