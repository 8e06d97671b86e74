"""The keys, as ``?`` shows them: this screen's own first, then the app's, then the generic keys
of Textual's tables (the ones every list knows)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from .localized import Localized, said


def _bindings_of(cls: type, ours: bool | None = None) -> list[Binding]:
    """A class's bindings, its own first then its bases' (as Textual merges them); ``ours``:
    only those of this app's classes (True) or only Textual's own (False)."""
    out: list[Binding] = []
    for klass in cls.__mro__:
        if ours is not None and klass.__module__.startswith("tui_followup") != ours:
            continue
        for binding in klass.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.description:
                out.append(binding)
    return out


def binding_ids() -> set[str]:
    """Every id a ``[keys]`` table in config.toml may rebind: the app's, its screens' and forms'."""
    from .app import FollowupApp
    from .forms import ConfirmScreen, FormScreen
    from .screens.client import ClientScreen
    from .screens.replay import ReplayScreen

    classes = [FollowupApp, *FollowupApp.MODES.values(), ClientScreen, ReplayScreen, FormScreen, ConfirmScreen]
    return {binding.id for cls in classes for klass in cls.__mro__
            for binding in klass.__dict__.get("BINDINGS", ()) if isinstance(binding, Binding) and binding.id}


def rebound(binding: Binding, keymap: dict[str, str]) -> Binding:
    """The binding with the key the user gave it in config.toml's ``[keys]``, if any."""
    if binding.id and binding.id in keymap:
        return replace(binding, key=keymap[binding.id], key_display=None)
    return binding


def _not_hidden(screen: Screen, bindings: list[Binding]) -> list[Binding]:
    """The screen's bindings but those it hides now (of a key with one binding per state, such
    as Today's w, the one in force: the footer shows the same)."""
    out = []
    for binding in bindings:
        namespace, name, params = parse_action(binding.action)
        if namespace or screen.check_action(name, params) is not False:
            out.append(binding)
    return out


class KeysScreen(Localized, ModalScreen[None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", show=False),
                # j/k and g/G scroll it, as in every list
                Binding("j", "scroll('down')", show=False), Binding("k", "scroll('up')", show=False),
                Binding("g", "scroll('home')", show=False), Binding("G", "scroll('end')", show=False)]

    def action_scroll(self, where: str) -> None:
        keys = self.query_one("#keys", VerticalScroll)
        {"down": keys.scroll_down, "up": keys.scroll_up, "home": keys.scroll_home, "end": keys.scroll_end}[where]()

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def _section(self, title: str, bindings: list[Binding], seen: set[str]) -> Text:
        out = Text(title + "\n", style="bold")
        for binding in bindings:
            binding = rebound(binding, self.app._keymap)
            if binding.key in seen:
                continue  # the nearer binding of a key is the one that acts
            seen.add(binding.key)
            keys = self.app.get_key_display(binding)
            out.append(f"  {keys:<12}", style="bold")
            out.append(f"{said(binding, self.words).description}\n")  # ours name a catalogue key
        return out

    def compose(self) -> ComposeResult:
        seen: set[str] = set()
        with VerticalScroll(id="keys"):
            yield Static(self.words.t("keys.title"), classes="form-title", markup=False)
            screen_keys = _not_hidden(self.under, _bindings_of(type(self.under), ours=True))
            yield Static(self._section(self.words.t("keys.screen"), screen_keys, seen))
            yield Static(self._section(self.words.t("keys.app"), _bindings_of(type(self.app), ours=True), seen))
            textual = _bindings_of(DataTable) if self.under.query(DataTable) else []
            textual += _bindings_of(type(self.under), ours=False) + _bindings_of(type(self.app), ours=False)
            yield Static(self._section(self.words.t("keys.table"), textual, seen))
            yield Static(self.words.t("keys.close"), classes="form-help", markup=False)
