"""The semantic diff shown in place (``docaudit.diff.inplace``), checked on every pair of the labelled diff
set (real letters as .docx and .pdf with planted edits, moves included): the new text comes back whole and
in order, and every change is placed exactly once (moved text twice: where it went and where it came from).
"""

from __future__ import annotations

from collections import Counter

import pytest

from docaudit.diff import semantic_diff
from docaudit.diff.inplace import in_place
from docaudit.testing import letters
from docaudit.testing.diffset import labels, pair_id, semantic
from docaudit.testing.inplace import placement_problems

LABELS = labels()

PAIRS = LABELS["planted"] + LABELS["cosmetic"]


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_changes_are_placed_once_and_the_new_text_comes_back_whole(pair):
    diff = semantic(pair["old"], pair["new"])
    assert placement_problems(diff, in_place(diff)) == []


def test_the_set_has_moves_and_deletions_to_place():
    kinds = Counter(c.kind for pair in LABELS["planted"] for c in semantic(pair["old"], pair["new"]).changes)
    assert kinds["moved"] >= 3 and kinds["deleted"] >= 3 and kinds["inserted"] >= 3


def test_a_paragraph_that_left_stands_after_the_whole_paragraph_before_it():
    """Found on random edits of a held-out letter: the paragraph before gained a sentence at its end."""
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


def test_in_place_keeps_the_new_text_and_places_what_left():
    d = semantic_diff(letters.V1, letters.V2)
    blocks = in_place(d)
    assert placement_problems(d, blocks) == []
    kinds = {p.kind: (b.side, b.paragraph) for b in blocks for p in b.pieces}
    assert kinds["deleted"] == ("old", 4) and kinds["moved-from"] == ("old", 2)
    assert kinds["moved"] == ("new", 4)


def test_in_place_keeps_a_deleted_sentence_inside_its_paragraph():
    old = "Eerste zin hier. Tweede zin die verdwijnt uit de tekst. Derde zin blijft.\n\nVolgende alinea."
    new = "Eerste zin hier. Derde zin blijft.\n\nVolgende alinea."
    blocks = in_place(semantic_diff(old, new))
    assert [(b.side, [p.kind for p in b.pieces]) for b in blocks] == [
        ("new", ["same", "deleted", "same"]),
        ("new", ["same"]),
    ]
    head = in_place(semantic_diff("Weg ermee vandaag nog. Blijft staan.", "Blijft staan."))
    assert [p.kind for p in head[0].pieces] == ["deleted", "same"]


def test_a_deletion_inside_a_paragraph_never_splits_it_around_an_old_paragraph():
    """Found by hypothesis: an old paragraph and a sentence of a surviving one deleted at the same place."""
    old = "Kabinet. Het het het het.\n\nHet. Het. Het.\n\nHet.\n\nHet.\n\nHet het.\n\nHet. Het. Het."
    new = "Het. Het. Het.\n\nHet.\n\nHet. Het. Het.\n\nKabinet. Het het het het."
    diff = semantic_diff(old, new)
    assert placement_problems(diff, in_place(diff)) == []
