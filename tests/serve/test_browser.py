"""The app in a real browser: `followup serve` as a colleague would run it, Debian's headless
Chromium opening the address it printed, keys pressed in the page, the event in the log.

Skipped when no chromium is installed, unless FOLLOWUP_REQUIRE_BROWSER is set (.ci/run sets it,
and installs chromium when it is missing).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from tests.serve.devtools import chromium, colours, find_chromium, until
from tests.ui.conftest import seed_caseload

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not find_chromium() and not os.environ.get("FOLLOWUP_REQUIRE_BROWSER"),
                       reason="no chromium (apt-get install chromium); .ci/run installs it"),
]


def start_server(log: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, FOLLOWUP_CONFIG=str(tmp_path / "none.toml"), LANG="en_US.UTF-8", TZ="Asia/Tokyo",
               FOLLOWUP_NOW="2026-11-25T08:30+09:00")
    env.pop("FOLLOWUP_ACTOR", None)
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
                """A screenshot, once two in a row are the same (the app has finished drawing)."""
                first = await page.screenshot()
                await asyncio.sleep(0.3)
                second = await page.screenshot()
                return second if first == second else None

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
