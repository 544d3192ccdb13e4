"""Reading statements by template gives the plain reader's reading, field by field."""

from __future__ import annotations

import random
import re
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import goalalign as ga
from goalalign.engine.context import CheckContext
from goalalign.loading.readers import document_to_cascade
from goalalign.testing.generator import generate_document, iter_goals
from goalalign.text import statement as reader
from goalalign.text.statement import ParsedStatement, parsed_statements
from goalalign.text.statement_templates import (
    BatchReader,
    Template,
    Vocabulary,
    _date_of,
    pattern_literals,
)

AS_OF = date(2026, 6, 1)
FYE = (6, 30)
COMPILED = reader._compiled("en")
VOCABULARY = Vocabulary.of(COMPILED)


def plain(text: str) -> ParsedStatement:
    return reader._read_safely(text, AS_OF, COMPILED, FYE, "en")


def batch_reader() -> BatchReader:
    return BatchReader(AS_OF, COMPILED, FYE, "en")


def assert_same_readings(texts: list[str]) -> BatchReader:
    """Every text read by template reads as the plain reader reads it (``repr`` compares
    every field, and tells ``2`` from ``2.0``)."""
    batch = batch_reader()
    for text in texts:
        assert repr(batch.read(text)) == repr(plain(text)), text
    return batch


# -- what counts as plain and free ----------------------------------------------------------


@pytest.mark.parametrize("word", ["nunudormi", "selbelfabel", "tomivensel", "quantum"])
def test_plain_words(word: str) -> None:
    assert VOCABULARY.is_plain(word)


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("increase", "a verb of the pack"),
        ("customers", "a word of the pack"),
        ("the", "a stop word"),
        ("bathe", "ends like the deadline prefix's unguarded 'the'"),
        ("offer", "begins like the 'of' a quarter's look-ahead refuses"),
        ("fyodor", "begins like 'FY' in the same look-ahead"),
        ("percentile", "begins like 'percent' after a year"),
        ("twodays", "a count and a span the relative pattern reads without a space"),
        ("ore", "the ending of 'more', where a noun search could find it"),
        ("ab", "too short"),
        ("on-time", "not letters only"),
        ("sales,", "punctuation"),
    ],
)
def test_words_that_are_not_plain(word: str, why: str) -> None:
    assert not VOCABULARY.is_plain(word), why


def test_pattern_literals_tell_guarded_from_open_literals() -> None:
    def literals(pattern: str) -> list[tuple[str, bool, bool]]:
        return sorted(pattern_literals(re.compile(pattern, re.IGNORECASE)))

    assert literals(r"\bfoo\b") == [("foo", False, False)]
    assert literals(r"(?<![A-Za-z])by\s+") == [("by", False, False)]
    # searched from anywhere, nothing guards the start of "the"
    assert literals(r"(?:the\s+)?$") == [("the", True, False)]
    # a look-ahead reads the start of the next word only
    assert literals(r"\bQ\d(?!\s*(?:FY|of))") == [
        ("fy", False, True),
        ("of", False, True),
        ("q", False, False),
    ]
    # the parser factors "th" out of the alternation; the literals are still whole words
    assert literals(r"\bth(?:e|is)\b") == [("the", False, False), ("this", False, False)]


@pytest.mark.parametrize("token", ["3,113", "$2.6m", "€29.9m", "35%", "17", "0.5", "$5k"])
def test_free_numbers(token: str) -> None:
    assert VOCABULARY.free_number(token) is not None


@pytest.mark.parametrize(
    "token", ["2026", "2,026.2026", "10x", "5th", "q3", "fy27", "1234567890123456", "5,00"]
)
def test_numbers_that_are_not_free(token: str) -> None:
    assert VOCABULARY.free_number(token) is None


# -- the readings -----------------------------------------------------------------------------


def test_a_generated_cascade_reads_the_same_and_shares_templates() -> None:
    texts = list(dict.fromkeys(goal["statement"] for goal in iter_goals(4000, seed=3)))
    batch = assert_same_readings(texts)
    assert batch.enabled
    assert batch._hits > len(texts) // 3  # many statements came from a template


def test_names_numbers_offsets_and_case_are_put_back() -> None:
    first = "Raise repeat orders in online sales at Selbelfabel from 4,367 to 5,458 by Q4 2026"
    other = "RAISE repeat orders in online sales at Moskavelinto from 7,001 to 8,500 by Q4 2026"
    batch = assert_same_readings([first, other])
    reading = batch.read(other)
    assert [a.value for a in reading.amounts] == [7001.0, 8500.0]
    assert [a.text for a in reading.amounts] == ["7,001", "8,500"]
    assert reading.head_verb == "raise"
    assert batch._hits == 2


_ONE_SHAPE = [
    "Cut cost of rework at Belkadorto by 12% by Q4 2026",
    "Cut cost of rework at Tarmidorra by 31% BY Q4 2026",
    "Cut cost of rework at Fafaosto by 47% by q4 2026",
    "Cut cost of rework at Zut by 47% by Q4 2026",
]


def _template(batch: BatchReader) -> Template:
    (template,) = [entry for entry in batch._templates.values() if isinstance(entry, Template)]
    return template


def test_names_of_one_length_share_a_layout_and_each_deadline_keeps_its_case() -> None:
    batch = assert_same_readings(_ONE_SHAPE)
    readings = [batch.read(text) for text in _ONE_SHAPE]
    assert [r.deadline.text for r in readings] == [  # type: ignore[union-attr]
        "by Q4 2026", "BY Q4 2026", "by q4 2026", "by Q4 2026",
    ]  # fmt: skip
    assert sorted(_template(batch).layouts) == [(3,), (8,), (10,)]


def test_layouts_past_the_limit_are_made_for_each_statement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Template, "LAYOUTS", 1)
    batch = assert_same_readings(_ONE_SHAPE + _ONE_SHAPE[::-1])
    assert list(_template(batch).layouts) == [(10,)]


def test_a_number_that_decides_the_deadline_is_kept() -> None:
    texts = [
        "Cut cost of rework at Belkadorto by 12% by 30 September 2026",
        "Cut cost of rework at Fafaosto by 31% by 12 September 2026",
        "Cut cost of rework at Tarmidorra by 7% by 30 September 2026",
    ]
    batch = assert_same_readings(texts)
    ends = [batch.read(text).deadline.end for text in texts]  # type: ignore[union-attr]
    assert ends == [date(2026, 9, 30), date(2026, 9, 12), date(2026, 9, 30)]


def test_a_change_decided_by_the_numbers_is_decided_again() -> None:
    texts = [
        "Keep incidents at Belkadorto from 6,000 to 4,000 by 2027",
        "Keep incidents at Fafaosto from 4,000 to 6,000 by 2027",
        "Keep incidents at Tarmidorra from 5,000 to 5,000 by 2027",
        "Keep incidents at Dorquizenos from 9,000 to 1,000 by 2027",
    ]
    batch = assert_same_readings(texts)
    changes = [batch.read(text).change for text in texts]
    assert [c.value if c else None for c in changes] == [
        "decrease", "increase", "maintain", "decrease",
    ]  # fmt: skip


def test_equal_amounts_are_shared_and_told_apart_by_every_field() -> None:
    texts = [
        "Lift share at Belkadorto from 5 to 7 percentage points by 2027",
        "Lift share at Fafaostoo from 5 to 7 percentage points by 2027",
        "Lift share at Belkadorto from 5 to 7% by 2027",
        "Lift share at Fafaostoo from 5 to 7% by 2027",
        "Lift share at Tarmidorr from 5 to 7% by 2027",
    ]
    batch = assert_same_readings(texts)  # the baseline "5" differs only in ``points``
    fourth, fifth = batch.read(texts[3]), batch.read(texts[4])
    assert fourth.amounts[0] is fifth.amounts[0]


def test_counted_nouns_with_plain_words() -> None:
    assert_same_readings(
        [
            "Hire 30 quantum engineers at Belkadorto by 2027",
            "Hire 12 quantum welders at Fafaosto by 2027",
            "Cut waits from 75 to 30 days at Tarvel",
            "Cut waits from 60 to 21 days at Mosdor",
        ]
    )


def test_text_outside_ascii_is_read_in_full() -> None:
    texts = ["Raise café sales at Belkadorto to 5,000", "Raise café sales at Mosdor to 6,000"]
    batch = assert_same_readings(texts)
    assert batch._hits == 0


def test_keys_stop_when_nothing_is_shared() -> None:
    texts = [f"Deliver report number {n} on time ({n})" for n in range(BatchReader.TRIAL + 50)]
    batch = assert_same_readings(texts)
    assert not batch.enabled


def test_parsed_statements_reads_a_large_cascade_by_template() -> None:
    count = reader._READ_ALONE + 500
    goals = "\n".join(
        f"  - {{id: g{n}, team: t, statement: 'Raise repeat orders at Site{chr(97 + n % 26)}"
        f"{chr(97 + n // 26 % 26)} from {n + 1:,} to {2 * n + 3:,} by 30 June 2027'}}"
        for n in range(count)
    )
    cascade = ga.loads(
        "goalalign: 1\norganisation: {name: Example, as_of: 2026-06-01}\n"
        f"teams:\n  - {{id: t, name: Team}}\ngoals:\n{goals}\n",
        format="yaml",
    )
    readings = CheckContext(cascade).derive(parsed_statements)
    assert len(readings) == count
    for goal in cascade.goals:
        expected = reader._read_safely(goal.statement, AS_OF, COMPILED, (12, 31), "en")
        assert repr(readings[goal.id]) == repr(expected)


def test_parsed_statements_reads_plainly_where_the_template_reader_cannot_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cascade = document_to_cascade(generate_document(600, seed=5))
    expected = CheckContext(cascade).derive(parsed_statements)
    monkeypatch.setattr(reader, "_READ_ALONE", 10)
    # as on a Python whose regular-expression parser moved: the module cannot be imported
    monkeypatch.setitem(sys.modules, "goalalign.text.statement_templates", None)
    readings = CheckContext(cascade).derive(parsed_statements)
    assert [repr(readings[g.id]) for g in cascade.goals] == [
        repr(expected[g.id]) for g in cascade.goals
    ]


# -- any mix of shapes, names and numbers ----------------------------------------------------

_SYLLABLES = ["bel", "dor", "fa", "ka", "lo", "mi", "nu", "os", "qui", "rin", "sel", "tar", "ven"]
_TRICKY = [
    "the", "bathe", "offer", "fyodor", "percentile", "twodays", "more", "ore", "q3", "h1",
    "fy27", "in", "within", "days", "per", "cent", "2026", "30", "September", "x", "-", "",
    "of", "by", "from", "to", "up", "down", "double", "half", "none", "two", "a",
]  # fmt: skip
names = st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4).map(
    lambda parts: "".join(parts).capitalize()
)
numbers = st.one_of(
    st.integers(0, 999).map(str),
    st.integers(1000, 99_999_999).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.integers(0, 150).map(lambda n: f"{n}%"),
    st.tuples(st.sampled_from("$€£"), st.integers(1, 999), st.sampled_from(["m", "k", "bn", ""]))
    .map(lambda t: f"{t[0]}{t[1] / 10}{t[2]}"),
)  # fmt: skip
verbs = st.sampled_from(["Increase", "Cut", "Keep", "Hold", "Bring", "Improve", "Move", "Hire"])
metrics = st.sampled_from(
    ["repeat orders", "cost per order", "time to hire", "system availability", "waits"]
)
deadlines = st.sampled_from(
    ["by 30 September 2026", "by Q4 2026", "by the end of FY2027", "within 6 months",
     "in 40 days", "by December 2026", "until 2027", ""]
)  # fmt: skip
shapes = st.sampled_from(
    [
        "{verb} {metric} at {name} from {n1} to {n2} {deadline}",
        "{verb} {metric} at {name} by {n1} {deadline}",
        "{verb} {n1} {name} {metric} {deadline}",
        "{verb} {metric} for {name} {name2} to {n1} {deadline}",
        "{verb} {metric} at {name} down to {n1} days {deadline}",
        "{verb} {metric} {word} {name} {n1} {word2} {n2} {deadline}",
    ]
)


@st.composite
def statements(draw: st.DrawFn) -> str:
    shape = draw(shapes)
    return shape.format(
        verb=draw(verbs), metric=draw(metrics), name=draw(names), name2=draw(names),
        n1=draw(numbers), n2=draw(numbers), deadline=draw(deadlines),
        word=draw(st.sampled_from(_TRICKY)), word2=draw(st.sampled_from(_TRICKY)),
    ).strip()  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(statements(), min_size=2, max_size=40))
def test_any_batch_reads_as_the_plain_reader(texts: list[str]) -> None:
    assert_same_readings(texts)


def _other_digits(text: str, rng: random.Random) -> str:
    return re.sub(r"\d", lambda _: str(rng.randrange(10)), text)


@settings(max_examples=150, deadline=None)
@given(statements(), st.lists(st.tuples(names, st.randoms()), min_size=1, max_size=20))
def test_one_shape_with_any_names_and_numbers(
    text: str, fills: list[tuple[str, random.Random]]
) -> None:
    """Statements that share a key: the first one with other names and other digits."""
    variants = [text]
    for name, rng in fills:
        words = [name if w[:1].isupper() and i else w for i, w in enumerate(text.split(" "))]
        variants.append(_other_digits(" ".join(words), rng))
    assert_same_readings(variants)


# -- the date slot: statements that differ only in their date share a template ---------------

_DATED = [
    "Cut cost of rework at Belkadorto by 12% by 30 September 2026",
    "Cut cost of rework at Fafaosto by 31% by Q4 2026",
    "Cut cost of rework at Tarmidorra by 17% BY December 2027",
    "Cut cost of rework at Zut by 47% by 2027",
    "Cut cost of rework at Mosdorvel by 15% by the end of FY2027",
    "Cut cost of rework at Quinutar by 19% by Q1",
]


def _slot_templates(batch: BatchReader) -> list[Template]:
    return [e for e in batch._templates.values() if isinstance(e, Template) and e.date_cue >= 0]


def test_statements_that_differ_only_in_their_date_share_one_template() -> None:
    batch = assert_same_readings(_DATED)
    assert len(batch._templates) == 1
    assert len(_slot_templates(batch)) == 1
    assert batch._hits == len(_DATED) - 1  # all but the first came from the template
    readings = [batch.read(text) for text in _DATED]
    assert [r.deadline.end for r in readings] == [  # type: ignore[union-attr]
        date(2026, 9, 30), date(2026, 12, 31), date(2027, 12, 31), date(2027, 12, 31),
        date(2027, 6, 30), date(2027, 3, 31),
    ]  # fmt: skip
    assert readings[2].deadline.text == "BY December 2027"  # type: ignore[union-attr]
    assert readings[2].cues[-1].text == "BY December 2027"


@pytest.mark.parametrize(
    "date_phrase",
    ["by 31 February 2027", "by Q5 2026", "by 2101", "within 6 months", "by Q4 2026 at Zut"],
)
def test_a_date_phrase_the_reader_does_not_read_as_a_deadline_is_no_slot(
    date_phrase: str,
) -> None:
    """"31" of an impossible date is an amount, a relative deadline looks at the words
    before it, and a phrase with words after its date is no date phrase."""
    texts = [*_DATED[:2], f"Cut cost of rework at Tarmidorra by 17% {date_phrase}"]
    batch = assert_same_readings(texts)
    assert len(_slot_templates(batch)) == 1
    assert batch._hits == 1  # the third statement was not derived from the template
    tail = date_phrase.lower()
    assert _date_of(tail, AS_OF, COMPILED, FYE, "en") is None


def test_a_fiscal_year_slot_is_read_with_the_check_s_fiscal_year_end() -> None:
    texts = [_DATED[0], _DATED[4], "Cut cost of rework at Zut by 44% by the end of FY2028"]
    for fye, end in (((6, 30), date(2028, 6, 30)), ((3, 31), date(2028, 3, 31))):
        batch = BatchReader(AS_OF, COMPILED, fye, "en")
        for text in texts:
            expected = reader._read_safely(text, AS_OF, COMPILED, fye, "en")
            assert repr(batch.read(text)) == repr(expected)
        assert batch.read(texts[2]).deadline.end == end  # type: ignore[union-attr]
        assert batch._hits >= 2


def test_a_date_is_read_from_as_of_where_it_needs_it() -> None:
    texts = [
        _DATED[0],
        "Cut cost of rework at Zut by 44% by Q1",
        "Cut cost of rework at Zut by 44% by the end of May",
    ]
    for as_of in (date(2026, 2, 1), date(2026, 6, 1)):
        batch = BatchReader(as_of, COMPILED, FYE, "en")
        for text in texts:
            assert repr(batch.read(text)) == repr(
                reader._read_safely(text, as_of, COMPILED, FYE, "en")
            )
        assert batch._hits == 2


def test_a_rest_that_reads_a_deadline_makes_no_slot() -> None:
    texts = [
        "Launch the portal at Belkadorto in Q2 2026 and scale it by Q4 2026",
        "Launch the portal at Fafaosto in Q2 2026 and scale it by December 2026",
        "Launch the portal at Tarmidorra in Q2 2026 and scale it by 2027",
    ]
    batch = assert_same_readings(texts)
    assert not _slot_templates(batch)


def test_only_words_that_stop_every_look_ahead_start_a_date_slot() -> None:
    preps = VOCABULARY.date_preps
    assert {"by", "until", "through"} <= preps
    # the relative pattern reads these itself, so a match could start before the date
    assert not {"within", "in", "during", "for", "over"} & preps
    # not boundary words: the metric could run on past them
    assert not {"at", "to", "of", "the"} & preps


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            names,
            st.sampled_from(["by", "until", "through", "before", "from", "BY", "within", "in"]),
            st.one_of(
                st.tuples(st.integers(0, 33), st.sampled_from(["February", "June", "Sept"]),
                          st.integers(1890, 2110)).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
                st.tuples(st.integers(0, 6), st.integers(1998, 2102)).map(
                    lambda t: f"Q{t[0]} {t[1]}"),
                st.integers(1890, 2110).map(str),
                st.integers(0, 99).map(lambda n: f"the end of FY{n:02d}"),
                st.sampled_from(
                    ["May", "the end of May", "Q2", "next year", "6 months", "H2 2027"]
                ),
            ),
        ),
        min_size=2,
        max_size=12,
    )
)
def test_any_dates_in_one_shape_read_as_the_plain_reader(
    fills: list[tuple[str, str, str]],
) -> None:
    texts = [f"Raise repeat orders at {n} from 4,367 to 5,458 {p} {w}" for n, p, w in fills]
    assert_same_readings(texts)
