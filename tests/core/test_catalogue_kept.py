"""A catalogue's table is kept once read (tui_followup/i18n/parsed.py): the words are always the
file's as it is now, whatever is in the cache folder or wherever it cannot be written."""

from __future__ import annotations

import os
import threading
import tomllib
from pathlib import Path

import msgspec
import pytest

from tui_followup import i18n
from tui_followup.i18n.check import CatalogueError, read_catalogue

BUILT_IN = Path(i18n.__file__).parent


@pytest.fixture
def kept(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def toml_read(monkeypatch) -> list[str]:
    """Each time a catalogue is read as TOML (what keeping it saves)."""
    calls: list[str] = []
    loads = tomllib.loads

    def counting(text: str):
        calls.append(text[:40])
        return loads(text)

    monkeypatch.setattr(tomllib, "loads", counting)
    return calls


def test_a_catalogue_read_again_is_not_read_as_toml_again_and_says_the_same(kept, toml_read):
    first = read_catalogue(BUILT_IN / "ja.toml")
    again = read_catalogue(BUILT_IN / "ja.toml")
    assert again == first == tomllib.loads((BUILT_IN / "ja.toml").read_text("utf-8"))
    assert len(toml_read) == 2  # (the first read, and the comparison just above)
    assert [p.name.split("-")[0] for p in kept.iterdir()] == ["ja"]


def test_a_catalogue_changed_is_read_as_it_is_now(kept, tmp_path):
    path = tmp_path / "xx.toml"
    path.write_text('language = "xx"\n[messages]\n"app.title" = "first"\n', "utf-8")
    assert read_catalogue(path)["messages"]["app.title"] == "first"
    path.write_text('language = "xx"\n[messages]\n"app.title" = "second"\n', "utf-8")
    assert read_catalogue(path)["messages"]["app.title"] == "second"
    assert len(list(kept.glob("xx-*"))) == 1  # the older version's table is not kept on


@pytest.mark.parametrize("garbage", [b"", b"\xc1not msgpack", b"\x93\x01\x02\x03",  # nothing, not MessagePack, a list
                                     msgspec.msgpack.encode({}),  # a table with no language: every command ended in a KeyError
                                     msgspec.msgpack.encode({"of": "0" * 32, "table": {"language": "ko"}})])  # read from other bytes
def test_a_kept_table_spoiled_is_not_believed(kept, toml_read, garbage):
    read_catalogue(BUILT_IN / "ko.toml")
    (spoiled,) = kept.glob("ko-*")
    spoiled.write_bytes(garbage)
    table = read_catalogue(BUILT_IN / "ko.toml")
    assert table == tomllib.loads((BUILT_IN / "ko.toml").read_text("utf-8"))
    assert read_catalogue(BUILT_IN / "ko.toml") == table  # kept again, whole


def test_a_cache_folder_that_cannot_be_written_costs_time_not_words(tmp_path, monkeypatch, toml_read):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(blocked / "cache"))  # (under a file: no folder can be made)
    assert read_catalogue(BUILT_IN / "en.toml")["language"] == "en"
    assert read_catalogue(BUILT_IN / "en.toml")["language"] == "en"
    assert len(toml_read) == 2


def test_a_catalogue_that_is_not_toml_is_refused_as_before_and_nothing_is_kept(kept, tmp_path):
    path = tmp_path / "xx.toml"
    path.write_text('language = "xx"\n[messages\n', "utf-8")
    with pytest.raises(CatalogueError, match="TOML"):
        read_catalogue(path)
    assert not kept.exists() or not list(kept.glob("xx-*"))


def test_a_table_that_would_not_come_back_the_same_is_not_kept(kept, tmp_path):
    path = tmp_path / "xx.toml"
    path.write_text('language = "xx"\nwhen = 2026-12-05T10:00:00\n', "utf-8")  # a local date-time
    assert str(read_catalogue(path)["when"]) == "2026-12-05 10:00:00"
    assert not kept.exists() or not list(kept.glob("xx-*"))
    assert str(read_catalogue(path)["when"]) == "2026-12-05 10:00:00"


def test_another_languages_table_copied_over_this_ones_name_is_not_believed(kept):
    """The Korean table under the Japanese one's name: every command said English headers."""
    read_catalogue(BUILT_IN / "ja.toml")
    read_catalogue(BUILT_IN / "ko.toml")
    (japanese,) = kept.glob("ja-*")
    (korean,) = kept.glob("ko-*")
    japanese.write_bytes(korean.read_bytes())
    assert read_catalogue(BUILT_IN / "ja.toml")["language"] == "ja"


@pytest.mark.parametrize("kind", ["pipe", "link to a device", "link to the real table"])
def test_a_kept_file_that_is_no_regular_file_is_not_read(kept, kind):
    """A pipe or a link to /dev/zero under a kept table's name hung every start: the read never
    ended. Only a regular file is read (a link is not followed), and the TOML is read instead."""
    read_catalogue(BUILT_IN / "en.toml")
    (table,) = kept.glob("en-*")
    if kind == "pipe":
        table.unlink()
        os.mkfifo(table)
    elif kind == "link to a device":
        table.unlink()
        table.symlink_to("/dev/zero")
    else:
        moved = table.with_name("elsewhere")
        table.rename(moved)
        table.symlink_to(moved)
    said: list[dict] = []
    reader = threading.Thread(target=lambda: said.append(read_catalogue(BUILT_IN / "en.toml")), daemon=True)
    reader.start()
    reader.join(timeout=60)  # (the condition: the read came back; before, it never did)
    assert said and said[0]["language"] == "en"
