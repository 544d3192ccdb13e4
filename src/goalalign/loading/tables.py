"""Flat tables (CSV files, lists of dicts, pandas DataFrames) into a schema-v1 document.

Spreadsheets and HR exports hold one row per goal, or one row per KPI. This module turns such
rows into the plain document that YAML and JSON produce, then hands it to
:func:`~goalalign.loading.readers.document_to_cascade`, so a table gets exactly the same checks
as a document and loading stays all-or-nothing. Problems are reported at the row and column
they came from (``rows[3].kpi_unit``), with the CSV line when there is one.

The columns (empty cells are absent values):

* goal columns: ``goal`` (id), ``team``, ``statement``, ``level``, ``status``, ``deadline``,
  ``last_reviewed``, ``supports``, ``hinders``, ``mechanism``, ``weight``, ``ignore``;
* KPI columns, one KPI per row: ``kpi_id``, ``kpi_name``, ``kpi_unit``, ``kpi_baseline``,
  ``kpi_target``, ``kpi_current``, ``kpi_direction``, ``kpi_aggregation``, ``kpi_evidence``,
  ``kpi_deadline``, ``kpi_share_of``;
* team columns, describing the row's ``team``: ``team_name``, ``team_parent``,
  ``team_direction``, ``team_serves``, ``team_ignore``;
* organisation columns: ``organisation`` (its name), ``purpose``, ``as_of``,
  ``fiscal_year_end``.

``supports`` and ``hinders`` hold ``;``-separated links; each link is a goal id, ``goal:<id>``,
``promise:<id>`` or ``purpose``, optionally followed by ``|`` and its mechanism
(``s-revenue|US sales are part of revenue``). The ``mechanism`` and ``weight`` columns apply to
a row's only support. A goal id repeated on several rows is one goal: its goal columns must
agree (an empty cell agrees with anything) and every row adds its KPI. A row with no ``goal``
only describes its team and the organisation.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from goalalign.domain.cascade import Cascade
from goalalign.loading.errors import LoadError, Problem

__all__ = [
    "COLUMNS",
    "CsvRows",
    "from_dataframe",
    "from_records",
    "records_from_csv_text",
    "records_to_document",
]

GOAL_COLUMNS: dict[str, str] = {
    "goal": "id",
    "team": "team",
    "statement": "statement",
    "level": "level",
    "status": "status",
    "deadline": "deadline",
    "last_reviewed": "last_reviewed",
    "supports": "supports",
    "hinders": "hinders",
    "ignore": "ignore",
}
"""Goal columns and the goal keys they fill (``mechanism`` and ``weight`` are handled apart)."""

LINK_COLUMNS = ("mechanism", "weight")

KPI_COLUMNS: dict[str, str] = {
    f"kpi_{key}": key
    for key in (
        "id",
        "name",
        "unit",
        "baseline",
        "target",
        "current",
        "direction",
        "aggregation",
        "evidence",
        "deadline",
        "share_of",
    )
}

TEAM_COLUMNS: dict[str, str] = {
    "team_name": "name",
    "team_parent": "parent",
    "team_direction": "direction",
    "team_serves": "serves",
    "team_ignore": "ignore",
}

ORGANISATION_COLUMNS: dict[str, str] = {
    "organisation": "name",
    "purpose": "purpose",
    "as_of": "as_of",
    "fiscal_year_end": "fiscal_year_end",
}

COLUMNS: tuple[str, ...] = (
    *GOAL_COLUMNS,
    *LINK_COLUMNS,
    *KPI_COLUMNS,
    *TEAM_COLUMNS,
    *ORGANISATION_COLUMNS,
)
"""Every column a table may have."""
_KNOWN = frozenset(COLUMNS)

_NUMBER_COLUMNS = frozenset({"kpi_baseline", "kpi_target", "kpi_current", "weight"})
_LIST_COLUMNS = frozenset({"supports", "hinders", "ignore", "team_serves", "team_ignore"})
_REQUIRED_CSV_COLUMNS = ("goal", "team", "statement")

Location = tuple[str, int | None]
"""A table location (``rows[3].kpi_unit``) and its CSV line, when known."""
Part = tuple[str, int]
"""A part of the document: ``("goals", 3)``, ``("teams", 0)`` or ``("organisation", 0)``."""


class CsvRows(list[dict[str, str]]):
    """Rows read from CSV text; ``lines[i]`` is the line on which row ``i`` starts."""

    lines: list[int]

    def __init__(self, rows: Iterable[dict[str, str]] = (), lines: Iterable[int] = ()) -> None:
        super().__init__(rows)
        self.lines = list(lines)


# -- public entry points ----------------------------------------------------------------------


def records_from_csv_text(text: str) -> CsvRows:
    """Read CSV text with a header row into one ``{column: cell}`` dict per row.

    Column names are normalised (``"KPI Name"`` is ``kpi_name``); unknown and repeated columns
    and rows with more cells than the header are reported with their line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LoadError([Problem("columns", f"invalid CSV: {exc}", 1)]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise LoadError([Problem("columns", "the CSV has no header row", 1)])
    columns = [_normal_column(cell) for cell in header]
    problems: list[Problem] = []
    for index, column in enumerate(columns):
        if column in columns[:index]:
            problems.append(Problem(f"columns.{column}", "the column appears twice", 1))
    problems += [Problem(loc, msg, 1) for loc, msg in _unknown_columns(columns, "columns")]
    missing = [c for c in _REQUIRED_CSV_COLUMNS if c not in columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        problems.append(Problem("columns", f"required column {names} missing", 1))
    if problems:
        raise LoadError(problems)
    rows = CsvRows()
    previous_end = reader.line_num
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                problems.append(
                    Problem(
                        f"rows[{len(rows)}]",
                        f"{len(cells)} cells but the header names {len(columns)} columns",
                        start,
                    )
                )
            rows.append(dict(zip(columns, cells, strict=False)))
            rows.lines.append(start)
    except csv.Error as exc:
        problems.append(Problem(f"rows[{len(rows)}]", f"invalid CSV: {exc}", reader.line_num))
    if problems:
        raise LoadError(problems)
    return rows


def records_to_document(
    rows: Iterable[Mapping[str, Any]], *, organisation: str | Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The schema-v1 document (plain data) that ``rows`` describe.

    Raises :class:`~goalalign.loading.errors.LoadError` for problems of the table itself
    (unknown columns, rows that disagree about a goal, team or the organisation); the document
    is checked like any other by :func:`~goalalign.loading.readers.document_to_cascade`.
    """
    return _Tabulator(rows, organisation).document()


def from_records(
    rows: Iterable[Mapping[str, Any]],
    *,
    organisation: str | Mapping[str, Any] | None = None,
    path: str | None = None,
) -> Cascade:
    """Load a cascade from flat records: one dict per goal, or per KPI of a goal.

    ``organisation`` is the organisation's name, or a mapping like the document's
    ``organisation:`` (with ``promises``), for tables that do not carry organisation columns.
    List-valued cells (``supports``, ``hinders``, ``team_serves``, ``ignore``) may be Python
    lists; a ``supports`` list may hold link mappings as in the document. ``None`` and empty
    strings are empty cells. Raises :class:`~goalalign.loading.errors.LoadError`.
    """
    tabulator = _Tabulator(rows, organisation)
    return tabulator.cascade(path)


def from_dataframe(df: Any, **kw: Any) -> Cascade:
    """Load a cascade from a pandas DataFrame with the columns of :func:`from_records`.

    Missing values (``NaN``, ``None``, ``NaT``) are empty cells; numpy scalars and timestamps
    become plain numbers and dates. Keyword arguments go to :func:`from_records`.
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            "from_dataframe needs pandas; install it with: pip install 'goalalign[dataframe]'"
        ) from None
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_dataframe expects a pandas DataFrame, got {type(df).__name__}")
    records = [
        {str(column): _plain(value, pd) for column, value in row.items()}
        for row in df.to_dict(orient="records")
    ]
    return from_records(records, **kw)


def cascade_from_csv_text(text: str, *, path: str | None = None) -> Cascade:
    """Load CSV text (what :func:`~goalalign.loading.readers.loads` does for ``format="csv"``)."""
    rows = records_from_csv_text(text)
    return _Tabulator(rows, None).cascade(path)


# -- the table → document translation ---------------------------------------------------------


def _plain(value: Any, pd: Any) -> Any:
    """A DataFrame cell as plain Python: missing → None, numpy scalar → int/float/bool."""
    if isinstance(value, list | tuple | dict):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    return value


@lru_cache(maxsize=1024)
def _normal_column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _unknown_columns(columns: Iterable[str], where: str) -> list[tuple[str, str]]:
    found = []
    for column in columns:
        if column in _KNOWN or not column:
            if not column:
                found.append((where, "a column has no name"))
            continue
        close = difflib.get_close_matches(column, COLUMNS, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        found.append((f"{where}.{column}", f"unknown column {column!r}{hint}"))
    return found


class _Tabulator:
    """Builds the document from rows, remembering which row and column each part came from."""

    def __init__(
        self, rows: Iterable[Mapping[str, Any]], organisation: str | Mapping[str, Any] | None
    ) -> None:
        self.rows = rows if isinstance(rows, list) else list(rows)
        self.lines: list[int] | None = rows.lines if isinstance(rows, CsvRows) else None
        self.organisation = organisation
        self.problems: list[Problem] = []
        self.unknown_reported: set[str] = set()
        self.goal_position: dict[Any, int] = {}
        self.team_position: dict[str, int] = {}
        # Where each part of the document came from, kept compact (a few ints per goal) and
        # turned into table locations only when the document has problems.
        self.first_row: dict[Part, int] = {}
        self.field_rows: dict[tuple[str, int, str], int] = {}
        """Rows of values that came from another row than their part's first."""
        self.kpi_rows: dict[int, list[int]] = {}
        """Goal position → the row of each of its KPIs."""
        self.link_rows: dict[int, int] = {}
        """Goal position → the row whose mechanism/weight columns went into its support."""
        self.kpi_order: list[tuple[int, int]] | None = None

    # locations and problems

    def at(self, row: int, column: str | None = None) -> Location:
        return (f"rows[{row}].{column}" if column else f"rows[{row}]", self.line_of(row))

    def line_of(self, row: int) -> int | None:
        return self.lines[row] if self.lines is not None and row < len(self.lines) else None

    def add(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where[0], message, where[1]))

    def raise_problems(self) -> None:
        if self.problems:
            raise LoadError(self.problems)

    # building

    def cascade(self, path: str | None) -> Cascade:
        from goalalign.loading.readers import document_to_cascade

        document = self.document()
        try:
            return document_to_cascade(document, path=path)
        except LoadError as exc:
            raise LoadError([self.translate(p) for p in exc.problems]) from None

    def document(self) -> dict[str, Any]:
        organisation: dict[str, Any] = {}
        if isinstance(self.organisation, str):
            organisation["name"] = self.organisation
        elif self.organisation is not None:
            organisation.update(self.organisation)
        teams: dict[str, dict[str, Any]] = {}
        goals: dict[Any, dict[str, Any]] = {}
        for index, raw in enumerate(self.rows):
            if not isinstance(raw, Mapping):
                self.add(self.at(index), f"a row must be a mapping, got {type(raw).__name__}")
                continue
            row = self.clean_row(index, raw)
            if row is None:
                continue
            self.merge(organisation, ("organisation", 0), row, ORGANISATION_COLUMNS, index)
            team_id = row.get("team")
            if isinstance(team_id, str):
                position = self.team_position.get(team_id)
                if position is None:
                    position = self.team_position[team_id] = len(teams)
                    teams[team_id] = {"id": team_id}
                    self.first_row[("teams", position)] = index
                self.merge(teams[team_id], ("teams", position), row, TEAM_COLUMNS, index)
            elif any(c in row for c in TEAM_COLUMNS):
                self.add(self.at(index, "team"), "team columns need the row's team id")
            goal_id = row.get("goal")
            if goal_id is None:
                stray = [c for c in (*GOAL_COLUMNS, *LINK_COLUMNS, *KPI_COLUMNS) if c in row]
                stray = [c for c in stray if c != "team"]
                if stray:
                    self.add(
                        self.at(index, "goal"),
                        f"a row with {stray[0]!r} needs a goal id; rows without one only "
                        "describe a team and the organisation",
                    )
                continue
            key = goal_id if isinstance(goal_id, str) else (index,)
            g_index = self.goal_position.get(key)
            if g_index is None:
                g_index = self.goal_position[key] = len(goals)
                goals[key] = {"kpis": []}
                self.first_row[("goals", g_index)] = index
            self.merge(goals[key], ("goals", g_index), self.goal_fields(index, row), None, index)
            if any(c in row for c in LINK_COLUMNS):
                self.link_rows.setdefault(g_index, index)
            kpi = {KPI_COLUMNS[c]: v for c, v in row.items() if c in KPI_COLUMNS}
            if kpi:
                goals[key]["kpis"].append(kpi)
                self.kpi_rows.setdefault(g_index, []).append(index)
        if "name" not in organisation:
            self.add(
                ("organisation", None),
                "the organisation has no name: add an 'organisation' column, or pass "
                "organisation=... when loading records",
            )
        self.raise_problems()
        goal_list = list(goals.values())
        for goal in goal_list:
            if not goal["kpis"]:
                del goal["kpis"]
        return {
            "goalalign": 1,
            "organisation": organisation,
            "teams": list(teams.values()),
            "goals": goal_list,
        }

    def clean_row(self, index: int, raw: Mapping[Any, Any]) -> dict[str, Any] | None:
        """The row's non-empty cells under normalised column names, numbers read."""
        row: dict[str, Any] = {}
        columns: Mapping[Any, Any]
        if self.lines is not None:
            columns = raw  # CSV: the header was normalised and checked once, when read
        else:
            columns = {}
            for name, value in raw.items():
                if not isinstance(name, str):
                    self.add(self.at(index), f"column names must be text, got {name!r}")
                    continue
                columns[_normal_column(name)] = value
            unknown = [c for c in columns if c not in _KNOWN and c not in self.unknown_reported]
            for location, message in _unknown_columns(unknown, f"rows[{index}]"):
                self.add((location, None), message)
            self.unknown_reported.update(unknown)
        for column, value in columns.items():
            if column not in _KNOWN:
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            if value is None:
                continue
            if column in _NUMBER_COLUMNS:
                value = self.number(index, column, value)
            elif column in _LIST_COLUMNS and isinstance(value, str):
                value = [item.strip() for item in value.split(";") if item.strip()]
            row[column] = value
        return row or None

    def number(self, index: int, column: str, value: Any) -> Any:
        """``"15"`` is the number 15; ``"15 %"`` stays a quantity string; NaN and ∞ are errors."""
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            return value
        if not math.isfinite(number):
            self.add(self.at(index, column), f"expected a finite number, got {value!r}")
            return None
        return number

    def goal_fields(self, index: int, row: dict[str, Any]) -> dict[str, Any]:
        """The goal keys a row gives, with its links built from the link columns."""
        fields = {GOAL_COLUMNS[c]: v for c, v in row.items() if c in GOAL_COLUMNS}
        for column in ("supports", "hinders"):
            if column in fields:
                fields[column] = self.links(index, column, fields[column])
        extras = {c: row[c] for c in LINK_COLUMNS if c in row}
        if extras:
            supports = fields.get("supports")
            count = len(supports) if isinstance(supports, list) else 0
            if count != 1:
                first = next(iter(extras))
                self.add(
                    self.at(index, first),
                    f"the {first!r} column applies to a row's only support, and this row has "
                    f"{count}; write 'goal-id|mechanism' in 'supports' instead",
                )
            else:
                assert isinstance(supports, list)
                link = supports[0]
                link = dict(link) if isinstance(link, Mapping) else {"goal": link}
                for column, value in extras.items():
                    if column in link:
                        self.add(
                            self.at(index, column),
                            f"the support already has a {column} (written after '|')",
                        )
                    link[column] = value
                supports[0] = link
        return fields

    def links(self, index: int, column: str, value: Any) -> Any:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(";") if item.strip()]
        if not isinstance(value, list | tuple):
            return value  # the schema reports the type
        return [_link(item) if isinstance(item, str) else item for item in value]

    def merge(
        self,
        target: dict[str, Any],
        part: Part,
        row: Mapping[str, Any],
        columns: Mapping[str, str] | None,
        index: int,
    ) -> None:
        """Copy a row's values into a part of the document; a value that differs from an
        earlier row's is an error naming both rows."""
        items = (
            [(key, row[column], column) for column, key in columns.items() if column in row]
            if columns is not None
            else [(key, value, _column_of(key)) for key, value in row.items()]
        )
        for key, value, column in items:
            if key not in target:
                target[key] = value
                if self.first_row.get(part) != index:
                    self.field_rows[(part[0], part[1], key)] = index
            elif target[key] != value:
                before = self.row_of(part, key)
                earlier = f"in rows[{before}]" if before is not None else "given when loading"
                self.add(
                    self.at(index, column),
                    f"{_describe_part(part, target)} has {column} {_shown(value)} here but "
                    f"{_shown(target[key])} {earlier}",
                )

    def row_of(self, part: Part, key: str) -> int | None:
        """The row a part's value came from (``None``: from the ``organisation`` argument)."""
        return self.field_rows.get((part[0], part[1], key), self.first_row.get(part))

    def translate(self, problem: Problem) -> Problem:
        """A document problem, re-located to the row and column it came from."""
        found = self.table_location(problem.location)
        if found is None:
            return problem
        row, column = found
        where = f"rows[{row}].{column}" if column else f"rows[{row}]"
        return Problem(where, problem.message, self.line_of(row))

    def table_location(self, location: str) -> tuple[int, str | None] | None:
        organisation = _ORGANISATION_FIELD.match(location)
        if organisation:
            key = organisation.group(1)
            row = self.row_of(("organisation", 0), key)
            column = {v: k for k, v in ORGANISATION_COLUMNS.items()}.get(key)
            return None if row is None or column is None else (row, column)
        match = _PART.match(location)
        if match is None:
            return None
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        if section == "kpis":
            position = self.kpi_position(index)
            if position is None:
                return None
            index, nested = position
            rest = f".kpis[{nested}]{rest}"
            section = "goals"
        first = self.first_row.get((section, index))
        if first is None:
            return None
        step = _STEP.match(rest)
        if step is None:
            return (first, None)
        key, item, field = step.group(1), step.group(2), step.group(3)
        if section == "teams":
            row = self.row_of(("teams", index), key)
            return (first if row is None else row, _team_column(key))
        if key == "kpis" and item is not None:
            rows = self.kpi_rows.get(index, [])
            if int(item) < len(rows):
                row = rows[int(item)]
                return (row, f"kpi_{field}" if field in _KPI_KEYS else None)
            return (first, None)
        if key == "supports" and item == "0" and field in LINK_COLUMNS and index in self.link_rows:
            return (self.link_rows[index], field)
        row = self.row_of(("goals", index), key)
        return (first if row is None else row, _column_of(key))

    def kpi_position(self, index: int) -> tuple[int, int] | None:
        """Goal position and nested index of the document's ``index``-th KPI."""
        if self.kpi_order is None:
            self.kpi_order = [
                (goal, nested)
                for goal in sorted(self.kpi_rows)
                for nested in range(len(self.kpi_rows[goal]))
            ]
        return self.kpi_order[index] if index < len(self.kpi_order) else None


def _describe_part(part: Part, values: dict[str, Any]) -> str:
    if part[0] == "organisation":
        return "the organisation"
    kind = "team" if part[0] == "teams" else "goal"
    return f"{kind} {values.get('id')!r}" if "id" in values else kind


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return repr("; ".join(v if isinstance(v, str) else repr(v) for v in value))
    return repr(value)


_ORGANISATION_FIELD = re.compile(r"organisation\.(\w+)")
_PART = re.compile(r"(goals|teams|kpis)\[(\d+)\](.*)$")
_STEP = re.compile(r"\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")
_KPI_KEYS = frozenset(KPI_COLUMNS.values())


def _team_column(key: str) -> str:
    return "team" if key == "id" else f"team_{key}"


_KEY_TO_COLUMN = {key: column for column, key in GOAL_COLUMNS.items()}


def _column_of(goal_key: str) -> str:
    return _KEY_TO_COLUMN.get(goal_key, goal_key)


def _link(item: str) -> str | dict[str, Any]:
    """``id``, ``goal:id``, ``promise:id`` or ``purpose``, optionally ``|mechanism``."""
    target, bar, mechanism = item.partition("|")
    target, mechanism = target.strip(), mechanism.strip()
    link: dict[str, Any]
    if target.startswith("promise:"):
        link = {"promise": target.removeprefix("promise:").strip()}
    elif target == "purpose":
        link = {"purpose": True}
    else:
        link = {"goal": target.removeprefix("goal:").strip()}
    if bar and mechanism:
        link["mechanism"] = mechanism
    if list(link) == ["goal"]:
        return str(link["goal"])
    return link
