"""An RSS or Atom feed as a source (``feed:https://…/rss.xml``): every document the feed links to is followed,
with the item's title and date (diffengine's model; ministries publish their new documents this way).

Each check fetches the feed conditionally, and of its items takes on those it has not seen, or that were
updated since, at most ``feed_items`` per run (oldest first: the rest waits for the next run). Each item's
link is fetched and stored as a document of its own, its id the link's file name (``kamerbrief-x.pdf`` →
``kamerbrief-x``), else a short hash of the item's id. A link from a public feed into loopback, link-local
or private addresses is refused, as a redirect would be.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import DocauditError
from ..read.fetch import Fetcher, address_kind
from ..values import one_line, validate_doc_id
from .items import Item
from .sources import Source
from .tk import download

FEED_ITEMS = 20


def item_doc_id(link: str, key: str) -> str:
    """The document id of a feed item: its link's file name without extension, else ``feed-<hash>``."""
    segments = [unquote(s) for s in urlsplit(link).path.split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else ""
    stem = re.sub(r"[^\w.\-]+", "-", stem).strip("-.")[:120]
    if stem and re.match(r"\w", stem):
        return validate_doc_id(stem)
    return "feed-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _parsed(entry: Any, *keys: str) -> Any:
    present = set(entry.keys())  # feedparser warns when a missing key is read through its alias
    return next((entry[k] for k in keys if k in present and entry[k]), None)


def _when(entry: Any) -> str | None:
    parsed = _parsed(entry, "updated_parsed", "published_parsed")
    return datetime(*parsed[:6], tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if parsed else None


def _day(entry: Any) -> str | None:
    parsed = _parsed(entry, "published_parsed", "updated_parsed")
    return datetime(*parsed[:3]).date().isoformat() if parsed else None


def check_feed_source(source: Source, fetcher: Fetcher, *, limit: int = FEED_ITEMS) -> list[Item]:
    """Fetch the feed; fetch the documents of its new or updated items (at most ``limit``)."""
    import feedparser

    state = source.state
    fetched = fetcher.get(
        source.target,
        etag=state.get("etag"),
        last_modified=state.get("last_modified"),
        accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    )
    if fetched.not_modified:
        return [Item(source.id, None, source.target, "not-modified", status=304, attempts=fetched.attempts)]
    parsed = feedparser.parse(fetched.data)
    if not parsed.get("version") or (parsed.bozo and not parsed.entries):
        why = type(parsed.get("bozo_exception")).__name__ if parsed.bozo else "no rss or feed element"
        raise DocauditError(f"not an RSS or Atom feed ({why})")
    seen: dict[str, str] = state.get("items") or {}
    base = fetched.final_url or source.target
    fresh = []
    for entry in parsed.entries:
        link = entry.get("link")
        key = entry.get("id") or link
        if not link or not key:
            continue
        stamp = _when(entry) or "-"
        if seen.get(key) == stamp:
            continue
        fresh.append((stamp, key, urljoin(base, link), entry))
    fresh.sort(key=lambda f: f[0])  # oldest first: a backlog is taken on in order
    items = []
    for stamp, key, link, entry in fresh[:limit]:
        doc_id = item_doc_id(link, key)
        item = Item(source.id, doc_id, link, "fetched", stamp=stamp)
        item.title = one_line(entry.get("title"))
        item.meta = {"feed": source.target, "feed_item": key, "feed_updated": stamp}
        if day := _day(entry):
            item.default_date = (day, "feed")
        _download(fetcher, item, source.target)
        items.append(item)
    validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
    if len(fresh) > limit:  # items wait for the next run: the feed must not answer 304 to it
        validators = {}
    for item in items:
        item.state = {k: v for k, v in validators.items() if v}
    if not items:
        items.append(Item(source.id, None, source.target, "not-modified", status=200, attempts=1))
        items[0].state = {k: v for k, v in validators.items() if v}
    return items


def _download(fetcher: Fetcher, item: Item, feed: str) -> None:
    link_kind, feed_kind = address_kind(urlsplit(item.url).hostname or ""), address_kind(urlsplit(feed).hostname or "")
    same_origin = urlsplit(item.url)[:2] == urlsplit(feed)[:2]
    if (
        not same_origin
        and not fetcher.settings.allow_private_redirects
        and (link_kind in ("loopback", "link-local") or (link_kind == "private" and feed_kind == "public"))
    ):
        item.outcome = "failed"
        item.error = (
            f"the feed links to a {link_kind} address ({urlsplit(item.url).hostname}): refused; "
            "allow it with [run] allow_private_redirects = true"
        )
        return
    download(fetcher, item, None)
    if item.fetched is None:
        return
    segments = [s for s in urlsplit(item.fetched.final_url or item.url).path.split("/") if s]
    item.filename = unquote(segments[-1])[:200] if segments else None


def advance_state(state: dict[str, Any], items: list[Item]) -> dict[str, Any]:
    """Remember the items handled (a failed one is taken on again next run) and the feed's validators, unless
    an item failed (the feed must then be fetched whole again)."""
    state = dict(state)
    seen = dict(state.get("items") or {})
    failed = False
    for item in items:
        key = item.meta.get("feed_item")
        if item.outcome == "failed":
            failed = True
        elif key:
            seen[key] = item.meta.get("feed_updated", "-")
    state["items"] = seen
    validators = next((i.state for i in items if i.state), {})
    if failed or not validators:  # fetch the whole feed next run
        state.pop("etag", None)
        state.pop("last_modified", None)
    else:
        state.update(validators)
    return state
