"""Checking a source (network only, no database; in worker threads, the run records the results), and the kinds
of source ``docaudit run`` checks, each one object behind one small protocol.

A check never raises: whatever goes wrong becomes a ``failed`` :class:`Item`, so one bad source cannot stop
the others. A kind says whether it needs the OData service's schema, checks a source (network only: the items it
found, and how far it read), and advances the source's state after its items are recorded (cursors,
skiptokens, the feed items seen). The run has one loop over sources and asks each source's kind; a new
kind of source is one more object in :data:`KINDS`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from ..errors import DocauditError
from ..read.fetch import Fetcher, FetchError
from .items import GONE, Item
from .sources import Source
from .tk import ServiceMoved
from .tkschema import Schema


@dataclass
class CheckContext:
    """What every check of one run shares: the fetcher, the OData schema the run read (or why it could not),
    the SyncFeed's address, the API fields of the stored latest versions, and the run's settings for feeds."""

    fetcher: Fetcher
    schema: Schema | Exception | None = None
    tk_feed: str | None = None
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    refetch: bool = False
    feed_items: int | None = None


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


class SourceKind(Protocol):
    """One kind of source (:data:`KINDS` maps each ``Source.kind`` to its object)."""

    def needs_odata(self, source: Source) -> bool:
        """Whether checking ``source`` needs the OData service's ``$metadata`` (read once per run)."""
        ...

    def check(self, source: Source, ctx: CheckContext) -> tuple[list[Item], int | None]:
        """The items ``source`` has now, and how far it was read (a SyncFeed skiptoken), or an exception."""
        ...

    def advance(self, state: dict[str, Any], check: Check) -> dict[str, Any]:
        """The source's state after ``check``'s items were recorded."""
        ...


class UrlKind:
    """A web page or document file: a conditional GET (ETag / Last-Modified from the last good fetch)."""

    def needs_odata(self, source: Source) -> bool:
        return False

    def check(self, source: Source, ctx: CheckContext) -> tuple[list[Item], int | None]:
        return [check_url(source, ctx.fetcher, refetch=ctx.refetch)], None

    def advance(self, state: dict[str, Any], check: Check) -> dict[str, Any]:
        return state  # the validators are kept with each stored fetch, in the version's transaction


class FeedKind:
    """An RSS or Atom feed: the documents of its new or updated items."""

    def needs_odata(self, source: Source) -> bool:
        return False

    def check(self, source: Source, ctx: CheckContext) -> tuple[list[Item], int | None]:
        from .feeds import FEED_ITEMS, check_feed_source

        return check_feed_source(source, ctx.fetcher, limit=ctx.feed_items or FEED_ITEMS), None

    def advance(self, state: dict[str, Any], check: Check) -> dict[str, Any]:
        from .feeds import advance_state

        return advance_state(state, check.items)


class ODataKind:
    """``tk:`` documents, dossiers and queries, read from the Tweede Kamer's OData service."""

    def needs_odata(self, source: Source) -> bool:
        return True

    def check(self, source: Source, ctx: CheckContext) -> tuple[list[Item], int | None]:
        from .tk import check_tk

        if not isinstance(ctx.schema, Schema):
            raise ctx.schema if isinstance(ctx.schema, Exception) else DocauditError("no OData schema was read")
        return check_tk(source, ctx.fetcher, schema=ctx.schema, known=ctx.known), None

    def advance(self, state: dict[str, Any], check: Check) -> dict[str, Any]:
        from .tk import advance_state

        return advance_state(state, check.items, check.schema)


class TkFeedKind:
    """``tk:feed``: the Tweede Kamer's SyncFeed, every change in order from the last skiptoken."""

    def needs_odata(self, source: Source) -> bool:
        return "dossier=" in source.target and not source.state.get("dossier_ids")  # dossier ids, looked up once

    def check(self, source: Source, ctx: CheckContext) -> tuple[list[Item], int | None]:
        from .tkfeed import DEFAULT_FEED, check_feed

        schema = ctx.schema if isinstance(ctx.schema, Schema) else None
        return check_feed(source, ctx.fetcher, feed=ctx.tk_feed or DEFAULT_FEED, schema=schema, known=ctx.known)

    def advance(self, state: dict[str, Any], check: Check) -> dict[str, Any]:
        from .tkfeed import advance_state

        state = advance_state(state, check.items, check.read_to)
        if check.source.state.get("dossier_ids"):
            state["dossier_ids"] = check.source.state["dossier_ids"]
        return state


KINDS: dict[str, SourceKind] = {
    "url": UrlKind(),
    "feed": FeedKind(),
    "tk-document": ODataKind(),
    "tk-dossier": ODataKind(),
    "tk-query": ODataKind(),
    "tk-feed": TkFeedKind(),
}


def kind_of(source: Source) -> SourceKind:
    """The object that knows how to check ``source``."""
    try:
        return KINDS[source.kind]
    except KeyError:
        raise DocauditError(f"source {source.id}: unknown kind {source.kind!r}") from None


def check_source(source: Source, ctx: CheckContext) -> Check:
    """Check one source with what the run shares (``ctx``); never raises."""
    started = time.monotonic()
    read_to, error, moved = None, None, False
    try:
        items, read_to = kind_of(source).check(source, ctx)
    except Exception as exc:  # a check must never take the run down with it
        items, error = [Item.failure(source, exc)], str(exc) or type(exc).__name__
        moved = isinstance(exc, ServiceMoved)
    schema = ctx.schema if isinstance(ctx.schema, Schema) else None
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
