"""A catalogue added through ``FOLLOWUP_I18N_DIR`` is checked when it is read (issue 23, a
fourth language is one file): a broken one is refused with one line naming the file and the key
(or the TOML line), never read half-way, never left to fail where a format string is first used
(a date format naming ``{year.__class__}`` showed class internals as the date; one naming a field
that is not passed crashed the message form)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui_followup import i18n

ENGLISH = (Path(i18n.__file__).parent / "en.toml").read_text(encoding="utf-8")
BASE = ENGLISH.replace('language = "en"', 'language = "de"', 1).replace('name = "English"', 'name = "Deutschish"', 1)
QUOTES = '{ frame = "“”", inner = "‘’", straight = true }'


def swap(old: str, new: str, count: int = 1):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return change


def regex(pattern: str, new: str):
    def change(text: str) -> str:
        changed = re.sub(pattern, new, text, count=1, flags=re.S)
        assert changed != text, pattern
        return changed
    return change


# (a change to en.toml made German, what the one line must say after "<file>: ")
CASES = {
    # F1: the file as a whole, and what the app needs of it
    "invalid_toml": (lambda t: t + "\nthis is = = not toml\n", "not valid TOML: ", "(at line "),
    "no_language": (swap('language = "de"\n', ""), "language: missing"),
    # a fourth language's dates and export titles (they came out English, without a word)
    "no_dates": (regex(r"\n\[dates\]\n.*?(?=\n\n|\n\[)", "\n"), "[dates]: missing"),
    "no_csv": (regex(r"\n\[csv\]\n.*?(?=\n\n|\n\[)", "\n"), "[csv]: missing"),
    "no_short_date": (swap('\nshort = "{month:02d}-{day:02d}"', ""), "[dates] short: missing"),
    "date_without_day": (swap('\nshort = "{month:02d}-{day:02d}"', '\nshort = "heute"'), "[dates] short: \"heute\": a date format without {day}"),
    "csv_title_twice": (swap('\ncase = "case"', '\ncase = "Name"'), "[csv] case: \"Name\" is the title of name too"),
    "csv_title_empty": (swap('\ncase = "case"', '\ncase = " "'), "[csv] case: missing"),
    "csv_title_left_out": (swap('\ncase = "case"', ""), "[csv] case: missing"),
    "language_int": (swap('language = "de"', "language = 7"), "language: must be a language code"),
    "language_dotdot": (swap('language = "de"', 'language = "../x"'), "language: must be a language code"),
    "language_en": (swap('language = "de"', 'language = "en"'), "language: en is built in"),
    "no_messages": (swap("[messages]\n", "[messagesX]\n"), "[messages]: missing"),
    "message_not_text": (swap('"screen.today" = "Today"', '"screen.today" = 7'), '[messages] "screen.today": must be text'),
    "days_missing": (regex(r"\[templates.days\]\n.*?\n\n", "[templates.days]\n\n"), "[templates.days] today: missing"),
    "frame1": (swap(QUOTES, '{ frame = "“", inner = "‘’", straight = true }'), "[templates] quotes[1] frame: must be two marks"),
    "frame3": (swap(QUOTES, '{ frame = "“”x", inner = "‘’", straight = true }'), "[templates] quotes[1] frame: must be two marks"),
    "frame_empty": (swap(QUOTES, '{ frame = "", inner = "", straight = true }'), "[templates] quotes[1] frame: must be two marks"),
    "quote_unknown_key": (swap(QUOTES, '{ frame = "“”", inner = "‘’", bent = true }'), "[templates] quotes[1] bent: unknown key"),
    "quotes_str": (regex(r"quotes = \[\n.*?\n\]\n", 'quotes = "“”"\n'), "[templates] quotes: must be a list of tables"),
    "fullstops_str": (swap('full_stops = [".", "。", "．"]', 'full_stops = "."'), "[templates] full_stops: must be a list of texts"),
    "fullstops_int": (swap('full_stops = [".", "。", "．"]', "full_stops = [1, 2]"), "[templates] full_stops: must be a list of texts"),
    "fullstops_empty": (swap('full_stops = [".", "。", "．"]', 'full_stops = ["", "."]'), "[templates] full_stops: each must be one character"),
    "weekdays_one": (swap('weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]',
                          'weekdays = ["Monday"]'), "[templates.dates] weekdays: must hold 7 texts, not 1"),
    "dates_weekdays_empty": (swap('weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]', "weekdays = []"),
                             "[dates] weekdays: must hold 7 texts, not 0"),
    "huge": (swap('"screen.today" = "Today"', '"screen.today" = "' + "T" * 200_000 + '"'),
             '[messages] "screen.today": longer than'),
    # F2: every format string, checked when read
    "dates_attr": (swap('long = "{year}-{month:02d}-{day:02d}"', 'long = "{year.__class__.__mro__}-{month:02d}"'),
                   "[dates] long: ", "names {year.__class__.__mro__}, not one of its fields"),
    "dates_width": (swap('short = "{month:02d}-{day:02d}"', 'short = "{month}{day:>99999999}"'),
                    "[dates] short: ", "writes {day:>99999999}"),
    "dates_spec_on_text": (swap('header = "{weekday} {day:02d}', 'header = "{weekday:02d} {day:02d}'),
                           "[dates] header: ", "writes {weekday:02d}, which the app does not (it writes {weekday})"),
    "tdates_attr": (swap('date = "{day} {month_name}"', 'date = "{day.__class__.__init__.__globals__} {month_name}"'),
                    "[templates.dates] date: ", "names {day.__class__.__init__.__globals__}"),
    "tdates_unknown": (swap('date = "{day} {month_name}"', 'date = "{zzz} {month_name}"'),
                       "[templates.dates] date: ", "names {zzz}, not one of its fields (day, month, month_name, weekday)"),
    "tdates_brace": (swap('date = "{day} {month_name}"', 'date = "{day {month_name}"'),
                     "[templates.dates] date: ", "a brace without its pair"),
    "moment_attr": (swap('moment = "{date} at {time}"', 'moment = "{date.__class__} at {time}"'),
                    "[templates.dates] moment: ", "names {date.__class__}"),
    "moment_width": (swap('moment = "{date} at {time}"', 'moment = "{date:>999999999} at {time}"'),
                     "[templates.dates] moment: ", "writes {date:>999999999}"),
    "message_attr": (swap('"screen.today" = "Today"', '"screen.today" = "Today {x.__class__}"'),
                     '[messages] "screen.today": ', "names {x.__class__}"),
    "message_brace": (swap('"h.client" = "client"', '"h.client" = "client {"'), '[messages] "h.client": ', "a brace without its pair"),
    "message_positional": (swap('"h.client" = "client"', '"h.client" = "client {0}"'), '[messages] "h.client": ', "names {0}, but this text has no fields"),
    "message_other_field": (swap('"detail.minutes" = "', '"detail.minutes" = "{what} '), '[messages] "detail.minutes": ', "names {what}"),
    "template_attr": (swap('"24h.subject" = "Thank you for our session"', '"24h.subject" = "Thanks {name.__class__}"'),
                      '[templates.texts] "24h.subject": ', "names {name.__class__}"),
    "template_spec": (swap('"24h.subject" = "Thank you for our session"', '"24h.subject" = "Thanks {name:>999}"'),
                      '[templates.texts] "24h.subject": ', "writes {name:>999}"),
    "subject_line": (swap('subject_line = "Subject: {subject}"', 'subject_line = "Subject: {subject.upper}"'),
                     "[templates] subject_line: ", "names {subject.upper}"),
    "argparse_percent": (swap("[argparse]\n", '[argparse]\n"unrecognized arguments: %s" = "%(zzz)s"\n'),
                         '[argparse] "unrecognized arguments: %s": ', "must keep %s"),
}


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "i18n"
    out.mkdir()
    return out


@pytest.mark.parametrize("case", CASES)
def test_a_broken_catalogue_is_refused_in_one_line_naming_the_file_and_the_key(folder, case):
    change, *said = CASES[case]
    path = folder / "de.toml"
    path.write_text(change(BASE), encoding="utf-8")
    with pytest.raises(i18n.CatalogueError) as caught:
        i18n.load_catalogues(folder)
    line = str(caught.value)
    assert "\n" not in line and len(line) < 400, line
    assert line.startswith(f"{path}: "), line
    for part in said:
        assert part in line, line
    # said in the user's language too, through the words every command is given
    assert i18n.words_for("ja").error_text(caught.value).startswith(f"{path}: ")


def test_a_file_that_is_not_utf8_is_refused_with_its_line(folder):
    raw = BASE.encode()
    (folder / "de.toml").write_bytes(raw[:5000] + b"\xff\xfe" + raw[5000:])
    with pytest.raises(i18n.CatalogueError) as caught:
        i18n.load_catalogues(folder)
    line = raw[:5000].count(b"\n") + 1
    assert str(caught.value) == f"{folder / 'de.toml'}: line {line}: not UTF-8 text (byte 0xff): save the file as UTF-8"


def test_two_files_of_one_language_are_refused(folder):
    (folder / "de.toml").write_text(BASE, encoding="utf-8")
    (folder / "zz.toml").write_text(BASE, encoding="utf-8")
    with pytest.raises(i18n.CatalogueError) as caught:
        i18n.load_catalogues(folder)
    assert str(caught.value).startswith(f"{folder / 'zz.toml'}: language: de is given by {folder / 'de.toml'} too")


def test_what_a_language_may_leave_out_is_read_as_english(folder):
    """A message the catalogue lacks is said in English (as every catalogue's are); its own
    tables of dates, CSV titles and templates may be left out; a region's code is a language."""
    text = BASE.replace('language = "de"', 'language = "pt-BR"', 1).replace('\n"screen.today" = "Today"', "", 1)
    text = text.split("\n[templates]\n")[0]
    (folder / "pt-BR.toml").write_text(text, encoding="utf-8")
    assert "pt-BR" in i18n.load_catalogues(folder)


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_the_built_in_catalogues_pass_the_same_checks(lang):
    from tui_followup.i18n.check import check_catalogue, read_catalogue

    path = Path(i18n.__file__).parent / f"{lang}.toml"
    english = read_catalogue(Path(i18n.__file__).parent / "en.toml")
    check_catalogue(read_catalogue(path), english, path)


def test_every_refusal_is_said_as_the_english_catalogue_says_it():
    from tui_followup.i18n.check import CATALOGUE_PROBLEMS

    assert {f"catalogue.{code}": text for code, text in CATALOGUE_PROBLEMS.items()} == \
        {key: text for key, text in i18n.MESSAGES["en"].items() if key.startswith("catalogue.")}

