"""Running the selected rules over a cascade and turning their hits into findings."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from goalalign._collector import collector_paused
from goalalign.domain.cascade import Cascade
from goalalign.domain.model import Goal, Suppression
from goalalign.engine.config import Config, ConfigError
from goalalign.engine.context import CheckContext, sources_of
from goalalign.engine.findings import Finding, Ref, SubjectKind
from goalalign.engine.parallel import can_fork, families, run_families
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
    workers: int = 1,
    prepare: Sequence[Callable[[CheckContext], Any]] = (),
) -> RunResult:
    """Run every selected rule once over ``cascade``; findings come back sorted.

    ``workers`` above 1 lets a large check run its rules in that many processes
    (:mod:`goalalign.engine.parallel`); the findings are the same either way. ``prepare``
    lists analyses the caller reads from :attr:`RunResult.context` after the rules: when the
    rules run in several processes, this process derives them while the forked processes
    start on their first families, so that they are ready here once the findings are in.
    """
    if registry is None:
        registry = default_registry()
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    config = effective_config(cascade, config)
    context = CheckContext(cascade, config)
    selected = select_rules(registry, config)
    with collector_paused():
        if workers > 1 and can_fork(cascade):
            findings, suppressed = _run_in_processes(
                cascade, config, context, selected, progress, workers, prepare
            )
        else:
            findings, suppressed = _run_selected(cascade, config, context, selected, progress)
        if progress is not None:
            progress("rules", len(selected), len(selected))
        findings.sort(key=Finding.sort_key)
        suppressed.sort(key=lambda s: s.finding.sort_key())
    return RunResult(
        tuple(findings), tuple(suppressed), tuple(selected), tuple(registry.broken), context
    )


def _run_in_processes(
    cascade: Cascade,
    config: Config,
    context: CheckContext,
    selected: list[Rule],
    progress: Progress | None,
    workers: int,
    prepare: Sequence[Callable[[CheckContext], Any]],
) -> tuple[list[Finding], list[SuppressedFinding]]:
    """The selected rules run by family in ``workers`` processes (see
    :mod:`goalalign.engine.parallel`): the families this process takes run in ``context``,
    which the team assessments then reuse; a forked process runs its own in a branch of
    ``context`` as it was when the process forked. The ``prepare`` analyses are derived here
    as the forked processes start, before this process claims a family: the families that
    read them (the false-alignment family reads the chains) then tend to fall to this
    process, and a family that needs none of them (the statement readers) to a forked one.
    ``progress`` hears of this process's rules as they start and of the others' once all
    findings are in."""
    groups = families(selected)
    told = _Told(progress, len(selected))

    def here(group: Sequence[Rule]) -> tuple[list[Finding], list[SuppressedFinding]]:
        return _run_selected(cascade, config, context, group, told)

    def elsewhere() -> Callable[[Sequence[Rule]], Any]:
        own = context.branch()  # in a forked process: the context as it was at the fork
        return lambda group: _run_selected(cascade, config, own, group, None)

    def prepared() -> None:
        for analysis in prepare:
            analysis(context)

    findings: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for found, kept in run_families(groups, here, elsewhere, workers, prepared):
        findings.extend(found)
        suppressed.extend(kept)
    told.catch_up(selected)
    return findings, suppressed


class _Told:
    """A progress callback fed by several families: it numbers their rules in the order it
    hears of them, out of the whole check's total, and afterwards tells of the rules that
    other processes ran (:meth:`catch_up`)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self._total = total
        self._heard: set[str] = set()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(stage, len(self._heard), self._total)
        self._heard.add(stage)

    def catch_up(self, rules: Sequence[Rule]) -> None:
        """Tell of each of ``rules`` not heard of yet, in their order."""
        for item in rules:
            if item.name not in self._heard:
                self(item.name, 0, 0)


def _run_selected(
    cascade: Cascade,
    config: Config,
    context: CheckContext,
    selected: Sequence[Rule],
    progress: Progress | None,
) -> tuple[list[Finding], list[SuppressedFinding]]:
    """Runs the rules and turns their hits into findings.

    :func:`run_rules` calls this with the cyclic collector paused: the rules and the engine
    allocate hundreds of thousands of small objects (hits, findings, evidence) that form no
    cycles, and each generation-2 collection would re-walk the whole cascade. Reference
    counting still frees them; the collector runs again once the rules are done.
    """
    findings: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    places = _Places(cascade)
    frees = _AnalysisLifetimes(selected)
    for index, item in enumerate(selected):
        if progress is not None:
            progress(item.name, index, len(selected))
        options = rule_options(item, config)
        severity = (
            config.severity.get(item.name) or config.severity.get(item.code) or item.meta.severity
        )
        fix, family = item.meta.fix, item.meta.family
        for hit in item.check(context, options):
            goal, team, line = places.of(hit.subject)
            finding = Finding(
                rule=item.name,
                code=item.code,
                severity=severity,
                subject=hit.subject,
                message=hit.message,
                fix=hit.fix or fix,
                related=hit.related,
                evidence=hit.evidence,
                team=team if hit.team is None else hit.team,
                family=family,
                line=line,
            )
            suppression = _suppression(cascade, goal, finding) if places.suppressions else None
            if suppression is None:
                findings.append(finding)
            else:
                where, reason = suppression
                suppressed.append(SuppressedFinding(finding, reason, where))
        frees.after(index, context)
    return findings, suppressed


class _AnalysisLifetimes:
    """When each shared analysis can go: right after the last selected rule that uses it.

    Rules declare the analyses they read (:attr:`RuleMeta.uses`). Holding them all to the end
    of a check would add up to kilobytes per goal (parsed statements, text features, roll-ups),
    which is what decides whether a million goals fit in memory. Before freeing an analysis,
    the analyses :func:`~goalalign.engine.context.built_from` it that a later rule still needs,
    itself or through another analysis, are built, so nothing is computed twice; only those:
    a large analysis built from a small one made from the source waits for its own rule.
    """

    def __init__(self, selected: Sequence[Rule]) -> None:
        last_user: dict[Callable[..., Any], int] = {}
        for index, item in enumerate(selected):
            for analysis in item.meta.uses:
                last_user[analysis] = index
        self._selected = selected
        self._ending: dict[int, list[Callable[..., Any]]] = {}
        for analysis, index in last_user.items():
            self._ending.setdefault(index, []).append(analysis)

    def after(self, index: int, context: CheckContext) -> None:
        """Free the analyses whose last user was rule ``index``."""
        for analysis in self._ending.get(index, ()):
            if not context.has(analysis):
                continue
            for later in self._selected[index + 1 :]:
                for needed in later.meta.uses:
                    if context.has(needed):
                        continue
                    for made in _made_from(analysis, needed):
                        if not context.has(made):
                            context.derive(made)
            context.forget(analysis)


def _made_from(source: Callable[..., Any], needed: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The analyses built straight from ``source`` that ``needed`` is built from, itself
    included, directly or through other analyses (see
    :func:`~goalalign.engine.context.built_from`), deepest first."""
    found: list[Callable[..., Any]] = []
    stack, seen = [needed], {needed}
    while stack:
        analysis = stack.pop()
        sources = sources_of(analysis)
        if source in sources:
            found.append(analysis)
        for item in sources:
            if item not in seen:
                seen.add(item)
                stack.append(item)
    return found[::-1]


class _Places:
    """Per-subject look-ups (goal, team, source line), made once per subject and reused.

    A large cascade yields more findings than goals, many on the same subject; resolving a
    subject's goal, team and line once keeps the per-finding cost of the engine to building
    the finding itself. ``suppressions`` is false when no goal or team has an ``ignore:``
    list, so the engine can skip the suppression check for every finding.
    """

    def __init__(self, cascade: Cascade) -> None:
        self._cascade = cascade
        self._cache: dict[tuple[SubjectKind, str], tuple[Goal | None, str | None, int | None]]
        self._cache = {}
        self.suppressions = any(g.ignore for g in cascade.goals) or any(
            t.ignore for t in cascade.teams
        )

    def of(self, subject: Ref) -> tuple[Goal | None, str | None, int | None]:
        """The subject's goal (for goal, link and KPI subjects), its team and its line."""
        key = (subject.kind, subject.id)
        place = self._cache.get(key)
        if place is None:
            place = self._cache[key] = self._resolve(subject.kind, subject.id)
        return place

    def _resolve(
        self, kind: SubjectKind, subject_id: str
    ) -> tuple[Goal | None, str | None, int | None]:
        cascade = self._cascade
        goal_id = _goal_of_subject(cascade, kind, subject_id)
        goal = cascade.goal(goal_id) if goal_id is not None else None
        team: str | None = None
        location: str | None = None
        if kind is SubjectKind.TEAM:
            team = subject_id
        elif goal is not None:
            team = goal.team
        if goal is not None:
            location = cascade.goal_location(goal.id)
        elif kind is SubjectKind.TEAM:
            location = cascade.team_location(subject_id)
        line = cascade.source.line_of(location) if location else None
        return goal, team, line


def _goal_of_subject(cascade: Cascade, kind: SubjectKind, subject_id: str) -> str | None:
    if kind in (SubjectKind.GOAL, SubjectKind.LINK):
        return subject_id
    if kind is SubjectKind.KPI:
        kpi = cascade.kpi(subject_id)
        return None if kpi is None else kpi.goal
    return None


def _matching(suppressions: Iterable[Suppression], finding: Finding) -> Suppression | None:
    for suppression in suppressions:
        if suppression.rule in (finding.rule, finding.code, finding.family):
            return suppression
    return None


def _suppression(
    cascade: Cascade, goal: Goal | None, finding: Finding
) -> tuple[str, str | None] | None:
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
