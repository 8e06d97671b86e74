"""The keys, as ``?`` shows them: this screen's own first, then the app's, then the generic keys
of Textual's tables (the ones every list knows)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Static

from .forms import button
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

    classes = [FollowupApp, *FollowupApp.MODE_SCREENS.values(), ClientScreen, ReplayScreen, FormScreen, ConfirmScreen]
    return {binding.id for cls in classes for klass in cls.__mro__
            for binding in klass.__dict__.get("BINDINGS", ()) if isinstance(binding, Binding) and binding.id}


MODIFIER_NAMES = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _key_names() -> frozenset[str]:
    """The keys a terminal sends by name: Textual's (escape, enter, f5, pageup, ...) and the
    printable ASCII characters by their names (comma, question_mark, slash, ...)."""
    from textual.keys import Keys, _character_to_key

    return frozenset({key.value.split("+")[-1] for key in Keys} | {"enter", "space", "tab", "backspace"}
                     | {_character_to_key(chr(code)) for code in range(33, 127)})


def not_a_key(keys: str) -> str | None:
    """The first of ``keys`` (comma-separated, as ``[keys]`` gives them) that no key press can
    be: "," (its name is comma), "foo", "あ", a modifier twice or alone; None when all can."""
    names = _key_names()
    for key in keys.split(","):
        key = key.strip()
        *modifiers, name = key.split("+")
        if (not key or not name or len(set(modifiers)) != len(modifiers)
                or not set(modifiers) <= MODIFIER_NAMES
                or not ((len(name) == 1 and name.isascii() and name.isalnum()) or name in names)):
            return key or keys
    return None


def key_clashes(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(key, id, other)`` for each key ``[keys]`` gives a binding that another binding of the
    same screen (or the app's, which every screen has) already has, doing something else: the
    README's own ``"client.message" = "x"`` took No-show's key without a word, and No-show was
    gone from the screen. Only keys the user gave are looked at (a screen's own defaults may
    shadow the app's on purpose)."""
    from .app import FollowupApp
    from .forms import ConfirmScreen, FormScreen
    from .screens.client import ClientScreen
    from .screens.replay import ReplayScreen

    def own(cls) -> list[Binding]:
        found: dict[str, Binding] = {}
        for klass in cls.__mro__:  # a subclass's binding first
            for binding in klass.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    found.setdefault(binding.id or f"{klass.__name__}:{binding.action}", binding)
        return list(found.values())

    everywhere = own(FollowupApp)
    out: list[tuple[str, str, str]] = []
    for cls in (*FollowupApp.MODE_SCREENS.values(), ClientScreen, ReplayScreen, FormScreen, ConfirmScreen):
        by_key: dict[str, list[Binding]] = {}
        for binding in (*own(cls), *everywhere):
            for key in rebound(binding, keymap).key.split(","):
                by_key.setdefault(key.strip(), []).append(binding)
        for key, bindings in by_key.items():
            for binding in bindings:
                if binding.id not in keymap:
                    continue
                for other in bindings:
                    if other is not binding and other.action.removeprefix("app.") != binding.action.removeprefix("app."):
                        clash = (key, binding.id, other.id or other.action)
                        if clash not in out:
                            out.append(clash)
    return out


def rebound(binding: Binding, keymap: dict[str, str]) -> Binding:
    """The binding with the key the user gave it in config.toml's ``[keys]``, if any."""
    if binding.id and binding.id in keymap:
        return replace(binding, key=keymap[binding.id], key_display=None)
    return binding


# Keys by the names written on the keyboard (Textual's names, as a user types them)
KEY_NAMES = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "Space", "backspace": "Backspace",
             "delete": "Del", "insert": "Ins", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
             "up": "↑", "down": "↓", "left": "←", "right": "→", "question_mark": "?", "slash": "/"}
MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "meta": "Meta", "super": "Super"}


def typed(keys: str) -> str:
    """A binding's key as a user types it: its first key only ("ctrl+c,super+c" is "Ctrl+C"),
    modifiers spelled out (not "^c"), names as on the keyboard ("Esc", "PgUp", "Shift+Tab")."""
    key = keys.split(",")[0].strip()
    *modifiers, name = key.split("+") if key != "+" else [key]
    if name in KEY_NAMES:
        name = KEY_NAMES[name]
    elif len(name) > 1 and name.startswith("f") and name[1:].isdigit():
        name = name.upper()  # F1
    elif len(name) > 1:
        try:
            name = unicodedata.lookup(name.replace("_", " ").upper())  # full_stop: "."
        except KeyError:
            name = name.replace("_", " ").title()
    elif modifiers:
        name = name.upper()  # Ctrl+C
    return "+".join([*(MODIFIERS.get(m, m.title()) for m in modifiers), name])


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
    """``?``: every key of this screen, then the app's, then Textual's; the list scrolls (j/k,
    ↑/↓, PgUp/PgDn, g/G) under a title and a line saying which part is shown, which stay."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", show=False),
                # j/k and g/G scroll it, as in every list; the arrows and the page keys too. Before
                # the list's own bindings (priority): its arrows and page keys waited for the next
                # frame, and in a burst they lost keys and came after the keys typed after them.
                Binding("j,down", "scroll('down')", show=False, priority=True),
                Binding("k,up", "scroll('up')", show=False, priority=True),
                Binding("pagedown,space", "scroll('page_down')", show=False, priority=True),
                Binding("pageup", "scroll('page_up')", show=False, priority=True),
                Binding("g,home", "scroll('home')", show=False, priority=True),
                Binding("G,end", "scroll('end')", show=False, priority=True)]

    def action_scroll(self, where: str) -> None:
        keys = self.query_one("#keys", VerticalScroll)
        # From where the last key left it, at once: Textual's own scroll_* wait for the next
        # frame and start from where the list is drawn (ten j in a burst scrolled three).
        page = keys.scrollable_content_region.height
        y = {"down": keys.scroll_target_y + 1, "up": keys.scroll_target_y - 1,
             "page_down": keys.scroll_target_y + page, "page_up": keys.scroll_target_y - page,
             "home": 0, "end": keys.max_scroll_y}[where]
        keys.scroll_to(y=max(0, min(y, keys.max_scroll_y)), animate=False, immediate=True)
        self.call_after_refresh(self._say_where)

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
            out.append(f"  {typed(binding.key):<12}", style="bold")
            out.append(f"{said(binding, self.words).description}\n")  # ours name a catalogue key
        return out

    def compose(self) -> ComposeResult:
        seen: set[str] = set()
        with Vertical(id="keys-box"):
            yield Static(self.words.t("keys.title"), classes="form-title", markup=False)
            with VerticalScroll(id="keys"):
                screen_keys = _not_hidden(self.under, _bindings_of(type(self.under), ours=True))
                yield Static(self._section(self.words.t("keys.screen"), screen_keys, seen))
                yield Static(self._section(self.words.t("keys.app"), _bindings_of(type(self.app), ours=True), seen))
                textual = _bindings_of(DataTable) if self.under.query(DataTable) else []
                textual += _bindings_of(type(self.under), ours=False) + _bindings_of(type(self.app), ours=False)
                yield Static(self._section(self.words.t("keys.table"), textual, seen))
            with Vertical(id="keys-help"):  # always in view: the list scrolls above it
                yield Static("", id="keys-where", classes="form-help", markup=False)
                yield Static(self.words.t("keys.close"), classes="form-help", markup=False)
            with Horizontal(classes="buttons"):  # for the mouse (a browser), as every dialog has
                yield button(self.words.t("key.close_screen"), "keys-close", "primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    CHROME = 8  # the lines around the list: the border, the title, the two lines and the button under it

    def on_mount(self) -> None:
        self._fit()
        # the line under the list follows the scroll, whatever scrolls it: the list's own keys
        # when it has the focus (↓ PgDn never reached this screen's), the wheel, a scrollbar
        self.watch(self.query_one("#keys", VerticalScroll), "scroll_y", lambda _: self._say_where(), init=False)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The list as tall as the screen leaves it (the title and the lines under it stay)."""
        self.query_one("#keys", VerticalScroll).styles.max_height = max(3, self.app.size.height - self.CHROME)
        self.call_after_refresh(self._say_where)

    def _say_where(self) -> None:
        """Which lines are in view, of how many, and how to see the rest (nothing when all fit)."""
        keys = self.query_one("#keys", VerticalScroll)
        total, height = keys.virtual_size.height, keys.scrollable_content_region.height
        where = self.query_one("#keys-where", Static)
        if total <= height or height <= 0:
            where.update("")
            where.display = False
            return
        first = int(keys.scroll_y) + 1
        where.update(self.words.t("keys.where", first=first, last=min(total, first + height - 1), total=total))
        where.display = True
