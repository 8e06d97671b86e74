"""Small pieces shared by the screens."""

from __future__ import annotations

from datetime import date

from rich.text import Text

BARS = " ▁▂▃▄▅▆▇█"


def bars(values: list[int]) -> str:
    """A tiny bar chart, one character per value."""
    top = max(values) if values else 0
    if top == 0:
        return "·" * len(values)
    return "".join(BARS[0 if v == 0 else max(1, round(v / top * 8))] if v else "·" for v in values)


def day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def md(d: date | None, today: date | None = None) -> str:
    if d is None:
        return "—"
    if today is not None and d.year != today.year:
        return d.isoformat()
    return f"{d.month:02d}-{d.day:02d}"


def state_text(state: str) -> Text:
    from ..i18n import word

    styles = {"active": "", "paused": "italic", "closed": "dim"}
    return Text(word("state", state), style=styles.get(state, ""))
