"""Issue 24, "The app's house": Today, the client screen, Past day, Audit and the Weekly review
say what the user asked for with typed messages (RecordRequested, OpenClient, UndoRequested)
that the app handles, instead of reaching up into it; Today's mine/everyone is the screen's own
reactive; what the others show worked out ahead (``Ahead``) and the review's measures are given
to them when they are made. Shown by hosting the screens in a bare app that has only the
journal, the words and the caseload's version: every key lands as a message."""

from __future__ import annotations

import itertools

from textual.app import App
from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.core.events import ClientPaused, MessageSent
from tui_followup.i18n import words_for
from tui_followup.storage.journal import Journal
from tui_followup.ui.ahead import Ahead
from tui_followup.ui.forms import FormScreen
from tui_followup.ui.messages import CopyRequested, OpenClient, RecordRequested, UndoRequested
from tui_followup.ui.record_forms import FORMS, FormContext, later_than_now
from tui_followup.ui.screens.audit import AuditScreen
from tui_followup.ui.screens.client import ClientScreen
from tui_followup.ui.screens.replay import PastDayScreen
from tui_followup.ui.screens.review import ReviewScreen
from tui_followup.ui.screens.today import TodayScreen

from .conftest import NOW, TOKYO, events_in

SIZE = (120, 36)


class Host(App):
    """Only what a screen may read (the journal, the words, the caseload's version)."""

    def __init__(self, journal: Journal, first=TodayScreen) -> None:
        super().__init__()
        self.journal, self.words, self.version = journal, words_for("en"), 0
        self.asked: list = []
        self.first = first  # the screen it shows: made from what it is given

    def on_mount(self) -> None:
        self.push_screen(self.first())

    def on_record_requested(self, message: RecordRequested) -> None:
        self.asked.append(("record", message.what, message.client, message.item and message.item.kind, message.ref))

    def on_open_client(self, message: OpenClient) -> None:
        self.asked.append(("open", message.client))

    def on_undo_requested(self, message: UndoRequested) -> None:
        self.asked.append(("undo", message.client))


def host(log_path, first=None) -> Host:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return Host(journal, first=(lambda: first(journal)) if first else TodayScreen)


async def settle(pilot, done) -> None:
    for _ in range(200):  # a condition, not a duration
        if done():
            return
        await pilot.pause()


async def test_todays_keys_are_messages_the_app_handles(log_path):
    before = log_path.read_bytes()
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "j", "s", "enter")
        await pilot.pause()
        assert app.asked == [("record", "message", "aoki", "checkpoint", None),
                             ("record", "session", "kim", "respond", None), ("open", "kim")]
    assert log_path.read_bytes() == before  # the screen itself records nothing


async def test_mine_or_everyone_is_todays_reactive(log_path):
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.whose == "everyone"
        await pilot.press("w")
        await pilot.pause()
        assert screen.whose == "mine" and not hasattr(app, "whose")
        screen.whose = "everyone"  # set from outside, it redraws itself
        await pilot.pause()
        assert len(screen.items) == len(app.journal.board.due(app.journal.today(), 7))


async def test_the_client_screens_keys_are_messages_the_app_handles(log_path):
    app = host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ClientScreen("aoki"))
        await pilot.pause()
        await pilot.press("n", "e", "ctrl+z", "B")
        await pilot.pause()
        ref = app.screen.current_ref()
        assert app.asked == [("record", "note", "aoki", None, ref), ("record", "edit", "aoki", None, ref),
                             ("undo", "aoki"), ("record", "cancel_appointment", "aoki", None, ref)]


def clients_on(screen) -> list[str]:
    return [key.value.split("|")[0] for key in screen.query_one("#due").rows]


async def test_past_day_is_hosted_bare_and_works_out_another_day_from_the_facts(log_path):
    """Past day, given only what is worked out ahead: yesterday drawn, ← the day before, cut
    from each client's facts (no app to call back into)."""
    before = log_path.read_bytes()
    app = host(log_path, lambda journal: PastDayScreen(Ahead(journal)))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PastDayScreen)
        await settle(pilot, lambda: "Tue 24 Nov" in screen.sub_title)
        assert "read-only" in screen.sub_title
        assert clients_on(screen) == ["aoki", "kim"]
        await pilot.press("left")
        await settle(pilot, lambda: "Mon 23 Nov" in screen.sub_title and "read-only" in screen.sub_title)
        assert clients_on(screen) == ["aoki"]
    assert log_path.read_bytes() == before


async def test_audit_is_hosted_bare_and_enter_is_a_message_the_app_handles(log_path):
    app = host(log_path, lambda journal: AuditScreen(Ahead(journal)))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.rows)
        assert {row.client for row in screen.rows} == {"aoki", "kim", "emma", "sato", "mori"}
        assert "sorted by flags" in screen.sub_title
        await pilot.press("o")  # the next order
        await pilot.pause()
        assert "sorted by on time" in screen.sub_title
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.asked == [("open", screen.rows[1].client)]


async def test_the_weekly_review_is_hosted_bare_with_the_measures_it_is_given(log_path):
    app = host(log_path, lambda journal: ReviewScreen(Ahead(journal), ["promise_kept_share", "no_show_rate"]))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await settle(pilot, lambda: str(screen.query_one("#kpis", Static).content).strip())
        kpis = str(screen.query_one("#kpis", Static).content)
        assert "promises kept" in kpis and "no-show rate" in kpis and "on time" not in kpis
        assert "Mon 23 Nov" in screen.sub_title
        # waiting for a reply: no one (Emma's one message is the note after her session, which
        # tells her no reply is needed); to thank: Kim, then Aoki
        await pilot.press("tab", "tab", "m", "j", "enter")
        await pilot.pause()
        assert app.asked == [("record", "message", "kim", None, None), ("open", "aoki")]


# -- the forms: given a FormContext, never the app ----------------------------------------------


class FormHost(Host):
    """The bare app, and what the forms are given: a ``FormContext`` built here (the journal to
    read, the words, a way to record through the command layer, to say a note, to open a screen,
    to copy). The form screens' requests (a copy, the keys kept while drawing) are messages."""

    def __init__(self, journal: Journal) -> None:
        super().__init__(journal)
        self.copied: list[str] = []

    def record(self, command, *args, **kwargs) -> str | None:
        refused = later_than_now(self.journal, self.words, command, kwargs.get("at"))
        if refused is not None:
            return refused
        try:
            self.journal.record(command, *args, **kwargs)
        except cmd.CommandError as exc:
            return self.words.error_text(exc)
        return None

    def forms(self) -> FormContext:
        return FormContext(journal=self.journal, words=self.words, language=None, template_overrides={},
                           record=self.record, notify=self.notify, open=self.push_screen,
                           copy=self.copied.append, act=lambda what, client, item: None)

    def on_copy_requested(self, message: CopyRequested) -> None:
        self.copied.append(message.text)


def form_host(log_path) -> FormHost:
    counter = itertools.count(1)
    journal = Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato",
                           new_id=lambda: f"app{next(counter):04d}")
    return FormHost(journal)


def form_note(screen) -> str:
    return str(screen.query_one("#form-note").render())


async def test_the_message_form_records_through_its_context_in_a_bare_app(log_path):
    app = form_host(log_path)
    async with app.run_test(size=SIZE) as pilot:
        FORMS["message"](app.forms(), app.journal.client("aoki"), None)
        await settle(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        form = app.screen
        assert app.copied and "青木" in app.copied[0]  # the template, copied as the form opens
        await pilot.press("ctrl+y")  # copied again: a message the app handles
        await settle(pilot, lambda: len(app.copied) == 2)
        assert app.copied[1] == app.copied[0]
        await pilot.press(*"rang")
        form.query_one("#field-at").value = "+1d"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "later than now" in form_note(form))
        assert app.screen is form and "Not recorded" in form_note(form)  # on the form's own line
        assert not any(isinstance(e, MessageSent) and e.client == "aoki" and e.summary == "rang"
                       for e in events_in(log_path))
        form.query_one("#field-at").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is not form)
    sent = [e for e in events_in(log_path) if isinstance(e, MessageSent) and e.client == "aoki"]
    assert [e.summary for e in sent] == ["rang"]


async def test_the_pause_form_says_its_refusal_on_its_own_line_then_records(log_path):
    app = form_host(log_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        FORMS["pause"](app.forms(), app.journal.client("aoki"), None)
        await settle(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen.ready)
        form = app.screen
        await pilot.press(*"care", "tab", *"11/20", "enter")  # an end already past: the command refuses
        await settle(pilot, lambda: "2026-11-20" in form_note(form))
        assert app.screen is form and "Not recorded" in form_note(form)
        assert list(form.query("Toast")) == [] and list(app.screen.query("Toast")) == []
        assert not any(isinstance(e, ClientPaused) and e.client == "aoki" for e in events_in(log_path))
        form.query_one("#field-until").value = "12/20"
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is not form)
    paused = [e for e in events_in(log_path) if isinstance(e, ClientPaused) and e.client == "aoki"]
    assert [(e.reason, str(e.until)) for e in paused] == [("care", "2026-12-20")]
