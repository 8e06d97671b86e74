"""Just enough of a headless Chromium for the browser test and the README's screenshot: Debian's
``chromium`` driven over its DevTools protocol (a websocket, spoken with aiohttp), no browser
download; and a PNG reader (the standard library's zlib) to look at what it drew.

Every wait is for a condition, bounded in time.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Page:
    """One tab of the browser, attached over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session: str | None = None) -> None:
        self.ws, self.session = ws, session
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None

    def start(self) -> None:
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("the browser closed its DevTools connection"))

    async def send(self, method: str, timeout: float = 30.0, **params) -> dict:
        number = next(self._ids)
        message = {"id": number, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        future = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        await self.ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def attach(self, url: str = "about:blank") -> "Page":
        target = await self.send("Target.createTarget", url=url)
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        page = Page(self.ws, attached["sessionId"])
        page._ids, page._waiting = self._ids, self._waiting  # one connection, one numbering
        return page

    async def navigate(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def evaluate(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def screenshot(self) -> bytes:
        return base64.b64decode((await self.send("Page.captureScreenshot", format="png"))["data"])

    async def key(self, key: str) -> None:
        """Press and release one key: a character, or "Enter", "Escape", "Tab"."""
        named = {"Enter": ("Enter", 13, "\r"), "Escape": ("Escape", 27, ""), "Tab": ("Tab", 9, "\t")}
        if key in named:
            code, vk, text = named[key]
        else:
            code = f"Digit{key}" if key.isdigit() else (f"Key{key.upper()}" if key.isascii() and key.isalpha() else "")
            vk, text = (ord(key.upper()) if key.isascii() else 0), key
        down = {"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk}
        if text:
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", **down)
        await self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=vk)

    async def type(self, text: str) -> None:
        for character in text:
            await self.key(character)


async def until(condition, limit: float = 60.0, what: str = "a condition"):
    """Wait for an async ``condition()`` to give something true; give it back."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        value = await condition()
        if value:
            return value
        if loop.time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@asynccontextmanager
async def chromium(width: int = 1280, height: int = 800):
    """A headless Chromium with a fresh profile; its browser-wide DevTools connection."""
    binary = find_chromium()
    assert binary, "no chromium: apt-get install chromium"
    # (Chromium's helper processes may still write to the profile as it goes: not a test failure)
    with tempfile.TemporaryDirectory(prefix="followup-chromium-", ignore_cleanup_errors=True) as profile:
        log = Path(profile) / "stderr.txt"
        with open(log, "wb") as err:
            process = subprocess.Popen(
                [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync", "--mute-audio",
                 f"--window-size={width},{height}", f"--user-data-dir={profile}/data",
                 "--remote-debugging-port=0", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=err, env=dict(os.environ, LANG="en_US.UTF-8"))
        try:
            async def listening():
                match = re.search(rb"DevTools listening on (ws://\S+)", log.read_bytes())
                if process.poll() is not None:
                    raise RuntimeError(f"chromium exited {process.returncode}: {log.read_text()[-2000:]}")
                return match and match.group(1).decode()

            address = await until(listening, 60, "chromium's DevTools address")
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(address, max_msg_size=0) as ws:
                    browser = Page(ws)
                    browser.start()
                    yield browser
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- looking at a screenshot ------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, the pixels row after row) of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray()
    previous = bytearray(stride)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + guess) & 0xFF
        out += line
        previous = line
    return width, height, bpp, bytes(out)


def colours(png: bytes, step: int = 3) -> int:
    """How many different colours a screenshot has (every ``step``-th pixel of every ``step``-th row)."""
    width, height, bpp, pixels = png_pixels(png)
    seen = set()
    for row in range(0, height, step):
        base = row * width * bpp
        for column in range(0, width, step):
            at = base + column * bpp
            seen.add(pixels[at:at + 3])
    return len(seen)
