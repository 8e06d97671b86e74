"""The user's settings: a TOML file in the config directory, validated with msgspec.

``followup config --path`` prints where it is, ``followup config --init`` writes a commented
default. A wrong key or value is one clear line naming the key; nothing starts on a bad file.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import msgspec

from . import paths
from .core.metrics import MEASURES
from .core.plans import DEFAULT_PLANS, Plan, Policy

SETTINGS_PROBLEMS = {
    "unknown_key": "unknown key",
    "invalid": "{detail}",
    "not_toml": "not valid TOML: {detail}",
    "cannot_read": "cannot read: {detail}",
    "not_utf8": "line {line}: not UTF-8 text (byte {byte}): save the file as UTF-8",
    "too_deep": "nested too deep to read (brackets inside brackets thousands of times)",
    "language": "must be one of {known}, not {value!r}",
    "at_least_1": "must be at least 1",
    "at_least_1_day": "must be at least 1 day",
    "ladder": "must be days after a session, increasing, each at least 1",
    "unknown_plan": "unknown plan {value!r} (known: {known})",
    "template_lang": "languages are {known}",
    "unknown_kpi": "unknown measure {value!r} (known: {known})",
    "exists": "already exists; edit it, or remove it first",
    "token_short": "must be at least {n} characters (or leave it out: a new one at every start)",
    "store_scheme": "must be a postgresql:// URL or a file path, not {value!r}",
    "no_key": "names no key",
    "unknown_binding": "no such key binding (known: {known})",
    "not_a_key": "{typed!r} is not a key: a letter or digit, or a key's name (comma, question_mark, enter, escape, f5, pageup), with ctrl+, shift+ or alt+ before it",
    "key_taken": "{typed} is already the key of {other} on the same screen: give {other} another key too",
    "store_password": "holds a password: keep it in ~/.pgpass (or PGPASSWORD, PGSERVICE), never in this file",
}


class SettingsError(Exception):
    """The config file is wrong; the message names the file and the key."""

    def __init__(self, path: Path, key: str, code: str, **params: object) -> None:
        self.path, self.key, self.code, self.params = path, key, code, params
        why = SETTINGS_PROBLEMS[code].format(**params)
        super().__init__(f"{path}: {key}: {why}" if key else f"{path}: {why}")

    def said_in(self, words) -> str:
        """The problem in the words' language (``Words.error_text`` asks: i18n imports no settings)."""
        return words.settings_problem(self)


# Every default below is the Policy's own (core/plans.py): one place for each number.
class AuditSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    over_contact_messages: int = Policy.over_contact_messages
    over_contact_window_days: int = Policy.over_contact_window_days
    over_contact_consecutive_days: int = Policy.over_contact_consecutive_days
    quiet_factor: int = 2  # ignored, accepted so an older config.toml still loads (gone quiet: policy.gone_quiet)


class PolicySettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The ``[policy]`` table: silence, the decision after it, pauses, the client's pace."""

    silence_days: int = Policy.silence_days
    silence_messages: int = Policy.silence_messages
    decide_days: int = Policy.decide_days
    pause_days: int = Policy.pause_days
    max_per_week: int = Policy.max_per_week
    first_session_days: int = Policy.first_session_days


class ServeSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The ``[serve]`` table: ``followup serve``, the app in a browser."""

    token: str = ""  # empty: a new random token at every start
    user: str = ""  # the actor of events recorded through the server (--user wins)
    trust_proxy_user: bool = False  # the proxy's X-Forwarded-User is the actor, and never otherwise
    max_sessions: int = 8
    idle_minutes: int = 60


TOKEN_MIN_LENGTH = 16


class ConsentSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The ``[consent]`` table: ``required`` refuses a message on a channel without consent."""

    required: bool = False




class ReviewSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The ``[review]`` table: the two measures watched every week."""

    kpis: list[str] = msgspec.field(default_factory=lambda: ["on_time_share", "first_response_median_days"])
    quiet_days: int = 30  # ignored, accepted so an older config.toml still loads (gone quiet: policy.gone_quiet)


class PlanSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    ladder: list[int]
    interval: int
    silence_days: int = 0  # 0: the default plan's of that name, else [policy] silence_days


class UserSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The ``[user]`` table: the counselor at this keyboard."""

    name: str = ""  # the actor on every event recorded here (default: the login name)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    actor: str = ""  # before the [user] table: what [user] name is now
    store: str = ""  # a postgresql:// URL (a team's server store) or a JSONL file; empty: the log
    language: str = ""  # a catalogue's language: "ja", "en", "ko", ...; empty: from LANG
    default_plan: str = "standard"
    intent_check_days: int = 0  # before the [policy] table: what [policy] pause_days is now
    policy_: PolicySettings = msgspec.field(default_factory=PolicySettings, name="policy")
    audit: AuditSettings = AuditSettings()
    serve: ServeSettings = ServeSettings()
    consent: ConsentSettings = ConsentSettings()
    review: ReviewSettings = ReviewSettings()
    plans: dict[str, PlanSettings] = {}
    templates: dict[str, dict[str, str]] = {}
    user: UserSettings = UserSettings()
    keys: dict[str, str] = {}  # the app's keys rebound: a binding's id = its key(s) (Textual's keymap)

    def counselor(self) -> str:
        """Who records: ``[user] name``, else the top-level ``actor``; "" for the default (the
        login name; ``$FOLLOWUP_ACTOR`` wins over all of these, see storage/journal.py)."""
        return self.user.name.strip() or self.actor.strip()

    def policy(self) -> Policy:
        plans = dict(DEFAULT_PLANS)
        for name, p in self.plans.items():
            default = DEFAULT_PLANS.get(name)
            plans[name] = Plan(name, tuple(p.ladder), p.interval,
                               p.silence_days or (default.silence_days if default else 0))
        rules = self.policy_
        pause_days = rules.pause_days
        if self.intent_check_days and pause_days == PolicySettings.pause_days:
            pause_days = self.intent_check_days  # a config file from before the [policy] table
        return Policy(plans=plans, default_plan=self.default_plan,
                      silence_days=rules.silence_days, silence_messages=rules.silence_messages,
                      decide_days=rules.decide_days, pause_days=pause_days, max_per_week=rules.max_per_week,
                      first_session_days=rules.first_session_days,
                      over_contact_messages=self.audit.over_contact_messages,
                      over_contact_window_days=self.audit.over_contact_window_days,
                      over_contact_consecutive_days=self.audit.over_contact_consecutive_days,
                      consent_required=self.consent.required)

    def lang(self) -> str:
        """The language of the app and the command line: ``language``, else the locale's."""
        return self.chosen_lang() or "en"

    def chosen_lang(self) -> str | None:
        """The language named by ``language`` or by the locale (``LANG=ko_KR.UTF-8``: "ko", as
        there is a ko catalogue); None when neither names one (``C``, ``POSIX``, unset)."""
        if self.language:
            return self.language
        from .i18n import language_of_locale

        env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        return language_of_locale(env)


def config_path() -> Path:
    env = os.environ.get("FOLLOWUP_CONFIG")
    return Path(env).expanduser() if env else paths.config_dir() / "config.toml"


def _where(message: str) -> tuple[str, str]:
    """msgspec's "... - at `$.audit.over_contact_messages`" as ("audit.over_contact_messages", "...")."""
    match = re.search(r" - at `\$\.?(.*)`$", message)
    key = match.group(1) if match else ""
    text = message[: match.start()] if match else message
    unknown = re.match(r"Object contains unknown field `(.+)`", text)
    if unknown:
        return (f"{key}.{unknown.group(1)}" if key else unknown.group(1)), ""
    return key, text.replace("`", "").lower()


def validate(settings: Settings, path: Path) -> None:
    problems: list[tuple[str, str, dict]] = []
    from .i18n import LANGUAGES

    if "://" in settings.store:
        from urllib.parse import urlsplit

        if not settings.store.startswith(("postgresql://", "postgres://")):
            problems.append(("store", "store_scheme", {"value": settings.store}))
        elif urlsplit(settings.store).password is not None or "password=" in urlsplit(settings.store).query:
            problems.append(("store", "store_password", {}))
    if settings.language not in ("", *LANGUAGES):
        problems.append(("language", "language", {"value": settings.language, "known": ", ".join(LANGUAGES)}))
    if settings.intent_check_days < 0:
        problems.append(("intent_check_days", "at_least_1", {}))
    for field in PolicySettings.__struct_fields__:
        if getattr(settings.policy_, field) < 1:
            problems.append((f"policy.{field}", "at_least_1", {}))
    for name, plan in settings.plans.items():
        if not plan.ladder or any(d < 1 for d in plan.ladder) or plan.ladder != sorted(set(plan.ladder)):
            problems.append((f"plans.{name}.ladder", "ladder", {}))
        if plan.interval < 1:
            problems.append((f"plans.{name}.interval", "at_least_1_day", {}))
        if plan.silence_days < 0:
            problems.append((f"plans.{name}.silence_days", "at_least_1_day", {}))
    known = set(DEFAULT_PLANS) | set(settings.plans)
    if settings.default_plan not in known:
        problems.append(("default_plan", "unknown_plan", {"value": settings.default_plan,
                                                          "known": ", ".join(sorted(known))}))
    for field in AuditSettings.__struct_fields__:
        if getattr(settings.audit, field) < 1:
            problems.append((f"audit.{field}", "at_least_1", {}))
    for field in ("max_sessions", "idle_minutes"):
        if getattr(settings.serve, field) < 1:
            problems.append((f"serve.{field}", "at_least_1", {}))
    if settings.serve.token and len(settings.serve.token) < TOKEN_MIN_LENGTH:
        problems.append(("serve.token", "token_short", {"n": TOKEN_MIN_LENGTH}))
    for lang in settings.templates:
        if lang not in LANGUAGES:
            problems.append((f"templates.{lang}", "template_lang", {"known": ", ".join(LANGUAGES)}))
    for kpi in settings.review.kpis:
        if kpi not in MEASURES:
            problems.append(("review.kpis", "unknown_kpi", {"value": kpi, "known": ", ".join(MEASURES)}))
    for binding, keys in settings.keys.items():
        if not keys.strip():
            problems.append((f"keys.{binding}", "no_key", {}))
    if problems:
        key, code, params = problems[0]
        raise SettingsError(path, key, code, **params)


def load(path: Path | None = None) -> Settings:
    """The settings (defaults when there is no file); SettingsError on a bad one."""
    path = path or config_path()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return Settings()
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path, "", "not_toml", detail=str(exc)) from None
    except RecursionError:  # brackets nested thousands deep: no settings file is
        raise SettingsError(path, "", "too_deep") from None
    except UnicodeDecodeError as exc:  # (saved as Shift_JIS by an editor)
        line = exc.object[: exc.start].count(b"\n") + 1
        raise SettingsError(path, "", "not_utf8", line=line, byte=f"0x{exc.object[exc.start]:02x}") from None
    except OSError as exc:
        raise SettingsError(path, "", "cannot_read", detail=exc.strerror) from None
    try:
        settings = msgspec.convert(data, Settings)
    except msgspec.ValidationError as exc:
        key, why = _where(str(exc))
        if not why:
            raise SettingsError(path, key, "unknown_key") from None
        raise SettingsError(path, key, "invalid", detail=why) from None
    validate(settings, path)
    return settings


DEFAULT_FILE = '''# tui-followup settings. Every line is optional; remove the # to change a value.

# Where the events are: a team's PostgreSQL store (its password in ~/.pgpass, never here),
# or a JSONL file (default: events.jsonl in the user data directory). `followup store init`
# prepares a server store; `followup store copy --from SRC --to DST` moves every event.
# store = "postgresql://counsel.example.org/followup"

# Language of the app and the command line: "ja", "en" or "ko" (default: from LANG).
# language = "ja"

# The plan new clients get: standard, weekly, 24-72-7, or one of your own below.
# default_plan = "standard"

[user]
# Who you are: the counselor named on every event you record, the owner of the clients you
# register, and "mine" in `followup due --mine` and on Today (w). Default: your login name
# (a top-level `actor = "..."` from older files still counts; $FOLLOWUP_ACTOR, for scripts,
# wins over both).
# name = "kato"

[policy]
# Silence is measured from the client's last contact (a session or a reply), never from your
# messages: after this many days, and at least this many of your messages unanswered, the one
# question of intent falls due (never a second one). Each plan says its own days (standard 60,
# weekly 28, 24-72-7 30; `silence_days = N` in its [plans.NAME] table): this one is for plans
# that do not. Once this many messages are unanswered, nothing more is due until the question.
# silence_days = 60
# silence_messages = 2
# After the question went unanswered this many days: decide (close, pause or wait).
# decide_days = 30
# A pause with no end named: the question of intent this many days after it.
# pause_days = 30
# A message to a client who already had this many in the 7 days before is recorded with a warning.
# max_per_week = 2
# A new client with no session nor appointment is on the list this many days after registering.
# first_session_days = 7

[audit]
# over_contact: this many messages within this many days, or on this many days in a row.
# over_contact_messages = 3
# over_contact_window_days = 7
# over_contact_consecutive_days = 3
# (gone_quiet is the plan's silence days without a session or reply: [policy] silence_days.)

[serve]
# `followup serve`: the app in a browser. The address it prints holds a new access token at
# every start, unless one is set here (at least 16 characters; keep this file private).
# token = ""
# Who records the events entered in the browser (default: as in the app; --user NAME wins).
# user = "kato"
# Behind the office's reverse proxy: its X-Forwarded-User header names who records instead.
# trust_proxy_user = false
# At most this many browser tabs at once; a tab left idle this many minutes is closed.
# max_sessions = 8
# idle_minutes = 60

[consent]
# Refuse a message on a channel the client has not consented to (recorded at registration,
# with `record consent`, or with k on the Client screen); the anonymised export then holds
# only clients who consented to case_review (unless --all-clients).
# required = false

[review]
# The two measures you look at every week (`followup trend`, the Weekly review): two of
# on_time_share first_follow_up_median_days first_response_median_days time_to_close_median_days
# promise_kept_share no_show_rate feedback_mean.
# kpis = ["on_time_share", "first_response_median_days"]
# (The Clients screen colours a client gone quiet: the plan's silence days, [policy] silence_days.)

# Your own plans: checkpoints in days after a session, then a check-in every `interval` days.
# [plans.biweekly]
# ladder = [1, 7, 14]
# interval = 14

# Message templates, by language and label (24h 72h 1w 1m 3m monthly weekly intent-check
# intent-check.paused respond promise no-show first-session appointment), and a subject for
# each ("1w.subject"). Placeholders: {name} {day} {session_date} {next_step} {what} {achieved}
# {challenges} {appointment}.
# [templates.ja]
# "1w" = "{name}様\\n{session_date}の面談から一週間です。「{next_step}」の件はいかがですか。"
# "1w.subject" = "一週間のご様子"
# [templates.en]
# "1w" = "Dear {name},\\na week since {session_date}: how is the step we agreed on (“{next_step}”) going?"
'''


def init(path: Path | None = None) -> Path:
    path = path or config_path()
    if path.exists():
        raise SettingsError(path, "", "exists")
    from .storage.logfile import make_private_dirs

    make_private_dirs(path.parent)  # each folder made owner-only, not only the last
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(DEFAULT_FILE)
    return path
