"""Moved to :mod:`docaudit.meaning.promise` (the diff reads promises too); kept for old imports."""

from ..meaning.promise import HEDGED, Commitment, commitment_of, find_commitments

__all__ = ["HEDGED", "Commitment", "commitment_of", "find_commitments"]
