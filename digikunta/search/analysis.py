"""Text analysis for search: words to index terms, queries to alternatives, highlighted snippets.

Pure functions; no database. Finnish goes through Voikko (base forms and compound parts), Swedish
and English through Snowball stemmers. Snowball alone is too weak for Finnish (kunta → kun but
kuntien → kunt), so it is only the fallback when Voikko is missing. Finnish is never unaccented:
ä, ö and å are letters of their own. See docs/search.md.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
# Longer words are noise (hashes, base64); the cap also keeps every term well under PostgreSQL's
# 2 kB lexeme limit.
MAX_WORD_LENGTH = 64
PREFIX_MIN_LENGTH = 3
CACHE_SIZE = 100_000

# A word is a run of letters and digits. A Finnish case ending after a colon (EU:n, 2024:ssä) and
# an English possessive ('s) belong to the word but are not part of the term.
WORD = re.compile(r"[^\W_]+(?P<suffix>:[^\W\d_]{1,4}(?![^\W_])|['’]s(?![^\W_]))?")
PLAIN_WORD = re.compile(r"[^\W_]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": _word_set(
        "ja tai sekä eli että jos kun kuin mutta vaan myös niin jo vain ei en et emme ette eivät"
        " on ovat oli olivat ole olla olen olet olemme olette se sen sitä ne niiden niitä joka"
        " jonka jota jotka joiden mikä mitä tämä tämän tätä nämä näiden hän he me te minä sinä"
    ),
    "sv": _word_set(
        "och i att det som en ett på är av för med till den de om har inte var jag du han hon"
        " vi ni men så kan ska eller från vid sig sin dess detta dessa här där"
    ),
    "en": _word_set(
        "a an the and or of to in on for is are was were be by with as at this that from"
    ),
}
ANY_STOP_WORD = frozenset().union(*STOP_WORDS.values())

# Readings that are names are dropped when the word also has an ordinary reading:
# "Koski" is the noun koski (rapids) before it is the town.
NAME_CLASSES = frozenset({"etunimi", "sukunimi", "paikannimi"})
MAX_COMPOUND_PARTS = 6


# --- Voikko -----------------------------------------------------------------------------------

_voikko_lock = threading.Lock()
_voikko: Any = None
_voikko_failed = False
_fallback_warned = False


def _load_voikko() -> Any:
    """A new Voikko instance for Finnish; raises when libvoikko or its dictionary is missing."""
    from libvoikko import Voikko

    return Voikko("fi")


def _get_voikko() -> Any:
    """The process's one Voikko instance, created on first use; None when unavailable."""
    global _voikko, _voikko_failed
    if _voikko is None and not _voikko_failed:
        with _voikko_lock:
            if _voikko is None and not _voikko_failed:
                try:
                    _voikko = _load_voikko()
                except Exception:  # OSError (no libvoikko), VoikkoException (no dictionary)…
                    _voikko_failed = True
    return _voikko


def voikko_available() -> bool:
    """True when Finnish is analysed with Voikko; False when it falls back to Snowball."""
    return _get_voikko() is not None


def _use_voikko() -> bool:
    """Whether to use Voikko now; logs the fallback once per process."""
    global _fallback_warned
    if voikko_available():
        return True
    if not _fallback_warned:
        _fallback_warned = True
        logger.warning("Voikko not available: Finnish search falls back to Snowball")
    return False


def status() -> dict[str, str | None]:
    """How Finnish is analysed, for an admin status page."""
    version = None
    if voikko_available():
        try:
            from libvoikko import Voikko

            version = Voikko.getVersion()
        except Exception:  # the version is informative only
            version = None
    return {"finnish": "voikko" if voikko_available() else "snowball", "voikko_version": version}


@functools.lru_cache(maxsize=CACHE_SIZE)
def _voikko_readings(word: str) -> tuple[tuple[str, str], ...]:
    """(base form, structure) of each reading of ``word``, names dropped when others exist."""
    voikko = _get_voikko()
    if voikko is None:
        return ()
    # libvoikko's handle is not thread-safe; one analysis takes ~0.03 ms, so a lock is enough.
    with _voikko_lock:
        analyses = voikko.analyze(word)
    readings = [
        (a.get("BASEFORM", ""), a.get("STRUCTURE", ""), a.get("CLASS", "")) for a in analyses
    ]
    readings = [r for r in readings if r[0]]
    if any(cls not in NAME_CLASSES for _, _, cls in readings):
        readings = [r for r in readings if r[2] not in NAME_CLASSES]
    unique: dict[tuple[str, str], None] = {}
    for base, structure, _ in readings:
        unique[(base.lower(), structure)] = None
    return tuple(unique)


def compound_parts(word: str, base: str, structure: str) -> list[str]:
    """The parts of a compound base form, split where Voikko's STRUCTURE starts a new part.

    STRUCTURE describes the inflected ``word`` ("=pppp=ppppppppp" for tilavarauksen), but only
    the last part inflects, so the same letter offsets split the base form (tila + varaus). When
    the word and base form differ before the last boundary (numerals inflect every part), the
    base form is not split.
    """
    boundaries = []
    offset = 0
    for char in structure:
        if char == "=":
            if offset:
                boundaries.append(offset)
        else:
            offset += 1
    if not boundaries or boundaries[-1] >= len(base):
        return [base]
    if word.lower()[: boundaries[-1]] != base[: boundaries[-1]]:
        return [base]
    edges = [0, *boundaries, len(base)]
    parts = [base[start:end] for start, end in zip(edges, edges[1:], strict=False)]
    return [part for part in parts if part.isalnum()] or [base]


def _joins(parts: list[str]) -> list[str]:
    """Runs of two or more adjacent parts, the whole excluded: tila+varaus → tilavaraus."""
    if len(parts) < 3 or len(parts) > MAX_COMPOUND_PARTS:
        return []
    return [
        "".join(parts[start:end])
        for start in range(len(parts))
        for end in range(start + 2, len(parts) + 1)
        if end - start < len(parts)
    ]


# --- Snowball ---------------------------------------------------------------------------------

_stemmers = threading.local()
_SNOWBALL_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}


@functools.lru_cache(maxsize=CACHE_SIZE)
def stem(word: str, language: str) -> str:
    """Snowball stem of a lowercased word; stemmers keep state, so each thread has its own."""
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer(_SNOWBALL_NAMES[language])
        setattr(_stemmers, language, stemmer)
    return str(stemmer.stemWord(word))


# --- Words to terms ---------------------------------------------------------------------------


def _normalise(text: str) -> str:
    # NFC: a decomposed ä (a + combining diaeresis) would otherwise split the word.
    return unicodedata.normalize("NFC", text)


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of each word in NFC-normalised ``text``; the span covers suffixes.

    Tokens are NFKC-folded (ﬁ → fi, m² → m2, ½ → 1, 2; ä stays ä), so they hold only letters and
    digits that FTS5 and PostgreSQL's parser also read as one word.
    """
    spans = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if match.group("suffix"):
            word = word[: -len(match.group("suffix"))]
        folded = unicodedata.normalize("NFKC", word).lower()
        tokens = [folded] if folded.isalnum() else PLAIN_WORD.findall(folded)
        spans += [
            (match.start(), match.end(), token) for token in tokens if len(token) <= MAX_WORD_LENGTH
        ]
    return spans


def tokenize(text: str) -> list[str]:
    """Lowercased words of ``text``: letters (ä, ö and å included) and digits.

    A hyphen separates words (kunta-alan → kunta, alan; sosiaali- ja terveyspalvelut → sosiaali,
    ja, terveyspalvelut), so a hyphenated compound matches its parts written either way. Case
    endings after a colon are dropped (EU:n → eu).
    """
    return [token for _, _, token in _word_spans(_normalise(text))]


def language_code(language: str) -> str:
    """ "fi", "sv" or "en" for a language code such as "fi-FI"; ValueError for any other."""
    code = (language or "").lower()[:2]
    if code not in LANGUAGES:
        raise ValueError(f"Search supports the languages {LANGUAGES}, not {language!r}.")
    return code


def _clean(term: str) -> str:
    # A base form with a hyphen or dot would be two words to FTS5 and PostgreSQL; keep one.
    return term if term.isalnum() else "".join(PLAIN_WORD.findall(term))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _word_terms(token: str, language: str, voikko: bool) -> tuple[str, ...]:
    """Index terms of one lowercased token: the word itself plus its base forms or stem."""
    terms = [token]
    if language == "fi" and voikko:
        readings = _voikko_readings(token)
        if not readings:
            terms.append(stem(token, "fi"))
        for base, structure in readings:
            parts = compound_parts(token, base, structure)
            terms.append(base)
            if len(parts) > 1:
                terms += parts + _joins(parts)
    else:
        terms.append(stem(token, language))
    return tuple(dict.fromkeys(term for term in map(_clean, terms) if term))


def analyse(text: str, language: str) -> list[str]:
    """Index terms of ``text`` in ``language`` ("fi", "sv" or "en"), in text order.

    Each word gives itself (for type-ahead prefixes) plus, in Finnish, every Voikko base form and
    the compound parts with their adjacent joins (tilavarausjärjestelmän → tilavarausjärjestelmä,
    tila, varaus, järjestelmä, tilavaraus, varausjärjestelmä); words Voikko does not know, and
    Swedish and English words, give their Snowball stem. Stop words are dropped. Repeated words
    repeat their terms, which ranking counts.
    """
    code = language_code(language)
    voikko = _use_voikko() if code == "fi" else False
    stop_words = STOP_WORDS[code]
    terms: list[str] = []
    for token in tokenize(text):
        if token not in stop_words:
            terms += _word_terms(token, code, voikko)
    return terms


# --- Queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: what was typed, what matches it, and whether it may be unfinished."""

    token: str
    alternatives: frozenset[str]
    is_prefix: bool = False


@functools.lru_cache(maxsize=CACHE_SIZE)
def _query_alternatives(token: str, voikko: bool) -> frozenset[str]:
    alternatives = {stem(token, "sv"), stem(token, "en")}
    readings = _voikko_readings(token) if voikko else ()
    if readings:
        # The whole base form only: "tilavaraus" must not match a text that only has "tila".
        alternatives.update(base for base, _ in readings)
    else:
        alternatives.update((token, stem(token, "fi")))
    return frozenset(term for term in map(_clean, alternatives) if term)


def parse_query(query: str) -> list[QueryWord]:
    """The words of a search query, each with the terms that may match it.

    The query's language is unknown, so each word's alternatives are the union of its Finnish,
    Swedish and English analyses. Words that are stop words in any of them are dropped. The last
    word is a prefix too (type-ahead) when it has at least three letters. The query is cut at
    ``MAX_QUERY_LENGTH`` characters and ``MAX_QUERY_WORDS`` words.
    """
    tokens = [t for t in tokenize(query[:MAX_QUERY_LENGTH]) if t not in ANY_STOP_WORD]
    tokens = list(dict.fromkeys(tokens))[:MAX_QUERY_WORDS]
    voikko = _use_voikko()
    words = [QueryWord(token, _query_alternatives(token, voikko)) for token in tokens]
    if words and len(words[-1].token) >= PREFIX_MIN_LENGTH:
        words[-1] = QueryWord(words[-1].token, words[-1].alternatives, is_prefix=True)
    return words


def analyse_query(query: str) -> list[set[str]]:
    """One set of alternative terms per query word: a match needs one term of every set."""
    return [set(word.alternatives) for word in parse_query(query)]


# --- Highlighting -----------------------------------------------------------------------------

ELLIPSIS = "…"


def _is_match(terms: tuple[str, ...], words: list[QueryWord]) -> bool:
    for word in words:
        if word.alternatives.intersection(terms):
            return True
        if word.is_prefix and any(term.startswith(word.token) for term in terms):
            return True
    return False


def _window(text: str, anchor: int, max_length: int) -> tuple[int, int]:
    """Bounds of at most ``max_length`` characters around ``anchor``, cut at whitespace."""
    start = max(0, min(anchor - max_length // 4, len(text) - max_length))
    end = min(len(text), start + max_length)
    if start > 0:
        space = text.find(" ", start, anchor)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > anchor else end
    return start, end


def highlight(text: str, query: str, language: str, *, max_length: int = 240) -> SafeString:
    """A snippet of ``text`` around the first word matching ``query``, matches in ``<mark>``.

    A word matches when its index terms share a term with a query word (so "kokeilu" marks
    "kokeiluista"), or start with an unfinished last query word. The text is HTML-escaped; an
    ellipsis marks a cut end. Without a match the snippet is the start of the text.
    """
    code = language_code(language)
    text = _normalise(text)
    words = parse_query(query)
    voikko = _use_voikko() if code == "fi" else False
    stop_words = STOP_WORDS[code]

    def matches(token: str) -> bool:
        return token not in stop_words and _is_match(_word_terms(token, code, voikko), words)

    spans = _word_spans(text)
    first = next((span for span in spans if words and matches(span[2])), None)
    start, end = 0, len(text)
    if len(text) > max_length:
        start, end = _window(text, first[0] if first else 0, max_length)
    pieces = [ELLIPSIS] if start > 0 else []
    position = start
    for word_start, word_end, token in spans:
        if word_start < start or word_end > end:
            continue
        if words and matches(token):
            pieces.append(escape(text[position:word_start]))
            pieces.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
            position = word_end
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return mark_safe("".join(pieces).strip())  # noqa: S308 (every piece of text is escaped)
