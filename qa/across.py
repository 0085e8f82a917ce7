"""Questions across documents: rankings, sums, shares, time series and changes, every figure cited.

"2026年各部门三公经费排名", "江苏省高院2017到2019年三公经费怎么变的", "和去年比，哪些部门项目
支出减少了": the measures stored at ingest (ingest.measures) of the documents the question names
(qa.across_scope) are compared with calc/ in one money unit, exactly. A document that lacks
the measure is listed as lacking it, never counted as zero. `AcrossAnswerer.answer` returns
None when the question is not one over several documents, and the one-document router answers
it; a reading over several documents that is not fully covered (a place, department or year the
store lacks, words beyond the measure) is refused with what was understood (qa.across_refusal).
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace

from budgetqa.domain import Answer, Citation, Option
from budgetqa.errors import CalcError
from ingest.measures import COUNTED, FUNCTION_CLASS, Measure
from qa.across_confirm import CONFIRMED, confirming_sentence, named_row
from qa.across_items import (FUND_TOTALS, Item, class_row_measure, fund_total, is_item,
                             item_measure, item_of, labels_of, named_item, printed_label)
from qa.across_names import english_scope, without_english_names
from qa.across_refusal import refusal, refusal_of_share, share_subject, unexplained_words
from qa.across_scope import (Disclosure, Selection, arabic_years, asked_years, disclosures,
                             select)
from qa.across_stated import StatedChange, stated_change
from qa.across_words import (ACROSS_CUE, MEASURE_WORDS, PINNED_CUE, TIME_CUE, Asked,
                             english_cues, english_years, fund_qualifier, named_measures,
                             read_asked, vehicles_counted, without_table_titles)
from qa.lexicon import is_english
from qa.question import Reading, read_question
from qa.text import norm


# The asker introducing themselves before the question: "作为人大代表我想知道：", "我是记者，".
_INTRODUCTION = re.compile(r"^\s*(作为|身为|我是)[^，,：:？?。！!]{1,24}[，,：:]\s*"
                           r"((我)?(想|要)(知道|问问?|了解|请教|查查?)(一下)?[，,：:]?|请问[，,：:]?)?")
# Spaces between Chinese words or numbers separate the items of a list ("省委办公厅 人大 政协",
# "17 18 19三年"); normalising would run them together.
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff\d])[ \t\u3000]+(?=[\u4e00-\u9fff\d])")
# An English question asking for each year against the one before.
_ENGLISH_STEP = re.compile(r"previous year|year before|prior year|year[- ]on[- ]year|"
                           r"which years?\b.*\b(fell|fall|rose|rise|went|drop|grew|increas|decreas)")
# The budget as a whole, named without a measure ("的预算", "盘子").
_WHOLE_BUDGET = re.compile(r"预算(?!数|表)|盘子")


# Measures that are of the general budget's appropriations by definition (the 三公 family,
# 机关运行经费, and 会议费/培训费 printed beside them).
_FUND_MEASURES = ("三公经费", "因公出国(境)费", "公务接待费", "公务用车购置及运行费",
                  "公务用车购置费", "公务用车运行费", "机关运行经费", "会议费", "培训费")


def of_fund(measure: Measure, fund: str) -> bool:
    """Whether the figure is of `fund`: by its definition, or by the title of its table (the
    sentence, for a narrative figure). A 一般公共预算 figure counts as 财政拨款 (basic
    expenditure is not paid from the other funds); not the other way round."""
    if measure.name in _FUND_MEASURES:
        return True
    said = measure.table if measure.source == "table" else measure.text
    return "一般公共预算" in said or fund == "财政拨款" and "财政拨款" in said


# Every canonical measure's words (qa.across_words): a printed label they name is no item.
_CANONICAL_WORDS = re.compile("|".join(f"(?:{p})" for p, _ in MEASURE_WORDS))
# Everyday names of 功能分类 类, by their printed label.
# (The question reading rewrites 社保就业 as 社会保障和就业.)
_CLASS_SHORT = {"社会保障和就业支出": ("社会保障和就业", "社保就业")}
# Measures that only say where a printed item stands ("基本支出里的办公费").
_HOLDERS = ("基本支出", "人员经费", "公用经费", "会议费", "培训费", "公务接待费", "因公出国(境)费",
            "公务用车运行费", "财政拨款支出")
# The words that say a figure is of a fund (in its table's title or its column).
_FUND_NAMES = {"财政拨款": ("财政拨款", "一般公共预算"), "一般公共预算": ("一般公共预算",)}


def _department_share(normalised: str, selection: Selection, asked: Asked,
                      class_labels: dict[str, str]) -> Asked:
    """A ratio of two measures read again as a department's share of one of them when a
    named department stands between the measures and 占 ("三家的基本支出里人员经费加起来，
    万里街道占百分之多少"): the whole measure only says where the part is, and the share is
    of the department in the set's sum of the part. Else the ratio as read."""
    if "占" not in normalised:
        return asked
    as_share = replace(asked, operation="share", measures=asked.measures[:1], pooled=False)
    if share_subject(normalised, selection, as_share) is None:
        return asked
    share_at = normalised.index("占")
    mention = [m for m in selection.mentions if m.publishers and m.end <= share_at
               and set(m.publishers) & set(selection.named)][-1]
    if named_measures(normalised[mention.start:], class_labels):
        return asked  # "高院的人员经费占基本支出…": the department's own ratio
    return as_share


class Catalogue:
    """The store's disclosures and measures, indexed once per change of the store."""

    def __init__(self, store):
        self._store = store
        self._confirmations: dict[tuple[str, str], Citation | None] = {}
        self._stated: dict[tuple[str, str, str], StatedChange | None] = {}
        self._named_rows: dict[tuple, Citation | None] = {}
        store.fill_missing_measures()
        self.source = store.measures()
        has_tables = {m.doc_id for m in self.source if m.source == "table"}
        self.disclosures = disclosures(store.documents(), has_tables)
        self.by_doc: dict[tuple[str, str], Measure] = {(m.doc_id, m.key): m for m in self.source}
        # 功能分类 类 by their printed label ("住房保障支出" → 功能分类:221).
        self.class_labels = {norm(m.label): m.key for m in self.source
                             if m.name == FUNCTION_CLASS and len(norm(m.label)) >= 4}
        self.class_names = {m.key: m.label for m in self.source if m.name == FUNCTION_CLASS}
        for label, key in list(self.class_labels.items()):
            # "社保就业的钱" for 社会保障和就业支出: a 类 as askers shorten it. (Not any label
            # without 支出: "卫生健康" stands in 卫生健康委员会, a department's name.)
            for short in _CLASS_SHORT.get(label, ()):
                self.class_labels.setdefault(short, key)
        self._labels: dict[str, set[str]] | None = None
        self._kinds = {d.id: d.kind for d in store.documents()}
        self._items: dict[tuple[str, str, str], Measure] = {}

    def item_labels(self) -> dict[str, set[str]]:
        """Every printed item label of the stored documents (qa.across_items), read once."""
        if self._labels is None:
            labels: dict[str, set[str]] = {}
            for doc_id in self._kinds:
                for label, kinds in labels_of(self._store.cells(doc_id)).items():
                    labels.setdefault(label, set()).update(kinds)
            # A row named after a department (Shenzhen's department total) is no item.
            names = [d.name_norm for d in self.disclosures]
            labels = {label: kinds for label, kinds in labels.items()
                      if not any(label in n or n in label for n in names)}
            self._labels = labels
        return self._labels

    def named_item(self, normalised: str, measures: list[str]) -> Item | None:
        """The printed item (not a canonical measure) the question names, or None."""
        item = named_item(normalised, self.item_labels(), measures, _CANONICAL_WORDS,
                          self.class_labels)
        if item is not None:
            self.class_names[item.key] = item.title
        return item

    def _class_rows(self, disclosure: Disclosure, key: str) -> list[Measure]:
        """A 功能分类 类 no coded table of the disclosure gives, as its 收支总表 prints it by
        name (qa.across_items.class_row_measure); [] when not printed."""
        name, code = key.split(":", 1)
        label = printed_label(self.class_names.get(key, ""))
        found = []
        for doc_id in disclosure.doc_ids:
            slot = (doc_id, key, "")
            if slot not in self._items:
                self._items[slot] = class_row_measure(doc_id, self._kinds.get(doc_id),
                                                      self._store.cells(doc_id), name, code,
                                                      label) if label else None
            if self._items[slot] is not None:
                found.append(self._items[slot])
        return found

    def _item(self, disclosure: Disclosure, key: str, fund: str) -> Measure | None:
        """The disclosure's printed row of an item: found in a file (tables file first),
        else blank, else several rows, else None (missing). With a fund, a figure whose
        table and column do not name it is status "other_fund"."""
        found = []
        for doc_id in disclosure.doc_ids:
            slot = (doc_id, key, fund)
            if slot not in self._items:
                self._items[slot] = item_measure(doc_id, self._kinds.get(doc_id),
                                                 self._store.cells(doc_id), item_of(key), fund)
            found.append(self._items[slot])
        chosen = next((m for s in ("found", "blank", "several") for m in found
                       if m.status == s), None)
        if fund and chosen is not None and chosen.status == "found" and not any(
                w in chosen.table + chosen.column for w in _FUND_NAMES[fund]):
            return replace(chosen, status="other_fund")
        return chosen

    def measure(self, disclosure: Disclosure, key: str, fund: str = "") -> Measure | None:
        """The disclosure's measure: found in a file (tables file first), else printed
        blank, else None (missing). With a `fund` ("财政拨款的…"), a figure not shown to be
        of that fund is status "other_fund": the wider figure never stands for it."""
        if is_item(key):
            return self._item(disclosure, key, fund)
        found = [self.by_doc.get((d, key)) for d in disclosure.doc_ids]
        found = [m for m in found if m is not None]
        if not found and key.startswith(FUNCTION_CLASS + ":"):
            found = self._class_rows(disclosure, key)
        chosen = next((m for m in found if m.status == "found"), None) or \
            next((m for m in found if m.status == "blank"), None)
        if fund and chosen is not None and chosen.status == "found" and \
                not of_fund(chosen, fund):
            # The fund's own basic-expenditure table may print it: that figure, else none.
            own = self._fund_total(disclosure, key, fund) if key in FUND_TOTALS else None
            return own if own is not None else replace(chosen, status="other_fund")
        return chosen

    def _fund_total(self, disclosure: Disclosure, key: str, fund: str) -> Measure | None:
        """The measure as the disclosure's basic-expenditure table of `fund` prints it
        (qa.across_items.fund_total), found once."""
        for doc_id in disclosure.doc_ids:
            slot = (doc_id, "fund-total:" + key, fund)
            if slot not in self._items:
                self._items[slot] = fund_total(doc_id, self._kinds.get(doc_id),
                                               self._store.cells(doc_id), key, fund)
            if self._items[slot] is not None and self._items[slot].status == "found":
                return self._items[slot]
        return None

    def name(self, key: str) -> str:
        return self.class_names.get(key, key)

    def stated_change(self, disclosure: Disclosure, measure: Measure) -> StatedChange | None:
        """The change against the year before that the disclosure's narrative states for
        `measure` (qa.across_stated), for a publisher whose previous year is not held."""
        slot = ("change", measure.doc_id, measure.key)
        if slot not in self._stated:
            self._stated[slot] = None
            if measure.status == "found" and disclosure.year:
                for doc_id in disclosure.doc_ids:
                    found = stated_change(self._store.passages(doc_id), measure,
                                          disclosure.year - 1)
                    if found is not None:
                        self._stated[slot] = found
                        break
        return self._stated[slot]

    def named_row(self, disclosure: Disclosure, measure: Measure,
                  names: tuple[str, ...]) -> Citation | None:
        """The disclosure's row printing `measure` under one of `names` (qa.across_confirm),
        found once per measure."""
        slot = ("row", measure.doc_id, measure.key, names)
        if slot not in self._named_rows:
            self._named_rows[slot] = None
            if names and measure.status == "found":
                for doc_id in disclosure.doc_ids:
                    found = named_row(self._store.cells(doc_id), measure, names)
                    if found is not None:
                        self._named_rows[slot] = found
                        break
        return self._named_rows[slot]

    def confirmation(self, disclosure: Disclosure, measure: Measure) -> Citation | None:
        """The disclosure's narrative sentence restating `measure` (qa.across_confirm), found
        once per measure."""
        slot = (measure.doc_id, measure.key)
        if slot not in self._confirmations:
            self._confirmations[slot] = None
            if measure.name in CONFIRMED:
                for doc_id in disclosure.doc_ids:
                    found = confirming_sentence(self._store.passages(doc_id), measure)
                    if found is not None:
                        self._confirmations[slot] = found
                        break
        return self._confirmations[slot]


class AcrossAnswerer:
    """Answers cross-document questions from the store's measures."""

    def __init__(self, store):
        self.store = store
        self._catalogue: Catalogue | None = None
        self._source_seen = None
        self._lock = threading.Lock()

    def catalogue(self) -> Catalogue:
        """The catalogue, rebuilt when a document was stored or removed since."""
        current = self.store.measures() if self._catalogue is not None else None
        if self._catalogue is None or current is not self._source_seen:
            with self._lock:
                self._catalogue = Catalogue(self.store)
                self._source_seen = self._catalogue.source
        return self._catalogue

    def answer(self, question: str, pinned: str | None = None) -> Answer | None:
        """The cross-document answer, or None when the question is about one document."""
        asked = _INTRODUCTION.sub("", question)
        if not is_english(question):
            asked = arabic_years(_SPACED.sub("、", asked))
        if asked == question:
            return self._answer(question, pinned)
        # "作为人大代表我想知道：…": who asks is not what is asked (人大 there is no department).
        found = self._answer(asked, pinned)
        return None if found is None else replace(found, question=question)

    def _answer(self, question: str, pinned: str | None) -> Answer | None:
        reading = read_question(question)
        if is_english(question):
            # The measure and the operation are read without the names of the departments.
            reading = replace(read_question(without_english_names(
                without_table_titles(question))), question=question)
        normalised = reading.normalised
        years = reading.years
        if is_english(question):
            # The one-document translation keeps the measure and the operation; the names,
            # years and set words of an English question are read here.
            normalised = norm(english_scope(question)) + english_cues(question) + normalised
            years = english_years(question)
        if pinned is not None:
            # Only the question's own words take it away from the chosen document.
            if not PINNED_CUE.search(reading.normalised):
                return None
            if TIME_CUE.search(normalised) and not re.search(r"部门|单位", normalised):
                # "历年三公经费" asked of a chosen document: its publisher's years.
                normalised = norm(self.store.document(pinned).publisher) + normalised
        catalogue = self.catalogue()
        measures, fund = fund_qualifier(
            normalised, named_measures(normalised, catalogue.class_labels),
            catalogue.class_labels)
        measures = vehicles_counted(norm(question), measures)
        years = asked_years(normalised, years)
        class_labels = catalogue.class_labels
        item = catalogue.named_item(normalised, measures)
        if item is not None:
            # "基本支出里的办公费": the item's printed row (qa.across_items); the measure
            # that only says where it stands is no measure asked. A share keeps its whole.
            measures = [item.key] + ([m for m in measures if m not in _HOLDERS]
                                     if "占" in normalised else [])
            class_labels = {**class_labels, item.label: item.key,
                            **({item.within: item.key} if item.within else {})}
        if not measures and _WHOLE_BUDGET.search(normalised) and (
                len(years) >= 2 or ACROSS_CUE.search(normalised)):
            measures = ["支出总计"]  # "人大的预算从2017年到2019年涨了多少": the whole budget
        if not measures:
            return None
        selection = select(catalogue.disclosures, normalised, years)
        # One publisher's 部门预算 against its 单位预算 is a comparison of two disclosures.
        one_publisher = bool(selection.publisher) and not selection.both_kinds
        # The question as typed keeps operation words the budget rewording may have merged
        # into a measure ("部门预算一共" → 收入总计).
        cues = normalised + "|" + norm(question)
        if is_english(question) and not _ENGLISH_STEP.search(question.lower()):
            # The one-document translation reads "grow from 2017 to 2019" as 比上年: across
            # years it is the first year against the last, not each year against the one before.
            cues = cues.replace("比上年", "比")
        asked = replace(read_asked(cues, measures, years, one_publisher), fund=fund)
        if asked.operation == "series" and reading.operation == "growth":
            asked = replace(asked, rate=True)  # "增长了多少" asks for a rate, as in one document
        if asked.operation == "ratio":
            asked = _department_share(normalised, selection, asked, class_labels)
        subject = share_subject(
            normalised, selection, asked,
            english=is_english(question) and "belong" in question.lower()) \
            if asked.operation in ("share", "position") else None
        if subject is not None:
            # "高院占这四个省级部门总和的比例": the share of one named publisher in a set.
            selection = select(catalogue.disclosures, subject[1], years)
            if len({d.publisher for d in selection.disclosures}) < 2:
                # "北京市财政局占2026年五家单位合计的百分之几": the subject's own place (北京)
                # scopes no set of one; the set is the rest of the question's.
                selection = select(catalogue.disclosures, subject[2], years)
            if len({d.publisher for d in selection.disclosures}) < 2:
                return refusal_of_share(reading, selection, subject[0], measures, asked)
            selection.subject = subject[0]
            one_publisher = False
        scope_text = subject[1] if subject is not None else normalised
        if one_publisher and asked.operation == "ratio" and len(years) >= 2:
            # "万里街道项目支出占支出总计的比重，2025年比2023年提高了几个百分点": one
            # publisher's share over its years, compared in percentage points.
            asked = replace(asked, operation="series", over_years="ratio")
        if selection.unresolved and not selection.named:
            # "2023年杭州市各部门…", "西安公安局…": no stored publisher is named at all.
            return refusal(reading, selection, measures, asked, scope_text,
                           class_labels)
        if one_publisher and asked.operation != "series" and not (
                selection.unresolved and asked.operation != "list"):
            # One publisher, one year: the one-document router. (A sum or comparison with
            # another department word it cannot resolve, "民政局和商务委一共", is refused below.)
            return None
        if one_publisher and len(years) == 2 and reading.operation in ("diff", "growth") \
                and measures[0] not in COUNTED \
                and not ACROSS_CUE.search(normalised) and not is_english(question) and (
                    measures[0].startswith(FUNCTION_CLASS) or is_item(measures[0]) or
                    unexplained_words(normalised, selection, class_labels, 2)):
            # "万里街道2025年城乡社区支出比2024年增加了多少", "…人员经费中的工资福利支出…":
            # an item beyond the canonical measures; the router compares the two years.
            # (Never a count: the router would compare the vehicles' cost in 万元.)
            return None
        if asked.operation == "changes":
            # Each publisher against its previous year: every year is looked at, the latest
            # asked year (if any) is the one compared.
            selection = select(catalogue.disclosures, normalised, ())
            selection.years = years
        several = len(selection.named) >= 2  # "高院和省检察院": a comparison of the two
        if not one_publisher and not several and not ACROSS_CUE.search(normalised) and (
                asked.operation == "list" or len(selection.disclosures) < 2) \
                and not selection.subject and not selection.both_kinds:
            return None  # "三公经费是多少？" names no set of documents
        if asked.operation not in ("series", "changes") and not years:
            selection = self._latest_year(selection)
        # Across documents, every scope word must be covered: else say what was understood.
        refused = refusal(reading, selection, measures, asked, scope_text,
                          class_labels)
        if refused is not None:
            return refused
        if not selection.disclosures:
            return self._no_documents(reading, selection, measures)
        try:
            if len(measures) >= 2 and asked.operation not in ("ratio", "changes") and \
                    asked.over_years != "ratio":
                return self._which_measure(reading, catalogue, selection, asked, measures)
            return self._compose(reading, catalogue, selection, asked)
        except CalcError as exc:
            from qa import compose
            return compose.not_stated(question, None, f"无法计算：{exc.message}", [])

    @staticmethod
    def _no_documents(reading: Reading, selection: Selection, measures: list[str]) -> Answer:
        """No ingested document fits the year, place, publisher or kind asked for: say so."""
        asked = "、".join(filter(None, [
            "、".join(f"{y}年" for y in selection.years),
            "、".join(selection.named) or selection.place, selection.basis]))
        return Answer(question=reading.question, doc=None, route="none",
                      text=f"没有收录符合条件（{asked or '问题所指'}）的文件，无法比较"
                           f"{measures[0].split(':')[0]}。" +
                           "".join(f"\n{a}。" for a in selection.absent) +
                           "".join(f"\n注：{n}。" for n in selection.notes),
                      reading={"operation": "across", "years": list(selection.years),
                               "basis": selection.basis, "documents": []})

    def _which_measure(self, reading: Reading, catalogue: Catalogue, selection: Selection,
                       asked: Asked, measures: list[str]) -> Answer:
        """Two measures named where one is compared ("三公经费和会议费合计", "项目支出中的
        政府采购"): no figure stands for both or for the one inside the other, so the reader
        chooses; each option is that measure's answer alone, with its figures cited."""
        placed = self._placed_inside(reading.normalised, catalogue, selection, measures)
        if placed is not None:
            return self._compose(reading, catalogue, selection, replace(asked, measures=(placed,)))
        options, answers = [], []
        for key in measures[:3]:
            alone = self._compose(reading, catalogue, selection, replace(asked, measures=(key,)))
            answers.append(alone)
            name = catalogue.name(key)
            options.append(Option(
                wording=f"只看{name}：{alone.text.split(chr(10))[0]}", value=alone.value,
                unit=alone.unit, citations=alone.citations))
        def outcome(a: Answer) -> tuple:
            first = (a.table or {}).get("rows") or [{}]
            return a.route, a.value, a.unit, first[0].get("publisher"), first[0].get("year")

        if len({outcome(a) for a in answers}) == 1 and answers[0].value is not None:
            # "盘子最大？收入总计多少": the readings agree (收入总计 = 支出总计), nothing to choose.
            return answers[0]
        names = "、".join(catalogue.name(k) for k in measures[:3])
        text = (f"问题里有{len(options)}个指标（{names}），各文件分别列出，没有把它们合在一起"
                f"或一个套在另一个里的数；请问您问的是哪一个？\n" +
                "\n".join(f"{i}. {o.wording}" for i, o in enumerate(options, 1)))
        return Answer(question=reading.question, doc=None, route="clarify", text=text,
                      options=tuple(options),
                      reading={"operation": f"across-{asked.operation}",
                               "years": list(selection.years), "basis": selection.basis,
                               "measures": [catalogue.name(k) for k in measures],
                               "documents": [d for x in selection.disclosures for d in x.doc_ids]})

    @staticmethod
    def _placed_inside(normalised: str, catalogue: Catalogue, selection: Selection,
                       measures: list[str]) -> str | None:
        """The measure of "培训费（基本支出里的）", "基本支出中的培训费" when the other measure only
        says where it stands: every selected figure of it is read from a table titled with
        the other's name. None otherwise."""
        if len(measures) != 2:
            return None
        for part, whole in (measures, measures[::-1]):
            name = catalogue.name(whole)
            if not re.search(re.escape(name) + r"(里|中|当中|之中)的?", normalised):
                continue
            found = [catalogue.measure(d, part) for d in selection.disclosures]
            found = [m for m in found if m is not None and m.status == "found"]
            if found and all(m.source == "table" and name in norm(m.table) for m in found):
                return part
        return None

    @staticmethod
    def _latest_year(selection: Selection) -> Selection:
        """A ranking that names no year compares one year: the latest with two or more
        disclosures (else the latest), and says so."""
        years = sorted({d.year for d in selection.disclosures if d.year}, reverse=True)
        if len(years) <= 1:
            return selection
        counts = {y: sum(d.year == y for d in selection.disclosures) for y in years}
        year = next((y for y in years if counts[y] >= 2), years[0])
        selection.notes.append(f"问题未说明年度，按有多份文件的最近年度{year}年比较"
                               f"（已收录年度：{'、'.join(str(y) for y in sorted(years))}）")
        selection.disclosures = [d for d in selection.disclosures if d.year == year]
        selection.years = (year,)
        return selection

    def _compose(self, reading: Reading, catalogue: Catalogue, selection: Selection,
                 asked: Asked) -> Answer:
        from qa import across_compose as compose

        key = asked.measures[0]
        if asked.operation == "changes":
            return compose.changes(reading, catalogue, selection, asked, key)
        if asked.operation == "series":
            return compose.series(reading, catalogue, selection, asked, key)
        if asked.operation == "ratio":
            return compose.ratio(reading, catalogue, selection, asked)
        return compose.compare(reading, catalogue, selection, asked, key)
