"""Why two texts that are equal under the comparison key differ at all: the cosmetic reasons."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text.normalize import (
    fold_number_spacing,
    fold_quotes,
    join_hyphens,
    repair_encoding,
    strip_emphasis,
    strip_list_marker,
)

_WS = re.compile(r"\s+")
_SPACE_PUNCT = re.compile(r"\s+(?=[,.;:!?)])")

# Each fold undoes one kind of cosmetic difference; a reason applies when the texts are equal with all
# folds but not without that one.
FOLDS: list[tuple[str, Callable[[str], str]]] = [
    ("encoding repaired", repair_encoding),
    ("whitespace", lambda t: _SPACE_PUNCT.sub("", _WS.sub(" ", t)).strip()),
    ("quotes and dashes", lambda t: fold_quotes(t).replace('"', "'")),
    ("number spacing", fold_number_spacing),
    ("emphasis", strip_emphasis),
    ("list numbering", strip_list_marker),
    ("hyphenation", join_hyphens),
    ("case", str.casefold),
]


def _apply(text: str, skip: str | None = None) -> str:
    for name, fold in FOLDS:
        if name != skip:
            text = fold(text)
    return text


def reasons(old: str, new: str) -> list[str]:
    """The kinds of cosmetic difference between ``old`` and ``new`` (empty when they are identical)."""
    if old == new:
        return []
    if _apply(old) != _apply(new):
        return ["sentence boundaries"] if _WS.sub("", old) == _WS.sub("", new) else []
    found = [name for name, _ in FOLDS if _apply(old, skip=name) != _apply(new, skip=name)]
    return found or ["whitespace"]
