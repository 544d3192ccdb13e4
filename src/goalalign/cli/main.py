"""The ``goalalign`` command: one module per sub-command under :mod:`goalalign.cli.commands`.

Every sub-command module offers ``register(subparsers)`` and ``run(args) -> int``. Unusable
input and usage errors end with exit status 2 and a one-paragraph message, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from goalalign._version import __version__
from goalalign.engine.config import ConfigError
from goalalign.loading.errors import LoadError

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

COMMANDS: tuple[str, ...] = ("check", "rules", "rule", "diff", "map", "test")
"""Sub-command modules, in the order ``--help`` lists them."""


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2 and a one-line hint for usage errors (as argparse does)."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="goalalign",
        description="Check whether a goal cascade is aligned to its strategy, and rate it.",
    )
    parser.add_argument("--version", action="version", version=f"goalalign {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"goalalign.cli.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 clean, 1 findings, 2 unusable input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except (LoadError, ConfigError) as exc:
        print(f"goalalign: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
