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
