"""The message form's preview at 80x24 keeps a client's name on one line (issue 23): a name
written with a space (山田 太郎, 남궁 민) was split at it where the text wrapped; what is copied
stays the template's text, its ordinary space included."""

from __future__ import annotations

import itertools
from datetime import date

from textual.widgets import TextArea

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, t

# The same text, the name a character longer each time: one of them reaches the preview's edge
# at the name's space (the Korean question after a pause names the client mid-line).
NAMES = ["山田 太郎", "남궁 민", *("山" * k + " 太郎" for k in range(2, 12))]


async def test_a_name_is_never_split_across_the_previews_lines(tmp_path):
    log = tmp_path / "events.jsonl"
    journal = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    for n, name in enumerate(NAMES):
        journal.record(cmd.register_client, f"c{n}", name, channel="chat", language="ko", at=t("2026-09-01 09:00"))
        journal.record(cmd.hold_session, f"c{n}", at=t("2026-09-10 10:00"), next_step="이력서 쓰기")
        journal.record(cmd.pause, f"c{n}", reason="가족", until=date(2026, 11, 20), at=t("2026-10-01 09:00"))
    copied: list[str] = []
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ja")
    app.copy_text = copied.append  # what the clipboard would be given
    split = []
    async with app.run_test(size=(80, 24)) as pilot:
        for n, name in enumerate(NAMES):
            app.client_action("message", f"c{n}")
            await pilot.pause()
            preview = app.screen.query_one("#preview", TextArea)
            assert name in preview.text and "님의 생각" in preview.text, preview.text
            rows = [row for sections in preview.wrapped_document.lines for row in sections]
            assert max(len(row) for row in rows) < len(preview.text)  # it does wrap
            if sum(row.count(name) for row in rows) != preview.text.count(name):  # one cut in two
                split.append((name, rows))
            assert copied[-1] == preview.text and name in copied[-1]  # the text itself, ordinary spaces
            await pilot.press("ctrl+y")
            assert copied[-1] == preview.text
            await pilot.press("escape")
            await pilot.pause()
    assert split == []


async def test_invisible_characters_typed_into_a_next_step_never_reach_the_client(tmp_path):
    """A next step pasted with a right-to-left mark and a zero-width space: the copied text held
    the six letters \\u200f where they were (the client would have read them). They are dropped;
    an emoji keeps its joiner, and the preview is the text copied."""
    log = tmp_path / "events.jsonl"
    journal = Journal.open(log, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda c=itertools.count(1): f"seed{next(c):04d}")
    journal.record(cmd.register_client, "eve", "Eve Stone", channel="chat", language="en", at=t("2026-11-01 09:00"))
    journal.record(cmd.hold_session, "eve", at=t("2026-11-24 10:00"),
                   next_step="read \u200fשלום\u200e notes\u200b and 👩\u200d💻 work \u200e")
    copied: list[str] = []
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="en")
    app.copy_text = copied.append
    async with app.run_test(size=(80, 24)) as pilot:
        app.client_action("message", "eve")
        await pilot.pause()
        preview = app.screen.query_one("#preview", TextArea)
        assert "read שלום notes and 👩\u200d💻 work”" in copied[-1], copied[-1]  # no space left before the ”
        assert "\\u" not in copied[-1] and "\u200f" not in copied[-1] and "\u200b" not in copied[-1]
        assert copied[-1] == preview.text
