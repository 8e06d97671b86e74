"""One-line boxes the user types into and leaves for the list under them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..messages import KeysKept
from .visible import shown


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

    def _on_paste(self, event: events.Paste) -> None:
        """A paste shown as it was pasted, on the box's one line (␛, ␍, ␊), as in the forms: a
        paste's ESC reaches the box since ui/paste.py keeps a paste whole, and painted as it
        was, ``ESC [2J`` pasted into Past day's date box cleared the screen."""
        event.text = shown(event.text, lines=False)  # (Input's own handler inserts it, after this)
        scroll_after_paste(self)


def scroll_after_paste(box: Input) -> None:
    """The box scrolls to its cursor at the end of the paste its own handler inserts next.
    Textual's Input scrolls to the cursor from its second change only: a note of 2,800
    characters pasted into the empty field showed its first characters, the cursor out of view
    after its end, and End moved nothing (it was there already)."""
    box._initial_value = False  # (what tells it the first change; the cursor goes where the paste ends)
