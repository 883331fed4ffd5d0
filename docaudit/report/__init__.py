"""The audit as a static HTML site (``docaudit report``); see :mod:`docaudit.report.build`.

Names are imported on first use, so that ``docaudit --help`` does not load the report stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import ReportResult, build_report, slug

__all__ = ["ReportResult", "build_report", "slug"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
