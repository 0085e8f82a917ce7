"""How cross-document questions name departments, places, years and budgets vs final accounts,
with the publishers printed on the covers of the shared corpus's documents."""

from __future__ import annotations

from decimal import Decimal

from budgetqa.domain import Document, Passage
from ingest.measures import Measure
from qa.across_confirm import confirming_sentence
from qa.across_names import (drop_contained, english_scope, mentions, unresolved_places,
                             without_english_names)
from qa.across_scope import arabic_years, asked_years, disclosures, select
from qa.across_words import english_years
from qa.text import norm

# Publishers as the corpus covers print them (budgetqa docs over ../shared/corpus).
PUBLISHERS = {
    "jiangsu-high-court": "江苏省高级人民法院", "jiangsu-procuratorate": "江苏省人民检察院",
    "jiangsu-npc-office": "江苏省人大常委会办公厅", "jiangsu-cppcc-office": "江苏省政协办公厅",
    "jiangsu-party-office": "中共江苏省委办公厅",
    "putuo-finance-bureau": "上海市普陀区财政局", "shanghai-finance-bureau": "上海市财政局",
    "beijing-finance-bureau": "北京市财政局", "putuo-commerce-commission": "上海市普陀区商务委员会",
    "putuo-wanli-subdistrict": "上海市普陀区人民政府万里街道办事处",
    "putuo-planning-resources": "上海市普陀区规划和自然资源局",
    "putuo-social-work-dept": "中共上海市普陀区委社会工作部",
    "xian-health-commission": "西安市卫生健康委员会（汇总）",
    "xian-development-reform-commission": "西安市发展和改革委员会",
    "shenzhen-planning-resources-yantian-office": "深圳市规划和自然资源局盐田管理局",
}
NAMES = {name: norm(name) for name in PUBLISHERS.values()}


def named(question: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.publishers) for m in drop_contained(mentions(norm(question), NAMES))]


def test_shortened_department_names_name_their_publisher():
    assert named("法院和检察院2018年三公经费") == [
        ("法院", ("江苏省高级人民法院",)), ("检察院", ("江苏省人民检察院",))]
    assert named("西安卫健委2022年") == [("西安卫健委", ("西安市卫生健康委员会（汇总）",))]
    assert named("普陀规划资源局和社工部") == [
        ("普陀规划资源局", ("上海市普陀区规划和自然资源局",)),
        ("社工部", ("中共上海市普陀区委社会工作部",))]
    found = dict(named("（人大、政协、省委办公厅、高院）"))
    assert found["人大"] == ("江苏省人大常委会办公厅",) and found["高院"] == ("江苏省高级人民法院",)
    assert found["政协"] == ("江苏省政协办公厅",)
    # Printed whole, one publisher; the shorter 财政局 of another is not named by it.
    assert named("上海市财政局比普陀区财政局多多少") == [
        ("上海市财政局", ("上海市财政局",)), ("普陀区财政局", ("上海市普陀区财政局",))]


def test_a_short_name_ends_on_the_printed_names_last_organisation_word():
    # 规划局 is a subsequence of both planning bureaus; in 深圳市规划和自然资源局盐田管理局
    # its 局 is the last one (管理局), so both are named, and the place before narrows.
    assert set(named("深圳盐田那个规划局")[0][1]) == {
        "深圳市规划和自然资源局盐田管理局", "上海市普陀区规划和自然资源局"}
    assert named("盐田管理局") == [("盐田管理局", ("深圳市规划和自然资源局盐田管理局",))]


def test_a_word_naming_several_or_none_is_reported():
    assert named("财政局2025年三公经费")[0][1] == (
        "上海市普陀区财政局", "上海市财政局", "北京市财政局")
    # 民政局 is not 财政局 though both end in 政局; 公安局 names nobody stored.
    assert named("普陀区民政局三公经费") == [("普陀区民政局", ())]
    assert named("南京市公安局三公经费") == [("南京市公安局", ())]
    # Set words are not names.
    assert named("2019年江苏各部门、这些单位、省级部门哪个最多") == []


def test_places_without_documents_are_unresolved():
    known = list(NAMES.values())
    assert unresolved_places(norm("2023年杭州市各部门三公经费哪家最高"), known) == ["杭州"]
    assert unresolved_places(norm("2025年普陀区各部门城乡社区支出"), known) == []
    assert unresolved_places(norm("江苏省级部门2018年培训费"), known) == []


def test_years_two_digit_listed_and_ranges():
    assert asked_years(norm("17年江苏那几个省级机关"), ()) == (2017,)
    assert asked_years(norm("万里街道三公经费2023、2024、2025哪年最高"), ()) == (2023, 2024, 2025)
    assert asked_years(norm("2017到2019年三公经费"), (2017, 2019)) == (2017, 2018, 2019)
    assert asked_years(norm("2025万元以上"), ()) == ()
    assert english_years("Wanli's 三公 over 2023-2025") == (2023, 2024, 2025)
    assert english_years("from 2017 to 2019") == (2017, 2018, 2019)
    assert english_scope("Putuo's three departments (Wanli, commerce commission, finance bureau)") \
        == "普陀区、万里街道、商务委员会、财政局"
    assert english_scope("Shenzhen planning & natural resources Yantian office") == \
        "深圳市规划和自然资源局、盐田管理局"
    # The names are no measure words: "health" of the commission is no 卫生健康支出.
    assert "health" not in without_english_names("Xi'an health commission 2022, largest?")
    assert arabic_years("一七年到一九年，二〇一九年") == "17年到19年，2019年"
    assert arabic_years("近三年、第一二年、十一年") == "近三年、第一二年、十一年"


def _document(doc_id: str, year: int, kind: str) -> Document:
    stem = doc_id.rsplit("-", 3)[0]
    return Document(id=doc_id, title=doc_id, publisher=PUBLISHERS[stem], year=year, kind=kind,
                    source_file=doc_id, sha256=doc_id, pages=1)


def test_budgets_and_final_accounts_as_the_question_says():
    docs = [_document("putuo-wanli-subdistrict-2024-dept-budget", 2024, "部门预算"),
            _document("putuo-planning-resources-2024-final-account", 2024, "部门决算"),
            _document("putuo-social-work-dept-2024-final-account", 2024, "部门决算")]
    pool = disclosures(docs, set())
    kept = lambda q: sorted(d.publisher for d in select(pool, norm(q), (2024,)).disclosures)
    assert kept("2024年普陀区各单位预算里的机关运行经费加起来多少？别把决算算进去") == [
        "上海市普陀区人民政府万里街道办事处"]
    assert kept("2024年普陀区各部门机关运行经费实际支出一共多少") == [
        "上海市普陀区规划和自然资源局", "中共上海市普陀区委社会工作部"]
    # A named publisher without a document of the asked kind is listed as absent.
    absent = select(pool, norm("2024年万里街道和规划资源局的决算机关运行经费"), (2024,)).absent
    assert len(absent) == 1 and absent[0].startswith("上海市普陀区人民政府万里街道办事处：没有收录2024年决算")


def test_a_total_is_confirmed_by_the_narrative_sentence_with_the_same_amount():
    table_total = Measure(doc_id="d", name="支出总计", status="found", value=Decimal("189767551"),
                          unit="元", source="table")
    passages = [Passage("d", "一、收支预算总体情况", "2025年收入预算18,976.76万元，其中财政拨款"
                        "18,000万元。收入、支出预算总计18,976.76万元。", 6, 0)]
    cited = confirming_sentence(passages, table_total)
    assert cited is not None and cited.text == "收入、支出预算总计18,976.76万元。"
    other = Measure(doc_id="d", name="支出总计", status="found", value=Decimal("189767000"),
                    unit="元", source="table")
    assert confirming_sentence(passages, other) is None


def test_operations_read_from_everyday_and_english_words():
    from qa.across_words import english_cues, read_asked

    def asked(question, measures=("三公经费",), years=(2018,), one=False):
        return read_asked(norm(question), list(measures), years, one)

    second = asked("2018年江苏各部门培训费，第二多的是谁")
    assert (second.operation, second.place, second.smallest) == ("rank", 2, False)
    assert asked("2026年各部门三公经费谁最省？").smallest
    assert asked("高院和检察院2017年三公经费加一起多少").operation == "sum"
    over = asked("万里街道2023到2025年三公经费合计", years=(2023, 2024, 2025), one=True)
    assert (over.operation, over.over_years) == ("series", "sum")
    moved = asked("省人大的预算从2017年到2019年一共涨了多少钱", years=(2017, 2018, 2019), one=True)
    assert (moved.operation, moved.over_years) == ("series", "")
    assert english_cues("from highest to lowest") == "从高到低"
    assert "哪些部门减少了" in english_cues("Which departments' 三公 fell between 2017 and 2018?")
    assert asked_years(norm("从17年到19年"), ()) == (2017, 2018, 2019)
