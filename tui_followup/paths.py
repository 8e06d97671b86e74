"""Where things live on disk, by platform convention (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP = "tui-followup"


def default_log_path() -> Path:
    """``FOLLOWUP_LOG`` if set, else events.jsonl in the user data directory."""
    env = os.environ.get("FOLLOWUP_LOG")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP)) / "events.jsonl"


def demo_log_path() -> Path:
    return Path(user_data_dir(APP)) / "demo" / "events.jsonl"


def config_dir() -> Path:
    return Path(user_config_dir(APP))


def cache_dir() -> Path:
    """Where what can be made again is kept (the catalogues read once: i18n/parsed.py)."""
    return Path(user_cache_dir(APP))
