"""The shape of the code: the core is free of the UI, and events/schema.json is current."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui_followup.core as core
from tui_followup.core.schema import schema_json

ROOT = Path(__file__).resolve().parents[2]


def test_core_modules_import_without_textual_or_rich():
    modules = [f"tui_followup.core.{m.name}" for m in pkgutil.iter_modules(core.__path__)]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert len(modules) >= 10


def test_core_modules_do_no_io_and_read_no_clock():
    """The functional core: no files, no environment, no wall clock, no randomness of its own
    (the store, the journal and the wall clock are the shell's, outside tui_followup/core)."""
    import re

    forbidden = re.compile(r"^\s*(import|from) (os|time|secrets|fcntl|getpass|shutil|pathlib|subprocess)\b"
                           r"|\bopen\(|datetime\.now\(|date\.today\(")
    offenders = []
    for path in sorted((ROOT / "tui_followup" / "core").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_events_schema_json_is_generated_from_the_structs():
    stored = (ROOT / "events" / "schema.json").read_text(encoding="utf-8")
    assert stored == schema_json(), "events/schema.json is stale: run `followup schema --out events/schema.json`"
    tags = {d["properties"]["type"]["enum"][0] for d in json.loads(stored)["$defs"].values()
            if "type" in d.get("properties", {})}
    assert {"client_registered", "session_held", "event_retracted"} <= tags


def test_schema_descriptions_do_not_depend_on_how_msgspec_writes_docstrings():
    """msgspec 0.23 keeps a docstring's indentation, 0.22 cleaned it: the schema cleans it
    itself, so `followup schema` gives the same bytes with either."""
    import inspect

    descriptions = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    descriptions.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(schema_json()))
    assert any("\n" in d for d in descriptions)  # a multi-line docstring is among them
    assert [d for d in descriptions if d != inspect.cleandoc(d)] == []


def test_the_sample_log_is_clean():
    out = subprocess.run([sys.executable, "-m", "tui_followup", "--log", str(ROOT / "events" / "sample.jsonl"), "check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
