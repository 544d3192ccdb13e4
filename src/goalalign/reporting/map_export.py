"""Text exports of the Results Map: Mermaid and Graphviz DOT, and SVG through Graphviz.

Both formats get labels from people's documents, so every label goes through an escaping
function written for that format (:func:`mermaid_text`, :func:`dot_text`); the tests feed them
arbitrary text and parse the output back.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess

from goalalign.reporting.results_map import (
    _SEVERITY_STYLE,
    LAYER_TITLES,
    LAYERS,
    GraphvizNotFoundError,
    MapEdge,
    MapNode,
    MapView,
    _grouped,
    _shorten,
    node_style,
    node_text,
    team_title,
)

__all__ = ["dot_text", "graphviz_svg", "mermaid_text", "to_dot", "to_mermaid"]

_MECHANISM_CHARS = 48

# -- Mermaid ------------------------------------------------------------------------------

# Mermaid's own entity codes (#quot;) are not decoded by every Mermaid release, and HTML labels
# are sanitised, so characters that could end a label, start markup or read as an entity are
# replaced by look-alikes that every renderer and common font draws as written.
_MERMAID_LOOKALIKES = str.maketrans({'"': "'", "`": "'", "<": "‹", ">": "›"})
_ENTITY_LIKE = re.compile(r"([#&])(?=#?\w+;)")
_THIN_SPACE = "\u2009"


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label, on one line.

    Quotes and backticks become apostrophes, ``<``/``>`` become ``‹``/``›``, and a ``#`` or ``&``
    that would start an entity (``#35;``, ``&amp;``) is followed by a thin space so it does not.
    """
    flat = " ".join(text.split()).translate(_MERMAID_LOOKALIKES)
    return _ENTITY_LIKE.sub(lambda m: m.group(1) + _THIN_SPACE, flat)


_MERMAID_SHAPES = {
    "goal": ('["', '"]'),
    "promise": ('(["', '"])'),
    "purpose": ('{{"', '"}}'),
    "missing": ('>"', '"]'),
    "team": ('[["', '"]]'),
}


def _edge_text(edge: MapEdge, labels: bool) -> str:
    parts: list[str] = []
    if edge.kind == "hinders":
        parts.append("hinders")
    if edge.count > 1:
        parts.append(f"{edge.count} links")
    if labels and edge.mechanism:
        parts.append(_shorten(edge.mechanism, _MECHANISM_CHARS))
    elif edge.broken:
        parts.append("broken")
    return ": ".join(parts)


def to_mermaid(view: MapView, *, labels: bool) -> str:
    ids = {node.key: f"n{i}" for i, node in enumerate(view.nodes)}
    lines = ["flowchart BT"]
    if view.title:
        lines.append(f"  %% goalalign Results Map: {mermaid_text(view.title)}")
    for li, (layer, groups) in enumerate(_grouped(view)):
        lines.append(f'  subgraph L{li}["{mermaid_text(LAYER_TITLES[layer])}"]')
        for gi, (info, members) in enumerate(groups):
            indent = "    "
            if info is not None:
                lines.append(f'    subgraph L{li}T{gi}["{mermaid_text(team_title(info))}"]')
                indent = "      "
            for node in members:
                left, right = _MERMAID_SHAPES[node.kind]
                lines.append(f"{indent}{ids[node.key]}{left}{mermaid_text(node_text(node))}{right}")
            if info is not None:
                lines.append("    end")
        lines.append("  end")
    broken_edges: list[int] = []
    hinder_edges: list[int] = []
    for index, edge in enumerate(view.edges):
        arrow = "-.->" if edge.kind == "hinders" or edge.broken else "-->"
        text = _edge_text(edge, labels)
        label = f'|"{mermaid_text(text)}"|' if text else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
        if edge.broken:
            broken_edges.append(index)
        elif edge.kind == "hinders":
            hinder_edges.append(index)
    for style, (fill, stroke) in _SEVERITY_STYLE.items():
        lines.append(f"  classDef {style} fill:{fill},stroke:{stroke},color:#1d2433")
    lines.append("  classDef broken stroke:#b42318,stroke-width:3px,stroke-dasharray:6 3")
    by_style: dict[str, list[str]] = {}
    for node in view.nodes:
        by_style.setdefault(node_style(node, view.checked), []).append(ids[node.key])
    for style, keys in by_style.items():
        lines.append(f"  class {','.join(keys)} {style}")
    broken_nodes = [ids[n.key] for n in view.nodes if n.broken]
    if broken_nodes:
        lines.append(f"  class {','.join(broken_nodes)} broken")
    if broken_edges:
        indexes = ",".join(map(str, broken_edges))
        lines.append(f"  linkStyle {indexes} stroke:#b42318,stroke-width:2px,stroke-dasharray:6 3")
    if hinder_edges:
        lines.append(f"  linkStyle {','.join(map(str, hinder_edges))} stroke:#b54708")
    return "\n".join(lines) + "\n"


# -- DOT ------------------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """``text`` safe inside a double-quoted DOT string (backslashes and quotes escaped)."""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(text: str, width: int = 28) -> str:
    """A DOT label wrapped at ``width`` characters, lines joined by DOT's ``\\n``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "\\n".join(dot_text(line) for line in lines)


_DOT_SHAPES = {
    "goal": "box",
    "promise": "ellipse",
    "purpose": "hexagon",
    "missing": "note",
    "team": "box3d",
}


def to_dot(view: MapView, *, labels: bool) -> str:
    ids = {node.key: f"n{i}" for i, node in enumerate(view.nodes)}
    out = [
        "digraph results_map {",
        f'  graph [rankdir=BT, newrank=true, fontname="Helvetica", labelloc=t, '
        f'label="{dot_text(view.title)}"];',
        '  node [style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]

    def node_line(node: MapNode, indent: str) -> str:
        fill, stroke = _SEVERITY_STYLE[node_style(node, view.checked)]
        style = '"rounded,filled,dashed"' if node.broken else '"rounded,filled"'
        width = "3" if node.broken else "1"
        return (
            f'{indent}{ids[node.key]} [label="{_dot_label(node_text(node))}", '
            f'shape={_DOT_SHAPES[node.kind]}, style={style}, fillcolor="{fill}", '
            f'color="{stroke}", penwidth={width}, '
            f'tooltip="{dot_text(node.statement or node.label)}"];'
        )

    team_nodes: dict[str | None, list[MapNode]] = {}
    for node in view.nodes:
        team_nodes.setdefault(node.team, []).append(node)
    for node in team_nodes.get(None, []):
        out.append(node_line(node, "  "))
    for index, info in enumerate(view.teams):
        out.append(f"  subgraph cluster_t{index} {{")
        out.append(f'    label="{dot_text(team_title(info))}"; style="rounded"; color="#98a2b3";')
        out.extend(node_line(node, "    ") for node in team_nodes.get(info.id, []))
        out.append("  }")
    heads: list[str] = []
    for layer in LAYERS:
        members = [ids[n.key] for n in view.nodes if n.layer == layer]
        if members:
            out.append(f"  {{ rank=same; {'; '.join(members)}; }}")
            heads.append(members[0])
    # invisible edges stack the layers in order even where no link joins them
    for upper, lower in itertools.pairwise(heads):
        out.append(f"  {lower} -> {upper} [style=invis];")
    for edge in view.edges:
        attrs_: list[str] = []
        text = _edge_text(edge, labels)
        if text:
            attrs_.append(f'label="{_dot_label(text, 32)}"')
        if edge.broken:
            attrs_.append('style=dashed, color="#b42318", penwidth=2')
        elif edge.kind == "hinders":
            attrs_.append('style=dashed, color="#b54708"')
        if edge.count > 1:
            attrs_.append(f"penwidth={min(1 + edge.count / 4, 5):.2f}")
        suffix = f" [{', '.join(attrs_)}]" if attrs_ else ""
        out.append(f"  {ids[edge.source]} -> {ids[edge.target]}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


_INSTALL_HINT = (
    "drawing the Results Map as SVG with Graphviz needs the Graphviz 'dot' program "
    "(e.g. 'apt-get install graphviz' or 'brew install graphviz') and, optionally, the "
    "Python package: pip install 'goalalign[graphviz]'. Without Graphviz, use "
    "to_svg(engine='builtin'), to_html() or to_mermaid()."
)


def graphviz_svg(dot: str) -> str:
    """Lay out ``dot`` with Graphviz: the Python package when importable, else ``dot``."""
    try:
        import graphviz  # type: ignore[import-not-found]
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            svg: str = graphviz.Source(dot).pipe(format="svg", encoding="utf-8")
            return svg
        except graphviz.ExecutableNotFound as exc:
            raise GraphvizNotFoundError(_INSTALL_HINT) from exc
    program = shutil.which("dot")
    if program is None:
        raise GraphvizNotFoundError(_INSTALL_HINT)
    done = subprocess.run(
        [program, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8")
