"""One-line boxes the user types into and leaves for the list under them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..messages import KeysKept


class LeavesOnEscape(Input):
    """A one-line box the user leaves with Escape (the Clients filter, Past day's date): Escape
    typed with the next key in one burst (``tmux send-keys Escape m``) reaches the app as
    Alt+M, which no terminal tells apart; it is taken as what it was, Escape then the key."""

    def leave(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def _on_key(self, event: events.Key) -> None:
        if event.key.startswith("alt+") and event.character and len(event.character) == 1 \
                and event.character.isprintable():
            event.stop()
            event.prevent_default()
            self.leave()
            self.app.post_message(KeysKept([(event.key.removeprefix("alt+"), event.character)]))
            return
        await super()._on_key(event)
