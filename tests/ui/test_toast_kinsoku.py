"""A toast in Japanese breaks as Japanese does (the forms' notes and questions already did): at
80x24 the notice that a client was handed over ended a line with 消 and began the next with
。入力中の… (Textual's own wrap, which knows no kinsoku). Every toast goes through wrap_kept."""

from __future__ import annotations

from textual.geometry import Region

from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.app import FollowupApp

from .conftest import NOW, TOKYO, toasts
from .test_preview_kinsoku import NEVER_FIRST, NEVER_LAST


def toast_lines(app: FollowupApp) -> list[str]:
    """Each toast's lines as painted: its left border (one cell) and its padding taken off."""
    out = []
    for toast in app.screen.query("Toast"):
        strips = toast.render_lines(Region(0, 0, *toast.outer_size))
        out += [strip.text[1:].strip() for strip in strips if strip.text[1:].strip()]
    return out


async def test_a_japanese_toast_never_starts_a_line_with_a_full_stop_at_80_columns(log_path):
    app = FollowupApp(Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO), poll_seconds=0.0,
                      template_overrides={}, language="ja")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        gone = app.words.t("note.client_gone")
        app.notify(gone, severity="warning")
        said = await toasts(pilot)
        assert any(gone in text for text in said), said  # (the text whole, and the title with it)
        lines = toast_lines(app)
        assert len(lines) >= 3, lines  # wrapped at 80 columns
        assert "".join(lines) == gone.replace(" ", ""), lines  # nothing lost nor added
        assert [line for line in lines if line[0] in NEVER_FIRST or line[-1] in NEVER_LAST] == [], lines


async def test_a_toast_keeps_its_title_above_its_text(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.notify("the case of Aoki [old] is closed", title="Not recorded", severity="error")
        assert await toasts(pilot) == ["Not recorded\nthe case of Aoki [old] is closed"]
        assert toast_lines(app)[:2] == ["Not recorded", "the case of Aoki [old] is closed"]
