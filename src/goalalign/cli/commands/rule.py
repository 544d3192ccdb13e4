"""``goalalign rule NAME|CODE``: explain one rule, the way ``ruff rule`` does.

What it finds, why it matters, its options, a document that triggers it and one that does
not, and how to fix it: everything a reader needs to act on a finding without the docs site.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from goalalign.cli.commands.rules import describe_rule, load_registry
from goalalign.engine.registry import Registry
from goalalign.engine.rule import Rule

__all__ = ["explain_rule", "find_rule", "register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rule",
        help="explain one rule: what it finds, why, options and examples",
        description="Explain one rule, given by name (too-many-goals) or code.",
    )
    parser.add_argument("rule", metavar="NAME|CODE", help="the rule's name or code")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def find_rule(registry: Registry, query: str) -> Rule | None:
    """The rule named or coded ``query`` (codes are case-insensitive)."""
    return registry.get(query.strip()) or registry.get(query.strip().lower())


def suggestion(registry: Registry, query: str) -> str | None:
    """The closest rule name or code to ``query``, if any is close."""
    names = [r.name for r in registry]
    codes = [r.code for r in registry]
    close = difflib.get_close_matches(query.lower(), names, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(query.upper(), codes, n=1, cutoff=0.6)
    return close[0] if close else None


def _block(text: str) -> list[str]:
    return ["```yaml", text.strip("\n"), "```"]


def explain_rule(item: Rule) -> str:
    """The rule's explanation as Markdown-flavoured text."""
    meta = item.meta
    lines = [
        f"# {meta.name} ({meta.code})",
        "",
        f"Family: {meta.family}. Default severity: {meta.severity.value}.",
        "",
        "## What it does",
        "",
        meta.summary,
        "",
        "## Why is this bad?",
        "",
        meta.rationale,
    ]
    if meta.options:
        lines += ["", "## Options", ""]
        lines += [f"- `{o.name}` (default: {o.default!r}): {o.description}" for o in meta.options]
    lines += ["", "## Example", "", *_block(meta.bad)]
    lines += ["", "## Use instead", "", *_block(meta.good)]
    if meta.fix:
        lines += ["", "## Fix", "", meta.fix]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    registry = load_registry()
    if registry is None:
        return 2
    item = find_rule(registry, args.rule)
    if item is None:
        close = suggestion(registry, args.rule)
        hint = f"; did you mean {close!r}?" if close else ""
        print(
            f"goalalign: no rule is called {args.rule!r}{hint} "
            "(`goalalign rules` lists them all)",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        text = json.dumps(describe_rule(item), indent=2, ensure_ascii=False, default=str)
        sys.stdout.write(text + "\n")
    else:
        sys.stdout.write(explain_rule(item))
    return 0
