"""Issue 24: on a machine without a Japanese font the page's Japanese was invisible. The page's
font stack -- its styles and the terminal's own (xterm.js draws on a canvas with the font it is
given) -- names the common CJK monospace fonts of Windows, macOS and Linux before ``monospace``."""

from __future__ import annotations

import html
import re

from tests.serve.test_server import TOKEN, client_for, enter

CJK = {
    "Windows": ["MS Gothic", "Yu Gothic", "Malgun Gothic"],
    "macOS": ["Osaka-Mono", "Hiragino Sans", "Apple SD Gothic Neo"],
    "Linux": ["Noto Sans Mono CJK JP", "Noto Sans Mono CJK KR", "Noto Sans CJK JP", "NanumGothicCoding"],
}


def families(stack: str) -> list[str]:
    return [name.strip().strip("'\"") for name in stack.split(",")]


def assert_names_cjk_fonts(stack: str) -> None:
    names = families(stack)
    assert names[-1] == "monospace", names
    for system, fonts in CJK.items():
        for font in fonts:
            assert font in names[:-1], (system, font, names)
    assert names[0] == "Roboto Mono"  # the Latin letters as before (the font the page serves)


async def test_the_terminal_and_the_page_name_the_cjk_fonts_before_monospace(log):
    server, client = client_for(log)
    async with client:
        await enter(client)
        page = await (await client.get("/")).text()
        stack = html.unescape(re.search(r'data-font-family="([^"]*)"', page).group(1))
        assert_names_cjk_fonts(stack)
        css = await (await client.get("/page.css")).text()
        assert_names_cjk_fonts(re.search(r"body \{ font-family: ([^;]*);", css).group(1))
        script = await client.get("/static/js/textual.js")
        assert script.status == 200 and script.headers["Content-Type"].startswith("application/javascript")
        # the terminal is made with the page's stack (textual-serve's own names Roboto Mono, Monaco,
        # Courier New and monospace only)
        assert "fontFamily:e.dataset.fontFamily||" in await script.text()
