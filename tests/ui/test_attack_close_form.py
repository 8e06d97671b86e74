"""Attacks on the close form now that it asks its question before recording (FormScreen's
``confirm``) and stays open on a refusal: keys in one burst, the question answered twice or
escaped, the client forgotten or closed by a colleague while the question is open, a When
ahead or out of range, and 80x24 in Japanese and Korean."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.storage.maintenance import check, forget
from tui_followup.ui.forms import ConfirmScreen, FormScreen
from tui_followup.ui.screens.replay import ReplayScreen

from .conftest import NOW, TOKYO, events_in, t
from .test_refusal_fits_the_form import app_in, in_view
from .test_triage import SIZE


def closes(log_path) -> list[tuple[str, str, str, str]]:
    return [(e.client, e.actor, e.reason, e.summary) for e in events_in(log_path) if type(e) is ev.CaseClosed]


def stack(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


def colleague(log_path) -> Journal:
    return Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="suzuki")


def note_of(form) -> str:
    return str(form.query_one("#form-note", Static).render())


async def test_c_summary_enter_y_in_one_burst_closes_once_with_the_summary(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away", "enter", "y")
        await pilot.pause()
        assert closes(log_path)[-1] == ("aoki", "kato", "goal_achieved", "moved away")
        assert len(closes(log_path)) == 2  # (mori's, seeded)
        assert stack(app)[-1] == "TodayScreen", stack(app)


async def test_y_twice_closes_once_and_the_second_y_is_todays_own_key(make_app, log_path):
    """The second y reaches Today, where y is the replay of the row under the cursor (read only):
    nothing recorded twice, no second question."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away", "enter", "y", "y")
        await pilot.pause()
        assert len([c for c in closes(log_path) if c[0] == "aoki"]) == 1
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), stack(app)
        if isinstance(app.screen, ReplayScreen):
            assert app.screen.client_id != "aoki"  # the next row's, not the closed client's


async def test_enter_twice_answers_the_question_with_its_default_yes(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"done", "enter", "enter")
        await pilot.pause()
        assert [c for c in closes(log_path) if c[0] == "aoki"] == [("aoki", "kato", "goal_achieved", "done")]
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), stack(app)


async def test_escape_on_the_question_goes_back_to_the_form_as_typed_and_records_nothing(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = log_path.read_bytes()
        await pilot.press("c", *"moved away", "down", "right", "enter", "escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen), stack(app)
        assert form.values()["summary"] == "moved away"
        assert log_path.read_bytes() == before
        reason = form.values()["reason"]
        await pilot.press("enter", "y")
        await pilot.pause()
        assert closes(log_path)[-1] == ("aoki", "kato", reason, "moved away")


async def test_the_client_forgotten_while_the_question_is_open_takes_the_question_too(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"moved away", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), stack(app)
        assert "青木" not in app.export_screenshot()
        await pilot.press("y")  # too late: nothing to answer (Today's y: a replay, of someone else)
        await pilot.pause()
        assert "青木" not in app.export_screenshot()
    assert [c for c in closes(log_path) if c[0] == "aoki"] == []
    assert check(log_path).problems == []


async def test_the_client_forgotten_before_the_app_looks_is_refused_on_the_form(make_app, log_path):
    """Forgotten, the app not having looked yet: y records nothing, and the refusal is said."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"moved away", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        forget(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, use_snapshot=False), "aoki")
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), stack(app)
    assert [c for c in closes(log_path) if c[0] == "aoki"] == []
    assert "moved away" not in log_path.read_text(encoding="utf-8")
    assert check(log_path).problems == []


async def test_a_colleagues_close_read_by_the_app_while_the_question_is_open(make_app, log_path):
    """The app looks (its poll) between Enter and y: the answer is refused on the form as typed."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"moved away", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        colleague(log_path).record(cmd.close_case, "aoki", "withdrew", summary="theirs")
        app.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), stack(app)
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and form.values()["summary"] == "moved away"
        assert "already closed" in note_of(form), note_of(form)
    assert [c for c in closes(log_path) if c[0] == "aoki"] == [("aoki", "suzuki", "withdrew", "theirs")]


async def test_a_colleagues_reopen_and_close_again_between_enter_and_y(make_app, log_path):
    """Closed and reopened by a colleague meanwhile: open again, so this close is recorded."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away", "enter")
        them = colleague(log_path)
        them.record(cmd.close_case, "aoki", "withdrew")
        them.record(cmd.reopen, "aoki")
        await pilot.press("y")
        await pilot.pause()
        assert not any(isinstance(s, (FormScreen, ConfirmScreen)) for s in app.screen_stack), stack(app)
    assert closes(log_path)[-1] == ("aoki", "kato", "goal_achieved", "moved away")


@pytest.mark.parametrize("when", ["2027-06-01", "+3d", "2026-11-25 09:00", "99999-01-01", "2026-13-40"])
async def test_a_when_ahead_or_unreadable_is_refused_on_the_form_without_the_question(make_app, log_path, when):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away")
        form = app.screen
        form.query_one("#field-at").value = when
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form, stack(app)  # no question about what cannot be recorded
        assert note_of(form).strip(), when
        await pilot.press("enter")  # and again: the same
        await pilot.pause()
        assert app.screen is form, stack(app)
    assert [c for c in closes(log_path) if c[0] == "aoki"] == []


async def test_a_when_before_the_registration_is_asked_about_before_the_close(make_app, log_path):
    """2020-01-01 for a client registered on 2026-10-01 (a slip of the year): every form asks
    about such a day (``far_date_question``); the close asked only whether to close, and y
    recorded a close dated 2020."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away")
        form = app.screen
        form.query_one("#field-at").value = "2020-01-01"
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen), stack(app)
        asked = str(question.query(Static).first().render())
        assert "before the client was registered" in asked and "Close the case of" in asked, asked
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and [c for c in closes(log_path) if c[0] == "aoki"] == []
        form.query_one("#field-at").value = "2026-11-24"
        await pilot.press("enter")
        await pilot.pause()
        asked = str(app.screen.query(Static).first().render())
        assert "registered" not in asked and "Close the case of" in asked, asked
        await pilot.press("y")
        await pilot.pause()
    assert [c for c in closes(log_path) if c[0] == "aoki"] == [("aoki", "kato", "goal_achieved", "moved away")]


async def test_a_when_in_the_past_is_recorded_at_that_time(make_app, log_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"moved away")
        app.screen.query_one("#field-at").value = "2026-11-24 17:00"
        await pilot.press("enter", "y")
        await pilot.pause()
    last = events_in(log_path)[-1]
    assert type(last) is ev.CaseClosed and last.at == t("2026-11-24 17:00")


# ----- 80x24, Japanese and Korean: the question and the refusal in view -----------------------

def painted(widget) -> list[str]:
    region = widget.content_region.reset_offset
    return [line for line in ("".join(s.text for s in strip).rstrip() for strip in widget.render_lines(region)) if line]


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_at_80x24_the_question_then_the_refusal_in_view(log_path, language):
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", *"moved away [abroad]")
        form = app.screen
        assert isinstance(form, FormScreen)
        colleague(log_path).record(cmd.close_case, "aoki", "withdrew")
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        box = question.query_one("Vertical").region
        assert box.bottom <= 24 and all(b.region.bottom <= box.bottom for b in question.query("Button"))
        text = "\n".join(painted(question.query(Static).first()))
        assert "青木 花子" in text, text
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is form and form.values()["summary"] == "moved away [abroad]"
        lines = painted(form.query_one("#form-note"))
        assert any("青木 花子" in line for line in lines) or "青木" not in "".join(lines), lines
        in_view(form, language)


LONG = "Maria Fernanda Gonzalez Rodriguez de la Cruz"


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
async def test_the_close_question_keeps_the_clients_name_on_one_line(log_path, language):
    """The question names the client, whose name the app's questions keep whole (``about``'s
    ``kept_names``); the one the form asks was made without them: 「…case of Maria Fernanda
    Gonzalez⏎Rodriguez de la Cruz…」."""
    colleague(log_path).record(cmd.register_client, "maria", LONG, at=t("2026-10-01 09:00"))
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client("maria")
        await pilot.pause()
        await pilot.press("c", *"moved", "enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen), stack(app)
        lines = painted(question.query(Static).first())
        assert any(LONG in line for line in lines), lines
        assert all(cell_len(line) <= question.query(Static).first().content_region.width for line in lines)


@pytest.mark.parametrize("language", ["ja", "ko", "en"])
async def test_at_80x24_the_question_about_a_day_before_the_registration_is_in_view(log_path, language):
    """The close's question with the day's before it (two sentences, the long name kept whole)."""
    colleague(log_path).record(cmd.register_client, "maria", LONG, at=t("2026-10-01 09:00"))
    app = app_in(log_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_client("maria")
        await pilot.pause()
        await pilot.press("c", *"moved")
        app.screen.query_one("#field-at").value = "2025-11-24"
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen), stack(app)
        box = question.query_one("Vertical").region
        assert box.bottom <= 24 and all(b.region.height and b.region.bottom <= box.bottom for b in question.query("Button"))
        lines = painted(question.query(Static).first())
        assert any(LONG in line for line in lines) and any("2025" in line for line in lines), lines
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
    assert [c for c in closes(log_path) if c[0] == "maria"] == []
