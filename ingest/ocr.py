"""Text lines of scanned PDF pages, read by Debian's tesseract (chi_sim).

A page without a text layer (a signed table, a stamped cover, a disclosure scanned
whole) is rendered with pypdfium2 and read by the `tesseract` binary; its lines come
back in PDF points, like the lines of a text page, so the narrative and table readers
treat them alike. The binary is called directly (no Python wrapper): its TSV output
gives every word with its box and line.

Install: `apt-get install tesseract-ocr tesseract-ocr-chi-sim` (the Makefile's `ocr`
target). BUDGETQA_OCR=off turns OCR off.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from budgetqa import settings
from budgetqa.errors import IngestError
from ingest.pdf_lines import line_groups

LANGUAGE = "chi_sim"
# Resolution the page is rendered at: tesseract reads 10-12 pt Chinese best at 300 dpi.
DPI = 300
# "A single column of text of variable sizes": reads narrative, and keeps a table row on
# one line even with ruling lines (mode 6 loses most rows of a ruled table).
PAGE_SEGMENTATION = "4"
TIMEOUT_SECONDS = 180
# Grey level (0-255) below which a pixel is ink, and the share of a page's width that
# only a ruling line covers in ink (half that share of its height for vertical rules).
DARK = 160
RULE_SHARE = 0.3
# Words read with less confidence are left out: stamps and signatures read as noise.
MIN_CONFIDENCE = 30.0


@dataclass(frozen=True)
class OcrLine:
    """One line read from a scanned page; coordinates in PDF points, like pdfplumber's."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@lru_cache(maxsize=1)
def _installed() -> bool:
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                            timeout=30)
    return LANGUAGE in listed.stdout.split()


def ocr_available() -> bool:
    """True when OCR is on (BUDGETQA_OCR) and tesseract with Chinese is installed."""
    return settings.get("BUDGETQA_OCR") != "off" and _installed()


def read_page(path: Path, page_number: int) -> list[OcrLine]:
    """The lines tesseract reads on page `page_number` (1-based) of the PDF at `path`.

    Raises IngestError naming the file and page when tesseract fails.
    """
    import pypdfium2 as pdfium

    scale = DPI / 72
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = _without_rules(pdf[page_number - 1].render(scale=scale).to_pil().convert("L"))
    finally:
        pdf.close()
    with tempfile.TemporaryDirectory(prefix="budgetqa-ocr-") as folder:
        picture = Path(folder) / "page.png"
        image.save(picture)
        try:
            done = subprocess.run(
                ["tesseract", str(picture), "stdout", "-l", LANGUAGE, "--psm",
                 PAGE_SEGMENTATION, "tsv"], capture_output=True, text=True,
                timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"{path.name}: OCR of page {page_number} took longer than "
                              f"{TIMEOUT_SECONDS} s", path=str(path), page=page_number) from exc
    if done.returncode != 0:
        raise IngestError(f"{path.name}: OCR of page {page_number} failed "
                          f"({done.stderr.strip()[:200]})", path=str(path), page=page_number)
    return _lines(done.stdout, scale)


def _without_rules(image):
    """The page with the ruling lines of its tables painted white.

    tesseract skips whole rows of a ruled table (the Jiangsu 功能科目 tables lose 合计
    and most 科目); without the rules it reads them all. A rule is a pixel row (column)
    dark over more than RULE_SHARE of the page's width (height); text never is.
    """
    import numpy
    from PIL import Image

    pixels = numpy.array(image)
    dark = pixels < DARK
    pixels[dark.mean(axis=1) > RULE_SHARE, :] = 255
    pixels[:, dark.mean(axis=0) > RULE_SHARE / 2] = 255
    return Image.fromarray(pixels)


def _lines(tsv: str, scale: float) -> list[OcrLine]:
    """Words of tesseract's TSV grouped into lines, in points.

    Lines are made here by vertical overlap, not taken from tesseract's line numbers:
    tesseract puts the columns of a table in blocks of their own, which would part a
    row's label from its amounts.
    """
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["level"] != "5" or not (row.get("text") or "").strip():
            continue
        if float(row["conf"]) < MIN_CONFIDENCE:
            continue
        top, height = int(row["top"]), int(row["height"])
        words.append({"text": row["text"].strip(), "x0": int(row["left"]), "top": top,
                      "x1": int(row["left"]) + int(row["width"]), "bottom": top + height,
                      "size": height})
    out = []
    for words in line_groups(words):
        words.sort(key=lambda w: w["x0"])
        height = sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2]
        out.append(OcrLine(text=_spell(words, height), x0=words[0]["x0"] / scale,
                           top=min(w["top"] for w in words) / scale,
                           x1=words[-1]["x1"] / scale,
                           bottom=max(w["bottom"] for w in words) / scale))
    out.sort(key=lambda line: (line.top, line.x0))
    return out


def _spell(words: list[dict], height: int) -> str:
    """Words of one line joined the way the page prints them.

    tesseract splits Chinese into one word per character; they join without a space.
    A wide gap (table columns, "10.82 10.82") and two Latin words keep one.
    """
    text = words[0]["text"]
    for before, word in zip(words, words[1:]):
        gap = word["x0"] - before["x1"]
        latin = text[-1].isascii() and text[-1].isalpha() and word["text"][0].isascii() \
            and word["text"][0].isalpha()
        text += (" " if latin or gap > 0.8 * height else "") + word["text"]
    return _normalise(text)


def _normalise(text: str) -> str:
    # tesseract reads "12.11%" as "12. 11%".
    return re.sub(r"(\d)\s*([.,])\s+(\d)", r"\1\2\3", text)
