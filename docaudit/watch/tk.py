"""The Tweede Kamer open-data API (OData v4, "gegevensmagazijn") as a source.

``tk:2024D46963`` follows one document, ``tk:dossier/32317`` every document of a kamerstukdossier,
``tk:query/<$filter>`` every document a filter selects. Each check asks for the Document records changed
since the last one it saw (``GewijzigdOp gt <cursor>``, ordered by ``GewijzigdOp``, paging through
``@odata.nextLink``) and downloads ``Document(<Id>)/resource`` only for records whose ``GewijzigdOp``
differs from what is stored. A record with ``Verwijderd: true`` is a withdrawn document.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from ..errors import DocauditError
from ..fetch import Fetcher, FetchError
from .items import GONE, Item
from .sources import Source

DEFAULT_API = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"
MAX_PAGES = 2000
EXPAND = "HuidigeDocumentVersie,Kamerstukdossier"
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/html": ".html",
    "text/plain": ".txt",
}


def document_filter(source: Source) -> str:
    """The OData ``$filter`` that selects the source's documents."""
    if source.kind == "tk-document":
        return f"DocumentNummer eq '{_quote(source.target)}'"
    if source.kind == "tk-dossier":
        number, _, suffix = source.target.partition("-")
        expr = f"Kamerstukdossier/any(d: d/Nummer eq {int(number)}"
        if suffix:
            expr += f" and d/Toevoeging eq '{_quote(suffix)}'"
        return expr + ")"
    if source.kind == "tk-query":
        return source.target
    raise DocauditError(f"{source.id} is not a Tweede Kamer source")


def _quote(value: str) -> str:
    return value.replace("'", "''")


def query_filter(source: Source) -> str:
    """The source's filter narrowed to what changed since the last check (and to ``--since``)."""
    parts = [f"({document_filter(source)})"]
    cursor = source.state.get("cursor")
    if cursor:
        parts.append(f"GewijzigdOp gt {cursor}")
    else:
        parts.append("Verwijderd eq false")  # a first look has no use for records deleted long ago
    if source.since:
        parts.append(f"Datum ge {source.since}T00:00:00Z")
    return " and ".join(parts)


def list_documents(fetcher: Fetcher, api: str, odata_filter: str) -> list[dict[str, Any]]:
    """Every Document record the filter selects, following ``@odata.nextLink`` to the last page."""
    url: str | None = f"{api.rstrip('/')}/Document"
    params: dict[str, str] | None = {"$filter": odata_filter, "$orderby": "GewijzigdOp", "$expand": EXPAND}
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    pages = 0
    while url:
        pages += 1
        if pages > MAX_PAGES or url in seen:
            raise DocauditError(f"the API keeps paging ({pages} pages; @odata.nextLink repeats or never ends)")
        seen.add(url)
        fetched = fetcher.get(url, params=params, accept="application/json")
        try:
            page = _json(fetched.data)
            values = page["value"]
            if not isinstance(values, list):
                raise TypeError("value is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise DocauditError(f"unexpected API response from {fetched.final_url or url}: {exc}") from None
        records.extend(v for v in values if isinstance(v, dict))
        url, params = page.get("@odata.nextLink"), None
    return records


def _json(data: bytes) -> dict[str, Any]:
    page = json.loads(data.decode("utf-8-sig"))
    if not isinstance(page, dict):
        raise ValueError("not a JSON object")
    return page


def check_tk(source: Source, fetcher: Fetcher, *, api: str, known: dict[str, str]) -> list[Item]:
    """List the source's changed records and download the ones whose file changed."""
    records = list_documents(fetcher, api, query_filter(source))
    items = [record_item(source, fetcher, api, r, known) for r in records]
    if source.kind == "tk-document" and not items:
        if not source.state.get("cursor"):
            raise DocauditError(f"the API has no document {source.target}")
        doc_id = source.doc_id or source.target
        items.append(Item(source.id, doc_id, source.spec, "not-modified", status=200, attempts=1))
    return items


def record_item(source: Source, fetcher: Fetcher, api: str, record: dict[str, Any], known: dict[str, str]) -> Item:
    """One Document record: withdrawn, unchanged since the stored version, or its file downloaded."""
    number = str(record.get("DocumentNummer") or record.get("Id") or "?")
    doc_id = source.doc_id if source.kind == "tk-document" and source.doc_id else number
    resource = f"{api.rstrip('/')}/Document({record.get('Id')})/resource"
    stamp = record.get("GewijzigdOp")
    item = Item(source.id, doc_id, resource, "fetched", stamp=stamp)
    item.meta = _meta(record)
    item.title = record.get("Onderwerp") or record.get("Titel")
    if record.get("Datum"):
        item.default_date = (str(record["Datum"])[:10], "tk")
    if record.get("Verwijderd"):
        item.outcome, item.status = "gone", 200
        item.error = f"Verwijderd in the API (GewijzigdOp {stamp})"
        return item
    if stamp and known.get(doc_id) == stamp:
        item.outcome, item.status, item.attempts = "not-modified", 200, 1
        return item
    if not record.get("Id") or record.get("ContentLength") == 0:
        item.outcome = "skipped"
        item.error = "the record has no file"
        return item
    try:
        fetched = fetcher.get(resource)
    except FetchError as exc:
        item.status, item.attempts, item.error = exc.status, exc.attempts, str(exc)
        item.outcome = "gone" if exc.status in GONE else "failed"
        return item
    item.fetched, item.status, item.attempts, item.duration = (
        fetched,
        fetched.status,
        fetched.attempts,
        fetched.duration,
    )
    ext = _EXTENSIONS.get(str(record.get("ContentType") or "").split(";")[0].strip().lower(), "")
    item.filename = f"{number}{ext}"
    return item


def _meta(record: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {"tk_id": record.get("Id")}
    for key, name in (
        ("DocumentNummer", "tk_documentnummer"),
        ("Soort", "tk_soort"),
        ("GewijzigdOp", "tk_gewijzigd_op"),
        ("Datum", "tk_datum"),
        ("Volgnummer", "tk_volgnummer"),
        ("Vergaderjaar", "tk_vergaderjaar"),
        ("Citeertitel", "tk_citeertitel"),
    ):
        if record.get(key) not in (None, ""):
            meta[name] = record[key]
    versie = record.get("HuidigeDocumentVersie")
    if isinstance(versie, dict) and versie.get("Versienummer") is not None:
        meta["tk_versie"] = versie["Versienummer"]
    dossiers = record.get("Kamerstukdossier")
    if isinstance(dossiers, list) and dossiers:
        meta["tk_dossiers"] = [
            f"{d.get('Nummer')}{'-' + d['Toevoeging'] if d.get('Toevoeging') else ''}"
            for d in dossiers
            if isinstance(d, dict)
        ]
    return meta


def parse_stamp(value: str) -> datetime:
    """``GewijzigdOp`` as a datetime (the API may send 7 fractional digits; Python takes 6)."""
    value = re.sub(r"(\.\d{6})\d+", r"\1", value.strip()).replace("Z", "+00:00")
    return datetime.fromisoformat(value)


def next_cursor(items: list[Item], previous: str | None) -> str | None:
    """The newest ``GewijzigdOp`` up to which every record was handled, so nothing failed is skipped."""
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
