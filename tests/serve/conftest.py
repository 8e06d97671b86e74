"""What the serve tests share: a seeded log and the environment of every tab's process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import seed_caseload


@pytest.fixture
def log(tmp_path, monkeypatch) -> Path:
    """A seeded log, and the environment every tab's process inherits (English, a fixed clock)."""
    path = tmp_path / "events.jsonl"
    seed_caseload(path)
    monkeypatch.setenv("FOLLOWUP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-25T08:30+09:00")
    monkeypatch.delenv("FOLLOWUP_ACTOR", raising=False)
    return path
