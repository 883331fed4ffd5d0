#!/usr/bin/env python3
"""Build the labelled diff set: real letters with planted edits, and cosmetic-only variants.

    python scripts/build_diffset.py [--corpus ../shared/corpus] [--no-pdf]

The first version of each pair is the letter as built by ``scripts/build_fixtures.py``
(``tests/fixtures/NAME.docx`` / ``.pdf``). This script writes to ``tests/fixtures/diffset/``:

* ``NAME_edited.docx`` / ``.pdf`` — the letter with the edits in ``EDITS`` planted in it (drop a
  "niet", change a modal verb, a date, a number, a name; rephrase; insert, delete and move text; and a
  few cosmetic touches that must *not* count as change);
* ``NAME_typography.docx`` / ``.pdf`` — only cosmetic differences: case, quote and dash style, number
  spacing, hyphenation variants, markdown-style emphasis removed;
* ``NAME_reflowed_60.txt`` / ``_80.txt`` — the letter's text hard-wrapped at 60 and at 80 columns;
* ``NAME_layout.docx`` / ``.pdf`` — layout noise only (``LAYOUT``): letterhead lines or a Kamerstuk's
  running header in the body, a signature block joined or split, punctuation standing in for "en", a
  heading's number typed instead of generated;
* ``NAME_mojibake.txt`` — the text double-encoded (UTF-8 read as cp1252, as a mis-set web server serves
  it), and ``NAME_emphasis.txt`` — markdown with bold and italics running across sentence boundaries;
* ``labels.json`` — every pair to compare and what a correct diff reports for it.

``tests/test_diff_quality.py`` checks the diff against these labels; run it as a script for the
precision/recall table in the README. Needs LibreOffice (as build_fixtures.py) for the PDFs.
"""

from __future__ import annotations

import argparse
import copy
import json
import textwrap
from pathlib import Path

from docaudit.testing import fixtures as bf  # noqa: E402

OUT = bf.FIX / "diffset"

# Each edit: (operation, arguments, label). Labels name the kind, the flags a modified sentence must
# carry, and snippets that identify the change in the old and the new text.
EDITS: dict[str, list[tuple[str, tuple[str, ...], dict]]] = {
    "2024D46963": [
        (
            "replace",
            ("tijdens de JBZ-raad van 12 en 13 december", "tijdens de JBZ-raad van 19 en 20 december"),
            {"kind": "modified", "flags": ["date"], "old": "12 en 13 december", "new": "19 en 20 december"},
        ),
        (
            "replace",
            ("Verder lijkt het op dit moment niet aannemelijk", "Verder lijkt het op dit moment aannemelijk"),
            {"kind": "modified", "flags": ["negation"], "new": "Verder lijkt het op dit moment aannemelijk"},
        ),
        (
            "insert_after",
            (
                "Om die reden zijn in de afgelopen maand veel gesprekken gevoerd.",
                "Ook is gesproken met vertegenwoordigers van de Europese Commissie.",
            ),
            {"kind": "inserted", "new": "Ook is gesproken met vertegenwoordigers van de Europese Commissie."},
        ),
        (
            "move_block",
            ("In deze brief worden de Nederlandse uitgangspunten", "Verdere aandachtspunten"),
            {"kind": "moved", "old": "In deze brief worden de Nederlandse uitgangspunten"},
        ),
        (
            "delete",
            (
                "Het is binnen het huidige Europese krachtenveld niet opportuun voor Nederland om dit te "
                "bewerkstelligen.",
            ),
            {"kind": "deleted", "old": "Het is binnen het huidige Europese krachtenveld niet opportuun"},
        ),
        (
            "replace",
            (
                "Nederland het doel van de Verordening onverminderd blijft steunen",
                "Nederland het doel van de Verordening niet langer zal steunen",
            ),
            {"kind": "modified", "flags": ["negation", "modality"], "new": "niet langer zal steunen"},
        ),
        (
            "replace",
            ("vallen met name uiteen in twee delen", "vallen met name uiteen in drie delen"),
            {"kind": "modified", "flags": ["number"], "new": "uiteen in drie delen"},
        ),
        (
            "replace",
            (
                "Het kabinet zal geen voorstellen ondersteunen die de verplichting",
                "Het kabinet kan geen voorstellen ondersteunen die de verplichting",
            ),
            {"kind": "modified", "flags": ["modality"], "new": "Het kabinet kan geen voorstellen ondersteunen"},
        ),
        (
            "replace",
            ("Naar aanleiding van het advies van de AIVD", "Naar aanleiding van het advies van de NCTV"),
            {"kind": "modified", "flags": ["entity"], "new": "advies van de NCTV"},
        ),
        (
            "replace",
            (
                "Hierbij constateert het kabinet dat het technische veld",
                "Hierbij stelt het kabinet vast dat het technische veld",
            ),
            {"kind": "modified", "flags": [], "new": "Hierbij stelt het kabinet vast"},
        ),
        (
            "replace",
            ("ook wel de ‘CSAM-Verordening’ genoemd", "ook wel de 'CSAM-verordening' genoemd"),
            {"kind": "cosmetic", "new": "ook wel de 'CSAM-verordening' genoemd"},
        ),
    ],
    "2023Z08511": [
        (
            "replace",
            ("In antwoord op uw brief van 16 mei 2023", "In antwoord op uw brief van 23 mei 2023"),
            {"kind": "modified", "flags": ["date"], "new": "uw brief van 23 mei 2023"},
        ),
        (
            "replace",
            ("Bent u het eens met de bewering van Ciaran Martin,", "Bent u het eens met de bewering van Ian Levy,"),
            {"kind": "modified", "flags": ["entity"], "new": "de bewering van Ian Levy"},
        ),
        (
            "replace",
            ("Het internet is niet gebonden aan landsgrenzen", "Het internet is gebonden aan landsgrenzen"),
            {"kind": "modified", "flags": ["negation"], "new": "Het internet is gebonden aan landsgrenzen"},
        ),
        (
            "replace",
            ("dat die inbreuk moet kunnen worden gerechtvaardigd", "dat die inbreuk kan worden gerechtvaardigd"),
            {"kind": "modified", "flags": ["modality"], "new": "dat die inbreuk kan worden gerechtvaardigd"},
        ),
        (
            "delete",
            ("Uw Kamer is daar reeds uitgebreid over geïnformeerd.",),
            {"kind": "deleted", "old": "Uw Kamer is daar reeds uitgebreid over geïnformeerd."},
        ),
        (
            "insert_after",
            ("Dit vind ik een zorgelijke ontwikkeling.", "Het kabinet zal hierover in het najaar een brief sturen."),
            {"kind": "inserted", "new": "Het kabinet zal hierover in het najaar een brief sturen."},
        ),
        (
            "move_sentence",
            (
                "Terughoudendheid bij de beoordeling daarvan is derhalve gepast.",
                "de rol van handhaver op het gebied van de Online Safety Bill.",
            ),
            {"kind": "moved", "old": "Terughoudendheid bij de beoordeling daarvan is derhalve gepast."},
        ),
        (
            "replace",
            ("maar wel indien enkel wordt gescand op", "maar niet indien enkel wordt gescand op"),
            {"kind": "modified", "flags": ["negation"], "new": "maar niet indien enkel"},
        ),
        (
            "footnote",
            (3, "Kamerstuk 26 643, nr. 885, d.d. 30 juni 2023.", "Kamerstuk 26 643, nr. 886, d.d. 30 juni 2023."),
            {"kind": "modified", "flags": ["number"], "new": "nr. 886"},
        ),
        (
            "replace",
            (
                "Encryptie stelt de opsporing voor grote uitdagingen.",
                "Encryptie stelt de opsporing voor nieuwe uitdagingen.",
            ),
            {"kind": "modified", "flags": [], "new": "voor nieuwe uitdagingen"},
        ),
        (
            "replace",
            ("bedrijven – onder meer aanbieders", "bedrijven - onder meer aanbieders"),
            {"kind": "cosmetic", "new": "bedrijven - onder meer aanbieders"},
        ),
    ],
    "kamerbrief-deens-voorstel": [
        (
            "replace",
            ("Tijdens het commissiedebat van 24 november jl.", "Tijdens het commissiedebat van 26 november jl."),
            {"kind": "modified", "flags": ["date"], "new": "commissiedebat van 26 november"},
        ),
        (
            "replace",
            ("Deze zorgen worden gedeeld binnen het kabinet.", "Deze zorgen worden niet gedeeld binnen het kabinet."),
            {"kind": "modified", "flags": ["negation"], "new": "Deze zorgen worden niet gedeeld"},
        ),
        (
            "replace",
            ("Deze overweging zou verder versterkt moeten worden", "Deze overweging moet verder versterkt worden"),
            {"kind": "modified", "flags": ["modality"], "new": "Deze overweging moet verder versterkt worden"},
        ),
        (
            "replace",
            ("naar deze twee organisaties", "naar deze drie organisaties"),
            {"kind": "modified", "flags": ["number"], "new": "naar deze drie organisaties"},
        ),
        (
            "replace",
            ("De ATKM heeft gemeld Europese wetgeving", "De AIVD heeft gemeld Europese wetgeving"),
            {"kind": "modified", "flags": ["entity"], "new": "De AIVD heeft gemeld"},
        ),
        (
            "delete",
            ("Bij het permanent maken is zo’n periodiek weegmoment er niet meer.",),
            {"kind": "deleted", "old": "Bij het permanent maken is zo"},
        ),
        (
            "insert_after",
            (
                "Cybersecurity is slechts één facet van de discussie.",
                "Ook de opsporing heeft belang bij een zorgvuldige afweging.",
            ),
            {"kind": "inserted", "new": "Ook de opsporing heeft belang bij een zorgvuldige afweging."},
        ),
        (
            "move_block",
            ("Voor de standpuntbepaling van het kabinet", "Tot slot"),
            {"kind": "moved", "old": "Voor de standpuntbepaling van het kabinet"},
        ),
    ],
    "nota-onderbouwing-standpunt": [
        (
            "replace",
            ("U heeft op 28 juni jl. de Kamer", "U heeft op 30 juni jl. de Kamer"),
            {"kind": "modified", "flags": ["date"], "new": "op 30 juni jl."},
        ),
        (
            "replace",
            ("Voor de onderbouwing zijn drie typen bronnen", "Voor de onderbouwing zijn vier typen bronnen"),
            {"kind": "modified", "flags": ["number"], "new": "vier typen bronnen"},
        ),
        (
            "replace",
            (
                "wordt hierbij het voorbeeld van Apple aangehaald",
                "kan hierbij het voorbeeld van Apple worden aangehaald",
            ),
            {"kind": "modified", "flags": ["modality"], "new": "kan hierbij het voorbeeld van Apple worden aangehaald"},
        ),
        (
            "replace",
            ("Europol rapport over internetcriminaliteit", "Interpol rapport over internetcriminaliteit"),
            {"kind": "modified", "flags": ["entity"], "new": "Interpol rapport"},
        ),
        (
            "replace",
            ("ambtenaren worden niet openbaar gemaakt", "ambtenaren worden openbaar gemaakt"),
            {"kind": "modified", "flags": ["negation"], "new": "ambtenaren worden openbaar gemaakt"},
        ),
        (
            "delete",
            ("U heeft toegezegd deze brief voor die tijd naar de Kamer te verzenden.",),
            {"kind": "deleted", "old": "U heeft toegezegd deze brief"},
        ),
        (
            "insert_after",
            ("De tekst is met Apple afgestemd.", "Apple heeft daarop geen bezwaar gemaakt."),
            {"kind": "inserted", "new": "Apple heeft daarop geen bezwaar gemaakt."},
        ),
    ],
}

# Only cosmetic: each pair (find, replace) changes typography, never wording.
TYPOGRAPHY: dict[str, list[tuple[str, str]]] = {
    "2024D46963": [
        ("‘CSAM-Verordening’", '"CSAM-Verordening"'),
        ("‘detectiebevel’", "'detectiebevel'"),
        ("De minister van Justitie en Veiligheid,", "De Minister van Justitie en Veiligheid,"),
        ("end-to-end-encryptie", "end-to-endencryptie"),
        ("met uw Kamer gesproken", "met Uw Kamer gesproken"),
        ("@fn:1", "Kamerstuk 32317, nr. 891."),
        ("@fn:2", "Kamerstuk 34843, nr. 113."),
    ],
    "2023Z08511": [
        ("bedrijven – onder meer", "bedrijven - onder meer"),
        ("– zoals Whatsapp of Signal –", "— zoals WhatsApp of Signal —"),
        ("*client-side scanning*", "client-side scanning"),
        ("De Minister van Justitie en Veiligheid,", "De minister van Justitie en Veiligheid,"),
        ("data-protectiewetgeving", "dataprotectiewetgeving"),
        ("@fn:3", "Kamerstuk 26643, nr. 885, d.d. 30 juni 2023."),
    ],
}


# Layout noise only: each (operation, arguments) moves letterhead into the body, re-flows a signature,
# swaps punctuation for "en" or types a heading's number; the diff must find no substantive change.
LAYOUT: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "2024D46963": [
        (
            "insert_block",
            ("De afgelopen tijd is met", "p", "Tweede Kamer, vergaderjaar 2024–2025, 32 317 en 34 843, nr. 906 2"),
        ),
        ("join_blocks", ("De minister van Justitie en Veiligheid,",)),
        ("replace", ("geen nieuw voorstel gedaan en het is niet", "geen nieuw voorstel gedaan; het is niet")),
        ("retype", ("Conclusie", "p", "3 Conclusie")),
    ],
    "2023Z08511": [
        ("insert_block", ("Onderwerp: Antwoorden Kamervragen", "p", "Datum 22 augustus 2023")),
        ("insert_block", ("Onderwerp: Antwoorden Kamervragen", "p", "Ons kenmerk 4728548")),
        ("join_blocks", ("De Minister van Justitie en Veiligheid,",)),
    ],
    "kamerbrief-deens-voorstel": [
        ("insert_block", ("Tijdens het commissiedebat van 24 november", "p", "Ministerie van Justitie en Veiligheid")),
        ("insert_block", ("Tijdens het commissiedebat van 24 november", "p", "Betreft Kamerbrief CSAM-verordening")),
        ("split_block", ("De minister van Justitie en Veiligheid, F. van Oosten", " F. van Oosten")),
    ],
    "nota-onderbouwing-standpunt": [
        ("insert_block", ("Onderbouwing standpunt CSAM materiaal", "p", "Ministerie van Justitie en Veiligheid")),
        ("insert_block", ("De onderhandelingen over de Europese verordening", "p", "Pagina 2 van 3")),
    ],
}

# --- edit operations ----------------------------------------------------------------------------


def _block_with(letter: bf.Letter, text: str) -> bf.Block:
    hits = [b for b in letter.blocks if text in b.text]
    if len(hits) != 1 or hits[0].text.count(text) != 1:
        raise SystemExit(f"{letter.name}: {text!r} occurs {sum(b.text.count(text) for b in hits)} times, not once")
    return hits[0]


def _block_starting(letter: bf.Letter, start: str) -> int:
    hits = [i for i, b in enumerate(letter.blocks) if b.text.startswith(start)]
    if len(hits) != 1:
        raise SystemExit(f"{letter.name}: {len(hits)} blocks start with {start!r}")
    return hits[0]


def apply(letter: bf.Letter, op: str, args: tuple) -> None:
    if op == "replace":
        old, new = args
        block = _block_with(letter, old)
        block.text = block.text.replace(old, new)
    elif op == "delete":
        (sentence,) = args
        block = _block_with(letter, sentence)
        block.text = " ".join(block.text.replace(sentence, "").split())
    elif op == "insert_after":
        anchor, sentence = args
        block = _block_with(letter, anchor)
        block.text = block.text.replace(anchor, f"{anchor} {sentence}")
    elif op == "move_block":
        start, before = args
        block = letter.blocks.pop(_block_starting(letter, start))
        letter.blocks.insert(_block_starting(letter, before), block)
    elif op == "move_sentence":
        sentence, after = args
        block = _block_with(letter, sentence)
        block.text = " ".join(block.text.replace(sentence, "").split())
        block = _block_with(letter, after)
        block.text = block.text.replace(after, f"{after} {sentence}")
    elif op == "insert_block":
        before, kind, text = args
        letter.blocks.insert(_block_starting(letter, before), bf.Block(kind, text))
    elif op == "join_blocks":
        (start,) = args
        i = _block_starting(letter, start)
        letter.blocks[i].text += " " + letter.blocks.pop(i + 1).text
    elif op == "split_block":
        start, tail = args
        i = _block_starting(letter, start)
        head, _, rest = letter.blocks[i].text.partition(tail)
        letter.blocks[i].text = head
        letter.blocks.insert(i + 1, bf.Block(letter.blocks[i].kind, (tail + rest).strip()))
    elif op == "retype":
        start, kind, text = args
        i = _block_starting(letter, start)
        letter.blocks[i] = bf.Block(kind, text)
    elif op == "footnote":
        number, old, new = args
        if letter.footnotes.get(number) != old:
            raise SystemExit(f"{letter.name}: footnote {number} is {letter.footnotes.get(number)!r}")
        letter.footnotes[number] = new
    else:
        raise ValueError(op)


def edited(letter: bf.Letter) -> bf.Letter:
    out = copy.deepcopy(letter)
    for op, args, _ in EDITS[letter.name]:
        apply(out, op, args)
    return out


def typography(letter: bf.Letter) -> bf.Letter:
    out = copy.deepcopy(letter)
    for old, new in TYPOGRAPHY[letter.name]:
        if old.startswith("@fn:"):
            out.footnotes[int(old[4:])] = new
        else:
            for b in out.blocks:
                b.text = b.text.replace(old, new)
    if out.source_text() == letter.source_text():
        raise SystemExit(f"{letter.name}: typography changed nothing")
    return out


def layout(letter: bf.Letter) -> bf.Letter:
    out = copy.deepcopy(letter)
    for op, args in LAYOUT[letter.name]:
        apply(out, op, args)
    return out


def mojibake(text: str) -> str:
    """UTF-8 read as cp1252 (bytes cp1252 leaves undefined, as 0x9D of "”", are lost, as browsers do)."""
    return text.encode("utf-8").decode("cp1252", errors="ignore")


def emphasis(text: str) -> str:
    """Markdown with one bold span and one italic span each running across a sentence boundary."""
    paras = text.split("\n\n")
    long = [i for i, p in enumerate(paras) if p.count(". ") >= 2]
    for i, mark in zip(long[1:3], ("**", "*"), strict=False):
        first, second = paras[i].split(". ", 2)[:2]
        paras[i] = paras[i].replace(f"{first}. {second}.", f"{mark}{first}. {second}.{mark}", 1)
    return "\n\n".join(paras)


def reflow(text: str, width: int) -> str:
    paras = text.strip().split("\n\n")
    return "\n\n".join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paras) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=bf.ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversions")
    args = parser.parse_args()
    letters = {
        lt.name: lt
        for lt in (
            bf.letter_2024d46963(args.corpus),
            bf.letter_2023z08511(args.corpus),
            bf.letter_deens(args.corpus),
            bf.letter_nota(args.corpus),
        )
    }
    OUT.mkdir(parents=True, exist_ok=True)
    labels: dict[str, list] = {"planted": [], "cosmetic": []}
    for name, letter in letters.items():
        version = edited(letter)
        bf.write_docx(version, OUT / f"{name}_edited.docx")
        if not args.no_pdf:
            bf.to_pdf(OUT / f"{name}_edited.docx", OUT / f"{name}_edited.pdf")
        edits = [label for _, _, label in EDITS[name]]
        for old, new in (
            (f"{name}.docx", f"diffset/{name}_edited.docx"),
            (f"{name}.pdf", f"diffset/{name}_edited.pdf"),
            (f"{name}.pdf", f"diffset/{name}_edited.docx"),
        ):
            labels["planted"].append({"old": old, "new": new, "edits": edits})
        labels["cosmetic"].append({"old": f"{name}.pdf", "new": f"{name}.docx", "what": "PDF and .docx of one letter"})
        print("built", name)

    def cosmetic_variant(name: str, version: bf.Letter, suffix: str, what: str, pairs) -> None:
        """Write NAME_SUFFIX.docx (and .pdf) and label each (old, new) pair as cosmetic only."""
        bf.write_docx(version, OUT / f"{name}_{suffix}.docx")
        if not args.no_pdf:
            bf.to_pdf(OUT / f"{name}_{suffix}.docx", OUT / f"{name}_{suffix}.pdf")
        for old_ext, new_ext in pairs:
            labels["cosmetic"].append(
                {"old": f"{name}.{old_ext}", "new": f"diffset/{name}_{suffix}.{new_ext}", "what": what}
            )

    for name in TYPOGRAPHY:
        what = "quotes, dashes, case, number spacing, hyphenation, emphasis"
        cosmetic_variant(name, typography(letters[name]), "typography", what, (("docx", "docx"), ("pdf", "pdf")))
    for name in LAYOUT:
        what = "letterhead in the body, signature re-flowed, punctuation for 'en', heading number typed"
        pairs = (("docx", "docx"), ("pdf", "pdf"), ("docx", "pdf"))
        cosmetic_variant(name, layout(letters[name]), "layout", what, pairs)
    for name in ("2024D46963", "2023Z08511"):
        text = letters[name].source_text()
        (OUT / f"{name}_mojibake.txt").write_text(mojibake(text), encoding="utf-8")
        (OUT / f"{name}_emphasis.txt").write_text(emphasis(text), encoding="utf-8")
        labels["cosmetic"].append(
            {"old": f"{name}.docx", "new": f"diffset/{name}_mojibake.txt", "what": "double-encoded text (mojibake)"}
        )
        labels["cosmetic"].append(
            {"old": f"{name}.pdf", "new": f"diffset/{name}_emphasis.txt", "what": "emphasis across sentences"}
        )
    for name in ("2023Z08511", "kamerbrief-deens-voorstel"):
        text = letters[name].source_text()
        for width in (60, 80):
            (OUT / f"{name}_reflowed_{width}.txt").write_text(reflow(text, width), encoding="utf-8")
        labels["cosmetic"].append(
            {
                "old": f"diffset/{name}_reflowed_60.txt",
                "new": f"diffset/{name}_reflowed_80.txt",
                "what": "hard-wrapped at 60 and at 80 columns",
            }
        )
        labels["cosmetic"].append(
            {"old": f"diffset/{name}_reflowed_60.txt", "new": f"{name}.docx", "what": "wrapped text and .docx"}
        )
    (OUT / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("labelled set in", OUT.relative_to(bf.ROOT))


if __name__ == "__main__":
    main()
