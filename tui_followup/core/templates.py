"""Message templates for each checkpoint, in Japanese, English and Korean.

Placeholders: ``{name}`` (the client's name), ``{session_date}`` (date of the latest
session), ``{next_step}`` (the step agreed in it), ``{what}`` (a promise), ``{achieved}`` and
``{challenges}`` (the progress recorded at the latest session, used by 1m and 3m). Besides each
label's text there is ``LABEL.late`` (a message more than 3 days after the due date: no
"today", no pretending it is on time) and ``LABEL.plain`` (used when a placeholder of the
text cannot be filled: no empty 「…」 is ever sent). The user may override any of them in
``templates.toml`` in the config directory (read by the shell):

    [ja]
    "1w" = "{name}様 ..."
    [en]
    "1w" = "Hi {name}, ..."
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

DEFAULTS: dict[str, dict[str, str]] = {
    "ja": {
        "24h": "{name}様\n本日はお時間をいただきありがとうございました。お話しした「{next_step}」、無理のない範囲で進めてみてください。何かあればいつでもご連絡ください。",
        "72h": "{name}様\n{session_date}の面談から数日経ちましたが、「{next_step}」はいかがでしょうか。最初の手応えをお聞かせいただければ嬉しいです。",
        "1w": "{name}様\n{session_date}の面談から一週間になりました。「{next_step}」の進み具合はいかがですか。うまくいったこと、難しかったこと、どちらでも構いません。",
        "1m": "{name}様\n面談から一か月が経ちました。前回は「{achieved}」ができ、「{challenges}」が課題とのことでした。その後の進み具合はいかがですか。次の一歩を一緒に考えましょう。",
        "3m": "{name}様\n面談から三か月になりました。「{achieved}」をはじめ、この間の変化を振り返ってみると、{name}様ご自身の成長がきっと見えてくると思います。よろしければ近況をお聞かせください。",
        "1m.plain": "{name}様\n面談から一か月が経ちました。その後の進み具合や、新しく出てきた課題があれば教えてください。次の一歩を一緒に考えましょう。",
        "3m.plain": "{name}様\n面談から三か月になりました。この間の変化を振り返ってみると、{name}様ご自身の成長がきっと見えてくると思います。よろしければ近況をお聞かせください。",
        "no-show": "{name}様\n本日はお会いできず残念でした。お変わりなくお過ごしでしょうか。ご都合のよいときに、また日程をご相談させてください。",
        "no-show.late": "{name}様\n先日はお会いできませんでしたが、お変わりありませんか。またお話しできる日を楽しみにしています。ご都合のよいときにご連絡ください。",
        "monthly": "{name}様\nその後いかがお過ごしでしょうか。今月の様子をお聞かせいただければ幸いです。",
        "weekly": "{name}様\n今週の「{next_step}」の進み具合はいかがでしょうか。",
        "intent-check": "{name}様\nしばらくご連絡が途絶えていましたので、一度だけお伺いします。今後について、続ける・少しお休みする・ここで終える、どれでも{name}様のご判断を尊重します。ご都合のよいときにお知らせください。",
        "respond": "{name}様\nご連絡ありがとうございます。",
        "promise": "{name}様\nお約束していた「{what}」をお送りします。",
        "24h.plain": "{name}様\n本日はお時間をいただきありがとうございました。無理のない範囲で進めてみてください。何かあればいつでもご連絡ください。",
        "72h.plain": "{name}様\n面談から数日経ちましたが、その後いかがでしょうか。最初の手応えをお聞かせいただければ嬉しいです。",
        "1w.plain": "{name}様\n面談から一週間になりました。その後の進み具合はいかがですか。うまくいったこと、難しかったこと、どちらでも構いません。",
        "weekly.plain": "{name}様\n今週の進み具合はいかがでしょうか。",
        "promise.plain": "{name}様\nお約束していたものをお送りします。",
        "24h.late": "{name}様\n先日はお時間をいただきありがとうございました。その後、無理なく過ごされていますか。何かあればいつでもご連絡ください。",
        "72h.late": "{name}様\n先日の面談からしばらく経ちましたが、その後いかがでしょうか。ご都合のよいときに近況をお聞かせください。",
        "1w.late": "{name}様\nご連絡が遅くなりました。面談からしばらく経ちましたが、その後の進み具合はいかがですか。",
        "1m.late": "{name}様\nご連絡が遅くなりました。面談から一か月あまりが経ちましたが、その後いかがでしょうか。次の一歩を一緒に考えましょう。",
        "3m.late": "{name}様\nご連絡が遅くなりました。面談から三か月あまりになりました。よろしければ近況をお聞かせください。",
        "monthly.late": "{name}様\nご無沙汰しております。その後いかがお過ごしでしょうか。ご都合のよいときに様子をお聞かせください。",
        "weekly.late": "{name}様\nご連絡が遅くなりました。その後の進み具合はいかがでしょうか。",
        "respond.late": "{name}様\nご連絡ありがとうございます。お返事が遅くなり申し訳ありません。",
        "promise.late": "{name}様\nお約束していた件、遅くなり申し訳ありません。「{what}」をお送りします。",
        "promise.late.plain": "{name}様\nお約束していた件、遅くなり申し訳ありません。",
    },
    "en": {
        "24h": "Dear {name},\nThank you for your time today. As agreed, the one step to take is: {next_step}. Take it at your own pace, and write any time.",
        "72h": "Dear {name},\nA few days have passed since we met on {session_date}. How is \"{next_step}\" going? I'd love to hear your first results.",
        "1w": "Dear {name},\nIt has been a week since our session on {session_date}. Did \"{next_step}\" happen? What went well, and what was hard?",
        "1m": "Dear {name},\nA month on from our session: last time you had achieved {achieved}, and {challenges} was getting in the way. How are things going now? Let's think about the next step together.",
        "3m": "Dear {name},\nThree months have passed since we met. Looking back from {achieved}, I think you will see how much has changed. I'd be glad to hear how you are.",
        "1m.plain": "Dear {name},\nA month on from our session: how are things going? Any progress or new obstacles? Let's think about the next step together.",
        "3m.plain": "Dear {name},\nThree months have passed since we met. Looking back, I think you will see how much has changed. I'd be glad to hear how you are.",
        "no-show": "Dear {name},\nI'm sorry we missed each other today. I hope all is well. Whenever it suits you, let's find another time.",
        "no-show.late": "Dear {name},\nWe missed each other at our last appointment; I hope all is well. Write whenever it suits you, and we'll find a time.",
        "monthly": "Dear {name},\nHow have you been this month? I'd be glad to hear how things are going.",
        "weekly": "Dear {name},\nHow did this week go with \"{next_step}\"?",
        "intent-check": "Dear {name},\nWe haven't been in touch for a while, so I'm asking just once: would you like to continue, take a break, or end our work here? Whatever you decide is fine, and I'll respect it.",
        "respond": "Dear {name},\nThank you for your message.",
        "promise": "Dear {name},\nAs promised, here is {what}.",
        "24h.plain": "Dear {name},\nThank you for your time today. Take the step we agreed at your own pace, and write any time.",
        "72h.plain": "Dear {name},\nA few days have passed since we met. How are things going? I'd love to hear your first results.",
        "1w.plain": "Dear {name},\nIt has been a week since our session. How are things going? What went well, and what was hard?",
        "weekly.plain": "Dear {name},\nHow did this week go?",
        "promise.plain": "Dear {name},\nAs promised, here it is.",
        "24h.late": "Dear {name},\nThank you again for our recent session. I hope things are going well; write any time.",
        "72h.late": "Dear {name},\nSome time has passed since we met. How are things going? I'd be glad to hear, whenever suits you.",
        "1w.late": "Dear {name},\nSorry for the slow follow-up. How have things been going since our session?",
        "1m.late": "Dear {name},\nSorry for the slow follow-up. It has been over a month since our session: how are things going? Let's think about the next step together.",
        "3m.late": "Dear {name},\nSorry for the slow follow-up. It has been over three months since we met: I'd be glad to hear how you are.",
        "monthly.late": "Dear {name},\nIt has been a while. How have you been? I'd be glad to hear, whenever suits you.",
        "weekly.late": "Dear {name},\nSorry for the slow follow-up. How have things been going?",
        "respond.late": "Dear {name},\nThank you for your message, and sorry for my slow reply.",
        "promise.late": "Dear {name},\nSorry this took longer than promised: here is {what}.",
        "promise.late.plain": "Dear {name},\nSorry this took longer than promised: here it is.",
    },
    "ko": {
        "24h": "{name}님\n오늘 시간 내주셔서 감사합니다. 함께 정한 「{next_step}」, 무리하지 않는 선에서 진행해 보세요. 궁금한 점이 있으면 언제든 연락 주세요.",
        "72h": "{name}님\n{session_date} 상담 후 며칠이 지났습니다. 「{next_step}」은(는) 어떻게 되어 가고 있나요? 첫 느낌을 들려주시면 반갑겠습니다.",
        "1w": "{name}님\n{session_date} 상담 후 일주일이 되었습니다. 「{next_step}」의 진행은 어떠신가요? 잘된 점도, 어려웠던 점도 편하게 말씀해 주세요.",
        "1m": "{name}님\n상담 후 한 달이 지났습니다. 지난번에는 「{achieved}」을(를) 해내셨고, 「{challenges}」이(가) 어려운 점이라고 하셨지요. 요즘은 어떠신가요? 다음 걸음을 함께 생각해 봐요.",
        "3m": "{name}님\n상담 후 석 달이 되었습니다. 「{achieved}」을(를) 비롯해 그동안의 변화를 돌아보면, {name}님의 성장이 분명 보이실 거예요. 괜찮으시다면 근황을 들려주세요.",
        "monthly": "{name}님\n그동안 잘 지내셨나요? 이번 달은 어떠셨는지 들려주시면 감사하겠습니다.",
        "weekly": "{name}님\n이번 주 「{next_step}」은(는) 어떻게 되어 가고 있나요?",
        "intent-check": "{name}님\n한동안 연락이 없으셔서 한 번만 여쭙습니다. 앞으로 계속할지, 잠시 쉴지, 여기서 마무리할지, 어떤 결정이든 {name}님의 뜻을 존중하겠습니다. 편하실 때 알려 주세요.",
        "respond": "{name}님\n연락 주셔서 감사합니다.",
        "promise": "{name}님\n약속드린 「{what}」을(를) 보내 드립니다.",
        "no-show": "{name}님\n오늘 뵙지 못해 아쉬웠습니다. 별일 없으시지요? 편하실 때 다시 일정을 상의해요.",
        "24h.plain": "{name}님\n오늘 시간 내주셔서 감사합니다. 무리하지 않는 선에서 진행해 보세요. 궁금한 점이 있으면 언제든 연락 주세요.",
        "72h.plain": "{name}님\n상담 후 며칠이 지났는데 어떻게 지내고 계신가요? 첫 느낌을 들려주시면 반갑겠습니다.",
        "1w.plain": "{name}님\n상담 후 일주일이 되었습니다. 진행은 어떠신가요? 잘된 점도, 어려웠던 점도 편하게 말씀해 주세요.",
        "1m.plain": "{name}님\n상담 후 한 달이 지났습니다. 그동안의 진행이나 새로 생긴 어려움이 있으면 알려 주세요. 다음 걸음을 함께 생각해 봐요.",
        "3m.plain": "{name}님\n상담 후 석 달이 되었습니다. 그동안의 변화를 돌아보면, {name}님의 성장이 분명 보이실 거예요. 괜찮으시다면 근황을 들려주세요.",
        "weekly.plain": "{name}님\n이번 주는 어떻게 지내셨나요?",
        "promise.plain": "{name}님\n약속드린 것을 보내 드립니다.",
        "24h.late": "{name}님\n지난번에 시간 내주셔서 감사했습니다. 그 후로 무리 없이 지내고 계신가요? 언제든 연락 주세요.",
        "72h.late": "{name}님\n상담 후 시간이 좀 지났는데 어떻게 지내고 계신가요? 편하실 때 근황을 들려주세요.",
        "1w.late": "{name}님\n연락이 늦어 죄송합니다. 상담 후 시간이 좀 지났는데, 진행은 어떠신가요?",
        "1m.late": "{name}님\n연락이 늦어 죄송합니다. 상담 후 한 달 남짓 지났는데 어떻게 지내고 계신가요? 다음 걸음을 함께 생각해 봐요.",
        "3m.late": "{name}님\n연락이 늦어 죄송합니다. 상담 후 석 달 남짓 되었습니다. 괜찮으시다면 근황을 들려주세요.",
        "monthly.late": "{name}님\n오랜만입니다. 그동안 잘 지내셨나요? 편하실 때 근황을 들려주세요.",
        "weekly.late": "{name}님\n연락이 늦어 죄송합니다. 그동안 진행은 어떠셨나요?",
        "respond.late": "{name}님\n연락 주셔서 감사합니다. 답장이 늦어 죄송합니다.",
        "promise.late": "{name}님\n약속드린 것이 늦어져 죄송합니다. 「{what}」을(를) 보내 드립니다.",
        "promise.late.plain": "{name}님\n약속드린 것이 늦어져 죄송합니다.",
        "no-show.late": "{name}님\n지난번에는 뵙지 못했는데, 별일 없으시지요? 편하실 때 연락 주시면 다시 일정을 잡아요.",
    },
}

LABELS = ("24h", "72h", "1w", "1m", "3m", "monthly", "weekly", "intent-check", "respond", "promise", "no-show")
_FIELDS = re.compile(r"{(\w+)}")


def _hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7af" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def language_for(name: str, preferred: str | None = None, chosen: str = "") -> str:
    """The language of a client's messages: the one ``chosen`` for them (their ``language``),
    else ``ko`` for a name in Hangul, ``ja`` for one in kana or kanji, else the preferred
    language, else ``en``."""
    if chosen in DEFAULTS:
        return chosen
    for ch in name:
        if _hangul(ch):
            return "ko"
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return "ja"
    return preferred if preferred in DEFAULTS else "en"


def render(
    label: str,
    lang: str,
    name: str,
    session_date: date | None = None,
    next_step: str = "",
    what: str = "",
    overrides: dict[str, dict[str, str]] | None = None,
    late: bool = False,
    achieved: str = "",
    challenges: str = "",
) -> str:
    """The message for a due item, every placeholder filled: the label's late wording when
    ``late``, and a text without a placeholder that has nothing to fill it (no agreed step,
    no session date); unknown labels fall back to ``monthly``."""
    table = {**DEFAULTS.get(lang, DEFAULTS["en"]), **((overrides or {}).get(lang, {}))}
    values = {
        "name": name,
        "session_date": f"{session_date.month}/{session_date.day}" if session_date else "",
        "next_step": next_step.strip(),
        "what": what.strip(),
        "achieved": achieved.strip(),
        "challenges": challenges.strip(),
    }
    kinds = [f"{label}.late", f"{label}.late.plain"] if late else []
    for key in kinds + [label, f"{label}.plain", "monthly"]:
        text = table.get(key)
        if text and all(values.get(field) for field in _FIELDS.findall(text)):
            return text.format_map(values)
    return table["monthly"].format_map(values)
