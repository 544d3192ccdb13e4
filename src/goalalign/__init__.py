"""goalalign: tell, with evidence, whether a goal cascade is aligned to its strategy, and rate it.

>>> import goalalign as ga
>>> cascade = ga.loads('''
... goalalign: 1
... organisation: {name: Example}
... teams: [{id: board}]
... goals:
...   - {id: s-growth, team: board, level: strategic,
...      statement: Grow revenue from $10m to $12m by 2027}
... ''')
>>> cascade.goal("s-growth").level
<Level.STRATEGIC: 'strategic'>
"""

from goalalign._version import __version__
from goalalign.analysis.progress import ProgressTable, progress
from goalalign.analysis.rollup import RollupAnalysis, rollup
from goalalign.analysis.three_questions import TeamAssessment, three_question_test
from goalalign.api import check
from goalalign.batch import CheckOutcome, check_many
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
from goalalign.loading import (
    LoadError,
    Problem,
    dump,
    dumps,
    from_dataframe,
    from_records,
    load,
    loads,
)
from goalalign.reporting import Report
from goalalign.reporting.frames import goals_frame, kpis_frame, links_frame, report_frame
from goalalign.reporting.results_map import GraphvizNotFoundError, ResultsMap, results_map
from goalalign.reporting.xmatrix import XMatrix, xmatrix
from goalalign.scoring.compare import Comparison, compare
from goalalign.scoring.score import Score
from goalalign.text.families import detect_families, register_family
from goalalign.text.statement import ParsedStatement, parse_statement

__all__ = [
    "KPI",
    "Aggregation",
    "Amount",
    "Cascade",
    "Change",
    "CheckContext",
    "CheckOutcome",
    "Comparison",
    "Config",
    "ConfigError",
    "Direction",
    "EvidenceKind",
    "Finding",
    "Goal",
    "GraphvizNotFoundError",
    "Hit",
    "Level",
    "Link",
    "LinkTarget",
    "LoadError",
    "Option",
    "Organisation",
    "ParsedStatement",
    "Period",
    "Problem",
    "ProgressTable",
    "Promise",
    "Ref",
    "Report",
    "ResultsMap",
    "RollupAnalysis",
    "Rule",
    "RuleMeta",
    "Score",
    "Severity",
    "Status",
    "SubjectKind",
    "Suppression",
    "Team",
    "TeamAssessment",
    "XMatrix",
    "__version__",
    "check",
    "check_many",
    "compare",
    "detect_families",
    "dump",
    "dumps",
    "from_dataframe",
    "from_records",
    "goals_frame",
    "kpis_frame",
    "links_frame",
    "load",
    "loads",
    "parse_statement",
    "progress",
    "register_family",
    "report_frame",
    "results_map",
    "rollup",
    "rule",
    "three_question_test",
    "use_registry",
    "xmatrix",
]
