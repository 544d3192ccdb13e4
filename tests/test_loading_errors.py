"""Malformed documents: every one is a LoadError that names where, and the CLI exits 2.

One table, three formats. Each case gives the document text (or bytes), its format and the
substrings the error must contain: the location first (``goals[0].kpis[0].unit``), then
whatever else the message must say (the suggested key, the line).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalalign.cli.main import main
from goalalign.loading import LoadError, loads


def yaml_doc(goal: str = "", *, top: str = "", teams: str = "[{id: board}]",
             organisation: str = "{name: Example}", version: str = "1") -> str:
    """A small valid YAML document, with ``goal`` lines added to its one goal."""
    return (
        f"goalalign: {version}\n"
        f"organisation: {organisation}\n"
        f"teams: {teams}\n"
        "goals:\n"
        "  - id: g1\n"
        "    team: board\n"
        "    statement: Grow revenue from $10m to $12m by 2027\n"
        + "".join(f"    {line}\n" for line in goal.splitlines())
        + top
    )


def json_doc(**changes: object) -> str:
    """A small valid JSON document with top-level ``changes`` applied."""
    data: dict[str, object] = {
        "goalalign": 1,
        "organisation": {"name": "Example"},
        "teams": [{"id": "board"}],
        "goals": [{"id": "g1", "team": "board", "statement": "Grow revenue"}],
    }
    data.update(changes)
    return json.dumps(data)


CSV_HEAD = "organisation,goal,team,team_parent,statement,level,kpi_name,kpi_unit,kpi_baseline\n"

ALIAS_BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
              for i in range(8))
    + "goalalign: 1\n"
)

DEEP_YAML = "goalalign: 1\norganisation: {name: X}\nconfig:\n  x: " + "[" * 40 + "]" * 40 + "\n"

CASES: list[tuple[str, str, str | bytes, tuple[str, ...]]] = [
    # -- keys: unknown, missing, misspelt ----------------------------------------------------
    ("unknown-key-typo", "yaml", yaml_doc("suports: [g2]"),
     ("goals[0] (line 5)", "unknown key 'suports'", "did you mean 'supports'?")),
    ("unknown-key-top", "yaml", yaml_doc(top="goal: []\n"), ("unknown key 'goal'", "'goals'")),
    ("unknown-key-json", "json",
     json_doc(teams=[{"id": "board", "parnet": "x"}]), ("teams[0]", "did you mean 'parent'?")),
    ("missing-team", "yaml",
     "goalalign: 1\norganisation: {name: X}\ngoals:\n  - {id: g1, statement: s}\n",
     ("goals[0].team", "required key missing")),
    ("missing-organisation-name", "yaml", yaml_doc(organisation="{purpose: p}"),
     ("organisation.name", "required key missing")),
    ("missing-version", "json",
     json.dumps({"organisation": {"name": "X"}}), ("goalalign", "required key missing")),
    ("missing-kpi-name", "yaml", yaml_doc("kpis: [{unit: USD}]"), ("goals[0].kpis[0].name",)),
    # -- wrong types ---------------------------------------------------------------------------
    ("statement-number", "yaml", yaml_doc(teams="[{id: board, name: 7}]"),
     ("teams[0].name", "expected text")),
    ("statement-boolean", "yaml",
     "goalalign: 1\norganisation: {name: X}\ngoals:\n  - {id: g1, team: t, statement: yes}\n",
     ("goals[0].statement", "expected text, got a boolean")),
    ("serves-not-list", "yaml", yaml_doc(teams="[{id: board, serves: it}]"),
     ("teams[0].serves", "expected a list")),
    ("goals-mapping", "json", json_doc(goals={}), ("goals", "expected a list")),
    ("document-list", "yaml", "- goalalign\n- 1\n", ("must be a mapping",)),
    ("weight-text", "yaml", yaml_doc("supports: [{goal: g1, weight: heavy}]"),
     ("goals[0].supports[0].weight", "expected a number")),
    # -- enums, units, numbers -------------------------------------------------------------------
    ("unknown-level", "yaml", yaml_doc("level: strategc"),
     ("goals[0].level (line 8)", "'strategc' is not one of")),
    ("unknown-direction", "yaml", yaml_doc(teams="[{id: board, direction: sideways}]"),
     ("teams[0].direction", "sideways")),
    ("unknown-status", "json",
     json_doc(goals=[{"id": "g", "team": "t", "statement": "s", "status": "paused"}]),
     ("goals[0].status", "paused")),
    ("unknown-unit", "yaml", yaml_doc("kpis: [{name: Sales, unit: dolars}]"),
     ("goals[0].kpis[0].unit", "did you mean 'dollars'?")),
    ("unknown-unit-in-quantity", "yaml",
     yaml_doc("kpis: [{name: Distance, unit: metre, baseline: 5 meetre}]"),
     ("goals[0].kpis[0].baseline", "meetre")),
    ("huge-integer-json", "json",
     json_doc(goals=[{"id": "g1", "team": "board", "statement": "Grow revenue",
                      "kpis": [{"name": "Sales", "unit": "count", "baseline": 10**400}]}]),
     ("goals[0].kpis[0].baseline", "expected a finite number")),
    ("huge-integer-yaml", "yaml",
     yaml_doc(f"kpis: [{{name: Sales, unit: count, target: {10**400}}}]"),
     ("goals[0].kpis[0].target", "expected a finite number")),
    ("not-a-quantity", "yaml", yaml_doc("kpis: [{name: Sales, unit: USD, target: lots}]"),
     ("goals[0].kpis[0].target", "not a quantity")),
    ("yaml-nan", "yaml", yaml_doc("kpis: [{name: Sales, baseline: .nan}]"),
     ("goals[0].kpis[0].baseline", "finite")),
    ("yaml-inf", "yaml", yaml_doc("supports: [{goal: g1, weight: .inf}]"),
     ("weight", "finite")),
    ("json-nan", "json", json_doc().replace('"Grow revenue"}', '"Grow", "kpis": '
                                            '[{"name": "k", "baseline": NaN}]}'),
     ("invalid JSON", "NaN")),
    ("json-infinity", "json", json_doc().replace('"Grow revenue"}', '"Grow", "kpis": '
                                                 '[{"name": "k", "target": -Infinity}]}'),
     ("invalid JSON", "Infinity")),
    # -- duplicate ids ----------------------------------------------------------------------------
    ("duplicate-goal", "yaml",
     yaml_doc(top="  - {id: g1, team: board, statement: Another}\n"),
     ("goals[1].id (line 8)", "duplicate goal id 'g1'")),
    ("duplicate-team", "yaml", yaml_doc(teams="[{id: board}, {id: board}]"),
     ("teams[1].id", "duplicate team id")),
    ("duplicate-kpi", "yaml", yaml_doc("kpis: [{id: k, name: A}, {id: k, name: B}]"),
     ("kpis[1].id", "duplicate KPI id 'k'")),
    ("duplicate-promise", "yaml",
     yaml_doc(organisation="{name: X, promises: [{id: p, statement: a}, {id: p, statement: b}]}"),
     ("organisation.promises[1].id", "duplicate promise id")),
    # -- the document as a whole ----------------------------------------------------------------
    ("schema-version", "yaml", yaml_doc(version="2"), ("goalalign (line 1)", "version 2")),
    ("empty", "yaml", "   \n", ("empty",)),
    ("empty-json", "json", "", ("empty",)),
    ("not-utf8", "yaml", b"goalalign: 1\norganisation: {name: \xff\xfe}\n", ("UTF-8",)),
    ("yaml-syntax", "yaml", "goalalign: 1\ngoals: [\n", ("invalid YAML", "line 3")),
    ("json-syntax", "json", '{"goalalign": 1,\n "goals": [}', ("invalid JSON", "line 2")),
    ("alias-bomb", "yaml", ALIAS_BOMB, ("aliases",)),
    ("deep-yaml", "yaml", DEEP_YAML, ("nests deeper",)),
    ("deep-json", "json", json_doc(config={"x": json.loads("[" * 40 + "]" * 40)}),
     ("nests deeper",)),
    ("duplicate-yaml-key", "yaml", yaml_doc("statement: again"),
     ("appears twice", "line 8")),
    # -- periods, links, weights -----------------------------------------------------------
    ("month-13", "yaml", yaml_doc("deadline: 2026-13"), ("goals[0].deadline (line 8)", "2026-13")),
    ("quarter-5", "yaml", yaml_doc("deadline: 2026-Q5"), ("goals[0].deadline", "2026-Q5")),
    ("bad-as-of", "yaml", yaml_doc(organisation="{name: X, as_of: someday}"),
     ("organisation.as_of", "someday")),
    ("bad-fiscal-year-end", "yaml", yaml_doc(organisation="{name: X, fiscal_year_end: 13-01}"),
     ("organisation.fiscal_year_end", "13-01")),
    ("negative-weight", "yaml", yaml_doc("supports: [{goal: g1, weight: -1}]"),
     ("goals[0].supports[0].weight", "negative")),
    ("weights-zero", "yaml", yaml_doc("supports: [{goal: g1, weight: 0}, {goal: g2, weight: 0}]"),
     ("goals[0].supports", "add up to zero")),
    ("two-targets", "yaml", yaml_doc("supports: [{goal: g1, promise: p}]"),
     ("goals[0].supports[0]", "exactly one")),
    ("no-target", "json",
     json_doc(goals=[{"id": "g", "team": "t", "statement": "s",
                      "supports": [{"mechanism": "m"}]}]),
     ("goals[0].supports[0]", "exactly one")),
    ("hinders-promise", "yaml", yaml_doc("hinders: [{promise: p}]"),
     ("goals[0].hinders[0]", "names a goal")),
    ("nested-kpi-other-goal", "yaml", yaml_doc("kpis: [{name: K, goal: g9}]"),
     ("goals[0].kpis[0].goal", "'g9'")),
    # -- CSV --------------------------------------------------------------------------------
    ("csv-unknown-column", "csv",
     "organisation,goal,team,statement,suports\nX,g1,t,S,g2\n",
     ("columns.suports (line 1)", "did you mean 'supports'?")),
    ("csv-missing-column", "csv", "organisation,goal,statement\nX,g1,S\n",
     ("columns", "'team'")),
    ("csv-team-conflict", "csv",
     CSV_HEAD + "X,g1,t,a,S,strategic,K,USD,1\nX,g2,t,b,S,strategic,K,USD,1\n",
     ("rows[1].team_parent (line 3)", "'b' here but 'a' in rows[0]")),
    ("csv-goal-conflict", "csv",
     CSV_HEAD + "X,g1,t,,S,strategic,K,USD,1\nX,g1,t,,T,strategic,K2,USD,1\n",
     ("rows[1].statement (line 3)", "goal 'g1'")),
    ("csv-nan", "csv", CSV_HEAD + "X,g1,t,,S,strategic,K,USD,nan\n",
     ("rows[0].kpi_baseline (line 2)", "finite")),
    ("csv-bad-number", "csv", CSV_HEAD + "X,g1,t,,S,strategic,K,USD,12abc\n",
     ("rows[0].kpi_baseline (line 2)", "not a quantity")),
    ("csv-bad-level", "csv", CSV_HEAD + "X,g1,t,,S,strategc,K,USD,1\n",
     ("rows[0].level (line 2)", "strategc")),
    ("csv-unknown-unit", "csv", CSV_HEAD + "X,g1,t,,S,strategic,K,dolars,1\n",
     ("rows[0].kpi_unit (line 2)", "dollars")),
    ("csv-missing-kpi-name", "csv", CSV_HEAD + "X,g1,t,,S,strategic,,USD,1\n",
     ("rows[0].kpi_name (line 2)", "required")),
    ("csv-no-organisation", "csv", "goal,team,statement\ng1,t,S\n", ("organisation", "name")),
    ("csv-too-many-cells", "csv", "organisation,goal,team,statement\nX,g1,t,S,extra\n",
     ("rows[0] (line 2)", "5 cells")),
    ("csv-bad-deadline", "csv", "organisation,goal,team,statement,deadline\nX,g1,t,S,2026-Q5\n",
     ("rows[0].deadline (line 2)", "2026-Q5")),
]

IDS = [case[0] for case in CASES]


def test_the_table_is_broad() -> None:
    assert len(CASES) >= 30
    assert {fmt for _, fmt, _, _ in CASES} == {"yaml", "json", "csv"}
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize(("name", "fmt", "text", "expected"), CASES, ids=IDS)
def test_malformed_document_is_a_located_load_error(
    name: str, fmt: str, text: str | bytes, expected: tuple[str, ...]
) -> None:
    with pytest.raises(LoadError) as caught:
        loads(text, format=fmt)
    message = str(caught.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    assert caught.value.problems


@pytest.mark.parametrize(("name", "fmt", "text", "expected"), CASES, ids=IDS)
def test_cli_check_exits_2_with_the_location_and_no_traceback(
    name: str,
    fmt: str,
    text: str | bytes,
    expected: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / f"{name}.{fmt}"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    status = main(["check", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert status == 2
    assert expected[0] in captured.err
    assert str(path) in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert captured.out == ""


def test_every_problem_is_reported_at_once() -> None:
    text = yaml_doc("level: strategc\ndeadline: 2026-13\nkpis: [{name: K, unit: dolars}]")
    with pytest.raises(LoadError) as caught:
        loads(text)
    locations = [p.location for p in caught.value.problems]
    assert "goals[0].level" in locations
    # the shape problem stops the build, so periods and units wait for the next attempt
    text = yaml_doc("deadline: 2026-13\nkpis: [{name: K, unit: dolars}]")
    with pytest.raises(LoadError) as caught:
        loads(text)
    locations = [p.location for p in caught.value.problems]
    assert locations == ["goals[0].deadline", "goals[0].kpis[0].unit"]
    assert [p.line for p in caught.value.problems] == [8, 9]


def test_misspelt_key_never_drops_links_silently() -> None:
    with pytest.raises(LoadError, match="suports"):
        loads(yaml_doc("suports:\n  - {goal: g1, mechanism: m}"))


def test_flow_mapping_comma_in_a_mechanism_is_kept() -> None:
    cascade = loads(
        yaml_doc("supports: [{goal: g1, mechanism: a new market, so its sales add up}]")
    )
    assert cascade.goals[0].supports[0].mechanism == "a new market, so its sales add up"


def test_load_names_the_file(tmp_path: Path) -> None:
    from goalalign.loading import load

    path = tmp_path / "org.yaml"
    path.write_text(yaml_doc("level: strategc"), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert caught.value.source == str(path)
    with pytest.raises(LoadError, match="cannot tell the format"):
        load(tmp_path / "org.txt")
    with pytest.raises(LoadError, match="cannot read"):
        load(tmp_path / "missing.yaml")
