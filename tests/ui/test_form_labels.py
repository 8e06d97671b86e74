"""A form's field labels stay in view (issue 24, a practitioner's check): at 160x45 the register
form opened scrolled so that "Name" (名前) was above the fields' edge, and the Korean message
form at 80x24 hid 「요약」 above its first field. When a form opens, and whenever a field takes
the focus (Tab), the label of the focused field is in view, with the field, and the form's
title stays in view."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from textual.widgets import Label

from tui_followup.core import commands as cmd
from tui_followup.core.policy import open_appointments, open_promises
from tui_followup.ui.factory import demo_app
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.record_forms import FORMS

from .test_keyboard import settle

NOT_A_FORM = {"replay"}  # Past day is a screen, not a form


def label_of(form: FormScreen, field) -> Label:
    """The Label the form shows above ``field`` (the field's own, never the one of another)."""
    children = list(form.query_one(".fields").children)
    return next(w for w in reversed(children[:children.index(field)]) if isinstance(w, Label))


def in_view(form: FormScreen) -> tuple[bool, str]:
    """The focused field's label, and the field, inside the visible part of the fields' scroll;
    the title inside the screen."""
    fields = form.query_one(".fields")
    view = fields.scrollable_content_region
    focused = form.focused
    label = label_of(form, focused)
    title = form.query_one(".form-title")
    seen = (label.region.height > 0 and label.region in view and focused.region.y < view.bottom
            and focused.region.bottom > view.y and title.region.height > 0 and title.region.y >= 0)
    return seen, f"{label.render()!s} {label.region} {focused.id} {focused.region} view {view} " \
                 f"scrolled {fields.scroll_offset} title {title.region}"


def a_client_for(app, what: str) -> str:
    """A client of the demo whose state lets ``what``'s form open (a promise to keep, a booking
    to cancel, a closed case to reopen, ...)."""
    for facts in sorted(app.journal.caseload.clients.values(), key=lambda f: f.id):
        if cmd.state_refusal(facts, what, app.journal.tz) is not None:
            continue
        if what == "kept" and not open_promises(facts):
            continue
        if what == "cancel_appointment" and not open_appointments(facts, app.journal.tz):
            continue
        return facts.id
    raise AssertionError(f"no client of the demo for {what}")


async def check_form(app, pilot, name: str) -> None:
    await settle(app, pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
    form = app.screen
    assert isinstance(form, FormScreen), (name, form)
    fields = [w for w in form.query_one(".fields").children if w.can_focus]
    for n in range(len(fields)):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert form.focused is fields[n], (name, n, form.focused)
        seen, said = in_view(form)
        assert seen, (name, n, said)
        await pilot.press("tab")
    await pilot.press("escape")  # nothing typed: closed at once
    await settle(app, pilot, lambda: not isinstance(app.screen, FormScreen))
    assert not isinstance(app.screen, FormScreen), name


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_focused_fields_label_is_in_view_in_every_form(tmp_path, lang, size):
    counter = itertools.count(1)
    app = demo_app(tmp_path / "demo.jsonl", language=lang, demo_lang=None if lang == "en" else lang,
                   ids=lambda: f"lab{next(counter):06d}")
    async with app.run_test(size=size) as pilot:
        booked = a_client_for(app, "book")  # a session booked ahead, for the cancel form
        assert app.record(cmd.book_appointment, booked, when=app.journal.clock.now() + timedelta(days=3))
        assert app.record(cmd.make_promise, booked, app.journal.today() + timedelta(days=2), "CV")  # one to keep
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2", "a")  # the register form, from Clients as the user opens it
        await check_form(app, pilot, "register")
        for what in FORMS:
            if what in NOT_A_FORM:
                continue
            client = a_client_for(app, what)
            app.client_action(what, client)
            if what == "close":
                await check_form(app, pilot, what)
                continue
            await settle(app, pilot, lambda: app.screen.__class__.__name__ in ("FormScreen", "ConfirmScreen",
                                                                                "DecideScreen"))
            if not isinstance(app.screen, FormScreen):  # a question first (the client's pace): yes
                await pilot.press("y")
            await check_form(app, pilot, what)
