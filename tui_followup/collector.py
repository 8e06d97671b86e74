"""The cycle collector kept out of bounded work that makes no cycles of its own.

Python's cycle collector walks every object it tracks and has not been told to leave alone
(``gc.freeze``) whenever it runs in full, and it runs in full when enough objects have survived
its younger passes, whatever the program is doing: in the middle of the fold of a million
events, or of a past day's two thousand clients on a key press. After the app's screens have
been visited once at a million events it tracks some 430,000 such objects (the tables' rows and
lines): a full collection then takes 150-250 ms, on whichever key it falls. Reference counting
frees whatever such work makes and does not keep; what it keeps is walked by the next
collection, after the frame.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[None]:
    """The cycle collector off for the work inside (and back on after it, when it was on)."""
    resume = pause_collector()
    try:
        yield
    finally:
        resume()


def pause_collector() -> Callable[[], None]:
    """The cycle collector off until the function returned is called (it turns it back on when
    it was on before, once: a pause inside another ends with the outer one)."""
    if not gc.isenabled():
        return lambda: None
    gc.disable()
    done = False

    def resume() -> None:
        nonlocal done
        if not done:
            done = True
            gc.enable()

    return resume
