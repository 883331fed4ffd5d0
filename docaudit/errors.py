"""Exceptions docaudit raises for expected failures (shown as one line, never a traceback)."""


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
