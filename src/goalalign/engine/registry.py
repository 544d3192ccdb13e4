"""One registry for built-in and third-party rules, and selector resolution.

Third-party rules come from the ``goalalign.rules`` entry-point group, loaded the first time
the registry is needed. A plugin that fails to import is recorded in :attr:`Registry.broken`
and reported; it never stops a check. Two rules with the same name or code are a hard error,
because configuration and reports would otherwise be ambiguous.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points

import attrs

from goalalign.engine.rule import Rule

__all__ = ["Registry", "RuleClashError", "default_registry"]

ENTRY_POINT_GROUP = "goalalign.rules"


class RuleClashError(ValueError):
    """Two rules claim the same name or code."""


@attrs.frozen(slots=True)
class BrokenPlugin:
    """An entry point that could not be loaded, and why."""

    name: str
    value: str
    error: str


class Registry:
    """The rules a check can run, by name and by code."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._by_name: dict[str, Rule] = {}
        self._by_code: dict[str, Rule] = {}
        self.broken: list[BrokenPlugin] = []
        for item in rules:
            self.add(item)

    def add(self, item: Rule) -> None:
        """Register ``item``; raises :class:`RuleClashError` on a taken name or code."""
        taken = self._by_name.get(item.name) or self._by_code.get(item.code)
        if taken is not None and taken is not item:
            raise RuleClashError(
                f"rule {item.name!r} ({item.code}) clashes with {taken.name!r} ({taken.code})"
            )
        self._by_name[item.name] = item
        self._by_code[item.code] = item

    def get(self, name_or_code: str) -> Rule | None:
        """The rule with this name or code."""
        return self._by_name.get(name_or_code) or self._by_code.get(name_or_code.upper())

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._by_name.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._by_name)

    def families(self) -> set[str]:
        """The family names of all registered rules."""
        return {r.meta.family for r in self._by_name.values()}

    def matches(self, selector: str, item: Rule) -> bool:
        """Whether ``selector`` (``ALL``, name, code, code prefix or family) picks ``item``."""
        if selector in ("ALL", "all", "*"):
            return True
        return (
            selector == item.name
            or selector == item.meta.family
            or item.code.startswith(selector.upper())
        )

    def known_selector(self, selector: str) -> bool:
        """Whether ``selector`` picks at least one rule."""
        return any(self.matches(selector, r) for r in self._by_name.values())

    def load_plugins(self) -> None:
        """Register every rule published under the ``goalalign.rules`` entry-point group."""
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                loaded = point.load()
            except Exception as exc:  # a broken plugin must not break the run
                self.broken.append(
                    BrokenPlugin(point.name, point.value, f"{type(exc).__name__}: {exc}")
                )
                continue
            for item in _rules_in(loaded):
                self.add(item)


def _rules_in(obj: object) -> list[Rule]:
    if isinstance(obj, Rule):
        return [obj]
    if isinstance(obj, types.ModuleType):
        return [v for v in vars(obj).values() if isinstance(v, Rule)]
    if isinstance(obj, list | tuple):
        return [v for v in obj if isinstance(v, Rule)]
    return []


def builtin_rules() -> list[Rule]:
    """Every rule defined in the modules of :mod:`goalalign.rules`."""
    from goalalign.rules import BUILTIN_MODULES

    found: list[Rule] = []
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(f"goalalign.rules.{module_name}")
        found.extend(_rules_in(module))
    return found


_default: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry: built-in rules plus installed plugins, loaded once."""
    global _default
    if _default is None:
        registry = Registry(builtin_rules())
        registry.load_plugins()
        _default = registry
    return _default
