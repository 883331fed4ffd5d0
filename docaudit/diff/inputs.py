"""What a diff compares: a stored version (``DOC@N``) or a document file of any supported format."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocauditError, NotFound
from .model import Side


@dataclass
class Loaded:
    """A text to compare and the side it came from."""

    text: str
    side: Side
    furniture: list[str] = field(default_factory=list)  # headers, footers and margin lines


def load_file(path: str | os.PathLike[str]) -> Loaded:
    """Extract and normalize a document file; the side's sha256 is that of its bytes."""
    from ..extract import extract
    from ..metadata import find_date
    from ..normalize import normalize_text

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocauditError(f"{p}: cannot read file: {exc.strerror or exc}") from None
    try:
        ex = extract(data)
    except DocauditError as exc:
        raise DocauditError(f"{p}: {exc}") from None
    found = find_date(ex.context)
    return Loaded(
        normalize_text(ex.text),
        Side(str(path), hashlib.sha256(data).hexdigest(), ex.title, found.isoformat() if found else None),
        ex.headers + ex.footers + ex.margin,
    )


def loaded(version, title: str | None) -> Loaded:
    """A stored version as a side to compare; the side's sha256 is that of its raw snapshot."""
    v = version
    return Loaded(v.normalized, Side(v.ref, v.raw_sha256, title, v.letter_date), v.headers + v.footers + v.margin)


def load_version(store, ref: str) -> Loaded:
    """A stored version's normalized text, by reference (``DOC@N``)."""
    v = store.resolve(ref)
    return loaded(v, store.document_title(v.doc_id))


def load(arg: str, store_factory=None) -> Loaded:
    """A file path if one exists by that name, else a stored version reference."""
    if os.path.exists(arg):
        return load_file(arg)
    if store_factory is None:
        raise DocauditError(f"{arg}: no such file")
    store = store_factory()
    if store is None:
        raise NotFound(f"{arg}: no such file, and no database to look it up in")
    return load_version(store, arg)


def last_two(store, doc_id: str) -> tuple[Loaded, Loaded]:
    """The version before the latest and the latest of a stored document."""
    versions = store.versions(doc_id)
    if len(versions) < 2:
        raise DocauditError(f"{doc_id} has only one version; nothing to compare yet")
    old, new = versions[-2], versions[-1]
    return load_version(store, old.ref), load_version(store, new.ref)


def compare(
    old: str,
    new: str | None = None,
    *,
    store=None,
    store_factory=None,
    mode: str = "semantic",
    by: str = "paragraph",
    context: int | None = None,
):
    """Diff two sources, each a file path or a stored version reference; ``new=None`` compares the last
    two versions of the stored document ``old``. Give an open ``store`` (or a ``store_factory`` that
    opens one when a reference needs it).
    """
    from .compare import diff_texts

    factory = (lambda: store) if store is not None else store_factory
    if new is None:
        if os.path.exists(old):
            raise DocauditError(f"{old} is a file: give a second file or version to compare it with")
        opened = factory() if factory else None
        if opened is None:
            raise NotFound(f"{old}: no database to look it up in")
        a, b = last_two(opened, old)
    else:
        a, b = load(old, factory), load(new, factory)
    return diff_texts(
        a.text, b.text, a.side, b.side, mode=mode, by=by, context=context, furniture=(a.furniture, b.furniture)
    )


def version_diff(store, old_ref: str, new_ref: str):
    """The semantic diff of two stored versions (what notifications, the feed and the report show)."""
    return versions_diff(load_version(store, old_ref), load_version(store, new_ref))


def versions_diff(a: Loaded, b: Loaded):
    """The semantic diff of two loaded sides, furniture included."""
    from .compare import semantic_diff

    return semantic_diff(a.text, b.text, a.side, b.side, old_furniture=a.furniture, new_furniture=b.furniture)
