#!/usr/bin/env python3
"""Build the labelled phrase set: the real letters plus letters built from them with planted re-use.

    python scripts/build_phrase_set.py [--corpus ../shared/corpus] [--no-pdf]

Writes ``tests/fixtures/phrases/``:

* ``letters/*.txt`` — the five real letters of the corpus, and six letters *constructed* for this set
  (they are not real letters): a letterhead, sentences re-used verbatim from the real letters (filler),
  the planted formulations below in their mutated wordings, hard negatives (sentences that share words
  with a formulation but are not a variant of it), and a closing formula and signature;
* ``2025-01-20_kamerbrief_jbz.docx`` / ``.pdf`` and ``2025-03-10_stand_van_zaken.docx`` — two of the
  constructed letters as Word and PDF files (LibreOffice, Dutch hyphenation on), so the set runs through
  the real extractors, hyphenated line ends included;
* ``labels.json`` — which letter carries which wording of which formulation, the hard negatives, the
  families that occur naturally in the real letters (reviewed by hand), and the letters' dates.

``tests/test_phrase_quality.py`` measures precision and recall of ``trace`` and of the families
against these labels; run it as a script for the table in the README.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from docaudit.phrases.boilerplate import rule  # noqa: E402
from docaudit.phrases.fingerprint import words  # noqa: E402
from docaudit.testing import fixtures as bf  # noqa: E402
from docaudit.text.segment import sentences  # noqa: E402

OUT = bf.FIX / "phrases"

REAL = {
    "2023Z08511": ("2023-08-22_antwoorden_kamervragen_2023Z08511.txt", "2023-08-22"),
    "nota-standpunt": ("2023_nota_onderbouwing_standpunt.txt", "2023-09-20"),
    "open-brief": ("2024-10-01_open_brief_kabinet.txt", "2024-10-01"),
    "2024D46963": ("2024D46963_v2_tkconv_page.txt", "2024-11-29"),
    "deens-voorstel": ("2025_kamerbrief_deens_voorstel_pdf.txt", "2025-12-01"),
}

# Each formulation: its source (a real letter and the exact sentence), its planted wordings
# (letter, kind, text) and hard negatives (letter, text). Kinds say what was changed.
FORMULATIONS = [
    {
        "id": "zorgen-onvoldoende-weggenomen",
        "source": (
            "2024D46963",
            "De zorgen van het kabinet over de bescherming van in het geding zijnde fundamentele grondrechten, "
            "met name op het gebied van de privacy en het brief- en telecommunicatiegeheim, en de veiligheid "
            "van het digitale domein zijn op dit moment onvoldoende weggenomen.",
        ),
        "wordings": [
            ("2024-10-08_antwoorden", "verbatim", None),
            (
                "2025-01-20_kamerbrief_jbz",
                "inserted clause",
                "De zorgen van het kabinet over de bescherming van in het geding zijnde fundamentele grondrechten, "
                "met name op het gebied van de privacy en het brief- en telecommunicatiegeheim, en de veiligheid "
                "van het digitale domein zijn, ondanks de compromisvoorstellen van het voorzitterschap, op dit "
                "moment onvoldoende weggenomen.",
            ),
            (
                "2025-03-10_stand_van_zaken",
                "negation dropped",
                "De zorgen van het kabinet over de bescherming van in het geding zijnde fundamentele grondrechten, "
                "met name op het gebied van de privacy en het brief- en telecommunicatiegeheim, en de veiligheid "
                "van het digitale domein zijn op dit moment weggenomen.",
            ),
        ],
        "negatives": [
            (
                "2025-03-10_stand_van_zaken",
                "Het kabinet deelt de zorgen over de veiligheid van het digitale domein die uw Kamer in het debat "
                "heeft geuit.",
            ),
            (
                "2025-06-02_antwoorden",
                "De bescherming van fundamentele grondrechten is voor het kabinet een belangrijk uitgangspunt bij "
                "de onderhandelingen over de Verordening.",
            ),
        ],
    },
    {
        "id": "nieuwe-inzichten",
        "source": (
            "2024D46963",
            "Nieuwe technologische ontwikkelingen of andere relevante inzichten kunnen aanleiding geven om "
            "bestaande standpunten opnieuw te bekijken.",
        ),
        "natural": [
            (
                "2024D46963",
                "clause added (in the real letter)",
                "Het is mogelijk dat nieuwe technologische ontwikkelingen of andere relevante inzichten aanleiding "
                "kunnen geven om bestaande standpunten opnieuw te bekijken.",
            ),
        ],
        "wordings": [
            (
                "2025-01-20_kamerbrief_jbz",
                "tense",
                "Nieuwe technologische ontwikkelingen of andere relevante inzichten gaven aanleiding om bestaande "
                "standpunten opnieuw te bekijken.",
            ),
            (
                "2025-06-02_antwoorden",
                "words changed",
                "Nieuwe technische ontwikkelingen of andere relevante inzichten kunnen aanleiding geven om het "
                "bestaande standpunt opnieuw te bezien.",
            ),
        ],
        "negatives": [
            (
                "2024-10-08_antwoorden",
                "Het kabinet zal de technologische ontwikkelingen op het gebied van encryptie nauwgezet blijven "
                "volgen.",
            ),
        ],
    },
    {
        "id": "geen-client-side-scanning",
        "source": (
            "2024D46963",
            "Het kabinet zal geen voorstellen ondersteunen die de verplichting inhouden om detectie te laten "
            "plaatsvinden door middel van client-side scanning of die, bij de huidige stand van de technologie, "
            "uitsluitend op die wijze kunnen worden uitgevoerd.",
        ),
        "wordings": [
            ("2024-10-08_antwoorden", "verbatim", None),
            (
                "2025-03-10_stand_van_zaken",
                "modality",
                "Het kabinet kan geen voorstellen ondersteunen die de verplichting inhouden om detectie te laten "
                "plaatsvinden door middel van client-side scanning of die, bij de huidige stand van de technologie, "
                "uitsluitend op die wijze kunnen worden uitgevoerd.",
            ),
            (
                "2025-06-02_antwoorden",
                "clause deleted",
                "Het kabinet zal geen voorstellen ondersteunen die de verplichting inhouden om detectie te laten "
                "plaatsvinden door middel van client-side scanning.",
            ),
            (
                "memo-zonder-datum",
                "negation dropped",
                "Het kabinet zal voorstellen ondersteunen die de verplichting inhouden om detectie te laten "
                "plaatsvinden door middel van client-side scanning of die, bij de huidige stand van de technologie, "
                "uitsluitend op die wijze kunnen worden uitgevoerd.",
            ),
        ],
        "negatives": [
            (
                "2025-01-20_kamerbrief_jbz",
                "Client-side scanning is een techniek waarbij berichten op het apparaat van de gebruiker worden "
                "gescand voordat ze worden versleuteld.",
            ),
        ],
    },
    {
        "id": "geen-voorstellen-encryptie",
        "source": (
            "2023Z08511",
            "Nederland steunt geen Europese voorstellen die end-to-end encryptie onmogelijk maken, in lijn met de "
            "door uw Kamer aangenomen motie-Van Raan c.s.",
        ),
        "wordings": [
            (
                "2025-01-20_kamerbrief_jbz",
                "words inserted",
                "Nederland steunt nog altijd geen Europese voorstellen die end-to-end encryptie onmogelijk maken, in "
                "lijn met de door uw Kamer aangenomen motie-Van Raan c.s.",
            ),
            (
                "2025-06-02_antwoorden",
                "tense and spelling",
                "Nederland steunde geen Europese voorstellen die end-to-end-encryptie onmogelijk maakten, in lijn met "
                "de door uw Kamer aangenomen motie Van Raan c.s.",
            ),
        ],
        "negatives": [
            (
                "2025-06-02_antwoorden",
                "Europese voorstellen over encryptie worden in de Raad besproken voordat uw Kamer een motie aanneemt.",
            ),
        ],
    },
    {
        "id": "doel-verordening-steunen",
        "source": (
            "2024D46963",
            "Op voorhand geldt dat Nederland het doel van de Verordening onverminderd blijft steunen.",
        ),
        "wordings": [
            (
                "2025-01-20_kamerbrief_jbz",
                "word dropped",
                "Op voorhand geldt dat Nederland het doel van de verordening onverminderd steunt.",
            ),
            (
                "2025-06-02_antwoorden",
                "opening changed",
                "Voorop staat dat Nederland het doel van de Verordening onverminderd blijft steunen.",
            ),
        ],
        "negatives": [
            (
                "2025-03-10_stand_van_zaken",
                "Nederland blijft zich inzetten voor een Verordening die het doel dichterbij brengt zonder "
                "grondrechten te schaden.",
            ),
        ],
    },
    {
        "id": "internet-landsgrenzen",
        "source": (
            "2023Z08511",
            "Het internet is niet gebonden aan landsgrenzen en overheden hebben een gezamenlijke "
            "verantwoordelijkheid om het schoon en veilig te houden.",
        ),
        "wordings": [
            ("2023-05-01_nota_internetveiligheid", "verbatim (earlier than the source)", None),
            (
                "2025-03-10_stand_van_zaken",
                "words inserted",
                "Het internet is niet gebonden aan landsgrenzen en overheden hebben daarom een gezamenlijke "
                "verantwoordelijkheid om het internet schoon en veilig te houden.",
            ),
            (
                "2025-06-02_antwoorden",
                "words changed",
                "Het internet is niet gebonden aan landsgrenzen en overheden hebben een gedeelde "
                "verantwoordelijkheid om het veilig te houden.",
            ),
        ],
        "negatives": [
            (
                "2025-01-20_kamerbrief_jbz",
                "Overheden hebben een verantwoordelijkheid om burgers te beschermen, ook op het internet.",
            ),
        ],
    },
    {
        "id": "verordening-nodig",
        "source": ("2024D46963", "Dat een Verordening nodig is, staat voor Nederland niet ter discussie."),
        "wordings": [
            ("2024-10-08_antwoorden", "verbatim", None),
            (
                "2025-03-10_stand_van_zaken",
                "negation dropped",
                "Dat een Verordening nodig is, staat voor Nederland inmiddels ter discussie.",
            ),
            (
                "2025-06-02_antwoorden",
                "name changed",
                "Dat een Verordening nodig is, staat voor het kabinet niet ter discussie.",
            ),
        ],
        "negatives": [
            ("2025-06-02_antwoorden", "Of een Verordening de juiste vorm is, wordt in Brussel nog besproken."),
        ],
    },
    {
        "id": "encryptie-uitdagingen",
        "source": ("2023Z08511", "Encryptie stelt de opsporing voor grote uitdagingen."),
        "wordings": [
            (
                "2025-03-10_stand_van_zaken",
                "word inserted",
                "Encryptie stelt de opsporing voor steeds grotere uitdagingen.",
            ),
            ("memo-zonder-datum", "verbatim", None),
        ],
        "negatives": [
            ("2025-06-02_antwoorden", "De opsporing staat voor grote uitdagingen door de personeelstekorten."),
        ],
    },
    {
        "id": "plannen-buiten-proportie",
        "source": (
            "open-brief",
            "De plannen zijn volstrekt buiten proportie, onduidelijk, en maken de online wereld minder veilig.",
        ),
        "wordings": [
            (
                "2025-01-20_kamerbrief_jbz",
                "word dropped",
                "De plannen zijn buiten proportie, onduidelijk, en maken de online wereld minder veilig.",
            ),
            (
                "2025-03-10_stand_van_zaken",
                "word deleted",
                "De plannen zijn volstrekt buiten proportie en maken de online wereld minder veilig.",
            ),
        ],
        "negatives": [
            ("memo-zonder-datum", "De online wereld is de afgelopen jaren veel minder veilig geworden voor kinderen."),
        ],
    },
    {
        "id": "jbz-raad-december",
        "source": (
            "2024D46963",
            "Om die reden is het de verwachting dat het voorstel voor zal liggen tijdens de JBZ-raad van 12 en 13 "
            "december.",
        ),
        "wordings": [
            (
                "2025-01-20_kamerbrief_jbz",
                "date changed",
                "Om die reden is het de verwachting dat het voorstel voor zal liggen tijdens de JBZ-raad van 13 en 14 "
                "juni.",
            ),
        ],
        "negatives": [
            ("2025-06-02_antwoorden", "De JBZ-raad van 12 en 13 december staat in het teken van migratie."),
        ],
    },
]

# Families that occur in the real letters themselves (found by comparing every pair of sentences
# with similarity >= 0.4 and judging each by reading): sentence prefixes of each family's members.
NATURAL = [
    [
        "Hierbij constateert het kabinet dat technische ontwikkelingen",
        "Hierbij constateert het kabinet dat het technische veld",
    ],
    ["Indien dergelijke technieken of omstandigheden zich voordoen"],
    ["Tijdens het debat over de JBZ-Raad, op 9 oktober jl.", "Tijdens het commissiedebat van 24 november jl."],
    ["¹ Zie WODC Onderzoek", "⁴ Zie WODC Onderzoek"],
]

DERIVED = {
    "2023-05-01_nota_internetveiligheid": ("2023-05-01", "Nota over internetveiligheid", "txt"),
    "2024-10-08_antwoorden": ("2024-10-08", "Antwoorden op Kamervragen over het detectiebevel", "txt"),
    "2025-01-20_kamerbrief_jbz": ("2025-01-20", "Kamerbrief over de JBZ-Raad", "pdf"),
    "2025-03-10_stand_van_zaken": ("2025-03-10", "Stand van zaken CSAM-verordening", "docx"),
    "2025-06-02_antwoorden": ("2025-06-02", "Antwoorden op Kamervragen over encryptie", "txt"),
    "memo-zonder-datum": (None, "Memo over detectie", "txt"),
}

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()


def real_sentences(corpus: Path) -> dict[str, list[str]]:
    return {
        doc: [s.text for s in sentences((corpus / name).read_text(encoding="utf-8"))] for doc, (name, _) in REAL.items()
    }


def fillers(real: dict[str, list[str]], taken: set[str]) -> list[str]:
    """Sentences of the real letters that can be re-used verbatim as filler: long enough, not
    boilerplate, not part of a labelled formulation or natural family."""
    out = []
    for doc in REAL:
        for s in real[doc]:
            if len(words(s)) < 10 or rule(s) or s in taken or any(s.startswith(p) for fam in NATURAL for p in fam):
                continue
            if s.startswith(("#", "[", "►", "-", "•", "(")) or not s[0].isupper():
                continue
            out.append(s)
    return out


def letter_text(doc: str, date: str | None, title: str, body: list[str]) -> str:
    head = ["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "Postbus 20018", "2500 EA  DEN HAAG", ""]
    if date:
        y, m, d = date.split("-")
        head.append(f"Datum {int(d)} {MONTHS[int(m) - 1]} {y}")
    head += [f"Betreft {title}", ""]
    paras = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    tail = [
        "Ik vertrouw erop u hiermee voldoende te hebben geïnformeerd.",
        "",
        "De Minister van Justitie en Veiligheid,",
    ]
    return "\n".join(head) + "\n" + "\n\n".join(paras) + "\n\n" + "\n".join(tail) + "\n"


def build(corpus: Path, pdf: bool) -> None:
    rng = random.Random(5)
    real = real_sentences(corpus)
    for f in FORMULATIONS:
        for where, sentence in [f["source"], *((d, t) for d, _k, t in f.get("natural", []))]:
            if sentence not in real[where]:
                raise SystemExit(f"{f['id']}: sentence not found as a sentence of {where}: {sentence[:60]}")
    taken = {f["source"][1] for f in FORMULATIONS} | {t for f in FORMULATIONS for _d, _k, t in f.get("natural", [])}
    pool = fillers(real, taken)
    rng.shuffle(pool)
    bodies: dict[str, list[str]] = {doc: [] for doc in DERIVED}
    for f in FORMULATIONS:
        for doc, _kind, text in f["wordings"]:
            bodies[doc].append(text or f["source"][1])
        for doc, text in f["negatives"]:
            bodies[doc].append(text)
    filler_used: dict[str, list[str]] = {}
    for doc in DERIVED:
        extra = [pool.pop() for _ in range(6)]
        filler_used[doc] = extra
        mixed = bodies[doc] + extra
        rng.shuffle(mixed)
        bodies[doc] = mixed
    (OUT / "letters").mkdir(parents=True, exist_ok=True)
    for name, (filename, _date) in REAL.items():
        (OUT / "letters" / f"{name}.txt").write_text((corpus / filename).read_text(encoding="utf-8"), encoding="utf-8")
    files = {name: f"letters/{name}.txt" for name in REAL}
    for doc, (date, title, fmt) in DERIVED.items():
        text = letter_text(doc, date, title, bodies[doc])
        (OUT / "letters" / f"{doc}.txt").write_text(text, encoding="utf-8")
        files[doc] = f"letters/{doc}.txt"
        if fmt in ("docx", "pdf"):
            blocks = [bf.Block("p", p) for p in bf.paragraphs(text)]
            letter = bf.Letter(doc, title, blocks, header="Ministerie van Justitie en Veiligheid", footer=title)
            bf.write_docx(letter, OUT / f"{doc}.docx")
            files[doc] = f"{doc}.docx"
            if fmt == "pdf":
                if pdf:
                    bf.to_pdf(OUT / f"{doc}.docx", OUT / f"{doc}.pdf")
                files[doc] = f"{doc}.pdf"
    labels = {
        "letters": [{"doc": name, "file": files[name], "date": date, "real": True} for name, (_f, date) in REAL.items()]
        + [{"doc": doc, "file": files[doc], "date": d[0], "real": False} for doc, d in DERIVED.items()],
        "formulations": [
            {
                "id": f["id"],
                "query": f["source"][1],
                "members": [{"doc": f["source"][0], "kind": "source", "text": f["source"][1]}]
                + [{"doc": doc, "kind": kind, "text": text} for doc, kind, text in f.get("natural", [])]
                + [{"doc": doc, "kind": kind, "text": text or f["source"][1]} for doc, kind, text in f["wordings"]],
                "negatives": [{"doc": doc, "text": text} for doc, text in f["negatives"]],
            }
            for f in FORMULATIONS
        ],
        "natural": NATURAL,
        "filler": filler_used,
    }
    (OUT / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(labels['letters'])} letters and {len(FORMULATIONS)} formulations to {OUT}")
    write_demo_letters()


def write_demo_letters() -> None:
    """Copy the constructed letters into the package's examples, so `docaudit demo` has formulations to show."""
    folder = bf.ROOT / "docaudit" / "examples" / "constructed"
    folder.mkdir(parents=True, exist_ok=True)
    listing = []
    for doc, (date, title, _fmt) in DERIVED.items():
        (folder / f"{doc}.txt").write_bytes((OUT / "letters" / f"{doc}.txt").read_bytes())
        listing.append({"doc": doc, "title": title, "date": date, "file": f"{doc}.txt"})
    (folder / "letters.json").write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(listing)} constructed letters to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=bf.ROOT.parent / "shared" / "corpus")
    parser.add_argument("--no-pdf", action="store_true", help="Skip the LibreOffice conversion.")
    args = parser.parse_args()
    build(args.corpus, not args.no_pdf)


if __name__ == "__main__":
    main()
