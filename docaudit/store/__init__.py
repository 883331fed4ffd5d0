"""The store: documents and their versions in SQLite (``audit.db``), raw bytes in ``snapshots/``, the hash chain
over both, and the schema's migrations. ``docaudit.store.Store`` is the class to open; the rest is named here
as it was when the store was one module."""

from .database import (
    DEFAULT_DB,
    DEFAULT_MAX_SIZE,
    NORMALIZED,
    AddResult,
    DocumentSummary,
    NewVersion,
    SearchHit,
    Store,
    VerifyReport,
    Version,
    VersionWriter,
    reverts,
)

__all__ = [
    "DEFAULT_DB",
    "DEFAULT_MAX_SIZE",
    "NORMALIZED",
    "AddResult",
    "DocumentSummary",
    "NewVersion",
    "SearchHit",
    "Store",
    "VerifyReport",
    "Version",
    "VersionWriter",
    "reverts",
]
