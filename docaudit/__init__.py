"""docaudit: version history, diffs and phrase tracking for official letters.

The entry points people script against (each documented where it lives; imported on first use, so
``import docaudit`` stays cheap):

- :class:`Store` — an ``audit.db`` with its ``snapshots/`` folder: documents, versions, search, verify.
- :func:`add_file`, :func:`add_bytes` — store a document as the next version of a document id
  (a new version only when its text changed); :func:`extract_file` reads a file's text without storing it.
- :func:`compare` — diff two stored versions or files (semantic, line or word);
  :func:`semantic_diff`, :func:`line_diff`, :func:`word_diff` work on texts; :func:`render_diff` prints
  any of them as terminal text, unified diff, JSON, HTML or Markdown.
- :func:`find_phrases`, :func:`trace` — recurring formulations across letters, and one followed through them.
- :func:`build_report` — the static HTML site.
- :func:`track`, :func:`run_watchlist`, :func:`load_config` — watching sources from cron.

>>> import docaudit
>>> docaudit.semantic_diff("Het kabinet zal dit niet doen.", "Het kabinet kan dit doen.").summary_line()
'1 modified (1 negation, 1 modality)'
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time: bench/startup.py)

from .version import __version__

# public name -> module that defines it
_EXPORTS = {
    "Store": "docaudit.store",
    "Version": "docaudit.store",
    "AddResult": "docaudit.store",
    "add_file": "docaudit.ingest",
    "add_bytes": "docaudit.ingest",
    "extract_file": "docaudit.extract",
    "Extraction": "docaudit.extract",
    "compare": "docaudit.comparison",
    "compare_versions": "docaudit.comparison",
    "semantic_diff": "docaudit.diff.texts",
    "line_diff": "docaudit.diff.texts",
    "word_diff": "docaudit.diff.texts",
    "SemanticDiff": "docaudit.diff.model",
    "Change": "docaudit.diff.model",
    "render_diff": "docaudit.diff.render",
    "find_phrases": "docaudit.phrases.families",
    "trace": "docaudit.phrases.trace",
    "build_report": "docaudit.report.build",
    "track": "docaudit.watch.sources",
    "load_config": "docaudit.watch.config",
    "run_watchlist": "docaudit.watch.job",
    "DocauditError": "docaudit.errors",
}

__all__ = [
    "__version__",
    "Store",
    "Version",
    "AddResult",
    "add_file",
    "add_bytes",
    "extract_file",
    "Extraction",
    "compare",
    "compare_versions",
    "semantic_diff",
    "line_diff",
    "word_diff",
    "SemanticDiff",
    "Change",
    "render_diff",
    "find_phrases",
    "trace",
    "build_report",
    "track",
    "load_config",
    "run_watchlist",
    "DocauditError",
]


if TYPE_CHECKING:
    from .comparison import compare, compare_versions
    from .diff.model import Change, SemanticDiff
    from .diff.render import render_diff
    from .diff.texts import line_diff, semantic_diff, word_diff
    from .errors import DocauditError
    from .extract import Extraction, extract_file
    from .ingest import add_bytes, add_file
    from .phrases.families import find_phrases
    from .phrases.trace import trace
    from .report.build import build_report
    from .store import AddResult, Store, Version
    from .watch.config import load_config
    from .watch.job import run_watchlist
    from .watch.sources import track


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docaudit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
