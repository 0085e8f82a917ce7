"""预算问答 BudgetQA — the Streamlit chat page: pick a document, ask, see each figure's sources.

Run with `streamlit run app.py`; `?embed=true` hides Streamlit's chrome for framing in a portal.
The page only parses input, calls the library and shows results: follow-ups are resolved by
qa.followup, the document a question names by budgetqa.scope, suggestions by qa.suggestions and
budgetqa.choices, rankings by budgetqa.ranking, crops by budgetqa.crops, messages by
budgetqa.messages_zh, and the markup of lists and tables that wrap on a phone, with the
script that puts Streamlit's own texts into Chinese, by chat_ui. Each turn is drawn inside its own error boundary: a failure shows a
Chinese message and a retry button, never a traceback.
"""

from __future__ import annotations

import hmac
import logging
import re
import shutil
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from budgetqa import settings
from budgetqa.comparison import (chart_frame, comparison_frame, csv_bytes, has_comparison,
                                 row_citation, xlsx_bytes)
from budgetqa.choices import option_answer, options_of, questions_to_offer, shown_text
from budgetqa.crops import cell_crop
from budgetqa.domain import Document
from budgetqa.errors import BudgetQAError
from budgetqa.evidence import breakdown, cited_rows, compare_years, same_series
from budgetqa.feedback import record_feedback
from budgetqa.messages_zh import (GENERIC, ingest_message, ingest_warning, public_message,
                                   too_large_message)
from budgetqa.pipeline import BudgetQA
from budgetqa.ranking import headline, is_ranking, ranked_items
from budgetqa.scope import scope_question
from chat_ui.ranking_list import CSS as RANKING_CSS, ranking_html
from chat_ui.row_table import CSS as ROWS_CSS, rows_html
from chat_ui.streamlit_zh import streamlit_zh_script
from chat_ui.table_list import CSS as TABLES_CSS, tables_html
from qa.followup import resolve_followup
from qa.suggestions import suggest_questions

log = logging.getLogger("budgetqa.app")

BREAKDOWN_KINDS = {"支出总表": "功能分类", "一般公共预算支出表": "功能分类",
                   "财政拨款支出表": "功能分类", "基本支出表": "经济分类"}
TOP = 5  # ranking items shown before "查看全部"
MAX_CROPS = 3  # page crops per answer: each renders a page

# Contrast: captions and hints in #374151 on white (10:1). Streamlit's own texts are put into
# Chinese by chat_ui/streamlit_zh.js; the status widget, input hints and the uploader's
# instructions (the caption below it says the same) are not shown. The uploader's message for
# a refused file (too large, wrong type) is shown under the file instead of in a tooltip (which
# stayed open over the uploader's label on a phone).
CSS = """<style>
[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] * {color:#374151 !important;
  opacity:1 !important}
[data-testid=stStatusWidget], [data-testid=InputInstructions] {display:none !important}
[data-testid=stFileUploaderDropzoneInstructions] {display:none !important}
[data-testid=stFileChip] {flex-wrap:wrap}
[data-testid=stFileChip] [role=alert] {position:static !important; width:100% !important;
  height:auto !important; clip:auto !important; clip-path:none !important;
  overflow:visible !important; white-space:normal !important; margin:.25rem 0 0 !important;
  padding:0 !important; color:#991b1b; font-size:.875rem; line-height:1.4}
[role=tooltip]:has([data-testid=stTooltipErrorContent]), [data-testid=stTooltipErrorContent]
  {display:none !important}
[data-testid=stImage] img {max-width:100%; height:auto}
[data-testid=stVegaLiteChart] svg text {fill:#374151 !important}  /* axis labels were #808495, 3.7:1 */
[data-testid=stButton] button {height:auto !important}  /* a long question wraps, never "…" */
[data-testid=stButton] button * {white-space:normal !important; overflow:visible !important;
  text-overflow:clip !important}
""" + RANKING_CSS + TABLES_CSS + ROWS_CSS + """
.stElementContainer:has(> .stHtml > script) {display:none}  /* the translating script: no gap */
.stElementContainer:has(style):not(:has(p, li, td, img)) {display:none}  /* these styles: no gap */
@media (max-width: 640px) {  /* phones: the page crops get the whole width */
  [data-testid=stMainBlockContainer] {padding-left:.5rem !important; padding-right:.5rem !important;
    padding-top:3.5rem !important}
  [data-testid=stChatMessage] {padding-left:0 !important; padding-right:0 !important}
  [data-testid^=stChatMessageAvatar] {display:none !important}
  [data-testid=stExpanderDetails] {padding-left:.25rem !important; padding-right:.25rem !important}
}
</style>"""
LARGE_CSS = """<style>
html, .stApp {font-size:20px !important}
.stApp p, .stApp li, .stApp pre, .stApp code, .stApp input, .stApp textarea, .stApp label,
.stApp button, [data-testid=stCaptionContainer] * {font-size:1.2rem !important}
</style>"""
# Framed, without Streamlit's header: the room kept for the header on phones is given back.
EMBED_CSS = ("<style>[data-testid=stSidebar],[data-testid=stSidebarCollapsedControl],"
             "header,footer{display:none!important}"
             "[data-testid=stMainBlockContainer]{padding-top:1rem!important}</style>")


@st.cache_resource
def library() -> BudgetQA:
    return BudgetQA.from_settings()


def embedded() -> bool:
    """True when framed with `?embed=true` (Streamlit keeps that parameter to itself and reports
    it as st.context.is_embedded); session state "embedded" forces it, e.g. in AppTest."""
    return bool(st.session_state.get("embedded") or st.context.is_embedded)


def document_name(document: Document) -> str:
    """How a caption names a document: its title, with the publisher when the title lacks it."""
    title = f"《{document.title}》"
    short = re.sub(r"(人民政府|办事处|办公室)$", "", document.publisher)
    return title if short[-4:] in document.title else f"{document.publisher}{title}"


def page_count(document: Document, pattern: str) -> str:
    """`pattern` filled with the document's page count; nothing for a text disclosure, which
    has no pages (a "— 页" read as a broken number)."""
    return pattern.format(document.pages) if document.pages else ""


# -- document picker ------------------------------------------------------------------------

def pick_document(qa: BudgetQA, where) -> Document | None:
    """Publisher, year and kind selectors in the page (visible on phones); the chosen document.

    A document to select (after an upload) arrives as session state "select_doc" and is
    applied before the selectors are drawn.
    """
    docs = qa.documents()
    if not docs:
        where.info("还没有导入任何文件。请管理员在侧栏的“管理员”中上传预算公开文件。")
        return None
    select(docs, st.session_state.pop("select_doc", None))
    publishers = sorted({d.publisher for d in docs})
    left, middle, right = where.columns([3, 1.4, 1.6])
    publisher = left.selectbox("发布单位", publishers, key="publisher")
    docs = [d for d in docs if d.publisher == publisher]
    years = sorted({d.year or 0 for d in docs}, reverse=True)
    year = middle.selectbox("年度", years, key=f"year:{publisher}",
                            format_func=lambda y: f"{y}年" if y else "未注明")
    docs = [d for d in docs if (d.year or 0) == year]
    kinds = sorted({d.kind for d in docs})
    kind = right.selectbox("类别", kinds, key=f"kind:{publisher}:{year}")
    docs = [d for d in docs if d.kind == kind]
    if len(docs) > 1:
        chosen = where.selectbox("文件", docs, format_func=lambda d: d.title, key="docfile")
    else:
        chosen = docs[0]
    where.caption(f"当前文件：{document_name(chosen)}{page_count(chosen, ' · {} 页')}。"
                  "问题里写明其他年度或单位时，按问题选择文件。")
    return chosen


def select(docs: list[Document], doc_id: str | None) -> None:
    """Point the selectors at `doc_id` (they read their keys when drawn)."""
    document = next((d for d in docs if d.id == doc_id), None)
    if document is None:
        return
    year = document.year or 0
    st.session_state.update({"publisher": document.publisher,
                             f"year:{document.publisher}": year,
                             f"kind:{document.publisher}:{year}": document.kind,
                             "docfile": document})


# -- administrators: uploads behind BUDGETQA_ADMIN_TOKEN ---------------------------------------

def admin_panel(qa: BudgetQA, where) -> None:
    """Log-in with the admin token, then uploads. Without a token set, nothing is shown."""
    token = settings.get("BUDGETQA_ADMIN_TOKEN")
    if not token:
        return
    with where.expander("管理员", expanded=bool(st.session_state.get("admin"))):
        if not st.session_state.get("admin"):
            with st.form("admin-login"):
                given = st.text_input("管理员口令", type="password", key="admin-token")
                entered = st.form_submit_button("进入管理模式")
            if entered:
                if hmac.compare_digest(given.encode(), token.encode()):
                    st.session_state["admin"] = True
                    st.rerun()
                st.error("口令不正确。")
            return
        upload(qa)
        show_report(qa, st.session_state.get("last_report"))


def upload(qa: BudgetQA) -> None:
    """Upload a disclosure and ingest it with real counts (page by page while reading, then
    tables, passages and figures); select it when done."""
    limit = settings.max_upload_mb()
    file = st.file_uploader("上传预算公开文件", type=["pdf", "md", "txt"], key="upload")
    st.caption(f"PDF、.md 或 .txt 文件，单个不超过 {limit} MB。")
    if file is None or not st.button("导入", key="ingest"):
        return
    name = Path(file.name).name
    if file.size > limit * 2**20:
        st.error(too_large_message(limit))
        return
    if not re.fullmatch(r"[\w.\-]+", Path(name).stem):
        st.error("文件名只能包含文字、数字和 - _ . ，请改名后再上传。")
        return
    with st.status(f"正在导入 {name} …", expanded=True) as status:
        bar = st.progress(0, text="保存文件")
        folder = settings.home() / "uploads"
        # Written beside its final place and moved there only once the document is stored
        # (as the API does): a failed upload leaves the old file and document as they were.
        incoming = folder / ".incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        path = folder / name
        (incoming / name).write_bytes(file.getvalue())
        bar.progress(5, text="正在读取文件…")
        # Reading the pages is most of the time: 5–65 % moves page by page.
        stages = {"reading": (None, "正在读取第 {pages_done}/{pages} 页…"),
                  "parsed": (70, "已读取 {pages} 页，找到 {tables} 张表；正在索引正文…"),
                  "indexed": (85, "已索引 {passages} 段正文；正在保存…"),
                  "stored": (95, "已保存 {cells} 个数字；正在校验…")}

        def progress(stage: str, counts: dict) -> None:
            percent, text = stages[stage]
            if percent is None:
                percent = 5 + 60 * counts["pages_done"] // max(counts["pages"], 1)
            if stage == "parsed" and not counts["pages"]:  # a text disclosure has no pages
                text = text.replace("已读取 {pages} 页", "已读取文件")
            bar.progress(percent, text=text.format(**counts))

        try:
            report = qa.ingest_file(incoming / name, install_as=path, progress=progress)
        finally:
            shutil.rmtree(incoming, ignore_errors=True)
        failed = report.status == "failed"
        bar.progress(100, text="未能导入" if failed else "完成")
        status.update(label=f"{name} 导入失败" if failed else f"已导入 {name}",
                      state="error" if failed else "complete", expanded=True)
    if failed:
        st.error(ingest_message(report.error))
        return
    st.session_state.update(last_report=report, select_doc=report.doc_id)
    st.rerun()  # redraw with the new document selected and its report open


def show_report(qa: BudgetQA, report) -> None:
    """The last ingest report, open: counts, the totals check, tables and warnings."""
    if report is None:
        return
    document = qa.document(report.doc_id)
    checked, add_up = report.reconciled
    verb = {"unchanged": "文件未变化，沿用已导入的", "replaced": "已更新"}.get(report.status, "已导入")
    st.success(f"{verb}{document_name(document)}{page_count(document, '（{} 页）')}，已设为当前文件。")
    st.write(f"{len(report.tables)} 张表，{report.cells} 个数字，{report.passages} 段正文；"
             f"合计校验 {add_up}/{checked} 张表相符。")
    st.markdown(tables_html(report.tables), unsafe_allow_html=True)
    # In Chinese, each once (a table continued over pages repeats its warning per page); one
    # messages_zh does not know yet is shown as written, said to be the original wording.
    shown = (ingest_warning(w) for w in report.warnings)
    for warning in dict.fromkeys(f"提示（原文）：{text}" if code == "other" else text
                                 for code, text in shown):
        st.warning(warning)


# -- one answer ------------------------------------------------------------------------------

def show_turn(qa: BudgetQA, turn: dict, index: int) -> None:
    """One assistant turn inside an error boundary: a failure never reaches the public."""
    try:
        show_answer(qa, turn, index)
    except Exception:
        log.exception("turn %d could not be shown", index)
        st.error(f"这条回答无法显示。{GENERIC}")
        st.button("重试", key=f"retry:{index}", on_click=_request, args=({"retry": index},))


def show_answer(qa: BudgetQA, turn: dict, index: int) -> None:
    """The answer text, formula, sources (rows, page crops, passages), choices and a chart."""
    if turn.get("error"):
        st.error(f"无法回答：{turn['error']}")
        st.button("重试", key=f"retry:{index}", on_click=_request, args=({"retry": index},))
        return
    answer = turn["answer"]
    if turn.get("asked") and turn["asked"] != turn["question"]:
        st.caption(f"理解为：{turn['asked']}")
    if turn.get("note"):
        st.info(turn["note"])
    cells = [c for c in answer.citations if c.kind == "cell"]
    if has_comparison(answer):
        show_comparison(qa, answer, index)
        st.feedback("thumbs", key=f"rate:{index}", on_change=_rate, args=(qa, turn, index))
        return
    if is_ranking(answer):
        items = ranked_items(qa.store, answer)
        st.text(headline(answer))
        show_ranking(items, answer.formula.startswith("最大"), index)
        cells = [i.citation for i in items[:TOP] if i.citation.kind == "cell"]
    else:
        st.text(shown_text(answer))  # text, never HTML or markdown from the library
        if answer.formula:
            st.code(f"算式：{answer.formula}", language=None, wrap_lines=True)
    show_choices(qa, turn, index)
    used = documents_used(qa, answer)
    if used:  # a reply without a figure rests on nothing: it says where it looked
        st.caption(("已查找：" if answer.route == "none" else "依据：")
                   + "、".join(document_name(d) for d in used))
    passages = [c for c in answer.citations if c.kind == "passage"]
    if cells or passages:
        with st.expander(f"出处（{len(cells) + len(passages)}）", expanded=True):
            show_cells(qa, cells)
            for c in passages:
                st.markdown(f"**{c.section or '正文'}** · {document_name(qa.document(c.doc))} "
                            f"第{c.page or '—'}页")
                st.text(c.text)
    show_charts(qa, turn)
    st.feedback("thumbs", key=f"rate:{index}", on_change=_rate, args=(qa, turn, index))


def show_comparison(qa: BudgetQA, answer, index: int) -> None:
    """A cross-document answer: its text, a sortable table (choose a row to see its page
    crop), a chart, and the table as CSV and Excel."""
    st.text(shown_text(answer))
    if answer.formula:
        st.code(f"算式：{answer.formula}", language=None, wrap_lines=True)
    frame = comparison_frame(answer)
    st.caption("点表头排序；选中一行查看该数字在原文件中的位置。")
    picked = st.dataframe(frame, hide_index=True, width="stretch", key=f"compare:{index}",
                          on_select="rerun", selection_mode="single-row")
    rows = picked.selection.rows if picked is not None else []
    citation = row_citation(answer, rows[0]) if rows else None
    if citation is not None:
        show_cited_figure(qa, citation)
    chart = chart_frame(answer)
    if len(chart) >= 2:
        st.bar_chart(chart, horizontal=True)
    left, right = st.columns(2)
    name = answer.table["measure"]
    left.download_button("下载 CSV", csv_bytes(answer), file_name=f"{name}.csv",
                         mime="text/csv", key=f"csv:{index}")
    right.download_button("下载 Excel", xlsx_bytes(answer), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet", key=f"xlsx:{index}")
    used = documents_used(qa, answer)
    if used:
        st.caption("依据：" + "、".join(document_name(d) for d in used))


def show_cited_figure(qa: BudgetQA, citation) -> None:
    """One figure of a comparison where it stands: its page crop, or its sentence."""
    document = qa.document(citation.doc)
    if citation.kind == "cell":
        crop = cell_crop(qa.store, document, citation)
        if crop:
            st.image(crop, caption=f"{document_name(document)}第{citation.page}页："
                     f"{citation.row} / {citation.column} = {citation.value}{citation.unit}"
                     "（红框为所用单元格）")
            return
    st.markdown(f"**{citation.section or citation.table or '正文'}** · "
                f"{document_name(document)} 第{citation.page or '—'}页")
    st.text(citation.text or
            f"{citation.row} / {citation.column} = {citation.value}{citation.unit}")


def _rate(qa: BudgetQA, turn: dict, index: int) -> None:
    """Store the reader's 👍/👎 with the question and the answer shown."""
    choice = st.session_state.get(f"rate:{index}")
    if choice is None:
        return
    record_feedback(qa.store, turn["question"], turn["answer"].to_json(),
                    "up" if choice == 1 else "down", doc=turn.get("selected"), source="page")
    st.toast("谢谢，已记录您的反馈。")


def documents_used(qa: BudgetQA, answer) -> list[Document]:
    ids = dict.fromkeys([answer.doc] if answer.doc else [])
    ids.update(dict.fromkeys(c.doc for c in answer.citations))
    return [qa.document(d) for d in ids if d]


def show_ranking(items, largest: bool, index: int) -> None:
    """The top items with their 类/款 parents, the rest behind "查看全部", as lists that wrap
    on a phone (a table cut the parents off at 360 px)."""
    order = "大到小" if largest else "小到大"
    st.caption(f"算式：比较 {len(items)} 项，按金额从{order}排列")
    st.markdown(ranking_html(items[:TOP], f"金额从{order}的前{min(TOP, len(items))}项"),
                unsafe_allow_html=True)
    if len(items) > TOP:
        with st.expander(f"查看全部（共 {len(items)} 项）"):
            st.markdown(ranking_html(items, f"全部{len(items)}项，金额从{order}"),
                        unsafe_allow_html=True)


def show_choices(qa: BudgetQA, turn: dict, index: int) -> None:
    """Clickable readings of a clarify answer; questions the document answers after `none`
    and `clarify`."""
    answer = turn["answer"]
    options = options_of(answer)
    if options:
        st.markdown("**您指的是：**")
        for j, option in enumerate(options):
            request = {"question": option.question} if option.question else \
                {"option": (index, j)}
            st.button(option.wording, key=f"option:{index}:{j}", on_click=_request,
                      args=(request,))
    if answer.route in ("none", "clarify"):
        offers = questions_to_offer(qa.store, answer, answer.doc or turn.get("selected"))
        if offers:
            st.markdown("**可以这样问：**")
            for j, question in enumerate(offers):
                st.button(question, key=f"offer:{index}:{j}", on_click=_request,
                          args=({"question": question},))


def show_cells(qa: BudgetQA, citations) -> None:
    """The cited rows as tables with the used cells marked, and a crop of each page."""
    by_doc: dict[str, list] = {}
    for c in citations:
        by_doc.setdefault(c.doc, []).append(c)
    for doc_id, group in by_doc.items():
        document = qa.document(doc_id)
        rows = cited_rows(qa.store.cells(doc_id), tuple(group))
        for table in dict.fromkeys(r.table for r in rows):
            in_table = [r for r in rows if r.table == table]
            st.markdown(f"**《{table}》**（单位：{in_table[0].unit or '未注明'}）")
            st.markdown(rows_html(in_table, f"《{table}》中所引用的行"), unsafe_allow_html=True)
        for c in group[:MAX_CROPS]:
            crop = cell_crop(qa.store, document, c)
            if crop:
                st.image(crop, caption=f"{document_name(document)}第{c.page}页："
                         f"{c.row} / {c.column} = {c.value}{c.unit}（红框为所用单元格）")


def show_charts(qa: BudgetQA, turn: dict) -> None:
    """A breakdown of the cited table and, for a lookup, the same figure in other years."""
    answer = turn["answer"]
    cells = [c for c in answer.citations if c.kind == "cell"]
    if not cells or not answer.doc or is_ranking(answer):
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
                         .set_index("年度"), horizontal=True)  # year labels read level


# -- the chat ---------------------------------------------------------------------------------

def ask(qa: BudgetQA, question: str, selected: Document | None) -> dict:
    """One chat turn: resolve a follow-up, pick the document the question names, ask."""
    previous = st.session_state.get("previous")
    followup = resolve_followup(question, previous, selected.year if selected else None)
    scope = scope_question(qa.documents(), followup.question, selected.id if selected else None)
    turn = {"question": question, "asked": followup.question, "doc": scope.doc,
            "selected": selected.id if selected else None, "note": scope.note}
    try:
        answer = qa.ask(scope.question, scope.doc)
        turn["answer"] = answer
        if (scope.doc and answer.route == "lookup"
                and len(same_series(qa.documents(), scope.doc)) > 1):
            turn["years"] = compare_years(qa, followup.question, scope.doc)
    except BudgetQAError as exc:
        turn["error"] = public_message(exc)
        return turn
    except Exception:
        log.exception("question %r failed", question)
        turn["error"] = GENERIC
        return turn
    st.session_state["previous"] = followup.question
    return turn


def _request(request: dict) -> None:
    """Button callback: what to do on the next run (ask, choose an option, retry a turn)."""
    st.session_state["request"] = request


def handle_request(qa: BudgetQA, selected: Document | None, messages: list[dict]) -> str | None:
    """Carry out a button's request; returns a question to ask as a new turn, if any."""
    request = st.session_state.pop("request", None) or {}
    if "retry" in request and request["retry"] < len(messages):
        index = request["retry"]
        with st.spinner("正在重试…"):
            messages[index] = ask(qa, messages[index]["question"], selected)
        return None
    if "option" in request:
        index, j = request["option"]
        turn = messages[index]
        option = options_of(turn["answer"])[j]
        messages.append({**turn, "question": option.wording, "asked": option.wording,
                         "note": "", "answer": option_answer(turn["answer"], option)})
        return None
    return request.get("question")


def show_question(question: str) -> None:
    """The reader's question as typed (as text, never markup); a blank one is said to be
    blank, not drawn as an empty bubble."""
    if question.strip():
        st.text(question)
    else:
        st.caption("（空白问题）")


def conversation(qa: BudgetQA, selected: Document | None) -> None:
    doc_id = selected.id if selected else None
    if st.session_state.get("doc") != doc_id:  # a new document starts a new conversation
        st.session_state.update(doc=doc_id, messages=[], previous=None)
    messages: list[dict] = st.session_state.setdefault("messages", [])
    pending = handle_request(qa, selected, messages)
    if doc_id and not messages and not pending:
        suggestions = suggest_questions(qa.store.parsed_tables(doc_id))
        if suggestions:
            st.markdown("**可以这样问：**")
            columns = st.columns(2)
            for i, question in enumerate(suggestions):
                columns[i % 2].button(question, key=f"suggest:{i}", width="stretch",
                                      on_click=_request, args=({"question": question},))
    for index, turn in enumerate(messages):
        with st.chat_message("user"):
            show_question(turn["question"])
        with st.chat_message("assistant"):
            show_turn(qa, turn, index)
    typed = st.chat_input("输入问题…", max_chars=settings.max_question())
    question = typed or pending
    if question:
        with st.chat_message("user"):
            show_question(question)
        with st.chat_message("assistant"):
            with st.spinner("正在查找…"):
                turn = ask(qa, question, selected)
        messages.append(turn)
        st.rerun()  # redraw from the history: the suggestions give way to the conversation


def main() -> None:
    st.set_page_config(page_title="预算问答", page_icon="📊", layout="centered",
                       initial_sidebar_state="collapsed" if embedded() else "auto")
    st.markdown(CSS, unsafe_allow_html=True)
    st.html(streamlit_zh_script(), unsafe_allow_javascript=True)
    if embedded():
        st.markdown(EMBED_CSS, unsafe_allow_html=True)
    if st.session_state.get("large"):
        st.markdown(LARGE_CSS, unsafe_allow_html=True)
    try:
        qa = library()
        if embedded():
            with st.expander("更换文件 · 大字模式", expanded=False):
                selected = pick_document(qa, st)
                st.toggle("大字模式", key="large")
            if selected is not None:  # the collapsed picker must not hide what is asked of
                st.caption(f"当前文件：{document_name(selected)}")
        else:
            title, large = st.columns([4, 1.3], vertical_alignment="center")
            title.title("预算问答", anchor=False)
            large.toggle("大字模式", key="large")
            st.caption("关于政府预算公开文件的提问，例如“公务用车购置及运行费是多少？”。"
                       "每个数字都给出算式和出处（表格、页码、原页截图）；可以接着问“那上年呢？”。")
            selected = pick_document(qa, st)
            with st.sidebar:
                admin_panel(qa, st)
    except Exception:
        log.exception("the page could not start")
        st.error(f"预算问答暂时无法打开。{GENERIC}")
        return
    conversation(qa, selected)


st.set_option("client.showErrorDetails", "none")
main()
