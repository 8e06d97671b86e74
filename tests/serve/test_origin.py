"""The browser door against another page on the same host (cross-site WebSocket hijacking): a
websocket or a state-changing request from any origin but the server's own is refused with 403
before an app process starts; the Host header is never written into the page or its CSP; the
cookie expires and ends with its token."""

from __future__ import annotations

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from tui_followup.serve import FollowupServer, ServeOptions
from tui_followup.serve import server as server_module

from .test_server import EN, TOKEN, client_for, enter

FOREIGN = ("http://127.0.0.1:9911", "http://localhost:9911", "null", "https://evil.example")


def own_origin(client: TestClient) -> str:
    return f"http://127.0.0.1:{client.port}"


def processes_started(monkeypatch) -> list:
    """Each tab's process as it would start (none really starts: the test counts them)."""
    started = []

    async def start(self, width, height):
        started.append(self)

    monkeypatch.setattr(server_module.TabProcess, "start", start)
    return started


async def test_a_websocket_from_another_page_on_the_same_host_is_refused(log, monkeypatch):
    started = processes_started(monkeypatch)
    server, client = client_for(log)
    async with client:
        await enter(client)  # the cookie is in the jar: SameSite does not separate ports
        for origin in FOREIGN:
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect("/ws", headers={"Origin": origin})
            assert refused.value.status == 403, origin
        with pytest.raises(WSServerHandshakeError) as refused:  # browsers always send it: none is refused
            await client.ws_connect("/ws")
        assert refused.value.status == 403
    assert started == [] and server.tabs == set()


async def test_a_websocket_from_the_servers_own_page_gets_its_tab(log, monkeypatch):
    started = processes_started(monkeypatch)
    server, client = client_for(log)
    async with client:
        await enter(client)
        ws = await client.ws_connect("/ws", headers={"Origin": own_origin(client)})
        assert len(started) == 1
        await ws.close()


async def test_behind_the_proxy_only_its_public_origin_is_let_in(log, monkeypatch):
    started = processes_started(monkeypatch)
    server, client = client_for(log, public_url="https://followup.office.example/")
    async with client:  # (its cookie is Secure, so not sent over this test's http: the token is)
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", params={"token": TOKEN}, headers={"Origin": own_origin(client)})
        assert refused.value.status == 403
        ws = await client.ws_connect("/ws", params={"token": TOKEN},
                                     headers={"Origin": "https://followup.office.example"})
        assert len(started) == 1
        await ws.close()


async def test_requests_from_another_origin_are_refused(log):
    """A page elsewhere can send requests with the cookie (fetch, a form): any with a foreign
    Origin is refused, and so is a request that changes state without an Origin at all."""
    server, client = client_for(log)
    async with client:
        await enter(client)
        for origin in FOREIGN:
            assert (await client.get("/", headers={"Origin": origin})).status == 403, origin
            assert (await client.post("/", headers={"Origin": origin})).status == 403, origin
        assert (await client.post("/")).status == 403
        assert (await client.get("/")).status == 200  # a page opened in the address bar sends none
        assert (await client.get("/", headers={"Origin": own_origin(client)})).status == 200


async def test_the_host_header_is_never_written_into_the_page(log):
    server, client = client_for(log)
    async with client:
        await enter(client)
        page = await client.get("/", headers={"Host": "evil.example:1234"})
        text = await page.text()
        policy = page.headers["Content-Security-Policy"]
        assert "evil.example" not in text and "evil.example" not in policy
        websocket = f"ws://127.0.0.1:{client.port}/ws"
        assert f'data-session-websocket-url="{websocket}"' in text and websocket in policy


def cookie_of(response) -> str:
    return response.cookies[server_module.COOKIE].value


async def test_the_cookie_expires(log):
    now = [1_000_000.0]
    server = FollowupServer(ServeOptions(log_path=str(log), token=TOKEN), EN, clock=lambda: now[0])
    async with TestClient(TestServer(server.make_app())) as client:
        response = await client.get("/", params={"token": TOKEN})
        morsel = response.cookies[server_module.COOKIE]
        assert int(morsel["max-age"]) == server_module.SESSION_SECONDS
        assert 0 < server_module.SESSION_SECONDS <= 24 * 3600
        assert (await client.get("/")).status == 200
        now[0] += server_module.SESSION_SECONDS - 1
        assert (await client.get("/")).status == 200
        now[0] += 2  # the browser would have dropped it; one kept by hand is refused all the same
        assert (await client.get("/")).status == 401


async def test_a_new_token_ends_the_old_cookies(log):
    _, first = client_for(log)
    later = FollowupServer(ServeOptions(log_path=str(log), token="another-token-of-enough-length"), EN)
    async with first, TestClient(TestServer(later.make_app())) as second:
        old = cookie_of(await first.get("/", params={"token": TOKEN}))
        assert TOKEN not in old
        second.session.cookie_jar.update_cookies({server_module.COOKIE: old})
        assert (await second.get("/")).status == 401
        assert (await first.get("/")).status == 200  # the same cookie at the server whose token made it
