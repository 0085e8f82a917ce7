"""The audit readings and rule added in the sixth round for narrative classes the
planted-error benchmark still missed, each on real corpus pages: quiet on the page as
printed (as far as the rule goes) and firing on a copy with one figure changed in the test.

Pages are read alone with pdfplumber, as ingest reads them: the Jiangsu High Court 2019
budget's purchase sentence ("总金额为 X 万元。其中拟采购货物…；…；…", 其中 opening the next
sentence without a colon), the Shanghai Jiaotong vocational college 2026 budget's
"财政拨款支出主要内容如下：" (a heading with no amount over numbered items, its whole stated
earlier under the same name), the Putuo welfare home 2024 budget's list of the same kind
(whose items the publication prints 41.47 万元 above its whole: the table prints the
社会福利事业单位 appropriation as 696.48, the narrative 738.66), and the Jiangsu party office
2018 budget's 三公 shares ("占“三公”经费的 x%", the whole stated nowhere), and the Jiangsu NPC
office 2017 budget's 三公 items, stated in the shares sentence and again in the detail list.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from budgetqa.domain import Passage
from calc.audit_lists import check_parts_sum
from calc.audit_narrative import check_growth, check_shares
from calc.audit_restated_items import check_restated_items
from ingest.narrative_facts import extract_facts
from ingest.pdf_text import extract_passages
from tests.test_audit_rules import _edit_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _pages(path: Path, pages: list[int], doc: str):
    with pdfplumber.open(path, pages=pages) as pdf:
        return extract_passages(pdf, doc)


def _shares(passages, rule="narrative.share_of_listed"):
    return [f for f in check_shares([extract_facts(p) for p in passages]) if f.rule == rule]


@pytest.fixture(scope="module")
def court_purchase():
    # The sentence runs on from page 24 to page 25.
    return _pages(CORPUS / "jiangsu" / "jiangsu-high-court-2019-dept-budget.pdf", [24, 25],
                  "court")


def test_parts_after_a_sentence_opening_with_among(court_purchase):
    text = " ".join(p.text for p in court_purchase)
    assert "5227.59 万元。其中拟采购货物" in text and "拟采购服务支出3059.87 万元" in text
    assert not check_parts_sum(court_purchase)  # 1637.72 + 530 + 3059.87 = 5227.59
    found = check_parts_sum(_edit_text(court_purchase, "3059.87", "3095.87"))
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].expected == Decimal("5263.59") and found[0].found == Decimal("5227.59")
    found = check_parts_sum(_edit_text(court_purchase, "530 万元", "53 万元"))
    assert len(found) == 1 and found[0].expected == Decimal("4750.59")


@pytest.fixture(scope="module")
def college_spending():
    return _pages(CORPUS / "shanghai" / "shanghai-jiaotong-vocational-college-2026-unit-budget.pdf",
                  [6], "college")


def test_items_under_a_heading_named_after_an_earlier_whole(college_spending):
    text = " ".join(p.text for p in college_spending)
    assert "财政拨款支出主要内容如下：" in text and "财政拨款支出预算30,441万元" in text
    # 23,689 + 4,469 + 1,370 + 913 = 30,441.
    assert not check_parts_sum(college_spending)
    found = check_parts_sum(_edit_text(college_spending, "科目23,689万元", "科目23,869万元"))
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].expected == Decimal("30621") and found[0].found == Decimal("30441")
    assert "财政拨款支出" in found[0].message


def test_a_heading_with_no_earlier_whole_of_its_name_lists_nothing(college_spending):
    renamed = _edit_text(college_spending, "财政拨款支出主要内容如下", "项目经费主要内容如下")
    assert not check_parts_sum(_edit_text(renamed, "科目23,689万元", "科目23,869万元"))


def test_welfare_home_items_exceed_their_whole_as_printed():
    # The publication's own slip: 53.84 + 76.76 + 38.38 + 738.66 + 50.37 + 33.58 = 991.59
    # under "财政拨款支出预算950.12万元" (its tables print 696.48 for the 738.66 item).
    pages = _pages(CORPUS / "shanghai" / "putuo-welfare-home-2024-unit-budget.pdf", [6],
                   "welfare")
    [found] = check_parts_sum(pages)
    assert found.severity == "error"
    assert found.expected == Decimal("991.59") and found.found == Decimal("950.12")


@pytest.fixture(scope="module")
def party_three_public():
    return _pages(CORPUS / "jiangsu" / "jiangsu-party-office-2018-dept-budget.pdf", [10, 11],
                  "party")


def test_shares_of_a_whole_the_listed_parts_make(party_three_public):
    text = " ".join(p.text for p in party_three_public)
    assert "公务用车购置及运行费支出411.20万元，占“三公”经费的80.92%" in text
    # 70 + 411.20 + 27 = 508.20; the printed 13.77 / 80.92 / 5.31 fit to their rounding.
    assert not _shares(party_three_public)
    found = _shares(_edit_text(party_three_public, "运行费支出411.20万元", "运行费支出4112.0万元"))
    assert {f.severity for f in found} == {"error"} and len(found) == 3
    # A share changed beyond the rounding of 100% is the shares' sum's finding, not this one.
    changed = _edit_text(party_three_public, "5.31%", "5.51%")
    assert not _shares(changed) and _shares(changed, "narrative.shares_sum")


def test_shares_of_a_partial_list_are_not_taken_of_its_sum(party_three_public):
    # Shares that do not make 100% (a list of some parts only) say nothing of their sum.
    partial = _edit_text(party_three_public, "80.92%", "70.92%")
    assert not _shares(partial)
    assert _shares(partial, "narrative.shares_sum")  # the 90% total is reported there


# -- narrative.restated_item ------------------------------------------------------------------

def test_three_public_item_restated_in_its_detail_list():
    # "公务用车购置及运行费支出 183.6 万元，占“三公”经费的 7.22%；… 具体情况如下：… 2．公务用车
    # 购置及运行费预算支出 183.6 万元。其中：" — one item, one figure.
    pages = _pages(CORPUS / "jiangsu" / "jiangsu-npc-office-2017-dept-budget.pdf", [28], "npc")
    assert "运行费预算支出 183.6 万元" in " ".join(p.text for p in pages)
    assert not check_restated_items(pages)
    [found] = check_restated_items(_edit_text(pages, "运行费预算支出 183.6 万元", "运行费预算支出 1836.0 万元"))
    assert found.severity == "error" and found.expected == Decimal("183.6")
    assert found.found == Decimal("1836.0")


def test_thresholds_are_not_items():
    # "单位价值 50 万元以上的通用设备 … 单位价值 100 万元以上的专用设备" (Shaoxing 2024).
    text = ("单位价值50万元以上通用设备0台（套），单位价值100万元以上专用设备0台（套）。")
    assert not check_restated_items([Passage(doc_id="x", section="国有资产", text=text, page=1, index=0)])


# -- narrative.growth: this year's figure is not last year's ------------------------------------

def _growth(passages):
    return [f for f in check_growth([extract_facts(p) for p in passages])
            if f.rule == "narrative.growth"]


def test_a_rate_that_fits_this_years_figure_as_its_base_is_still_checked():
    # "5. 人大事务（款）人大监督（项）支出376.88万元，与上年相比减少41.87万元，减少10%":
    # 41.87 ÷ 418.75 = 10.00%; 11% would be 41.87 ÷ 376.88 — this year's figure, not last year's.
    pages = _pages(CORPUS / "jiangsu" / "jiangsu-npc-2019-dept-budget.pdf", [13], "npc")
    assert not [f for f in _growth(pages) if "41.87" in f.formula]
    found = [f for f in _growth(_edit_text(pages, "减少41.87万元，减少10%", "减少41.87万元，减少11%"))
             if "41.87" in f.formula]
    assert [f.severity for f in found] == ["minor"] and found[0].found == Decimal("-11")


def test_last_years_figure_in_brackets_still_serves_as_the_base():
    # "2017 年度部门支出预算安排与 2016 年度相比（2016 年度部门支出预算安排为8,648.07万元），
    # 增加498.72万元，增长5.77%": 498.72 ÷ 8,648.07 = 5.77%.
    pages = _pages(CORPUS / "jiangsu" / "jiangsu-cppcc-office-2017-dept-budget.pdf", [6], "cppcc")
    assert "8,648.07万元），增加498.72万元，增长5.77%" in " ".join(p.text for p in pages)
    assert not [f for f in _growth(pages) if "498.72" in f.formula]


def test_party_office_rate_taken_on_this_years_figure_is_reported():
    # The publication's own slip, printed on page 8: "行政运行（项）支出 6106.99 万元，与上年相比
    # 增加 101.48 万元，增长 1.66%" — 101.48 ÷ 6005.51 = 1.69% (1.66% is 101.48 ÷ 6106.99).
    pages = _pages(CORPUS / "jiangsu" / "jiangsu-party-office-2017-dept-budget.pdf", [8], "party")
    [found] = [f for f in _growth(pages) if "101.48" in f.formula]
    assert found.severity == "error" and found.expected == Decimal("1.69")
