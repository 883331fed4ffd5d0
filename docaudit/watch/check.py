"""Checking a source: network only, no database. Runs in worker threads; the run records the results.

A check never raises: whatever goes wrong becomes a ``failed`` :class:`Item`, so one bad source cannot
stop the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import DocauditError
from ..read.fetch import Fetcher, FetchError
from .items import GONE, Item
from .sources import Source
from .tk import ServiceMoved
from .tkschema import Schema


@dataclass
class Check:
    """All items one source produced in this run; ``error`` when the source as a whole failed."""

    source: Source
    items: list[Item]
    error: str | None = None
    duration: float = 0.0
    read_to: int | None = None  # tk:feed: the skiptoken the check read up to
    moved: bool = False  # the service answered as a moved one does (a setting to fix, not an outage)
    schema: Schema | None = None  # tk: OData sources: the schema the check read records with


def check_source(
    source: Source,
    fetcher: Fetcher,
    *,
    tk_schema: Schema | Exception | None = None,
    tk_feed: str | None = None,
    known: dict[str, dict[str, Any]] | None = None,
    refetch: bool = False,
    feed_items: int | None = None,
) -> Check:
    """Check one source; ``known`` maps document ids to the API fields of their stored latest version
    (Tweede Kamer sources skip the records whose file they already have). ``tk_schema`` is the OData
    service's schema as the run read it, or why it could not be read."""
    started = time.monotonic()
    read_to = None
    schema = tk_schema if isinstance(tk_schema, Schema) else None
    try:
        if source.kind == "url":
            items = [check_url(source, fetcher, refetch=refetch)]
        elif source.kind == "feed":
            from .feeds import FEED_ITEMS, check_feed_source

            items = check_feed_source(source, fetcher, limit=feed_items or FEED_ITEMS)
        elif source.kind == "tk-feed":
            from .tkfeed import DEFAULT_FEED, check_feed

            items, read_to = check_feed(source, fetcher, feed=tk_feed or DEFAULT_FEED, schema=schema, known=known or {})
        else:
            from .tk import check_tk

            if schema is None:
                raise tk_schema if isinstance(tk_schema, Exception) else DocauditError("no OData schema was read")
            items = check_tk(source, fetcher, schema=schema, known=known or {})
        error = None
    except Exception as exc:  # a check must never take the run down with it
        items, error = [Item.failure(source, exc)], str(exc) or type(exc).__name__
        moved = isinstance(exc, ServiceMoved)
    else:
        moved = False
    return Check(source, items, error, time.monotonic() - started, read_to, moved, schema)


def check_url(source: Source, fetcher: Fetcher, *, refetch: bool = False) -> Item:
    """Conditional GET of a URL source (ETag / Last-Modified remembered from the last good fetch; none with
    ``refetch``: a change within the second of a 1-second Last-Modified is then seen too)."""
    item = Item(source.id, source.doc_id, source.target, "fetched")
    started = time.monotonic()
    state = {} if refetch else source.state
    try:
        fetched = fetcher.get(source.target, etag=state.get("etag"), last_modified=state.get("last_modified"))
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
