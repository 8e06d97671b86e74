"""SVG snapshots of every screen, on the demo caseload (Japanese, Korean and English names)
at a fixed moment. Review the report before `pytest --snapshot-update`."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from tui_followup.ui.factory import demo_app

SIZE = (120, 36)


@pytest.fixture
def demo(tmp_path):
    counter = itertools.count(1)
    return demo_app(tmp_path / "demo.jsonl", ids=lambda: f"snap{next(counter):06d}")


@pytest.mark.parametrize(
    "name, keys",
    [
        ("today", []),
        ("client", ["down", "enter"]),
        ("message_form", ["m"]),
        ("close_confirm", ["c", "enter"]),
        ("replay", ["down", "enter", "y", "right", "right"]),
        ("past_day", ["5", "d", *"2026-11-10", "enter"]),
        ("clients", ["2"]),
        ("audit", ["3", "down"]),
        ("review", ["4"]),
    ],
)
def test_screen(snap_compare, demo, name, keys):
    async def settled(pilot):  # keys pressed, and any worker (Past day's read) done
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo, run_before=settled, terminal_size=SIZE)


@pytest.fixture
def demo_ja(tmp_path):
    counter = itertools.count(1)
    return demo_app(tmp_path / "demo-ja.jsonl", ids=lambda: f"snap{next(counter):06d}", language="ja",
                    demo_lang="ja")


@pytest.mark.parametrize(
    "name, keys",
    [("today", []), ("client", ["down", "enter"]), ("message_form", ["m"]), ("audit", ["3"]), ("review", ["4"])],
)
def test_screen_in_japanese(snap_compare, demo_ja, name, keys):
    assert snap_compare(demo_ja, press=keys, terminal_size=SIZE)


@pytest.fixture
def demo_ko(tmp_path):
    counter = itertools.count(1)
    return demo_app(tmp_path / "demo-ko.jsonl", ids=lambda: f"snap{next(counter):06d}", language="ko",
                    demo_lang="ko")


@pytest.mark.parametrize(
    "name, keys",
    [
        ("today", []),
        ("client", ["down", "enter"]),
        ("message_form", ["m"]),
        ("close_confirm", ["c", "enter"]),
        ("replay", ["down", "enter", "y", "right", "right"]),
        ("past_day", ["5", "d", *"2026-11-10", "enter"]),
        ("clients", ["2"]),
        ("audit", ["3", "down"]),
        ("review", ["4"]),
        ("keys", ["question_mark"]),
    ],
)
def test_screen_in_korean(snap_compare, demo_ko, name, keys):
    """Every screen of a Korean practitioner's app: Korean words, dates (2026년 11월 25일 (수)),
    names and columns lined up with wide characters."""

    async def settled(pilot):
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_ko, run_before=settled, terminal_size=SIZE)


def test_today_in_the_light_theme(snap_compare, demo):
    """The colours come from the theme: the screen reads as well in light as in dark."""

    async def light(pilot):
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(demo, run_before=light, terminal_size=SIZE)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
@pytest.mark.parametrize(
    "name, keys",
    [("today", []), ("client", ["down", "enter"]), ("audit", ["3"]), ("snooze_form", ["z"])],
)
def test_screen_at_the_small_and_the_large_size(snap_compare, demo, name, keys, size):
    """At 80x24 Today keeps Client, Due for, Due and Overdue (Why shrinks), Audit keeps On time
    and Flags, a form keeps its title; at 160x45 nothing is cut."""
    assert snap_compare(demo, press=keys, terminal_size=size)


def test_the_message_form_at_80x24(snap_compare, demo):
    """The form compact: eight lines of the text, the Enter / Esc hint, the copy note on its
    own line (no toast over it)."""
    assert snap_compare(demo, press=["m"], terminal_size=(80, 24))


def test_today_with_a_very_long_name_at_80x24(snap_compare, tmp_path):
    """A 264-character name is cut with … to its column: Why stays in view."""
    from tui_followup.core import commands as cmd
    from tui_followup.storage.journal import Journal
    from tui_followup.ui.factory import DEMO_NOW, TOKYO, write_demo
    from tui_followup.core.clock import FixedClock

    path = tmp_path / "long.jsonl"
    write_demo(path, DEMO_NOW, 24)
    journal = Journal.open(path, clock=FixedClock(DEMO_NOW), tz=TOKYO, actor="demo", new_id=lambda: "snaplong")
    journal.record(cmd.register_client, "long", "Bartholomew-Alexander " * 12,
                   at=DEMO_NOW - timedelta(days=8))
    counter = itertools.count(1)
    app = demo_app(path, ids=lambda: f"snap{next(counter):06d}")
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("name, keys", [("audit", ["3"]), ("keys", ["question_mark"])])
def test_screen_in_korean_at_80x24(snap_compare, demo_ko, name, keys):
    """Korean at 80x24: the audit's summary wraps between the reasons a case closed for (it was
    cut at 「연락」), the columns in view end whole at the edge (the last header read 「최」)."""

    async def settled(pilot):
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_ko, run_before=settled, terminal_size=(80, 24))



EVERY_SCREEN = [
    ("today", []),
    ("client", ["down", "enter"]),
    ("message_form", ["m"]),
    ("clients", ["2"]),
    ("past_day", ["5", "d", *"2026-11-10", "enter"]),
    ("audit", ["3"]),
    ("review", ["4"]),
    ("keys", ["question_mark"]),
]
TAKEN_ABOVE = {  # the same pictures, taken by the tests above
    *(("en", name, size) for name in ("today", "client", "audit") for size in ("80x24", "160x45")),
    ("en", "message_form", "80x24"), ("ko", "audit", "80x24"), ("ko", "keys", "80x24")}
SIZES = {"80x24": (80, 24), "160x45": (160, 45)}


@pytest.mark.parametrize("lang, name, keys, size", [
    pytest.param(lang, name, keys, SIZES[size], id=f"{lang}-{name}-{size}")
    for lang in ("en", "ja", "ko") for name, keys in EVERY_SCREEN for size in SIZES
    if (lang, name, size) not in TAKEN_ABOVE])
def test_every_screen_in_every_language_at_both_sizes(snap_compare, tmp_path, lang, name, keys, size):
    """Each screen in English, Japanese and Korean at the smallest size the app is used at and at
    a large one: names line up with wide characters, the footer shows whole keys, nothing that
    matters is cut (issue 24: snapshots at 80x24 and 160x45 in every language). The English
    practitioner's caseload is the demo's mix of English, Japanese and Korean names."""
    counter = itertools.count(1)
    app = demo_app(tmp_path / f"demo-{lang}.jsonl", ids=lambda: f"snap{next(counter):06d}", language=lang,
                   demo_lang=None if lang == "en" else lang)

    async def settled(pilot):
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=settled, terminal_size=size)
