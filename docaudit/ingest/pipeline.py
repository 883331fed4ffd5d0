"""Bytes in, a stored version out: extract → normalize → metadata, then the date and title decisions.

This is the one road from a document's bytes to a :class:`~docaudit.store.database.NewVersion` that the store
writes. ``docaudit add``, ``docaudit run`` and ``docaudit diff FILE`` all take it, so a file gives the same
text whichever command reads it.

>>> from docaudit import Store, ingest
>>> with Store("audit.db") as store:                          # doctest: +SKIP
...     ingest.add_file(store, "brief.docx", "2024D46963").message()
'stored as 2024D46963@1 (docx, 8,123 characters, dated 2024-11-26)'
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DocauditError, FileTooLarge
from ..read.document import prepare, read_document
from ..read.limits import Limits
from ..read.prepare import Prepared
from ..store.database import AddResult, NewVersion, Store, VerifyReport, Version, VersionWriter
from ..text.formatting import human_size
from ..values import parse_date, readable, sha256, validate_doc_id

_NUMBERED = re.compile(r"(?:versie|version|(?<![a-z])v)[\s:_-]*(\d{1,3})\b", re.I)
_MARKER_TEXT = re.compile(r"\b(herdruk|rectificatie|erratum|errata|gewijzigde versie)\b", re.I)


def _numbered(name: str | None) -> int | None:
    m = _NUMBERED.search(name or "")
    return int(m.group(1)) if m else None


def announcement(
    previous: Version | None, meta: dict[str, Any], text: str, filename: str | None = None
) -> tuple[bool | None, str | None]:
    """Whether the source announced this new version, and what announced it; ``(None, None)`` for a first
    version. A version that changed while nothing announced it is a silent revision.

    Announced by: a higher Tweede Kamer ``Versienummer`` or a new ``DocumentVersie`` (the API's own word;
    the same number or DocumentVersie is silent, whatever the text says); else a higher "versie: N" in the
    letter, "herdruk", "rectificatie", "erratum" or "gewijzigde versie" new in the letter, or a file name
    or URL that says so ("brief-versie-2.docx") where the previous one did not.
    """
    if previous is None:
        return None, None
    before = previous.meta
    if before.get("tk_versie") is not None and meta.get("tk_versie") is not None:
        if int(meta["tk_versie"]) > int(before["tk_versie"]):
            return True, f"Tweede Kamer Versienummer {before['tk_versie']} → {meta['tk_versie']}"
        return False, None
    if before.get("tk_versie_id") and meta.get("tk_versie_id"):
        if str(meta["tk_versie_id"]).lower() != str(before["tk_versie_id"]).lower():
            return True, "a new Tweede Kamer DocumentVersie"
        return False, None
    if isinstance(meta.get("version"), int) and meta["version"] > int(before.get("version") or 1):
        return True, f"“versie {meta['version']}” in the letter"
    old_words = {m.lower() for m in _MARKER_TEXT.findall(previous.text)}
    for word in _MARKER_TEXT.findall(text):
        if word.lower() not in old_words:
            return True, f"“{word.lower()}” in the letter"
    for name, old, where in (
        (filename, previous.filename, "the file name"),
        (meta.get("url"), previous.meta.get("url"), "the URL"),
    ):
        if not name or name == old:
            continue
        number, before_number = _numbered(str(name)), _numbered(str(old or ""))
        if number is not None and number > (before_number or 1):
            return True, f"version {number} in {where}"
        m = _MARKER_TEXT.search(str(name))
        if m and not _MARKER_TEXT.search(str(old or "")):
            return True, f"“{m.group(0).lower()}” in {where}"
    return False, None


def new_version(
    data: bytes,
    prepared: Prepared,
    *,
    filename: str | None = None,
    title: str | None = None,
    letter_date: date | str | None = None,
    meta: dict[str, Any] | None = None,
    default_date: tuple[str, str] | None = None,
    previous: Version | None = None,
) -> NewVersion:
    """Decide what a version records: its letter date (given, else found in the text, else
    ``default_date``) with where the date came from, its metadata, its title, and whether its source
    announced it (against ``previous``, the latest stored version)."""
    extraction, found = prepared.extraction, prepared.found
    given = parse_date(letter_date)
    if given:
        when, date_source = given, "given"
    elif found.get("date"):
        when, date_source = str(found["date"]), "text"
    elif default_date:
        when, date_source = default_date
    else:
        when, date_source = None, None
    version_meta = {**found, **(meta or {})}
    if extraction.encoding:
        version_meta.setdefault("encoding", extraction.encoding)
    announced, announced_by = announcement(previous, version_meta, extraction.text, filename)
    return NewVersion(
        raw=data,
        extraction=extraction,
        normalized=prepared.normalized,
        normalized_sha256=prepared.normalized_sha256,
        letter_date=when,
        date_source=date_source,
        filename=filename,
        meta=version_meta,
        title=title,
        fallback_title=found.get("onderwerp") or extraction.title or (Path(filename).stem if filename else None),
        announced=announced,
        announced_by=announced_by,
    )


def add_bytes(
    store: Store,
    data: bytes,
    doc_id: str,
    *,
    filename: str | None = None,
    title: str | None = None,
    letter_date: date | str | None = None,
    meta: dict[str, Any] | None = None,
    added_at: str | None = None,
    default_date: tuple[str, str] | None = None,
    also: Sequence[VersionWriter] = (),
    writers: Sequence[VersionWriter] | None = None,
    prepared: Prepared | None = None,
    limits: Limits | None = None,
) -> AddResult:
    """Store bytes as the next version of ``doc_id`` unless they or their text are unchanged.

    ``default_date``: (date, source) used when neither ``letter_date`` nor the text gives a date,
    e.g. the date the Tweede Kamer API records for the document. ``writers``: what is written beside the
    version in its transaction (by default :func:`writers`: the phrase index and the commitments; ``()`` for
    none, to index later in bulk); ``also``: writers added to those (``docaudit run`` records its fetch), each
    given the result, stored or unchanged, so that what it writes commits (or not) with the version.
    ``prepared``: the result of :func:`prepare` on these bytes, if already computed; ``limits``: what
    reading them may cost (default: :meth:`Limits.from_env`).
    """
    if len(data) > store.max_size:
        raise FileTooLarge(f"{human_size(len(data))}, over the {human_size(store.max_size)} limit (--max-size)")
    every = [*(ingest_writers() if writers is None else writers), *also]
    latest = store.latest(validate_doc_id(doc_id))
    unchanged = store.unchanged(latest, raw_sha256=sha256(data), filename=filename, also=every)
    if unchanged is not None:
        return unchanged
    prepared = prepared or prepare(data, limits)
    unchanged = store.unchanged(latest, normalized_sha256=prepared.normalized_sha256, filename=filename, also=every)
    if unchanged is not None:
        return unchanged
    version = new_version(
        data,
        prepared,
        filename=filename,
        title=title,
        letter_date=letter_date,
        meta=meta,
        default_date=default_date,
        previous=latest,
    )
    return store.write_version(doc_id, version, added_at=added_at, also=every)


def ingest_writers(*, phrases: bool = True) -> list[VersionWriter]:
    """What ingest writes beside every version it stores, in the version's transaction: its sentences in the
    phrase index (unless ``phrases`` is false: a bulk import indexes them together afterwards) and the
    promises it makes. (Imported on first store, so that reading a file for ``docaudit diff`` does not load
    them.)"""
    from ..commitments.records import write_commitments
    from ..phrases.index import write_phrases

    return [write_phrases, write_commitments] if phrases else [write_commitments]


def add_file(
    store: Store,
    path: str | os.PathLike[str],
    doc_id: str,
    *,
    title: str | None = None,
    letter_date: date | str | None = None,
    meta: dict[str, Any] | None = None,
    limits: Limits | None = None,
    writers: Sequence[VersionWriter] | None = None,
) -> AddResult:
    """Store a file as the next version of ``doc_id`` unless its text is unchanged (read under ``limits``;
    ``writers`` as for :func:`add_bytes`)."""
    data = read_document(path, store.max_size)
    name = readable(Path(path).name)
    return add_bytes(
        store,
        data,
        doc_id,
        filename=name,
        title=title,
        letter_date=letter_date,
        meta=meta,
        limits=limits,
        writers=writers,
    )


def verify_extraction(store: Store, report: VerifyReport, limits: Limits | None = None) -> None:
    """Extract every version again from its raw snapshot (under ``limits``) and compare with the stored text:
    a text rewritten in the database — even with every chain link and local seal recomputed — no longer
    follows from the chained snapshot. A version stored by another extractor version is listed apart (a newer
    docaudit may read the same bytes a little differently), not counted as a problem."""
    import sqlite3
    from dataclasses import replace

    from ..read.extract import engine_installed

    report.reextracted = 0
    try:
        rows = store.conn.execute(
            "SELECT doc_id, number, snapshot, raw_sha256, text_sha256, normalized_sha256, extractor, "
            "extractor_version FROM versions ORDER BY doc_id, number"
        ).fetchall()
    except sqlite3.DatabaseError as exc:  # a damaged page: Store.verify names it; nothing to extract from
        report.integrity.append(f"reading the versions to extract them again: {exc}")
        return
    limits = limits or Limits.from_env()
    for row in rows:
        ref = f"{row['doc_id']}@{row['number']}"
        engine = "pdfium" if row["extractor"] == "pdfium" else "pdfminer"  # a PDF again with the engine it was read by
        if not engine_installed(engine):
            report.other_extractor.append(f"{ref}: {row['extractor_version']} (pypdfium2 is not installed here)")
            continue
        try:
            data = store.snapshots.read(row["snapshot"], expected_sha256=row["raw_sha256"])
            again = prepare(data, replace(limits, pdf_engine=engine))
        except (OSError, DocauditError):
            continue  # a missing or altered snapshot is reported by Store.verify already
        if again.extraction.extractor_version != row["extractor_version"]:
            now_by = again.extraction.extractor_version
            report.other_extractor.append(f"{ref}: {row['extractor_version']} (now {now_by})")
            continue
        report.reextracted += 1
        text = sha256(again.extraction.text.encode("utf-8"))
        if text != row["text_sha256"] or again.normalized_sha256 != row["normalized_sha256"]:
            report.not_from_snapshot.append(ref)
