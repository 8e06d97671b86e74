"""Issue 24, a practitioner's check ("Smaller problems found"): the kept form offers a promise on
its current date, the session's minutes take digits only, a refused date names its field, and a
closed client's footer offers Reopen. Keys pressed as a user does, bursts where they matter."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tui_followup.core import commands as cmd
from tui_followup.core import events as ev
from tui_followup.core.clock import FixedClock
from tui_followup.i18n import LANGUAGES
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp
from tui_followup.ui.forms import Choice, FormScreen
from tui_followup.ui.record_forms import FORMS
from tui_followup.ui.screens.client import ClientScreen

from .conftest import NOW, TOKYO, events_in, t, toasts
from .test_keyboard import burst, settle


async def open_client(app, pilot, row: int = 0) -> None:
    await pilot.press("g", *["down"] * row, "enter")
    await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen))


async def test_the_kept_form_offers_a_rescheduled_promise_on_its_new_date(make_app):
    """After "Send the CV template" (12-07) was moved to 12-10, the kept form still offered
    "Send the CV template (12-07)": it says 12-10, as the due list does, and the promises are
    in the order of the days they are due now."""
    app = make_app()
    cv = app.journal.record(cmd.make_promise, "aoki", date(2026, 12, 7), "Send the CV template")
    app.journal.record(cmd.make_promise, "aoki", date(2026, 12, 8), "Call the employer")
    app.journal.record(cmd.reschedule_promise, cv.id, date(2026, 12, 10))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_client(app, pilot)
        assert app.screen.client_id == "aoki"
        await pilot.press("d")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen))
        shown = [text for text, _ in app.screen.query_one("#field-promise", Choice).options]
        assert shown == ["Call the employer (12-08)", "Send the CV template (12-10)"]


async def test_the_minutes_take_digits_only_as_typed(make_app, log_path):
    """「ABC박」 typed into the session's minutes stood there until submit: only digits are taken
    as they are typed (in one burst, as a paste or tmux delivers them); zero is still refused on
    submit, nothing recorded."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        form = app.screen
        burst(app, "ctrl+a", "ctrl+k", *"ABC박4", "リ", "5")
        await settle(app, pilot, lambda: form.values()["minutes"] == "45")
        assert form.values()["minutes"] == "45"
        before = len(events_in(log_path))
        burst(app, "ctrl+a", "ctrl+k", "0", "enter")
        await settle(app, pilot, lambda: "-error" in form.query_one("#form-note").classes)
        assert "positive number of minutes" in str(form.query_one("#form-note").render())
        assert len(events_in(log_path)) == before
        burst(app, "ctrl+a", "ctrl+k", *"４５", "enter")  # digits typed full-width (an IME): taken
        await settle(app, pilot, lambda: len(events_in(log_path)) > before)
        last = events_in(log_path)[-1]
        assert isinstance(last, ev.SessionHeld) and last.minutes == 45


async def test_the_booking_minutes_take_digits_only(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_client(app, pilot)
        await pilot.press("b")
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        form = app.screen
        await tab_to(app, pilot, "minutes")
        await pilot.press("ctrl+a", "ctrl+k", *"x6y0")
        assert form.values()["minutes"] == "60"
        await tab_to(app, pilot, "time")
        await pilot.press("ctrl+a", "ctrl+k", "enter")  # a booking's time left empty: said, by its name
        await settle(app, pilot, lambda: "-error" in form.query_one("#form-note").classes)
        assert str(form.query_one("#form-note").render()) == "Not recorded: Time: nothing given"


# A date or time refused names its field as the form labels it (the When's refusal read "a date
# (YYYY-MM-DD), a time (YYYY-MM-DD HH:MM) or a number could not be read", which field unsaid).
NAMES = {
    "en": {"at": "When", "due": "Due", "until": "Until", "date": "Date", "day": "Day", "time": "Time"},
    "ja": {"at": "日時", "due": "期日", "until": "いつまで", "date": "日付", "day": "日", "time": "時刻"},
    "ko": {"at": "일시", "due": "기한", "until": "종료일", "date": "날짜", "day": "날짜", "time": "시각"},
}
DATES = {"at", "due", "until", "date", "day", "time"}


async def tab_to(app, pilot, name: str) -> None:
    for _ in range(20):
        if app.screen.focused is not None and app.screen.focused.id == f"field-{name}":
            return
        await pilot.press("tab")
    raise AssertionError(f"no field {name}")


def app_in(log_path, language: str):
    counter = itertools.count(1)
    journal = Journal.open(log_path, languages=LANGUAGES, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return FollowupApp(journal, poll_seconds=0.0, template_overrides={}, language=language)


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_a_refused_date_names_its_field_in_every_form(log_path, lang):
    app = app_in(log_path, lang)
    app.journal.record(cmd.make_promise, "aoki", date(2026, 12, 7), "CV")  # one to keep, one to cancel
    app.journal.record(cmd.book_appointment, "aoki", when=t("2026-11-30 10:00"))
    words, seen = app.words, set()
    not_recorded = words.t("note.not_recorded")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for what in FORMS:
            if what == "replay":
                continue
            client = {"resume": "sato", "reopen": "mori"}.get(what, "aoki")
            app.client_action(what, client)
            await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
            form = app.screen
            assert isinstance(form, FormScreen), what
            for name in [f.name for f in form.fields if f.name in DATES]:
                seen.add(name)
                await tab_to(app, pilot, name)
                before = log_path.read_bytes()
                await pilot.press("ctrl+a", "ctrl+k", *"zz", "enter")
                await settle(app, pilot, lambda: "-error" in form.query_one("#form-note").classes)
                said = str(form.query_one("#form-note").render())
                assert said.startswith(f"{not_recorded}: {NAMES[lang][name]}: ") and "zz" in said, (what, said)
                assert app.screen is form and log_path.read_bytes() == before
                form.query_one("#form-note").set_class(False, "-error")
                was = next(f.value for f in form.fields if f.name == name)
                await pilot.press("ctrl+a", "ctrl+k", *was)  # as it was, for the next field's refusal
            await pilot.press("escape")
            await settle(app, pilot, lambda: not isinstance(app.screen, FormScreen) or app.screen is not form)
            if app.screen.__class__.__name__ == "ConfirmScreen":
                await pilot.press("y")  # throw away what was typed
            await settle(app, pilot, lambda: not isinstance(app.screen, (FormScreen,)) or app.screen is not form)
    assert seen == DATES


def footer(app) -> dict[str, str]:
    """The footer's keys as the user reads them: key, then its words (the palette's left out)."""
    return {k.key: str(k.description) for k in app.screen.query("FooterKey") if "-command-palette" not in k.classes}


async def open_client_by_id(app, pilot, client: str) -> None:
    app.open_client(client)
    await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.client_id == client
                 and footer(app))
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
async def test_a_closed_clients_footer_offers_reopen_and_an_active_ones_does_not(log_path, lang):
    """A closed client's footer read "? Keys  r Reply  esc Back  e Edit": it offers o Reopen, and
    not what a closed case refuses (m, s, z); an active client's footer offers no Reopen. At
    80 columns, whole."""
    app = app_in(log_path, lang)
    words = app.words
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_client_by_id(app, pilot, "mori")  # closed
        keys = footer(app)
        assert keys.get("o") == words.t("key.reopen"), keys
        assert not {"m", "s", "z"} & set(keys), keys
        assert keys.get("r") == words.t("key.reply")  # a closed client who writes back is welcomed
        shown = [k for k in app.screen.query("FooterKey") if "-command-palette" not in k.classes]
        palette = app.screen.query_one("FooterKey.-command-palette")
        assert max(k.region.right for k in shown) <= palette.region.x  # not cut at 80 columns
        await pilot.press("o")  # and it opens the reopen form
        await settle(app, pilot, lambda: isinstance(app.screen, FormScreen))
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == words.t("form.reopen_title",
                                                                                      name="森 由美")
        await pilot.press("escape")
        await settle(app, pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("escape")
        await open_client_by_id(app, pilot, "aoki")  # active
        keys = footer(app)
        assert "o" not in keys and words.t("key.reopen") not in keys.values(), keys
        assert {"m", "s", "r", "z"} <= set(keys), keys


async def test_o_on_an_active_client_still_says_why_it_is_refused(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await open_client_by_id(app, pilot, "aoki")
        await pilot.press("o")
        assert any("is not closed" in toast for toast in await toasts(pilot)), await toasts(pilot)
        assert isinstance(app.screen, ClientScreen)
