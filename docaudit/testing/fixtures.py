"""Build the test fixtures and the demo's example letters from the real letters in ../shared/corpus.

    python scripts/build_fixtures.py [--corpus ../shared/corpus]

The letter model (:class:`Letter`, :class:`Block`) and its writers (:func:`write_docx`, :func:`write_html`,
:func:`to_pdf`) are also what scripts/build_diffset.py, scripts/build_phrase_set.py and bench/ingest.py
build their documents with.

Writes (and these outputs are committed, so tests and the demo never need LibreOffice):

* ``tests/fixtures/letters/*.txt`` — the source text of each letter: body paragraphs, then footnotes as
  "N text". Tests compare what the extractors read from the .docx/.pdf/.html against these, sentence by
  sentence.
* ``tests/fixtures/*.docx`` — made with python-docx: header and footer (with PAGE/NUMPAGES fields),
  real footnotes, numbered and bulleted lists, the ministry letterhead column as framed paragraphs,
  Dutch language and automatic hyphenation switched on.
* ``tests/fixtures/*.pdf`` — the .docx converted by LibreOffice (``soffice --headless --convert-to pdf``),
  so the PDFs have real running headers, page numbers, footnotes, a margin column and hyphenated line ends.
* ``tests/fixtures/*.html`` — a tkconv-like page around the letter (menus, cookie banner, script).
* ``tests/fixtures/encrypted.pdf`` — a PDF with an open password (LibreOffice's PDF export options).
* ``docaudit/examples/`` — two versions of three letters for ``docaudit demo``. The later version is the
  real letter; the earlier one is *constructed* by the edits listed in ``EARLIER_VERSIONS`` below (they
  are not real earlier versions of these letters).

Needs Debian's libreoffice-writer and hyphen-nl.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..text.normalize import paragraphs
from .repo import ROOT

FIX = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "docaudit" / "examples"
FN = re.compile(r"\{fn:(\d+)\}")


@dataclass
class Block:
    kind: str  # p, h (bold heading), num (numbered list item), bullet, bullet2
    text: str


@dataclass
class Letter:
    name: str
    title: str
    blocks: list[Block]
    footnotes: dict[int, str] = field(default_factory=dict)
    margin: list[str] = field(default_factory=list)
    header: str = ""
    footer: str = ""

    def source_text(self) -> str:
        """Body paragraphs (list numbers as Word shows them), then the footnotes."""
        out, counter = [], 0
        for b in self.blocks:
            text = FN.sub(r"\1", b.text)
            if b.kind == "num":
                counter += 1
                text = f"{counter}. {text}"
            elif b.kind in ("bullet", "bullet2"):
                text = f"• {text}"
            out.append(text)
        out += [f"{n} {t}" for n, t in sorted(self.footnotes.items())]
        return "\n\n".join(out) + "\n"


def rotations(sources: list[Path], n: int) -> list[list[str]]:
    """``n`` letters as paragraph lists, each a source letter's paragraphs rotated by a different amount, so
    no two are equal (the benchmarks' corpora of real letters)."""
    bodies = [paragraphs(p.read_text(encoding="utf-8")) for p in sources]
    out = []
    for i in range(n):
        paras = bodies[i % len(bodies)]
        k = (i // len(bodies)) % max(1, len(paras))
        out.append(paras[k:] + paras[:k])
    return out


# --- the letters --------------------------------------------------------------------------------


def letter_2024d46963(corpus: Path) -> Letter:
    """Brief regering 2024D46963 (Kamerstuk 32317-906), from its tkconv page."""
    lines = (corpus / "2024D46963_v2_tkconv_page.txt").read_text(encoding="utf-8").split("\n")
    start = lines.index("32317 JBZ-Raad")
    end = lines.index("D.M. van Weel")
    blocks: list[Block] = []
    for raw in "\n".join(lines[start : end + 1]).split("\n\n"):
        text = " ".join(raw.split())
        if not text:
            continue
        if m := re.match(r"^1\. (\S.*)$", text):
            blocks.append(Block("num", m.group(1)))
        elif blocks and blocks[-1].text.endswith(" als") and text[0].islower():
            blocks[-1].text += " " + text  # a page break in the source split this paragraph
        else:
            blocks.append(Block("p", text))
    for b in blocks:
        b.text = b.text.replace("werd aangenomen.1", "werd aangenomen.{fn:1}")
        b.text = b.text.replace("telecommunicatiegeheim.2 Ook", "telecommunicatiegeheim.{fn:2} Ook")
        b.text = b.text.replace("8 mei 2023.3 Naar", "8 mei 2023.{fn:3} Naar")
    notes = {}
    for ln in lines[end:]:
        if m := re.match(r"^\s+(\d)\. (Kamerstuk .*?)↩︎", ln):
            notes[int(m.group(1))] = m.group(2)
    return Letter(
        "2024D46963",
        "Ontwikkelingen CSAM-Verordening en de uitvoering van de motie-Kathmann c.s.",
        blocks,
        notes,
        header="Tweede Kamer, vergaderjaar 2024–2025, 32 317 en 34 843, nr. 906",
        footer="kst-32317-906",
    )


_SIDEBAR = re.compile(
    r"^(\*\*Directoraat|Directie|Datum|22 augustus 2023|Ons kenmerk|4 ?7 ?28548|\**Fout!|Uw kenmerk|"
    r"2023Z08511$|Turfmarkt|Postbus|www\.|2511|2500|\*Bij beantwoording|Ministerie van|> Retouradres)"
)


def letter_2023z08511(corpus: Path) -> Letter:
    """Antwoorden op Kamervragen 2023Z08511 (22 augustus 2023): the Q&A with its letterhead column."""
    raw = (corpus / "2023-08-22_antwoorden_kamervragen_2023Z08511.txt").read_text(encoding="utf-8")
    body = raw[raw.index("Vraag 1\n") :]
    blocks: list[Block] = []
    notes: dict[int, str] = {}
    supers = "¹²³⁴⁵⁶⁷⁸⁹"
    for chunk in body.split("\n\n"):
        text = " ".join(chunk.split())
        if not text or _SIDEBAR.match(text) or text.startswith("(1) 'WhatsApp"):
            continue
        if text[0] in supers:
            notes[supers.index(text[0]) + 1] = text[1:].strip()
            continue
        if blocks and text[0].islower():
            blocks[-1].text += " " + text  # continued after the page's footnotes and letterhead
            continue
        kind = "h" if re.match(r"^(Vraag|Antwoord op vraag) \d+$", text) else "p"
        blocks.append(Block(kind, text))
    for b in blocks:
        for i, s in enumerate(supers, start=1):
            b.text = b.text.replace(s, f"{{fn:{i}}}")
    intro = (
        "In antwoord op uw brief van 16 mei 2023 deel ik u mee dat de schriftelijke vragen van de leden "
        "Slootweg en Kuik (beiden CDA) over het bericht 'WhatsApp en Signal dreigen VK te verlaten vanwege "
        "breken encryptie van AG Connect', worden beantwoord zoals aangegeven in de bijlage bij deze brief."
    )
    blocks = [
        Block("p", "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"),
        Block(
            "p",
            "Onderwerp: Antwoorden Kamervragen over het bericht 'WhatsApp en Signal dreigen VK te "
            "verlaten vanwege breken encryptie' van AG Connect",
        ),
        Block("p", intro),
        *blocks,
        Block("p", "De Minister van Justitie en Veiligheid,"),
        Block("p", "D. Yeşilgöz-Zegerius"),
    ]
    margin = [
        "Directoraat-Generaal Rechtspleging en Rechtshandhaving",
        "Directie Rechtshandhaving en Criminaliteitsbestrijding",
        "Turfmarkt 147",
        "2511 DP Den Haag",
        "Datum",
        "22 augustus 2023",
        "Ons kenmerk",
        "4728548",
        "Uw kenmerk",
        "2023Z08511",
    ]
    return Letter(
        "2023Z08511",
        "Antwoorden Kamervragen over WhatsApp en Signal en de Online Safety Bill",
        blocks,
        notes,
        margin=margin,
        header="Ministerie van Justitie en Veiligheid",
        footer="Ons kenmerk 4728548",
    )


def letter_deens(corpus: Path) -> Letter:
    """Kamerbrief over het Deense voorstel (2025), from the text of its PDF."""
    raw = (corpus / "2025_kamerbrief_deens_voorstel_pdf.txt").read_text(encoding="utf-8")
    notes: dict[int, str] = {}
    kept = []
    for line in raw.split("\n"):
        if m := re.match(r"^\s*(\d) (Kamerstukken .*)$", line):
            notes[int(m.group(1))] = m.group(2).strip()
            continue
        kept.append(line)
    # page breaks left empty lines inside paragraphs: join blocks that continue in lower case
    chunks: list[str] = []
    for chunk in re.split(r"\n\s*\n", "\n".join(kept)):
        if not chunk.strip():
            continue
        if chunks and chunk.strip()[0].islower():
            chunks[-1] += "\n" + chunk
        else:
            chunks.append(chunk)
    headings = {
        "Kabinetsstandpunt",
        "Advies AIVD",
        "Tot slot",
        "Visie Offlimits en Autoriteit online Kinderpornografisch Materiaal",
    }
    blocks: list[Block] = []
    for chunk in chunks:
        for para in paragraphs(chunk):
            if para in headings:
                blocks.append(Block("h", para))
            elif blocks and blocks[-1].kind == "p" and para[0].islower():
                blocks[-1].text += " " + para
            else:
                blocks.append(Block("p", para))
    for b in blocks:
        b.text = b.text.replace("CSAM-Verordening.1 Deze", "CSAM-Verordening.{fn:1} Deze")
    return Letter(
        "kamerbrief-deens-voorstel",
        "Kamerbrief over het Deense voorstel voor de CSAM-verordening",
        blocks,
        notes,
        header="Ministerie van Justitie en Veiligheid",
        footer="Kamerbrief CSAM-verordening",
    )


def letter_nota(corpus: Path) -> Letter:
    """Nota 'Onderbouwing standpunt CSAM materiaal' (2023): numbered headings and nested bullets."""
    raw = (corpus / "2023_nota_onderbouwing_standpunt.txt").read_text(encoding="utf-8")
    blocks: list[Block] = []
    for line in raw.split("\n"):
        s = line.strip()
        if not s or s == "---" or s.startswith("# nota") or s.startswith("de Minister"):
            continue
        s = s.replace("**", "").replace("*", "")
        if m := re.match(r"^#+\s*\d\.\s*(.*)$", s):
            blocks.append(Block("num", m.group(1).strip()))
        elif line.startswith("  - "):
            blocks.append(Block("bullet2", s[2:]))
        elif s.startswith("- "):
            blocks.append(Block("bullet", s[2:]))
        elif blocks and blocks[-1].kind == "p" and not blocks[-1].text.endswith("."):
            blocks[-1].text += " " + s
        else:
            blocks.append(Block("p", s))
    return Letter(
        "nota-onderbouwing-standpunt",
        "Nota onderbouwing standpunt CSAM",
        blocks,
        header="Ministerie van Justitie en Veiligheid",
        footer="Nota",
    )


# Constructed earlier versions for the demo: (old text in the earlier version, new text in the real letter).
EARLIER_VERSIONS: dict[str, list[tuple[str, str]]] = {
    "2024D46963": [
        (
            "Verder lijkt het op dit moment aannemelijk dat",
            "Verder lijkt het op dit moment niet aannemelijk dat",
        ),
        ("de JBZ-raad van 5 en 6 december", "de JBZ-raad van 12 en 13 december"),
        (
            "omstandigheden zich voordoen, kan het kabinet deze nader onderzoeken.",
            "omstandigheden zich voordoen, zal het kabinet deze nader onderzoeken.",
        ),
        (" Het onmogelijk maken van end-to-end encryptie is niet aan de orde.", ""),
    ],
    "2023Z08511": [
        (
            "Digital Services Act van toepassing zijn vanaf januari 2024.",
            "Digital Services Act van toepassing zijn vanaf februari 2024.",
        ),
        (
            "Encryptie stelt de opsporing voor uitdagingen.",
            "Encryptie stelt de opsporing voor grote uitdagingen.",
        ),
    ],
    "nota-onderbouwing-standpunt": [
        ("De tekst is niet met Apple afgestemd.", "De tekst is met Apple afgestemd."),
        ("Dat is goed te duiden", "Dat is lastig te duiden"),
    ],
}


def earlier(letter: Letter) -> Letter:
    out = copy.deepcopy(letter)
    for old, new in EARLIER_VERSIONS.get(letter.name, []):
        hits = 0
        for b in out.blocks:
            if new and new in b.text:
                b.text = b.text.replace(new, old)
                hits += 1
            elif not new and old.strip() in b.text:
                hits += 1
        if not new:  # a sentence that the later version added: take it out of the earlier one
            for b in out.blocks:
                b.text = b.text.replace(old, "")
        if hits == 0 and old != new:
            # an edit whose text no longer occurs is a bug in this list, not something to skip silently
            raise SystemExit(f"{letter.name}: edit not applied: {new or old!r}")
    return out


# --- .docx ------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _field_run(paragraph, instr: str, cached: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(
        parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" {instr} "><w:r><w:t>{cached}</w:t></w:r></w:fldSimple>')
    )


def _add_text(paragraph, text: str, size_pt: float | None = None) -> None:
    """Add text to a paragraph, turning {fn:N} into real footnote references."""
    from docx.oxml import parse_xml
    from docx.shared import Pt

    pos = 0
    for m in FN.finditer(text):
        if m.start() > pos:
            run = paragraph.add_run(text[pos : m.start()])
            if size_pt:
                run.font.size = Pt(size_pt)
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{m.group(1)}"/></w:r>'
            )
        )
        pos = m.end()
    if pos < len(text):
        run = paragraph.add_run(text[pos:])
        if size_pt:
            run.font.size = Pt(size_pt)


def _footnotes_part(document, notes: dict[int, str]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="14"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="14"/></w:rPr><w:t xml:space="preserve"> {escape(t)}</w:t></w:r>'
        "</w:p></w:footnote>"
        for n, t in sorted(notes.items())
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:footnote>{body}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def write_docx(letter: Letter, path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = letter.title
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(8)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="nl-NL"/>'))
    document.settings.element.append(parse_xml(f'<w:autoHyphenation xmlns:w="{W_NS}"/>'))
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(6.5) if letter.margin else Cm(2.5)
    section.header.paragraphs[0].text = letter.header
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{letter.footer} — pagina ")
    _field_run(footer, "PAGE", "1")
    footer.add_run(" van ")
    _field_run(footer, "NUMPAGES", "1")
    for i, line in enumerate(letter.margin):
        p = document.add_paragraph()
        p.add_run(line).font.size = Pt(7.5)
        if i % 2 == 0 and line in ("Datum", "Ons kenmerk", "Uw kenmerk"):
            p.runs[0].bold = True
        p._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:framePr xmlns:w="{W_NS}" w:w="2700" w:hSpace="180" w:wrap="around" w:vAnchor="page" '
                'w:hAnchor="page" w:x="8900" w:y="2600"/>'
            )
        )
        p.paragraph_format.space_after = Pt(0)
    for block in letter.blocks:
        if block.kind == "h":
            p = document.add_paragraph()
            p.add_run(FN.sub("", block.text)).bold = True
            p.paragraph_format.space_after = Pt(2)
            continue
        style = {"num": "List Number", "bullet": "List Bullet", "bullet2": "List Bullet 2"}.get(block.kind)
        p = document.add_paragraph(style=style)
        _add_text(p, block.text)
    if letter.footnotes:
        _footnotes_part(document, letter.footnotes)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def to_pdf(docx_path: Path, pdf_path: Path, password: str | None = None) -> None:
    """Convert with LibreOffice in a private profile; optionally with an open password."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer hyphen-nl")
    target = "pdf"
    if password:
        target = (
            'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}'
        )
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(Path(tmp) / (docx_path.stem + ".pdf"), pdf_path)


# --- .html ------------------------------------------------------------------------------------


def write_html(letter: Letter, path: Path, meta_line: str) -> None:
    """A tkconv-like page: menus, a cookie banner and scripts around the letter."""
    body, _in_ol, counter = [], False, 0
    for b in letter.blocks:
        text = (
            escape(FN.sub(r'<sup><a href="#fn\1" id="fnref\1">\1</a></sup>', b.text))
            .replace("&lt;sup&gt;", "<sup>")
            .replace("&lt;/sup&gt;", "</sup>")
        )
        text = re.sub(r'&lt;a href="#fn(\d+)" id="fnref\1"&gt;(\d+)&lt;/a&gt;', r'<a href="#fn\1">\2</a>', text)
        if b.kind == "num":
            counter += 1
            body.append(f'<ol start="{counter}"><li><strong>{text}</strong></li></ol>')
        elif b.kind == "h":
            body.append(f"<h3>{text}</h3>")
        else:
            body.append(f"<p>{text}</p>")
    notes = "".join(
        f'<li id="fn{n}">{escape(t)} <a href="#fnref{n}">↩︎</a></li>' for n, t in sorted(letter.footnotes.items())
    )
    menu = " ".join(
        f'<a href="/{w}">[{w}]</a>'
        for w in ("overzicht", "activiteiten", "besluiten", "commissies", "kamerleden", "stemmingen")
    )
    html = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{escape(letter.title)}</title>
<script>window.dataLayer = [];</script><style>body {{ font-family: sans-serif; }}</style></head>
<body>
<div class="topmenu">{menu}</div>
<nav><ul><li><a href="/zoek">uitgebreid zoeken</a></li><li><a href="/wat">wat is dit?</a></li></ul></nav>
<div class="cookie-banner">Deze site gebruikt cookies. <button>Akkoord</button></div>
<main>
<h1>{escape(letter.title)}</h1>
<p class="meta">{escape(meta_line)}</p>
<div class="document">
{chr(10).join(body)}
<section class="footnotes"><hr><ol>{notes}</ol></section>
</div>
</main>
<footer><p>Deze site is geen officiële bron.
<a href="/privacy">privacy</a> | <a href="/contact">contact</a></p></footer>
<script>document.body.append("tracking");</script>
</body></html>
"""
    path.write_text(html, encoding="utf-8")


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversions")
    args = parser.parse_args()
    letters = [
        letter_2024d46963(args.corpus),
        letter_2023z08511(args.corpus),
        letter_deens(args.corpus),
        letter_nota(args.corpus),
    ]
    (FIX / "letters").mkdir(parents=True, exist_ok=True)
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for name in (
        "2023-08-22_antwoorden_kamervragen_2023Z08511.txt",
        "2024-10-01_open_brief_kabinet.txt",
        "2024D46963_v2_tkconv_page.txt",
        "2025_kamerbrief_deens_voorstel_pdf.txt",
        "2023_nota_onderbouwing_standpunt.txt",
    ):
        shutil.copy(args.corpus / name, FIX / "letters" / name)
    # a Windows-1252 copy of a letter, for the encoding tests
    brief = (args.corpus / "2024-10-01_open_brief_kabinet.txt").read_text(encoding="utf-8")
    (FIX / "open_brief_cp1252.txt").write_bytes(brief.encode("cp1252", errors="replace").replace(b"?", b"?"))
    for letter in letters:
        (FIX / "letters" / f"{letter.name}.txt").write_text(letter.source_text(), encoding="utf-8")
        write_docx(letter, FIX / f"{letter.name}.docx")
        if not args.no_pdf:
            to_pdf(FIX / f"{letter.name}.docx", FIX / f"{letter.name}.pdf")
        print("built", letter.name)
    write_html(
        letters[0],
        FIX / "2024D46963.html",
        "Nummer: 2024D46963, datum: 2024-11-29, bijgewerkt: 2024-12-16 17:20, versie: 2",
    )
    if not args.no_pdf:
        to_pdf(FIX / "2024D46963.docx", FIX / "encrypted.pdf", password="geheim")
    # demo examples: a constructed earlier version and the real letter, in .docx, .pdf and .md
    demo = {"2024D46963": "docx", "2023Z08511": "pdf", "nota-onderbouwing-standpunt": "md"}
    for letter in letters:
        fmt = demo.get(letter.name)
        if not fmt:
            continue
        for tag, version in (("v1", earlier(letter)), ("v2", letter)):
            out = EXAMPLES / f"{letter.name}_{tag}.{fmt}"
            if fmt == "md":
                out.write_text(version.source_text(), encoding="utf-8")
                continue
            docx_path = out.with_suffix(".docx")
            write_docx(version, docx_path)
            if fmt == "pdf" and not args.no_pdf:
                to_pdf(docx_path, out)
                docx_path.unlink()
    print("fixtures in", FIX.relative_to(ROOT), "and examples in", EXAMPLES.relative_to(ROOT))


if __name__ == "__main__":  # pragma: no cover
    main()
