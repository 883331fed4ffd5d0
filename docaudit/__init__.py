"""docaudit: version history, diffs and phrase tracking for official letters."""

__version__ = "0.1.0"
