"""What a citizen or portal administrator reads when something goes wrong, in Chinese.

The library's error messages are English and name internals (paths, ids, headers); the
faces show these instead. An ingest failure is told apart by the class of problem its
message names (ingest.reader raises one IngestError per class). Ingest warnings stay English
in the library and in `--json` (with a code each, `ingest_warning`); an administrator reads
them in Chinese.
"""

from __future__ import annotations

import re

from budgetqa.errors import BudgetQAError

GENERIC = "服务暂时出了问题，请稍后重试。"

_BY_CODE = {
    "bad_request": "问题不能为空，也不能过长，请换一种问法。",
    "not_found": "没有找到所选的文件，请重新选择文件。",
    "ingest_failed": "所需的文件还没有导入，请联系网站管理员。",
    "unit_mismatch": "问题涉及的数字单位不同，无法直接计算，请分别提问。",
    "store_unavailable": "数据存储暂时不可用，请稍后重试。",
    "index_unavailable": "检索服务暂时不可用，请稍后重试。",
    "forbidden": "没有权限进行这项操作。",
    "unauthorized": "这项操作需要管理员口令。",
}

# (pattern in ingest.reader's message, what to tell the uploader)
_INGEST = (
    (r"unsupported file type", "文件类型不支持：请上传 PDF、Markdown（.md）或纯文本（.txt）文件。"),
    (r"the file is empty", "文件是空的（0 字节），请检查后重新上传。"),
    (r"not UTF-8 text", "文本文件不是 UTF-8 编码，请用 UTF-8 另存后再上传。"),
    (r"not a budget disclosure", "文件里没有找到预算表格或文件标题，看起来不是预算公开文件。"),
    (r"not a PDF file", "这个文件不是真正的 PDF（文件开头没有 PDF 标记），可能只是改了扩展名。"),
    (r"encrypted", "PDF 设置了密码保护，无法读取，请上传未加密的版本。"),
    (r"damaged or truncated", "PDF 文件已损坏或不完整，请重新下载原文件后上传。"),
    (r"has no pages", "PDF 文件没有任何页面。"),
    (r"no text layer", "PDF 是扫描图片，没有文字层，无法读取表格；请上传能复制文字的 PDF。"),
    (r"could not be parsed", "PDF 文件无法解析，请确认它能在阅读器中正常打开。"),
    (r"no such file", "上传的文件没有保存成功，请重新上传。"),
)


def public_message(error: BudgetQAError) -> str:
    """A Chinese sentence for a library error, naming no internals."""
    if error.code == "ingest_failed":
        return ingest_message(error.message) if _ingest_class(error.message) else \
            _BY_CODE["ingest_failed"]
    if error.code == "bad_request" and "characters" in error.message:
        return f"问题太长了（最多 {error.context.get('limit', '')} 个字），请精简后再问。"
    return _BY_CODE.get(error.code, GENERIC)


def ingest_message(reason: str) -> str:
    """The uploader's message for an ingest failure reason (IngestReport.error)."""
    found = _ingest_class(reason)
    return found or f"文件无法导入：{GENERIC}"


def too_large_message(limit_mb: int) -> str:
    return f"文件超过 {limit_mb} MB 的上限，请压缩或拆分后再上传。"


def _ingest_class(reason: str) -> str | None:
    for pattern, message in _INGEST:
        if re.search(pattern, reason or ""):
            return message
    return None


# (code, pattern of an ingest warning as ingest/ writes it, Chinese with the pattern's groups)
_WARNINGS = (
    ("unit_borrowed",
     r"^table '(?P<table>.+)' prints no unit; (?P<unit>\S+) taken from '(?P<other>.+)', which "
     r"prints (?P<n>\d+) of the same figures$",
     "《{table}》没有注明单位：其中 {n} 个数字与《{other}》相同，按后者取为“{unit}”。"),
    ("unit_unknown", r"^table '(?P<table>.+)' prints no unit and none could be inferred$",
     "《{table}》没有注明单位，也无法从其他表推断。"),
    # ingest.stated_units: a head's unit the figures contradict.
    ("unit_corrected",
     r"^table '(?P<table>.+)' states (?P<stated>\S+) but prints (?P<unit>\S+): read in \S+ "
     r"\((?P<n>\d+) figures match other tables\)$",
     "《{table}》表头单位为“{stated}”，但数字是“{unit}”（{n} 个数字与其他表相同），已按“{unit}”读取。"),
    ("unit_doubtful",
     r"^table '(?P<table>.+)' states (?P<stated>\S+), but its figures are (?P<times>\d+) times "
     r"the rest of the document's: unit doubtful$",
     "《{table}》表头单位为“{stated}”，但数字是本文件其他各表的 {times} 倍，单位存疑，不用于回答。"),
    ("unit_not_stated", r"^(?P<table>.+) \(p\.(?P<page>[\d?]+)\): no unit stated$",
     "{table}（第{page}页）没有注明单位。"),
    ("no_header", r"^(?P<table>.+): no header found, columns named by position$",
     "{table}：没有找到表头，各列按位置命名（第1列、第2列…）。"),
    ("no_title", r"^(?P<table>.+): no title found$", "{table}：没有找到标题。"),
    ("page_unreadable", r"^p\.(?P<page>\d+): could not read the page \(.*\)$",
     "第{page}页无法读取，已跳过该页。"),
    ("ocr_pages",
     r"^pages (?P<pages>[\d,]+) have no text layer: read by OCR, figures from them are marked "
     r"as such$",
     "第{pages}页是扫描图片，已用文字识别（OCR）读取；回答中来自这些页的数字会注明“此数字由扫描页识别”。"),
    ("ocr_unavailable",
     r"^pages (?P<pages>[\d,]+) have no text layer and OCR is not available: they are not read$",
     "第{pages}页是扫描图片，本机没有安装文字识别（OCR），这些页没有读取。"),
    ("ocr_table_kept_out",
     r"^page (?P<page>\d+): a table read by OCR \((?P<table>.+), (?P<rows>\d+) rows\) has no "
     r"total that adds up; kept out of answers$",
     "第{page}页用文字识别读出的表格（{table}，{rows} 行）合计对不上，没有用于回答。"),
    ("narrative_numbers",
     r"^narrative numbers: only (?P<kept>\d+) of (?P<words>\d+) money words \(万元/元/%\) in the "
     r"passages have their number \((?P<share>[\d.]+%), below (?P<floor>\d+)%\)"
     r"(?:; e\.g\. “(?P<example>.*)”)?$",
     "正文中 {words} 处金额只有 {kept} 处读到了数字（{share}，低于 {floor}%）{example}；"
     "这些段落中的数字可能缺失，请核对原文。"),
    # budgetqa.pipeline, when the store took the document but the passage index did not; the
    # reason names internals (it is in the server log), so it is not repeated here.
    ("index_not_written",
     r"^the passage index could not be written \(.*\); text questions use it again after "
     r"`budgetqa check` or the next start$",
     "正文检索索引没有写入：表格中的数字已可回答，正文问题要在运行 budgetqa check 或服务重启后"
     "才能回答。"),
)


def ingest_warning(warning: str) -> tuple[str, str]:
    """(code, Chinese sentence) for an ingest warning (IngestReport.warnings); ("other", the
    warning as it is) for one this table does not know, so nothing is lost."""
    for code, pattern, chinese in _WARNINGS:
        found = re.match(pattern, warning)
        if found:
            parts = {k: v or "" for k, v in found.groupdict().items()}
            for key in ("table", "other"):
                if key in parts:
                    parts[key] = _table_name(parts[key])
            if parts.get("example"):
                parts["example"] = f"，例如“{parts['example']}”"
            if "pages" in parts:
                parts["pages"] = parts["pages"].replace(",", "、")
            text = chinese.format(**parts)
            # "第4页的无标题表格（第4页）…" says the page once
            return code, re.sub(r"^(第(\d+)页的无标题表格)（第\2页）", r"\1", text)
    return "other", warning


def _table_name(name: str) -> str:
    """"untitled table on p.4" as 第4页的无标题表格; a title as it is printed."""
    untitled = re.fullmatch(r"untitled table on p\.(\d+)", name)
    return f"第{untitled.group(1)}页的无标题表格" if untitled else name
