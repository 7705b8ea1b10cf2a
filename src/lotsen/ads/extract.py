"""Skill extraction for one ad: dictionary matches + licences, requirement, relevance.

Precision matters more than recall to users, so a match is kept by a score:
``quality × fit``, where *fit* is 1 when the taxonomy relates the skill to one of the
ad's likely SSYK-4 groups (weighted by their probabilities) and 0.5 otherwise.
Languages and driving licences fit every occupation. A single ordinary word that does
not fit the occupation ("Dokumentation" in a nurse ad is fine; "Mode" in a truck ad
is not) falls below the threshold; multi-word labels, abbreviations and codes survive
with a lower rank. One entry per concept: its strongest requirement, first span.

Context rules (from the false positives on the development ads):

* a school subject or a field of education is not a skill: words in "lärare i svenska
  och engelska", "behörighet i matematik", "utbildning inom ekonomi eller logistik" are
  dropped unless they are specific (several words, an abbreviation or a code);
* a language in a sentence about proficiency ("talar och skriver svenska", "du uttrycker
  dig väl på engelska") is required even without a heading or a "krav";
* a deprecated concept is never returned: the taxonomy replaced it, and nobody can
  act on it (SKILLS-GUIDELINES.md: deprecated concepts are never accepted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lotsen.ads.requirements import MENTIONED, MERITING, REQUIRED, requirement_map
from lotsen.ads.skills import Candidate, Mention, SkillDictionary
from lotsen.ads.teaching import TeachingSubjects
from lotsen.ads.unlinked import find_unlinked
from lotsen.taxonomy.model import Taxonomy
from lotsen.text import fold_aligned

CLASSES = r"C1E|D1E|AM|A1|A2|BE|C1|CE|D1|DE|A|B|C|D"
LICENCE_BEFORE = re.compile(rf"\b({CLASSES})\s*[-–]?\s*(?i:körkort|korkort)\w*")
LICENCE_AFTER = re.compile(
    r"(?i:körkort|korkort|körkortsbehörighet|driving licen[cs]e|driver'?s licen[cs]e)"
    r"(?:\s+(?i:med\s+)?(?i:behörighet|klass|typ))?\s*[:(]?\s*(?i:minst\s+)?"
    rf"((?:{CLASSES})(?:\s*(?:,|/|&|\+|och|samt|eller)\s*(?:{CLASSES}))*)(?![\w-])"
)
LICENCE_PLAIN = re.compile(r"\b(?i:körkort|korkort)\b")
CLASS = re.compile(rf"\b({CLASSES})\b")
_LIST = r"[^\W\d_][\w-]*(?:\s*(?:,|och|eller|samt)\s*[^\W\d_][\w-]*){0,4}"
SUBJECT = re.compile(
    r"\b(?:(?:amnes)?larare|undervisning|undervisa|undervisar|behorighet|amnena|amnet)\s+i\s+"
    rf"({_LIST})|(?:utbildning|examen|utbildad)\s+(?:inom|i)\s+({_LIST})",
)  # run on the folded text: much faster than re.IGNORECASE
# "Ada Digital", "Python Consulting AB": a capitalised word before a company word is a
# company's name, not the skill.
COMPANY_WORD = re.compile(
    r" (?:Digital|AB|Group|Consulting|Sverige|Sweden|Solutions|Tech|Technologies|Systems|"
    r"Partners?|Nordic|Software|Labs?|Studios?|Media|Agency|Konsult|Data)\b")
PROFICIENCY = re.compile(
    r"\b(?:talar|skriver|behärskar|uttrycker dig|kommunicera|flytande|obehindrat|goda kunskaper|"
    r"mycket god|fluent|speak|spoken|written)", re.IGNORECASE,
)
MOTHER_TONGUE = re.compile(r"\s+som\s+modersmål", re.IGNORECASE)
LIST_WORD = re.compile(r"(?!(?:och|eller|samt)\b)[^\W\d_][\w-]*")
SENTENCE_END = re.compile(r"[.!?\n]")
# The object of "erfarenhet av", "kunskaper i/inom", "van vid" (and English) is a
# competence slot: a plain word there ("marknadsföring", "psykiatri") is what is asked
# for, not a stray word. The slot runs to the end of the clause list (sentence end).
SLOT = re.compile(
    r"\b(?:[a-z]*(?:erfarenhet(?:er)?|kunskap(?:er)?|kompetens)|kannedom|vana|van|kunnig|"
    r"forstaelse|bakgrund|expertis|insikt(?:er)?|utbildning|examen|experience|knowledge|skills|"
    r"background|expertise|proficiency|understanding)\s+(?:av|i|om|inom|fran|med|kring|"
    r"vid|pa|in|of|with|within|(?<=forstaelse\s)for)\s+[^.!?\n;]{0,160}"
)  # run on the folded text
# The keywords SUBJECT and SLOT must contain, as literals: Python's regex engine scans
# for them much faster than it tries the full patterns at every word start.
SUBJECT_KEY = re.compile(r"(?:larare|undervisning|undervisa|undervisar|behorighet|amnena|amnet|"
                         r"utbildning|examen|utbildad)\s+(?:i|inom)\s")
SLOT_KEY = re.compile(
    r"(?:erfarenhet(?:er)?|kunskap(?:er)?|kompetens|kannedom|vana|van|kunnig|forstaelse|bakgrund|"
    r"expertis|insikt(?:er)?|utbildning|examen|experience|knowledge|skills|background|"
    r"expertise|proficiency|understanding)\s+(?:av|i|om|inom|fran|med|kring|vid|pa|in|of|"
    r"with|within|(?<=forstaelse\s)for)\s")
KEEP = 0.4
UNLINKED_SCORE = 0.5  # ranked below well-fitting linked skills
ASKED_FIT = 0.8
EXPERIENCE_BONUS = 0.1
TEACHING_SCORE = 0.9
# Labels that name experience of something ("Försäljning, erfarenhet", "Förhandlingsvana")
# are what a requirement asks for; a bare word ("Musik", "Verktyg") may be anything.
# ... and so do qualifications ("Gymnasieutbildning", "Socionomexamen", "Lärarlegitimation").
EXPERIENCE = re.compile(r"erfarenhet|vana\b|kunskap|utbildning|examen|legitimation|"
                        r"certifikat|behörighet|intyg|licens|bevis\b", re.IGNORECASE)
EXPERIENCE_ONLY = re.compile(r"erfarenhet|vana\b", re.IGNORECASE)
# "verktyg som Databricks", "molnplattformar t.ex. AWS": the category word before
# examples is not itself asked for (SKILLS-GUIDELINES.md §4.4), the examples are.
EXAMPLES_FOLLOW = re.compile(
    # ... but "fotografering som hobby" names the activity (§4.7)
    r"[^\S\n]*(?:som(?!\s+(?:hobby|fritidsintresse)\b)|såsom|t\.\s?ex|tex\b|exempelvis|"
    r"till exempel|bland annat|inklusive|"
    r"such as|like|e\.g\.|including)\s", re.IGNORECASE)
# Labels of degrees, educations, licences and certificates: what a person holds.
QUALIFICATION = re.compile(r"examen|legitimation|behörighet|auktorisation|certifikat|körkort|"
                           r"utbildning|intyg|bevis|licens|diplom", re.IGNORECASE)
# Degree levels that an education's field makes redundant ("högskoleutbildning inom IT").
DEGREE_LEVELS = frozenset({"Högskoleexamen"})
PRIORITY = {REQUIRED: 2, MERITING: 1, MENTIONED: 0}


@dataclass(frozen=True, slots=True)
class ExtractedSkill:
    concept_id: str | None  # None: a competence the taxonomy lacks (see ads/unlinked.py)
    label: str
    start: int
    end: int
    requirement: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "concept_id": self.concept_id,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "requirement": self.requirement,
        }


class SkillExtractor:
    """``extract(text, groups)`` → ranked skills; ``groups`` are (SSYK-4 id, probability)."""

    def __init__(self, taxonomy: Taxonomy, dictionary: SkillDictionary,
                 threshold: float = KEEP) -> None:
        self.taxonomy = taxonomy
        self.dictionary = dictionary
        self.threshold = threshold
        self._related: dict[str, frozenset[str]] = {}
        self.teaching = TeachingSubjects(taxonomy)
        self.levels = frozenset(cid for cid, label in dictionary.labels.items()
                                if label in DEGREE_LEVELS)
        self.qualifications = frozenset(
            {cid for cid, label in dictionary.labels.items() if QUALIFICATION.search(label)}
            | set(dictionary.licences.values()))

    def related(self, group_id: str) -> frozenset[str]:
        found = self._related.get(group_id)
        if found is None:
            found = frozenset(s.id for s in self.taxonomy.skills_of(group_id))
            self._related[group_id] = found
        return found

    def extract(
        self, text: str, groups: Sequence[tuple[str, float]] = ()
    ) -> list[ExtractedSkill]:
        folded = fold_aligned(text)  # once per ad; offsets are the text's
        mentions = [*self.dictionary.mentions(text), *self._licences(text, folded)]
        unlinked = find_unlinked(text, folded)
        teaching = list(self.teaching.mentions(folded))
        subjects = _anchored(SUBJECT, SUBJECT_KEY, folded)
        educations = self._education_list(subjects, folded)
        if not mentions and not unlinked and not teaching and not educations:
            return []
        requirement = requirement_map(
            text, [m.start for m in mentions] + [start for start, _, _ in unlinked]
            + [t.start for t in teaching] + [start for start, _, _ in educations], folded)
        fields = [m.span(m.lastindex or 0) for m in subjects] + [
            (t.start, t.end) for t in teaching]
        slots = [m.span() for m in _anchored(SLOT, SLOT_KEY, folded)]
        fielded = self._fielded(subjects, educations, mentions, folded)
        top = max((p for _, p in groups), default=0.0)
        weights = [(self.related(g), p) for g, p in groups if p >= 0.05]
        best: dict[str, ExtractedSkill] = {}
        for mention in mentions:
            mode = requirement.at(mention.start)
            # What a requirement section or cue asks for is asked of the applicant, whatever
            # the occupation: the occupation fit only filters what is merely mentioned.
            asked = mode in (REQUIRED, MERITING)
            slot = asked and any(s <= mention.start < e for s, e in slots)
            choice = self._choose(mention.candidates, weights, top, asked, slot,
                                  text[mention.start].isupper())
            if choice is None:
                continue
            candidate, score = choice
            if score < self.threshold:
                continue
            if candidate.concept_id in self.levels and mention.start in fielded:
                # "kandidatexamen inom datateknik" is one item, its field (guidelines §4.2:
                # level and field stay in one phrase), not also a bare degree level
                continue
            # "undervisning i albanska som modersmål" asks for the language too
            # (SKILLS-GUIDELINES.md §4.6), though it sits in a subject taught
            mother_tongue = candidate.always_relevant and MOTHER_TONGUE.match(text, mention.end)
            if (not candidate.specific or candidate.always_relevant) and not mother_tongue and any(
                s <= mention.start and mention.end <= e for s, e in fields
            ):
                continue
            if not candidate.specific and not mother_tongue and (EXAMPLES_FOLLOW.match(
                    text, mention.end) or (
                    text[mention.start].isupper() and COMPANY_WORD.match(text, mention.end))):
                continue
            if mode == MENTIONED and not requirement.employer_text(mention.start) and (
                    candidate.concept_id in self.qualifications):
                # "Vi välkomnar dig med socionomexamen": a degree, licence or
                # legitimation the ad names outside its own offer is asked for
                mode = REQUIRED
            if mode == MENTIONED and candidate.always_relevant and _proficiency(
                text, mention.start
            ):
                mode = REQUIRED
            found = ExtractedSkill(
                candidate.concept_id,
                self.dictionary.labels[candidate.concept_id],
                mention.start,
                mention.end,
                mode,
                round(score, 4),
            )
            held = best.get(candidate.concept_id)
            if held is None or (PRIORITY[found.requirement], found.score) > (
                PRIORITY[held.requirement], held.score
            ):
                best[candidate.concept_id] = found
        related = [related for related, _ in weights]
        for subject in teaching:
            mode = requirement.at(subject.start)
            # The subjects of a teaching post are what the teacher must teach.
            mode = REQUIRED if mode == MENTIONED else mode
            for concept_id in self.teaching.choose(subject.concept_ids, related):
                found = ExtractedSkill(concept_id, self.dictionary.labels[concept_id],
                                       subject.start, subject.end, mode, TEACHING_SCORE)
                held = best.get(concept_id)
                if held is None or PRIORITY[found.requirement] > PRIORITY[held.requirement]:
                    best[concept_id] = found
        for start, end, concept_id in educations:
            found = ExtractedSkill(concept_id, self.dictionary.labels[concept_id], start, end,
                                   requirement.at(start), TEACHING_SCORE)
            held = best.get(concept_id)
            if held is None or PRIORITY[found.requirement] > PRIORITY[held.requirement]:
                best[concept_id] = found
        for start, end, label in unlinked:
            key = f"unlinked:{label}"
            overlapping = [k for k, s in best.items() if s.start < end and start < s.end]
            # A linked concept on the same words wins, unless it only covers a part of
            # the name ("BI" in "Power BI" is not Business Intelligence) or the taxonomy
            # relates it to none of the likely occupations ("DBT" in a data engineer's
            # ad is the tool, not Dialektisk beteendeterapi).
            if key in best or any(best[k].end - best[k].start >= end - start and (
                    not related or any(k in r for r in related)) for k in overlapping):
                continue
            for k in overlapping:
                del best[k]
            best[key] = ExtractedSkill(None, label, start, end, requirement.at(start),
                                       UNLINKED_SCORE)
        return sorted(best.values(), key=lambda s: (-s.score, s.start))

    def _fielded(self, subjects: list[re.Match[str]], educations: list[tuple[int, int, str]],
                 mentions: list[Mention], folded: str) -> set[int]:
        """Where an education whose field the ad names starts ("kandidatexamen inom
        datateknik": the start of "kandidatexamen")."""
        fields = self.dictionary.fields
        spans = [(start, end) for start, end, concept_id in educations if concept_id in fields]
        spans += [(m.start, m.end) for m in mentions
                  if any(c.concept_id in fields for c in m.candidates)]
        return {_word_start(folded, match.start()) for match in subjects
                if match.lastindex == 2 and any(
                    match.start(2) <= start < match.end(2) for start, _ in spans)}

    def _education_list(self, subjects: list[re.Match[str]], folded: str
                        ) -> list[tuple[int, int, str]]:
        """(start, end, concept id) of each field, degree or discipline named in the list
        of an "utbildning/examen inom A, B eller C" ("utbildning inom systemvetenskap,
        civilingenjör eller motsvarande" → Civilingenjörsexamen; "Utbildning inom
        Entreprenadjuridik" → Entreprenadjuridik): there only an education fits, so a
        plain word names its field (SKILLS-GUIDELINES.md §3, §4.2)."""
        words = self.dictionary.education_words
        found: list[tuple[int, int, str]] = []
        for match in subjects:
            if match.lastindex != 2:
                continue
            base = match.start(2)
            for piece in LIST_WORD.finditer(match.group(2)):
                concept_id = words.get(piece.group().replace("-", ""))
                if concept_id is not None:
                    found.append((base + piece.start(), base + piece.end(), concept_id))
        return found

    def _choose(
        self, candidates: Sequence[Candidate], weights: list[tuple[frozenset[str], float]],
        top: float, asked: bool = False, slot: bool = False, capitalised: bool = False,
    ) -> tuple[Candidate, float] | None:
        """The best candidate of a mention and its score. In a competence slot a plain
        word is asked for whatever the occupation, but a word that is only the head of a
        qualified label ("Management, organisation", "Kommunikation, sjöfart") names that
        label only when written as a name ("Kotlin", "Docker"): "project management" and
        "kommunikation med leverantörer" are not those skills."""
        ranked: list[tuple[float, Candidate]] = []
        for candidate in candidates:
            if candidate.concept_id in self.dictionary.deprecated:
                continue
            label = self.dictionary.labels[candidate.concept_id]
            if candidate.shared and not (asked and EXPERIENCE_ONLY.search(label)) and not any(
                    candidate.concept_id in related for related, _ in weights):
                continue  # a head several labels share, and nothing tells which one
            experience = EXPERIENCE.search(label)
            if candidate.narrowed and not any(
                    candidate.concept_id in related for related, _ in weights):
                continue  # "pedagogisk verksamhet" in a teacher ad is not the hemslöjd one
            if candidate.always_relevant:
                fit = 1.0
            elif asked and (candidate.specific or experience or (slot and (
                    capitalised or "," not in label))):
                support = sum(p for related, p in weights if candidate.concept_id in related)
                fit = ASKED_FIT + (1 - ASKED_FIT) * (min(1.0, support / top) if top > 0 else 0.0)
            else:
                support = sum(p for related, p in weights if candidate.concept_id in related)
                fit = 0.5 + 0.5 * min(1.0, support / top) if top > 0 else 0.5
            score = candidate.quality * fit
            # "Affärssystem, erfarenhet" over "Affärssystem, produktkunskap" for the same
            # words: an ad asks for experience of a thing (the guidelines' synonym).
            if asked and EXPERIENCE_ONLY.search(label):
                score += EXPERIENCE_BONUS
            if fit <= 0.5 and not candidate.specific:
                score = min(score, self.threshold - 0.05)
            ranked.append((score, candidate))
        if not ranked:
            return None
        score, candidate = max(ranked, key=lambda r: (r[0], -len(r[1].concept_id)))
        return candidate, score

    def _licences(self, text: str, folded: str) -> list[Mention]:
        if "korkort" not in folded and "licen" not in folded:
            return []
        ids = self.dictionary.licences
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        phrases: list[tuple[int, int]] = []  # whole "körkort med behörighet C1" phrases

        def add(start: int, end: int, cls: str) -> None:
            if cls in ids:
                found.append(Mention(start, end, (Candidate(ids[cls], 1.0, True, True),)))
                taken.append((start, end))

        for match in LICENCE_BEFORE.finditer(text):
            add(match.start(), match.end(), match.group(1))
        for match in LICENCE_AFTER.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            phrases.append(match.span())
            base = match.start(1)
            for cls in CLASS.finditer(match.group(1)):
                add(base + cls.start(), base + cls.end(), cls.group(1))
        for match in LICENCE_PLAIN.finditer(text):
            if not any(s <= match.start() < e for s, e in (*taken, *phrases)):
                # "Körkort är ett krav" without a class means a car licence (B).
                add(match.start(), match.end(), "B")
        return found


def _word_start(text: str, offset: int) -> int:
    while offset > 0 and text[offset - 1].isalpha():
        offset -= 1
    return offset


def _proficiency(text: str, offset: int) -> bool:
    """Does the sentence around ``offset`` speak of language proficiency?"""
    starts = [m.end() for m in SENTENCE_END.finditer(text, 0, offset)]
    start = starts[-1] if starts else 0
    end_match = SENTENCE_END.search(text, offset)
    end = end_match.start() if end_match else len(text)
    return PROFICIENCY.search(text, start, end) is not None


def _anchored(pattern: re.Pattern[str], key: re.Pattern[str], folded: str) -> list[re.Match[str]]:
    """The matches of ``pattern.finditer(folded)``, found from the places where ``key``
    (the literal core every match holds) occurs. A match starts at the start of the
    key's word ("yrkeserfarenhet av", "ämneslärare i") or, for a pattern without a
    word boundary, at the key itself ("vidareutbildning i"); non-overlapping, left to
    right. Same matches in about half (slots) and a third (subjects) of the time on the
    real ads."""
    found: list[re.Match[str]] = []
    free = 0
    for hit in key.finditer(folded):
        start = hit.start()
        while start > 0 and "a" <= folded[start - 1] <= "z":
            start -= 1
        match = pattern.match(folded, start) if start >= free else None
        if match is None and hit.start() > start and hit.start() >= free:
            start = hit.start()
            match = pattern.match(folded, start)
        if match is None or start < free:
            continue
        found.append(match)
        free = match.end()
    return found
