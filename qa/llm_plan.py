"""A question the rules cannot read, turned by the chat model into a plan of names, checked
against the document's vocabulary and rendered back into a question the rule router reads.

The plan holds names only, never numbers: every figure is then found in the store and
computed by calc/ exactly as for a question the rules read themselves. A plan later than
PLAN_SECONDS is not waited for: the question is answered by the rules alone.
"""

from __future__ import annotations

import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import dataclass

from langchain_core.exceptions import OutputParserException

from qa.llm_model import chat_messages, message_text
from qa.text import SYNONYMS, is_generic, norm, strip_numbering

log = logging.getLogger(__name__)

OPERATIONS = ("lookup", "sum", "diff", "share", "ratio", "growth", "rank", "count", "text", "none")
# How many figures each operation names: (fewest, most). rank names the parent whose items
# are compared, as a figure or as the scope.
FIGURE_COUNTS = {"lookup": (1, 1), "count": (1, 1), "growth": (1, 1), "text": (1, 1),
                 "diff": (2, 2), "share": (2, 2), "ratio": (2, 2), "sum": (2, 4), "rank": (0, 1)}
# Caps on what the prompt lists, so one document's vocabulary stays a few thousand characters.
MAX_TABLES = 30
MAX_ROWS = 300
MAX_COLUMNS = 80
# Seconds a question waits for its plan, JSON-mode call and plain fallback together. The
# client's own timeout and retry (qa.llm_model) allow minutes, and an answer waiting for a
# plan holds one of the API's answer slots: a slow endpoint would stop every new answer.
PLAN_SECONDS = 10.0
# Planner calls run here, so a question can stop waiting for one (the call itself runs on).
_CALLS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="budgetqa-plan")
MAX_NAME = 40  # longer "names" are project codes and notes, not figures
_HAN = re.compile(r"[\u4e00-\u9fff]")

PLAN_SCHEMA = {
    "title": "budget_question_plan",
    "description": "What a budget question asks, as names copied from the vocabulary.",
    "type": "object",
    "properties": {
        "operation": {"type": "string", "enum": list(OPERATIONS)},
        "figures": {"type": "array", "items": {"type": "string"}, "maxItems": 4},
        "scope": {"type": "string"},
        "largest": {"type": "boolean"},
    },
    "required": ["operation", "figures"],
}

SYSTEM_PROMPT = """你是政府预算公开文件问答系统的问题解析器。你只负责把用户的问题翻译成一个计划（JSON），不回答问题，不写任何数字。
输出一个 JSON 对象，字段：
- "operation": lookup（查一个数）、sum（几项合计）、diff（A比B多多少）、share（A占B的比重）、ratio（A是B的几倍）、growth（比上年增长百分之几）、rank（某范围内哪一项最多/最少）、count（有几个）、text（要文字解释）、none（文件词表无法回答）之一；
- "figures": 问题涉及的数字名称，1到4个，必须从词表 rows 或 columns 中原样复制；share 和 ratio 为[部分或分子, 整体或分母]，diff 为[被减数, 减数]；
- "scope": 可选，表名（tables 中的 title）或上级行名（rows 中的名称），问题限定范围时填写，否则为空字符串；rank 必须填写要比较其下各项的表名或上级行名；
- "largest": rank 问最多/最高时为 true，问最少/最低时为 false。
不要编造词表中没有的名称，不要在任何字段中写数字金额。无法回答时输出 {"operation": "none", "figures": []}。只输出 JSON。"""


@dataclass(frozen=True)
class Plan:
    """What a question asks, as names printed in the document's vocabulary (never numbers)."""

    operation: str  # one of OPERATIONS
    figures: tuple[str, ...] = ()
    scope: str = ""
    largest: bool = True


# -- the vocabulary a plan may use -------------------------------------------------------


def vocabulary_from_view(view) -> dict:
    """What a document's tables name, for the planner's prompt: table titles with kinds, row
    labels and column header paths, each list in document order, unique and capped.

    `view` is a qa.linking.DocumentView.
    """
    tables: dict[str, str] = {}
    rows: dict[str, None] = {}
    columns: dict[str, None] = {}
    for row in view.rows:
        tables.setdefault(row.table_title, row.table_kind)
        if (row.label and len(row.label) <= MAX_NAME and not is_generic(row.label)
                and _HAN.search(row.label)):
            rows.setdefault(row.label, None)
        for cell in row.cells:
            if (len(cell.column) <= MAX_NAME and not re.search(r"\d{6,}", cell.column)
                    and _HAN.search(cell.column)):
                columns.setdefault(cell.column, None)
    return {"tables": [{"title": t, "kind": k} for t, k in list(tables.items())[:MAX_TABLES]],
            "rows": list(rows)[:MAX_ROWS], "columns": list(columns)[:MAX_COLUMNS]}


def _capped(vocabulary: dict) -> dict:
    """The vocabulary as the prompt shows it and validation accepts it: the same caps."""
    tables = [t if isinstance(t, dict) else {"title": str(t), "kind": ""}
              for t in vocabulary.get("tables", [])][:MAX_TABLES]
    return {"tables": [{"title": str(t.get("title", "")), "kind": str(t.get("kind", ""))}
                       for t in tables],
            "rows": [str(r) for r in vocabulary.get("rows", [])][:MAX_ROWS],
            "columns": [str(c) for c in vocabulary.get("columns", [])][:MAX_COLUMNS]}


def _figure_names(vocabulary: dict) -> dict[str, str]:
    """Normalised name → printed name for everything a figure may be: a row label, a column
    path, or one non-generic level of a column path ("基本支出/人员支出" → "人员支出")."""
    names: dict[str, str] = {}
    for label in vocabulary["rows"]:
        names.setdefault(norm(label), label)
    for column in vocabulary["columns"]:
        names.setdefault(norm(column), column)
        for part in column.split("/"):
            if part and not is_generic(part):
                names.setdefault(norm(part), part)
    return names


def _scope_names(vocabulary: dict) -> dict[str, str]:
    names = {norm(t["title"]): t["title"] for t in vocabulary["tables"] if t["title"]}
    for label in vocabulary["rows"]:
        names.setdefault(norm(label), label)
    return names


# -- reading and checking the model's reply ----------------------------------------------


def parse_json_object(text: str) -> dict | None:
    """The first JSON object in a reply, also inside ``` fences or after prose; else None."""
    text = re.sub(r"```(?:json)?", "", text or "")
    decoder = json.JSONDecoder()
    for start in [m.start() for m in re.finditer(r"\{", text)]:
        try:
            data, _ = decoder.raw_decode(text[start:])
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def _names_something(text: str) -> bool:
    """False for numbers ("1462.07", "37.75%", "1462.07万元") and marks without Chinese
    words ("%/100/10"): a figure is named, never given."""
    without_amounts = re.sub(r"[-+]?\d[\d.,，]*\s*(%|％|万元|亿元|元)?", "", text)
    return bool(_HAN.search(without_amounts)) and not re.fullmatch(
        r"[\d.,，%％万亿元\s-]+", text)


def validate_plan(data, vocabulary: dict) -> Plan | None:
    """A Plan from the model's JSON when every part of it checks out, else None.

    The operation must be known and not "none", each figure a name of the vocabulary (exact
    after qa.text.norm) and no number, the figure count right for the operation, the scope
    a table title or row label. Any other keys (a value the model made up) are ignored.
    """
    if not isinstance(data, dict):
        return None
    vocabulary = _capped(vocabulary)
    operation = data.get("operation")
    if not isinstance(operation, str) or operation.strip().lower() not in OPERATIONS:
        return None
    operation = operation.strip().lower()
    if operation == "none":
        return None
    raw_figures = data.get("figures") or []
    if isinstance(raw_figures, str):
        raw_figures = [raw_figures]
    if not isinstance(raw_figures, list):
        return None
    known = _figure_names(vocabulary)
    figures = []
    for name in raw_figures:
        if not (isinstance(name, str) and _names_something(name) and norm(name) in known):
            return None
        figures.append(known[norm(name)])
    if len({norm(f) for f in figures}) != len(figures):
        return None
    fewest, most = FIGURE_COUNTS[operation]
    if not fewest <= len(figures) <= most:
        return None
    scope = data.get("scope") or ""
    if not isinstance(scope, str):
        return None
    if scope:
        scopes = _scope_names(vocabulary)
        if norm(scope) not in scopes:
            return None
        scope = scopes[norm(scope)]
    if operation == "rank" and not (scope or figures):
        return None
    largest = data.get("largest", True)
    if isinstance(largest, str) and largest.strip().lower() in ("true", "false"):
        largest = largest.strip().lower() == "true"
    if not isinstance(largest, bool):
        return None
    return Plan(operation=operation, figures=tuple(figures), scope=scope, largest=largest)


class QuestionPlanner:
    """Asks a chat model what a question means, in the names of one document's tables."""

    def __init__(self, chat_model):
        self.chat_model = chat_model
        # JSON mode when the model offers it (OpenAI-compatible servers do); else the JSON
        # is read from the reply's text. Fake and some local models offer none.
        try:
            self._structured = chat_model.with_structured_output(PLAN_SCHEMA, method="json_mode")
        except (NotImplementedError, TypeError, ValueError):
            self._structured = None

    def plan(self, question: str, vocabulary: dict) -> Plan | None:
        """The plan for `question` over `vocabulary` (see vocabulary_from_view), or None
        when the model declines, fails, or proposes anything the vocabulary does not hold."""
        shown = _capped(vocabulary)
        user = (f"词表：{json.dumps(shown, ensure_ascii=False)}\n"
                f"问题：{question}\n请输出 JSON 计划。")
        messages = chat_messages(SYSTEM_PROMPT, user)
        deadline = time.monotonic() + PLAN_SECONDS
        data = None
        if self._structured is not None:
            try:
                data = _by_deadline(deadline, self._structured.invoke, messages)
            except FutureTimeout:
                return _late(question)
            except OutputParserException:
                return None  # the model answered, but not with JSON: no plan
            except Exception as exc:  # a server without JSON mode: fall back to plain text
                log.warning("planner JSON mode failed (%s); using plain replies",
                            type(exc).__name__)
                self._structured = None
        if data is None:
            try:
                reply = _by_deadline(deadline, self.chat_model.invoke, messages)
                data = parse_json_object(message_text(reply))
            except FutureTimeout:
                return _late(question)
            except Exception as exc:  # network, quota, server errors: the rules answer alone
                log.warning("planner call failed (%s)", type(exc).__name__)
                return None
        plan = validate_plan(data, shown)
        if plan is None:
            log.info("planner reply rejected for question %r", question)
        return plan


def _by_deadline(deadline: float, call, messages):
    """`call(messages)` on a planner thread, waited for until `deadline` (time.monotonic);
    FutureTimeout after it."""
    return _CALLS.submit(call, messages).result(timeout=max(0.0, deadline - time.monotonic()))


def _late(question: str) -> None:
    log.warning("planning %r took longer than %g s; answering by the rules alone",
                question[:100], PLAN_SECONDS)
    return None


# -- back into a question the rule router reads ------------------------------------------


def spoken(name: str) -> str:
    """How a question names a vocabulary name: a column path by its last non-generic level,
    a row label without its 一、/(一) numbering."""
    if "/" in name:
        parts = [p for p in name.split("/") if p and not is_generic(p)]
        name = parts[-1] if parts else name.split("/")[-1]
    return strip_numbering(name.strip()) or name


def _growth_subject(name: str) -> str:
    """What the narrative calls a total when it states its change: 收入总计 → 收入预算."""
    for group in SYNONYMS:
        if norm(name) in {norm(g) for g in group}:
            for side in ("收入", "支出"):
                if group[0] == f"{side}总计":
                    return f"{side}预算"
    return name


def _scope_words(scope: str) -> str:
    # A table title's year would be read as the question's year; the title's core names it.
    return re.sub(r"^20\d{2}年度?", "", scope.strip())


def plan_to_question(plan: Plan) -> str:
    """A canonical Chinese question the rule router reads for this plan ("" for none)."""
    names = [spoken(f) for f in plan.figures]
    scope = _scope_words(plan.scope)
    if plan.operation == "rank":
        # 哪个 rather than 哪一项: the rules read 项 as the 项 level of 类/款/项 and would rank
        # the wrong rows of a table scope.
        where = scope or (names[0] if names else "")
        return f"{where}中哪个{'最多' if plan.largest else '最少'}" if where else ""
    if plan.operation == "none" or not names:
        return ""
    a = names[0]
    b = names[1] if len(names) > 1 else ""
    body = {
        "lookup": f"{a}是多少",
        "count": f"{a}是多少",
        # The narrative states changes of 收入预算 / 支出预算, not of a table's 总计 row.
        "growth": f"{_growth_subject(a)}比上年增长了百分之几",
        "text": f"什么是{a}",
        "share": f"{a}占{b}的比重是多少",
        "ratio": f"{a}是{b}的多少倍",
        "diff": f"{a}比{b}多多少",
        "sum": "、".join(names) + "合计是多少",
    }[plan.operation]
    return f"{scope}中{body}" if scope and plan.operation != "text" else body
