"""What a citizen or portal administrator reads when something goes wrong, in Chinese.

The library's error messages are English and name internals (paths, ids, headers); the
faces show these instead. An ingest failure is told apart by the class of problem its
message names (ingest.reader raises one IngestError per class).
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
