"""Moved to :mod:`docaudit.meaning.deadline` (the diff reads deadlines too); kept for old imports."""

from ..meaning.deadline import OPEN, Deadline, find_deadline, iso_day

__all__ = ["OPEN", "Deadline", "find_deadline", "iso_day"]
