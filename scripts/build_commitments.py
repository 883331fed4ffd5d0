#!/usr/bin/env python3
"""Build the .docx and .pdf of the labelled commitment letters (tests/fixtures/commitments/*.txt).

    python scripts/build_commitments.py [--no-pdf]

The letters are written by hand in the style of Kamerbrieven (see the labels in
``tests/fixtures/commitments/labels.json``); each becomes a .docx through python-docx (short lines
without a full stop as bold headings, the ministry in the header) and a .pdf through LibreOffice, so the
commitment finder is measured on what the extractors make of real files too. Needs libreoffice-writer.
"""

from __future__ import annotations

import argparse

from docaudit.testing import fixtures as bf
from docaudit.text.normalize import paragraphs

OUT = bf.FIX / "commitments"


def letter(name: str, text: str) -> bf.Letter:
    blocks = []
    for p in paragraphs(text):
        heading = len(p.split()) <= 4 and not p.endswith((".", ",", "?", ":")) and not p[:1].isdigit()
        blocks.append(bf.Block("h" if heading and not p.startswith(("De ", "V.", "S.", "D.")) else "p", p))
    return bf.Letter(name, blocks[0].text, blocks, header="Ministerie", footer=name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversions")
    args = parser.parse_args()
    for path in sorted(OUT.glob("*.txt")):
        docx = path.with_suffix(".docx")
        bf.write_docx(letter(path.stem, path.read_text(encoding="utf-8")), docx)
        if not args.no_pdf:
            bf.to_pdf(docx, path.with_suffix(".pdf"))
        print("built", path.stem)


if __name__ == "__main__":
    main()
