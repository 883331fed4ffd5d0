"""The Tweede Kamer open-data API (OData v4, "gegevensmagazijn") as a source.

``tk:2024D46963`` follows one document, ``tk:dossier/32317`` every document of a kamerstukdossier (with
every ``Toevoeging``: 36800 is 36800-I … -XXII; ``tk:dossier/36800-XV`` is one of them), ``tk:query/<$filter>``
every document a filter selects.

How a check asks, and why (docs/watching.md has the sources):

- **The cursor is on ``ApiGewijzigdOp``**, the time a record became visible in the API, not on
  ``GewijzigdOp``, the time the source system changed it: a record can show up hours after its
  ``GewijzigdOp``, and a cursor on that field would already have passed it. Each check asks for
  ``ApiGewijzigdOp ge <cursor - OVERLAP>`` (in UTC), so a record whose stamp was assigned a little before it
  became visible is still seen; records already handled at those stamps are remembered (``seen``) and
  skipped.
- **Pages cannot skip a record.** The service pages with ``$skip``; a record that changes while we page
  would shift the rest by one. So each request starts again from the last stamp it saw (ordered by
  ``ApiGewijzigdOp`` then ``Id``, a unique key), and follows a ``$skip`` nextLink only through a run of
  records that all share one stamp (a mass re-touch). Records are de-duplicated by ``Id``.
- **Dates are local.** ``Datum`` is local midnight with an offset, so ``--since 2024-11-01`` asks for
  ``Datum ge`` the day before in UTC and keeps the records whose own date is on or after the 1st.
- **Deletions are asked for.** A deleted record may be stripped to its ``Id`` and stamps, so a filter on
  the dossier or number no longer matches it; each check also asks for ``Verwijderd eq true`` records since
  the cursor and matches them to the Ids this source has stored.
- **A file is checked.** It is downloaded when the record's stamp or its file (``HuidigeDocumentVersie``
  Id, ``Versienummer``, ``ContentLength``) differs from the stored version's, from the link the record
  advertises when it has one (``Document(<Id>)/TK.DA.GGM.OData.Resource()``, else ``/resource``), and a body
  whose size differs from ``ContentLength`` is refused and asked again next run.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import DocauditError
from ..fetch import Fetcher, FetchError
from .items import GONE, Item
from .sources import Source

DEFAULT_API = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"
MAX_PAGES = 2000
OVERLAP = timedelta(hours=1)  # how far back each check looks again (stamps assigned before records show)
EXPAND = "HuidigeDocumentVersie,Kamerstukdossier"
ORDER = "ApiGewijzigdOp,Id"
EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "text/plain": ".txt",
}
_ADVERTISED = ("#TK.DA.GGM.OData.Resource", "@odata.mediaReadLink")


def document_filter(source: Source) -> str:
    """The OData ``$filter`` that selects the source's documents."""
    if source.kind == "tk-document":
        return f"DocumentNummer eq '{_quote(source.target)}'"
    if source.kind == "tk-dossier":
        return f"Kamerstukdossier/any(d: {dossier_filter(source.target, 'd/')})"
    if source.kind == "tk-query":
        return source.target
    raise DocauditError(f"{source.id} is not a Tweede Kamer OData source")


def dossier_filter(dossier: str, prefix: str = "") -> str:
    """The ``$filter`` on a Kamerstukdossier's fields for ``36800`` (every Toevoeging) or ``36800-XV``;
    ``prefix`` names the record inside a lambda (``d/``)."""
    number, _, suffix = dossier.partition("-")
    expr = f"{prefix}Nummer eq {int(number)}"
    if suffix:
        expr += f" and {prefix}Toevoeging eq '{_quote(suffix)}'"
    return expr


def _quote(value: str) -> str:
    return value.replace("'", "''")


def parse_stamp(value: str) -> datetime:
    """An API time (``…Z`` or with an offset, up to 7 fractional digits) as an aware datetime in UTC."""
    value = re.sub(r"(\.\d{6})\d+", r"\1", value.strip()).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def odata_instant(moment: datetime) -> str:
    """A date-time literal for ``$filter``, in UTC (``2024-11-29T09:07:00.001234Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cursor_of(state: dict[str, Any]) -> datetime | None:
    """The source's cursor as an instant. A cursor kept by an older docaudit (on ``GewijzigdOp``) is
    taken as the same instant on ``ApiGewijzigdOp``: records that became visible after it are asked again."""
    cursor = state.get("cursor")
    return parse_stamp(cursor) if cursor else None


def changed_filter(source: Source, cursor: datetime | None) -> str:
    """The source's filter narrowed to what became visible since the cursor (and to ``--since``)."""
    parts = [f"({document_filter(source)})"]
    if cursor is not None:
        parts.append(f"ApiGewijzigdOp ge {odata_instant(cursor - OVERLAP)}")
    else:
        parts.append("Verwijderd eq false")  # a first look has no use for records deleted long ago
    if source.since:
        day_before = date.fromisoformat(source.since) - timedelta(days=1)
        parts.append(f"Datum ge {day_before.isoformat()}T00:00:00Z")  # Datum is local midnight: see keep()
    return " and ".join(parts)


def _stamp(record: dict[str, Any]) -> str | None:
    return record.get("ApiGewijzigdOp") or record.get("GewijzigdOp")


def _key(record: dict[str, Any]) -> tuple[datetime, str]:
    stamp = _stamp(record)
    return (parse_stamp(stamp) if stamp else datetime.min.replace(tzinfo=UTC), str(record.get("Id") or ""))


def list_documents(fetcher: Fetcher, api: str, odata_filter: str, *, progress_field: str = "ApiGewijzigdOp"):
    """Every Document record the filter selects, de-duplicated by ``Id`` (the newest state of each).

    Each request restarts from the last stamp seen (``<field> ge S``), so records that change while we
    page cannot shift another one past us; a page whose records all share one stamp is followed by its
    ``$skip`` nextLink until the stamp moves on.
    """
    base = f"{api.rstrip('/')}/Document"
    records: dict[str, dict[str, Any]] = {}
    since: datetime | None = None
    pages = 0
    while True:
        expr = odata_filter if since is None else f"({odata_filter}) and {progress_field} ge {odata_instant(since)}"
        url: str | None = base
        params: dict[str, str] | None = {"$filter": expr, "$orderby": ORDER, "$expand": EXPAND}
        moved_on = False
        while url:
            pages += 1
            if pages > MAX_PAGES:
                raise DocauditError(f"the API keeps paging ({pages} pages for one check); try again later")
            values, url = _page(fetcher, url, params)
            params = None
            for record in values:
                ident = str(record.get("Id") or "")
                if ident and (ident not in records or _key(record) >= _key(records[ident])):
                    records[ident] = record
            stamps = [_key(r)[0] for r in values if _stamp(r)]
            if url and stamps and (since is None or max(stamps) > since):
                since, moved_on = max(stamps), True
                break  # ask again from the newest stamp on this page
        if not moved_on:
            break
    return sorted(records.values(), key=_key)


def _page(fetcher: Fetcher, url: str, params: dict[str, str] | None) -> tuple[list[dict[str, Any]], str | None]:
    try:
        fetched = fetcher.get(url, params=params, accept="application/json")
    except FetchError as exc:
        if exc.status == 404:
            raise DocauditError(
                f"the API answered 404 for {url}: the OData address may have moved (the Tweede Kamer announced "
                "a new OData version in 2026; the SyncFeed did not change). Set [tk] api = … in docaudit.toml "
                "(or --tk-api), or follow the SyncFeed instead: docaudit track 'tk:feed?…'"
            ) from None
        raise
    try:
        page = json.loads(fetched.data.decode("utf-8-sig"))
        if not isinstance(page, dict):
            raise TypeError("not a JSON object")
        values = page["value"]
        if not isinstance(values, list):
            raise TypeError("value is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        raise DocauditError(f"unexpected API response from {fetched.final_url or url}: {exc}") from None
    next_link = page.get("@odata.nextLink")
    return [v for v in values if isinstance(v, dict)], next_link if isinstance(next_link, str) else None


def deleted_since(fetcher: Fetcher, api: str, cursor: datetime) -> list[dict[str, Any]]:
    """Records deleted since the cursor, whatever they were (a deleted record may be stripped of the fields
    a source's filter looks at)."""
    return list_documents(fetcher, api, f"Verwijderd eq true and ApiGewijzigdOp ge {odata_instant(cursor - OVERLAP)}")


def keep(source: Source, record: dict[str, Any]) -> bool:
    """``--since`` on the record's own local date (``Datum`` is local midnight with its offset)."""
    datum = record.get("Datum")
    return not (source.since and isinstance(datum, str) and datum[:10] < source.since)


def check_tk(source: Source, fetcher: Fetcher, *, api: str, known: dict[str, dict[str, Any]]) -> list[Item]:
    """List the source's records that became visible since the last check (and deletions of documents it
    stored) and download the files that changed."""
    state = source.state
    cursor = cursor_of(state)
    seen: dict[str, str] = state.get("seen") or {}
    ids: dict[str, str] = state.get("ids") or {}
    records = [r for r in list_documents(fetcher, api, changed_filter(source, cursor)) if keep(source, r)]
    if cursor is not None and ids:
        listed = {str(r.get("Id")) for r in records}
        records += [r for r in deleted_since(fetcher, api, cursor) if r.get("Id") in ids and r.get("Id") not in listed]
    fresh = [r for r in records if seen.get(str(r.get("Id"))) != _stamp(r)]
    items = [record_item(source, fetcher, api, r, known, ids) for r in fresh]
    items = [i for i in items if i is not None]
    if source.kind == "tk-document" and not items:
        if cursor is None:
            raise DocauditError(f"the API has no document {source.target} (yet: a new record shows some hours later)")
        doc_id = source.doc_id or source.target
        items.append(Item(source.id, doc_id, source.spec, "not-modified", status=200, attempts=1))
    return items


def file_link(api: str, record: dict[str, Any]) -> str:
    """The file's address: the link the record advertises, else ``Document(<Id>)/resource``."""
    for key in _ADVERTISED:
        value = record.get(key)
        target = value.get("target") if isinstance(value, dict) else value
        if isinstance(target, str) and target.startswith(("http://", "https://")):
            return target
    return f"{api.rstrip('/')}/Document({record.get('Id')})/resource"


def record_item(
    source: Source,
    fetcher: Fetcher,
    api: str,
    record: dict[str, Any],
    known: dict[str, dict[str, Any]],
    ids: dict[str, str] | None = None,
) -> Item | None:
    """One Document record: withdrawn, unchanged since the stored version, or its file downloaded.
    ``None`` for a deletion of a document this source never stored."""
    tk_id = str(record.get("Id") or "")
    number = record.get("DocumentNummer") or (ids or {}).get(tk_id)
    if record.get("Verwijderd") and not number:
        return None
    number = str(number or tk_id or "?")
    doc_id = source.doc_id if source.kind == "tk-document" and source.doc_id else number
    item = Item(source.id, doc_id, file_link(api, record), "fetched", stamp=_stamp(record))
    item.meta = record_meta(record)
    item.title = record.get("Onderwerp") or record.get("Titel")
    if record.get("Datum"):
        item.default_date = (str(record["Datum"])[:10], "tk")
    if record.get("Verwijderd"):
        item.outcome, item.status = "gone", 200
        item.error = f"Verwijderd in the API (ApiGewijzigdOp {record.get('ApiGewijzigdOp')})"
        return item
    if unchanged_file(known.get(doc_id), item.meta):
        item.outcome, item.status, item.attempts = "not-modified", 200, 1
        return item
    if not tk_id or record.get("ContentLength") == 0:
        item.outcome = "skipped"
        item.error = "the record has no file"
        return item
    download(fetcher, item, record.get("ContentLength"))
    ext = EXTENSIONS.get(str(record.get("ContentType") or "").split(";")[0].strip().lower(), "")
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
    """Whether the stored latest version already has this record's file: same record, same stamp, and the
    same file (DocumentVersie Id, Versienummer, ContentLength) as far as both sides say."""
    if not stored or stored.get("tk_id") != meta.get("tk_id"):
        return False
    if stored.get("tk_api_gewijzigd_op"):
        same_stamp = stored["tk_api_gewijzigd_op"] == meta.get("tk_api_gewijzigd_op")
    else:  # stored by an older docaudit, which kept GewijzigdOp only
        same_stamp = stored.get("tk_gewijzigd_op") == meta.get("tk_gewijzigd_op")
    if not same_stamp:
        return False
    for key in ("tk_versie_id", "tk_versie", "tk_content_length"):
        if stored.get(key) is not None and meta.get(key) is not None and stored[key] != meta[key]:
            return False
    return True


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """What a version keeps of its API record."""
    meta: dict[str, Any] = {"tk_id": record.get("Id")}
    for key, name in (
        ("DocumentNummer", "tk_documentnummer"),
        ("Soort", "tk_soort"),
        ("GewijzigdOp", "tk_gewijzigd_op"),
        ("ApiGewijzigdOp", "tk_api_gewijzigd_op"),
        ("Datum", "tk_datum"),
        ("Volgnummer", "tk_volgnummer"),
        ("Vergaderjaar", "tk_vergaderjaar"),
        ("Citeertitel", "tk_citeertitel"),
        ("ContentLength", "tk_content_length"),
        ("HuidigeDocumentVersie_Id", "tk_versie_id"),
    ):
        if record.get(key) not in (None, ""):
            meta[name] = record[key]
    versie = record.get("HuidigeDocumentVersie")
    if isinstance(versie, dict):
        if versie.get("Versienummer") is not None:
            meta["tk_versie"] = versie["Versienummer"]
        if versie.get("Id"):
            meta["tk_versie_id"] = versie["Id"]
    dossiers = record.get("Kamerstukdossier")
    if isinstance(dossiers, list) and dossiers:
        meta["tk_dossiers"] = [
            f"{d.get('Nummer')}{'-' + d['Toevoeging'] if d.get('Toevoeging') else ''}"
            for d in dossiers
            if isinstance(d, dict)
        ]
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


def advance_state(state: dict[str, Any], items: list[Item]) -> dict[str, Any]:
    """The source's state after its items were recorded: the cursor, the records handled near it (so the
    overlap does not hand them out twice) and the Ids of the documents it follows (to see deletions)."""
    state = dict(state)
    cursor = next_cursor(items, state.get("cursor"))
    if cursor is None:
        return state
    floor = parse_stamp(cursor) - OVERLAP
    seen = {k: v for k, v in (state.get("seen") or {}).items() if parse_stamp(v) >= floor}
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
    state.update(cursor=cursor, cursor_on="ApiGewijzigdOp", seen=seen, ids=ids)
    return state
