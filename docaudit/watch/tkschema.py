"""What the Tweede Kamer OData service calls things, read from the service itself.

The service moved from ``/OData/v4/2.0`` to ``/OData/v5`` in 2026 and renamed attributes on the way
(``DocumentNummer`` → ``Nummer``, ``Volgnummer`` → ``Ondernummer``) and dropped others. docaudit no longer
hard-codes the names: it reads the service's ``$metadata`` (CSDL), once per run, and maps each of its
*logical* fields to the name the service has, from :data:`FIELDS`. A rename is one more candidate in that
table; a field the service lacks leaves the logical field unmapped, and the feature that needs it degrades
with a warning that names the field (:meth:`Schema.warnings`).

Records are read into logical names at once (:meth:`Schema.read`), so the rest of the ``tk:`` code never
sees a service name.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import DocauditError

V5 = "https://gegevensmagazijn.tweedekamer.nl/OData/v5"
OVERLAP = timedelta(hours=1)  # how far back each check looks again on ApiGewijzigdOp
OVERLAP_MODIFIED = timedelta(hours=72)  # … on GewijzigdOp, when the service has no ApiGewijzigdOp


@dataclass(frozen=True)
class Field:
    """One logical field: on which entity type, the names the service has used for it (newest first), and
    what in docaudit needs it (said in the warning when the service lacks it)."""

    entity: str
    names: tuple[str, ...]
    needed_for: str
    navigation: bool = False


FIELDS: dict[str, Field] = {
    "id": Field("Document", ("Id",), "every tk: source (records are told apart by Id)"),
    "number": Field("Document", ("Nummer", "DocumentNummer"), "tk:NUMBER sources and document ids"),
    "subnumber": Field("Document", ("Ondernummer", "Volgnummer"), "the Kamerstuk number kept with a version"),
    "modified": Field("Document", ("GewijzigdOp",), "the cursor when the API stamp is missing"),
    "api_stamp": Field(
        "Document", ("ApiGewijzigdOp",), "the cursor on visibility (without it: GewijzigdOp with a wide overlap)"
    ),
    "deleted": Field("Document", ("Verwijderd",), "seeing deletions"),
    "soort": Field("Document", ("Soort",), "the document kind kept with a version"),
    "date": Field("Document", ("Datum",), "--since and the letter date"),
    "subject": Field("Document", ("Onderwerp",), "the document title"),
    "title": Field("Document", ("Titel",), "the document title when there is no Onderwerp"),
    "year": Field("Document", ("Vergaderjaar",), "the vergaderjaar kept with a version"),
    "citation": Field("Document", ("Citeertitel",), "the citeertitel kept with a version"),
    "content_type": Field("Document", ("ContentType",), "the file's extension"),
    "content_length": Field("Document", ("ContentLength",), "checking that a download is whole"),
    "current_version": Field(
        "Document",
        ("HuidigeDocumentVersie",),
        "seeing a new versie whose record stamp did not change",
        navigation=True,
    ),
    "version_number": Field("DocumentVersie", ("Versienummer",), "the versie number kept with a version"),
    "dossier": Field("Document", ("Kamerstukdossier",), "tk:dossier/ sources", navigation=True),
    "dossier_number": Field(
        "Kamerstukdossier", ("Nummer",), "tk:dossier/ sources and tk:feed?dossier= (looking the dossier up)"
    ),
    "dossier_suffix": Field("Kamerstukdossier", ("Toevoeging",), "a dossier's Toevoeging (36800-XV)"),
}
# which logical fields each kind of source cannot work without
REQUIRED = {
    "tk-document": ("id", "number", "deleted"),
    "tk-dossier": ("id", "number", "deleted", "dossier", "dossier_number"),
    "tk-query": ("id", "deleted"),
    "tk-feed": (),
}
_SAFE = "'(),:/=*"  # left as they are in a $filter value, as working clients send it


class SchemaError(DocauditError):
    """The service's $metadata cannot be read."""


@dataclass
class Schema:
    """The service at ``api`` as its ``$metadata`` describes it."""

    api: str
    names: dict[str, str | None]
    entity_sets: dict[str, str] = field(default_factory=dict)  # entity type → entity set (URL segment)
    properties: dict[str, list[str]] = field(default_factory=dict)  # entity type → its property names
    resource: str | None = None  # how the file is reached: "function" (…Resource()), "stream", None
    odata_version: str | None = None  # the CSDL's Version ("4.0")
    sha256: str = ""
    origin: str = "service"  # service | cache | assumed

    @property
    def version(self) -> str:
        """``v5`` or ``v4`` by the names the service uses (``unknown`` when it uses neither)."""
        number = self.names.get("number")
        return {"Nummer": "v5", "DocumentNummer": "v4"}.get(number or "", "unknown")

    def has(self, logical: str) -> bool:
        return bool(self.names.get(logical))

    def name(self, logical: str) -> str:
        """The service's name for a logical field; raises :class:`Degraded` naming it when there is none."""
        name = self.names.get(logical)
        if not name:
            spec = FIELDS[logical]
            also = " (follow a dossier through the SyncFeed instead: docaudit track 'tk:feed?dossier=N')"
            raise Degraded(
                f"the API at {self.api} has no {spec.entity}.{' or '.join(spec.names)}, which {spec.needed_for} "
                "needs" + (also if logical.startswith("dossier") else "")
            )
        return name

    def entity_set(self, entity: str) -> str:
        return self.entity_sets.get(entity, entity)

    @property
    def cursor_field(self) -> str:
        """The stamp a change cursor runs on: ``ApiGewijzigdOp`` when the service has it."""
        return self.names.get("api_stamp") or self.name("modified")

    @property
    def missing(self) -> list[str]:
        return [k for k in FIELDS if not self.names.get(k)]

    def warnings(self) -> list[str]:
        """One line per field the service lacks, with what it costs."""
        out = []
        for logical in self.missing:
            spec = FIELDS[logical]
            out.append(f"no {spec.entity}.{spec.names[0]}: {spec.needed_for} degrades")
        if self.resource is None:
            out.append("no file link (Resource function or media stream) in $metadata: trying Document(Id)/resource")
        return out

    def usable_for(self, kind: str) -> list[str]:
        """The logical fields a source of ``kind`` needs and the service lacks (empty: it will work)."""
        return [f for f in REQUIRED.get(kind, ()) if not self.names.get(f)]

    def expand(self) -> str:
        return ",".join(self.names[f] for f in ("current_version", "dossier") if self.names.get(f))  # type: ignore[misc]

    def read(self, record: dict[str, Any]) -> dict[str, Any]:
        """A record of the service in docaudit's logical names (absent fields left out; an ``Ondernummer``
        of -1 means none)."""
        out: dict[str, Any] = {}
        for logical, spec in FIELDS.items():
            name = self.names.get(logical)
            if spec.entity != "Document" or spec.navigation or not name or name not in record:
                continue
            out[logical] = record[name]
        if isinstance(out.get("subnumber"), int) and out["subnumber"] < 0:
            out["subnumber"] = None
        nav = self.names.get("current_version")
        versie = record.get(nav) if nav else None
        if isinstance(versie, dict):
            number = self.names.get("version_number")
            out["current_version"] = {"id": versie.get("Id"), "number": versie.get(number) if number else None}
        elif nav and isinstance(record.get(f"{nav}_Id"), str):
            out["current_version"] = {"id": record[f"{nav}_Id"], "number": None}
        nav = self.names.get("dossier")
        dossiers = record.get(nav) if nav else None
        if isinstance(dossiers, list):
            num, suf = self.names.get("dossier_number"), self.names.get("dossier_suffix")
            out["dossiers"] = [
                {"number": d.get(num) if num else None, "suffix": d.get(suf) if suf else None}
                for d in dossiers
                if isinstance(d, dict)
            ]
        for key in ("#TK.DA.GGM.OData.Resource", "@odata.mediaReadLink"):
            value = record.get(key)
            target = value.get("target") if isinstance(value, dict) else value
            if isinstance(target, str) and target.startswith(("http://", "https://")):
                out["link"] = target
                break
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "version": self.version,
            "odata_version": self.odata_version,
            "origin": self.origin,
            "sha256": self.sha256,
            "fields": {
                k: {
                    "entity": FIELDS[k].entity,
                    "name": self.names.get(k),
                    "candidates": list(FIELDS[k].names),
                    "needed_for": FIELDS[k].needed_for,
                }
                for k in FIELDS
            },
            "missing": self.missing,
            "resource": self.resource,
            "entity_sets": self.entity_sets,
        }


class Degraded(DocauditError):
    """A feature needs a field the service does not have."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_metadata(data: bytes, api: str) -> Schema:
    """A :class:`Schema` from a CSDL ``$metadata`` document (XML). Refuses DTDs; any namespace."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise SchemaError(f"the $metadata of {api} declares a DTD; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SchemaError(f"the $metadata of {api} is not XML: {exc}") from None
    if _local(root.tag) != "Edmx":
        raise SchemaError(f"the $metadata of {api} is not an OData CSDL document (root <{_local(root.tag)}>)")
    properties: dict[str, list[str]] = {}
    navigation: dict[str, list[str]] = {}
    streams: set[str] = set()
    entity_sets: dict[str, str] = {}
    functions: set[str] = set()
    for element in root.iter():
        kind = _local(element.tag)
        if kind == "EntityType" and element.get("Name"):
            name = element.get("Name") or ""
            properties[name] = [p.get("Name") or "" for p in element if _local(p.tag) == "Property"]
            navigation[name] = [p.get("Name") or "" for p in element if _local(p.tag) == "NavigationProperty"]
            if element.get("HasStream", "").lower() == "true":
                streams.add(name)
        elif kind == "EntitySet" and element.get("Name") and element.get("EntityType"):
            entity_sets[(element.get("EntityType") or "").rsplit(".", 1)[-1]] = element.get("Name") or ""
        elif kind == "Function" and element.get("IsBound", "").lower() == "true":
            params = [p for p in element if _local(p.tag) == "Parameter"]
            if params and (params[0].get("Type") or "").rsplit(".", 1)[-1] == "Document":
                functions.add(element.get("Name") or "")
    if "Document" not in properties:
        raise SchemaError(f"the $metadata of {api} describes no Document entity type")
    names: dict[str, str | None] = {}
    for logical, spec in FIELDS.items():
        have = navigation if spec.navigation else properties
        present = set(have.get(spec.entity, []))
        names[logical] = next((n for n in spec.names if n in present), None)
    resource = "function" if "Resource" in functions else "stream" if "Document" in streams else None
    return Schema(
        api=api,
        names=names,
        entity_sets=entity_sets,
        properties={k: sorted({*v, *navigation.get(k, [])}) for k, v in properties.items()},
        resource=resource,
        odata_version=root.get("Version"),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def assumed(api: str) -> Schema:
    """The names a service at ``api`` most likely has, when its ``$metadata`` cannot be read: v5's for a
    ``/v5`` address, v4's otherwise."""
    v5 = "/v5" in api.lower()
    names = {k: spec.names[0] if v5 or len(spec.names) == 1 else spec.names[-1] for k, spec in FIELDS.items()}
    if v5:  # unknown whether these survived: assume the worst, so nothing relies on them silently
        for k in ("api_stamp", "current_version", "content_length"):
            names[k] = None
    return Schema(api=api, names=names, resource="function" if not v5 else None, origin="assumed")


def query_string(params: dict[str, str]) -> str:
    """``$filter=…&$top=100``: OData system options with a literal ``$`` (never ``%24``) and spaces as
    ``%20`` (never ``+``), as the service's working clients send them."""
    from urllib.parse import quote

    return "&".join(f"{key}={quote(value, safe=_SAFE)}" for key, value in params.items())


_IDENTIFIER = re.compile(r"(?<![\w/'])([A-Za-z_]\w*)\s+(?:eq|ne|gt|ge|lt|le)\b")


def unknown_fields(odata_filter: str, schema: Schema) -> list[str]:
    """Property names a user's ``$filter`` compares that the service's Document does not have
    (``DocumentNummer`` on v5), each with the logical field's current name when docaudit knows it."""
    present = set(schema.properties.get("Document", []))
    if not present:
        return []
    out = []
    for name in dict.fromkeys(_IDENTIFIER.findall(re.sub(r"'(?:[^']|'')*'", "''", odata_filter))):
        if name in present or name in ("and", "or", "not"):
            continue
        now_called = next((schema.names.get(k) for k, s in FIELDS.items() if name in s.names), None)
        out.append(f"{name} (now {now_called})" if now_called else name)
    return out


def parse_stamp(value: str) -> datetime:
    """An API time (``…Z`` or with an offset, up to 7 fractional digits) as an aware datetime in UTC."""
    value = re.sub(r"(\.\d{6})\d+", r"\1", value.strip()).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def describe_cursor(state: dict[str, Any]) -> str | None:
    """How a ``tk:`` OData source keeps its place, for ``sources``: ``ApiGewijzigdOp −1h ≥ 2024-11-29T09:07:00Z``
    (``GewijzigdOp −72h (no ApiGewijzigdOp) ≥ …`` when the service lacks the API stamp)."""
    if not state.get("cursor"):
        return None
    field_name = state.get("cursor_on") or "ApiGewijzigdOp"
    window = OVERLAP_MODIFIED if field_name == "GewijzigdOp" else OVERLAP
    hours = state.get("overlap_hours") or window.total_seconds() / 3600
    note = " (no ApiGewijzigdOp)" if field_name == "GewijzigdOp" else ""
    return f"{field_name} −{hours:g}h{note} ≥ {parse_stamp(state['cursor']).strftime('%Y-%m-%dT%H:%M:%SZ')}"
