"""Statement similarity: normalisation, rewording robustness, and linear near-duplicate search."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalalign.text.families import DEFAULT_THESAURUS, Family, Thesaurus
from goalalign.text.similarity import (
    _TOKEN,
    NearDuplicateIndex,
    Similarity,
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
    sets = []
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
