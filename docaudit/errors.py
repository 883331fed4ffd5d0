"""Exceptions docaudit raises for expected failures (shown as one line, never a traceback), and the exit codes
of its commands."""

from enum import IntEnum


class DocauditError(Exception):
    """Base class for expected, user-facing failures."""


class ExtractionError(DocauditError):
    """A file could not be read as a document: corrupt, encrypted, unsupported, empty, too large."""


class UnsupportedFormat(ExtractionError):
    """The bytes are not a format docaudit can extract."""


class EmptyDocument(ExtractionError):
    """The document was read but holds no text."""


class FileTooLarge(ExtractionError):
    """The file is over the configured size limit."""


class NotFound(DocauditError):
    """A document or version reference does not exist in the store."""


class StoreError(DocauditError):
    """The database or snapshot folder is unusable."""


class ExitCode(IntEnum):
    """What a ``docaudit`` command's exit status says; every command exits with one of these (the list, from
    :data:`EXIT_MEANINGS`, is in docs/operations.md). 1 means "look at this", as for diff(1): a difference
    found, or something that failed."""

    OK = 0
    CHANGED = 1
    PROBLEM = 1
    FAILED = 2
    NOTHING_RAN = 3


EXIT_MEANINGS = {
    "OK": "done, nothing to report",
    "CHANGED": "`diff`: substantive differences (`--strict`: minor ones too); `run --exit-code`: documents new, "
    "changed or withdrawn",
    "PROBLEM": "an error, its one line on stderr (an unknown document, a database that cannot be read); a file "
    "that `add` or `import` could not store; a document `report` left out; a check that `verify` or "
    "`evidence --verify` found failing",
    "FAILED": "wrong usage (an unknown option, a bad value); a setting to fix; `run`: a source failed, a "
    "notification could not be sent, or there was nothing to check; `tk check`: a tracked source will not work",
    "NOTHING_RAN": "`run`: nothing could be checked (every source failed, another run holds the lock, the "
    "watchlist or database is unusable)",
}
