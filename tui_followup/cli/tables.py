"""Plain-text tables whose columns line up with Japanese and Korean text.

A wide (East Asian) character takes two terminal cells; padding counts cells, not
characters, so 佐藤 陽菜 and Emma Smith end in the same column.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence

from ..core.visible import visible


@lru_cache(maxsize=4096)
def cell_width(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells (ending in … when cut), then pad it."""
    if cell_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = cell_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - cell_width(text))


def render(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 48,
           right: Sequence[int] = ()) -> str:
    """A table: a header line, a rule, one line per row (a newline or any control character in a
    cell shown, not obeyed); ``right`` columns are right-aligned."""
    cells = [[("" if v is None else visible(str(v), lines=False)) for v in row] for row in rows]  # one line each
    widths = [
        min(max_width, max([cell_width(h)] + [cell_width(r[i]) for r in cells]))
        for i, h in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            padded = fit(value, widths[i])
            if i in right:
                padded = " " * (widths[i] - cell_width(value)) + value if cell_width(value) <= widths[i] else padded
            parts.append(padded)
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), "  ".join("─" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out)
