"""Bytes to a :class:`Prepared`: extract, normalize and find metadata, in this process.

:func:`docaudit.read.document.prepare` runs this in a limited worker (:mod:`docaudit.read.isolation`); call it
directly only on bytes you trust, or where memory and time are bounded otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..text.metadata import find_metadata
from ..text.normalize import normalize_text
from ..values import sha256
from .extract import Extraction, extract
from .limits import Limits


@dataclass
class Prepared:
    """The CPU-heavy part of storing bytes (extract, normalize, find metadata): plain data, so a worker
    can hand it over as JSON."""

    extraction: Extraction
    normalized: str
    normalized_sha256: str
    found: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prepared:
        return cls(
            Extraction(**data["extraction"]), str(data["normalized"]), str(data["normalized_sha256"]), data["found"]
        )


def prepare_here(data: bytes, limits: Limits | None = None, fmt: str | None = None) -> Prepared:
    """Extract and normalize document bytes here (the expansion limits hold; memory, CPU and time are not
    bounded); ``fmt``: the format, when the caller sniffed it already. Raises an ExtractionError for unreadable
    or oversized input."""
    extraction = extract(data, fmt, limits=limits)
    normalized = normalize_text(extraction.text)
    return Prepared(extraction, normalized, sha256(normalized.encode("utf-8")), find_metadata(extraction.context))
