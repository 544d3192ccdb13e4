"""What a check produces: findings about subjects, graded by severity."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Finding", "Hit", "Ref", "Severity", "SubjectKind"]


class Severity(enum.StrEnum):
    """How much a finding matters; ordered ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_SEVERITY_VALUE = {severity: severity.value for severity in Severity}


class SubjectKind(enum.StrEnum):
    """What a finding is about."""

    GOAL = "goal"
    TEAM = "team"
    KPI = "kpi"
    LINK = "link"
    ORGANISATION = "organisation"


@attrs.frozen(slots=True, order=True)
class Ref:
    """A reference to a part of the cascade by id; findings carry these, never copies.

    For a link, ``id`` is the source goal's id and ``target`` the goal (or promise) it points
    at, so two links of one goal stay distinct.
    """

    kind: SubjectKind
    id: str
    target: str | None = None

    @classmethod
    def goal(cls, goal_id: str) -> Ref:
        return cls(SubjectKind.GOAL, goal_id)

    @classmethod
    def team(cls, team_id: str) -> Ref:
        return cls(SubjectKind.TEAM, team_id)

    @classmethod
    def kpi(cls, kpi_id: str) -> Ref:
        return cls(SubjectKind.KPI, kpi_id)

    @classmethod
    def link(cls, source_goal_id: str, target: str | None) -> Ref:
        return cls(SubjectKind.LINK, source_goal_id, target)

    @classmethod
    def organisation(cls, name: str = "") -> Ref:
        return cls(SubjectKind.ORGANISATION, name)

    def to_dict(self) -> dict[str, str]:
        """The JSON form: ``{"kind": ..., "id": ...}`` (plus ``target`` for links)."""
        if self.target is None:
            return {"kind": _KIND_VALUE[self.kind], "id": self.id}
        return {"kind": _KIND_VALUE[self.kind], "id": self.id, "target": self.target}

    def sort_key(self) -> tuple[str, str, str]:
        """``(kind, id, target)`` as plain strings, for ordering findings."""
        return (_KIND_VALUE[self.kind], self.id, self.target or "")


_KIND_VALUE = {kind: kind.value for kind in SubjectKind}
"""Enum ``.value`` is a Python-level property; a report reads it hundreds of thousands of
times, so the JSON and sort paths look the plain string up here instead."""


@attrs.frozen(slots=True)
class Hit:
    """What a rule reports: the subject, the message and the evidence, without metadata.

    The engine turns each hit into a :class:`Finding` by adding the rule's name, code and
    configured severity, so a rule never decides its own severity.
    ``evidence`` holds JSON-ready values that back the message (similarities, amounts, the
    chain); ``team`` names the team the finding belongs to when the subject is not a team.
    """

    subject: Ref
    message: str
    fix: str = ""
    related: tuple[Ref, ...] = ()
    evidence: Mapping[str, Any] = attrs.field(factory=dict)
    team: str | None = None


@attrs.frozen(slots=True)
class Finding:
    """One reported problem, at its root cause."""

    rule: str
    code: str
    severity: Severity
    subject: Ref
    message: str
    fix: str = ""
    related: tuple[Ref, ...] = ()
    evidence: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)
    team: str | None = None
    family: str = ""
    line: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity across runs (rule, subject kind, subject id, link target), for diffs."""
        return (self.rule, self.subject.kind.value, self.subject.id, self.subject.target or "")

    def sort_key(self) -> tuple[Any, ...]:
        """Deterministic report order: severity (worst first), rule, subject, related."""
        subject = self.subject
        related = self.related
        return (
            -_SEVERITY_RANK[self.severity],
            self.rule,
            _KIND_VALUE[subject.kind],
            subject.id,
            subject.target or "",
            tuple([r.sort_key() for r in related]) if related else (),
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of SPEC section 4."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "code": self.code,
            "severity": _SEVERITY_VALUE[self.severity],
            "subject": self.subject.to_dict(),
            "related": [r.to_dict() for r in self.related] if self.related else [],
            "message": self.message,
            "fix": self.fix,
        }
        if self.team is not None:
            data["team"] = self.team
        if self.line is not None:
            data["line"] = self.line
        if self.evidence:
            data["evidence"] = dict(self.evidence)
        return data
