"""Assemble page items (table rows and outside lines) into table drafts across pages.

A draft collects a title, number, unit, notes, header rows and data rows. The
rules are about reading order, not about any publisher:

* a title line (or a title row inside a ruled region) closes the table being
  read and names the next one; a unit/department line states its unit;
* rows without amounts right after the title are header rows; the 栏次 row is
  dropped;
* on a new page, rows that repeat the header are dropped and data rows
  continue the open table unless a new title came first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.pdf_table_layout import Block, Line, Row
from ingest.pdf_table_text import (is_amount, is_meta, is_note, is_numbering_row, is_title,
                                   title_complete,
                                   is_total, numbering_level, split_code_label, squash,
                                   table_number, unit_of)


@dataclass
class Draft:
    """A table being read: everything the page items said about it."""

    title: str = ""
    number: str = ""
    unit: str = ""
    notes: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    header: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    last_page: int = 0
    last_region: int = -1
    fresh: bool = False  # on a new page/region, no data row read there yet


def _under_merged_header(block: Block, header: list[Row]) -> bool:
    """Whether a block's cell sits under a wider header cell: a sub-header ("小计" under "公务用车…费")."""
    return any(h.cell[0] - 2 <= block.cell[0] and block.cell[2] <= h.cell[2] + 2
               and (h.cell[2] - h.cell[0]) - (block.cell[2] - block.cell[0]) > 5
               and h.bbox[3] <= block.bbox[1] + 1
               for r in header for h in r.blocks)


def _looks_like_data(row: Row, header: list[Row] = ()) -> bool:
    """A row that starts the body: an amount, a code, a total or a numbered label."""
    blocks = [b for b in row.blocks if b.text.strip()]
    for text in (b.text.strip() for b in blocks):
        if is_amount(text) or numbering_level(text) or split_code_label(text)[0]:
            return True
    # A lone 合计 is the total row of an empty table; beside other headers, or
    # under a merged header cell, it is a column header.
    return len(blocks) == 1 and is_total(blocks[0].text) and not _under_merged_header(blocks[0], header)


def _header_texts(rows: list[Row]) -> set[str]:
    return {squash(b.text) for r in rows for b in r.blocks}


class Assembler:
    """Feed page items in reading order; collect finished drafts in `drafts`."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.pending = Draft()
        self.units_seen: list[str] = []
        self.loose_line = ""  # the last text line that was neither title, meta nor note

    # -- closing and opening -------------------------------------------------
    def _close(self) -> None:
        if self.current is not None and (self.current.rows or self.current.header):
            self.drafts.append(self.current)
        self.current = None

    def _open(self, row: Row) -> Draft:
        self._close()
        draft, self.pending = self.pending, Draft()
        draft.last_page, draft.last_region = row.page, row.region
        self.current = draft
        return draft

    def _has_body(self) -> bool:
        return self.current is not None and bool(self.current.rows)

    # -- feeding ---------------------------------------------------------------
    def feed_title(self, text: str) -> None:
        """A title or table-number line: it names the next table."""
        if self._has_body() or (self.current is not None and self.current.header):
            self._close()
        number, rest = table_number(text)
        if not number and len(squash(rest)) <= 4 and self.loose_line:
            rest = self.loose_line.strip() + rest  # "…支出预" / "算表": a title cut by wrapping
        self.loose_line = ""
        if (self.pending.title and rest and not number and self.pending.number
                and not title_complete(self.pending.title)):
            self.pending.title += rest  # the second line of a wrapped title
            return
        if self.pending.title and rest and not number and self.pending.number and self.current is None:
            self.pending.title = rest  # a later title line wins over a section heading
        if number:
            self.pending.number = number
        if rest:
            self.pending.title = rest

    def feed_meta(self, text: str) -> None:
        """A department/unit line: its unit goes to the table being headed, else the next one."""
        unit = unit_of(text)
        if not unit:
            return
        self.units_seen.append(unit)
        if self.current is not None and not self.current.rows and not self.current.unit:
            self.current.unit = unit
        else:
            self.pending.unit = unit

    def feed_note(self, text: str, page: int) -> None:
        """A note belongs to the table just read (or being read)."""
        target = self.current if self.current is not None else (self.drafts[-1] if self.drafts and self.drafts[-1].last_page >= page - 1 else self.pending)
        target.notes.append(text.strip())

    def feed_line(self, line: Line) -> None:
        """A line of text outside the ruled regions."""
        text = line.text.strip()
        if not text or re.fullmatch(r"[-—\d\s第页/共]+", text):
            return  # page numbers
        coded = bool(line.blocks) and bool(split_code_label(line.blocks[0].text)[0] or
                                           re.fullmatch(r"\d{3}(\d{2}){0,2}", line.blocks[0].text.strip()))
        # (its amounts need not come last: a 绩效目标 text may follow them)
        if (self._has_body() and len(line.blocks) > 1 and any(is_amount(b.text) for b in line.blocks[1:])
                and (line.near_region is not None or (coded and line.page - self.current.last_page <= 1))):
            # a body row printed just outside the ruling of a continued table
            self.feed_row(Row(line.page, -1 if line.near_region is None else line.near_region, list(line.blocks)))
        elif is_title(text):
            self.feed_title(text)
        elif is_meta(text):
            self.feed_meta(text)
        elif is_note(text) and (self.current is not None or self.drafts):
            self.feed_note(text, line.page)
        else:
            self.loose_line = text

    def feed_row(self, row: Row) -> None:
        """A row of a ruled region."""
        texts = [b.text for b in row.blocks]
        joined = " ".join(texts)
        if len(row.blocks) == 1 and is_title(joined):
            self.feed_title(joined)
            return
        if any(is_meta(t) for t in texts) and not any(is_amount(t) for t in texts):
            for t in texts:
                self.feed_meta(t)
            return
        has_amount = any(is_amount(t) for t in texts)
        if not has_amount and is_note(joined) and not any(is_total(t) for t in texts):
            self.feed_note(joined, row.page)
            return
        cur = self.current
        pending_title = bool(self.pending.title or self.pending.number)
        data_like = _looks_like_data(row, cur.header if cur is not None and not pending_title else [])
        if cur is None or pending_title:
            if is_numbering_row(texts) and cur is not None and not cur.rows:
                return
            cur = self._open(row)
        new_place = (row.page, row.region) != (cur.last_page, cur.last_region)
        if row.page not in cur.pages:
            cur.pages.append(row.page)
        numbering = is_numbering_row(texts)
        if not cur.rows:
            if numbering:
                pass  # the 栏次 row: its column numbers are not data, even though they are digits
            elif data_like:
                cur.rows.append(row)
            elif not numbering:
                cur.header.append(row)
        else:
            if new_place:
                cur.fresh = True
            if cur.fresh and not data_like:
                repeated = bool(cur.header) and _header_texts([row]) <= _header_texts(cur.header)
                if repeated or numbering:
                    pass  # the header repeated on a continuation page
                elif new_place and cur.header and not has_amount and len(row.blocks) > 1:
                    # a different header at the top of a fresh region: an untitled table
                    cur = self._open(row)
                    cur.pages.append(row.page)
                    cur.header.append(row)
                else:
                    cur.rows.append(row)
            else:
                cur.rows.append(row)
                cur.fresh = False
        cur.last_page, cur.last_region = row.page, row.region

    def finish(self) -> list[Draft]:
        """Close the last table and return all drafts, a table continued under its repeated
        title and header on the next page joined into one."""
        self._close()
        return join_continued(self.drafts)


def _row_key(row: Row) -> str:
    return " ".join(b.text.strip() for b in row.blocks)


def join_continued(drafts: list[Draft]) -> list[Draft]:
    """Join a draft to the one before when it repeats its number, title, unit and header on
    the next page ("表5 项目支出总表" printed over each page).

    (The continuation may read a first label-only row as more header.) A 合计 printed
    again at the top of the continuation is dropped: read twice, it would
    close the rows of the first page and cut the 类 there from its 款 on the next.
    """
    out: list[Draft] = []
    for draft in drafts:
        prev = out[-1] if out else None
        if (prev is not None and draft.title and prev.rows and draft.pages and prev.pages
                and (draft.number, draft.title) == (prev.number, prev.title)
                and draft.unit in ("", prev.unit)
                and _header_texts(prev.header) <= _header_texts(draft.header)
                and draft.pages[0] == prev.pages[-1] + 1):
            seen = {_row_key(r) for r in prev.rows if r.blocks and is_total(r.blocks[0].text)}
            # A row without amounts under the repeated header was taken for more header.
            rows = [r for r in draft.header if not _header_texts([r]) <= _header_texts(prev.header)]
            rows += draft.rows
            if rows and _row_key(rows[0]) in seen:
                rows = rows[1:]
            prev.rows += rows
            prev.pages += [p for p in draft.pages if p not in prev.pages]
            prev.notes += draft.notes
            prev.last_page, prev.last_region = draft.last_page, draft.last_region
            continue
        out.append(draft)
    return out
