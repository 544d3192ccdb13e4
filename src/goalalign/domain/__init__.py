"""The domain core: the model of a goal cascade, its units and its periods.

Nothing here imports from the layers above (loading, rules, scoring, reporting, CLI).
"""

from goalalign.domain.cascade import Cascade, SourceMap
from goalalign.domain.model import (
    KPI,
    Aggregation,
    Amount,
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

__all__ = [
    "KPI",
    "Aggregation",
    "Amount",
    "Cascade",
    "Change",
    "Direction",
    "EvidenceKind",
    "Goal",
    "Level",
    "Link",
    "LinkTarget",
    "Organisation",
    "Period",
    "Promise",
    "SourceMap",
    "Status",
    "Suppression",
    "Team",
]
