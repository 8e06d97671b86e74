"""A wide character drawn over another widget's edge stays whole.

Textual's compositor (8.2) cuts each line of the screen at the left and right edge of every
widget on it, and divides what each widget draws at those cuts, front to back: the front one
takes each piece. A double-width character (a kanji, a hangul syllable) that lies across an edge
of a widget *beneath* is split there, and Rich's split gives two spaces for it: the front
widget's own character vanishes although nothing covers it. A refusal toast over Clients lost the
last 「다」 of 「…더 기록하지 않습니다」 at the list's scrollbar (textual#6357, open upstream).

The cut changes nothing there: the front widget takes the pieces on both sides of it. So a cut
between two pieces one widget takes both of is not made; its piece runs on over the next, whose
place is marked taken with an empty piece (a widget further back cannot paint it). What every
widget draws, and where, is as before; only a character across such an edge stays whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_TAKEN = Strip([], 0)  # a place the piece before it runs over (painted by it)
TEXTUALS_OWN = Compositor._render_chops  # (as Textual has it: what the tests compare with)


def _render_chops(self: Compositor, crop: Region,
                  is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
    """``Compositor._render_chops`` of Textual 8.2.8, with the cuts a widget is on both sides
    of left out (see the module)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):  # front to back
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            places = final_cuts[:-1]
            free = [chops_line.get(place) is None for place in places]
            reach = render_x + strip.cell_length
            # a place this widget takes, after one it takes too: the piece before runs over it
            # (where the line it drew reaches the place's end: no gap left for those behind)
            over = {place for n, place in enumerate(places)
                    if n and free[n] and free[n - 1] and final_cuts[n + 1] <= reach}
            starts = [place for place in places if place not in over]
            ends = [*starts[1:], final_cuts[-1]] if places else []
            for start, piece in zip(starts, strip.divide([end - render_x for end in ends])):
                if chops_line.get(start) is None:  # (the front one "wins")
                    chops_line[start] = piece
            for place in over:
                chops_line[place] = _TAKEN
    return chops  # type: ignore[return-value]


def keep_wide_cells_whole() -> None:
    """Use :func:`_render_chops` for every screen (idempotent)."""
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
