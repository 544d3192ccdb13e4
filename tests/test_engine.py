"""The rule engine: registry clashes, selectors, severity and options, suppressions, config.

The rules here are small ones defined for the tests, so these tests pin the engine's
behaviour independently of the built-in catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from goalalign.domain.cascade import Cascade
from goalalign.engine.config import Config, ConfigError
from goalalign.engine.context import CheckContext, built_from
from goalalign.engine.findings import Hit, Ref, Severity
from goalalign.engine.registry import Registry, RuleClashError
from goalalign.engine.rule import Option, Rule, rule
from goalalign.engine.runner import run_rules
from goalalign.loading import loads

EXAMPLE = "goalalign: 1\norganisation: {name: Example}\n"


@rule(
    name="buzzword-goal",
    code="TST101",
    family="style",
    severity="warning",
    summary="A goal statement leans on a buzzword.",
    rationale="A buzzword stands in for the result the goal should name.",
    bad=EXAMPLE,
    good=EXAMPLE,
    fix="Name the result instead.",
    options=[Option("word", "synergy", "The word to look for.")],
)
def buzzword_goal(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    word = str(options["word"]).lower()
    for goal in ctx.cascade.goals:
        if word in goal.statement.lower():
            yield Hit(Ref.goal(goal.id), f"goal {goal.id} says {word!r}")


@rule(
    name="crowded-team",
    code="TST201",
    family="size",
    severity="info",
    summary="A team owns many goals.",
    rationale="Attention is finite.",
    bad=EXAMPLE,
    good=EXAMPLE,
    options=[
        Option("limit", 1, "Most goals per team."),
        Option("ratio", 0.5, "Unused; shows int-to-float coercion."),
    ],
)
def crowded_team(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    for team in ctx.cascade.teams:
        owned = len(ctx.cascade.goals_of(team.id))
        if owned > options["limit"]:
            yield Hit(Ref.team(team.id), f"team {team.id} owns {owned} goals",
                      evidence={"goals": owned, "ratio": options["ratio"]})


RULES = [buzzword_goal, crowded_team]

DOC = """\
goalalign: 1
organisation: {name: Example}
teams:
  - {id: sales, name: Sales}
  - id: ops
    ignore: [{rule: crowded-team, reason: seasonal peak, agreed with the board}]
goals:
  - {id: s-a, team: sales, statement: Create synergy in sales by 2027}
  - id: s-b
    team: sales
    statement: Unlock synergy across regions by 2027
    ignore: [{rule: TST101, reason: the regional plan names the result}]
  - {id: o-a, team: ops, statement: Deliver synergy in operations by 2027}
  - {id: o-b, team: ops, statement: Ship orders within 2 days by 2027}
"""


@pytest.fixture
def cascade() -> Cascade:
    return loads(DOC)


def _run(cascade: Cascade, config: Config | None = None) -> list[tuple[str, str, str]]:
    result = run_rules(cascade, config, registry=Registry(RULES))
    return [(f.rule, f.severity.value, f.subject.id) for f in result.findings]


def test_registry_rejects_a_second_rule_with_the_same_name() -> None:
    twin = Rule(attrs.evolve(buzzword_goal.meta, code="TST999"), buzzword_goal.check)
    with pytest.raises(RuleClashError, match="buzzword-goal"):
        Registry([buzzword_goal, twin])


def test_registry_rejects_a_second_rule_with_the_same_code() -> None:
    @rule(name="other-rule", code="TST101", family="style", severity="info",
          summary="s", rationale="r", bad=EXAMPLE, good=EXAMPLE)
    def other(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
        yield from ()

    with pytest.raises(RuleClashError, match="TST101"):
        Registry([buzzword_goal, other])


def test_registry_accepts_the_same_rule_twice_and_finds_it_by_name_or_code() -> None:
    registry = Registry([buzzword_goal, buzzword_goal, crowded_team])
    assert len(registry) == 2
    assert registry.get("buzzword-goal") is buzzword_goal
    assert registry.get("tst201") is crowded_team
    assert [r.code for r in registry] == ["TST101", "TST201"]


def test_findings_are_sorted_worst_first(cascade: Cascade) -> None:
    assert _run(cascade) == [
        ("buzzword-goal", "warning", "o-a"),
        ("buzzword-goal", "warning", "s-a"),
        ("crowded-team", "info", "sales"),
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("ALL", {"buzzword-goal", "crowded-team"}),
        ("buzzword-goal", {"buzzword-goal"}),
        ("TST201", {"crowded-team"}),
        ("tst2", {"crowded-team"}),
        ("TST", {"buzzword-goal", "crowded-team"}),
        ("style", {"buzzword-goal"}),
    ],
)
def test_selectors(cascade: Cascade, selector: str, expected: set[str]) -> None:
    assert {name for name, _, _ in _run(cascade, Config(select=(selector,)))} == expected


def test_ignore_wins_over_select(cascade: Cascade) -> None:
    config = Config(select=("TST",), ignore=("size",))
    assert {name for name, _, _ in _run(cascade, config)} == {"buzzword-goal"}


def test_unknown_selector_is_an_error_with_a_suggestion(cascade: Cascade) -> None:
    with pytest.raises(ConfigError, match="did you mean 'buzzword-goal'"):
        _run(cascade, Config(select=("buzzword-goals",)))


@pytest.mark.parametrize("key", ["crowded-team", "TST201"])
def test_severity_override_by_name_or_code(cascade: Cascade, key: str) -> None:
    config = Config(severity={key: Severity.ERROR})
    assert ("crowded-team", "error", "sales") in _run(cascade, config)


def test_options_change_what_a_rule_finds(cascade: Cascade) -> None:
    config = Config.from_mapping({"options": {"buzzword-goal": {"word": "ship"}}})
    assert [s for r, _, s in _run(cascade, config) if r == "buzzword-goal"] == ["o-b"]
    raised = Config.from_mapping({"options": {"TST201": {"limit": 5}}})
    assert [r for r, _, _ in _run(cascade, raised)] == ["buzzword-goal", "buzzword-goal"]


def test_option_coercion_takes_an_int_for_a_float(cascade: Cascade) -> None:
    config = Config(options={"crowded-team": {"ratio": 2}})
    result = run_rules(cascade, config, registry=Registry(RULES))
    evidence = [f.evidence for f in result.findings if f.rule == "crowded-team"]
    assert evidence == [{"goals": 2, "ratio": 2.0}]
    assert isinstance(evidence[0]["ratio"], float)


@pytest.mark.parametrize("value", ["three", 1.5, True])
def test_option_of_the_wrong_type_is_an_error(cascade: Cascade, value: object) -> None:
    with pytest.raises(ConfigError, match="limit"):
        _run(cascade, Config(options={"crowded-team": {"limit": value}}))


def test_unknown_option_is_an_error_naming_the_known_ones(cascade: Cascade) -> None:
    with pytest.raises(ConfigError, match=r"no option 'limt'.*limit, ratio"):
        _run(cascade, Config(options={"crowded-team": {"limt": 3}}))


def test_goal_and_team_suppressions_keep_their_reason(cascade: Cascade) -> None:
    result = run_rules(cascade, registry=Registry(RULES))
    reported = {(f.rule, f.subject.id) for f in result.findings}
    assert ("buzzword-goal", "s-b") not in reported
    assert ("crowded-team", "ops") not in reported
    suppressed = {(s.finding.rule, s.finding.subject.id): s for s in result.suppressed}
    assert set(suppressed) == {("buzzword-goal", "s-b"), ("crowded-team", "ops")}
    goal_level = suppressed["buzzword-goal", "s-b"].to_dict()["suppressed"]
    assert goal_level == {"where": "goal s-b", "reason": "the regional plan names the result"}
    team_level = suppressed["crowded-team", "ops"].to_dict()["suppressed"]
    assert team_level == {"where": "team ops", "reason": "seasonal peak, agreed with the board"}


def test_team_suppression_covers_the_teams_goals() -> None:
    doc = DOC.replace("rule: crowded-team, reason: seasonal peak", "rule: style, reason: style")
    result = run_rules(loads(doc), registry=Registry(RULES))
    quiet = {(s.finding.rule, s.finding.subject.id) for s in result.suppressed}
    assert ("buzzword-goal", "o-a") in quiet
    assert ("buzzword-goal", "o-a") not in {(f.rule, f.subject.id) for f in result.findings}


def test_suppressed_findings_are_in_the_json_report(cascade: Cascade) -> None:
    from goalalign.api import check

    report = check(cascade, registry=Registry(RULES))
    data = json.loads(report.to_json())
    reasons = {
        (s["rule"], s["subject"]["id"], s["suppressed"]["reason"]) for s in data["suppressed"]
    }
    assert reasons == {
        ("buzzword-goal", "s-b", "the regional plan names the result"),
        ("crowded-team", "ops", "seasonal peak, agreed with the board"),
    }
    assert all(f["subject"]["id"] not in {"s-b", "ops"} for f in data["findings"])


def test_document_config_refines_the_callers(cascade: Cascade) -> None:
    doc = DOC + "config:\n  severity: {buzzword-goal: error}\n"
    findings = _run(loads(doc), Config(ignore=("crowded-team",)))
    assert findings == [("buzzword-goal", "error", "o-a"), ("buzzword-goal", "error", "s-a")]


TOML = """\
select = ["TST"]
ignore = ["size"]
fail-on = "warning"

[severity]
buzzword-goal = "error"

[options.buzzword-goal]
word = "ship"
"""


def _check_toml_config(config: Config) -> None:
    assert config.select == ("TST",)
    assert config.ignore == ("size",)
    assert config.fail_on is Severity.WARNING
    assert config.severity == {"buzzword-goal": Severity.ERROR}
    assert config.options == {"buzzword-goal": {"word": "ship"}}


def test_config_from_a_goalalign_toml(tmp_path: Path, cascade: Cascade) -> None:
    path = tmp_path / "goalalign.toml"
    path.write_text(TOML, encoding="utf-8")
    config = Config.from_file(path)
    _check_toml_config(config)
    assert _run(cascade, config) == [("buzzword-goal", "error", "o-b")]


def test_config_from_pyproject_tool_table(tmp_path: Path) -> None:
    body = TOML.replace("[severity]", "[tool.goalalign.severity]").replace(
        "[options.", "[tool.goalalign.options."
    )
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n\n[tool.goalalign]\n" + body, encoding="utf-8")
    _check_toml_config(Config.from_file(path))


def test_config_file_with_an_unknown_setting_names_it(tmp_path: Path) -> None:
    path = tmp_path / "goalalign.toml"
    path.write_text('selcet = ["ALL"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="selcet"):
        Config.from_file(path)


def test_discover_finds_the_nearest_config_upwards(tmp_path: Path) -> None:
    (tmp_path / "goalalign.toml").write_text('ignore = ["size"]\n', encoding="utf-8")
    project = tmp_path / "project"
    nested = project / "a" / "b"
    nested.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert Config.discover(nested).ignore == ("size",)  # pyproject without the table is skipped
    (project / "pyproject.toml").write_text(
        "[tool.goalalign]\nignore = ['style']\n", encoding="utf-8"
    )
    assert Config.discover(nested).ignore == ("style",)
    (nested / "goalalign.toml").write_text("fail-on = 'info'\n", encoding="utf-8")
    assert Config.discover(nested).fail_on is Severity.INFO


def test_discover_without_any_config_gives_defaults(tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    assert Config.discover(lone) == Config()


# -- analysis lifetimes: freed after their last declared user --------------------------------


class _Builds:
    """Counts how often each test analysis is computed, and what a rule saw."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.alive_during: dict[str, set[str]] = {}

    def note(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


def _lifetime_rules(builds: _Builds) -> tuple[list[Rule], dict[str, Any]]:
    """Four rules over three analyses: ``words`` (used by the first two), ``summary`` (built
    from ``words``, used by the last) and ``teams`` (declared by nobody)."""

    def words(ctx: CheckContext) -> list[str]:
        builds.note("words")
        return [goal.statement for goal in ctx.cascade.goals]

    @built_from(words)
    def summary(ctx: CheckContext) -> int:
        builds.note("summary")
        return len(ctx.derive(words))

    def teams(ctx: CheckContext) -> int:
        builds.note("teams")
        return len(ctx.cascade.teams)

    analyses: dict[str, Any] = {"words": words, "summary": summary, "teams": teams}

    def make(name: str, code: str, uses: tuple[Any, ...], reads: tuple[Any, ...]) -> Rule:
        @rule(name=name, code=code, family="test", severity="info", summary="s",
              rationale="r", bad=EXAMPLE, good=EXAMPLE, uses=uses)
        def check(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
            for analysis in reads:
                ctx.derive(analysis)
            builds.alive_during[name] = {k for k, a in analyses.items() if ctx.has(a)}
            return iter(())

        return check

    rules = [
        make("first-reader", "TST301", (words,), (words, teams)),
        make("second-reader", "TST302", (words,), (words,)),
        make("unrelated", "TST303", (), ()),
        make("summary-reader", "TST304", (summary,), (summary,)),
    ]
    return rules, analyses


def test_an_analysis_is_freed_after_its_last_declared_user(cascade: Cascade) -> None:
    builds = _Builds()
    rules, analyses = _lifetime_rules(builds)
    result = run_rules(cascade, registry=Registry(rules))
    assert builds.alive_during["second-reader"] == {"words", "teams"}
    # freed after second-reader, once summary (built from it, needed later) was built
    assert builds.alive_during["unrelated"] == {"summary", "teams"}
    assert builds.alive_during["summary-reader"] == {"summary", "teams"}
    assert builds.counts == {"words": 1, "summary": 1, "teams": 1}
    # an analysis nobody declares lives until the check ends
    assert result.context.has(analyses["teams"])
    assert not result.context.has(analyses["words"])


def test_a_wrong_declaration_costs_a_recomputation_never_a_finding(cascade: Cascade) -> None:
    builds = _Builds()
    rules, _ = _lifetime_rules(builds)
    late_reader = attrs.evolve(rules[2].meta, uses=())
    # "unrelated" now reads words without declaring it: words is computed a second time
    rules[2] = Rule(late_reader, rules[1].check)
    run_rules(cascade, registry=Registry(rules))
    assert builds.counts["words"] == 2


def test_freeing_follows_the_selection(cascade: Cascade) -> None:
    builds = _Builds()
    rules, _ = _lifetime_rules(builds)
    run_rules(cascade, Config(select=("TST301", "TST303")), registry=Registry(rules))
    assert builds.alive_during["unrelated"] == {"teams"}
    assert "summary" not in builds.counts  # nobody selected needs it, so it is not built
