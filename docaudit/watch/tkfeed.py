"""The Tweede Kamer SyncFeed as a source: ``tk:feed``, for users who mirror everything.

The SyncFeed (``/SyncFeed/2.0/Feed?category=Document``) is an Atom log of every change to every document,
in the order the changes became visible, deletions included, resumed with a ``skiptoken``: no clocks and
no filters that a deleted record could slip out of. Each entry carries its own ``rel="next"`` link (the
skiptoken after it), the file as ``rel="enclosure"`` and ``tk:contentLength``, which a download must
match. A check reads from the stored skiptoken on, up to :data:`MAX_PAGES` pages (the rest waits for the
next run), and stores the documents the source's filter selects:

- ``tk:feed`` every document;
- ``tk:feed?soort=Brief regering`` (repeatable: any of them);
- ``tk:feed?dossier=36800`` (every Toevoeging) or ``dossier=36800-XV``; the dossier's Ids are looked up once
  (a SyncFeed document names its dossier by Id only): in the OData API when its ``$metadata`` has
  Kamerstukdossier ``Nummer`` (and ``Toevoeging``), else in the SyncFeed's own ``Kamerstukdossier`` category;
- ``since`` (``--since``) leaves out documents dated before it.

The state keeps the skiptoken and the Ids of the documents stored (a deleted entry is stripped to its Id).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ..errors import DocauditError
from ..read.fetch import Fetcher
from ..settings import default
from .items import Item
from .sources import Source, parse_feed_filter
from .tk import EXTENSIONS, dossier_filter, download, get_json, unchanged_file
from .tkschema import Schema

DEFAULT_FEED = default("tk.feed")  # declared with the setting (docaudit.settings)
MAX_PAGES = 400  # 100,000 entries a run; a first mirror of the archive takes several runs
ATOM = "{http://www.w3.org/2005/Atom}"
TK = "{http://www.tweedekamer.nl/xsd/tkData/v1-0}"


def read_xml(data: bytes, url: str) -> ET.Element:
    head = data[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise DocauditError(f"the SyncFeed page at {url} declares a DTD; refused")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise DocauditError(f"the SyncFeed page at {url} is not XML: {exc}") from None


def _token(href: str | None) -> int | None:
    if not href:
        return None
    values = parse_qs(urlsplit(href).query).get("skiptoken")
    try:
        return int(values[0]) if values else None
    except ValueError:
        return None


def _link(element: ET.Element, rel: str) -> str | None:
    for link in element.findall(f"{ATOM}link"):
        if link.get("rel") == rel:
            return link.get("href")
    return None


def dossier_ids(fetcher: Fetcher, schema: Schema | None, feed: str, dossiers: list[str]) -> set[str]:
    """The Ids of the kamerstukdossiers named (a plain number: every Toevoeging): from the OData API when its
    schema can say, else from the SyncFeed's Kamerstukdossier category."""
    ids: set[str] = set()
    for dossier in dossiers:
        found = None
        if schema is not None and odata_knows_dossiers(schema, dossier):
            try:
                found = _odata_dossier(fetcher, schema, dossier)
            except DocauditError:  # the OData side moved or lost the set: the SyncFeed has its own list
                found = None
        if not found:
            found = feed_dossier(fetcher, feed, dossier)
        if not found:
            raise DocauditError(f"the API knows no kamerstukdossier {dossier}")
        ids |= found
    return ids


def odata_knows_dossiers(schema: Schema | None, dossier: str) -> bool:
    if schema is None or not schema.has("dossier_number") or ("-" in dossier and not schema.has("dossier_suffix")):
        return False
    return not schema.entity_sets or "Kamerstukdossier" in schema.entity_sets


def _odata_dossier(fetcher: Fetcher, schema: Schema, dossier: str) -> set[str]:
    page = get_json(
        fetcher, schema.api, schema.entity_set("Kamerstukdossier"), {"$filter": dossier_filter(dossier, schema)}
    )
    records = page.get("value")
    if not isinstance(records, list):
        raise DocauditError(f"unexpected API response for kamerstukdossier {dossier}: no list of records")
    return {str(r["Id"]).lower() for r in records if isinstance(r, dict) and r.get("Id")}


def feed_dossier(fetcher: Fetcher, feed: str, dossier: str) -> set[str]:
    """Read the SyncFeed's Kamerstukdossier category (``<kamerstukdossier id=…><nummer>…``) for the dossier."""
    number, _, suffix = dossier.partition("-")
    found: set[str] = set()
    url: str | None = f"{feed.rstrip('/')}/Feed?{urlencode({'category': 'Kamerstukdossier'})}"
    pages = 0
    while url and pages < MAX_PAGES:
        pages += 1
        root = read_xml(fetcher.get(url, accept="application/atom+xml").data, url)
        for entry in root.findall(f"{ATOM}entry"):
            content = entry.find(f"{ATOM}content")
            record = next((c for c in content or [] if c.tag.rsplit("}", 1)[-1] == "kamerstukdossier"), None)
            if record is None or record.get(f"{TK}verwijderd") == "true":
                continue
            fields = {c.tag.rsplit("}", 1)[-1]: (c.text or "").strip() for c in record}
            if fields.get("nummer") != number or (suffix and fields.get("toevoeging", "").upper() != suffix.upper()):
                continue
            found.add((record.get("id") or (entry.findtext(f"{ATOM}title") or "")).strip().lower())
        next_url = _link(root, "next")
        url = next_url if next_url and _token(next_url) not in (None, _token(url)) else None
    return found - {""}


def check_feed(
    source: Source, fetcher: Fetcher, *, feed: str, schema: Schema | None, known: dict[str, dict[str, Any]]
) -> tuple[list[Item], int | None]:
    """Read the SyncFeed from the source's skiptoken on; return the items and the skiptoken read up to."""
    wanted = parse_feed_filter(source.target)
    state = source.state
    ids: dict[str, str] = dict(state.get("ids") or {})
    dossiers = set(state.get("dossier_ids") or [])
    if wanted.get("dossier") and not dossiers:
        dossiers = dossier_ids(fetcher, schema, feed, wanted["dossier"])
    token: int | None = state.get("skiptoken")
    params = {"category": "Document", **({"skiptoken": str(token)} if token is not None else {})}
    url: str | None = f"{feed.rstrip('/')}/Feed?{urlencode(params)}"
    items: list[Item] = []
    pages = 0
    while url and pages < MAX_PAGES:
        pages += 1
        fetched = fetcher.get(url, accept="application/atom+xml")
        root = read_xml(fetched.data, url)
        for entry in root.findall(f"{ATOM}entry"):
            position = _token(_link(entry, "next"))
            item = _entry_item(source, fetcher, entry, wanted, dossiers, ids, known)
            if item is not None:
                item.position, item.resume_from = position, token
                items.append(item)
            if position is not None:
                token = position
        next_url = _link(root, "next")
        url = next_url if next_url and _token(next_url) not in (None, _token(url)) else None
    source.state["dossier_ids"] = sorted(dossiers)
    return items, token


def _entry_item(
    source: Source,
    fetcher: Fetcher,
    entry: ET.Element,
    wanted: dict[str, list[str]],
    dossiers: set[str],
    ids: dict[str, str],
    known: dict[str, dict[str, Any]],
) -> Item | None:
    tk_id = (entry.findtext(f"{ATOM}title") or "").strip().lower()
    updated = (entry.findtext(f"{ATOM}updated") or "").strip()
    document = entry.find(f"{ATOM}content/{TK}document")
    if not tk_id or document is None:
        return None
    deleted = document.get(f"{TK}verwijderd") == "true"
    if deleted:
        if tk_id not in ids:
            return None
        item = Item(source.id, ids[tk_id], _link(entry, "self") or tk_id, "gone", status=200, stamp=updated)
        item.meta = {"tk_id": tk_id, "tk_api_gewijzigd_op": updated}
        item.error = f"Verwijderd in the SyncFeed ({updated})"
        return item
    fields = {child.tag.removeprefix(TK): (child.text or "").strip() for child in document}
    if wanted.get("soort") and fields.get("soort") not in wanted["soort"]:
        return None
    refs = {str(d.get("ref") or "").lower() for d in document.findall(f"{TK}kamerstukdossier")}
    if wanted.get("dossier") and not refs & dossiers:
        return None
    datum = fields.get("datum") or ""
    if source.since and datum and datum[:10] < source.since:
        return None
    number = fields.get("documentNummer") or tk_id
    versie = document.find(f"{TK}huidigeDocumentVersie")
    length = document.get(f"{TK}contentLength")
    content_type = (document.get(f"{TK}contentType") or "").split(";")[0].strip().lower()
    meta: dict[str, Any] = {
        "tk_id": tk_id,
        "tk_documentnummer": fields.get("documentNummer") or None,
        "tk_soort": fields.get("soort") or None,
        "tk_gewijzigd_op": document.get(f"{TK}bijgewerkt"),
        "tk_api_gewijzigd_op": updated,
        "tk_datum": datum or None,
        "tk_volgnummer": int(fields["volgnummer"]) if fields.get("volgnummer", "").isdigit() else None,
        "tk_vergaderjaar": fields.get("vergaderjaar") or None,
        "tk_content_length": int(length) if length and length.isdigit() else None,
        "tk_versie_id": (versie.get("ref") if versie is not None else None) or None,
        "tk_source": "syncfeed",
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    enclosure = _link(entry, "enclosure")
    item = Item(source.id, number, enclosure or tk_id, "fetched", stamp=updated)
    item.meta, item.title = meta, fields.get("onderwerp") or fields.get("titel") or None
    if datum:
        item.default_date = (datum[:10], "tk")
    ids[tk_id] = number
    if unchanged_file(known.get(number), meta):
        item.outcome, item.status, item.attempts = "not-modified", 200, 1
        return item
    if not enclosure or meta.get("tk_content_length") == 0:
        item.outcome, item.error = "skipped", "the entry has no file"
        return item
    download(fetcher, item, meta.get("tk_content_length"))
    item.filename = f"{number}{EXTENSIONS.get(content_type, '')}"
    return item


def advance_state(state: dict[str, Any], items: list[Item], read_to: int | None) -> dict[str, Any]:
    """The skiptoken to resume from: where this check stopped reading, or just before the first entry
    that failed (it is read again next run), and the Ids of the documents stored."""
    state = dict(state)
    failed = [i for i in items if i.outcome == "failed" and i.position is not None]
    if failed:
        first = min(failed, key=lambda i: i.position or 0)
        resume = first.resume_from
    else:
        resume = read_to
    if resume is not None:
        state["skiptoken"] = resume
    elif "skiptoken" in state and failed:
        state.pop("skiptoken")
    ids = dict(state.get("ids") or {})
    for item in items:
        tk_id = item.meta.get("tk_id")
        if not tk_id or item.outcome == "failed":
            continue
        if item.outcome == "gone":
            ids.pop(tk_id, None)
        elif item.doc_id:
            ids[tk_id] = item.doc_id
    state["ids"] = ids
    return state
