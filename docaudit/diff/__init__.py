"""Diffs between two versions of a letter: data first (this package), rendered second (``render``).

>>> d = semantic_diff("Het kabinet zal dit niet doen.", "Het kabinet kan dit doen.")
>>> d.summary_line()
'1 modified (1 negation, 1 modality)'
"""

from .model import Change, Hunk, LineDiff, SemanticDiff, Side, WordDiff
from .texts import diff_texts, line_diff, semantic_diff, word_diff

__all__ = [
    "Change",
    "Hunk",
    "LineDiff",
    "SemanticDiff",
    "Side",
    "WordDiff",
    "diff_texts",
    "line_diff",
    "semantic_diff",
    "word_diff",
]
