"""Regenerate screenshots/browser.png: the app served by `followup serve` in headless Chromium
(Debian's `chromium`), on the demo caseload at the same fixed date as the other screenshots. Its
Japanese and Korean names need a CJK font on this machine (Debian: fonts-noto-cjk): without one
they are drawn blank, so the script refuses to run without it.

    .venv/bin/python scripts/browser_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve.devtools import chromium, colours, until  # noqa: E402

OUT = ROOT / "screenshots" / "browser.png"
NOW = "2026-11-25T08:30+09:00"


async def shoot(address: str) -> bytes:
    async with chromium(width=1440, height=860) as browser:
        page = await browser.attach()
        await page.send("Page.enable")
        await page.navigate(address)

        async def drawn():
            return await page.evaluate("!!document.body && document.body.classList.contains('-first-byte')")

        await until(drawn, 60, "the terminal to draw")

        async def settled():
            first = await page.screenshot()
            await asyncio.sleep(0.5)
            second = await page.screenshot()
            return second if first == second else None

        return await until(settled, 30, "the screen to settle")


def main() -> None:
    fonts = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout
    if not fonts.strip():
        sys.exit("no Japanese font: the names would be blank (apt-get install fonts-noto-cjk)")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "demo.jsonl"
        env = dict(os.environ, FOLLOWUP_CONFIG=str(Path(tmp) / "none.toml"), LANG="en_US.UTF-8",
                   TZ="Asia/Tokyo", FOLLOWUP_NOW=NOW,
                   PYTHONPATH=str(ROOT))  # the tabs run `python -P`: this checkout's code, not the installed one
        subprocess.run([sys.executable, "-m", "tui_followup", "demo", "--out", str(log), "--today", NOW[:10],
                        "--lang", "en"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([sys.executable, "-m", "tui_followup", "--log", str(log), "serve", "--port", "0",
                                   "--user", "kato"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            address = server.stdout.readline().strip()
            png = asyncio.run(shoot(address))
        finally:
            server.terminate()
            server.wait(15)
    assert colours(png) > 4, "a blank screenshot"
    OUT.write_bytes(png)
    print(f"{OUT.relative_to(ROOT)}: {len(png)} bytes")


if __name__ == "__main__":
    main()
