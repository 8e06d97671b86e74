"""The shape of the code: every part imports what ARCHITECTURE.md's table allows (the core no
storage, no UI), and events/schema.json is current."""

from __future__ import annotations

import ast
import inspect
import json
import pkgutil
import re
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


# The "may import" table of ARCHITECTURE.md, held: each part's project packages and the
# third-party ones (the standard library is open to all; the core's I/O is checked above).
MAY_IMPORT: dict[str, set[str]] = {
    "core": {"msgspec"},
    "storage": {"core", "wallclock", "collector", "msgspec", "psycopg"},
    "exchange": {"core", "storage", "i18n", "icalendar"},
    "cli": {"core", "storage", "exchange", "serve", "i18n", "settings", "paths", "wallclock", "msgspec", "ui"},
    "serve": {"i18n", "textual_serve", "aiohttp"},
    "ui": {"core", "storage", "i18n", "settings", "paths", "wallclock", "collector", "textual", "rich"},
    "i18n": {"core", "paths", "msgspec"},
    "settings": {"core", "i18n", "paths", "storage", "msgspec"},
    "paths": {"platformdirs"},
    "wallclock": set(),
    "collector": set(),
    "__main__": {"cli"},
    "__init__": set(),
}
LAZY_ONLY = {("cli", "ui")}  # `followup app` imports the app inside the command, never at the top


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(the package or third-party module imported, at the module's top level) of each import."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts[:-1]) if parts[-1] != "__init__" else list(parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else [alias.name]))
                         for alias in (node.names if not node.module else node.names[:1])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            bits = name.split(".")
            target = (bits[1] if len(bits) > 1 else "__init__") if bits[0] == "tui_followup" else bits[0]
            found.append((target, id(node) in top))
    return found


def test_every_module_imports_only_what_the_architecture_table_allows():
    offenders = []
    for path in sorted((ROOT / "tui_followup").rglob("*.py")):
        rel = path.relative_to(ROOT / "tui_followup").with_suffix("").parts
        part = rel[0]
        allowed = MAY_IMPORT[part]
        for target, at_top in _imports(path):
            if target == part or target == "__init__" or target in sys.stdlib_module_names:
                continue
            if target not in allowed or ((part, target) in LAZY_ONLY and at_top):
                offenders.append(f"{path.relative_to(ROOT)} imports {target}")
    assert offenders == []


def test_the_architecture_table_says_what_the_test_holds():
    """Each row's "may import" column names (in backticks, outside parentheses) exactly what the
    test allows."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].strip("`").rstrip("/").removesuffix(".py") in MAY_IMPORT:
            rows[cells[0].strip("`").rstrip("/").removesuffix(".py")] = set(re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", cells[2])))
    assert rows == {part: names for part, names in MAY_IMPORT.items() if part not in ("__main__", "__init__")}


def test_the_core_reads_the_log_only_through_its_declared_port():
    """The core imports no storage (the table), and its one way to older events is the
    ``EventSource`` Protocol it declares, passed in as ``Caseload(source=...)`` (to a stored
    client's lists, the ``ListsSource`` passed to ``ClientFacts.from_stored``)."""
    from typing import Protocol

    from tui_followup.core.caseload import Caseload, ClientFacts, EventSource, ListsSource

    assert Protocol in EventSource.__mro__ and {"events_of", "find", "find_by_ref"} <= set(dir(EventSource))
    assert "source" in inspect.signature(Caseload).parameters
    # A stored client's undecoded lists come in the same way: the ``ListsSource`` port, passed
    # to ``ClientFacts.from_stored``.
    assert Protocol in ListsSource.__mro__ and "read" in dir(ListsSource)
    assert list(inspect.signature(ClientFacts.from_stored).parameters) == ["stored", "lists", "summary"]
    core_imports = {t for p in (ROOT / "tui_followup" / "core").glob("*.py") for t, _ in _imports(p)}
    assert not core_imports & {"storage", "settings", "i18n", "ui", "cli", "exchange", "serve", "paths", "wallclock"}


def test_no_module_reaches_into_client_facts_private_state():
    """Only ``core/caseload.py`` knows how ``ClientFacts`` keeps what it has not decoded yet: a
    snapshot (or anything else) builds one through its public constructor and reads back through
    its public methods. Any other module naming one of ClientFacts's own underscore names (as an
    attribute or as a ``__dict__`` key), or calling ``ClientFacts.__new__``, fails here."""
    home = ROOT / "tui_followup" / "core" / "caseload.py"
    cls = next(n for n in ast.walk(ast.parse(home.read_text(encoding="utf-8")))
               if isinstance(n, ast.ClassDef) and n.name == "ClientFacts")
    private = set()
    for node in ast.walk(cls):
        name = node.attr if isinstance(node, ast.Attribute) else node.value if isinstance(node, ast.Constant) else None
        if isinstance(name, str) and re.fullmatch(r"_[A-Za-z]\w*", name):
            private.add(name)
    private |= {n.name for n in cls.body if isinstance(n, ast.FunctionDef) and re.fullmatch(r"_[A-Za-z]\w*", n.name)}
    assert private  # the scan sees ClientFacts's own underscore names
    offenders = []
    here = Path(__file__).resolve()
    for path in sorted([*(ROOT / "tui_followup").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        if path.resolve() in (home.resolve(), here):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.Constant) and node.value in private:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
            elif (isinstance(node, ast.Attribute) and node.attr == "__new__"
                  and isinstance(node.value, ast.Name) and node.value.id == "ClientFacts"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} ClientFacts.__new__")
    assert offenders == []
