"""Follow one formulation through the letters: every document that carries it or a variant, in date order.

Candidates come from the fingerprint index (any shared four-word shingle); each is then verified by
word-level similarity to the query, so a sentence that merely shares common words is not a match.
A query shorter than the sentence it is found in (a clause, a phrase) matches by coverage: most of
its words, in order, inside the sentence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..diff.flags import compute_flags
from ..diff.words import word_diff
from ..errors import DocauditError
from ..text.segment import sentences as _sentences
from . import fingerprint as fp
from .families import UNDATED, Family, rows_of
from .families import family as _family
from .index import Indexer, update

SIMILARITY = fp.SIMILARITY  # whole-sentence matches (more for short sentences: fingerprint.threshold)
COVERAGE = 0.85  # a shorter query found inside a longer sentence
CANDIDATES = 5_000  # verified per query: a deep read finds thousands that open the same way (index.candidates)
DEPTH = 20_000  # postings read whole per query, rarest fingerprints first (index.Indexer.candidates)


@dataclass
class Occurrence:
    """One letter carrying the formulation (or a variant) in one of its sentences."""

    doc: str
    date: str | None
    title: str | None
    text: str
    similarity: float
    version: int  # first version of the document that carried this wording
    last_version: int  # last version that carried it
    current: bool  # the document's latest version still carries it
    position: int  # sentence number in the last version that carried it (0-based)
    sentence_ids: list[int]
    diff: list[tuple[int, str]] = field(default_factory=list)  # word diff from the first appearance
    flags: list[str] = field(default_factory=list)  # meaning changes from the first appearance

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "date": self.date,
            "undated": self.date is None,
            "title": self.title,
            "text": self.text,
            "similarity": round(self.similarity, 3),
            "version": self.version,
            "last_version": self.last_version,
            "current": self.current,
            "position": self.position,
            "sentence_ids": self.sentence_ids,
            "flags": self.flags,
            "diff": [[op, t] for op, t in self.diff],
        }


@dataclass
class Trace:
    """The answer to ``docaudit trace``: the query and its occurrences, first appearance first."""

    query: str
    occurrences: list[Occurrence]
    family: int | None = None

    @property
    def first(self) -> Occurrence | None:
        return self.occurrences[0] if self.occurrences else None

    @property
    def undated(self) -> int:
        return sum(1 for o in self.occurrences if o.date is None)

    def to_list(self) -> list[dict[str, Any]]:
        return [o.to_dict() for o in self.occurrences]


def _score(query: tuple[str, ...], tokens: tuple[str, ...]) -> float | None:
    """The similarity of a candidate to the query, or None when it is not a match."""
    sim = fp.variant_score(query, tokens, SIMILARITY)
    if sim is not None:
        return sim
    if fp.MIN_TOKENS <= len(query) < len(tokens):
        covered = fp.coverage(query, tokens)
        if covered >= COVERAGE:
            return covered
    return None


def trace(
    store, text: str | None = None, *, family: int | Family | None = None, min_similarity: float | None = None
) -> Trace:
    """Every occurrence of ``text`` (or of the family ``family``: its id, or the Family itself when the
    caller has it already, as from :func:`phrases`) and its variants, in date order.

    Occurrences are dated by the letter date of the first version that carried them; undated ones
    come last. Each carries a word diff and the meaning flags (negation, modality, number…) of its
    wording against the first appearance.
    """
    if (text is None) == (family is None):
        raise DocauditError("trace needs a text or a family id (not both)")
    conn = store.conn
    if family is not None:
        fam = family if isinstance(family, Family) else _family(store, family)  # the id brings the index up to date
        query = fam.canonical
        ids = [v.sentence_id for v in fam.variants]
        q_tokens = tuple(fp.words(query))
        scores = {sid: fp.similarity(q_tokens, toks) for sid, toks in Indexer(conn).tokens.get(ids).items()}
        occurrences = _occurrences(conn, scores)
        return _finish(Trace(query, occurrences, fam.id), min_similarity)
    update(store)
    query = " ".join(text.split())
    q_tokens = tuple(fp.words(query))
    if not q_tokens:
        raise DocauditError("nothing to trace: the text has no words")
    parts = [tuple(fp.words(s.text)) for s in _sentences(query)] or [q_tokens]
    parts = [p for p in parts if p] or [q_tokens]
    occurrences = _occurrences(conn, _matches(conn, q_tokens)) if len(parts) == 1 else _passages(conn, q_tokens, parts)
    return _finish(Trace(query, occurrences), min_similarity)


def _matches(conn, q_tokens: tuple[str, ...]) -> dict[int, float]:
    indexer = Indexer(conn)
    found: dict[int, float] = {}
    for sid, tokens in indexer.candidates(fp.shingles(list(q_tokens)), limit=CANDIDATES, depth=DEPTH):
        score = _score(q_tokens, tokens)
        if score is not None:
            found[sid] = score
    return found


def _occurrences(conn, scores: dict[int, float]) -> list[Occurrence]:
    return [
        Occurrence(
            r.doc,
            r.date,
            r.title,
            r.text,
            scores[r.sentence_id],
            r.first_version,
            r.last_version,
            r.last_version == r.latest,
            r.position,
            [r.sentence_id],
        )
        for r in rows_of(conn, list(scores), by="sentence")
    ]


def _passages(conn, q_tokens: tuple[str, ...], parts: list[tuple[str, ...]]) -> list[Occurrence]:
    """A query of several sentences: per document, the sentences matching any of them, joined in order,
    and scored as one passage against the whole query."""
    per_sentence: dict[int, float] = {}
    for part in parts:
        for sid, score in _matches(conn, part).items():
            per_sentence[sid] = max(score, per_sentence.get(sid, 0.0))
    by_doc: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in _occurrences(conn, per_sentence):
        by_doc[occ.doc].append(occ)
    out = []
    for occs in by_doc.values():
        occs.sort(key=lambda o: o.position)
        passage = " ".join(o.text for o in occs)
        sim = fp.similarity(q_tokens, tuple(fp.words(passage)))
        if sim < SIMILARITY:
            continue
        head = min(occs, key=lambda o: ((o.date or UNDATED), o.version))
        out.append(
            Occurrence(
                head.doc,
                head.date,
                head.title,
                passage,
                sim,
                min(o.version for o in occs),
                max(o.last_version for o in occs),
                all(o.current for o in occs),
                occs[0].position,
                [i for o in occs for i in o.sentence_ids],
            )
        )
    return out


def _finish(result: Trace, min_similarity: float | None) -> Trace:
    occs = result.occurrences
    if min_similarity is not None:
        occs = [o for o in occs if o.similarity >= min_similarity]
    occs.sort(key=lambda o: (o.date or UNDATED, o.doc, o.version, o.position))
    if occs:
        first = occs[0].text
        done: dict[str, tuple[list, list]] = {}  # a wording carried by many letters is compared once
        for o in occs:
            if o.text not in done:
                done[o.text] = (word_diff(first, o.text), compute_flags(first, o.text) if o.text != first else [])
            diff, flags = done[o.text]
            o.diff, o.flags = list(diff), list(flags)
    result.occurrences = occs
    return result
