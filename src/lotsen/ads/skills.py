"""Find the JobTech skills, languages and driving licences an ad mentions, with spans.

The dictionary is built from the taxonomy's labels, the way ads write them:

* the full label, each "/"-alternative, and the head before a qualifier when that head
  is unique ("Java, programmeringsspråk" → "Java"; "Mästarbrev, ..." heads are shared,
  so they are not used alone);
* abbreviations in parentheses or as qualifier ("... förare (YKB)" → "YKB",
  "... Hjärt-lungräddning, HLR" → "HLR"); "Certifikat, heta arbeten" → "heta arbeten";
* "Legitimation som X" → "legitimerad X", "X-legitimation" (sjuksköterskelegitimation);
* hand-written compounds and short forms in ``data/skill_aliases.csv`` (truckkort,
  svetscertifikat, Excel);
* languages ("svenska", "svenskan", "Swedish") and driving licences ("B-körkort",
  "körkort B", "CE-körkort", "körkort (minst B, D)") by their own rules.

Matching is longest-first over word tokens of the *original* text, so every match
keeps exact character offsets; a word is compared folded ("körkort" = "korkort"), then
by Snowball stem (inflection: "svetsningen" → "svetsning"), then as a compound with a
generic tail ("javautveckling", "excelkunskaper"). Hyphenated words are also tried
part by part ("MAG-svetsning" → "MAG").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from lotsen.ads.features import AD_STOPWORDS
from lotsen.taxonomy.model import DRIVING_LICENCE, LANGUAGE, SKILL, Taxonomy
from lotsen.text import STOPWORDS, fold, stem

TOKEN = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*(?:\+\+|#)?")
PARENTHESIS = re.compile(r"\(([^()]{2,15})\)")
ABBREVIATION = re.compile(r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9+#/-]{1,7}$")
GENERIC_TAILS = ("kunskaper", "kunskap", "erfarenhet", "vana", "certifikat", "certifiering",
                 "kort", "behorighet", "utbildning", "utveckling", "utvecklare",
                 "programmering", "licens")
TAIL = re.compile("(?:" + "|".join(GENERIC_TAILS) + ")$")
ENGLISH_LANGUAGES = {"swedish": "Svenska", "english": "Engelska", "finnish": "Finska",
                     "german": "Tyska", "french": "Franska", "spanish": "Spanska",
                     "norwegian": "Norska", "danish": "Danska", "arabic": "Arabiska",
                     "russian": "Ryska", "polish": "Polska", "chinese": "Kinesiska"}
MAX_TOKENS = 6
# Words an ad uses in every other sentence: never a skill on their own ("Vi, texteditor").
FUNCTION_WORDS = frozenset(STOPWORDS | AD_STOPWORDS | {"vi", "du", "it", "ni", "man", "go"})
ALIASES_FILE = "skill_aliases.csv"

# Match qualities: how sure a surface form names the concept.
FULL, PART, ABBREV, HAND, STEMMED, COMPOUND = 1.0, 0.9, 0.85, 0.9, 0.85, 0.7


@lru_cache(maxsize=262144)
def norm(token: str) -> str:
    return fold(token).replace("-", "").replace("'", "")


@lru_cache(maxsize=262144)
def _stem_or_none(key: str) -> str | None:
    """The stem used for fallback lookups; ``None`` for words too short to stem safely."""
    return stem(key) if len(key) >= 5 else None


@dataclass(frozen=True, slots=True)
class Candidate:
    concept_id: str
    quality: float
    specific: bool  # several words, an abbreviation or a code: safe even if off-topic
    always_relevant: bool  # languages and licences fit every occupation


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    candidates: tuple[Candidate, ...]


def _keys(alias: str) -> list[tuple[str, ...]]:
    """The alias as folded tokens; hyphenated words also as their parts ("B körkort"),
    unless a part is a function word ("AV-teknik" must not match "av teknik")."""
    tokens = TOKEN.findall(alias)
    keys = [tuple(norm(t) for t in tokens)]
    split = tuple(norm(p) for t in tokens for p in t.split("-") if p)
    if split != keys[0] and not any(p in FUNCTION_WORDS or len(p) < 2 for p in split):
        keys.append(split)
    return [k for k in keys if k and all(k) and not (len(k) == 1 and k[0] in FUNCTION_WORDS)]


class SkillDictionary:
    """Surface keys → concept candidates; build once per taxonomy with :meth:`build`."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], dict[str, Candidate]] = {}
        self.stemmed: dict[tuple[str, ...], dict[str, Candidate]] = {}
        self.first: dict[str, int] = {}  # first token (or its stem) → longest alias
        self.labels: dict[str, str] = {}
        self.deprecated: set[str] = set()
        self.licences: dict[str, str] = {}

    def add(self, alias: str, concept_id: str, quality: float, always: bool = False) -> None:
        for key in _keys(alias):
            if len(key) == 1 and len(key[0]) < 2:
                continue
            specific = len(key) > 1 or bool(ABBREVIATION.match(alias.strip())) or not key[
                0
            ].isalpha()
            candidate = Candidate(concept_id, quality, specific, always)
            held = self.exact.setdefault(key, {}).get(concept_id)
            if held is None or held.quality < quality:
                self.exact[key][concept_id] = candidate
            if len(key) > 1:
                self.first[key[0]] = max(self.first.get(key[0], 1), len(key))
            skey = tuple(_stem_or_none(t) or t for t in key)
            if any(len(t) >= 5 for t in key):
                weaker = Candidate(concept_id, quality * STEMMED, specific, always)
                held = self.stemmed.setdefault(skey, {}).get(concept_id)
                if held is None or held.quality < weaker.quality:
                    self.stemmed[skey][concept_id] = weaker
                if len(key) > 1:
                    self.first[skey[0]] = max(self.first.get(skey[0], 1), len(key))

    @classmethod
    def build(cls, taxonomy: Taxonomy) -> SkillDictionary:
        self = cls()
        skills = taxonomy.of_type(SKILL)
        heads: dict[str, int] = {}
        qualifiers: dict[str, int] = {}
        for skill in skills:
            for part in skill.label.split("/"):
                head, _, qualifier = (fold(x.strip()) for x in part.partition(","))
                heads[head] = heads.get(head, 0) + 1
                qualifiers[qualifier] = qualifiers.get(qualifier, 0) + 1
        languages = {fold(c.label) for c in taxonomy.of_type(LANGUAGE)}
        for skill in skills:
            self.labels[skill.id] = skill.label
            if skill.deprecated:
                self.deprecated.add(skill.id)
            for alias, quality in _skill_aliases(skill.label, heads, qualifiers, languages):
                self.add(alias, skill.id, quality)
        for language in taxonomy.of_type(LANGUAGE):
            self.labels[language.id] = language.label
            folded = fold(language.label)
            if folded.endswith("ska") and folded.isalpha():
                self.add(language.label, language.id, FULL, always=True)
                self.add(language.label + "n", language.id, FULL, always=True)
        by_label = {c.label: c.id for c in taxonomy.of_type(LANGUAGE)}
        for english, swedish in ENGLISH_LANGUAGES.items():
            if swedish in by_label:
                self.add(english, by_label[swedish], FULL, always=True)
        for licence in taxonomy.of_type(DRIVING_LICENCE):
            self.labels[licence.id] = licence.label
            self.licences[licence.label] = licence.id
        self._add_hand_aliases(taxonomy)
        return self

    def _add_hand_aliases(self, taxonomy: Taxonomy) -> None:
        text = (resources.files("lotsen.ads") / "data" / ALIASES_FILE).read_text("utf-8")
        current = {c.label: c.id for c in taxonomy.of_type(SKILL) if not c.deprecated}
        for row in csv.DictReader(io.StringIO(text)):
            concept_id = current.get(row["skill_label"])
            if concept_id is None:
                raise ValueError(f"{ALIASES_FILE}: unknown skill {row['skill_label']!r}")
            self.add(row["alias"], concept_id, HAND)

    def mentions(self, text: str) -> Iterator[Mention]:
        """Non-overlapping dictionary matches, longest first, left to right."""
        tokens = [(m.start(), m.end(), norm(m.group())) for m in TOKEN.finditer(text)]
        i = 0
        while i < len(tokens):
            found = self._longest(tokens, i)
            if found is not None:
                length, candidates = found
                yield Mention(tokens[i][0], tokens[i + length - 1][1], candidates)
                i += length
                continue
            start, end, key = tokens[i]
            surface = text[start:end]
            if "-" in surface:
                offset = start
                for part in surface.split("-"):
                    hit = self._single(norm(part)) if part else None
                    if hit:
                        yield Mention(offset, offset + len(part), hit)
                    offset += len(part) + 1
            else:
                hit = self._compound(key)
                if hit:
                    yield Mention(start, end, hit)
            i += 1

    def _longest(
        self, tokens: list[tuple[int, int, str]], i: int
    ) -> tuple[int, tuple[Candidate, ...]] | None:
        first = tokens[i][2]
        first_stem = _stem_or_none(first)
        longest = max(self.first.get(first, 1),
                      self.first.get(first_stem, 1) if first_stem is not None else 1)
        if longest == 1:
            hit = self.exact.get((first,))
            if hit is None and first_stem is not None:
                hit = self.stemmed.get((first_stem,))
            return (1, tuple(hit.values())) if hit else None
        for length in range(min(longest, MAX_TOKENS, len(tokens) - i), 0, -1):
            key = tuple(t[2] for t in tokens[i : i + length])
            hit = self.exact.get(key)
            if hit is None and (length > 1 or first_stem is not None):
                hit = self.stemmed.get(tuple(_stem_or_none(t) or t for t in key))
            if hit:
                return length, tuple(hit.values())
        return None

    def _single(self, key: str) -> tuple[Candidate, ...] | None:
        hit = self.exact.get((key,))
        if hit is None and len(key) >= 5:
            hit = self.stemmed.get((stem(key),))
        return tuple(hit.values()) if hit else None

    def _compound(self, key: str) -> tuple[Candidate, ...] | None:
        match = TAIL.search(key) if len(key) >= 7 else None
        if match is None or match.start() < 3:
            return None
        head = key[: match.start()]
        hit = self.exact.get((head,)) or (
            self.exact.get((head[:-1],)) if head.endswith("s") else None
        )
        if not hit:
            return None
        return tuple(
            Candidate(c.concept_id, c.quality * COMPOUND, c.specific, c.always_relevant)
            for c in hit.values()
        )


def _skill_aliases(
    label: str, heads: dict[str, int], qualifiers: dict[str, int], languages: set[str]
) -> Iterator[tuple[str, float]]:
    """Surface forms of one skill label. A head shared by two labels ("Java,
    programmeringsspråk" and "Hibernate, ramverk/Java, ramverk") is still used, the
    first "/"-part winning; a qualifier that qualifies many labels ("..., IT") is not
    taken as an abbreviation of this one."""
    yield label, FULL
    parts = [p.strip() for p in label.split("/") if p.strip()]
    for position, part in enumerate(parts):
        if len(parts) > 1:
            yield part, PART
        head, _, qualifier = part.partition(",")
        head, qualifier = head.strip(), qualifier.strip()
        for match in PARENTHESIS.finditer(head):
            if ABBREVIATION.match(match.group(1)):
                yield match.group(1), ABBREV
            yield PARENTHESIS.sub("", head).strip(), PART
        if qualifier:
            if heads.get(fold(head), 0) <= 2 and fold(head) not in languages:
                yield head, PART if position == 0 else PART * 0.95
            if ABBREVIATION.match(qualifier) and qualifiers.get(fold(qualifier), 0) == 1:
                yield qualifier, ABBREV
            if fold(head) == "certifikat":
                yield qualifier, PART
        if head.startswith("Legitimation som "):
            who = head.removeprefix("Legitimation som ")
            yield f"legitimerad {who}", PART
            yield f"{who}-legitimation", PART
            joined = who[:-1] + "e" if who.endswith("a") else who
            yield f"{joined}legitimation", PART


@cache
def skill_dictionary(taxonomy: Taxonomy) -> SkillDictionary:
    return SkillDictionary.build(taxonomy)
