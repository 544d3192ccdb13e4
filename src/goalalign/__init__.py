"""goalalign: tell, with evidence, whether a goal cascade is aligned to its strategy, and rate it.

>>> import goalalign as ga
>>> cascade = ga.loads('''
... goalalign: 1
... organisation: {name: Example}
... teams: [{id: board}]
... goals:
...   - {id: s-growth, team: board, level: strategic, statement: Grow revenue from $10m to $12m by 2027}
... ''')
>>> cascade.goal("s-growth").level
<Level.STRATEGIC: 'strategic'>
"""

from goalalign._version import __version__
from goalalign.api import check
from goalalign.domain import (
    KPI,
    Aggregation,
    Amount,
    Cascade,
    Change,
    Direction,
    EvidenceKind,
    Goal,
    Level,
    Link,
    LinkTarget,
    Organisation,
    Period,
    Promise,
    Status,
    Suppression,
    Team,
)
from goalalign.domain.units import use_registry
from goalalign.engine import (
    CheckContext,
    Config,
    ConfigError,
    Finding,
    Hit,
    Option,
    Ref,
    Rule,
    RuleMeta,
    Severity,
    SubjectKind,
    rule,
)
from goalalign.loading import LoadError, Problem, load, loads
from goalalign.reporting import Report

__all__ = [
    "KPI",
    "Aggregation",
    "Amount",
    "Cascade",
    "Change",
    "CheckContext",
    "Config",
    "ConfigError",
    "Direction",
    "EvidenceKind",
    "Finding",
    "Goal",
    "Hit",
    "Level",
    "Link",
    "LinkTarget",
    "LoadError",
    "Option",
    "Organisation",
    "Period",
    "Problem",
    "Promise",
    "Ref",
    "Report",
    "Rule",
    "RuleMeta",
    "Severity",
    "Status",
    "SubjectKind",
    "Suppression",
    "Team",
    "__version__",
    "check",
    "load",
    "loads",
    "rule",
    "use_registry",
]
