"""Lines of text from a PDF page's characters, grouped by vertical overlap.

pdfplumber puts two characters on one line when their tops differ by at most a
fixed tolerance (3 pt). Some disclosures print the digits of a sentence a few
points below the Chinese around them (a different font with another baseline);
with a fixed tolerance the digits leave their sentence for a line of their own
and the passage reads "…总计 万元。…". Here a character joins the line its box
overlaps for most of its height, whatever the offset, and lines are then spelled
by pdfplumber from characters moved onto their line's top, so word spacing stays
pdfplumber's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pdfplumber.utils.text import chars_to_textmap

# A character belongs to a line when their boxes overlap for at least this share of
# the lower of the two heights. Lines set one under the other do not overlap at all.
MIN_OVERLAP = 0.5
# Open lines a character is compared with: the most recent ones, because characters
# arrive sorted by their top.
_RECENT_LINES = 8
# Points above and below a blank within which the lines it may belong to start.
_NEAR = 40.0


@dataclass
class _Band:
    """A line in the making: the vertical extent of its largest character, and its characters."""

    top: float
    bottom: float
    size: float
    chars: list[dict] = field(default_factory=list)

    def overlap(self, char: dict) -> float:
        shared = min(self.bottom, char["bottom"]) - max(self.top, char["top"])
        lower = min(self.bottom - self.top, char["bottom"] - char["top"])
        return shared / lower if lower > 0 else 0.0


def line_groups(boxes: list[dict]) -> list[list[dict]]:
    """Boxes (dicts with "text", "x0", "top", "bottom", "size") grouped into lines by
    vertical overlap, top to bottom; each line's boxes in the order they arrived.
    Used for characters here and for the words OCR reads (`ingest.ocr`)."""
    return [band.chars for band in _bands(boxes)]


def _bands(chars: list[dict]) -> list[_Band]:
    """Visible characters grouped into lines; blanks then join the line they overlap.

    Blanks do not start lines: PDF writers give a space the box of another font,
    which can straddle two lines and pull them together.
    """
    bands: list[_Band] = []
    visible = [c for c in chars if c["text"].strip()]
    last: _Band | None = None
    for char in sorted(visible, key=lambda c: (c["top"], c["x0"])):
        # Most characters continue the line of the one before: try it first.
        best = last if last is not None and last.overlap(char) >= MIN_OVERLAP else \
            max(bands[-_RECENT_LINES:], key=lambda band: band.overlap(char), default=None)
        if best is None or best.overlap(char) < MIN_OVERLAP:
            best = _Band(char["top"], char["bottom"], char["size"])
            bands.append(best)
        elif char["size"] > best.size:
            # The line's extent is its body type's, not a footnote mark's or small digits'.
            best.top, best.bottom, best.size = char["top"], char["bottom"], char["size"]
        best.chars.append(char)
        last = best
    # Bands were opened top to bottom; a blank is compared only with those near it.
    tops = [band.top for band in bands]
    for blank in (c for c in chars if not c["text"].strip()):
        start = bisect.bisect_left(tops, blank["top"] - _NEAR)
        near = [band for band in bands[start:bisect.bisect_right(tops, blank["bottom"] + _NEAR)]]
        best = max(near, key=lambda band: band.overlap(blank), default=None)
        if best is not None and best.overlap(blank) >= MIN_OVERLAP:
            best.chars.append(blank)
    return bands


def _moved(char: dict, top: float) -> dict:
    shift = char["top"] - top
    return {**char, "top": top, "bottom": char["bottom"] - shift,
            "doctop": char["doctop"] - shift, "y0": char["y0"] + shift, "y1": char["y1"] + shift}


def text_lines(chars: list[dict]) -> list[dict]:
    """Lines of `chars` (pdfplumber char dicts of one page) in reading order.

    Each line is a dict like pdfplumber's `extract_text_lines(return_chars=True)`
    gives: "text", "x0", "x1", "top", "bottom" and "chars"; "top" and "bottom"
    are those of the line's largest characters.
    """
    moved = [_moved(char, band.top) for band in _bands(chars) for char in band.chars]
    if not moved:
        return []
    return chars_to_textmap(moved).extract_text_lines(strip=True, return_chars=True)
