"""The Textual app: daily triage, client timeline and replay, audit, weekly review.

Every change goes through the same command layer as the CLI (``Journal.record``) and lands
as an event in the log; the screens only read projections. Another process appending to the
log shows up within a second (the app polls the log's end twice a second, reading only the
new bytes).
"""

from __future__ import annotations

import os
import subprocess
from collections import deque
from datetime import date
from typing import Any, Callable, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen
from textual.system_commands import SystemCommandsProvider

from ..core import commands as cmd
from ..core.events import AnyEvent, EventRetracted
from ..core.policy import DueItem
from ..core.visible import visible
from ..i18n import words_for
from ..storage.journal import Journal
from ..storage.logfile import StoreError
from . import record_forms
from .ahead import Ahead
from .forms import FormScreen, GoneNotice, UndoScreen
from .keys import KeysScreen
from .loading import LoadingScreen
from .localized import command_palette, said_bindings
from .messages import CopyRequested, KeysKept, NewsRead, OpenClient, RecordRequested, UndoRequested, handled
from .paste import keep_pastes_whole
from .record_forms import FORMS, FormContext, Refusal, later_than_now
from .widgets.visible import let_rings_go
from .screens.audit import AuditScreen
from .screens.base import CaseloadChanged
from .screens.client import ClientScreen
from .screens.clients import ClientsScreen
from .screens.replay import PastDayScreen
from .screens.review import ReviewScreen
from .screens.today import TodayScreen
from .startup import StartUp, needs_long_read, load_template_overrides, run  # noqa: F401 (where callers look)
from .wide_cells import keep_wide_cells_whole

keep_wide_cells_whole()  # a kanji or a hangul syllable over another widget's edge stays whole

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
            text = app.words.t("palette.open_client", name=app.words.name_of(facts), client=facts.id)
            score = matcher.match(text)
            if score > 0:
                words = app.words
                help_text = f"{words.word('state', facts.shown_state)} · {words.word('plan', facts.plan)} · {words.word('channel', facts.channel)}"
                yield Hit(score, as_typed(text, matcher), lambda c=facts.id: app.open_client(c), text=text,
                          help=as_typed(help_text))  # type: ignore[arg-type]  # Content is shown as is


# What is said when clients leave the lists, (erased, gone): a whole log loses a client only to
# ``followup forget`` (erased); a counselor's view of a server store cannot tell an erasure from
# a hand-over (gone: no longer theirs to see).
LEFT: dict[str, tuple[str, str]] = {
    "screen": ("note.client_erased", "note.client_gone"),  # the notice: their screen was closed
    "screens": ("note.clients_closed_erased", "note.clients_closed_gone"),  # ... several clients'
    "palette": ("note.palette_erased", "note.palette_gone"),  # the palette that listed one was closed
    "lists": ("note.clients_erased", "note.clients_gone"),  # left the lists only: a line
    "others": ("note.others_erased", "note.others_gone"),  # the line beside the notice
}


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


class FollowupApp(StartUp, App):
    TITLE = "followup"
    CSS_PATH = "app.tcss"
    COMMANDS = {SystemCommands, ClientCommands}  # SystemCommands in place of Textual's
    # Every mode's screen. Those that show what is worked out ahead are given it when made
    # (``__init__``: add_mode); the rest take nothing.
    MODE_SCREENS = {"today": TodayScreen, "clients": ClientsScreen, "audit": AuditScreen, "review": ReviewScreen,
                    "past": PastDayScreen, "loading": LoadingScreen}
    MODES = {"today": TodayScreen, "loading": LoadingScreen}
    DEFAULT_MODE = "today"
    BINDINGS = [  # (under ?, not in the footer: the screen's own keys fit there, never cut)
        Binding("1", "go('today')", "key.today", id="go.today", show=False),
        Binding("2", "go('clients')", "key.clients", id="go.clients", show=False),
        Binding("3", "go('audit')", "key.audit", id="go.audit", show=False),
        Binding("4", "go('review')", "key.review", id="go.review", show=False),
        Binding("5", "go('past')", "key.past", id="go.past", show=False),
        Binding("ctrl+z", "undo", "key.undo", id="app.undo", show=False),
        Binding("question_mark", "toggle_keys", "key.keys", id="app.keys"),
        # Textual's own keys, in the user's language too
        Binding("ctrl+q", "quit", "key.quit", id="app.quit", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", id="app.palette", show=False, priority=True,
                key_display="^p"),
    ]

    def get_driver_class(self):
        """Textual's driver for where the app runs, reading a paste whole (ESC and line
        breaks in it included: ui/paste.py)."""
        return keep_pastes_whole(super().get_driver_class())

    def __init__(self, journal: Journal | None, poll_seconds: float = 0.5,
                 template_overrides: dict[str, dict[str, str]] | None = None,
                 language: str | None = None, review=None,
                 opener: Callable[[Callable[[int, int], None]], Journal] | None = None,
                 loading_text: str = "", keymap: dict[str, str] | None = None) -> None:
        """``journal`` None: the app paints a progress bar at once and reads the log with
        ``opener(progress)`` in a worker thread (a first start on a big log)."""
        self.words = words_for(language)  # the app's language: its screens read it here
        let_rings_go()  # (a cache emptied frees what it held at once: widgets/visible.py)
        if journal is None:
            self.DEFAULT_MODE = "loading"
        super().__init__()
        self._bindings = said_bindings(self._bindings, self.words)  # this app's copy, in its words
        if keymap:
            self.set_keymap(keymap)  # config.toml's [keys]: a binding's id = its key
        self.journal = journal  # type: ignore[assignment]
        # (made when first shown or made ahead: after the journal is open)
        self.add_mode("clients", lambda: ClientsScreen(self.ahead.statuses))
        self.add_mode("audit", lambda: AuditScreen(self.ahead))
        self.add_mode("review", lambda: ReviewScreen(self.ahead, self.review.kpis))
        self.add_mode("past", lambda: PastDayScreen(self.ahead))
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
        self._ahead: Ahead | None = None
        # Keys as the terminal sends them, given one at a time: the next waits while one is on its
        # way through the widgets (a Tab moving the focus, an m opening a form) or a screen opens.
        self.keys_waiting: deque[events.Key | events.Paste] = deque()
        self.key_holds = 0
        self.ahead_day: date | None = None  # the day the work ahead was done for
        self.froze = False  # what was alive after the first paint is out of the collector's way
        self.toasts_about: list[tuple[Notification, str]] = []  # toasts naming a client, and whom

    # -- life cycle: ui/startup.py (StartUp) --------------------------------------------

    def poll_log(self) -> None:
        """Pick up what other writers appended: the new bytes are read and decoded in a worker
        thread, off the event loop; the fold of them and the screens' update follow here."""
        if self.ahead_day is not None and self.journal.today() != self.ahead_day:
            self._work_ahead()  # past midnight: today's audit and measures, the new yesterday
        if self.reading:
            return  # the last look has not finished
        self.reading = True
        self._read_news()

    @work(thread=True, group="news", exit_on_error=False)
    def _read_news(self) -> None:
        """The log's new lines read and decoded off the event loop; the result comes back as a
        message (NewsRead), folded and shown on the loop."""
        error: StoreError | None = None
        try:
            self.journal.read_news()
        except StoreError as exc:
            error = exc
        finally:  # (whatever happened: the next look may start)
            self.post_message(NewsRead(error))

    def on_news_read(self, message: NewsRead) -> None:
        words = self.words
        self.reading = False
        if message.error is not None:
            self.notify(words.error_text(message.error), severity="error")
        before = len(self.journal.problems)
        shown = {s.client_id for s in self.screen_stack if getattr(s, "client_id", None)}  # screens about a client
        try:
            changed = self.journal.apply_news()
        except StoreError as exc:
            self.notify(words.error_text(exc), severity="error")
            return
        gone = {client for client in shown if self.journal.client(client) is None}
        went = {c for c in changed if self.journal.client(c) is None}  # (erased, or handed over)
        if went and self.toasts_about:
            self._forget_toasts_of(went)
        if went and len(self._screen_stacks) > 1:
            self._drop_screens_elsewhere(went)
        # (not is_open: the stack may be empty, the app closing) the palette's hits may name one
        palette = bool(went) and not gone and any(isinstance(s, CommandPalette) for s in self.screen_stack)
        if gone:
            self._close_screens_of(gone)
        elif palette:
            self._close_screens_of(set(), palette=True)
        if went - gone and not palette:  # gone from the lists only: a row does not vanish without a word
            key = self._left("others" if gone else "lists")  # (others: beside the notice of those whose screens were open)
            self.notify(words.counted(key, len(went - gone)), severity="warning")
        for problem in self.journal.problems[before:]:
            self.notify(f"{self.journal.path}:{problem.line}: {words.problem_text(problem)}", severity="warning",
                        title=words.t("note.skipped_title"))
        if changed:
            self.data_changed(changed, elsewhere=True)
        if not self.snapshot_checked:  # a big log opened without one: the next start need not wait
            self.snapshot_checked = True
            self.journal.save_snapshot_if_stale()

    def _drop_screens_elsewhere(self, went: set[str]) -> None:
        """Screens about a client who left, on the stack of a list not in view (aoki opened from
        Clients, then 1): taken off there too, with what lies above them. The palette's "Go to:
        Clients" (which switches without popping) brought back 青木 花子's screen after the erasure."""
        for mode, stack in self._screen_stacks.items():
            if mode == self._current_mode:
                continue  # (the one in view: _close_screens_of, with the notice)
            lowest = next((n for n, s in enumerate(stack) if getattr(s, "client_id", None) in went), None)
            if lowest is None:
                continue
            dropped = stack[max(lowest, 1):]
            del stack[max(lowest, 1):]
            for screen in reversed(dropped):
                screen._pop_result_callback()  # (as pop_screen: no answer comes)
                self.call_later(self._replace_screen, screen)  # suspended and removed

    def _close_screens_of(self, gone: set[str], palette: bool = False) -> None:
        """Clients erased elsewhere (or, on a counselor's server view, no longer theirs to see):
        every screen and form about them is closed, with what lies above it (their titles held
        the name), and the app says why, naming no one, in a notice that only Esc closes: what
        the counselor goes on typing for the form that went must not act on the list beneath.
        ``palette``: the command palette open on top instead (its hits were found as typed),
        closed so."""
        stack = self.screen_stack
        lowest = len(stack) - 1 if palette else next(
            n for n, s in enumerate(stack) if getattr(s, "client_id", None) in gone)
        # Another client's screen opened above theirs (from the palette) closes with it: named,
        # or the notice read as if that client had been erased.
        above = dict.fromkeys(c for s in stack[max(lowest, 1):] if (c := getattr(s, "client_id", None)) and c not in gone)
        while len(self.screen_stack) > max(lowest, 1):
            self.pop_screen()
        if palette:  # (no screen of theirs was open: what was closed is the palette)
            said = self.words.t(self._left("palette"))
        elif len(gone) == 1:
            said = self.words.t(self._left("screen"))
        else:
            said = self.words.t(self._left("screens"), count=len(gone))
        others = [self.words.name_of(facts) for c in above if (facts := self.journal.client(c)) is not None]
        if others:
            said += "\n" + self.words.t("note.closed_above", names=self.words.list_text(others))
        self.push_screen(GoneNotice(said))

    def _left(self, what: str) -> str:
        """The key of what is said when clients left the lists (``LEFT``), as the store can tell why."""
        erased, gone = LEFT[what]
        return gone if self.journal.store.partial else erased

    def tell_notes(self) -> None:
        """Say what the store did on the user's behalf (a torn line set aside, ...)."""
        while self.notes_told < len(self.journal.notes):
            moved = self.journal.notes[self.notes_told]
            self.notify(self.words.t("m.torn_moved", size=moved.size, path=moved.side_file), severity="warning",
                        title=self.words.t("note.repaired_title"),
                        timeout=12)
            self.notes_told += 1

    def data_changed(self, clients: Iterable[str] = (), elsewhere: bool = False) -> None:
        """The caseload changed: the screen in view is told with a message; the others look
        again when they come back into view (they compare the version they last showed).
        ``elsewhere``: read from the log (another window, the command line): Today's cursor
        stays with its client, where after a change made here it goes on to the next row."""
        self.version += 1
        self.screen.post_message(CaseloadChanged(frozenset(clients), elsewhere=elsewhere))

    # -- helpers the screens use --------------------------------------------------------

    def open_client(self, client: str) -> None:
        self.push_screen(ClientScreen(client))

    # -- what the screens ask for (ui/messages.py) -----------------------------------------

    def on_open_client(self, message: OpenClient) -> None:
        if not isinstance(self.screen, GoneNotice):  # (see on_undo_requested)
            self.open_client(message.client)
        handled(self, message)

    def on_record_requested(self, message: RecordRequested) -> None:
        if not isinstance(self.screen, GoneNotice):  # (see on_undo_requested)
            self.client_action(message.what, message.client, message.item, ref=message.ref)
        handled(self, message)

    def on_undo_requested(self, message: UndoRequested) -> None:
        # A request on its way (it bubbles up from the screen that asked) when the notice that a
        # client left came first goes nowhere, as a key typed then: kim's screen and note form
        # opened above the notice, and the words typed on for the form that closed went there.
        if not isinstance(self.screen, GoneNotice):
            self.action_undo(message.client)
        handled(self, message)

    def on_copy_requested(self, message: CopyRequested) -> None:
        self.copy_text(message.text)

    async def on_keys_kept(self, message: KeysKept) -> None:
        await self.type_keys(message.keys)

    def hold_keys(self) -> Callable[[], None]:
        """A screen's request is on its way (messages.ask): the keys after it wait."""
        return self._hold_keys()

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
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:  # from the terminal
            # (a paste waits its turn with the keys: ``n`` then a paste went to the list beneath,
            # the note's form not there yet, and was lost)
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
            if isinstance(self.screen, FormScreen) and not self.screen.ready:
                return  # its fields are not there yet: the form gives the keys once they are
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
        ahead = later_than_now(self.journal, words, command, kwargs.get("at"))
        if ahead is not None:
            return ahead
        self.journal.folded.clear()
        try:
            event = self.journal.record(command, *args, **kwargs)
        except (cmd.CommandError, StoreError, PermissionError, ValueError) as exc:
            if self.journal.folded:  # what others wrote, read while deciding (often why it is refused): shown
                self.data_changed(set(self.journal.folded), elsewhere=True)
            if isinstance(exc, (cmd.CommandError, StoreError, PermissionError)):
                return Refusal(words.error_text(exc) or str(exc), exc.key if isinstance(exc, cmd.CommandError) else "")
            return str(exc)
        self.recorded.append(event)
        self.tell_notes()
        self.data_changed({event.client})
        facts = self.journal.caseload.clients.get(event.client)
        who = words.name_of(facts) if facts else event.client
        self.notify(f"{words.event_name(event)} · {who}", title=words.t("note.recorded"), timeout=3,
                    about=event.client)
        return None

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False, about: str | None = None) -> None:
        """Every notification as plain text: it carries names, paths and texts as typed, and
        "Sato [old]" must not lose "[old]" as a style (nor "[/]" break the toast). Screens'
        notify passes ``markup`` on: it is ignored here. Control characters are shown, never obeyed.
        A refusal or a warning while a form is open is said on the form's own line: a toast
        covered its fields and its hint at 80x24. ``about``: the client it names, its toast taken
        away if they leave the lists (``_forget_toasts_of``)."""
        if severity in ("error", "warning") and isinstance(self.screen, FormScreen):
            form = self.screen
            form.say(f"{title}: {message}" if title else message, error=True)
            if severity == "warning":  # not about the form (a torn line set aside): a toast once it closes
                form.after_close.append(lambda: self.notify(message, title=title, severity=severity, timeout=timeout))
            return
        notification = Notification(visible(message), visible(title, lines=False), severity,
                                    self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=False)
        if about is not None:  # (the ones not yet timed out only: the list stays short)
            self.toasts_about = [(n, c) for n, c in self.toasts_about if not n.has_expired] + [
                (notification, about)]
        self.post_message(Notify(notification))  # (as Textual's notify does: safe from a thread)

    def _forget_toasts_of(self, left: set[str]) -> None:
        """The toasts naming a client who left the lists (erased elsewhere, handed over) go with
        them: "note added · 青木 花子" stayed beside "1 client's data was erased"."""
        for notification, client in self.toasts_about:
            if client in left:
                self._unnotify(notification)  # (one already gone: nothing)
        self.toasts_about = [(n, c) for n, c in self.toasts_about if c not in left]

    def record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> bool:
        error = self.try_record(command, *args, **kwargs)
        if error:
            self.notify(error, severity="error", title=self.words.t("note.not_recorded"))
        return error is None

    # -- actions on a client ------------------------------------------------------------

    def form_context(self) -> FormContext:
        """What the forms are given (``record_forms``): never the app itself. (Its callables look
        the app's methods up when called.)"""
        return FormContext(
            journal=self.journal, words=self.words, language=self.language,
            template_overrides=self.template_overrides,
            record=lambda command, *args, **kwargs: self.try_record(command, *args, **kwargs),
            notify=lambda *args, **kwargs: self.notify(*args, **kwargs),
            open=lambda *args, **kwargs: self.push_screen(*args, **kwargs),
            copy=lambda text: self.copy_text(text),
            act=lambda what, client, item: self.client_action(what, client, item),
            registered=lambda client: self.call_after_refresh(self._show_registered, client),
        )

    def _show_registered(self, client: str) -> None:
        """The client just registered, selected on Clients with nothing filtered out."""
        if isinstance(self.screen, ClientsScreen):
            self.screen.select_client(client)

    def client_action(self, what: str, client: str, item: DueItem | None = None, ref: str | None = None) -> None:
        """The form for ``what`` on ``client`` (``item``: the row's due item; ``ref``: the event
        the row stands for, a timeline's row), or the refusal the client's state already makes."""
        words = self.words
        facts = self.journal.caseload.get(client)
        if facts is None:
            self.notify(words.t("note.unknown_client", client=client), severity="error")
            return
        refused = cmd.state_refusal(facts, what, self.journal.tz)  # the command layer's own refusal
        if refused is not None:  # the form does not open: said before anything is typed
            self.notify(words.refusal(refused), severity="error", title=words.t("note.not_recorded"))
            return
        if what in record_forms.TAKES_REF:
            FORMS[what](self.form_context(), facts, item, ref=ref)
        else:
            FORMS[what](self.form_context(), facts, item)

    def copy_text(self, text: str) -> None:
        """Copy through the terminal (OSC 52) and, inside tmux, into its paste buffer too; the
        notification says where it went, never claiming a copy that did not happen. In a
        browser (``followup serve``) the same sequence reaches the page, whose terminal puts it
        on the browser's clipboard: the note says so, and no tmux of the server's is touched
        (it is not the browser user's). The form's text stays there to select, as copied."""
        words = self.words
        self.copy_to_clipboard(text)
        if self.is_web:
            self.call_later(self._say_copied, words.t("note.copied_to", places=words.t("copy.browser")))
            return
        places = [words.t("copy.terminal")]
        if os.environ.get("TMUX"):
            try:
                subprocess.run(["tmux", "load-buffer", "-"], input=text.encode(), check=True, timeout=2,
                               capture_output=True)
                places.append(words.t("copy.tmux"))
            except (OSError, subprocess.SubprocessError):
                places.append(words.t("copy.tmux_failed"))
        self.call_later(self._say_copied, words.t("note.copied_to", places=words.t("word.list_separator").join(places)))

    def _say_copied(self, note: str) -> None:
        """On the form's own line when a form is open (a toast there covered the template),
        else a short toast."""
        if isinstance(self.screen, FormScreen):
            self.screen.say(note)
        else:
            self.notify(note, timeout=3)

    def action_register_client(self) -> None:
        record_forms.register(self.form_context())

    def action_undo(self, client: str | None = None) -> None:
        """Retract the last event this window recorded (of ``client``: on a Client screen),
        after asking once; the question names the client, the event and its time."""
        words = self.words
        caseload = self.journal.caseload
        candidates = [e for e in reversed(self.recorded)  # (not of a client gone since: handed over, erased)
                      if not isinstance(e, EventRetracted) and e.client in caseload.clients
                      and not caseload.is_retracted(e.id) and (client is None or e.client == client)]
        if not candidates:
            self.notify(words.t("note.nothing_to_undo"), severity="warning")
            return
        event = candidates[0]
        facts = caseload.clients.get(event.client)
        who = words.name_of(facts) if facts else event.client

        def confirmed(reason: str | None) -> None:
            if reason is not None:  # (the reason retract --reason takes; none typed: "undone in the app")
                self.record(cmd.retract, event.id, reason.strip() or words.t("undo.reason"))

        when = words.short_moment(event.at.astimezone(self.journal.tz))
        question = words.t("confirm.undo", what=words.event_name(event), name=who, when=when)
        # about the client (record_forms.about): closed if they leave meanwhile (erased, handed
        # over), its yes retracted an event of a client erased in another window
        self.push_screen(record_forms.about(UndoScreen(question), facts), confirmed)

    # -- command palette ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Ctrl+P: not over a form or a question (it opened another client on top of the form,
        and Escape later brought the form back under the wrong client's screen)."""
        if isinstance(self.screen, ModalScreen):
            return
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(command_palette(self.words, id="--command-palette",
                                             placeholder=self.words.t("palette.placeholder")))

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
            name = words.name_of(facts) if facts else client
            for what in ("message", "session", "reply", "snooze", "promise", "pause", "resume", "close", "book",
                         "reopen", "note", "replay", "missed", "feedback", "kept", "assign", "cancel_appointment", "edit", "consent"):
                if facts is not None and cmd.state_refusal(facts, what, self.journal.tz) is not None:
                    continue  # offered only where it applies (Pause not on a paused client, ...)
                yield SystemCommand(words.t("palette.action", name=name, action=words.t(f"tip.{what}")),
                                    words.t("palette.for", name=name, client=client),
                                    lambda w=what, c=client: self.client_action(w, c, None))
        yield SystemCommand(words.t("palette.undo"), words.t("palette.undo_help"), self.action_undo)
