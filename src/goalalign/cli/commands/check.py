"""``goalalign check FILE``: load, run the rules, print the report, exit by severity."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from goalalign.api import check
from goalalign.engine.config import Config
from goalalign.engine.findings import Severity
from goalalign.loading.readers import load
from goalalign.reporting.render import FORMATS, render

__all__ = ["register", "run"]

MACHINE_FORMATS = frozenset({"json", "sarif"})


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check a cascade and report its findings and score",
        description="Check a cascade document (YAML, JSON or CSV) and report findings and score.",
    )
    parser.add_argument("file", type=Path, help="the cascade document")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument("-o", "--output", type=Path, help="write the report here, not stdout")
    parser.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="lowest severity that makes the exit status 1 (default: error)",
    )
    parser.add_argument(
        "--config", type=Path, help="goalalign.toml or pyproject.toml (default: discovered)"
    )
    parser.add_argument("--select", action="append", default=[], help="rules or families to run")
    parser.add_argument("--ignore", action="append", default=[], help="rules or families to skip")
    parser.add_argument(
        "-j",
        "--workers",
        type=_positive,
        default=1,
        help="processes a large cascade's rules may run in (default: 1; see the docs)",
    )
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def config_from_args(args: argparse.Namespace) -> Config:
    """The config file (given or discovered) refined by command-line selections."""
    config = Config.from_file(args.config) if args.config else Config.discover(Path.cwd())
    overrides: dict[str, Any] = {}
    if args.select:
        overrides["select"] = [s for item in args.select for s in item.split(",") if s]
    if args.ignore:
        overrides["ignore"] = [s for item in args.ignore for s in item.split(",") if s]
    if getattr(args, "fail_on", None):
        overrides["fail-on"] = args.fail_on
    return (
        config.merge(Config.from_mapping(overrides, where="command line")) if overrides else config
    )


PROGRESS_MIN_GOALS = 20_000
"""Documents with at least this many goals show a progress bar (on a terminal only)."""


class _ProgressBar:
    """A one-line, stage-by-stage progress bar on standard error."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def stage(self, text: str) -> None:
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()

    def __call__(self, stage: str, done: int, total: int) -> None:
        width = 24
        filled = width * done // max(total, 1)
        self.stage(f"goalalign [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {stage}")

    def close(self) -> None:
        self.stage("")


def wants_progress(fmt: str, stream: TextIO) -> bool:
    """Progress goes to a terminal only, and never mixes with machine-readable output."""
    return fmt not in MACHINE_FORMATS and stream.isatty()


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    bar = _ProgressBar(sys.stderr) if wants_progress(args.format, sys.stderr) else None
    if bar is not None:
        bar.stage(f"goalalign: loading {args.file} ...")
    cascade = load(args.file)
    if bar is not None and len(cascade) < PROGRESS_MIN_GOALS:
        bar.close()
        bar = None
    try:
        report = check(cascade, config, progress=bar, workers=args.workers)
    finally:
        if bar is not None:
            bar.close()
    color = args.output is None and sys.stdout.isatty()
    text = render(report, args.format, color=color, source=str(args.file))
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 1 if report.fails(config.fail_on) else 0
