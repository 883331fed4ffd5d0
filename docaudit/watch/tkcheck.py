"""``docaudit tk check``: ask the Tweede Kamer service what it is today, and say whether each tracked ``tk:``
source will work with it — the command to run when the API moves again.

It reads the service's ``$metadata`` and one page of documents, maps docaudit's logical fields to the names
found (:mod:`.tkschema`), and judges every tracked ``tk:`` source against that: which fields it needs and
the service lacks, a query that names fields the service no longer has, how its cursor will run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import DocauditError, ExitCode
from ..read.fetch import Fetcher, FetchSettings
from ..values import public_url
from .sources import Source, parse_feed_filter
from .tk import DEFAULT_API, get_json, load_schema, overlap
from .tkfeed import DEFAULT_FEED
from .tkschema import FIELDS, Schema, unknown_fields


@dataclass
class SourceVerdict:
    """Whether one tracked source will work with the service as it is, and how."""

    id: str
    source: str
    works: bool
    how: str
    problem: str | None = None


@dataclass
class ServiceCheck:
    """What the service said of itself, and what that means for the tracked sources."""

    api: str
    ok: bool
    version: str | None = None
    odata_version: str | None = None
    schema_from: str | None = None  # service | assumed (no $metadata)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    page: dict[str, Any] = field(default_factory=dict)
    feed: dict[str, Any] | None = None
    error: str | None = None
    sources: list[SourceVerdict] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        """OK when the service answers and every tracked source will work, else FAILED (a setting to fix)."""
        return ExitCode.OK if self.ok and all(s.works for s in self.sources) else ExitCode.FAILED

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["exit_code"] = int(self.exit_code)
        return out


def check_service(
    api: str = DEFAULT_API,
    *,
    feed: str = DEFAULT_FEED,
    sources: Iterable[Source] = (),
    fetcher: Fetcher | None = None,
) -> ServiceCheck:
    """Ask the service at ``api`` for its ``$metadata`` and one page of documents (and the SyncFeed at ``feed``
    for one page when a ``tk:feed`` source is tracked), and judge ``sources`` against what it said."""
    sources = [s for s in sources if s.kind.startswith("tk-")]
    own = fetcher is None
    fetcher = fetcher or Fetcher(FetchSettings(retries=1, timeout=30))
    result = ServiceCheck(api=api, ok=False)
    schema: Schema | None = None
    try:
        try:
            schema, _csdl, notes = load_schema(fetcher, api)
            result.warnings += notes
            if schema.origin == "assumed" and notes and "has no $metadata" not in notes[0]:
                raise DocauditError(notes[0])
            _describe(result, schema)
            result.page = _one_page(fetcher, schema)
            result.ok = result.page.get("ok", False)
        except DocauditError as exc:
            result.error = str(exc)
        if any(s.kind == "tk-feed" for s in sources):
            result.feed = _feed_page(fetcher, feed)
        result.sources = [_verdict(s, schema, result) for s in sources]
    finally:
        if own:
            fetcher.close()
    return result


def _describe(result: ServiceCheck, schema: Schema) -> None:
    result.version, result.odata_version, result.schema_from = schema.version, schema.odata_version, schema.origin
    result.fields = {
        k: {"entity": FIELDS[k].entity, "name": schema.names.get(k), "needed_for": FIELDS[k].needed_for} for k in FIELDS
    }
    result.missing = schema.missing if schema.origin == "service" else []
    if schema.origin == "service":
        result.warnings += schema.warnings()


def _one_page(fetcher: Fetcher, schema: Schema) -> dict[str, Any]:
    """The newest document, asked the way ``run`` asks (``$top``, ``$orderby`` on the cursor's stamp)."""
    params = {"$top": "1", "$orderby": f"{schema.cursor_field} desc"}
    try:
        page = get_json(fetcher, schema.api, schema.entity_set("Document"), params)
    except DocauditError as exc:
        return {"ok": False, "error": str(exc)}
    values = page.get("value")
    if not isinstance(values, list):
        return {"ok": False, "error": "the answer has no list of records (value)"}
    first = schema.read(values[0]) if values and isinstance(values[0], dict) else {}
    unknown = sorted(set(values[0]) - set(schema.properties.get("Document", values[0]))) if first else []
    return {
        "ok": True,
        "records": len(values),
        "newest": first.get("number"),
        "stamp": first.get("api_stamp") or first.get("modified"),
        "next_link": "@odata.nextLink" in page,
        "undescribed": [k for k in unknown if not k.startswith(("@", "#"))],
    }


def _feed_page(fetcher: Fetcher, feed: str) -> dict[str, Any]:
    from .tkfeed import ATOM, read_xml

    url = f"{feed.rstrip('/')}/Feed?category=Document"
    try:
        root = read_xml(fetcher.get(url, accept="application/atom+xml").data, url)
    except DocauditError as exc:
        return {"ok": False, "url": feed, "error": str(exc)}
    return {"ok": True, "url": feed, "entries": len(root.findall(f"{ATOM}entry"))}


def _verdict(source: Source, schema: Schema | None, result: ServiceCheck) -> SourceVerdict:
    verdict = SourceVerdict(source.id, source.display, works=True, how="")
    if source.kind == "tk-feed":
        dossiers = parse_feed_filter(source.target).get("dossier")
        feed_ok = result.feed is None or result.feed.get("ok")
        verdict.works = bool(feed_ok)
        verdict.problem = None if feed_ok else (result.feed or {}).get("error")
        verdict.how = "the SyncFeed (unchanged by the move)"
        if dossiers:
            from .tkfeed import odata_knows_dossiers

            known = schema is not None and result.ok and all(odata_knows_dossiers(schema, d) for d in dossiers)
            verdict.how += "; dossier looked up " + ("in OData" if known else "in the SyncFeed's Kamerstukdossier list")
        return verdict
    if schema is None or not result.ok:
        verdict.works, verdict.how = False, "OData"
        verdict.problem = result.error or (result.page or {}).get("error") or "the service cannot be used"
        return verdict
    hours = overlap(schema).total_seconds() / 3600
    verdict.how = f"OData {schema.version}, cursor on {schema.cursor_field} − {hours:g} h"
    problems = [f"needs {FIELDS[f].entity}.{FIELDS[f].names[0]}" for f in schema.usable_for(source.kind)]
    if source.kind == "tk-query":
        problems += [
            f"the filter names {name}, which the service does not have"
            for name in unknown_fields(source.target, schema)
        ]
    if source.kind == "tk-dossier" and "-" in source.target and not schema.has("dossier_suffix"):
        problems.append("needs Kamerstukdossier.Toevoeging for a dossier with a Toevoeging")
    if source.since and not schema.has("date"):
        problems.append("--since needs Document.Datum")
    if problems:
        verdict.works, verdict.problem = False, "; ".join(problems)
    return verdict


def render(check: ServiceCheck) -> str:
    """The check as a person reads it."""
    lines = [f"service   {public_url(check.api)}"]
    if check.error:
        lines.append(f"problem   {check.error}")
    if check.version:
        lines.append(
            f"version   {check.version} (OData {check.odata_version or '?'}; names from "
            f"{'its $metadata' if check.schema_from == 'service' else 'the address: it has no $metadata'})"
        )
    if check.fields:
        lines.append("fields")
        for logical, info in check.fields.items():
            name = info["name"] or "MISSING"
            lines.append(
                f"  {logical:<16} {info['entity']}.{name}"
                if info["name"]
                else f"  {logical:<16} {name}: {info['needed_for']} degrades"
            )
    if check.page:
        if check.page.get("ok"):
            newest = check.page.get("newest") or "?"
            lines.append(f"one page  ok: newest document {newest} ({check.page.get('stamp') or 'no stamp'})")
        else:
            lines.append(f"one page  failed: {check.page.get('error')}")
    if check.feed is not None:
        state = (
            f"ok ({check.feed['entries']} entries)" if check.feed.get("ok") else f"failed: {check.feed.get('error')}"
        )
        lines.append(f"syncfeed  {state}")
    for warning in check.warnings:
        lines.append(f"warning   {warning}")
    if check.sources:
        lines.append("tracked sources")
        for s in check.sources:
            mark = "works" if s.works else "WILL NOT WORK"
            lines.append(f"  {s.id}: {mark} ({s.how})" + (f": {s.problem}" if s.problem else ""))
    else:
        lines.append("tracked sources: none (docaudit track tk:…)")
    return "\n".join(lines)
