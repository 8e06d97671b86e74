"""Small pieces shared by the screens."""

from __future__ import annotations

from rich.text import Text

BARS = " ▁▂▃▄▅▆▇█"


def bars(values: list[int]) -> str:
    """A tiny bar chart, one character per value."""
    top = max(values) if values else 0
    if top == 0:
        return "·" * len(values)
    return "".join(BARS[0 if v == 0 else max(1, round(v / top * 8))] if v else "·" for v in values)


def state_text(state: str, words) -> Text:
    styles = {"active": "", "paused": "italic", "closed": "dim", "erased": "dim"}
    return Text(words.word("state", state), style=styles.get(state, ""))
