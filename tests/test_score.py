"""The score's formula on hand-made cases, its report form, comparisons and ``goalalign diff``.

The worked example of ``docs/score.rst`` is checked here, so the documentation cannot drift
from the code.
"""

from __future__ import annotations

import json
from fractions import Fraction
from math import ceil, floor
from pathlib import Path
from typing import Any

import attrs
import pytest

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import (
    Direction,
    Goal,
    Level,
    Link,
    LinkTarget,
    Organisation,
    Status,
    Team,
)
from goalalign.engine.config import Config, ConfigError
from goalalign.engine.findings import Finding, Ref, Severity
from goalalign.reporting.report import Report
from goalalign.scoring.score import (
    COMPONENTS,
    DEFAULT_COMPONENT,
    component_budgets,
    component_of,
    compute_score,
)


def _cascade() -> Cascade:
    """Five goals over three teams: a board with two strategic goals, a sales team and IT."""
    teams = (
        Team("board", "Board"),
        Team("sales", "Sales", parent="board", direction=Direction.STRATEGIC),
        Team("it", "IT", parent="board", direction=Direction.ENABLING, serves=("sales",)),
    )
    goals = (
        Goal("s-growth", "board", "Grow revenue from $10m to $12m by 2027", level=Level.STRATEGIC),
        Goal("s-care", "board", "Lift satisfaction from 70% to 80% by 2027", level=Level.STRATEGIC),
        Goal(
            "sales-new",
            "sales",
            "Win 40 new accounts by 2027",
            level=Level.TRANSLATIONAL,
            supports=(Link(LinkTarget.GOAL, "s-growth", "new accounts bring revenue"),),
        ),
        Goal(
            "sales-keep",
            "sales",
            "Keep 95% of accounts through 2027",
            level=Level.TRANSLATIONAL,
            supports=(Link(LinkTarget.GOAL, "s-growth"),),
        ),
        Goal(
            "it-crm",
            "it",
            "Keep the CRM available 99.9% of working hours in 2027",
            level=Level.OPERATIONAL,
            supports=(Link(LinkTarget.GOAL, "sales-new", "sellers work in the CRM"),),
        ),
    )
    return Cascade(Organisation("Worked Example"), teams, goals)


def _finding(
    rule: str,
    subject: Ref,
    *,
    severity: Severity = Severity.WARNING,
    family: str = "chains",
    team: str | None = None,
    message: str = "",
) -> Finding:
    return Finding(
        rule=rule,
        code="GX001",
        severity=severity,
        subject=subject,
        message=message or f"{rule} on {subject.id}",
        fix=f"resolve {rule}",
        team=team,
        family=family,
    )


UNEXPLAINED = _finding(
    "unexplained-link", Ref.link("sales-keep", "s-growth"), family="chains", team="sales"
)
UNCOVERED = _finding("uncovered-strategic-goal", Ref.goal("s-care"), family="chains", team="board")
UNMEASURED = _finding(
    "unmeasured-goal", Ref.goal("it-crm"), severity=Severity.ERROR, family="smart", team="it"
)


# -- the worked example of docs/score.rst -------------------------------------------------------


def test_worked_example_matches_the_documented_formula() -> None:
    score = compute_score(_cascade(), [UNEXPLAINED, UNCOVERED, UNMEASURED])
    # unexplained-link: a warning (2/5) about one of 5 goals (reach 2/5) -> x = 4/25.
    # uncovered-strategic-goal: a warning about one of 2 strategic goals (reach 1) -> x = 2/5.
    # unmeasured-goal: an error (1) about one of 5 goals (reach 2/5) -> x = 2/5.
    expected_x = {
        "chain-integrity": Fraction(4, 25),
        "strategic-coverage": Fraction(2, 5),
        "measurement": Fraction(2, 5),
        "goal-quality": Fraction(0),
        "coherence": Fraction(0),
    }
    budgets = {
        "chain-integrity": 3000,
        "strategic-coverage": 1500,
        "measurement": 2000,
        "goal-quality": 2000,
        "coherence": 1500,
    }
    assert component_budgets() == budgets
    lost = {c: ceil(budgets[c] * x / (1 + x)) for c, x in expected_x.items()}
    assert score.component_losses == {c: lost[c] / 100 for c in COMPONENTS}
    assert score.overall == (10_000 - sum(lost.values())) / 100
    for c, x in expected_x.items():
        own = 10_000 if x == 0 else floor(10_000 / (1 + x))
        assert score.components[c] == own / 100
    # The documented figures.
    assert score.overall == 85.85
    assert score.components["chain-integrity"] == 86.2
    assert score.component_losses["strategic-coverage"] == 4.29
    assert score.teams == {"board": 95.71, "it": 90.0, "sales": 91.42}
    assert score.directions == {"strategic": 91.42, "enabling": 90.0, "undetermined": 95.71}
    assert [(fix.rule, fix.points) for fix in score.fixes] == [
        ("unmeasured-goal", 5.72),
        ("uncovered-strategic-goal", 4.29),
        ("unexplained-link", 4.14),
    ]


def test_worked_example_of_shared_losses_and_diminishing_fixes() -> None:
    second = _finding_like(
        UNEXPLAINED, subject=Ref.link("sales-new", "s-growth"), message="second link"
    )
    score = compute_score(_cascade(), [UNEXPLAINED, second])
    x = Fraction(8, 25)
    lost = ceil(3000 * x / (1 + x))
    assert score.component_losses["chain-integrity"] == lost / 100 == 7.28
    assert [loss.points for loss in score.losses] == [3.64, 3.64]
    alone = ceil(3000 * Fraction(4, 25) / (1 + Fraction(4, 25)))
    assert [fix.points for fix in score.fixes] == [(lost - alone) / 100] * 2 == [3.14, 3.14]
    assert score.teams["sales"] == 86.66


def test_no_findings_scores_100_everywhere() -> None:
    score = compute_score(_cascade(), [])
    assert score.overall == 100
    assert set(score.components.values()) == {100.0}
    assert score.teams == {"board": 100.0, "it": 100.0, "sales": 100.0}
    assert score.losses == ()
    assert score.fixes == ()


def test_an_error_costs_more_than_a_warning_on_the_same_subject() -> None:
    warning = compute_score(_cascade(), [UNEXPLAINED])
    error = compute_score(_cascade(), [_finding_like(UNEXPLAINED, severity=Severity.ERROR)])
    assert error.overall < warning.overall < 100


def _finding_like(finding: Finding, **changes: Any) -> Finding:
    return attrs.evolve(finding, **changes)


def test_a_finding_costs_only_its_team_and_the_team_is_scored_against_its_own_size() -> None:
    score = compute_score(_cascade(), [UNMEASURED])
    assert score.teams["board"] == 100
    assert score.teams["sales"] == 100
    # IT owns one goal: the error reaches all of IT (x = 1), but only 2/5 of the cascade.
    assert score.teams["it"] == (10_000 - ceil(2000 * Fraction(1, 2))) / 100
    assert score.teams["it"] < score.overall


def test_directions_group_teams_by_declared_or_given_direction() -> None:
    score = compute_score(_cascade(), [UNMEASURED])
    assert list(score.directions) == ["strategic", "enabling", "undetermined"]
    assert score.directions["enabling"] == score.teams["it"]
    assert score.directions["strategic"] == 100
    given = compute_score(
        _cascade(), [UNMEASURED], team_directions={"board": "strategic", "it": "purpose"}
    )
    assert list(given.directions) == ["strategic", "purpose"]
    assert given.directions["purpose"] == score.teams["it"]


def test_component_of_follows_rule_then_family_then_default() -> None:
    assert component_of(_finding("x", Ref.goal("g"), family="structure")) == "chain-integrity"
    assert component_of(_finding("x", Ref.goal("g"), family="kpis")) == "measurement"
    assert component_of(_finding("x", Ref.goal("g"), family="echoes")) == "coherence"
    assert component_of(_finding("x", Ref.goal("g"), family="focus")) == "goal-quality"
    assert component_of(UNCOVERED) == "strategic-coverage"
    assert component_of(_finding("stale-anchor", Ref.goal("g"))) == "strategic-coverage"
    assert component_of(_finding("x", Ref.goal("g"), family="measurement")) == "measurement"
    assert component_of(_finding("x", Ref.goal("g"), family="acme")) == DEFAULT_COMPONENT


def test_weights_reweight_the_components() -> None:
    default = compute_score(_cascade(), [UNMEASURED])
    heavy = compute_score(_cascade(), [UNMEASURED], Config(weights={"measurement": 200}))
    assert heavy.overall < default.overall
    assert heavy.weights["measurement"] > default.weights["measurement"]
    assert sum(heavy.weights.values()) == pytest.approx(100)
    assert heavy.components == default.components
    underscored = compute_score(_cascade(), [UNMEASURED], Config(weights={"goal_quality": 40}))
    assert underscored.weights["goal-quality"] > default.weights["goal-quality"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"measurment": 10}, "did you mean 'measurement'"),
        ({"coherence": 0}, "positive"),
        ({"coherence": float("nan")}, "positive"),
    ],
)
def test_bad_weights_are_configuration_errors(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        compute_score(_cascade(), [], Config(weights=weights))


def test_fixes_rank_by_recovered_points_and_group_by_team() -> None:
    score = compute_score(_cascade(), [UNEXPLAINED, UNCOVERED, UNMEASURED])
    points = [fix.points for fix in score.fixes]
    assert points == sorted(points, reverse=True)
    assert {fix.rule for fix in score.fixes} == {
        "unexplained-link",
        "uncovered-strategic-goal",
        "unmeasured-goal",
    }
    by_team = score.fixes_by_team()
    assert set(by_team) == {"sales", "board", "it"}
    assert [f.rule for f in by_team["sales"]] == ["unexplained-link"]
    assert by_team["it"][0].fix == "resolve unmeasured-goal"
    best = max(score.fixes, key=lambda f: f.points)
    assert next(iter(by_team.values()))[0] == best
    assert score.top_fixes(2) == score.fixes[:2]


def test_directions_accept_direction_values_from_the_team_assessment() -> None:
    given = compute_score(_cascade(), [UNMEASURED], team_directions={"it": Direction.PURPOSE})
    assert "purpose" in given.directions
    assert given.directions["purpose"] == given.teams["it"]


def test_to_dict_is_the_report_score_object() -> None:
    many = [
        _finding("vague-goal", Ref.goal(g.id), family="smart", team=g.team, message=f"m{i}")
        for i, g in enumerate(_cascade().goals * 5)
    ]
    score = compute_score(_cascade(), [UNEXPLAINED, UNCOVERED, UNMEASURED, *many])
    data = score.to_dict()
    json.dumps(data)
    assert data["overall"] == score.overall
    assert list(data["components"]) == list(COMPONENTS)
    assert set(data["teams"]) == {"board", "it", "sales"}
    assert len(data["fixes"]) == 20
    assert data["fixes"][0]["points"] == score.fixes[0].points
    lost = round(sum(loss["points"] for loss in data["losses"]) * 100)
    assert lost == round((100 - data["overall"]) * 100)
    assert {"rule", "subject", "component", "points"} <= set(data["losses"][0])


def test_findings_of_unknown_teams_count_only_overall() -> None:
    stray = _finding("dangling-link", Ref.goal("ghost"), family="structure", team="nobody")
    score = compute_score(_cascade(), [stray])
    assert score.overall < 100
    assert set(score.teams.values()) == {100.0}


# -- comparisons ------------------------------------------------------------------------------


def _report(cascade: Cascade, findings: list[Finding]) -> Report:
    return Report(
        organisation=cascade.organisation.name,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        teams=(),
        score=compute_score(cascade, findings),
        cascade=cascade,
    )


def test_compare_reports_resolved_and_introduced_findings_and_score_changes() -> None:
    from goalalign.scoring.compare import compare

    cascade = _cascade()
    stale = _finding("stale-anchor", Ref.goal("sales-new"), team="sales")
    before = _report(cascade, [UNEXPLAINED, UNMEASURED])
    after = _report(cascade, [_finding_like(UNMEASURED, message="reworded"), UNCOVERED, stale])
    comparison = compare(before, after)
    assert [f.rule for f in comparison.resolved] == ["unexplained-link"]
    assert {f.rule for f in comparison.introduced} == {"uncovered-strategic-goal", "stale-anchor"}
    assert [f.subject.id for f in comparison.stale_anchors] == ["sales-new"]
    assert comparison.persisting == 1
    assert comparison.overall.before == before.score.overall
    assert comparison.overall.after == after.score.overall
    assert comparison.overall.change == round(after.score.overall - before.score.overall, 2)
    assert comparison.teams["sales"].before == before.score.teams["sales"]
    data = comparison.to_dict()
    json.dumps(data)
    assert data["stale_anchors"][0]["subject"] == {"kind": "goal", "id": "sales-new"}
    text = comparison.to_text()
    assert "Resolved (1):" in text
    assert "unexplained-link" in text
    assert "Now hanging from deprioritised or retired anchors (1):" in text


def test_compare_of_identical_reports_is_empty() -> None:
    from goalalign.scoring.compare import compare

    report = _report(_cascade(), [UNEXPLAINED, UNCOVERED])
    comparison = compare(report, report)
    assert comparison.resolved == comparison.introduced == ()
    assert comparison.overall.change == 0
    assert all(change.change == 0 for change in comparison.components.values())
    assert "Resolved: none" in comparison.to_text()


def test_compare_shows_teams_that_appear_or_disappear() -> None:
    from goalalign.scoring.compare import compare

    cascade = _cascade()
    smaller = attrs.evolve(
        cascade,
        teams=tuple(t for t in cascade.teams if t.id != "it"),
        goals=tuple(g for g in cascade.goals if g.team != "it"),
    )
    comparison = compare(_report(cascade, [UNMEASURED]), _report(smaller, []))
    assert comparison.teams["it"].before == 90.0
    assert comparison.teams["it"].after is None
    assert comparison.teams["it"].change is None
    assert [f.rule for f in comparison.resolved] == ["unmeasured-goal"]
    assert "90.00 → —" in comparison.to_text()


# -- end to end, through goalalign.check ---------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_check_scores_the_examples_consistently() -> None:
    import goalalign as ga

    for path in sorted(EXAMPLES.glob("*.yaml")):
        report = ga.check(ga.load(path))
        score = report.score
        costed = [f for f in report.findings if f.severity is not Severity.INFO]
        assert (score.overall == 100) == (not costed), path.name
        lost = sum(round(loss.points * 100) for loss in score.losses)
        assert lost == 10_000 - round(score.overall * 100), path.name
        assert report.to_dict()["score"]["overall"] == score.overall


def test_the_clean_example_scores_100_and_the_flawed_ones_less() -> None:
    import goalalign as ga

    scores = {path.stem: ga.check(ga.load(path)).score for path in EXAMPLES.glob("*.yaml")}
    clean = scores.pop("clean-clinic")
    assert clean.overall == 100
    assert set(clean.directions) == {"strategic", "enabling", "purpose"}
    assert scores
    assert all(score.overall < 100 for score in scores.values())


def test_compare_accepts_cascades_and_sees_a_retired_anchor() -> None:
    import goalalign as ga

    cascade = ga.load(EXAMPLES / "clean-clinic.yaml")
    strategic = [g for g in cascade.goals if g.level is Level.STRATEGIC]
    retired = attrs.evolve(strategic[0], status=Status.RETIRED)
    changed = attrs.evolve(
        cascade, goals=tuple(retired if g.id == retired.id else g for g in cascade.goals)
    )
    comparison = ga.compare(cascade, changed)
    assert comparison.overall.before is not None
    assert comparison.resolved == ()
    registered = {r.name for r in ga.check(cascade).rules}
    if "stale-anchor" in registered:
        assert comparison.stale_anchors
        assert comparison.overall.after is not None
        assert comparison.overall.after < comparison.overall.before


def test_cli_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from goalalign.cli.main import main

    old = EXAMPLES / "council-it.yaml"
    text = old.read_text(encoding="utf-8")
    fixed = text.replace(
        "    supports: [s-productivity]",
        "    supports:\n      - {goal: s-productivity, mechanism: staff waiting on IT do no work}",
    )
    assert fixed != text
    new = tmp_path / "council-it-fixed.yaml"
    new.write_text(fixed, encoding="utf-8")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["introduced"] == [] or all(
        f["rule"] != "unexplained-link" for f in data["introduced"]
    )
    assert data["score"]["overall"]["after"] >= data["score"]["overall"]["before"]
    assert main(["diff", str(old), str(new)]) == 0
    assert "Score" in capsys.readouterr().out
    assert main(["diff", str(old), str(tmp_path / "missing.yaml")]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("goalalign: 1\norganisation: {name: X}\nteams: [{id: a, suports: []}]\n")
    assert main(["diff", str(old), str(broken)]) == 2
