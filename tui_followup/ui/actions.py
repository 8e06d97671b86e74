"""The one-key actions on a selected client, shared by every screen that has one."""

from __future__ import annotations

from textual.binding import Binding

from ..core.policy import DueItem

ACTIONS = [  # (key, action, shown in the footer)
    ("m", "message", True), ("s", "session", True), ("r", "reply", True), ("z", "snooze", True),
    ("i", "promise", True), ("p", "pause", True), ("u", "resume", True), ("c", "close", True),
    ("o", "reopen", True), ("n", "note", True), ("y", "replay", True),
    # the rest of what `followup record` takes, from the same row (under ?, not in the footer)
    ("x", "missed", False), ("v", "feedback", False), ("d", "kept", False), ("h", "assign", False),
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

    def action_client_action(self, what: str) -> None:
        client = self.current_client()
        if client is None:
            self.app.notify(self.app.words.t("note.select_client"), severity="warning")  # type: ignore[attr-defined]
            return
        self.app.client_action(what, client, self.current_item())  # type: ignore[attr-defined]
