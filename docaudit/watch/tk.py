"""The Tweede Kamer open-data API (OData, "gegevensmagazijn") as a source.

``tk:2024D46963`` follows one document, ``tk:dossier/32317`` every document of a kamerstukdossier (with
every ``Toevoeging``: 36800 is 36800-I … -XXII; ``tk:dossier/36800-XV`` is one of them), ``tk:query/<$filter>``
every document a filter selects.

The service's names are not written here: each run reads its ``$metadata`` (:mod:`.tkschema`), so the same
code speaks ``/OData/v5`` (the default since the Kamer moved in 2026: ``Nummer``, ``Ondernummer``) and
``/OData/v4/2.0`` (``DocumentNummer``, ``Volgnummer``) for mirrors that still serve it. Records are read into
docaudit's logical names at once.

How a check asks, and why (docs/watching.md has the sources):

- **The cursor is on ``ApiGewijzigdOp``** when the service has it: the time a record became visible in the
  API, not ``GewijzigdOp``, the time the source system changed it (a record can show up hours after its
  ``GewijzigdOp``). Each check asks for ``ApiGewijzigdOp ge <cursor - OVERLAP>``; records already handled
  at those stamps are remembered (``seen``) and skipped. **Without ``ApiGewijzigdOp``** the cursor runs on
  ``GewijzigdOp`` with :data:`OVERLAP_MODIFIED` (72 h, past the ~16 h a record has been seen to take to
  show), and the ``seen`` set keeps the overlap from handing a record out twice.
- **Paging never follows a next link.** ``$top`` is :data:`PAGE` (the v5 service answers 400 above 100),
  ordered by the stamp and ``Id`` (a unique key); a full page is followed by asking again from its newest
  stamp, or, through a run of records that share one stamp (a mass re-touch), by ``$skip``. A short page
  ends the listing. ``$`` is sent as it is, never as ``%24``.
- **Dates are local.** ``Datum`` is local midnight with an offset, so ``--since 2024-11-01`` asks for
  ``Datum ge`` the day before in UTC and keeps the records whose own date is on or after the 1st.
- **Deletions are asked for.** A deleted record may be stripped to its ``Id`` and stamps, so a filter on
  the dossier or number no longer matches it; each check also asks for deleted records since the cursor and
  matches them to the Ids this source has stored.
- **A file is checked.** It is downloaded when the record's stamp or its file (current DocumentVersie,
  ``ContentLength``) differs from the stored version's, from the link the record advertises when it has one,
  else ``Document(<Id>)/resource``; a body whose size differs from ``ContentLength`` is refused and asked
  again next run.
- **Loud when the service moves.** HTTP 400/404/410, a redirect to another host or an HTML page where JSON
  was asked for fail the source with one line saying what the service said and, where docaudit knows it,
  the new address (:class:`ServiceMoved`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from ..errors import DocauditError
from ..read.fetch import Fetched, Fetcher, FetchError
from ..settings import default
from ..store.database import Store
from ..values import now
from .items import GONE, Item
from .sources import Source
from .tkschema import (
    OVERLAP,
    OVERLAP_MODIFIED,
    Degraded,
    Schema,
    SchemaError,
    assumed,
    describe_cursor,
    parse_metadata,
    parse_stamp,
    query_string,
    unknown_fields,
)

__all__ = ["DEFAULT_API", "ServiceMoved", "check_tk", "describe_cursor", "parse_stamp", "schema_for"]

DEFAULT_API = default("tk.api")  # V5: declared with the setting (docaudit.settings)
MAX_PAGES = 2000
PAGE = 100  # $top: the v5 service answers HTTP 400 above 100
MOVED_STATUSES = (400, 404, 410)
EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "text/plain": ".txt",
}


class ServiceMoved(DocauditError):
    """The service answered as a service that moved or changed does: one line saying what it said."""


def document_filter(source: Source, schema: Schema) -> str:
    """The OData ``$filter`` that selects the source's documents."""
    if source.kind == "tk-document":
        return f"{schema.name('number')} eq '{_quote(source.target)}'"
    if source.kind == "tk-dossier":
        return f"{schema.name('dossier')}/any(d: {dossier_filter(source.target, schema, 'd/')})"
    if source.kind == "tk-query":
        return source.target
    raise DocauditError(f"{source.id} is not a Tweede Kamer OData source")


def dossier_filter(dossier: str, schema: Schema, prefix: str = "") -> str:
    """The ``$filter`` on a Kamerstukdossier's fields for ``36800`` (every Toevoeging) or ``36800-XV``;
    ``prefix`` names the record inside a lambda (``d/``)."""
    number, _, suffix = dossier.partition("-")
    expr = f"{prefix}{schema.name('dossier_number')} eq {int(number)}"
    if suffix:
        expr += f" and {prefix}{schema.name('dossier_suffix')} eq '{_quote(suffix)}'"
    return expr


def _quote(value: str) -> str:
    return value.replace("'", "''")


def odata_instant(moment: datetime) -> str:
    """A date-time literal for ``$filter``, in UTC (``2024-11-29T09:07:00.001234Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cursor_of(state: dict[str, Any]) -> datetime | None:
    """The source's cursor as an instant. A cursor kept on one stamp is taken as the same instant on the
    other when the service changes what it has: the overlap of the new field covers the difference."""
    cursor = state.get("cursor")
    return parse_stamp(cursor) if cursor else None


def overlap(schema: Schema) -> timedelta:
    return OVERLAP if schema.has("api_stamp") else OVERLAP_MODIFIED


def changed_filter(source: Source, cursor: datetime | None, schema: Schema) -> str:
    """The source's filter narrowed to what became visible since the cursor (and to ``--since``)."""
    parts = [f"({document_filter(source, schema)})"]
    if cursor is not None:
        parts.append(f"{schema.cursor_field} ge {odata_instant(cursor - overlap(schema))}")
    else:
        parts.append(f"{schema.name('deleted')} eq false")  # a first look has no use for records deleted long ago
    if source.since:
        day_before = date.fromisoformat(source.since) - timedelta(days=1)
        parts.append(f"{schema.name('date')} ge {day_before.isoformat()}T00:00:00Z")  # local midnight: see keep()
    return " and ".join(parts)


def _stamp(record: dict[str, Any]) -> str | None:
    return record.get("api_stamp") or record.get("modified")


def _key(record: dict[str, Any]) -> tuple[datetime, str]:
    stamp = _stamp(record)
    return (parse_stamp(stamp) if stamp else datetime.min.replace(tzinfo=UTC), str(record.get("id") or ""))


def get_json(fetcher: Fetcher, api: str, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    """One JSON answer of the service at ``api`` (``path`` below it), or :class:`ServiceMoved` when the
    service answers as a moved one does, or :class:`DocauditError` for a body that is not what OData sends."""
    url = f"{api.rstrip('/')}/{path}" + (f"?{query_string(params)}" if params else "")
    fetched = _get(fetcher, api, url, "application/json")
    try:
        page = json.loads(fetched.data.decode("utf-8-sig"))
        if not isinstance(page, dict):
            raise TypeError("not a JSON object")
    except (ValueError, TypeError) as exc:
        raise DocauditError(f"unexpected API response from {fetched.final_url or url}: {exc}") from None
    return page


def _get(fetcher: Fetcher, api: str, url: str, accept: str) -> Fetched:
    try:
        fetched = fetcher.get(url, accept=accept)
    except FetchError as exc:
        if exc.status in MOVED_STATUSES:
            said, link = _said(exc.body)
            raise ServiceMoved(moved_message(api, f"HTTP {exc.status}", said, link=link)) from None
        if exc.kind == "redirects":  # a redirect docaudit will not follow is the service pointing elsewhere
            raise ServiceMoved(moved_message(api, "a redirect", str(exc))) from None
        raise
    start, final = urlsplit(url), urlsplit(fetched.final_url or url)
    if (final.hostname, final.port) != (start.hostname, start.port):
        new = f"{final.scheme}://{final.netloc}{final.path}"
        raise ServiceMoved(moved_message(api, f"a redirect to {final.scheme}://{final.netloc}", "", link=new))
    if _is_html(fetched):
        said, link = _said(fetched.data)
        raise ServiceMoved(moved_message(api, "an HTML page where OData was asked for", said, link=link))
    return fetched


def _is_html(fetched: Fetched) -> bool:
    kind = (fetched.content_type or "").split(";")[0].strip().lower()
    head = fetched.data[:512].lstrip().lower()
    return kind in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype html", b"<html"))


def _said(body: bytes) -> tuple[str, str | None]:
    """What an error body says, in one short line (an OData error's message, an HTML page's title, else its
    text), and the first OData address it names, if any."""
    text = body.decode("utf-8", "replace")
    link = re.search(r"https?://[^\s\"'<>)]*/odata/[^\s\"'<>)]*", text, re.I)
    try:
        error = json.loads(text).get("error")
        message = error.get("message") if isinstance(error, dict) else None
        if isinstance(message, dict):  # OData v2/v3 shape
            message = message.get("value")
        if isinstance(message, str):
            text = message
    except (ValueError, AttributeError):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
        text = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else ""), link.group(0).rstrip(".,;") if link else None


def moved_message(api: str, what: str, said: str, *, link: str | None = None) -> str:
    """One line: ``the Tweede Kamer API at … answered HTTP 410 ("Gone"): the OData API is now at …/OData/v5;
    set [tk] api = …``. The new address is the one the answer names, else v5 on the same host for a v4 one."""
    line = f"the Tweede Kamer API at {api} answered {what}" + (f' ("{said}")' if said else "")
    target = link
    if target is None and re.search(r"/odata/v4", api, re.I):
        target = re.sub(r"/odata/v4(?:/2\.0)?", "/OData/v5", api.rstrip("/"), flags=re.I)
    if target and target.rstrip("/") != api.rstrip("/"):
        target = target.rstrip("/")
        return (
            f"{line}: the OData API is now at {target} (v4/2.0 was switched off on 1 October 2026); "
            f'set [tk] api = "{target}" in docaudit.toml (or --tk-api), or follow the SyncFeed: tk:feed?…'
        )
    return f"{line}: check [tk] api, then docaudit tk check"


def load_schema(fetcher: Fetcher, api: str, cached: bytes | None = None) -> tuple[Schema, bytes | None, list[str]]:
    """The service's schema from its ``$metadata``: ``(schema, csdl read now or None, notes)``.

    A service that answers as a moved one raises :class:`ServiceMoved`. One that cannot be reached leaves
    the schema ``cached`` (the CSDL read by an earlier run) or, without one, the names assumed for its
    address, each with a note saying so.
    """
    try:
        fetched = _get(fetcher, api, f"{api.rstrip('/')}/$metadata", "application/xml")
        schema = parse_metadata(fetched.data, api)
        return schema, fetched.data, []
    except ServiceMoved as moved:
        # a mirror may serve documents without $metadata: the service moved only if its documents did too
        try:
            get_json(fetcher, api, "Document", {"$top": "1"})
        except DocauditError:
            raise moved from None
        schema = assumed(api)
        return schema, None, [f"{api} has no $metadata; assuming {schema.version} names"]
    except (FetchError, SchemaError) as exc:
        if cached is not None:
            schema = parse_metadata(cached, api)
            schema.origin = "cache"
            return schema, None, [f"cannot read {api}/$metadata ({exc}); using the copy of an earlier run"]
        schema = assumed(api)
        return schema, None, [f"cannot read {api}/$metadata ({exc}); assuming {schema.version} names"]


def schema_for(store: Store, fetcher: Fetcher, api: str) -> tuple[Schema, list[str]]:
    """The schema of the service at ``api``, read from its ``$metadata`` once per run and kept in the
    ``settings`` table (key ``tk_schema:<api>``, with its SHA-256). The notes say what changed since the
    copy kept (or, the first time, what the service lacks), so a cron run speaks up once, when it matters."""
    key = f"tk_schema:{api.rstrip('/')}"
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    kept = json.loads(row[0]) if row else None
    cached = kept["csdl"].encode("utf-8") if kept else None
    schema, csdl, notes = load_schema(fetcher, api, cached)
    if csdl is not None and (kept is None or kept.get("sha256") != schema.sha256):
        value = {
            "sha256": schema.sha256,
            "read_at": now(),
            "version": schema.version,
            "csdl": csdl.decode("utf-8", "replace"),
        }
        with store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))
        what = "changed its $metadata" if kept else "was read for the first time"
        lacks = schema.warnings()
        if kept or lacks:
            notes.append(f"the Tweede Kamer API at {api} {what} ({schema.version})" + (": " if lacks else ""))
            notes[-1] += "; ".join(lacks)
    return schema, notes


def list_documents(fetcher: Fetcher, schema: Schema, odata_filter: str) -> list[dict[str, Any]]:
    """Every Document record the filter selects, in logical names, de-duplicated by ``Id`` (the newest
    state of each).

    Pages of :data:`PAGE` ordered by stamp and ``Id``; a full page is followed by asking again from the newest
    stamp on it (``<stamp> ge S``), so records that change while we page cannot shift another one past us,
    or, when every record on it shares one stamp, by ``$skip``. A page shorter than ``$top`` with no next link
    ends the listing; a next link only says that there is more (it is never followed).
    """
    field_name = schema.cursor_field
    records: dict[str, dict[str, Any]] = {}
    since: datetime | None = None
    pages = 0
    while True:
        expr = odata_filter if since is None else f"({odata_filter}) and {field_name} ge {odata_instant(since)}"
        skip, moved_on = 0, False
        while True:
            pages += 1
            if pages > MAX_PAGES:
                raise DocauditError(f"the API keeps paging ({pages} pages for one check); try again later")
            params = {"$filter": expr, "$orderby": f"{field_name},{schema.name('id')}", "$top": str(PAGE)}
            if skip:
                params["$skip"] = str(skip)
            if schema.expand():
                params["$expand"] = schema.expand()
            values, more = _page(fetcher, schema, params)
            page = [schema.read(raw) for raw in values]
            for record in page:
                ident = str(record.get("id") or "")
                if ident and (ident not in records or _key(record) >= _key(records[ident])):
                    records[ident] = record
            if not page or (len(page) < PAGE and not more):
                break
            newest = max(_key(record)[0] for record in page)
            if since is None or newest > since:
                since, moved_on = newest, True
                break  # ask again from the newest stamp on this page
            skip += len(page)
        if not moved_on:
            break
    return sorted(records.values(), key=_key)


def _page(fetcher: Fetcher, schema: Schema, params: dict[str, str]) -> tuple[list[dict[str, Any]], bool]:
    page = get_json(fetcher, schema.api, schema.entity_set("Document"), params)
    values = page.get("value")
    if not isinstance(values, list):
        raise DocauditError(f"unexpected API response from {schema.api}: no list of records")
    return [v for v in values if isinstance(v, dict)], isinstance(page.get("@odata.nextLink"), str)


def deleted_since(fetcher: Fetcher, schema: Schema, cursor: datetime) -> list[dict[str, Any]]:
    """Records deleted since the cursor, whatever they were (a deleted record may be stripped of the fields
    a source's filter looks at)."""
    since = odata_instant(cursor - overlap(schema))
    return list_documents(fetcher, schema, f"{schema.name('deleted')} eq true and {schema.cursor_field} ge {since}")


def keep(source: Source, record: dict[str, Any]) -> bool:
    """``--since`` on the record's own local date (``Datum`` is local midnight with its offset)."""
    datum = record.get("date")
    return not (source.since and isinstance(datum, str) and datum[:10] < source.since)


def check_tk(source: Source, fetcher: Fetcher, *, schema: Schema, known: dict[str, dict[str, Any]]) -> list[Item]:
    """List the source's records that became visible since the last check (and deletions of documents it
    stored) and download the files that changed."""
    missing = schema.usable_for(source.kind)
    if missing:
        schema.name(missing[0])  # raises Degraded, naming the field
    if source.kind == "tk-query":
        unknown = unknown_fields(source.target, schema)
        if unknown:
            raise Degraded(
                f"the filter names field(s) the API at {schema.api} does not have: {', '.join(unknown)}; "
                f"track the query again with the {schema.version} names"
            )
    state = source.state
    cursor = cursor_of(state)
    seen: dict[str, str] = state.get("seen") or {}
    ids: dict[str, str] = state.get("ids") or {}
    records = [r for r in list_documents(fetcher, schema, changed_filter(source, cursor, schema)) if keep(source, r)]
    if cursor is not None and ids:
        listed = {str(r.get("id")) for r in records}
        gone = deleted_since(fetcher, schema, cursor)
        records += [r for r in gone if r.get("id") in ids and r.get("id") not in listed]
    fresh = [r for r in records if seen.get(str(r.get("id"))) != _stamp(r)]
    items = [record_item(source, fetcher, schema, r, known, ids) for r in fresh]
    items = [i for i in items if i is not None]
    if source.kind == "tk-document" and not items:
        if cursor is None:
            raise DocauditError(f"the API has no document {source.target} (yet: a new record shows some hours later)")
        doc_id = source.doc_id or source.target
        items.append(Item(source.id, doc_id, source.spec, "not-modified", status=200, attempts=1))
    return items


def file_link(schema: Schema, record: dict[str, Any]) -> str:
    """The file's address: the link the record advertises, else ``Document(<Id>)/resource``."""
    if record.get("link"):
        return str(record["link"])
    return f"{schema.api.rstrip('/')}/{schema.entity_set('Document')}({record.get('id')})/resource"


def record_item(
    source: Source,
    fetcher: Fetcher,
    schema: Schema,
    record: dict[str, Any],
    known: dict[str, dict[str, Any]],
    ids: dict[str, str] | None = None,
) -> Item | None:
    """One Document record (logical names): withdrawn, unchanged since the stored version, or its file
    downloaded. ``None`` for a deletion of a document this source never stored."""
    tk_id = str(record.get("id") or "")
    number = record.get("number") or (ids or {}).get(tk_id)
    if record.get("deleted") and not number:
        return None
    number = str(number or tk_id or "?")
    doc_id = source.doc_id if source.kind == "tk-document" and source.doc_id else number
    item = Item(source.id, doc_id, file_link(schema, record), "fetched", stamp=_stamp(record))
    item.meta = record_meta(record, schema)
    item.title = record.get("subject") or record.get("title")
    if record.get("date"):
        item.default_date = (str(record["date"])[:10], "tk")
    if record.get("deleted"):
        item.outcome, item.status = "gone", 200
        item.error = f"Verwijderd in the API ({schema.cursor_field} {_stamp(record)})"
        return item
    if unchanged_file(known.get(doc_id), item.meta):
        item.outcome, item.status, item.attempts = "not-modified", 200, 1
        return item
    if not tk_id or record.get("content_length") == 0:
        item.outcome = "skipped"
        item.error = "the record has no file"
        return item
    download(fetcher, item, record.get("content_length"))
    ext = EXTENSIONS.get(str(record.get("content_type") or "").split(";")[0].strip().lower(), "")
    item.filename = f"{number}{ext}"
    return item


def download(fetcher: Fetcher, item: Item, content_length: Any) -> None:
    """Fetch ``item.url`` into the item; a body whose size is not the announced ``content_length`` fails
    (cut short, or the file changed under us): it is asked again next run."""
    try:
        fetched = fetcher.get(item.url)
    except FetchError as exc:
        item.status, item.attempts, item.error = exc.status, exc.attempts, str(exc)
        item.outcome = "gone" if exc.status in GONE else "failed"
        return
    item.fetched, item.status, item.attempts, item.duration = (
        fetched,
        fetched.status,
        fetched.attempts,
        fetched.duration,
    )
    if isinstance(content_length, int) and content_length > 0 and len(fetched.data) != content_length:
        item.outcome = "failed"
        item.error = (
            f"downloaded {len(fetched.data):,} bytes but the API says ContentLength {content_length:,} "
            "(cut short, or changed meanwhile); asked again next run"
        )


def unchanged_file(stored: dict[str, Any] | None, meta: dict[str, Any]) -> bool:
    """Whether the stored latest version already has this record's file: same record, same stamp (the API
    stamp when both sides have one, else ``GewijzigdOp``), and the same file (DocumentVersie Id,
    Versienummer, ContentLength) as far as both sides say."""
    if not stored or stored.get("tk_id") != meta.get("tk_id"):
        return False
    if stored.get("tk_api_gewijzigd_op") and meta.get("tk_api_gewijzigd_op"):
        same_stamp = stored["tk_api_gewijzigd_op"] == meta["tk_api_gewijzigd_op"]
    else:  # stored by an older docaudit, or the service has no API stamp (any more)
        same_stamp = stored.get("tk_gewijzigd_op") == meta.get("tk_gewijzigd_op")
    if not same_stamp:
        return False
    for key in ("tk_versie_id", "tk_versie", "tk_content_length"):
        if stored.get(key) is not None and meta.get(key) is not None and stored[key] != meta[key]:
            return False
    return True


# logical field → the key a version's meta keeps it under (the names of the first docaudit that stored them)
META_KEYS = {
    "number": "tk_documentnummer",
    "soort": "tk_soort",
    "modified": "tk_gewijzigd_op",
    "api_stamp": "tk_api_gewijzigd_op",
    "date": "tk_datum",
    "subnumber": "tk_volgnummer",
    "year": "tk_vergaderjaar",
    "citation": "tk_citeertitel",
    "content_length": "tk_content_length",
}


def record_meta(record: dict[str, Any], schema: Schema | None = None) -> dict[str, Any]:
    """What a version keeps of its API record (logical names in, the stable ``tk_…`` keys out)."""
    meta: dict[str, Any] = {"tk_id": record.get("id")}
    for logical, key in META_KEYS.items():
        if record.get(logical) not in (None, ""):
            meta[key] = record[logical]
    versie = record.get("current_version")
    if isinstance(versie, dict):
        if versie.get("number") is not None:
            meta["tk_versie"] = versie["number"]
        if versie.get("id"):
            meta["tk_versie_id"] = versie["id"]
    dossiers = record.get("dossiers")
    if isinstance(dossiers, list) and dossiers:
        meta["tk_dossiers"] = [f"{d['number']}{'-' + d['suffix'] if d.get('suffix') else ''}" for d in dossiers]
    if schema is not None:
        meta["tk_odata"] = schema.version
    return meta


def next_cursor(items: list[Item], previous: str | None) -> str | None:
    """The newest stamp up to which every record was handled, so nothing failed is skipped."""
    failed = [parse_stamp(i.stamp) for i in items if i.stamp and i.outcome == "failed"]
    limit = min(failed) if failed else None
    cursor = previous
    for item in items:
        if not item.stamp or item.outcome == "failed":
            continue
        stamp = parse_stamp(item.stamp)
        if limit is not None and stamp >= limit:
            continue
        if cursor is None or stamp > parse_stamp(cursor):
            cursor = item.stamp
    return cursor


def advance_state(state: dict[str, Any], items: list[Item], schema: Schema | None = None) -> dict[str, Any]:
    """The source's state after its items were recorded: the cursor (and which stamp it runs on), the
    records handled within the overlap (so it does not hand them out twice) and the Ids of the documents it
    follows (to see deletions)."""
    state = dict(state)
    cursor_on = schema.cursor_field if schema is not None else state.get("cursor_on", "ApiGewijzigdOp")
    window = overlap(schema) if schema is not None else OVERLAP
    cursor = next_cursor(items, state.get("cursor"))
    if cursor is None:
        return state
    floor = parse_stamp(cursor) - window
    seen = {k: v for k, v in (state.get("seen") or {}).items() if parse_stamp(v) >= floor}
    if state.get("cursor_on") and state.get("cursor_on") != cursor_on:
        seen = {}  # stamps of the other field: nothing to compare with
    ids = dict(state.get("ids") or {})
    for item in items:
        tk_id = item.meta.get("tk_id")
        if not tk_id or item.outcome == "failed" or not item.stamp:
            continue
        if parse_stamp(item.stamp) >= floor:
            seen[tk_id] = item.stamp
        if item.outcome == "gone":
            ids.pop(tk_id, None)
        elif item.doc_id:
            ids[tk_id] = item.doc_id
    state.update(cursor=cursor, cursor_on=cursor_on, overlap_hours=window.total_seconds() / 3600, seen=seen, ids=ids)
    return state
