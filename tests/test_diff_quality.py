"""The labelled diff set (built by scripts/build_diffset.py): planted edits in real letters, .docx and .pdf.

Every planted edit must be found with the right kind (and, for modified sentences, exactly the right
flags); cosmetic-only pairs must have no substantive change (exit status 0). The precision/recall
table in the docs comes from ``python -m docaudit.testing.diffset``.
"""

from __future__ import annotations

import pytest

from docaudit.testing.diffset import Score, labels, pair_id, semantic

LABELS = labels()


@pytest.mark.parametrize("pair", LABELS["planted"], ids=pair_id)
def test_every_planted_edit_is_found_with_its_kind_and_flags(pair):
    score = Score()
    score.add(pair, semantic(pair["old"], pair["new"]))
    assert score.misses == []
    assert score.found == score.planted


@pytest.mark.parametrize("pair", LABELS["planted"], ids=pair_id)
def test_nothing_but_the_planted_edits_is_reported(pair):
    score = Score()
    score.add(pair, semantic(pair["old"], pair["new"]))
    assert score.false == []


@pytest.mark.parametrize("pair", LABELS["cosmetic"], ids=pair_id)
def test_cosmetic_only_pairs_have_no_substantive_change(pair):
    diff = semantic(pair["old"], pair["new"])
    assert [c for c in diff.changes if c.level == "substantive"] == []
    assert diff.summary_line().startswith("no substantive changes")
    assert not diff.substantive


def test_layout_noise_is_seen_and_named():
    """The noise pairs really differ: letterhead, mojibake and emphasis are found and named as such."""
    layout = semantic("2023Z08511.docx", "diffset/2023Z08511_layout.pdf")
    assert {"letterhead"} <= {r for c in layout.changes for r in c.reasons}
    mojibake = semantic("2024D46963.docx", "diffset/2024D46963_mojibake.txt")
    assert len(mojibake.changes) > 5
    assert all(c.level == "cosmetic" and "encoding repaired" in c.reasons for c in mojibake.changes)
    emphasis = semantic("2023Z08511.pdf", "diffset/2023Z08511_emphasis.txt")
    assert "emphasis" in {r for c in emphasis.changes for r in c.reasons}


def test_typography_pairs_are_not_empty_diffs():
    """The cosmetic pairs really differ: the diff sees the changes and calls them cosmetic."""
    diff = semantic("2024D46963.docx", "diffset/2024D46963_typography.docx")
    reasons = {r for c in diff.changes for r in c.reasons}
    assert {"quotes and dashes", "case", "number spacing", "hyphenation"} <= reasons
