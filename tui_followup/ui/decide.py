"""The decision after an unanswered question (the policy's rule 3): ``m`` on a ``decide`` row
writes no message; it offers close, pause or wait, one key each, and the choice opens that
form for the row's item."""

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

CHOICES = ("close", "pause", "snooze")  # c, p, z: the same keys as on the row


class DecideScreen(Localized, ModalScreen[str | None]):
    """Close, pause or wait: dismissed with the client action chosen (None: Escape). A button
    each, and Cancel; none has the focus at first (Enter alone chooses nothing)."""

    CSS_PATH = "forms.tcss"
    AUTO_FOCUS = None
    BINDINGS = [Binding("c", "choose('close')", "key.close", id="decide.close"),
                Binding("p", "choose('pause')", "key.pause", id="decide.pause"),
                Binding("z", "choose('snooze')", "key.wait", id="decide.wait"),
                Binding("escape", "choose('')", "key.cancel", id="decide.cancel")]

    def __init__(self, question: str, title: str = "") -> None:
        super().__init__()
        self.question = question
        self.heading = title  # the client and the situation: whose decision, since when

    def choices(self) -> list[tuple[str, str]]:
        """Each choice: its key as typed (as bound: [keys] too), and what it does."""
        out = []
        for bindings in self._bindings.key_to_bindings.values():
            for b in bindings:
                if b.id and b.id.startswith("decide."):
                    what = b.id.removeprefix("decide.")
                    out.append((typed(b.key), self.words.t("decide." + ("not_now" if what == "cancel" else what))))
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
                for what, key in (("close", "key.close"), ("pause", "key.pause"), ("snooze", "key.wait")):
                    yield button(self.words.t(key), f"decide-{what}", "primary")
                yield button(self.words.t("key.cancel"), "decide-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        what = (event.button.id or "").removeprefix("decide-")
        self.dismiss(what if what in CHOICES else None)

    def action_choose(self, what: str) -> None:
        self.dismiss(what or None)
