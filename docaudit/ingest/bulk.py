"""Import many files in one go: one document per file (a file whose id is already stored becomes its next
version), read in parallel by the limited workers, stored in the order given (``docaudit import``).

Document ids come from a rule: ``stem`` (the file name without its extension, the default), ``kenmerk`` (the
letter's own kenmerk, else its document number, else the stem), or a template over ``{stem}``, ``{name}``,
``{parent}``, ``{kenmerk}``, ``{document_number}``, ``{kamerstuk}``, ``{date}`` (``"{date}-{stem}"``).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import DocauditError
from ..read.document import prepare, read_document
from ..read.limits import Limits
from ..read.prepare import Prepared
from ..store.database import AddResult, Store, VersionWriter
from ..values import readable, validate_doc_id
from .pipeline import add_bytes, ingest_writers

SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".md"}  # what a folder is searched for
FIELDS = ("stem", "name", "parent", "kenmerk", "document_number", "kamerstuk", "date")


@dataclass
class FileResult:
    """What became of one file: stored, unchanged, or an error."""

    path: Path
    result: AddResult | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        if self.result is None:
            return {"file": readable(self.path), "status": "error", "error": self.error or ""}
        return {"file": readable(self.path), **self.result.to_dict()}


BATCH = 50  # versions a transaction in a bulk import


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, why): never read
    indexed: bool | None = None  # phrase index built in bulk after the import (None: kept letter by letter)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.result is None]

    def summary(self) -> str:
        stored = [f.result for f in self.files if f.result is not None and f.result.stored]
        new_docs = sum(1 for r in stored if r.number == 1)
        unchanged = sum(1 for f in self.files if f.result is not None and not f.result.stored)
        parts = [
            f"{len(self.files)} files: {len(stored)} stored ({new_docs} new documents, "
            f"{len(stored) - new_docs} new versions)"
        ]
        if unchanged:
            parts.append(f"{unchanged} unchanged")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def collect(
    paths: Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = False,
    follow_links: bool = False,
    skipped: list[tuple[Path, str]] | None = None,
) -> list[Path]:
    """The files to import, in a stable order: files as given, folders' documents (``SUFFIXES``, hidden files
    skipped) sorted by path, their subfolders too with ``recursive``.

    In a folder, a link whose target lies outside the folder is refused unless ``follow_links`` (a link to
    /etc/passwd must not become a stored, published document), and anything that is not a regular file (a
    FIFO, a device) is never opened; each such path goes to ``skipped`` with the reason."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            pattern = path.rglob("*") if recursive else path.glob("*")
            found = []
            for p in sorted(pattern):
                if any(part.startswith(".") for part in p.relative_to(path).parts) or p.is_dir():
                    continue
                if p.suffix.lower() not in SUFFIXES and not p.is_symlink():
                    continue
                why = _refusal(p, root, follow_links)
                if why:
                    if skipped is not None and (p.suffix.lower() in SUFFIXES or why != "not a regular file"):
                        skipped.append((p, why))
                    continue
                if p.suffix.lower() in SUFFIXES:
                    found.append(p)
            out.extend(found)
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _refusal(path: Path, root: Path, follow_links: bool) -> str | None:
    """Why a path found in a folder is not read, or None."""
    if path.is_symlink():
        target = path.resolve()
        if not follow_links and not target.is_relative_to(root):
            return f"a link to {readable(target)}, outside the folder (--follow-links to read it)"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def _safe(text: str) -> str:
    return re.sub(r"[^\w .\-/]+", "-", text).strip(" -./")[:200]


def doc_id_for(path: Path, prepared: Prepared | None, rule: str) -> str:
    """The document id a file gets under ``rule`` (see the module docstring)."""
    found = prepared.found if prepared is not None else {}
    values = {
        "stem": readable(path.stem),
        "name": readable(path.name),
        "parent": readable(path.parent.name),
        "kenmerk": found.get("kenmerk"),
        "document_number": found.get("document_number"),
        "kamerstuk": found.get("kamerstuk"),
        "date": found.get("date"),
    }
    if rule == "stem":
        template = "{stem}"
    elif rule == "kenmerk":
        template = "{kenmerk}" if values["kenmerk"] else "{document_number}" if values["document_number"] else "{stem}"
    else:
        template = rule
    missing = [name for name in re.findall(r"{(\w+)}", template) if name not in values or not values[name]]
    if missing:
        raise DocauditError(f"no {', '.join(missing)} for the --doc-id rule {rule!r}")
    return validate_doc_id(_safe(template.format(**{k: str(v) for k, v in values.items() if v is not None})))


def check_rule(rule: str) -> None:
    """Refuse a template that names a field no file can have."""
    if rule in ("stem", "kenmerk"):
        return
    names = re.findall(r"{(\w+)}", rule)
    unknown = [n for n in names if n not in FIELDS]
    if not names or unknown:
        raise DocauditError(
            f"--doc-id {rule!r}: use stem, kenmerk, or a template over {', '.join('{' + f + '}' for f in FIELDS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )


def import_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = False,
    doc_id: str = "stem",
    workers: int | None = None,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    engine: str = "local",
    master: str = "local[2]",
    follow_links: bool = False,
) -> ImportReport:
    """Store every file as a document of its own (or the next version of the document its id names).

    Files are read and extracted ``workers`` at a time (in limited worker processes) and stored in the
    order of :func:`collect`; a file that cannot be read is reported and the others go on. With
    ``engine="spark"`` the extraction runs on Spark (``master``; :mod:`docaudit.spark.extract`)."""
    check_rule(doc_id)
    if engine not in ("local", "spark"):
        raise DocauditError(f"unknown engine {engine!r}: local or spark")
    report = ImportReport()
    files = collect(paths, recursive=recursive, follow_links=follow_links, skipped=report.skipped)
    limits = limits or Limits.from_env()
    names: dict[str, str] = {}  # document id → the name it was made from, in this import
    from ..phrases.index import BULK

    # Many files: the phrase index is built in bulk once they are stored (fingerprints in worker processes,
    # families linked once: ~4 times cheaper than letter by letter); the versions wait for it as "pending",
    # which every reader of the index catches up first, so an interrupted import loses nothing.
    deferred = len(files) >= BULK
    writers = ingest_writers(phrases=not deferred)
    if engine == "spark":
        from ..spark.extract import prepared_on_spark

        outcomes: Iterator[tuple[Path, Outcome]] = prepared_on_spark(files, store.max_size, limits, master=master)
    else:
        threads = workers or min(8, (os.cpu_count() or 1) * 2)
        outcomes = _prepared_here(files, store.max_size, limits, threads, text_here=not deferred)
    stream = iter(outcomes)
    with closing(outcomes):  # a Spark session, or the pool of workers, ends with the import, however it ends
        while True:
            entries: list[FileResult] = []
            # many files: up to BATCH versions a transaction (one commit, each snapshot folder flushed once);
            # a file that fails is rolled back alone (each version is a savepoint in it)
            with store.batch() if deferred else nullcontext():
                for path, outcome in stream:
                    entries.append(_store_one(store, path, outcome, doc_id, names, limits, writers))
                    if len(entries) >= (BATCH if deferred else 1):
                        break
            for entry in entries:  # said once they are committed
                report.files.append(entry)
                if on_file is not None:
                    on_file(entry)
                if progress is not None:
                    progress(len(report.files), len(files))
            if not entries:
                break
    if deferred:
        report.indexed = _index_in_bulk(store, workers)
        from ..commitments.linking import link

        link(store)  # the promises of the letters stored, linked once (else the first reader of them links them)
    return report


def _store_one(
    store: Store,
    path: Path,
    outcome: Outcome,
    doc_id: str,
    names: dict[str, str],
    limits: Limits,
    writers: Sequence[VersionWriter],
) -> FileResult:
    """Store one file's extraction as its document's next version; a file that cannot be stored is reported."""
    entry = FileResult(path)
    try:
        data, prepared = outcome.result()
        ident = doc_id_for(path, prepared, doc_id)
        made_from = readable(path.stem if doc_id == "stem" else path.name)
        if names.setdefault(ident, made_from) != made_from and doc_id == "stem":
            raise DocauditError(
                f"its name makes the document id {ident!r}, as {names[ident]!r} did: two different names would "
                "become one document; rename one, or choose --doc-id"
            )
        entry.result = add_bytes(
            store, data, ident, filename=readable(path.name), prepared=prepared, limits=limits, writers=writers
        )
    except DocauditError as exc:
        entry.error = str(exc)
    return entry


def _index_in_bulk(store: Store, workers: int | None) -> bool:
    """Index the versions the import stored in one bulk update; False (they stay pending, caught up by the
    next reader) when the index was built with other parameters and waits for ``docaudit index --rebuild``."""
    from ..phrases.index import PARAMS, check_params, update

    if check_params(store.conn) not in (None, PARAMS):
        return False
    update(store, workers=workers)
    return True


class Outcome(Protocol):
    """A file's extraction, done or under way: :meth:`result` gives (bytes, Prepared) or raises."""

    def result(self) -> tuple[bytes, Prepared]: ...


def _prepared_here(
    files: list[Path], max_size: int, limits: Limits, workers: int, *, text_here: bool = True
) -> Iterator[tuple[Path, Future]]:
    """Each file with the future of its extraction, ``workers`` at a time, a window of twice that ahead.
    ``text_here`` false: plain text too is read in the worker processes (many files: the threads only wait,
    and the GIL is left to the storing)."""

    def read(path: Path) -> tuple[bytes, Prepared]:
        data = read_document(path, max_size)
        return data, prepare(data, limits, text_here=text_here)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docaudit-import") as pool:
        window = workers * 2
        pending: list[tuple[Path, Future]] = []
        queue = iter(files)
        for path in queue:
            pending.append((path, pool.submit(read, path)))
            if len(pending) >= window:
                break
        while pending:
            path, future = pending.pop(0)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(read, nxt)))
            yield path, future
