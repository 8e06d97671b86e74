"""A child process that appends events in a loop and prints each id once it is acknowledged
(the append returned: written, flushed, fsynced). Killed with SIGKILL by the test."""

import sys
from datetime import datetime, timezone

from tui_followup.core.events import MessageSent
from tui_followup.storage.logfile import LogStore

path, run = sys.argv[1], sys.argv[2]
store = LogStore(path)
moment = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
for i in range(100000):
    event = MessageSent(id=f"{run}-{i:05d}", at=moment, recorded_at=moment, actor="child", client="k",
                        channel="email", summary="x" * (i % 300))
    store.append([event])
    sys.stdout.write(event.id + "\n")
    sys.stdout.flush()
