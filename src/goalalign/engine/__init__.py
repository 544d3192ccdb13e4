"""The rule engine: rules and their metadata, the registry, configuration and the runner."""

from goalalign.engine.config import Config, ConfigError
from goalalign.engine.context import CheckContext, built_from
from goalalign.engine.findings import Finding, Hit, Ref, Severity, SubjectKind
from goalalign.engine.registry import Registry, RuleClashError, default_registry
from goalalign.engine.rule import Option, Rule, RuleMeta, rule
from goalalign.engine.runner import RunResult, SuppressedFinding, run_rules

__all__ = [
    "CheckContext",
    "Config",
    "ConfigError",
    "Finding",
    "Hit",
    "Option",
    "Ref",
    "Registry",
    "Rule",
    "RuleClashError",
    "RuleMeta",
    "RunResult",
    "Severity",
    "SubjectKind",
    "SuppressedFinding",
    "built_from",
    "default_registry",
    "rule",
    "run_rules",
]
