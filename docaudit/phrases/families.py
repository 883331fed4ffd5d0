"""Recurring formulations: families of variant sentences carried by several documents.

A document counts once however many versions carry the formulation; an occurrence is dated by the
letter date of the first version of that document that carried it. Undated documents sort last.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import boilerplate

UNDATED = "9999-99-99"  # sorts after every date


@dataclass
class Seen:
    """Where and when a formulation was seen: a document and its letter date (None: undated)."""

    doc: str
    date: str | None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "date": self.date, "title": self.title}


@dataclass
class Variant:
    """One wording of a formulation and the documents that carry it."""

    sentence_id: int
    text: str
    docs: list[str]
    first: Seen

    def to_dict(self) -> dict[str, Any]:
        return {"sentence_id": self.sentence_id, "text": self.text, "docs": self.docs, "first": self.first.to_dict()}


@dataclass
class Family:
    """A formulation and its variants across documents."""

    id: int
    canonical: str
    docs: list[str]
    first: Seen
    last: Seen
    variants: list[Variant]
    boilerplate: str | None = None  # why it is boilerplate ("salutation", …), or None
    current: int = 0  # documents whose latest version still carries it
    undated: int = 0  # documents without a letter date

    @property
    def doc_count(self) -> int:
        return len(self.docs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.id,
            "canonical": self.canonical,
            "documents": self.doc_count,
            "docs": self.docs,
            "current": self.current,
            "first_seen": self.first.to_dict(),
            "last_seen": self.last.to_dict(),
            "variants": len(self.variants),
            "boilerplate": self.boilerplate,
            "undated": self.undated,
            "wordings": [v.to_dict() for v in self.variants],
        }


@dataclass
class PhraseReport:
    """The answer to ``docaudit phrases``: families, best first, and what was left out."""

    families: list[Family]
    total: int  # families that qualified before --limit
    boilerplate_hidden: int = 0
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "families": [f.to_dict() for f in self.families],
            "total": self.total,
            "boilerplate_hidden": self.boilerplate_hidden,
            "options": self.options,
        }


@dataclass
class _Row:
    family: int
    sentence_id: int
    text: str
    tokens: int
    doc: str
    first_version: int
    last_version: int
    position: int
    date: str | None
    title: str | None
    sentences: int
    latest: int


_ROWS = """
    SELECT s.family, s.id, s.text, s.tokens, o.doc_id, o.first_version, o.last_version, o.position,
           v.letter_date, d.title, coalesce(pv.sentences, 0),
           (SELECT max(number) FROM versions WHERE doc_id = o.doc_id)
    FROM phrase_occurrences o
    JOIN phrase_sentences s ON s.id = o.sentence_id
    JOIN versions v ON v.doc_id = o.doc_id AND v.number = o.first_version
    JOIN documents d ON d.id = o.doc_id
    LEFT JOIN versions lv ON lv.doc_id = o.doc_id AND lv.number = o.last_version
    LEFT JOIN phrase_versions pv ON pv.version_id = lv.id
    WHERE {column} IN ({marks})
"""


def rows_of(conn: sqlite3.Connection, families: list[int], *, by: str = "family") -> list[_Row]:
    """Occurrence rows (wording × document, dated) of these families, or ``by="sentence"`` of these wordings."""
    column = {"family": "s.family", "sentence": "o.sentence_id"}[by]
    out: list[_Row] = []
    for start in range(0, len(families), 500):
        chunk = families[start : start + 500]
        sql = _ROWS.format(column=column, marks=",".join("?" * len(chunk)))
        out.extend(_Row(*r) for r in conn.execute(sql, chunk))
    return out


def _sort_key(seen: Seen) -> tuple[str, str]:
    return (seen.date or UNDATED, seen.doc)


def build_family(family_id: int, rows: list[_Row]) -> Family:
    """A family from its occurrence rows (one per sentence and document)."""
    by_sentence: dict[int, list[_Row]] = defaultdict(list)
    per_doc: dict[str, _Row] = {}
    for r in rows:
        by_sentence[r.sentence_id].append(r)
        best = per_doc.get(r.doc)
        if best is None or (r.date or UNDATED, r.first_version) < (best.date or UNDATED, best.first_version):
            per_doc[r.doc] = r
    variants = []
    for sid, rs in by_sentence.items():
        first = min((Seen(r.doc, r.date, r.title) for r in rs), key=_sort_key)
        variants.append(Variant(sid, rs[0].text, sorted({r.doc for r in rs}), first))
    # canonical: the wording most documents carry; then the earliest; then the oldest in the index
    variants.sort(key=lambda v: (-len(v.docs), _sort_key(v.first), v.sentence_id))
    seen = sorted((Seen(r.doc, r.date, r.title) for r in per_doc.values()), key=_sort_key)
    canonical = variants[0]
    positions = [r.position / max(r.sentences - 1, 1) for r in per_doc.values() if r.sentences]
    tokens = next(r.tokens for r in rows if r.sentence_id == canonical.sentence_id)
    current = {r.doc for r in rows if r.last_version == r.latest}
    dated = [s for s in seen if s.date]
    return Family(
        id=family_id,
        canonical=canonical.text,
        docs=[s.doc for s in seen],
        first=seen[0],
        last=(dated[-1] if dated else seen[-1]),
        variants=variants,
        boilerplate=boilerplate.classify(canonical.text, tokens, positions),
        current=len(current),
        undated=len(seen) - len(dated),
    )


def find_phrases(
    store,
    *,
    min_docs: int = 2,
    since: str | None = None,
    until: str | None = None,
    doc: str | None = None,
    limit: int | None = 50,
    include_boilerplate: bool = False,
    current_only: bool = False,
) -> PhraseReport:
    """Formulations carried by at least ``min_docs`` distinct documents, most widely used first.

    ``since``/``until`` (ISO dates, inclusive) keep occurrences in letters dated within the window
    (undated letters are left out when a window is given); ``doc`` keeps families that document
    carries; ``current_only`` counts only documents whose latest version still carries the wording.
    """
    from .index import update

    if min_docs < 1:
        raise ValueError("min_docs must be at least 1")
    update(store)
    conn: sqlite3.Connection = store.conn
    if doc is not None:
        store.document_title(doc)  # raises NotFound for an unknown document
        candidates = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT s.family FROM phrase_occurrences o JOIN phrase_sentences s ON s.id = o.sentence_id "
                "WHERE o.doc_id = ?",
                (doc,),
            )
        ]
    else:
        candidates = [
            r[0]
            for r in conn.execute(
                "SELECT s.family FROM phrase_occurrences o JOIN phrase_sentences s ON s.id = o.sentence_id "
                "GROUP BY s.family HAVING count(DISTINCT o.doc_id) >= ?",
                (min_docs,),
            )
        ]
    grouped: dict[int, list[_Row]] = defaultdict(list)
    for r in rows_of(conn, candidates):
        if current_only and r.last_version != r.latest:
            continue
        if (since or until) and (r.date is None or (since and r.date < since) or (until and r.date > until)):
            continue
        grouped[r.family].append(r)
    families = []
    hidden = 0
    for fid, rows in grouped.items():
        if len({r.doc for r in rows}) < min_docs:
            continue
        if doc is not None and not any(r.doc == doc for r in rows):
            continue
        family = build_family(fid, rows)
        if family.boilerplate and not include_boilerplate:
            hidden += 1
            continue
        families.append(family)
    families.sort(key=lambda f: (-f.doc_count, -len(f.variants), _sort_key(f.first), f.id))
    options = {
        "min_docs": min_docs,
        "since": since,
        "until": until,
        "doc": doc,
        "limit": limit,
        "boilerplate": include_boilerplate,
        "current_only": current_only,
    }
    total = len(families)
    return PhraseReport(families[:limit] if limit else families, total, hidden, options)


def family(store, family_id: int) -> Family:
    """One family by id (any sentence id of the family is accepted)."""
    from ..errors import NotFound
    from .index import update

    update(store)
    row = store.conn.execute("SELECT family FROM phrase_sentences WHERE id = ?", (family_id,)).fetchone()
    if row is None:
        raise NotFound(f"no phrase family {family_id} (see docaudit phrases)")
    rows = rows_of(store.conn, [row[0]])
    if not rows:
        raise NotFound(f"phrase family {family_id} has no occurrences")
    return build_family(row[0], rows)
