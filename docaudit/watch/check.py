"""Checking a source: network only, no database. Runs in worker threads; the run records the results.

A check never raises: whatever goes wrong becomes a ``failed`` :class:`Item`, so one bad source cannot
stop the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..fetch import Fetched, Fetcher, FetchError
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
    stamp: str | None = None
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def failure(cls, source: Source, exc: BaseException, *, url: str = "", doc_id: str | None = None) -> Item:
        item = cls(source.id, doc_id if doc_id is not None else source.doc_id, url or source.spec, "failed")
        item.error = str(exc) or type(exc).__name__
        if isinstance(exc, FetchError):
            item.status, item.attempts = exc.status, exc.attempts
        return item


@dataclass
class Check:
    """All items one source produced in this run; ``error`` when the source as a whole failed."""

    source: Source
    items: list[Item]
    error: str | None = None
    duration: float = 0.0


def check_source(source: Source, fetcher: Fetcher, *, tk_api: str, known: dict[str, str] | None = None) -> Check:
    """Check one source; ``known`` maps document ids to their stored API timestamps (tk sources)."""
    started = time.monotonic()
    try:
        if source.kind == "url":
            items = [check_url(source, fetcher)]
        else:
            from .tk import check_tk

            items = check_tk(source, fetcher, api=tk_api, known=known or {})
        error = None
    except Exception as exc:  # a check must never take the run down with it
        items, error = [Item.failure(source, exc)], str(exc) or type(exc).__name__
    return Check(source, items, error, time.monotonic() - started)


def check_url(source: Source, fetcher: Fetcher) -> Item:
    """Conditional GET of a URL source (ETag / Last-Modified remembered from the last good fetch)."""
    item = Item(source.id, source.doc_id, source.target, "fetched")
    started = time.monotonic()
    try:
        fetched = fetcher.get(
            source.target, etag=source.state.get("etag"), last_modified=source.state.get("last_modified")
        )
    except FetchError as exc:
        item.duration = time.monotonic() - started
        item.status, item.attempts, item.error = exc.status, exc.attempts, str(exc)
        item.outcome = "gone" if exc.status in GONE else "failed"
        return item
    item.duration = fetched.duration
    item.status, item.attempts, item.fetched = fetched.status, fetched.attempts, fetched
    item.outcome = "not-modified" if fetched.not_modified else "fetched"
    item.filename = _filename(fetched.final_url or source.target)
    item.state = {"etag": fetched.etag, "last_modified": fetched.last_modified}
    if fetched.not_modified:
        # a 304 may omit the validators; keep the ones we sent
        item.state = {k: v for k, v in item.state.items() if v}
    return item


def _filename(url: str) -> str | None:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return unquote(segments[-1])[:200] if segments else None
