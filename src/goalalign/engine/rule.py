"""A rule: a small typed function with metadata, registered by the :func:`rule` decorator.

The metadata is the single source for configuration (names, codes, options), for reports
(SARIF's rules array, ``goalalign rules``) and for the generated rule reference in the docs,
so code and documentation cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from goalalign.engine.findings import Hit, Severity

if TYPE_CHECKING:
    from goalalign.engine.context import CheckContext

__all__ = ["Option", "Rule", "RuleCheck", "RuleMeta", "rule"]

RuleCheck = Callable[["CheckContext", Mapping[str, Any]], Iterable[Hit]]
"""The signature of a rule's check: the context and the rule's resolved options."""

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{2,4}$")


@attrs.frozen(slots=True)
class Option:
    """A rule's tunable threshold, with its default and what it means."""

    name: str
    default: Any
    description: str

    def coerce(self, value: Any) -> Any:
        """``value`` checked against the default's type (ints are accepted for floats)."""
        expected = type(self.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != isinstance(
            self.default, bool
        ):
            raise TypeError(
                f"option {self.name!r} expects {expected.__name__}, got {type(value).__name__}"
            )
        return value


@attrs.frozen(slots=True)
class RuleMeta:
    """Everything a rule says about itself.

    ``family`` groups rules for selection (``select = ["chains"]``) and for the score's
    components; ``bad`` and ``good`` are small YAML documents: the bad one triggers this rule
    and nothing else, the good one triggers nothing; tests and docs use both. ``uses`` lists
    the shared analyses (:meth:`~goalalign.engine.context.CheckContext.derive` keys) the
    check reads and the engine may free once the last rule using them has run; an analysis no
    rule declares lives until the check ends.
    """

    name: str
    code: str
    family: str
    severity: Severity
    summary: str
    rationale: str
    bad: str
    good: str
    fix: str = ""
    options: tuple[Option, ...] = ()
    uses: tuple[Callable[..., Any], ...] = attrs.field(default=(), eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")
        if not _CODE.match(self.code):
            raise ValueError(f"rule code {self.code!r} must look like GA101")

    def option_defaults(self) -> dict[str, Any]:
        """Each option's default value, by name."""
        return {option.name: option.default for option in self.options}


@attrs.frozen(slots=True)
class Rule:
    """A registered rule: its metadata and its check function."""

    meta: RuleMeta
    check: RuleCheck = attrs.field(eq=False, repr=False)

    @property
    def name(self) -> str:
        return self.meta.name

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickle by name: the check function is looked up in the registry on the other side."""
        return (_registered_rule, (self.meta.name,))

    @property
    def code(self) -> str:
        return self.meta.code


def _registered_rule(name: str) -> Rule:
    from goalalign.engine.registry import default_registry

    found = default_registry().get(name)
    if found is None:
        raise LookupError(f"rule {name!r} is not registered in this process")
    return found


def rule(
    *,
    name: str,
    code: str,
    family: str,
    severity: Severity | str,
    summary: str,
    rationale: str,
    bad: str,
    good: str,
    fix: str = "",
    options: Sequence[Option] = (),
    uses: Sequence[Callable[[CheckContext], Any]] = (),
) -> Callable[[RuleCheck], Rule]:
    """Declare a rule: decorate its check function with its metadata.

    The decorated name becomes a :class:`Rule`. Built-in rules are collected from the modules
    of :mod:`goalalign.rules`; a third-party package exposes its rules through the
    ``goalalign.rules`` entry-point group (an entry point may name one :class:`Rule` or a
    module, whose :class:`Rule` objects are all taken).

    .. code-block:: python

        @rule(name="no-owner-email", code="X101", family="custom", severity="info",
              summary="...", rationale="...", bad="...", good="...")
        def no_owner_email(ctx, options):
            for goal in ctx.cascade.goals:
                ...
                yield Hit(Ref.goal(goal.id), "...")

    ``uses`` names the shared analyses the check reads through
    :meth:`~goalalign.engine.context.CheckContext.derive`. It only lets the engine free them
    early, once no later rule uses them. A wrong or missing declaration never changes a
    finding: at worst the analysis lives to the end of the check, or is computed again.
    """
    meta = RuleMeta(
        name=name,
        code=code,
        family=family,
        severity=Severity(severity),
        summary=summary,
        rationale=rationale,
        bad=bad,
        good=good,
        fix=fix,
        options=tuple(options),
        uses=tuple(uses),
    )

    def decorate(check: RuleCheck) -> Rule:
        return Rule(meta, check)

    return decorate
