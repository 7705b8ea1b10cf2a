"""School subjects a teacher ad asks for → the taxonomy's teaching concepts.

"Du undervisar i ämnena SO och svenska", "timvikarie inom ämnena: svenska, sva,
matematik" ask the applicant to *teach* those subjects: the competence is "Svenska,
undervisning grundskolenivå", not the language Svenska. The taxonomy has a teaching
concept per subject and school level ("Matematik, undervisning grundskolenivå" /
"... gymnasienivå") and relates each level to its teacher group (2341 grundskollärare,
2330 gymnasielärare), so the level is the one related to the ad's likely occupation;
a subject without a level ("Hem- och konsumentkunskap, undervisning") needs no choice.
The block names of the Swedish curriculum ("SO", "NO") stand for their subjects
(SKILLS-GUIDELINES.md: "the four SO subjects for SO-ämnen").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lotsen.taxonomy.model import SKILL, Taxonomy
from lotsen.text import fold

# Where the subjects of a teaching post are listed: "undervisar du i (ämnena) X och Y",
# "behörighet i X", "lärare i X", "inom ämnena: X, Y". Run on folded text.
SPAN = re.compile(
    r"\b(?:undervisa|undervisar(?: du)?|undervisning|larare|behorighet(?: att undervisa)?|"
    r"behorig|amneslarare)\s+(?:i|inom)\s+[^.!?\n;]{1,200}|"
    r"\b(?:amnena|amnet|amnen)\s*:?\s*[^.!?\n;]{1,200}"
)
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-?")
# Curriculum blocks and short names ads use for subjects.
BLOCKS = {
    "so": ("geografi", "historia", "religionskunskap", "samhallskunskap"),
    "no": ("biologi", "fysik", "kemi"),
    "sva": ("svenska som andrasprak",),
    "sfi": ("svenska for invandrare",),
    "hemkunskap": ("hem- och konsumentkunskap",),
    "idrott": ("idrott och halsa",),
    "modersmal": ("modersmal",),
}
LEVEL_TAIL = re.compile(r",?\s*undervisn?ing\b.*$")
MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class TeachingMention:
    start: int
    end: int
    concept_ids: tuple[str, ...]  # every level of one subject


class TeachingSubjects:
    """Subject name (folded) → its teaching concepts, from the taxonomy's labels."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.subjects: dict[str, list[str]] = {}
        for skill in taxonomy.of_type(SKILL):
            if skill.deprecated:
                continue
            label = fold(skill.label)
            if "undervis" not in label or "," not in label and " undervisning" not in label:
                continue
            subject = LEVEL_TAIL.sub("", label).strip()
            if subject and subject != label:
                self.subjects.setdefault(subject, []).append(skill.id)
        self.longest = max((len(s.split()) for s in self.subjects), default=1)

    def mentions(self, folded: str) -> Iterator[TeachingMention]:
        """Subjects in an ad's ``fold_aligned`` text (offsets are the ad's)."""
        for span in SPAN.finditer(folded):
            words = list(WORD.finditer(folded, span.start(), span.end()))
            i = 0
            while i < len(words):
                found = self._subject(words, i)
                if found is None:
                    i += 1
                    continue
                length, ids = found
                yield TeachingMention(words[i].start(), words[i + length - 1].end(), ids)
                i += length

    def _subject(self, words: Sequence[re.Match[str]], i: int
                 ) -> tuple[int, tuple[str, ...]] | None:
        for length in range(min(MAX_WORDS, self.longest, len(words) - i), 0, -1):
            name = " ".join(w.group() for w in words[i:i + length])
            names = BLOCKS.get(name, (name,))
            ids = tuple(cid for n in names for cid in self.subjects.get(n, ()))
            if ids:
                return length, ids
        return None

    def choose(self, ids: Sequence[str], related: Sequence[frozenset[str]]) -> list[str]:
        """The levels related to the ad's likely groups; a subject taught at one level
        only ("Hem- och konsumentkunskap, undervisning") is kept as it is."""
        kept = [cid for cid in ids if any(cid in r for r in related)]
        return kept or (list(ids) if len(ids) == 1 else [])
