"""The app's words where the screens say them, and their keys said in them.

The language belongs to the app (``FollowupApp.words``, an ``i18n.Words``), not to a module or
a class: two apps in one process may speak two languages. The classes' ``BINDINGS`` name their
descriptions and tooltips by catalogue key (``"key.clients"``); each app and each screen says
them in its own copy of its bindings (``said_bindings``), so no class data changes with the
language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap

if TYPE_CHECKING:
    from textual.app import App
    from textual.command import CommandPalette

    from ..i18n import Words


def said(binding: Binding, words: Words) -> Binding:
    """``binding`` with its description and tooltip, catalogue keys, said in ``words``.
    Textual's own bindings (their descriptions are plain English, not keys) are looked up by
    that English in the catalogue's ``[textual]`` table."""
    description = (words.t(binding.description) if words.has(binding.description)
                   else words.textual(binding.description))  # Textual's own: by their English text
    tooltip = words.t(binding.tooltip) if words.has(binding.tooltip) else binding.tooltip
    if description == binding.description and tooltip == binding.tooltip:
        return binding
    return replace(binding, description=description, tooltip=tooltip)


def said_bindings(bindings: BindingsMap, words: Words) -> BindingsMap:
    """A new map of the same bindings, said in ``words`` (the map and its lists are not shared:
    Textual's copy of a class's merged bindings shares the class's lists)."""
    return BindingsMap.from_keys({key: [said(b, words) for b in key_bindings]
                                  for key, key_bindings in bindings.key_to_bindings.items()})


class Localized:
    """Mixin for a screen: ``self.words``, the app's, and its keys said in them once the screen
    belongs to an app (a screen may be made before that, for instance by ``MODES``)."""

    @property
    def words(self) -> Words:
        return self.app.words  # type: ignore[attr-defined]

    def _post_register(self, app: App) -> None:
        super()._post_register(app)  # type: ignore[misc]
        self._bindings = said_bindings(self._bindings, app.words)  # type: ignore[attr-defined]


def command_palette(words: Words, **kw) -> "CommandPalette":
    """Textual's command palette, its "No matches found" said in ``words`` (the catalogue's
    ``[textual]`` table): Textual 8 writes that text inside ``_start_no_matches_countdown``
    with no hook, so the palette's own countdown is said again here, word for word but that."""
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class SaidCommandPalette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:  # (an empty search is discovery: nothing to say)
                    self.query_one(CommandList).add_option(
                        Option(Align.center(Text(words.textual("No matches found"), style="not bold")),
                               disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    return SaidCommandPalette(**kw)
