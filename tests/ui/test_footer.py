"""The footer lets go of the keys it no longer shows (ui/widgets/footer.py): Textual's kept each
key bound to the footer's ``compact`` for as long as the screen lived, and every switch of
screen drew the keys afresh -- a morning's switches held ever more of them (2 MB an hour)."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey


def _dead_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def test_switching_screens_all_morning_keeps_no_footer_keys_no_longer_shown(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            for key in "23451":
                await pilot.press(key)
                await pilot.pause()
        first = _dead_keys()
        for _ in range(10):
            for key in "23451":
                await pilot.press(key)
                await pilot.pause()
        assert _dead_keys() <= first  # (not a dozen more each switch)
