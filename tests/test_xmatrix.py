"""The X-matrix: link strengths, KPI and owner columns, CSV and HTML."""

from __future__ import annotations

import csv
import io

import goalalign as ga
from goalalign.domain.model import Link, LinkTarget
from goalalign.reporting.xmatrix import EXPLAINED, UNEXPLAINED, link_strength, xmatrix

DOC = """
goalalign: 1
organisation: {name: Matrix Co}
teams:
  - {id: top, name: Top}
  - {id: sales, name: Sales, parent: top}
  - {id: ops, name: Ops, parent: top}
goals:
  - {id: s-grow, team: top, level: strategic, statement: Grow revenue to $12m by 2027}
  - {id: s-cost, team: top, level: strategic, statement: Cut cost by 5% by 2027}
  - {id: s-idle, team: top, level: strategic, statement: Enter a new market by 2028}
  - id: t-deals
    team: sales
    level: translational
    statement: Close 40 enterprise deals in 2026
    supports:
      - {goal: s-grow, mechanism: enterprise deals are most of new revenue}
      - {goal: s-cost}
    hinders:
      - {goal: s-cost, mechanism: discounts raise the cost of sales}
    kpis: [{id: deals, name: Enterprise deals closed, unit: count, baseline: 10, target: 40}]
  - id: t-lean
    team: ops
    level: translational
    statement: Cut rework hours by 30% in 2026
    supports: [{goal: s-cost, mechanism: rework is a third of cost, weight: 2}]
  - id: o-demo
    team: ops
    level: operational
    statement: Run a demo environment with 99% uptime in 2026
    supports: [{goal: t-deals, mechanism: prospects buy after a working demo}]
  - id: o-leads
    team: sales
    level: operational
    statement: Qualify 200 leads in 2026
    supports: [t-deals]
"""


def test_link_strength_rules() -> None:
    assert link_strength(Link(LinkTarget.GOAL, "x", "because")) == EXPLAINED == 1.0
    assert link_strength(Link(LinkTarget.GOAL, "x", None)) == UNEXPLAINED == 0.5
    assert link_strength(Link(LinkTarget.GOAL, "x", "   ")) == UNEXPLAINED
    assert link_strength(Link(LinkTarget.GOAL, "x", None, weight=3.0)) == 3.0


def test_rows_columns_and_strengths() -> None:
    m = xmatrix(ga.loads(DOC))
    assert [g.id for g in m.strategic] == ["s-grow", "s-cost", "s-idle"]
    assert [g.id for g in m.translational] == ["t-deals", "t-lean"]
    assert m.goal_links[("t-deals", "s-grow")] == 1.0
    # an unexplained support (0.5) and an explained hinders (-1.0) of the same goal net out
    assert m.goal_links[("t-deals", "s-cost")] == -0.5
    assert m.goal_links[("t-lean", "s-cost")] == 2.0
    assert ("t-lean", "s-grow") not in m.goal_links
    assert [k.id for k in m.kpis] == ["deals"]
    assert m.kpi_links == {("t-deals", "deals"): 1.0}
    assert m.owners == ("sales", "ops")
    assert m.owner_links[("t-deals", "sales")] == 1.0
    # ops contributes to t-deals through an explained link; sales' unexplained one is its own
    assert m.owner_links[("t-deals", "ops")] == 1.0
    assert m.owner_links[("t-lean", "ops")] == 1.0
    assert ("t-lean", "sales") not in m.owner_links


def test_csv_round_trips() -> None:
    m = xmatrix(ga.loads(DOC))
    rows = list(csv.reader(io.StringIO(m.to_csv())))
    assert rows[0] == [
        "goal",
        "team",
        "statement",
        "strategic:s-grow",
        "strategic:s-cost",
        "strategic:s-idle",
        "kpi:deals",
        "owner:sales",
        "owner:ops",
    ]
    assert rows[1] == [
        "t-deals",
        "sales",
        "Close 40 enterprise deals in 2026",
        "1",
        "-0.5",
        "",
        "1",
        "1",
        "1",
    ]
    assert rows[2][:6] == ["t-lean", "ops", "Cut rework hours by 30% in 2026", "", "2", ""]
    assert len(rows) == 3


def test_html_marks_and_escapes() -> None:
    doc = DOC.replace("Enter a new market by 2028", "Enter <b>new</b> markets & more by 2028")
    page = xmatrix(ga.loads(doc)).to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<b>new</b>" not in page
    assert "&lt;b&gt;new&lt;/b&gt; markets &amp; more" in page
    assert page.count("●") >= 5
    assert "✕" in page
    assert "<table" in xmatrix(ga.loads(doc))._repr_html_()


def test_a_cascade_without_translational_goals() -> None:
    m = xmatrix(ga.loads("goalalign: 1\norganisation: {name: E}\n"))
    assert m.rows() == []
    assert m.to_csv() == "goal,team,statement\n"
    assert "No translational goals." in m.to_html()
