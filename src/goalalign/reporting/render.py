"""Rendering a report in one of its formats, by name (as the CLI's ``--format`` says).

Each format is one entry of :data:`RENDERERS`: the format's name and the ``module:function``
that renders it. The module is imported only when its format is asked for, so a heavy format
costs nothing to the others. A renderer takes the report and, if it declares them, the
keyword arguments ``color`` (terminal colour) and ``source`` (the document's path).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from goalalign.reporting.report import Report

__all__ = ["FORMATS", "RENDERERS", "render", "renderer"]

RENDERERS: dict[str, str] = {
    "text": "goalalign.reporting.text:render_text",
    "json": "goalalign.reporting.render:render_json",
    "markdown": "goalalign.reporting.markdown:render_markdown",
    "sarif": "goalalign.reporting.sarif:render_sarif",
    "html": "goalalign.reporting.html:render_html",
}
"""Report formats: name → ``module:function`` that renders it."""

FORMATS: tuple[str, ...] = tuple(RENDERERS)
"""Report formats, by the name ``--format`` takes."""


def render_json(report: Report) -> str:
    """The JSON report of SPEC section 4."""
    return report.to_json()


def renderer(fmt: str) -> Callable[..., str]:
    """The function that renders format ``fmt``; :class:`ValueError` for an unknown format."""
    try:
        target = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(RENDERERS)}") from None
    module_name, _, function_name = target.partition(":")
    function: Callable[..., str] = getattr(importlib.import_module(module_name), function_name)
    return function


def render(report: Report, fmt: str, *, color: bool = False, source: str | None = None) -> str:
    """``report`` as text in format ``fmt`` (one of :data:`FORMATS`)."""
    function = renderer(fmt)
    accepted = inspect.signature(function).parameters
    offered: dict[str, Any] = {"color": color, "source": source}
    return function(report, **{k: v for k, v in offered.items() if k in accepted})
