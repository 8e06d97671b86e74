"""The first start on a big log: the app paints at once and reads the log in a worker thread,
with a progress bar (no line of text left on the terminal for seconds)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from .localized import Localized
from .widgets.header import Header


class LoadingScreen(Localized, Screen):
    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen > Vertical { width: 72; height: auto; padding: 1 2; border: round $accent; }
    LoadingScreen ProgressBar { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(getattr(self.app, "loading_text", ""), id="reading", markup=False)
            yield ProgressBar(total=100, show_eta=False, id="progress")

    def on_mount(self) -> None:
        self.title = self.words.t("app.loading_title")

    def advance(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
