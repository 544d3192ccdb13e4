"""The documentation's Sphinx extensions in ``docs/_ext``.

``goalalign_rules`` writes the rule reference from the rules' own metadata on every docs
build; these tests pin what a page must say, so the reference cannot silently lose a section
or keep a removed rule. ``goalalign_docstrings`` runs docstring examples in the namespace of
the module that defines them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Hit
from goalalign.engine.rule import Option, RuleMeta, rule

EXTENSIONS = Path(__file__).resolve().parent.parent / "docs" / "_ext"

BAD = "goalalign: 1\norganisation: {name: Bad *Example*}\n"
GOOD = "goalalign: 1\norganisation: {name: Good Example}\n"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_docs_{name}", EXTENSIONS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ext() -> ModuleType:
    return _load("goalalign_rules")


@pytest.mark.parametrize(
    ("dotted", "module"),
    [
        ("goalalign", "goalalign"),
        ("goalalign.check", "goalalign.api"),
        ("goalalign.Cascade.goal", "goalalign.domain.cascade"),
        ("goalalign.engine.registry.Registry", "goalalign.engine.registry"),
        ("goalalign.no_such_name", "goalalign"),
        ("no_such_package.thing", None),
    ],
)
def test_docstring_examples_run_in_the_defining_module(dotted: str, module: str | None) -> None:
    assert _load("goalalign_docstrings").defining_module(dotted) == module


def _meta(name: str, code: str, **extra: Any) -> RuleMeta:
    @rule(name=name, code=code, family="docs", severity="warning",
          summary="Uses `backticks`, *stars* and a trailing_ underscore.",
          rationale="First paragraph\nwrapped.\n\nSecond | paragraph.",
          bad=BAD, good=GOOD, **extra)
    def check(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
        yield from ()

    return check.meta


def test_a_page_has_every_section(ext: ModuleType) -> None:
    meta = _meta("docs-rule", "TDR101", fix="Do the thing.",
                 options=[Option("limit", 5, "Most of them."), Option("word", "x", "A word.")])
    page = ext.rule_page(meta)
    lines = page.splitlines()
    assert lines[0] == ".. _rule-docs-rule:"
    assert lines[2:4] == ["docs-rule (TDR101)", "=================="]
    for needle in (":Code: ``TDR101``", ":Family: ``docs``", ":Default severity: ``warning``",
                   "Why it matters", "Options", "* - ``limit``", "- ``5``", "- ``'x'``",
                   "[options.docs-rule]\n   limit = 5", "Example that triggers it",
                   "Use instead", "How to fix it\n-------------\n\nDo the thing.",
                   "   organisation: {name: Bad *Example*}",
                   "   organisation: {name: Good Example}",
                   '[severity]\n   docs-rule = "error"'):
        assert needle in page, needle


def test_free_text_is_escaped_and_paragraphs_kept(ext: ModuleType) -> None:
    page = ext.rule_page(_meta("docs-rule", "TDR101"))
    assert r"Uses \`backticks\`, \*stars\* and a trailing\_ underscore." in page
    assert "First paragraph wrapped.\n\nSecond \\| paragraph." in page
    assert "Options" not in page
    assert "How to fix it" not in page


def test_missing_examples_do_not_make_empty_code_blocks(ext: ModuleType) -> None:
    import attrs

    page = ext.rule_page(attrs.evolve(_meta("docs-rule", "TDR101"), bad="", good="  \n"))
    assert ".. code-block:: yaml" not in page
    assert page.count("(none given)") == 2


def test_generate_writes_pages_and_table_and_removes_stale_ones(
    ext: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "old-rule.rst").write_text("stale", encoding="utf-8")
    metas = [_meta("zeta-rule", "TDR102"), _meta("alpha-rule", "TDR201")]
    assert ext.generate(tmp_path, metas) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alpha-rule.rst", "table.inc", "zeta-rule.rst"
    ]
    table = (tmp_path / "table.inc").read_text(encoding="utf-8")
    assert table.index("``TDR102``") < table.index("``TDR201``")  # by code, not by name
    assert ":doc:`zeta-rule <generated/zeta-rule>`" in table
    assert "   generated/zeta-rule\n   generated/alpha-rule\n" in table
    assert "2 rules." in table


def test_generate_leaves_unchanged_pages_alone(ext: ModuleType, tmp_path: Path) -> None:
    metas = [_meta("zeta-rule", "TDR102")]
    ext.generate(tmp_path, metas)
    page = tmp_path / "zeta-rule.rst"
    os.utime(page, ns=(0, 0))  # a rewrite would give it the current time
    ext.generate(tmp_path, metas)
    assert page.stat().st_mtime_ns == 0
    changed = [_meta("zeta-rule", "TDR103")]
    ext.generate(tmp_path, changed)
    assert page.stat().st_mtime_ns > 0
    assert "TDR103" in page.read_text(encoding="utf-8")


def test_generate_covers_every_builtin_rule(ext: ModuleType, tmp_path: Path) -> None:
    from goalalign.engine.registry import builtin_rules

    rules = builtin_rules()
    assert ext.generate(tmp_path) == len(rules)
    for item in rules:
        page = (tmp_path / f"{item.name}.rst").read_text(encoding="utf-8")
        assert f"{item.name} ({item.code})" in page
        assert f":doc:`{item.name} <generated/{item.name}>`" in (
            tmp_path / "table.inc"
        ).read_text(encoding="utf-8")
