"""Token postings with the five ways a typed Swedish word can match a known word.

Search ranks a whole label, but the evidence comes token by token. For one folded
query token, :meth:`Vocabulary.lookup` returns every document (an int id chosen by
the caller) that holds a matching token, with a *quality* saying how good the match
is. Qualities are ordered so that ranking follows what a lotsare expects:

=========  =====================================================  =======
kind       example (query → label token)                          quality
=========  =====================================================  =======
exact      "lakare" → "lakare"                                    0.72
stem       "montorerna" → "montor"                                0.62
prefix     "ingenj" → "ingenjor" (typing in progress)             0.55–0.59
compound   "chauffor" → "lastbilschauffor", "godschauffor" → ...  0.50
fuzzy      "svetsre" → "svetsare" (1 edit), 2 edits from 8 chars  0.40/0.35
=========  =====================================================  =======

Only the best kind per document counts. Typo matching runs only for a token that
is no known word (and has no known stem): it is the slowest lookup and the noisiest.
Such a token is read as a typo of a close known word first and, only when there is
none, as a new compound ("godschauffor" → head "chauffor").
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lotsen.text.normalize import stem

EXACT = 0.72
STEM = 0.62
PREFIX = 0.55
PREFIX_SPAN = 0.04
COMPOUND = 0.50
FUZZY = 0.40
FUZZY_STEP = 0.05

MIN_PREFIX = 2          # shorter query tokens are matched exactly only
MAX_PREFIX_TOKENS = 200  # completions considered for one prefix (the shortest win)
MIN_HEAD = 4            # a compound's head word has at least this many letters
MIN_MODIFIER = 3        # ... and its modifier ("gods", "last", "bus") at least this many
MAX_FUZZY_CHOICES = 12


def max_edits(token: str) -> int:
    """Typos tolerated for a token of this length: none below 5 letters, 2 from 8."""
    if len(token) < 5:
        return 0
    return 1 if len(token) < 8 else 2


class Vocabulary:
    """Folded tokens → ids of the documents holding them, plus derived lookups.

    Each token comes with its stem key (:func:`lotsen.text.normalize.stem` of the
    word as written, diacritics and all), which the caller computes once.
    """

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.stem_of: dict[str, str] = {}
        self.stems: dict[str, list[int]] = defaultdict(list)
        # head word → documents holding a compound that ends with it ("chauffor" →
        # documents with "lastbilschauffor"); built against the whole vocabulary.
        self.heads: dict[str, list[int]] = defaultdict(list)
        self.stem_heads: dict[str, list[int]] = defaultdict(list)  # same, by head stem
        self._sorted: list[str] = []
        self._by_length: dict[int, list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self.postings)

    def add(self, token: str, token_stem: str, doc: int) -> None:
        """Record ``doc`` under ``token``; call :meth:`finish` once after bulk adds."""
        docs = self.postings.get(token)
        if docs is None:
            self.postings[token] = [doc]
            self.stem_of[token] = token_stem
        elif docs[-1] != doc:
            docs.append(doc)
        stems = self.stems[token_stem]
        if not stems or stems[-1] != doc:
            stems.append(doc)

    def finish(self) -> None:
        """Build the sorted, by-length and compound-head views after bulk adds."""
        self._sorted = sorted(self.postings)
        self._by_length = defaultdict(list)
        for token in self._sorted:
            self._by_length[len(token)].append(token)
        self.heads = defaultdict(list)
        self.stem_heads = defaultdict(list)
        for token, docs in self.postings.items():
            for head in self._heads_of(token):
                self.heads[head].extend(docs)
                self.stem_heads[self.stem_of[head]].extend(docs)
        for table in (self.heads, self.stem_heads):
            for head, docs in table.items():
                table[head] = sorted(set(docs))

    def add_late(self, token: str, token_stem: str, doc: int) -> None:
        """Add one token after :meth:`finish`, keeping every view current.

        Used for synonyms added at run time; scans the vocabulary once for compounds
        that end with a new word, so it costs a few milliseconds, not a rebuild.
        """
        new = token not in self.postings
        self.add(token, token_stem, doc)
        if new:
            bisect.insort(self._sorted, token)
            bisect.insort(self._by_length[len(token)], token)
        for head in self._heads_of(token):
            self._add_head(head, [doc])
        if new and len(token) >= MIN_HEAD:
            for other, docs in self.postings.items():
                if len(other) >= len(token) + MIN_MODIFIER and other.endswith(token):
                    self._add_head(token, docs)

    def _add_head(self, head: str, docs: Iterable[int]) -> None:
        for table, key in ((self.heads, head), (self.stem_heads, self.stem_of[head])):
            held = table[key]
            held.extend(d for d in docs if d not in held)

    def _heads_of(self, token: str) -> list[str]:
        """Known words that ``token`` ends with, leaving a modifier of 3+ letters."""
        return [
            token[i:]
            for i in range(MIN_MODIFIER, len(token) - MIN_HEAD + 1)
            if token[i:] in self.postings
        ]

    def split(self, token: str) -> tuple[str, str, str] | None:
        """(modifier, head, head stem) for an unknown compound, longest head first.

        ``"godschauffor"`` → ``("gods", "chauffor", "chauffor")``; the head may be an
        inflected form of a known word ("godschaufforer"). None when no known word
        ends it.
        """
        for i in range(MIN_MODIFIER, len(token) - MIN_HEAD + 1):
            head = token[i:]
            if head in self.postings:
                return token[:i], head, self.stem_of[head]
            if len(head) > MIN_HEAD and stem(head) in self.stems:
                return token[:i], head, stem(head)
        return None

    def completions(self, prefix: str) -> list[str]:
        """Known tokens that start with ``prefix`` (not equal to it), shortest first."""
        if len(prefix) < MIN_PREFIX:
            return []
        lo = bisect.bisect_left(self._sorted, prefix)
        hi = bisect.bisect_left(self._sorted, prefix + "\uffff", lo)
        found = [t for t in self._sorted[lo:hi] if t != prefix]
        if len(found) > MAX_PREFIX_TOKENS:
            found = heapq.nsmallest(MAX_PREFIX_TOKENS, found, key=len)
        return found

    def near(self, token: str) -> list[tuple[str, int]]:
        """Known tokens within :func:`max_edits` edits (a swap counts as one edit)."""
        edits = max_edits(token)
        if not edits:
            return []
        choices: list[str] = []
        for length in range(len(token) - edits, len(token) + edits + 1):
            choices.extend(self._by_length.get(length, ()))
        found = process.extract(
            token, choices, scorer=OSA.distance, score_cutoff=edits, limit=MAX_FUZZY_CHOICES
        )
        return [(choice, int(distance)) for choice, distance, _ in found if distance > 0]

    def lookup(self, token: str, token_stem: str, prefix: bool = True) -> dict[int, float]:
        """Documents matching one folded query token, each with its best quality.

        ``prefix=False`` skips completions: for words in the middle of a query, where
        a short token ("st", "el") would otherwise pull in hundreds of words. A token
        that is no known word is first read as a typo of one (a close known word),
        and only failing that as a new compound ("godschaufför"): a typo in a long
        word ("fysiterapeut") must not turn into every "-terapeut".
        """
        found: dict[int, float] = {}

        def give(docs: Iterable[int], quality: float) -> None:
            for doc in docs:
                if found.get(doc, 0.0) < quality:
                    found[doc] = quality

        give(self.postings.get(token, ()), EXACT)
        give(self.stems.get(token_stem, ()), STEM)
        known = bool(found)
        for completion in self.completions(token) if prefix else ():
            give(self.postings[completion], PREFIX + PREFIX_SPAN * len(token) / len(completion))
        give(self.heads.get(token, ()), COMPOUND)
        give(self.stem_heads.get(token_stem, ()), COMPOUND)
        if known:
            return found
        near = self.near(token)
        for word, distance in near:
            give(self.postings[word], FUZZY - FUZZY_STEP * (distance - 1))
        if not near:
            parts = self.split(token)
            if parts is not None:
                _, head, head_stem = parts
                give(self.postings.get(head, ()), COMPOUND)
                give(self.stems.get(head_stem, ()), COMPOUND)
                give(self.heads.get(head, ()), COMPOUND)
                give(self.stem_heads.get(head_stem, ()), COMPOUND)
        return found
