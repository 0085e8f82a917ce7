"""Questions about projects of performance forms, answered from the forms' own cells.

"X项目执行率多少", "X项目自评得了多少分", "X项目还有多少没花出去" (全年预算数 − 全年执行数),
"X项目全年预算里当年财政拨款占多少", "哪个项目执行率最低", "Y医院的几个项目全年预算加起来",
"X项目里某指标的目标值": the asker names a project by a short or partial name, perhaps its
unit, and a column of its form. The general router reads such questions against every row of
the document and picks a row of the wrong project or the wrong row of the form; here the
project is found first (`qa.form_projects`), then the row and column the question asks,
within that project's form. A question that names several projects equally gets a clarify;
one this module does not fully understand is left to the router (None), never guessed.
"""

from __future__ import annotations

import re
import weakref
from decimal import Decimal

from budgetqa.domain import Answer, Option
from calc import operations as ops
from calc.operations import Operand
from qa import compose
from qa.form_projects import FormProject, Named, form_projects, named_projects, unit_named
from qa.linking import Candidate, Mention, RowView
from qa.operands import Context, cell_operand
from qa.text import norm

# Columns of a form's money rows, by what a question calls them; earlier entries take
# their words first ("预算执行率" is the rate, not the budget).
_COLUMNS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = (
    ("rate", re.compile(r"executionrate|(预算)?(执行|完成)率|执行进度|执行比例|完成比例"), re.compile(r"^执行率")),
    ("score", re.compile(r"score|得分|多少分|几分|得了.{0,3}分|总分|评分|打分|自评分|分数"),
     re.compile(r"^得分$")),
    ("points", re.compile(r"分值|满分"), re.compile(r"^分值$")),
    ("start", re.compile(r"年初预算数?|年初安排|年初"), re.compile(r"^年初预算")),
    ("spent", re.compile(r"执行数|执行了|执行多少|实际执行|实际(支出|花|用)|花了|花掉|用了|"
                         r"支出了|实际"), re.compile(r"^全年执行")),
    ("budget", re.compile(r"全年预算数?|预算数|调整后?预算|预算金额|预算|安排|多少钱|金额|总额|"
                          r"资金总额|钱"), re.compile(r"^(全年预算|项目总额|项目资金)")),
)
_LABELS = {"rate": "执行率", "score": "得分", "points": "分值", "start": "年初预算数",
           "spent": "全年执行数", "budget": "全年预算数"}
# Rows of the money block besides the total, by what a question calls them.
_ROW_ROLES = (("appropriation", re.compile(r"当年财政拨款|财政拨款|财政资金"),
               re.compile(r"财政拨款|财政资金")),
              ("carried", re.compile(r"上年结转"), re.compile(r"上年结转")),
              ("other", re.compile(r"其他资金"), re.compile(r"其他资金")))
_UNSPENT = re.compile(r"没花|未花|没用|未用|没(有)?执行|未执行|结余|剩余|剩下|还剩|差了?多少|"
                      r"差额|相差|差距|没支出|未支出|没完成")
_SHARE = re.compile(r"占")
_RATIO = re.compile(r"倍")
_JOINED = re.compile(r"和|与|及|、")
_COMPARE = re.compile(r"比.{1,40}(多|少|高|低|增|减)")
_RANK = re.compile(r"最(高|低|大|小|多|少)|排名|第一")
_SUM = re.compile(r"加起来|合计|一共|总共|共计|加在一起|总和|之和")
_INDICATOR = re.compile(r"指标|目标|完成值|实际完成|要求|计划|上限|下限|不超过|不低于|至少|"
                        r"多少(个|家|辆|台|人|次|篇|件|项|套|张|分钟|天|月|科)|几(个|家|辆|台|人|次|篇|件|项|套|张|分钟|天|月)")
_ACTUAL = re.compile(r"实际完成|完成值|实际(达到|做到)|完成了")
# "两个财政票据电子化的项目", "（A、B、C）": a sum over several projects, not one.
_SEVERAL = re.compile(r"[（(][^（）()]+、|[两二三四五六七八九十几]个.{0,16}项目|这些项目|各项目")
_TEXT = re.compile(r"为什么|原因|为何|为啥|怎么回事|问题")

_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _projects(ctx: Context) -> list[FormProject]:
    """The view's form projects, grouped once per view."""
    found = _cache.get(ctx.view)
    if found is None:
        found = _cache[ctx.view] = form_projects(ctx.view)
    return found


def _asked_columns(text: str) -> list[str]:
    """The money columns the question names, in the order it names them."""
    found: list[tuple[int, str]] = []
    # An indicator's 实际完成值 is no money column ("实际" alone reads as 全年执行数).
    masked = re.sub(r"(实际)?完成值", lambda m: "\0" * len(m.group(0)), text)
    for name, words, _ in _COLUMNS:
        for match in words.finditer(masked):
            found.append((match.start(), name))
            masked = masked[:match.start()] + "\0" * len(match.group(0)) + masked[match.end():]
    seen = []
    for _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return seen


def _row_role(text: str) -> str:
    return next((role for role, words, _ in _ROW_ROLES if words.search(text)), "total")


def _money_cell(project: FormProject, role: str, column: str):
    """(row, cell) of the project's money block: the row of `role` (the total, or a part
    such as 当年财政拨款) and the column asked; a form that splits the parts into columns
    (全年预算数/财政拨款, 项目总额 | 其中：/财政资金) is read by column."""
    if column in ("score", "points"):
        if role != "total" or project.total is None:
            return None, None
        cell = next((c for c in project.total.cells if norm(c.column) == _LABELS[column]), None)
        return (project.total, cell) if cell is not None else (None, None)
    pattern = next(p for n, _, p in _COLUMNS if n == column)
    part = next((p for r, _, p in _ROW_ROLES if r == role), None)
    for row in project.money:
        label = norm(row.label)
        total_row = label in ("年度资金总额", "金额合计") or not project.self_evaluation
        part_row = part is not None and part.search(label)
        if not (total_row or part_row):
            continue
        for cell in row.cells:
            path = norm(cell.column)
            head = path.split("/")[0]
            parts_named = [r for r, _, p in _ROW_ROLES if p.search(path)]
            # 项目总额 | 其中：/财政资金: a target table's parts are columns under 其中.
            heads = pattern.search(head) or (column == "budget" and head.startswith("其中"))
            if not heads:
                continue
            if part is None and total_row and not parts_named and not head.startswith("其中"):
                return row, cell
            if part is not None and part_row and not parts_named:
                return row, cell
            if part is not None and total_row and parts_named == [role]:
                return row, cell
    return None, None


def _rate_agrees(project: FormProject, role: str, rate) -> bool:
    """Whether a printed 执行率 is the form's own B/A (within rounding): a rate read with a
    neighbouring cell's digits ("1000%" beside 分值 10) is not quoted or ranked."""
    _, budget = _money_cell(project, role, "budget")
    _, spent = _money_cell(project, role, "spent")
    if budget is None or spent is None or budget.value in (None, 0) or spent.value is None:
        return True
    return abs(spent.value / budget.value * 100 - rate) <= 1


def _operand(project: FormProject, row: RowView, cell, label: str) -> Operand:
    base = cell_operand(Candidate(row, cell, 0.0, Mention(0, 0, "")))
    unit = base.unit
    if project.self_evaluation and cell.measure in ("指标值", "实际完成值") and \
            unit in ops.MONEY and unit not in cell.printed and unit not in row.label:
        # A self-evaluation prints an indicator's unit in its value ("100辆"): a bare count
        # ("1") has none, whatever the form's money unit. (A target table has a unit column.)
        unit = ""
    return Operand(value=cell.value, unit=unit, label=label, citation=base.citation)


def _name(project: FormProject) -> str:
    if project.department:
        return project.name + "部门整体支出"
    return project.name if project.name.endswith("项目") or not project.self_evaluation \
        else project.name + "项目"


def _money_operand(project: FormProject, role: str, column: str) -> Operand | None:
    row, cell = _money_cell(project, role, column)
    if cell is None or cell.value is None:
        return None
    if column == "rate" and not _rate_agrees(project, role, cell.value):
        return None
    if role == "total" or column in ("score", "points"):
        what = ""
    elif row in project.money and norm(row.label) in ("年度资金总额", "金额合计") or \
            not project.self_evaluation:
        what = norm(cell.column).split("/")[-1]  # the part is a column: "其中：/财政资金"
    else:
        what = re.sub(r"^其中[：:]?", "", norm(row.label))
    column_word = _LABELS[column] if project.self_evaluation or column != "budget" else "项目总额"
    if what and not project.self_evaluation:
        column_word = ""  # 财政资金 of a target table's project is its whole name
    if column == "score" and row is project.total:
        column_word = "自评总分得分"
    return _operand(project, row, cell, f"{_name(project)}{what}{column_word}")


def _indicator(project: FormProject, text: str, spans: tuple[str, ...]):
    """The indicator row the question names within the project (None when none fits well)."""
    from qa.form_projects import name_fit

    rest = text
    for span in spans:
        rest = rest.replace(span, "")
    scored = []
    for row in project.indicators:
        label = re.sub(r"[（(][^（）()]*[）)]$", "", norm(row.label))
        shared, cover, _ = name_fit(rest, label)
        unit = next((c.unit for c in row.cells if c.measure == "指标值" and c.unit), "")
        if unit and unit not in ops.MONEY and unit in rest:
            shared += 1
        if shared >= 2:
            scored.append((shared, cover, row))
    if not scored:
        return None, []
    best = max(s for s, _, _ in scored)
    top = [r for s, c, r in scored if s == best]
    return top[0], top


def _indicator_answer(ctx: Context, project: FormProject, row: RowView) -> Answer | None:
    text = ctx.reading.normalised
    if re.search(r"得分|得了.{0,3}分|多少分", text):
        measure = ("得分", None)
    elif re.search(r"分值|满分", text):
        measure = ("分值", None)
    elif _ACTUAL.search(text):
        measure = (None, "实际完成值")
    else:
        measure = (None, "指标值")
    column, kind = measure
    cell = next((c for c in row.cells if (kind and c.measure == kind) or
                 (column and norm(c.column) == column)), None)
    if cell is None or cell.value is None:
        return None
    word = column or ("实际完成值" if kind == "实际完成值" else "目标值")
    operand = _operand(project, row, cell, f"{_name(project)}“{row.label}”{word}")
    answer = compose.quoted(ctx.reading.question, ctx.doc.id, operand, [])
    if cell.comparator and cell.comparator not in ("=", "定性"):
        answer = Answer(**{**answer.__dict__, "text": answer.text.replace(
            "为", f"为{cell.comparator}", 1)})
    return answer


def _clarify(ctx: Context, options: list[tuple[FormProject, Answer, Operand]]) -> Answer | None:
    """Ask which project is meant, when the named ones give different figures."""
    if len({(a.value, a.unit) for _, a, _ in options}) < 2:
        return None
    return compose.clarify(ctx.reading.question, ctx.doc.id, [
        Option(wording=f"{p.unit + '的' if p.unit else ''}{_name(p)}（《{p.table_title}》）",
               value=a.value, unit=a.unit, citations=a.citations,
               question=f"{p.unit}{ctx.reading.question}" if p.unit else "")
        for p, a, _ in options],
        reading=None)


def _one_project(ctx: Context, named: Named) -> tuple[Answer, Operand] | None:
    """The answer about one named project, and the operand it rests on (for a clarify)."""
    project, text = named.project, ctx.reading.normalised
    columns = _asked_columns(text)
    role = _row_role(text)
    indicator_cue = _INDICATOR.search(text)
    money_asked = any(c in columns for c in ("rate", "start", "spent")) or _UNSPENT.search(text) \
        or role != "total"
    if project.indicators and not money_asked:
        row, top = _indicator(project, text, named.spans)
        if row is not None and len(top) == 1:
            answer = _indicator_answer(ctx, project, row)
            if answer is not None:
                return answer, Operand(answer.value, answer.unit, row.label, answer.citations[0])
        if indicator_cue and not columns:
            return None  # an indicator this module could not tell apart: the router reads it
    question, doc = ctx.reading.question, ctx.doc.id
    if _UNSPENT.search(text) and not _SHARE.search(text):
        budget = _money_operand(project, role, "budget")
        spent = _money_operand(project, role, "spent")
        if budget is None or spent is None:
            return None
        result = ops.difference(budget, spent)
        answer = compose.computed(question, doc, result, "diff")
        if answer.value < 0 and re.search(r"差|相差", text):
            answer = Answer(**{**answer.__dict__, "value": -answer.value})
        return answer, budget
    if _SHARE.search(text) and role != "total":
        column = next((c for c in columns if c in ("budget", "start", "spent")), "budget")
        part = _money_operand(project, role, column)
        whole = _money_operand(project, "total", column)
        if part is None or whole is None:
            return None
        return compose.computed(question, doc, ops.share(part, whole), "share"), part
    money = [c for c in columns if c in ("budget", "start", "spent")]
    if _RATIO.search(text) and len(money) >= 2:
        a = _money_operand(project, role, money[0])
        b = _money_operand(project, role, money[1])
        if a is None or b is None:
            return None
        return compose.computed(question, doc, ops.ratio(a, b), "ratio"), a
    if not columns:
        if not (project.total or project.money) or not re.search(r"多少|几|是否|数", text):
            return None
        columns = ["budget"]
    operand = _money_operand(project, role, columns[0])
    if operand is None and columns[0] == "rate":
        # The printed rate is not the form's B/A: the rate computed from its two cells.
        budget = _money_operand(project, role, "budget")
        spent = _money_operand(project, role, "spent")
        if budget is None or spent is None:
            return None
        return compose.computed(question, doc, ops.share(spent, budget), "share"), spent
    if operand is None:
        return None
    return compose.quoted(question, doc, operand, []), operand


def _ranked(ctx: Context, projects: list[FormProject]) -> Answer | None:
    """The project with the highest or lowest figure of one column, over the projects of
    the forms of one kind (self-evaluations, or target tables)."""
    text = ctx.reading.normalised
    if "项目" not in text:
        return None
    columns = _asked_columns(text)
    column = columns[0] if columns else "budget"
    kinds = [p for p in projects if not p.department and p.complete]
    evaluation = any(p.self_evaluation for p in kinds) and (
        "自评" in text or column in ("rate", "score", "spent", "start")
        or not any(not p.self_evaluation for p in kinds))
    pool = [p for p in kinds if p.self_evaluation == evaluation]
    operands = [o for o in (_money_operand(p, "total", column) for p in pool) if o is not None]
    if len(operands) < 2:
        return None
    largest = bool(re.search(r"最(高|大|多)|第一", text))
    best, result = ops.rank(operands, largest=largest)
    answer = compose.ranked(ctx.reading.question, ctx.doc.id, best, result)
    lost = [p for p in projects if not p.complete and not p.department
            and p.table_title in {q.table_title for q in pool}]
    if lost:
        # Some project rows of these tables were not read whole: the ranking covers the
        # projects read, and says so.
        answer = Answer(**{**answer.__dict__, "text": answer.text + (
            f"注意：表中另有{len(lost)}行未能读出项目名称和金额（跨页或折行），以上比较只包括"
            f"完整读取的{len(operands)}个项目，排名可能不全。")})
    tied = [o.label for o in operands if o is not best and o.value == best.value]
    if tied:
        # Equal figures: the first in table order is no more the answer than the others.
        answer = Answer(**{**answer.__dict__, "text": answer.text + (
            f"与之并列（同为{ops.plain(best.value)}{best.unit}）的还有{len(tied)}个："
            + "、".join(tied[:10]) + ("等" if len(tied) > 10 else "") + "。")})
    return answer


def _summed(ctx: Context, projects: list[FormProject]) -> Answer | None:
    """A sum over the projects of one unit ("第八医院在自评表里的几个项目…加起来") or over
    the projects listed in the question ("（A、B、C）加起来")."""
    text = ctx.reading.normalised
    columns = _asked_columns(text)
    column = next((c for c in columns if c in ("budget", "start", "spent")), "budget")
    pool = [p for p in projects if not p.department and p.complete]
    listed = re.search(r"[（(]([^（）()]+[、，,][^（）()]+)[）)]", text)
    chosen: list[FormProject] = []
    if listed:
        rest = text.replace(listed.group(0), "")
        unit_pool = [p for p in pool if p.unit and unit_named(rest, p.unit)] or pool
        for piece in re.split(r"[、，,和及]", listed.group(1)):
            # A listed name is a project's whole name; else the one it names best.
            exact = [p for p in unit_pool if p.core == re.sub(r"项目$", "", norm(piece))]
            named = exact or [n.project for n in named_projects(piece, unit_pool) if n.cover >= 1]
            if len(named) != 1:
                return None
            chosen.append(named[0])
    elif _JOINED.search(text):
        # "X的政府采购部分和非政府采购部分加起来": each joined piece names one project.
        # The wording as asked: normalising drops the comma that ends the shared words.
        wording = ctx.reading.wording
        pieces = [piece for piece in _JOINED.split(_SUM.split(wording)[0]) if piece.strip()]
        lead = pieces[0]
        for piece in pieces:
            named = named_projects(norm(piece if piece is lead else lead[:_lead_end(lead)] + piece),
                                   pool)
            if len(named) != 1 or named[0].project in chosen:
                return None
            chosen.append(named[0].project)
    else:
        units = {p.unit for p in pool if p.unit and unit_named(text, p.unit)}
        if len(units) == 1 and "项目" in text:
            chosen = [p for p in pool if p.unit in units]
        else:
            chosen = _sharing_phrase(text, pool)
    if not chosen:
        return None
    operands = [_money_operand(p, "total", column) for p in chosen]
    if len(operands) < 2 or any(o is None for o in operands):
        return None
    return compose.computed(ctx.reading.question, ctx.doc.id, ops.total(operands), "sum")


def _lead_end(lead: str) -> int:
    """Where the first joined piece's shared context ends ("中心血站采供血业务经费，政府采购部分":
    the words before the comma name the project the later pieces are parts of)."""
    at = max(lead.rfind("，"), lead.rfind(","), lead.rfind("的"))
    return at + 1 if at >= 0 else 0


# "执行率低于50%的项目", "得分不到90分的项目": a bound on one column.
_BOUND = re.compile(r"(低于|不到|不足|小于|少于|未达到|没达到|没有达到|高于|超过|大于|多于|达到|不低于|不少于)"
                    r"(百分之)?(\d+(\.\d+)?)(%|分|万元|万)?")
_BELOW = ("低于", "不到", "不足", "小于", "少于", "未达到", "没达到", "没有达到")
_AT_LEAST = ("达到", "不低于", "不少于")


def _counted(ctx: Context, projects: list[FormProject]) -> Answer | None:
    """How many projects (and which) have a column below, above or at a bound:
    "执行率低于50%的项目有几个", "哪些项目自评得分不到90分"."""
    text = ctx.reading.normalised
    bound = _BOUND.search(text)
    if not bound or "项目" not in text or not re.search(r"几个|多少个|哪些|哪几个|有几", text):
        return None
    columns = _asked_columns(text[:bound.start()]) or _asked_columns(text)
    if not columns:
        return None
    column, word, limit = columns[0], bound.group(1), Decimal(bound.group(3))
    pool = [p for p in projects if not p.department and p.complete and p.self_evaluation]
    if column not in ("rate", "score") or not pool:
        return None
    operands = [o for o in (_money_operand(p, "total", column) for p in pool) if o is not None]
    if word in _BELOW:
        chosen = [o for o in operands if o.value < limit]
        sign = "<"
    elif word in _AT_LEAST:
        chosen = [o for o in operands if o.value >= limit]
        sign = "≥"
    else:
        chosen = [o for o in operands if o.value > limit]
        sign = ">"
    unit = operands[0].unit if operands else ""
    listed = "；".join(f"{o.label} {ops.plain(o.value)}{o.unit}" for o in chosen)
    text_out = (f"{_LABELS[column]}{sign}{ops.plain(limit)}{unit}的项目有{len(chosen)}个"
                + (f"：{listed}" if chosen else "") + f"（共比较{len(operands)}个项目的绩效自评表"
                + (f"；另有{len(pool) - len(operands)}个项目的{_LABELS[column]}未印出或与其"
                   f"表中数字不符，未计入" if len(operands) < len(pool) else "") + "）。")
    return Answer(question=ctx.reading.question, doc=ctx.doc.id, route="calc", text=text_out,
                  value=Decimal(len(chosen)), unit="个",
                  formula=f"{_LABELS[column]} {sign} {ops.plain(limit)}{unit}：{len(chosen)}个",
                  citations=tuple(o.citation for o in chosen))


_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _sharing_phrase(text: str, pool: list[FormProject]) -> list[FormProject]:
    """The projects whose names all print the question's longest distinctive phrase
    ("两个财政票据电子化的项目": both names print 财政票据电子化), when the question counts
    them and the count agrees; [] otherwise."""
    from qa.form_projects import _distinct, _shared_runs

    counted = re.search(r"([两二三四五六七八九])个", text)
    if not counted:
        return []
    best: list[FormProject] = []
    for length in range(len(text), 3, -1):
        for i in range(len(text) - length + 1):
            piece = text[i:i + length]
            if _distinct(piece) < 4:
                continue
            holders = [p for p in pool if piece in p.core]
            if len(holders) >= 2:
                best = holders
                break
        if best:
            break
    return best if len(best) == _COUNT[counted.group(1)] else []


def answer_from_forms(ctx: Context) -> Answer | None:
    """The answer to a question about the projects of the document's performance forms, a
    clarify when it names several projects that give different figures, or None when it is
    about no form project (or not understood here: the router reads it then)."""
    projects = _projects(ctx)
    if not projects:
        return None
    text = ctx.reading.normalised
    named = named_projects(text, projects)
    if not named:
        counted = _counted(ctx, projects)  # "哪些项目得分不到90分" reads as text, asks a list
        if counted is not None:
            return counted
    if ctx.reading.operation == "text" or _TEXT.search(text):
        return None
    if _SUM.search(text) and (len(named) != 1 or _SEVERAL.search(text)
                              or _JOINED.search(_SUM.split(text)[0])):
        summed = _summed(ctx, projects)
        if summed is None and named:
            # Several things added, one of them a project this module names: an answer
            # from the router's row search would add other forms' rows; say so instead.
            return compose.not_stated(ctx.reading.question, ctx.doc.id,
                                      "问题中相加的各项未能逐一对应到绩效自评表或绩效目标表中的项目",
                                      [])
        return summed
    if not named:
        if _RANK.search(text) and re.search(r"哪(个|一个|些)?项目|项目.{0,12}最", text):
            return _ranked(ctx, projects)
        return _department(ctx, projects)
    if _RANK.search(text) or (_COMPARE.search(text) and not _UNSPENT.search(text)):
        return None  # a ranking or a comparison with something else: not one project's cell
    answers = [(n.project, *found) for n in named if (found := _one_project(ctx, n)) is not None]
    if not answers or len(answers) < len(named) and len(named) > 1:
        return None
    if any(a.route == "lookup" and (_SHARE.search(text) or _RATIO.search(text))
           for _, a, _ in answers):
        return None  # a computation asked with something outside the form: the router's
    if len(answers) == 1:
        return answers[0][1]
    clarified = _clarify(ctx, answers)
    return clarified if clarified is not None else answers[0][1]


def _department(ctx: Context, projects: list[FormProject]) -> Answer | None:
    """The department-wide form's total score ("部门整体支出绩效自评得了多少分")."""
    text = ctx.reading.normalised
    if not re.search(r"部门整体|departmentwide", text) or "score" not in _asked_columns(text):
        return None
    forms = [p for p in projects if p.department and p.total is not None]
    if len(forms) != 1:
        return None
    operand = _money_operand(forms[0], "total", "score")
    if operand is None:
        return None
    return compose.quoted(ctx.reading.question, ctx.doc.id, operand, [])


__all__ = ["answer_from_forms"]
