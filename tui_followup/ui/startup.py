"""The app's start-up: opening the journal (at once, or in a worker thread behind the
loading screen for a big log without a snapshot), what follows the first paint (the work
ahead, every screen's stylesheet read once, ``gc.freeze``), the template overrides and the
settings a run starts from (the keymap among them)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import tomllib
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Callable

from textual import events

from .. import paths
from ..core.clock import Clock
from ..i18n import LANGUAGES, words_for
from ..storage import sizes as opening
from ..storage.journal import Journal
from ..storage.store import LISTEN, ListenStore, is_url
from ..wallclock import SystemClock, local_timezone
from .ahead import Ahead
from .loading import LoadingScreen
from .screens.client import ClientScreen
from .screens.replay import ReplayScreen


def load_template_overrides() -> dict[str, dict[str, str]]:
    path = paths.config_dir() / "templates.toml"
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (FileNotFoundError, tomllib.TOMLDecodeError, OSError):
        return {}
    return {lang: {k: str(v) for k, v in table.items()} for lang, table in data.items() if isinstance(table, dict)}

class StartUp:
    """The life cycle of ``FollowupApp`` (a mixin): mounting, the first start's reading, what
    follows the first paint, and unmounting."""

    # The screens made ahead once what they show was worked out (Past day first: the slowest to make).
    MADE_AHEAD: tuple[str, ...] = ("past", "clients", "audit", "review")

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
        """After the first paint: what the other screens show (yesterday's Past day among
        them), a little at a time on the loop, then the screens themselves made out of sight."""
        self.ahead_day = self.journal.today()
        self.ahead.screens_to_make = set(self.MADE_AHEAD)

        async def work() -> None:
            self._read_screens_css()
            await asyncio.sleep(0)
            await self.ahead.work_ahead()
            self.hold_still()
            for mode in self.MADE_AHEAD:
                self._make_ahead(mode)
                await asyncio.sleep(0)

        self.run_worker(work(), group="ahead", exclusive=True, exit_on_error=False)

    def _make_ahead(self, mode: str) -> None:
        """The screen of ``mode`` made (composed, styled, its rows added) out of sight, as a
        screen left for another is: its first switch only draws it. Past day's was 160-210 ms
        at the demo's size, most of it making the screen. Not while a form, a question or
        another screen is on top of the one in view (nothing moves under the user's eyes)."""
        if (mode in self._screen_stacks or self.journal is None or len(self.screen_stack) > 1
                or not self.is_running or self._exit):  # (never while the app closes its screens)
            self.ahead.screens_made.add(mode)  # (left as it is)
            return
        mounted = self._init_mode(mode)
        screen = self._screen_stacks[mode][0]
        screen.post_message(events.ScreenSuspend())

        async def made() -> None:
            await mounted
            self.call_after_refresh(self._draw_out_of_sight, screen)

        self.run_worker(made(), group="made-ahead", exit_on_error=False)

    def _draw_out_of_sight(self, screen) -> None:
        """The screen's lines drawn once, out of sight (the frame is thrown away): its widgets
        keep their lines, and its first switch only sends them (the due table's first drawing
        of its cells was most of what was left)."""
        mode = next((m for m, stack in self._screen_stacks.items() if stack and stack[0] is screen), "")
        self.ahead.screens_made.add(mode)
        if screen is not self.screen and screen.is_attached and self.is_running:
            screen._refresh_layout(self.size)
            screen._compositor.render_update(full=True)
        if self.ahead.screens_to_make <= self.ahead.screens_made and self.is_running:
            # The screens' rows and lines live as long as the caseload: out of the collector's
            # sight too, or each full collection walks them (a past day typed at a million
            # events fell on one or two: 0.2-0.45 s of CPU to its first frame, 0.2-0.27 s after)
            self.hold_still()

    def _started(self) -> None:
        self.hold_still()
        self.call_after_refresh(self._work_ahead)
        words = self.words
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.poll_log)
        store = self.journal.store
        if LISTEN in store.capabilities and self.poll_seconds > 0:  # told at once (NOTIFY), the poll as fallback
            assert isinstance(store, ListenStore)
            self.stop_listening = store.wake_on_append(lambda _position: self.call_from_thread(self.poll_log))
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
        for cls in (*self.MODE_SCREENS.values(), ClientScreen, ReplayScreen):
            names = [cls.CSS_PATH] if isinstance(cls.CSS_PATH, (str, PurePath)) else list(cls.CSS_PATH or ())
            for name in names:
                path = (Path(inspect.getfile(cls)).parent / name).resolve()  # as Textual names it
                if not self.stylesheet.has_source(str(path), ""):
                    self.stylesheet.read(path)
                    fresh = True
        if fresh:
            self.stylesheet.reparse()
            self.stylesheet.update(self)
        self._css_styled = self._css_state()

    def _css_state(self) -> tuple:
        """What the app's styles were worked out from: the theme's count of changes, the app's
        and the screens' stylesheets (a widget's own default CSS, added as it first mounts, is
        scoped to it and applied as it mounts) and the variables."""
        sheets = sum(1 for source in self.stylesheet.source.values() if not source.is_defaults)
        return (self._css_update_count, sheets, tuple(sorted(self.get_css_variables().items())))

    def refresh_css(self, animate: bool = True) -> None:
        """Textual styles the whole app again (every CSS source parsed anew, every node of
        every screen restyled) the first time each screen is shown, twice -- 60-190 ms of a
        first switch to Past day or Clients -- though nothing changed: every screen's sheet was
        read after the first paint. When nothing changed since, the screens are marked up to
        date, and a new screen's widgets are styled as they mount, as always."""
        state = self._css_state()
        if getattr(self, "_css_styled", None) == state:
            for screen in self.screen_stack:
                screen._css_update_count = self._css_update_count
            return
        super().refresh_css(animate)
        self._css_styled = state

    def hold_still(self) -> None:
        """The caseload and what is kept of it live as long as the app: moved out of the cyclic
        collector's sight (``gc.freeze``), or every full collection walks them all -- 0.1 s at
        a million events, at whatever moment it falls (a key press, a recorded event).
        Reference counting still frees them; they are given back to the collector on exit.
        The young generations are collected first: a cycle frozen is never freed. (Freezing
        again as each long table filled in took the full collections from 342 ms at most to
        72, but froze the toasts, timers and workers alive then, which became garbage later
        and were never freed: 5 MB more a round of a morning, 345 MB after 30.)"""
        if gc.isenabled():
            gc.collect(1)
        gc.freeze()
        self.froze = True

    def on_unmount(self) -> None:
        self.stop_listening()
        if self.froze:
            gc.unfreeze()


def run(path: Path | str, clock: Clock | None = None, settings=None) -> int:
    from ..settings import Settings
    from .app import FollowupApp

    settings = settings or Settings()
    tz = local_timezone()
    extra = {"actor": settings.counselor()} if settings.counselor() and not os.environ.get("FOLLOWUP_ACTOR") else {}
    overrides = load_template_overrides()
    for lang, table in settings.templates.items():
        overrides.setdefault(lang, {}).update(table)
    words = words_for(settings.lang())
    check_keys(settings)
    keymap = dict(settings.keys)
    big = needs_long_read(path)
    if big is None:
        journal = Journal.open(path, clock=clock, tz=tz, write_snapshot=False,  # first paint first
                               policy=settings.policy(), languages=LANGUAGES, **extra)
        app = FollowupApp(journal, template_overrides=overrides, language=settings.lang(), review=settings.review,
                          keymap=keymap)
    else:
        # A big log without a snapshot to start from: the app paints at once and reads it in
        # a worker thread, one process (nothing forks from inside the running app).
        one_process = replace(opening.DEFAULT_SIZES, parallel_min_bytes=2**62)

        def opener(progress: Callable[[int, int], None]) -> Journal:
            return Journal.open(path, clock=clock, tz=tz, write_snapshot=False, policy=settings.policy(),
                                languages=LANGUAGES, sizes=one_process, on_progress=progress, **extra)

        app = FollowupApp(None, template_overrides=overrides, language=settings.lang(), review=settings.review,
                          opener=opener, keymap=keymap,
                          loading_text=words.t("app.reading", path=Path(path).name, mb=big // 1_000_000).strip())
    app.run()
    if app.journal is not None:
        app.journal.save_snapshot_if_stale()  # for a fast start next time
    return 0


def check_keys(settings) -> None:
    """config.toml's ``[keys]`` names only bindings there are: one line naming the one that is not."""
    from ..settings import SettingsError, config_path
    from .keys import binding_ids, key_clashes, not_a_key

    known = binding_ids()
    for binding in settings.keys:
        if binding not in known:
            raise SettingsError(config_path(), f"keys.{binding}", "unknown_binding", known=", ".join(sorted(known)))
    for binding, keys in settings.keys.items():
        bad = not_a_key(keys)
        if bad is not None:
            raise SettingsError(config_path(), f"keys.{binding}", "not_a_key", typed=bad)
    for key, binding, other in key_clashes(dict(settings.keys)):
        raise SettingsError(config_path(), f"keys.{binding}", "key_taken", typed=key, other=other)


def needs_long_read(path: Path | str, sizes: opening.Sizes = opening.DEFAULT_SIZES) -> int | None:
    """The size of a log that will be read from its first line (big, and no snapshot that
    matches this code beside it); None for a quick start. ``sizes``: where a log counts as big."""
    if is_url(path):
        return None  # no file to measure: a server store is read from its first row as always
    try:
        size = Path(path).stat().st_size
    except OSError:
        return None
    if size < sizes.facts_only_min_bytes:
        return None
    probe = Journal(Path(path), SystemClock(local_timezone()), local_timezone(), sizes=sizes)
    return None if probe.snapshot_matches() else size
