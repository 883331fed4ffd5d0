"""The labelled phrase set (``tests/fixtures/phrases``, built by scripts/build_phrase_set.py): letters
that re-use real formulations, with the families and occurrences they should give."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..ingest.pipeline import add_file
from ..store.database import Store, VersionWriter
from .repo import PHRASESET as SET


def load_labels() -> dict:
    """The set's labels: its ``letters`` (file, doc, date) and the formulations they carry."""
    return json.loads((SET / "labels.json").read_text(encoding="utf-8"))


def add_letters(
    store: Store, labels: dict, names: list[str] | None = None, *, writers: Sequence[VersionWriter] | None = None
) -> None:
    """Store the set's letters (or those named) with their labelled dates (``writers`` as for ``add_file``:
    ``()`` stores them unindexed)."""
    for letter in labels["letters"]:
        if names is None or letter["doc"] in names:
            add_file(store, SET / letter["file"], letter["doc"], letter_date=letter["date"], writers=writers)
