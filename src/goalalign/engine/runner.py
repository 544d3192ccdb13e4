"""Running the selected rules over a cascade and turning their hits into findings."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Suppression
from goalalign.engine.config import Config, ConfigError
from goalalign.engine.context import CheckContext
from goalalign.engine.findings import Finding, Hit, SubjectKind
from goalalign.engine.registry import BrokenPlugin, Registry, default_registry
from goalalign.engine.rule import Rule

__all__ = ["Progress", "RunResult", "SuppressedFinding", "effective_config", "run_rules"]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while a check runs."""


@attrs.frozen(slots=True)
class SuppressedFinding:
    """A finding switched off on its goal or team, kept with the reason for the record."""

    finding: Finding
    reason: str | None
    where: str

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.finding.to_dict(),
            "suppressed": {"where": self.where, "reason": self.reason},
        }


@attrs.frozen(slots=True)
class RunResult:
    """What the rules found, what was suppressed, and which plugins could not load."""

    findings: tuple[Finding, ...]
    suppressed: tuple[SuppressedFinding, ...]
    rules: tuple[Rule, ...]
    broken_plugins: tuple[BrokenPlugin, ...]
    context: CheckContext = attrs.field(eq=False, repr=False)


def effective_config(cascade: Cascade, config: Config | None) -> Config:
    """The caller's config refined by the document's own ``config:`` mapping."""
    base = config or Config()
    if cascade.settings:
        return base.merge(Config.from_mapping(cascade.settings, where="document config"))
    return base


def select_rules(registry: Registry, config: Config) -> list[Rule]:
    """The rules ``config`` selects and does not ignore, in code order."""
    for selector in (*config.select, *config.ignore, *config.severity, *config.options):
        if selector not in ("ALL", "all", "*") and not registry.known_selector(selector):
            names = [r.name for r in registry] + sorted(registry.families())
            close = difflib.get_close_matches(selector, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"no rule or family is called {selector!r}{hint}")
    return [
        r
        for r in registry
        if any(registry.matches(s, r) for s in config.select)
        and not any(registry.matches(s, r) for s in config.ignore)
    ]


def rule_options(item: Rule, config: Config) -> dict[str, Any]:
    """The rule's option defaults overridden by the config (by name or code)."""
    options = item.meta.option_defaults()
    declared = {o.name: o for o in item.meta.options}
    for key in (item.code, item.name):
        for option_name, value in config.options.get(key, {}).items():
            option = declared.get(str(option_name).replace("-", "_")) or declared.get(
                str(option_name)
            )
            if option is None:
                raise ConfigError(
                    f"rule {item.name!r} has no option {option_name!r}; "
                    f"its options: {', '.join(declared) or 'none'}"
                )
            try:
                options[option.name] = option.coerce(value)
            except TypeError as exc:
                raise ConfigError(f"rule {item.name!r}: {exc}") from None
    return options


def run_rules(
    cascade: Cascade,
    config: Config | None = None,
    *,
    registry: Registry | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run every selected rule once over ``cascade``; findings come back sorted."""
    if registry is None:
        registry = default_registry()
    config = effective_config(cascade, config)
    context = CheckContext(cascade, config)
    selected = select_rules(registry, config)
    findings: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for index, item in enumerate(selected):
        if progress is not None:
            progress(item.name, index, len(selected))
        options = rule_options(item, config)
        severity = (
            config.severity.get(item.name) or config.severity.get(item.code) or item.meta.severity
        )
        for hit in item.check(context, options):
            finding = _finding(cascade, item, severity, hit)
            suppression = _suppression(cascade, finding)
            if suppression is None:
                findings.append(finding)
            else:
                where, reason = suppression
                suppressed.append(SuppressedFinding(finding, reason, where))
    if progress is not None:
        progress("rules", len(selected), len(selected))
    findings.sort(key=Finding.sort_key)
    suppressed.sort(key=lambda s: s.finding.sort_key())
    return RunResult(
        tuple(findings), tuple(suppressed), tuple(selected), tuple(registry.broken), context
    )


def _goal_of_subject(cascade: Cascade, kind: SubjectKind, subject_id: str) -> str | None:
    if kind in (SubjectKind.GOAL, SubjectKind.LINK):
        return subject_id
    if kind is SubjectKind.KPI:
        kpi = cascade.kpi(subject_id)
        return None if kpi is None else kpi.goal
    return None


def _finding(cascade: Cascade, item: Rule, severity: Any, hit: Hit) -> Finding:
    subject = hit.subject
    goal_id = _goal_of_subject(cascade, subject.kind, subject.id)
    goal = cascade.goal(goal_id) if goal_id is not None else None
    team = hit.team
    if team is None:
        if subject.kind is SubjectKind.TEAM:
            team = subject.id
        elif goal is not None:
            team = goal.team
    location = None
    if goal is not None:
        location = cascade.goal_location(goal.id)
    elif subject.kind is SubjectKind.TEAM:
        location = cascade.team_location(subject.id)
    line = cascade.source.line_of(location) if location else None
    return Finding(
        rule=item.name,
        code=item.code,
        severity=severity,
        subject=subject,
        message=hit.message,
        fix=hit.fix or item.meta.fix,
        related=hit.related,
        evidence=hit.evidence,
        team=team,
        family=item.meta.family,
        line=line,
    )


def _matching(suppressions: Iterable[Suppression], finding: Finding) -> Suppression | None:
    for suppression in suppressions:
        if suppression.rule in (finding.rule, finding.code, finding.family):
            return suppression
    return None


def _suppression(cascade: Cascade, finding: Finding) -> tuple[str, str | None] | None:
    goal_id = _goal_of_subject(cascade, finding.subject.kind, finding.subject.id)
    goal = cascade.goal(goal_id) if goal_id is not None else None
    if goal is not None:
        hit = _matching(goal.ignore, finding)
        if hit is not None:
            return (f"goal {goal.id}", hit.reason)
    team = cascade.team(finding.team) if finding.team is not None else None
    if team is not None:
        hit = _matching(team.ignore, finding)
        if hit is not None:
            return (f"team {team.id}", hit.reason)
    return None
