"""``goalalign map FILE -o OUT``: draw the Results Map, with the check's findings overlaid.

The output format follows the suffix of ``OUT``: ``.svg``, ``.html``, ``.mmd`` (Mermaid) or
``.dot`` (Graphviz). Without ``-o`` the Mermaid text is printed. SVG is laid out by Graphviz
when it is installed and by the built-in layered layout otherwise (``--engine`` decides).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from goalalign.api import check
from goalalign.cli.commands.check import config_from_args
from goalalign.loading.readers import load
from goalalign.reporting.results_map import GraphvizNotFoundError, ResultsMap, results_map

__all__ = ["SUFFIXES", "register", "run"]

SUFFIXES = {".svg": "svg", ".html": "html", ".htm": "html", ".mmd": "mermaid", ".dot": "dot"}
"""Output formats by file suffix."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "map",
        help="draw the Results Map of a cascade (SVG, HTML, Mermaid or DOT)",
        description=(
            "Draw the cascade as layers of goals grouped by team, with arrows for "
            "contributions and the check's findings as colours. The format follows the "
            "output's suffix: .svg, .html, .mmd or .dot; without -o, Mermaid is printed."
        ),
    )
    parser.add_argument("file", type=Path, help="the cascade document")
    parser.add_argument("-o", "--output", type=Path, help="where to write the map")
    parser.add_argument("--team", help="show only this team's chains to their anchors")
    parser.add_argument("--labels", action="store_true", help="write mechanisms on arrows")
    parser.add_argument(
        "--engine",
        choices=("auto", "graphviz", "builtin"),
        default="auto",
        help="SVG layout: Graphviz, the built-in layout, or Graphviz when installed (default)",
    )
    parser.add_argument(
        "--collapse",
        choices=("auto", "yes", "no"),
        default="auto",
        help="draw each team as one node: when large (auto), always, or never",
    )
    parser.add_argument(
        "--no-check", action="store_true", help="draw the cascade without running the rules"
    )
    parser.add_argument(
        "--config", type=Path, help="goalalign.toml or pyproject.toml (default: discovered)"
    )
    parser.set_defaults(run=run, select=[], ignore=[], fail_on=None)


def _render(drawing: ResultsMap, fmt: str, labels: bool, engine: str) -> str:
    if fmt == "html":
        return drawing.to_html(labels=labels)
    if fmt == "dot":
        return drawing.to_dot(labels=labels)
    if fmt == "mermaid":
        return drawing.to_mermaid(labels=labels)
    if engine == "builtin":
        return drawing.to_svg(labels=labels, engine="builtin")
    try:
        return drawing.to_svg(labels=labels, engine="graphviz")
    except GraphvizNotFoundError:
        if engine == "graphviz":
            raise
        return drawing.to_svg(labels=labels, engine="builtin")


def run(args: argparse.Namespace) -> int:
    fmt = "mermaid"
    if args.output is not None:
        suffix = args.output.suffix.lower()
        if suffix not in SUFFIXES:
            print(
                f"goalalign map: cannot tell the format of {args.output}; use a file ending "
                f"in {', '.join(SUFFIXES)}",
                file=sys.stderr,
            )
            return 2
        fmt = SUFFIXES[suffix]
    cascade = load(args.file)
    report = None if args.no_check else check(cascade, config_from_args(args))
    collapse = {"auto": None, "yes": True, "no": False}[args.collapse]
    try:
        drawing = results_map(cascade, report, team=args.team, collapse=collapse)
    except ValueError as exc:
        print(f"goalalign map: {exc}", file=sys.stderr)
        return 2
    try:
        text = _render(drawing, fmt, args.labels, args.engine)
    except GraphvizNotFoundError as exc:
        print(f"goalalign map: {exc}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0
