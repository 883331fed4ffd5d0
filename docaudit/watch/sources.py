"""Tracked sources: what ``docaudit run`` checks, kept in the ``sources`` table.

A source is one of

- ``url``: any http(s) URL (a web page, a .docx, a .pdf); its versions go to one document;
- ``tk-document``: ``tk:2024D46963``, one document of the Tweede Kamer open-data API;
- ``tk-dossier``: ``tk:dossier/32317``, every document of a kamerstukdossier (each its own document);
- ``tk-query``: ``tk:query/<OData $filter>``, every document the filter selects.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import DocauditError, NotFound
from ..store.database import Store
from ..values import did_you_mean, hide_secrets, now, public_url, validate_doc_id

KINDS = ("url", "feed", "tk-document", "tk-dossier", "tk-query", "tk-feed")
COLLECTIONS = ("feed", "tk-dossier", "tk-query", "tk-feed")
FEED_FILTERS = ("soort", "dossier")
_DOCNUMMER = re.compile(r"^\d{4}D\d{5}$", re.I)


@dataclass
class Source:
    """One row of ``sources``: what to check, and what the last checks found."""

    id: str
    kind: str
    target: str
    doc_id: str | None = None
    name: str | None = None
    since: str | None = None
    origin: str = "cli"
    active: bool = True
    added_at: str = ""
    state: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    last_check: str | None = None
    last_change: str | None = None
    last_error: str | None = None
    failures: int = 0

    @property
    def spec(self) -> str:
        """The source as the user wrote it (``https://…``, ``tk:2024D46963``, ``tk:dossier/32317``)."""
        if self.kind == "url":
            return self.target
        if self.kind == "feed":
            return f"feed:{self.target}"
        if self.kind == "tk-feed":
            return "tk:feed" + (f"?{self.target}" if self.target else "")
        return {"tk-document": "tk:", "tk-dossier": "tk:dossier/", "tk-query": "tk:query/"}[self.kind] + self.target

    @property
    def display(self) -> str:
        """The source as it may be printed or published: credentials and secret query values redacted."""
        if self.kind == "feed":
            return f"feed:{public_url(self.target)}"
        return public_url(self.spec) if self.kind == "url" else self.spec  # type: ignore[return-value]

    @property
    def collection(self) -> bool:
        return self.kind in COLLECTIONS

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Source:
        data = dict(row)
        data["state"] = json.loads(data["state"] or "{}")
        data["active"] = bool(data["active"])
        return cls(**data)

    @property
    def cursor(self) -> str | None:
        """How the source keeps its place between runs (``ApiGewijzigdOp ≥ … − 1 h``, ``skiptoken 2001``,
        ``ETag "…"``), or None before its first check."""
        state = self.state
        if self.kind in ("tk-document", "tk-dossier", "tk-query"):
            from .tkschema import describe_cursor

            return describe_cursor(state)
        if self.kind == "tk-feed":
            return f"SyncFeed skiptoken {state['skiptoken']}" if state.get("skiptoken") is not None else None
        if state.get("etag"):
            return f"ETag {state['etag']}"
        if state.get("last_modified"):
            return f"Last-Modified {state['last_modified']}"
        return None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cursor"] = self.cursor
        out["source"] = self.display
        if self.kind in ("url", "feed"):
            out["target"] = public_url(self.target)
        out["last_error"] = hide_secrets(self.last_error, self.target if self.kind in ("url", "feed") else None)
        out.pop("state")
        return out


def parse_source(spec: str, *, doc: str | None = None, since: str | None = None) -> Source:
    """Turn what the user typed into a :class:`Source` (not yet stored). Raises DocauditError when unusable."""
    spec = spec.strip()
    if spec.startswith(("http://", "https://")):
        parts = urlsplit(spec)
        if not parts.netloc:
            raise DocauditError(f"not a usable URL: {spec!r}")
        doc_id = validate_doc_id(doc or _doc_from_url(spec))
        return Source(id=doc_id, kind="url", target=spec, doc_id=doc_id, since=since)
    if spec.startswith("feed:"):
        url = spec.removeprefix("feed:").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DocauditError(f"not a feed URL: {url!r} (feed:https://…/rss.xml)")
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
        host = re.sub(r"[^\w.-]+", "-", parts.hostname or "feed")
        source_id = validate_doc_id(doc or f"feed-{host}-{digest}")
        return Source(id=source_id, kind="feed", target=url, since=since)
    if spec.startswith("tk:"):
        rest = spec[3:].strip()
        if rest == "feed" or rest.startswith("feed?"):
            target = rest.removeprefix("feed").removeprefix("?").strip()
            parse_feed_filter(target)
            digest = hashlib.sha256(target.encode("utf-8")).hexdigest()[:10] if target else "all"
            source_id = validate_doc_id(doc or f"tk-feed-{digest}")
            return Source(id=source_id, kind="tk-feed", target=target, since=since)
        if rest.startswith("dossier/"):
            number = rest.removeprefix("dossier/").strip()
            if not re.fullmatch(r"\d{1,6}(?:-[A-Za-z0-9]{1,10})?", number):
                raise DocauditError(f"not a kamerstukdossier number: {number!r} (e.g. tk:dossier/32317)")
            source_id = validate_doc_id(doc or f"tk-dossier-{number}")
            return Source(id=source_id, kind="tk-dossier", target=number, since=since)
        if rest.startswith("query/"):
            query = rest.removeprefix("query/").strip()
            if not query:
                raise DocauditError("empty OData filter (e.g. tk:query/Soort eq 'Brief regering')")
            digest = hashlib.sha256(query.encode("utf-8")).hexdigest()[:10]
            source_id = validate_doc_id(doc or f"tk-query-{digest}")
            return Source(id=source_id, kind="tk-query", target=query, since=since)
        if not _DOCNUMMER.match(rest):
            raise DocauditError(
                f"not a Tweede Kamer document number: {rest!r} "
                "(use tk:2024D46963, tk:dossier/32317, tk:query/… or tk:feed)"
            )
        number = rest.upper()
        doc_id = validate_doc_id(doc or number)
        return Source(id=doc_id, kind="tk-document", target=number, doc_id=doc_id, since=since)
    raise DocauditError(
        f"unknown source {spec!r}: use an http(s) URL, tk:2024D46963, tk:dossier/N[-TOEVOEGING], tk:query/… or tk:feed"
    )


def parse_feed_filter(target: str) -> dict[str, list[str]]:
    """``soort=Brief regering&dossier=36800-XV`` → ``{"soort": [...], "dossier": [...]}``; unknown keys refused."""
    out: dict[str, list[str]] = {}
    for key, value in parse_qsl(target, keep_blank_values=True):
        key = key.strip().lower()
        if key not in FEED_FILTERS:
            raise DocauditError(f"tk:feed filters on {' and '.join(FEED_FILTERS)}, not {key!r}")
        if not value.strip():
            raise DocauditError(f"tk:feed: {key}= needs a value")
        out.setdefault(key, []).append(value.strip())
    for dossier in out.get("dossier", []):
        number, _, _suffix = dossier.partition("-")
        if not number.isdigit():
            raise DocauditError(f"tk:feed: not a kamerstukdossier number: {dossier!r} (e.g. dossier=36800-XV)")
    return out


def _doc_from_url(url: str) -> str:
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else ""
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    return stem or parts.hostname or "source"


def track(
    store: Store,
    spec: str,
    *,
    doc: str | None = None,
    name: str | None = None,
    since: str | None = None,
    origin: str = "cli",
) -> Source:
    """Add a source (or re-activate and update it when the same id is tracked again)."""
    source = parse_source(spec, doc=doc, since=since)
    source.name, source.origin = name, origin
    with store.transaction():
        row = store.conn.execute("SELECT * FROM sources WHERE id = ?", (source.id,)).fetchone()
        if row is not None:
            old = Source.from_row(row)
            if old.active and (old.kind, old.target) != (source.kind, source.target):
                raise DocauditError(f"{source.id} already tracks {old.spec}; untrack it first or choose another --doc")
            state = old.state if (old.kind, old.target) == (source.kind, source.target) else {}
            store.conn.execute(
                "UPDATE sources SET kind = ?, target = ?, doc_id = ?, name = ?, since = ?, origin = ?, active = 1,"
                " state = ? WHERE id = ?",
                (
                    source.kind,
                    source.target,
                    source.doc_id,
                    name or old.name,
                    since or old.since,
                    origin,
                    json.dumps(state),
                    source.id,
                ),
            )
        else:
            store.conn.execute(
                "INSERT INTO sources (id, kind, target, doc_id, name, since, origin, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (source.id, source.kind, source.target, source.doc_id, name, since, origin, now()),
            )
    return get_source(store, source.id)


def untrack(store: Store, source_id: str) -> Source:
    """Stop checking a source. Its documents, versions and fetch history stay."""
    source = get_source(store, source_id)
    with store.transaction():
        store.conn.execute("UPDATE sources SET active = 0 WHERE id = ?", (source_id,))
    source.active = False
    return source


def get_source(store: Store, source_id: str) -> Source:
    row = store.conn.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM sources WHERE active = 1")]
        raise NotFound(f"no tracked source {source_id!r}{did_you_mean(source_id, ids)}")
    return Source.from_row(row)


def list_sources(store: Store, *, include_inactive: bool = False) -> list[Source]:
    where = "" if include_inactive else "WHERE active = 1"
    rows = store.conn.execute(f"SELECT * FROM sources {where} ORDER BY id").fetchall()
    return [Source.from_row(r) for r in rows]
