"""The terminal items of the last practitioner pass (issue 24): keys pressed in bursts, as tmux
send-keys delivers them, land on the client they were meant for; Esc does one thing at a time;
the dialogs and lists say what they do at 80x24 in every language."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.screens.clients import ClientsScreen
from tui_followup.ui.screens.replay import PastDayScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, events_in, t
from .test_keyboard import burst, settle

SIZE = (120, 36)


def row_names(app) -> list[str]:
    table = app.screen.query_one("#due", DataTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


def move_to(app, name: str) -> None:
    table = app.screen.query_one("#due", DataTable)
    table.move_cursor(row=row_names(app).index(name))


async def test_after_an_undo_the_next_key_acts_on_the_client_the_cursor_was_on(make_app):
    """``Ctrl+Z y s`` in one burst: the undone message brings 青木's row back above the cursor;
    the s must open Emma's session form (the cursor stayed on the row index: it opened the
    client who slid into Emma's place)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row_names(app)[0] == "青木 花子"
        await pilot.press("m", "enter")  # 青木's 24h note: her row goes
        await settle(app, pilot, lambda: "青木 花子" not in row_names(app))
        move_to(app, "Emma Smith")
        burst(app, "ctrl+z", "y", "s")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and not app.keys_pending)
        assert isinstance(app.screen, FormScreen), app.screen
        assert "Emma Smith" in app.screen.form_title


def clients_cursor(app) -> str:
    table = app.screen.query_one("#clients", DataTable)
    return str(table.get_row_at(table.cursor_row)[0])


async def test_on_clients_the_cursor_follows_its_client_when_a_row_comes_above_it(make_app, log_path):
    """A client registered elsewhere (another window, the command line) sorts above the cursor:
    the cursor stays on Emma, and ``s`` opens Emma's session, not the newcomer's."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and app.screen.rows)
        assert clients_cursor(app) == "Emma Smith"
        register_elsewhere(log_path, "aaron", "Aaron Abbott")
        app.poll_log()
        await settle(app, pilot, lambda: len(app.screen.rows) == 6)
        assert clients_cursor(app) == "Emma Smith"
        burst(app, "s")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen))
        assert "Emma Smith" in app.screen.form_title


async def test_on_clients_an_undo_in_a_burst_keeps_the_cursor_on_its_client(make_app, log_path):
    """Register Aaron here (he sorts first), go down to Emma, then ``Ctrl+Z y s`` in one burst:
    Aaron leaves the list and the session form is Emma's (the row index now held 佐藤)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and app.screen.rows)
        await pilot.press("a")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        await pilot.press(*"Aaron Abbott", "enter")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and len(app.screen.rows) == 6)
        assert clients_cursor(app) == "Aaron Abbott"
        await pilot.press("j")
        assert clients_cursor(app) == "Emma Smith"
        burst(app, "ctrl+z", "y", "s")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and not app.keys_pending)
        assert isinstance(app.screen, FormScreen) and "Emma Smith" in app.screen.form_title


def register_elsewhere(path, client: str, name: str, reading: str = "") -> None:
    counter = itertools.count(1)
    j = Journal.open(path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="sato",
                     new_id=lambda: f"else{client}{next(counter):04d}")
    j.record(cmd.register_client, client, name, reading=reading, at=t("2026-11-20 09:00"))


async def test_escape_in_past_days_date_box_returns_to_the_list_and_a_second_leaves(make_app):
    """``5 d 2026-11 Esc``: the half-typed date is thrown away and the list has the keys again
    (Esc closed the whole screen); a second Esc leaves Past day, as from the list."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(app, pilot, lambda: isinstance(app.screen, PastDayScreen) and app.screen.day is not None)
        burst(app, "d", *"2026-11", "escape")
        await settle(app, pilot, lambda: not app.keys_pending)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PastDayScreen)
        assert isinstance(app.focused, DataTable)
        assert app.screen.query_one("#day", Input).value == "2026-11-24"  # the day shown, not what was typed
        burst(app, "j", "escape")  # keys of the list again
        await settle(app, pilot, lambda: isinstance(app.screen, TodayScreen))
        assert isinstance(app.screen, TodayScreen)


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
async def test_the_decide_dialog_names_the_client_and_says_what_each_choice_does(tmp_path, language):
    """m on a decide row: a title with the client and the day the question went unanswered,
    then each choice with its key and what it does, and Esc; all of it inside 80x24."""
    from tui_followup.ui.decide import DecideScreen

    from .test_policy_ui import seed

    path = tmp_path / "events.jsonl"
    seed(path)
    counter = itertools.count(1)
    journal = Journal.open(path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)
    words = app.words
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        table.move_cursor(row=next(n for n, i in enumerate(app.screen.items) if i.kind == "decide"))
        await pilot.press("m")
        assert isinstance(app.screen, DecideScreen)
        dialog = app.screen.query_one("#decide")
        title = str(app.screen.query_one("#decide-title", Static).render())
        assert "Quinn Quiet" in title and words.long_day(date(2026, 10, 20)) in title
        shown = screen_text(app)
        for key, what in (("c", "close"), ("p", "pause"), ("z", "wait"), ("Esc", "not_now")):
            line = next((line for line in shown if words.t(f"decide.{what}")[:8] in line), None)
            assert line is not None, (what, shown)
            assert key in line.split(words.t(f"decide.{what}")[:8])[0], line  # its key before it
        assert dialog.region.x >= 0 and dialog.region.right <= 80 and dialog.region.bottom <= 24
        await pilot.press("z")
        assert isinstance(app.screen, FormScreen)  # the keys still choose


def screen_text(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
async def test_the_keys_list_scrolls_by_keys_says_where_it_is_and_shows_keys_as_typed(log_path, language):
    """``?`` at 80x24: the list is longer than the screen; ↓, PgDn, j and G scroll it, a line
    that stays in view says which part is shown, the title and how to close stay too, and each
    key is written as it is typed, one per line ("Ctrl+C", never "c,super+^c" or "^c")."""
    from tui_followup.ui.keys import KeysScreen

    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)
    words = app.words
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        keys = app.screen.query_one("#keys")
        assert keys.max_scroll_y > 0
        where = app.screen.query_one("#keys-where", Static)
        first = str(where.render())
        for key in ("down", "pagedown", "j"):
            before = keys.scroll_y
            await pilot.press(key)
            await pilot.pause()
            assert keys.scroll_y > before, key
        assert str(where.render()) != first  # it says the part shown moved
        await pilot.press("G")
        await pilot.pause()
        text = "\n".join(screen_text(app))
        assert words.t("keys.title") in text and words.t("keys.close") in text  # still in view
        listed = "\n".join(str(s.render()) for s in app.screen.query("#keys Static"))
        assert "Ctrl+C" in listed and "Ctrl+Q" in listed and "Ctrl+P" in listed
        assert "super" not in listed and "^" not in listed and "," not in "".join(
            line[:16] for line in listed.splitlines())
        assert "Shift+Tab" in listed and "PgUp" in listed and "Enter" in listed


async def test_clients_sort_by_reading_then_names_without_one_korean_in_hangul_order(log_path):
    """A Japanese caseload is read in kana order whether the reading was typed in hiragana,
    katakana or half-width katakana (上田's ｳｴﾀﾞ came after every name); names without a
    reading come after those with one; Korean names in 가나다 order; Latin names by letter,
    not by case ("adam" came after "Zoe")."""
    for client, name, reading in [("watanabe", "渡辺 美咲", "ワタナベ ミサキ"), ("ito", "伊藤 太郎", "いとう たろう"),
                                  ("ueda", "上田 さくら", "ｳｴﾀﾞ ｻｸﾗ"), ("ogawa", "小川 蓮", "オガワ レン"),
                                  ("lee", "이서연", ""), ("park", "박지훈", ""), ("kang", "강민수", ""),
                                  ("adam", "adam Lee", ""), ("zoe", "Zoe Martin", "")]:
        register_elsewhere(log_path, client, name, reading)
    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language="ja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientsScreen) and app.screen.rows)
        table = app.screen.query_one("#clients", DataTable)
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert names[:3] == ["adam Lee", "Emma Smith", "Zoe Martin"], names
        with_reading = ["伊藤 太郎", "上田 さくら", "小川 蓮", "渡辺 美咲"]  # い, う, お, わ
        assert names[3:7] == with_reading, names
        assert set(names[7:10]) == {"青木 花子", "佐藤 健一", "森 由美"}  # no reading: after those with one
        assert names[10:] == ["강민수", "김민준", "박지훈", "이서연"], names  # 가나다 order
        burst(app, "slash", *"わたなべ")  # typed in hiragana, the reading was katakana
        await settle(app, pilot, lambda: not app.keys_pending and len(app.screen.rows) == 1)
        assert [r.name for r in app.screen.rows] == ["渡辺 美咲"]  # the filter reads the reading too


async def test_j_k_g_G_move_in_the_replay_and_on_past_day_as_in_every_list(make_app):
    """The replay of a client's history and Past day are lists too: j/k a row down and up, g/G
    the first and the last, and ? lists them (they were listed and did nothing)."""
    from tui_followup.ui.keys import KeysScreen
    from tui_followup.ui.screens.replay import ReplayScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter", "y")  # 김민준's replay
        await settle(app, pilot, lambda: isinstance(app.screen, ReplayScreen))
        steps = app.screen.query_one("#steps", DataTable)
        assert steps.row_count > 2
        await pilot.press("j", "j")
        assert steps.cursor_row == 2
        step = app.words.t("replay.step", n=3, total=steps.row_count)
        assert step in str(app.screen.query_one("#state", Static).render())  # the third step shown
        await pilot.press("k")
        assert steps.cursor_row == 1
        await pilot.press("G")
        assert steps.cursor_row == steps.row_count - 1
        await pilot.press("g")
        assert steps.cursor_row == 0
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        listed = "\n".join(str(s.render()) for s in app.screen.query("#keys Static"))
        this_screen = listed.split(app.words.t("keys.app"))[0]
        assert "  j " in this_screen and "  k " in this_screen
        await pilot.press("escape", "escape", "escape")
        await pilot.press("5")
        await settle(app, pilot, lambda: isinstance(app.screen, PastDayScreen) and app.screen.drawn >= 0)
        due = app.screen.query_one("#due", DataTable)
        assert due.row_count > 1
        await pilot.press("j")
        assert due.cursor_row == 1
        await pilot.press("k")
        assert due.cursor_row == 0


@pytest.mark.parametrize("language", ["en", "ja"])
async def test_at_80_columns_why_takes_the_width_left_and_is_cut_with_an_ellipsis(tmp_path, language):
    """Today at 80x24 on the demo caseload: Why is the last column in view and takes what the
    columns before it leave; a reason longer than that ends in "…" (it was cut at the screen's
    edge mid-word, "ask about intent, 30 days after"); Channel and Last contact come after it,
    out of view, rather than Why giving way to them."""
    from rich.cells import cell_len

    from tui_followup.ui.factory import demo_app

    counter = itertools.count(1)
    app = demo_app(tmp_path / "demo.jsonl", ids=lambda: f"snap{next(counter):06d}", language=language,
                   demo_lang=None if language == "en" else language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        await settle(app, pilot, lambda: not table.filling)
        await pilot.pause()
        columns = table.ordered_columns
        why_at = [str(c.label) for c in columns].index(app.words.t("col.why"))
        left = sum(c.get_render_width(table) for c in columns[:why_at])
        why_width = columns[why_at].get_render_width(table)
        assert left + why_width == table.scrollable_content_region.width  # to the edge, no further
        lines = screen_text(app)
        cut = 0
        for n, item in enumerate(app.screen.items[:12]):
            why = app.words.why_text(item, leave_out=("missed",))
            line = lines[table.region.y + table.header_height + n]  # the row's line on screen
            assert str(table.get_row_at(n)[0]) in line
            if cell_len(why) > why_width - 2:
                assert "…" in line, (why, line)
                cut += 1
            else:
                assert why in line
        assert cut  # the demo has reasons too long for 80 columns


@pytest.mark.parametrize("language", ["ja", "ko"])
async def test_a_refusal_never_covers_an_open_form_it_is_said_on_the_forms_own_line(log_path, language):
    """Every form at 80x24 in Japanese and Korean: a refusal (here a message's When a day
    ahead, and any refusal or warning said while a form is open) is shown on the form's own
    line, in view, never as a toast over the form's fields and hint."""
    from tui_followup.ui.record_forms import FORMS

    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato", new_id=lambda: f"app{next(counter):04d}")
    app = FollowupApp(journal, poll_seconds=0, template_overrides={}, language=language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("m")  # 青木's message: When a day ahead is refused
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        when = app.screen.query_one("#field-at", Input)
        when.value = "+1d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)  # refused: still open
        note = form.query_one("#form-note", Static)
        said = str(note.render())
        assert "2026-11-26" in said and app.words.t("note.not_recorded") in said  # the refusal, whole
        assert note.region.height >= 1 and note.region.bottom <= 24
        assert list(app.screen.query("Toast")) == []
        await pilot.press("escape", "y")
        await settle(app, pilot, lambda: isinstance(app.screen, TodayScreen))
        checked = []
        for what in FORMS:
            app.client_action(what, "aoki", None)
            await pilot.pause()
            if not isinstance(app.screen, FormScreen):
                while len(app.screen_stack) > 1:
                    app.pop_screen()
                await pilot.pause()
                continue
            app.screen.notify("refused for a test", severity="error", title=app.words.t("note.not_recorded"))
            await pilot.pause()
            assert list(app.screen.query("Toast")) == [], what
            assert "refused for a test" in str(app.screen.query_one("#form-note", Static).render()), what
            checked.append(what)
            app.screen.dismiss(None)
            await pilot.pause()
        assert len(checked) >= 12, checked
