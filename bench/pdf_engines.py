#!/usr/bin/env python3
"""PDFium (pypdfium2) as the PDF line source, against pdfminer.six: the same sentences out, and how fast?

    python bench/pdf_engines.py [--rounds 3] [--write bench/RESULTS.md]

docaudit's PDF extractor (docaudit/read/extract/pdf.py) takes positioned text lines (text, box, font size,
bold, page) from pdfminer.six and applies its own layout rules (page furniture, margin column,
footnotes, paragraphs, hyphenation). This benchmark feeds the same rules lines built from PDFium
instead, two ways, so the comparison is of line sources and not of layout rules:

* **PDFium, per character**: every character's box, font size and weight (FPDFText_GetCharBox …),
  lines cut at PDFium's own line ends and at gaps wider than two character widths;
* **PDFium, per text rectangle**: PDFium's text rectangles (runs of one text object on one line) and
  their bounded text, one font lookup per rectangle — far fewer calls.

Named baseline: pdfminer.six (what docaudit ships), on every .pdf of the labelled sets (tests/fixtures,
its diffset and commitments folders). Measured: extraction time (median of ``--rounds``), the share of
pdfminer's sentences that the engine gives word for word, and words that differ (difflib).
PDFium's soft hyphen at a line end (U+FFFE) is read as "-", as pdfminer.six reads it.
"""

from __future__ import annotations

import argparse
import ctypes
import difflib
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import header, publish  # noqa: E402

from docaudit.read.extract import pdf as P  # noqa: E402
from docaudit.text.segment import sentences  # noqa: E402

SAME, FASTER = 0.99, 5  # the condition for offering PDFium as an engine (issue: same sentences, ≥ 5×)
SOFT = str.maketrans({"\ufffe": "-", "\x02": "-", "\r": " ", "\n": " "})


def _line(parts: list[tuple], page: int, spaced: bool = True) -> P.Line | None:
    """A Line from (text, x0, y0, x1, y1, size, bold) pieces, as pdfminer's line would be; ``spaced``: a
    gap between pieces is a space (text rectangles; characters come with PDFium's own spaces)."""
    text = ""
    for k, part in enumerate(parts):
        if spaced and k and part[1] - parts[k - 1][3] > 0.15 * max(part[5], 1) and not text.endswith(" "):
            text += " "
        text += part[0]
    text = " ".join(text.translate(P.PRIVATE_BULLETS).split())
    if not text:
        return None
    weight = Counter()
    for part in parts:
        weight[round(part[5], 1)] += len(part[0])
    bold = sum(len(p[0]) for p in parts if p[6]) > sum(len(p[0]) for p in parts) / 2
    boxes = [p for p in parts if p[0].strip()] or parts
    return P.Line(
        text,
        min(p[1] for p in boxes),
        min(p[2] for p in boxes),
        max(p[3] for p in boxes),
        max(p[4] for p in boxes),
        weight.most_common(1)[0][0],
        bold,
        page,
    )


def lines_per_char(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    pages, sizes = [], []
    box = [ctypes.c_double() for _ in range(4)]
    for pno in range(len(doc)):
        page = doc[pno]
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        out, cur, last = [], [], None
        for i, ch in enumerate(text[:n]):
            if ch in "\r\n":
                if (line := _line(cur, pno, False)) is not None:
                    out.append(line)
                cur, last = [], None
                continue
            raw.FPDFText_GetCharBox(tp.raw, i, *box)
            x0, x1, y0, y1 = (v.value for v in box)
            size = raw.FPDFText_GetFontSize(tp.raw, i)
            part = (ch.translate(SOFT), x0, y0, x1, y1, size, raw.FPDFText_GetFontWeight(tp.raw, i) >= 600)
            apart = x0 - last[3] > 2 * max(size, 1) or y0 > last[4] or y1 < last[2] if last else False
            if apart and not ch.isspace():  # a gap of two characters, or no vertical overlap: a new line
                if (line := _line(cur, pno, False)) is not None:
                    out.append(line)
                cur = []
            cur.append(part if not ch.isspace() else (ch, x0, y0, x0, y1, size, False))
            if not ch.isspace():
                last = part
        if (line := _line(cur, pno, False)) is not None:
            out.append(line)
        pages.append(out)
        sizes.append(page.get_size())
    return pages, sizes


def lines_per_rect(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    pages, sizes = [], []
    for pno in range(len(doc)):
        page = doc[pno]
        tp = page.get_textpage()
        n = tp.count_chars()
        out, cur = [], []
        for i in range(tp.count_rects(0, n) if n else 0):
            x0, y0, x1, y1 = tp.get_rect(i)
            text = tp.get_text_bounded(x0, y0, x1, y1).translate(SOFT)
            if not text.strip():
                continue
            idx = tp.get_index(x0 + 1, (y0 + y1) / 2, 2, 2)
            size = raw.FPDFText_GetFontSize(tp.raw, idx) if idx is not None and idx >= 0 else y1 - y0
            bold = idx is not None and idx >= 0 and raw.FPDFText_GetFontWeight(tp.raw, idx) >= 600
            part = (text, x0, y0, x1, y1, size, bold)
            if cur:
                prev = cur[-1]
                overlap = min(y1, prev[4]) - max(y0, prev[2])
                if overlap < 0.3 * min(y1 - y0, prev[4] - prev[2]) or x0 - prev[3] > 2 * size or x0 < prev[1]:
                    if (line := _line(cur, pno)) is not None:
                        out.append(line)
                    cur = []
            cur.append(part)
        if (line := _line(cur, pno)) is not None:
            out.append(line)
        pages.append(out)
        sizes.append(page.get_size())
    return pages, sizes


def extract_with(source, data: bytes):
    original = P._layout_lines
    if source is not None:
        P._layout_lines = source
    try:
        return P.extract(data)
    finally:
        P._layout_lines = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    fixtures = ROOT / "tests" / "fixtures"
    files = sorted(
        p for folder in (fixtures, fixtures / "diffset", fixtures / "commitments") for p in folder.glob("*.pdf")
    )
    files = [p for p in files if p.name != "encrypted.pdf"]
    engines = {"pdfminer.six (baseline)": None, "PDFium, per character": lines_per_char}
    engines["PDFium, per text rectangle"] = lines_per_rect
    times: dict[str, list[float]] = {name: [] for name in engines}
    texts: dict[str, list[str]] = {name: [] for name in engines}
    for path in files:
        data = path.read_bytes()
        for name, source in engines.items():
            spent = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                extraction = extract_with(source, data)
                spent.append(time.perf_counter() - started)
            times[name].append(statistics.median(spent))
            texts[name].append(extraction.text)
    base = "pdfminer.six (baseline)"
    rows, verdicts = [], []
    for name in engines:
        same = total = differ = words = 0
        for ours, theirs in zip(texts[base], texts[name], strict=True):
            wanted = [s.text for s in sentences(ours)]
            got = {s.text for s in sentences(theirs)}
            same += sum(s in got for s in wanted)
            total += len(wanted)
            a, b = ours.split(), theirs.split()
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            differ += len(a) - sum(m.size for m in matcher.get_matching_blocks())
            words += len(a)
        ms = 1000 * sum(times[name]) / len(files)
        speed = sum(times[base]) / sum(times[name])
        rows.append(f"| {name} | {ms:.1f} | × {speed:.1f} | {same}/{total} ({same / total:.1%}) | {differ}/{words} |")
        if source := engines[name]:
            verdicts.append(
                f"{name}: {'meets' if same / total >= SAME and speed >= FASTER else 'does not meet'} the condition"
            )
        print(rows[-1], flush=True)
    table = "\n".join(
        [
            f"{len(files)} PDFs of the labelled sets, docaudit's layout rules on each line source; "
            f"median of {args.rounds} rounds, Python {sys.version.split()[0]}.",
            "",
            *header(
                "line source",
                "ms per PDF",
                "speed vs baseline",
                "pdfminer's sentences, word for word",
                "words differing",
            ),
            *rows,
            "",
            f"Offered as an engine only with ≥ {SAME:.0%} of the sentences the same at ≥ {FASTER}× the speed: "
            + "; ".join(verdicts)
            + ".",
        ]
    )
    publish(table, args.write, "PDF line sources (bench/pdf_engines.py)")


if __name__ == "__main__":
    main()
