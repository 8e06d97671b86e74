"""The Textual app: daily triage, client timeline and replay, audit, weekly review.

Every change goes through the same command layer as the CLI (``Journal.record``) and lands
as an event in the log; the screens only read projections. Another process appending to the
log shows up within a second (the app polls the log's end twice a second, reading only the
new bytes).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import subprocess
import tomllib
from collections import deque
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.system_commands import SystemCommandsProvider

from .. import paths
from ..core import commands as cmd
from ..core import templates
from ..core.caseload import PAUSED
from ..core.clock import Clock, OutOfRange, parse_date, parse_moment
from ..core.events import (
    CHANNELS,
    CLOSE_REASONS,
    IMPORTANCES,
    LANGUAGES,
    SNOOZE_ITEMS,
    AnyEvent,
    EventRetracted,
    tag_of,
)
from ..core.plans import cadence_label
from ..core.policy import (
    APPOINTMENT,
    CHECKPOINT,
    DECIDE,
    MESSAGE_FOR,
    NO_SHOW,
    PROMISE,
    RESPOND,
    DueItem,
    asked_unanswered,
    follow_ups,
    item_of,
    next_item,
    pace_warning,
)
from ..core.visible import visible
from ..i18n import words_for
from ..storage import sizes as opening
from ..storage.journal import Journal
from ..storage.logfile import StoreError
from ..wallclock import SystemClock, local_timezone
from .ahead import Ahead
from .forms import ConfirmScreen, Field, FormScreen, out_of_range
from .keys import KeysScreen
from .loading import LoadingScreen
from .localized import said_bindings
from .screens.audit import AuditScreen
from .screens.base import CaseloadChanged
from .screens.client import ClientScreen
from .screens.clients import ClientsScreen
from .screens.replay import PastDayScreen, ReplayScreen
from .screens.review import ReviewScreen
from .screens.today import TodayScreen

CONSENT_SCOPES = (*CHANNELS, "case_review")  # what a client consents to: each channel, and case review

# The actions a closed case refuses, with the doing the refusal names: their forms never open.
CLOSED_REFUSES = {"message": "message", "session": "session", "snooze": "snooze", "promise": "promise",
                  "pause": "pause", "resume": "resume"}


def as_typed(text: str, matcher: Matcher | None = None) -> Content:
    """A palette line shown as typed, with the matched letters highlighted. The palette reads a
    str prompt or help text as markup, and so does ``Matcher.highlight``: a client named
    "[b]X[/b] [/]" lost its brackets or closed the app with a MarkupError. Control characters
    are shown (core.visible), never sent to the terminal."""
    text = visible(text, lines=False)
    content = Content(text)
    if matcher is not None:
        for offset in matcher.fuzzy_search.match(matcher.query, text)[1]:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ClientCommands(Provider):
    """The command palette finds clients by name or id."""

    async def search(self, query: str) -> Hits:
        app: FollowupApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for facts in app.journal.caseload.registered():
            text = app.words.t("palette.open_client", name=facts.name, client=facts.id)
            score = matcher.match(text)
            if score > 0:
                words = app.words
                help_text = f"{words.word('state', facts.state)} · {words.word('plan', facts.plan)} · {words.word('channel', facts.channel)}"
                yield Hit(score, as_typed(text, matcher), lambda c=facts.id: app.open_client(c), text=text,
                          help=as_typed(help_text))  # type: ignore[arg-type]  # Content is shown as is


class SystemCommands(SystemCommandsProvider):
    """Textual's system commands and ours, shown as typed: the selected client's actions carry
    its name, and Textual's own provider reads their titles and help as markup."""

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda command: command[0])
        for title, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(as_typed(title), callback, text=title,
                                   help=as_typed(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, as_typed(title, matcher), callback, text=title,
                          help=as_typed(help_text))  # type: ignore[arg-type]


def load_template_overrides() -> dict[str, dict[str, str]]:
    path = paths.config_dir() / "templates.toml"
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (FileNotFoundError, tomllib.TOMLDecodeError, OSError):
        return {}
    return {lang: {k: str(v) for k, v in table.items()} for lang, table in data.items() if isinstance(table, dict)}


class FollowupApp(App):
    TITLE = "followup"
    CSS_PATH = "app.tcss"
    COMMANDS = {SystemCommands, ClientCommands}  # SystemCommands in place of Textual's
    MODES = {"today": TodayScreen, "clients": ClientsScreen, "audit": AuditScreen, "review": ReviewScreen,
             "past": PastDayScreen, "loading": LoadingScreen}
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("1", "go('today')", "key.today", id="go.today"),
        Binding("2", "go('clients')", "key.clients", id="go.clients"),
        Binding("3", "go('audit')", "key.audit", id="go.audit"),
        Binding("4", "go('review')", "key.review", id="go.review"),
        Binding("5", "go('past')", "key.past", id="go.past"),
        Binding("ctrl+z", "undo", "key.undo", id="app.undo"),
        Binding("question_mark", "toggle_keys", "key.keys", id="app.keys"),
        # Textual's own keys, in the user's language too
        Binding("ctrl+q", "quit", "key.quit", id="app.quit", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", id="app.palette", show=False, priority=True,
                key_display="^p"),
    ]

    def __init__(self, journal: Journal | None, poll_seconds: float = 0.5,
                 template_overrides: dict[str, dict[str, str]] | None = None,
                 language: str | None = None, review=None,
                 opener: Callable[[Callable[[int, int], None]], Journal] | None = None,
                 loading_text: str = "") -> None:
        """``journal`` None: the app paints a progress bar at once and reads the log with
        ``opener(progress)`` in a worker thread (a first start on a big log)."""
        self.words = words_for(language)  # the app's language: its screens read it here
        if journal is None:
            self.DEFAULT_MODE = "loading"
        super().__init__()
        self._bindings = said_bindings(self._bindings, self.words)  # this app's copy, in its words
        self.journal = journal  # type: ignore[assignment]
        self.opener = opener
        self.loading_text = loading_text
        self.poll_seconds = poll_seconds
        self.template_overrides = template_overrides if template_overrides is not None else {}
        self.language = language
        from ..settings import ReviewSettings

        self.review = review if review is not None else ReviewSettings()  # [review]: kpis, quiet_days
        self.version = 0  # bumped whenever the caseload changes
        self.recorded: list[AnyEvent] = []  # what this window recorded, for undo
        self.notes_told = 0
        self.snapshot_checked = False  # written at the first look for news, not only on closing
        self.reading = False  # a worker is reading the log's new lines
        self.stop_listening = lambda: None  # a server store's NOTIFY listener, once mounted
        self.whose = "everyone"  # Today's items: "mine" (the clients assigned to the actor) or everyone's (w)
        self._ahead: Ahead | None = None
        # Keys as the terminal sends them, given one at a time: the next waits while one is on its
        # way through the widgets (a Tab moving the focus, an m opening a form) or a screen opens.
        self.keys_waiting: deque[events.Key] = deque()
        self.key_holds = 0
        self.ahead_day: date | None = None  # the day the work ahead was done for
        self.froze = False  # what was alive after the first paint is out of the collector's way

    # -- life cycle -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.journal is None:
            self.run_worker(self._open_in_thread, thread=True, group="open", exit_on_error=True)
            return
        self._started()

    def _open_in_thread(self) -> None:
        assert self.opener is not None
        journal = self.opener(lambda done, total: self.call_from_thread(self._progress, done, total))
        self.call_from_thread(self._opened, journal)

    def _progress(self, done: int, total: int) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.advance(done, total)

    def _opened(self, journal: Journal) -> None:
        self.journal = journal
        self.switch_mode("today")
        self._started()

    @property
    def ahead(self) -> Ahead:
        """The audit, the weekly measures and past days, worked out ahead and kept (ui/ahead.py)."""
        if self._ahead is None or self._ahead.journal is not self.journal:
            self._ahead = Ahead(self.journal)
        return self._ahead

    def _work_ahead(self) -> None:
        """After the first paint: what the other screens show, a little at a time on the loop,
        then yesterday's view of the log in a thread (after, not beside: the two would share
        one interpreter lock, and the audit is ready sooner alone)."""
        self.ahead_day = self.journal.today()
        yesterday = self.ahead_day - timedelta(days=1)

        async def work() -> None:
            self._read_screens_css()
            await asyncio.sleep(0)
            await self.ahead.work_ahead()
            self._hold_still()
            self.run_worker(lambda: self.ahead.past_day(yesterday, then=lambda _: self.call_from_thread(self._hold_still)),
                            thread=True, group="ahead-past", exit_on_error=False)

        self.run_worker(work(), group="ahead", exclusive=True, exit_on_error=False)

    def _started(self) -> None:
        self._hold_still()
        self.call_after_refresh(self._work_ahead)
        words = self.words
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.poll_log)
        wake = getattr(self.journal.store, "wake_on_append", None)
        if wake is not None and self.poll_seconds > 0:  # a server store: NOTIFY, the poll as fallback
            self.stop_listening = wake(lambda _position: self.call_from_thread(self.poll_log))
        problems = list(self.journal.problems)
        tail = self.journal.store.tail_problem()
        if tail is not None:
            problems.append(tail)
        self.tell_notes()
        if problems:
            first = problems[0]
            self.notify(words.t("note.log_problems", n=len(problems), path=self.journal.path, line=first.line,
                                message=words.problem_text(first)),
                        severity="warning", title=words.t("note.log_problems_title"), timeout=12)

    def _read_screens_css(self) -> None:
        """Every screen's stylesheet read once, after the first paint: Textual reads a screen's
        when it is first opened and then styles the whole app again (40-80 ms at that key)."""
        fresh = False
        for cls in (*self.MODES.values(), ClientScreen, ReplayScreen):
            names = [cls.CSS_PATH] if isinstance(cls.CSS_PATH, (str, PurePath)) else list(cls.CSS_PATH or ())
            for name in names:
                path = (Path(inspect.getfile(cls)).parent / name).resolve()  # as Textual names it
                if not self.stylesheet.has_source(str(path), ""):
                    self.stylesheet.read(path)
                    fresh = True
        if fresh:
            self.stylesheet.reparse()
            self.stylesheet.update(self)

    def _hold_still(self) -> None:
        """The caseload and what is kept of it live as long as the app: moved out of the cyclic
        collector's sight (``gc.freeze``), or every full collection walks them all -- 0.1 s at
        a million events, at whatever moment it falls (a key press, a recorded event).
        Reference counting still frees them; they are given back to the collector on exit."""
        gc.freeze()
        self.froze = True

    def on_unmount(self) -> None:
        self.stop_listening()
        if self.froze:
            gc.unfreeze()

    def poll_log(self) -> None:
        """Pick up what other writers appended: the new bytes are read and decoded in a worker
        thread, off the event loop; the fold of them and the screens' update follow here."""
        if self.ahead_day is not None and self.journal.today() != self.ahead_day:
            self._work_ahead()  # past midnight: today's audit and measures, the new yesterday
        if self.reading:
            return  # the last look has not finished
        self.reading = True
        self.run_worker(self._read_news, thread=True, group="news", exit_on_error=False)

    def _read_news(self) -> None:
        try:
            self.journal.read_news()
        except StoreError as exc:
            self.call_from_thread(self.notify, self.words.error_text(exc), severity="error")
        finally:
            self.call_from_thread(self._news_read)

    def _news_read(self) -> None:
        words = self.words
        self.reading = False
        before = len(self.journal.problems)
        try:
            changed = self.journal.apply_news()
        except StoreError as exc:
            self.notify(words.error_text(exc), severity="error")
            return
        for problem in self.journal.problems[before:]:
            self.notify(f"{self.journal.path}:{problem.line}: {words.problem_text(problem)}", severity="warning",
                        title=words.t("note.skipped_title"))
        if changed:
            self.data_changed(changed)
        if not self.snapshot_checked:  # a big log opened without one: the next start need not wait
            self.snapshot_checked = True
            self.journal.save_snapshot_if_stale()

    def tell_notes(self) -> None:
        """Say what the store did on the user's behalf (a torn line set aside, ...)."""
        while self.notes_told < len(self.journal.notes):
            moved = self.journal.notes[self.notes_told]
            self.notify(self.words.t("m.torn_moved", size=moved.size, path=moved.side_file), severity="warning",
                        title=self.words.t("note.repaired_title"),
                        timeout=12)
            self.notes_told += 1

    def data_changed(self, clients: Iterable[str] = ()) -> None:
        """The caseload changed: the screen in view is told with a message; the others look
        again when they come back into view (they compare the version they last showed)."""
        self.version += 1
        self.screen.post_message(CaseloadChanged(frozenset(clients)))

    # -- helpers the screens use --------------------------------------------------------

    def last_contact(self, client: str) -> date | None:
        facts = self.journal.caseload.get(client)
        if facts is None or facts.last_contact is None:
            return None
        return facts.last_contact.astimezone(self.journal.tz).date()

    def open_client(self, client: str) -> None:
        self.push_screen(ClientScreen(client))

    def action_go(self, mode: str) -> None:
        """1-5: that screen itself, from anywhere (not a client opened on top of it)."""
        if isinstance(self.screen, ModalScreen):
            return  # a form or a question is open: it is answered first
        first_time = mode not in self._screen_stacks
        mounted = self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if first_time:
            # Keys typed before the new screen is there (``2 G`` in one burst) wait for it:
            # given now they would reach no binding and be lost.
            release = self._hold_keys()

            async def opened() -> None:
                try:
                    await mounted
                finally:  # (never keep keys for a screen that did not come)
                    self.call_after_refresh(release)

            self.run_worker(opened(), group="held-keys", exit_on_error=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a first start reads the log (the progress bar), there is no caseload to show
        or change: every key but quitting waits for it (a screen key opened Clients without
        one, and it failed)."""
        if self.journal is None and action not in ("quit", "help_quit"):
            return False
        return True

    def _hold_keys(self) -> Callable[[], None]:
        """Keys typed from now on wait until the returned function is called (once is enough;
        a hold that is never let go is let go after a few seconds, so no key is kept for ever)."""
        self.key_holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                timer.stop()
                self.key_holds -= 1
                self.call_next(self._give_keys)

        timer = self.set_timer(3.0, release)
        return release

    @property
    def keys_pending(self) -> bool:
        """Typed keys not yet handled (or waiting for a screen)."""
        return bool(self.keys_waiting or self.key_holds)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # from the terminal
            self.keys_waiting.append(event)
            await self._give_keys()
            return
        await super().on_event(event)

    async def type_keys(self, keys: list[tuple[str, str | None]]) -> None:
        """Keys a screen kept while it was drawn, given again before those typed since."""
        self.keys_waiting.extendleft(events.Key(key, character) for key, character in reversed(keys))
        await self._give_keys()

    async def _give_keys(self) -> None:
        """Give the waiting keys in order, each once the one before has been handled: Textual
        hands a key to the focused widget's queue and goes on, so in a burst the keys after a
        Tab reached the field it was leaving, and the Enter after an ``m`` reached the table
        before the form was there."""
        while self.keys_waiting and not self.key_holds:
            if not self._screen_stacks.get(self._current_mode):
                # no screen yet (the app starting or closing): Textual would look for the
                # key's bindings on no screen and fail
                self.call_after_refresh(self._give_keys)
                return
            key = self.keys_waiting.popleft()
            target = self.focused or self.screen
            await super().on_event(key)  # the app's priority keys, else forwarded to the widget
            if key.is_forwarded:
                self._after_handled(list(target.ancestors_with_self), self._hold_keys())

    def _after_handled(self, nodes: list, release: Callable[[], None]) -> None:
        """``release`` once each of ``nodes`` (the widget, its parents, the screen, the app) has
        handled what it had in its queue when the key reached it: the key and its bubbling."""
        while nodes:
            node = nodes.pop(0)
            if node.call_later(self._after_handled, nodes, release):
                return
        release()

    def action_past_day(self) -> None:
        self.action_go("past")

    def action_toggle_keys(self) -> None:
        """?: this app's keys first (the screen's, then the app's), Textual's table keys after."""
        if isinstance(self.screen, KeysScreen):
            self.pop_screen()
        else:
            self.push_screen(KeysScreen(self.screen))

    def try_record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> str | None:
        """Record through the command layer; the refusal's reason, or None when recorded."""
        words = self.words
        try:
            event = self.journal.record(command, *args, **kwargs)
        except (cmd.CommandError, StoreError, PermissionError) as exc:
            return words.error_text(exc)
        except ValueError as exc:
            return str(exc)
        self.recorded.append(event)
        self.tell_notes()
        self.data_changed({event.client})
        facts = self.journal.caseload.clients.get(event.client)
        who = facts.name if facts else event.client
        self.notify(f"{words.word('event', tag_of(event))} · {who}", title=words.t("note.recorded"), timeout=3)
        return None

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification as plain text: it carries names, paths and texts as typed, and
        "Sato [old]" must not lose "[old]" as a style (nor "[/]" break the toast). Screens'
        notify passes ``markup`` on: it is ignored here. Control characters are shown, never obeyed."""
        super().notify(visible(message), title=visible(title, lines=False), severity=severity, timeout=timeout,
                       markup=False)

    def record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> bool:
        error = self.try_record(command, *args, **kwargs)
        if error:
            self.notify(error, severity="error", title=self.words.t("note.not_recorded"))
        return error is None

    def _moment(self, text: str):
        text = text.strip()
        return parse_moment(text, self.journal.tz, self.journal.today()) if text else None

    # -- actions on a client ------------------------------------------------------------

    def client_action(self, what: str, client: str, item: DueItem | None = None) -> None:
        words = self.words
        facts = self.journal.caseload.get(client)
        if facts is None:
            self.notify(words.t("note.unknown_client", client=client), severity="error")
            return
        doing = CLOSED_REFUSES.get(what)
        if doing and facts.state == "closed":  # the form does not open: the refusal shows at once
            self.notify(words.refusal(cmd.CommandError("closed_case", name=facts.name, client=facts.id, doing=doing)),
                        severity="error", title=words.t("note.not_recorded"))
            return
        handler = getattr(self, f"_do_{what}")
        handler(facts, item)

    def _form(self, title: str, fields: list[Field], submit: Callable[[dict], str | None], label: str | None = None,
              preview: str | None = None, preview_title: str = "", facts=None, templates=None) -> None:
        def guarded(values: dict) -> str | None:
            try:
                return submit(values)
            except OutOfRange as exc:
                return out_of_range(self.words, exc.text)
            except ValueError:
                return self.words.t("form.bad_value")

        dates = [f.name for f in fields if f.kind == "date"] + [f.name for f in fields if f.name == "at"]
        self.push_screen(FormScreen(title, fields, label, on_submit=guarded, preview=preview,
                                    preview_title=preview_title, today=self.journal.today(),
                                    confirm=lambda v: self._far_date_question(facts, v, dates),
                                    templates=templates))

    def _far_date_question(self, facts, values: dict, names: list[str]) -> str | None:
        """A day more than 30 days ahead, or before the client's registration: asked about
        (a one-digit slip in the year once took a client off Today for seven months)."""
        words = self.words
        today = self.journal.today()
        for name in names:
            text = values.get(name, "").strip()
            if not text:
                continue
            try:
                day = (parse_moment(text, self.journal.tz, today).astimezone(self.journal.tz).date()
                       if name == "at" else parse_date(text, today))
            except ValueError:
                return None  # the command says what is wrong with it
            if day > today + timedelta(days=30):
                return words.t("confirm.far_date", day=words.long_day(day), days=(day - today).days)
            registered = facts.registered_at.astimezone(self.journal.tz).date() if facts and facts.registered_at else None
            if registered is not None and day < registered:
                return words.t("confirm.before_registration", day=words.long_day(day), registered=words.long_day(registered))
        return None

    def copy_text(self, text: str) -> None:
        """Copy through the terminal (OSC 52) and, inside tmux, into its paste buffer too; the
        notification says where it went, never claiming a copy that did not happen."""
        words = self.words
        self.copy_to_clipboard(text)
        places = [words.t("copy.terminal")]
        if os.environ.get("TMUX"):
            try:
                subprocess.run(["tmux", "load-buffer", "-"], input=text.encode(), check=True, timeout=2,
                               capture_output=True)
                places.append(words.t("copy.tmux"))
            except (OSError, subprocess.SubprocessError):
                places.append(words.t("copy.tmux_failed"))
        self.notify(words.t("note.copied_to", places=words.t("word.list_separator").join(places)), timeout=3)

    def _now_field(self) -> Field:
        return Field("at", self.words.t("form.when"), placeholder=self.words.t("form.now"))

    def _channel_field(self, value: str) -> Field:
        words = self.words
        return Field("channel", words.t("form.channel"), "choice", value, [(words.word("channel", c), c) for c in CHANNELS])

    def message_text(self, facts, label: str, item: DueItem | None, channel: str | None = None) -> str:
        """The template for the item as it is shown and copied: for an e-mail its subject line
        first (in the message's language), then the text. The label's late wording when the
        message goes out more than 3 days after the due date; the day words as seen today; a
        promise's own words; an appointment's day and time. Control characters in the name or a
        note are shown, not copied: the text goes to the terminal and the clipboard."""
        session = facts.last_session
        today, tz = self.journal.today(), self.journal.tz
        lang = templates.language_for(facts.name, self.language, chosen=facts.language)
        what = ""
        if item is not None and item.kind == PROMISE:
            what = next((p.what for p in facts.promises if p.id == item.ref), "")
        appointment = None
        if item is not None and item.kind == APPOINTMENT:
            appointment = next((a.when.astimezone(tz) for a in facts.appointments if a.id == item.ref), None)
        if label == "intent-check" and facts.state == PAUSED:
            label = "intent-check.paused"  # the question after a pause says so
        message = templates.compose(
            label, lang, facts.name,
            session_date=session.at.astimezone(tz).date() if session else None,
            next_step=session.next_step if session else "", what=what,
            overrides=self.template_overrides,
            late=item is not None and item.late_on(today),
            achieved=session.achieved if session else "", challenges=session.challenges if session else "",
            sent_on=today, no_show_date=item.basis if item is not None and item.kind == NO_SHOW else None,
            appointment=appointment,
        )
        return visible(templates.as_sent(message, lang, (channel or facts.channel) == "email", self.template_overrides))

    def _do_message(self, facts, item: DueItem | None) -> None:
        policy, tz, today = self.journal.policy, self.journal.tz, self.journal.today()
        if item is None or item.client != facts.id:
            item = next_item(facts, policy, tz, today)
        if item is not None and item.kind == DECIDE:
            # Never chase after the question: the decision is the practitioner's (rule 3).
            asked = asked_unanswered(facts, policy, tz)
            self.notify(self.words.t("note.decide_yours", name=facts.name,
                                     day=self.words.long_day(asked) if asked else "—"), severity="warning")
            return
        respond = item_of(facts, policy, tz, today, RESPOND)
        if respond is not None and respond.due <= today and item is not None and item.kind != PROMISE:
            item = respond  # reply first: one message answers both (rule 13)
        limit = policy.max_per_week
        answers = item.kind if item is not None and item.kind in MESSAGE_FOR else CHECKPOINT
        extra = answers == CHECKPOINT and not (item is not None and item.due <= today) and \
            (item is None or item.kind != PROMISE)
        count = pace_warning(facts, self.journal.clock.now(), policy, extra=extra)
        asked = asked_unanswered(facts, policy, tz)
        if count is not None:  # the client's pace: allowed, but asked first (No unless said)
            self.push_screen(ConfirmScreen(self.words.t("confirm.pace", name=facts.name, count=count, limit=limit),
                                           default=False),
                             lambda yes: self._message_form(facts, item) if yes else None)
            return
        if asked is not None:  # a chase after an unanswered question: asked first
            self.push_screen(ConfirmScreen(self.words.t("confirm.chase", name=facts.name, day=self.words.long_day(asked)),
                                           default=False),
                             lambda yes: self._message_form(facts, item) if yes else None)
            return
        self._message_form(facts, item)

    def _message_form(self, facts, item: DueItem | None) -> None:
        """The message for the row's item; Ctrl+T offers the texts of the client's other items
        open today and the plan's check-in, each written for its own item (never a 1-month text
        a week after a session, never the question unless it is due)."""
        words, policy, tz, today = self.words, self.journal.policy, self.journal.tz, self.journal.today()
        plan = policy.plan(facts.plan)
        choices: dict[str, DueItem | None] = {}
        if item is not None and item.kind != DECIDE:
            choices[item.reason] = item
        for other in sorted((i for i in follow_ups(facts, policy, tz) if i.shown_on(today)),
                            key=lambda i: (i.kind != RESPOND, i.due)):
            if other.kind not in (DECIDE, APPOINTMENT):
                choices.setdefault(other.reason, other)
        choices.setdefault(cadence_label(plan.interval), None)
        labels = list(choices)
        chosen = [labels[0]]
        text = self.message_text(facts, chosen[0], choices[chosen[0]])
        self.copy_text(text)

        def another(n: int) -> tuple[str, str]:  # Ctrl+T in the form: the next one, in the client's language
            chosen[0] = labels[n % len(labels)]
            return (words.t("form.template", label=words.word("label", chosen[0])),
                    self.message_text(facts, chosen[0], choices[chosen[0]]))

        def record(v: dict) -> str | None:
            written_for = choices[chosen[0]]
            keeps = written_for.ref if written_for is not None and written_for.kind == PROMISE else ""
            answers = written_for.kind if written_for is not None and written_for.kind in MESSAGE_FOR \
                else (None if keeps else CHECKPOINT)
            return self.try_record(cmd.send_message, facts.id, channel=v["channel"], template=chosen[0],
                                   summary=v["summary"], at=self._moment(v["at"]), keeps=keeps, answers=answers)

        self._form(
            words.t("form.message_title", name=facts.name, label=words.word("label", chosen[0])),
            [Field("summary", words.t("form.summary_optional")), self._channel_field(facts.channel), self._now_field()],
            record, words.t("form.record_message"), preview=text,
            preview_title=words.t("form.template", label=words.word("label", chosen[0])),
            facts=facts, templates=another,
        )

    def _do_session(self, facts, item) -> None:
        words = self.words
        self._form(
            words.t("form.session_title", name=facts.name),
            [Field("minutes", words.t("form.minutes"), value="50"), Field("summary", words.t("form.summary")),
             Field("next_step", words.t("form.next_step")), self._now_field()],
            lambda v: self.try_record(cmd.hold_session, facts.id, minutes=int(v["minutes"] or 50),
                                      summary=v["summary"], next_step=v["next_step"], at=self._moment(v["at"])),
            words.t("form.record_session"), facts=facts,
        )

    def _do_reply(self, facts, item) -> None:
        words = self.words
        self._form(
            words.t("form.reply_title", name=facts.name),
            [Field("summary", words.t("form.reply_what")), self._channel_field(facts.channel), self._now_field()],
            lambda v: self.try_record(cmd.receive_reply, facts.id, channel=v["channel"], summary=v["summary"],
                                      at=self._moment(v["at"])),
            words.t("form.record_reply"), facts=facts,
        )

    def _do_snooze(self, facts, item) -> None:
        """Snooze the selected row's item (on a promise row: reschedule the promise; on a
        decide row: wait), with the choices counted from that item's due date."""
        words = self.words
        today = self.journal.today()
        if item is None or item.client != facts.id:
            item = next_item(facts, self.journal.policy, self.journal.tz, today)
        base = max(item.due, today) if item is not None else today
        options = [(words.t("form.plus_day", day=words.short_day(base + timedelta(days=1))), "1"),
                   (words.t("form.plus_3", day=words.short_day(base + timedelta(days=3))), "3"),
                   (words.t("form.plus_week", day=words.short_day(base + timedelta(days=7))), "7")]
        fields = [Field("by", words.t("form.until"), "choice", "1", options), Field("reason", words.t("form.reason")),
                  Field("date", words.t("form.or_date"), "date", placeholder=words.t("form.or_date_hint"))]

        def until_of(v: dict):
            return parse_date(v["date"], today) if v["date"].strip() else base + timedelta(days=int(v["by"]))

        if item is not None and item.kind == PROMISE:
            what = next((p.what for p in facts.promises if p.id == item.ref), "")
            self._form(words.t("form.reschedule_title", name=facts.name, what=what, due=words.short_day(item.due)), fields,
                       lambda v: self.try_record(cmd.reschedule_promise, item.ref, until_of(v), reason=v["reason"]),
                       words.t("form.reschedule"), facts=facts)
            return
        which = item.kind if item is not None and item.kind in SNOOZE_ITEMS else "checkpoint"
        if item is None:
            title = words.t("form.snooze_title", name=facts.name)
        elif item.kind == DECIDE:
            title = words.t("form.wait_title", name=facts.name, due=words.short_day(item.due))
        else:
            title = words.t("form.snooze_item_title", name=facts.name, label=words.word("label", item.reason),
                            due=words.short_day(item.due))
        self._form(title, fields,
                   lambda v: self.try_record(cmd.snooze, facts.id, until_of(v), reason=v["reason"], item=which),
                   words.t("form.snooze"), facts=facts)

    def _do_promise(self, facts, item) -> None:
        words = self.words
        default = self.journal.today() + timedelta(days=7)
        self._form(
            words.t("form.promise_title", name=facts.name),
            [Field("what", words.t("form.what_promised")),
             Field("due", words.t("form.due"), "date", value=default.isoformat())],
            lambda v: self.try_record(cmd.make_promise, facts.id, parse_date(v["due"], self.journal.today()), v["what"]),
            words.t("form.record_promise"), facts=facts,
        )

    def _do_pause(self, facts, item) -> None:
        words = self.words
        self._form(
            words.t("form.pause_title", name=facts.name),
            [Field("reason", words.t("form.pause_reason"))],
            lambda v: self.try_record(cmd.pause, facts.id, reason=v["reason"]),
            words.t("form.pause"),
        )

    def _do_resume(self, facts, item) -> None:
        self.record(cmd.resume, facts.id)

    def _do_reopen(self, facts, item) -> None:
        words = self.words
        self._form(words.t("form.reopen_title", name=facts.name), [Field("reason", words.t("form.why"))],
                   lambda v: self.try_record(cmd.reopen, facts.id, reason=v["reason"]), words.t("form.reopen"))

    def _do_note(self, facts, item) -> None:
        words = self.words
        self._form(words.t("form.note_title", name=facts.name), [Field("text", words.t("form.note"))],
                   lambda v: self.try_record(cmd.add_note, facts.id, v["text"]), words.t("form.add_note"))

    def _do_edit(self, facts, item) -> None:
        """e on the Client screen: change the client's details (only what changes is recorded)."""
        words = self.words
        plans = [(words.word("plan", p), p) for p in self.journal.policy.plans]
        importance = [(words.t("form.unchanged"), "")] + [(words.word("importance", i), i) for i in IMPORTANCES]
        languages = [(words.t("form.language_auto"), "")] + [(words.language_name(lang), lang) for lang in LANGUAGES]
        self._form(
            words.t("form.edit_title", name=facts.name),
            [Field("name", words.t("form.name"), value=facts.name),
             Field("reading", words.t("form.reading"), value=facts.reading),
             Field("plan", words.t("form.plan"), "choice", facts.plan, plans), self._channel_field(facts.channel),
             Field("importance", words.t("form.importance"), "choice", facts.importance, importance),
             Field("case", words.t("form.case"), value=facts.case),
             Field("language", words.t("form.language"), "choice", facts.language, languages)],
            lambda v: self.try_record(cmd.update_client, facts.id, name=v["name"], reading=v["reading"],
                                      plan=v["plan"], channel=v["channel"], importance=v["importance"],
                                      case=v["case"], language=v["language"]),
            words.t("form.save_changes"), facts=facts,
        )

    def _do_consent(self, facts, item) -> None:
        """k on the Client screen: record or withdraw a consent (a channel or case_review)."""
        words = self.words
        scopes = [(words.word("channel", c), c) for c in CONSENT_SCOPES]
        doing = [(words.t("form.consent_record"), "record"), (words.t("form.consent_withdraw"), "withdraw")]
        self._form(
            words.t("form.consent_title", name=facts.name),
            [Field("scope", words.t("form.scope"), "choice", facts.channel, scopes),
             Field("doing", words.t("form.consent_doing"), "choice", "record", doing), Field("note", words.t("form.note"))],
            lambda v: self.try_record(cmd.record_consent if v["doing"] == "record" else cmd.withdraw_consent,
                                      facts.id, v["scope"], note=v["note"]),
            words.t("form.save_changes"), facts=facts,
        )

    def _do_replay(self, facts, item) -> None:
        self.push_screen(ReplayScreen(facts.id))

    def _do_close(self, facts, item) -> None:
        words = self.words
        if facts.state == "closed":
            self.notify(words.refusal(cmd.CommandError("already_closed", name=facts.name)), severity="error",
                        title=words.t("note.not_recorded"))
            return

        def chosen(values: dict | None) -> None:
            if not values:
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.record(cmd.close_case, facts.id, values["reason"], summary=values["summary"])

            self.push_screen(
                ConfirmScreen(words.t("confirm.close", name=facts.name, reason=words.word("reason", values["reason"]))),
                confirmed,
            )

        self.push_screen(
            FormScreen(words.t("form.close_title", name=facts.name),
                       [Field("summary", words.t("form.closing_summary")),
                        Field("reason", words.t("form.reason"), "choice",
                              "no_response" if item is not None and item.kind == DECIDE else "goal_achieved",
                              [(words.word("reason", r), r) for r in CLOSE_REASONS])],
                       words.t("form.close_case")),
            chosen,
        )

    def action_undo(self, client: str | None = None) -> None:
        """Retract the last event this window recorded (of ``client``: on a Client screen),
        after asking once; the question names the client, the event and its time."""
        words = self.words
        caseload = self.journal.caseload
        candidates = [e for e in reversed(self.recorded)
                      if not isinstance(e, EventRetracted) and not caseload.is_retracted(e.id)
                      and (client is None or e.client == client)]
        if not candidates:
            self.notify(words.t("note.nothing_to_undo"), severity="warning")
            return
        event = candidates[0]
        facts = caseload.clients.get(event.client)
        who = facts.name if facts else event.client

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.record(cmd.retract, event.id, words.t("undo.reason"))

        when = words.short_moment(event.at.astimezone(self.journal.tz))
        question = words.t("confirm.undo", what=words.word("event", tag_of(event)), name=who, when=when)
        self.push_screen(ConfirmScreen(question),
                         confirmed)

    def action_register_client(self) -> None:
        words = self.words
        plans = [(words.word("plan", p), p) for p in self.journal.policy.plans]

        def submit(v: dict) -> str | None:
            return self.try_record(cmd.register_client, v["id"], v["name"], plan=v["plan"],
                                   channel=v["channel"], note=v["note"],
                                   consents=[c for c in v["consents"].split(",") if c])

        self._form(words.t("form.register_title"),
                   [Field("name", words.t("form.name")), Field("id", words.t("form.client_id")),
                    Field("plan", words.t("form.plan"), "choice", self.journal.policy.default_plan, plans),
                    self._channel_field("email"), Field("note", words.t("form.note")),
                    Field("consents", words.t("form.consents"), "checks", "",
                          [(words.word("channel", c), c) for c in CONSENT_SCOPES])],
                   submit, words.t("form.register"))

    # -- command palette ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=self.words.t("palette.placeholder")))

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to quit, in the user's words (Textual's notice is English markup)."""
        self.notify(self.words.t("note.how_to_quit"), title=self.words.t("note.quit_title"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        words = self.words
        yield SystemCommand(words.t("palette.theme"), words.t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(words.t("palette.quit"), words.t("palette.quit_help"), self.action_quit)
        yield SystemCommand(words.t("key.keys"), words.t("palette.keys_help"), self.action_toggle_keys)
        yield SystemCommand(words.t("palette.screenshot"), words.t("palette.screenshot_help"),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))
        for mode in ("today", "clients", "audit", "review"):
            yield SystemCommand(words.t("palette.go", title=words.t(f"screen.{mode}")), words.t(f"palette.go_{mode}"),
                                lambda m=mode: self.switch_mode(m))
        yield SystemCommand(words.t("palette.go", title=words.t("key.past")), words.t("palette.go_past"),
                            self.action_past_day)
        yield SystemCommand(words.t("palette.register"), words.t("palette.register_help"), self.action_register_client)
        current = getattr(screen, "current_client", None)
        client = current() if callable(current) else None
        if client:
            facts = self.journal.caseload.get(client)
            name = facts.name if facts else client
            for what in ("message", "session", "reply", "snooze", "promise", "pause", "resume", "close",
                         "reopen", "note", "replay"):
                yield SystemCommand(words.t("palette.action", name=name, action=words.t(f"tip.{what}")),
                                    words.t("palette.for", name=name, client=client),
                                    lambda w=what, c=client: self.client_action(w, c, None))
        yield SystemCommand(words.t("palette.undo"), words.t("palette.undo_help"), self.action_undo)


def run(path: Path | str, clock: Clock | None = None, settings=None) -> int:
    import os

    from ..settings import Settings

    settings = settings or Settings()
    tz = local_timezone()
    extra = {"actor": settings.counselor()} if settings.counselor() and not os.environ.get("FOLLOWUP_ACTOR") else {}
    overrides = load_template_overrides()
    for lang, table in settings.templates.items():
        overrides.setdefault(lang, {}).update(table)
    words = words_for(settings.lang())
    big = _needs_long_read(path)
    if big is None:
        journal = Journal.open(path, clock=clock, tz=tz, write_snapshot=False,  # first paint first
                               policy=settings.policy(), **extra)
        app = FollowupApp(journal, template_overrides=overrides, language=settings.lang(), review=settings.review)
    else:
        # A big log without a snapshot to start from: the app paints at once and reads it in
        # a worker thread, one process (nothing forks from inside the running app).
        one_process = replace(opening.DEFAULT_SIZES, parallel_min_bytes=2**62)

        def opener(progress: Callable[[int, int], None]) -> Journal:
            return Journal.open(path, clock=clock, tz=tz, write_snapshot=False, policy=settings.policy(),
                                sizes=one_process, on_progress=progress, **extra)

        app = FollowupApp(None, template_overrides=overrides, language=settings.lang(), review=settings.review,
                          opener=opener,
                          loading_text=words.t("app.reading", path=Path(path).name, mb=big // 1_000_000).strip())
    app.run()
    if app.journal is not None:
        app.journal.save_snapshot_if_stale()  # for a fast start next time
    return 0


def _needs_long_read(path: Path | str) -> int | None:
    """The size of a log that will be read from its first line (big, and no snapshot that
    matches this code beside it); None for a quick start."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return None
    if size < opening.DEFAULT_SIZES.facts_only_min_bytes or Path(path).as_posix().startswith("postgres"):
        return None
    probe = Journal(Path(path), SystemClock(local_timezone()), local_timezone())
    return None if probe.snapshot_matches() else size
