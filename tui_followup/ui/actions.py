"""The one-key actions on a selected client, shared by every screen that has one."""

from __future__ import annotations

from textual.binding import Binding

from ..core.policy import DueItem
from .messages import RecordRequested, ask

# (key, action, shown in the footer): the four of every morning in the footer, the rest under ?
# (each with what it does): a footer cut at the screen's edge read "i Prom▏", "e Edit  1 To▏".
ACTIONS = [
    ("m", "message", True), ("s", "session", True), ("r", "reply", True), ("z", "snooze", True),
    ("i", "promise", False), ("p", "pause", False), ("u", "resume", False), ("c", "close", False),
    ("o", "reopen", False), ("n", "note", False), ("y", "replay", False), ("b", "book", False),
    # the rest of what `followup record` takes, from the same row (under ?, not in the footer)
    ("x", "missed", False), ("v", "feedback", False), ("d", "kept", False), ("h", "assign", False),
    ("B", "cancel_appointment", False),
]


IN_FOOTER = {what for _, what, show in ACTIONS if show}
# What a client's own screen adds to its footer when the client's state asks for it: o Reopen on
# a closed case (its footer read "? Keys  r Reply  esc Back  e Edit"; a closed case refuses m, s
# and z, which leaves it room). (u Resume on a paused one did not fit 80 columns beside m s r z.)
BY_STATE = {"reopen"}
# (e Edit, in a client's own footer: refused for an erased client, whose footer still offered it)
SHOWN_BY_STATE = IN_FOOTER | BY_STATE | {"edit"}  # each left out of a client's footer when the state refuses it


def client_bindings(own: bool = False) -> list[Binding]:
    """The client keys; ``own``: on a client's own screen, whose footer offers ``BY_STATE``'s
    keys too (while the client's state allows them: ``ClientActions.check_action``)."""
    return [
        Binding(key, f"client_action('{what}')", f"key.{what}", id=f"client.{what}",
                show=show or (own and what in BY_STATE), tooltip=f"tip.{what}")
        for key, what, show in ACTIONS
    ]


class ClientActions:
    """Mixin for a screen: implement ``current_client`` (and ``current_item`` if it has one)."""

    def current_client(self) -> str | None:  # pragma: no cover - overridden
        return None

    def current_item(self) -> DueItem | None:
        return None

    def current_ref(self) -> str | None:
        """The event the selected row stands for, when it is one (a timeline's row)."""
        return None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """On a client's own screen, the footer offers what the client's state allows now (a
        client closed from the command line still offered m; a closed one had no Reopen): a key
        shown there that the state refuses is left out. (Pressed, it still says the refusal.)"""
        client = getattr(self, "client_id", None)
        if action == "client_action" and parameters and parameters[0] in SHOWN_BY_STATE and client is not None:
            from ..core.commands import state_refusal

            facts = self.app.journal.caseload.get(client)  # type: ignore[attr-defined]
            if facts is not None and state_refusal(facts, parameters[0], self.app.journal.tz) is not None:
                return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def footer_action(self, key: str) -> str | None:
        """The footer's client action ``key`` stands for on this screen, as the user's ``[keys]``
        bound it (a key rebound in config.toml, not the default one)."""
        bindings = self._bindings.copy()  # type: ignore[attr-defined]
        keymap = self.app._keymap  # type: ignore[attr-defined]  # (config.toml's [keys], as Textual applies it)
        if keymap:
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(key, ()):
            for what in SHOWN_BY_STATE:
                if binding.action == f"client_action('{what}')":
                    return what
        return None

    def on_key(self, event) -> None:
        """A key the footer leaves out because the state refuses it still says why when pressed
        (the key the user bound to it: a rebound key did nothing, and the default one still spoke)."""
        if getattr(self, "client_id", None) is None:
            return
        what = self.footer_action(event.key)
        if what is not None and self.check_action("client_action", (what,)) is False:
            event.stop()
            event.prevent_default()
            self.action_client_action(what)  # the refusal, said as for every refused key

    def action_client_action(self, what: str) -> None:
        """The key's form for the selected client: asked of the app (RecordRequested)."""
        client = self.current_client()
        if client is None:
            self.notify(self.words.t("note.select_client"), severity="warning")  # type: ignore[attr-defined]
            return
        ask(self, RecordRequested(what, client, self.current_item(), self.current_ref()))  # type: ignore[attr-defined]
