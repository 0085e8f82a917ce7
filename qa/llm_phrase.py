"""Optional rewording of an answer by the chat model, kept only when it invents nothing.

The model sees the answer and returns one sentence; `number_guard` then checks that every
number in that sentence is one the answer already states (its value, formula, citations or
extractive text), in the unit the answer gives it, and `wording_guard` that it adds no markup,
link, foreign word or more than a few characters the answer does not hold (a claim such as
本数据已作废). A reply later than PHRASE_SECONDS is not waited for. Value, unit, formula and
citations are never taken from the model.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from budgetqa.domain import Answer
from qa.llm_model import chat_messages, message_text

log = logging.getLogger(__name__)

# Only answers built from figures are reworded; quoted passages and refusals stay verbatim.
PHRASED_ROUTES = ("lookup", "calc")
MAX_EXTRA_CHARS = 80  # a rewording may be at most this much longer than the original
# Seconds an answer waits for its rewording (the client's own timeout and retry are longer).
PHRASE_SECONDS = 10.0
# Characters a rewording may use that its answer does not (beyond numerals and _CONNECTIVES).
MAX_NEW_CHARACTERS = 3
_CONNECTIVES = set("的了是为和与及共计约其中在占比即达合该此项各全部总额分别有于将按较同均"
                   "元年度万亿")
# What a rewording may be written with: CJK ideographs, digits, spaces, Chinese and plain
# punctuation of sentences and arithmetic. Latin letters only in words the answer holds.
_ALLOWED_CHARACTER = re.compile(r"[\u4e00-\u9fff0-9A-Za-z \u3000，。；：、？！“”‘’（）《》【】—…·"
                                r"％%.,;:?!()+\-×÷=/]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL_CHARACTERS = set("零〇一二两三四五六七八九十百千万亿点分之")
# Rewordings run here, so an answer can stop waiting for one (the call itself is not stopped).
_CALLS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="budgetqa-phrase")

SYSTEM_PROMPT = """你是政府预算问答系统的文字润色助手。把给出的答案改写成一句通顺、简洁的中文句子。
要求：数字必须与原答案完全一致地照抄（不得换算单位、四舍五入、增删数字或计算新的数字）；不得添加原答案没有的信息；不要写出处和页码以外的新内容。只输出改写后的那一句话。"""

# Arabic numbers: 1,462.07 / 1462.07 / 37.75 (a % sign or unit after them is not part of it).
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_LARGE = {"万": 10 ** 4, "亿": 10 ** 8}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")
# After a numeral, these make it a quantity ("三千八百万元", "二〇二四年", "两倍").
_CN_UNIT = re.compile(r"^(年|元|倍|成|个|项|辆|人|次|家|台|%)")


def _canonical(text: str) -> str | None:
    """A number as plain text without separators, sign or trailing zeros: "25.00" → "25"."""
    try:
        return _digits(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def _digits(value: Decimal) -> str:
    # Not calc.operations.plain: that keeps the printed precision (32.90), this compares values.
    return format(abs(value).normalize(), "f")


def _chinese_value(run: str) -> Decimal | None:
    """The value of a Chinese numeral such as 一千四百六十二点零七, or None if it is not one."""
    whole, _, fraction = run.partition("点")
    if any(ch not in _CN_DIGITS for ch in fraction):
        return None
    if whole and all(ch in _CN_DIGITS for ch in whole):
        number = int("".join(str(_CN_DIGITS[ch]) for ch in whole))  # 二〇二四
    else:
        number, section, digit = 0, 0, None
        for ch in whole:
            if ch in _CN_DIGITS:
                if digit is not None:
                    return None  # two digits in a row inside a 千百十 numeral
                digit = _CN_DIGITS[ch]
            elif ch in _CN_SMALL:
                section += (1 if digit is None else digit) * _CN_SMALL[ch]
                digit = None
            elif ch == "亿":
                number = (number + section + (digit or 0)) * _CN_LARGE[ch]
                section, digit = 0, None
            elif ch == "万":
                number += (section + (digit or 0)) * _CN_LARGE[ch]
                section, digit = 0, None
            else:
                return None
        number += section + (digit or 0)
    text = str(number) + ("." + "".join(str(_CN_DIGITS[ch]) for ch in fraction) if fraction else "")
    return Decimal(text)


# Units a number may carry; a number must keep the unit the answer gives it.
_UNIT = re.compile(r"\s*(亿元|万元|千元|元|个百分点|%|倍)")


def amounts_in(text: str, chinese: bool = True) -> set[tuple[str, str]]:
    """Every number written in `text` as (canonical number, unit or ""); with `chinese`, also
    Chinese numerals that carry a digit and a magnitude, a decimal point or a unit."""
    text = unicodedata.normalize("NFKC", text or "")
    found = set()
    for match in _ARABIC.finditer(text):
        number = _canonical(match.group(0))
        unit = _UNIT.match(text, match.end())
        if number is not None:
            found.add((number, unit.group(1) if unit else ""))
    if not chinese:
        return found
    for match in _CN_RUN.finditer(text):
        run = match.group(0)
        percent = text[:match.start()].endswith("百分之")
        if not any(ch in _CN_DIGITS for ch in run):
            continue  # 千万, 百: no digit, no number
        counted = _CN_UNIT.match(text[match.end():]) or run[-1] in _CN_LARGE
        if not (percent or counted or (len(run) >= 2 and any(ch in "十百千点" for ch in run))):
            continue  # 一般, 三公, 一一: words, not numbers
        # A closing 万/亿 is the unit, as in 3873.19万元: the number is what precedes it.
        closing = run[-1] if len(run) > 1 and run[-1] in _CN_LARGE else ""
        value = _chinese_value(run[:-1] if closing else run)
        after = _UNIT.match(closing + text[match.end():])
        unit = "%" if percent else after.group(1) if after else ""
        found.add(("?" + run if value is None else _digits(value), unit))
    return found


def numbers_in(text: str, chinese: bool = True) -> set[str]:
    """Every number written in `text`, canonical: "1,462.07" and "1462.070" are "1462.07"."""
    return {number for number, _ in amounts_in(text, chinese)}


def _allowed_amounts(answer: Answer) -> set[tuple[str, str]]:
    """The numbers an answer already states, with their units where it gives them: from its
    text, formula, value and citations (cited values with the citation's unit)."""
    found = set()
    if answer.value is not None:
        found |= {(_digits(answer.value), answer.unit), (_digits(answer.value), "")}
    for source in (answer.text, answer.formula):
        found |= amounts_in(source)
    for c in answer.citations:
        for source in (c.text, c.table, c.row, c.column, c.section):
            found |= amounts_in(source)
        found |= {(number, unit) for number, _ in amounts_in(c.value) for unit in (c.unit, "")}
        if c.page:
            found.add((str(c.page), ""))
    return found


def number_guard(text: str, answer: Answer) -> bool:
    """True when every number in `text` appears in `answer`'s value, formula, citations or
    its own extractive text (25 == 25.00, 1,462.07 == 1462.07, signs ignored), and every
    number written with a unit (元/万元/%/倍 …) has that unit there too."""
    allowed = _allowed_amounts(answer)
    numbers = {number for number, _ in allowed}
    return all(number in numbers and (not unit or (number, unit) in allowed)
               for number, unit in amounts_in(text))


def _answer_wording(answer: Answer) -> str:
    """Everything the answer itself says, the question included."""
    parts = [answer.question, answer.text, answer.formula]
    for c in answer.citations:
        parts += [c.text, c.table, c.row, c.column, c.section, c.value, c.unit]
    return unicodedata.normalize("NFKC", " ".join(p for p in parts if p))


def wording_guard(text: str, answer: Answer) -> bool:
    """True when `text` is written only with sentence characters (no markup, links, control
    or invisible characters), its Latin words are all the answer's own, and it brings at most
    MAX_NEW_CHARACTERS Chinese characters the answer does not hold (numerals and common
    connectives aside): a rewording, not a new claim."""
    text = unicodedata.normalize("NFKC", text)
    if any(not _ALLOWED_CHARACTER.match(ch) for ch in text):
        return False
    own = _answer_wording(answer)
    own_words = {w.lower() for w in _LATIN_WORD.findall(own)}
    if any(w.lower() not in own_words for w in _LATIN_WORD.findall(text)):
        return False
    new = set(_CJK.findall(text)) - set(own) - _CONNECTIVES - _NUMERAL_CHARACTERS
    return len(new) <= MAX_NEW_CHARACTERS


def states_value(text: str, answer: Answer) -> bool:
    """True when `text` still states the answer's figure (or the answer has none)."""
    if answer.value is None:
        return True
    return _canonical(format(answer.value, "f")) in numbers_in(text)


def _clean(reply: str) -> str:
    text = re.sub(r"```\w*", "", reply or "").strip().strip("“”\"'")
    return re.sub(r"\s*\n\s*", "", text)


class AnswerPhraser:
    """Rewords an answer into one fluent Chinese sentence, guarded by `number_guard`."""

    def __init__(self, chat_model):
        self.chat_model = chat_model

    def phrase(self, answer: Answer) -> Answer:
        """The answer with reworded text, or `answer` unchanged when the route is not a
        figure, the model fails, or the new text adds, changes or drops a number."""
        if answer.route not in PHRASED_ROUTES or not answer.text:
            return answer
        facts = [f"问题：{answer.question}", f"原答案：{answer.text}"]
        if answer.formula:
            facts.append(f"算式：{answer.formula}")
        try:
            call = _CALLS.submit(self.chat_model.invoke,
                                 chat_messages(SYSTEM_PROMPT, "\n".join(facts)))
            text = _clean(message_text(call.result(timeout=PHRASE_SECONDS)))
        except FutureTimeout:
            log.warning("phrasing took longer than %g s; keeping the original answer",
                        PHRASE_SECONDS)
            return answer
        except Exception as exc:  # network, quota, server errors: keep the extractive answer
            log.warning("phrasing failed (%s); keeping the original answer", type(exc).__name__)
            return answer
        if not text or len(text) > len(answer.text) + MAX_EXTRA_CHARS:
            return answer
        if not number_guard(text, answer) or not states_value(text, answer):
            log.info("phrasing rejected by the number guard: %r", text)
            return answer
        if not wording_guard(text, answer):
            log.info("phrasing rejected by the wording guard: %r", text)
            return answer
        return replace(answer, text=text)
