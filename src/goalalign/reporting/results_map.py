"""The Results Map: the cascade drawn as layers of goals, grouped by team, with its findings.

:func:`results_map` turns a :class:`~goalalign.domain.cascade.Cascade` (and, optionally, the
:class:`~goalalign.reporting.report.Report` of checking it) into a :class:`ResultsMap`. The map
keeps one :class:`networkx.DiGraph` (:attr:`ResultsMap.graph`) with documented attributes, so a
data scientist can query or draw it their own way, and offers the usual exports: Mermaid, DOT,
SVG (through Graphviz) and a self-contained HTML page (through the built-in layered layout of
:mod:`goalalign.reporting.map_layout`, which needs nothing installed).

Node keys carry their kind as a prefix so that ids of different kinds never collide:
``goal:<id>``, ``promise:<id>``, ``purpose``, and ``missing:<goal|promise>:<id>`` for a link
target that does not exist. Node attributes:

``kind``        ``"goal"``, ``"promise"``, ``"purpose"`` or ``"missing"``
``id``          the goal or promise id (``None`` for purpose)
``label``       short text to draw: the goal id and the start of its statement
``statement``   the full statement (goal, promise, purpose) or ``None``
``team``        owning team id (goals only, else ``None``)
``level``       ``"strategic"``, ``"translational"`` or ``"operational"`` (declared or inferred;
                goals only, else ``None``)
``layer``       ``"purpose"``, ``"strategic"``, ``"translational"`` or ``"operational"``
``direction``   the owning team's direction (``"strategic"``, ``"enabling"``, ``"purpose"``)
                or ``None`` when neither declared nor known from a report
``severity``    the worst severity of the findings about this goal (``"error"``,
                ``"warning"``, ``"info"``) or ``None``
``findings``    how many findings are about this goal (its own, its links' and its KPIs')
``rules``       the sorted names of the rules behind those findings
``broken``      ``True`` when a chain breaks here (``broken-chain``, ``orphan-goal`` or
                ``dangling-link`` reported on the goal or one of its links)

Edges run from the contributing goal to what it contributes to (or hinders). Attributes:

``kind``        ``"supports"`` or ``"hinders"``
``mechanism``   the cause-effect story, or ``None``
``weight``      the declared weight, or ``None``
``broken``      ``True`` when the link itself is reported broken, or either end is broken
``also_hinders`` ``True`` on a ``supports`` edge when the same goal also declares it hinders
                the same target (a DiGraph has one edge per ordered pair)

Large cascades are drawn collapsed: when the map holds more than :data:`COLLAPSE_TOTAL_GOALS`
goals every team is drawn as one node, otherwise any team with more than
:data:`COLLAPSE_TEAM_GOALS` goals is. A collapsed node shows the team's goal counts per level and
its worst severity; the HTML view lists the goals behind it in an expandable section.
:attr:`ResultsMap.graph` itself is never collapsed. A drawing shows at most
:data:`MAX_DRAWN_EDGES` arrows (broken and hindering links first, then the busiest).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs
import networkx as nx

from goalalign.domain.model import Goal, LinkTarget

if TYPE_CHECKING:
    from goalalign.domain.cascade import Cascade
    from goalalign.reporting.report import Report

__all__ = [
    "BROKEN_RULES",
    "COLLAPSE_TEAM_GOALS",
    "COLLAPSE_TOTAL_GOALS",
    "LAYERS",
    "LAYER_TITLES",
    "MAX_DRAWN_EDGES",
    "MAX_LISTED_GOALS",
    "GraphvizNotFoundError",
    "MapEdge",
    "MapNode",
    "MapView",
    "ResultsMap",
    "results_map",
]

LAYERS: tuple[str, ...] = ("purpose", "strategic", "translational", "operational")
"""The map's layers, top to bottom."""

LAYER_TITLES: Mapping[str, str] = {
    "purpose": "Purpose & promises",
    "strategic": "Strategic",
    "translational": "Translational",
    "operational": "Operational",
}

BROKEN_RULES: frozenset[str] = frozenset({"broken-chain", "orphan-goal", "dangling-link"})
"""Rules whose findings mean a chain breaks at their subject."""

COLLAPSE_TEAM_GOALS = 12
"""A team with more goals than this is drawn as one node."""

COLLAPSE_TOTAL_GOALS = 150
"""A map with more goals than this draws every team as one node."""

MAX_LISTED_GOALS = 200
"""Most goals the HTML view lists under one collapsed team (worst severity first)."""

MAX_DRAWN_EDGES = 600
"""Most arrows a drawing shows; beyond it, broken and hindering links are kept first, then the
arrows that merge the most links. :attr:`ResultsMap.graph` always keeps every edge."""

_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
_LABEL_CHARS = 60


class GraphvizNotFoundError(RuntimeError):
    """Raised by :meth:`ResultsMap.to_svg` when Graphviz is not available."""


@attrs.frozen(slots=True)
class MapNode:
    """One box of the drawn map: a goal, an anchor, a missing target or a collapsed team.

    ``kind`` is one of the graph's node kinds or ``"team"`` for a collapsed team; for a
    collapsed team ``goals`` is the number of goals behind it and ``level_counts`` their
    numbers per level.
    """

    key: str
    kind: str
    id: str | None
    label: str
    statement: str | None
    team: str | None
    layer: str
    level: str | None
    direction: str | None
    severity: str | None
    broken: bool
    findings: int
    rules: tuple[str, ...] = ()
    goals: int = 1
    level_counts: tuple[tuple[str, int], ...] = ()
    broken_goals: int = 0


@attrs.frozen(slots=True)
class MapEdge:
    """One arrow of the drawn map; ``count`` > 1 when links between collapsed teams merge."""

    source: str
    target: str
    kind: str
    mechanism: str | None
    weight: float | None
    broken: bool
    count: int = 1


@attrs.frozen(slots=True)
class TeamInfo:
    """A team as the map shows it: name, direction and whether that was inferred."""

    id: str
    name: str
    direction: str | None
    inferred: bool
    severity: str | None = None


@attrs.frozen(slots=True)
class MapView:
    """What is drawn: nodes and edges after collapsing, in a stable order.

    ``collapsed`` maps each collapsed team to the goals listed behind its node in the HTML view
    (the :data:`MAX_LISTED_GOALS` worst; the team node's ``goals`` counts them all);
    ``teams`` lists the teams in drawing order.
    """

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    teams: tuple[TeamInfo, ...]
    collapsed: Mapping[str, tuple[MapNode, ...]]
    title: str
    checked: bool = True
    """Whether findings were overlaid; an unchecked map draws goals without colour."""
    omitted_links: int = 0
    """Links not drawn because the view had more than :data:`MAX_DRAWN_EDGES` arrows."""


def results_map(
    cascade: Cascade,
    report: Report | None = None,
    *,
    team: str | None = None,
    collapse: bool | None = None,
) -> ResultsMap:
    """Draw ``cascade`` as a Results Map, overlaid with ``report``'s findings when given.

    ``team`` focuses the map on one team's chains: its goals and everything they contribute
    to, up to the anchors. ``collapse`` forces (``True``) or prevents (``False``) drawing teams
    as single nodes; by default large cascades are collapsed (see the module documentation).
    Building the map is linear in the number of goals and links.
    """
    if team is not None and cascade.team(team) is None and not cascade.goals_of(team):
        raise ValueError(f"unknown team {team!r}")
    overlay = _overlay(cascade, report)
    teams = _team_infos(cascade, report, overlay)
    graph = _build_graph(cascade, overlay, teams)
    if team is not None:
        graph = _focus(graph, cascade, team)
    return ResultsMap(
        cascade=cascade,
        graph=graph,
        teams=teams,
        focus=team,
        collapse=collapse,
        checked=report is not None,
    )


@attrs.frozen(slots=True, eq=False, weakref_slot=False)
class ResultsMap:
    """A drawn cascade: :attr:`graph` plus its exports. Build it with :func:`results_map`."""

    cascade: Cascade
    graph: Any
    """The :class:`networkx.DiGraph` described in the module documentation."""
    teams: Mapping[str, TeamInfo]
    focus: str | None = None
    collapse: bool | None = None
    checked: bool = False
    """Whether a report's findings are overlaid."""
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def goal_count(self) -> int:
        """How many goals the map shows."""
        return sum(1 for _, kind in self.graph.nodes(data="kind") if kind == "goal")

    @property
    def collapsed_teams(self) -> frozenset[str]:
        """The teams drawn as single nodes (see the module documentation for the rule)."""
        if "collapsed" not in self._cache:
            self._cache["collapsed"] = self._collapsed_teams()
        result: frozenset[str] = self._cache["collapsed"]
        return result

    def _collapsed_teams(self) -> frozenset[str]:
        per_team: dict[str, int] = {}
        for _, data in self.graph.nodes(data=True):
            if data["kind"] == "goal":
                per_team[data["team"]] = per_team.get(data["team"], 0) + 1
        if self.collapse is False:
            return frozenset()
        if self.collapse is True or sum(per_team.values()) > COLLAPSE_TOTAL_GOALS:
            return frozenset(per_team)
        return frozenset(t for t, n in per_team.items() if n > COLLAPSE_TEAM_GOALS)

    def view(self) -> MapView:
        """The nodes and edges to draw, after collapsing (computed once)."""
        if "view" not in self._cache:
            self._cache["view"] = _build_view(self)
        result: MapView = self._cache["view"]
        return result

    # -- exports -------------------------------------------------------------------------------

    def to_mermaid(self, *, labels: bool = False) -> str:
        """A Mermaid ``flowchart`` (arrows point upwards, from contributor to anchor).

        ``labels=True`` writes each link's mechanism on its arrow.
        """
        from goalalign.reporting.map_export import to_mermaid

        return to_mermaid(self.view(), labels=labels)

    def to_dot(self, *, labels: bool = False) -> str:
        """A Graphviz DOT document: one cluster per team, one rank per layer."""
        from goalalign.reporting.map_export import to_dot

        return to_dot(self.view(), labels=labels)

    def to_svg(
        self, *, labels: bool = False, engine: Literal["graphviz", "builtin"] = "graphviz"
    ) -> str:
        """An SVG drawing.

        ``engine="graphviz"`` lays out :meth:`to_dot` with Graphviz (the ``graphviz`` Python
        package from the ``goalalign[graphviz]`` extra, or the ``dot`` program) and raises
        :class:`GraphvizNotFoundError` when neither is there; ``engine="builtin"`` uses the
        simple layered layout of the HTML view, which needs nothing installed.
        """
        if engine == "builtin":
            from goalalign.reporting.map_layout import render_svg

            return render_svg(self.view(), labels=labels, standalone=True)
        from goalalign.reporting.map_export import graphviz_svg

        return graphviz_svg(self.to_dot(labels=labels))

    def to_html(self, *, labels: bool = False) -> str:
        """A self-contained HTML page of the map: no external requests; readable without scripts."""
        from goalalign.reporting.map_layout import render_page

        return render_page(self.view(), labels=labels)

    def _repr_html_(self) -> str:
        from goalalign.reporting.map_layout import render_fragment

        # several maps can share one notebook page: keep their element ids apart
        return render_fragment(self.view(), labels=False, prefix=f"ga{id(self):x}")


# -- building the graph ---------------------------------------------------------------------


def _goal_key(goal_id: str) -> str:
    return f"goal:{goal_id}"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _worse(current: str | None, new: str) -> str:
    if current is None or _SEVERITY_RANK[new] > _SEVERITY_RANK[current]:
        return new
    return current


@attrs.define(slots=True)
class _Overlay:
    severity: dict[str, str] = attrs.field(factory=dict)
    findings: dict[str, int] = attrs.field(factory=dict)
    rules: dict[str, set[str]] = attrs.field(factory=dict)
    broken_goals: set[str] = attrs.field(factory=set)
    broken_links: set[tuple[str, str | None]] = attrs.field(factory=set)
    broken_sources: set[str] = attrs.field(factory=set)
    team_severity: dict[str, str] = attrs.field(factory=dict)


def _overlay(cascade: Cascade, report: Report | None) -> _Overlay:
    """Per-goal worst severity, finding counts and breaks, from one pass over the findings."""
    overlay = _Overlay()
    if report is None:
        return overlay
    kpi_goal: dict[str, str | None] | None = None  # built on the first KPI finding
    for finding in report.findings:
        kind = finding.subject.kind.value
        severity = finding.severity.value
        goal_id: str | None = None
        if kind in ("goal", "link"):
            goal_id = finding.subject.id
        elif kind == "kpi":
            if kpi_goal is None:
                kpi_goal = {k.id: k.goal for k in cascade.kpis}
            goal_id = kpi_goal.get(finding.subject.id)
        elif kind == "team":
            team_id = finding.subject.id
            overlay.team_severity[team_id] = _worse(overlay.team_severity.get(team_id), severity)
        if goal_id is None:
            continue
        overlay.severity[goal_id] = _worse(overlay.severity.get(goal_id), severity)
        overlay.findings[goal_id] = overlay.findings.get(goal_id, 0) + 1
        overlay.rules.setdefault(goal_id, set()).add(finding.rule)
        if finding.rule in BROKEN_RULES:
            if kind == "link":
                overlay.broken_links.add((goal_id, finding.subject.target))
                overlay.broken_sources.add(goal_id)
            elif kind == "goal":
                overlay.broken_goals.add(goal_id)
    return overlay


def _team_infos(cascade: Cascade, report: Report | None, overlay: _Overlay) -> dict[str, TeamInfo]:
    """Each team's name and direction: from the report's assessment, else as declared."""
    assessed: dict[str, tuple[str | None, bool]] = {}
    if report is not None:
        # the same values as each entry's to_dict()["direction"], without building its chains
        for assessment in report.teams:
            anchor = assessment.direction
            assessed[assessment.id] = (
                None if anchor is None else str(anchor.value),
                bool(assessment.direction_inferred),
            )
    overlay_severity = overlay.team_severity
    infos: dict[str, TeamInfo] = {}
    for team in cascade.teams:
        declared = team.direction.value if team.direction is not None else None
        direction, inferred = assessed.get(team.id, (declared, False))
        infos[team.id] = TeamInfo(
            team.id, team.name, direction, inferred, overlay_severity.get(team.id)
        )
    for goal in cascade.goals:
        if goal.team not in infos:
            direction, inferred = assessed.get(goal.team, (None, False))
            infos[goal.team] = TeamInfo(goal.team, goal.team, direction, inferred, None)
    return infos


def _build_graph(cascade: Cascade, overlay: _Overlay, teams: Mapping[str, TeamInfo]) -> Any:
    organisation = cascade.organisation
    graph = nx.DiGraph(name=organisation.name)
    if organisation.purpose is not None or any(
        link.target_kind is LinkTarget.PURPOSE for g in cascade.goals for link in g.supports
    ):
        graph.add_node("purpose", **_anchor_attrs("purpose", None, organisation.purpose))
    for promise in organisation.promises:
        graph.add_node(
            f"promise:{promise.id}", **_anchor_attrs("promise", promise.id, promise.statement)
        )
    for goal in cascade.goals:
        level = cascade.level_of(goal).value
        graph.add_node(
            _goal_key(goal.id),
            kind="goal",
            id=goal.id,
            label=f"{goal.id}: {_shorten(goal.statement, _LABEL_CHARS)}",
            statement=goal.statement,
            team=goal.team,
            level=level,
            layer=level,
            direction=teams[goal.team].direction,
            severity=overlay.severity.get(goal.id),
            findings=overlay.findings.get(goal.id, 0),
            rules=tuple(sorted(overlay.rules.get(goal.id, ()))),
            broken=goal.id in overlay.broken_goals or goal.id in overlay.broken_sources,
        )
    promises = cascade.promise_ids()
    goal_ids = frozenset(g.id for g in cascade.goals)
    for goal in cascade.goals:
        _add_links(graph, goal_ids, goal, overlay, promises)
    return graph


def _anchor_attrs(kind: str, anchor_id: str | None, statement: str | None) -> dict[str, Any]:
    if kind == "purpose":
        label = "Purpose: " + _shorten(statement, _LABEL_CHARS) if statement else "Purpose"
    else:
        label = f"{anchor_id}: {_shorten(statement or '', _LABEL_CHARS)}"
    return {
        "kind": kind,
        "id": anchor_id,
        "label": label,
        "statement": statement,
        "team": None,
        "level": None,
        "layer": "purpose",
        "direction": None,
        "severity": None,
        "findings": 0,
        "rules": (),
        "broken": False,
    }


def _add_links(
    graph: Any, goal_ids: frozenset[str], goal: Goal, overlay: _Overlay, promises: frozenset[str]
) -> None:
    source = _goal_key(goal.id)
    source_data = graph.nodes[source]
    for kind, links in (("supports", goal.supports), ("hinders", goal.hinders)):
        for link in links:
            target = _target_key(
                graph, goal_ids, promises, link.target_kind, link.target_id, source_data
            )
            if target == source:
                continue
            reported = (goal.id, link.target_id) in overlay.broken_links
            broken = reported or source_data["broken"] or graph.nodes[target]["broken"]
            existing = graph.get_edge_data(source, target)
            if existing is not None:
                if kind == "hinders" and existing["kind"] == "supports":
                    existing["also_hinders"] = True
                continue
            graph.add_edge(
                source,
                target,
                kind=kind,
                mechanism=link.mechanism,
                weight=link.weight,
                broken=bool(broken),
                also_hinders=False,
            )


def _target_key(
    graph: Any,
    goal_ids: frozenset[str],
    promises: frozenset[str],
    kind: LinkTarget,
    target_id: str | None,
    source_data: Mapping[str, Any],
) -> str:
    """The node a link points at, adding a ``missing`` node for a target that does not exist."""
    if kind is LinkTarget.PURPOSE:
        if "purpose" not in graph:
            graph.add_node("purpose", **_anchor_attrs("purpose", None, None))
        return "purpose"
    if kind is LinkTarget.PROMISE:
        key = f"promise:{target_id}"
        exists = target_id in promises
    else:
        key = _goal_key(str(target_id))
        exists = target_id in goal_ids
    if exists:
        return key
    missing = f"missing:{kind.value}:{target_id}"
    if missing not in graph:
        source_layer = LAYERS.index(source_data["layer"])
        graph.add_node(
            missing,
            kind="missing",
            id=target_id,
            label=f"missing {kind.value}: {target_id}",
            statement=None,
            team=None,
            level=None,
            layer=LAYERS[max(source_layer - 1, 0)],
            direction=None,
            severity="error",
            findings=0,
            rules=(),
            broken=True,
        )
    return missing


def _focus(graph: Any, cascade: Cascade, team: str) -> Any:
    """The team's goals and everything upstream of them along ``supports``: one BFS, linear."""
    start = [_goal_key(g.id) for g in cascade.goals_of(team)]
    keep = set(start)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for _, target, kind in graph.out_edges(node, data="kind"):
            if kind == "supports" and target not in keep:
                keep.add(target)
                queue.append(target)
    for node in start:
        for _, target, kind in graph.out_edges(node, data="kind"):
            if kind == "hinders":
                keep.add(target)
    focused = graph.subgraph(keep).copy()
    focused.graph["focus"] = team
    return focused


# -- the drawn view -----------------------------------------------------------------------


def _build_view(results: ResultsMap) -> MapView:
    graph = results.graph
    collapsed = results.collapsed_teams
    teams = dict(results.teams)
    order: list[str] = list(teams)
    for _, data in graph.nodes(data=True):
        if data["kind"] == "goal" and data["team"] not in teams:
            teams[data["team"]] = TeamInfo(data["team"], data["team"], None, False)
            order.append(data["team"])
    represent: dict[str, str] = {}
    nodes: list[MapNode] = []
    members: dict[str, list[tuple[str, Mapping[str, Any]]]] = {t: [] for t in collapsed}
    for key, data in graph.nodes(data=True):
        if data["kind"] == "goal" and data["team"] in collapsed:
            represent[key] = f"team:{data['team']}"
            members[data["team"]].append((key, data))
        else:
            represent[key] = key
            nodes.append(_map_node(key, data))
    position = {team: i for i, team in enumerate(order)}
    collapsed_order = sorted(collapsed, key=position.__getitem__)
    listed: dict[str, tuple[MapNode, ...]] = {}
    for team_id in collapsed_order:
        goals = members[team_id]
        nodes.append(_team_node(team_id, teams[team_id], [data for _, data in goals]))
        # the HTML lists the worst goals first; only those listed become MapNodes
        goals.sort(key=lambda item: (-_SEVERITY_RANK.get(item[1]["severity"], -1), item[0]))
        listed[team_id] = tuple(_map_node(k, d) for k, d in goals[:MAX_LISTED_GOALS])
    edges = list(_view_edges(graph, represent))
    omitted = 0
    if len(edges) > MAX_DRAWN_EDGES:
        # keep what matters most: broken links, conflicts, then the busiest arrows
        edges.sort(key=lambda e: (not e.broken, e.kind != "hinders", -e.count))
        omitted = sum(e.count for e in edges[MAX_DRAWN_EDGES:])
        edges = edges[:MAX_DRAWN_EDGES]
    shown_teams = {n.team for n in nodes if n.team is not None}
    title = str(graph.graph.get("name") or "")
    if results.focus is not None:
        title = f"{title}: chains of team {results.focus}" if title else results.focus
    return MapView(
        nodes=tuple(nodes),
        edges=tuple(edges),
        teams=tuple(teams[t] for t in order if t in shown_teams),
        collapsed=listed,
        title=title,
        checked=results.checked,
        omitted_links=omitted,
    )


def _map_node(key: str, data: Mapping[str, Any]) -> MapNode:
    return MapNode(
        key=key,
        kind=data["kind"],
        id=data["id"],
        label=data["label"],
        statement=data["statement"],
        team=data["team"],
        layer=data["layer"],
        level=data["level"],
        direction=data["direction"],
        severity=data["severity"],
        broken=data["broken"],
        findings=data["findings"],
        rules=data["rules"],
    )


def _team_node(team_id: str, info: TeamInfo, goals: list[Mapping[str, Any]]) -> MapNode:
    levels: dict[str, int] = {}
    severity = info.severity
    findings = 0
    broken = 0
    rules: set[str] = set()
    for goal in goals:
        level = goal["level"] or "operational"
        levels[level] = levels.get(level, 0) + 1
        if goal["severity"] is not None:
            severity = _worse(severity, goal["severity"])
        findings += goal["findings"]
        broken += goal["broken"]
        rules.update(goal["rules"])
    top = min(levels, key=LAYERS.index) if levels else "operational"
    counts = tuple((level, levels[level]) for level in LAYERS if level in levels)
    return MapNode(
        key=f"team:{team_id}",
        kind="team",
        id=team_id,
        label=f"{info.name}: {len(goals)} goals",
        statement=None,
        team=team_id,
        layer=top,
        level=None,
        direction=info.direction,
        severity=severity,
        broken=broken > 0,
        findings=findings,
        rules=tuple(sorted(rules)),
        goals=len(goals),
        level_counts=counts,
        broken_goals=broken,
    )


def _view_edges(graph: Any, represent: Mapping[str, str]) -> Iterator[MapEdge]:
    merged: dict[tuple[str, str, str], list[Any]] = {}
    for source, target, data in graph.edges(data=True):
        a, b = represent[source], represent[target]
        if a == source and b == target:
            yield MapEdge(a, b, data["kind"], data["mechanism"], data["weight"], data["broken"])
            continue
        if a == b:
            continue
        entry = merged.setdefault((a, b, data["kind"]), [0, False, data["mechanism"]])
        entry[0] += 1
        entry[1] = entry[1] or data["broken"]
    for (a, b, kind), (count, broken, mechanism) in merged.items():
        yield MapEdge(a, b, kind, mechanism if count == 1 else None, None, broken, count)


# -- presentation helpers shared by the exports -----------------------------------


_SEVERITY_STYLE = {
    "error": ("#fde2e1", "#b42318"),
    "warning": ("#fff4d6", "#b54708"),
    "info": ("#e0efff", "#175cd3"),
    "ok": ("#eaf7ee", "#2f7d46"),
    "anchor": ("#f1e9ff", "#6941c6"),
    "plain": ("#ffffff", "#475467"),
}


def node_style(node: MapNode, checked: bool = True) -> str:
    """The style class of a node: its worst severity, ``ok``, ``anchor`` or (unchecked)
    ``plain``."""
    if node.kind in ("promise", "purpose"):
        return "anchor"
    if node.severity is None and not checked and node.kind != "missing":
        return "plain"
    return node.severity or "ok"


def node_text(node: MapNode) -> str:
    """The one-line text of a node, including a collapsed team's counts."""
    if node.kind != "team":
        return node.label
    counts = ", ".join(f"{n} {level}" for level, n in node.level_counts)
    text = f"{node.label} ({counts})"
    if node.severity is not None:
        text += f"; worst: {node.severity}"
    if node.broken_goals:
        text += f"; {node.broken_goals} broken"
    return text


def team_title(info: TeamInfo) -> str:
    """A team's caption: its name and direction (and whether the direction was inferred)."""
    if info.direction is None:
        return f"{info.name} (direction undetermined)"
    return f"{info.name} ({info.direction}{', inferred' if info.inferred else ''})"


def _grouped(view: MapView) -> Iterator[tuple[str, list[tuple[TeamInfo | None, list[MapNode]]]]]:
    """Nodes by layer, then by team (anchors and missing targets in a team-less group first);
    one pass over the nodes."""
    buckets: dict[tuple[str, str | None], list[MapNode]] = {}
    for node in view.nodes:
        buckets.setdefault((node.layer, node.team), []).append(node)
    for layer in LAYERS:
        groups: list[tuple[TeamInfo | None, list[MapNode]]] = []
        if (layer, None) in buckets:
            groups.append((None, buckets[(layer, None)]))
        groups.extend(
            (info, buckets[(layer, info.id)]) for info in view.teams if (layer, info.id) in buckets
        )
        if groups:
            yield layer, groups
