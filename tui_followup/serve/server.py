"""The server: textual-serve's per-tab app processes behind a door of our own.

- **The door.** A request gets in with the access token (``?token=``) or with the session cookie
  that the tokened address sets; every other request — the page, the static files, the
  websocket — is answered 401, and a refused websocket never starts a process. The token is
  compared in constant time; the cookie holds its expiry and an HMAC of the token and that expiry,
  never the token: it lasts ``SESSION_SECONDS`` and ends with the token (a new token at a restart
  ends every cookie the old one made).
- **Other pages.** A websocket or any request that changes state must come from the server's own
  origin (the address it printed: ``--public-url``'s, or the bound host and port), else 403 before
  anything else is looked at; a request with a foreign ``Origin`` is refused whatever it is. Another
  page on the same host (another port) shares the cookie — SameSite does not separate ports — so
  this, not the cookie, is what keeps it out. The page and its CSP name the public origin, never
  the request's ``Host``.
- **The page** is ours (``page.html``, ``page.css``): textual-serve's own page loads a web font
  from an outside host. Ours takes the font, the script and the styles from this server, and a
  Content-Security-Policy holds the browser to that: nothing leaves the machine.
- **The tabs.** One app process per websocket (textual-serve's ``AppService``), on the same log,
  with ``FOLLOWUP_ACTOR`` set to who records; at most ``max_sessions`` at once (the next tab gets a
  page saying so); a tab with no keys or resizes for ``idle`` seconds is closed and its process
  ends.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import html
import ipaddress
import secrets
import shlex
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from ..i18n import Words

HERE = Path(__file__).resolve().parent
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).resolve().parent / "static"  # its script, styles and fonts
COOKIE = "followup_session"
STOP_SECONDS = 10.0  # a tab's process that has not ended this long after "quit" is killed
SESSION_SECONDS = 12 * 3600  # a cookie's life: a working day; then the tokened address again
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The page's fonts, the terminal's included: Roboto Mono (served here) for the Latin letters, then
# the CJK monospace (or CJK gothic) fonts that Windows, macOS and Linux commonly have, each
# character drawn in the first that has it. (textual-serve's terminal names Roboto Mono, Monaco,
# Courier New and monospace only: on a machine whose default monospace has no Japanese, the
# Japanese was invisible.)
FONT_FAMILY = ", ".join(f"'{name}'" if " " in name else name for name in (
    "Roboto Mono",
    "MS Gothic", "Yu Gothic", "Malgun Gothic",  # Windows
    "Osaka-Mono", "Hiragino Sans", "Apple SD Gothic Neo",  # macOS
    "Noto Sans Mono CJK JP", "Noto Sans Mono CJK KR", "Noto Sans CJK JP", "NanumGothicCoding",  # Linux
    "monospace"))
TERMINAL_FONT = "fontFamily:\"'Roboto Mono', Monaco, 'Courier New', monospace\""  # in textual-serve's textual.js
DEFAULT_PORTS = {"http": 80, "https": 443}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_problem(host: str, public_url: str | None, words: Words) -> str | None:
    """Why serving on ``host`` is refused (one line), or None. Only loopback is served as plain
    HTTP; any other address only behind a proxy that serves it over TLS (``--public-url https://``)."""
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return words.t("serve.bad_public_url", url=public_url)
        if parts.scheme != "https" and not is_loopback(parts.hostname):
            return words.t("serve.public_url_not_https", url=public_url)
    if is_loopback(host):
        return None
    if public_url is None or urlsplit(public_url).scheme != "https":
        return words.t("serve.not_loopback", host=host)
    return None


@dataclass(frozen=True)
class ServeOptions:
    log_path: str
    host: str = "127.0.0.1"
    port: int = 8765
    public_url: str | None = None
    token: str = field(default_factory=new_token)
    user: str = ""  # the actor of every tab; empty: as the app would say (FOLLOWUP_ACTOR, settings, login)
    trust_proxy_user: bool = False
    max_sessions: int = 8
    idle_seconds: float = 3600.0

    def command(self) -> str:
        """The shell command textual-serve runs for each tab: this app on the same log (``-P``: this
        installation's, never a ``tui_followup`` in the directory the server was started in)."""
        return f"exec {shlex.quote(sys.executable)} -P -m tui_followup --log {shlex.quote(self.log_path)} app"

    def address(self, port: int | None = None) -> str:
        """The address to open, with the token."""
        if self.public_url:
            base = self.public_url.rstrip("/")
        else:
            host = f"[{self.host}]" if ":" in self.host else self.host
            base = f"http://{host}:{port if port is not None else self.port}"
        return f"{base}/?token={self.token}"


def origin_of(url: str) -> str:
    """A URL's origin as a browser sends it in ``Origin``: scheme, host, and the port unless it is
    the scheme's default."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS.get(scheme) else "")


class Door:
    """Who may come in: the token, and the cookie it leaves (its expiry, signed with the token)."""

    def __init__(self, token: str) -> None:
        self._token = token.encode("utf-8")

    def _mac(self, expires: int) -> str:
        return hmac.new(self._token, f"followup serve session {expires}".encode(), hashlib.sha256).hexdigest()

    def token_ok(self, offered: str | None) -> bool:
        return offered is not None and hmac.compare_digest(offered.encode("utf-8"), self._token)

    def cookie_value(self, now: float) -> str:
        expires = int(now) + SESSION_SECONDS
        return f"{expires}.{self._mac(expires)}"

    def cookie_ok(self, offered: str | None, now: float) -> bool:
        expires, _, mac = (offered or "").partition(".")
        if not expires.isdigit() or len(expires) > 12:
            return False
        return hmac.compare_digest(mac.encode("ascii", "replace"), self._mac(int(expires)).encode()) \
            and now < int(expires)


class TabProcess(AppService):
    """textual-serve's app process for one tab, with who records in its environment.

    (``_build_environment`` and ``_process`` are textual-serve 1.x's; the browser test records an
    event through a tab and reads its actor back, so a change there fails loudly.)"""

    def __init__(self, command: str, *, actor: str, **kw) -> None:
        super().__init__(command, **kw)
        self.actor = actor

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        if self.actor:
            env["FOLLOWUP_ACTOR"] = self.actor
        return env

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._process


@dataclass(eq=False)
class Tab:
    service: TabProcess
    actor: str
    last_input: float


def _page(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


@functools.cache
def terminal_script() -> str:
    """textual-serve's script, its terminal made with the page's fonts (the element's
    ``data-font-family``) in place of its own four. (Should a later textual-serve write it
    otherwise, the script is served as it is: the fonts test fails, the page still works.)"""
    script = (TEXTUAL_SERVE_STATIC / "js" / "textual.js").read_text(encoding="utf-8")
    return script.replace(TERMINAL_FONT, "fontFamily:e.dataset.fontFamily||" + TERMINAL_FONT.removeprefix("fontFamily:"), 1)


def _to_int(text: str | None, default: int) -> int:
    try:
        return max(1, min(int(text or ""), 1000))
    except ValueError:
        return default


def _proxy_user(request: web.Request) -> str | None:
    name = request.headers.get("X-Forwarded-User", "").strip()
    if not name or len(name) > 200 or not name.isprintable():
        return None
    return name


class FollowupServer:
    """The door and the tabs; its pages in ``words`` (the language of whoever started it)."""

    def __init__(self, options: ServeOptions, words: Words, clock: Callable[[], float] = time.time) -> None:
        self.options = options
        self.words = words
        self.clock = clock  # seconds since the epoch: the cookies' expiry
        self.door = Door(options.token)
        self.tabs: set[Tab] = set()
        self.downloads = DownloadManager()

    # -- the aiohttp application ---------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/page.css", self.handle_css),
            web.get("/static/js/textual.js", self.handle_script),  # before the rest of /static
            web.static("/static", TEXTUAL_SERVE_STATIC),
        ])
        app.on_response_prepare.append(self._headers)
        app.on_shutdown.append(self._close_tabs)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        if not self._origin_ok(request):
            return self._forbidden()
        offered = request.query.get("token")
        if offered is not None:
            if not self.door.token_ok(offered):
                return self._unauthorized()
            if request.path == "/":
                return self._enter()
            return await handler(request)
        if self.door.cookie_ok(request.cookies.get(COOKIE), self.clock()):
            return await handler(request)
        return self._unauthorized()

    def public_origin(self, request: web.Request) -> str:
        """The origin of the address the server printed: ``--public-url``'s, else the host it was
        told to bind and the port it listens on (the request's own socket: never its Host header)."""
        if self.options.public_url:
            return origin_of(self.options.public_url)
        port = self.options.port
        sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
        if isinstance(sockname, tuple) and len(sockname) >= 2:
            port = sockname[1]
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return origin_of(f"http://{host}:{port}")

    def _origin_ok(self, request: web.Request) -> bool:
        """A foreign ``Origin`` never; none only on a plain read (an address opened in the browser
        sends none), never on a websocket (browsers always send one) or a request that changes state."""
        origin = request.headers.get("Origin")
        if origin is None:
            websocket = request.path == "/ws" or request.headers.get("Upgrade", "").lower() == "websocket"
            return request.method in SAFE_METHODS and not websocket
        return hmac.compare_digest(origin.strip().lower().encode("utf-8", "replace"),
                                   self.public_origin(request).encode())

    def _forbidden(self) -> web.Response:
        body = _page("message.html").format(lang=self.words.lang, title=html.escape(self.words.t("serve.title")),
                                           message=html.escape(self.words.t("serve.foreign_origin")), more="")
        return web.Response(status=403, text=body, content_type="text/html")

    def _enter(self) -> web.Response:
        """The tokened address: the cookie, then on to ``/``. A page that moves on, not a 3xx:
        after a redirect the browser keeps a SameSite=Strict cookie back when the address was
        followed from another site (a link in webmail), and the first page would be a 401."""
        body = _page("enter.html").format(lang=self.words.lang, title=html.escape(self.words.t("serve.title")),
                                         go_on=html.escape(self.words.t("serve.go_on")))
        response = web.Response(text=body, content_type="text/html")
        secure = bool(self.options.public_url and self.options.public_url.startswith("https://"))
        response.set_cookie(COOKIE, self.door.cookie_value(self.clock()), httponly=True, samesite="Strict",
                            path="/", secure=secure, max_age=SESSION_SECONDS)
        return response

    def _unauthorized(self) -> web.Response:
        body = _page("message.html").format(lang=self.words.lang, title=html.escape(self.words.t("serve.title")),
                                           message=html.escape(self.words.t("serve.unauthorized")), more="")
        return web.Response(status=401, text=body, content_type="text/html")

    def _busy(self) -> web.Response:
        body = _page("message.html").format(
            lang=self.words.lang, title=html.escape(self.words.t("serve.title")),
            message=html.escape(self.words.t("serve.busy", n=self.options.max_sessions)),
            more=f'<p><a href="/">{html.escape(self.words.t("serve.try_again"))}</a></p>')
        return web.Response(status=503, text=body, content_type="text/html")

    def _websocket_url(self, request: web.Request) -> str:
        """The page's websocket: at the public origin (never at the request's Host header)."""
        if self.options.public_url:
            parts = urlsplit(self.options.public_url.rstrip("/"))
            scheme = "wss" if parts.scheme == "https" else "ws"
            return f"{scheme}://{parts.netloc}{parts.path}/ws"
        return "ws" + self.public_origin(request).removeprefix("http") + "/ws"

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        ws = self._websocket_url(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self'; connect-src 'self' {ws}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Cache-Control", "no-store")

    async def handle_css(self, request: web.Request) -> web.Response:
        return web.Response(text=_page("page.css").replace("FONT_FAMILY", FONT_FAMILY), content_type="text/css")

    async def handle_script(self, request: web.Request) -> web.Response:
        return web.Response(text=terminal_script(), content_type="application/javascript")

    async def handle_index(self, request: web.Request) -> web.Response:
        if len(self.tabs) >= self.options.max_sessions:
            return self._busy()
        body = _page("page.html").format(
            lang=self.words.lang, title=html.escape(self.words.t("serve.title")),
            starting=html.escape(self.words.t("serve.starting")), ended=html.escape(self.words.t("serve.ended")),
            restart=html.escape(self.words.t("serve.restart")), websocket=html.escape(self._websocket_url(request)),
            font_size=_to_int(request.query.get("fontsize"), 16), font_family=html.escape(FONT_FAMILY))
        return web.Response(text=body, content_type="text/html")

    # -- one tab -------------------------------------------------------------------------

    def actor_for(self, request: web.Request) -> str | None:
        """Who records through this request: the proxy's header when trusted (None without one),
        else the server's user."""
        if self.options.trust_proxy_user:
            return _proxy_user(request)
        return self.options.user

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        actor = self.actor_for(request)
        if actor is None:
            return self._unauthorized()
        if len(self.tabs) >= self.options.max_sessions:
            return self._busy()
        loop = asyncio.get_running_loop()
        websocket = web.WebSocketResponse(heartbeat=15)
        service = TabProcess(self.options.command(), actor=actor, write_bytes=websocket.send_bytes,
                             write_str=websocket.send_str, close=websocket.close,
                             download_manager=self.downloads)
        tab = Tab(service, actor, loop.time())
        self.tabs.add(tab)  # counted before the first await: two tabs at once cannot both take the last place
        watch = None
        try:
            await websocket.prepare(request)
            await service.start(_to_int(request.query.get("width"), 80), _to_int(request.query.get("height"), 24))
            tab.last_input = loop.time()  # idle from when the app is there to be used, not from the knock
            watch = asyncio.create_task(self._close_when_idle(tab, websocket))
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = message.json()
                except ValueError:
                    continue  # not textual.js speaking: ignored, as anything it does not know
                await self._from_browser(tab, envelope, websocket)
        except asyncio.CancelledError:
            pass
        finally:
            if watch is not None:
                watch.cancel()
            # aiohttp cancels this handler when the browser goes away: the ending is shielded,
            # so the process ends and the place is given back all the same.
            await asyncio.shield(self._end(tab, websocket))
        return websocket

    async def _end(self, tab: Tab, websocket: web.WebSocketResponse) -> None:
        try:
            await self._stop(tab.service)
        finally:
            self.tabs.discard(tab)
            if not websocket.closed:
                await websocket.close()

    async def _from_browser(self, tab: Tab, envelope, websocket: web.WebSocketResponse) -> None:
        if not isinstance(envelope, list) or not envelope:
            return
        kind = envelope[0]
        service = tab.service
        if kind == "stdin" and len(envelope) > 1:
            tab.last_input = asyncio.get_running_loop().time()
            await service.send_bytes(str(envelope[1]).encode("utf-8"))
        elif kind == "resize" and len(envelope) > 1 and isinstance(envelope[1], dict):
            tab.last_input = asyncio.get_running_loop().time()
            await service.set_terminal_size(_to_int(str(envelope[1].get("width")), 80),
                                            _to_int(str(envelope[1].get("height")), 24))
        elif kind == "ping" and len(envelope) > 1:
            await websocket.send_json(["pong", envelope[1]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()

    async def _close_when_idle(self, tab: Tab, websocket: web.WebSocketResponse) -> None:
        loop = asyncio.get_running_loop()
        idle = self.options.idle_seconds
        while True:
            left = tab.last_input + idle - loop.time()
            if left <= 0:
                await websocket.close(message=b"idle")
                return
            await asyncio.sleep(left)

    async def _stop(self, service: TabProcess) -> None:
        """Ask the tab's app to quit; kill it if it has not ended in STOP_SECONDS."""
        try:
            await asyncio.wait_for(service.stop(), STOP_SECONDS)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - whatever happened, the process ends below
            pass
        process = service.process
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()

    async def _close_tabs(self, app: web.Application) -> None:
        await asyncio.gather(*(self._stop(tab.service) for tab in list(self.tabs)), return_exceptions=True)


async def _serve_until_stopped(options: ServeOptions, words: Words) -> None:
    server = FollowupServer(options, words)
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    port = options.port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            port = address[1]
            break
    print(options.address(port), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(number, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def serve(options: ServeOptions, words: Words) -> None:
    """Serve until Ctrl+C or SIGTERM; print the address to open first. OSError when the
    address cannot be bound."""
    asyncio.run(_serve_until_stopped(options, words))
