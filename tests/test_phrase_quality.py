"""Phrase tracking against the labelled set (tests/fixtures/phrases, built by scripts/build_phrase_set.py).

Run as a script for the precision/recall table in the README:

    python tests/test_phrase_quality.py
"""

from __future__ import annotations

import sys
import tempfile
from itertools import combinations
from pathlib import Path

import pytest

from docaudit.phrases import fingerprint as fp
from docaudit.phrases.families import find_phrases
from docaudit.phrases.trace import trace
from docaudit.store.database import Store
from docaudit.testing.phraseset import add_letters, load_labels


def build_store(folder: Path, labels: dict) -> Store:
    store = Store(folder / "audit.db")
    add_letters(store, labels)
    return store


def _same(a: str, b: str) -> bool:
    """Whether an extracted sentence is the labelled one (extraction may differ in typography only)."""
    return fp.similarity(fp.words(a), fp.words(b)) >= 0.97


def _ratio(n: int, d: int) -> float:
    return n / d if d else 1.0


def evaluate_trace(store: Store, labels: dict) -> dict[str, float]:
    """Occurrence-level precision and recall of ``trace``, querying each formulation by its source wording
    and by its last mutated wording."""
    tp = fp_ = fn = 0
    misses: list[str] = []
    for f in labels["formulations"]:
        for query in {f["query"], f["members"][-1]["text"]}:
            found = trace(store, query).occurrences
            wanted = [(m["doc"], m["text"]) for m in f["members"]]
            matched = set()
            for occ in found:
                hit = next(
                    (
                        i
                        for i, (doc, text) in enumerate(wanted)
                        if doc == occ.doc and i not in matched and _same(text, occ.text)
                    ),
                    None,
                )
                if hit is None:
                    fp_ += 1
                    misses.append(f"false: {f['id']}: {occ.doc}: {occ.text[:80]}")
                else:
                    matched.add(hit)
                    tp += 1
            for i, (doc, text) in enumerate(wanted):
                if i not in matched:
                    fn += 1
                    misses.append(f"missed: {f['id']}: {doc}: {text[:80]}")
    return {
        "tp": tp,
        "fp": fp_,
        "fn": fn,
        "precision": _ratio(tp, tp + fp_),
        "recall": _ratio(tp, tp + fn),
        "misses": misses,
    }


def _sentence_ids(store: Store, text: str) -> set[int]:
    """Index sentences whose wording is the labelled text."""
    rows = store.conn.execute("SELECT id, text FROM phrase_sentences").fetchall()
    return {sid for sid, t in rows if _same(t, text)}


def evaluate_families(store: Store, labels: dict) -> dict[str, float]:
    """Pairwise precision and recall of the families over distinct wordings: labelled wordings should
    share a family exactly when they are variants of one formulation; a wording outside the labels that
    joins a labelled family counts against precision."""
    groups: list[set[int]] = []
    for f in labels["formulations"]:
        ids: set[int] = set()
        for m in f["members"]:
            ids |= _sentence_ids(store, m["text"])
        groups.append(ids)
    rows = store.conn.execute("SELECT id, text, family FROM phrase_sentences").fetchall()
    for prefixes in labels["natural"]:
        groups.append({sid for sid, text, _ in rows if any(text.startswith(p) for p in prefixes)})
    label_of = {sid: n for n, ids in enumerate(groups) for sid in ids}
    negatives = set()
    for f in labels["formulations"]:
        for neg in f["negatives"]:
            negatives |= _sentence_ids(store, neg["text"])
    family_of = {sid: fam for sid, _, fam in rows}
    members: dict[int, set[int]] = {}
    for sid, fam in family_of.items():
        members.setdefault(fam, set()).add(sid)
    truth = {frozenset(p) for ids in groups for p in combinations(sorted(ids), 2)}
    predicted = set()
    for sid in set(label_of) | negatives:
        for other in members[family_of[sid]]:
            if other != sid:
                predicted.add(frozenset((sid, other)))
    tp = len(truth & predicted)
    wrong = sorted(predicted - truth, key=sorted)
    text_of = {sid: text for sid, text, _ in rows}
    return {
        "tp": tp,
        "fp": len(wrong),
        "fn": len(truth - predicted),
        "precision": _ratio(tp, len(predicted)),
        "recall": _ratio(tp, len(truth)),
        "misses": [" <-> ".join(text_of[i][:60] for i in sorted(p)) for p in wrong]
        + [f"apart: {' <-> '.join(text_of[i][:60] for i in sorted(p))}" for p in truth - predicted],
    }


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    labels = load_labels()
    store = build_store(tmp_path_factory.mktemp("phrases"), labels)
    yield store, labels
    store.close()


def test_every_letter_is_indexed(labelled):
    store, labels = labelled
    assert store.conn.execute("SELECT count(DISTINCT doc_id) FROM phrase_versions").fetchone()[0] == len(
        labels["letters"]
    )


def test_trace_precision_and_recall(labelled):
    store, labels = labelled
    result = evaluate_trace(store, labels)
    assert result["precision"] >= 0.95, result["misses"]
    assert result["recall"] >= 0.95, result["misses"]


def test_family_precision_and_recall(labelled):
    store, labels = labelled
    result = evaluate_families(store, labels)
    assert result["precision"] >= 0.9, result["misses"]
    assert result["recall"] >= 0.9, result["misses"]


def test_every_formulation_is_a_family_with_its_first_appearance(labelled):
    store, labels = labelled
    dates = {letter["doc"]: letter["date"] for letter in labels["letters"]}
    report = find_phrases(store, min_docs=2, limit=None)
    by_text = {v.text: f for f in report.families for v in f.variants}
    for f in labels["formulations"]:
        family = next((by_text[t] for t in by_text if _same(t, f["query"])), None)
        assert family is not None, f["id"]
        docs = {m["doc"] for m in f["members"]}
        assert docs <= set(family.docs), (f["id"], docs - set(family.docs))
        first = min((dates[d] for d in docs if dates[d]), default=None)
        assert family.first.date == first, f["id"]


def test_negation_dropped_is_flagged_in_the_trace(labelled):
    store, labels = labelled
    f = next(f for f in labels["formulations"] if f["id"] == "zorgen-onvoldoende-weggenomen")
    occs = trace(store, f["query"]).occurrences
    assert occs[0].doc == "2024-10-08_antwoorden"  # first appearance: the earlier answers, not the source
    dropped = next(o for o in occs if o.doc == "2025-03-10_stand_van_zaken")
    assert "negation" in dropped.flags
    assert (-1, "onvoldoende") in [(op, t.strip()) for op, t in dropped.diff]


def test_hard_negatives_are_not_traced(labelled):
    store, labels = labelled
    for f in labels["formulations"]:
        found = trace(store, f["query"]).occurrences
        for neg in f["negatives"]:
            assert not any(_same(o.text, neg["text"]) for o in found), (f["id"], neg["text"])


def main() -> None:
    labels = load_labels()
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(Path(tmp), labels)
        members = sum(len(f["members"]) for f in labels["formulations"])
        negatives = sum(len(f["negatives"]) for f in labels["formulations"])
        print(
            f"labelled set: {len(labels['letters'])} letters, {len(labels['formulations'])} planted formulations "
            f"({members} wordings, {negatives} hard negatives), {len(labels['natural'])} natural families"
        )
        print("| measure | TP | FP | FN | precision | recall |")
        print("|---|---|---|---|---|---|")
        for name, result in (
            ("trace (occurrences)", evaluate_trace(store, labels)),
            ("families (pairs of wordings)", evaluate_families(store, labels)),
        ):
            print(
                f"| {name} | {result['tp']} | {result['fp']} | {result['fn']} "
                f"| {result['precision']:.3f} | {result['recall']:.3f} |"
            )
            for miss in result["misses"]:
                print("   ", miss, file=sys.stderr)
        store.close()


if __name__ == "__main__":
    main()
