"""Follow-up questions in a chat: rewrite "那上年呢？" or "其中人员经费呢？" into a whole question.

The carry-over is deliberately small and visible, so a reader can check it:

* a question that names its own figure ("公用经费是多少？") stands alone and is not rewritten;
* a follow-up that names only a period ("那上年呢？", "2023年呢？") asks the previous question
  again for that period: an explicit year replaces the previous one, "上年" means the year before
  the previous question's year (or the document's year);
* a follow-up that names a part ("其中人员经费呢？") asks for that part of the previous subject:
  "基本支出中人员经费是多少？";
* a follow-up that names another figure ("那公用经费呢？") asks the previous question about it,
  keeping the previous period and way of asking ("是多少", "占…的比例").

Pure: no store, no I/O. The caller shows the rewritten question so the user sees what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A follow-up starts with one of these, or ends with 呢.
_LEAD = re.compile(r"^(那么|那|还有|再看看|再问|另外|然后)[,，、\s]*")
_PART = re.compile(r"^(其中|这其中|里面|当中)[,，、\s]*")
_TRAIL = re.compile(r"(的情况|的数字|的金额)?(呢|吗)?[？?。!！\s]*$")
# The way a question asks, from the first asking word to the end: "是多少？", "占…的比例是多少？".
_ASK = re.compile(r"(占|相当于|比上年|较上年).*$|"
                  r"(是|为|有|共|一共|合计)?(多少|几|什么|哪些|怎样|如何|比例|比重).*$")
_YEAR = re.compile(r"(20\d{2})\s*年(度)?")
_RELATIVE = re.compile(r"上一?年(度)?|去年|前一年")
_CURRENT = re.compile(r"本年(度)?|今年|当年")
_PERIOD_ONLY = re.compile(r"^((20\d{2})\s*年(度)?|上一?年(度)?|去年|前一年|本年(度)?|今年|当年)"
                          r"(的)?(预算|预算数|决算|决算数|数|呢)?$")
DEFAULT_ASK = "是多少？"


@dataclass(frozen=True)
class FollowUp:
    """The question to ask, and whether (and from what) it was rewritten."""

    question: str
    rewritten: bool = False
    previous: str | None = None
    reason: str = ""  # "period", "part" or "figure" when rewritten


def split_question(question: str) -> tuple[str, str, str]:
    """(period, subject, ask) of a whole question, e.g. ("2024年", "基本支出", "是多少？")."""
    text = question.strip()
    period = ""
    match = _YEAR.search(text) or _RELATIVE.search(text) or _CURRENT.search(text)
    if match:
        period = match.group(0)
        text = (text[:match.start()] + text[match.end():]).strip()
    text = re.sub(r"^(的|，|,)+", "", text)
    ask = _ASK.search(text)
    if ask and ask.start() > 0:
        return period, text[:ask.start()].rstrip("的 "), text[ask.start():]
    if ask:  # the question starts by asking ("为什么…"): keep it whole
        return period, text.rstrip("？?。 "), "？"
    return period, text.rstrip("？?。 "), DEFAULT_ASK


def _shift_period(new: str, previous_period: str, doc_year: int | None) -> str:
    """A period word made explicit: "上年" after "2024年" is "2023年"."""
    year = _YEAR.search(new)
    if year:
        return f"{year.group(1)}年"
    base = _YEAR.search(previous_period)
    base_year = int(base.group(1)) if base else doc_year
    if _RELATIVE.search(new):
        return f"{base_year - 1}年" if base_year else "上年"
    return f"{base_year}年" if base_year else ""


def resolve_followup(question: str, previous: str | None, doc_year: int | None = None
                     ) -> FollowUp:
    """The whole question a chat turn asks, given the previous (already resolved) question.

    `doc_year` is the year of the document the chat is about, used when "上年" follows a
    question that names no year. Returns the question unchanged when it is not a follow-up.
    """
    text = (question or "").strip()
    if not previous or not text:
        return FollowUp(text)
    led = bool(_LEAD.match(text))
    core = _LEAD.sub("", text)
    part = bool(_PART.match(core))
    core = _PART.sub("", core)
    trailing = re.search(r"呢[？?。!！\s]*$", core) is not None
    core = _TRAIL.sub("", core).strip()
    if not (led or part or trailing) or not core or _ASK.search(core):
        return FollowUp(text)  # a whole question of its own
    period, subject, ask = split_question(previous)
    if _PERIOD_ONLY.match(core):
        new_period = _shift_period(core, period, doc_year)
        return FollowUp(f"{new_period}{subject}{ask}", True, previous, "period")
    if part:
        return FollowUp(f"{period}{subject}中{core}{ask}", True, previous, "part")
    new_period, new_subject, _ = split_question(core)
    if new_period:
        period = _shift_period(new_period, period, doc_year)
    return FollowUp(f"{period}{new_subject or core}{ask}", True, previous, "figure")
