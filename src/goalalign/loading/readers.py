"""Reading documents: YAML (safely, with limits), JSON, and the entry points ``load``/``loads``.

Whatever the format, the text becomes plain Python data, then a shape-checked document
(:mod:`goalalign.loading.schema`), then a cascade (:mod:`goalalign.loading.build`). Every
failure on the way becomes one :class:`~goalalign.loading.errors.LoadError` naming locations
and, where the parser knows them, lines.
"""

from __future__ import annotations

import codecs
import difflib
import json
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import cattrs
import yaml

from goalalign._collector import collector_paused
from goalalign.domain.cascade import Cascade, SourceMap
from goalalign.loading.build import build_cascade, fast_cascade, fast_cascade_from_members
from goalalign.loading.errors import LoadError, Problem
from goalalign.loading.schema import FIELD_NAMES, DocumentDoc, make_converter

__all__ = ["FORMATS", "document_to_cascade", "load", "loads"]

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
"""Documents larger than this are refused before parsing."""
MAX_YAML_BYTES = 64 * 1024 * 1024
"""YAML is for hand-written documents; large exports belong in JSON or CSV."""
MAX_YAML_ALIASES = 1000
"""Alias references allowed in one YAML document (stops 'billion laughs' expansion)."""
MAX_YAML_NODES_PER_BYTE = 4
"""Values a YAML document may expand to through aliases, per byte of its text (plus 100,000)."""
MAX_DEPTH = 32
"""How deeply a document may nest; schema v1 needs fewer than 8 levels."""

FORMATS = ("yaml", "json", "csv")
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}

_FAST = make_converter(detailed=False)
_DETAILED = make_converter(detailed=True)

LineTable = dict[tuple[int, Any], int]
"""Line of each mapping key and sequence item, keyed by ``(id(container), key or index)``."""


def load(path: str | Path, *, format: str | None = None) -> Cascade:
    """Load a cascade from a YAML, JSON or CSV file, chosen by suffix unless ``format`` says.

    Raises :class:`~goalalign.loading.errors.LoadError` naming the file, the location and the
    line of every problem; never returns a partly valid cascade.
    """
    path = Path(path)
    fmt = format or _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            [Problem("", f"cannot tell the format of {path.name!r}; use .yaml, .json or .csv")],
            str(path),
        )
    try:
        with collector_paused():
            if fmt == "json":
                cascade = _load_json_file(path)
                if cascade is not None:
                    return cascade
            return _loads(_read(path), format=fmt, path=str(path), streamed=fmt == "json")
    except LoadError as exc:
        raise exc.with_source(str(path)) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError([Problem("", f"cannot read the file: {exc.strerror}")]) from None


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise LoadError([Problem("", f"the document is larger than {MAX_DOCUMENT_BYTES} bytes")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            [Problem("", f"the document is not UTF-8 text (byte {exc.start} cannot be read)")]
        ) from None


def _is_blank(text: str) -> bool:
    return not text or text.isspace()


def loads(text: str | bytes, *, format: str = "yaml", path: str | None = None) -> Cascade:
    """Load a cascade from document text in ``format`` (``"yaml"``, ``"json"`` or ``"csv"``)."""
    with collector_paused():
        return _loads(text, format=format, path=path)


def _loads(
    text: str | bytes, *, format: str, path: str | None, streamed: bool = False
) -> Cascade:
    """``streamed``: the text already failed :func:`_fast_json`, so it is not tried again."""
    if format not in FORMATS:
        choices = ", ".join(FORMATS)
        raise LoadError([Problem("", f"unknown format {format!r}; use one of {choices}")])
    if isinstance(text, bytes):
        text = _decode(text)
    if _is_blank(text):
        raise LoadError([Problem("", "the document is empty")])
    if format == "csv":
        from goalalign.loading.tables import cascade_from_csv_text

        return cascade_from_csv_text(text, path=path)
    if format == "json":
        fast = None if streamed else _fast_json(text, path)
        if fast is not None:
            return fast
        data, lines = _parse_json(text), None
    else:
        data, lines = _parse_yaml(text)
    return document_to_cascade(data, lines=lines, path=path)


def document_to_cascade(
    data: Any, *, lines: LineTable | None = None, path: str | None = None
) -> Cascade:
    """Check plain document data (as from ``json.load``) and build its cascade."""
    with collector_paused():
        return _document_to_cascade(data, lines=lines, path=path)


def _document_to_cascade(data: Any, *, lines: LineTable | None, path: str | None) -> Cascade:
    if not isinstance(data, dict):
        raise LoadError([Problem("", "the document must be a mapping with 'goalalign', "
                                     "'organisation', 'teams' and 'goals'")])
    # A document that fits the schema nests a bounded depth, except its free-form config.
    _check_depth(data.get("config"))
    source = SourceMap(path=path, lines=_item_lines(data, lines))
    fast = fast_cascade(data, source)
    if fast is not None:
        return fast
    _check_depth(data)
    try:
        doc = _FAST.structure(data, DocumentDoc)
    except Exception:
        problems = _shape_problems(data)
        raise LoadError(_with_lines(problems, data, lines)) from None
    cascade, problems = build_cascade(doc, source)
    if problems:
        raise LoadError(_with_lines(problems, data, lines))
    return cascade


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise LoadError([Problem("", f"invalid JSON: {exc.msg}", exc.lineno)]) from None
    except (ValueError, RecursionError) as exc:
        raise LoadError([Problem("", f"invalid JSON: {exc}")]) from None


def _fast_json(text: str, path: str | None) -> Cascade | None:
    """The cascade of a plainly valid JSON document, built as it is parsed; else ``None``.

    The goals are parsed and built one at a time, so a large document never exists as plain
    data next to its model, and the model is not strewn among the freed parse (at a million
    goals, 0.8 GB rather than 1.7 GB once loaded). Anything unusual, from a syntax error to a
    value the fast path does not take, gives ``None``: the caller then parses the whole text
    and takes the ordinary way, which raises exactly what it always raised.
    """
    return _fast_json_pieces(iter((text,)), path)


def _load_json_file(path: Path) -> Cascade | None:
    """:func:`_fast_json` of a file, read a piece at a time; ``None`` to take the ordinary way.

    Only the model and a piece of the text are held: the whole text would take two or four
    bytes a character as soon as one character is not ASCII, 0.9 GB at a million goals, next
    to its bytes. A file too large, unreadable or not UTF-8 is left to the ordinary way too,
    which says why.
    """
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > MAX_DOCUMENT_BYTES:
                return None
            return _fast_json_pieces(_decoded_pieces(file), str(path))
    except OSError:
        return None


def _decoded_pieces(file: BinaryIO) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    while chunk := file.read(_PIECE_BYTES):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)


def _fast_json_pieces(pieces: Iterator[str], path: str | None) -> Cascade | None:
    try:
        members = _JSONObjectReader(pieces).members()
        return fast_cascade_from_members(members, SourceMap(path=path))
    except Exception:  # the ordinary way raises what is wrong, if anything is
        return None


_PIECE_BYTES = 1 << 16
"""How much of a JSON file is read at a time."""
_LOOKAHEAD = 1 << 14
"""Characters of the window left unread below which the reader takes a piece more before
parsing a goal, so a goal is seldom cut by the window's end (and parsed twice)."""


class _NotPlainJSON(ValueError):
    """The text is not a JSON object the streaming reader takes; ``json.loads`` will say why."""


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
"""JSON's whitespace, as :mod:`json` skips it."""
_NEXT_ITEM = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r\]])")
"""From the end of a list item to the start of the next one."""


class _JSONObjectReader:
    """Walks the top level of a JSON object text that comes in pieces.

    :mod:`json`'s own scanner parses each value, so each is what ``json.loads`` makes of it.
    The reader holds a window of the text: what is not read yet of the pieces taken so far.
    A value is accepted only when something follows it in the window (in a valid document
    something always does), so a value cut by the window's end, such as ``12`` of ``123``,
    is read again once the window has grown.
    """

    def __init__(self, pieces: Iterator[str]) -> None:
        self.pieces = pieces
        self.text = ""
        self.position = 0
        self.ended = False
        decoder: Any = json.JSONDecoder(parse_constant=_reject_constant)
        self.scan = decoder.scan_once  # the C scanner json.loads itself runs
        self.in_list = False

    def members(self) -> Iterator[tuple[str, Any]]:
        """The ``(key, value)`` pairs, parsed one after the other.

        The ``goals`` list comes as an iterator that parses one goal each step; it must be
        used up before the next pair is asked for. Text that is not a JSON object raises
        :class:`_NotPlainJSON`, possibly after some pairs were given.
        """
        self.skip_space()
        self.expect("{")
        while not self.at("}"):
            if not self.at('"'):
                raise _NotPlainJSON(f"expected a key at character {self.position}")
            key = self.value()
            self.expect(":")
            if key == "goals" and self.at("["):
                self.in_list = True
                yield key, self.items()
                if self.in_list:
                    raise _NotPlainJSON("the goals were not all read")
            else:
                value = self.value()
                if key == "config" and _too_deep(value):
                    raise _NotPlainJSON("the config nests too deeply")
                yield key, value
            if not self.at("}"):
                self.expect(",")
                if self.at("}"):  # a trailing comma
                    raise _NotPlainJSON(f"expected a key at character {self.position}")
        self.expect("}")
        if not self.ended or self.position != len(self.text):
            raise _NotPlainJSON(f"extra data at character {self.position}")

    def items(self) -> Iterator[Any]:
        scan, next_item = self.scan, _NEXT_ITEM.match
        self.expect("[")
        more = not self.at("]")
        while more:
            # The step of every goal, so its common case is written out: the item, a comma
            # and the start of the next item, all in the window.
            if len(self.text) - self.position < _LOOKAHEAD and not self.ended:
                self.grow()
            text, start = self.text, self.position
            try:
                item, end = scan(text, start)
                found = next_item(text, end)
            except (StopIteration, ValueError, RecursionError):
                found = None
            if found is not None:
                self.position = found.end()
                yield item
                continue
            self.position = start
            yield self.value()
            more = not self.at("]")
            if more:
                self.expect(",")
                if self.at("]"):  # a trailing comma
                    raise _NotPlainJSON(f"expected a value at character {self.position}")
        self.expect("]")
        self.in_list = False

    def value(self) -> Any:
        while True:
            text = self.text
            try:
                value, end = self.scan(text, self.position)
            except (StopIteration, ValueError, RecursionError):  # no value, a bad one, or cut
                if self.ended:
                    raise _NotPlainJSON(f"expected a value at character {self.position}") from None
            else:
                if end < len(text) or self.ended:
                    self.position = end
                    self.skip_space()
                    return value
            self.grow()

    def at(self, char: str) -> bool:
        if self.position == len(self.text):
            self.grow()
        return self.text.startswith(char, self.position)

    def expect(self, char: str) -> None:
        if not self.at(char):
            raise _NotPlainJSON(f"expected {char!r} at character {self.position}")
        self.position += 1
        self.skip_space()

    def skip_space(self) -> None:
        while True:
            match = _JSON_SPACE.match(self.text, self.position)
            assert match is not None  # the pattern matches the empty text too
            self.position = match.end()
            if self.position < len(self.text) or self.ended:
                return
            self.grow()

    def grow(self) -> None:
        """Drop the text read and take pieces until the unread part has doubled (or the end)."""
        text = self.text[self.position :]
        wanted = max(2 * len(text), 1)
        pieces = [text] if text else []  # a text given whole stays one object, never copied
        size = len(text)
        while size < wanted:
            piece = next(self.pieces, None)
            if piece is None:
                self.ended = True
                break
            pieces.append(piece)
            size += len(piece)
        self.text = "".join(pieces)
        self.position = 0


class _LimitedLoader(yaml.SafeLoader):
    """A safe YAML loader that counts aliases and remembers the line of every key and item."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0
        self.lines: LineTable = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(
                    f"more than {MAX_YAML_ALIASES} aliases (line {event.start_mark.line + 1}); "
                    "alias expansion is limited"
                )
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            depth = getattr(self, "_depth", 0) + 1
            if depth > MAX_DEPTH:
                raise yaml.YAMLError(f"the document nests deeper than {MAX_DEPTH} levels")
            self._depth = depth
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth = depth - 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str):
                self.lines[(id(mapping), key)] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: Any, deep: bool = False) -> list[Any]:
        sequence = super().construct_sequence(node, deep=deep)
        for index, item in enumerate(node.value):
            self.lines[(id(sequence), index)] = item.start_mark.line + 1
        return sequence


def _check_expansion(root: Any, limit: int) -> None:
    """Refuse a YAML graph whose aliases expand to far more nodes than its text holds.

    Aliases share nodes, so a few lines can stand for billions of values ("billion laughs");
    every pass over the loaded data would then run for ever. Sizes are counted per node once,
    so this costs one pass over the text's own nodes. An alias to a node that contains it
    (a recursive document) is refused too.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in open_nodes:
            raise yaml.YAMLError(
                f"an alias refers to a value that contains it (line {node.start_mark.line + 1})"
            )
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            open_nodes.add(key)
            children = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            for child in children:
                total += size(child)
                if total > limit:
                    raise yaml.YAMLError(
                        "aliases expand the document to more than "
                        f"{limit} values; alias expansion is limited"
                    )
            open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root)


def _rejoin_split_values(node: Any) -> None:
    """Undo YAML's split of a flow mapping at a comma inside a plain value.

    ``{goal: g1, mechanism: a new market, so its sales add up}`` is, to YAML, a mapping with a
    key ``so its sales add up`` and no value. Nobody means that: a key with no colon and no
    value right after a plain text value is the rest of that value, and is joined back to it
    rather than reported as an unknown key.
    """
    if not node.flow_style:
        return
    joined: list[tuple[Any, Any]] = []
    for key_node, value_node in node.value:
        is_stray = (
            joined
            and isinstance(key_node, yaml.ScalarNode)
            and key_node.style is None
            and isinstance(value_node, yaml.ScalarNode)
            and value_node.tag == "tag:yaml.org,2002:null"
            and value_node.start_mark.index == value_node.end_mark.index
            and value_node.start_mark.index <= key_node.end_mark.index + 1
        )
        previous = joined[-1][1] if joined else None
        if (
            is_stray
            and isinstance(previous, yaml.ScalarNode)
            and previous.style is None
            and previous.tag == "tag:yaml.org,2002:str"
        ):
            previous.value = f"{previous.value}, {key_node.value}"
            continue
        joined.append((key_node, value_node))
    node.value = joined


def _no_duplicate_keys(loader: _LimitedLoader, node: Any, deep: bool = False) -> dict[Any, Any]:
    _rejoin_split_values(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.YAMLError(
                f"key {key!r} appears twice in one mapping (line {key_node.start_mark.line + 1})"
            )
        seen.add(key)
    loader.flatten_mapping(node)
    return _LimitedLoader.construct_mapping(loader, node, deep=True)


def _sequence(loader: _LimitedLoader, node: Any) -> list[Any]:
    return _LimitedLoader.construct_sequence(loader, node, deep=True)


# Built in one step (not PyYAML's two-step generators), so the containers whose lines are
# recorded are the very objects returned.
_LimitedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)
_LimitedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def _parse_yaml(text: str) -> tuple[Any, LineTable]:
    if len(text) > MAX_YAML_BYTES:
        raise LoadError(
            [Problem("", f"YAML documents are limited to {MAX_YAML_BYTES} bytes; use JSON or CSV")]
        )
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, limit=MAX_YAML_NODES_PER_BYTE * len(text) + 100_000)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise LoadError([Problem("", f"invalid YAML: {exc.problem or exc}", line)]) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise LoadError([Problem("", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    _reject_non_finite(data)
    return data, loader.lines


def _reject_non_finite(data: Any, location: str = "") -> None:
    """YAML reads ``.nan`` and ``.inf`` as floats; report them here with their location."""
    stack: list[tuple[Any, str]] = [(data, location)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise LoadError([Problem(where, f"expected a finite number, got {value!r}")])
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))


def _check_depth(data: Any) -> None:
    if _too_deep(data):
        raise LoadError([Problem("", f"the document nests deeper than {MAX_DEPTH} levels")])


def _too_deep(data: Any) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))
    return False


_EXTRA = re.compile(r"Extra fields in constructor for (\w+): (.+)$")


def _shape_problems(data: Any) -> list[Problem]:
    """Explain a failed structuring with the detailed converter: every problem, located."""
    try:
        _DETAILED.structure(data, DocumentDoc)
    except Exception as exc:
        messages = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        return [_problem_from(message) for message in messages]
    return [Problem("", "the document does not match schema version 1")]


def _problem_from(message: str) -> Problem:
    text, _, path = message.rpartition(" @ ")
    location = path.removeprefix("$").removeprefix(".")
    return Problem(location, text)


def _format_exception(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        known = FIELD_NAMES.get(exc.cl, ())
        parts = []
        for key in sorted(exc.extra_fields):
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            parts.append(f"unknown key {key!r}{hint}")
        return "; ".join(parts)
    if isinstance(exc, KeyError):
        return "required key missing"
    if isinstance(exc, TypeError | ValueError) and str(exc):
        return str(exc)
    return f"invalid value (expected {getattr(type_, '__name__', type_)})"


_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _with_lines(problems: list[Problem], data: Any, lines: LineTable | None) -> list[Problem]:
    if not lines:
        return problems
    return [Problem(p.location, p.message, _line_of(p.location, data, lines)) for p in problems]


def _line_of(location: str, data: Any, lines: LineTable) -> int | None:
    """The line of the deepest part of ``location`` that the YAML loader saw."""
    line: int | None = None
    node = data
    for match in _STEP.finditer(location):
        key: Any = match.group(1) if match.group(1) is not None else int(match.group(2))
        found = lines.get((id(node), key))
        if found is None:
            break
        line = found
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _item_lines(data: dict[str, Any], lines: LineTable | None) -> dict[str, int]:
    """Lines of each team, goal and top-level KPI, kept on the cascade for reports."""
    if not lines:
        return {}
    table: dict[str, int] = {}
    for section in ("teams", "goals", "kpis"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index in range(len(items)):
            line = lines.get((id(items), index))
            if line is not None:
                table[f"{section}[{index}]"] = line
    return table

