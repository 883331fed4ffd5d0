"""PDF through PDFium (pypdfium2, the optional ``[pdfium]`` extra): the same layout rules, a faster line source.

:mod:`.pdf` reads positioned text lines from pdfminer.six and decides what they are (page furniture,
margin column, footnotes, paragraphs, hyphenation). This module gives those rules the same lines built
from PDFium, which parses a page about ten times faster. PDFium's text comes with its own line ends
(``\\r\\n``), but it runs a line on into the next after a line-end hyphen (which it marks U+FFFE) and, at
the foot of a page, into the margin column. So each run of text between line ends is measured by
PDFium's rectangles (one per run of characters of one text object on one line), and split where those
rectangles leave the line: at a marked hyphen, else character by character. Only split runs are read
per character. PDFium also ends a line after each glyph of a line drawn glyph by glyph (chromium's
justified text); such pieces are joined again, with a space where the advance boxes leave one. A line's
font size (scaled by the character's matrix) and weight are those of three of its characters, its
height that of pdfminer.six's lines: from the font's descent, one font size high.

Measured by ``bench/pdf_engines.py``: 7–12× the pdfminer path's speed, the same words on every PDF fixture;
what differs on PDFs of other producers is listed in bench/RESULTS.md.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from typing import Any

from ...errors import ExtractionError
from ...text.normalize import PRIVATE_BULLETS
from . import MISSING_PDFIUM, Extraction
from .pdf import Line, assemble

VERSION = "1"
_RUN = re.compile(r"[^\r\n]+")
_SOFT = "\ufffe\x02"  # PDFium's mark of a line-end hyphen it joined across the line end
_READ = str.maketrans({"\ufffe": "-", "\x02": "-", "\x00": ""})
_Box = tuple[float, float, float, float]  # left, bottom, right, top


def extract(data: bytes) -> Extraction:
    """Extract a PDF with PDFium's line source and docaudit's layout rules (:func:`.pdf.assemble`)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise ExtractionError(MISSING_PDFIUM) from None
    pages, sizes = _layout_lines(data)
    version = getattr(pdfium, "V_PYPDFIUM2", None) or getattr(getattr(pdfium, "version", None), "PYPDFIUM_INFO", "?")
    return assemble(pages, sizes, "pdfium", f"docaudit-pdfium/{VERSION} pypdfium2/{version}")


def _layout_lines(data: bytes) -> tuple[list[list[Line]], list[tuple[float, float]]]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower() or getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise ExtractionError("encrypted PDF: a password is needed to open it") from None
        raise
    pages: list[list[Line]] = []
    sizes: list[tuple[float, float]] = []
    try:
        for pno in range(len(doc)):
            page = doc[pno]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_Page(textpage, pno).lines())
                finally:
                    textpage.close()
                sizes.append(tuple(page.get_size()))
            finally:
                page.close()
    finally:
        doc.close()
    return pages, sizes


class _Page:
    """One page's text lines from a PDFium text page."""

    def __init__(self, textpage: Any, pno: int) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.tp = textpage.raw
        self.pno = pno
        self.n = raw.FPDFText_CountChars(self.tp)
        self.text = textpage.get_text_range(0, self.n) if self.n > 0 else ""
        if len(self.text) != self.n:  # characters beyond UCS-2, or a PDFium quirk: read them one by one
            self.text = "".join(_char(raw.FPDFText_GetUnicode(self.tp, i)) for i in range(self.n))
        self.box = [ctypes.c_double() for _ in range(4)]
        self.refs = [ctypes.byref(b) for b in self.box]
        self.loose = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()

    def lines(self) -> list[Line]:
        out: list[Line] = []
        last_end = 0  # where the last line's text ends
        for m in _RUN.finditer(self.text):
            for start, end, box in self._pieces(m.start(), m.end()):
                if (line := self._line(start, end, box)) is None:
                    continue
                if out and _continues(out[-1], line):
                    out[-1] = _joined(out[-1], line, self._spaced(last_end, start, line.size))
                else:
                    out.append(line)
                last_end = end
        return out

    def _spaced(self, end: int, start: int, size: float) -> bool:
        """Whether a word space parts the character before ``end`` and the one at ``start``: measured between
        their advance boxes (ink boxes leave gaps inside words), as pdfminer.six measures."""
        raw, loose = self.raw, self.loose
        before = end - 1
        while before > 0 and self.text[before].isspace():
            before -= 1
        after = start
        while after < self.n - 1 and self.text[after].isspace():
            after += 1
        if not raw.FPDFText_GetLooseCharBox(self.tp, before, loose):
            return True
        right = loose.right
        if not raw.FPDFText_GetLooseCharBox(self.tp, after, loose):
            return True
        return loose.left - right > 0.1 * size

    def _rects(self, start: int, end: int) -> list[_Box]:
        raw, tp, (left, top, right, bottom) = self.raw, self.tp, self.box
        rects = []
        for i in range(raw.FPDFText_CountRects(tp, start, end - start)):
            raw.FPDFText_GetRect(tp, i, *self.refs)
            rects.append((left.value, bottom.value, right.value, top.value))
        return rects

    def _pieces(self, start: int, end: int, hyphens: bool = True) -> list[tuple[int, int, _Box]]:
        """The run ``[start, end)`` as pieces that each lie on one line: (start, end, box)."""
        rects = self._rects(start, end)
        if not rects:
            return []
        if len(_groups(rects)) == 1:
            return [(start, end, _union(rects))]
        if hyphens:
            cuts = [i + 1 for i in range(start, end - 1) if self.text[i] in _SOFT]
            if cuts:
                out = []
                for a, b in zip([start, *cuts], [*cuts, end], strict=True):
                    out.extend(self._pieces(a, b, hyphens=False))
                return out
        return self._by_character(start, end)

    def _by_character(self, start: int, end: int) -> list[tuple[int, int, _Box]]:
        """Split a run where a character leaves the line (a gap of two sizes, no vertical overlap, back left)."""
        raw, tp, (left, right, bottom, top) = self.raw, self.tp, self.box
        out: list[tuple[int, int, _Box]] = []
        first, line = start, None  # line: the current piece's box
        for i in range(start, end):
            if self.text[i].isspace():
                continue
            raw.FPDFText_GetCharBox(tp, i, *self.refs)
            box = (left.value, bottom.value, right.value, top.value)
            if line is not None and _leaves(line, box):
                out.append((first, i, line))
                first, line = i, None
            line = box if line is None else _union([line, box])
        if line is not None:
            out.append((first, end, line))
        return out

    def _size(self, i: int) -> float:
        """Character ``i``'s font size on the page: its font's size scaled by its matrix (a page drawn at 0.75,
        as chromium prints, sets 10.67 to be 8 points), as pdfminer.six reports it."""
        raw, matrix = self.raw, self.matrix
        size = raw.FPDFText_GetFontSize(self.tp, i)
        if raw.FPDFText_GetMatrix(self.tp, i, matrix):
            size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        return size

    def _line(self, start: int, end: int, box: _Box) -> Line | None:
        text = " ".join(self.text[start:end].translate(_READ).translate(PRIVATE_BULLETS).split())
        if not text:
            return None
        raw, tp = self.raw, self.tp
        ink = [i for i in range(start, end) if not self.text[i].isspace()]
        picks = {ink[0], ink[len(ink) // 2], ink[-1]}
        sizes = Counter(round(self._size(i), 1) for i in picks)
        bold = sum(raw.FPDFText_GetFontWeight(tp, i) >= 600 for i in picks) * 2 > len(picks)
        size = sizes.most_common(1)[0][0] or round(box[3] - box[1], 1)
        # as pdfminer.six measures a line: from the font's descent, one font size high (not the glyphs' ink)
        loose = self.loose
        bottoms = []
        for i in picks:
            if raw.FPDFText_GetLooseCharBox(tp, i, loose):
                bottoms.append(loose.bottom)
        y0 = min(bottoms) if bottoms else box[1]
        return Line(text, box[0], y0, box[2], max(y0 + size, box[3]), size, bold, self.pno)


def _continues(last: Line, line: Line) -> bool:
    """Whether ``line`` goes on where ``last`` stopped, on the same row (PDFium sometimes ends a line after every
    glyph of one that was drawn glyph by glyph, as chromium prints justified text)."""
    size = max(last.size, line.size, 1.0)
    overlap = min(last.y1, line.y1) - max(last.y0, line.y0)
    return overlap >= 0.5 * min(last.y1 - last.y0, line.y1 - line.y0) and -0.5 * size <= line.x0 - last.x1 <= size


def _joined(last: Line, line: Line, spaced: bool) -> Line:
    main = last if len(last.text) >= len(line.text) else line
    return Line(
        last.text + (" " if spaced else "") + line.text,
        min(last.x0, line.x0),
        min(last.y0, line.y0),
        max(last.x1, line.x1),
        max(last.y1, line.y1),
        main.size,
        main.bold,
        last.page,
    )


def _groups(rects: list[_Box]) -> list[list[_Box]]:
    """Rectangles in PDFium's order, grouped into lines."""
    groups: list[list[_Box]] = []
    line: _Box | None = None
    for rect in rects:
        if line is None or _leaves(line, rect):
            groups.append([rect])
            line = rect
        else:
            groups[-1].append(rect)
            line = _union([line, rect])
    return groups


def _leaves(line: _Box, box: _Box) -> bool:
    """Whether ``box`` is not on the line whose box so far is ``line``: it has no vertical overlap worth the
    name, starts left of the line's start, or stands more than two line heights to its right."""
    height = max(line[3] - line[1], 1.0)
    overlap = min(line[3], box[3]) - max(line[1], box[1])
    if overlap < 0.3 * min(height, max(box[3] - box[1], 0.5)):
        return True
    return box[0] < line[0] - 0.5 * height or box[0] - line[2] > 2 * height


def _union(boxes: list[_Box]) -> _Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _char(code: int) -> str:
    try:
        return chr(code) if code else "\x00"
    except (ValueError, OverflowError):
        return "\x00"
