"""The semantic diff shown in place (``docaudit.diff.inplace``), checked on every pair of the labelled diff
set (real letters as .docx and .pdf with planted edits, moves included): the new text comes back whole and
in order, and every change is placed exactly once (moved text twice: where it went and where it came from).
"""

from __future__ import annotations

from collections import Counter

import pytest
from test_diff_quality import LABELS, _id, semantic

from docaudit.diff.inplace import in_place

PAIRS = LABELS["planted"] + LABELS["cosmetic"]


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_changes_are_placed_once_and_the_new_text_comes_back_whole(pair):
    diff = semantic(pair["old"], pair["new"])
    blocks = in_place(diff)
    kept = [p.text for b in blocks for p in b.pieces if p.kind not in ("deleted", "moved-from")]
    assert " ".join(kept).split() == " ".join(s.text for s in diff.texts[1]).split()
    new_paragraphs = [b.paragraph for b in blocks if b.side == "new"]
    assert new_paragraphs == sorted(set(new_paragraphs))  # each paragraph once, in reading order
    placed = Counter((p.number, p.kind) for b in blocks for p in b.pieces if p.number is not None)
    substantive = [c for c in diff.changes if c.substantive]
    expected = Counter()
    for n, c in enumerate(substantive, start=1):
        expected[(n, c.kind)] += 1
        if c.kind == "moved":
            expected[(n, "moved-from")] += 1
    assert placed == expected
    for b in blocks:  # what only the old version had sits in blocks of its own or inside a kept paragraph
        if b.side == "old":
            assert {p.kind for p in b.pieces} <= {"deleted", "moved-from"}


def test_the_set_has_moves_and_deletions_to_place():
    kinds = Counter(c.kind for pair in LABELS["planted"] for c in semantic(pair["old"], pair["new"]).changes)
    assert kinds["moved"] >= 3 and kinds["deleted"] >= 3 and kinds["inserted"] >= 3


def test_a_paragraph_that_left_stands_after_the_whole_paragraph_before_it():
    """Found on random edits of a held-out letter: the paragraph before gained a sentence at its end."""
    from docaudit.diff import semantic_diff

    old = (
        "Boeven zijn slim en vinden altijd een weg. De aanname dat er geen uitweg is, klopt niet.\n\n"
        "Daders en mogelijke daders verdwijnen zo naar andere kanalen buiten het zicht.\n\n"
        "De keuze voor veilige communicatie is een keuze voor iedereen in dit land.\n\n"
        "Slotalinea met een laatste gedachte over de toekomst van het internet."
    )
    new = (
        "Boeven zijn slim en vinden altijd een weg. De aanname dat er geen uitweg is, klopt niet. "
        "Dit resulteert in een situatie waarvan niemand beter wordt.\n\n"
        "De keuze voor veilige communicatie is een keuze voor iedereen in dit land.\n\n"
        "Slotalinea met een laatste gedachte over de toekomst van het internet.\n\n"
        "Daders en mogelijke daders verdwijnen zo naar andere kanalen buiten het zicht."
    )
    diff = semantic_diff(old, new)
    assert sorted(c.kind for c in diff.changes) == ["inserted", "moved"]
    blocks = [(b.side, b.paragraph, [p.kind for p in b.pieces]) for b in in_place(diff)]
    assert blocks == [
        ("new", 0, ["same", "same", "inserted"]),
        ("old", 1, ["moved-from"]),
        ("new", 1, ["same"]),
        ("new", 2, ["same"]),
        ("new", 3, ["moved"]),
    ]
