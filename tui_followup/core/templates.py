"""Message templates for each checkpoint, in Japanese and English.

Placeholders: ``{name}`` (the client's name), ``{session_date}`` (date of the latest
session), ``{next_step}`` (the step agreed in it), ``{what}`` (a promise). The user may
override any of them in ``templates.toml`` in the config directory (read by the shell):

    [ja]
    "1w" = "{name}様 ..."
    [en]
    "1w" = "Hi {name}, ..."
"""

from __future__ import annotations

import unicodedata
from datetime import date

DEFAULTS: dict[str, dict[str, str]] = {
    "ja": {
        "24h": "{name}様\n本日はお時間をいただきありがとうございました。お話しした「{next_step}」、無理のない範囲で進めてみてください。何かあればいつでもご連絡ください。",
        "72h": "{name}様\n{session_date}の面談から数日経ちましたが、「{next_step}」はいかがでしょうか。最初の手応えをお聞かせいただければ嬉しいです。",
        "1w": "{name}様\n{session_date}の面談から一週間になりました。「{next_step}」の進み具合はいかがですか。うまくいったこと、難しかったこと、どちらでも構いません。",
        "1m": "{name}様\n面談から一か月が経ちました。その後の進み具合や、新しく出てきた課題があれば教えてください。次の一歩を一緒に考えましょう。",
        "3m": "{name}様\n面談から三か月になりました。この間の変化を振り返ってみると、{name}様ご自身の成長がきっと見えてくると思います。よろしければ近況をお聞かせください。",
        "monthly": "{name}様\nその後いかがお過ごしでしょうか。今月の様子をお聞かせいただければ幸いです。",
        "weekly": "{name}様\n今週の「{next_step}」の進み具合はいかがでしょうか。",
        "intent-check": "{name}様\nしばらくご連絡が途絶えていましたので、一度だけお伺いします。今後について、続ける・少しお休みする・ここで終える、どれでも{name}様のご判断を尊重します。ご都合のよいときにお知らせください。",
        "respond": "{name}様\nご連絡ありがとうございます。",
        "promise": "{name}様\nお約束していた「{what}」をお送りします。",
    },
    "en": {
        "24h": "Dear {name},\nThank you for your time today. As agreed, the one step to take is: {next_step}. Take it at your own pace, and write any time.",
        "72h": "Dear {name},\nA few days have passed since we met on {session_date}. How is \"{next_step}\" going? I'd love to hear your first results.",
        "1w": "Dear {name},\nIt has been a week since our session on {session_date}. Did \"{next_step}\" happen? What went well, and what was hard?",
        "1m": "Dear {name},\nA month on from our session: how are things going? Any progress or new obstacles? Let's think about the next step together.",
        "3m": "Dear {name},\nThree months have passed since we met. Looking back, I think you will see how much has changed. I'd be glad to hear how you are.",
        "monthly": "Dear {name},\nHow have you been this month? I'd be glad to hear how things are going.",
        "weekly": "Dear {name},\nHow did this week go with \"{next_step}\"?",
        "intent-check": "Dear {name},\nWe haven't been in touch for a while, so I'm asking just once: would you like to continue, take a break, or end our work here? Whatever you decide is fine, and I'll respect it.",
        "respond": "Dear {name},\nThank you for your message.",
        "promise": "Dear {name},\nAs promised, here is {what}.",
    },
}

LABELS = ("24h", "72h", "1w", "1m", "3m", "monthly", "weekly", "intent-check", "respond", "promise")


def language_for(name: str, preferred: str | None = None) -> str:
    """``ja`` for a name written in Japanese script, else the preferred language, else ``en``."""
    for ch in name:
        if unicodedata.east_asian_width(ch) in ("W", "F") and not ("\uac00" <= ch <= "\ud7af"):
            return "ja"
    return preferred if preferred in DEFAULTS else "en"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def render(
    label: str,
    lang: str,
    name: str,
    session_date: date | None = None,
    next_step: str = "",
    what: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
) -> str:
    """The message for a due item, placeholders filled; unknown labels fall back to ``monthly``."""
    table = {**DEFAULTS.get(lang, DEFAULTS["en"]), **((overrides or {}).get(lang, {}))}
    text = table.get(label) or table["monthly"]
    values = _Blank(
        name=name,
        session_date=f"{session_date.month}/{session_date.day}" if session_date else "…",
        next_step=next_step or "…",
        what=what or "…",
    )
    return text.format_map(values)
