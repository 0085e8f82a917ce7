"""Ingest of the Shaoxing text disclosure, and files that cannot be ingested.

Bad files are ingested under the id of a document already in the store, so that a failed
ingest that wrote anything would show as a changed store.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import struct
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.errors import IngestError
from budgetqa.pipeline import BudgetQA
from ingest.reader import read_document
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHAOXING = ROOT / "data" / "corpus" / "shaoxing-gov-service-office-2024-dept-budget.md"
SHAOXING_ID = SHAOXING.stem
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WANLI_PDF = SHARED_CORPUS / "shanghai" / "putuo-wanli-subdistrict-2024-dept-budget.pdf"

STANDARD_TABLES = [  # (title, kind) of the twelve tables the disclosure's contents list
    ("2024年部门收支预算总表", "收支总表"),
    ("2024年部门收入预算总表", "收入总表"),
    ("2024年部门支出预算总表", "支出总表"),
    ("2024年部门财政拨款收支预算总表", "财政拨款收支总表"),
    ("2024年部门一般公共预算支出表", "一般公共预算支出表"),
    ("2024年部门一般公共预算基本支出表", "基本支出表"),
    ("2024年部门一般公共预算“三公”经费支出表", "三公经费表"),
    ("2024年部门政府性基金预算支出表", "政府性基金"),
    ("2024年部门国有资本经营预算支出表", "国有资本经营"),
    ("2024年部门项目支出预算表", "项目支出"),
    ("2024年部门项目支出绩效表", "绩效"),
    ("2024年部门绩效指标表", "绩效"),
]


@pytest.fixture(scope="module")
def parsed():
    return read_document(SHAOXING)


def _table(parsed, kind):
    return next(t for t in parsed.tables if t.kind == kind)


def _amounts(row) -> dict[str, Decimal]:
    return {c.column: c.value or Decimal(0) for c in row.cells}


def _adds_up(parts: list[Decimal], whole: Decimal) -> bool:
    """The document rounds each printed figure to 0.01 万元, so a sum may be off by one cent
    per part (e.g. 1086.63 + 345.63 + 2065.49 = 3497.75 against a printed 3497.74)."""
    return abs(sum(parts) - whole) <= Decimal("0.01") * len(parts)


# -- the Shaoxing text disclosure ------------------------------------------------------------

def test_the_twelve_listed_tables_with_standard_titles_and_kinds(parsed):
    # 表12 is broken by a blank line in the text; its second part continues it.
    assert [(t.title, t.kind) for t in parsed.tables] == STANDARD_TABLES
    assert parsed.tables[0].number == "表01"
    assert parsed.tables[6].number == "表07"
    assert "本表无数据" in _table(parsed, "政府性基金").note


def test_document_facts(parsed):
    doc = parsed.document
    assert doc.id == SHAOXING_ID and doc.year == 2024 and doc.kind == "部门预算"
    assert doc.sha256 == hashlib.sha256(SHAOXING.read_bytes()).hexdigest()
    assert doc.source_file == str(SHAOXING.resolve())


def test_spending_table_columns_and_sums(parsed):
    spending = _table(parsed, "支出总表")
    assert spending.unit == "万元"
    assert spending.columns == ("总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出",
                                "事业单位经营支出", "上缴上级支出", "对附属单位补助支出")
    total = spending.rows[0]
    assert total.label == "合计" and total.level == 0
    assert _amounts(total)["基本支出/人员支出"] == Decimal("1462.07")
    for row in spending.rows:  # each row: 总计 = 人员 + 公用 + 项目
        a = _amounts(row)
        assert _adds_up([a["基本支出/人员支出"], a["基本支出/公用经费"], a["项目支出"]],
                        a["总计"]), row.label
    for column in spending.columns:  # the 类 rows add up to 合计
        assert _adds_up([_amounts(r)[column] for r in spending.rows if r.level == 1],
                        _amounts(total)[column]), column


def test_codes_split_and_levels(parsed):
    spending = _table(parsed, "支出总表")
    rows = spending.rows
    position = {r.code: i for i, r in enumerate(rows) if r.code}
    assert rows[position["201"]].level == 1
    assert rows[position["20103"]].level == 2
    assert rows[position["2010301"]].level == 3
    assert rows[position["2010301"]].parent == position["20103"]
    assert rows[position["20103"]].parent == position["201"]
    assert rows[position["2080505"]].parent == position["20805"]
    # Every 项 adds up to its 款 (the tree the parents draw is the tree the figures draw).
    for i, row in enumerate(rows):
        children = [r for r in rows if r.parent == i]
        if children:
            assert _adds_up([_amounts(c)["总计"] for c in children], _amounts(row)["总计"]), row.label


def test_summary_table_split_into_income_and_spending_sides(parsed):
    summary = _table(parsed, "收支总表")
    assert summary.columns == ("收入/预算数", "支出/预算数")
    sides = {r.label: {c.column for c in r.cells} for r in summary.rows}
    assert sides["收入总计"] == {"收入/预算数"}
    assert sides["一、财政拨款"] == {"收入/预算数"}
    assert sides["支出总计"] == {"支出/预算数"}
    assert sides["住房保障支出"] == {"支出/预算数"}
    value = {(r.label, c.column): c.value for r in summary.rows for c in r.cells}
    assert value[("收入总计", "收入/预算数")] == value[("支出总计", "支出/预算数")] == Decimal("3873.19")
    assert value[("一、财政拨款", "收入/预算数")] + value[("三、事业收入", "收入/预算数")] == value[
        ("本年收入合计", "收入/预算数")]


def test_unit_of_table01_inferred_with_a_warning(parsed):
    summary = parsed.tables[0]
    assert summary.number == "表01" and summary.unit == "万元"
    warning = next(w for w in parsed.warnings if summary.title in w)
    assert "prints no unit" in warning and "万元 taken from" in warning
    # Tables that print their unit keep it, without a warning.
    assert _table(parsed, "支出总表").unit == "万元"
    assert not any("2024年部门支出预算总表' prints" in w for w in parsed.warnings)


def test_passages_have_section_paths_and_no_contents_lines(parsed):
    assert parsed.passages
    assert [p.index for p in parsed.passages] == list(range(len(parsed.passages)))
    assert all(p.doc_id == SHAOXING_ID and p.section for p in parsed.passages)
    duties = next(p for p in parsed.passages if "贯彻执行国家" in p.text)
    assert duties.section == "一、部门概况 > （一）主要职能"
    spending = next(p for p in parsed.passages if "支出预算 3873.19 万元" in p.text)
    # The heading broken over two lines ("…情" / "况说明") is joined again.
    assert spending.section.endswith("（三）关于绍兴市政务服务办公室2024年支出预算情况说明")
    assert spending.section.startswith("二、2024年绍兴市政务服务办公室部门预算安排情况说明 > ")
    glossary = [p for p in parsed.passages if p.section == "三、名词解释"]
    assert any("财政拨款收入" in p.text for p in glossary)
    text = "\n".join(p.text for p in parsed.passages)
    for contents_line in ("(一) 主要职能", "(十二) 2024年市级部门绩效指标表", "2024年市级部门绩效指标表",
                          "(三) 2024年部门支出预算总表"):
        assert contents_line not in text
    assert not any("目录" in p.section for p in parsed.passages)


def test_publisher_and_title_from_the_first_heading(parsed):
    assert parsed.document.publisher == "绍兴市政务服务办公室"
    assert "绍兴市政务服务办公室" in parsed.document.title


# -- files that cannot be ingested -----------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user: bytes = b"user", owner: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, revision 2,
    algorithms 2-4 of ISO 32000-1 §7.6.3), openable only with the user password.

    No PDF writer in the environment encrypts (pypdfium2 cannot, pypdf/pikepdf are not
    installed), so the file is written by hand; the test checks pypdfium2 reads it with the
    password and refuses it without.
    """
    pad = lambda pw: (pw + _PAD)[:32]  # noqa: E731
    o_value = _rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    permissions = -44
    file_id = hashlib.md5(b"budgetqa-test").digest()
    key = hashlib.md5(pad(user) + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    object_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\0\0").digest()[:10]
    content = _rc4(object_key, b"BT /F1 24 Tf 72 720 Td (Hello) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_value.hex().encode(), u_value.hex().encode(), permissions),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n"
            % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode()))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_the_hand_made_encrypted_pdf_is_really_encrypted(tmp_path):
    import pypdfium2 as pdfium

    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(str(path))
    unlocked = pdfium.PdfDocument(str(path), password="user")
    assert unlocked[0].get_textpage().get_text_range().strip() == "Hello"
    unlocked.close()


def scanned_pdf() -> bytes:
    """Page 1 of a real corpus PDF rendered to pixels and saved as an image-only PDF."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(WANLI_PDF))
    image = pdf[0].render(scale=1).to_pil().convert("RGB")
    pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


BAD_FILES = {  # case: (file name in tmp_path, bytes or None for no file, words of the reason)
    "missing": (f"{SHAOXING_ID}.pdf", None, "no such file"),
    "empty": (f"{SHAOXING_ID}.pdf", lambda: b"", "the file is empty"),
    "empty-text": (f"{SHAOXING_ID}.md", lambda: b"", "the file is empty"),
    "not-a-pdf": (f"{SHAOXING_ID}.pdf", lambda: "预算表\t100\n".encode(), "not a PDF file"),
    "truncated": (f"{SHAOXING_ID}.pdf",
                  lambda: WANLI_PDF.read_bytes()[:WANLI_PDF.stat().st_size // 2],
                  "damaged or truncated"),
    "encrypted": (f"{SHAOXING_ID}.pdf", encrypted_pdf, "encrypted"),
    "scanned": (f"{SHAOXING_ID}.pdf", scanned_pdf, "no text layer"),
    "not-utf8": (f"{SHAOXING_ID}.md", lambda: "预算说明".encode("gb18030") + b"\xff\xfe",
                 "not UTF-8"),
    "no-content": (f"{SHAOXING_ID}.txt", lambda: b"\n\n   \n", "not a budget disclosure"),
    "not-a-budget": (f"{SHAOXING_ID}.md", lambda: "# 会议纪要\n\n今天天气很好。\n".encode(),
                     "not a budget disclosure"),
    "unsupported": (f"{SHAOXING_ID}.docx", lambda: b"PK\x03\x04", "unsupported file type"),
}


def _write_bad(tmp_path: Path, case: str) -> tuple[Path, str]:
    name, content, reason = BAD_FILES[case]
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    if content is not None:
        path.write_bytes(content())
    return path, reason


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_raises_ingest_error_naming_file_and_reason(tmp_path, monkeypatch, case):
    monkeypatch.setenv("BUDGETQA_OCR", "off")  # a scan is refused only when it cannot be read
    path, reason = _write_bad(tmp_path, case)
    with pytest.raises(IngestError) as info:
        read_document(path)
    message = info.value.message
    assert path.name in message and reason in message, message
    assert "\n" not in message
    assert info.value.context["path"] == str(path)
    assert info.value.status == 422


def _store_rows(db_file: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db_file) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


@pytest.fixture
def app_home(tmp_path, monkeypatch):
    """A BudgetQA on a real SQLite file in tmp_path; BM25-only index under the same home."""
    home = tmp_path / "home"
    monkeypatch.setenv("BUDGETQA_HOME", str(home))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    monkeypatch.delenv("BUDGETQA_CHROMA_URL", raising=False)
    home.mkdir()
    db_file = home / "budgetqa.sqlite"
    return BudgetQA(Store(f"sqlite:///{db_file}")), db_file


@pytest.mark.parametrize("case", ["missing", "empty", "not-a-pdf", "truncated", "encrypted",
                                  "scanned", "not-utf8"])
def test_failed_ingest_leaves_the_store_as_it_was(tmp_path, app_home, monkeypatch, case):
    monkeypatch.setenv("BUDGETQA_OCR", "off")
    app, db_file = app_home
    app.store.replace_document(read_document(SHAOXING))  # the same id as the bad file
    before = _store_rows(db_file)

    path, reason = _write_bad(tmp_path, case)
    report = app.ingest_file(path)

    assert report.status == "failed"
    assert report.doc_id == SHAOXING_ID
    assert path.name in report.error and reason in report.error
    assert report.to_json()["error"] == report.error
    assert _store_rows(db_file) == before
    assert app._index is None  # a file that cannot be read never reaches the passage index


def test_ingest_then_unchanged_then_replaced(tmp_path, app_home):
    app, db_file = app_home
    copy = tmp_path / SHAOXING.name
    shutil.copyfile(SHAOXING, copy)

    first = app.ingest_file(copy)
    assert first.status == "ingested", first.error
    assert len(first.tables) == 12 and first.cells > 1000 and first.passages == 23
    assert any("prints no unit; 万元 taken from" in w for w in first.warnings)
    rows = _store_rows(db_file)

    again = app.ingest_file(copy)
    assert again.status == "unchanged"
    assert (again.cells, again.passages, again.tables) == (first.cells, first.passages,
                                                           first.tables)
    assert _store_rows(db_file) == rows

    copy.write_text(SHAOXING.read_text(encoding="utf-8") + "\n补充说明：本段为测试新增。\n",
                    encoding="utf-8")
    changed = app.ingest_file(copy)
    assert changed.status == "replaced"
    assert [d.id for d in app.documents()] == [SHAOXING_ID]
    assert app.document(SHAOXING_ID).sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert any("本段为测试新增" in p.text for p in app.store.passages(SHAOXING_ID))


def test_markdown_pipe_tables_are_read_like_tab_separated_ones():
    from ingest.text_disclosure import parse_text_disclosure

    text = "\n".join([
        "# 某某区教育局 2025 年部门预算", "", "2025年部门支出预算总表", "", "单位：万元", "",
        "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |", "|---|---|---|---|---|",
        "|  | 合计 | 1,500.00 | 1,000.00 | 500.00 |",
        "| 205 | 教育支出 | 1,200.00 | 800.00 | 400.00 |",
        "| 221 | 住房保障支出 | 300.00 | 200.00 | 100.00 |"])
    (table,) = parse_text_disclosure(text, "edu").tables
    assert table.unit == "万元" and table.columns == ("合计", "基本支出", "项目支出")
    assert [(r.code, r.label, r.level) for r in table.rows] == [
        ("", "合计", 0), ("205", "教育支出", 1), ("221", "住房保障支出", 1)]
    assert table.rows[1].cells[0].value == Decimal("1200.00")


def test_performance_indicator_rows_are_named_by_their_indicator(parsed):
    kpi = _table(parsed, "绩效")  # the first 绩效 table is 表11; 表12 is the indicators
    indicators = [t for t in parsed.tables if t.title == "2024年部门绩效指标表"][0]
    row = next(r for r in indicators.rows if r.label == "数据库维护次数")
    assert dict(row.qualifiers)["年度绩效指标单位"] == "次"
    assert next(c for c in row.cells if c.column == "年度绩效指标值").value == Decimal("12")
    assert len(indicators.rows) > 100 and kpi is not indicators


# -- bounds on hostile text (see tests/test_reliability.py for whole files) --------------------

def test_a_long_paragraph_is_split_into_bounded_passages():
    from ingest.passages import TARGET_CHARS
    from ingest.text_disclosure import parse_text_disclosure

    sentence = "本单位一般公共预算支出增加，主要用于保障基本运行。"
    parsed = parse_text_disclosure("# 某单位2024年部门预算\n" + sentence * 2000 + "\n", "x")
    assert len(parsed.passages) > 1
    assert all(len(p.text) <= TARGET_CHARS for p in parsed.passages)
    assert all(p.text.endswith("。") for p in parsed.passages)  # cut after sentences
    assert "".join(p.text for p in parsed.passages) == sentence * 2000  # nothing lost


def test_a_row_of_thousands_of_columns_is_refused():
    from budgetqa.errors import IngestError
    from ingest.text_disclosure import parse_text_disclosure

    row = "\t".join(["合计"] + ["1"] * 5000)
    with pytest.raises(IngestError, match="5001 columns"):
        parse_text_disclosure("# 2024年部门预算\n表1 收支总表\n项目\t金额\n" + row + "\n", "x")


def test_markdown_rules_and_headings_are_read_linearly():
    # Both used regular expressions that backtrack quadratically over runs of spaces; at this
    # size the old ones took minutes.
    from ingest.text_disclosure import _HEADING, _is_pipe_rule

    assert not _is_pipe_rule("|" + " " * 200_000 + "x")
    assert _HEADING.match("#" + " " * 200_000 + "x" + " " * 200_000 + "y").group(1) == "#"
    assert _is_pipe_rule("| --- | :---: |") and not _is_pipe_rule("| a | b |")
