"""``followup serve`` through aiohttp's test client: the door (token, cookie, 401s), a tab's
app process and its screen, who records, the limit on tabs, idle tabs, the refused bind."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import pytest
from aiohttp import WSMsgType, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from tui_followup.cli import main
from tui_followup.i18n import words_for
from tui_followup.serve import FollowupServer, ServeOptions, bind_problem
from tui_followup.serve import server as server_module

TOKEN = "a-test-token-of-enough-length"
EN = words_for("en")


def client_for(log: Path, words=EN, **kw) -> tuple[FollowupServer, TestClient]:
    server = FollowupServer(ServeOptions(log_path=str(log), token=TOKEN, **kw), words)
    return server, TestClient(TestServer(server.make_app()))


def from_page(client: TestClient, **headers: str) -> dict[str, str]:
    """The headers of a websocket opened by the server's own page (a browser always sends Origin)."""
    return {"Origin": f"http://127.0.0.1:{client.port}", **headers}


async def enter(client: TestClient) -> None:
    response = await client.get("/", params={"token": TOKEN})
    assert response.status == 200


async def screen_until(ws, text: bytes, limit: float = 30.0) -> bytes:
    """The bytes the tab streamed until ``text`` is among them (bounded by ``limit`` seconds)."""
    seen = b""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while text not in seen:
        message = await asyncio.wait_for(ws.receive(), max(0.1, deadline - loop.time()))
        assert message.type in (WSMsgType.BINARY, WSMsgType.TEXT), (message, seen[-500:])
        if message.type == WSMsgType.BINARY:
            seen += message.data
    return seen


async def until(condition, limit: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def no_process_starts(monkeypatch) -> list:
    started = []

    async def start(self, width, height):
        started.append(self)
        raise AssertionError("an app process was started")

    monkeypatch.setattr(server_module.TabProcess, "start", start)
    return started


async def test_nothing_without_the_token(log, monkeypatch):
    started = no_process_starts(monkeypatch)
    server, client = client_for(log)
    async with client:
        for path in ("/", "/page.css", "/static/js/textual.js", "/static/fonts/RobotoMono-VariableFont_wght.ttf",
                     "/ws", "/nowhere"):
            response = await client.get(path, headers=from_page(client))  # its own origin is not enough
            assert response.status == 401, path
            assert "access token" in await response.text()
        for wrong in ("", "x", TOKEN[:-1], TOKEN + "x"):
            assert (await client.get("/", params={"token": wrong})).status == 401
        client.session.cookie_jar.update_cookies({"followup_session": "forged"})
        assert (await client.get("/")).status == 401
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers=from_page(client))
        assert refused.value.status == 401
    assert started == [] and server.tabs == set()


async def test_each_server_speaks_the_language_it_was_given(log):
    """The language is the server's (from the command line that started it), not the process's."""
    _, japanese = client_for(log, words_for("ja"))
    _, english = client_for(log)
    async with japanese, english:
        ja, en = await japanese.get("/"), await english.get("/")
        assert ja.status == en.status == 401
        ja_text, en_text = await ja.text(), await en.text()
    assert '<html lang="ja">' in ja_text and html.escape(words_for("ja").t("serve.unauthorized")) in ja_text
    assert '<html lang="en">' in en_text and "access token" in en_text


async def test_the_tokened_address_sets_the_cookie_and_goes_on_to_the_page(log):
    server, client = client_for(log)
    async with client:
        response = await client.get("/", params={"token": TOKEN})
        assert response.status == 200
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("followup_session=")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert TOKEN not in cookie  # the cookie holds an HMAC of the token, not the token
        assert '<meta http-equiv="refresh" content="0; url=/">' in await response.text()
        page = await client.get("/")  # the cookie, now in the client's jar, is enough
        assert page.status == 200
        text = await page.text()
        assert 'class="textual-terminal"' in text and "/ws" in text
        for path in ("/page.css", "/static/js/textual.js", "/static/css/xterm.css",
                     "/static/fonts/RobotoMono-VariableFont_wght.ttf"):
            assert (await client.get(path)).status == 200, path


async def test_the_page_loads_nothing_from_another_host(log):
    server, client = client_for(log)
    async with client:
        await enter(client)
        page = await client.get("/")
        text = await page.text()
        css = await (await client.get("/page.css")).text()
        assert "googleapis" not in text + css
        for link in re.findall(r'(?:src|href)="([^"]+)"', text) + re.findall(r'url\("?([^")]+)', css):
            assert link.startswith("/"), link
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "font-src 'self'" in policy and "script-src 'self'" in policy


@pytest.mark.slow
async def test_a_websocket_with_the_cookie_starts_the_app_and_streams_its_screen(log):
    server, client = client_for(log, user="sato-web")
    async with client:
        await enter(client)
        ws = await client.ws_connect("/ws", params={"width": "120", "height": "36"}, headers=from_page(client))
        screen = await screen_until(ws, b"Today")
        assert len(server.tabs) == 1
        (tab,) = server.tabs
        process = tab.service.process
        environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
        assert b"FOLLOWUP_ACTOR=sato-web" in environ
        assert b"\x1b[" in screen  # a terminal's drawing, not a page
        await ws.close()
        await until(lambda: not server.tabs)
        assert process.returncode is not None  # the tab's process ended with it


async def test_the_proxys_user_only_when_trusted(log, monkeypatch):
    no_process_starts(monkeypatch)
    server, client = client_for(log, user="office", trust_proxy_user=True)
    async with client:
        await enter(client)
        with pytest.raises(WSServerHandshakeError) as refused:  # trusted, but no header: nobody to record as
            await client.ws_connect("/ws", headers=from_page(client))
        assert refused.value.status == 401
    request = type("R", (), {"headers": {"X-Forwarded-User": " suzuki "}})()
    assert server.actor_for(request) == "suzuki"
    untrusting = FollowupServer(ServeOptions(log_path=str(log), token=TOKEN, user="office"), EN)
    assert untrusting.actor_for(request) == "office"  # the header is never used otherwise


@pytest.mark.slow
async def test_behind_a_trusted_proxy_its_user_records(log):
    server, client = client_for(log, user="office", trust_proxy_user=True)
    async with client:
        await enter(client)
        ws = await client.ws_connect("/ws", headers=from_page(client, **{"X-Forwarded-User": "suzuki"}))
        await screen_until(ws, b"Today")
        (tab,) = server.tabs
        environ = Path(f"/proc/{tab.service.process.pid}/environ").read_bytes().split(b"\0")
        assert b"FOLLOWUP_ACTOR=suzuki" in environ
        await ws.close()
        await until(lambda: not server.tabs)


def test_the_server_never_imports_the_app():
    """The app runs in each tab's own process; the server imports neither it nor Textual's app."""
    import subprocess
    import sys

    code = ("import sys, tui_followup.serve, tui_followup.cli.serve\n"
            "print(sorted(k for k in sys.modules if k.startswith(('tui_followup.ui', 'textual.app'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
async def test_the_next_tab_past_max_sessions_gets_a_page_saying_so(log):
    server, client = client_for(log, max_sessions=1)
    async with client:
        await enter(client)
        first = await client.ws_connect("/ws", headers=from_page(client))
        await screen_until(first, b"Today")
        busy = await client.get("/")
        assert busy.status == 503
        assert "All 1 places are in use" in await busy.text()
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers=from_page(client))
        assert refused.value.status == 503
        assert len(server.tabs) == 1
        await first.close()
        await until(lambda: not server.tabs)
        assert (await client.get("/")).status == 200


@pytest.mark.slow
async def test_an_idle_tab_is_closed_and_its_process_ends(log):
    server, client = client_for(log, idle_seconds=2.0)
    async with client:
        await enter(client)
        ws = await client.ws_connect("/ws", headers=from_page(client))
        await screen_until(ws, b"Today")
        (tab,) = server.tabs
        process = tab.service.process
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        closing = (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
        while (await asyncio.wait_for(ws.receive(), deadline - loop.time())).type not in closing:
            pass  # the screen's bytes, until the server closes the idle tab
        await until(lambda: not server.tabs)
        assert process.returncode is not None


def test_only_loopback_is_served_without_tls():
    assert bind_problem("127.0.0.1", None, EN) is None
    assert bind_problem("::1", None, EN) is None
    assert bind_problem("localhost", None, EN) is None
    assert bind_problem("0.0.0.0", None, EN) is not None
    assert bind_problem("192.168.1.20", "http://followup.office.example", EN) is not None
    assert bind_problem("0.0.0.0", "ftp://followup.office.example", EN) is not None
    assert bind_problem("0.0.0.0", "https://followup.office.example", EN) is None


def test_serving_beyond_loopback_without_https_exits_2_with_one_line(log, capsys):
    assert main(["--log", str(log), "serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "0.0.0.0" in err and "--public-url https://" in err
    assert main(["--log", str(log), "serve", "--host", "10.0.0.5", "--public-url", "http://10.0.0.5"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_serve_settings_are_validated(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(config))
    for table, key in (("max_sessions = 0", "serve.max_sessions"), ("idle_minutes = 0", "serve.idle_minutes"),
                       ('token = "short"', "serve.token"), ("port = 1", "serve.port")):
        config.write_text(f"[serve]\n{table}\n", encoding="utf-8")
        assert main(["--log", str(tmp_path / "x.jsonl"), "serve"]) == 2
        assert key in capsys.readouterr().err
