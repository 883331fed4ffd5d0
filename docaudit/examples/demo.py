"""``docaudit demo``: store the bundled example letters (two versions each, and six constructed letters
that re-use their formulations), then write the report."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..changes.compare import compare
from ..diff.model import LineDiff, SemanticDiff, WordDiff
from ..errors import DocauditError
from ..ingest.pipeline import add_bytes
from ..report import ReportResult, build_report
from ..store.database import AddResult, DocumentSummary, Store
from ..values import sha256


@dataclass(frozen=True)
class Example:
    doc_id: str
    title: str
    files: tuple[str, ...]


# The later file of each pair is the real letter; the earlier one was constructed from it by a few
# planted edits (see scripts/build_fixtures.py), to have something to show.
EXAMPLES = (
    Example(
        "2024D46963",
        "Ontwikkelingen CSAM-Verordening en de uitvoering van de motie-Kathmann c.s.",
        ("2024D46963_v1.docx", "2024D46963_v2.docx"),
    ),
    Example(
        "2023Z08511",
        "Antwoorden Kamervragen over WhatsApp en Signal en de Online Safety Bill",
        ("2023Z08511_v1.pdf", "2023Z08511_v2.pdf"),
    ),
    Example(
        "nota-onderbouwing-standpunt",
        "Nota onderbouwing standpunt CSAM materiaal",
        ("nota-onderbouwing-standpunt_v1.md", "nota-onderbouwing-standpunt_v2.md"),
    ),
)
CONSTRUCTED = "constructed"  # letters made by scripts/build_phrase_set.py: not real, they re-use real wording


def constructed() -> tuple[Example, ...]:
    """The constructed letters (one version each), as listed in ``examples/constructed/letters.json``."""
    folder = resources.files("docaudit") / "examples" / CONSTRUCTED
    listing = json.loads((folder / "letters.json").read_text(encoding="utf-8"))
    return tuple(Example(x["doc"], x["title"], (f"{CONSTRUCTED}/{x['file']}",)) for x in listing)


def example_files() -> dict[str, set[str]]:
    """Each example document and the sha256 of its files."""
    folder = resources.files("docaudit") / "examples"
    return {
        example.doc_id: {sha256((folder / name).read_bytes()) for name in example.files}
        for example in EXAMPLES + constructed()
    }


def foreign_contents(store: Store) -> list[str]:
    """What a store holds besides the demo's letters (empty: the demo may use it). The demo must never add
    its letters to a user's audit, where they would become versions of real documents."""
    examples = example_files()
    found = []
    for doc_id, sha in store.conn.execute("SELECT doc_id, raw_sha256 FROM versions ORDER BY doc_id, number"):
        if sha not in examples.get(doc_id, ()):
            found.append(doc_id)
    sources = [r[0] for r in store.conn.execute("SELECT id FROM sources")]
    return sorted(set(found)) + [f"tracked source {s}" for s in sources]


def store_examples(store: Store) -> list[tuple[str, AddResult]]:
    """Add every example file in order; return (file name, result) pairs. Running it again stores nothing."""
    results = []
    folder = resources.files("docaudit") / "examples"
    for example in EXAMPLES + constructed():
        for name in example.files:
            data = (folder / name).read_bytes()
            earlier = store.find_by_sha(example.doc_id, sha256(data))
            if earlier is not None:
                result = AddResult(example.doc_id, "unchanged", earlier.number, "already stored", earlier, name)
            else:
                result = add_bytes(store, data, example.doc_id, filename=name, title=example.title)
            results.append((name.rsplit("/", 1)[-1], result))
    return results


@dataclass
class DemoResult:
    """What the demo did: the files it stored, the documents, the diff of each changed one, the report."""

    stored: list[tuple[str, AddResult]]
    documents: list[DocumentSummary]
    diffs: list[SemanticDiff | LineDiff | WordDiff]
    report: ReportResult


def run_demo(store: Store, out: str | os.PathLike[str] = "site") -> DemoResult:
    """Store the examples, compare the last two versions of each document that has two, write the report.
    Refuses (DocauditError, before writing anything) a store that holds anything but the demo."""
    foreign = foreign_contents(store)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise DocauditError(
            f"{store.path} holds your own audit ({shown}): the demo never adds its letters to it. "
            "Run the demo in an empty folder: mkdir docaudit-demo && cd docaudit-demo && docaudit demo"
        )
    site = Path(out)
    fresh = store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    if fresh and site.exists() and any(site.iterdir()):
        raise DocauditError(
            f"{site}/ already holds something: the demo writes its report there. "
            "Run the demo in an empty folder: mkdir docaudit-demo && cd docaudit-demo && docaudit demo"
        )
    stored = store_examples(store)
    documents = store.documents()
    diffs = [compare(d.id, store=store) for d in documents if d.versions >= 2]
    return DemoResult(stored, documents, diffs, build_report(store, out))
