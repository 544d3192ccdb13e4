"""The context a rule runs in: the cascade, the settings and analyses shared between rules.

Several rules need the same expensive analysis (where each goal's chains end, each team's
direction, each statement parsed). :meth:`CheckContext.derive` computes such an analysis once
per check, the first time a rule asks for it, and hands every later caller the same result.
An analysis is any function of the context, which keeps the mechanism general: a plugin rule
can define and share its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config

__all__ = ["Analysis", "CheckContext"]

T = TypeVar("T")
Analysis = Callable[["CheckContext"], T]


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
