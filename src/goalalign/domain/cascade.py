"""The :class:`Cascade` aggregate: one organisation's teams, goals and KPIs, indexed by id.

The cascade is immutable. Its indexes and its contribution graph are derived from the
tuples on first use and cached, so building a cascade stays cheap and a rule that needs the
graph pays for it once per cascade, not once per rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any

import attrs
import networkx as nx

from goalalign.domain.model import (
    KPI,
    Goal,
    Level,
    LinkTarget,
    Organisation,
    Team,
)

__all__ = ["Cascade", "SourceMap"]


@attrs.frozen(slots=True)
class SourceMap:
    """Where the parts of a document came from, so reports can point at lines.

    ``lines`` maps a location such as ``"goals[3]"`` or ``"teams[0]"`` to its 1-based line.
    It takes no part in equality: the same cascade read from two files is the same cascade.
    """

    path: str | None = None
    lines: Mapping[str, int] = attrs.field(factory=dict)

    def line_of(self, location: str) -> int | None:
        """The line of ``location`` (``"goals[3]"``), when the loader knew it."""
        return self.lines.get(location)


@attrs.frozen(slots=True, eq=False)
class _Indexes:
    """Look-ups by id. A goal is found through its position (``goals[goal_position[id]]``)
    rather than a second dictionary of goals: the position is needed for locations anyway, and
    one dictionary fewer is some 40 MB less at a million goals."""

    team_by_id: dict[str, Team]
    kpi_by_id: dict[str, KPI]
    goal_position: dict[str, int]
    team_position: dict[str, int]
    kpis_by_goal: dict[str, tuple[KPI, ...]]
    goals_by_team: dict[str, tuple[Goal, ...]]
    children_by_team: dict[str, tuple[str, ...]]


@attrs.frozen(slots=True, weakref_slot=False)
class Cascade:
    """An organisation's goal cascade: the whole, valid, immutable model of one document.

    Look-ups by id (:meth:`goal`, :meth:`team`, :meth:`kpis_of`) are dictionary reads. The
    contribution graph (:attr:`graph`) is a :class:`networkx.DiGraph` whose nodes are goal ids
    and whose edges run from a goal to each existing goal it supports, with ``mechanism`` and
    ``weight`` attributes. References to ids that do not exist stay in the model (the
    ``dangling-link`` rule reports them); they are simply not edges of the graph.
    ``settings`` is the document's own ``config:`` mapping (rule selection and options), kept
    raw because the domain knows nothing of the rule engine.
    """

    organisation: Organisation
    teams: tuple[Team, ...] = ()
    goals: tuple[Goal, ...] = ()
    kpis: tuple[KPI, ...] = ()
    settings: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    source: SourceMap = attrs.field(factory=SourceMap, eq=False, repr=False)

    @cached_property
    def _indexes(self) -> _Indexes:
        goals, kpis = self.goals, self.kpis
        # Most goals have one KPI: a goal's tuple is made whole from the first KPI, and only
        # goals measured by several KPIs go through a list.
        kpis_by_goal: dict[str, tuple[KPI, ...]] = {}
        several: dict[str, list[KPI]] = {}
        for kpi in kpis:
            owner = kpi.goal
            if owner is None:
                continue
            if owner in kpis_by_goal:
                found = several.get(owner)
                if found is None:
                    several[owner] = [*kpis_by_goal[owner], kpi]
                else:
                    found.append(kpi)
            else:
                kpis_by_goal[owner] = (kpi,)
        for owner, measured in several.items():
            kpis_by_goal[owner] = tuple(measured)
        goals_by_team: dict[str, list[Goal]] = defaultdict(list)
        for goal in goals:
            goals_by_team[goal.team].append(goal)
        children: dict[str, list[str]] = defaultdict(list)
        for team in self.teams:
            if team.parent is not None:
                children[team.parent].append(team.id)
        return _Indexes(
            team_by_id={t.id: t for t in self.teams},
            kpi_by_id={k.id: k for k in kpis},
            goal_position={g.id: i for i, g in enumerate(goals)},
            team_position={t.id: i for i, t in enumerate(self.teams)},
            kpis_by_goal=kpis_by_goal,
            goals_by_team={k: tuple(v) for k, v in goals_by_team.items()},
            children_by_team={k: tuple(v) for k, v in children.items()},
        )

    # -- look-ups ---------------------------------------------------------------------------

    def goal(self, goal_id: str) -> Goal | None:
        """The goal with ``goal_id``, or ``None``."""
        position = self._indexes.goal_position.get(goal_id)
        return None if position is None else self.goals[position]

    def goal_positions(self) -> dict[str, int]:
        """Each goal id's position in :attr:`goals`, the cascade's own index, shared rather
        than copied by analyses that number goals by position: read it, never change it.
        An id repeated (only possible in a cascade built by hand: loading rejects it) maps to
        its last goal, like :meth:`goal`."""
        return self._indexes.goal_position

    def team(self, team_id: str) -> Team | None:
        """The team with ``team_id``, or ``None``."""
        return self._indexes.team_by_id.get(team_id)

    def kpi(self, kpi_id: str) -> KPI | None:
        """The KPI with ``kpi_id``, or ``None``."""
        return self._indexes.kpi_by_id.get(kpi_id)

    def kpis_of(self, goal_id: str) -> tuple[KPI, ...]:
        """The KPIs that measure ``goal_id``, in document order."""
        return self._indexes.kpis_by_goal.get(goal_id, ())

    def goals_of(self, team_id: str) -> tuple[Goal, ...]:
        """The goals ``team_id`` owns, in document order."""
        return self._indexes.goals_by_team.get(team_id, ())

    def child_teams(self, team_id: str) -> tuple[str, ...]:
        """Ids of the teams whose ``parent`` is ``team_id``."""
        return self._indexes.children_by_team.get(team_id, ())

    def promise_ids(self) -> frozenset[str]:
        """Ids of the organisation's promises."""
        return frozenset(p.id for p in self.organisation.promises)

    def goal_location(self, goal_id: str) -> str | None:
        """The document location of a goal (``"goals[3]"``), for error and report messages."""
        position = self._indexes.goal_position.get(goal_id)
        return None if position is None else f"goals[{position}]"

    def team_location(self, team_id: str) -> str | None:
        """The document location of a team (``"teams[1]"``)."""
        position = self._indexes.team_position.get(team_id)
        return None if position is None else f"teams[{position}]"

    def as_of(self) -> date:
        """The reference date: the organisation's ``as_of``, else today."""
        return self.organisation.as_of or date.today()

    # -- derived structure --------------------------------------------------------------------

    def level_of(self, goal: Goal) -> Level:
        """The goal's level: as declared, else inferred from where it sits.

        A goal that supports no other goal and belongs to a team at the top of the chart is
        strategic; a goal that supports a strategic goal is translational; anything else is
        operational.
        """
        if goal.level is not None:
            return goal.level
        return self._inferred_levels.get(goal.id, Level.OPERATIONAL)

    @cached_property
    def _inferred_levels(self) -> dict[str, Level]:
        goals = self.goals
        position = self._indexes.goal_position
        team_by_id = self._indexes.team_by_id
        # Only undeclared levels are kept (level_of reads declared ones off the goal), unless
        # ids repeat: then, as ever, the last goal of an id decides what its id maps to.
        repeated = len(position) != len(goals)
        levels: dict[str, Level] = {}
        for goal in goals:
            if goal.level is not None:
                if repeated:
                    levels[goal.id] = goal.level
                continue
            targets = [
                goals[position[link.target_id]]
                for link in goal.supports
                if link.target_kind is LinkTarget.GOAL and link.target_id in position
            ]
            team = team_by_id.get(goal.team)
            if not goal.supports and team is not None and team.parent is None:
                levels[goal.id] = Level.STRATEGIC
            elif any(t.level is Level.STRATEGIC for t in targets):
                levels[goal.id] = Level.TRANSLATIONAL
            else:
                levels[goal.id] = Level.OPERATIONAL
        return levels

    @cached_property
    def graph(self) -> Any:
        """The contribution graph as a :class:`networkx.DiGraph`, built once.

        Nodes are goal ids with ``team`` and ``level`` attributes; an edge ``a -> b`` means goal
        ``a`` supports goal ``b`` and carries ``mechanism`` and ``weight``. Links to missing
        goals, promises and purpose are not edges.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from(
            (g.id, {"team": g.team, "level": self.level_of(g).value}) for g in self.goals
        )
        position = self._indexes.goal_position
        graph.add_edges_from(
            (g.id, link.target_id, {"mechanism": link.mechanism, "weight": link.weight})
            for g in self.goals
            for link in g.supports
            if link.target_kind is LinkTarget.GOAL and link.target_id in position
        )
        return graph

    def __len__(self) -> int:
        return len(self.goals)

    # -- notebook and DataFrame conveniences ---------------------------------------------------
    # goalalign.domain.frames imports pandas, an optional extra, so it is imported on call.

    def goals_frame(self) -> Any:
        """One row per goal as a pandas DataFrame (``goalalign[dataframe]``); see
        :func:`goalalign.domain.frames.goals_frame`."""
        from goalalign.domain.frames import goals_frame

        return goals_frame(self)

    def links_frame(self) -> Any:
        """One row per link as a pandas DataFrame; see
        :func:`goalalign.domain.frames.links_frame`."""
        from goalalign.domain.frames import links_frame

        return links_frame(self)

    def kpis_frame(self) -> Any:
        """One row per KPI as a pandas DataFrame; see
        :func:`goalalign.domain.frames.kpis_frame`."""
        from goalalign.domain.frames import kpis_frame

        return kpis_frame(self)

    def _repr_html_(self) -> str:
        """A small summary table for notebooks: goals per team and level, links, KPIs."""
        from html import escape

        levels = ("strategic", "translational", "operational")
        counts: dict[str, dict[str, int]] = {}
        for goal in self.goals:
            row = counts.setdefault(goal.team, dict.fromkeys(levels, 0))
            row[self.level_of(goal).value] += 1
        names = {t.id: t.name for t in self.teams}
        order = [t.id for t in self.teams] + sorted(set(counts) - set(names))
        rows = "".join(
            f"<tr><td>{escape(names.get(team, team))}</td><td>{escape(team)}</td>"
            + "".join(f"<td>{counts.get(team, {}).get(level, 0)}</td>" for level in levels)
            + "</tr>"
            for team in order
        )
        links = sum(len(g.supports) + len(g.hinders) for g in self.goals)
        head = "".join(f"<th>{level}</th>" for level in levels)
        return (
            f"<div><strong>{escape(self.organisation.name)}</strong>: {len(self.teams)} teams, "
            f"{len(self.goals)} goals, {links} links, {len(self.kpis)} KPIs"
            f"<table><thead><tr><th>team</th><th>id</th>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
