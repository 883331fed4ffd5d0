"""Commitments: the promises a letter makes, found in each version as it is stored, followed through versions and
later letters (kept, weakened, postponed, dropped), and the events between two versions that a diff shows first."""
