"""Narrative passages from a disclosure PDF, cut along its headings.

The flow is: lines per page (text inside tables removed) -> running headers,
page numbers, table captions and the table of contents removed -> lines joined
into paragraphs by layout -> paragraphs classed as headings or body -> body
cut into passages of a quotable size, each with its heading path and page.

Paragraph breaks come from geometry, not from punctuation: a paragraph ends
on a line that stops short of the right margin, and starts on an indented or
numbered line. Lines are joined without a space because Chinese has none.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber

from budgetqa.domain import Passage
from ingest.pdf_lines import text_lines
from ingest.sections import SectionPath, heading_level, looks_like_title, strip_numbering

TableRegions = dict[int, list[tuple]]
# Lines read by OCR from scanned pages, by page number (see ingest.ocr).
OcrPages = dict[int, list]

# Passage size: aim below TARGET, never split a sentence to stay below it.
TARGET_CHARS = 600
MIN_CHARS = 150  # a shorter tail is merged into the passage before it
MAX_MERGED_CHARS = 800

_PAGE_NUMBER = re.compile(
    r"^[-—─–_\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*共\s*\d{1,3}\s*页)?[-—─–_\s]*$"
    r"|^\d{1,3}\s*/\s*\d{1,3}$"
)
_DOT_LEADER = re.compile(r"(?:…{2,}|\.{4,}|·{4,}|．{4,}|-{6,}|_{6,})\s*\d*\s*$")
_TOC_TITLE = re.compile(r"^目\s*录$")
# Caption lines printed above a table: "部门：江苏省政协办公厅 单位：万元", "公开03表".
_TABLE_CAPTION = re.compile(
    r"^(?:编制)?(?:部\s*门|单\s*位)(?:名称)?\s*[:：].*单\s*位\s*[:：]"
    r"|^单\s*位\s*[:：]\s*万?元\s*$"
    r"|^(?:公开)?\s*(?:附表|表)\s*[0-9一二三四五六七八九十]+\s*$"
    r"|^公开\s*\d+\s*表$|^公开表\s*[一二三四五六七八九十]+$"
)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    page_width: float
    font: str = ""
    ocr: bool = False


@dataclass
class _Paragraph:
    lines: list[_Line] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def text(self) -> str:
        return _join_lines([line.text for line in self.lines])

    @property
    def ocr(self) -> bool:
        return any(line.ocr for line in self.lines)

    def page_at(self, offset: int) -> int:
        """Page of the character at `offset` in `text`."""
        end = 0
        for i, line in enumerate(self.lines):
            end += len(line.text.strip()) + (1 if i and _needs_space(self.lines[i - 1].text, line.text) else 0)
            if offset < end:
                return line.page
        return self.lines[-1].page


# ---------------------------------------------------------------- public helpers


def text_layer_ratio(pdf: "pdfplumber.PDF") -> float:
    """Share of pages (0..1) that carry extractable text.

    A scanned page has images but no characters; the ingest pipeline decides
    from this ratio whether to refuse the file.
    """
    if not pdf.pages:
        return 0.0
    with_text = sum(1 for page in pdf.pages if any(c["text"].strip() for c in page.chars))
    return with_text / len(pdf.pages)


def scanned_pages(pdf: "pdfplumber.PDF") -> list[int]:
    """Numbers of the pages (1-based) that print something but carry no text: scans
    (an image) or text drawn as outlines (curves). Blank pages are not listed."""
    return [page.page_number for page in pdf.pages
            if not any(c["text"].strip() for c in page.chars) and (page.images or page.curves)]


def first_pages_text(pdf: "pdfplumber.PDF", pages: int = 3) -> str:
    """Plain text of the first `pages` pages, pages separated by a form feed ("\\f"),
    for `ingest.doc_facts.document_facts` (which reads the cover from the first page)."""
    return "\f".join(page.extract_text() or "" for page in pdf.pages[:pages])


def opening_text(path: str, pages: int = 4) -> str:
    """first_pages_text of a PDF file (cover and contents, for the audit's contents rule);
    "" for another kind of file or one that is gone."""
    if not path.lower().endswith(".pdf"):
        return ""
    try:
        with pdfplumber.open(path) as pdf:
            return first_pages_text(pdf, pages)
    except (OSError, ValueError):
        return ""


def extract_passages(
    pdf: "pdfplumber.PDF", doc_id: str, table_regions: TableRegions | None = None,
    ocr_pages: OcrPages | None = None,
) -> list[Passage]:
    """Narrative passages of `pdf`, in reading order.

    `table_regions` maps page number (1-based) to table bboxes in pdfplumber
    coordinates; text inside them is not narrative. When None, the tables
    pdfplumber finds on each page are used. Each passage holds one section (or
    a paragraph-aligned part of a long one), its heading path joined by " > ",
    and the page its text starts on. `ocr_pages` maps scanned pages to the lines OCR
    read on them (`ingest.ocr.OcrLine`); their passages are marked `ocr`.
    """
    lines = _document_lines(pdf, table_regions, ocr_pages or {})
    lines = _drop_toc(lines)
    paragraphs = _paragraphs(lines, _Layout.of(lines))
    return _passages(doc_id, paragraphs)


# ---------------------------------------------------------------- lines


def _page_table_boxes(page, table_regions: TableRegions | None) -> list[tuple]:
    if table_regions is not None:
        return list(table_regions.get(page.page_number, []))
    return [table.bbox for table in page.find_tables()]


def _outside(boxes: list[tuple]):
    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)

    return keep


def _page_lines(page, table_regions: TableRegions | None) -> list[_Line]:
    boxes = _page_table_boxes(page, table_regions)
    view = page.filter(_outside(boxes)) if boxes else page
    out = []
    for raw in text_lines(view.chars):
        text = raw["text"].strip()
        if not text:
            continue
        sizes = Counter(round(c["size"], 1) for c in raw["chars"] if c["text"].strip())
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        fonts = Counter(c["fontname"] for c in raw["chars"] if c["text"].strip())
        font = fonts.most_common(1)[0][0] if fonts else ""
        out.append(_Line(page.page_number, raw["top"], raw["bottom"], raw["x0"], raw["x1"], size, text,
                         page.width, font))
    return out


def _ocr_lines(page, ocr_lines: list) -> list[_Line]:
    # A line's height stands for its type size, as a text line's size does.
    return [_Line(page.page_number, line.top, line.bottom, line.x0, line.x1,
                  round(line.bottom - line.top, 1), line.text, page.width, "ocr", ocr=True)
            for line in ocr_lines]


def _document_lines(pdf, table_regions: TableRegions | None, ocr_pages: OcrPages) -> list[_Line]:
    """All narrative-candidate lines, without page furniture and table captions."""
    pages = [(page, _ocr_lines(page, ocr_pages[page.page_number])
              if page.page_number in ocr_pages else _page_lines(page, table_regions))
             for page in pdf.pages]
    furniture = _running_furniture(pages)
    lines: list[_Line] = []
    for page, page_lines in pages:
        for i, line in enumerate(page_lines):
            in_margin = line.top < page.height * 0.12 or line.bottom > page.height * 0.85
            edge = i == 0 or i == len(page_lines) - 1
            if _PAGE_NUMBER.match(line.text) and (in_margin or edge):
                continue
            if in_margin and _furniture_key(line.text) in furniture:
                continue
            if _TABLE_CAPTION.match(line.text):
                continue
            lines.append(line)
    return lines


def _furniture_key(text: str) -> str:
    # Running headers differ only in the page number they carry.
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running_furniture(pages) -> set[str]:
    """Texts repeated in the top or bottom band of many pages: running headers/footers."""
    seen: Counter[str] = Counter()
    for page, page_lines in pages:
        keys = {
            _furniture_key(line.text)
            for line in page_lines
            if line.top < page.height * 0.08 or line.bottom > page.height * 0.92
        }
        seen.update(keys)
    threshold = max(3, 0.3 * len(pages))
    return {key for key, count in seen.items() if count >= threshold}


# ---------------------------------------------------------------- table of contents


def _toc_key(text: str) -> str:
    text = _DOT_LEADER.sub("", text)
    return re.sub(r"\s+", "", strip_numbering(text)).rstrip("。")


def _drop_toc(lines: list[_Line]) -> list[_Line]:
    """Remove the table of contents: dot-leader lines and the entries under "目录".

    Jiangsu contents pages list headings without page numbers, so the
    contents end where the body starts: at the first entry printed again, at
    a line that reads as a sentence, or, for contents with dot leaders, at the
    next page (those contents fill their own page).
    """
    out: list[_Line] = []
    in_toc = False
    first_entry = ""
    dotted = False
    entry_size = 0.0
    last_page = 0
    for line in lines:
        if _TOC_TITLE.match(line.text):
            in_toc, first_entry, dotted, entry_size, last_page = True, "", False, 0.0, line.page
            continue
        if _DOT_LEADER.search(line.text):
            dotted = dotted or in_toc
            continue
        if in_toc:
            new_page = line.page != last_page
            if first_entry and _toc_key(line.text) == first_entry:
                in_toc = False
            elif new_page and (dotted or (entry_size and line.size > entry_size * 1.1)):
                in_toc = False
            elif looks_like_title(line.text, max_chars=60) or heading_level(line.text) is not None:
                first_entry = first_entry or _toc_key(line.text)
                entry_size = entry_size or line.size
                last_page = line.page
                continue
            else:
                in_toc = False
        out.append(line)
    return out


# ---------------------------------------------------------------- paragraphs


@dataclass
class _Layout:
    """Text margins per page, falling back to the document's for sparse pages.

    Margins are read per page because one disclosure mixes layouts (a
    Shanghai file sets its first pages at x=82 and later ones at x=56).
    """

    left: dict[int, float]
    right: dict[int, float]
    body_size: float

    @classmethod
    def of(cls, lines: list[_Line]) -> "_Layout":
        by_key: dict[int, list[_Line]] = {}
        for line in lines:
            if len(line.text) >= 10:
                by_key.setdefault(line.page, []).append(line)
                by_key.setdefault(-_shape(line), []).append(line)  # document, per page width
        left, right = {}, {}
        for key, group in by_key.items():
            if key > 0 and len(group) < 4:
                continue  # too few lines to tell; use the document's margins
            starts = Counter(round(line.x0) for line in group)
            repeated = [x for x, n in starts.items() if n >= 2]
            left[key] = min(repeated) if repeated else starts.most_common(1)[0][0]
            ends = sorted(line.x1 for line in group)
            right[key] = ends[-2] if len(ends) >= 2 else ends[-1]
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[line.size] += len(line.text)
        body = sizes.most_common(1)[0][0] if sizes else 12.0
        return cls(left, right, body)

    def _margin(self, table: dict[int, float], line: _Line) -> float:
        return table.get(line.page, table.get(-_shape(line), 0.0))

    def indented(self, line: _Line) -> bool:
        return line.x0 > self._margin(self.left, line) + 0.8 * line.size

    def reaches_right(self, line: _Line) -> bool:
        # A page of short lines understates its margin; never trust it below
        # most of the document's margin for that page width.
        margin = max(self._margin(self.right, line), 0.95 * self.right.get(-_shape(line), 0.0))
        return line.x1 >= margin - 2.0 * line.size

    def wrapped_early(self, prev: _Line, line: _Line) -> bool:
        """True when `line` starts with a Latin/number run that did not fit on `prev`.

        PDF writers move a whole number ("28.89%") to the next line, leaving
        the previous line several characters short of the margin.
        """
        run = re.match(r"[0-9A-Za-z.,%+\-/()]+", line.text)
        if not run or prev.text[-1] in "。！？；：":
            return False
        return prev.x1 + 0.6 * line.size * len(run.group()) >= self._margin(self.right, prev) - 0.5 * line.size


def _shape(line: _Line) -> int:
    # Pages of one width (portrait or landscape) share their margins.
    return round(line.page_width / 10)


def _continues_heading(prev: _Line, line: _Line, layout: _Layout) -> bool:
    # A long heading wraps onto a second line in the same type, often centred
    # ("第三部分 上海市普陀区规划和自然资源局 2024 年度部门决算" / "情况说明").
    level = heading_level(prev.text)
    if level is None or heading_level(line.text) is not None:
        return False
    if not (looks_like_title(prev.text, 60) and looks_like_title(line.text, 20)):
        return False
    if line.font != prev.font or abs(line.size - prev.size) > 0.5:
        return False
    if level == 0:
        # Part titles are centred, so they end short of the margin even when wrapped.
        return line.page == prev.page and line.top - prev.bottom < 1.5 * line.size
    return layout.reaches_right(prev)


def _starts_paragraph(prev: _Line, line: _Line, layout: _Layout) -> bool:
    if prev.ocr != line.ocr:
        return True  # text read by OCR stays in passages of its own, marked as such
    if _continues_heading(prev, line, layout):
        return False
    if heading_level(line.text) is not None or layout.indented(line):
        return True
    if not layout.reaches_right(prev) and not layout.wrapped_early(prev, line):
        return True
    if abs(prev.size - line.size) > 1.5:
        return True
    return line.page == prev.page and line.top - prev.bottom > 1.5 * line.size


def _paragraphs(lines: list[_Line], layout: _Layout) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for line in lines:
        if not paragraphs or _starts_paragraph(paragraphs[-1].lines[-1], line, layout):
            paragraphs.append(_Paragraph())
        paragraphs[-1].lines.append(line)
    for paragraph in paragraphs:
        paragraph.body_size = layout.body_size  # type: ignore[attr-defined]
    return paragraphs


def _needs_space(before: str, after: str) -> bool:
    # Only two Latin words meeting at a line break need a space; Chinese and
    # numbers broken across lines ("1134.33 万" / "元") join directly.
    before, after = before.rstrip(), after.lstrip()
    return bool(before and after and before[-1].isascii() and before[-1].isalpha()
                and after[0].isascii() and after[0].isalpha())


def _join_lines(texts: list[str]) -> str:
    out = ""
    for text in texts:
        text = text.strip()
        if out and _needs_space(out, text):
            out += " "
        out += text
    return out


# ---------------------------------------------------------------- headings and passages


def _heading_candidate(paragraph: _Paragraph) -> int | None:
    """Level if the paragraph reads as a heading, before list detection."""
    text = paragraph.text
    level = heading_level(text)
    if level is not None:
        return level if looks_like_title(text) else None
    # Unnumbered titles (Shanghai page titles, covers) stand out by type size.
    body_size = getattr(paragraph, "body_size", paragraph.size)
    if paragraph.size >= body_size * 1.1 and looks_like_title(text, max_chars=60):
        return 0
    return None


def _classify(paragraphs: list[_Paragraph]) -> list[int | None]:
    """Heading level per paragraph, None for body.

    Short numbered lines are often list items ("1、办公室", "2、组织人事处"), not
    headings. A run of same-level items on one page is a list; a level-3 item
    counts as a heading only when body text follows it.
    """
    cand = [_heading_candidate(p) for p in paragraphs]
    levels: list[int | None] = list(cand)
    for i, level in enumerate(cand):
        if level is None or level == 0:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(cand) and cand[j] == level and paragraphs[j].page == paragraphs[i].page:
                levels[i] = None
        if level >= 3 and not (_body_follows(paragraphs, cand, i) and _has_sibling(cand, i)):
            levels[i] = None
    return levels


def _body_follows(paragraphs: list[_Paragraph], cand: list[int | None], i: int) -> bool:
    return i + 1 < len(cand) and cand[i + 1] is None and heading_level(paragraphs[i + 1].text) is None


def _has_sibling(cand: list[int | None], i: int) -> bool:
    # A sub-heading "1." comes with a "2."; a lone numbered line ("1、徐州铁路运输法院"
    # under "（三）派出机构") is a one-item list.
    for direction in (range(i - 1, -1, -1), range(i + 1, len(cand))):
        for j in direction:
            if cand[j] is not None and cand[j] < cand[i]:
                break  # left the parent section
            if cand[j] == cand[i]:
                return True
    return False


def _is_figure_label(paragraph: _Paragraph) -> bool:
    # Chart labels ("项目支出, 27.45%") are set in small type and are no sentences;
    # table notes are small too but say something ("注：…。").
    body_size = getattr(paragraph, "body_size", paragraph.size)
    return paragraph.size < 0.8 * body_size and "。" not in paragraph.text


def _passages(doc_id: str, paragraphs: list[_Paragraph]) -> list[Passage]:
    path = SectionPath()
    passages: list[Passage] = []
    body: list[_Paragraph] = []

    def flush() -> None:
        for text, page, ocr in _chunks(body):
            passages.append(Passage(doc_id=doc_id, section=str(path), text=text, page=page,
                                    index=len(passages), ocr=ocr))
        body.clear()

    paragraphs = [p for p in paragraphs if not _is_figure_label(p)]
    for paragraph, level in zip(paragraphs, _classify(paragraphs)):
        if level is None:
            body.append(paragraph)
        else:
            flush()
            path.enter(level, paragraph.text)
    flush()
    return passages


def _sentences(paragraph: _Paragraph) -> list[tuple[str, int]]:
    """Sentences of a paragraph with the page each starts on."""
    text = paragraph.text
    out, offset = [], 0
    for piece in _SENTENCE_END.split(text):
        if piece:
            out.append((piece, paragraph.page_at(offset)))
            offset += len(piece)
    return out


def _chunks(paragraphs: list[_Paragraph]) -> list[tuple[str, int, bool]]:
    """Pack paragraphs into passages of about TARGET_CHARS, breaking at paragraph
    boundaries, and inside an over-long paragraph only at sentence ends. Each comes
    with the page it starts on and whether any of it was read by OCR."""
    units: list[tuple[str, int, bool, bool]] = []  # text, page, starts a paragraph, OCR
    for paragraph in paragraphs:
        if len(paragraph.text) <= TARGET_CHARS:
            units.append((paragraph.text, paragraph.page, True, paragraph.ocr))
        else:
            for k, (sentence, page) in enumerate(_sentences(paragraph)):
                units.append((sentence, page, k == 0, paragraph.ocr))
    chunks: list[list[tuple[str, int, bool, bool]]] = []
    size = 0
    for unit in units:
        # Text read by OCR never shares a passage with text from a text layer.
        if chunks and size + len(unit[0]) <= TARGET_CHARS and chunks[-1][-1][3] == unit[3]:
            chunks[-1].append(unit)
            size += len(unit[0])
        else:
            chunks.append([unit])
            size = len(unit[0])
    if len(chunks) > 1 and sum(len(u[0]) for u in chunks[-1]) < MIN_CHARS \
            and chunks[-2][-1][3] == chunks[-1][0][3]:
        merged = chunks[-2] + chunks[-1]
        if sum(len(u[0]) for u in merged) <= MAX_MERGED_CHARS:
            chunks[-2:] = [merged]
    out = []
    for chunk in chunks:
        text = ""
        for piece, _, new_paragraph, _ in chunk:
            text += ("\n" if text and new_paragraph else "") + piece
        out.append((text, chunk[0][1], any(unit[3] for unit in chunk)))
    return out
