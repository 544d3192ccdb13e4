"""Metric families: phrases to (family, polarity), local efficiency ratios, extensibility."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalalign.domain.model import Change
from goalalign.text.families import (
    DEFAULT_THESAURUS,
    Family,
    FamilyHit,
    Thesaurus,
    detect_families,
    register_family,
)


def _families(text: str) -> list[str]:
    return [hit.family for hit in detect_families(text)]


@pytest.mark.parametrize(
    ("text", "family", "polarity"),
    [
        ("Reduce operating expenditure by 8%", "cost", Change.DECREASE),
        ("Cut opex in the plant", "cost", Change.DECREASE),
        ("Grow ARR to $6m", "revenue", Change.INCREASE),
        ("Increase bookings in APAC", "revenue", Change.INCREASE),
        ("Shorten the lead time for spare parts", "time", Change.DECREASE),
        ("Cut ticket resolution time by 25%", "time", Change.DECREASE),
        ("Halve scrap on line 2", "quality", Change.DECREASE),
        ("Raise first pass yield to 97%", "quality", Change.INCREASE),
        ("Lift NPS from 30 to 45", "satisfaction", Change.INCREASE),
        ("Halve customer complaints", "satisfaction", Change.DECREASE),
        ("Reduce attrition among new hires", "retention", Change.DECREASE),
        ("Raise customer retention to 94%", "retention", Change.INCREASE),
        ("Fill vacancies in the night shift", "headcount", Change.DECREASE),
        ("Cut lost-time injuries from 40 to 20", "safety", Change.DECREASE),
        ("Add 1,500 homes in regional towns", "supply", Change.INCREASE),
        ("Raise productivity in the plant", "productivity", Change.INCREASE),
        ("Keep uptime of the platform above 99.9%", "availability", Change.INCREASE),
        ("Cut unplanned downtime", "availability", Change.DECREASE),
        ("Raise weekday foot traffic in the centre", "footfall", Change.INCREASE),
        ("Grow market share in Europe", "market-share", Change.INCREASE),
    ],
)
def test_phrases_map_to_family_and_polarity(text: str, family: str, polarity: Change) -> None:
    hits = detect_families(text)
    assert hits, text
    assert (hits[0].family, hits[0].polarity) == (family, polarity)


def test_neutral_phrases_have_no_polarity() -> None:
    (hit,) = detect_families("Keep headcount at 120")
    assert hit.family == "headcount"
    assert hit.polarity is None


def test_longest_phrase_wins_and_spans_point_into_the_text() -> None:
    text = "Lower customer churn and cut lead time"
    hits = detect_families(text)
    assert [(h.family, h.phrase) for h in hits] == [
        ("retention", "customer churn"),
        ("time", "lead time"),
    ]
    assert [text[h.span[0] : h.span[1]] for h in hits] == ["customer churn", "lead time"]


def test_plurals_hyphens_and_case_do_not_matter() -> None:
    assert _families("COSTS and Customer-Satisfaction") == ["cost", "satisfaction"]
    assert _families("on-time delivery") == _families("on time delivery") == ["delivery"]


def test_words_inside_other_words_are_not_phrases() -> None:
    assert _families("Publish the costume catalogue") == []
    assert _families("Reorder the timetable") == []


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("Reduce the cost per policy brief by 20%", "policy brief"),
        ("Cut time per ticket", "ticket"),
        ("Cost per hire is too high", "hire"),
        ("Lower the spend per new purchase order", "new purchase order"),
    ],
)
def test_local_efficiency_ratios_are_marked(text: str, per: str) -> None:
    hit = detect_families(text)[0]
    assert hit.ratio
    assert hit.per == per


def test_ratio_denominator_is_not_a_family_of_its_own() -> None:
    assert _families("Cut the cost per hire by 10%") == ["cost"]


@pytest.mark.parametrize(
    "text",
    [
        "Keep spend per capita flat",  # an average over people, not the team's output
        "Cut cost per year of the lease",  # a rate over time
        "Grow revenue per customer",  # an outcome family, not an input
        "Reduce cost of rework",  # no "per"
    ],
)
def test_rates_and_outcome_ratios_are_not_local_efficiency_ratios(text: str) -> None:
    assert not any(hit.ratio for hit in detect_families(text))


def test_register_family_extends_a_thesaurus() -> None:
    thesaurus = Thesaurus()
    register_family("bed-days", ["bed day"], polarity=Change.DECREASE, thesaurus=thesaurus)
    (hit,) = thesaurus.detect("Cut bed days lost to delayed discharge")
    assert (hit.family, hit.polarity) == ("bed-days", Change.DECREASE)
    assert detect_families("Cut bed days lost", thesaurus=thesaurus)[0].family == "bed-days"
    assert "bed-days" not in DEFAULT_THESAURUS.families


def test_adding_phrases_to_an_existing_family_keeps_the_old_ones() -> None:
    thesaurus = Thesaurus([Family("cost", {"cost": Change.DECREASE}, input=True)])
    thesaurus.add(Family("cost", {"tariff": Change.DECREASE}))
    assert [h.phrase for h in thesaurus.detect("cost and tariff")] == ["cost", "tariff"]
    assert thesaurus.is_input("cost")


def test_an_empty_thesaurus_finds_nothing() -> None:
    assert Thesaurus().detect("Reduce costs") == ()


@given(st.text(max_size=200))
def test_detection_never_raises_and_spans_are_ordered(text: str) -> None:
    hits = detect_families(text)
    ends = 0
    for hit in hits:
        assert 0 <= hit.span[0] < hit.span[1] <= len(text.lower())
        assert hit.span[0] >= ends
        ends = hit.span[1]


# -- the fast search finds what the pattern finds ----------------------------------------------

_PHRASES = sorted(
    {phrase for family in DEFAULT_THESAURUS.families.values() for phrase in family.phrases}
)
_FRAGMENTS = st.one_of(
    st.sampled_from(_PHRASES),
    st.sampled_from(_PHRASES).map(lambda p: p.replace(" ", "-") + "s"),
    st.sampled_from(["per", "a", "the", "each", "hire", "brief", "year", "customer", "x", "0"]),
    st.sampled_from([" ", "  ", "-", " - ", "\t", "\n", "\u00a0", ", ", ". ", "(", ")", "/"]),
    st.sampled_from(["'", "'s", "_", "@", "é", "İ", "2", "co2.5", "%", "$"]),
    st.text(max_size=3),
)


def _by_definition(thesaurus: Thesaurus, lower: str) -> tuple[FamilyHit, ...]:
    """:meth:`Thesaurus.detect_lower` as it is defined: every match of the phrase pattern,
    left to right, except phrases inside a ratio's denominator."""
    pattern = thesaurus.pattern
    assert pattern is not None
    hits: list[FamilyHit] = []
    skip_to = 0
    for match in pattern.finditer(lower):
        start, end = match.span()
        if start < skip_to:
            continue
        hit, stop = thesaurus.hit_at(lower, match.group(), start, end)
        skip_to = stop or skip_to
        hits.append(hit)
    return tuple(hits)


@given(st.lists(_FRAGMENTS, max_size=12).map("".join))
def test_detection_finds_exactly_the_pattern_matches(text: str) -> None:
    lower = text.lower()
    assert DEFAULT_THESAURUS.detect_lower(lower) == _by_definition(DEFAULT_THESAURUS, lower)


@pytest.mark.parametrize(
    "text",
    [
        "cost",  # at the very start: no character before it
        "x'cost per brief",
        "cut operating-cost and operating  cost, (opex) and on-time delivery",
        "costé cost_ 0cost cost0 co2 co2.5 -cost- /spend/",
        "cost per hire and time to hire per year",
    ],
)
def test_detection_at_edges_matches_the_definition(text: str) -> None:
    assert DEFAULT_THESAURUS.detect_lower(text) == _by_definition(DEFAULT_THESAURUS, text)
    assert DEFAULT_THESAURUS.detect_lower(text)


def test_spellings_of_one_phrase_give_one_phrase() -> None:
    spellings = ["operating cost", "operating-costs", "operating  \t cost", "operating - cost"]
    hits = [DEFAULT_THESAURUS.detect_lower(text) for text in spellings]
    assert [(h.family, h.phrase) for (h,) in hits] == [("cost", "operating cost")] * 4
    assert [h.span for (h,) in hits] == [(0, len(text)) for text in spellings]
