"""Issue 21 attacked again, on the stores: a head deleted with the last events."""

from __future__ import annotations

import pytest

from tui_followup.storage.logfile import LogStore, StoreError
from tui_followup.storage.pgstore import HEAD, TABLE, PgStore

from ..core.helpers import register, session


def test_a_server_store_whose_head_row_was_deleted_with_the_last_row_refuses_appends_until_init(pg_url):
    from tui_followup.storage.maintenance import check

    store = PgStore(pg_url)
    store.append([register(), session("2026-11-01 10:00"), session("2026-11-02 10:00")])
    store.conn.execute(f"DELETE FROM {TABLE} WHERE global_position = 3")
    store.conn.execute(f"DELETE FROM {HEAD}")
    assert "no_head" in [p.key for p in check(pg_url).problems]
    writer = PgStore(pg_url)
    with pytest.raises(StoreError) as refused:
        writer.append([session("2026-11-03 10:00")])
    assert refused.value.key == "no_head_server" and "followup store init" in str(refused.value)
    assert len(list(PgStore(pg_url).raw_lines())) == 2
    assert PgStore(pg_url).restore_head() == 2
    assert PgStore(pg_url).restore_head() is None  # said once: the head is there now
    assert check(pg_url).problems == []
    PgStore(pg_url).append([session("2026-11-03 10:00")])
    assert check(pg_url).problems == []


def test_an_empty_server_store_takes_its_first_append(pg_url):
    PgStore(pg_url).append([register()])
    assert PgStore(pg_url).read_head().lines == 1


def test_a_file_log_whose_head_was_deleted_refuses_appends(tmp_path):
    path = tmp_path / "events.jsonl"
    LogStore(path).append([register(), session("2026-11-01 10:00")])
    (tmp_path / "events.jsonl.head").unlink()
    with pytest.raises(StoreError) as refused:
        LogStore(path).append([session("2026-11-02 10:00")])
    assert refused.value.key == "no_head" and "followup repair" in str(refused.value)
