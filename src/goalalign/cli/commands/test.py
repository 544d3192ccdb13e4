"""``goalalign test FILE [--team ID]``: the three-question test, per team.

For each selected team it prints the direction (and whether it was inferred), every active
goal's chain towards the team's anchor (``goal-a --[mechanism]--> goal-b --> s-goal``) and the
evidence answer. The exit status is 0 when all three answers are yes for every selected team,
1 otherwise, and 2 for unusable input or an unknown team.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from goalalign.analysis.three_questions import TeamAssessment, three_question_test
from goalalign.loading.readers import load

__all__ = ["register", "render_text", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "test",
        help="answer the three-question test for each team",
        description=(
            "Answer the three-question test per team: which direction applies, whether every "
            "goal traces an unbroken explained chain to that anchor, and whether its KPIs "
            "give evidence of the results."
        ),
    )
    parser.add_argument("file", type=Path, help="the cascade document")
    parser.add_argument("--team", help="test only this team (by id)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def _yes(answer: bool) -> str:
    return "yes" if answer else "no"


def render_text(assessments: tuple[TeamAssessment, ...]) -> str:
    """The human-readable form: one block per team."""
    lines: list[str] = []
    for team in assessments:
        if team.direction is None:
            direction = "undetermined"
        else:
            how = "inferred" if team.direction_inferred else "declared"
            direction = f"{team.direction.value} ({how})"
        lines.append(f"{team.id} — {team.name}")
        lines.append(f"  1. direction: {direction}: {_yes(team.direction_ok)}")
        lines.append(f"  2. unbroken explained chains: {_yes(team.chain_ok)}")
        for chain in team.chains:
            lines.append(f"     [{chain.status}] {chain.render()}")
        lines.append(f"  3. KPI evidence: {_yes(team.evidence_ok)}")
        lines.extend(f"  note: {note}" for note in team.notes)
        lines.append("")
    passed = sum(1 for t in assessments if t.passed)
    lines.append(f"{passed} of {len(assessments)} team(s) pass the three-question test")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    cascade = load(args.file)
    if args.team is not None:
        if cascade.team(args.team) is None:
            known = ", ".join(sorted(t.id for t in cascade.teams)) or "none"
            print(f"goalalign: no team is called {args.team!r}; teams: {known}", file=sys.stderr)
            return 2
        assessments: tuple[TeamAssessment, ...] = (three_question_test(cascade, args.team),)
    else:
        assessments = three_question_test(cascade)
    if args.format == "json":
        entries = [a.to_dict(all_chains=True) for a in assessments]
        sys.stdout.write(json.dumps(entries, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(assessments))
    return 0 if all(a.passed for a in assessments) else 1
