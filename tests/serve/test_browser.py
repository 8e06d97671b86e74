"""The app in a real browser: `followup serve` as a colleague would run it, Debian's headless
Chromium opening the address it printed, keys pressed in the page, the event in the log.

Skipped when no chromium is installed, unless FOLLOWUP_REQUIRE_BROWSER is set (.ci/run sets it,
and installs chromium when it is missing).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from tests.serve.devtools import chromium, colours, find_chromium, png_pixels, until
from tests.ui.conftest import seed_caseload

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not find_chromium() and not os.environ.get("FOLLOWUP_REQUIRE_BROWSER"),
                       reason="no chromium (apt-get install chromium); .ci/run installs it"),
]


def start_server(log: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, FOLLOWUP_CONFIG=str(tmp_path / "none.toml"), LANG="en_US.UTF-8", TZ="Asia/Tokyo",
               FOLLOWUP_NOW="2026-11-25T08:30+09:00")
    env.pop("FOLLOWUP_ACTOR", None)
    # the tabs' processes run `python -P` (never the current directory's code): this checkout's
    # code is the one under test, wherever the package was installed from
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    server = subprocess.Popen([sys.executable, "-m", "tui_followup", "--log", str(log), "serve", "--port", "0", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    line = server.stdout.readline()  # the one line: the address with its token (bounded: the process prints or dies)
    assert line.startswith("http://127.0.0.1:") and "/?token=" in line, (line, server.poll())
    return server, line.strip()


def notes(log: Path) -> list[dict]:
    lines = [msgspec.json.decode(raw) for raw in log.read_bytes().splitlines() if raw.strip()]
    return [e for e in lines if e.get("type") == "note_added"]


async def test_the_app_in_a_browser(tmp_path):
    log = tmp_path / "events.jsonl"
    seed_caseload(log)
    server, address = start_server(log, tmp_path, "--user", "ito-browser")
    try:
        async with chromium(width=1100, height=700) as browser:
            page = await browser.attach()
            for domain in ("Page.enable", "Runtime.enable"):
                await page.send(domain)
            await page.navigate(address)

            async def drawn():  # the cookie taken, the page loaded, the terminal's first bytes arrived
                return await page.evaluate("location.pathname === '/' && !!document.body"
                                           " && document.body.classList.contains('-first-byte')")

            await until(drawn, 60, "the terminal to draw")
            assert await page.evaluate("location.search") == ""  # the token is gone from the address bar

            async def settled():
                """A screenshot, once three taken one after another are the same (the app has
                finished drawing): a condition, each shot a round trip to the browser."""
                shots = [await page.screenshot() for _ in range(3)]
                return shots[-1] if shots[0] == shots[1] == shots[2] else None

            today = await until(settled, 30, "the screen to settle")
            assert colours(today) > 4  # not blank: text in several colours
            await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

            await page.key("2")  # the Clients screen
            async def changed(before: bytes):
                shot = await settled()
                return shot if shot and shot != before else None

            clients = await until(lambda: changed(today), 30, "the Clients screen")
            assert colours(clients) > 4

            await page.key("1")  # back to Today, then a note for the first client
            await until(lambda: changed(clients), 30, "Today again")
            before = await settled()
            await page.key("n")
            await until(lambda: changed(before), 30, "the note form")
            await page.type("from the browser")
            await page.key("Enter")

            async def recorded():
                return [e for e in notes(log) if e.get("text") == "from the browser"]

            (note,) = await until(recorded, 30, "the note in the log")
            assert note["actor"] == "ito-browser"
            assert note["client"] == "aoki"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode in (0, -15), server.stderr.read()


# -- issue 24: a colleague who never opens a terminal ----------------------------------------

# The size the page asks of the app (its "resize" messages), kept where the test can read it: the
# page's own script keeps its terminal to itself. (Injected by DevTools, never served.)
SIZE_SPY = """(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { const m = JSON.parse(data); if (m[0] === 'resize') window.__terminalSize = [m[1].width, m[1].height]; }
    catch (e) {}
    return send.call(this, data);
  };
})();"""


class Cells:
    """Where a terminal cell is on the page: the terminal's screen divided by its columns and rows."""

    def __init__(self, rect: dict, cols: int, rows: int) -> None:
        self.left, self.top = rect["left"], rect["top"]
        self.width, self.height = rect["width"] / cols, rect["height"] / rows

    def centre(self, x: int, y: int) -> tuple[float, float]:
        return self.left + (x + 0.5) * self.width, self.top + (y + 0.5) * self.height

    def box(self, x: int, y: int, cells: int) -> tuple[int, int, int, int]:
        """The pixels of ``cells`` cells from (x, y), a pixel in from each edge."""
        return (int(self.left + x * self.width) + 1, int(self.top + y * self.height) + 1,
                int(self.left + (x + cells) * self.width) - 1, int(self.top + (y + 1) * self.height) - 1)


def ink(png: bytes, box: tuple[int, int, int, int]) -> float:
    """The share of a box's pixels that are not its background (its commonest colour)."""
    from collections import Counter

    width, _, bpp, pixels = png_pixels(png)
    left, top, right, bottom = box
    seen = [pixels[(y * width + x) * bpp:(y * width + x) * bpp + 3] for y in range(top, bottom) for x in range(left, right)]
    background = Counter(seen).most_common(1)[0][0]
    far = [p for p in seen if sum(abs(a - b) for a, b in zip(p, background)) > 90]
    return len(far) / len(seen)


async def click(page, at: tuple[float, float]) -> None:
    x, y = at
    await page.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    await page.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
    await page.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)


def replica(log: Path):
    """The same app on a copy of the same log at the same moment, in this process: where its
    widgets are is where the browser's tab draws them."""
    import itertools

    from tests.ui.conftest import NOW, TOKYO
    from tui_followup.core.clock import FixedClock
    from tui_followup.storage.journal import Journal
    from tui_followup.ui.app import FollowupApp

    counter = itertools.count(1)
    journal = Journal.open(log, clock=FixedClock(NOW), tz=TOKYO, actor="replica", new_id=lambda: f"r{next(counter)}")
    return FollowupApp(journal, template_overrides={})


async def test_japanese_is_drawn_and_a_message_is_recorded_by_mouse_alone(tmp_path):
    from textual.widgets import DataTable
    from textual.widgets._footer import FooterKey

    from tui_followup.ui.forms import FormScreen
    from tui_followup.ui.screens.client import ClientScreen

    log = tmp_path / "events.jsonl"
    seed_caseload(log)
    copy = tmp_path / "replica.jsonl"
    copy.write_bytes(log.read_bytes())
    server, address = start_server(log, tmp_path, "--user", "ito-mouse")
    try:
        async with chromium(width=1100, height=700) as browser:
            page = await browser.attach()
            for domain in ("Page.enable", "Runtime.enable"):
                await page.send(domain)
            await page.send("Page.addScriptToEvaluateOnNewDocument", source=SIZE_SPY)
            await page.send("Emulation.setFocusEmulationEnabled", enabled=True)
            await browser.send("Browser.grantPermissions", origin=address.split("/?")[0],
                               permissions=["clipboardReadWrite", "clipboardSanitizedWrite"])
            await page.navigate(address)

            async def drawn():
                return await page.evaluate("!!document.body && document.body.classList.contains('-first-byte')"
                                           " && !!window.__terminalSize")

            await until(drawn, 60, "the terminal to draw")

            async def settled():  # three shots in a row the same: drawn
                shots = [await page.screenshot() for _ in range(3)]
                return shots[-1] if shots[0] == shots[1] == shots[2] else None

            async def changed(before: bytes):
                shot = await settled()
                return shot if shot and shot != before else None

            today = await until(settled, 30, "the screen to settle")
            cols, rows = await page.evaluate("window.__terminalSize")
            cells = Cells(await page.evaluate("JSON.parse(JSON.stringify("
                                              "document.querySelector('.xterm-screen').getBoundingClientRect()))"),
                          cols, rows)
            app = replica(copy)
            async with app.run_test(size=(cols, rows)) as pilot:
                await pilot.pause()
                table = app.screen.query_one("#due", DataTable)
                assert str(table.get_row_at(0)[0]).startswith("青木")
                x, y = table.region.x + table.cell_padding, table.region.y + table.header_height
                # 青木 drawn: ink in its four cells (a missing font left them blank), none in an empty row
                assert ink(today, cells.box(x, y, 4)) > 0.05, "青木 is blank"
                assert ink(today, cells.box(x, y + table.row_count + 2, 4)) == 0

                # the mouse alone: a click on 김민준's row selects it, a second opens the client ...
                assert table.get_row_at(1)[1].plain == "respond"
                await click(page, cells.centre(x + 1, y + 1))
                selected = await until(lambda: changed(today), 30, "the second row selected")
                await pilot.click("#due", offset=(x + 1 - table.region.x, 1 + table.header_height))
                await click(page, cells.centre(x + 1, y + 1))
                await until(lambda: changed(selected), 30, "the client's screen")
                await pilot.click("#due", offset=(x + 1 - table.region.x, 1 + table.header_height))
                await pilot.pause()
                assert isinstance(app.screen, ClientScreen) and app.screen.client_id == "kim"
                client = await settled()
                # ... the footer's "m Message" opens the message form ...
                key = next(k for k in app.screen.query(FooterKey) if k.key == "m")
                await click(page, cells.centre(key.region.x + 1, key.region.y))
                await until(lambda: changed(client), 30, "the message form")
                await pilot.click(key)
                await pilot.pause()
                assert isinstance(app.screen, FormScreen)
                # ... whose text is on the browser's clipboard ...
                copied = await page.send("Runtime.evaluate", expression="navigator.clipboard.readText()",
                                         awaitPromise=True, returnByValue=True)
                assert "김민준" in copied["result"]["value"], copied
                # ... and its button records it
                button = app.screen.query_one("#form-submit")
                await click(page, cells.centre(button.region.x + 2, button.region.y))

                async def recorded():
                    lines = [msgspec.json.decode(raw) for raw in log.read_bytes().splitlines() if raw.strip()]
                    return [e for e in lines if e.get("type") == "message_sent" and e.get("actor") == "ito-mouse"]

                (sent,) = await until(recorded, 30, "the message in the log")
                assert sent["client"] == "kim" and sent["answers"] == "respond"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode in (0, -15), server.stderr.read()
