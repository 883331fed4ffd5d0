"""An Atom feed (RFC 4287) of stored versions, newest first: one entry per version.

Entry ids are ``urn:uuid:`` values derived from the database's own instance id and the version, so
they stay the same every time the feed is rewritten and differ between two watch folders. Written with
the standard library's ElementTree (the format is small; feedgen would add lxml for nothing).
"""

from __future__ import annotations

import html
import json
import os
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from ..diff.render import change_words, commitment_line
from ..diff.words import excerpt
from ..store.database import Store, Version
from ..store.snapshots import atomic_write
from ..values import now, public_url
from ..version import __version__

ATOM = "http://www.w3.org/2005/Atom"
_NS = uuid.UUID("6f1d7c1e-3b8e-4c55-9d3e-5b0f6f0d2a11")
MAX_FLAGGED = 10


def instance_id(store: Store) -> str:
    row = store.conn.execute("SELECT value FROM settings WHERE key = 'instance_id'").fetchone()
    return row[0] if row else "docaudit"


def build_feed(
    store: Store,
    *,
    limit: int = 50,
    title: str | None = None,
    self_url: str | None = None,
    doc: str | None = None,
) -> bytes:
    """The feed as UTF-8 XML bytes."""
    from ..changes.compare import compare_versions

    ET.register_namespace("", ATOM)
    instance = instance_id(store)
    where, params = ("WHERE doc_id = ?", [doc]) if doc else ("", [])
    rows = store.conn.execute(
        f"SELECT * FROM versions {where} ORDER BY added_at DESC, id DESC LIMIT ?", [*params, limit]
    ).fetchall()
    versions = [Version.from_row(r) for r in rows]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:uuid:{uuid.uuid5(_NS, instance)}")
    _sub(feed, "title", title or "docaudit: changes in tracked letters")
    _sub(feed, "updated", versions[0].added_at if versions else now())
    author = _sub(feed, "author")
    _sub(author, "name", "docaudit")
    gen = _sub(feed, "generator", "docaudit")
    gen.set("version", __version__)
    if self_url:
        _link(feed, self_url, "self", "application/atom+xml")
    for v in versions:
        feed.append(_entry(store, v, instance, compare_versions))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def write_feed(store: Store, path: str | os.PathLike[str], **options) -> Path:
    """Write the feed atomically (a reader never sees half a file)."""
    target = Path(path)
    atomic_write(target, build_feed(store, **options))
    return target


def _entry(store: Store, v: Version, instance: str, compare_versions) -> ET.Element:
    doc_title = store.document_title(v.doc_id) or v.doc_id
    entry = ET.Element(f"{{{ATOM}}}entry")
    _sub(entry, "id", f"urn:uuid:{uuid.uuid5(_NS, f'{instance}/{v.doc_id}/{v.number}/{v.raw_sha256}')}")
    url = public_url(v.meta.get("url"))
    if url:
        _link(entry, url, "alternate", None)
    _sub(entry, "published", v.added_at)
    _sub(entry, "updated", v.added_at)
    if v.number == 1:
        _sub(entry, "title", f"New: {doc_title} ({v.ref})")
        _category(entry, "new-document")
        summary = f"First version of {v.doc_id} stored" + (f", dated {v.letter_date}" if v.letter_date else "") + "."
        _sub(entry, "summary", summary)
        _content(entry, f"<p>{html.escape(summary)}</p>")
        return entry
    previous = f"{v.doc_id}@{v.number - 1}"
    back = store.reverted_to(v)
    what = f"Reverted to @{back}" if back else "Changed silently" if v.silent else "Changed"
    _sub(entry, "title", f"{what}: {doc_title} ({previous} → {v.ref})")
    if v.silent:
        _category(entry, "silent-revision")
    if back:
        _category(entry, "revert")
    try:
        diff = compare_versions(store, previous, v.ref)
    except Exception as exc:  # one bad version must not take the whole feed down
        _sub(entry, "summary", f"{previous} → {v.ref}: no summary ({exc})")
        return entry
    note = " (silent revision: no new version was announced)" if v.silent else ""
    _sub(entry, "summary", f"{previous} → {v.ref}{note}: {diff.summary_line()}")
    flags = sorted({f for c in diff.changes if c.substantive for f in c.flags})
    for flag in flags:
        _category(entry, flag)
    items = []
    for event in diff.commitments[:MAX_FLAGGED]:  # the letter's promises first
        head, text = commitment_line(event)
        items.append(f"<li><strong>commitment {html.escape(head)}</strong>: {html.escape(text)}</li>")
    ranked = [c for c in diff.ranked() if c.substantive and c.level == "substantive" and (c.flags or c.signals)]
    for c in ranked[:MAX_FLAGGED]:  # the most severe first, as in the notification
        ops = change_words(c) if c.old_text and c.new_text else []
        if not any(op for op, _ in ops):  # a whole sentence came or went
            ops = [(-1, c.old_text or "")] if c.old_text else [(1, c.new_text or "")]
        shown = "".join(_marked(op, text) for op, text in excerpt(ops, 12))
        tags = f" [{html.escape(', '.join(c.flags))}]" if c.flags else ""
        head = f"{c.severity} {html.escape(c.summary)}"
        items.append(f"<li><strong>{head}</strong>{tags} ({c.kind}): {shown}</li>")
    body = f"<p>{html.escape(diff.summary_line())}</p>"
    if items:
        body += "<ul>" + "".join(items) + "</ul>"
    tk = {k: v.meta[k] for k in ("tk_versie", "tk_gewijzigd_op") if k in v.meta}
    if tk:
        body += f"<p>Tweede Kamer: {html.escape(json.dumps(tk, ensure_ascii=False))}</p>"
    _content(entry, body)
    return entry


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    if text is not None:
        el.text = text
    return el


def _link(parent: ET.Element, href: str, rel: str, kind: str | None) -> None:
    el = _sub(parent, "link")
    el.set("href", href)
    el.set("rel", rel)
    if kind:
        el.set("type", kind)


def _marked(op: int, text: str) -> str:
    """One piece of a word diff as HTML: kept, <del>deleted</del> or <ins>inserted</ins> (escaped)."""
    if op == 0:
        return html.escape(text)
    tag = "del" if op < 0 else "ins"
    return f"<{tag}>{html.escape(text)}</{tag}>"


def _category(parent: ET.Element, term: str) -> None:
    _sub(parent, "category").set("term", term)


def _content(parent: ET.Element, markup: str) -> None:
    _sub(parent, "content", markup).set("type", "html")
