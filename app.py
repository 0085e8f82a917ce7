"""预算问答 BudgetQA — the Streamlit chat page: pick a document, ask, see each figure's sources.

Run with `streamlit run app.py`; `?embed=true` hides Streamlit's chrome for framing in a portal.
The page only parses input, calls the library and shows results: follow-ups are resolved by
qa.followup, suggestions come from qa.suggestions, evidence (rows, page crops, charts) from
budgetqa.evidence.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from budgetqa import settings
from budgetqa.errors import BudgetQAError
from budgetqa.evidence import breakdown, cited_rows, compare_years, page_crop, same_series
from budgetqa.pipeline import BudgetQA
from qa.followup import resolve_followup
from qa.suggestions import suggest_questions

BREAKDOWN_KINDS = {"支出总表": "功能分类", "一般公共预算支出表": "功能分类",
                   "财政拨款支出表": "功能分类", "基本支出表": "经济分类"}


@st.cache_resource
def library() -> BudgetQA:
    return BudgetQA.from_settings()


def embedded() -> bool:
    """True when framed with `?embed=true` (Streamlit keeps that parameter to itself and reports
    it as st.context.is_embedded); session state "embedded" forces it, e.g. in AppTest."""
    return bool(st.session_state.get("embedded") or st.context.is_embedded)


# -- document picker ------------------------------------------------------------------------

def pick_document(qa: BudgetQA, where) -> str | None:
    """Publisher, year and kind selectors; returns the chosen document id."""
    docs = qa.documents()
    if not docs:
        where.info("还没有导入任何文件。请在下方上传预算公开 PDF。")
        return None
    publishers = sorted({d.publisher for d in docs})
    publisher = where.selectbox("发布单位", publishers, key="publisher")
    docs = [d for d in docs if d.publisher == publisher]
    years = sorted({d.year or 0 for d in docs}, reverse=True)
    year = where.selectbox("年度", years, key=f"year:{publisher}",
                           format_func=lambda y: f"{y}年" if y else "未注明")
    docs = [d for d in docs if (d.year or 0) == year]
    kinds = sorted({d.kind for d in docs})
    kind = where.selectbox("类别", kinds, key=f"kind:{publisher}:{year}")
    docs = [d for d in docs if d.kind == kind]
    if len(docs) > 1:
        chosen = where.selectbox("文件", docs, format_func=lambda d: d.title, key="docfile")
    else:
        chosen = docs[0]
    where.caption(f"{chosen.title} · {chosen.pages or '—'} 页 · `{chosen.id}`")
    return chosen.id


def upload(qa: BudgetQA, where) -> None:
    """Upload a disclosure, ingest it with a progress indicator, show the ingest report."""
    file = where.file_uploader("上传预算公开文件（PDF 或文本）", type=["pdf", "md", "txt"],
                               key="upload")
    if file is None or not where.button("导入", key="ingest"):
        return
    with where.status(f"正在导入 {file.name} …", expanded=True) as status:
        bar = st.progress(0, text="保存文件")
        folder = settings.home() / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / Path(file.name).name
        path.write_bytes(file.getvalue())
        bar.progress(30, text="解析表格与正文（大文件需要几十秒）")
        report = qa.ingest_file(path)
        bar.progress(100, text="完成")
        if report.status == "failed":
            status.update(label=f"导入失败：{report.error}", state="error")
            return
        checked, add_up = report.reconciled
        status.update(label=f"已导入 {report.doc_id}（{report.status}）", state="complete")
        st.write(f"{len(report.tables)} 张表，{report.cells} 个数字，{report.passages} 段正文；"
                 f"合计校验 {add_up}/{checked} 张表相符。")
        st.dataframe(pd.DataFrame([{"类别": t["kind"], "表号": t["number"], "标题": t["title"],
                                    "单位": t["unit"], "行数": t["rows"]} for t in report.tables]),
                     hide_index=True)
        for warning in report.warnings:
            st.warning(warning)


# -- one answer ------------------------------------------------------------------------------

def show_answer(qa: BudgetQA, turn: dict) -> None:
    """The answer text, formula, sources (rows, page crops, passages) and a chart."""
    if turn.get("error"):
        st.error(f"无法回答：{turn['error']}")
        return
    answer = turn["answer"]
    if turn.get("asked") and turn["asked"] != turn["question"]:
        st.caption(f"理解为：{turn['asked']}")
    st.text(answer.text)  # text, never HTML or markdown from the library
    if answer.formula:
        st.code(f"算式：{answer.formula}", language=None, wrap_lines=True)
    cells = [c for c in answer.citations if c.kind == "cell"]
    passages = [c for c in answer.citations if c.kind == "passage"]
    if answer.citations:
        with st.expander(f"出处（{len(answer.citations)}）", expanded=True):
            show_cells(qa, cells)
            for c in passages:
                st.markdown(f"**{c.section or '正文'}** · 第{c.page or '—'}页")
                st.text(c.text)
    show_charts(qa, turn)


def show_cells(qa: BudgetQA, citations) -> None:
    by_doc: dict[str, list] = {}
    for c in citations:
        by_doc.setdefault(c.doc, []).append(c)
    for doc_id, group in by_doc.items():
        rows = cited_rows(qa.store.cells(doc_id), tuple(group))
        for table in dict.fromkeys(r.table for r in rows):
            in_table = [r for r in rows if r.table == table]
            st.markdown(f"**《{table}》**（单位：{in_table[0].unit or '未注明'}）")
            columns = list(dict.fromkeys(col for r in in_table for col, _, _ in r.cells))
            frame = pd.DataFrame([{col: printed for col, printed, _ in r.cells}
                                  for r in in_table], columns=columns,
                                 index=[r.label for r in in_table]).fillna("")
            used = {(r.label, col) for r in in_table for col, _, u in r.cells if u}
            styler = frame.style.apply(lambda s: [
                "background-color:#fde68a;font-weight:700" if (idx, s.name) in used else ""
                for idx in s.index], axis=0)
            st.dataframe(styler)
        document = qa.document(doc_id)
        for c in group:
            crop = page_crop(document, c, scale=1.6)
            if crop:
                st.image(crop, caption=f"{doc_id} 第{c.page}页：{c.row} / {c.column} = {c.value}"
                         f"{c.unit}（红框为所用单元格）")


def show_charts(qa: BudgetQA, turn: dict) -> None:
    """A breakdown of the cited table and, for a lookup, the same figure in other years."""
    answer = turn["answer"]
    cells = [c for c in answer.citations if c.kind == "cell"]
    if not cells or not turn.get("doc"):
        return
    tables = {t.title: t for t in qa.store.parsed_tables(cells[0].doc)}
    table = tables.get(cells[0].table)
    if table is not None and table.kind in BREAKDOWN_KINDS:
        parts = breakdown(table)
        if len(parts) >= 2:
            with st.expander(f"按{BREAKDOWN_KINDS[table.kind]}：《{table.title}》"):
                st.bar_chart(pd.DataFrame({"项目": [p[0] for p in parts],
                                           f"金额（{table.unit or '未注明'}）":
                                           [float(p[1]) for p in parts]}).set_index("项目"),
                             horizontal=True)
    years = turn.get("years")
    if years and len(years) >= 2:
        with st.expander("历年对比（万元）"):
            st.bar_chart(pd.DataFrame({"年度": [f"{y.year}年" for y in years],
                                       "万元": [float(y.value_wan) for y in years]})
                         .set_index("年度"))


# -- the chat ---------------------------------------------------------------------------------

def ask(qa: BudgetQA, question: str, doc_id: str | None) -> dict:
    """One chat turn: resolve a follow-up, ask the library, collect multi-year figures."""
    previous = st.session_state.get("previous")
    year = qa.document(doc_id).year if doc_id else None
    followup = resolve_followup(question, previous, year)
    turn = {"question": question, "asked": followup.question, "doc": doc_id}
    try:
        answer = qa.ask(followup.question, doc_id)
    except BudgetQAError as exc:
        turn["error"] = exc.message
        return turn
    turn["answer"] = answer
    st.session_state["previous"] = followup.question
    if (doc_id and answer.route == "lookup"
            and len(same_series(qa.documents(), doc_id)) > 1):
        turn["years"] = compare_years(qa, followup.question, doc_id)
    return turn


def main() -> None:
    st.set_page_config(page_title="预算问答", page_icon="📊", layout="centered",
                       initial_sidebar_state="collapsed" if embedded() else "auto")
    if embedded():
        st.markdown("<style>[data-testid=stSidebar],[data-testid=stSidebarCollapsedControl],"
                    "header,footer{display:none!important}</style>", unsafe_allow_html=True)
    qa = library()
    if embedded():
        with st.expander("选择文件", expanded=False):
            doc_id = pick_document(qa, st)
    else:
        st.title("预算问答")
        st.caption("关于政府预算公开文件的提问，例如“公务用车购置及运行费是多少？”。"
                   "每个数字都给出算式和出处（表格、页码、原页截图）；可以接着问“那上年呢？”。")
        with st.sidebar:
            st.header("文件")
            doc_id = pick_document(qa, st)
            st.divider()
            upload(qa, st)
    if st.session_state.get("doc") != doc_id:  # a new document starts a new conversation
        st.session_state.update(doc=doc_id, messages=[], previous=None)
    messages: list[dict] = st.session_state.setdefault("messages", [])

    pending = None
    if doc_id and not messages:
        suggestions = suggest_questions(qa.store.parsed_tables(doc_id))
        if suggestions:
            st.markdown("**可以这样问：**")
            columns = st.columns(2)
            for i, question in enumerate(suggestions):
                if columns[i % 2].button(question, key=f"suggest:{i}", use_container_width=True):
                    pending = question
    for turn in messages:
        with st.chat_message("user"):
            st.text(turn["question"])
        with st.chat_message("assistant"):
            show_answer(qa, turn)
    typed = st.chat_input("输入问题…",
                          max_chars=settings.max_question())
    question = typed or pending
    if question:
        with st.chat_message("user"):
            st.text(question)
        with st.chat_message("assistant"):
            with st.spinner("正在查找…"):
                turn = ask(qa, question, doc_id)
            show_answer(qa, turn)
        messages.append(turn)
        st.rerun()  # redraw from the history: the suggestions give way to the conversation


main()
