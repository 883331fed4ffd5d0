"""A stand-in for the Tweede Kamer open-data API (gegevensmagazijn) on a :class:`LocalServer`, as unkind as the
real one.

It keeps a model of the documents (every state each went through) and a clock of its own, and answers
the two APIs from it:

- OData in one of two versions (``version``):

  - ``v5`` (``/OData/v5``, the service since 2026): ``Nummer`` and ``Ondernummer`` (-1 for none) where v4 had
    ``DocumentNummer`` and ``Volgnummer``; ``$top`` above 100 answered with HTTP 400; never a nextLink (a
    request without ``$top`` is silently cut at ``page_size``); a name the version does not have in
    ``$filter``, ``$orderby`` or ``$expand`` answered with HTTP 400; ``api_stamp=False`` drops
    ``ApiGewijzigdOp`` and ``drop`` any other field (``ContentLength``, ``HuidigeDocumentVersie``,
    ``Kamerstukdossier``: the navigation and its entity set), both from the records and from ``$metadata``;
    with ``old_prefix="gone"`` the v4 address answers every request with 410 and a page naming the new one.
  - ``v4`` (``/OData/v4/2.0``): 250 records a page with ``$skip`` nextLinks built the way the service builds
    them (the query re-encoded plus ``&$skip=250``), and nextLinks within ``$top`` when it asks for more than a
    page.

  Both: a ``$metadata`` document (CSDL) describing exactly what the records carry, the ``$filter``
  evaluated for real (:mod:`.odata`), ``$orderby`` with ties in a different order on every request,
  ``$expand`` of ``HuidigeDocumentVersie`` and ``Kamerstukdossier`` (with ``Toevoeging``), the file at
  ``Document(<Id>)/resource`` and at the link the service advertises,
  ``Document(<Id>)/TK.DA.GGM.OData.Resource()``; and ``/Kamerstukdossier`` for dossier look-ups.
- SyncFeed (``/SyncFeed/2.0/Feed?category=Document[&skiptoken=N]``), the same in both versions: an Atom log of
  every change in the order it became visible, each entry with its own ``rel="next"`` link (the skiptoken
  after it) and an enclosure link to ``/SyncFeed/2.0/Resources/<Id>``; an entity's earlier entry is dropped
  when it changes again. ``category=Kamerstukdossier`` lists the dossiers (``<nummer>``, ``<toevoeging>``).

Unkind on purpose, as the real service is (see docs/watching.md for the sources): a change made at
``GewijzigdOp`` (local time, offset, 7 fractional digits) becomes visible ``lag`` later, at
``ApiGewijzigdOp`` (UTC); with ``race`` a record's ``ApiGewijzigdOp`` is assigned up to that long
before it actually shows; ``Datum`` is local midnight with its offset; a deleted document is stripped to
``Id``, its stamps and ``Verwijderd``. ``advance()`` moves the clock; ``settle()`` moves it past every
pending change.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .localserver import LocalServer, Reply, Request
from .odata import ODataError, compile_filter, names_compared, parse_instant

PREFIXES = {"v4": "/OData/v4/2.0", "v5": "/OData/v5"}
PREFIX = PREFIXES["v4"]
FEED = "/SyncFeed/2.0"
V5_NAMES = {"DocumentNummer": "Nummer", "Volgnummer": "Ondernummer"}  # v4 name → v5 name
V5_TOP = 100
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
    "txt": "text/plain",
}
NAVIGATION = ("HuidigeDocumentVersie", "Kamerstukdossier")


def amsterdam_offset(moment: datetime) -> timedelta:
    """Central European (Summer) Time: +02:00 from the last Sunday of March 01:00 UTC to the last Sunday of
    October 01:00 UTC, else +01:00."""

    def last_sunday(month: int) -> datetime:
        day = date(moment.year, month, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        return datetime(day.year, day.month, day.day, 1, tzinfo=UTC)

    utc = moment.astimezone(UTC)
    return timedelta(hours=2) if last_sunday(3) <= utc < last_sunday(10) else timedelta(hours=1)


def local_stamp(moment: datetime) -> str:
    """``2024-11-29T10:07:00.0012340+01:00``: local time with its offset and 7 fractional digits (.NET)."""
    offset = amsterdam_offset(moment)
    local = moment.astimezone(UTC) + offset
    sign = "+" if offset >= timedelta(0) else "-"
    hours = int(abs(offset).total_seconds()) // 3600
    return local.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"0{sign}{hours:02d}:00"


def utc_stamp(moment: datetime) -> str:
    """``2024-11-29T09:07:00.0012340Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def local_midnight(day: str) -> str:
    """A ``Datum`` value: the day's local midnight with its offset (``2024-11-01T00:00:00+01:00``)."""
    d = date.fromisoformat(day)
    offset = amsterdam_offset(datetime(d.year, d.month, d.day, tzinfo=UTC))
    return f"{day}T00:00:00+{int(offset.total_seconds()) // 3600:02d}:00"


@dataclass
class State:
    """One state of a document: what the API shows from ``visible_at`` on."""

    record: dict[str, Any]
    data: bytes | None
    visible_at: datetime
    deleted: bool = False


@dataclass
class Doc:
    """A document of the model, with every state it went through."""

    id: str
    number: str
    states: list[State] = field(default_factory=list)


@dataclass
class FakeTK:
    server: LocalServer
    page_size: int = 250
    lag: timedelta = timedelta(hours=16)  # GewijzigdOp → ApiGewijzigdOp (a recorded real pair: ~16 h)
    race: timedelta = timedelta(0)  # how long before showing a record's ApiGewijzigdOp may be assigned
    seed: int = 0
    advertise_resource: bool = False  # records carry the advertised file link; the short /resource is 404
    clock: datetime = datetime(2024, 11, 29, 9, 0, tzinfo=UTC)
    between_pages: Any = None  # called after each Document listing is answered (to change data mid-paging)
    version: str = "v4"  # v4 | v5: which OData the service speaks (see the module docstring)
    api_stamp: bool = True  # records carry ApiGewijzigdOp
    drop: tuple[str, ...] = ()  # other fields (v5 names) the service does not have
    old_prefix: str = "serve"  # v5 only: "gone" answers the v4 address with 410
    metadata: bool = True  # serve $metadata
    docs: dict[str, Doc] = field(default_factory=dict)  # by DocumentNummer
    dossiers: dict[tuple[int, str | None], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.requests = 0
        self._feed: list[tuple[int, str, int]] = []  # (skiptoken, document number, state index)
        self._fed: set[tuple[str, int]] = set()
        self._token = 1000
        self.prefix = PREFIXES[self.version]
        self.server.route(f"{self.prefix}/Document", self._list)
        if "Kamerstukdossier" not in self.drop:
            self.server.route(f"{self.prefix}/Kamerstukdossier", self._dossiers)
        if self.metadata:
            self.server.route(
                f"{self.prefix}/$metadata", lambda _r: Reply(body=self.csdl(), content_type="application/xml")
            )
        if self.version == "v5" and self.old_prefix == "gone":
            self.server.fallback = self._gone
        self.server.route(f"{FEED}/Feed", self._feed_page)

    # -- the clock ---------------------------------------------------------------------------------

    @property
    def api(self) -> str:
        return self.server.url(self.prefix)

    @property
    def old_api(self) -> str:
        return self.server.url(PREFIXES["v4"])

    @property
    def feed(self) -> str:
        return self.server.url(FEED)

    def advance(self, **delta: float) -> None:
        self.clock += timedelta(**delta)

    def settle(self) -> None:
        """Move the clock past every change still on its way to the API."""
        pending = [s.visible_at for d in self.docs.values() for s in d.states if s.visible_at > self.clock]
        if pending:
            self.clock = max(pending) + timedelta(seconds=1)

    # -- changes -----------------------------------------------------------------------------------

    def _change(self, doc: Doc, record: dict[str, Any], data: bytes | None, *, deleted: bool = False) -> dict:
        self.clock += timedelta(seconds=self.random.randint(1, 90), microseconds=self.random.randint(0, 999_999))
        return self._append(doc, record, data, self.clock, deleted=deleted)

    def _append(
        self, doc: Doc, record: dict[str, Any], data: bytes | None, changed: datetime, *, deleted: bool = False
    ) -> dict:
        """A new state changed at ``changed``: visible ``lag`` later (``race``: its stamp up to that much
        before it shows), never before the document's previous state."""
        api_stamp = changed + self.lag
        if doc.states:  # a document's states show in the order they were made
            api_stamp = max(api_stamp, parse_instant(doc.states[-1].record["ApiGewijzigdOp"]) + timedelta(seconds=1))
        visible = api_stamp + timedelta(seconds=self.random.uniform(0, self.race.total_seconds()))
        if doc.states:
            visible = max(visible, doc.states[-1].visible_at + timedelta(microseconds=1))
        record = {**record, "GewijzigdOp": local_stamp(changed), "ApiGewijzigdOp": utc_stamp(api_stamp)}
        for nav in record.get("Kamerstukdossier") or []:
            nav.update(GewijzigdOp=record["GewijzigdOp"], ApiGewijzigdOp=record["ApiGewijzigdOp"])
        doc.states.append(State(record, data, visible, deleted))
        return record

    def publish(
        self,
        number: str,
        data: bytes,
        *,
        fmt: str,
        onderwerp: str,
        datum: str,
        dossier: int = 32317,
        toevoeging: str | None = None,
        soort: str = "Brief regering",
        volgnummer: int = 906,
    ) -> dict[str, Any]:
        """A new document (visible ``lag`` later)."""
        doc = self.docs[number] = Doc(str(uuid.UUID(int=self.random.getrandbits(128), version=4)), number)
        key = (dossier, toevoeging)
        self.dossiers.setdefault(key, str(uuid.uuid5(uuid.NAMESPACE_OID, f"{dossier}-{toevoeging}")))
        record = {
            "Id": doc.id,
            "Soort": soort,
            "DocumentNummer": number,
            "Titel": "JBZ-Raad",
            "Onderwerp": onderwerp,
            "Datum": local_midnight(datum),
            "Vergaderjaar": "2024-2025",
            "Kamer": 2,
            "Volgnummer": volgnummer,
            "Citeertitel": None,
            "Alias": None,
            "DatumRegistratie": local_stamp(self.clock),
            "DatumOntvangst": None,
            "Aanhangselnummer": None,
            "KenmerkAfzender": "6015843",
            "Organisatie": "Justitie en Veiligheid",
            "ContentType": CONTENT_TYPES[fmt],
            "ContentLength": len(data),
            "Verwijderd": False,
            "HuidigeDocumentVersie_Id": None,
            "HuidigeDocumentVersie": None,
            "Kamerstukdossier": [
                {
                    "Id": self.dossiers[key],
                    "Titel": "JBZ-Raad",
                    "Citeertitel": None,
                    "Alias": None,
                    "Nummer": dossier,
                    "Toevoeging": toevoeging,
                    "HoogsteVolgnummer": volgnummer,
                    "Afgesloten": False,
                    "Kamer": "Tweede Kamer",
                    "Verwijderd": False,
                }
            ],
        }
        self._versie(record, 1, fmt, len(data))
        return self._change(doc, record, data)

    def _versie(self, record: dict[str, Any], n: int, fmt: str, size: int) -> None:
        versie_id = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
        record["HuidigeDocumentVersie_Id"] = versie_id
        record["HuidigeDocumentVersie"] = {
            "Id": versie_id,
            "Status": "Vrijgegeven",
            "Versienummer": n,
            "Bestandsgrootte": size,
            "Extensie": f".{fmt}",
            "Datum": record["Datum"],
            "Verwijderd": False,
        }

    def _current(self, number: str) -> State:
        return self.docs[number].states[-1]

    def revise(self, number: str, data: bytes, *, fmt: str) -> dict[str, Any]:
        """A new "versie" of a document: new file, higher Versienummer, new stamps."""
        record = json.loads(json.dumps(self._current(number).record))
        versie = record["HuidigeDocumentVersie"]["Versienummer"] + 1
        self._versie(record, versie, fmt, len(data))
        record.update(ContentLength=len(data), ContentType=CONTENT_TYPES[fmt])
        return self._change(self.docs[number], record, data)

    def replace_silently(self, number: str, data: bytes) -> dict[str, Any]:
        """The file changes but no new version is registered (same DocumentVersie, same Versienummer)."""
        record = json.loads(json.dumps(self._current(number).record))
        record["ContentLength"] = len(data)
        record["HuidigeDocumentVersie"]["Bestandsgrootte"] = len(data)
        return self._change(self.docs[number], record, data)

    def touch(self, number: str) -> dict[str, Any]:
        """The record changes (e.g. a new relation) but the file does not."""
        state = self._current(number)
        return self._change(self.docs[number], json.loads(json.dumps(state.record)), state.data)

    def retouch_all(self) -> None:
        """A data fix re-touches every record at once: one stamp for all (OpenDataPortaal #127)."""
        self.clock += timedelta(minutes=1)
        for doc in self.docs.values():
            state = doc.states[-1]
            self._append(doc, json.loads(json.dumps(state.record)), state.data, self.clock, deleted=state.deleted)

    def delete(self, number: str) -> dict[str, Any]:
        """Soft delete: the record is stripped to its Id, stamps and ``Verwijderd: true``."""
        doc = self.docs[number]
        return self._change(doc, {"Id": doc.id, "Verwijderd": True}, None, deleted=True)

    # -- what the API shows ------------------------------------------------------------------------

    def visible(self, doc: Doc) -> State | None:
        shown = [s for s in doc.states if s.visible_at <= self.clock]
        return shown[-1] if shown else None

    # -- names by version --------------------------------------------------------------------------

    def _names(self, record: dict[str, Any]) -> dict[str, Any]:
        """A record (kept in v4 names) as this version of the service names and carries it."""
        out = {}
        for key, value in record.items():
            if self.version == "v5":
                key = V5_NAMES.get(key, key)
                if key == "Ondernummer" and value is None:
                    value = -1
            if key in self.drop or (key == "ApiGewijzigdOp" and not self.api_stamp):
                continue
            if key == "HuidigeDocumentVersie_Id" and "HuidigeDocumentVersie" in self.drop:
                continue
            if key == "Kamerstukdossier" and isinstance(value, list):
                value = [{k: v for k, v in d.items() if self.api_stamp or k != "ApiGewijzigdOp"} for d in value]
            out[key] = value
        return out

    def properties(self) -> set[str]:
        """The Document properties and navigations of this version (what ``$metadata`` lists)."""
        some = next((s.record for d in self.docs.values() for s in d.states if not s.deleted), None)
        keys = set(self._names(some or self._template()))
        return keys

    def _template(self) -> dict[str, Any]:
        keys = (
            "Id Soort DocumentNummer Titel Onderwerp Datum Vergaderjaar Kamer Volgnummer Citeertitel Alias "
            "DatumRegistratie DatumOntvangst Aanhangselnummer KenmerkAfzender Organisatie ContentType ContentLength "
            "Verwijderd HuidigeDocumentVersie_Id HuidigeDocumentVersie Kamerstukdossier GewijzigdOp ApiGewijzigdOp"
        ).split()
        return dict.fromkeys(keys)

    def csdl(self) -> bytes:
        """The ``$metadata`` document: an OData CSDL (EDMX) with exactly the fields the records carry."""
        ns = "TK.DA.GGM.OData"
        props = sorted(self.properties() - set(NAVIGATION))
        types = {
            "Datum": "Edm.DateTimeOffset",
            "GewijzigdOp": "Edm.DateTimeOffset",
            "ApiGewijzigdOp": "Edm.DateTimeOffset",
        }

        def prop(name: str) -> str:
            kind = types.get(
                name, "Edm.Int64" if name in ("ContentLength", "Ondernummer", "Volgnummer") else "Edm.String"
            )
            return f'<Property Name="{name}" Type="{kind}"/>'

        def entity(name: str, fields: list[str]) -> str:
            key = '<Key><PropertyRef Name="Id"/></Key>'
            return f'<EntityType Name="{name}">{key}{"".join(map(prop, fields))}</EntityType>'

        stamps = ["GewijzigdOp"] + (["ApiGewijzigdOp"] if self.api_stamp else [])
        nav = [
            f'<NavigationProperty Name="HuidigeDocumentVersie" Type="{ns}.DocumentVersie"/>'
            if "HuidigeDocumentVersie" not in self.drop
            else "",
            f'<NavigationProperty Name="Kamerstukdossier" Type="Collection({ns}.Kamerstukdossier)"/>'
            if "Kamerstukdossier" not in self.drop
            else "",
        ]
        versie = "Id Status Versienummer Bestandsgrootte Extensie Datum Verwijderd".split() + stamps
        dossier = "Id Titel Citeertitel Alias Nummer Toevoeging HoogsteVolgnummer Afgesloten Kamer Verwijderd".split()
        sets = ['<EntitySet Name="Document" EntityType="TK.DA.GGM.OData.Document"/>']
        if "HuidigeDocumentVersie" not in self.drop:
            sets.append(f'<EntitySet Name="DocumentVersie" EntityType="{ns}.DocumentVersie"/>')
        if "Kamerstukdossier" not in self.drop:
            sets.append(f'<EntitySet Name="Kamerstukdossier" EntityType="{ns}.Kamerstukdossier"/>')
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">'
            f'<edmx:DataServices><Schema Namespace="{ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">'
            f'<EntityType Name="Document"><Key><PropertyRef Name="Id"/></Key>{"".join(map(prop, props))}{"".join(nav)}'
            "</EntityType>"
            f"{entity('DocumentVersie', versie)}"
            f"{entity('Kamerstukdossier', dossier + stamps) if 'Kamerstukdossier' not in self.drop else ''}"
            f'<Function Name="Resource" IsBound="true"><Parameter Name="bindingParameter" Type="{ns}.Document"/>'
            '<ReturnType Type="Edm.Stream"/></Function>'
            f'<EntityContainer Name="Container">{"".join(sets)}</EntityContainer>'
            "</Schema></edmx:DataServices></edmx:Edmx>"
        )
        return xml.encode("utf-8")

    def _gone(self, request: Request) -> Reply | None:
        """v5 with ``old_prefix="gone"``: the v4 address answers 410 with a page that names the new one."""
        if not request.path.startswith(PREFIXES["v4"]):
            return None
        body = (
            "<!DOCTYPE html><html><head><title>410 Gone</title></head><body><h1>OData v4 is uitgefaseerd</h1>"
            f"<p>Deze versie van de OData API is niet meer beschikbaar. Gebruik {self.api}</p></body></html>"
        )
        return Reply(status=410, body=body.encode(), content_type="text/html; charset=utf-8")

    def _serialize(self, doc: Doc, state: State, expand: list[str]) -> dict[str, Any]:
        if state.deleted:
            return self._names(dict(state.record))
        out = {k: v for k, v in self._names(state.record).items() if k not in NAVIGATION}
        for nav in expand:
            out[nav] = self._names({nav: state.record[nav]})[nav]
        if self.advertise_resource:
            out["#TK.DA.GGM.OData.Resource"] = {
                "title": "TK.DA.GGM.OData.Resource",
                "target": f"{self.api}/Document({doc.id})/TK.DA.GGM.OData.Resource()",
            }
        return out

    def _list(self, request: Request) -> Reply:
        self.requests += 1
        q = {k: v[0] for k, v in request.query.items()}
        expand = [e.strip() for e in q.get("$expand", "").split(",") if e.strip()]
        known = self.properties()
        for name in [
            *expand,
            *names_compared(q.get("$filter", "")),
            *(c.split()[0] for c in q.get("$orderby", "").split(",") if c.strip()),
        ]:
            if name not in known:
                return _error(f"Could not find a property named '{name}' on type 'TK.DA.GGM.OData.Document'.")
        if self.version == "v5" and "$top" in q and int(q["$top"]) > V5_TOP:
            return _error(
                f"The limit of '{V5_TOP}' for Top query has been exceeded. "
                f"The value from the incoming request is '{q['$top']}'."
            )
        try:
            predicate = compile_filter(q.get("$filter", ""))
            rows = []
            for doc in self.docs.values():
                state = self.visible(doc)
                if state is None:
                    continue
                full = self._names(state.record)
                if predicate(full):
                    rows.append(self._serialize(doc, state, expand))
                    self._route_files(doc)
            rows = self._order(rows, q.get("$orderby", ""))
        except ODataError as exc:
            return _error(str(exc))
        skip = int(q.get("$skip", 0))
        top = int(q["$top"]) if "$top" in q else None
        body: dict[str, Any] = {"@odata.context": f"{self.api}/$metadata#Document"}
        if self.version == "v5":  # $top honoured (≤ 100), never a nextLink: without $top, silently cut
            body["value"] = rows[skip : skip + (top if top is not None else self.page_size)]
        else:
            end = len(rows) if top is None else min(len(rows), skip + top)
            size = self.page_size
            body["value"] = rows[skip : min(end, skip + size)]
            if skip + size < end:
                rest = {k: v for k, v in q.items() if k != "$skip"}
                query = "&".join(f"{k}={quote(v, safe='')}" for k, v in rest.items())  # as recorded: see tests
                if top is not None:
                    query = query.replace(f"$top={top}", f"$top={top - size}")
                body["@odata.nextLink"] = f"{self.api}/Document?{query}&$skip={skip + size}"
        reply = Reply(body=json.dumps(body).encode(), content_type="application/json; odata.metadata=minimal")
        if self.between_pages is not None:
            self.between_pages(self)
        return reply

    def _order(self, rows: list[dict[str, Any]], orderby: str) -> list[dict[str, Any]]:
        self.random.shuffle(rows)  # ties come back in a different order on every request
        for clause in reversed([c.strip() for c in orderby.split(",") if c.strip()]):
            name, _, direction = clause.partition(" ")
            if direction not in ("", "asc", "desc"):
                raise ODataError(f"The query specified in the URI is not valid: $orderby {orderby!r}")

            def key(row: dict[str, Any], name: str = name) -> Any:
                value = row.get(name)
                if isinstance(value, str) and name.endswith(("GewijzigdOp", "Datum")):
                    return (1, parse_instant(value))
                return (0, "") if value is None else (1, value)

            rows.sort(key=key, reverse=direction == "desc")
        return rows

    def _route_files(self, doc: Doc, *, force: bool = False) -> None:
        """Serve the document's file at its three addresses (each once: a test may replace a route after)."""

        def serve(_request: Request, doc: Doc = doc) -> Reply:
            state = self.visible(doc)
            if state is None or state.deleted or state.data is None:
                return Reply(status=404, body=b"")
            return Reply(body=state.data, content_type=state.record["ContentType"])

        routes = {
            f"{self.prefix}/Document({doc.id})/resource": Reply(status=404) if self.advertise_resource else serve,
            f"{self.prefix}/Document({doc.id})/TK.DA.GGM.OData.Resource()": serve,
            f"{FEED}/Resources/{doc.id}": serve,
        }
        for path, reply in routes.items():
            if force or path not in self.server.routes:
                self.server.route(path, reply)

    def _dossiers(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        try:
            predicate = compile_filter(q.get("$filter", ""))
        except ODataError as exc:
            return _error(str(exc))
        rows = [
            {"Id": ident, "Nummer": number, "Toevoeging": suffix, "Titel": "JBZ-Raad", "Verwijderd": False}
            for (number, suffix), ident in self.dossiers.items()
        ]
        rows = [r for r in rows if predicate(r)]
        body = {"@odata.context": f"{self.api}/$metadata#Kamerstukdossier", "value": rows}
        return Reply(body=json.dumps(body).encode(), content_type="application/json")

    # -- SyncFeed ----------------------------------------------------------------------------------

    def _grow_feed(self) -> None:
        """Append the changes that became visible since the last request, in the order they did."""
        new = sorted(
            (s.visible_at, doc.number, n)
            for doc in self.docs.values()
            for n, s in enumerate(doc.states)
            if s.visible_at <= self.clock and (doc.number, n) not in self._fed
        )
        for _when, number, n in new:
            self._fed.add((number, n))
            self._feed = [e for e in self._feed if e[1] != number]  # an entity's earlier entry is dropped
            self._token += self.random.randint(1, 40)
            self._feed.append((self._token, number, n))
            self._route_files(self.docs[number])

    def _feed_page(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        if q.get("category") == "Kamerstukdossier":
            return self._dossier_feed()
        if q.get("category") != "Document":
            return Reply(status=400, body=b"category must be Document or Kamerstukdossier in this stand-in")
        self._grow_feed()
        after = int(q.get("skiptoken", 0))
        entries = [e for e in self._feed if e[0] > after]
        page, more = entries[: self.page_size], len(entries) > self.page_size
        base = self.feed
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0">',
            "<title>Gegevensmagazijn SyncFeed (category: Document)</title>",
            f'<link rel="self" href={quoteattr(f"{base}/Feed?category=Document")}/>',
        ]
        last = page[-1][0] if page else after
        rel = "next" if more else "resume"
        parts.append(
            f"<link rel={quoteattr(rel)} href={quoteattr(f'{base}/Feed?skiptoken={last}&category=Document')}/>"
        )
        parts.append(f"<updated>{utc_stamp(self.clock)}</updated>")
        for token, number, n in page:
            parts.append(self._entry(self.docs[number], self.docs[number].states[n], token))
        parts.append("</feed>")
        return Reply(body="\n".join(parts).encode(), content_type="application/atom+xml; charset=utf-8")

    def _dossier_feed(self) -> Reply:
        """``category=Kamerstukdossier``: every dossier on one page, as ``<kamerstukdossier id=…><nummer>``."""
        entries = []
        for (number, suffix), ident in self.dossiers.items():
            toevoeging = f"<toevoeging>{escape(suffix)}</toevoeging>" if suffix else "<toevoeging/>"
            entries.append(
                f"<entry><title>{ident}</title><id>{self.feed}/Entiteiten/{ident}</id>"
                '<content type="application/xml"><kamerstukdossier xmlns="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                'xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                f'id="{ident}" tk:bijgewerkt="{local_stamp(self.clock)}" tk:verwijderd="false">'
                f"<titel>JBZ-Raad</titel><nummer>{number}</nummer>{toevoeging}</kamerstukdossier></content></entry>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Gegevensmagazijn SyncFeed (category: Kamerstukdossier)</title>" + "".join(entries) + "</feed>"
        )
        return Reply(body=body.encode(), content_type="application/atom+xml; charset=utf-8")

    def _entry(self, doc: Doc, state: State, token: int) -> str:
        r, base = state.record, self.feed
        lines = [
            "<entry>",
            f"<title>{doc.id}</title>",
            f"<id>{base}/Entiteiten/{doc.id}</id>",
            f"<updated>{r['ApiGewijzigdOp']}</updated>",
            '<category term="document"/>',
            f'<link rel="next" href={quoteattr(f"{base}/Feed?skiptoken={token}&category=Document")}/>',
        ]
        if state.deleted:
            lines.append(
                '<content type="application/xml"><document xmlns="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                'xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                f'id="{doc.id}" tk:bijgewerkt="{r["GewijzigdOp"]}" tk:verwijderd="true"/></content>'
            )
        else:
            lines.append(f'<link rel="enclosure" href={quoteattr(f"{base}/Resources/{doc.id}")}/>')
            fields = "".join(
                f"<{tag}>{escape(str(r[key]))}</{tag}>"
                for tag, key in (
                    ("soort", "Soort"),
                    ("documentNummer", "DocumentNummer"),
                    ("titel", "Titel"),
                    ("onderwerp", "Onderwerp"),
                    ("datum", "Datum"),
                    ("vergaderjaar", "Vergaderjaar"),
                    ("volgnummer", "Volgnummer"),
                )
                if r.get(key) is not None
            )
            dossiers = "".join(f'<kamerstukdossier ref="{d["Id"]}"/>' for d in r["Kamerstukdossier"])
            lines.append(
                '<content type="application/xml"><document xmlns="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                'xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
                f'id="{doc.id}" tk:bijgewerkt="{r["GewijzigdOp"]}" tk:verwijderd="false" '
                f'tk:contentType="{r["ContentType"]}" tk:contentLength="{r["ContentLength"]}">'
                f'{fields}{dossiers}<huidigeDocumentVersie ref="{r["HuidigeDocumentVersie_Id"]}"/>'
                "</document></content>"
            )
        lines.append("</entry>")
        return "\n".join(lines)


def _error(message: str) -> Reply:
    body = json.dumps({"error": {"code": "", "message": message}}).encode()
    return Reply(status=400, body=body, content_type="application/json")
