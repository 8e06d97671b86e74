"""A fourth language is one file, its quotation rules too (issue 23 item 4): which quotation
marks frame what the practitioner typed, the marks a quotation inside them turns into, and which
full stop a quoted text drops are in the catalogue's ``[templates]`` table. A German-like
catalogue („…“ outside, ‚…‘ inside) added through ``FOLLOWUP_I18N_DIR`` nests its own quotes and
never doubles a full stop, with no code naming German."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from tui_followup import i18n
from tui_followup.core import templates

SESSION = date(2026, 11, 24)
GERMAN_RULES = '''quotes = [{ frame = "„“", inner = "‚‘", straight = true }]
full_stops = ["."]
'''


def german_catalogue(folder: Path) -> Path:
    """en.toml as ``de``, every “…” frame of its templates written „…“, and its own quoting rules."""
    text = (Path(i18n.__file__).parent / "en.toml").read_text(encoding="utf-8")
    head, tables = text.split("\n[templates]\n", 1)
    own, rest = tables.split("\n[templates.days]\n", 1)
    own = "".join(line + "\n" for line in own.splitlines()
                  if not line.startswith(("quotes", "full_stops", "  {", "]")))
    rest = re.sub(r"“(\{[a-z_]+\})”", r"„\1“", rest)
    head = head.replace('language = "en"', 'language = "de"').replace('name = "English"', 'name = "Deutschish"')
    path = folder / "de.toml"
    path.write_text(f"{head}\n[templates]\n{GERMAN_RULES}{own}\n[templates.days]\n{rest}", encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path, monkeypatch) -> templates.Templates:
    german_catalogue(tmp_path)
    monkeypatch.setenv(i18n.EXTRA_DIR, str(tmp_path))
    catalogues = i18n.load_catalogues()
    assert "de" in catalogues
    return i18n.read_templates({lang: data["templates"] for lang, data in catalogues.items()})


@pytest.mark.parametrize("step, quoted", [
    ("Lebenslauf „fertig“ schreiben.", "„Lebenslauf ‚fertig‘ schreiben“"),
    ('"Warum diese Stelle" üben.', "„‚Warum diese Stelle‘ üben“"),
    ("Bewerbung an Acme.", "„Bewerbung an Acme“"),
    ("Drei Firmen anrufen...", "„Drei Firmen anrufen...“"),
])
def test_a_german_catalogue_nests_its_own_quotes_and_drops_one_full_stop(book, step, quoted):
    for label in ("24h", "72h", "1w"):
        body = templates.compose(book, label, "de", "Anna Berg", session_date=SESSION, next_step=step,
                                 sent_on=SESSION).body
        assert quoted in body, (label, body)
        assert "“" not in body.replace(quoted, ""), (label, body)  # no English quotes left outside it
        assert ".“." not in body and "..“." not in body and ".“:" not in body.replace("...“:", ""), body


def test_the_languages_here_keep_their_own_quotes(book):
    """The same rules, from ja.toml, en.toml and ko.toml: 「『…』」, “‘…’”, ‘“…”’, one full stop dropped."""
    def next_step_of(lang: str, step: str) -> str:
        return templates.compose(book, "24h", lang, "X", session_date=SESSION, next_step=step, sent_on=SESSION).body

    assert "「『志望動機』を書く」" in next_step_of("ja", "「志望動機」を書く。")
    assert "“Apply to ‘Acme’”" in next_step_of("en", 'Apply to "Acme".')
    assert "‘“자기소개서” 다듬기’" in next_step_of("ko", "“자기소개서” 다듬기.")


def test_the_core_names_no_language_and_no_quotation_mark():
    """The strings templates.py works with (its docstrings aside) hold no quotation mark and no
    language code: those are the catalogues'."""
    tree = ast.parse(Path(templates.__file__).read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    strings = [node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    assert not [s for s in strings if re.search(r"[「」『』“”‘’„‚]", s)]
    assert not {"ja", "ko"} & set(strings)


def test_a_promise_on_a_screen_nests_its_quotation_marks_as_a_message_does():
    """`history` wrote a kept promise 「「A社」の求人票を送る」 where the message to the client
    read 「『A社』の…」: the screen's words nest them the same way."""
    from datetime import date

    from tui_followup.i18n import words_for

    class Promise:
        what, due = "「A社」の求人票を送る", date(2026, 11, 24)

    assert words_for("ja").promise_text(Promise).startswith("「『A社』の求人票を送る」")
    Promise.what = 'send "Acme" ad'
    assert words_for("en").promise_text(Promise).startswith("“send ‘Acme’ ad”")
