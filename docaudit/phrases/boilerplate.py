"""Boilerplate: salutations, addresses, closing formulas, signatures and letterhead.

They recur in every letter but say nothing. A family is boilerplate when its canonical text matches one
of the patterns of :mod:`docaudit.text.letterparts` (Dutch government letters), or when where it stands says
so: in most of the letters that carry it, it sits in the first or last tenth of the letter and it is short.
"""

from __future__ import annotations

from statistics import median

from ..text.letterparts import kind as rule

EDGE = 0.1  # the first and last tenth of a letter: letterhead and signature
SHORT = 16  # words


def classify(text: str, tokens: int, relative_positions: list[float]) -> str | None:
    """Why a family with this canonical text is boilerplate, or None when it is a formulation.

    ``relative_positions``: for each letter carrying it, where it stands (0 = first sentence, 1 = last).
    """
    found = rule(text)
    if found:
        return found
    if tokens <= SHORT and len(relative_positions) >= 2:
        edge = [p for p in relative_positions if p <= EDGE or p >= 1 - EDGE]
        if len(edge) * 2 > len(relative_positions):
            m = median(relative_positions)
            return "letterhead" if m <= 0.5 else "closing formula"
    return None
