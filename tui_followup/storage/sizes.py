"""Where the ways of opening a log change with its size -- parameters, not hidden constants.

Every way gives the same facts (the property tests hold them to it, and the report, export
and check tests take each way on a small log by lowering these): in order with the events
kept; from the snapshot; folded into facts only, on two cores.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Sizes:
    snapshot_min_events: int = 20_000  # below this a replay is faster than reading a snapshot
    snapshot_stale_events: int = 20_000  # write a new one when this many events came since
    # A bigger log without a snapshot is folded into facts only (its events read back per
    # client when a screen needs them); a smaller one is read with its events kept in memory.
    facts_only_min_bytes: int = 8 * MiB  # about 30,000 events
    parallel_min_bytes: int = 8 * MiB  # a log this big is folded on two cores
    # A server store with this many rows (that the session may read) is folded into facts only,
    # page by page, its events not kept (as a big file is, on one core: the server does the reading).
    server_facts_only_min_rows: int = 30_000
    server_parallel_min_rows: int = 30_000  # and on two cores (a worker reads the second half)


DEFAULT_SIZES = Sizes()
