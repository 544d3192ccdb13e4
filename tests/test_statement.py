"""Reading goal statements: parts, roles, units, deadlines, spans, and never raising."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from goalalign.domain.model import Change, EvidenceKind
from goalalign.text.classify import classify_statement, is_vague
from goalalign.text.language import (
    LanguagePack,
    UnknownLanguageError,
    get_language,
    register_language,
)
from goalalign.text.statement import Intent, ParsedStatement, Role, parse_statement

AS_OF = date(2026, 3, 1)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def parse(text: str, fye: tuple[int, int] = (12, 31)) -> ParsedStatement:
    return parse_statement(text, AS_OF, "en", fye)


def test_spec_example() -> None:
    p = parse("Increase US sales by 30% by Q3 2026")
    assert p.change is Change.INCREASE
    assert p.intent is Intent.INCREASE
    assert p.change_source == "verb"
    assert p.metric == "us sales"
    assert p.text[p.metric_span[0] : p.metric_span[1]] == "US sales"  # type: ignore[index]
    [amount] = p.amounts
    assert (amount.value, amount.unit, amount.role) == (30.0, "percent", Role.RELATIVE)
    assert p.deadline is not None
    assert p.deadline.end == date(2026, 9, 30)
    assert p.text[p.deadline_span[0] : p.deadline_span[1]] == "by Q3 2026"  # type: ignore[index]


def test_baseline_and_target_share_a_unit() -> None:
    p = parse("Cut the time to fill a vacancy from 75 to 30 days")
    assert p.change is Change.DECREASE
    assert p.metric == "time to fill vacancy"
    assert [(a.value, a.unit, a.role) for a in p.amounts] == [
        (75.0, "day", Role.BASELINE),
        (30.0, "day", Role.TARGET),
    ]
    assert p.deadline is None


def test_markers_are_kept() -> None:
    p = parse("Cut average wait at the desk from 40 to under 15 minutes by 2027")
    assert [(a.role, a.marker) for a in p.amounts] == [
        (Role.BASELINE, "from"),
        (Role.TARGET, "to under"),
    ]
    assert [c.meaning for c in p.cues][:1] == ["decrease"]


def test_money_with_magnitudes() -> None:
    p = parse("Increase revenue from $100m to $200m in the next year")
    assert [(a.value, a.unit, a.role) for a in p.amounts] == [
        (100e6, "USD", Role.BASELINE),
        (200e6, "USD", Role.TARGET),
    ]
    assert p.deadline is not None
    assert p.deadline.end == date(2027, 3, 1)
    assert parse("Grow assets to $1.2bn").amounts[0].value == pytest.approx(1.2e9)
    assert parse("Cut costs by £40k").amounts[0].unit == "GBP"


def test_counted_nouns_and_rates() -> None:
    hire = parse("Hire 3 sales people and ramp each to $6m ARR by December 2026")
    assert hire.amounts[0].unit == "count"
    assert hire.amounts[0].noun == "sales people"
    assert hire.amounts[1].value == 6e6
    assert hire.metric == "sales people"
    post = parse("Post three articles a week")
    [amount] = post.amounts
    assert (amount.value, amount.unit, amount.role, amount.noun) == (
        3.0,
        "count / week",
        Role.RATE,
        "articles",
    )
    emails = parse("Answer 20 more customer emails per day")
    assert emails.amounts[0].role is Role.RELATIVE
    assert emails.change is Change.INCREASE
    assert emails.change_source == "comparative"


def test_multipliers_and_fractions() -> None:
    double = parse("Double online sales by end of FY2027", fye=(6, 30))
    assert double.change is Change.INCREASE
    assert (double.amounts[0].value, double.amounts[0].role) == (2.0, Role.MULTIPLIER)
    assert double.deadline is not None
    assert double.deadline.end == date(2027, 6, 30)
    halve = parse("Halve the backlog of housing repairs")
    assert halve.change is Change.DECREASE
    assert halve.amounts[0].value == 0.5
    by_half = parse("Reduce rough sleeping by half")
    assert (by_half.amounts[0].value, by_half.amounts[0].role) == (50.0, Role.RELATIVE)
    assert parse("Deploy 10x more often").amounts[0].role is Role.MULTIPLIER


def test_percent_versus_percentage_points() -> None:
    points = parse("Raise the pass rate by 5 percentage points")
    percent = parse("Raise the pass rate by 5%")
    assert points.amounts[0].points
    assert not percent.amounts[0].points
    assert points.amounts[0].unit == percent.amounts[0].unit == "percent"


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("by Q3 2026", date(2026, 9, 30)),
        ("by end of FY2027", date(2027, 6, 30)),
        ("by December 2026", date(2026, 12, 31)),
        ("in 2026", date(2026, 12, 31)),
        ("through 2026", date(2026, 12, 31)),
        ("before 2030", date(2029, 12, 31)),
        ("by 2030", date(2030, 12, 31)),
        ("in the next year", date(2027, 3, 1)),
        ("within 6 months", date(2026, 9, 1)),
        ("next quarter", date(2026, 6, 30)),
        ("by the end of next year", date(2027, 12, 31)),
        ("by 31 March 2027", date(2027, 3, 31)),
        ("by H1 2027", date(2027, 6, 30)),
        ("by 2026-Q4", date(2026, 12, 31)),
        ("by the third quarter of 2026", date(2026, 9, 30)),
        ("by the end of Q1", date(2026, 3, 31)),
        ("this financial year", date(2026, 6, 30)),
        ("in the next financial year", date(2027, 6, 30)),
        ("by the end of the year", date(2026, 12, 31)),
        ("by October", date(2026, 10, 31)),
        ("this winter", date(2027, 2, 28)),
    ],
)
def test_deadlines(text: str, end: date) -> None:
    p = parse(f"Raise the pass rate from 60% to 70% {text}", fye=(6, 30))
    assert p.deadline is not None, text
    assert p.deadline.end == end
    assert p.deadline_span is not None
    assert p.text[p.deadline_span[0] : p.deadline_span[1]] == text


@pytest.mark.parametrize(
    "text",
    [
        "Answer 90% of calls within 30 seconds",
        "Process 95% of claims within 10 days",
        "Close the accounts in 5 days instead of 9",
        "Match homes to households within 21 days, down from 45",
        "Sustain tenancies for 12 months",
    ],
)
def test_durations_that_are_measures_not_deadlines(text: str) -> None:
    assert parse(text).deadline is None


def test_years_and_labels_are_not_amounts() -> None:
    assert [
        a.value for a in parse("Raise the Year 6 reading pass rate from 68% to 80%").amounts
    ] == [
        68.0,
        80.0,
    ]
    assert parse("Achieve ISO 14001 certification by 2027").amounts == ()
    assert parse("Add 2000 homes").amounts[0].value == 2000.0


def test_maintain_and_direction_from_numbers() -> None:
    keep = parse("Keep the video-visit platform available 99.9% of clinic hours through 2026")
    assert keep.change is Change.MAINTAIN
    moved = parse("Keep events free of disruption, from 6 disrupted events to none")
    assert moved.change is Change.DECREASE
    assert moved.change_source == "amounts"
    down = parse("Match vacated homes to households within 21 days, down from 45")
    assert down.change is Change.DECREASE


def test_polar_verbs_follow_the_measure() -> None:
    faster = parse("Improve ticket resolution time")
    assert faster.change is Change.DECREASE
    assert faster.change_source == "polarity"
    assert faster.strong_change is None
    assert parse("Improve the pass rate").change is Change.INCREASE


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hold monthly recruitment fairs", EvidenceKind.ACTIVITY),
        ("Post three articles a week", EvidenceKind.OUTPUT),
        ("Submit 20% more grant applications", EvidenceKind.OUTPUT),
        ("Cut the time to fill a vacancy from 75 to 30 days", EvidenceKind.RESULT),
        ("Reduce the number of meetings by 30%", EvidenceKind.RESULT),
        ("Increase the number of sales calls made per week to 200", EvidenceKind.ACTIVITY),
        ("Launch the patient portal by June 2026", EvidenceKind.OUTPUT),
        ("Answer 90% of calls within 30 seconds", EvidenceKind.RESULT),
        ("Hire 3 sales people and ramp each to $6m ARR", EvidenceKind.RESULT),
        ("Hold quarterly workshops to reduce staff turnover", EvidenceKind.ACTIVITY),
    ],
)
def test_classification(text: str, kind: EvidenceKind) -> None:
    found = classify_statement(text)
    assert found.kind is kind
    if found.span is not None:
        located = text[found.span[0] : found.span[1]].lower()
        assert located.split()[0] == found.cue.lower().split()[0]


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Improve customer experience", True),
        ("Deliver a world-class library service", True),
        ("Leverage AI to drive innovation", True),
        ("Improve ticket resolution time", False),
        ("Improve customer satisfaction from 72% to 80%", False),
        ("Raise corporate productivity", False),
        ("Keep the energy certificate at grade B or better", False),
    ],
)
def test_vague(text: str, vague: bool) -> None:
    verdict, words = is_vague(text)
    assert verdict is vague
    if vague:
        assert words


def _example_statements() -> list[tuple[str, str]]:
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for goal in document.get("goals", []):
            found.append((path.name, goal["statement"]))
    return found


def test_example_statements_parse_sensibly() -> None:
    statements = _example_statements()
    assert len(statements) >= 15
    for name, text in statements:
        p = parse(text)
        assert p.text == text
        for amount in p.amounts:
            assert text[amount.span[0] : amount.span[1]] == amount.text
        has_number = any(ch.isdigit() for ch in text.replace("2026", "").replace("2027", ""))
        if p.metric is None:
            assert not has_number, (name, text)
    by_text = {text: parse(text) for _, text in statements}
    wait = by_text["Cut the median social-housing wait from 26 to 18 months by June 2027"]
    assert (wait.change, [a.value for a in wait.amounts]) == (Change.DECREASE, [26.0, 18.0])
    assert wait.amounts[0].unit == wait.amounts[1].unit == "month"
    assert wait.deadline is not None
    assert wait.deadline.end == date(2027, 6, 30)
    us = by_text["Increase US territory sales by 30%, from $60m to $78m, by December 2026"]
    assert us.metric == "us territory sales"
    assert [(a.value, a.role) for a in us.amounts] == [
        (30.0, Role.RELATIVE),
        (60e6, Role.BASELINE),
        (78e6, Role.TARGET),
    ]
    assert is_vague(by_text["Raise corporate productivity"]) == (False, ())


def test_caching_returns_the_same_object() -> None:
    assert parse("Cut waiting times by 20%") is parse("Cut waiting times by 20%")


def test_language_registry() -> None:
    english = get_language("en")
    assert isinstance(english, LanguagePack)
    with pytest.raises(UnknownLanguageError):
        get_language("xx-test")
    with pytest.raises(UnknownLanguageError):
        parse_statement("Erhöhe den Umsatz um 10%", language="xx-test")


def test_a_registered_language_is_used() -> None:
    import attrs

    english = get_language("en")
    pidgin = attrs.evolve(
        english,
        code="en-test",
        increase_verbs=english.increase_verbs | {"pump"},
    )
    register_language("en-test", pidgin)
    assert parse_statement("Pump sales by 10%", AS_OF, "en-test").change is Change.INCREASE
    assert parse_statement("Pump sales by 10%", AS_OF, "en").change is None


def _check_reading(text: str) -> None:
    """The invariants of any reading: it never raises, and every span is inside the text and
    points at the part it names."""
    p = parse_statement(text, AS_OF)
    assert p.text == text
    spans = [a.span for a in p.amounts]
    spans += [s for s in (p.metric_span, p.deadline_span, p.head_span) if s is not None]
    spans += [c.span for c in p.cues]
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
    for amount in p.amounts:
        assert text[amount.span[0] : amount.span[1]] == amount.text
    for cue in p.cues:
        assert text[cue.span[0] : cue.span[1]].lower() == cue.text.lower()
    if p.deadline is not None and p.deadline_span is not None:
        assert text[p.deadline_span[0] : p.deadline_span[1]] == p.deadline.text
    classify_statement(p)
    is_vague(p)


@given(st.text())
def test_never_raises_and_spans_stay_inside(text: str) -> None:
    _check_reading(text)


_WORDS = st.sampled_from(
    [
        *("increase", "reduce", "by", "from", "to", "30%", "$6m", "2026", "Q3", "within"),
        *("6", "months", "next", "year", "the", "sales", "time", "hold", "meetings"),
        *("double", "halve", "of", "per", "day", "a", "week", ",", ".", "-", "1,500"),
        *("homes", "FY2027", "before", "end", "instead", "up", "down", "none", "half"),
    ]
)


@given(st.lists(_WORDS, max_size=14).map(" ".join))
def test_never_raises_on_statement_like_text(text: str) -> None:
    _check_reading(text)
