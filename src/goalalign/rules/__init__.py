"""The built-in rules, one module per family.

Each module defines its rules with :func:`goalalign.engine.rule`; the registry collects every
:class:`~goalalign.engine.Rule` found in the modules listed here.
"""

BUILTIN_MODULES: tuple[str, ...] = (
    "structure",
    "chains",
    "directions",
    "focus",
    "numbers",
    "smart",
    "kpis",
    "echoes",
    "conflicts",
)
"""Modules of this package that hold built-in rules, by family."""
