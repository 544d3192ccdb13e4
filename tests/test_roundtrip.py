"""``loads(dumps(c)) == c``, and the fast loading path agrees with the checked one."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import goalalign as ga
from goalalign.domain.cascade import SourceMap
from goalalign.loading import LoadError, document_to_cascade, dump, dumps, loads
from goalalign.loading.build import build_cascade, fast_cascade
from goalalign.loading.readers import _FAST
from goalalign.loading.schema import DocumentDoc
from goalalign.testing.generator import generate_document
from goalalign.testing.strategies import cascades, documents

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_examples_round_trip(path: Path, fmt: str) -> None:
    cascade = ga.load(path)
    assert loads(dumps(cascade, fmt), format=fmt) == cascade


@given(cascades())
def test_generated_cascades_round_trip_through_yaml(cascade: ga.Cascade) -> None:
    assert loads(dumps(cascade, "yaml"), format="yaml") == cascade


@given(cascades(max_goals=20))
def test_generated_cascades_round_trip_through_json(cascade: ga.Cascade) -> None:
    assert loads(dumps(cascade, "json"), format="json") == cascade


@given(cascades(with_kpis=False, cross_links=False, max_depth=1))
def test_plain_cascades_round_trip(cascade: ga.Cascade) -> None:
    assert document_to_cascade(dump(cascade)) == cascade


def test_dump_leaves_out_defaults_and_keeps_config() -> None:
    cascade = loads(
        "goalalign: 1\n"
        "organisation: {name: X, fiscal_year_end: 06-30}\n"
        "teams: [{id: board}]\n"
        "goals:\n"
        "  - {id: g, team: board, statement: S, deadline: FY2027,\n"
        "     kpis: [{name: K, unit: percent, baseline: 10, target: 0.2 count}]}\n"
        "kpis: [{name: Orphan, unit: USD, target: $6m}]\n"
        "config: {ignore: [stale-review]}\n"
    )
    data = dump(cascade)
    assert data["organisation"] == {"name": "X", "fiscal_year_end": "06-30"}
    assert data["teams"] == [{"id": "board"}]
    goal = data["goals"][0]
    assert "status" not in goal
    assert goal["deadline"] == "FY2027"
    assert goal["kpis"] == [
        {"id": "g.kpi1", "name": "K", "unit": "percent", "baseline": 10, "target": "0.2 count"}
    ]
    assert data["kpis"] == [{"id": "kpi1", "name": "Orphan", "unit": "USD", "target": 6000000}]
    assert data["config"] == {"ignore": ["stale-review"]}
    assert cascade.goals[0].deadline is not None
    assert cascade.goals[0].deadline.end.isoformat() == "2027-06-30"


def test_kpis_listed_out_of_goal_order_stay_top_level() -> None:
    text = (
        "goalalign: 1\norganisation: {name: X}\n"
        "goals: [{id: a, team: t, statement: S}, {id: b, team: t, statement: S,\n"
        "         kpis: [{id: kb, name: B}]}]\n"
        "kpis: [{id: ka, name: A, goal: a}, {id: kz, name: Z, goal: nowhere}]\n"
    )
    cascade = loads(text)
    data = dump(cascade)
    assert [k["id"] for k in data["kpis"]] == ["ka", "kz"]
    assert loads(dumps(cascade)) == cascade


def test_amounts_with_tiny_or_huge_values_read_back_exactly() -> None:
    text = (
        "goalalign: 1\norganisation: {name: X}\n"
        "goals: [{id: a, team: t, statement: S,\n"
        "         kpis: [{name: K, unit: USD, baseline: 1.0e-7 percent, target: 3.0e+21 EUR}]}]\n"
    )
    cascade = loads(text)
    assert loads(dumps(cascade)) == cascade
    assert "e" not in str(dump(cascade)["goals"][0]["kpis"][0]["baseline"]).split()[0]


def test_dumps_rejects_unknown_formats() -> None:
    cascade = loads("goalalign: 1\norganisation: {name: X}\n")
    with pytest.raises(ValueError, match="toml"):
        dumps(cascade, "toml")


def test_dumped_yaml_is_safe_yaml() -> None:
    cascade = ga.load(EXAMPLES[0])
    assert isinstance(yaml.safe_load(dumps(cascade)), dict)
    assert isinstance(json.loads(dumps(cascade, "json")), dict)


# -- the fast path agrees with the checked path --------------------------------------------------


def _checked(data: dict[str, Any]) -> ga.Cascade | None:
    """The cascade the checked path (cattrs + build) makes, or None when it finds problems."""
    try:
        doc = _FAST.structure(data, DocumentDoc)
    except Exception:
        return None
    cascade, problems = build_cascade(doc, SourceMap())
    return None if problems else cascade


@given(documents())
def test_fast_path_builds_what_the_checked_path_builds(data: dict[str, Any]) -> None:
    fast = fast_cascade(copy.deepcopy(data), SourceMap())
    assert fast is not None
    assert fast == _checked(data)


_BREAKAGES = st.sampled_from(
    [
        ("goals", 0, "supports", "g0"),
        ("goals", 0, "level", "strategc"),
        ("goals", 0, "statement", 5),
        ("goals", 0, "deadline", "2026-Q5"),
        ("goals", 0, "deadline", True),
        ("goals", 0, "suports", []),
        ("goals", 0, "kpis", [{"name": "k", "baseline": float("nan")}]),
        ("goals", 0, "kpis", [{"name": "k", "unit": "dolars"}]),
        ("goals", 0, "kpis", [{"name": "k", "target": True}]),
        ("goals", 0, "kpis", [{"name": "k", "goal": "elsewhere"}]),
        ("goals", 0, "supports", [{"goal": "x", "weight": -1}]),
        ("goals", 0, "supports", [{"goal": "x", "weight": 0}]),
        ("goals", 0, "supports", [{"goal": "x", "promise": "p"}]),
        ("goals", 0, "supports", [{"goal": "x", "purpose": "yes"}]),
        ("goals", 0, "hinders", [{"purpose": True}]),
        ("goals", 0, "ignore", [{"reason": "no rule"}]),
        ("goals", 0, "team", None),
        ("teams", 0, "serves", "board"),
        ("teams", 0, "direction", "up"),
        ("teams", 0, "name", None),
    ]
)


@given(documents(), _BREAKAGES)
def test_fast_path_never_accepts_what_the_checked_path_rejects(
    data: dict[str, Any], breakage: tuple[str, int, str, Any]
) -> None:
    section, index, key, value = breakage
    data[section][index][key] = value
    fast = fast_cascade(copy.deepcopy(data), SourceMap())
    checked = _checked(data)
    assert fast == checked
    if checked is None:
        with pytest.raises(LoadError):
            document_to_cascade(data)


@pytest.mark.parametrize(
    "change",
    [
        {"goalalign": 2},
        {"goalalign": True},
        {"organisation": {"name": "X", "as_of": "soon"}},
        {"organisation": {"name": "X", "fiscal_year_end": "02-30"}},
        {"organisation": {"name": "X", "promises": [{"id": "p", "statement": "a"}] * 2}},
        {"config": ["not", "a", "mapping"]},
        {"teams": [{"id": "t"}, {"id": "t"}]},
        {"extra": 1},
    ],
)
def test_fast_path_steps_aside_for_invalid_documents(change: dict[str, Any]) -> None:
    data = generate_document(20)
    data.update(change)
    assert fast_cascade(copy.deepcopy(data), SourceMap()) is None
    with pytest.raises(LoadError):
        document_to_cascade(data)


def test_fast_path_agrees_on_a_generated_document() -> None:
    data = generate_document(500, seed=4)
    fast = fast_cascade(copy.deepcopy(data), SourceMap())
    assert fast is not None
    assert fast == _checked(data)


def test_settings_given_as_any_mapping_are_written_as_config() -> None:
    from types import MappingProxyType

    import attrs

    cascade = loads("goalalign: 1\norganisation: {name: X}\n")
    edited = attrs.evolve(cascade, settings=MappingProxyType({"select": ("orphan-goal",)}))
    reloaded = loads(dumps(edited))
    assert reloaded.settings == {"select": ["orphan-goal"]}


AWKWARD = [
    "a\x85b", "\u2028x", "\tx", "a\nb", " lead", "trail ", "#c", "- d", "a: b", "'q", '"dq',
    "null", "~", "@a", "`t", "%p", "{b", "[b", "*s", "&a", "!b", "|p", ">g", "?q", "a, b",
    "x\r\ny", "yes", "0o17", "0x1F", "1_000", ".inf", "2026-01-01", "12:30", "a  b", "\U0001f600",
]


@pytest.mark.parametrize("text", AWKWARD)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_awkward_text_round_trips(text: str, fmt: str) -> None:
    import attrs

    cascade = loads(
        "goalalign: 1\norganisation: {name: X}\ngoals: [{id: g, team: t, statement: s}]\n"
    )
    goal = attrs.evolve(cascade.goals[0], statement=text, id=text)
    edited = attrs.evolve(cascade, goals=(goal,))
    assert loads(dumps(edited, fmt), format=fmt) == edited
