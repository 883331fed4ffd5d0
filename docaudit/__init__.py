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
import sys

from .version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time: bench/startup.py)

# public name -> module that defines it
_EXPORTS = {
    "Store": "docaudit.store.database",
    "Version": "docaudit.store.database",
    "AddResult": "docaudit.store.database",
    "add_file": "docaudit.ingest.pipeline",
    "add_bytes": "docaudit.ingest.pipeline",
    "extract_file": "docaudit.read.extract",
    "Extraction": "docaudit.read.extract",
    "compare": "docaudit.changes.compare",
    "compare_versions": "docaudit.changes.compare",
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
    from .changes.compare import compare, compare_versions
    from .diff.model import Change, SemanticDiff
    from .diff.render import render_diff
    from .diff.texts import line_diff, semantic_diff, word_diff
    from .errors import DocauditError
    from .ingest.pipeline import add_bytes, add_file
    from .phrases.families import find_phrases
    from .phrases.trace import trace
    from .read.extract import Extraction, extract_file
    from .report.build import build_report
    from .store.database import AddResult, Store, Version
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


# Modules that moved when the stages became packages (0.1 → 0.2): the old dotted paths still import, with a
# DeprecationWarning, for one release. Each old name is the same module object as the new one.
MOVED = {
    "docaudit.normalize": "docaudit.text.normalize",
    "docaudit.segment": "docaudit.text.segment",
    "docaudit.metadata": "docaudit.text.metadata",
    "docaudit.letterparts": "docaudit.text.letterparts",
    "docaudit.formatting": "docaudit.text.formatting",
    "docaudit.templating": "docaudit.diff.render.templating",
    "docaudit.sniff": "docaudit.read.sniff",
    "docaudit.limits": "docaudit.read.limits",
    "docaudit.isolation": "docaudit.read.isolation",
    "docaudit.prepare": "docaudit.read.prepare",
    "docaudit.extract": "docaudit.read.extract",
    "docaudit.fetch": "docaudit.read.fetch",
    "docaudit.migrations": "docaudit.store.migrations",
    "docaudit.snapshots": "docaudit.store.snapshots",
    "docaudit.chain": "docaudit.store.chain",
    "docaudit.textdelta": "docaudit.store.textdelta",
    "docaudit.edit": "docaudit.store.edit",
    "docaudit.bulk": "docaudit.ingest.bulk",
    "docaudit.comparison": "docaudit.changes.compare",
    "docaudit.digest": "docaudit.changes.digest",
    "docaudit.demo": "docaudit.examples.demo",
    "docaudit.cli_options": "docaudit.cli.options",
    "docaudit.phrases.cli": "docaudit.cli.phrases",
    "docaudit.commitments.cli": "docaudit.cli.commitments",
    "docaudit.evidence.cli": "docaudit.cli.evidence",
    "docaudit.spark.cli": "docaudit.cli.spark",
    "docaudit.watch.cli": "docaudit.cli.watch",
    "docaudit.report.cli": "docaudit.cli.report",
    "docaudit.watch.check": "docaudit.watch.kinds",
}


def moved_to(name: str) -> str | None:
    """Where the module once called ``name`` lives now (a submodule of a moved package follows it)."""
    for old, new in MOVED.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return None


class _MovedModules:
    """Finds a moved module under its old name: the new module, once, with a DeprecationWarning."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> object:
        new = moved_to(name) if name.startswith("docaudit.") else None
        if new is None:
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, _MovedModules, origin=new)

    @staticmethod
    def create_module(spec: object) -> object:
        import warnings

        new = spec.origin  # type: ignore[attr-defined]
        warnings.warn(
            f"{spec.name} moved to {new}; the old name goes in the next release",  # type: ignore[attr-defined]
            DeprecationWarning,
            stacklevel=3,
        )
        return importlib.import_module(new)

    @staticmethod
    def exec_module(module: object) -> None:
        """The module was run under its new name already."""


if not any(finder is _MovedModules for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModules)  # type: ignore[arg-type]
