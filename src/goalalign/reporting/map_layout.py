"""A layered layout of the Results Map, drawn as SVG by Python alone.

The HTML report must open offline, so it cannot lean on Graphviz or Mermaid's JavaScript. The
layout here is deliberately simple and linear: one horizontal band per layer (purpose and
promises on top, operational goals at the bottom), one cell per team inside each band, goals
packed in a small grid inside their cell. When every team fits side by side the cells line up
in columns, one column per team; when they do not, each band wraps its cells onto several
lines so the drawing stays readable on a laptop screen rather than shrinking to a sliver.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterator

import attrs
import networkx as nx

from goalalign.reporting.results_map import (
    LAYER_TITLES,
    MAX_LISTED_GOALS,
    MapEdge,
    MapNode,
    MapView,
    TeamInfo,
    _grouped,
    _shorten,
    node_style,
    team_title,
)

__all__ = ["MAP_CSS", "render_fragment", "render_page", "render_svg"]

NODE_W = 184
NODE_H = 64
H_GAP = 14
V_GAP = 14
PAD = 10
CAPTION_H = 20
TITLE_H = 24
BAND_GAP = 30
ROW_GAP = 28
MARGIN = 12
MAX_WIDTH = 1500
MAX_COLS = 3
LOOSE_COLS = 6
LINE_CHARS = 30

_FILL = {
    "error": ("#fde2e1", "#b42318"),
    "warning": ("#fff4d6", "#b54708"),
    "info": ("#e0efff", "#175cd3"),
    "ok": ("#eaf7ee", "#2f7d46"),
    "anchor": ("#f1e9ff", "#6941c6"),
    "plain": ("#ffffff", "#475467"),
}

MAP_CSS = """
.ga-map-wrap{overflow-x:auto;border:1px solid #d0d5dd;border-radius:8px;background:#fff}
.ga-map-wrap svg{max-width:100%;height:auto;display:block}
.ga-map text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1d2433}
.ga-map .band{fill:#f8f9fb;stroke:#e4e7ec}
.ga-map .layer-title{font-size:13px;font-weight:700;fill:#475467;letter-spacing:.04em}
.ga-map .cell{fill:#fff;stroke:#d0d5dd;stroke-dasharray:2 2}
.ga-map .team{font-size:11px;font-weight:600;fill:#344054}
.ga-map .node rect{stroke-width:1.5}
.ga-map .node.broken rect{stroke-width:3;stroke-dasharray:7 4}
.ga-map .node .nid{font-size:11px;font-weight:700}
.ga-map .node .ntext{font-size:10.5px}
.ga-map .node .sev{font-size:9px;font-weight:700;text-transform:uppercase}
.ga-map .edge{fill:none;stroke:#667085;stroke-width:1.4}
.ga-map .edge.hinders{stroke:#b54708;stroke-dasharray:5 4}
.ga-map .edge.broken{stroke:#b42318;stroke-dasharray:7 4;stroke-width:2}
.ga-map .elabel{font-size:9.5px;fill:#344054;paint-order:stroke;stroke:#fff;stroke-width:3px}
.ga-map a .node rect{cursor:pointer}
.ga-legend{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.5rem 0;font-size:.85rem}
.ga-legend span{display:inline-flex;align-items:center;gap:.35rem}
.ga-legend i{display:inline-block;width:1.1rem;height:.8rem;border:1.5px solid;border-radius:3px}
.ga-note{font-size:.85rem;color:#667085}
.ga-collapsed details{margin:.3rem 0}
.ga-collapsed summary{cursor:pointer;font-weight:600}
.ga-collapsed table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0 .8rem}
.ga-collapsed th,.ga-collapsed td{border-bottom:1px solid #e4e7ec;padding:.2rem .5rem;
text-align:left;vertical-align:top}
@media print{.ga-map-wrap{overflow:visible;border:none}.ga-map svg{max-width:100%;height:auto}
.ga-collapsed details{display:block}.ga-collapsed details>*{display:block}}
"""


@attrs.frozen(slots=True)
class Box:
    """Where a node is drawn: top-left corner and size."""

    x: float
    y: float
    w: float = NODE_W
    h: float = NODE_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@attrs.frozen(slots=True)
class _Cell:
    team: TeamInfo | None
    nodes: tuple[MapNode, ...]
    cols: int

    @property
    def width(self) -> int:
        return self.cols * NODE_W + (self.cols - 1) * H_GAP + 2 * PAD

    @property
    def height(self) -> int:
        rows = -(-len(self.nodes) // self.cols)
        return CAPTION_H + rows * (NODE_H + V_GAP) - V_GAP + 2 * PAD


@attrs.frozen(slots=True)
class Layout:
    """Positions of nodes, cells and layer bands, and the drawing's size."""

    width: float
    height: float
    boxes: dict[str, Box]
    bands: tuple[tuple[str, float, float], ...]
    cells: tuple[tuple[_Cell, float, float, float], ...]


def _depths(view: MapView) -> dict[str, int]:
    """Each node's depth inside its band: 0 for a node that supports nothing in its own layer,
    else one more than the deepest node it supports there (cycles count as one node).

    Drawing deeper nodes lower keeps arrows between nodes of one layer pointing upwards instead
    of running sideways through the band.
    """
    layer_of = {n.key: n.layer for n in view.nodes}
    graph = nx.DiGraph()
    graph.add_nodes_from(layer_of)
    graph.add_edges_from(
        (e.source, e.target)
        for e in view.edges
        if e.source != e.target and layer_of[e.source] == layer_of[e.target]
    )
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        depth[component] = 1 + max((depth[s] for s in condensed.successors(component)), default=-1)
    mapping: dict[str, int] = condensed.graph["mapping"]
    return {key: depth[component] for key, component in mapping.items()}


def _rows(view: MapView) -> list[tuple[str, list[list[tuple[TeamInfo | None, list[MapNode]]]]]]:
    """Per layer, its rows (one per in-band depth), each a list of (team, nodes) groups."""
    depths = _depths(view)
    out = []
    for layer, groups in _grouped(view):
        by_depth: dict[int, list[tuple[TeamInfo | None, list[MapNode]]]] = {}
        for info, members in groups:
            split: dict[int, list[MapNode]] = {}
            for node in members:
                split.setdefault(depths[node.key], []).append(node)
            for depth, nodes in split.items():
                by_depth.setdefault(depth, []).append((info, nodes))
        out.append((layer, [by_depth[d] for d in sorted(by_depth)]))
    return out


def layout(view: MapView) -> Layout:
    """Rows by layer, cells by team; near-linear in the number of drawn nodes and arrows."""
    rows = _rows(view)
    team_cols: dict[str | None, int] = {}
    anchor_cols = 1
    for layer, layer_rows in rows:
        for groups in layer_rows:
            for info, members in groups:
                if info is None and layer == "purpose":
                    # anchors span the top band on their own; they need no team column
                    anchor_cols = max(anchor_cols, min(LOOSE_COLS, len(members)))
                    continue
                key = info.id if info is not None else None
                limit = MAX_COLS if info is not None else LOOSE_COLS
                team_cols[key] = max(team_cols.get(key, 1), min(limit, len(members)))
    column_x: dict[str | None, float] = {}
    x = float(MARGIN)
    for key in [None, *(t.id for t in view.teams)]:
        if key in team_cols:
            column_x[key] = x
            x += _Cell(None, (), team_cols[key]).width + H_GAP
    x = max(x, MARGIN + _Cell(None, (), anchor_cols).width + H_GAP)
    aligned = x - H_GAP + MARGIN <= MAX_WIDTH
    width = x - H_GAP + MARGIN if aligned else float(MAX_WIDTH)
    column_x["anchors"] = float(MARGIN)
    team_cols["anchors"] = anchor_cols
    boxes: dict[str, Box] = {}
    bands: list[tuple[str, float, float]] = []
    cells: list[tuple[_Cell, float, float, float]] = []
    y = float(MARGIN)
    for layer, layer_rows in rows:
        band_top = y
        y += TITLE_H
        for groups in layer_rows:
            line_top, line_height, cursor = y, 0.0, float(MARGIN)
            for info, members in groups:
                key = info.id if info is not None else None
                if info is None and layer == "purpose":
                    key = "anchors"
                cell = _Cell(info, tuple(members), min(team_cols[key], len(members)))
                if aligned:
                    cx = column_x[key]
                else:
                    if cursor + cell.width > MAX_WIDTH - MARGIN and cursor > MARGIN:
                        line_top += line_height + V_GAP
                        line_height, cursor = 0.0, float(MARGIN)
                    cx = cursor
                    cursor += cell.width + H_GAP
                cells.append((cell, cx, line_top, 0.0))
                line_height = max(line_height, cell.height)
                for index, node in enumerate(members):
                    row, col = divmod(index, cell.cols)
                    boxes[node.key] = Box(
                        cx + PAD + col * (NODE_W + H_GAP),
                        line_top + PAD + CAPTION_H + row * (NODE_H + V_GAP),
                    )
            y = line_top + line_height + ROW_GAP
        y += PAD - ROW_GAP
        bands.append((layer, band_top, y - band_top))
        y += BAND_GAP
    # every cell of a line stretches to the line's height, so captions and borders line up
    heights: dict[float, float] = {}
    for cell, _, top, _ in cells:
        heights[top] = max(heights.get(top, 0.0), cell.height)
    stretched = tuple((c, cx, top, heights[top]) for c, cx, top, _ in cells)
    return Layout(width, y - BAND_GAP + MARGIN, boxes, tuple(bands), stretched)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(node: MapNode) -> tuple[str, list[str], str]:
    """Heading, body lines and severity tag of a node's box."""
    if node.kind == "team":
        counts = " · ".join(f"{n} {level[:5]}." for level, n in node.level_counts)
        body = [f"{node.goals} goals: {counts}"]
        if node.findings:
            body.append(
                f"{node.findings} findings"
                + (f", {node.broken_goals} broken" if node.broken_goals else "")
            )
        body.append("▸ click to list the goals")
        return _shorten(node.label.split(":")[0], LINE_CHARS - 4), body, node.severity or ""
    if node.kind == "purpose":
        head, text = "Purpose", node.statement or ""
    elif node.kind == "promise":
        head, text = f"promise {node.id}", node.statement or ""
    elif node.kind == "missing":
        head, text = "missing target", str(node.id)
    else:
        head, text = str(node.id), node.statement or ""
    wrapped = textwrap.wrap(" ".join(text.split()), LINE_CHARS) or [""]
    if len(wrapped) > 3:
        wrapped = [*wrapped[:2], _shorten(wrapped[2] + " …", LINE_CHARS)]
        if not wrapped[2].endswith("…"):
            wrapped[2] = wrapped[2].rstrip(" .") + "…"
    return _shorten(head, LINE_CHARS - 6), wrapped, node.severity or ""


def _edge_path(a: Box, b: Box, ax: float, bx: float) -> tuple[str, float, float]:
    """A curve from ``a`` (leaving at ``ax``) to ``b`` (arriving at ``bx``), and a label point."""
    if b.y + b.h <= a.y:  # target above: leave from the top, arrive at the bottom
        x1, y1, x2, y2 = ax, a.y, bx, b.y + b.h
    elif b.y >= a.y + a.h:  # target below (a level inversion)
        x1, y1, x2, y2 = ax, a.y + a.h, bx, b.y
    else:  # same row: arc over the top
        x1, y1, x2, y2 = ax, a.y, bx, b.y
        lift = min(a.y, b.y) - 22
        path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{lift:.1f} {x2:.1f},{lift:.1f} {x2:.1f},{y2:.1f}"
        return path, (x1 + x2) / 2, lift + 6
    mid = (y1 + y2) / 2
    path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2:.1f}"
    return path, x1 + (x2 - x1) * 0.25, y1 + (y2 - y1) * 0.25


def _ports(view: MapView, boxes: dict[str, Box]) -> tuple[list[float], list[float]]:
    """Where each arrow leaves its source and enters its target, spread along the box edge
    in the order of the other ends, so arrows fan out instead of meeting in one point."""
    outgoing: dict[str, list[int]] = {}
    incoming: dict[str, list[int]] = {}
    for index, edge in enumerate(view.edges):
        outgoing.setdefault(edge.source, []).append(index)
        incoming.setdefault(edge.target, []).append(index)
    leave = [0.0] * len(view.edges)
    arrive = [0.0] * len(view.edges)
    for ends, side, other in ((outgoing, leave, "target"), (incoming, arrive, "source")):
        for key, indexes in ends.items():
            box = boxes[key]
            indexes.sort(key=lambda i: boxes[getattr(view.edges[i], other)].cx)
            step = box.w * 0.8 / (len(indexes) + 1)
            for rank, i in enumerate(indexes, start=1):
                side[i] = box.x + box.w * 0.1 + rank * step
    return leave, arrive


def _edge_label(edge: MapEdge, labels: bool) -> str:
    parts = []
    if edge.kind == "hinders":
        parts.append("hinders")
    if labels and edge.count > 1:
        parts.append(f"×{edge.count}")
    if labels and edge.mechanism:
        parts.append(_shorten(edge.mechanism, 40))
    return ": ".join(parts)


def render_svg(
    view: MapView,
    *,
    labels: bool = False,
    standalone: bool = False,
    prefix: str = "ga",
    team_anchor: dict[str, str] | None = None,
) -> str:
    """The map as SVG markup.

    ``standalone`` adds the XML namespace and an embedded stylesheet for a ``.svg`` file; inline
    in HTML neither is needed (and the namespace URL is left out so the HTML names no URL).
    ``team_anchor`` maps a collapsed team to the id of the element listing its goals.
    """
    lay = layout(view)
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{ns} class="ga-map" viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
        f'width="{lay.width:.0f}" height="{lay.height:.0f}" role="img" '
        f'aria-label="{_e("Results Map " + view.title)}">'
    ]
    if standalone:
        out.append(f"<style>{MAP_CSS}</style>")
    out.append("<defs>")
    for name, colour in (("", "#667085"), ("-hinders", "#b54708"), ("-broken", "#b42318")):
        out.append(
            f'<marker id="{prefix}-arrow{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    for layer, top, height in lay.bands:
        out.append(
            f'<rect class="band" x="2" y="{top:.1f}" width="{lay.width - 4:.0f}" '
            f'height="{height:.1f}" rx="8"/>'
            f'<text class="layer-title" x="{MARGIN + 2}" y="{top + 17:.1f}">'
            f"{_e(LAYER_TITLES[layer].upper())}</text>"
        )
    for cell, x, y, height in lay.cells:
        out.append(
            f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{cell.width}" '
            f'height="{height:.1f}" rx="6"/>'
        )
        caption = team_title(cell.team) if cell.team is not None else ""
        if caption:
            out.append(
                f'<text class="team" x="{x + PAD:.1f}" y="{y + 15:.1f}">'
                f"{_e(_shorten(caption, cell.width // 7))}<title>{_e(caption)}</title></text>"
            )
    out.extend(_edges(view, lay, labels, prefix))
    for node in view.nodes:
        out.append(_node(node, lay.boxes[node.key], team_anchor, view.checked))
    out.append("</svg>")
    return "".join(out)


def _edges(view: MapView, lay: Layout, labels: bool, prefix: str) -> Iterator[str]:
    texts: list[str] = []
    leave, arrive = _ports(view, lay.boxes)
    for index, edge in enumerate(view.edges):
        a, b = lay.boxes[edge.source], lay.boxes[edge.target]
        path, lx, ly = _edge_path(a, b, leave[index], arrive[index])
        classes = ["edge"]
        marker = f"{prefix}-arrow"
        if edge.broken:
            classes.append("broken")
            marker += "-broken"
        elif edge.kind == "hinders":
            classes.append("hinders")
            marker += "-hinders"
        if edge.kind == "hinders" and edge.broken:
            classes.append("hinders")
        thick = min(1.4 + math.log2(edge.count) * 0.6, 4.0)
        width = f' style="stroke-width:{thick:.1f}"' if edge.count > 1 else ""
        tip = f"{edge.source} {edge.kind} {edge.target}"
        if edge.count > 1:
            tip += f" ({edge.count} links)"
        if edge.mechanism:
            tip += f": {edge.mechanism}"
        if edge.broken:
            tip += " (broken chain)"
        yield (
            f'<path class="{" ".join(classes)}" d="{path}" marker-end="url(#{marker})"{width}>'
            f"<title>{_e(tip)}</title></path>"
        )
        text = _edge_label(edge, labels)
        if text:
            texts.append(
                f'<text class="elabel" x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle">'
                f"{_e(text)}</text>"
            )
    yield from texts


def _node(node: MapNode, box: Box, team_anchor: dict[str, str] | None, checked: bool) -> str:
    style = node_style(node, checked)
    fill, stroke = _FILL[style]
    head, body, severity = _lines(node)
    classes = f"node {style}" + (" broken" if node.broken else "")
    tip = node.statement or node.label
    if node.team is not None and node.kind == "goal":
        tip = f"{node.id} ({node.team}, {node.level}): {tip}"
    if node.rules:
        tip += f"\nfindings: {', '.join(node.rules)}"
    parts = [
        f'<g class="{classes}" data-key="{_e(node.key)}"><title>{_e(tip)}</title>',
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w}" height="{box.h}" rx="7" '
        f'fill="{fill}" stroke="{stroke}"/>',
        f'<text class="nid" x="{box.x + 8:.1f}" y="{box.y + 15:.1f}">{_e(head)}</text>',
    ]
    if severity or node.broken:
        tag = "broken" if node.broken and node.kind != "team" else severity
        parts.append(
            f'<text class="sev" x="{box.x + box.w - 7:.1f}" y="{box.y + 13:.1f}" '
            f'text-anchor="end" fill="{stroke}">{_e(tag)}</text>'
        )
    for index, line in enumerate(body[:3]):
        parts.append(
            f'<text class="ntext" x="{box.x + 8:.1f}" y="{box.y + 30 + index * 13:.1f}">'
            f"{_e(line)}</text>"
        )
    parts.append("</g>")
    markup = "".join(parts)
    if node.kind == "team" and team_anchor and node.id in team_anchor:
        return f'<a href="#{_e(team_anchor[node.id])}">{markup}</a>'
    return markup


def legend(checked: bool = True) -> str:
    """The colour key of the map, as HTML (without severities for an unchecked map)."""
    items = (
        []
        if not checked
        else [
            ("error", "error"),
            ("warning", "warning"),
            ("info", "info only"),
            ("ok", "no findings"),
        ]
    )
    items += [("anchor", "purpose / promise")] if checked else [("plain", "goal (not checked)")]
    spans = [
        f'<span><i style="background:{_FILL[key][0]};border-color:{_FILL[key][1]}"></i>'
        f"{_e(text)}</span>"
        for key, text in items
    ]
    spans.append(
        '<span><i style="border:3px dashed #b42318;background:#fff"></i>chain broken here</span>'
    )
    spans.append("<span>── contributes to (arrow points at the anchor)</span>")
    spans.append('<span style="color:#b54708">- - hinders</span>')
    spans.append('<span style="color:#b42318">- - broken link</span>')
    return f'<div class="ga-legend">{"".join(spans)}</div>'


def collapsed_lists(view: MapView, anchors: dict[str, str]) -> str:
    """Expandable lists of the goals behind each collapsed team node, worst first."""
    if not view.collapsed:
        return ""
    teams = {t.id: t for t in view.teams}
    totals = {n.id: n.goals for n in view.nodes if n.kind == "team"}
    out = ['<div class="ga-collapsed"><p>Teams drawn as one node (click a node or a name):</p>']
    for team_id, goals in view.collapsed.items():
        info = teams.get(team_id)
        title = team_title(info) if info is not None else team_id
        total = totals.get(team_id, len(goals))
        out.append(
            f'<details id="{_e(anchors[team_id])}"><summary>{_e(title)}: {total} goals'
            "</summary><table><thead><tr><th>goal</th><th>level</th><th>severity</th>"
            "<th>statement</th><th>findings</th></tr></thead><tbody>"
        )
        for goal in goals:
            flag = " (chain broken)" if goal.broken else ""
            out.append(
                f"<tr><td>{_e(str(goal.id))}</td><td>{_e(goal.level or '')}</td>"
                f"<td>{_e((goal.severity or '') + flag)}</td><td>{_e(goal.statement or '')}</td>"
                f"<td>{_e(', '.join(goal.rules))}</td></tr>"
            )
        if total > len(goals):
            out.append(
                f'<tr><td colspan="5">… and {total - len(goals)} more goals (at most '
                f"{MAX_LISTED_GOALS} are listed, worst first)</td></tr>"
            )
        out.append("</tbody></table></details>")
    out.append("</div>")
    return "".join(out)


def team_anchors(view: MapView, prefix: str = "ga") -> dict[str, str]:
    """Element ids for the collapsed teams' lists (by position, so any team id is safe)."""
    return {team: f"{prefix}-team-{i}" for i, team in enumerate(view.collapsed)}


def render_fragment(view: MapView, *, labels: bool = False, prefix: str = "ga") -> str:
    """The map as an HTML fragment: styles, legend, SVG and the collapsed teams' lists."""
    anchors = team_anchors(view, prefix)
    note = ""
    if view.omitted_links:
        note = (
            f'<p class="ga-note">{view.omitted_links} links between teams are not drawn, to keep '
            "the map readable; broken and hindering links are always drawn.</p>"
        )
    return (
        f"<style>{MAP_CSS}</style>{legend(view.checked)}{note}"
        f'<div class="ga-map-wrap">'
        f"{render_svg(view, labels=labels, prefix=prefix, team_anchor=anchors)}</div>"
        f"{collapsed_lists(view, anchors)}"
    )


OPEN_DETAILS_JS = """
(function(){
  function openTarget(){
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
"""


def render_page(view: MapView, *, labels: bool = False, title: str | None = None) -> str:
    """A complete, self-contained HTML page of the map."""
    heading = title or (f"Results Map: {view.title}" if view.title else "Results Map")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(heading)}</title><style>"
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
        "margin:1.2rem;color:#1d2433}h1{font-size:1.4rem}</style></head><body>"
        f"<h1>{_e(heading)}</h1>{render_fragment(view, labels=labels)}"
        f"<script>{OPEN_DETAILS_JS}</script></body></html>\n"
    )
