"""The audit as a static HTML site (``docaudit report``); see :mod:`docaudit.report.build`."""

from .build import ReportResult, build_report, slug

__all__ = ["ReportResult", "build_report", "slug"]
