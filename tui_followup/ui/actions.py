"""The one-key actions on a selected client, shared by every screen that has one."""

from __future__ import annotations

from textual.binding import Binding

from ..core.policy import DueItem

CLIENT_BINDINGS = [
    Binding("m", "client_action('message')", "Message", id="client.message",
            tooltip="Record a message sent (template ready to copy)"),
    Binding("s", "client_action('session')", "Session", id="client.session", tooltip="Record a session held"),
    Binding("r", "client_action('reply')", "Reply", id="client.reply", tooltip="Record a reply received"),
    Binding("z", "client_action('snooze')", "Snooze", id="client.snooze", tooltip="Move the follow-up to later"),
    Binding("i", "client_action('promise')", "Promise", id="client.promise", tooltip="Record a promise made"),
    Binding("p", "client_action('pause')", "Pause", id="client.pause", tooltip="Pause the client"),
    Binding("u", "client_action('resume')", "Resume", id="client.resume", tooltip="Resume a paused client"),
    Binding("c", "client_action('close')", "Close", id="client.close", tooltip="Close the case (asks first)"),
    Binding("o", "client_action('reopen')", "Reopen", id="client.reopen", show=False,
            tooltip="Reopen a closed case"),
    Binding("n", "client_action('note')", "Note", id="client.note", tooltip="Add a note"),
    Binding("y", "client_action('replay')", "Replay", id="client.replay", show=False,
            tooltip="Step through the client's history"),
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
            self.app.notify("Select a client first.", severity="warning")  # type: ignore[attr-defined]
            return
        self.app.client_action(what, client, self.current_item())  # type: ignore[attr-defined]
