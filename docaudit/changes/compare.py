"""What to compare: stored versions (``DOC@N``) or document files of any supported format, in any mix.

:func:`compare` is the front door of ``docaudit diff``; :func:`compare_versions` is the semantic diff of
two stored versions that notifications, the feed and the report show. The diffs themselves are
computed on texts by :mod:`docaudit.diff`.

>>> from docaudit import Store, compare
>>> with Store("audit.db") as store:                                   # doctest: +SKIP
...     compare("2024D46963", store=store).summary_line()
'1 modified (1 date)'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..commitments.diffing import commitment_events
from ..diff.model import LineDiff, SemanticDiff, Side, WordDiff
from ..diff.texts import diff_texts, semantic_diff
from ..errors import DocauditError, NotFound
from ..read.document import read_file
from ..read.limits import Limits

if TYPE_CHECKING:
    from ..store.database import Store, Version

_FILE_SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm", ".odt", ".rtf"}
StoreFactory = Callable[[], "Store | None"]


@dataclass
class Input:
    """One side of a comparison: its normalized text, where it came from, and its page furniture."""

    text: str
    side: Side
    furniture: list[str] = field(default_factory=list)  # headers, footers and margin lines


def file_input(path: str | os.PathLike[str], limits: Limits | None = None) -> Input:
    """A document file, read as ``docaudit add`` would read it; the side's sha256 is that of its bytes."""
    read = read_file(path, limits=limits)
    ex = read.prepared.extraction
    return Input(
        read.prepared.normalized,
        Side(str(path), read.sha256, ex.title, read.letter_date),
        ex.headers + ex.footers + ex.margin,
    )


def version_input(version: Version, title: str | None) -> Input:
    """A stored version; the side's sha256 is that of its raw snapshot."""
    v = version
    side = Side(v.ref, v.raw_sha256, title, v.letter_date, v.announced, v.announced_by)
    return Input(v.normalized, side, v.headers + v.footers + v.margin)


def ref_input(store: Store, ref: str) -> Input:
    """A stored version by reference (``DOC``, ``DOC@N``, ``DOC@-1``)."""
    v = store.resolve(ref)
    found = version_input(v, store.document_title(v.doc_id))
    back = store.reverted_to(v)
    found.side.reverted_to = f"{v.doc_id}@{back}" if back else None
    return found


def resolve_input(arg: str, store_factory: StoreFactory | None = None, limits: Limits | None = None) -> Input:
    """A file if one exists by that name (read under ``limits``), else a stored version reference."""
    if os.path.exists(arg):
        return file_input(arg, limits)
    if "@" not in arg and (os.sep in arg or os.path.splitext(arg)[1].lower() in _FILE_SUFFIXES):
        raise DocauditError(f"{arg}: no such file")
    if store_factory is None:
        raise DocauditError(f"{arg}: no such file")
    store = store_factory()
    if store is None:
        raise NotFound(f"{arg}: no such file, and no database to look it up in")
    return ref_input(store, arg)


def last_two(store: Store, doc_id: str) -> tuple[Input, Input]:
    """The version before the latest and the latest of a stored document (or of the one an alias names)."""
    doc_id = store.document_id(doc_id)
    versions = store.versions(doc_id)
    if len(versions) < 2:
        raise DocauditError(f"{doc_id} has only one version; nothing to compare yet")
    title = store.document_title(doc_id)
    old, new = version_input(versions[-2], title), version_input(versions[-1], title)
    back = store.reverted_to(versions[-1])
    new.side.reverted_to = f"{doc_id}@{back}" if back else None
    return old, new


def compare(
    old: str,
    new: str | None = None,
    *,
    store: Store | None = None,
    store_factory: StoreFactory | None = None,
    mode: str = "semantic",
    by: str = "paragraph",
    context: int | None = None,
    ignore: Sequence[str] = (),
    limits: Limits | None = None,
) -> SemanticDiff | LineDiff | WordDiff:
    """Diff two sources, each a file path or a stored version reference; ``new=None`` compares the last
    two versions of the stored document ``old``. Give an open ``store`` (or a ``store_factory`` that
    opens one when a reference needs it). ``mode``: ``semantic``, ``line`` or ``word``; ``ignore``: regular
    expressions of text whose changes are cosmetic (:mod:`docaudit.diff.ignore`).
    """
    factory = (lambda: store) if store is not None else store_factory
    if new is None:
        if os.path.exists(old):
            raise DocauditError(f"{old} is a file: give a second file or version to compare it with")
        if "@" in old:
            raise DocauditError(
                f"{old} is one version: give a second one to compare it with, or the document alone "
                f"({old.split('@')[0]}) for its last two versions"
            )
        opened = factory() if factory else None
        if opened is None:
            raise NotFound(f"{old}: no database to look it up in")
        a, b = last_two(opened, old)
    else:
        a, b = resolve_input(old, factory, limits), resolve_input(new, factory, limits)
    result = diff_texts(
        a.text,
        b.text,
        a.side,
        b.side,
        mode=mode,
        by=by,
        context=context,
        furniture=(a.furniture, b.furniture),
        ignore=ignore,
    )
    return with_commitments(result) if isinstance(result, SemanticDiff) else result


def with_commitments(diff: SemanticDiff) -> SemanticDiff:
    """``diff`` with the events of the promises its letter makes (``diff.commitments``), shown first.

    Only the sentences of its changes are read: a promise in a sentence that did not change has no event,
    and it would pair with its own unchanged self anyway."""
    if diff.texts is not None:
        changed = [c for c in diff.changes if c.kind != "cosmetic"]
        old_at = {i for c in changed if c.old_index is not None for i in range(c.old_index, c.old_index + c.old_count)}
        new_at = {i for c in changed if c.new_index is not None for i in range(c.new_index, c.new_index + c.new_count)}
        old = [s for s in diff.texts[0] if s.index in old_at]
        new = [s for s in diff.texts[1] if s.index in new_at]
        diff.commitments = commitment_events(old, new, diff.old.date, diff.new.date)
    return diff


def compare_inputs(a: Input, b: Input, ignore: Sequence[str] = ()) -> SemanticDiff:
    """The semantic diff of two inputs, page furniture included, with its commitment events."""
    return with_commitments(
        semantic_diff(
            a.text, b.text, a.side, b.side, old_furniture=a.furniture, new_furniture=b.furniture, ignore=ignore
        )
    )


def compare_versions(store: Store, old_ref: str, new_ref: str) -> SemanticDiff:
    """The semantic diff of two stored versions (what notifications, the feed and the report show)."""
    return compare_inputs(ref_input(store, old_ref), ref_input(store, new_ref))


def diff_versions(old: Version, new: Version, title: str | None = None, ignore: Sequence[str] = ()) -> SemanticDiff:
    """The semantic diff of two versions already read from the store (``title``: the document's)."""
    return compare_inputs(version_input(old, title), version_input(new, title), ignore)
