"""``followup serve``: the app in a browser, for colleagues who never open a terminal.

`textual-serve` (Textualize's library) runs one app process per browser tab and carries its
screen over a websocket; this package puts a door in front of it (``server.py``): a token, a
cookie, a page of our own that loads nothing from outside, a limit on tabs and on idleness, and
who records what is entered (the ``FOLLOWUP_ACTOR`` of each tab's process).
"""

from .server import Door, FollowupServer, ServeOptions, bind_problem, serve

__all__ = ["Door", "FollowupServer", "ServeOptions", "bind_problem", "serve"]
