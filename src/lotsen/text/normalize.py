"""Swedish text normalisation shared by taxonomy search and job-ad parsing.

A lotsare types fast and on any keyboard: "lakare" for "Läkare", "montörerna" for
"Montör", "VVS montör" for "VVS-montör". Everything that compares Swedish words
therefore goes through the same steps, so both sides of a comparison agree:

1. :func:`fold` -- casefold and strip diacritics (å/ä→a, ö→o, é→e, ü→u, ø→o, æ→ae).
   Folding loses distinctions (``får``/``far``), which is fine for *matching*; the
   original text is always kept for display.
2. :func:`tokenize` / :func:`terms` -- split into folded word tokens; hyphenated
   words give their parts ("vvs", "montor"), and :func:`index_terms` also adds the
   joined form ("vvsmontor") because people write compounds without the hyphen.
3. :func:`stem` -- the Swedish Snowball stem, folded, used as a *fallback* key
   ("montörerna" → "montor", "undersköterskor" → "underskotersk"). Stems are not
   words: never show them, only compare them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import Stemmer

# Letters that NFKD does not decompose into base letter + combining mark.
_SPECIAL = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ð": "d",
        "đ": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "’": "'",
    }
)

# A word: letters/digits, optionally joined by hyphens ("vvs-montör", "st-läkare").
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# Function words that carry no meaning in an occupation or skill label. They still
# count for exact-label comparison (via :func:`normalize_key`), not for token matching.
STOPWORDS = frozenset(
    {
        "i", "och", "av", "for", "med", "pa", "till", "inom", "en", "ett", "som", "o",
        "vid", "om", "the", "of", "and", "in", "m", "fl",
    }
)

_stemmer = Stemmer.Stemmer("swedish")
# Every combining mark, deleted in one C-level pass (a per-character Python loop was a
# fifth of the ad engine's time on real ads).
_COMBINING_LIMIT = "\u3000"
_COMBINING = {cp: None for cp in range(ord(_COMBINING_LIMIT)) if unicodedata.combining(chr(cp))}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefold and remove diacritics: ``"Läkare, ST"`` → ``"lakare, st"``.

    Swedish keyboards are not always at hand (phones, foreign laptops), and people
    drop the dots; matching must not depend on them.
    """
    return _fold(text)


def fold_aligned(text: str) -> str:
    """:func:`fold` with one character out per character in, so offsets into the folded
    text are offsets into ``text`` (a whole ad, folded once and searched by regex).
    ``str.lower`` and then one ``str.replace`` per distinct non-ASCII character of the
    text (an ad has a handful: å ä ö é – •), a tenth of the cost of :func:`fold` on a
    whole ad; where folding changes the length ("…" → "...", "ß" → "ss") the
    character's fold is cut to its first character. Characters from U+3000 up are
    only lower-cased."""
    table = _aligned_table()
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters
        return text.translate(table)
    if lowered.isascii():
        return lowered
    for ch in set(lowered):
        if ch >= "\x80" and (to := table.get(ord(ch))) is not None:
            lowered = lowered.replace(ch, to)
    return lowered


@cache
def _aligned_table() -> dict[int, str]:
    table = {}
    for cp in range(ord(_COMBINING_LIMIT)):
        folded = (_fold(chr(cp)) or " ")[0]
        if folded != chr(cp):
            table[cp] = folded
    return table


def _fold(text: str) -> str:
    lowered = text.casefold().translate(_SPECIAL)
    folded = unicodedata.normalize("NFKD", lowered).translate(_COMBINING)
    if folded and max(folded) >= _COMBINING_LIMIT:  # rare scripts: check every character
        return "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded


def _words(text: str) -> list[list[str]]:
    """Casefolded words (diacritics kept, for the stemmer), each as its hyphen parts."""
    return [word.split("-") for word in _WORD.findall(text.casefold())]


def terms(text: str) -> list[tuple[str, str]]:
    """``(folded token, stem key)`` per token: what search compares a query by.

    ``"Montörerna"`` → ``[("montorerna", "montor")]``. The stem is taken from the
    word *with* its diacritics when the user typed them (see :func:`stem`).
    """
    found: list[tuple[str, str]] = []
    for parts in _words(text):
        for part in parts:
            token = fold(part)
            if token:
                found.append((token, stem(part)))
    return found


def index_terms(text: str) -> list[tuple[str, str]]:
    """:func:`terms` plus each hyphenated word joined: what a label is indexed under.

    ``"VVS-montör"`` → ``vvs``, ``montor`` and ``vvsmontor``, so that a query typed
    as one word ("vvsmontör") still finds it as a whole token.
    """
    found: list[tuple[str, str]] = []
    for parts in _words(text):
        for part in parts:
            if fold(part):
                found.append((fold(part), stem(part)))
        if len(parts) > 1:
            joined = "".join(parts)
            found.append((fold(joined), stem(joined)))
    return found


def tokenize(text: str) -> list[str]:
    """Folded word tokens; hyphenated words are split into their parts.

    ``"VVS-montör, Lärling"`` → ``["vvs", "montor", "larling"]``. Punctuation and
    slashes separate tokens.
    """
    return [token for token, _ in terms(text)]


def content_tokens(tokens: list[str]) -> list[str]:
    """``tokens`` without function words, unless that would leave nothing."""
    kept = [t for t in tokens if t not in STOPWORDS]
    return kept or tokens


def normalize_key(text: str) -> str:
    """One comparable string for a whole label: folded tokens joined by single spaces.

    ``"Kock, fartyg"`` and ``"kock fartyg"`` give the same key, so exact-label and
    label-prefix comparisons ignore punctuation and spacing.
    """
    return " ".join(tokenize(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Folded Swedish Snowball stem of a casefolded word: a fallback matching key.

    Plural and definite forms collapse onto one key: "montörer", "montörerna",
    "montorerna" → "montor"; "undersköterskor", "undersköterska" → "underskotersk".
    The stemmer runs *before* folding because its suffixes are spelt with å/ä/ö:
    folded first, "montör" would lose "-or" like a plural and stop matching. A user
    who types "montor" still matches "montör" as a whole token, so nothing is lost.
    Snowball leaves the definite "-an" of words in "-a" alone ("sjuksköterskan"), so
    that ending is removed first. Digits and very short words are only folded.
    """
    if len(word) < 4 or word.isdigit():
        return fold(word)
    if len(word) > 5 and word.endswith("an"):
        word = word[:-1]
    return fold(_stemmer.stemWord(word))
