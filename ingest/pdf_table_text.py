"""Text rules of the table parser: what a line or a label says (title, unit, note, total, numbering, code)."""

from __future__ import annotations

import re

from ingest.numbers import parse_amount, parse_percent

_NUMBER = re.compile(r"^\s*(公开\s*(\d+\s*表|表\s*[\d一二三四五六七八九十]+)|附表\s*[\d一二三四五六七八九十]+(-\d+)?|表\s*\d+(-\d+)?|表[一二三四五六七八九十]+(?=\s|$))\s*")
_TITLE_END = re.compile(r"表\s*(（[^）]{0,20}）|\([^)]{0,20}\))?$")
_SECTION = re.compile(r"^第[一二三四五六七八九十]+部分")
_UNIT = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_NOTE = re.compile(r"^\s*(注|备注|说明)\s*[:：0-9]|本表无数据|空表|无数据|没有.{0,20}(支出|收入|经费|数据|预算)|^\s*[（(]\s*无.{0,20}[）)]\s*$")
_TOTAL = re.compile(r"(合计|总计|小计)$")
_ZH_NUM = "一二三四五六七八九十"
_LEVELS = [
    (re.compile(rf"^[{_ZH_NUM}]+\s*[、.．]"), 1),
    (re.compile(rf"^[（(]\s*[{_ZH_NUM}]+\s*[）)]"), 2),
    (re.compile(r"^\d{1,2}\s*[、.．](?!\d)"), 3),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]"), 3),
]
_CODE_LABEL = re.compile(r"^(\d{3}(?:\s*\d{2}){0,2})\s*([^\d\s].*)$")


def squash(text: str) -> str:
    """Text without any whitespace (PDFs space out "金 额")."""
    return re.sub(r"\s+", "", text)


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}（）、：])\s+(?=[{_CJK}（）、：])")


def close_letter_spacing(label: str) -> str:
    """A label printed with letter spacing ("全 州 一 般 公 共 预 算 收 入") as written
    ("全州一般公共预算收入"); a label whose words are longer stays as it is, since there a
    space may join two printed lines or separate a code from a name.

    Letter-spaced when at least three pieces and most of them (three in four) one character.
    """
    pieces = label.split()
    if len(pieces) < 3 or sum(len(p) == 1 for p in pieces) * 4 < len(pieces) * 3:
        return label
    return _SPACED_CJK.sub("", label)


def table_number(text: str) -> tuple[str, str]:
    """Split "公开03表 支出预算总表" into ("公开03表", "支出预算总表"); ("", text) when unnumbered."""
    m = _NUMBER.match(text)
    if not m:
        return "", text.strip()
    return squash(m.group(1)), text[m.end():].strip().lstrip("：:").strip()


def is_title(text: str) -> bool:
    """A table title line: short, names a 表, not a note or a section heading."""
    number, rest = table_number(text)
    rest = squash(rest)
    if number and not rest:
        return True
    if number and len(rest) <= 45 and not unit_of(rest) and not _NOTE.search(rest):
        return True  # "公开09表：…会议费、培训费" whose title wraps onto the next line
    if not rest or len(rest) > 45 or _SECTION.match(rest) or _NOTE.search(rest) or unit_of(rest):
        return False
    return bool(_TITLE_END.search(rest))


def title_complete(title: str) -> bool:
    """Whether a title ends as titles do (…表), rather than wrapping onto the next line."""
    return bool(_TITLE_END.search(squash(title)))


def unit_of(text: str) -> str:
    """The unit a line states ("单位：万元" → "万元"), or ""."""
    m = _UNIT.search(text)
    return m.group(1) if m else ""


def is_meta(text: str) -> bool:
    """A line naming the publisher or the unit, printed between title and header."""
    return bool(_UNIT.search(text) or re.match(r"^\s*(编制)?(部门|单位)(名称)?\s*[:：]", text)
                or re.match(r"^\s*编制(部门|单位)", text))


def is_note(text: str) -> bool:
    """A note printed with a table ("注：…", "本表无数据", "（无政府性基金支出）")."""
    return bool(_NOTE.search(text))


def is_total(label: str) -> bool:
    """A 合计/总计/小计 row label."""
    return bool(_TOTAL.search(squash(label)))


def is_subset(label: str) -> bool:
    """A "其中：" row: part of the row above, not an addend of the total."""
    return squash(label).startswith("其中")


def numbering_level(label: str) -> int:
    """Level of a numbered label: 一、→1, （一）→2, 1./（1）→3, else 0."""
    text = label.strip()
    for pattern, level in _LEVELS:
        if pattern.match(text):
            return level
    return 0


def split_code_label(text: str) -> tuple[str, str]:
    """Split a label printed with its code ("208 05 05 公益性岗位补贴") into code and name."""
    m = _CODE_LABEL.match(text.strip())
    if not m:
        return "", text.strip()
    code = squash(m.group(1))
    return (code, m.group(2).strip()) if len(code) in (3, 5, 7) else ("", text.strip())


def is_numbering_row(texts: list[str]) -> bool:
    """The 栏次 row ("栏次 1 2 3", "** 1 2 3") that numbers the columns."""
    tokens = [t for text in texts for t in text.split()]
    if any("栏次" in squash(t) for t in texts):  # also "栏 次", spaced out
        return True
    digits = [t for t in tokens if t.strip("*")]
    if len(digits) < 2 or not all(t.isdigit() and len(t) <= 2 for t in digits):
        return False
    numbers = [int(t) for t in digits]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def is_amount(text: str) -> bool:
    """Whether a cell prints an amount."""
    return parse_amount(text) is not None


def is_percent(text: str) -> bool:
    """Whether a cell prints a percentage ("94.6%"): a figure of a 完成% or 增长% column."""
    return parse_percent(text) is not None


_CODE_HEADER = re.compile(r"(编码|代码|^类$|^款$|^项$)")
_LABEL_HEADER = re.compile(r"(名称|项目|科目|单位|类型|方式|说明|备注|内容|目标|指标|用途|品目|对象|依据|序号|行次)")


def is_code_header(leaf: str) -> bool:
    """A column header naming 科目编码 or one of its 类/款/项 parts."""
    return bool(_CODE_HEADER.search(squash(leaf)))


def is_text_header(leaf: str) -> bool:
    """A column header naming a text column (name, project, unit …)."""
    leaf = squash(leaf)
    return bool(_LABEL_HEADER.search(leaf)) and not re.search(r"(金额|数|费|合计|资金|收入|支出)$", leaf)


def is_label_header(leaf: str) -> bool:
    """A header naming the row label column (科目名称 / 项目 / 项目名称)."""
    return bool(re.search(r"(名称|项目|科目)", squash(leaf)))
