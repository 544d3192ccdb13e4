"""JSON read as it is parsed: the same cascade and the same errors as parsing it whole.

A JSON file is parsed a piece at a time and each goal is built as soon as it is parsed; the
goals of a cascade share one object per repeated value. None of that may change what a
document loads to, or what is wrong with it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import goalalign as ga
from goalalign.domain.cascade import SourceMap
from goalalign.loading import LoadError, document_to_cascade, loads, readers
from goalalign.loading.build import fast_cascade
from goalalign.testing.generator import generate_document
from goalalign.testing.strategies import documents


def _in_pieces(text: str, sizes: list[int]) -> list[str]:
    pieces, start = [], 0
    for size in sizes:
        pieces.append(text[start : start + size])
        start += size
    pieces.append(text[start:])
    return pieces


def _streamed(pieces: list[str]) -> ga.Cascade | None:
    return readers._fast_json_pieces(iter(pieces), None)


def _outcome(load: Any) -> Any:
    """The cascade a load returns, or the problems of the LoadError it raises."""
    try:
        return load()
    except LoadError as exc:
        return [str(problem) for problem in exc.problems]


def _whole(text: str) -> Any:
    """What loading ``text`` gives when it is parsed whole, the ordinary way."""
    return _outcome(lambda: document_to_cascade(readers._parse_json(text)))


@given(
    documents(),
    st.lists(st.integers(0, 40), max_size=30),
    st.sampled_from([None, 1, "\t"]),
)
def test_any_document_cut_anywhere_reads_as_parsed_whole(
    data: dict[str, Any], sizes: list[int], indent: int | str | None
) -> None:
    text = json.dumps(data, default=str, indent=indent)
    expected = fast_cascade(json.loads(text), SourceMap())
    assert expected is not None
    assert _streamed(_in_pieces(text, sizes)) == expected


def test_a_document_read_one_character_at_a_time() -> None:
    text = json.dumps(generate_document(30, seed=2), indent=1)
    assert _streamed(list(text)) == fast_cascade(json.loads(text), SourceMap())


def test_a_file_read_in_small_pieces_loads_as_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = generate_document(40, seed=3)
    data["goals"][0]["statement"] = "Réduire les délais 🚀 de moitié d’ici 2027"
    text = json.dumps(data, ensure_ascii=False)
    path = tmp_path / "cascade.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a byte order mark
    monkeypatch.setattr(readers, "_PIECE_BYTES", 7)  # cuts multi-byte characters
    cascade = ga.load(path)
    assert cascade == loads(text, format="json")
    assert cascade.goals[0].statement == data["goals"][0]["statement"]
    assert cascade.source.path == str(path)


DATA = generate_document(6, seed=5)
VALID = json.dumps(DATA)
_GOALS_AT = VALID.index('"goals": [') + len('"goals": [')

ODD = {
    "trailing comma in goals": VALID.replace("}]}]", "}]},]", 1),
    "trailing comma in the document": VALID[:-1] + ", }",
    "missing comma between goals": VALID.replace("}, {", "} {", 1),
    "extra data": VALID + " {}",
    "extra bracket": VALID + "]",
    "cut short": VALID[: len(VALID) // 2],
    "NaN amount": VALID.replace('"baseline": ', '"baseline": NaN, "x": ', 1),
    "goals not a list": VALID[:_GOALS_AT - 1] + '{"a": 1}, "kpis": []}',
    "empty goals": VALID[:_GOALS_AT] + "]}",
    "goals before the organisation": json.dumps(
        {"goals": DATA["goals"], **{k: v for k, v in DATA.items() if k != "goals"}}
    ),
    "goals given twice": VALID[:-1] + ', "goals": []}',
    "organisation given twice": VALID[:-1] + ', "organisation": {"name": "Other"}',
    "a list": "[" + VALID + "]",
    "blank": "  \n",
    "spaces everywhere": VALID.replace(", ", " ,\n\t").replace(": ", " :\r\n "),
    "deep config": VALID[:-1] + ', "config": {"x": ' + "[" * 40 + "]" * 40 + "}}",
}


STREAMED = {"empty goals", "goals before the organisation", "spaces everywhere"}
"""The odd documents that are valid, and so are read as they are parsed."""


@pytest.mark.parametrize("name", ODD)
def test_odd_json_loads_as_parsed_whole(name: str, tmp_path: Path) -> None:
    text = ODD[name]
    streamed = _streamed([text])
    if name in STREAMED:
        assert streamed is not None
        assert streamed == _whole(text)
    else:
        assert streamed is None
    expected = _whole(text) if text.strip() else _outcome(lambda: loads(text, format="json"))
    assert _outcome(lambda: loads(text, format="json")) == expected
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    assert _outcome(lambda: ga.load(path)) == _outcome(lambda: loads(text, format="json"))


def test_a_key_given_twice_takes_the_last_value_like_json() -> None:
    text = VALID[:-1] + ', "goals": []}'
    cascade = loads(text, format="json")
    assert cascade.goals == ()
    assert _streamed([text]) is None  # left to the ordinary way


def _doc(goals: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "goalalign": 1,
            "organisation": {"name": "X"},
            "teams": [{"id": "ops"}],
            "goals": goals,
        }
    )


def test_repeated_values_are_one_object() -> None:
    kpi = {"name": "Same name", "unit": "USD", "baseline": 5, "target": 7.0}
    link = {"goal": "top", "mechanism": "  the same story "}
    cascade = loads(
        _doc(
            [
                {"id": "top", "team": "ops", "statement": "Top", "kpis": [kpi]},
                {"id": "a", "team": "ops", "statement": "A", "supports": [link], "kpis": [kpi]},
                {"id": "b", "team": "ops", "statement": "B", "supports": [link, "top"]},
            ]
        ),
        format="json",
    )
    top, a, b = cascade.goals
    assert a.team is b.team is cascade.teams[0].id
    assert a.supports[0].target_id is b.supports[0].target_id is top.id
    assert b.supports[1].target_id is top.id
    assert a.supports[0].mechanism == "the same story"
    assert a.supports[0].mechanism is b.supports[0].mechanism
    first, second = cascade.kpis
    assert first.name is second.name
    assert first.baseline is second.baseline  # 5 and 5: one amount
    assert first.target is second.target
    assert first.baseline == ga.Amount(5.0, "USD")


def test_zeros_keep_their_sign() -> None:
    kpis = [{"name": "K", "baseline": -0.0, "target": 0}, {"name": "L", "baseline": 0.0}]
    goal = {"id": "g", "team": "ops", "statement": "S", "kpis": kpis}
    first, second = loads(_doc([goal]), format="json").kpis
    assert first.baseline is not None
    assert first.target is not None
    assert second.baseline is not None
    assert math.copysign(1.0, first.baseline.value) == -1.0
    assert math.copysign(1.0, first.target.value) == 1.0
    assert math.copysign(1.0, second.baseline.value) == 1.0


def test_a_link_to_a_goal_listed_later_keeps_its_target() -> None:
    cascade = loads(
        _doc(
            [
                {"id": "a", "team": "ops", "statement": "A", "supports": ["later"]},
                {"id": "later", "team": "ops", "statement": "Later"},
            ]
        ),
        format="json",
    )
    assert cascade.goals[0].supports[0].target_id == "later"
    assert cascade.goal("later") is cascade.goals[1]


@settings(max_examples=30)
@given(documents(max_goals=6))
def test_the_shared_model_equals_the_checked_one(data: dict[str, Any]) -> None:
    text = json.dumps(data, default=str)
    assert loads(text, format="json") == document_to_cascade(json.loads(text))
