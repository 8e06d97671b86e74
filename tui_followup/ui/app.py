"""The Textual app: daily triage, client timeline and replay, audit, weekly review.

Every change goes through the same command layer as the CLI (``Journal.record``) and lands
as an event in the log; the screens only read projections. Another process appending to the
log shows up within a second (the app polls the log's end twice a second, reading only the
new bytes).
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from ..core import commands as cmd
from ..core import templates
from ..core.clock import Clock, local_timezone, parse_date, parse_moment
from ..core.events import CHANNELS, CLOSE_REASONS, AnyEvent, EventRetracted, tag_of
from ..core.journal import Journal
from ..core.policy import DueItem, next_item
from ..core.store import StoreError
from .. import paths
from .forms import ConfirmScreen, Field, FormScreen
from .screens.audit import AuditScreen
from .screens.client import ClientScreen
from .screens.clients import ClientsScreen
from .screens.replay import PastDayScreen, ReplayScreen
from .screens.review import ReviewScreen
from .screens.today import TodayScreen


class ClientCommands(Provider):
    """The command palette finds clients by name or id."""

    async def search(self, query: str) -> Hits:
        app: FollowupApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for facts in app.journal.caseload.registered():
            text = f"Open client: {facts.name} ({facts.id})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), lambda c=facts.id: app.open_client(c),
                          help=f"{facts.state} · {facts.plan} · {facts.channel}")


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
    COMMANDS = App.COMMANDS | {ClientCommands}
    MODES = {"today": TodayScreen, "clients": ClientsScreen, "audit": AuditScreen, "review": ReviewScreen}
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("1", "switch_mode('today')", "Today", id="go.today", tooltip="The due list"),
        Binding("2", "switch_mode('clients')", "Clients", id="go.clients", tooltip="Everyone on the caseload"),
        Binding("3", "switch_mode('audit')", "Audit", id="go.audit", tooltip="Contact frequency and timeliness"),
        Binding("4", "switch_mode('review')", "Review", id="go.review", tooltip="The weekly review"),
        Binding("5", "past_day", "Past day", id="go.past", tooltip="Today as it was on a past day"),
        Binding("question_mark", "toggle_keys", "Keys", id="app.keys", tooltip="Show all keys"),
    ]

    def __init__(self, journal: Journal, poll_seconds: float = 0.5,
                 template_overrides: dict[str, dict[str, str]] | None = None,
                 language: str | None = None) -> None:
        super().__init__()
        self.journal = journal
        self.poll_seconds = poll_seconds
        self.template_overrides = template_overrides if template_overrides is not None else {}
        self.language = language
        self.version = 0  # bumped whenever the caseload changes
        self.recorded: list[AnyEvent] = []  # what this window recorded, for undo
        self.notes_told = 0

    # -- life cycle -------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.poll_log)
        problems = list(self.journal.problems)
        tail = self.journal.store.tail_problem()
        if tail is not None:
            problems.append(tail)
        self.tell_notes()
        if problems:
            first = problems[0]
            self.notify(
                f"{len(problems)} unreadable line(s) in {self.journal.path}, first at line {first.line}: "
                f"{first.message}. Every other event is shown; run `followup check`.",
                severity="warning", title="Log problems", timeout=12,
            )

    def poll_log(self) -> None:
        """Pick up what other writers appended (only the new bytes are read)."""
        before = len(self.journal.problems)
        try:
            changed = self.journal.refresh()
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        for problem in self.journal.problems[before:]:
            self.notify(f"{self.journal.path}:{problem.line}: {problem.message}", severity="warning",
                        title="Unreadable line skipped")
        if changed:
            self.data_changed()

    def tell_notes(self) -> None:
        """Say what the store did on the user's behalf (a torn line set aside, ...)."""
        while self.notes_told < len(self.journal.notes):
            self.notify(self.journal.notes[self.notes_told], severity="warning", title="Log repaired", timeout=12)
            self.notes_told += 1

    def data_changed(self) -> None:
        self.version += 1
        screen = self.screen
        refresh = getattr(screen, "refresh_data", None)
        if refresh is not None:
            refresh()
        for candidate in self.screen_stack:
            if candidate is not screen and hasattr(candidate, "refresh_data"):
                pass  # refreshed on resume (they compare versions)

    # -- helpers the screens use --------------------------------------------------------

    def last_contact(self, client: str) -> date | None:
        facts = self.journal.caseload.get(client)
        if facts is None or facts.last_contact is None:
            return None
        return facts.last_contact.astimezone(self.journal.tz).date()

    def open_client(self, client: str) -> None:
        self.push_screen(ClientScreen(client))

    def action_past_day(self) -> None:
        self.push_screen(PastDayScreen())

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def try_record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> str | None:
        """Record through the command layer; the refusal's reason, or None when recorded."""
        try:
            event = self.journal.record(command, *args, **kwargs)
        except cmd.CommandError as exc:
            return str(exc)
        except (StoreError, PermissionError, ValueError) as exc:
            return str(exc)
        self.recorded.append(event)
        self.tell_notes()
        self.data_changed()
        facts = self.journal.caseload.clients.get(event.client)
        who = facts.name if facts else event.client
        self.notify(f"{tag_of(event).replace('_', ' ')} · {who}", title="Recorded", timeout=3)
        return None

    def record(self, command: Callable[..., AnyEvent], *args: Any, **kwargs: Any) -> bool:
        error = self.try_record(command, *args, **kwargs)
        if error:
            self.notify(error, severity="error", title="Not recorded")
        return error is None

    def _moment(self, text: str):
        text = text.strip()
        return parse_moment(text, self.journal.tz) if text else None

    # -- actions on a client ------------------------------------------------------------

    def client_action(self, what: str, client: str, item: DueItem | None = None) -> None:
        facts = self.journal.caseload.get(client)
        if facts is None:
            self.notify(f"unknown client {client!r}", severity="error")
            return
        handler = getattr(self, f"_do_{what}")
        handler(facts, item)

    def _form(self, title: str, fields: list[Field], submit: Callable[[dict], str | None], label: str = "Save",
              preview: str | None = None, preview_title: str = "") -> None:
        def guarded(values: dict) -> str | None:
            try:
                return submit(values)
            except ValueError as exc:
                return str(exc)

        self.push_screen(FormScreen(title, fields, label, on_submit=guarded, preview=preview,
                                    preview_title=preview_title))

    def _now_field(self) -> Field:
        return Field("at", "When (empty: now; or YYYY-MM-DD HH:MM)", placeholder="now")

    def _channel_field(self, value: str) -> Field:
        return Field("channel", "Channel", "select", value, [(c, c) for c in CHANNELS])

    def message_text(self, facts, label: str, item: DueItem | None) -> str:
        session = facts.last_session
        lang = templates.language_for(facts.name, self.language)
        what = item.detail.removeprefix("promised: ") if item and item.kind == "promise" else ""
        return templates.render(
            label, lang, facts.name,
            session_date=session.at.astimezone(self.journal.tz).date() if session else None,
            next_step=session.next_step if session else "", what=what,
            overrides=self.template_overrides,
        )

    def _do_message(self, facts, item: DueItem | None) -> None:
        if item is None or item.client != facts.id:
            item = next_item(facts, self.journal.policy, self.journal.tz)
        label = item.reason if item else "monthly"
        text = self.message_text(facts, label, item)
        self.copy_to_clipboard(text)
        self._form(
            f"Message sent to {facts.name} ({label})",
            [Field("summary", "Summary (optional)"), self._channel_field(facts.channel), self._now_field()],
            lambda v: self.try_record(cmd.send_message, facts.id, channel=v["channel"], template=label,
                                      summary=v["summary"], at=self._moment(v["at"])),
            "Record message", preview=text, preview_title=f"template {label} · copied to the clipboard",
        )

    def _do_session(self, facts, item) -> None:
        self._form(
            f"Session held with {facts.name}",
            [Field("minutes", "Minutes", value="50"), Field("summary", "Summary"),
             Field("next_step", "Agreed next step"), self._now_field()],
            lambda v: self.try_record(cmd.hold_session, facts.id, minutes=int(v["minutes"] or 50),
                                      summary=v["summary"], next_step=v["next_step"], at=self._moment(v["at"])),
            "Record session",
        )

    def _do_reply(self, facts, item) -> None:
        self._form(
            f"Reply from {facts.name}",
            [Field("summary", "What they said (optional)"), self._channel_field(facts.channel), self._now_field()],
            lambda v: self.try_record(cmd.receive_reply, facts.id, channel=v["channel"], summary=v["summary"],
                                      at=self._moment(v["at"])),
            "Record reply",
        )

    def _do_snooze(self, facts, item) -> None:
        today = self.journal.today()
        options = [(f"+1 day ({today + timedelta(days=1):%m-%d})", "1"),
                   (f"+3 days ({today + timedelta(days=3):%m-%d})", "3"),
                   (f"+1 week ({today + timedelta(days=7):%m-%d})", "7")]

        def submit(v: dict) -> str | None:
            until = parse_date(v["date"]) if v["date"].strip() else today + timedelta(days=int(v["by"]))
            return self.try_record(cmd.snooze, facts.id, until, reason=v["reason"])

        self._form(
            f"Snooze {facts.name}'s follow-up",
            [Field("reason", "Reason"), Field("by", "Until", "select", "1", options),
             Field("date", "…or a date (YYYY-MM-DD)", placeholder="overrides the choice above")],
            submit, "Snooze",
        )

    def _do_promise(self, facts, item) -> None:
        default = self.journal.today() + timedelta(days=7)
        self._form(
            f"Promise to {facts.name}",
            [Field("what", "What you promised"), Field("due", "Due (YYYY-MM-DD)", value=default.isoformat())],
            lambda v: self.try_record(cmd.make_promise, facts.id, parse_date(v["due"]), v["what"]),
            "Record promise",
        )

    def _do_pause(self, facts, item) -> None:
        self._form(
            f"Pause {facts.name}",
            [Field("reason", "Reason (the client's words)")],
            lambda v: self.try_record(cmd.pause, facts.id, reason=v["reason"]),
            "Pause",
        )

    def _do_resume(self, facts, item) -> None:
        self.record(cmd.resume, facts.id)

    def _do_reopen(self, facts, item) -> None:
        self._form(f"Reopen the case of {facts.name}", [Field("reason", "Why")],
                   lambda v: self.try_record(cmd.reopen, facts.id, reason=v["reason"]), "Reopen")

    def _do_note(self, facts, item) -> None:
        self._form(f"Note on {facts.name}", [Field("text", "Note")],
                   lambda v: self.try_record(cmd.add_note, facts.id, v["text"]), "Add note")

    def _do_replay(self, facts, item) -> None:
        self.push_screen(ReplayScreen(facts.id))

    def _do_close(self, facts, item) -> None:
        if facts.state == "closed":
            self.notify(f"the case of {facts.name} is already closed", severity="error", title="Not recorded")
            return

        def chosen(values: dict | None) -> None:
            if not values:
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.record(cmd.close_case, facts.id, values["reason"], summary=values["summary"])

            self.push_screen(
                ConfirmScreen(f"Close the case of {facts.name} ({values['reason']})? "
                              "Nothing will be due for them until it is reopened."),
                confirmed,
            )

        self.push_screen(
            FormScreen(f"Close the case of {facts.name}",
                       [Field("summary", "Closing summary"),
                        Field("reason", "Reason", "select", "goal_achieved", [(r, r) for r in CLOSE_REASONS])],
                       "Close case"),
            chosen,
        )

    def action_undo(self) -> None:
        """Retract the last event this window recorded, after asking once."""
        caseload = self.journal.caseload
        candidates = [e for e in reversed(self.recorded)
                      if not isinstance(e, EventRetracted) and not caseload.is_retracted(e.id)]
        if not candidates:
            self.notify("Nothing recorded in this window to undo.", severity="warning")
            return
        event = candidates[0]
        facts = caseload.clients.get(event.client)
        who = facts.name if facts else event.client

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.record(cmd.retract, event.id, "undone in the app")

        when = event.at.astimezone(self.journal.tz).strftime("%m-%d %H:%M")
        self.push_screen(ConfirmScreen(
            f"Undo {tag_of(event).replace('_', ' ')} for {who} ({when})? "
            "A retraction is recorded; the event then counts as never having happened."), confirmed)

    def action_register_client(self) -> None:
        plans = [(p, p) for p in self.journal.policy.plans]

        def submit(v: dict) -> str | None:
            return self.try_record(cmd.register_client, v["id"], v["name"], plan=v["plan"],
                                   channel=v["channel"], note=v["note"])

        self._form("Register a new client",
                   [Field("name", "Name"), Field("id", "Id (one word, e.g. a case number)"),
                    Field("plan", "Plan", "select", self.journal.policy.default_plan, plans),
                    self._channel_field("email"), Field("note", "Note")],
                   submit, "Register")

    # -- command palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title, help in [("today", "Today", "the due list"), ("clients", "Clients", "everyone"),
                                  ("audit", "Audit", "contact frequency and timeliness"),
                                  ("review", "Weekly review", "waiting, no next step, to thank")]:
            yield SystemCommand(f"Go to: {title}", help, lambda m=mode: self.switch_mode(m))
        yield SystemCommand("Go to: Past day", "Today as it was on a past day", self.action_past_day)
        yield SystemCommand("Client: register a new client", "add someone to the caseload",
                            self.action_register_client)
        current = getattr(screen, "current_client", None)
        client = current() if callable(current) else None
        if client:
            facts = self.journal.caseload.get(client)
            name = facts.name if facts else client
            for what, title in [("message", "record a message sent"), ("session", "record a session"),
                                ("reply", "record a reply"), ("snooze", "snooze"), ("promise", "record a promise"),
                                ("pause", "pause"), ("resume", "resume"), ("close", "close the case"),
                                ("reopen", "reopen the case"), ("note", "add a note"), ("replay", "replay history")]:
                yield SystemCommand(f"{name}: {title}", f"for {name} ({client})",
                                    lambda w=what, c=client: self.client_action(w, c, None))
        yield SystemCommand("Undo the last event recorded here", "records a retraction, after asking",
                            self.action_undo)


def run(path: Path, clock: Clock | None = None, settings=None) -> int:
    import os

    from ..settings import Settings

    settings = settings or Settings()
    tz = local_timezone()
    extra = {"actor": settings.actor} if settings.actor and not os.environ.get("FOLLOWUP_ACTOR") else {}
    journal = Journal.open(path, clock=clock, tz=tz, write_snapshot=False,  # first paint first
                           policy=settings.policy(), **extra)
    overrides = load_template_overrides()
    for lang, table in settings.templates.items():
        overrides.setdefault(lang, {}).update(table)
    FollowupApp(journal, template_overrides=overrides, language=settings.lang()).run()
    journal.save_snapshot_if_stale()  # for a fast start next time
    return 0
