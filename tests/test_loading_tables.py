"""Flat tables (CSV, records, DataFrames) load the same model as the equivalent YAML."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given

import goalalign as ga
from goalalign.loading import LoadError, document_to_cascade, loads
from goalalign.loading.tables import COLUMNS, records_from_csv_text, records_to_document
from goalalign.testing.strategies import documents

YAML = """\
goalalign: 1
organisation: {name: Example Industries, purpose: Useful things, as_of: 2026-01-10}
teams:
  - {id: exec, name: Executive}
  - {id: us, name: US Territory, parent: exec, direction: strategic}
  - {id: it, parent: exec, direction: enabling, serves: [us]}
goals:
  - id: s-revenue
    team: exec
    level: strategic
    statement: Increase revenue from $100m to $200m by December 2026
    deadline: 2026-12
    kpis:
      - {name: Revenue, unit: USD, baseline: 100000000, target: "$200m", direction: increase,
         aggregation: sum}
  - id: us-sales
    team: us
    level: translational
    statement: Increase US sales from $60m to $78m by December 2026
    deadline: 2026-12
    last_reviewed: 2026-01-05
    supports: [{goal: s-revenue, mechanism: US sales are part of revenue}]
    kpis:
      - {id: us-rev, name: US sales, unit: USD, baseline: 60000000, target: 78000000}
      - {name: US deals closed, unit: count, baseline: 40, target: "55 deals"}
  - id: it-crm
    team: it
    statement: Keep the CRM available 99.9% of selling hours through 2026
    supports: [us-sales, {promise: fair, mechanism: a sale needs a working CRM}]
    hinders: [{goal: s-revenue, mechanism: outages lose quotes}]
"""

CSV = """\
organisation,purpose,as_of,goal,team,team_name,team_parent,team_direction,team_serves,\
statement,level,deadline,last_reviewed,supports,mechanism,hinders,kpi_id,kpi_name,kpi_unit,\
kpi_baseline,kpi_target,kpi_direction,kpi_aggregation
Example Industries,Useful things,2026-01-10,s-revenue,exec,Executive,,,,\
Increase revenue from $100m to $200m by December 2026,strategic,2026-12,,,,,,Revenue,USD,\
100000000,$200m,increase,sum
,,,us-sales,us,US Territory,exec,strategic,,\
Increase US sales from $60m to $78m by December 2026,translational,2026-12,2026-01-05,\
s-revenue,US sales are part of revenue,,us-rev,US sales,USD,60000000,78000000,,
,,,us-sales,us,,,,,,,,,,,,,US deals closed,count,40,55 deals,,
,,,it-crm,it,,exec,enabling,us,\
Keep the CRM available 99.9% of selling hours through 2026,,,,\
us-sales;promise:fair|a sale needs a working CRM,,s-revenue|outages lose quotes,,,,,,,
"""

PROMISES = {"name": "Example Industries", "promises": [{"id": "fair", "statement": "Fair"}]}


def _with_promise(text: str) -> str:
    return text.replace(
        "organisation: {name: Example Industries,",
        "organisation: {name: Example Industries, promises: [{id: fair, statement: Fair}],",
    )


def test_csv_loads_the_same_model_as_yaml() -> None:
    from_yaml = loads(YAML)
    from_csv = loads(CSV, format="csv")
    assert from_csv == from_yaml


def test_records_load_the_same_model_and_take_lists() -> None:
    rows = records_from_csv_text(CSV)
    assert ga.from_records(rows) == loads(YAML)
    rows[3]["supports"] = ["us-sales", "promise:fair|a sale needs a working CRM"]  # type: ignore[assignment]
    rows[3]["team_serves"] = ["us"]  # type: ignore[assignment]
    rows[0]["organisation"] = ""
    with_promises = ga.from_records(rows, organisation=PROMISES | {"purpose": "Useful things",
                                                                    "as_of": "2026-01-10"})
    assert with_promises == loads(_with_promise(YAML))


def test_records_take_python_values_and_link_mappings() -> None:
    rows: list[dict[str, Any]] = [
        {"goal": "s", "team": "board", "statement": "Grow sales from $1m to $2m by 2027",
         "level": "strategic", "kpi_name": "Sales", "kpi_unit": "USD", "kpi_baseline": 1e6,
         "kpi_target": 2_000_000},
        {"goal": "t", "team": "ops", "team_parent": "board", "statement": "Open 3 stores",
         "supports": [{"goal": "s", "mechanism": "stores sell", "weight": 2}],
         "kpi_name": "Stores", "kpi_unit": "count", "kpi_baseline": "0", "kpi_target": "3",
         "deadline": None, "hinders": ""},
    ]
    cascade = ga.from_records(rows, organisation="Shop")
    assert cascade.organisation.name == "Shop"
    assert cascade.goals[1].supports == (ga.Link(ga.LinkTarget.GOAL, "s", "stores sell", 2.0),)
    assert cascade.kpis[1].baseline == ga.Amount(0.0, "count")
    assert cascade.kpis[1].target == ga.Amount(3.0, "count")
    assert cascade.goals[1].deadline is None
    assert [t.id for t in cascade.teams] == ["board", "ops"]


def test_per_kpi_rows_make_one_goal_with_several_kpis() -> None:
    cascade = loads(CSV, format="csv")
    assert [g.id for g in cascade.goals] == ["s-revenue", "us-sales", "it-crm"]
    assert [k.id for k in cascade.kpis_of("us-sales")] == ["us-rev", "us-sales.kpi2"]
    deals = cascade.kpi("us-sales.kpi2")
    assert deals is not None
    assert deals.target == ga.Amount(55.0, "count")


def test_numbers_in_cells_are_numbers_and_quantities_stay_quantities() -> None:
    document = records_to_document(
        [{"goal": "g", "team": "t", "statement": "s", "organisation": "O",
          "kpi_name": "k", "kpi_baseline": "15", "kpi_target": "30 %", "kpi_current": " 2.5 "}]
    )
    kpi = document["goals"][0]["kpis"][0]
    assert kpi["baseline"] == 15.0
    assert isinstance(kpi["baseline"], float)
    assert kpi["target"] == "30 %"
    assert kpi["current"] == 2.5


def test_a_row_without_a_goal_describes_a_team() -> None:
    text = "organisation,goal,team,team_parent,statement\nX,,board,,\nX,g1,ops,board,Do it\n"
    cascade = loads(text, format="csv")
    assert [t.id for t in cascade.teams] == ["board", "ops"]
    assert [g.id for g in cascade.goals] == ["g1"]


def test_a_row_without_a_goal_cannot_carry_goal_columns() -> None:
    text = "organisation,goal,team,statement\nX,,board,Do it\n"
    with pytest.raises(LoadError, match=r"rows\[0\]\.goal \(line 2\)"):
        loads(text, format="csv")


def test_header_names_are_normalised() -> None:
    text = "Organisation,Goal,Team,Statement,KPI Name,kpi-unit\nX,g1,t,S,Revenue,USD\n"
    cascade = loads(text, format="csv")
    assert cascade.kpis[0].name == "Revenue"
    assert cascade.kpis[0].unit == "USD"


def test_mechanism_column_needs_exactly_one_support() -> None:
    text = "organisation,goal,team,statement,supports,mechanism\nX,g1,t,S,a;b,because\n"
    with pytest.raises(LoadError, match=r"rows\[0\]\.mechanism"):
        loads(text, format="csv")


def test_unknown_record_key_is_reported_once_with_a_suggestion() -> None:
    rows = [{"goal": f"g{i}", "team": "t", "statement": "s", "sttement": "x"} for i in range(3)]
    with pytest.raises(LoadError) as caught:
        ga.from_records(rows, organisation="O")
    assert [p.location for p in caught.value.problems] == ["rows[0].sttement"]
    assert "did you mean 'statement'?" in str(caught.value)


def test_organisation_columns_must_agree_with_the_argument() -> None:
    rows = [{"goal": "g", "team": "t", "statement": "s", "organisation": "A"}]
    with pytest.raises(LoadError, match="'A' here but 'B' given when loading"):
        ga.from_records(rows, organisation="B")


def test_record_errors_translate_document_locations_to_rows() -> None:
    rows = [
        {"goal": "g", "team": "t", "statement": "s", "organisation": "O"},
        {"goal": "h", "team": "t", "statement": "s", "kpi_name": "k", "kpi_unit": "dolars"},
        {"goal": "i", "team": "t", "statement": "s", "supports": "g", "weight": "-2"},
    ]
    with pytest.raises(LoadError) as caught:
        ga.from_records(rows)
    locations = [p.location for p in caught.value.problems]
    assert locations == ["rows[1].kpi_unit", "rows[2].weight"]


def test_every_documented_column_is_known() -> None:
    assert len(COLUMNS) == len(set(COLUMNS))
    for column in ("goal", "team", "statement", "supports", "kpi_name", "team_parent", "as_of"):
        assert column in COLUMNS


def test_from_dataframe_loads_the_same_model() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(records_from_csv_text(CSV))
    # numbers as numpy numbers and missing cells as NaN, as a real export would have them
    frame["kpi_baseline"] = pd.to_numeric(frame["kpi_baseline"].replace("", None))
    frame = frame.replace("", float("nan"))
    assert ga.from_dataframe(frame) == loads(YAML)


def test_from_dataframe_rejects_other_objects() -> None:
    pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="DataFrame"):
        ga.from_dataframe([{"goal": "g"}])


def test_duplicate_kpi_ids_point_at_the_repeating_row() -> None:
    text = (
        "organisation,goal,team,statement,kpi_id,kpi_name\n"
        "X,g1,t,S,k,First\n"
        "X,g2,t,S,x,Other\n"
        "X,g1,t,S,k,Again\n"
    )
    with pytest.raises(LoadError) as caught:
        loads(text, format="csv")
    [problem] = caught.value.problems
    assert (problem.location, problem.line) == ("rows[2].kpi_id", 4)
    assert "duplicate KPI id 'k'" in problem.message


def test_lines_count_quoted_cells_that_span_lines() -> None:
    text = (
        'organisation,goal,team,statement,level\n'
        'X,g1,t,"Grow sales\nin two lines",strategic\n'
        "X,g2,t,S,strategc\n"
    )
    with pytest.raises(LoadError) as caught:
        loads(text, format="csv")
    [problem] = caught.value.problems
    assert (problem.location, problem.line) == ("rows[1].level", 4)


def test_team_values_from_a_later_row_are_located_there() -> None:
    text = (
        "organisation,goal,team,team_direction,statement\n"
        "X,g1,t,,S\n"
        "X,g2,t,sideways,S\n"
    )
    with pytest.raises(LoadError) as caught:
        loads(text, format="csv")
    [problem] = caught.value.problems
    assert (problem.location, problem.line) == ("rows[1].team_direction", 3)


def _records_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows that describe ``document``: a row per team, then a row per goal or KPI."""
    rows: list[dict[str, Any]] = []
    for team in document["teams"]:
        row = {"team": team["id"]}
        for key in ("name", "parent", "direction", "serves", "ignore"):
            if key in team:
                row[f"team_{key}"] = team[key]
        rows.append(row)
    for goal in document["goals"]:
        row = {("goal" if key == "id" else key): value for key, value in goal.items()}
        kpis = row.pop("kpis", [])
        first = dict(row)
        for kpi in kpis or [{}]:
            first.update({f"kpi_{key}": value for key, value in kpi.items()})
            rows.append(first)
            first = {"goal": goal["id"], "team": goal["team"]}
    return rows


@given(documents(max_goals=8))
def test_records_describe_the_same_cascade_as_the_document(document: dict[str, Any]) -> None:
    document.pop("kpis", None)  # top-level KPIs have no columns
    document.pop("config", None)
    expected = document_to_cascade(copy.deepcopy(document))
    rows = _records_of(document)
    assert ga.from_records(rows, organisation=document["organisation"]) == expected


def test_from_dataframe_without_pandas_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"goalalign\[dataframe\]"):
        ga.from_dataframe(object())
