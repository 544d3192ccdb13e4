"""Configuration: which rules run, how severe they are, their options, and the score weights.

The same settings come from Python (:class:`Config`), from a TOML file (``goalalign.toml`` or
``[tool.goalalign]`` in ``pyproject.toml``) and from the document's own ``config:`` mapping.
Later sources refine earlier ones with :meth:`Config.merge`.

.. code-block:: toml

    [tool.goalalign]
    select = ["ALL"]
    ignore = ["stale-review", "focus"]
    fail-on = "warning"

    [tool.goalalign.severity]
    too-many-goals = "info"

    [tool.goalalign.options.too-many-goals]
    limit = 7
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from goalalign.engine.findings import Severity

__all__ = ["Config", "ConfigError"]


class ConfigError(ValueError):
    """A configuration that names an unknown rule, option or severity, or is malformed."""


def _freeze_options(value: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return {rule: dict(options) for rule, options in value.items()}


@attrs.frozen(slots=True)
class Config:
    """How a check runs.

    ``select`` and ``ignore`` take rule names, codes, code prefixes or family names; a rule runs
    when selected and not ignored. ``severity`` re-grades rules by name or code. ``options``
    sets rule thresholds by rule name. ``fail_on`` is the lowest severity that makes the CLI
    exit with status 1. ``weights`` re-weights the score's components.
    """

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = attrs.field(factory=dict)
    options: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_freeze_options)
    fail_on: Severity = Severity.ERROR
    weights: Mapping[str, float] = attrs.field(factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "config") -> Config:
        """Build a config from a TOML-like mapping (keys may use ``-`` or ``_``)."""
        known = {"select", "ignore", "extend-ignore", "severity", "options", "fail-on", "weights"}
        normalised = {str(k).replace("_", "-"): v for k, v in data.items()}
        unknown = sorted(set(normalised) - known)
        if unknown:
            raise ConfigError(
                f"{where}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}"
            )
        try:
            select = tuple(_strings(normalised.get("select", ["ALL"]), f"{where}.select"))
            ignore = tuple(_strings(normalised.get("ignore", []), f"{where}.ignore"))
            ignore += tuple(_strings(normalised.get("extend-ignore", []), f"{where}.extend-ignore"))
            severity = {
                str(k): Severity(str(v))
                for k, v in _mapping(normalised.get("severity", {}), f"{where}.severity").items()
            }
            options = {
                str(rule): dict(_mapping(opts, f"{where}.options.{rule}"))
                for rule, opts in _mapping(
                    normalised.get("options", {}), f"{where}.options"
                ).items()
            }
            fail_on = Severity(str(normalised.get("fail-on", "error")))
            weights = {
                str(k): float(v)
                for k, v in _mapping(normalised.get("weights", {}), f"{where}.weights").items()
            }
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        for name, weight in weights.items():
            if weight < 0:
                raise ConfigError(f"{where}.weights.{name}: a weight cannot be negative")
        return cls(select, ignore, severity, options, fail_on, weights)

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        """Read ``goalalign.toml`` (top level) or ``pyproject.toml`` (``[tool.goalalign]``)."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("goalalign", {})
            return cls.from_mapping(data, where=f"{path}:[tool.goalalign]")
        return cls.from_mapping(data, where=str(path))

    @classmethod
    def discover(cls, start: str | Path = ".") -> Config:
        """The config of the nearest ``goalalign.toml`` or ``pyproject.toml`` with a
        ``[tool.goalalign]`` table, searching ``start`` and its parents; defaults otherwise."""
        here = Path(start).resolve()
        for folder in (here, *here.parents):
            own = folder / "goalalign.toml"
            if own.is_file():
                return cls.from_file(own)
            project = folder / "pyproject.toml"
            if project.is_file():
                try:
                    data = tomllib.loads(project.read_text(encoding="utf-8"))
                except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                    continue
                if "goalalign" in data.get("tool", {}):
                    return cls.from_file(project)
        return cls()

    def merge(self, other: Config) -> Config:
        """``other``'s settings on top of these: selections narrow, ignores add up,
        severities, options and weights override key by key."""
        options = {k: dict(v) for k, v in self.options.items()}
        for rule, opts in other.options.items():
            options.setdefault(rule, {}).update(opts)
        select = other.select if other.select != ("ALL",) else self.select
        return Config(
            select=select,
            ignore=self.ignore + tuple(i for i in other.ignore if i not in self.ignore),
            severity={**self.severity, **other.severity},
            options=options,
            fail_on=other.fail_on if other.fail_on is not Severity.ERROR else self.fail_on,
            weights={**self.weights, **other.weights},
        )


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of rule names, codes or families")
    return list(value)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a table")
    return value
