"""Reports: the :class:`Report` object and its forms for people and tools."""

from goalalign.reporting.report import REPORT_VERSION, Report

__all__ = ["REPORT_VERSION", "Report"]
