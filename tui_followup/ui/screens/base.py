"""What every screen that shows the caseload shares: redraw when the log changed, open the
selected client with Enter."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable

from ...core.per_client import PerClient
from ...storage.journal import Journal
from ..localized import Localized
from ..messages import OpenClient, ask
from ..widgets.lazy_table import LazyTable

WAITED_FOR_SLICE = 20  # clients per step when the user waits for them (about 15 ms at 1M)


class CaseloadChanged(Message):
    """Events were recorded or read from the log: the screen in view redraws (``clients``: the
    ones that changed, when known; ``elsewhere``: read from the log, written by another window
    or the command line)."""

    def __init__(self, clients: frozenset[str] = frozenset(), elsewhere: bool = False) -> None:
        super().__init__()
        self.clients = clients
        self.elsewhere = elsewhere


# Keys every list shares: j/k like the arrows, g/G to the top and the bottom (on every screen
# with a list: the replay and Past day too, where they were listed and did nothing).
LIST_BINDINGS = [Binding("j", "move(1)", "key.down", id="list.down", show=False),
                 Binding("k", "move(-1)", "key.up", id="list.up", show=False),
                 Binding("g", "move_to('top')", "key.top", id="list.top", show=False),
                 Binding("G", "move_to('bottom')", "key.bottom", id="list.bottom", show=False)]


class ListKeys:
    """Mixin for a screen with a list: j/k/g/G move its (focused, else first) table's cursor."""

    def _table(self) -> DataTable | None:
        focused = self.focused  # type: ignore[attr-defined]
        if isinstance(focused, DataTable):
            return focused
        tables = list(self.query(DataTable))  # type: ignore[attr-defined]
        return tables[0] if tables else None

    def action_move(self, delta: int) -> None:
        table = self._table()
        if isinstance(table, LazyTable) and table.cursor_row + delta >= table.row_count:
            table.finish()  # past the rows added so far
        if table is not None and table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_move_to(self, where: str) -> None:
        table = self._table()
        if isinstance(table, LazyTable):
            table.finish()
        if table is not None and table.row_count:
            table.move_cursor(row=0 if where == "top" else table.row_count - 1)


class CaseloadScreen(ListKeys, Localized, Screen):
    """A screen drawn from the journal's projections. Subclasses implement ``show``."""

    TITLE_KEY = ""  # the screen's title in the message catalogue

    # Keys every list screen shares: j/k like the arrows, g/G to the top and the bottom.
    BINDINGS = [Binding("question_mark", "app.toggle_keys", "key.keys", id="list.keys"),  # first: always in the footer
                *LIST_BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self.seen = -1  # the app's version of the caseload this screen last showed
        self.working = False  # working out what it shows (see worked_out): not drawn yet

    @property
    def journal(self) -> Journal:
        return self.app.journal  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        if self.TITLE_KEY:
            self.title = self.words.t(self.TITLE_KEY)
        self.refresh_data()

    def on_screen_resume(self) -> None:
        for table in self.query(LazyTable):
            table.resume()  # the rows not added while out of sight
        if self.seen != self.app.version:  # type: ignore[attr-defined]
            self.refresh_data()  # something was recorded while another screen was on top

    def on_caseload_changed(self, message: CaseloadChanged) -> None:
        self.refresh_data()

    def worked_out(self, kept: PerClient, key: Hashable) -> bool:
        """Whether every client's value is kept (``kept``: one of the screen's ``Ahead``'s). If not -- the
        screen was opened before the work ahead was done -- the rest is worked out a slice at a
        time, keys still answered and the progress in the sub-title, and the screen drawn after."""
        caseload = self.journal.caseload
        self.working = not kept.fill(caseload, key, 0)
        if not self.working:
            return True
        total = len(caseload.registered())

        async def work() -> None:
            while not kept.fill(caseload, key, WAITED_FOR_SLICE):
                self.sub_title = self.words.t("screen.working_out", done=kept.count(key), total=total)
                await asyncio.sleep(0)
            self.working = False
            self.refresh_data()

        self.sub_title = self.words.t("screen.working_out", done=kept.count(key), total=total)
        self.run_worker(work(), group="worked-out", exclusive=True, exit_on_error=False)
        return False

    def refresh_data(self) -> None:
        self.seen = self.app.version  # type: ignore[attr-defined]
        self.show(self.journal)
        self.refresh_bindings()  # the footer as the state now allows (a client closed elsewhere)

    def show(self, journal: Journal) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def current_client(self) -> str | None:
        return None

    def _not_drawn_yet(self, then: Callable[[], None]) -> bool:
        """A key typed before the screen drew its rows (``2 G`` in one burst, or while it is
        still working out): it is kept and done once they are there, not lost."""
        if self.seen >= 0 and not self.working:
            return False
        self.call_after_refresh(then)
        return True

    def action_move(self, delta: int) -> None:
        if not self._not_drawn_yet(lambda: self.action_move(delta)):
            super().action_move(delta)

    def action_move_to(self, where: str) -> None:
        if not self._not_drawn_yet(lambda: self.action_move_to(where)):
            super().action_move_to(where)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_client()

    def action_open_client(self) -> None:
        client = self.current_client()
        if client:
            ask(self, OpenClient(client))
