"""Word .docx through python-docx: body paragraphs and tables in reading order.

Headers and footers are kept apart from the body, footnotes are appended after it (their reference marks
stay in the text as numbers, as in the printed letter), numbered list items get the number Word would
show, and framed paragraphs and text boxes (the letterhead column of a ministry letter) go to the margin.
"""

from __future__ import annotations

import io

from ...text.normalize import clean
from . import Extraction

VERSION = "1"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_SKIP = {f"{W}del", f"{W}instrText", f"{W}delText", MC_FALLBACK, f"{W}rPr", f"{W}pPr", f"{W}fldData"}
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "o": "◦", "\uf0d8": "➢", "\uf0fc": "✓", "": "•"}


def _roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    return {
        "decimal": str(n),
        "decimalZero": f"{n:02d}",
        "lowerLetter": _letters(n),
        "upperLetter": _letters(n).upper(),
        "lowerRoman": _roman(n),
        "upperRoman": _roman(n).upper(),
        "ordinal": f"{n}e",
    }.get(fmt, str(n))


class Numbering:
    """Computes the label Word shows in front of a numbered or bulleted paragraph."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iter(f"{W}abstractNum"):
            lvls = {}
            for lvl in an.iter(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                start = lvl.find(f"{W}start")
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                lvls[ilvl] = (
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                )
            abstract[an.get(f"{W}abstractNumId")] = lvls
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[num_id] = abstract.get(ref.get(f"{W}val"), {})
            for ov in num.iter(f"{W}lvlOverride"):
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    self.overrides.setdefault(num_id, {})[int(ov.get(f"{W}ilvl", "0"))] = int(so.get(f"{W}val"))

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        start = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        _, fmt, text = levels[ilvl]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return _BULLETS.get(text, text or "•") + " "
        out = text
        for k in range(ilvl + 1):
            lvl = levels.get(k)
            value = counters[k] or (lvl[0] if lvl else 1)
            out = out.replace(f"%{k + 1}", _format_number(value, lvl[1] if lvl else "decimal"))
        return out + " " if out else ""


def _num_pr(p, styles: dict[str, object]) -> tuple[str, int] | None:
    """The (numId, ilvl) of a paragraph, looking through its style chain."""
    ppr = p.find(f"{W}pPr")
    num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
    style_id = None
    if ppr is not None and (ps := ppr.find(f"{W}pStyle")) is not None:
        style_id = ps.get(f"{W}val")
    depth = 0
    while num_pr is None and style_id and depth < 10:
        style = styles.get(style_id)
        if style is None:
            break
        sppr = style.find(f"{W}pPr")
        num_pr = sppr.find(f"{W}numPr") if sppr is not None else None
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
        depth += 1
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    if num_id is None or num_id.get(f"{W}val") in (None, "0"):
        return None
    return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.numbering = Numbering(document)
        self.styles = {s.get(f"{W}styleId"): s for s in document.styles.element.iter(f"{W}style")}
        self.note_numbers: dict[str, int] = {}
        self.margin: list[str] = []

    def run_text(self, el, out: list[str]) -> None:
        """Append the visible text under ``el`` to ``out``; text boxes go to the margin."""
        for child in el:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
            elif tag == f"{W}footnoteReference":
                note_id = child.get(f"{W}id")
                out.append(str(self.note_numbers.setdefault(note_id, len(self.note_numbers) + 1)))
            elif tag == f"{W}txbxContent":
                self.margin.extend(self.block_texts(child))
            else:
                self.run_text(child, out)

    def paragraph(self, p) -> str:
        parts: list[str] = []
        self.run_text(p, parts)
        text = "".join(parts).strip()
        num = _num_pr(p, self.styles)
        if num and text:
            text = self.numbering.label(*num) + text
        return text

    def block_texts(self, container) -> list[str]:
        """Paragraph and table texts of a body, cell, header or text box, in order."""
        out: list[str] = []
        for child in container:
            if child.tag == f"{W}p":
                ppr = child.find(f"{W}pPr")
                framed = ppr is not None and ppr.find(f"{W}framePr") is not None
                text = self.paragraph(child)
                if text:
                    (self.margin if framed else out).append(text)
            elif child.tag == f"{W}tbl":
                out.extend(self.table(child))
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                out.extend(self.block_texts(child))
        return out

    def table(self, tbl) -> list[str]:
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            if tr.getparent() is not tbl:
                continue
            cells = []
            for tc in tr.findall(f"{W}tc"):
                cells.append(" ".join(t.replace("\n", " ") for t in self.block_texts(tc)))
            if any(c.strip() for c in cells):
                rows.append(" | ".join(cells))
        return rows

    def footnotes(self) -> list[str]:
        from lxml import etree

        part = next((rel.target_part for rel in self.document.part.rels.values() if rel.reltype == RT_FOOTNOTES), None)
        if part is None or not self.note_numbers:
            return []
        root = etree.fromstring(part.blob)
        notes: dict[int, str] = {}
        for fn in root.iter(f"{W}footnote"):
            if fn.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            number = self.note_numbers.get(fn.get(f"{W}id"))
            if number is None:
                continue
            text = " ".join(t for t in self.block_texts(fn) if t).strip()
            notes[number] = f"{number} {text}".strip()
        return [notes[k] for k in sorted(notes)]

    def furniture(self) -> tuple[list[str], list[str]]:
        headers: list[str] = []
        footers: list[str] = []
        for section in self.document.sections:
            for attr, bucket in (
                ("first_page_header", headers),
                ("header", headers),
                ("even_page_header", headers),
                ("first_page_footer", footers),
                ("footer", footers),
                ("even_page_footer", footers),
            ):
                part = getattr(section, attr)
                if part.is_linked_to_previous:
                    continue
                saved = self.margin
                self.margin = []
                texts = self.block_texts(part._element) + self.margin
                self.margin = saved
                for text in texts:
                    if text not in bucket:
                        bucket.append(text)
        return headers, footers


def extract(data: bytes) -> Extraction:
    import docx

    document = docx.Document(io.BytesIO(data))
    reader = _Reader(document)
    body = reader.block_texts(document.element.body)
    footnotes = reader.footnotes()
    headers, footers = reader.furniture()
    text = "\n\n".join(body + footnotes)
    title = (document.core_properties.title or "").strip() or None
    return Extraction(
        text=clean(text).strip("\n"),
        format="docx",
        extractor="python-docx",
        extractor_version=f"docaudit-docx/{VERSION} python-docx/{docx.__version__}",
        headers=[clean(h) for h in headers],
        footers=[clean(f) for f in footers],
        margin=[clean(m) for m in dict.fromkeys(reader.margin)],
        footnotes=[clean(f) for f in footnotes],
        title=title,
    )
