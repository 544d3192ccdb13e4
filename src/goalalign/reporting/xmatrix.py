"""The Hoshin X-matrix of a cascade, as a table.

A Hoshin Kanri X-matrix shows, on one page, which annual objectives serve which breakthrough
objectives, which measures track them, and who is responsible. Here the rows are the
*translational* goals (a function's contribution) and the columns come in three blocks:

* the **strategic goals** a row contributes to (or hinders),
* the **KPIs** that measure the row's goal,
* the **owners**: the team that owns the row's goal and the teams whose goals contribute to it.

Each cell holds a link strength, so the matrix can be sorted and summed:

* a ``supports`` link counts its declared ``weight``; without a weight it counts ``1.0`` when
  its mechanism is written (an explained cause-effect link) and ``0.5`` when it is not (a
  claim only);
* a ``hinders`` link counts the same amount, negated;
* a KPI of the row's goal counts ``1.0``;
* the owning team counts ``1.0``; a contributing team counts the strongest of its goals'
  direct ``supports`` links to the row's goal.

Only direct links are read, so building the matrix is linear in the number of goals and links.
An empty strategic column is a strategic goal no translational goal serves; a row with no
strategic cell is a contribution to nothing strategic. Both are worth a look.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from goalalign.domain.model import KPI, Goal, Level, Link, LinkTarget

if TYPE_CHECKING:
    from goalalign.domain.cascade import Cascade

__all__ = ["XMatrix", "link_strength", "xmatrix"]

EXPLAINED = 1.0
"""Strength of a link with a mechanism and no weight."""
UNEXPLAINED = 0.5
"""Strength of a link without a mechanism or weight."""


def link_strength(link: Link) -> float:
    """A ``supports`` link's strength: its weight, else 1.0 explained or 0.5 unexplained."""
    if link.weight is not None:
        return float(link.weight)
    return EXPLAINED if link.mechanism and link.mechanism.strip() else UNEXPLAINED


@attrs.frozen(slots=True)
class XMatrix:
    """Translational goals against strategic goals, KPIs and owner teams.

    The ``*_links`` mappings are keyed ``(translational goal id, column id)``; a missing key is
    an empty cell.
    """

    strategic: tuple[Goal, ...]
    translational: tuple[Goal, ...]
    kpis: tuple[KPI, ...]
    owners: tuple[str, ...]
    goal_links: Mapping[tuple[str, str], float]
    kpi_links: Mapping[tuple[str, str], float]
    owner_links: Mapping[tuple[str, str], float]

    def header(self) -> list[str]:
        """The CSV header: ``goal, team, statement``, then ``strategic:<id>``, ``kpi:<id>``,
        ``owner:<team id>`` columns."""
        return [
            "goal",
            "team",
            "statement",
            *(f"strategic:{g.id}" for g in self.strategic),
            *(f"kpi:{k.id}" for k in self.kpis),
            *(f"owner:{t}" for t in self.owners),
        ]

    def rows(self) -> list[list[str | float | None]]:
        """One row per translational goal, cells in :meth:`header` order (``None`` = empty)."""
        out: list[list[str | float | None]] = []
        for goal in self.translational:
            row: list[str | float | None] = [goal.id, goal.team, goal.statement]
            row += [self.goal_links.get((goal.id, s.id)) for s in self.strategic]
            row += [self.kpi_links.get((goal.id, k.id)) for k in self.kpis]
            row += [self.owner_links.get((goal.id, t)) for t in self.owners]
            out.append(row)
        return out

    def to_csv(self) -> str:
        """The matrix as CSV text (empty cells for no relation)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header())
        for row in self.rows():
            writer.writerow("" if cell is None else _number(cell) for cell in row)
        return buffer.getvalue()

    def to_html(self, *, standalone: bool = True) -> str:
        """The matrix as an HTML table; a complete page unless ``standalone=False``."""
        table = self._table()
        if not standalone:
            return f"<style>{_CSS}</style>{table}"
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>X-matrix</title><style>{_CSS}</style></head><body><h1>X-matrix</h1>"
            f"{_LEGEND}{table}</body></html>\n"
        )

    def _repr_html_(self) -> str:
        return self.to_html(standalone=False)

    def _table(self) -> str:
        e = _escape
        head = ['<table class="ga-xm"><thead><tr><th>goal</th><th>team</th>']
        for goal in self.strategic:
            status = "" if goal.status.value == "active" else f" ({goal.status.value})"
            head.append(
                f'<th class="v s" title="{e(goal.statement)}"><span>{e(goal.id)}{e(status)}'
                "</span></th>"
            )
        head += [
            f'<th class="v k" title="{e(k.name)}"><span>{e(k.id)}</span></th>' for k in self.kpis
        ]
        head += [f'<th class="v o"><span>{e(t)}</span></th>' for t in self.owners]
        head.append("</tr></thead><tbody>")
        body: list[str] = []
        for row in self.rows():
            goal_id, team, statement = row[0], row[1], row[2]
            cells = "".join(_cell(value) for value in row[3:])
            body.append(
                f'<tr><th title="{e(str(statement))}">{e(str(goal_id))}</th><td>{e(str(team))}'
                f"</td>{cells}</tr>"
            )
        if not self.translational:
            span = 2 + len(self.strategic) + len(self.kpis) + len(self.owners)
            body.append(f'<tr><td colspan="{span}">No translational goals.</td></tr>')
        return "".join(head) + "".join(body) + "</tbody></table>"


def xmatrix(cascade: Cascade) -> XMatrix:
    """The X-matrix of ``cascade`` (see the module documentation for the strengths)."""
    levels = {g.id: cascade.level_of(g) for g in cascade.goals}
    strategic = tuple(g for g in cascade.goals if levels[g.id] is Level.STRATEGIC)
    translational = tuple(g for g in cascade.goals if levels[g.id] is Level.TRANSLATIONAL)
    rows = {g.id for g in translational}
    goal_links: dict[tuple[str, str], float] = {}
    owner_links: dict[tuple[str, str], float] = {}
    for goal in translational:
        owner_links[(goal.id, goal.team)] = 1.0
    for goal in cascade.goals:
        for sign, links in ((1.0, goal.supports), (-1.0, goal.hinders)):
            for link in links:
                if link.target_kind is not LinkTarget.GOAL or link.target_id is None:
                    continue
                target = link.target_id
                strength = sign * link_strength(link)
                if goal.id in rows and levels.get(target) is Level.STRATEGIC:
                    goal_links[(goal.id, target)] = (
                        goal_links.get((goal.id, target), 0.0) + strength
                    )
                elif target in rows and sign > 0 and goal.team != _owner(cascade, target):
                    key = (target, goal.team)
                    owner_links[key] = max(owner_links.get(key, 0.0), strength)
    kpis = tuple(k for g in translational for k in cascade.kpis_of(g.id))
    kpi_links = {(str(k.goal), k.id): 1.0 for k in kpis}
    team_order = {t.id: i for i, t in enumerate(cascade.teams)}
    owners = sorted(
        {team for _, team in owner_links},
        key=lambda t: (team_order.get(t, len(team_order)), t),
    )
    return XMatrix(
        strategic=strategic,
        translational=translational,
        kpis=kpis,
        owners=tuple(owners),
        goal_links=goal_links,
        kpi_links=kpi_links,
        owner_links=owner_links,
    )


def _owner(cascade: Cascade, goal_id: str) -> str | None:
    goal = cascade.goal(goal_id)
    return goal.team if goal is not None else None


def _number(value: str | float) -> str:
    if isinstance(value, str):
        return value
    return f"{value:g}"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _cell(value: str | float | None) -> str:
    if value is None or isinstance(value, str):
        return "<td></td>"
    if value < 0:
        return f'<td class="neg" title="hinders ({value:g})">✕</td>'
    mark = "●" if value >= EXPLAINED else "○"
    return f'<td class="pos" title="{value:g}">{mark}</td>'


_CSS = """
.ga-xm{border-collapse:collapse;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,
sans-serif;font-size:13px}
.ga-xm th,.ga-xm td{border:1px solid #d0d5dd;padding:3px 6px;text-align:center}
.ga-xm tbody th,.ga-xm td:nth-child(2){text-align:left;font-weight:600}
.ga-xm th.v{vertical-align:bottom;height:9em;white-space:nowrap}
.ga-xm th.v span{writing-mode:vertical-rl;transform:rotate(180deg)}
.ga-xm th.s{background:#f1e9ff}.ga-xm th.k{background:#e0efff}.ga-xm th.o{background:#eaf7ee}
.ga-xm td.pos{color:#2f7d46}.ga-xm td.neg{color:#b42318;font-weight:700}
"""

_LEGEND = (
    "<p>● explained link, KPI or owner (strength ≥ 1) · ○ unexplained or weak link · "
    "✕ hinders. Hover a cell for its strength.</p>"
)
