"""Fix a document's title or a version's letter date, and keep every such edit in the ``edits`` table (what it
was, what it became, when). Texts, snapshots and hashes are never edited: they are the record.

>>> from docaudit import Store
>>> from docaudit.store.edit import edit
>>> with Store("audit.db") as store:                                       # doctest: +SKIP
...     edit(store, "2024D46963", letter_date="2024-11-29")
[Edit(doc_id='2024D46963', version=2, field='letter_date', old=None, new='2024-11-29', ...)]
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import DocauditError
from ..values import now, one_line, parse_date
from . import chain
from .database import Store


@dataclass
class Edit:
    """One change a user made: ``field`` is ``title`` (of the document) or ``letter_date`` (of a version)."""

    doc_id: str
    version: int | None
    field: str
    old: str | None
    new: str | None
    at: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def message(self) -> str:
        where = self.doc_id if self.version is None else f"{self.doc_id}@{self.version}"

        def shown(value: str | None) -> str:
            return "(none)" if value is None else repr(value)

        return f"{where} {self.field}: {shown(self.old)} → {shown(self.new)}"


def edit(
    store: Store,
    doc_id: str,
    *,
    title: str | None = None,
    letter_date: str | None = None,
    version: int | None = None,
    note: str | None = None,
) -> list[Edit]:
    """Set the document's title and/or a version's letter date (``version``: the latest unless given); return
    the edits made (none when the values were already so). The title then stays as set: later versions no
    longer replace it with one they carry."""
    if title is None and letter_date is None:
        raise DocauditError("nothing to edit: give --title and/or --date")
    current = store.document_title(doc_id)  # a clear error for an unknown document
    problems = [r[0] for r in store.conn.execute("PRAGMA quick_check(3)").fetchall()]
    if problems != ["ok"]:  # an edit must not be written into a database that cannot vouch for itself
        raise DocauditError(
            f"the database fails its quick check ({'; '.join(problems)}): nothing edited; run docaudit verify "
            "and restore audit.db from a backup"
        )
    target = store.version(doc_id, version) if version is not None else store.latest(doc_id)
    assert target is not None
    stamp = now()
    made: list[Edit] = []
    with store.transaction() as conn:
        if title is not None:
            new_title = one_line(title)
            if not new_title:
                raise DocauditError("a title cannot be empty")
            if new_title != current:
                row = conn.execute("SELECT meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
                meta = json.loads(row["meta"] or "{}")
                meta["title_source"] = "edited"
                conn.execute(
                    "UPDATE documents SET title = ?, meta = ?, updated_at = ? WHERE id = ?",
                    (new_title, json.dumps(meta), stamp, doc_id),
                )
                made.append(Edit(doc_id, None, "title", current, new_title, stamp, note))
        if letter_date is not None:
            new_date = parse_date(letter_date)
            if new_date != target.letter_date:
                conn.execute(
                    "UPDATE versions SET letter_date = ?, date_source = 'edited' WHERE id = ?", (new_date, target.id)
                )
                made.append(Edit(doc_id, target.number, "letter_date", target.letter_date, new_date, stamp, note))
        for e in made:
            cur = conn.execute(
                "INSERT INTO edits (at, doc_id, version, field, old, new, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (e.at, e.doc_id, e.version, e.field, e.old, e.new, e.note),
            )
            chain.append(conn, "edit", cur.lastrowid)
    return made


def edits(store: Store, doc_id: str | None = None) -> list[Edit]:
    """Every edit, oldest first (of one document when ``doc_id`` is given)."""
    where, args = ("WHERE doc_id = ?", (doc_id,)) if doc_id else ("", ())
    rows = store.conn.execute(
        f"SELECT doc_id, version, field, old, new, at, note FROM edits {where} ORDER BY id", args
    ).fetchall()
    return [Edit(**dict(r)) for r in rows]
