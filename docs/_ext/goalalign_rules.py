"""Sphinx extension: the rule reference, generated from the rules' own metadata.

On ``builder-inited`` every built-in rule gets one page in ``rules/generated/`` (name, code,
family, severity, summary, rationale, options, a document that triggers it, one that does not,
the fix), and ``rules/generated/table.inc`` holds the index table and the toctree that
``rules/index.rst`` includes. The pages are written from :class:`goalalign.engine.RuleMeta`
at every build, so the reference cannot drift from the code. A page is rewritten only when its
text changes (so incremental builds stay incremental) and pages of rules that no longer exist
are removed.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goalalign.engine.registry import builtin_rules
from goalalign.engine.rule import RuleMeta

if TYPE_CHECKING:  # Sphinx is needed only to build the docs, not to generate the pages
    from sphinx.application import Sphinx

__all__ = ["generate", "rule_page", "setup", "table_include"]

_SPECIAL = re.compile(r"([\\`*|_])")


def escape(text: str) -> str:
    """``text`` as reStructuredText that shows exactly these characters.

    Paragraphs (separated by blank lines) are kept; line breaks inside a paragraph are
    joined, so text from a docstring-like string cannot accidentally indent into a block.
    """
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(_SPECIAL.sub(r"\\\1", p) for p in paragraphs if p)


def _title(text: str, underline: str) -> list[str]:
    return [text, underline * len(text)]


def _literal(value: Any) -> str:
    text = repr(value)
    return f"``{text}``" if text.strip() else "(empty)"


def _code(language: str, text: str) -> list[str]:
    if not text.strip():
        return ["(none given)"]
    body = textwrap.indent(text.strip("\n"), "   ")
    return [f".. code-block:: {language}", "", body]


def rule_page(meta: RuleMeta) -> str:
    """The reStructuredText page of one rule."""
    lines = [f".. _rule-{meta.name}:", ""]
    lines += _title(f"{meta.name} ({meta.code})", "=")
    lines += [
        "",
        f":Code: ``{meta.code}``",
        f":Family: ``{meta.family}``",
        f":Default severity: ``{meta.severity.value}``",
        "",
        escape(meta.summary),
        "",
    ]
    lines += _title("Why it matters", "-")
    lines += ["", escape(meta.rationale) or "(no rationale given)", ""]
    if meta.options:
        lines += _title("Options", "-")
        lines += ["", ".. list-table::", "   :header-rows: 1", "   :widths: 20 15 65", ""]
        lines += ["   * - Option", "     - Default", "     - Meaning"]
        for option in meta.options:
            lines += [
                f"   * - ``{option.name}``",
                f"     - {_literal(option.default)}",
                f"     - {escape(option.description) or '-'}",
            ]
        lines.append("")
        first = meta.options[0]
        example = f"{first.name} = {_toml(first.default)}"
        lines += [
            "Set an option in ``goalalign.toml`` (in ``pyproject.toml``, the table is "
            f"``[tool.goalalign.options.{meta.name}]``):",
            "",
        ]
        lines += _code("toml", f"[options.{meta.name}]\n{example}")
        lines.append("")
    lines += _title("Example that triggers it", "-")
    lines += ["", *_code("yaml", meta.bad), ""]
    lines += _title("Use instead", "-")
    lines += ["", *_code("yaml", meta.good), ""]
    if meta.fix:
        lines += _title("How to fix it", "-")
        lines += ["", escape(meta.fix), ""]
    lines += _title("Configure it", "-")
    lines += [
        "",
        f"Select or ignore it by name (``{meta.name}``), code (``{meta.code}``), code prefix "
        f"or family (``{meta.family}``); re-grade it under ``severity``; switch it off for one "
        f"goal or team with ``ignore: [{{rule: {meta.name}, reason: ...}}]``. Re-grade it in "
        "``goalalign.toml`` (``[tool.goalalign.severity]`` in ``pyproject.toml``):",
        "",
    ]
    lines += _code("toml", f'[severity]\n{meta.name} = "error"')
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def table_include(metas: list[RuleMeta]) -> str:
    """The index table of all rules and the (hidden) toctree of their pages."""
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 12 28 15 12 33", ""]
    lines += ["   * - Code", "     - Rule", "     - Family", "     - Severity", "     - Summary"]
    for meta in metas:
        lines += [
            f"   * - ``{meta.code}``",
            f"     - :doc:`{meta.name} <generated/{meta.name}>`",
            f"     - {meta.family}",
            f"     - {meta.severity.value}",
            f"     - {escape(meta.summary)}",
        ]
    lines += ["", f"{len(metas)} rules.", "", ".. toctree::", "   :hidden:", ""]
    lines += [f"   generated/{meta.name}" for meta in metas]
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def generate(folder: Path, metas: list[RuleMeta] | None = None) -> int:
    """Write the rule pages and the index include into ``folder``; returns the rule count.

    ``metas`` defaults to the built-in rules' metadata (plugins are not part of these docs).
    """
    if metas is None:
        metas = [r.meta for r in builtin_rules()]
    metas = sorted(metas, key=lambda m: m.code)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{meta.name}.rst": rule_page(meta) for meta in metas}
    wanted["table.inc"] = table_include(metas)
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        _write_if_changed(folder / name, text)
    return len(metas)


def _on_builder_inited(app: Sphinx) -> None:
    from sphinx.util import logging

    folder = Path(app.srcdir) / app.config.goalalign_rules_folder
    count = generate(folder)
    logger = logging.getLogger(__name__)
    logger.info("goalalign: generated the reference of %d rules in %s", count, folder)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("goalalign_rules_folder", "rules/generated", "env")
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
