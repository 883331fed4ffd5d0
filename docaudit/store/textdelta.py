"""A version's normalized text stored as an exact edit script against its extracted text.

The two differ in a few places (line breaks joined, spacing): storing both whole doubled the database.
:func:`encode` writes diff-match-patch's delta format ("=57\\t-1\\t+ \\t=10102"), which rebuilds the
normalized text exactly from the text (:func:`decode`); it is used only when it is much smaller than
the text it replaces and when it has been checked to rebuild it. The stored ``normalized_sha256`` keeps
covering the rebuilt text, so ``docaudit verify`` and the hash chain see any difference.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

TIMEOUT = 0.2  # seconds diff-match-patch may search; a coarser script is still exact, only longer
WORTH = 0.5  # store a delta only when it is at most this share of the normalized text


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = TIMEOUT
    return dmp


def encode(text: str, normalized: str) -> str | None:
    """The delta that turns ``text`` into ``normalized``, or None when storing it whole is as good."""
    if text == normalized:
        return ""
    dmp = _dmp()
    diffs = dmp.diff_main(text, normalized, False)
    dmp.diff_cleanupEfficiency(diffs)
    delta = dmp.diff_toDelta(diffs)
    if len(delta) > WORTH * len(normalized) or decode(text, delta) != normalized:
        return None
    return delta


def stored(text: str, normalized: str) -> tuple[str | None, str | None]:
    """The (``normalized``, ``normalized_delta``) columns of a version: exactly one of them is set."""
    delta = encode(text, normalized)
    return (normalized, None) if delta is None else (None, delta)


def decode(text: str, delta: str) -> str:
    """The normalized text rebuilt from ``text`` and the delta :func:`encode` made."""
    if not delta:
        return text
    dmp = _dmp()
    return dmp.diff_text2(dmp.diff_fromDelta(text, delta))


def normalized_of(text: str, normalized: str | None, delta: str | None) -> str:
    """A version's normalized text from its three stored columns (the SQL function ``docaudit_normalized``)."""
    if normalized is not None:
        return normalized
    return decode(text, delta or "")
