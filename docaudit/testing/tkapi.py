"""A stand-in for the Tweede Kamer OData API (gegevensmagazijn) on a :class:`LocalServer`.

It answers ``GET /OData/v4/2.0/Document`` with the same JSON shape as the real service
(``@odata.context``, ``value``, ``@odata.nextLink`` with ``$skip`` paging, Document records with their
expanded ``HuidigeDocumentVersie`` and ``Kamerstukdossier``) and serves ``Document(<Id>)/resource``.
It evaluates the ``$filter`` clauses docaudit sends, and answers 400 to anything else, as the real API
does to a filter it cannot parse. Records follow the field list of the API's Document entity.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from .localserver import LocalServer, Reply, Request

PREFIX = "/OData/v4/2.0"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_CLAUSES = [
    (re.compile(r"DocumentNummer eq '([^']*)'"), lambda r, m: r["DocumentNummer"] == m.group(1)),
    (
        re.compile(r"Kamerstukdossier/any\(d: d/Nummer eq (\d+)(?: and d/Toevoeging eq '([^']*)')?\)"),
        lambda r, m: any(
            d["Nummer"] == int(m.group(1)) and (m.group(2) is None or d["Toevoeging"] == m.group(2))
            for d in r["Kamerstukdossier"]
        ),
    ),
    (re.compile(r"GewijzigdOp gt (\S+?)(?=\)| and |$)"), lambda r, m: _t(r["GewijzigdOp"]) > _t(m.group(1))),
    (re.compile(r"Datum ge (\S+?)(?=\)| and |$)"), lambda r, m: _t(r["Datum"]) >= _t(m.group(1))),
    (re.compile(r"Verwijderd eq (true|false)"), lambda r, m: r["Verwijderd"] == (m.group(1) == "true")),
    (re.compile(r"Soort eq '([^']*)'"), lambda r, m: r["Soort"] == m.group(1)),
]


def _t(value: str) -> datetime:
    value = re.sub(r"(\.\d{6})\d+", r"\1", value).replace("Z", "+00:00")
    return datetime.fromisoformat(value)


@dataclass
class FakeTK:
    server: LocalServer
    page_size: int = 250
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # by DocumentNummer
    files: dict[str, bytes] = field(default_factory=dict)  # by Id
    clock: datetime = datetime(2024, 11, 29, 10, 0, tzinfo=timezone(timedelta(hours=1)))

    def __post_init__(self) -> None:
        self.server.route(f"{PREFIX}/Document", self._list)

    @property
    def api(self) -> str:
        return self.server.url(PREFIX)

    def _tick(self) -> str:
        self.clock += timedelta(minutes=7, microseconds=1234)
        return self.clock.isoformat(timespec="microseconds").replace("+01:00", "0+01:00")  # 7 digits, as .NET

    def publish(
        self,
        number: str,
        data: bytes,
        *,
        fmt: str,
        onderwerp: str,
        datum: str,
        dossier: int = 32317,
        soort: str = "Brief regering",
        volgnummer: int = 906,
    ) -> dict[str, Any]:
        doc_id = str(uuid.uuid4())
        stamp = self._tick()
        record = {
            "Id": doc_id,
            "Soort": soort,
            "DocumentNummer": number,
            "Titel": "JBZ-Raad",
            "Onderwerp": onderwerp,
            "Datum": f"{datum}T00:00:00+01:00",
            "Vergaderjaar": "2024-2025",
            "Kamer": 2,
            "Volgnummer": volgnummer,
            "Citeertitel": None,
            "Alias": None,
            "DatumRegistratie": stamp,
            "DatumOntvangst": None,
            "Aanhangselnummer": None,
            "KenmerkAfzender": "6015843",
            "Organisatie": "Justitie en Veiligheid",
            "ContentType": CONTENT_TYPES[fmt],
            "ContentLength": len(data),
            "GewijzigdOp": stamp,
            "ApiGewijzigdOp": stamp,
            "Verwijderd": False,
            "HuidigeDocumentVersie_Id": str(uuid.uuid4()),
            "HuidigeDocumentVersie": None,
            "Kamerstukdossier": [
                {
                    "Id": str(uuid.uuid5(uuid.NAMESPACE_OID, str(dossier))),
                    "Titel": "JBZ-Raad",
                    "Citeertitel": None,
                    "Alias": None,
                    "Nummer": dossier,
                    "Toevoeging": None,
                    "HoogsteVolgnummer": 906,
                    "Afgesloten": False,
                    "Kamer": "Tweede Kamer",
                    "GewijzigdOp": stamp,
                    "ApiGewijzigdOp": stamp,
                    "Verwijderd": False,
                }
            ],
        }
        record["HuidigeDocumentVersie"] = self._versie(record, 1, fmt, len(data), stamp)
        self.records[number] = record
        self._serve(record, data)
        return record

    def _versie(self, record: dict[str, Any], n: int, fmt: str, size: int, stamp: str) -> dict[str, Any]:
        return {
            "Id": record["HuidigeDocumentVersie_Id"],
            "Status": "Vrijgegeven",
            "Versienummer": n,
            "Bestandsgrootte": size,
            "Extensie": f".{fmt}",
            "Datum": record["Datum"],
            "GewijzigdOp": stamp,
            "ApiGewijzigdOp": stamp,
            "Verwijderd": False,
        }

    def revise(self, number: str, data: bytes, *, fmt: str) -> dict[str, Any]:
        """A new "versie" of a document: new file, higher Versienummer, later GewijzigdOp."""
        record = self.records[number]
        stamp = self._tick()
        record["HuidigeDocumentVersie_Id"] = str(uuid.uuid4())
        versie = record["HuidigeDocumentVersie"]["Versienummer"] + 1
        record["HuidigeDocumentVersie"] = self._versie(record, versie, fmt, len(data), stamp)
        record.update(GewijzigdOp=stamp, ApiGewijzigdOp=stamp, ContentLength=len(data), ContentType=CONTENT_TYPES[fmt])
        self._serve(record, data)
        return record

    def touch(self, number: str) -> None:
        """The record changes (e.g. a new relation) but the file does not."""
        stamp = self._tick()
        self.records[number].update(GewijzigdOp=stamp, ApiGewijzigdOp=stamp)

    def delete(self, number: str) -> None:
        """Soft delete, as the API does: ``Verwijderd: true`` and a new ``GewijzigdOp``."""
        stamp = self._tick()
        self.records[number].update(Verwijderd=True, GewijzigdOp=stamp, ApiGewijzigdOp=stamp)

    def _serve(self, record: dict[str, Any], data: bytes) -> None:
        self.server.route(
            f"{PREFIX}/Document({record['Id']})/resource", Reply(body=data, content_type=record["ContentType"])
        )

    def _list(self, request: Request) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        expr = q.get("$filter", "")
        try:
            selected = [r for r in self.records.values() if _matches(r, expr)]
        except ValueError as exc:
            return Reply(status=400, body=json.dumps({"error": {"code": "", "message": str(exc)}}).encode())
        if q.get("$orderby") == "GewijzigdOp":
            selected.sort(key=lambda r: _t(r["GewijzigdOp"]))
        skip = int(q.get("$skip", 0))
        page = selected[skip : skip + self.page_size]
        expand = [e.strip() for e in q.get("$expand", "").split(",") if e.strip()]
        values = []
        for r in page:
            out = {k: v for k, v in r.items() if k not in ("HuidigeDocumentVersie", "Kamerstukdossier")}
            for nav in expand:
                out[nav] = r[nav]
            values.append(out)
        body: dict[str, Any] = {"@odata.context": f"{self.api}/$metadata#Document", "value": values}
        if skip + self.page_size < len(selected):
            nxt = {**q, "$skip": str(skip + self.page_size)}
            body["@odata.nextLink"] = f"{self.api}/Document?{urlencode(nxt)}"
        return Reply(body=json.dumps(body).encode(), content_type="application/json; odata.metadata=minimal")


def _matches(record: dict[str, Any], expr: str) -> bool:
    rest, ok = expr, True
    for pattern, test in _CLAUSES:
        for m in pattern.finditer(expr):
            ok = ok and test(record, m)
        rest = pattern.sub("", rest)
    if re.sub(r"[()\s]|\band\b", "", rest):
        raise ValueError(f"The query specified in the URI is not valid: {expr!r}")
    return ok
