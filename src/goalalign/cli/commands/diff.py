"""``goalalign diff OLD NEW``: what a change to a cascade resolved, introduced and scored.

The exit status is 0 whatever changed (a diff informs, it does not gate); 2 when either
document cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from goalalign.api import check
from goalalign.cli.commands.check import config_from_args
from goalalign.loading.readers import load
from goalalign.scoring.compare import compare

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two versions of a cascade: findings resolved and introduced, score change",
        description=(
            "Check two versions of a cascade and report the findings the change resolved and "
            "introduced, goals now hanging from deprioritised or retired anchors, and the "
            "change of the score overall, per component and per team."
        ),
    )
    parser.add_argument("old", type=Path, help="the earlier cascade document")
    parser.add_argument("new", type=Path, help="the later cascade document")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--config", type=Path, help="goalalign.toml or pyproject.toml (default: discovered)"
    )
    parser.add_argument("--select", action="append", default=[], help="rules or families to run")
    parser.add_argument("--ignore", action="append", default=[], help="rules or families to skip")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    old = load(args.old)
    new = load(args.new)
    comparison = compare(check(old, config), check(new, config))
    if args.format == "json":
        text = json.dumps(
            {"old": str(args.old), "new": str(args.new), **comparison.to_dict()},
            indent=2,
            ensure_ascii=False,
        )
    else:
        text = f"{args.old} → {args.new}\n{comparison.to_text()}"
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
