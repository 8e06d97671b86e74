"""Regenerate screenshots/*.svg: every screen of the app on the demo caseload, at a fixed
date (2026-11-25 08:30, Asia/Tokyo) and size (120x36); the key screens in Japanese (ja-*) and
every screen in Korean (ko-*), each on its practitioner's caseload.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui_followup.core import commands as cmd  # noqa: E402
from tui_followup.storage.journal import Journal  # noqa: E402
from tui_followup.storage.maintenance import forget  # noqa: E402
from tui_followup.ui.factory import demo_app  # noqa: E402

OUT = ROOT / "screenshots"
COLLEAGUE = "<a colleague's message>"  # not a key: suzuki records a message to the open form's client
ERASED = "<erased elsewhere>"  # not a key: the open form's client forgotten from another window, the app looks
SIZE = (120, 36)

# name -> keys pressed after the app opens on Today
SHOTS: dict[str, list[str]] = {
    "today": [],
    "client": ["down", "enter"],
    "message-form": ["m"],
    # a colleague's message to the client recorded while the form is open, then Enter: refused, said
    "message-refused": ["m", *"by phone", COLLEAGUE, "enter"],
    "snooze-form": ["down", "down", "z"],
    "close-confirm": ["c", "enter"],
    # the form's client erased elsewhere: its screens close, a notice says why until Esc
    "client-gone": ["m", *"by phone", ERASED],
    "replay": ["down", "enter", "y", "right", "right", "right"],
    "past-day": ["5", "d", *"2026-11-10", "enter"],
    "clients": ["2"],
    "audit": ["3", "down", "down"],
    "review": ["4"],
    "help": ["question_mark"],
}

# The key screens again, in Japanese, on a Japanese practitioner's caseload.
SHOTS_JA: dict[str, list[str]] = {
    "ja-today": [],
    "ja-client": ["down", "enter"],
    "ja-message-form": ["m"],
    "ja-message-refused": ["m", COLLEAGUE, "enter"],
    "ja-client-gone": ["m", ERASED],
    "ja-audit": ["3", "down"],
    "ja-review": ["4"],
    "ja-clients": ["2"],
}


# Every screen in Korean, on a Korean practitioner's caseload.
SHOTS_KO: dict[str, list[str]] = {f"ko-{name}": keys for name, keys in SHOTS.items()}


async def shoot(name: str, keys: list[str], workdir: Path, language: str = "en", demo_lang: str | None = None) -> Path:
    """``demo_lang``: the caseload of a practitioner of that language (None: the mixed one)."""
    counter = itertools.count(1)
    app = demo_app(workdir / f"{name}.jsonl", ids=lambda: f"shot{next(counter):06d}", language=language,
                   demo_lang=demo_lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            if key == COLLEAGUE:
                colleague = Journal.open(workdir / f"{name}.jsonl", clock=app.journal.clock, tz=app.journal.tz,
                                         actor="suzuki")
                colleague.record(cmd.send_message, app.screen.client_id, template="24h", summary="sent the CV tips")
                continue
            if key == ERASED:
                forget(Journal.open(workdir / f"{name}.jsonl", clock=app.journal.clock, tz=app.journal.tz,
                                    use_snapshot=False), app.screen.client_id)
                app.poll_log()
                await app.workers.wait_for_complete()
                await pilot.pause()
                continue
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.2)
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, keys in SHOTS.items():
            path = await shoot(name, keys, Path(tmp))
            print(path.relative_to(ROOT))
        for language, shots in (("ja", SHOTS_JA), ("ko", SHOTS_KO)):
            for name, keys in shots.items():
                path = await shoot(name, keys, Path(tmp), language=language, demo_lang=language)
                print(path.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
