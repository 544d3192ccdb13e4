"""Language packs: the words and patterns a statement reader needs, kept apart from the reader.

The reader in :mod:`goalalign.text.statement` knows *how* a goal statement is built (a verb
of change, the measured thing, amounts with roles, a deadline); a :class:`LanguagePack` knows
*which words* play those parts in one language. Adding a language is therefore a data task:
build a pack with the same fields as :data:`goalalign.text.lang_en.ENGLISH` and register it
with :func:`register_language`. Nothing in the reader mentions an English word.

Deadline patterns are regular-expression fragments with named groups; the reader resolves
the groups (``year``, ``quarter``, ``month``, ``count``, ``span``, ...) into a date, so a pack
only says how a language writes "by the end of Q3 2026", not how to compute its last day.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import attrs

__all__ = [
    "LanguagePack",
    "UnknownLanguageError",
    "get_language",
    "language_codes",
    "register_language",
]


@attrs.frozen(slots=True)
class LanguagePack:
    """The vocabulary of one language for reading goal statements.

    Word sets hold lower-case single words unless said otherwise; multi-word entries (such as
    ``"roll out"`` or ``"world-class"``) are matched on the lower-cased, whitespace-normalised
    text. Every field is documented by what the reader does with it.
    """

    code: str
    """The language code (``"en"``) under which the pack is registered."""

    increase_verbs: frozenset[str]
    """Verbs that say the measured thing should go up (``increase``, ``grow``, ``add``)."""
    decrease_verbs: frozenset[str]
    """Verbs that say it should go down (``reduce``, ``cut``, ``halve``)."""
    maintain_verbs: frozenset[str]
    """Verbs that say it should stay where it is (``keep``, ``maintain``, ``sustain``)."""
    achieve_verbs: frozenset[str]
    """Verbs of reaching a state or level without a direction (``achieve``, ``reach``)."""
    polar_verbs: frozenset[str]
    """Verbs of "making better" whose direction depends on the measure (``improve``): a time or
    a cost improves by going down, a rate or revenue by going up."""

    activity_verbs: frozenset[str]
    """Verbs of doing (``hold``, ``attend``, ``conduct``): effort, not its effect."""
    output_verbs: frozenset[str]
    """Verbs of producing a deliverable (``submit``, ``publish``, ``launch``)."""
    activity_nouns: frozenset[str]
    """Nouns naming activities (``meetings``, ``workshops``, ``calls``)."""
    output_nouns: frozenset[str]
    """Nouns naming produced things (``reports``, ``articles``, ``applications``)."""
    result_cues: frozenset[str]
    """Nouns of measured results (``rate``, ``time``, ``satisfaction``, ``revenue``): a goal
    about one of these states a result whatever its verb."""
    result_measures: frozenset[str]
    """The strongest result cues (``rate``, ``satisfaction``, ``revenue``, ``defects``): a
    statement or KPI naming one measures a result even when its verb is an activity."""
    population_nouns: frozenset[str]
    """People and things served (``customers``, ``patients``, ``homes``): a result when
    they grow or shrink, mere reach when they are called, visited or emailed."""
    generic_heads: frozenset[str]
    """Heads that defer to what follows ``of`` (``number of meetings`` is about meetings)."""
    activity_participles: frozenset[str]
    """Participles in KPI names that count doing (``held``, ``attended``)."""
    output_participles: frozenset[str]
    """Participles in KPI names that count producing (``posted``, ``submitted``)."""
    lower_is_better: frozenset[str]
    """Result nouns that improve by going down (``time``, ``cost``, ``defects``); decides the
    direction of a polar verb."""
    vague_words: frozenset[str]
    """Weasel words (``improve``, ``world-class``, ``leverage``) that make a statement vague
    when no measurable object follows them."""
    measure_nouns: frozenset[str]
    """Head nouns that make a phrase measurable (``rate``, ``number``, ``share``, ``score``)."""

    more_words: frozenset[str]
    """Comparatives after an amount that mean an increase (``more``, ``extra``)."""
    fewer_words: frozenset[str]
    """Comparatives after an amount that mean a decrease (``fewer``, ``less``)."""
    multipliers: Mapping[str, float]
    """Verbs or adverbs that multiply (``double`` 2, ``halve`` 0.5, ``triple`` 3)."""
    number_words: Mapping[str, float]
    """Numbers written as words (``three`` 3, ``dozen`` 12)."""
    fraction_words: Mapping[str, float]
    """Fractions (``half`` 0.5, ``third``): ``by half`` is a 50% change, ``in half`` halves."""
    label_nouns: frozenset[str]
    """Nouns whose following number is a name, not an amount (``Year 6``, ``line 3``,
    ``ISO 9001``)."""
    magnitude_words: Mapping[str, float]
    """Scale words after a number (``thousand``, ``million``, ``bn``)."""
    month_names: Mapping[str, int]
    """Month names and abbreviations, lower case, to month numbers."""
    time_units: Mapping[str, str]
    """Words of duration to pint unit names (``days`` -> ``day``)."""
    rate_words: frozenset[str]
    """Words that make the following time unit a rate (``per``, ``a``, ``each``, ``every``)."""
    rate_adverbs: Mapping[str, str]
    """Single words that are rates (``daily`` -> ``day``, ``monthly`` -> ``month``)."""
    unit_words: Mapping[str, str]
    """Words after a number that are units goalalign understands (``percent`` -> ``percent``,
    ``dollars`` -> ``USD``); everything else after a number is a counted noun."""
    point_words: frozenset[str]
    """Words that make a percent a percentage point (``points``, ``pp``)."""

    baseline_markers: frozenset[str]
    """Words or phrases before an amount that mark it as the starting value (``from``,
    ``up from``, ``instead of``)."""
    target_markers: frozenset[str]
    """Words or phrases before an amount that mark it as the value to reach (``to``,
    ``at least``)."""
    change_markers: frozenset[str]
    """Words before an amount that mark it as the size of the change (``by``)."""
    stop_words: frozenset[str]
    """Determiners and pronouns left out of a normalised metric phrase."""
    function_words: frozenset[str]
    """Prepositions and conjunctions that end a counted noun (``3 sales people and ...``)."""
    boundary_words: frozenset[str]
    """Words that end the measured-thing phrase (``while``, ``so``, ``through``)."""

    deadline_prefix: str
    """A regex matched backwards from each deadline found (it ends with ``$``): the words that
    may precede a deadline, with named groups ``prep``, ``before`` ("before X" ends the day
    before X starts) and ``endof`` ("end of", "start of"). It may look back at most one
    character before where its match starts (a word boundary): the reader keeps what it found per
    text from the character before the first word it tries."""
    deadline_patterns: tuple[tuple[str, str, str], ...]
    """``(kind, trigger, regex)`` triples; each regex uses named groups the reader knows, and
    is tried only when one of its ``trigger`` words (space-separated, lower case; ``<year>``
    for "the text has a four-digit year") is among the statement's words, so most statements
    try only a few patterns. ``<digits:N>`` in ``trigger`` says that every match has a digit
    and starts at most N words before its first one, so the reader starts looking there.
    ``kind`` says how to resolve it: ``"absolute"`` (named period groups), ``"year"`` (a bare
    year, a deadline only after a preposition), ``"quarter"`` (a quarter without a year: the
    next one), ``"season"``, ``"relative"`` (``count`` and ``span`` from ``as_of``; it carries
    its own preposition), ``"next"``/``"this"`` (the next or current calendar ``span``).
    A ``"year"`` match starts with its four-digit year (19xx or 20xx): the reader looks for
    it from the first such year on. Wherever a pattern's digit classes accept some digit they
    also accept ``1`` (and ``11``) with a valid date: reading by template
    (:mod:`goalalign.text.statement_templates`) relies on it to tell which numbers a deadline
    may read."""
    within_spans: frozenset[str]
    """Duration units for which "within N <unit>" is a measured target, never a deadline
    (``within 4 hours`` is a response time)."""
    deadline_prefix_ends: frozenset[str] = frozenset()
    """Every word a :attr:`deadline_prefix` can end with (``by``, ``of``, ``the``): before any
    other word the reader knows there is no prefix without trying the pattern. Empty means
    unknown: the reader then tries the pattern before every deadline (slower, same result)."""
    deadline_prefix_starts: frozenset[str] = frozenset()
    """Every word a non-empty :attr:`deadline_prefix` match can start with (``by``, ``the``,
    ``end``): the reader tries the pattern only at these words. Empty means unknown: the
    reader then tries it at every word before a deadline (slower, same result)."""


_lock = threading.Lock()
_registry: dict[str, LanguagePack] = {}


class UnknownLanguageError(KeyError):
    """No pack is registered for the requested language code."""


def register_language(code: str, pack: LanguagePack) -> None:
    """Make ``pack`` available as ``code``; a later registration replaces an earlier one."""
    with _lock:
        _registry[code.lower()] = pack


def get_language(code: str) -> LanguagePack:
    """The pack registered for ``code``; English is always available as ``"en"``."""
    key = code.lower()
    pack = _registry.get(key)
    if pack is None and key == "en":
        from goalalign.text import lang_en

        pack = lang_en.ENGLISH
        register_language("en", pack)
    if pack is None:
        raise UnknownLanguageError(
            f"no language pack for {code!r}; registered: {', '.join(language_codes()) or 'none'}"
        )
    return pack


def language_codes() -> tuple[str, ...]:
    """The codes of the registered language packs, sorted."""
    with _lock:
        codes = set(_registry)
    codes.add("en")
    return tuple(sorted(codes))
