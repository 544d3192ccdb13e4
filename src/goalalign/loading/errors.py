"""The one error loading raises: every problem found, each with its location and line."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["LoadError", "Problem"]


@attrs.frozen(slots=True)
class Problem:
    """One thing wrong with a document: where (``goals[3].kpis[0].unit``), what, and the line."""

    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.location or "document"
        if self.line is not None:
            where = f"{where} (line {self.line})"
        return f"{where}: {self.message}"


class LoadError(ValueError):
    """A document that cannot become a cascade. Loading never half-succeeds.

    ``problems`` lists what is wrong, in document order; ``source`` names the file when there
    was one. ``str(error)`` is a short paragraph fit for a terminal.
    """

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"{self.source}: " if self.source else ""
        shown = self.problems[:10]
        if len(self.problems) == 1:
            return f"{head}cannot load the cascade: {shown[0]}"
        lines = [f"{head}cannot load the cascade ({len(self.problems)} problems):"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)

    def with_source(self, source: str) -> LoadError:
        """The same error, naming the file it came from."""
        return LoadError(self.problems, source)
