"""The decision on a ``decide`` row: ``m`` writes no message; it offers close, pause or wait,
one key each, and the choice opens that form for the row's item. After an unanswered question
(the policy's rule 3); or after a paused client wrote on or after the pause's end (rule 4),
where resuming is offered first and closing says no "no response"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .forms import button
from .keys import typed
from .localized import Localized
from .widgets.visible import shown

CHOICES = ("resume", "close", "pause", "snooze")  # u, c, p, z: the same keys as on the row


class DecideScreen(Localized, ModalScreen[str | None]):
    """Close, pause or wait: dismissed with the client action chosen (None: Escape). A button
    each, and Cancel; none has the focus at first (Enter alone chooses nothing)."""

    CSS_PATH = "forms.tcss"
    AUTO_FOCUS = ""  # (None is "as the app's", which focuses the first button: Close, and Enter chose it)
    BINDINGS = [Binding("u", "choose('resume')", "key.resume", id="decide.resume"),  # (after they wrote)
                Binding("c", "choose('close')", "key.close", id="decide.close"),
                Binding("p", "choose('pause')", "key.pause", id="decide.pause"),
                Binding("z", "choose('snooze')", "key.wait", id="decide.wait"),
                Binding("escape", "choose('')", "key.cancel", id="decide.cancel")]

    def __init__(self, question: str, title: str = "", wrote: bool = False) -> None:
        """``wrote``: the client wrote after the pause's end (resume offered, close not for no response)."""
        super().__init__()
        self.question = question
        self.heading = title  # the client and the situation: whose decision, since when
        self.wrote = wrote

    def check_action(self, action: str, parameters: tuple) -> bool:
        return action != "choose" or not parameters or not parameters[0] or parameters[0] in self.offered()

    def offered(self) -> tuple[str, ...]:
        return CHOICES if self.wrote else CHOICES[1:]

    def does(self, what: str) -> str:
        """What a choice does, in the user's words."""
        if what == "cancel":
            return self.words.t("decide.not_now")
        if self.wrote and what in ("resume", "close", "pause"):
            return self.words.t(f"decide.{what}_wrote")
        return self.words.t("decide." + what)

    def choices(self) -> list[tuple[str, str]]:
        """Each choice: its key as typed (as bound: [keys] too), and what it does."""
        out = []
        for bindings in self._bindings.key_to_bindings.values():
            for b in bindings:
                what = b.id.removeprefix("decide.") if b.id and b.id.startswith("decide.") else ""
                if what and (what == "cancel" or {"wait": "snooze"}.get(what, what) in self.offered()):
                    out.append((typed(b.key), self.does(what)))
        return out

    def compose(self) -> ComposeResult:
        with Vertical(id="decide"):
            yield Static(shown(self.heading, lines=False), id="decide-title", classes="form-title", markup=False)
            yield Static(shown(self.question), markup=False)
            with Grid(id="decide-choices"):  # the key, then what it does (a long line wraps under its words)
                for key, does in self.choices():
                    yield Static(key, classes="key", markup=False)
                    yield Static(does, markup=False)
            yield Static(self.words.t("decide.help"), classes="help")
            with Horizontal(classes="buttons"):
                for what, key in (("resume", "key.resume"), ("close", "key.close"), ("pause", "key.pause"),
                                  ("snooze", "key.wait")):
                    if what in self.offered():
                        yield button(self.words.t(key), f"decide-{what}", "primary")
                yield button(self.words.t("key.cancel"), "decide-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        what = (event.button.id or "").removeprefix("decide-")
        self.dismiss(what if what in self.offered() else None)

    def action_choose(self, what: str) -> None:
        if what and what not in self.offered():
            return  # (u when nothing is paused: not a choice here)
        self.dismiss(what or None)
