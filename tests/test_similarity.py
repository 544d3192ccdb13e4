"""Statement similarity: normalisation, rewording robustness, and linear near-duplicate search."""

from __future__ import annotations

import collections
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalalign.domain.model import Change
from goalalign.text.families import DEFAULT_THESAURUS, Family, Thesaurus
from goalalign.text.similarity import (
    _TOKEN,
    SLOT,
    NearDuplicateIndex,
    Similarity,
    TemplateReader,
    TokenSimilarity,
    _token,
    _token_of,
    containment,
    extract_numbers,
    jaccard,
    normalise,
    stem,
    tokens_and_hits,
)

SIM = TokenSimilarity()


# -- normalisation ----------------------------------------------------------------------------


def test_numbers_become_placeholders_and_are_kept_apart() -> None:
    result = normalise("Increase US sales from $60m to $78m by 30% by Q3 2026")
    assert "#" in result.tokens
    assert not any(f[0].isdigit() for f in result.features)
    assert result.numbers == {"6e+07", "7.8e+07", "30%"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$6m", "6 million"),
        ("30%", "30 percent"),
        ("1,500 homes", "1500 homes"),
    ],
)
def test_amounts_normalise_to_one_spelling(a: str, b: str) -> None:
    assert extract_numbers(a) == extract_numbers(b) != frozenset()


def test_years_and_quarter_labels_are_not_amounts() -> None:
    assert extract_numbers("by Q3 2026") == frozenset()
    assert extract_numbers("by the end of FY2027") == frozenset()
    assert extract_numbers("$2026") == {"2026"}  # with a unit it is an amount


def test_family_phrases_become_one_token() -> None:
    assert "@cost" in SIM.features("Cut operating expenditure")
    assert SIM.features("Cut spending") == SIM.features("Cut expenditure") == {"~down", "@cost"}


def test_stop_words_months_and_case_are_dropped() -> None:
    assert SIM.features("Reduce THE backlog by December") == {"~down", "@time"}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("reduce", "reduced", "reducing", "reduces"), "reduc"),
        (("deliveries", "delivery", "delivered"), "deliver"),
        (("approval", "approvals", "approved"), "approv"),
        (("housing", "houses", "housed"), "hous"),
    ],
)
def test_stemmer_sends_word_forms_to_one_stem(words: tuple[str, ...], expected: str) -> None:
    assert {stem(w) for w in words} == {expected}


def test_stems_keep_three_letters() -> None:
    assert all(len(stem(w)) >= 3 for w in ("uses", "ties", "acted", "eyes", "aged"))


# -- similarity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cut operating expenditure by 8%", "Reduce operating expenses by 8 percent"),
        ("Boost sales in APAC", "Grow APAC sales"),
        ("Reduce the median social-housing wait", "Cut the median wait for social housing"),
        ("Lower staff turnover in finance", "Reducing staff-turnover in Finance"),
    ],
)
def test_rewordings_are_alike(a: str, b: str) -> None:
    assert SIM.similarity(a, b) >= 0.75


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cut operating expenditure by 8%", "Raise weekday foot traffic in the centre"),
        ("Increase US territory sales", "Cut carbon emissions from the fleet"),
    ],
)
def test_unrelated_statements_are_not(a: str, b: str) -> None:
    assert SIM.similarity(a, b) < 0.2


def test_similarity_is_symmetric_and_one_on_itself() -> None:
    a, b = "Cut lead time for spare parts", "Reduce spare parts stock"
    assert SIM.similarity(a, b) == SIM.similarity(b, a)
    assert SIM.similarity(a, a) == 1.0
    assert SIM.similarity("", "") == 0.0


def test_token_similarity_satisfies_the_protocol() -> None:
    assert isinstance(SIM, Similarity)


def test_jaccard_and_containment() -> None:
    a, b = frozenset("abc"), frozenset("bcd")
    assert jaccard(a, b) == 0.5
    assert containment(frozenset("bc"), b) == 1.0
    assert jaccard(frozenset(), b) == containment(frozenset(), b) == 0.0


# -- near-duplicate index -------------------------------------------------------------------------

_VOCAB = [f"w{i}" for i in range(40)]


@given(
    st.lists(st.frozensets(st.sampled_from(_VOCAB), max_size=8), max_size=30),
    st.sampled_from([0.5, 0.7, 0.85, 1.0]),
)
def test_index_finds_exactly_the_pairs_brute_force_finds(
    sets: list[frozenset[str]], threshold: float
) -> None:
    index = NearDuplicateIndex(threshold, max_postings=10_000)
    found = {(p.first, p.second) for p in index.pairs(sets)}
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(sets)), 2)
        if jaccard(sets[i], sets[j]) >= threshold
    }
    assert found == expected


@given(
    st.lists(st.frozensets(st.sampled_from(_VOCAB), max_size=8), max_size=6),
    st.lists(st.frozensets(st.sampled_from(_VOCAB), max_size=8), max_size=30),
)
def test_search_finds_exactly_the_matches_brute_force_finds(
    targets: list[frozenset[str]], queries: list[frozenset[str]]
) -> None:
    index = NearDuplicateIndex(0.6, max_postings=10_000)
    found = {(t, q) for t, q, _ in index.search(targets, queries)}
    expected = {
        (t, q)
        for t in range(len(targets))
        for q in range(len(queries))
        if jaccard(targets[t], queries[q]) >= 0.6
    }
    assert found == expected


def test_threshold_must_be_a_proportion() -> None:
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(0.0)


def _word(prefix: str, i: int) -> str:
    return prefix + "".join(chr(97 + (i // 26**k) % 26) for k in range(3)) + "x"


def _statements(n: int, seed: int) -> list[frozenset[str]]:
    """Goal-like feature sets: a few common words, a few rarer ones, some exact repeats."""
    rng = random.Random(seed)
    common = [_word("common", i) for i in range(30)]
    rare = [_word("rare", i) for i in range(20)]
    sets: list[frozenset[str]] = []
    for _ in range(n):
        if sets and rng.random() < 0.1:
            sets.append(rng.choice(sets))
            continue
        words = rng.sample(common, 3) + rng.sample(rare, 4)
        sets.append(SIM.features(" ".join(words)))
    return sets


def test_comparisons_grow_linearly_not_quadratically() -> None:
    """Ten times the goals may cost at most about ten times the comparisons; a pairwise loop
    would cost a hundred times as many and fail here. The vocabulary is small on purpose, so
    posting lists are full at both sizes (the worst case for an inverted index)."""
    small, large = NearDuplicateIndex(0.8), NearDuplicateIndex(0.8)
    small_pairs = list(small.pairs(_statements(1_000, 1)))
    large_pairs = list(large.pairs(_statements(10_000, 1)))
    assert small_pairs
    assert large_pairs
    assert small.comparisons > 0
    assert large.comparisons <= 15 * small.comparisons, (small.comparisons, large.comparisons)
    # every goal probes at most its prefix (2 features for 7-feature sets at 0.8) x the cap
    assert large.comparisons <= 10_000 * 2 * large.max_postings


# -- the token stream by its definition ---------------------------------------------------------

_FRAGMENTS = st.one_of(
    st.sampled_from(
        ["operating cost", "on-time delivery", "costs", "cost per brief", "per hire", "co2",
         "Reduce", "cut", "by", "the", "US", "sales", "Housing's", "x'cost", "@cost", "hires"]
    ),
    st.sampled_from([" ", "  ", "-", "\t", "\n", "\u00a0", "\u2003", ", ", ". ", "(", "/", "'"]),
    st.sampled_from(["8%", "$6m", "0,000", "2.5", "٣", "é", "İ", "_", "@"]),
    st.text(max_size=3),
)


def _spliced(text: str, thesaurus: Thesaurus = DEFAULT_THESAURUS) -> list[str]:
    """The token stream as defined: ``@family`` markers put in place of the family phrases,
    then the text split into words and each word turned into its token."""
    lower = text.lower()
    for hit in reversed(thesaurus.detect_lower(lower)):
        lower = f"{lower[: hit.span[0]]} @{hit.family} {lower[hit.span[1] :]}"
    tokens: list[str] = []
    for word in _TOKEN.findall(lower):
        token = _token_of.get(word)
        if token is None:
            token = word if word[0] == "@" else _token(word)
        if token and (not tokens or token != tokens[-1]):
            tokens.append(token)
    return tokens


@given(st.lists(_FRAGMENTS, max_size=14).map("".join))
def test_token_stream_is_the_spliced_text_split_into_words(text: str) -> None:
    tokens, hits = tokens_and_hits(text)
    assert tokens == _spliced(text)
    assert hits == DEFAULT_THESAURUS.detect_lower(text.lower())


def test_family_names_that_are_no_plain_words_split_like_the_marker() -> None:
    thesaurus = Thesaurus([Family("Bed Days", {"bed day": None}), Family("co2", {"waste": None})])
    text = "Cut bed days and waste by 8% in ward 2"
    tokens, _ = tokens_and_hits(text, thesaurus)
    assert tokens == _spliced(text, thesaurus)
    assert tokens_and_hits(text)[0] == _spliced(text)


# -- reading by template ------------------------------------------------------------------------

_PLAIN_WORDS = ["nunudormi", "plants", "largest", "zq", "ab", "residents", "superb", "costa"]
_TEMPLATE_WORDS = st.one_of(
    st.sampled_from(_PLAIN_WORDS),
    st.sampled_from(
        ["cost per", "time per", "spend per", "cost per unit", "per", "hire", "lead time",
         "customer churn", "the", "a", "each", "single", "next", "year", "of", "by", "to",
         "reduce", "cut", "bring", "down", "8%", "$6m", "on-time", "x'cost", "Cost,", "@cost"]
    ),
    st.text(alphabet="abcz -'", min_size=1, max_size=4),
)
_SEPARATORS = st.sampled_from([" ", " ", " ", " ", "  ", "-", "\t", " - "])


@settings(max_examples=400)
@given(st.lists(st.tuples(_TEMPLATE_WORDS, _SEPARATORS), max_size=10))
def test_reading_by_template_gives_the_reading_of_the_text(words: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in words).strip()
    reader = TemplateReader(keep=["bring"])
    assert reader.tokens_and_hits(text) == tokens_and_hits(text)
    for other in _PLAIN_WORDS:  # the same template, other plain words
        variant = " ".join(other if w in _PLAIN_WORDS else w for w in text.split(" "))
        assert reader.tokens_and_hits(variant) == tokens_and_hits(variant)


def test_texts_that_differ_in_plain_words_share_one_template() -> None:
    reader = TemplateReader()
    first, first_stems = reader.read("Cut the cost of printing at the Nunudormi plants by 12%")
    second, second_stems = reader.read("Cut the cost of printing at the Toosfabel depots by 12%")
    assert first is second
    assert first_stems == ["print", "nunudorm", "plant"]
    assert second_stems == ["print", "toosfabel", "depot"]
    # a plain word that a ratio's denominator holds is read in full, not by template
    ratio, stems = reader.read("Cut the cost per hip replacement by 5%")
    assert stems == []
    assert SLOT not in ratio.tokens
    assert ratio.hits[0].per == "hip replacement"


@pytest.mark.parametrize(
    "text",
    [
        "Cut the cost per brief next year",  # "next" ends the denominator
        "Cut the cost per brief next quarter at the Nunudormi plants",
        "Cut the cost per single brief",  # "single" is skipped before it
        "Cut the cost per residents",  # "resident" is no output: no ratio
        "Cut the time per ticket at the Nunudormi plants by 8%",
        "Cut the cost per brief by printing at the Nunudormi plants",
    ],
)
def test_denominators_read_by_template(text: str) -> None:
    reader = TemplateReader()
    reader.read("Cut the time per ticket at the Toosfabel depots by 8%")  # a shared template
    assert reader.tokens_and_hits(text) == tokens_and_hits(text)


def test_a_new_family_phrase_stops_a_word_being_plain() -> None:
    thesaurus = Thesaurus([Family("cost", {"cost": Change.DECREASE})])
    reader = TemplateReader(thesaurus)
    text = "Cut the cost of rework in the depots"
    assert reader.read(text)[1] == ["rework", "depot"]
    thesaurus.add(Family("quality", {"rework": Change.DECREASE}))
    template, stems = reader.read(text)
    assert stems == ["depot"]
    assert "@quality" in template.tokens
    assert reader.tokens_and_hits(text) == tokens_and_hits(text, thesaurus)


# -- near-duplicate search with capped posting lists ---------------------------------------------


def _plain_prefix_search(
    sets: list[frozenset[str]], threshold: float, cap: int, groups: list[int | None]
) -> list[tuple[int, int, float]]:
    """Prefix filtering without the index's extra filters: every holder of every prefix
    feature is compared."""
    index = NearDuplicateIndex(threshold, cap)
    frequency = collections.Counter(f for s in sets for f in s)
    rank = {f: n for n, f in enumerate(sorted(frequency, key=lambda f: (frequency[f], f)))}
    postings: dict[str, list[int]] = {}
    found = []
    for i, features in enumerate(sets):
        if not features:
            continue
        seen: set[int] = set()
        prefix = sorted(features, key=rank.__getitem__)[: index.prefix_length(len(features))]
        for feature in prefix:
            holders = postings.setdefault(feature, [])
            for j in holders:
                if j in seen or (groups[i] is not None and groups[i] == groups[j]):
                    continue
                seen.add(j)
                if jaccard(features, sets[j]) >= threshold:
                    found.append((j, i, jaccard(features, sets[j])))
            if len(holders) < cap:
                holders.append(i)
    return found


_SET_SPECS = st.lists(
    st.tuples(
        st.booleans(),
        st.integers(0, 59),
        st.lists(st.sampled_from(_VOCAB[:24]), max_size=2),
        st.frozensets(st.sampled_from(_VOCAB[:24]), max_size=12),
    ),
    max_size=60,
)


def _near_duplicates(
    specs: list[tuple[bool, int, list[str], frozenset[str]]],
) -> list[frozenset[str]]:
    """Sets of up to 12 features, many one or two features away from an earlier one."""
    sets: list[frozenset[str]] = []
    for derived, base, toggled, fresh in specs:
        if derived and sets:
            features = set(sets[base % len(sets)])
            for word in toggled:
                features.symmetric_difference_update({word})
            sets.append(frozenset(features))
        else:
            sets.append(fresh)
    return sets


@settings(max_examples=300)
@given(
    _SET_SPECS.map(_near_duplicates),
    st.sampled_from([0.5, 0.6, 0.75, 0.85, 0.9, 1.0]),
    st.sampled_from([1, 2, 4, 32]),
    st.lists(st.sampled_from([None, 1, 2]), min_size=60, max_size=60),
)
def test_index_finds_the_pairs_of_a_plain_prefix_search_in_its_order(
    sets: list[frozenset[str]], threshold: float, cap: int, groups: list[int | None]
) -> None:
    """With capped posting lists the index finds what plain prefix filtering finds (no more:
    a capped list hides some pairs), in the same order, whatever its extra filters skip."""
    labels = groups[: len(sets)]
    found = [
        (p.first, p.second, p.similarity)
        for p in NearDuplicateIndex(threshold, cap).pairs(sets, labels)
    ]
    assert found == _plain_prefix_search(sets, threshold, cap, labels)


@settings(max_examples=200)
@given(
    _SET_SPECS.map(_near_duplicates),
    st.sampled_from([0.5, 0.75, 0.85, 1.0]),
    st.sampled_from([1, 4, 32]),
    st.lists(st.sampled_from([None, 1, 2]), min_size=60, max_size=60),
)
def test_index_reads_sets_given_as_tuples_as_the_frozensets(
    sets: list[frozenset[str]], threshold: float, cap: int, groups: list[int | None]
) -> None:
    """Sets given as tuples of distinct features (in any order) pair as the same sets given
    as frozensets: same pairs, same similarities, same order."""
    labels = groups[: len(sets)]
    as_tuples = [tuple(sorted(s, reverse=n % 2 == 1)) for n, s in enumerate(sets)]
    with_sets = list(NearDuplicateIndex(threshold, cap).pairs(sets, labels))
    assert list(NearDuplicateIndex(threshold, cap).pairs(as_tuples, labels)) == with_sets


@settings(max_examples=100)
@given(
    _SET_SPECS.map(_near_duplicates),
    _SET_SPECS.map(_near_duplicates),
    st.sampled_from([0.5, 0.6, 0.85]),
)
def test_search_reads_queries_given_as_tuples_as_the_frozensets(
    targets: list[frozenset[str]], queries: list[frozenset[str]], threshold: float
) -> None:
    as_tuples = [tuple(sorted(q)) for q in queries]
    with_sets = list(NearDuplicateIndex(threshold).search(targets, queries))
    assert list(NearDuplicateIndex(threshold).search(targets, as_tuples)) == with_sets
