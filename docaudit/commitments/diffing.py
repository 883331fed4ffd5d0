"""Commitment events between two versions: what the diff of a version shows first."""

from __future__ import annotations

from collections.abc import Sequence

from ..meaning.deadline import iso_day
from ..meaning.promise import find_commitments
from ..text.segment import Sentence
from .history import Found, letter_threads

# the order a reader needs them in: what a watchdog reports first
ORDER = ("reversed", "weakened", "dropped", "postponed", "made", "brought forward", "strengthened")


def commitment_events(
    old: Sequence[Sentence], new: Sequence[Sentence], old_date: str | None = None, new_date: str | None = None
) -> list[dict[str, str | None]]:
    """What happened to the promises from ``old`` to ``new`` (their sentences), most telling first:
    ``{"event", "detail", "old_text", "new_text"}`` (``old_text`` None for a promise made in ``new``,
    ``new_text`` None for one dropped)."""
    when_old, when_new = iso_day(old_date), iso_day(new_date) or iso_day(old_date)
    before = [Found("old", 1, old_date, c) for c in find_commitments(old, when_old)]
    after = [Found("new", 2, new_date, c) for c in find_commitments(new, when_new)]
    if not before and not after:
        return []
    out = []
    for thread in letter_threads([(1, old_date, before), (2, new_date, after)]):
        old_text = thread.origin.commitment.text if thread.origin.version == 1 else None
        new_text = None if thread.gone or thread.current.version != 2 else thread.current.commitment.text
        for e in thread.history:
            if e.version == 2:
                out.append({"event": e.event, "detail": e.detail, "old_text": old_text, "new_text": new_text})
    out.sort(key=lambda e: ORDER.index(e["event"]) if e["event"] in ORDER else len(ORDER))
    return out
