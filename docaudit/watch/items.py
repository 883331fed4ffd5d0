"""What checking a source finds, one :class:`Item` per document: shared by the URL and Tweede Kamer checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..read.fetch import Fetched, FetchError
from ..values import now
from .sources import Source

GONE = frozenset({404, 410})


@dataclass
class Item:
    """What checking a source found for one document: bytes to store, or why there are none.

    ``outcome`` is ``fetched``, ``not-modified``, ``gone`` (404/410, or deleted in the API),
    ``skipped`` (nothing to fetch, e.g. an API record without a file) or ``failed``. ``state`` is merged
    into the source's state once the item is recorded without error (ETag, API timestamps).
    """

    source_id: str
    doc_id: str | None
    url: str
    outcome: str
    started_at: str = field(default_factory=now)
    status: int | None = None
    fetched: Fetched | None = None
    error: str | None = None
    attempts: int = 0
    duration: float = 0.0
    title: str | None = None
    filename: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    default_date: tuple[str, str] | None = None
    stamp: str | None = None  # the API's ApiGewijzigdOp (Tweede Kamer OData sources)
    position: int | None = None  # the SyncFeed skiptoken of this entry (tk:feed)
    resume_from: int | None = None  # the skiptoken to read this entry again from
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def failure(cls, source: Source, exc: BaseException, *, url: str = "", doc_id: str | None = None) -> Item:
        item = cls(source.id, doc_id if doc_id is not None else source.doc_id, url or source.spec, "failed")
        item.error = str(exc) or type(exc).__name__
        if isinstance(exc, FetchError):
            item.status, item.attempts = exc.status, exc.attempts
        return item
