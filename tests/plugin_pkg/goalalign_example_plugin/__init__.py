"""An example third-party goalalign rule: a goal statement too long to remember.

A statement nobody can repeat from memory does not steer day-to-day decisions. The rule counts
words, so it is linear in the number of goals and needs no shared analysis.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from goalalign import CheckContext, Hit, Option, Ref, rule

__all__ = ["long_statement"]


@rule(
    name="long-statement",
    code="XPL101",
    family="example",
    severity="info",
    summary="A goal statement is too long to remember.",
    rationale=(
        "People act on goals they can repeat from memory. A statement that runs past a couple "
        "of lines usually packs several goals, or the plan for reaching one, into a single line."
    ),
    fix="Keep the result and its deadline in the statement; move the plan to the goal's notes.",
    options=[Option("max_words", 25, "Most words a goal statement may have.")],
    bad="""goalalign: 1
organisation: {name: Example}
teams: [{id: board}]
goals:
  - id: s-growth
    team: board
    level: strategic
    statement: >-
      Grow recurring revenue from $10m to $12m by December 2027 by hiring three sales people,
      opening an office in the north, renewing the partner programme and refreshing the website
    deadline: 2027-12
""",
    good="""goalalign: 1
organisation: {name: Example}
teams: [{id: board}]
goals:
  - id: s-growth
    team: board
    level: strategic
    statement: Grow recurring revenue from $10m to $12m by December 2027
    deadline: 2027-12
""",
)
def long_statement(ctx: CheckContext, options: Mapping[str, Any]) -> Iterator[Hit]:
    limit = int(options["max_words"])
    for goal in ctx.cascade.goals:
        words = len(goal.statement.split())
        if words > limit:
            yield Hit(
                Ref.goal(goal.id),
                f"goal {goal.id}'s statement has {words} words; the limit is {limit}",
                evidence={"words": words, "limit": limit},
            )
