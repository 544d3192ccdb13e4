"""The ``kpis`` rules: missing baselines, activity KPIs, orphan KPIs and direction conflicts."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import KPI, EvidenceKind
from goalalign.engine.findings import Finding, Severity, SubjectKind
from goalalign.engine.registry import Registry, builtin_rules
from goalalign.engine.rule import Rule
from goalalign.engine.runner import run_rules
from goalalign.loading import loads
from goalalign.rules.kpis import (
    activity_kpi,
    kpi_direction_conflict,
    missing_baseline,
    orphan_kpi,
)
from goalalign.text.classify import classify_kpi, classify_kpis

KPIS = (missing_baseline, activity_kpi, orphan_kpi, kpi_direction_conflict)


def findings(cascade: Cascade, *rules: Rule) -> list[Finding]:
    return list(run_rules(cascade, registry=Registry(rules)).findings)


def cascade_of(
    statement: str, *kpis: dict[str, Any], top: list[dict[str, Any]] | None = None
) -> Cascade:
    goal: dict[str, Any] = {"id": "g", "team": "t", "statement": statement, "deadline": "2027"}
    if kpis:
        goal["kpis"] = list(kpis)
    doc: dict[str, Any] = {
        "goalalign": 1,
        "organisation": {"name": "Test", "as_of": "2026-01-15"},
        "teams": [{"id": "t"}],
        "goals": [goal],
    }
    if top:
        doc["kpis"] = top
    return loads(yaml.safe_dump(doc, sort_keys=False))


def kpi(name: str, **fields: Any) -> dict[str, Any]:
    return {"id": "k", "name": name, **fields}


@pytest.mark.parametrize("item", KPIS, ids=lambda r: r.name)
def test_bad_example_triggers_the_rule_and_good_does_not(item: Rule) -> None:
    bad = findings(loads(item.meta.bad), item)
    assert [f.rule for f in bad] == [item.name]
    assert bad[0].severity is Severity.WARNING
    assert bad[0].family == "kpis"
    assert "source" in bad[0].evidence
    assert findings(loads(item.meta.good), item) == []


@pytest.mark.parametrize("item", KPIS, ids=lambda r: r.name)
def test_bad_example_triggers_nothing_else_of_the_registry(item: Rule) -> None:
    everything = Registry(builtin_rules())
    found = run_rules(loads(item.meta.bad), registry=everything).findings
    assert {f.rule for f in found} == {item.name}
    assert list(run_rules(loads(item.meta.good), registry=everything).findings) == []


# -- missing-baseline ---------------------------------------------------------------------------


def test_missing_baseline_from_kpi_fields() -> None:
    cascade = cascade_of("Cut waiting times", kpi("Median wait", unit="day", target=16))
    [finding] = findings(cascade, missing_baseline)
    assert finding.subject.kind is SubjectKind.KPI
    assert finding.evidence["source"] == "kpi"
    assert "KPI's fields" in finding.message
    complete = cascade_of(
        "Cut waiting times", kpi("Median wait", unit="day", baseline=20, target=16)
    )
    assert findings(complete, missing_baseline) == []


def test_a_kpi_without_a_target_needs_no_baseline() -> None:
    assert (
        findings(cascade_of("Cut waiting times", kpi("Median wait", unit="day")), missing_baseline)
        == []
    )


def test_missing_baseline_falls_back_on_the_statement_without_kpis() -> None:
    [finding] = findings(cascade_of("Cut the median wait to 16 days"), missing_baseline)
    assert finding.subject.kind is SubjectKind.GOAL
    assert finding.evidence["source"] == "statement"
    assert "read from the statement" in finding.message
    assert findings(cascade_of("Cut the median wait from 20 to 16 days"), missing_baseline) == []
    assert findings(cascade_of("Cut the median wait by 20%"), missing_baseline) == []
    assert findings(cascade_of("Cut the median wait"), missing_baseline) == []


@pytest.mark.parametrize(
    "statement",
    [
        "Keep customer returns below 0.5% of units shipped",  # a standard to keep
        "Pay 98% of supplier invoices within 30 days",  # a standard to meet
        "Reduce lost-time injuries to zero",  # zero needs no starting point
        "Reach $1.2bn in annual sales",  # no direction of change stated
    ],
)
def test_standards_and_zero_targets_need_no_baseline(statement: str) -> None:
    assert findings(cascade_of(statement), missing_baseline) == []


# -- activity-kpi -------------------------------------------------------------------------------


def test_activity_kpi_reads_the_name() -> None:
    cascade = cascade_of("Cut vacancies", kpi("Number of recruitment fairs held", unit="count"))
    [finding] = findings(cascade, activity_kpi)
    assert finding.evidence == {"source": "name", "kind": "activity", "cue": "fairs"}


def test_the_evidence_field_wins_over_the_name() -> None:
    declared_result = kpi("Number of recruitment fairs held", unit="count", evidence="result")
    assert findings(cascade_of("Cut vacancies", declared_result), activity_kpi) == []
    declared_output = kpi("Median days to fill a vacancy", unit="day", evidence="output")
    [finding] = findings(cascade_of("Cut vacancies", declared_output), activity_kpi)
    assert finding.evidence["source"] == "kpi"
    assert "declared" in finding.message


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Number of training sessions held", EvidenceKind.ACTIVITY),
        ("Sales calls made per week", EvidenceKind.ACTIVITY),
        ("Articles posted", EvidenceKind.OUTPUT),
        ("Grant applications submitted", EvidenceKind.OUTPUT),
        ("Emails answered per day", EvidenceKind.OUTPUT),
        ("Median wait for social housing", EvidenceKind.RESULT),
        ("Contract renewal rate", EvidenceKind.RESULT),
        ("Customer satisfaction score", EvidenceKind.RESULT),
        ("Revenue", EvidenceKind.RESULT),
        ("Defects per thousand units", EvidenceKind.RESULT),
        ("Days from vacancy to new tenancy", EvidenceKind.RESULT),
        ("Homes delivered through new models", EvidenceKind.RESULT),
    ],
)
def test_classify_kpi(name: str, kind: EvidenceKind) -> None:
    assert classify_kpi(KPI(id="k", name=name)).kind is kind


_NAME_PARTS = (
    "number of",
    "training sessions",
    "held",
    "sales calls made",
    "Articles posted",
    "grant applications submitted",
    "emails answered",
    "per day",
    "Median wait for",
    "social housing",
    "contract renewal rate",
    "customer satisfaction score",
    "revenue",
    "defects",
    "days from vacancy",
    "to new tenancy",
)


@given(st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=6))
def test_classify_kpi_reads_ascii_and_other_names_alike(words: list[str]) -> None:
    # ASCII names take a fast path; a trailing dash sends the same words down the general one
    name = " ".join(words).capitalize()
    ascii_reading = classify_kpi(KPI(id="k", name=name))
    general_reading = classify_kpi(KPI(id="k", name=name + " \u2014"))
    assert (ascii_reading.kind, ascii_reading.cue, ascii_reading.span) == (
        general_reading.kind,
        general_reading.cue,
        general_reading.span,
    )


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=4),
            st.sampled_from([None, "day", "count", "percent", "EUR", "week"]),
            st.sampled_from([None, *EvidenceKind]),
        ),
        max_size=12,
    )
)
def test_classify_kpis_reads_each_kpi_as_classify_kpi_does(
    specs: list[tuple[list[str], str | None, EvidenceKind | None]],
) -> None:
    # names and units repeat across KPIs, so the shared readings are exercised
    kpis = [
        KPI(id=f"k{i}", name=" ".join(words), unit=unit, evidence=evidence)
        for i, (words, unit, evidence) in enumerate(specs)
    ]
    assert classify_kpis(kpis) == {kpi.id: classify_kpi(kpi) for kpi in kpis}


def test_classify_kpi_reads_a_result_unit_before_the_name() -> None:
    found = classify_kpi(KPI(id="k", name="Number of training sessions held", unit="day"))
    assert (found.kind, found.cue, found.source) == (EvidenceKind.RESULT, "day", "name")


def test_classify_kpi_takes_a_declared_evidence_at_its_word() -> None:
    found = classify_kpi(
        KPI(id="k", name="Median wait for social housing", evidence=EvidenceKind.OUTPUT)
    )
    assert (found.kind, found.cue, found.source) == (
        EvidenceKind.OUTPUT,
        "evidence",
        "evidence-field",
    )


# -- orphan-kpi ---------------------------------------------------------------------------------


def test_orphan_kpi() -> None:
    top = [{"id": "loose", "name": "Net promoter score", "unit": "count"}]
    [finding] = findings(cascade_of("Cut waiting times", top=top), orphan_kpi)
    assert finding.subject.id == "loose"


def test_a_kpi_naming_a_missing_goal_is_not_an_orphan() -> None:
    top = [{"id": "lost", "goal": "nowhere", "name": "Net promoter score", "unit": "count"}]
    assert findings(cascade_of("Cut waiting times", top=top), orphan_kpi) == []


# -- kpi-direction-conflict ------------------------------------------------------------------------


def test_declared_direction_against_own_numbers() -> None:
    cascade = cascade_of(
        "Cut the median wait",
        kpi("Median wait", unit="day", baseline=20, target=16, direction="increase"),
    )
    [finding] = findings(cascade, kpi_direction_conflict)
    assert finding.evidence["source"] == "kpi"
    assert "below" in finding.message


def test_kpi_direction_against_the_statement() -> None:
    cascade = cascade_of(
        "Cut the median wait by 20%", kpi("Median wait", unit="day", baseline=16, target=20)
    )
    [finding] = findings(cascade, kpi_direction_conflict)
    assert finding.evidence["source"] == "statement"
    assert finding.evidence["statement_change"] == "decrease"
    assert finding.related[0].id == "g"


@pytest.mark.parametrize(
    ("statement", "kpi_fields"),
    [
        # agrees
        ("Cut the median wait by 20%", {"baseline": 20, "target": 16}),
        # a different measure that rightly moves the other way
        (
            "Cut the median wait by 20%",
            {"name": "Share of patients seen within 4 hours", "baseline": 60, "target": 80},
        ),
        # direction guessed from 'improve' is too weak to contradict anything
        ("Improve the median wait", {"baseline": 16, "target": 20}),
        # maintain is not a direction to contradict
        (
            "Keep the median wait under 20 days",
            {"baseline": 16, "target": 20, "direction": "maintain"},
        ),
    ],
)
def test_no_direction_conflict(statement: str, kpi_fields: dict[str, Any]) -> None:
    fields = {"name": "Median wait", "unit": "day", **kpi_fields}
    cascade = cascade_of(statement, kpi(fields.pop("name"), **fields))
    assert findings(cascade, kpi_direction_conflict) == []
