"""Small value helpers every layer shares: the clock, sizes, dates, document ids, "did you mean".

Nothing here touches the database, the network or a document: it sits on the ground floor.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, date, datetime


def now() -> str:
    """The current time in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (how every stored stamp is written)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_size(text: str | int) -> int:
    """Parse "50MB", "2 GiB", "500k" or a plain number of bytes."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", str(text).lower())
    if not m:
        raise ValueError(f"not a size: {text!r} (use e.g. 50MB)")
    factor = 1024 ** "_kmgt".index(m.group(2) or "_") if m.group(2) else 1
    return int(float(m.group(1)) * factor)


def parse_date(value: str | date | None) -> str | None:
    """A ``YYYY-MM-DD`` date (or a :class:`date`) as an ISO string; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def validate_doc_id(doc_id: str) -> str:
    """Document ids are short, printable and free of "@" (which separates the version number)."""
    from .errors import DocauditError

    doc_id = (doc_id or "").strip()
    if not doc_id or len(doc_id) > 200 or "@" in doc_id or any(ch.isspace() and ch != " " for ch in doc_id):
        raise DocauditError(f"invalid document id {doc_id!r}: use letters, digits, - _ . / (no @)")
    return doc_id


def did_you_mean(name: str, candidates: list[str]) -> str:
    """`` (did you mean a, b?)`` for the closest candidates, or nothing."""
    close = difflib.get_close_matches(name, candidates, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""
