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

Guards against the commonest false positives (found on the development ads):

* a stem match of one word must share the label's form up to its last letter
  ("svetsningen" → "svetsning", but "skriver" is not "Skrivare");
* a word that is itself an occupation name is not a skill by stem
  ("anläggningsarbetare" is not "Anläggningsarbete");
* languages match only as language words ("svenska", "svenskan", "Swedish"), never
  by stem ("svensk legitimation" is not Swedish).

Speed: what a folded token can start or be is looked up once per distinct token and
cached (:class:`TokenInfo`), so an ad costs one dict lookup per ordinary word.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, compress
from operator import itemgetter

from lotsen.ads.features import AD_STOPWORDS
from lotsen.taxonomy.model import (
    DRIVING_LICENCE,
    KEYWORD,
    LANGUAGE,
    OCCUPATION,
    SKILL,
    Concept,
    Taxonomy,
)
from lotsen.text import STOPWORDS, fold, stem

TOKEN = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*(?:\+\+|#)?")
# TOKEN as a group: ``split`` gives separators and words alternately, so the words'
# offsets are running sums of the parts' lengths (C code, no match objects).
TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")
PARENTHESIS = re.compile(r"\(([^()]{2,15})\)")
ABBREVIATION = re.compile(r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9+#/-]{1,7}$")
GENERIC_TAILS = ("kunskaper", "kunskap", "erfarenhet", "vana", "certifikat", "certifiering",
                 "kort", "behorighet", "utbildning", "utveckling", "utvecklare",
                 "programmering", "licens")
GENERIC_PARTS = frozenset(GENERIC_TAILS)
TAIL = re.compile("(?:" + "|".join(GENERIC_TAILS) + ")$")
ENGLISH_LANGUAGES = {"swedish": "Svenska", "english": "Engelska", "finnish": "Finska",
                     "german": "Tyska", "french": "Franska", "spanish": "Spanska",
                     "norwegian": "Norska", "danish": "Danska", "arabic": "Arabiska",
                     "russian": "Ryska", "polish": "Polska", "chinese": "Kinesiska"}
MAX_TOKENS = 6
# Company forms: "Securitas Sverige AB" is not "Behörighet Ansvarig brunnsborrare (AB)".
# Heads too common to stand for their one qualified label ("Examen, ekologisk
# hudvårdsterapeut", "Data, cirkelledning").
VAGUE_HEADS = frozenset({"examen", "data", "design"})
COMPANY_FORMS = frozenset({"AB", "HB", "KB", "AS", "ASA", "OY", "LTD", "INC", "GMBH", "PLC"})
# A qualifier that changes what the head means: "Hälso- och sjukvård, undervisning
# högskolenivå" is teaching, "Djurhållning, lagstiftning" is law; the head alone is neither.
TOPIC_QUALIFIER = re.compile(r"(?:undervisning|lagstiftning)\b")
# A qualifier that names the profession the skill belongs to ("Psykiatri, specialistkompetens
# för läkare", "Ortopedi, specialisering för fysioterapeuter"): the head alone ("psykiatri"
# in a prison-officer ad) means that skill only in that profession's ads.
PROFESSION_QUALIFIER = re.compile(r"\b(?:for|som) [a-z]+$|specialis")
# "Yrkesbevis, mobilkran" is written "yrkesbevis för mobilkran" / "yrkesbevis som murare".
CERTIFICATE_PHRASES = {"yrkesbevis": ("yrkesbevis för {}", "yrkesbevis som {}"),
                       "utbildningsbevis": ("utbildningsbevis för {}", "utbildningsbevis i {}")}
# Words an ad uses in every other sentence: never a skill on their own ("Vi, texteditor").
# Personal traits and fitness, which SKILLS-GUIDELINES.md §1 says are never items, though a
# label part spells one ("Pedagogiskt förhållningssätt/Tydliggörande pedagogik" is a method).
TRAITS = frozenset({("pedagogiskt", "forhallningssatt"), ("samarbetsformaga",),
                    ("kommunikationsformaga",), ("organisationsformaga",),
                    ("analytisk", "formaga"), ("oga", "for", "detaljer"), ("god", "fysik")})
FUNCTION_WORDS = frozenset(STOPWORDS | AD_STOPWORDS | {"vi", "du", "it", "ni", "man", "go"})
ALIASES_FILE = "skill_aliases.csv"
FIELDS_FILE = "education_fields.csv"
DISCIPLINE = re.compile(r"..(?:juridik|vetenskap|ekonomi|logi)$")
SUN_FIELDS = ("sun-education-field-4", "sun-education-field-3")
# Broadest first: a field named in a table row is the broadest SUN field of that name.
ALL_SUN_FIELDS = ("sun-education-field-2", "sun-education-field-3", "sun-education-field-4")
# How ads name an education by its field ("teknisk högskoleutbildning", "IT-utbildning",
# "utbildning med IT-inriktning"); {a} is the field's adjective, {w} its noun.
FIELD_ADJECTIVE_PHRASES = (
    "{a} utbildning", "{a} högskoleutbildning", "{a} universitetsutbildning", "{a} examen",
    "{a} högskoleexamen", "{a} yrkesutbildning", "{a} eftergymnasial utbildning",
    "eftergymnasial {a} utbildning", "{a} utbildning på högskolenivå",
    "{a} utbildning på universitetsnivå", "{a} inriktning")
FIELD_WORD_PHRASES = (
    "{w}utbildning", "{w}-utbildning", "utbildning inom {w}", "utbildning i {w}",
    "högskoleutbildning inom {w}", "universitetsutbildning inom {w}", "examen inom {w}",
    "examen i {w}", "utbildning med {w}-inriktning", "utbildning med inriktning mot {w}",
    "utbildning med inriktning {w}", "eftergymnasial utbildning inom {w}",
    "högskoleexamen inom {w}", "kandidatexamen inom {w}", "kandidatexamen i {w}",
    "masterexamen inom {w}", "masterexamen i {w}")
EDUCATION_PHRASES = ("utbildning inom {}", "utbildning i {}", "examen inom {}", "examen i {}",
                     "utbildad inom {}", "högskoleutbildning inom {}",
                     "universitetsutbildning inom {}", "högskoleexamen inom {}",
                     "högskoleexamen i {}", "kandidatexamen inom {}", "kandidatexamen i {}",
                     "masterexamen inom {}", "masterexamen i {}", "magisterexamen inom {}",
                     "magisterexamen i {}")
# "Bokföringsvana" is written "vana av bokföring" or "erfarenhet av bokföring" in ads.
VANA_PHRASES = ("vana av {}", "erfarenhet av {}", "van vid {}")
TOKEN_CACHE_MAX = 200_000
BREAK = re.compile(r"[\n•;]")
DEFINITE = re.compile(r"(?:en|et|ens|ets)$")

# Match qualities: how sure a surface form names the concept.
FULL, PART, ABBREV, HAND, STEMMED, COMPOUND, SHARED = 1.0, 0.9, 0.85, 0.9, 0.85, 0.7, 0.8


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
    cased: bool = False  # an upper-case abbreviation: matches only where written upper-case
    # the head of three or more labels ("E-handel, erfarenhet", "E-handel, sårbarhetsanalys"):
    # taken only where the ad's occupation or an ask for experience singles one out
    shared: bool = False
    # a product's name that is also an ordinary word ("Cloud" of IBM Cloud, "Architecture"
    # of AutoCAD Architecture): matches only where written with a capital
    proper: bool = False
    # the head of a label whose qualifier narrows it to a domain ("Pedagogisk verksamhet,
    # hemslöjd", "Eget företagande, bygg"): that label only where the occupation fits it
    narrowed: bool = False


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What one folded token can do, looked up once: the longest alias it may start,
    its stem, and its match as a word of its own (whole, else as a compound)."""

    longest: int
    stem: str | None
    single: tuple[Candidate, ...] | None
    compound: tuple[Candidate, ...] | None


NOTHING = TokenInfo(1, None, None, None)


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
    return [k for k in keys if k and all(k) and not (
        len(k) == 1 and (k[0] in FUNCTION_WORDS or k[0].isdigit()))]


class SkillDictionary:
    """Surface keys → concept candidates; build once per taxonomy with :meth:`build`."""

    def __init__(self) -> None:
        self.exact: dict[tuple[str, ...], dict[str, Candidate]] = {}
        self.stemmed: dict[tuple[str, ...], dict[str, Candidate]] = {}
        self.first: dict[str, int] = {}  # first token (or its stem) → longest alias
        # Proper prefixes (≥ 2 tokens) of multi-token keys: a walk stops where none goes on.
        self.prefixes: set[tuple[str, ...]] = set()
        self.stem_prefixes: set[tuple[str, ...]] = set()
        # The first two tokens of every multi-token key: most words that may start an
        # alias ("god", "service") are not followed by its second word, and this one
        # lookup spares the walk.
        self.pairs: set[tuple[str, str]] = set()
        self.labels: dict[str, str] = {}
        self.deprecated: set[str] = set()
        self.licences: dict[str, str] = {}
        self.stem_forms: dict[tuple[str, ...], set[str]] = {}  # stem key → folded labels
        self.occupation_words: frozenset[str] = frozenset()
        # One word of an education's field, degree or discipline ("ekonomi",
        # "civilingenjör", "entreprenadjuridik") → its concept: read in the list of an
        # "utbildning inom A, B eller C" (see extract.py), where only an education fits.
        self.education_words: dict[str, str] = {}
        self.fields: set[str] = set()  # SUN education fields
        self._tokens: dict[str, TokenInfo] = {}
        self._surfaces: dict[str, tuple[str, TokenInfo, bool]] = {}  # see _surface

    def add(self, alias: str, concept_id: str, quality: float, always: bool = False,
            by_stem: bool = True, named: bool = False, shared: bool = False,
            proper: bool = False, narrowed: bool = False) -> None:
        """``named``: a product's proper name ("Photoshop"), as safe as a multi-word alias;
        ``shared``: a head several labels have (see :attr:`Candidate.shared`)."""
        self._tokens.clear()
        self._surfaces.clear()
        for key in _keys(alias):
            if (len(key) == 1 and len(key[0]) < 2) or key in TRAITS:
                continue
            specific = named or len(key) > 1 or bool(ABBREVIATION.match(alias.strip())) or not key[
                0
            ].isalpha()
            cased = len(key) == 1 and _cased(alias)
            candidate = Candidate(concept_id, quality, specific, always, cased, shared,
                                  proper and len(key) == 1 and not cased, narrowed)
            held = self.exact.setdefault(key, {}).get(concept_id)
            # an alias in ordinary case ("Jira") frees a name the label writes upper-case
            if held is None or held.quality < quality or (held.cased and not cased):
                self.exact[key][concept_id] = candidate
            if len(key) > 1:
                self.first[key[0]] = max(self.first.get(key[0], 1), len(key))
                self.prefixes.update(key[:n] for n in range(2, len(key)))
                self.pairs.add((key[0], key[1]))
            skey = tuple(_stem_or_none(t) or t for t in key)
            if by_stem and any(len(t) >= 5 for t in key):
                self.stem_forms.setdefault(skey, set()).add(" ".join(key))
                weaker = Candidate(concept_id, quality * STEMMED, specific, always, cased, shared,
                                   narrowed=narrowed)
                held = self.stemmed.setdefault(skey, {}).get(concept_id)
                if held is None or held.quality < weaker.quality:
                    self.stemmed[skey][concept_id] = weaker
                if len(key) > 1:
                    self.first[skey[0]] = max(self.first.get(skey[0], 1), len(key))
                    self.stem_prefixes.update(skey[:n] for n in range(2, len(skey)))
                    self.pairs.add((skey[0], skey[1]))

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
            # a program's name is not inflected: "scale" is not Scala, "schemas" not Scheme
            named = SOFTWARE_KIND.search(fold(skill.label.split("/")[0].partition(",")[2]))
            narrowing = {head.strip() for head, _, qualifier in (
                part.partition(",") for part in skill.label.split("/"))
                if _domain_qualifier(qualifier.strip()) and not ABBREVIATION.match(head.strip())}
            # ... and so does a parenthesis that is no abbreviation ("Digitalisering (av
            # ritningar)", "Arbetsmiljö (OHSAS 18001)")
            narrowing |= {PARENTHESIS.sub("", part.partition(",")[0]).strip()
                          for part in skill.label.split("/")
                          for inside in PARENTHESIS.findall(part.partition(",")[0])
                          if _domain_qualifier(inside)}
            for alias, quality in _skill_aliases(skill.label, heads, qualifiers, languages):
                self.add(alias, skill.id, quality, by_stem=not named,
                         narrowed=alias in narrowing)
                for variant in _linking_variants(alias):
                    self.add(variant, skill.id, quality * STEMMED)
            if not skill.deprecated:
                for head in _shared_heads(skill.label, heads, languages):
                    self.add(head, skill.id, SHARED, shared=True)
        for language in taxonomy.of_type(LANGUAGE):
            self.labels[language.id] = language.label
            folded = fold(language.label)
            if folded.endswith("ska") and folded.isalpha():
                self.add(language.label, language.id, FULL, always=True, by_stem=False)
                self.add(language.label + "n", language.id, FULL, always=True, by_stem=False)
        by_label = {c.label: c.id for c in taxonomy.of_type(LANGUAGE)}
        for english, swedish in ENGLISH_LANGUAGES.items():
            if swedish in by_label:
                self.add(english, by_label[swedish], FULL, always=True, by_stem=False)
        # The last word of every occupation name ("Väg- och anläggningsarbetare").
        self.occupation_words = frozenset(
            norm(words[-1])
            for occupation in taxonomy.of_type(OCCUPATION)
            for part in occupation.label.split("/")
            if (words := TOKEN.findall(part.split(",")[0])) and len(words[-1]) >= 6
        )
        for licence in taxonomy.of_type(DRIVING_LICENCE):
            self.labels[licence.id] = licence.label
            self.licences[licence.label] = licence.id
        self._add_products(skills)
        self._add_educations(taxonomy)
        self._add_hand_aliases(taxonomy)
        self._add_education_fields(taxonomy)
        return self

    def _add_products(self, skills: list[Concept]) -> None:
        """Software by the name ads use: "3D-grafik-Blender" → "Blender", "2D-grafik-Adobe
        Photoshop" → "Adobe Photoshop", "Photoshop"; "Apache Kafka, streaming-plattform" →
        "Kafka"; "Tillverkningsindustri-Solid Works" → "SolidWorks". A name that two
        labels share ("-AutoCAD") or that already names another concept is not used."""
        names: dict[str, set[str]] = {}
        for skill in skills:
            if skill.deprecated:
                continue
            for name in _product_names(skill.label):
                names.setdefault(name, set()).add(skill.id)
        for name, ids in names.items():
            if len(ids) != 1 or len(name) < 3:
                continue
            (concept_id,) = ids
            if any(other != concept_id for key in _keys(name)
                   for other in self.exact.get(key, ())):
                continue
            self.add(name, concept_id, PART, by_stem=False, named=True, proper=True)

    def _add_educations(self, taxonomy: Taxonomy) -> None:
        """Educations as ads ask for them, linked to SUN fields and degree concepts.

        * a SUN field named as an education ("Biomedicinsk analytikerutbildning",
          "Bibliotekarieutbildning samt biblioteks- och informationsvetenskap") by that
          name and its first part; a keyword that names an education and relates to one
          SUN field ("Hälso- och sjukvårdskuratorutbildning") as that field;
        * any other SUN field as "utbildning/examen i/inom <field>" ("utbildning inom
          systemvetenskap" from "Datavetenskap och systemvetenskap");
        * a degree ("Socionomexamen", "Biomedicinsk analytikerexamen") also as "utbildad
          socionom", "socionomutbildning", "examen som socionom".
        """
        fields = [c for t in SUN_FIELDS for c in taxonomy.of_type(t) if not c.deprecated]
        for field in fields:
            self.labels[field.id] = field.label
            self.fields.add(field.id)
            name = PARENTHESIS.sub("", field.label).strip()
            first = re.split(r",| samt ", name)[0].strip()
            if "utbildning" in fold(field.label):
                self.add(name, field.id, FULL)
                if first != name and "utbildning" in fold(first):  # not "Bred, generell ..."
                    self.add(first, field.id, PART)
                continue
            for part in {first, *re.split(r",| och | samt ", first)}:
                part = part.strip().lower()
                if len(part) < 4 or part in FUNCTION_WORDS:
                    continue
                for phrase in EDUCATION_PHRASES:
                    self.add(phrase.format(part), field.id, PART)
        sun = {c.id for c in fields}
        for keyword in taxonomy.of_type(KEYWORD):
            folded = fold(keyword.label)
            if keyword.deprecated or not folded.endswith("utbildning") or "," in folded:
                continue
            # catch-all fields ("Annan utbildning i ...") say nothing about the education
            targets = [c.id for c in taxonomy.related(keyword.id) if c.id in sun
                       and not fold(c.label).startswith(("annan ", "ovrig"))]
            if len(targets) == 1:
                self.add(keyword.label, targets[0], PART)
        for skill in taxonomy.of_type(SKILL):
            label = skill.label
            if skill.deprecated or not label.endswith("examen") or "," in label:
                continue
            who = label[: -len("examen")].rstrip()
            who = who[:-1] if who.endswith("rs") else who  # "ingenjörsexamen": ingenjör
            if len(who) < 4:
                continue
            person = who[:-1] + "a" if who.endswith("ske") else who  # sjuksköterske → -a
            for alias in (f"utbildad {person}", f"examen som {person}", f"{who}utbildning"):
                self.add(alias, skill.id, PART)
            if " " not in person:
                self.education_words.setdefault(norm(person), skill.id)
        # "utbildning inom Entreprenadjuridik": an education maps to the academic discipline
        # of the same name (SKILLS-GUIDELINES.md §3), not to a practical skill that shares
        # the word ("utbildning inom logistik" is not the skill Logistik)
        for skill in taxonomy.of_type(SKILL):
            label = skill.label
            if not skill.deprecated and label.isalpha() and DISCIPLINE.search(fold(label)):
                self.education_words.setdefault(norm(label), skill.id)

    def _add_hand_aliases(self, taxonomy: Taxonomy) -> None:
        text = (resources.files("lotsen.ads") / "data" / ALIASES_FILE).read_text("utf-8")
        current = {c.label: c.id for c in taxonomy.of_type(SKILL) if not c.deprecated}
        for row in csv.DictReader(io.StringIO(text)):
            concept_id = current.get(row["skill_label"])
            if concept_id is None:
                raise ValueError(f"{ALIASES_FILE}: unknown skill {row['skill_label']!r}")
            self.add(row["alias"], concept_id, HAND)

    def _add_education_fields(self, taxonomy: Taxonomy) -> None:
        """Educations named by their field (``data/education_fields.csv``): "teknisk
        högskoleutbildning", "IT-utbildning", "utbildning inom bygg" → the SUN field."""
        fields: dict[str, str] = {}
        for concept_type in reversed(ALL_SUN_FIELDS):  # broadest last: it wins
            for concept in taxonomy.of_type(concept_type):
                if not concept.deprecated:
                    fields[concept.label] = concept.id
        text = (resources.files("lotsen.ads") / "data" / FIELDS_FILE).read_text("utf-8")
        for row in csv.DictReader(io.StringIO(text)):
            concept_id = fields.get(row["label"])
            if concept_id is None:
                raise ValueError(f"{FIELDS_FILE}: unknown SUN field {row['label']!r}")
            self.labels[concept_id] = row["label"]
            self.fields.add(concept_id)
            word, adjective = row["word"].strip(), row["adjective"].strip()
            phrases = [p.format(a=adjective) for p in FIELD_ADJECTIVE_PHRASES if adjective]
            if word:
                written = word if word.isupper() else word.lower()
                phrases += [p.format(w=written) for p in FIELD_WORD_PHRASES
                            if " " not in word or " " in p.replace("{w}", "")]
                self.education_words[norm(word)] = concept_id
            for phrase in phrases:
                self.add(phrase, concept_id, PART, by_stem=False, named=True)

    def token(self, key: str) -> TokenInfo:
        """The cached :class:`TokenInfo` of a folded token."""
        info = self._tokens.get(key)
        if info is None:
            if len(self._tokens) >= TOKEN_CACHE_MAX:
                self._tokens.clear()
            info = self._token_info(key)
            self._tokens[key] = info
        return info

    def _token_info(self, key: str) -> TokenInfo:
        key_stem = _stem_or_none(key)
        longest = max(self.first.get(key, 1),
                      self.first.get(key_stem, 1) if key_stem is not None else 1)
        single = self._single(key)
        compound = self._compound(key) if single is None else None
        if longest == 1 and single is None and compound is None and key_stem is None:
            return NOTHING
        return TokenInfo(longest, key_stem, single, compound)

    def mentions(self, text: str) -> Iterator[Mention]:
        """Non-overlapping dictionary matches, longest first, left to right."""
        # Most words of an ad are no skill's word and start no alias: the words are
        # looked up by their written form in C (``map``) and only the few that can
        # match are walked in Python, which halves the extractor's time on real ads.
        surfaces = self._surfaces
        parts = TOKEN_SPLIT.split(text)
        words = parts[1::2]
        known = list(map(surfaces.get, words))
        if None in known:
            for index, surface in enumerate(words):
                if known[index] is None:
                    known[index] = self._surface(surface)
        entries: list[tuple[str, TokenInfo, bool]] = known  # type: ignore[assignment]
        active = list(compress(range(len(entries)), map(itemgetter(2), entries)))
        if not active:
            return
        # offsets[2 * i + 1] and offsets[2 * i + 2]: where word i starts and ends
        offsets = [0, *accumulate(map(len, parts))]
        free = 0  # the first token not inside a match already yielded
        pairs, last = self.pairs, len(entries) - 1
        for i in active:
            if i < free:
                continue
            key, info, _ = entries[i]
            found = None
            if info.longest > 1 and i < last:
                next_key, next_info, _ = entries[i + 1]
                if (key, next_key) in pairs or (
                        info.stem or key, next_info.stem or next_key) in pairs:
                    # "data users\n\nExperience with" is not User experience: an alias's
                    # words stand on one line, in one list item
                    span = 1
                    while i + span <= last and span < MAX_TOKENS and not BREAK.search(
                            text, offsets[2 * (i + span)], offsets[2 * (i + span) + 1]):
                        span += 1
                    found = self._longest(entries, i, span) if span > 1 else None
            if found is not None:
                length, candidates = found
                yield Mention(offsets[2 * i + 1], offsets[2 * (i + length)], candidates)
                free = i + length
                continue
            start, end = offsets[2 * i + 1], offsets[2 * i + 2]
            if info.single is not None:
                yield Mention(start, end, info.single)
            elif "-" in text[start:end]:
                offset = start
                parts = text[start:end].split("-")
                for number, part in enumerate(parts):
                    # "PLC-programmering" is not "Programmering": a generic last part
                    # after a modifier means the modifier's skill, not the generic one.
                    generic = number > 0 and norm(part) in GENERIC_PARTS
                    hit = self.token(norm(part)).single if part and not generic else None
                    if hit:
                        yield Mention(offset, offset + len(part), hit)
                    offset += len(part) + 1
            elif info.compound is not None:
                yield Mention(start, end, info.compound)

    def _surface(self, surface: str) -> tuple[str, TokenInfo, bool]:
        """A written word's folded key, what it can do, and whether it can do anything
        (start a match, or be split at hyphens); cached by the form as written."""
        if len(self._surfaces) >= TOKEN_CACHE_MAX:
            self._surfaces.clear()
        key = norm(surface)
        info = self.token(key)
        if info.single is not None and not surface.isupper() and any(
            c.cased for c in info.single
        ):  # "if" is not the abbreviation "IF", "Lär" not "LAR", "Engineer" not
            # "Pro/ENGINEER"
            kept = tuple(c for c in info.single if not c.cased) or None
            info = TokenInfo(info.longest, info.stem, kept, info.compound)
        if info.single is not None and surface[:1].isupper() and not surface.isupper() and (
                (key,) not in self.exact and DEFINITE.search(key)):
            # "Kriminalvården", "Kriminalvårdens värderingar": a capitalised definite form
            # is the name of an authority or employer, not its field (guidelines §1)
            kept = tuple(c for c in info.single if c.always_relevant) or None
            info = TokenInfo(info.longest, info.stem, kept, info.compound)
        if info.single is not None and not surface[:1].isupper() and any(
            c.proper for c in info.single
        ):  # "cloud platforms" is not IBM Cloud, "design" not 3ds Max Design
            kept = tuple(c for c in info.single if not c.proper) or None
            info = TokenInfo(info.longest, info.stem, kept, info.compound)
        active = info.longest > 1 or info.single is not None or info.compound is not None or (
            "-" in surface)
        entry = self._surfaces[surface] = (key, info, active)
        return entry

    def _longest(
        self, entries: list[tuple[str, TokenInfo, bool]], i: int, span: int = MAX_TOKENS
    ) -> tuple[int, tuple[Candidate, ...]] | None:
        """The longest multi-token alias starting at token ``i``, exact before stemmed
        at each length; the key grows one token at a time while it is still a prefix."""
        first_key, first_info, _ = entries[i]
        limit = min(first_info.longest, MAX_TOKENS, len(entries) - i, span)
        exact: tuple[str, ...] | None = (first_key,)
        stemmed: tuple[str, ...] | None = (first_info.stem or first_key,)
        found: tuple[int, tuple[Candidate, ...]] | None = None
        for length in range(2, limit + 1):
            key, info, _ = entries[i + length - 1]
            if exact is not None:
                exact = (*exact, key)
            if stemmed is not None:
                stemmed = (*stemmed, info.stem or key)
            hit = self.exact.get(exact) if exact is not None else None
            if hit is None and stemmed is not None:
                hit = self.stemmed.get(stemmed)
            if hit:
                found = (length, tuple(hit.values()))
            if exact is not None and exact not in self.prefixes:
                exact = None
            if stemmed is not None and stemmed not in self.stem_prefixes:
                stemmed = None
            if exact is None and stemmed is None:
                break
        return found

    def _single(self, key: str) -> tuple[Candidate, ...] | None:
        """The token as a whole word: exact, else by stem when the forms agree."""
        hit = self.exact.get((key,))
        if hit is None and len(key) >= 5 and key not in self.occupation_words:
            key_stem = stem(key)
            forms = self.stem_forms.get((key_stem,), ())
            if any(_same_word(key, form) for form in forms):
                hit = self.stemmed.get((key_stem,))
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
            Candidate(c.concept_id, c.quality * COMPOUND, c.specific, c.always_relevant,
                      shared=c.shared, narrowed=c.narrowed)
            for c in hit.values()
        )


def _domain_qualifier(qualifier: str) -> bool:
    """Does a label's qualifier narrow its head to a domain ("hemslöjd", "bygg", "gruva"),
    rather than say what kind of thing it is ("erfarenhet", "programmeringsspråk", "HLR")?"""
    return bool(qualifier) and not (
        QUALIFIER_KIND.search(qualifier) or SOFTWARE_KIND.search(fold(qualifier))
        or ABBREVIATION.match(qualifier))


def _cased(alias: str) -> bool:
    """An all-capital abbreviation of letters ("IF", "YKB"), not a code with digits."""
    alias = alias.strip()
    return bool(ABBREVIATION.match(alias)) and alias.isupper() and alias.isalpha()


def _same_word(surface: str, label: str) -> bool:
    """Inflections of one word keep its form up to the last letter or two
    ("svetsningen"/"svetsning", "undersköterskor"/"undersköterska"); words of one
    stem but different meaning do not ("skriver"/"skrivare")."""
    return surface.startswith(label[:-1]) or label.startswith(surface[:-1]) or (
        len(label) >= 8 and surface[:-2] == label[:-2] and surface[-2:] in _ENDINGS
    )


_ENDINGS = frozenset({"or", "er", "ar", "an", "en", "na", "et"})


# Qualifiers that say a label names software ("Scala, programmeringsspråk", "Progress,
# databashanterare", "Unity, spelmotor").
SOFTWARE_KIND = re.compile(r"(?:sprak|hanterare|plattform|motor|system|ramverk|miljo|verktyg|"
                           r"protokoll|stilmall|\bcms)$|^programmering$")
QUALIFIER_KIND = re.compile(r"erfarenhet|vana\b|kunskap|utbildning|examen|legitimation|"
                            r"certifikat|behörighet|intyg|licens|bevis\b|diplom", re.IGNORECASE)
# A "/"-part "<field>-<Product>" ("Visualisering-Autodesk 3ds Max Design", "effekter-eyeon
# Fusion"): the label names a product.
PRODUCT_PART = re.compile(r"[a-zåäö]-\s*(?:[A-Z]|[a-z]+ [A-Z])")
FIELD_PRODUCT = re.compile(r"^.*[a-zåäö]-(?=[A-Z])([^,]+)")
VENDOR = re.compile(r"^(?:Adobe|Autodesk|Microsoft|MS|Apache|IBM|AutoCAD) (?=[A-Z])")


def _product_names(label: str) -> list[str]:
    """Product names in a label "<field>-<Product>" or "<Vendor> <Product>, <kind>"."""
    match = FIELD_PRODUCT.match(label)
    head = match.group(1).strip() if match else label.split(",")[0].strip()
    if match is None and not VENDOR.match(head):
        return []
    names = [head] if match else []
    bare = VENDOR.sub("", head)
    if bare != head:
        names.append(bare)
    words = bare.split()
    if len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words):
        names.append("".join(words))  # "Solid Works" is written "SolidWorks"
    return names


def _linking_variants(alias: str) -> list[str]:
    """A one-word compound with a generic tail, with and without the linking "s" that
    Swedish writers disagree on: "Skyddsvaktutbildning" is also written
    "skyddsvaktsutbildning", "Förhandlingsvana" "förhandlingvana" rarely but harmlessly."""
    key = norm(alias)
    match = TAIL.search(key) if " " not in alias and len(key) >= 10 else None
    if match is None or match.start() < 4:
        return []
    head, tail = key[:match.start()], key[match.start():]
    if head.endswith("s"):
        return [] if head.endswith("ss") else [head[:-1] + tail]
    return [head + "s" + tail]


def _shared_heads(label: str, heads: dict[str, int], languages: set[str]) -> Iterator[str]:
    """The heads of a label's parts that three or more labels share ("Fotboll, tränare",
    "Fotboll, instruktör", "Fotboll, professionell utövning"): too ambiguous for
    :func:`_skill_aliases`, but the ad's occupation often tells which one is meant; and
    heads whose qualifier names a profession (:data:`PROFESSION_QUALIFIER`)."""
    for part in label.split("/"):
        head, _, qualifier = (x.strip() for x in part.partition(","))
        folded = fold(head)
        if qualifier and folded not in languages | VAGUE_HEADS and not TOPIC_QUALIFIER.match(
                fold(qualifier)) and (heads.get(folded, 0) > 2 or PROFESSION_QUALIFIER.search(
                fold(qualifier))):
            yield head


def _skill_aliases(
    label: str, heads: dict[str, int], qualifiers: dict[str, int], languages: set[str]
) -> Iterator[tuple[str, float]]:
    """Surface forms of one skill label. A head shared by two labels ("Java,
    programmeringsspråk" and "Hibernate, ramverk/Java, ramverk") is still used, the
    first "/"-part winning; a qualifier that qualifies many labels ("..., IT") is not
    taken as an abbreviation of this one."""
    yield label, FULL
    parts = [p.strip() for p in label.split("/") if p.strip()]
    suffix = parts[-1].rpartition("-")[2] if "-" in parts[-1] else ""
    product = any(PRODUCT_PART.search(part) for part in parts)
    for position, part in enumerate(parts):
        if product and not PRODUCT_PART.search(part):
            # "Design/Visualisering-Autodesk 3ds Max Design": the parts before the product
            # name its field ("design"), not the product
            continue
        if len(parts) > 1:
            yield part, PART
            if suffix and "-" not in part and " " not in part and "," not in part:
                yield f"{part}-{suffix}", PART  # "MAG/MIG-svetsning" → "MAG-svetsning"
        head, _, qualifier = part.partition(",")
        head, qualifier = head.strip(), qualifier.strip()
        for match in PARENTHESIS.finditer(head):
            if ABBREVIATION.match(match.group(1)) and match.group(1) not in COMPANY_FORMS:
                yield match.group(1), ABBREV
            yield PARENTHESIS.sub("", head).strip(), PART
        if qualifier:
            if heads.get(fold(head), 0) <= 2 and fold(head) not in languages | VAGUE_HEADS and not (
                TOPIC_QUALIFIER.match(fold(qualifier))
            ) and not PROFESSION_QUALIFIER.search(fold(qualifier)):
                yield head, PART if position == 0 else PART * 0.95
            if ABBREVIATION.match(qualifier) and qualifiers.get(fold(qualifier), 0) == 1:
                yield qualifier, ABBREV
            if fold(head) == "certifikat":
                yield qualifier, PART
        folded_head = fold(head)
        if qualifier and folded_head in CERTIFICATE_PHRASES and "," not in qualifier:
            for phrase in CERTIFICATE_PHRASES[folded_head]:
                yield phrase.format(qualifier.lower()), PART
        if (" " not in head and folded_head.endswith("vana") and len(folded_head) >= 8
                and not qualifier):  # "Försäljningsvana, telefonförsäljning" is narrower
            base = head[:-4]
            base = base[:-1] if base.endswith("s") and len(base) >= 6 else base
            for phrase in VANA_PHRASES:
                yield phrase.format(base.lower()), PART
        if head.startswith("Legitimation som "):
            who = head.removeprefix("Legitimation som ")
            yield f"legitimerad {who}", PART
            yield f"{who}-legitimation", PART
            joined = who[:-1] + "e" if who.endswith("a") else who
            yield f"{joined}legitimation", PART


@cache
def skill_dictionary(taxonomy: Taxonomy) -> SkillDictionary:
    return SkillDictionary.build(taxonomy)
