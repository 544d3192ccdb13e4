"""Reading a large cascade's statements by template: each shape of statement read once.

A generated or imported cascade of 100,000 goals writes its statements to a few thousand
shapes: "Raise repeat orders in online sales at Selbelfabel from 4,367 to 5,458 by
30 September 2026" differs from a hundred others only in the site's name and the two
numbers. The reader (:mod:`goalalign.text.statement`) reads a statement in about 45 µs in
many small steps, none of which dominates, so it cannot be made much faster as it is; what
can be skipped is reading the same shape again.

A statement's **key** is its lower-cased text cut at single spaces, with every *plain word*
replaced by one marker and every *free number* written with ones for digits ("$3,113m"
becomes "$1,111m"):

* a plain word (:meth:`Vocabulary.is_plain`) is a token of three letters or more that the
  reader never looks up (it is no word of the language pack or of the reader's code) and
  that no pattern of the reader can match, whole or in part (:func:`pattern_literals`); the
  reader can only copy it into the metric or a counted noun;
* a free number (:meth:`Vocabulary.free_number`) is a token the reader's amount pattern
  reads as one number with its currency symbol and magnitude or percent sign, with no run
  of four digits (a year) and no more than fifteen digits.

The first statement with a key is read in full (:class:`BatchReader`). When a second one
comes, the first one's reading is checked once (:meth:`Template.build`) and becomes the
**template** of every later statement with that key, whose reading is the template's with
its own plain words, numbers and offsets put back (:meth:`Template.derive`). A key seen once
costs a split and a dictionary look-up, and the batch reader stops making keys when few are
shared, so a cascade whose statements share nothing is read as fast as before.

The derived reading is the reader's own, field by field (``tests/test_statement_templates.py``
and an oracle over four million statements and variants confirm it), because a plain word
and a free number's digits reach the reading only where :meth:`Template.derive` puts them
back:

* a plain word is in no word list, so every test of the reader gives the same answer for
  any plain word in its place, and only its length moves the offsets after it;
* a free number's digits are read by the amount pattern (which sees only their shape), by
  the deadline patterns, and as its value. A number that a deadline pattern the reader would
  try can match into, with every free digit written as one, is kept as written in the key
  (:func:`_dated_numbers`): "30" in "by 30 September 2026". This rests on an assumption
  about language packs, documented in ``docs/statements.rst``: a deadline pattern's digit
  classes accept the digit 1 (and so ``11``) wherever they accept any digit. The value is the
  number times its own magnitude, recomputed as the reader computes it (the template's
  value must come out so), and the one decision the reader takes on values, whether a target
  lies above its baseline (:attr:`~goalalign.text.statement._Reader.compared`), is taken
  again with the statement's values: a statement that decides otherwise is read in full.

A text is read in full when lower-casing could move its offsets (characters outside ASCII
other than currency signs, dashes and the typographic apostrophe), and a template that
fails a check of :meth:`Template.build` serves no statement.

**The date slot.** Most statements of a cascade end in a deadline ("by 30 September
2026", "until Q4 2026", "by the end of FY2027"), and statements that differ only there
would each need a key of their own. So when a statement ends in a *date preposition*
(:func:`_date_preps`: "by", "until", "through", "before", "from" in English) followed by one
to five tokens, those tokens are a **date slot**: the key holds the words up to the
preposition and a slot marker, and the template's deadline, its span and its cue are
replaced by the statement's own. The slot's reading is worked out once per distinct phrase
and reader (:func:`_date_of`), by the reader itself: the deadline must run from the
preposition to the end with nothing else read in it, the same whatever comes before and
whichever deadline patterns the rest of the statement triggers; a phrase the reader does
not read so ("by 31 February 2027", "by Q5 2026", "within 6 months", "by Q4 2026 at X") is
no slot, and the statement is keyed as before, its date included. The derived reading is
still the reader's own, because the two sides cannot see each other:

* the preposition ends every look of the reader from the words before it (the metric, an
  amount's tail, a vague phrase, a deadline prefix, the deadline and amount patterns: see
  :func:`_date_preps`), and the deadline covers it, so it is flagged as a deadline word
  either way;
* the words before it read no deadline under any pattern, with any digits
  (:func:`_rest_dated`, with free digits written as ones as above), so the statement's
  deadline is the slot's, and a slot adds to the rest only trigger words, which change
  nothing there;
* the template's first statement must read its deadline as :func:`_date_of` does, and hold
  nothing else of its reading in its slot (:meth:`BatchReader._build_dated`).
"""

from __future__ import annotations

import enum
import importlib
import re
from bisect import bisect_left
from collections.abc import Mapping
from itertools import accumulate
from operator import add, sub
from typing import TYPE_CHECKING, Any

import attrs

from goalalign.text.statement import (
    _AMOUNT,
    _BEFORE_AMOUNT,
    _CLAUSE_JOINS,
    _PARTICLES,
    _SHARE_OF,
    _WORD_SPLIT,
    _YEAR,
    _YEAR_PREPOSITIONS,
    _YEAR_TRIGGER,
    ParsedAmount,
    ParsedStatement,
    Role,
    _cue_data,
    _period,
    _read_safely,
    _read_traced,
    _Reader,
    _span,
    _value,
)

if TYPE_CHECKING:
    from datetime import date

    from goalalign.domain.model import Period
    from goalalign.text.statement import Span, _Compiled

__all__ = ["BatchReader", "Template", "Vocabulary"]

_PLAIN = "\x00"
"""The key's marker for a plain word (a text holding it is read in full)."""

_READER_WORDS = frozenset(
    {
        "a", "above", "academic", "after", "an", "and", "another", "at", "autumn", "back",
        "before", "beginning", "below", "but", "by", "compared", "day", "down", "dozen",
        "during", "each", "every", "fall", "fewer", "financial", "first", "fiscal", "for",
        "fourth", "from", "fy", "half", "in", "instead", "less", "may", "middle", "month",
        "more", "next", "none", "of", "off", "on", "one", "or", "out", "over", "per", "place",
        "quarter", "rather", "school", "second", "since", "spring", "start", "summer", "team",
        "than", "the", "third", "this", "through", "till", "to", "two", "under", "until", "up",
        "versus", "vs", "week", "while", "winter", "year", "zero",
    }
)  # fmt: skip
"""Words the reader's own code compares a word with (besides the language pack's)."""

_FREE_NUMBER = re.compile(
    r"([$€£¥₹]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(%|[a-z]{1,12})?", re.ASCII
)
"""A free number's shape: a currency symbol, the number (as the reader's amount pattern
reads it) and a suffix (``%`` or a magnitude word of the pack)."""
_DIGITS = re.compile(r"\d", re.ASCII)
_UNSAFE = re.compile(r"[^\x01-\x7f€£¥₹–—’]")
"""Characters that make a text be read in full: the key's marker, and any character outside
ASCII that lower-casing could change (lower-casing must keep every offset)."""
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)


# -- which words a pattern can see ----------------------------------------------------------
#
# A pattern reads a word only through its letter literals. A literal written between guards
# (``\\b``, white space, a digit, a look-around that refuses letters) matches whole words
# only, and a plain word is no such word. A literal without a guard on one side (``the`` at
# the start of the deadline prefix, which is searched from anywhere; ``fy`` at the end of a
# look-ahead) can match where a longer word begins or ends: words that begin or end that way
# are not plain. The patterns are analysed as the regular-expression parser sees them.

_parser: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")
_REPEATS = frozenset(
    op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op
)
_LETTERS = frozenset((*range(65, 91), *range(97, 123)))
_Seq = list[tuple[Any, Any]]


def _may_be_letter(op: Any, av: Any) -> bool:
    """Whether a one-character element can match an ASCII letter."""
    if op is _sre.LITERAL:
        return av in _LETTERS
    if op is not _sre.IN:
        return True
    for item, value in av:
        if item is _sre.NEGATE:
            return True
        if item is _sre.LITERAL and value in _LETTERS:
            return True
        if item is _sre.RANGE and _LETTERS.intersection(range(value[0], value[1] + 1)):
            return True
        if item is _sre.CATEGORY and value not in (_sre.CATEGORY_DIGIT, _sre.CATEGORY_SPACE):
            return True
    return False


def _refuses_letters(body: _Seq) -> bool:
    """Whether a negative look-around's body is one class holding every ASCII letter."""
    if len(body) != 1 or body[0][0] is not _sre.IN:
        return False
    letters: set[int] = set()
    for item, value in body[0][1]:
        if item is _sre.NEGATE:
            return False
        if item is _sre.LITERAL:
            letters.add(value)
        elif item is _sre.RANGE:
            letters.update(range(value[0], value[1] + 1))
        elif item is _sre.CATEGORY and value is _sre.CATEGORY_WORD:
            letters.update(_LETTERS)
    return letters >= _LETTERS


def _guarded(seq: _Seq, index: int, step: int, outside: bool) -> bool:
    """Whether the character met from ``seq[index]`` on, going by ``step`` (1: forward, -1:
    backward), can be no letter; ``outside`` says so for what lies beyond the sequence."""
    if not 0 <= index < len(seq):
        return outside
    op, av = seq[index]

    def rest() -> bool:
        return _guarded(seq, index + step, step, outside)

    def inner(body: _Seq, beyond: bool) -> bool:
        return _guarded(body, 0 if step > 0 else len(body) - 1, step, beyond)

    if op is _sre.AT:
        return av is _sre.AT_BOUNDARY or rest()
    if op is _sre.ASSERT_NOT:
        return (av[0] == step and _refuses_letters(list(av[1]))) or rest()
    if op is _sre.ASSERT:
        return rest()
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
        return not _may_be_letter(op, av)
    if op in _REPEATS:
        after = rest()
        found = inner(list(av[2]), after)
        return found if av[0] >= 1 else found and after
    if op is _sre.SUBPATTERN:
        return inner(list(av[-1]), rest())
    if op is _sre.BRANCH:
        after = rest()
        return all(inner(list(branch), after) for branch in av[1])
    return False


def _texts(seq: _Seq) -> list[str] | None:
    """Every text a run of letters-only elements matches (``None``: not letters only)."""
    out = [""]
    for op, av in seq:
        if op is _sre.LITERAL:
            found: list[str] | None = [chr(av).lower()] if av in _LETTERS else None
        elif op is _sre.SUBPATTERN:
            found = _texts(list(av[-1]))
        elif op is _sre.BRANCH:
            options = [_texts(list(branch)) for branch in av[1]]
            found = None if None in options else [t for o in options if o for t in o]
        elif op in _REPEATS and av[1] == 1:
            body = _texts(list(av[2]))
            found = None if body is None else ([""] if av[0] == 0 else []) + body
        else:
            found = None
        if found is None or len(out) * len(found) > 4096:
            return None
        out = [a + b for a in out for b in found]
    return out


def _inlined(op: Any, av: Any) -> list[_Seq] | None:
    """The sequences a group, alternation or optional element stands for, to inline."""
    if op is _sre.SUBPATTERN:
        return [list(av[-1])]
    if op is _sre.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in _REPEATS and av[1] == 1:
        return ([[]] if av[0] == 0 else []) + [list(av[2])]
    return None


def _literals(seq: _Seq, before: bool, after: bool, found: set[tuple[str, bool, bool]],
              budget: list[int]) -> None:  # fmt: skip
    """Add to ``found`` each letter literal of ``seq`` as ``(text, open before, open after)``.

    Consecutive letters-only elements make one literal (``jan(?:uary)?``: ``jan``,
    ``january``); a group or alternation right after letters is inlined first, since the
    parser factors common prefixes out of alternations (``th(?:e|is)``)."""
    index = 0
    while index < len(seq):
        end = index
        texts: list[str] = [""]
        while end < len(seq):
            more = _texts(seq[end : end + 1])
            if more is None or len(texts) * len(more) > 4096:
                break
            texts = [a + b for a in texts for b in more]
            end += 1
        if end > index and end < len(seq) and budget[0] > 0:
            variants = _inlined(*seq[end])
            if variants is not None:
                budget[0] -= 1
                for variant in variants:
                    _literals(seq[:end] + variant + seq[end + 1 :], before, after, found, budget)
                return
        if end > index:
            left = not _guarded(seq, index - 1, -1, before)
            right = not _guarded(seq, end, 1, after)
            found.update((text, left, right) for text in texts if text)
            index = end
            continue
        op, av = seq[index]
        left_guard = _guarded(seq, index - 1, -1, before)
        right_guard = _guarded(seq, index + 1, 1, after)
        if op in _REPEATS and av[1] != 1:
            _literals(list(av[2]), False, False, found, budget)  # it may follow itself
        elif op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            ahead = av[0] == 1  # a look-ahead reads on from here, with nothing guarding its end
            _literals(list(av[1]), left_guard and ahead, False, found, budget)
        else:
            for variant in _inlined(op, av) or ():
                _literals(variant, left_guard, right_guard, found, budget)
        index += 1


def pattern_literals(pattern: re.Pattern[str]) -> set[tuple[str, bool, bool]]:
    """The letter literals of ``pattern``, lower case, each with whether a letter may come
    right before it and right after it (see :func:`_literals`), for a pattern used with
    ``search`` (a match may start anywhere)."""
    found: set[tuple[str, bool, bool]] = set()
    _literals(list(_parser.parse(pattern.pattern, pattern.flags & re.VERBOSE)), False, False,
              found, [2000])  # fmt: skip
    return found


@attrs.frozen(slots=True, eq=False)
class Vocabulary:
    """What the reader of one language pack looks at, to tell plain words and free numbers.

    A plain word is none of :attr:`words` (every word of the pack, of the reader's code and
    of the patterns' literals), no proper ending of one (so it cannot sit inside one when the
    reader searches the text for a counted noun), does not begin with one of
    :attr:`starts`, end with one of :attr:`ends` or hold one of :attr:`inside`: the literals
    a pattern can match where a longer word begins, ends or anywhere (see
    :func:`pattern_literals`). The outer words of the pack's multi-word ``lower_is_better``
    phrases count as such literals, as the reader looks for those phrases inside the metric.
    """

    words: frozenset[str]
    endings: frozenset[str]
    starts: tuple[str, ...]
    ends: tuple[str, ...]
    inside: tuple[str, ...]
    magnitudes: Mapping[str, float]
    stop_words: frozenset[str]
    date_preps: frozenset[str] = frozenset()
    """The words before which the rest of a statement may be a date slot (see
    :func:`_date_preps`)."""

    @classmethod
    def of(cls, compiled: _Compiled) -> Vocabulary:
        pack = compiled.pack
        words: set[str] = set(_READER_WORDS | _BEFORE_AMOUNT | _CLAUSE_JOINS | _YEAR_PREPOSITIONS)
        for field in attrs.fields(type(pack)):
            value = getattr(pack, field.name)
            if isinstance(value, (frozenset, Mapping)):
                for entry in value:
                    words.update(re.split(r"[^a-z]+", str(entry).lower()))
        patterns = [pattern.any for _, _, pattern, _, _ in compiled.deadlines]
        patterns += [compiled.prefix.any, compiled.month_only.any, _AMOUNT.any, _SHARE_OF.any]
        literals = set().union(*map(pattern_literals, patterns))
        for phrase in compiled.lower_phrases:
            parts = phrase.split()
            literals.update(((parts[0], True, False), (parts[-1], False, True)))
        words.update(text for text, _, _ in literals)
        words.update(compiled.deadline_words)
        words.discard("")
        endings = {word[index:] for word in words for index in range(1, len(word))}
        return cls(
            words=frozenset(words),
            endings=frozenset(endings),
            starts=tuple(sorted(t for t, before, after in literals if after and not before)),
            ends=tuple(sorted(t for t, before, after in literals if before and not after)),
            inside=tuple(sorted(t for t, before, after in literals if before and after)),
            magnitudes=pack.magnitude_words,
            stop_words=pack.stop_words,
            date_preps=_date_preps(compiled),
        )

    def is_plain(self, word: str) -> bool:
        """Whether ``word`` (one token between spaces, lower case) is plain (see the class)."""
        return (
            len(word) >= 3
            and word.isascii()
            and word.isalpha()
            and word not in self.words
            and word not in self.endings
            and not word.startswith(self.starts)
            and not word.endswith(self.ends)
            and not any(literal in word for literal in self.inside)
        )

    def free_number(self, token: str) -> re.Match[str] | None:
        """The :data:`_FREE_NUMBER` match of a free number, else ``None``: a suffix must be
        ``%`` or one of the pack's magnitude words, no run of digits may have four digits
        (a year, which the reader tests), and fifteen digits at most keep every value finite."""
        match = _FREE_NUMBER.fullmatch(token)
        if match is None:
            return None
        suffix = match.group(3)
        if suffix is not None and suffix != "%" and suffix not in self.magnitudes:
            return None
        number = match.group(2)
        if _FOUR_DIGITS.search(number) or len(_DIGITS.findall(number)) > 15:
            return None
        return match


class _Parts(dict[str, str]):
    """The key part of each token (a cache: a cascade repeats its words)."""

    __slots__ = ("free", "vocabulary")

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.free: set[str] = set()
        """The key parts that stand for free numbers."""

    def __missing__(self, token: str) -> str:
        vocabulary = self.vocabulary
        part = token
        if vocabulary.is_plain(token):
            part = _PLAIN
        else:
            match = vocabulary.free_number(token)
            if match is not None:
                part = _DIGITS.sub("1", token)
                self.free.add(part)
        if len(self) < 262144:
            self[token] = part
        return part


def _cut(
    text: str, parts: _Parts, kept: tuple[int, ...]
) -> tuple[list[str], list[str], list[int]]:
    """``text`` cut into lower-case tokens, the key part of each (the ``kept`` numbers as
    written) and the indices of its free numbers."""
    tokens = text.lower().split(" ")
    keys = [parts[token] for token in tokens]
    for index in kept:
        keys[index] = tokens[index]
    free = [i for i, part in enumerate(keys) if part in parts.free and i not in kept]
    return tokens, keys, free


def _offsets(tokens: list[str]) -> list[int]:
    """Where each token starts in the text they were cut from at single spaces."""
    return [0, *accumulate(len(token) + 1 for token in tokens[:-1])]


_AmountRecipe = tuple[ParsedAmount, int, int, int, int, "float | None", "str | None"]
"""How to rebuild one of the template's amounts for another statement: the amount, where
its span's start is in :attr:`Template.positions` (its end follows), and for a free number
the token's index, the lengths of its prefix and suffix and its magnitude (index -1
otherwise); last, the counted noun as a format of the plain words (:func:`_format`), when
it holds one. A tuple, as :meth:`Template.derive` unpacks it for each amount of each
statement."""


_AmountKey = tuple[str | None, bool, Role, str | None, float, "Span", str, str | None]
"""Every field of a derived amount: unit, points, role, marker, value, span, text, noun (the
value's type goes with its text: digits give a float)."""

_Layout = tuple["Span | None", "Span | None", "Span | None", tuple[int | str, ...],
                tuple["Span", ...]]  # fmt: skip
"""Where a template's reading lies in a statement whose plain words have given lengths: the
head verb's, metric's and deadline's spans, the cue data and each amount's span."""


@attrs.frozen(slots=True, eq=False)
class Template:
    """A reading that serves every statement with the same key (see the module).

    Every offset of the reading is kept in :attr:`positions` with the number of plain words
    before it (:attr:`slots_before`): in another statement it moves by the difference in
    length of those words."""

    reading: ParsedStatement
    slots: tuple[int, ...]
    """The token index of each plain word."""
    slot_lengths: tuple[int, ...]
    positions: tuple[int, ...]
    slots_before: tuple[int, ...]
    head: int
    """Where the head verb's span is in :attr:`positions` (-1: none); so for the others."""
    metric: int
    deadline: int
    cues: int
    metric_words: str | None
    """The metric as a format of the plain words (:func:`_format`), when it holds one."""
    amounts: tuple[_AmountRecipe, ...]
    compared: tuple[int, int, int] | None
    """The amounts whose values decided the change (baseline, target) and the outcome."""
    layouts: dict[tuple[int, ...], _Layout] = attrs.field(factory=dict)
    """The layouts made so far, by the lengths of the plain words (see :meth:`layout`):
    statements of a shape repeat their words' lengths more than the words."""
    date_cue: int = -1
    """For a template with a date slot (see the module), where its deadline cue's start is
    in :attr:`~goalalign.text.statement.ParsedStatement.cue_data` (-1: no date slot)."""
    dated: dict[tuple[tuple[int, ...], int], tuple[Span, tuple[int | str, ...]]] = attrs.field(
        factory=dict
    )
    """For a date slot: the deadline's span and the cue data made so far, by the lengths of
    the plain words and of the text (which place the slot)."""

    LAYOUTS = 256
    """Layouts kept per template at most (more are made for each statement)."""

    @classmethod
    def build(
        cls, first: _First, tokens: list[str], keys: list[str], free: list[int],
        vocabulary: Vocabulary,
    ) -> Template | None:  # fmt: skip
        """The template made of the reading of a key's ``first`` statement, cut as
        :func:`_cut` cuts it, or ``None`` when a check fails (see the module)."""
        reading = first.reading
        compared = first.compared
        offsets = _offsets(tokens)
        slots = tuple(i for i, part in enumerate(keys) if part == _PLAIN)
        slot_starts = [offsets[i] for i in slots]
        slot_spans = [(offsets[i], offsets[i] + len(tokens[i])) for i in slots]
        free_spans = [(offsets[i], offsets[i] + len(tokens[i])) for i in free]
        amounts = reading.amounts
        data = reading.cue_data
        cue_spans = [(int(data[i]), int(data[i + 1])) for i in range(0, len(data) - 2, 3)]
        fixed = [a.span for a in amounts] + cue_spans  # spans no plain word may be in
        for span in (reading.deadline_span, reading.head_span):
            if span is not None:
                fixed.append(span)
        if any(_overlaps(span, slot_spans) for span in fixed):
            return None
        if reading.deadline_span is not None and _overlaps(reading.deadline_span, free_spans):
            return None
        if reading.metric_span is not None and _cuts(reading.metric_span, slot_spans):
            return None
        spans: list[tuple[int, int]] = []

        def place(span: tuple[int, int] | None) -> int:
            if span is None:
                return -1
            spans.append(span)
            return 2 * len(spans) - 2

        head, metric, deadline = map(
            place, (reading.head_span, reading.metric_span, reading.deadline_span)
        )
        words = _Words(first.text.lower())
        free_at = dict(zip((s for s, _ in free_spans), free, strict=True))
        recipes: list[_AmountRecipe] = []
        for amount in amounts:
            start, end = amount.span
            token = free_at.get(start)
            inside = [s for s in free_spans if s[0] < end and start < s[1]]
            recipe_free: tuple[int, int, int, float | None] = (-1, 0, 0, None)
            if token is not None or inside:
                if token is None or len(inside) != 1:
                    return None  # a free number read apart or with another one
                found = _free_recipe(tokens[token], token, amount, vocabulary)
                if found is None:
                    return None
                recipe_free = found
            noun = None
            if amount.noun is not None and any(map(vocabulary.is_plain, amount.noun.split())):
                noun = words.phrase(amount.noun.split(), slot_starts)
                if noun is None:
                    return None
            recipes.append((amount, place(amount.span), *recipe_free, _format(noun)))
        cues = place(cue_spans[0]) if cue_spans else -1
        for span in cue_spans[1:]:
            place(span)
        metric_words = None
        if reading.metric_span is not None and _overlaps(reading.metric_span, slot_spans):
            metric_words = _format(words.metric(reading, vocabulary.stop_words, slot_starts))
            if metric_words is None:
                return None
        if (reading.deadline is None) != (reading.deadline_span is None):
            return None  # a deadline is placed by its span
        comparison = None
        if compared is not None:
            low, high = amounts[compared[0]].value, amounts[compared[1]].value
            comparison = (*compared, (high > low) - (high < low))
        positions = tuple(p for span in spans for p in span)
        return cls(
            reading=reading,
            slots=slots,
            slot_lengths=tuple(len(tokens[i]) for i in slots),
            positions=positions,
            slots_before=tuple(bisect_left(slot_starts, p) for p in positions),
            head=head,
            metric=metric,
            deadline=deadline,
            cues=cues,
            metric_words=metric_words,
            amounts=tuple(recipes),
            compared=comparison,
        )

    def layout(self, lengths: tuple[int, ...]) -> _Layout:
        """Where the reading lies in a statement whose plain words have ``lengths``: each
        offset moves by the difference in length of the plain words before it."""
        reading = self.reading
        at: list[int] | tuple[int, ...] = self.positions
        if lengths:
            shift = [0, *accumulate(map(sub, lengths, self.slot_lengths))]
            at = list(map(add, at, map(shift.__getitem__, self.slots_before)))
        head_span = metric_span = deadline_span = None
        if self.head >= 0:
            head_span = _span(at[self.head], at[self.head + 1])
        if self.metric >= 0:
            metric_span = _span(at[self.metric], at[self.metric + 1])
        if self.deadline >= 0:
            deadline_span = _span(at[self.deadline], at[self.deadline + 1])
        cue_data = reading.cue_data
        if self.cues >= 0 and lengths:
            flat = list(cue_data)
            flat[0::3] = at[self.cues :: 2]
            flat[1::3] = at[self.cues + 1 :: 2]
            cue_data = _cue_data(tuple(flat))
        spans = tuple(_span(at[recipe[1]], at[recipe[1] + 1]) for recipe in self.amounts)
        layout = (head_span, metric_span, deadline_span, cue_data, spans)
        if len(self.layouts) < self.LAYOUTS:
            self.layouts[lengths] = layout
        return layout

    def derive(
        self, text: str, tokens: list[str], shared: dict[_AmountKey, ParsedAmount],
        texts: dict[str, str], date_end: date | None = None, tail: int = 0,
    ) -> ParsedStatement | None:  # fmt: skip
        """The reading of ``text`` (cut at single spaces, lower case: ``tokens``), or ``None``
        when its values decide the change otherwise than the template's. For a template
        with a date slot, the deadline runs from ``tail`` (where the date preposition
        starts) to the end and ends on ``date_end``. An amount equal to
        one in ``shared`` is that one (a check keeps every reading: "to 5,000 by" repeats),
        and so is a new amount's text, a noun or a metric equal to one in ``texts`` (a dict
        of the caller's, cheaper than the interpreter's table of interned strings).

        Run for most statements of a large cascade, so written for speed: the offsets come
        from a layout made once for the plain words' lengths, plain words go back into the
        metric and nouns by one format each, and an amount that comes out as the template's
        is the template's."""
        reading = self.reading
        plain = [tokens[i] for i in self.slots]
        lengths = tuple(map(len, plain))
        layout = self.layouts.get(lengths)
        if layout is None:
            layout = self.layout(lengths)
        head_span, metric_span, deadline_span, cue_data, spans = layout
        amounts: list[ParsedAmount] = []
        for (amount, _, token_index, prefix, suffix, magnitude, noun_format), span in zip(
            self.amounts, spans, strict=True
        ):
            piece = text[span[0] : span[1]]
            if token_index < 0:
                if noun_format is None and piece == amount.text and span == amount.span:
                    amounts.append(amount)  # the template's own: shared, not copied
                    continue
                value = amount.value
            else:
                token = tokens[token_index]
                value = float(token[prefix : len(token) - suffix].replace(",", ""))
                if magnitude is not None:
                    value *= magnitude
            noun = amount.noun
            if noun_format is not None:
                noun = noun_format.format(*plain)
                noun = texts.setdefault(noun, noun)
            key = (amount.unit, amount.points, amount.role, amount.marker, value, span, piece,
                   noun)  # fmt: skip
            made = shared.get(key)
            if made is None:
                made = shared[key] = ParsedAmount(
                    _value(value),
                    amount.unit,
                    amount.role,
                    span,
                    texts.setdefault(piece, piece),
                    noun,
                    amount.points,
                    amount.marker,
                )
            amounts.append(made)
        if self.compared is not None:
            low, high, outcome = self.compared
            low_value, high_value = amounts[low].value, amounts[high].value
            if (high_value > low_value) - (high_value < low_value) != outcome:
                return None
        metric = reading.metric
        if self.metric_words is not None:
            metric = self.metric_words.format(*plain)
            metric = texts.setdefault(metric, metric)
        deadline = reading.deadline
        if self.date_cue >= 0 and date_end is not None:
            placed = self.dated.get((lengths, len(text)))
            if placed is None:
                flat = list(cue_data)
                flat[self.date_cue : self.date_cue + 2] = (tail, len(text))
                placed = (_span(tail, len(text)), _cue_data(tuple(flat)))
                if len(self.dated) < 4 * self.LAYOUTS:
                    self.dated[(lengths, len(text))] = placed
            deadline_span, cue_data = placed
            deadline = _period(text[tail:], date_end)
        elif deadline_span is not None and deadline is not None:
            phrase = text[deadline_span[0] : deadline_span[1]]
            if phrase != deadline.text:
                deadline = _period(phrase, deadline.end)
        return ParsedStatement(  # positional, in field order: faster than keywords
            text, reading.language, reading.intent, reading.change, reading.change_source,
            reading.head_verb, head_span, metric, metric_span, tuple(amounts), deadline,
            deadline_span, cue_data, reading.vague_words,
        )  # fmt: skip


def _format(parts: tuple[str | int, ...] | None) -> str | None:
    """``parts`` (words, and plain words by their index) joined by spaces, as a format
    whose ``format(*plain)`` puts the plain words back."""
    if parts is None:
        return None
    return " ".join(
        part.replace("{", "{{").replace("}", "}}") if isinstance(part, str) else f"{{{part}}}"
        for part in parts
    )


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(s < end and start < e for s, e in others)


def _cuts(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """Whether an end of ``span`` lies strictly inside one of ``others``."""
    return any(s < p < e for s, e in others for p in span)


def _free_recipe(
    token: str, index: int, amount: ParsedAmount, vocabulary: Vocabulary
) -> tuple[int, int, int, float | None] | None:
    """How to recompute a free number's value, if the reader's value is the number times
    its own magnitude suffix (else a magnitude word after it also counted: ``None``)."""
    match = vocabulary.free_number(token)
    if match is None:
        return None
    prefix, number, suffix = match.group(1), match.group(2), match.group(3) or ""
    value = float(number.replace(",", ""))
    magnitude = None
    if suffix and suffix != "%":
        magnitude = vocabulary.magnitudes.get(suffix, 1.0)
        value *= magnitude
    if value == 0 or value != amount.value:
        return None  # zero would hide a second factor
    return index, len(prefix), len(suffix), magnitude


def _dated_numbers(
    tokens: list[str], keys: list[str], free: list[int], compiled: _Compiled
) -> tuple[int, ...]:
    """The free numbers (token indices among ``free``) that a deadline pattern the reader
    would try matches into, in the text of ``keys`` (every free digit written as one, which
    every digit class of a pattern accepts; see the module), plain words as in ``tokens``.

    Such a number can decide a deadline ("by 30 September 2026"), so the key keeps it as
    written."""
    if not free:
        return ()
    ones = " ".join(
        key if key != _PLAIN else token for token, key in zip(tokens, keys, strict=True)
    )
    # the patterns the reader tries: those one of the text's words (or a year) triggers, in
    # the form it tries them in (every text with this key is ASCII, or none is)
    present = compiled.deadline_words.intersection(_WORD_SPLIT.split(ones)[1::2])
    if _YEAR.search(ones):
        present = present.union(_YEAR_TRIGGER)
    fast = ones.isascii()
    patterns = [pattern.pick(fast) for _, trigger, pattern, _, _ in compiled.deadlines
                if not trigger.isdisjoint(present)]  # fmt: skip
    if not compiled.month_words.isdisjoint(present):
        patterns.append(compiled.month_only.pick(fast))
    offsets = _offsets(tokens)
    spans = {i: (offsets[i], offsets[i] + len(tokens[i])) for i in free}
    dated: set[int] = set()
    for pattern in patterns:
        position = 0
        while (match := pattern.search(ones, position)) is not None:
            start, end = match.span()
            if end > start:
                dated.update(i for i, (s, e) in spans.items() if s < end and start < e)
            position = start + 1
    return tuple(sorted(dated))


# -- the date slot ---------------------------------------------------------------------------

_SLOT = " \x00\x00"
"""Ends the key of a statement whose date phrase is a slot (no token is ``"\x00\x00"``)."""
_PROBE_LEADS = ("", "1 ", "\u2013 ", "\u20ac1 ")
"""What a date phrase is read after when it is probed (see :func:`_date_of`): nothing, a
number, and the same in a text outside ASCII (the reader's other form of its patterns)."""


def _letters_literal(seq: _Seq) -> bool:
    """Whether every element of ``seq`` (a parsed pattern) that can match a letter names
    that letter: a literal, or a class of literals; so a pattern can match a word only
    through its literals (:func:`pattern_literals`)."""
    for op, av in seq:
        if op is _sre.IN:
            for item, value in av:
                if item is _sre.NEGATE or (
                    item is _sre.RANGE and _LETTERS.intersection(range(value[0], value[1] + 1))
                ) or (item is _sre.CATEGORY and value not in (_sre.CATEGORY_DIGIT,
                                                             _sre.CATEGORY_SPACE)):  # fmt: skip
                    return False
        elif op is _sre.NOT_LITERAL or op is _sre.ANY:
            return False
        elif op is _sre.SUBPATTERN:
            if not _letters_literal(list(av[-1])):
                return False
        elif op is _sre.BRANCH:
            if not all(_letters_literal(list(branch)) for branch in av[1]):
                return False
        elif op in _REPEATS:
            if not _letters_literal(list(av[2])):
                return False
        elif op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            if not _letters_literal(list(av[1])):
                return False
        elif op not in (_sre.LITERAL, _sre.AT, _sre.GROUPREF):
            return False
    return True


def _date_preps(compiled: _Compiled) -> frozenset[str]:
    """The words after which the rest of a statement may be read as a date slot.

    The reader looks from the rest of a statement past such a word only in ways that stop
    at it, so the words after it can change nothing in the reading of the words before it
    (see the module): it ends the metric (a boundary word, no stop word, comparative or
    particle), ends an amount's tail (:attr:`~goalalign.text.statement._Compiled.tail_stops`,
    which excludes every unit, rate and comparative word), starts no vague phrase and is no
    inner word of one, cannot be read into a deadline pattern's match (no literal of a
    deadline pattern holds it, and every letter a pattern matches is a literal) or into a
    longer prefix ("no later than"), and no amount can be read across it."""
    pack = compiled.pack
    candidates = (
        (compiled.prefix_ends & pack.boundary_words & compiled.tail_stops)
        - pack.stop_words
        - pack.more_words
        - pack.fewer_words
        - pack.rate_words
        - frozenset(pack.rate_adverbs)
        - _PARTICLES
        - compiled.vague_first
    )
    patterns = [pattern.any for _, _, pattern, _, _ in compiled.deadlines]
    patterns.append(compiled.month_only.any)
    if not all(
        _letters_literal(list(_parser.parse(p.pattern, p.flags & re.VERBOSE))) for p in patterns
    ):
        return frozenset()  # a pattern could match any word: no word is safe to stop at
    texts = {text for pattern in patterns for text, _, _ in pattern_literals(pattern)}
    vague = {word for phrase in pack.vague_words if " " in phrase for word in phrase.split()}
    prefix_words = sorted({text for text, _, _ in pattern_literals(compiled.prefix.any)})
    runs = [f"{a} " for a in prefix_words] + [f"{a} {b} " for a in prefix_words
                                              for b in prefix_words]  # fmt: skip
    found: set[str] = set()
    for word in candidates:
        if word in vague or any(word in text for text in texts):
            continue
        if any(
            form.match(f"{run}{word} ") for run in runs
            for form in (compiled.prefix.lower, compiled.prefix.any)
        ):  # fmt: skip
            continue  # a prefix could start before it
        probe = f"1 {word} 1"
        if any(
            [m.span() for m in form.finditer(probe)] != [(0, 1), (len(probe) - 1, len(probe))]
            for form in (_AMOUNT.lower, _AMOUNT.any)
        ):
            continue
        found.add(word)
    return frozenset(found)


class _Probe(_Reader):
    """The plain reader, noting every deadline it found; with ``every``, it tries every
    deadline pattern, as if the statement held every trigger word."""

    __slots__ = ("found",)

    def __init__(
        self, text: str, as_of: date, compiled: _Compiled, fye: tuple[int, int],
        language: str, every: bool,
    ) -> None:  # fmt: skip
        super().__init__(text, as_of, compiled, fye, language)
        self.found: list[tuple[int, int, date]] = []
        if every:
            self.cue_words = self.cue_words | compiled.deadline_words

    def _pick_deadline(
        self, found: list[tuple[int, int, date]]
    ) -> tuple[Period | None, Span | None]:
        self.found = sorted(found)
        return super()._pick_deadline(found)


def _date_of(
    tail: str, as_of: date, compiled: _Compiled, fye: tuple[int, int], language: str
) -> date | None:
    """The end date of ``tail`` (a date preposition and the words after it, lower case) as
    the reader reads it at the end of any statement, or ``None`` when it may read otherwise.

    ``tail`` is read by the reader itself after each of :data:`_PROBE_LEADS` (what comes
    before the preposition decides only where the patterns start and which form they take),
    once as it is and once with every deadline pattern tried (the statement's other words
    decide only which patterns are tried). Every reading must find the same deadlines, and
    the picked one must run from the preposition to the end with nothing else read in the
    tail: no amount, cue, verb, metric, change or vague word. A relative deadline ("within
    6 months") looks at the words before it, so a tail it matches is no slot."""
    if not tail.isascii() or "\x00" in tail:
        return None
    for kind, _, pattern, _, _ in compiled.deadlines:
        if kind == "relative" and any(
            match.end() > match.start()
            for form in (pattern.lower, pattern.any)
            for match in form.finditer(tail)
        ):
            return None
    end: date | None = None
    first: list[tuple[int, int, date]] | None = None
    for lead in _PROBE_LEADS:
        text = lead + tail
        start = len(lead)
        for every in (False, True):
            probe = _Probe(text, as_of, compiled, fye, language, every)
            try:
                reading = probe.read()
            except Exception:  # a phrase the reader fails on is read in full, as it degrades
                return None
            found = [(s - start, e - start, day) for s, e, day in probe.found]
            if first is None:
                first = found
            if (
                not found  # a deadline is read from what was found: the probe saw nothing
                or found != first
                or reading.deadline is None
                or reading.deadline_span != (start, len(text))
                or reading.cue_data != (start, len(text), "deadline")
                or reading.head_verb is not None
                or reading.metric is not None
                or reading.intent is not None
                or reading.change is not None
                or reading.vague_words
                or any(amount.span[1] > start for amount in reading.amounts)
                or (end is not None and reading.deadline.end != end)
            ):
                return None
            end = reading.deadline.end
    return end


def _rest_dated(ones: str, compiled: _Compiled) -> bool:
    """Whether any deadline pattern (tried or not), the month pattern or a year matches in
    ``ones``, the words before a date slot as :func:`_dated_numbers` writes them: a rest
    with none reads no deadline whatever words follow it."""
    fast = ones.isascii()
    patterns = [pattern.pick(fast) for _, _, pattern, _, _ in compiled.deadlines]
    patterns += [compiled.month_only.pick(fast), _YEAR]
    return any(m.end() > m.start() for pattern in patterns for m in pattern.finditer(ones))


class _Words:
    """The reader's words of a text, to find the template's metric and nouns among them."""

    __slots__ = ("ends", "lows", "starts")

    def __init__(self, lower: str) -> None:
        parts = _WORD_SPLIT.split(lower)
        offsets = list(accumulate(map(len, parts)))
        self.lows: list[str] = parts[1::2]
        self.starts: list[int] = offsets[0:-1:2]
        self.ends: list[int] = offsets[1::2]

    def _parts(self, keep: list[int], slot_starts: list[int]) -> tuple[str | int, ...]:
        """The words at ``keep``, plain words (those starting where a slot does) by index."""
        out: list[str | int] = []
        for index in keep:
            slot = bisect_left(slot_starts, self.starts[index])
            if slot < len(slot_starts) and slot_starts[slot] == self.starts[index]:
                out.append(slot)
            else:
                out.append(self.lows[index])
        return tuple(out)

    def metric(
        self, reading: ParsedStatement, stop: frozenset[str], slot_starts: list[int]
    ) -> tuple[str | int, ...] | None:
        """The metric's words with plain words by index, if they are the words of its span
        without stop words (the reader's metric), else ``None``."""
        assert reading.metric_span is not None
        start, end = reading.metric_span
        first = bisect_left(self.starts, start)
        last = bisect_left(self.starts, end)
        keep = [i for i in range(first, last) if self.lows[i] not in stop]
        if " ".join(self.lows[i] for i in keep) != reading.metric:
            return None
        return self._parts(keep, slot_starts)

    def phrase(self, words: list[str], slot_starts: list[int]) -> tuple[str | int, ...] | None:
        """``words``, plain words by index, if they occur once among the text's words (a
        counted noun follows its number, or another amount's: ``from 75 to 30 days``)."""
        lows = self.lows
        n = len(words)
        found = [i for i in range(len(lows) - n + 1) if lows[i : i + n] == words]
        if len(found) != 1:
            return None
        return self._parts(list(range(found[0], found[0] + n)), slot_starts)


_vocabularies: dict[int, tuple[_Compiled, Vocabulary]] = {}


def _vocabulary(compiled: _Compiled) -> Vocabulary:
    found = _vocabularies.get(id(compiled))
    if found is None or found[0] is not compiled:
        if len(_vocabularies) > 8:
            _vocabularies.clear()
        found = _vocabularies[id(compiled)] = (compiled, Vocabulary.of(compiled))
    return found[1]


class BatchReader:
    """Reads the statements of one check, by template where statements share one.

    Gives the same reading as :func:`~goalalign.text.statement._read_safely` for every text
    (see the module). Keys are made only while they pay: if no statement found a template
    after a quarter of :attr:`TRIAL` statements, or fewer than one in sixteen after
    :attr:`TRIAL`, the rest are read in full without a key.
    Caches live as long as the reader; make one per check (one ``as_of`` and fiscal year
    end).
    """

    TRIAL = 1024

    __slots__ = ("_amounts", "_as_of", "_compiled", "_dates", "_fye", "_hits", "_language",
                 "_parts", "_preps", "_read", "_templates", "_texts", "enabled")  # fmt: skip

    def __init__(
        self, as_of: date, compiled: _Compiled, fiscal_year_end: tuple[int, int], language: str
    ) -> None:
        self._as_of = as_of
        self._compiled = compiled
        self._fye = fiscal_year_end
        self._language = language
        self._parts = _Parts(_vocabulary(compiled))
        self._templates: dict[str, _First | _Kept | Template | None] = {}
        self._amounts: dict[_AmountKey, ParsedAmount] = {}
        """The amounts derived so far, to share equal ones (see :meth:`Template.derive`)."""
        self._texts: dict[str, str] = {}
        """The words derived so far, likewise."""
        self._dates: dict[str, date | None] = {}
        """The end date of each date slot's phrase seen so far (see :func:`_date_of`)."""
        self._preps = self._parts.vocabulary.date_preps
        self._read = 0
        self._hits = 0
        self.enabled = True

    def _plain(self, text: str) -> ParsedStatement:
        return _read_safely(text, self._as_of, self._compiled, self._fye, self._language)

    def read(self, text: str) -> ParsedStatement:
        """The reading of ``text``: derived from its key's template when it has one (the
        common case, taken first), else as :meth:`_read_keyed` finds."""
        safe = "\x00" not in text if text.isascii() else _UNSAFE.search(text) is None
        if not safe or not self.enabled:
            return self._plain(text)
        self._read += 1
        if (self._read == self.TRIAL // 4 and not self._hits) or (
            self._read == self.TRIAL and self._hits * 16 < self._read
        ):
            self.enabled = False  # statements share too little: plain reads are cheaper
            self._templates.clear()
        tokens = text.lower().split(" ")
        preps = self._preps
        last = len(tokens) - 1
        for index in range(last - 1, max(0, last - 6), -1):  # a date of one to five tokens
            if tokens[index] in preps:
                reading = self._read_dated(text, tokens, index)
                if reading is not None:
                    return reading
                break
        key = " ".join(map(self._parts.__getitem__, tokens))
        entry = self._templates.get(key)
        if isinstance(entry, _Kept):
            entry = self._templates.get(entry.key(key, tokens))
        if not isinstance(entry, Template):
            return self._read_keyed(text, tokens, key)
        self._hits += 1
        return self._derive(entry, text, tokens)

    def _read_dated(self, text: str, tokens: list[str], index: int) -> ParsedStatement | None:
        """The reading of ``text`` by the template of its words up to the date preposition
        at token ``index``, the rest being a date slot; ``None`` when the rest is no date
        slot or the template serves no statement (the statement is then read by its key)."""
        tail = " ".join(tokens[index:])
        date_end = self._date(tail, tokens[index:])
        if date_end is None:
            return None
        templates = self._templates
        key = " ".join(map(self._parts.__getitem__, tokens[: index + 1])) + _SLOT
        entry = templates.get(key, _Unseen.KEY)
        if entry is _Unseen.KEY:
            reading, compared, ok = _read_traced(
                text, self._as_of, self._compiled, self._fye, self._language
            )
            templates[key] = _First(text, reading, compared, ()) if ok else None
            return reading
        if isinstance(entry, _First):
            entry = templates[key] = self._build_dated(entry, index)
        if not isinstance(entry, Template):
            return None
        self._hits += 1
        return self._derive(entry, text, tokens, date_end, len(text) - len(tail))

    def _date(self, tail: str, tokens: list[str]) -> date | None:
        """The end date of the date slot ``tail`` (cut into ``tokens``), as :func:`_date_of`
        reads it, kept for the reader's life. Phrases with no year and no deadline word are
        no slot at once ("by 30%"), and a phrase whose key (see :class:`_Parts`) was no slot
        once is taken for none again ("from 42 days to 21 days"): a slot refused costs only
        speed, never a reading."""
        dates = self._dates
        known = dates.get(tail, _Unseen.KEY)
        if known is not _Unseen.KEY:
            return known
        if len(dates) >= 4096:
            dates.clear()
        compiled = self._compiled
        if _YEAR.search(tail) is None and compiled.deadline_words.isdisjoint(
            _WORD_SPLIT.split(tail)[1::2]
        ):
            dates[tail] = None
            return None
        form = " ".join(map(self._parts.__getitem__, tokens)) + _SLOT
        if form in dates:
            dates[tail] = None
            return None
        found = dates[tail] = _date_of(tail, self._as_of, compiled, self._fye, self._language)
        if found is None:
            dates[form] = None
        return found

    def _build_dated(self, first: _First, index: int) -> Template | None:
        """The template of a date slot's key, from its ``first`` statement, whose date
        preposition is token ``index``; ``None`` when a check fails.

        Besides :meth:`Template.build`'s checks: the words before the slot read no deadline
        whatever follows (:func:`_rest_dated`), nothing of the reading but its deadline lies
        in the slot, and the reading's deadline is the one :func:`_date_of` reads there."""
        text = first.text
        tokens = text.lower().split(" ")
        tail = " ".join(tokens[index:])
        start = len(text) - len(tail)
        date_end = self._date(tail, tokens[index:])
        reading = first.reading
        deadline = reading.deadline
        if (
            date_end is None
            or deadline is None
            or deadline.end != date_end
            or reading.deadline_span != (start, len(text))
        ):
            return None
        data = reading.cue_data
        cues = [i for i in range(0, len(data) - 2, 3) if int(data[i + 1]) > start]
        if len(cues) != 1 or data[cues[0] : cues[0] + 3] != (start, len(text), "deadline"):
            return None
        spans = [amount.span for amount in reading.amounts]
        spans += [span for span in (reading.head_span, reading.metric_span) if span]
        if any(span[1] > start for span in spans):
            return None
        rest = tokens[: index + 1]
        rest_tokens, keys, free = _cut(" ".join(rest), self._parts, ())
        ones = " ".join(
            key if key != _PLAIN else token for token, key in zip(rest_tokens, keys, strict=True)
        )
        if _rest_dated(ones, self._compiled):
            return None
        template = Template.build(first, rest_tokens, keys, free, self._parts.vocabulary)
        if template is None:
            return None
        return attrs.evolve(template, date_cue=cues[0])

    def _read_keyed(self, text: str, tokens: list[str], key: str) -> ParsedStatement:
        """The reading of ``text``, cut into ``tokens``, whose key is ``key``."""
        templates = self._templates
        entry = templates.get(key, _Unseen.KEY)
        kept: tuple[int, ...] = ()
        if isinstance(entry, _Kept):
            kept = entry.indices
            key = entry.key(key, tokens)
            entry = templates.get(key, _Unseen.KEY)
        if entry is _Unseen.KEY:
            reading, compared, ok = _read_traced(
                text, self._as_of, self._compiled, self._fye, self._language
            )
            templates[key] = _First(text, reading, compared, kept) if ok else None
            return reading
        self._hits += 1
        if isinstance(entry, _First):
            first_tokens, keys, free = _cut(entry.text, self._parts, entry.kept)
            dated = _dated_numbers(first_tokens, keys, free, self._compiled)
            if dated and not entry.kept:
                # numbers that decide a deadline: the key keeps them as written
                rule = templates[key] = _Kept(dated)
                templates[rule.key(key, first_tokens)] = attrs.evolve(entry, kept=dated)
                self._hits -= 1
                return self._read_keyed(text, tokens, key)
            entry = templates[key] = None if dated else Template.build(
                entry, first_tokens, keys, free, self._parts.vocabulary
            )
        if not isinstance(entry, Template):
            return self._plain(text)
        return self._derive(entry, text, tokens)

    def _derive(
        self, template: Template, text: str, tokens: list[str], date_end: date | None = None,
        tail: int = 0,
    ) -> ParsedStatement:  # fmt: skip
        shared = self._amounts
        if len(shared) >= 65536:
            shared.clear()
        texts = self._texts
        if len(texts) >= 65536:
            texts.clear()
        return template.derive(text, tokens, shared, texts, date_end, tail) or self._plain(text)


@attrs.frozen(slots=True, eq=False)
class _First:
    """The first statement with a key, read in full, until a second one needs a template."""

    text: str
    reading: ParsedStatement
    compared: tuple[int, int] | None
    kept: tuple[int, ...]
    """The numbers its key keeps as written (see :class:`_Kept`)."""


@attrs.frozen(slots=True, eq=False)
class _Kept:
    """The entry of a key whose numbers at ``indices`` decide a deadline: statements with
    it are looked up by a longer key that holds those numbers as written."""

    indices: tuple[int, ...]

    def key(self, key: str, tokens: list[str]) -> str:
        return "\x00".join([key, *map(tokens.__getitem__, self.indices)])


class _Unseen(enum.Enum):
    """What a look-up of a key not seen yet gives."""

    KEY = 0
