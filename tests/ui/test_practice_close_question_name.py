"""A practitioners' pass on the close (80x24, the demo caseload): the close's question is asked
by the form itself, and that question broke the client's name across two lines
(「Close the case of Maria-Magdalena von⏎Hohenzollern-Sigmaringen (other)?」), where the pace
question, asked by the app through ``about``, keeps it whole: the form's question now keeps the
names the form keeps."""

from __future__ import annotations

from textual.widgets import Static

from tui_followup.core import commands as cmd
from tui_followup.core.clock import FixedClock
from tui_followup.storage.journal import Journal
from tui_followup.ui.forms import ConfirmScreen, FormScreen

from .conftest import NOW, TOKYO
from .test_refusal_fits_the_form import app_in

SIZE = (80, 24)


def painted(widget: Static) -> list[str]:
    """The widget's lines as the screen shows them."""
    lines = ["".join(s.text for s in strip).rstrip() for strip in widget.render_lines(widget.content_region.reset_offset)]
    return [line for line in lines if line]


def renamed(log_path, name: str) -> None:
    """aoki (the first row of Today) is called ``name`` from now on."""
    Journal.open(log_path, clock=FixedClock(NOW), tz=TOKYO, actor="kato").record(cmd.update_client, "aoki", name=name)


async def question_of_close(app, pilot, reason: str) -> list[str]:
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    await pilot.press(*"moved [abroad] (see notes)", "tab", reason, "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen)
    return painted(app.screen.query_one("Vertical").query(Static).first())


async def test_the_close_question_keeps_the_clients_name_on_one_line(log_path):
    name = "Maria-Magdalena von Hohenzollern-Sigmaringen"
    renamed(log_path, name)
    app = app_in(log_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        lines = await question_of_close(app, pilot, "5")
        assert any(name in line for line in lines), lines
