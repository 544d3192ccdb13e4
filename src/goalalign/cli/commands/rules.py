"""``goalalign rules``: list every rule the registry knows, built-in and from plugins.

The listing comes from the rules' own metadata, like the generated docs, so it is always the
truth about the installed version. Plugins that failed to load are reported (on stderr for
text, under ``"plugins"`` for JSON) without hiding the rules that did load.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from goalalign.engine.registry import BrokenPlugin, Registry, RuleClashError, default_registry
from goalalign.engine.rule import Rule

__all__ = ["describe_rule", "load_registry", "register", "run"]


def describe_rule(item: Rule) -> dict[str, Any]:
    """A rule's metadata as plain data (the JSON form of ``goalalign rules``)."""
    meta = item.meta
    return {
        "name": meta.name,
        "code": meta.code,
        "family": meta.family,
        "severity": meta.severity.value,
        "summary": meta.summary,
        "rationale": meta.rationale,
        "fix": meta.fix,
        "options": [
            {"name": o.name, "default": o.default, "description": o.description}
            for o in meta.options
        ],
        "examples": {"bad": meta.bad, "good": meta.good},
    }


def describe_plugin(plugin: BrokenPlugin) -> dict[str, str]:
    """A plugin that failed to load, as plain data."""
    return {"name": plugin.name, "value": plugin.value, "error": plugin.error}


def load_registry() -> Registry | None:
    """The default registry, or ``None`` after printing why it cannot be built."""
    try:
        return default_registry()
    except RuleClashError as exc:
        print(f"goalalign: {exc}", file=sys.stderr)
        return None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="list every rule: name, code, family, severity and summary",
        description="List the built-in and plugin rules, all of them or those matching the "
        "selectors. `goalalign rule NAME` explains one.",
    )
    parser.add_argument(
        "selectors",
        nargs="*",
        metavar="SELECTOR",
        help="only rules matching these names, codes, code prefixes or families",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def _text(rules: list[Rule]) -> str:
    header = ("CODE", "NAME", "FAMILY", "SEVERITY", "SUMMARY")
    rows = [(r.code, r.name, r.meta.family, r.meta.severity.value, r.meta.summary) for r in rules]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    lines.append(f"{len(rules)} rule{'s' if len(rules) != 1 else ''}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    registry = load_registry()
    if registry is None:
        return 2
    selectors: list[str] = list(getattr(args, "selectors", None) or [])
    unknown = [s for s in selectors if not registry.known_selector(s)]
    if unknown:
        names = [r.name for r in registry] + sorted(registry.families())
        close = difflib.get_close_matches(unknown[0], names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        print(f"goalalign: no rule or family matches {unknown[0]!r}{hint}", file=sys.stderr)
        return 2
    rules = [r for r in registry if not selectors or any(registry.matches(s, r) for s in selectors)]
    if args.format == "json":
        data = {
            "rules": [describe_rule(r) for r in rules],
            "plugins": [describe_plugin(p) for p in registry.broken],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(_text(rules))
        for plugin in registry.broken:
            print(
                f"goalalign: plugin {plugin.name} ({plugin.value}) failed to load: {plugin.error}",
                file=sys.stderr,
            )
    return 0
