"""The header of every screen: Textual's, whose title leaves a header alone once its parts are gone."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle



class Header(TextualHeader):
    """Textual's header. Its own title callback raised ``NoMatches`` when a title changed while
    the header's parts were already gone: a screen made ahead, out of sight, closing with the app
    as a colleague's events arrived (a traceback at quit; a test of the office store)."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # (instead of Textual's, which is the same but for the refusal)
        Widget._on_mount(self, event)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass  # the header is being taken down: nothing to show

        screen: Screen = self.screen
        for node in (self.app, screen):
            self.watch(node, "title", set_title)
            self.watch(node, "sub_title", set_title)
