"""Rendering a report in one of its formats, by name (as the CLI's ``--format`` says)."""

from __future__ import annotations

from goalalign.reporting.report import Report

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json")
"""Report formats, by the name ``--format`` takes."""


def render(report: Report, fmt: str, *, color: bool = False, source: str | None = None) -> str:
    """``report`` as text in format ``fmt``."""
    if fmt == "json":
        return report.to_json()
    if fmt == "text":
        from goalalign.reporting.text import render_text

        return render_text(report, color=color)
    raise ValueError(f"unknown report format {fmt!r}")
