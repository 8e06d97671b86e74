"""What a screen asks the app for, as typed messages: a screen posts one and the app handles
it (``on_record_requested``, ...), instead of the screen reaching up into the app. A message
posted on a screen bubbles to the app."""

from __future__ import annotations

from textual.message import Message

from ..core.policy import DueItem


class RecordRequested(Message):
    """A key or a choice asked for ``what`` (a ``record_forms.FORMS`` key) on ``client``:
    ``item``, the row's due item; ``ref``, the event the row stands for (a timeline's row)."""

    def __init__(self, what: str, client: str, item: DueItem | None = None, ref: str | None = None) -> None:
        super().__init__()
        self.what, self.client, self.item, self.ref = what, client, item, ref


class NewsRead(Message):
    """The app's worker read what other writers appended (``error``: why it could not)."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.error = error


class OpenClient(Message):
    """Enter (or a second click) on a client's row: their Client screen."""

    def __init__(self, client: str) -> None:
        super().__init__()
        self.client = client


class UndoRequested(Message):
    """Ctrl+Z: the last event this window recorded (``client``: only of that client)."""

    def __init__(self, client: str | None = None) -> None:
        super().__init__()
        self.client = client


class CopyRequested(Message):
    """A form asks for ``text`` on the clipboard (Ctrl+Y, or Ctrl+T's next template): the app
    copies it and says where it went on the form's own line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class KeysKept(Message):
    """A form has drawn: ``keys`` ((key, character) pairs, maybe none), typed while it was
    drawn, are to be typed again ahead of those typed since; the keys the app kept waiting for
    the form go on after them. Posted to the app itself, in the place of the call it stands for
    (a key made on the form would stop at it and never reach the bindings)."""

    def __init__(self, keys: list[tuple[str, str | None]]) -> None:
        super().__init__()
        self.keys = keys


def ask(node, message) -> None:
    """Post ``message`` (a request to the app) from ``node``, the keys typed after it held until
    the app has handled it: in a burst (``m`` then text, ``Enter m``) the keys after the request
    belong to the form or screen it opens, not to the screen that asked. In a bare app (the
    tests of a screen alone) it is only posted."""
    hold = getattr(node.app, "hold_keys", None)
    message.release = hold() if hold is not None else None
    node.post_message(message)


def handled(app, message) -> None:
    """The app has done what ``message`` asked: the keys held since go on (after the screen it
    pushed, if any, has drawn once)."""
    release = getattr(message, "release", None)
    if release is not None:
        app.call_after_refresh(release)
