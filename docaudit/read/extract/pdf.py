"""PDF through pdfminer.six: paragraphs rebuilt from the layout of text lines.

pdfminer.six gives positioned text lines; this module decides what they are:

* **page furniture** — a line in the top or bottom band that recurs on at least half the pages (digits
  ignored, so "pagina 2 van 5" recurs) or a bare page number is a header/footer, stored apart;
* **margin** — the letterhead column of a Dutch ministry letter ("Directoraat-Generaal … Datum … Ons
  kenmerk") is a narrow column right of the body that never overlaps it: stored apart, used for metadata;
* **footnotes** — smaller lines at the foot of a page, appended after the body as "1 Kamerstuk …";
* **paragraphs** — lines in reading order, split on vertical gaps, indents, bold headings, list markers
  and short last lines, joined with line-end hyphenation undone ("cyber-/security" → "cybersecurity",
  "end-to-/end" stays hyphenated).

Layout analysis runs with ``boxes_flow=None``: docaudit orders lines itself, so pdfminer's costly
hierarchical box ordering is skipped.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

from ...errors import ExtractionError
from ...text.normalize import LIST_MARKER, PRIVATE_BULLETS, clean, join_lines, vocabulary
from . import Extraction

VERSION = "1"

_PAGE_NUMBER = re.compile(
    r"^(?:pagina|page|blz\.?|p\.)?\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?$|\b(?:pagina|page)\s+\d{1,4}\s+(?:van|of)\s+\d{1,4}$",
    re.I,
)
_TERMINAL = re.compile(r"[.!?:;]['\"’”)]*\d{0,3}$")
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")
_DIGITS = re.compile(r"\d+")
_TRAILING_BULLET = re.compile(r"\s+([•▪◦●➢✓❖■➔])$")
BAND = 0.10  # top and bottom share of the page where headers and footers live


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    page: int


def _layout_lines(data: bytes) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLineHorizontal

    pages: list[list[Line]] = []
    sizes: list[tuple[float, float]] = []
    params = LAParams(boxes_flow=None)
    for pno, page in enumerate(extract_pages(io.BytesIO(data), laparams=params)):
        lines: list[Line] = []
        for box in page:
            if not isinstance(box, LTTextBox):
                continue
            bullet = ""
            for line in box:
                if not isinstance(line, LTTextLineHorizontal):
                    continue
                text = line.get_text().strip().translate(PRIVATE_BULLETS)
                if not text:
                    continue
                # a list bullet drawn from a taller symbol font lands at the end of the line above
                text, bullet = bullet + text, ""
                if (m := _TRAILING_BULLET.search(text)) and len(text) > 2:
                    text, bullet = text[: m.start()], m.group(1) + " "
                char_sizes = []
                bold = 0
                for ch in line:
                    if isinstance(ch, LTChar) and not ch.get_text().isspace():
                        char_sizes.append(round(ch.size, 1))
                        name = ch.fontname.lower()
                        bold += "bold" in name or "black" in name or "heavy" in name
                size = Counter(char_sizes).most_common(1)[0][0] if char_sizes else line.height
                lines.append(Line(text, line.x0, line.y0, line.x1, line.y1, size, bold > len(char_sizes) / 2, pno))
        pages.append(lines)
        sizes.append((page.width, page.height))
    return pages, sizes


def _reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; pieces of one row (a bullet and its item, a label and its value) joined."""
    ordered = sorted(lines, key=lambda ln: -ln.y1)
    rows: list[list[Line]] = []
    for ln in ordered:
        if rows and abs(rows[-1][0].y1 - ln.y1) < 0.5 * min(ln.size, rows[-1][0].size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda x: x.x0)
        merged = row[0]
        for ln in row[1:]:
            if ln.x0 - merged.x1 < 4 * ln.size:
                merged = Line(
                    f"{merged.text} {ln.text}",
                    merged.x0,
                    min(merged.y0, ln.y0),
                    ln.x1,
                    max(merged.y1, ln.y1),
                    max(merged.size, ln.size) if len(merged.text) < 3 else merged.size,
                    merged.bold and ln.bold,
                    merged.page,
                )
            else:
                out.append(merged)
                merged = ln
        out.append(merged)
    return out


def _furniture_keys(pages: list[list[Line]], sizes: list[tuple[float, float]]) -> set[str]:
    """Keys of lines in the top or bottom band that recur on at least half the pages with at most one of
    their numbers changing (the page number): "pagina 2 van 5" is furniture, footnotes of one form at the
    foot of two pages ("2 Kamerstuk 34 843, nr. 113.", "3 Kamerstuk 26 643, nr. 1022.") are not."""
    if len(pages) < 2:
        return set()
    seen: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for pno, (lines, (_, height)) in enumerate(zip(pages, sizes, strict=True)):
        for ln in lines:
            if ln.y0 > height * (1 - BAND) or ln.y1 < height * BAND:
                seen[_key(ln.text)].setdefault(pno, tuple(_DIGITS.findall(ln.text)))
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, p in seen.items() if len(p) >= need and _numbers_changing(list(p.values())) <= 1}


def _numbers_changing(numbers: list[tuple[str, ...]]) -> int:
    """How many positions of the numbers in one line's occurrences take more than one value."""
    return sum(len(set(column)) > 1 for column in zip(*numbers, strict=True))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _split_margin(lines: list[Line], width: float) -> tuple[list[Line], list[Line]]:
    """Separate a narrow right-hand letterhead column that never overlaps the body."""
    right = [ln for ln in lines if ln.x0 >= 0.55 * width and ln.x1 - ln.x0 < 0.4 * width]
    body = [ln for ln in lines if ln.x0 < 0.45 * width]
    wide = [ln.x1 for ln in body if len(ln.text) > 25]
    if not right or len(wide) < 3:
        return lines, []
    body_right = sorted(wide)[int(len(wide) * 0.95) - (1 if len(wide) > 1 else 0)]
    margin_x0 = min(ln.x0 for ln in right)
    if margin_x0 <= body_right + 2:
        return lines, []
    ids = {id(ln) for ln in right}
    return [ln for ln in lines if id(ln) not in ids], right


def _split_footnotes(lines: list[Line], body_size: float, height: float) -> tuple[list[Line], list[Line]]:
    """Footnotes: a run of clearly smaller lines at the foot of the page."""
    notes: list[Line] = []
    i = len(lines)
    while i > 0:
        ln = lines[i - 1]
        if ln.size <= 0.87 * body_size and ln.y1 < height * 0.45:
            notes.append(ln)
            i -= 1
        else:
            break
    notes.reverse()
    if not notes or not _FOOTNOTE_START.match(notes[0].text):
        return lines, []
    return lines[:i], notes


def _group_footnotes(lines: list[Line]) -> list[str]:
    notes: list[list[str]] = []
    for ln in lines:
        if _FOOTNOTE_START.match(ln.text) or not notes:
            notes.append([ln.text])
        else:
            notes[-1].append(ln.text)
    out = []
    for parts in notes:
        text = join_lines(parts)
        out.append(re.sub(r"^(\d{1,3})(?=[^\d\s.,])", r"\1 ", text))
    return out


def _paragraphs(lines: list[Line], vocab: Counter[str]) -> list[str]:
    if not lines:
        return []
    gaps = [a.y0 - b.y1 for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and a.y0 > b.y1]
    lead = median(gaps) if gaps else 2.0
    right_edge: dict[int, float] = {}
    left_edge: dict[int, float] = {}
    by_page: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_page[ln.page].append(ln)
    for page, page_lines in by_page.items():
        xs = sorted(ln.x1 for ln in page_lines)
        right_edge[page] = xs[int(len(xs) * 0.9)]
        left_edge[page] = min(ln.x0 for ln in page_lines)
    paras: list[list[str]] = [[lines[0].text]]
    for prev, cur in zip(lines, lines[1:], strict=False):
        if _breaks(prev, cur, lead, right_edge, left_edge):
            paras.append([cur.text])
        else:
            paras[-1].append(cur.text)
    return [p for p in (join_lines(para, vocab) for para in paras) if p]


def _breaks(prev: Line, cur: Line, lead: float, right_edge: dict[int, float], left_edge: dict[int, float]) -> bool:
    ends_sentence = bool(_TERMINAL.search(prev.text))
    if prev.page != cur.page:
        continuing = prev.text.endswith("-") or (not ends_sentence and cur.text[:1].islower())
        return not continuing
    if LIST_MARKER.match(cur.text) or prev.bold != cur.bold:
        return True
    gap = prev.y0 - cur.y1
    if gap > max(lead * 1.8, lead + 0.45 * cur.size):
        return True
    width = right_edge[prev.page] - left_edge[prev.page]
    starts_upper = cur.text[:1].isupper() or cur.text[:1].isdigit()
    if prev.x1 < right_edge[prev.page] - 0.2 * width and starts_upper and not prev.text.endswith(("-", ",")):
        return True
    return cur.x0 > prev.x0 + 1.5 * cur.size and ends_sentence


def extract(data: bytes) -> Extraction:
    """Extract a PDF with pdfminer.six's line source and docaudit's layout rules (:func:`assemble`)."""
    import pdfminer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pages, sizes = _layout_lines(data)
    except PDFPasswordIncorrect:
        raise ExtractionError("encrypted PDF: a password is needed to open it") from None
    except PDFEncryptionError as exc:
        raise ExtractionError(f"encrypted PDF that cannot be opened ({exc})") from None
    return assemble(pages, sizes, "pdfminer.six", f"docaudit-pdf/{VERSION} pdfminer.six/{pdfminer.__version__}")


def assemble(
    pages: list[list[Line]], sizes: list[tuple[float, float]], extractor: str, extractor_version: str
) -> Extraction:
    """docaudit's layout rules on positioned lines (one list a page, with each page's width and height), whichever
    engine read them: furniture, margin and footnotes set apart, paragraphs rebuilt."""
    furniture = _furniture_keys(pages, sizes)
    headers: list[str] = []
    footers: list[str] = []
    margin: list[str] = []
    body: list[Line] = []
    notes: list[Line] = []
    all_sizes = Counter()
    for lines in pages:
        for ln in lines:
            all_sizes[ln.size] += len(ln.text)
    body_size = all_sizes.most_common(1)[0][0] if all_sizes else 10.0
    for lines, (width, height) in zip(pages, sizes, strict=True):
        kept = []
        for ln in lines:
            in_band = ln.y0 > height * (1 - BAND) or ln.y1 < height * BAND
            if in_band and (_key(ln.text) in furniture or _PAGE_NUMBER.search(ln.text)):
                bucket = headers if ln.y0 > height / 2 else footers
                if ln.text not in bucket:
                    bucket.append(ln.text)
            else:
                kept.append(ln)
        kept, side = _split_margin(kept, width)
        margin.extend(ln.text for ln in _reading_order(side))
        page_body, page_notes = _split_footnotes(_reading_order(kept), body_size, height)
        body.extend(page_body)
        notes.extend(page_notes)
    vocab = vocabulary("\n".join(ln.text for ln in body))
    paragraphs = _paragraphs(body, vocab)
    footnotes = _group_footnotes(notes)
    return Extraction(
        text=clean("\n\n".join(paragraphs + footnotes)).strip("\n"),
        format="pdf",
        extractor=extractor,
        extractor_version=extractor_version,
        headers=headers,
        footers=footers,
        margin=margin,
        footnotes=footnotes,
    )
