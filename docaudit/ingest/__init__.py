"""Ingest: bytes in, a stored version out, with everything written beside it (phrases, commitments), one file
at a time (:mod:`.pipeline`) or many in parallel (:mod:`.bulk`)."""

from ..read.document import ReadFile, prepare, read_document, read_file
from .pipeline import add_bytes, add_file, announcement, ingest_writers, new_version, verify_extraction

__all__ = [
    "ReadFile",
    "add_bytes",
    "add_file",
    "announcement",
    "ingest_writers",
    "new_version",
    "prepare",
    "read_document",
    "read_file",
    "verify_extraction",
]
