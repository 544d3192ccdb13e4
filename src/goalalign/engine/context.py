"""The context a rule runs in: the cascade, the settings and analyses shared between rules.

Several rules need the same expensive analysis (where each goal's chains end, each team's
direction, each statement parsed). :meth:`CheckContext.derive` computes such an analysis once
per check, the first time a rule asks for it, and hands every later caller the same result.
An analysis is any function of the context, which keeps the mechanism general: a plugin rule
can define and share its own.

A large check cannot afford to keep every analysis until it ends (each costs hundreds of bytes
per goal), so the engine frees an analysis once the last rule that declares it in
:attr:`~goalalign.engine.rule.RuleMeta.uses` has run (:meth:`CheckContext.forget`). An analysis
that is built from another one and outlives it declares that with :func:`built_from`; the
engine then builds it before it frees its source.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config

__all__ = ["Analysis", "CheckContext", "built_from", "sources_of"]

T = TypeVar("T")
Analysis = Callable[["CheckContext"], T]
A = TypeVar("A", bound=Callable[..., Any])

_SOURCES: dict[Callable[..., Any], tuple[Callable[..., Any], ...]] = {}
"""What each analysis is built from (see :func:`built_from`): static metadata, like a rule's."""


def built_from(*sources: Callable[..., Any]) -> Callable[[A], A]:
    """Declare that an analysis reads ``sources`` only while it is being built.

    The engine uses this when it is about to free one of the sources (its last declared user
    has run) while a later rule still needs the analysis: it builds the analysis first, so
    the source is not computed a second time. An analysis that keeps reading a source after
    it is built must not declare it here; its users declare the source instead.
    """

    def declare(analysis: A) -> A:
        _SOURCES[analysis] = tuple(sources)
        return analysis

    return declare


def sources_of(analysis: Callable[..., Any]) -> tuple[Callable[..., Any], ...]:
    """The analyses ``analysis`` was declared :func:`built_from` (empty when none)."""
    return _SOURCES.get(analysis, ())


class CheckContext:
    """What a rule sees: the cascade, the effective config and shared analyses."""

    __slots__ = ("_derived", "as_of", "cascade", "config")

    def __init__(self, cascade: Cascade, config: Config | None = None) -> None:
        self.cascade = cascade
        self.config = config or Config()
        self.as_of: date = cascade.as_of()
        self._derived: dict[Callable[..., Any], Any] = {}

    def derive(self, analysis: Callable[[CheckContext], T]) -> T:
        """The result of ``analysis(self)``, computed once per context."""
        try:
            return self._derived[analysis]  # type: ignore[no-any-return]
        except KeyError:
            result = analysis(self)
            self._derived[analysis] = result
            return result

    def branch(self) -> CheckContext:
        """A context for the same check that starts with the analyses this one holds and
        derives its own from there: a forked process's (see :mod:`goalalign.engine.parallel`)."""
        other = CheckContext.__new__(CheckContext)
        other.cascade, other.config, other.as_of = self.cascade, self.config, self.as_of
        other._derived = dict(self._derived)
        return other

    def has(self, analysis: Callable[..., Any]) -> bool:
        """Whether ``analysis`` has been computed and is still kept."""
        return analysis in self._derived

    def forget(self, analysis: Callable[..., Any]) -> None:
        """Free one analysis: a later :meth:`derive` computes it again.

        The engine calls this after the last rule that declares the analysis in its ``uses``
        (see :func:`goalalign.engine.runner.run_rules`), so that a check of a million goals
        does not hold every rule's working data at once.
        """
        self._derived.pop(analysis, None)

    def release(self) -> None:
        """Drop the shared analyses once the check no longer needs them.

        An analysis may keep a reference to the context (to derive more lazily), which makes
        a reference cycle: without this, the memory of a large check would wait for the next
        full run of the cyclic garbage collector, and that run would have to walk it all.
        """
        self._derived.clear()

    def team_of_goal(self, goal_id: str) -> str | None:
        """The id of the team that owns ``goal_id``."""
        goal = self.cascade.goal(goal_id)
        return None if goal is None else goal.team
