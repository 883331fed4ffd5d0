"""A document's history as steps: each stored version and what changed from the one before.

A step keeps what the index, the document page and the timeline show (summary, flags, the flagged
changes as word diffs), small enough to cache between runs so that a nightly report diffs only new pairs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..diff.flags import FLAGS
from ..diff.inplace import numbers
from ..diff.model import SemanticDiff
from ..diff.render import change_words

MAX_FLAGGED = 8  # flagged changes listed per step on the timeline and the document page


@dataclass
class Flagged:
    """A change that may alter meaning, as the timeline lists it."""

    number: int  # its number on the diff page (``#change-N``)
    kind: str
    flags: list[str]
    words: list[tuple[int, str]]


@dataclass
class Step:
    """One version of a document and, from version 2 on, its change from the version before."""

    doc: str
    number: int
    added_at: str
    letter_date: str | None
    format: str
    size: int
    raw_sha256: str
    snapshot_href: str | None = None
    page: str | None = None  # the diff page that ends at this version (a path from the site's top folder)
    summary: str = "first version"
    flags: list[str] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    announced: bool | None = None  # False: a silent revision (see docaudit.ingest.pipeline.announcement)
    announced_by: str | None = None
    link: str | None = None  # its link in the hash chain (docaudit.store.chain)
    link_seq: int | None = None
    sealed_at: str | None = None  # when the first seal covering that link was made (its time-stamp, if any)
    sealed_by: str | None = None  # the time-stamping authority, if any


def summarize(diff: SemanticDiff) -> dict[str, Any]:
    """The cacheable part of a step: summary line, flags, flagged changes."""
    number = numbers(diff)
    flagged = [  # the most severe first (see docaudit.diff.severity)
        Flagged(number[id(c)], c.kind, list(c.flags), change_words(c))
        for c in diff.ranked()
        if c.substantive and c.flags
    ]
    flags = sorted({f for c in flagged for f in c.flags}, key=FLAGS.index)
    return {
        "summary": diff.summary_line(),
        "flags": flags,
        "flagged": [asdict(f) for f in flagged[:MAX_FLAGGED]],
    }


def apply(step: Step, summary: dict[str, Any]) -> Step:
    """Fill a step from :func:`summarize` output (fresh or read back from the cache)."""
    step.summary = summary["summary"]
    step.flags = list(summary["flags"])
    step.flagged = [
        Flagged(f["number"], f["kind"], list(f["flags"]), [(op, text) for op, text in f["words"]])
        for f in summary["flagged"]
    ]
    return step
