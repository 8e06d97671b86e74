"""The one-key actions on a selected client, shared by every screen that has one."""

from __future__ import annotations

from textual.binding import Binding

from ..core.policy import DueItem
from .messages import RecordRequested

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


def client_bindings() -> list[Binding]:
    return [
        Binding(key, f"client_action('{what}')", f"key.{what}", id=f"client.{what}", show=show,
                tooltip=f"tip.{what}")
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

    def action_client_action(self, what: str) -> None:
        """The key's form for the selected client: asked of the app (RecordRequested)."""
        client = self.current_client()
        if client is None:
            self.notify(self.words.t("note.select_client"), severity="warning")  # type: ignore[attr-defined]
            return
        self.post_message(RecordRequested(what, client, self.current_item(), self.current_ref()))  # type: ignore[attr-defined]
