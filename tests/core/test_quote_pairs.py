"""Quotation marks typed inside a placeholder turn to the frame's inner pair only where they form a
pair (issue 23, attack F4): an unpaired straight quote `"quote` read ‘quote in English (an opening
with no closing), and German quotes typed in an English frame read „x‘. A mark without its partner
now stays exactly as the practitioner typed it; each pair turns as a pair."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_followup import i18n
from tui_followup.core import templates

from .test_one_file_quotes import german_catalogue

SESSION = date(2026, 11, 24)


class Book(templates.Templates, frozen=True):
    def __repr__(self) -> str:  # hypothesis names the book in a failing example: its languages are enough
        return f"Book({', '.join(self.languages)})"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> templates.Templates:
    """The built-in catalogues and the German-like one of test_one_file_quotes („…“ outside, ‚…‘ inside)."""
    folder = tmp_path_factory.mktemp("de")
    german_catalogue(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(i18n.EXTRA_DIR, str(folder))
        catalogues = i18n.load_catalogues()
    assert {"ja", "en", "ko", "de"} <= set(catalogues)
    read = i18n.read_templates({lang: data["templates"] for lang, data in catalogues.items()})
    return Book(languages=read.languages, fallback=read.fallback)


def framed(book: templates.Templates, lang: str, frame: str, step: str) -> str:
    """What a client reads of ``step`` typed as the next step, between the marks ``frame``: the
    24h message, rewritten (as templates.toml may) to be that frame and its placeholder alone."""
    text = f"{frame[0]}{{next_step}}{frame[1]}"
    body = templates.compose(book, "24h", lang, "X", session_date=SESSION, next_step=step, sent_on=SESSION,
                             overrides={lang: {"24h": text}}).body
    assert body.startswith(frame[0]) and body.endswith(frame[1]), body
    return body[1:-1]


def step_in_24h(book: templates.Templates, lang: str, step: str) -> str:
    return templates.compose(book, "24h", lang, "X", session_date=SESSION, next_step=step, sent_on=SESSION).body


@pytest.mark.parametrize("lang, step, reads, never", [
    ("en", '"quote', "“\"quote”", "‘quote"),            # one straight quote: nothing to pair it with
    ("en", "„x“", "“„x“”", "„x‘"),                      # German quotes in an English frame: not its marks
    ("en", 'Say "yes" or "no', "“Say ‘yes’ or \"no”", "‘no"),  # the third quote has no partner
    ("en", "“x", "“\u201cx”", "‘x"),
    ("ja", "「志望動機を書く", "「「志望動機を書く」", "『"),   # an opening bracket never closed
    ("ja", "志望動機」を書く", "「志望動機」を書く」", "』"),   # a closing bracket never opened
    ("ja", "」逆「", "「」逆「」", "『"),                      # a closing before its opening is no pair
    ("ko", "Acme’s 채용 공고 확인", "‘Acme’s 채용 공고 확인’", "”"),  # an apostrophe is no closing quote
])
def test_a_mark_without_its_partner_stays_as_typed(book, lang, step, reads, never):
    body = step_in_24h(book, lang, step)
    assert reads in body, body
    assert never not in body, body


def test_nested_pairs_alternate_as_a_typesetter_nests_them(book):
    """「「x」」を書く read 「『『x』』を書く」: each level inside the last takes the other pair."""
    assert "「『「x」』を書く」" in step_in_24h(book, "ja", "「「x」」を書く")
    assert "“‘“x”’ and ‘y’”" in step_in_24h(book, "en", "“x” and “y”".replace("“x”", "““x””"))


def test_the_german_like_catalogue_converts_a_pair_as_a_pair(book):
    assert "„‚x‘“" in step_in_24h(book, "de", "„x“")
    assert "„“x”“" in step_in_24h(book, "de", "“x”")  # English quotes in a German frame: “ closes nothing opened
    assert "„‚a‘ ‚b‘ \"c“" in step_in_24h(book, "de", '"a" "b" "c')


FRAMES = [(lang, q) for lang in ("ja", "en", "ko") for q in i18n.TEMPLATES.of(lang).quotes] + [
    ("de", templates.Quotes(frame="„“", inner="‚‘", straight=True))]


def openings_before_closings(marks: list[str], opening: str, closing: str) -> bool:
    depth = 0
    for mark in marks:
        depth += 1 if mark == opening else -1 if mark == closing else 0
        if depth < 0:
            return False
    return depth == 0


def has_a_pair(step: str, quotes: templates.Quotes) -> bool:
    opening, closing = quotes.frame
    first = step.find(opening)
    return (first >= 0 and closing in step[first + 1:]) or (quotes.straight and step.count('"') >= 2)


@pytest.mark.parametrize("lang, quotes", FRAMES, ids=[f"{lang}{q.frame}" for lang, q in FRAMES])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_only_paired_marks_turn_and_each_pair_reads_in_order(book, lang, quotes, data):
    marks = "".join({*quotes.frame, *quotes.inner, '"', "'", "「", "」", "“", "”", "‘", "’", "„", "‚"})
    step = data.draw(st.text(alphabet=st.sampled_from([*marks, "a", "b", "요", "は", " "]), min_size=1, max_size=14)
                     .filter(lambda s: s.strip() == s and s))
    out = framed(book, lang, quotes.frame, step)
    assert len(out) == len(step), (step, out)
    changed = [(typed, read) for typed, read in zip(step, out) if typed != read]
    # no text other than the frame's marks (and straight double quotes, where the frame takes them) changes
    assert all(typed in quotes.frame or (quotes.straight and typed == '"') for typed, _ in changed), (step, out)
    # what they turn into is the inner pair, as many openings as closings, each opening before its closing
    read = [r for _, r in changed]
    assert all(r in quotes.inner for r in read), (step, out)
    assert read.count(quotes.inner[0]) == read.count(quotes.inner[1]), (step, out)
    assert openings_before_closings(read, *quotes.inner), (step, out)
    # an opening turns only with its closing: every frame mark turned is matched by one of the other kind
    typed = [t for t, _ in changed if t != '"']
    assert typed.count(quotes.frame[0]) == typed.count(quotes.frame[1]), (step, out)
    if not has_a_pair(step, quotes):
        assert out == step, (step, out)
