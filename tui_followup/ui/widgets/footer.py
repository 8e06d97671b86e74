"""The footer: Textual's, without the keys it no longer shows."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's footer, letting go of the keys it shows no more.

    Each key it shows is bound to the footer's ``compact`` (``data_bind``): a watcher kept on
    the footer, let go only when ``compact`` changes, which it never does here. Every switch of
    screen draws the keys afresh, and the old ones stayed: about a dozen a switch, a megabyte
    or two an hour of a morning's work, never freed (Textual 8.2.8; tests/ui/test_footer.py).
    """

    async def recompose(self) -> None:
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not (node._closing or node._closed)]
